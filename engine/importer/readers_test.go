package importer

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine"
)

// The roster (testdata/roster.csv): A01 张伟 第一党支部, A02 王芳 第一党支部, A03 张伟 第二党支部,
// A04 李娜 第二党支部 (预备), A05 and A06 刘洋 第二党支部. A name with its branch is one member.

func f64(v float64) *float64 { return &v }

// readingOf is the reading of the file's only sheet.
func readingOf(t *testing.T, f *File) *Reading {
	t.Helper()
	if f == nil || len(f.Readings()) != 1 {
		t.Fatalf("readings of %v: want one", f)
	}
	return f.Readings()[0]
}

// column finds a reading's column by letter.
func column(cs []ColumnUse, col string) ColumnUse {
	for _, c := range cs {
		if c.Col == col {
			return c
		}
	}
	return ColumnUse{}
}

// An online exam export: the title names the exam (2022年党纪党规知识测试成绩导出 →
// 党纪党规知识测试), 所在组织 is the branch, 总分 50 the full mark, and the exam, taken on
// 11-20 (王芳), 11-21 (张伟 of 第二, a real date cell) and 11-22 (张伟 of 第一), is ONE test dated
// by its earliest 交卷时间, 2022-11-20. 李娜 缺考 has no 交卷时间 and takes the exam's date.
// So: 王芳 45/50 (90% — it used to read as 45 of 100), 张伟(一) 29/50, 张伟(二) 30/50, 李娜 缺考.
func TestExamExportTotalIsFullMark(t *testing.T) {
	c := config(t)
	b, errs, f := load(t, c, "testdata/exam_export_total_is_full_mark.xlsx")
	if errs != nil {
		t.Fatal(errs)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "exam_export_total_is_full_mark.xlsx", Sheet: "Sheet1", Row: row}
	}
	const exam = "党纪党规知识测试"
	d := day(2022, 11, 20)
	want := []engine.TestScore{
		{MemberID: "A02", Test: exam, Date: d, Score: f64(45), FullMark: 50, Src: src(3)},
		{MemberID: "A01", Test: exam, Date: d, Score: f64(29), FullMark: 50, Src: src(4)},
		{MemberID: "A03", Test: exam, Date: d, Score: f64(30), FullMark: 50, Src: src(5)},
		{MemberID: "A04", Test: exam, Date: d, FullMark: 50, Status: "缺考", Src: src(6)},
	}
	if !reflect.DeepEqual(b.Tests, want) {
		t.Errorf("tests =\n%+v\nwant\n%+v", b.Tests, want)
	}
	rd := readingOf(t, f)
	if rd.Kind != "测试" || rd.Fixed["测试名称"] != exam {
		t.Errorf("reading: kind %q, fixed %v; want 测试 named %s (from the title)", rd.Kind, rd.Fixed, exam)
	}
	for col, field := range map[string]string{"C": "所在支部", "E": "成绩", "F": "总分（满分）", "G": "交卷时间"} {
		if got := column(rd.Columns, col); got.Field != field || got.By != "表头" {
			t.Errorf("column %s = %+v, want %s by 表头", col, got, field)
		}
	}
	// 手机号 is a field of rosters, not read in a test sheet: unused, and ignored by the default
	// import.ignore (phone numbers outside rosters); 用时 is no field.
	if u := column(rd.Unused, "D"); u.Header != "手机号" || !u.Ignored {
		t.Errorf("unused = %+v, want D 手机号 (not read by tests, ignored by config) among them", rd.Unused)
	}
	if u := column(rd.Unused, "H"); u.Header != "用时" {
		t.Errorf("unused = %+v, want H 用时 among them", rd.Unused)
	}
	// 手机号 never appears unmasked: not in the reading (JSON), the warnings or a summary.
	js, _ := json.Marshal(f.Readings())
	all := string(js) + strings.Join(f.Warnings, "\n") + rd.Summary() + rd.ColumnsLine()
	for _, phone := range []string{"13800138000", "13900139000", "13700137000", "13600136000"} {
		if strings.Contains(all, phone) {
			t.Errorf("phone %s printed: %s", phone, all)
		}
	}
}

// A wrong 交卷时间 is an error at its cell; an exam export with no title, sheet or file naming an
// exam says what is missing.
func TestExamExportErrors(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	for _, tc := range []struct{ text, want string }{
		{"2022年党史知识测试\n姓名,所在组织,得分,总分,交卷时间\n王芳,第一党支部,45,50,2022-11-31 10:00:00\n",
			"x.csv!E3: 交卷时间 “2022-11-31 10:00:00” 不是有效的日期（2022年没有 11月31日）"},
		{"姓名,所在组织,得分,总分,交卷时间\n王芳,第一党支部,45,50,2022-11-20 10:00:00\n",
			"x.csv!1行: 看起来是测试成绩，但表头缺少：测试名称"},
	} {
		path := t.TempDir() + "/x.csv"
		writeFile(t, path, tc.text)
		f, err := Load(path, "", c)
		if err == nil {
			_, err = f.Parse(c, r)
		}
		if got := errStrings(t, err); len(got) != 1 || got[0] != tc.want {
			t.Errorf("errors = %q, want %q", got, tc.want)
		}
	}
}

// A ledger as offices keep it (title 2022年党员加扣分台账):
//
//	row 3 王芳 2022.3.5 表彰 等级或说明 市厅级 → level 市厅级; 分值 6 = rule 6; 事由 kept.
//	row 4 张伟(一) 3月8日 (year 2022 from the title) 志愿服务 “社区防疫志愿服务” → no level (志愿服务
//	  has none): the text goes to the note, before 备注 “共2小时”; 分值 1 = rule 1 × 1.
//	row 5 张伟(二) 表彰 省部级; 分值 6 ≠ rule 8 → warning at G5, the record keeps no points.
//	row 6 李娜 通报批评; 分值 3 = the −3 deduction written as its size: no warning.
//	row 7 王芳 党费未按时缴纳 “9月党费”; 分值 −1 ≠ rule −0.5 → warning at G7; 备注 “已补缴” kept too.
//
// No record stores points: the rules decide.
func TestLedgerLevelOrNote(t *testing.T) {
	c := config(t)
	b, errs, f := load(t, c, "testdata/ledger_level_or_note.xlsx")
	if errs != nil {
		t.Fatal(errs)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "ledger_level_or_note.xlsx", Sheet: "Sheet1", Row: row}
	}
	want := []engine.LedgerEntry{
		{MemberID: "A02", Date: day(2022, 3, 5), Category: "表彰", Level: "市厅级", Note: "市直机关优秀党务工作者", Count: 1, Src: src(3)},
		{MemberID: "A01", Date: day(2022, 3, 8), Category: "志愿服务", Note: "社区防疫志愿服务；共2小时", Count: 1, Src: src(4)},
		{MemberID: "A03", Date: day(2022, 5, 4), Category: "表彰", Level: "省部级", Note: "省级优秀共产党员", Count: 1, Src: src(5)},
		{MemberID: "A04", Date: day(2022, 9, 1), Category: "通报批评", Note: "无故缺席三次", Count: 1, Src: src(6)},
		{MemberID: "A02", Date: day(2022, 10, 10), Category: "党费未按时缴纳", Note: "9月党费；已补缴", Count: 1, Src: src(7)},
	}
	if !reflect.DeepEqual(b.Ledger, want) {
		t.Errorf("ledger =\n%+v\nwant\n%+v", b.Ledger, want)
	}
	wantWarn := []string{
		"ledger_level_or_note.xlsx[Sheet1]!G5: 分值 6 与规则不一致：规则给 “表彰·省部级” 这一行 8 分（以规则为准）",
		"ledger_level_or_note.xlsx[Sheet1]!G7: 分值 -1 与规则不一致：规则给 “党费未按时缴纳” 这一行 -0.5 分（以规则为准）",
	}
	if !reflect.DeepEqual(f.Warnings, wantWarn) {
		t.Errorf("warnings =\n%q\nwant\n%q", f.Warnings, wantWarn)
	}
	// A 表彰 row whose 等级或说明 is not a level is an error at the cell.
	r := roster(t, c)
	path := t.TempDir() + "/台账2022.csv"
	writeFile(t, path, "姓名,所在支部,日期,类别,等级或说明\n王芳,第一党支部,2022-03-05,表彰,优秀党务工作者\n")
	lf, err := Load(path, "", c)
	if err == nil {
		_, err = lf.Parse(c, r)
	}
	if got := errStrings(t, err); len(got) != 1 || got[0] != "台账2022.csv!E2: 等级或说明 “优秀党务工作者” 不是级别：表彰行的这一列应填级别（可用：国家级、省部级、市厅级、县处级、本单位）" {
		t.Errorf("errors = %q", got)
	}
}

// Dates 2022.3.5 and 3月5日 (the year from the title line 2022年第一党支部加扣分台账) are both
// 2022-03-05; 事由 and 备注 are both kept in the note.
func TestLedgerDottedAndMonthDayDates(t *testing.T) {
	c := config(t)
	b, errs, _ := load(t, c, "testdata/ledger_dotted_and_month_day_dates.csv")
	if errs != nil {
		t.Fatal(errs)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "ledger_dotted_and_month_day_dates.csv", Row: row}
	}
	want := []engine.LedgerEntry{
		{MemberID: "A02", Date: day(2022, 3, 5), Category: "志愿服务", Note: "社区服务；半天", Count: 1, Src: src(3)},
		{MemberID: "A01", Date: day(2022, 3, 5), Category: "心得体会", Note: "学习二十大精神心得", Count: 1, Src: src(4)},
	}
	if !reflect.DeepEqual(b.Ledger, want) {
		t.Errorf("ledger =\n%+v\nwant\n%+v", b.Ledger, want)
	}
}

// 承诺书签订情况 holds 承诺书签订 (signed) and 践诺评定 holds 践诺 (rating): read by containment,
// where the exact words used to leave every member 0 for 践诺. 签到时间 holds 签到 (出勤情况) and
// 时间 (日期), equally long: not matched, and the reading says why.
// 王芳 已签订 优秀; 张伟(一) 已签订 良好; 李娜 (written 李 娜) 未签订, not rated.
func TestHeadersByContainment(t *testing.T) {
	c := config(t)
	b, errs, f := load(t, c, "testdata/headers_by_containment.csv")
	if errs != nil {
		t.Fatal(errs)
	}
	src := func(row int) engine.Source { return engine.Source{File: "headers_by_containment.csv", Row: row} }
	want := []engine.Pledge{
		{MemberID: "A02", Year: 2022, Signed: true, Rating: "优秀", Src: src(2)},
		{MemberID: "A01", Year: 2022, Signed: true, Rating: "良好", Src: src(3)},
		{MemberID: "A04", Year: 2022, Signed: false, Src: src(4)},
	}
	if !reflect.DeepEqual(b.Pledges, want) {
		t.Errorf("pledges =\n%+v\nwant\n%+v", b.Pledges, want)
	}
	rd := readingOf(t, f)
	if d, e := column(rd.Columns, "D"), column(rd.Columns, "E"); d.Field != "是否签订承诺书" || e.Field != "践诺评价" || d.By != "表头" {
		t.Errorf("columns = %+v", rd.Columns)
	}
	u := column(rd.Unused, "F")
	if u.Header != "签到时间" || !strings.Contains(u.Why, "“签到”（出勤情况）") || !strings.Contains(u.Why, "“时间”（日期）") {
		t.Errorf("unused F = %+v, want 签到时间 with why naming 签到 and 时间", u)
	}
}

// The rules of matching one header (headers.go).
func TestMatchLabel(t *testing.T) {
	c := config(t)
	for _, tc := range []struct {
		label, field string
		exact, doubt bool
	}{
		{"姓名", "name", true, false},
		{"所在组织", "branch", true, false},
		{"交卷时间", "submit_time", true, false},
		{"等级或说明", "level_or_note", true, false},    // exact wins over 等级 and 说明
		{"承诺书签订情况", "signed", false, false},        // 承诺书签订 (5) over 承诺书 (3)
		{"践诺评定", "rating", false, false},           // 践诺
		{"出勤状况", "status", false, false},           // 出勤
		{"考试得分（分）", "score", false, false},         // 考试得分 (4) over 考试 and 得分 (2)
		{"签到时间", "", false, true},                  // 签到 and 时间: ambiguous
		{"签名", "signature", true, false},           // the sign-in sheet's signature column (signin.go)
		{"主题党日活动", "", false, false},               // an activity: a matrix column, not 活动
		{"3月2日支委会", "", false, false},              // a date and an activity
		{"志愿服务次数", "", false, false},               // a ledger category: a wide ledger's item, not 次数
		{"本年度参加各类集中学习的时间合计（小时）", "", false, false}, // longer than 16: a sentence
	} {
		m := matchLabel(tc.label, c)
		if m.field != tc.field || m.exact != tc.exact || (m.doubt != "") != tc.doubt {
			t.Errorf("%s → %+v, want field %q exact %v doubt %v", tc.label, m, tc.field, tc.exact, tc.doubt)
		}
	}
}

// A column whose header names nothing is given its role by its values: 年终评定 holds only
// 优秀/良好 (and a blank): the 践诺 rating, 按内容.
func TestRatingByValues(t *testing.T) {
	c := config(t)
	b, errs, f := load(t, c, "testdata/rating_by_values.csv")
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, p := range b.Pledges {
		got = append(got, p.MemberID+" "+p.Rating)
	}
	if want := []string{"A02 优秀", "A01 良好", "A04 "}; !reflect.DeepEqual(got, want) {
		t.Errorf("ratings = %q, want %q", got, want)
	}
	rd := readingOf(t, f)
	if e := column(rd.Columns, "E"); e.Field != "践诺评价" || e.By != "内容" || !strings.Contains(rd.ColumnsLine(), "E 践诺评价（按内容，表头 “年终评定”）") {
		t.Errorf("column E = %+v; line %s", e, rd.ColumnsLine())
	}
}

// 层次 holds 市厅级 on the 表彰 row and text on the 志愿服务 row: the level-or-note, 按内容.
func TestLedgerLevelByValues(t *testing.T) {
	c := config(t)
	b, errs, f := load(t, c, "testdata/ledger_level_by_values.csv")
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, e := range b.Ledger {
		got = append(got, e.MemberID+" "+e.Category+" "+e.Level+" "+e.Note)
	}
	if want := []string{"A02 表彰 市厅级 ", "A01 志愿服务  社区服务"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ledger = %q, want %q", got, want)
	}
	if e := column(readingOf(t, f).Columns, "E"); e.Field != "等级或说明" || e.By != "内容" {
		t.Errorf("column E = %+v", e)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
