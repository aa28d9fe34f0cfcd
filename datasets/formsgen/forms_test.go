package formsgen_test

// Each office form in datasets/forms is read on its own (importer.Load and Parse) against the
// roster below, written by hand with plain 党员编号 (A1…A7 第一, B1…B7 第二), and its records are
// compared with the list worked out by hand from the form as a clerk would read it. A record is
// written "一/张伟 主题党日 2023-03-15 出席": 一 and 二 are 机关第一党支部 and 机关第二党支部 (李娜 is
// in both).

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/importer"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

func TestMain(m *testing.M) {
	sheet.ServeChild() // the test binary reads .xls files in a child process
	os.Exit(m.Run())
}

func config(t *testing.T) *rules.Config {
	t.Helper()
	c, err := rules.Parse("config.yaml", jifen.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// handRoster is the unit's roster as the tests know it: positions matter for 支委会 registers.
func handRoster() []engine.Member {
	type m struct{ id, name, pos, cat string }
	one := []m{{"A1", "张伟", "支部书记", "正式党员"}, {"A2", "王芳", "组织委员", "正式党员"}, {"A3", "李娜", "", "正式党员"},
		{"A4", "刘洋", "", "正式党员"}, {"A5", "陈静", "", "正式党员"}, {"A6", "杨磊", "", "正式党员"}, {"A7", "赵敏", "", "预备党员"}}
	two := []m{{"B1", "黄强", "支部书记", "正式党员"}, {"B2", "周婷", "支部副书记", "正式党员"}, {"B3", "徐丽", "宣传委员", "正式党员"},
		{"B4", "吴刚", "", "正式党员"}, {"B5", "李娜", "", "正式党员"}, {"B6", "孙浩", "", "预备党员"}, {"B7", "何军", "", "正式党员"}}
	var out []engine.Member
	for i, list := range [][]m{one, two} {
		for j, x := range list {
			out = append(out, engine.Member{ID: x.id, Name: x.name, Branch: []string{"机关第一党支部", "机关第二党支部"}[i],
				Category: x.cat, Position: x.pos, Src: engine.Source{File: "名册.csv", Row: j + 2}})
		}
	}
	return out
}

// who names a member ID as 一/张伟.
func who(id string) string {
	for _, m := range handRoster() {
		if m.ID == id {
			return map[string]string{"机关第一党支部": "一", "机关第二党支部": "二"}[m.Branch] + "/" + m.Name
		}
	}
	return "?" + id
}

// committed is where the generator's form name is committed: datasets/forms.
func committed(name string) string { return filepath.Join("..", "forms", name) }

// read loads and parses one form of datasets/forms against the hand roster.
func read(t *testing.T, name string) (*importer.File, *engine.Batch) {
	t.Helper()
	c := config(t)
	f, err := importer.Load(committed(name), name, c)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var r *importer.Roster
	if strings.HasPrefix(name, "名册") {
		r = importer.NewRoster(nil)
	} else {
		r = importer.NewRoster(handRoster())
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f, b
}

func lines(b *engine.Batch) []string {
	var out []string
	for _, a := range b.Attendance {
		out = append(out, fmt.Sprintf("%s %s %s %s", who(a.MemberID), a.Activity, a.Date.Format("2006-01-02"), a.Status))
	}
	for _, s := range b.Tests {
		score := s.Status
		if s.Score != nil {
			score = fmt.Sprintf("%g/%g", *s.Score, s.FullMark)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", who(s.MemberID), s.Test, s.Date.Format("2006-01-02"), score))
	}
	for _, p := range b.Pledges {
		signed := "否"
		if p.Signed {
			signed = "是"
		}
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s %d %s %s", who(p.MemberID), p.Year, signed, p.Rating)))
	}
	for _, e := range b.Ledger {
		s := fmt.Sprintf("%s %s %s", who(e.MemberID), e.Date.Format("2006-01-02"), e.Category)
		if e.Level != "" {
			s += " " + e.Level
		}
		s += fmt.Sprintf(" ×%g", e.Count)
		if e.Points != nil {
			s += fmt.Sprintf(" 分值%g", *e.Points) // the rules decide: no record carries the clerk's points
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func same(t *testing.T, got []string, want []string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n got:\n  %s\n want:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// meeting expands "出席 for all of who except …" into records.
func meeting(branch, activity, date string, names []string, except map[string]string) []string {
	var out []string
	for _, n := range names {
		st := "出席"
		if s, ok := except[n]; ok {
			st = s
		}
		out = append(out, fmt.Sprintf("%s/%s %s %s %s", branch, n, activity, date, st))
	}
	return out
}

var (
	all1 = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏"}
	all2 = []string{"黄强", "周婷", "徐丽", "吴刚", "李娜", "孙浩", "何军"}
)

// checkReading asserts how a per-meeting sheet was understood: branch, meeting, date, 应到.
func checkReading(t *testing.T, f *importer.File, sheetName, branch, activity, date string, expected int) {
	t.Helper()
	for _, r := range f.Readings() {
		if r.Sheet != sheetName {
			continue
		}
		if r.Kind != "签到" || r.Branch != branch || r.Activity != activity || r.Date != date || r.Expected != expected {
			t.Errorf("[%s] read as %q %q %q %q 应到 %d, want 签到 %s %s %s 应到 %d", sheetName, r.Kind, r.Branch, r.Activity, r.Date,
				r.Expected, branch, activity, date, expected)
		}
		return
	}
	t.Errorf("no reading of sheet %q", sheetName)
}

func TestSignInTwoGroups(t *testing.T) {
	// Title 中共××局机关第一党支部主题党日签到表, 会议时间：2023年3月15日; groups 1–4 | 5–7.
	// 张伟, 王芳, 陈静, 赵敏 signed their names → 出席; 李娜 unsigned, 备注 请假（出差）→ 请假;
	// 刘洋 signed, 备注 迟到 → 迟到; 杨磊 unsigned, no note → 缺席. "应到 7 人，实到 5 人" and the
	// 主持人签字/记录人签字 lines are not members.
	f, b := read(t, "签到表_每次会议一张_两组并排.xlsx")
	same(t, lines(b), meeting("一", "主题党日", "2023-03-15", all1, map[string]string{"李娜": "请假", "刘洋": "迟到", "杨磊": "缺席"}))
	checkReading(t, f, "签到表", "机关第一党支部", "主题党日", "2023-03-15", 7)
}

func TestSignInThreeGroups(t *testing.T) {
	// Merged title names 第二党支部 (so 李娜 is B5), 3 groups of 3, 3, 1 rows; √ = signed;
	// 孙浩 unsigned, 备注 病假 → 请假; the other six √ → 出席.
	f, b := read(t, "签到表_三组并排_合并标题.xlsx")
	same(t, lines(b), meeting("二", "主题党日", "2023-03-16", all2, map[string]string{"孙浩": "请假"}))
	checkReading(t, f, "Sheet1", "机关第二党支部", "主题党日", "2023-03-16", 7)
}

func TestSignInBookOfMeetings(t *testing.T) {
	// One sheet per meeting, named 4.18主题党日, 5.16主题党日, 5.23党课 (year from 会议时间).
	// 4.18 all signed; 5.16 陈静 signed, 备注 早退 → 早退; 5.23 杨磊 unsigned, 备注 事假 → 请假.
	f, b := read(t, "签到表_一簿多会_每会一张.xlsx")
	var want []string
	want = append(want, meeting("一", "主题党日", "2023-04-18", all1, nil)...)
	want = append(want, meeting("一", "主题党日", "2023-05-16", all1, map[string]string{"陈静": "早退"})...)
	want = append(want, meeting("一", "党课", "2023-05-23", all1, map[string]string{"杨磊": "请假"})...)
	same(t, lines(b), want)
	checkReading(t, f, "4.18主题党日", "机关第一党支部", "主题党日", "2023-04-18", 7)
	checkReading(t, f, "5.23党课", "机关第一党支部", "党课", "2023-05-23", 7)
}

func TestSignInFullWidthNames(t *testing.T) {
	// Names written 黄　强 (full-width space) in 姓名 and 签名; 吴刚 unsigned, no note → 缺席.
	// Footer "主持人签字：黄强" and "记录人：周婷" hold member names but are not rows.
	f, b := read(t, "签到表_全角空格姓名_页脚签字.xlsx")
	same(t, lines(b), meeting("二", "主题党日", "2023-04-20", all2, map[string]string{"吴刚": "缺席"}))
	checkReading(t, f, "4月主题党日", "机关第二党支部", "主题党日", "2023-04-20", 7)
}

func TestSignInCommittee(t *testing.T) {
	// 支委会 of 第一党支部, one group: 张伟 √, 王芳 √, 李娜 √ with 备注 列席 → 出席 (that a
	// 列席 scores 0 is the rules' business, not the record's).
	f, b := read(t, "签到表_支委会_签名为勾_列席.xlsx")
	same(t, lines(b), meeting("一", "支委会", "2023-04-06", []string{"张伟", "王芳", "李娜"}, nil))
	checkReading(t, f, "支委会", "机关第一党支部", "支委会", "2023-04-06", 3)
}

func TestSignInDateInTitle(t *testing.T) {
	// Title 机关第二党支部2023年6月15日党课签到表, no 会议时间 line; 李娜 unsigned, 公假 → 请假.
	f, b := read(t, "签到表_日期在标题_无会议时间行.xlsx")
	same(t, lines(b), meeting("二", "党课", "2023-06-15", all2, map[string]string{"李娜": "请假"}))
	checkReading(t, f, "签到", "机关第二党支部", "党课", "2023-06-15", 7)
}

func TestSignInLateAndEarly(t *testing.T) {
	// 集中学习 of 第二党支部: 何军 signed, 备注 迟到 → 迟到; 孙浩 signed, 备注 早退 → 早退.
	f, b := read(t, "签到表_集中学习_签名后备注迟到早退.xlsx")
	same(t, lines(b), meeting("二", "集中学习", "2023-06-08", all2, map[string]string{"何军": "迟到", "孙浩": "早退"}))
	checkReading(t, f, "集中学习签到", "机关第二党支部", "集中学习", "2023-06-08", 7)
}

func TestSignInBlankRows(t *testing.T) {
	// Blank rows under the title and above the header; groups of 5 rows: 1–5 | 6–7, then 序号
	// 8, 9, 10 with no name (not members, not 应到). 赵敏 unsigned, 备注 请假 → 请假.
	f, b := read(t, "签到表_空行和半空组_党小组会.xlsx")
	same(t, lines(b), meeting("一", "党小组会", "2023-02-21", all1, map[string]string{"赵敏": "请假"}))
	checkReading(t, f, "党小组会", "机关第一党支部", "党小组会", "2023-02-21", 7)
}

func TestSignInGBKCSV(t *testing.T) {
	// GB18030 CSV as WPS saves it, title and 会议时间 lines kept: 赵敏 unsigned, 病假 → 请假.
	f, b := read(t, "签到表_WPS另存为CSV_GBK编码.csv")
	same(t, lines(b), meeting("一", "集中学习", "2023-06-09", all1, map[string]string{"赵敏": "请假"}))
	checkReading(t, f, "", "机关第一党支部", "集中学习", "2023-06-09", 7)
}

func TestRegisterAbsenceReasons(t *testing.T) {
	// 第一党支部's 登记簿 (title), date cells:
	//   2023-01-10 支委会 应到 2 实到 2 无 → the committee 张伟, 王芳 出席 (no one else expected)
	//   2023-02-14 支部党员大会 7/6 “李娜（出差）” → 李娜 请假, six 出席
	//   2023-03-28 党课 7/5 “刘洋（病假）、陈静（事假）” → both 请假, five 出席
	//   2023-06-20 支部党员大会 7/7 无 → all 出席
	// 23 records.
	_, b := read(t, "登记簿_缺席人员及原因.xlsx")
	var want []string
	want = append(want, meeting("一", "支委会", "2023-01-10", []string{"张伟", "王芳"}, nil)...)
	want = append(want, meeting("一", "支部党员大会", "2023-02-14", all1, map[string]string{"李娜": "请假"})...)
	want = append(want, meeting("一", "党课", "2023-03-28", all1, map[string]string{"刘洋": "请假", "陈静": "请假"})...)
	want = append(want, meeting("一", "支部党员大会", "2023-06-20", all1, nil)...)
	same(t, lines(b), want)
}

func TestRegisterUnexcusedAndLate(t *testing.T) {
	// 第二党支部's 记录本 (title without 中共××局), text dates 2023年2月16日:
	//   2023-02-16 支部党员大会 7/6 “吴刚（无故缺席）”, 备注 “何军迟到” → 吴刚 缺席, 何军 迟到
	//     (实到 6 counts 何军), five 出席
	//   2023-05-18 党课 7/7 无 → all 出席
	//   2023-09-21 支部党员大会 7/6 “孙浩（病假）” → 孙浩 请假
	_, b := read(t, "登记簿_无故缺席_备注迟到.xlsx")
	var want []string
	want = append(want, meeting("二", "支部党员大会", "2023-02-16", all2, map[string]string{"吴刚": "缺席", "何军": "迟到"})...)
	want = append(want, meeting("二", "党课", "2023-05-18", all2, nil)...)
	want = append(want, meeting("二", "支部党员大会", "2023-09-21", all2, map[string]string{"孙浩": "请假"})...)
	same(t, lines(b), want)
}

func TestRegisterCommitteeOnly(t *testing.T) {
	// 支委会 register of 第二党支部: expected are the committee only — 黄强 支部书记, 周婷
	// 支部副书记, 徐丽 宣传委员 (3, as 应到 says); 2023-04-11 “徐丽（培训）” → 请假.
	_, b := read(t, "登记簿_支委会只算支委.xlsx")
	c := []string{"黄强", "周婷", "徐丽"}
	var want []string
	want = append(want, meeting("二", "支委会", "2023-01-12", c, nil)...)
	want = append(want, meeting("二", "支委会", "2023-04-11", c, map[string]string{"徐丽": "请假"})...)
	want = append(want, meeting("二", "支委会", "2023-07-11", c, nil)...)
	same(t, lines(b), want)
}

func TestRegisterBranchColumn(t *testing.T) {
	// One register for both branches, a 党支部 column: 12-19 第一 组织生活会 7/7 无; 12-20 第二
	// 7/6 “何军（出差）” → 请假 (李娜 is B5 there).
	_, b := read(t, "登记簿_两支部合一_党支部列.xlsx")
	var want []string
	want = append(want, meeting("一", "组织生活会", "2023-12-19", all1, nil)...)
	want = append(want, meeting("二", "组织生活会", "2023-12-20", all2, map[string]string{"何军": "请假"})...)
	same(t, lines(b), want)
}

func TestMatrixCircleIsLeave(t *testing.T) {
	// Legend under the table “说明：√出席 ○请假 ×缺席 △迟到”: 7月11日主题党日 赵敏 ○ → 请假 (not
	// 出席, the default meaning of ○); 8月15日 刘洋 △ → 迟到, 杨磊 × → 缺席; 9月12日支部党员大会 all √.
	_, b := read(t, "矩阵_图例圆圈为请假.xlsx")
	var want []string
	want = append(want, meeting("一", "主题党日", "2023-07-11", all1, map[string]string{"赵敏": "请假"})...)
	want = append(want, meeting("一", "主题党日", "2023-08-15", all1, map[string]string{"刘洋": "迟到", "杨磊": "缺席"})...)
	want = append(want, meeting("一", "支部党员大会", "2023-09-12", all1, nil)...)
	same(t, lines(b), want)
}

func TestMatrixSignatureRows(t *testing.T) {
	// Legend above the header; under the table “支部书记（签字）：” and “填表人：周婷…填表日期：
	// 2023年9月30日” are not members. 7/13 李娜 ○ 请假; 8/17 吴刚 × 缺席; 9/14 党课 周婷 △ 迟到.
	_, b := read(t, "矩阵_签字行在下_图例在上.xlsx")
	var want []string
	want = append(want, meeting("二", "主题党日", "2023-07-13", all2, map[string]string{"李娜": "请假"})...)
	want = append(want, meeting("二", "主题党日", "2023-08-17", all2, map[string]string{"吴刚": "缺席"})...)
	want = append(want, meeting("二", "党课", "2023-09-14", all2, map[string]string{"周婷": "迟到"})...)
	same(t, lines(b), want)
}

func TestMatrixSolidDot(t *testing.T) {
	// “注：●到会 ○请假 ×缺席 △迟到”: ● (unknown without the legend) → 出席; 1月12日 王芳 ○ → 请假.
	_, b := read(t, "矩阵_图例实心圆为出席.xlsx")
	var want []string
	want = append(want, meeting("一", "集中学习", "2023-01-12", all1, map[string]string{"王芳": "请假"})...)
	want = append(want, meeting("一", "集中学习", "2023-02-09", all1, nil)...)
	same(t, lines(b), want)
}

func TestMatrixTwoSheetXLS(t *testing.T) {
	// .xls (LibreOffice), one sheet a branch, named 机关第一党支部 / 机关第二党支部; legend under each:
	//   第一: 10/17 主题党日 all √; 11/14 主题党日 陈静 ○ 请假; 12/12 支部党员大会 杨磊 △ 迟到
	//   第二: 10/19 all √; 11/16 何军 × 缺席; 12/14 支部党员大会 all √
	_, b := read(t, "矩阵_两张表_旧版xls.xls")
	var want []string
	want = append(want, meeting("一", "主题党日", "2023-10-17", all1, nil)...)
	want = append(want, meeting("一", "主题党日", "2023-11-14", all1, map[string]string{"陈静": "请假"})...)
	want = append(want, meeting("一", "支部党员大会", "2023-12-12", all1, map[string]string{"杨磊": "迟到"})...)
	want = append(want, meeting("二", "主题党日", "2023-10-19", all2, nil)...)
	want = append(want, meeting("二", "主题党日", "2023-11-16", all2, map[string]string{"何军": "缺席"})...)
	want = append(want, meeting("二", "支部党员大会", "2023-12-14", all2, nil)...)
	same(t, lines(b), want)
}

func TestExamFullMarkManyDays(t *testing.T) {
	// 总分 50 is the full mark: 得分 45 is 45/50. 交卷时间 runs 2023-11-20 … 11-22: one test,
	// dated by its first day (2023-11-20). 所在组织 names the branch (李娜 29 is 第一's, 42
	// 第二's). 何军 is not in the export: no record.
	_, b := read(t, "考试导出_总分为满分_多日交卷.xlsx")
	var want []string
	for _, s := range []string{"一/张伟 48", "一/王芳 45", "一/李娜 29", "一/刘洋 40", "一/陈静 50", "一/杨磊 31", "一/赵敏 44",
		"二/黄强 47", "二/周婷 46", "二/徐丽 38", "二/吴刚 27", "二/李娜 42", "二/孙浩 35"} {
		n, score, _ := strings.Cut(s, " ")
		want = append(want, n+" 党纪党规知识测试 2023-11-20 "+score+"/50")
	}
	same(t, lines(b), want)
}

func TestExamLongOrgNames(t *testing.T) {
	// 所在组织 “中共××局机关第二党支部” is the roster's 机关第二党支部; 总分 100; one day.
	_, b := read(t, "考试导出_百分制_所在组织全称.xlsx")
	var want []string
	for _, s := range []string{"一/张伟 92", "一/王芳 85", "一/李娜 70", "一/刘洋 95", "一/陈静 66", "一/杨磊 59", "一/赵敏 90",
		"二/黄强 88", "二/周婷 93", "二/徐丽 61", "二/吴刚 45", "二/李娜 78", "二/孙浩 80", "二/何军 97"} {
		n, score, _ := strings.Cut(s, " ")
		want = append(want, n+" 德廉知识测试 2023-06-27 "+score+"/100")
	}
	same(t, lines(b), want)
}

func TestPledgeRatingColumn(t *testing.T) {
	// Year 2023 from the title; 承诺书签订情况 已签订 → 是; 践诺评定 is the rating (ignored today:
	// every member would get 0 for 践诺).
	_, b := read(t, "承诺_践诺评定.xlsx")
	same(t, lines(b), []string{"一/张伟 2023 是 优秀", "一/王芳 2023 是 良好", "一/李娜 2023 是 良好", "一/刘洋 2023 是 一般",
		"一/陈静 2023 是 优秀", "一/杨磊 2023 是 未践诺", "一/赵敏 2023 是 良好"})
}

func TestPledgeRatingByValues(t *testing.T) {
	// Branch only in the title (李娜 is 第二's); the rating's header 年终评定 is no synonym: its
	// values 优秀/良好/一般 make it the 践诺 rating. 吴刚 未签订 → 否, no rating.
	_, b := read(t, "承诺_年终评定列_支部在标题.xlsx")
	same(t, lines(b), []string{"二/黄强 2023 是 优秀", "二/周婷 2023 是 优秀", "二/徐丽 2023 是 良好", "二/吴刚 2023 否",
		"二/李娜 2023 是 一般", "二/孙浩 2023 是 良好", "二/何军 2023 是 良好"})
}

func TestLedgerLevelOrNote(t *testing.T) {
	// 等级或说明 is the level on 表彰 (市厅级, 本单位) and 党纪处分 (警告) rows, free text on the
	// others (讲专题党课 …: no level). 分值 agrees with the rules (6, 2, 3, 3, −3, 0.5): no
	// message, and the records carry no points of their own. 事由 and 备注 are both notes.
	_, b := read(t, "台账_等级或说明_分值.xlsx")
	same(t, lines(b), []string{"一/张伟 2023-07-01 表彰 市厅级 ×1", "二/周婷 2023-07-01 表彰 本单位 ×1", "一/刘洋 2023-05-10 讲党课 ×1",
		"二/黄强 2023-09-08 讲党课 ×1", "二/吴刚 2023-10-15 通报批评 ×1", "一/杨磊 2023-08-20 党纪处分 警告 ×1",
		"一/王芳 2023-04-12 心得体会 ×1"})
}

func TestLedgerDates(t *testing.T) {
	// This one reads today: a CSV with a title line (its year 2023), dates 2023.3.5 and 3月5日.
	// 李娜 of each branch by 所在支部; 赵敏 数量 2 → ×2.
	_, b := read(t, "台账_日期点分和月日.csv")
	same(t, lines(b), []string{"一/李娜 2023-03-05 志愿服务 ×1", "二/李娜 2023-03-05 志愿服务 ×1", "一/赵敏 2023-06-18 志愿服务 ×2",
		"二/何军 2023-04-08 党费未按时缴纳 ×1", "二/孙浩 2023-09-30 志愿服务 ×1", "一/陈静 2023-10-12 志愿服务 ×1"})
}

func TestLedgerLevelByValues(t *testing.T) {
	// 具体情况 is no header word: its values 县处级, 本单位 on 表彰 rows make it the level.
	// 荣誉名称 (优秀共产党员 …) is a note. Text dates 2023年11月30日.
	_, b := read(t, "台账_级别列表头不认识_按内容.xlsx")
	same(t, lines(b), []string{"二/徐丽 2023-11-30 表彰 县处级 ×1", "一/陈静 2023-12-01 表彰 本单位 ×1"})
}

// rosterLines gives each member of a roster file as 一/张伟 正式党员 支部书记 2005-07-01.
func rosterLines(t *testing.T, b *engine.Batch) []string {
	t.Helper()
	var out []string
	ids := map[string]bool{}
	for _, m := range b.Members {
		if m.ID == "" || ids[m.ID] {
			t.Errorf("%s: key %q empty or repeated", m.Name, m.ID)
		}
		ids[m.ID] = true
		br := map[string]string{"机关第一党支部": "一", "机关第二党支部": "二"}[m.Branch]
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s/%s %s %s %s", br, m.Name, m.Category, m.JoinDate.Format("2006-01-02"), m.Position)))
	}
	sort.Strings(out)
	return out
}

func TestRosterPolitics(t *testing.T) {
	// No 党员编号: each member is keyed by 身份证号 (text). 政治面貌 中共党员 → 正式党员, 中共预备党员
	// → 预备党员; 入党时间 2005.07 → 2005-07-01; 组织委员 is a post (a 支委). The 填报单位/填报日期
	// line above the header is not a member.
	_, b := read(t, "名册_无党员编号_政治面貌.xlsx")
	same(t, rosterLines(t, b), []string{"一/张伟 正式党员 2005-07-01 支部书记", "一/王芳 正式党员 2010-06-01 组织委员",
		"一/李娜 正式党员 2012-07-01", "一/刘洋 正式党员 2015-05-01", "一/陈静 正式党员 2016-07-01", "一/杨磊 正式党员 2018-06-01",
		"一/赵敏 预备党员 2022-11-01"})
	for _, m := range b.Members {
		// D4 as typed: 11010119800312001 and its GB 11643 check digit: Σ digit × weight
		// (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) = 133, 133 mod 11 = 1 → '0'.
		if m.Name == "张伟" && m.IDCard != "110101198003120010" {
			t.Errorf("张伟 身份证号 %q, want the cell's 110101198003120010", m.IDCard)
		}
	}
}

func TestRosterNumericIDCard(t *testing.T) {
	// 身份证号 typed into number cells (E3:E9): the digits past the 15th are lost, so each is
	// warned of at its cell and never shown in full. 党支部 column; 入党时间 2003年6月.
	f, b := read(t, "名册_身份证号存为数字.xlsx")
	same(t, rosterLines(t, b), []string{"二/黄强 正式党员 2003-06-01 支部书记", "二/周婷 正式党员 2009-07-01 支部副书记",
		"二/徐丽 正式党员 2011-12-01 宣传委员", "二/吴刚 正式党员 2013-07-01", "二/李娜 正式党员 2017-06-01", "二/孙浩 预备党员 2022-12-01",
		"二/何军 正式党员 2014-05-01"})
	warned := strings.Join(f.Warnings, "\n")
	for _, cell := range []string{"[党员名册]!E3", "[党员名册]!E9"} {
		if !strings.Contains(warned, cell) {
			t.Errorf("no warning at %s; warnings:\n%s", cell, warned)
		}
	}
	if strings.Contains(warned, "11010619780225") {
		t.Errorf("a warning shows 黄强's 身份证号 unmasked:\n%s", warned)
	}
}
