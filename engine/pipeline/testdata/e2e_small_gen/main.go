// Command e2e_small_gen writes the generated files of the e2e_small fixture
// (engine/pipeline/testdata/e2e_small/): the attendance sheets and the test scores.
// The roster (党员名册.csv), the pledges (承诺践诺.csv) and the ledger (加扣分台账.csv)
// are written by hand and are not touched here.
//
// Run from the module root:
//
//	go run ./engine/pipeline/testdata/e2e_small_gen
//
// This program is the readable specification of every sign-in and test row; the expected
// results in ../../e2e_test.go are worked out by hand from it. The outputs are committed.
//
// Files written:
//
//	2022年3月考勤表.xlsx       all March meetings of both branches; a merged title row above the
//	                           header; matched by 姓名 + 所在支部; text dates "2022年3月8日";
//	                           出席 written as √ and 缺席 as ×.
//	第一党支部考勤.csv          第一党支部 outside March; matched by 党员编号 (no 所在支部 column,
//	                           so 李娜 could not be matched by name); ISO dates; one 2021 row.
//	第二党支部考勤.csv          第二党支部 outside March; UTF-8 with BOM; matched by 姓名 + 所在支部;
//	                           dates "2022/2/25".
//	第二党支部集中学习签到.csv   26 fortnightly 集中学习 sessions (only 周婷 signs); dates "2022.1.7";
//	                           headers 日期 and 签到情况 (synonyms).
//	2022年测试成绩.xlsx         four tests; real Excel date cells; matched by 姓名 + 所在支部;
//	                           one score stored as text; 满分 blank for 党史知识测试 (default 100).
package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	b1 = "第一党支部"
	b2 = "第二党支部"
)

type member struct{ id, name, branch string }

var (
	zhangWei  = member{"DY001", "张伟", b1} // 支部书记
	wangFang  = member{"DY002", "王芳", b1} // 支部委员
	liNa1     = member{"DY003", "李娜", b1} // no post: 列席 at 支委会
	liuYang   = member{"DY004", "刘洋", b1}
	chenJing  = member{"DY005", "陈静", b1}
	yangLei   = member{"DY006", "杨磊", b1} // 转出 2022-06-30
	zhaoMin   = member{"DY007", "赵敏", b1} // 预备党员, 入党 2022-07-01
	huangQ    = member{"DY008", "黄强", b2} // 支部书记
	zhouTing  = member{"DY009", "周婷", b2}
	wuGang    = member{"DY010", "吴刚", b2}
	xuLi      = member{"DY011", "徐丽", b2} // 支部委员
	liNa2     = member{"DY012", "李娜", b2}
	sunHao    = member{"DY013", "孙浩", b2} // 预备党员
	heJun     = member{"DY014", "何军", b2} // 转入 2022-04-01
	b1Early   = []member{zhangWei, wangFang, liNa1, liuYang, chenJing, yangLei}
	b1Late    = []member{zhangWei, wangFang, liNa1, liuYang, chenJing, zhaoMin}
	b2Early   = []member{huangQ, zhouTing, wuGang, xuLi, liNa2, sunHao}
	b2Late    = []member{huangQ, zhouTing, wuGang, xuLi, liNa2, sunHao, heJun}
	allOrder  = []member{zhangWei, wangFang, liNa1, liuYang, chenJing, yangLei, zhaoMin, huangQ, zhouTing, wuGang, xuLi, liNa2, sunHao, heJun}
	outFolder = filepath.Join("engine", "pipeline", "testdata", "e2e_small")
)

type row struct {
	m            member
	status, note string
}

type meeting struct {
	branch, date, typ string // date is ISO
	rows              []row
}

// everyone: a row per member, 出席 unless overridden (overrides keyed by member).
func everyone(ms []member, over map[member]string) []row {
	var rs []row
	for _, m := range ms {
		st := "出席"
		if s, ok := over[m]; ok {
			st = s
		}
		rs = append(rs, row{m: m, status: st})
	}
	return rs
}

func r(m member, status, note string) row { return row{m, status, note} }

func meetings() []meeting {
	ms := []meeting{
		// ---------------- 第一党支部 ----------------
		{b1, "2021-12-17", "主题党日", []row{r(zhangWei, "缺席", "")}}, // 2021: outside the year
		{b1, "2022-01-10", "支委会", []row{r(zhangWei, "出席", ""), r(wangFang, "出席", ""), r(liNa1, "出席", "列席")}},
		{b1, "2022-02-18", "主题党日", everyone(b1Early, nil)},
		{b1, "2022-03-08", "支委会", []row{r(zhangWei, "出席", ""), r(wangFang, "迟到", "")}},
		{b1, "2022-03-15", "支部党员大会", append(everyone(b1Early, map[member]string{yangLei: "缺席"}),
			r(zhaoMin, "出席", "入党积极分子列席"))},
		{b1, "2022-03-25", "党课", everyone(b1Early, map[member]string{liuYang: "请假"})},
		{b1, "2022-04-12", "党小组会", everyone(b1Early, map[member]string{wangFang: "请假"})},
		{b1, "2022-05-20", "主题党日", append(everyone(b1Early, map[member]string{liNa1: "缺席", yangLei: "迟到"}),
			r(zhaoMin, "缺席", "入党积极分子"))},
		{b1, "2022-06-10", "集中学习", everyone(b1Early, nil)},
		{b1, "2022-06-30", "支部党员大会", everyone(b1Early, nil)},
		{b1, "2022-07-01", "主题党日", append(everyone(b1Late, nil), r(yangLei, "缺席", "已转出"))},
		{b1, "2022-07-11", "支委会", []row{r(zhangWei, "出席", ""), r(wangFang, "出席", ""), r(liNa1, "出席", "列席")}},
		{b1, "2022-08-16", "党小组会", append(everyone(b1Late, nil), r(yangLei, "出席", "已转出"))},
		{b1, "2022-09-20", "支部党员大会", everyone(b1Late, map[member]string{wangFang: "迟到"})},
		{b1, "2022-10-11", "支委会", []row{r(zhangWei, "出席", ""), r(wangFang, "出席", "")}},
		{b1, "2022-10-25", "党课", everyone(b1Late, map[member]string{liNa1: "早退"})},
		{b1, "2022-11-18", "主题党日", everyone(b1Late, map[member]string{zhaoMin: "早退"})},
		{b1, "2022-12-20", "支部党员大会", everyone(b1Late, nil)},
		{b1, "2022-12-22", "组织生活会", everyone(b1Late, map[member]string{liNa1: "请假"})},

		// ---------------- 第二党支部 ----------------
		{b2, "2022-02-11", "支委会", []row{r(huangQ, "出席", ""), r(xuLi, "出席", "")}},
		{b2, "2022-02-25", "主题党日", everyone(b2Early, map[member]string{liNa2: "缺席"})},
		{b2, "2022-03-18", "支部党员大会", append(everyone(b2Early, map[member]string{liNa2: "缺席"}),
			r(heJun, "缺席", "4月转入"))},
		{b2, "2022-03-29", "党课", everyone(b2Early, map[member]string{sunHao: "迟到"})},
		{b2, "2022-04-22", "主题党日", everyone(b2Late, map[member]string{liNa2: "缺席"})},
		{b2, "2022-06-10", "支委会", []row{r(huangQ, "出席", ""), r(xuLi, "出席", "")}},
		{b2, "2022-06-17", "党小组会", everyone(b2Late, nil)},
		{b2, "2022-08-26", "主题党日", everyone(b2Late, map[member]string{liNa2: "迟到"})},
		{b2, "2022-09-23", "支部党员大会", everyone(b2Late, map[member]string{xuLi: "请假"})},
		{b2, "2022-10-14", "支委会", []row{r(huangQ, "出席", ""), r(xuLi, "缺席", "")}},
		{b2, "2022-11-25", "党课", everyone(b2Late, map[member]string{liNa2: "早退"})},
		{b2, "2022-12-16", "支部党员大会", everyone(b2Late, nil)},
		{b2, "2022-12-23", "组织生活会", everyone(b2Late, map[member]string{liNa2: "缺席"})},
	}
	return ms
}

// studySessions: 第二党支部 集中学习 every other Friday from 2022-01-07 (26 sessions, the last on
// 2022-12-23); only 周婷 signs; she is 迟到 at session index 18 (2022-09-16), 出席 at the others.
func studySessions() []meeting {
	var ms []meeting
	d := time.Date(2022, 1, 7, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 26; i++ {
		st := "出席"
		if i == 18 {
			st = "迟到"
		}
		ms = append(ms, meeting{b2, d.Format("2006-01-02"), "集中学习", []row{r(zhouTing, st, "")}})
		d = d.AddDate(0, 0, 14)
	}
	return ms
}

func parseISO(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		log.Fatal(err)
	}
	return t
}

func writeCSV(name string, bom bool, records [][]string) {
	var buf bytes.Buffer
	if bom {
		buf.WriteString("\uFEFF")
	}
	w := csv.NewWriter(&buf)
	w.UseCRLF = false
	if err := w.WriteAll(records); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outFolder, name), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func isMarch(m meeting) bool { return strings.HasPrefix(m.date, "2022-03-") }

func writeB1CSV(ms []meeting) {
	recs := [][]string{{"党员编号", "姓名", "活动类型", "活动日期", "出勤情况", "备注"}}
	for _, m := range ms {
		if m.branch != b1 || isMarch(m) {
			continue
		}
		for _, x := range m.rows {
			recs = append(recs, []string{x.m.id, x.m.name, m.typ, m.date, x.status, x.note})
		}
	}
	writeCSV("第一党支部考勤.csv", false, recs)
}

func writeB2CSV(ms []meeting) {
	recs := [][]string{{"所在支部", "姓名", "活动类型", "活动日期", "出勤情况", "备注"}}
	for _, m := range ms {
		if m.branch != b2 || isMarch(m) {
			continue
		}
		t := parseISO(m.date)
		for _, x := range m.rows {
			recs = append(recs, []string{x.m.branch, x.m.name, m.typ,
				fmt.Sprintf("%d/%d/%d", t.Year(), t.Month(), t.Day()), x.status, x.note})
		}
	}
	writeCSV("第二党支部考勤.csv", true, recs)
}

func writeStudyCSV(ms []meeting) {
	recs := [][]string{{"党员编号", "姓名", "活动类型", "日期", "签到情况"}}
	for _, m := range ms {
		t := parseISO(m.date)
		for _, x := range m.rows {
			recs = append(recs, []string{x.m.id, x.m.name, m.typ,
				fmt.Sprintf("%d.%d.%d", t.Year(), t.Month(), t.Day()), x.status})
		}
	}
	writeCSV("第二党支部集中学习签到.csv", false, recs)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func cell(col, row int) string {
	c, err := excelize.CoordinatesToCellName(col, row)
	check(err)
	return c
}

func fixedProps(f *excelize.File) {
	check(f.SetDocProps(&excelize.DocProperties{
		Creator:        "jifen e2e_small fixture",
		LastModifiedBy: "jifen e2e_small fixture",
		Created:        "2022-12-31T00:00:00Z",
		Modified:       "2022-12-31T00:00:00Z",
	}))
}

func save(f *excelize.File, name string) {
	p := filepath.Join(outFolder, name)
	check(f.SaveAs(p))
	check(os.Chmod(p, 0o644))
}

// writeMarchXLSX: merged title row 1, header row 2, data from row 3.
func writeMarchXLSX(ms []meeting) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "3月"
	check(f.SetSheetName("Sheet1", sh))
	header := []string{"序号", "所在支部", "姓名", "活动类型", "活动日期", "出勤情况", "备注"}
	check(f.SetCellStr(sh, "A1", "2022年3月考勤表"))
	check(f.MergeCell(sh, "A1", cell(len(header), 1)))
	title, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 16},
		Alignment: &excelize.Alignment{Horizontal: "center"},
	})
	check(err)
	check(f.SetCellStyle(sh, "A1", "A1", title))
	for i, h := range header {
		check(f.SetCellStr(sh, cell(i+1, 2), h))
	}
	symbol := map[string]string{"出席": "√", "缺席": "×"}
	n := 0
	for _, m := range ms {
		if !isMarch(m) {
			continue
		}
		t := parseISO(m.date)
		for _, x := range m.rows {
			n++
			rw := n + 2
			st := x.status
			if s, ok := symbol[st]; ok {
				st = s
			}
			check(f.SetCellValue(sh, cell(1, rw), n))
			check(f.SetCellStr(sh, cell(2, rw), x.m.branch))
			check(f.SetCellStr(sh, cell(3, rw), x.m.name))
			check(f.SetCellStr(sh, cell(4, rw), m.typ))
			check(f.SetCellStr(sh, cell(5, rw), fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())))
			check(f.SetCellStr(sh, cell(6, rw), st))
			if x.note != "" {
				check(f.SetCellStr(sh, cell(7, rw), x.note))
			}
		}
	}
	check(f.SetColWidth(sh, "B", "E", 14))
	fixedProps(f)
	save(f, "2022年3月考勤表.xlsx")
}

type test struct {
	name string
	date string // ISO
	full int    // 0: the 满分 cell is left blank (default 100)
}

// score is a number, a number stored as text ("t:88"), 缺考, 请假, or "" (no row).
var (
	tests = []test{
		{"党纪党规知识测试", "2022-03-30", 100},
		{"德廉知识测试", "2022-06-28", 100},
		{"党史知识测试", "2022-09-15", 0},
		{"党的二十大精神知识测试", "2022-11-10", 50},
	}
	scores = map[member][4]string{
		zhangWei: {"95", "88", "请假", "46"},
		wangFang: {"72", "请假", "85", "30"},
		liNa1:    {"58", "60", "75", "缺考"},
		liuYang:  {"98", "92", "90", "48"},
		chenJing: {"80", "91", "66", "40"},
		yangLei:  {"65", "55", "缺考", "20"}, // the last two after 转出 2022-06-30
		zhaoMin:  {"50", "", "89", "45"},   // the first before 入党 2022-07-01
		huangQ:   {"100", "94", "58", "44"},
		zhouTing: {"81", "73", "90", "35"},
		wuGang:   {"90", "85", "70", "45"},
		xuLi:     {"92", "缺考", "91", "42"},
		liNa2:    {"45", "59.5", "62", "缺考"},
		sunHao:   {"t:88", "90", "请假", "38"},
		heJun:    {"30", "77", "86", "28"}, // the first before 转入 2022-04-01
	}
	testNotes = map[member][4]string{
		yangLei: {"", "", "已转出", "已转出"},
		zhaoMin: {"入党积极分子", "", "", ""},
		heJun:   {"转入前原单位成绩", "", "", ""},
	}
)

func writeTestsXLSX() {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "测试成绩"
	check(f.SetSheetName("Sheet1", sh))
	header := []string{"序号", "姓名", "所在支部", "测试名称", "测试日期", "成绩", "满分", "备注"}
	for i, h := range header {
		check(f.SetCellStr(sh, cell(i+1, 1), h))
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // built-in date format
	check(err)
	n := 0
	for ti, tt := range tests {
		d := parseISO(tt.date)
		for _, m := range allOrder {
			s := scores[m][ti]
			if s == "" {
				continue
			}
			n++
			rw := n + 1
			check(f.SetCellValue(sh, cell(1, rw), n))
			check(f.SetCellStr(sh, cell(2, rw), m.name))
			check(f.SetCellStr(sh, cell(3, rw), m.branch))
			check(f.SetCellStr(sh, cell(4, rw), tt.name))
			check(f.SetCellValue(sh, cell(5, rw), d))
			check(f.SetCellStyle(sh, cell(5, rw), cell(5, rw), dateStyle))
			switch {
			case s == "缺考" || s == "请假":
				check(f.SetCellStr(sh, cell(6, rw), s))
			case strings.HasPrefix(s, "t:"):
				check(f.SetCellStr(sh, cell(6, rw), strings.TrimPrefix(s, "t:")))
			default:
				var v float64
				_, err := fmt.Sscan(s, &v)
				check(err)
				check(f.SetCellValue(sh, cell(6, rw), v))
			}
			if tt.full != 0 {
				check(f.SetCellValue(sh, cell(7, rw), tt.full))
			}
			if note := testNotes[m][ti]; note != "" {
				check(f.SetCellStr(sh, cell(8, rw), note))
			}
		}
	}
	check(f.SetColWidth(sh, "D", "E", 22))
	fixedProps(f)
	save(f, "2022年测试成绩.xlsx")
}

func main() {
	if _, err := os.Stat(outFolder); err != nil {
		log.Fatalf("run from the module root (want %s): %v", outFolder, err)
	}
	ms := meetings()
	writeMarchXLSX(ms)
	writeB1CSV(ms)
	writeB2CSV(ms)
	writeStudyCSV(studySessions())
	writeTestsXLSX()
}
