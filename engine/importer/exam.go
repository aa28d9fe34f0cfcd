package importer

import (
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Online exam exports (问卷星, 考试系统) list one row per person who took an exam: 序号, 姓名,
// 所在组织 (the branch), 手机号, 得分 or 成绩, 总分 (the exam's full mark), 交卷时间 (when that
// person submitted: 2022-11-20 10:32:11), 用时. The exam is named by a 试卷名称 column, or by
// the title, the sheet name or the file name (2022年党纪党规知识测试成绩导出.xlsx).
//
// One exam is one test, however many days it stayed open: its date is the EARLIEST 交卷时间 of
// the exam in the sheet (the day it was first taken, so the test is counted in the month it was
// held, and a late submission appended to the export does not move it). Each record keeps the
// exam's date, not its own submission time: scoring and indicators count a test as one
// (name, date) event, and a record dated by its own 交卷时间 would make one exam as many tests
// as it had days (issue 14). Each row's 交卷时间 is still read, so a bad one is an error at its
// cell. Note: the same exam exported per branch in separate files gets each file's earliest
// time; when those differ, write the date in a 考试日期 column (or the title) of each.

// examWords: a name taken from a title or file is an exam's only if it says so.
var examWords = []string{"测试", "考试", "测验", "竞赛", "答题", "试卷", "测评"}

// examSuffixes are the words exports add after the exam's name.
var examSuffixes = []string{"成绩导出", "成绩单", "成绩表", "成绩统计表", "成绩统计", "成绩汇总", "成绩", "导出", "统计表", "汇总表", "结果", "明细", "数据"}

var reLeadingDate = regexp.MustCompile(`^(?:(?:19|20)\d{2}\s*(?:年度|年|[./-])?\s*(?:\d{1,2}\s*(?:月份|月|[./-])\s*(?:\d{1,2}\s*日?)?)?|第?[1-4一二三四]季度)+`)

// examName is the exam named by the title rows above the header, else the sheet name, else the
// file name: the text without a leading date and trailing export words, when it names an exam.
func examName(t sheet.Table, top int, path string) string {
	var title []string
	for i := 0; i < top && i < len(t.Rows); i++ {
		for _, c := range t.Rows[i] {
			if c = rules.Normalize(c); c != "" {
				title = append(title, c)
				break
			}
		}
	}
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	for _, s := range append(title, rules.Normalize(t.Sheet), rules.Normalize(base)) {
		if n := cleanExamName(s); n != "" {
			return n
		}
	}
	return ""
}

func cleanExamName(s string) string {
	s = strings.TrimSpace(reLeadingDate.ReplaceAllString(s, ""))
	for changed := true; changed; {
		changed = false
		s = strings.Trim(s, " _-—:：()（）")
		for _, suf := range examSuffixes {
			if strings.HasSuffix(s, suf) && s != suf {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
	}
	for _, w := range examWords {
		if strings.Contains(s, w) {
			return s
		}
	}
	return ""
}

// examDates is, for a sheet with 交卷时间 and no date column, each exam's date: the earliest
// valid 交卷时间 of its rows (a bad one is reported when its row is read).
func (p *parser) examDates(t sheet.Table, l layout) map[string]time.Time {
	out := map[string]time.Time{}
	sc := l.col("submit_time")
	if l.col("date") >= 0 || sc < 0 {
		return out
	}
	tc := l.col("test")
	for i := l.header + 1; i < len(t.Rows); i++ {
		raw := cellAt(t, i, sc)
		if raw == "" {
			continue
		}
		d, err := p.parseDate(raw, t.Date1904, l.period.Year)
		if err != nil {
			continue
		}
		name := l.values["test"]
		if tc >= 0 && tc < len(t.Rows[i]) {
			name = strings.TrimSpace(t.Rows[i][tc])
		}
		if old, ok := out[name]; !ok || d.Before(old) {
			out[name] = d
		}
	}
	return out
}

// examDate sets the test's date of a row of an exam export from its exam's earliest 交卷时间,
// checking the row's own.
func (r *row) examDate(dates map[string]time.Time, test string) time.Time {
	if raw := r.get("submit_time"); raw != "" {
		if _, err := r.p.parseDate(raw, r.t.Date1904, r.l.period.Year); err != nil {
			r.fail("submit_time", "%s “%s” %v", r.header("submit_time"), raw, err)
			return time.Time{} // said once, at the cell
		}
	}
	d, ok := dates[test]
	if !ok && test != "" {
		r.fail("submit_time", "测试 “%s” 没有一个有效的%s，无法确定测试日期（可加一列考试日期，或在标题中写明，如 2022年11月20日）", test, r.header("submit_time"))
	}
	return d
}
