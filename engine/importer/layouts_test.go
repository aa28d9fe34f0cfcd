package importer

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/internal/sharedtest"
	"github.com/jifen/jifen/rules"
)

// load reads a fixture against testdata/roster.csv and returns its records or errors.
func load(t *testing.T, c *rules.Config, path string) (*engine.Batch, []string, *File) {
	t.Helper()
	r := roster(t, c)
	f, err := Load(path, "", c)
	if err != nil {
		return nil, errStrings(t, err), nil
	}
	b, err := f.Parse(c, r)
	if err != nil {
		return nil, errStrings(t, err), f
	}
	return b, nil, f
}

func errStrings(t *testing.T, err error) []string {
	var fe *engine.FileErrors
	if !errors.As(err, &fe) {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range fe.Errs {
		out = append(out, e.Error())
	}
	return out
}

func att(id, activity string, d [3]int, status string, src engine.Source) engine.Attendance {
	return engine.Attendance{MemberID: id, Activity: activity, Date: day(d[0], d[1], d[2]), Status: status, Src: src}
}

func TestAttendanceLayouts(t *testing.T) {
	c := config(t)
	at := func(file, sheet string, row int) engine.Source {
		return engine.Source{File: file, Sheet: sheet, Row: row}
	}
	cases := []struct {
		file string
		want []engine.Attendance
	}{
		// Dates in the activity headers (3月2日支委会, 3.15 主题党日, 2022-03-25党课), the year from
		// the title 第一党支部2022年3月签到表; marks √ 迟 早退 假 ×; 王芳's blank D4: not expected.
		{"matrix_date_in_header.xlsx", []engine.Attendance{
			att("A01", "支委会", [3]int{2022, 3, 2}, "出席", at("matrix_date_in_header.xlsx", "Sheet1", 3)),
			att("A01", "主题党日", [3]int{2022, 3, 15}, "迟到", at("matrix_date_in_header.xlsx", "Sheet1", 3)),
			att("A01", "党课", [3]int{2022, 3, 25}, "早退", at("matrix_date_in_header.xlsx", "Sheet1", 3)),
			att("A02", "主题党日", [3]int{2022, 3, 15}, "请假", at("matrix_date_in_header.xlsx", "Sheet1", 4)),
			att("A02", "党课", [3]int{2022, 3, 25}, "缺席", at("matrix_date_in_header.xlsx", "Sheet1", 4)),
		}},
		// Activities in row 2 (支委会 merged over C:D), dates in row 3 (3月2日, an Excel date
		// 2022-03-30, 3月15日); 序号 and 姓名 merged down; no 所在支部 column: 李娜 is A04 “李 娜”.
		{"matrix_two_header_rows.xlsx", []engine.Attendance{
			att("A04", "支委会", [3]int{2022, 3, 2}, "出席", at("matrix_two_header_rows.xlsx", "3月", 4)),
			att("A04", "支委会", [3]int{2022, 3, 30}, "出席", at("matrix_two_header_rows.xlsx", "3月", 4)),
			att("A04", "主题党日", [3]int{2022, 3, 15}, "出席", at("matrix_two_header_rows.xlsx", "3月", 4)),
			att("A02", "支委会", [3]int{2022, 3, 2}, "缺席", at("matrix_two_header_rows.xlsx", "3月", 5)),
			att("A02", "主题党日", [3]int{2022, 3, 15}, "出席", at("matrix_two_header_rows.xlsx", "3月", 5)),
		}},
		// Only the title 第一党支部2022年3月主题党日签到表 names the activity and the month: the
		// date is the 1st of the month.
		{"title_date_long.xlsx", []engine.Attendance{
			att("A01", "主题党日", [3]int{2022, 3, 1}, "出席", at("title_date_long.xlsx", "Sheet1", 3)),
			att("A02", "主题党日", [3]int{2022, 3, 1}, "请假", at("title_date_long.xlsx", "Sheet1", 4)),
		}},
		// 4月8日 and 4.8 take the year from the file name.
		{"month_day_dates_2022.csv", []engine.Attendance{
			att("A01", "党课", [3]int{2022, 4, 8}, "出席", at("month_day_dates_2022.csv", "", 2)),
			att("A02", "党课", [3]int{2022, 4, 8}, "出席", at("month_day_dates_2022.csv", "", 3)),
		}},
		// 1904 date system: serial 43163 is 2022-03-05.
		{"date1904.xlsx", []engine.Attendance{
			att("A01", "党课", [3]int{2022, 3, 5}, "出席", at("date1904.xlsx", "Sheet1", 2)),
		}},
		// The hidden sheet 3月（旧） is skipped (see TestHiddenSheetReported).
		{"hidden_sheet.xlsx", []engine.Attendance{
			att("A01", "党课", [3]int{2022, 3, 25}, "出席", at("hidden_sheet.xlsx", "3月", 2)),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			b, errs, _ := load(t, c, "testdata/"+tc.file)
			if errs != nil {
				t.Fatalf("errors: %q", errs)
			}
			if !reflect.DeepEqual(b.Attendance, tc.want) {
				t.Errorf("records =\n%+v\nwant\n%+v", b.Attendance, tc.want)
			}
		})
	}
}

func TestHiddenSheetReported(t *testing.T) {
	_, _, f := load(t, config(t), "testdata/hidden_sheet.xlsx")
	if want := []string{"hidden_sheet.xlsx[3月（旧）]: 隐藏的工作表，已跳过"}; f == nil || !reflect.DeepEqual(f.Warnings, want) {
		t.Errorf("warnings = %q, want %q", f.Warnings, want)
	}
}

// Scores as text "85", full-width "８５" (满分 "１００"), "85分", and a formula =45*2 whose cached
// value 90 is read.
func TestNumbersAsText(t *testing.T) {
	b, errs, _ := load(t, config(t), "testdata/tests_numbers_as_text.xlsx")
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	var got []string
	for _, s := range b.Tests {
		got = append(got, s.MemberID+":"+strconvF(*s.Score)+"/"+strconvF(s.FullMark))
	}
	if want := []string{"A01:85/100", "A02:85/100", "A03:85/100", "A04:90/100"}; !reflect.DeepEqual(got, want) {
		t.Errorf("scores = %q, want %q", got, want)
	}
	_, errs, _ = load(t, config(t), "testdata/score_in_words.csv")
	if want := []string{"score_in_words.csv!D2: 成绩 “八十五” 应为数字，或 缺考、请假"}; !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %q, want %q", errs, want)
	}
}

func strconvF(v float64) string { return strings.TrimSuffix(strings.TrimRight(fmtF(v), "0"), ".") }

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// wideConfig is the default config with a layout for the wide-ledger fixtures, written as a
// unit would in config.yaml.
func wideConfig(t *testing.T) *rules.Config {
	text := strings.Replace(string(jifen.DefaultConfig), "  layouts: []", `  layouts:
    - name: 扣分台账
      files: ["wide_ledger_*"]
      sheets: [扣分台账]
      kind: 加扣分台账
      cells: count
      items:
        - {header: 不主动按时足额缴纳党费, category: 党费未按时缴纳}
        - {header: 通报批评, category: 通报批评}`, 1)
	c, err := rules.Parse("config.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wide_ledger_counts.xlsx: the title 扣分台账（2022年第1季度） dates every row at the quarter's
// end, 2022-03-31; counts 2 and 1 for 王芳 (A02), "1" (as text) and 0 (nothing) for 李娜 (A04).
// The headers state 每次扣0.5分 and 扣3分, as the rules do.
func TestWideLedger(t *testing.T) {
	c := wideConfig(t)
	b, errs, _ := load(t, c, "testdata/wide_ledger_counts.xlsx")
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "wide_ledger_counts.xlsx", Sheet: "扣分台账", Row: row}
	}
	dues := "1.不主动按时足额缴纳党费,每次扣0.5分。"
	criticism := "11.在工作中被本单位、本部门通报批评的,扣3分。"
	want := []engine.LedgerEntry{
		{MemberID: "A02", Date: day(2022, 3, 31), Category: "党费未按时缴纳", Note: dues, Count: 2, Src: src(3)},
		{MemberID: "A02", Date: day(2022, 3, 31), Category: "通报批评", Note: criticism, Count: 1, Src: src(3)},
		{MemberID: "A04", Date: day(2022, 3, 31), Category: "党费未按时缴纳", Note: dues, Count: 1, Src: src(4)},
	}
	if !reflect.DeepEqual(b.Ledger, want) {
		t.Errorf("entries =\n%+v\nwant\n%+v", b.Ledger, want)
	}
}

// The real templates of ../shared/real, read in place with the mappings of
// datasets/real/config.yaml.
func TestRealTemplates(t *testing.T) {
	real := sharedtest.Real(t) + "/"
	c, err := rules.LoadFile("../../datasets/real/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rf, err := Load("testdata/roster_trainees.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	if _, err := rf.Parse(c, r); err != nil {
		t.Fatal(err)
	}

	// The training-score templates as tests: 工号/学号 → 党员编号, 考试成绩 → 成绩; the test name
	// and date fixed by the layout. Rows 2–4 hold 90, 98, 98.
	for file, test := range map[string]string{"入党积极分子培训成绩模板.xlsx": "入党积极分子培训考试", "发展对象培训成绩模板.xlsx": "发展对象培训考试"} {
		f, err := Load(real+file, "", c)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		b, err := f.Parse(c, r)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var got []string
		for _, s := range b.Tests {
			got = append(got, s.MemberID+" "+s.Test+" "+s.Date.Format("2006-01-02")+" "+strconvF(*s.Score)+"/"+strconvF(s.FullMark)+" "+s.Src.String())
		}
		want := []string{
			"202007050101 " + test + " 2022-06-30 90/100 " + file + "[Sheet1]!2行",
			"202007050102 " + test + " 2022-06-30 98/100 " + file + "[Sheet1]!3行",
			"1074100123 " + test + " 2022-06-30 98/100 " + file + "[Sheet1]!4行",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: tests =\n%q\nwant\n%q", file, got, want)
		}
	}

	// The ledger template: 加分台账 and 扣分台账 as wide ledgers, every mapped column found and
	// every point stated in a header agreeing with the rules; the other sheets (a table of
	// standards, summaries) skipped. The template has no data rows.
	f, err := Load(real+"【产品研发部党支部】党员积分导出模版.xlsx", "", c)
	if err != nil {
		t.Fatal(err)
	}
	var items []int
	for _, s := range f.sheets {
		items = append(items, len(s.layout.items))
	}
	if want := []int{5, 13}; !reflect.DeepEqual(items, want) || !reflect.DeepEqual(f.Kinds(), []Kind{KindLedger, KindLedger}) {
		t.Errorf("sheets: kinds %v with %v items, want two ledgers with %v", f.Kinds(), items, want)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatalf("header points disagree with the rules: %v", err)
	}
	if b.Rows() != 0 {
		t.Errorf("%d records from an empty template", b.Rows())
	}
	// The two empty templates (积分总台账, 履职分台账: headers, no rows) skipped as no tables, the
	// two empty ledgers said to be only headers; the table of standards (党员”积分制“标准: a table,
	// not of records) ignored by the config's import.ignore, so no problem.
	if len(f.Warnings) != 4 || !strings.HasSuffix(f.Warnings[3], "[扣分台账]!2行: 只有表头，没有数据行") {
		t.Errorf("warnings = %q, want the 2 empty templates skipped and 2 header-only ledgers", f.Warnings)
	}
	if len(f.Problems()) != 0 {
		t.Errorf("problems = %q, want none (the table of standards is ignored by config)", f.Problems())
	}
}

// What a new user's files showed (see the note of the real-spreadsheets issue): sign-in columns
// and dates that would be lost or misread without a word are errors or warnings at their cell.
func TestSilentLossesReported(t *testing.T) {
	c := config(t)
	for _, tc := range []struct {
		file string
		errs []string
	}{
		{"matrix_unknown_activity_2022.csv", []string{
			"matrix_unknown_activity_2022.csv!B1: 这一列有签到标记，但表头 “11月5日主提党日” 中没有可识别的活动类型（可用：支部党员大会、支委会、党小组会、党课、主题党日、集中学习、组织生活会、交流研讨）"}},
		{"matrix_invalid_header_date_2022.csv", []string{
			"matrix_invalid_header_date_2022.csv!B1: 签到列 “10月32日党课” 的日期 “10月32日” 不是有效的日期（2022年没有 10月32日）"}},
		// 出勤状况 (misnamed_status.csv) holds 出勤 and is now read by containment (see
		// TestHeadersByContainment); 到会状态 holds no header word.
		{"unknown_status_header.csv", []string{
			"unknown_status_header.csv: 第 1 行像是表头，但无法判断这张表的用途：最接近考勤签到，还缺少列：出勤情况；没有认出的表头：E1 “到会状态”（列名可用的写法见 config.yaml 的 import.headers）"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, errs, _ := load(t, c, "testdata/"+tc.file)
			if !reflect.DeepEqual(errs, tc.errs) {
				t.Errorf("errors =\n%q\nwant\n%q", errs, tc.errs)
			}
		})
	}
	// 9.1 may be 9.10 stored as a number: imported as 9月1日, with a warning at the cell.
	b, errs, f := load(t, c, "testdata/dotted_dates_2022.csv")
	if errs != nil || len(b.Attendance) != 1 || !b.Attendance[0].Date.Equal(day(2022, 9, 1)) {
		t.Fatalf("records %+v, errors %q", b, errs)
	}
	want := []string{"dotted_dates_2022.csv!D2: 日期 “9.1” 可能是 “9.10” 被表格软件当作数字存掉了末尾的 0，请核对；写成 9月10日、2022-09-10 这样的格式就不会出错"}
	if !reflect.DeepEqual(f.Warnings, want) {
		t.Errorf("warnings = %q\nwant %q", f.Warnings, want)
	}
}

// A wide ledger whose header states the wrong points still gets its rows checked, so every
// error comes at once; a column no item maps, holding a value, is reported.
func TestWideLedgerAllErrors(t *testing.T) {
	c := wideConfig(t)
	r := roster(t, c)
	f, err := Load("testdata/wide_ledger_mismatch.xlsx", "", c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Parse(c, r)
	want := []string{
		"wide_ledger_mismatch.xlsx[扣分台账]!D2: 表头写明 扣1分，与规则中 “党费未按时缴纳” 的 -0.5 分不一致",
		"wide_ledger_mismatch.xlsx[扣分台账]!B5: 姓名 “王五” 不在党员名册中（相近的有：王芳）",
	}
	if got := errStrings(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%q\nwant\n%q", got, want)
	}
	wantWarn := []string{"wide_ledger_mismatch.xlsx[扣分台账]!F2: 这一列（4.党员集中学习时长全年累计不足32学时,扣1分。）有数值，但版式 “扣分台账” 没有映射它（import.layouts 的 items），已忽略"}
	if !reflect.DeepEqual(f.Warnings, wantWarn) {
		t.Errorf("warnings =\n%q\nwant\n%q", f.Warnings, wantWarn)
	}
}
