package importer

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

func config(t *testing.T) *rules.Config {
	t.Helper()
	c, err := rules.Parse("config.yaml", jifen.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roster loads testdata/roster.csv: A01 张伟 and A02 王芳 of 第一党支部; A03 张伟, A04 李 娜,
// A05 and A06 刘洋 of 第二党支部.
func roster(t *testing.T, c *rules.Config) *Roster {
	t.Helper()
	f, err := Load("testdata/roster.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Members) != 6 {
		t.Fatalf("roster: %d members, want 6", len(b.Members))
	}
	return r
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestRosterFields(t *testing.T) {
	c := config(t)
	f, err := Load("testdata/roster.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, NewRoster(nil))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]engine.Member{}
	for _, m := range b.Members {
		byID[m.ID] = m
	}
	a04 := byID["A04"]
	want := engine.Member{ID: "A04", Name: "李娜", Branch: "第二党支部", Group: "第一党小组", Category: "预备党员",
		JoinDate: day(2022, 6, 1), Src: engine.Source{File: "roster.csv", Row: 5}}
	if !reflect.DeepEqual(a04, want) {
		t.Errorf("A04 = %+v\nwant %+v", a04, want)
	}
	a05 := byID["A05"]
	if a05.Position != "支部委员" || !a05.TransferIn.Equal(day(2022, 4, 1)) || !a05.JoinDate.Equal(day(2015, 1, 1)) {
		t.Errorf("A05 = %+v, want 支部委员, 转入 2022-04-01", a05)
	}
	a03 := byID["A03"]
	if !a03.JoinDate.Equal(day(2012, 5, 4)) {
		t.Errorf("A03 入党时间 = %v, want 2012-05-04 (from 2012年5月4日)", a03.JoinDate)
	}
}

// title_row_merged.xlsx (see testdata/gen): the header sits in row 2 under a merged title, its
// cells hold a line break and a full-width space; dates are an Excel date, 2022/3/15 and
// 2022年3月15日; √ means 出席 and 假 请假; “王　芳” is 王芳.
func TestTitleRowMerged(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/title_row_merged.xlsx", "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatal(err)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "title_row_merged.xlsx", Sheet: "3月", Row: row}
	}
	want := []engine.Attendance{
		{MemberID: "A01", Activity: "支委会", Date: day(2022, 3, 2), Status: "出席", Src: src(3)},
		{MemberID: "A02", Activity: "主题党日", Date: day(2022, 3, 15), Status: "请假", Src: src(4)},
		{MemberID: "A01", Activity: "主题党日", Date: day(2022, 3, 15), Status: "迟到", Src: src(5)},
	}
	if !reflect.DeepEqual(b.Attendance, want) {
		t.Errorf("records =\n%+v\nwant\n%+v", b.Attendance, want)
	}
}

// libreoffice_title_row_merged.xls: title_row_merged.xlsx saved as .xls (BIFF8) by LibreOffice
// (soffice --headless --convert-to xls): the same records.
func TestLibreOfficeXLS(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/libreoffice_title_row_merged.xls", "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatal(err)
	}
	src := func(row int) engine.Source {
		return engine.Source{File: "libreoffice_title_row_merged.xls", Sheet: "3月", Row: row}
	}
	want := []engine.Attendance{
		{MemberID: "A01", Activity: "支委会", Date: day(2022, 3, 2), Status: "出席", Src: src(3)},
		{MemberID: "A02", Activity: "主题党日", Date: day(2022, 3, 15), Status: "请假", Src: src(4)},
		{MemberID: "A01", Activity: "主题党日", Date: day(2022, 3, 15), Status: "迟到", Src: src(5)},
	}
	if !reflect.DeepEqual(b.Attendance, want) {
		t.Errorf("records =\n%+v\nwant\n%+v", b.Attendance, want)
	}
}

// gb18030.csv: GB18030 bytes without BOM, read without garbling; 李娜 matches roster's “李 娜”.
func TestGB18030CSV(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/gb18030.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.Attendance{{MemberID: "A04", Activity: "党课", Date: day(2022, 3, 25), Status: "缺席",
		Src: engine.Source{File: "gb18030.csv", Row: 2}}}
	if !reflect.DeepEqual(b.Attendance, want) {
		t.Errorf("records = %+v, want %+v", b.Attendance, want)
	}
}

// bad_cells.csv: every row has one problem; the file is rejected and every error named at once.
func TestErrorsNameTheCell(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/bad_cells.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Parse(c, r)
	var fe *engine.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *engine.FileErrors", err)
	}
	want := []string{
		"bad_cells.csv!F2: 出勤情况 “到会了” 无法识别（可用：出席、请假、缺席、迟到、早退）",
		"bad_cells.csv!B3: 姓名 “王五” 不在党员名册中（相近的有：王芳）", // 王五→王芳: one character apart
		"bad_cells.csv!B4: 姓名 “刘洋” 在所在支部 “第二党支部” 中有 2 人（党员编号 A05、A06），请填写党员编号或身份证号",
		"bad_cells.csv!D5: 活动类型 “主题党会” 无法识别（可用：支部党员大会、支委会、党小组会、党课、主题党日、集中学习、组织生活会、交流研讨）",
		"bad_cells.csv!E6: 活动日期 “2022-02-30” 不是有效的日期（2022年没有 2月30日）",
		"bad_cells.csv!A7: 党员编号 “A09” 不在党员名册中",
		"bad_cells.csv!C8: 所在支部 “第二党支部” 与名册不一致（A02 王芳 在名册中属于 “第一党支部”）",
		// a name of the roster in another branch: where it is, every branch of it
		"bad_cells.csv!B9: 姓名 “张伟” 不在所在支部 “第三党支部” 的名册中（名册中有 2 个 张伟，属于 “第一党支部”、“第二党支部”）",
		"bad_cells.csv!B10: 姓名 “刘洋” 不在所在支部 “第一党支部” 的名册中（名册中有 2 个 刘洋，属于 “第二党支部”）",
		"bad_cells.csv!B11: 姓名 “王芳” 不在所在支部 “第二党支部” 的名册中（名册中 王芳 属于 “第一党支部”）",
	}
	var got []string
	for _, e := range fe.Errs {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%q\nwant\n%q", got, want)
	}
	if r.Len() != 6 {
		t.Errorf("roster changed by a rejected file: %d members", r.Len())
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in       string
		date1904 bool
		want     time.Time
	}{
		{"44625", false, day(2022, 3, 5)},      // Excel 1900 serial
		{"44625.75", false, day(2022, 3, 5)},   // with a time of day
		{"43163", true, day(2022, 3, 5)},       // 1904 system: 1462 days fewer
		{"2022-03-05", false, day(2022, 3, 5)}, // ISO
		{"2022/3/5", false, day(2022, 3, 5)},
		{"2022.3.5", false, day(2022, 3, 5)},
		{"2022年3月5日", false, day(2022, 3, 5)},
		{"2022-03-05 14:30:00", false, day(2022, 3, 5)},
		{"２０２２年３月５日", false, day(2022, 3, 5)}, // full-width digits
	}
	for _, tc := range cases {
		got, err := parseDate(tc.in, tc.date1904, 0)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseDate(%q, %v) = %v, %v; want %v", tc.in, tc.date1904, got, err, tc.want)
		}
	}
	for _, bad := range []string{"三月五日", "2022-13-01", "", "abc",
		"2022.11", // a year.month typed as a number: serial 2022.11 would be 1905-07-14
		"3月5日",    // no year, and none given
	} {
		if _, err := parseDate(bad, false, 0); err == nil {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
	if _, err := parseDate("3月5日", false, 0); err == nil || err.Error() != "没有年份，标题、工作表名、文件名和所在目录名中也没有（请写完整日期，如 2022年3月5日）" {
		t.Errorf("parseDate(3月5日) without a year: %v", err) // the year may come from the directory too (README)
	}
	if got, err := parseDate("3月5日", false, 2022); err != nil || !got.Equal(day(2022, 3, 5)) {
		t.Errorf("parseDate(3月5日, year 2022) = %v, %v", got, err)
	}
	// Excel's 1900 system counts a phantom 1900-02-29 as day 60.
	if got := excelSerial(59, false); !got.Equal(day(1900, 2, 28)) {
		t.Errorf("serial 59 = %v", got)
	}
	if got := excelSerial(61, false); !got.Equal(day(1900, 3, 1)) {
		t.Errorf("serial 61 = %v", got)
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{"85": 85, " 85.5 ": 85.5, "８５": 85, "85分": 85} {
		if got, err := parseNumber(in); err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseNumber("八十五"); err == nil {
		t.Error("parseNumber(八十五) accepted")
	}
}

// A text file with no header jifen knows (here, Go source) has no sheet of records: it is
// skipped with a warning, not imported.
func TestUnrecognisedFile(t *testing.T) {
	f, err := Load(filepath.Join("testdata", "gen", "main.go"), "", config(t))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Empty() || len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0], "没有党员记录表") {
		t.Errorf("empty %v, warnings %q", f.Empty(), f.Warnings)
	}
}

// transfer_out_before_join.csv: B01 转出 2023.04 (to 30 April) before 入党 2023年5月 (from 1 May),
// B02 转出 2023-03-31 before 转入 2023-06-01: no day on the roll, refused at the 转出时间 cell
// (column I); B03 joins and leaves in May 2023 (1–31 May): kept.
func TestTransferOutBeforeJoin(t *testing.T) {
	c := config(t)
	f, err := Load("testdata/transfer_out_before_join.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Parse(c, NewRoster(nil))
	var fe *engine.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *engine.FileErrors", err)
	}
	var got []string
	for _, e := range fe.Errs {
		got = append(got, e.Error())
	}
	want := []string{
		"transfer_out_before_join.csv!I2: 转出时间 “2023.04” 早于入党时间 “2023年5月”：请核对这两个日期",
		"transfer_out_before_join.csv!I3: 转出时间 “2023-03-31” 早于转入时间 “2023-06-01”：请核对这两个日期（转出后又转回的，转出时间留空）",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%q\nwant\n%q", got, want)
	}
}

// A sheet's year may come from the folders it is in, whatever the folder jifen runs in: 考勤.csv
// in 2022台账/3月 given as 考勤.csv from inside that folder reads its 3月5日 as 2022-03-05,
// as it does given as 2022台账/3月/考勤.csv from above or by its absolute path.
func TestYearFromFolders(t *testing.T) {
	c := config(t)
	r := roster(t, c) // before leaving the package's folder
	dir := filepath.Join(t.TempDir(), "2022台账", "3月")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "考勤.csv")
	if err := os.WriteFile(file, []byte("党员编号,姓名,所在支部,活动类型,活动日期,出勤情况\nA01,张伟,第一党支部,党课,3月5日,出席\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(path, name string) {
		t.Helper()
		f, err := Load(path, name, c)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Parse(c, r)
		if err != nil || len(b.Attendance) != 1 || !b.Attendance[0].Date.Equal(day(2022, 3, 5)) {
			t.Errorf("%s: %v, %+v; want one sign-in on 2022-03-05", path, err, b)
		}
	}
	check(file, "") // absolute path: the name is 考勤.csv
	t.Chdir(filepath.Dir(filepath.Dir(dir)))
	check(filepath.Join("2022台账", "3月", "考勤.csv"), "2022台账/3月/考勤.csv")
	t.Chdir(dir)
	check("考勤.csv", "考勤.csv")
}
