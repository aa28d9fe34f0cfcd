package export

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

func f(v float64) *float64 { return &v }

// SetLedgerLimit sets how many movements 附件5 lists line by line, for the tests of package
// export_test, and returns what puts it back.
func SetLedgerLimit(n int) (restore func()) {
	old := ledgerLimit
	ledgerLimit = n
	return func() { ledgerLimit = old }
}

// The parts of Write on their own, for BenchmarkExport (package export_test).
var (
	WriteMembersCSVAlone = writeMembersCSV // members.csv alone
	WriteAppendixAlone   = writeAppendix   // 附件.xlsx alone
	FastZip              = fastZip         // the workbook's ZIP writer
)

// WriteSheetAlone writes one table of 附件.xlsx (附件1, 附件4 or 附件5: SheetMembers, SheetPledges,
// SheetLedger) as writeAppendix writes it, alone in a workbook at path.
func WriteSheetAlone(path string, r Results, sheet string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := writeSheet(f, st, sheetOf(r, sheet)); err != nil {
		return err
	}
	f.SetZipWriter(fastZip)
	return create(path, func(w io.Writer) error { _, err := f.WriteTo(w); return err })
}

// SheetShape is the number of columns of a table of 附件.xlsx (as WriteSheetAlone), and whether it
// is summed (附件5 of a ledger longer than ledgerLimit).
func SheetShape(r Results, sheet string) (columns int, summed bool) {
	t := sheetOf(r, sheet)
	return len(t.header), t.note != ""
}

func sheetOf(r Results, sheet string) table {
	return map[string]func(Results) table{SheetMembers: membersTable, SheetPledges: pledgesTable, SheetLedger: ledger}[sheet](r)
}

// slice puts the rows of a slice, as a table of Results.
func slice[T any](xs []T) func(put func(T) error) error {
	return func(put func(T) error) error {
		for _, x := range xs {
			if err := put(x); err != nil {
				return err
			}
		}
		return nil
	}
}

var (
	members = []engine.MemberResult{
		{ID: "A1", Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 96.5, Stars: 5, Grade: "优秀"},
		{ID: "A2", Name: "=HYPERLINK(\"x\")", Branch: "一支部", Category: "预备党员", Total: 60, Stars: 1, Grade: "不定等次（预备党员）",
			Reason: "预备党员参加评议，不定等次"},
	}
	inds = []engine.Indicator{
		{Branch: "一支部", Name: "党员数", Value: f(2)},
		{Branch: "一支部", Name: "出勤率", Value: f(93.8), Decimals: 1},
		{Branch: "合计", Name: "党员数", Value: f(2)},
		{Branch: "合计", Name: "出勤率", Value: nil, Decimals: 1},
	}
)

func TestCSV(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Results{Year: 2022, Members: slice(members), Indicators: inds}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "members.csv"))
	want := "\ufeff党员编号,姓名,党支部,党员类别,总积分,星级,等次\r\nA1,张伟,一支部,正式党员,96.5,5,优秀\r\nA2,\"'=HYPERLINK(\"\"x\"\")\",一支部,预备党员,60,1,不定等次（预备党员）\r\n"
	if string(b) != want {
		t.Errorf("members.csv =\n%q\nwant\n%q", b, want)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "indicators.csv"))
	want = "\ufeff党支部,指标,数值\r\n一支部,党员数,2\r\n一支部,出勤率,93.8\r\n合计,党员数,2\r\n合计,出勤率,\r\n"
	if string(b) != want {
		t.Errorf("indicators.csv =\n%q\nwant\n%q", b, want)
	}
}

func TestFormatPoints(t *testing.T) {
	for v, want := range map[float64]string{60: "60", 72.5: "72.5", 61.25: "61.25", -3: "-3", 0.1 + 0.2: "0.3"} {
		if got := FormatPoints(v); got != want {
			t.Errorf("FormatPoints(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestAppendix(t *testing.T) {
	dir := t.TempDir()
	lines := []engine.LedgerLine{
		{Movement: engine.Movement{MemberID: "A1", Seq: 1, Category: "基础分", Rule: "基础分", Raw: 60, Points: 60, Source: "规则"}, Name: "张伟", Branch: "一支部"},
		{Movement: engine.Movement{MemberID: "A1", Seq: 2, Category: "出勤", Rule: "党课·出席", Date: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Raw: 1, Points: 0.5,
			Note: "达到出勤加分上限 30 分，只计 0.5 分", Source: "考勤.csv!2行"}, Name: "张伟", Branch: "一支部"},
	}
	_, err := Write(dir, Results{Year: 2022, PeriodKind: "year", Members: slice(members), Indicators: inds, Movements: len(lines), Ledger: slice(lines)})
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{SheetMembers, SheetCompliance, SheetTests, SheetPledges, SheetLedger, SheetIndicators}) {
		t.Errorf("sheets = %q", got)
	}
	// Every sheet: 附件N, the title, the 填报单位 line (no unit set, no date), the header, the
	// rows, a blank row and the line to sign.
	top := func(tag, title string) [][]string {
		return [][]string{{tag}, {title}, {"填报单位：（未设置单位名称，见 config.yaml 的 unit）　填报日期："}}
	}
	sign := []string{"填表人：　　　　　　审核人：　　　　　　"}
	rows, _ := x.GetRows(SheetMembers)
	want := append(top("附件1", "2022年度党员积分及星级评定表"),
		[]string{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次", "备注"},
		// A2 is a 预备党员 without a grade: the 备注 says why (her Reason, as the engine gives it).
		[]string{"1", "A1", "张伟", "一支部", "正式党员", "96.5", "★★★★★", "优秀"},
		[]string{"2", "A2", "=HYPERLINK(\"x\")", "一支部", "预备党员", "60", "★", "不定等次（预备党员）", "预备党员参加评议，不定等次"},
		nil, sign,
	)
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件1 =\n%q\nwant\n%q", rows, want)
	}
	mc, _ := x.GetMergeCells(SheetMembers)
	var merged []string
	for _, m := range mc {
		merged = append(merged, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if slices.Sort(merged); !reflect.DeepEqual(merged, []string{"A1:I1", "A2:I2", "A3:I3", "A8:I8"}) {
		t.Errorf("merged cells = %v, want 附件1, the title, the 填报单位 line and the line to sign", merged)
	}
	if typ, _ := x.GetCellType(SheetMembers, "F5"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("总积分 stored as %v, want a number", typ)
	}
	if f, _ := x.GetCellFormula(SheetMembers, "C6"); f != "" {
		t.Errorf("a name starting with = became a formula: %q", f)
	}
	// 附件6: the indicators in their sections (党员数 in 基本情况, 出勤率 in 三会一课, with its unit).
	rows, _ = x.GetRows(SheetIndicators)
	want = append(top("附件6", "2022年度支部指标汇总表"),
		[]string{"指标", "一支部", "合计"},
		[]string{"基本情况"},
		[]string{"党员数", "2", "2"},
		[]string{"三会一课"},
		[]string{"出勤率（%）", "93.8", "—"}, // no line to sign: 附件6 is signed with the report
	)
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件6 =\n%q\nwant\n%q", rows, want)
	}
	// The lines go to 积分明细.xlsx: title, note, header, a line per movement.
	d, err := excelize.OpenFile(filepath.Join(dir, "积分明细.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, _ = d.GetRows(SheetDetail)
	want = [][]string{
		{"党员编号", "姓名", "党支部", "序号", "日期", "类别", "规则", "原始分值", "计分", "说明", "来源"},
		{"A1", "张伟", "一支部", "1", "", "基础分", "基础分", "60", "60", "", "规则"},
		{"A1", "张伟", "一支部", "2", "2022-03-01", "出勤", "党课·出席", "1", "0.5", "达到出勤加分上限 30 分，只计 0.5 分", "考勤.csv!2行"},
	}
	if len(rows) != 5 || rows[0][0] != "2022年度党员积分明细" || !strings.HasPrefix(rows[1][0], "本表供查询，不属于打印的附件") || !reflect.DeepEqual(rows[2:], want) {
		t.Errorf("积分明细 =\n%q\nwant the title, the note and\n%q", rows, want)
	}
}

// small is a scored year of three members, by hand, as the store hands it on
// (engine/store's TestStream reads the same year from the database):
//
//	一支部 A1 张伟 (正式党员, 身份证号 110101199003071234): 基础分 60, 出勤 主题党日 +1 and 党课 +1,
//	  扣分 党费 −0.5, 不计分 组织生活会 0, 其他加分 志愿服务 +1: 6 movements, 62.5.
//	二支部 B1 李强: 基础分 60: 1 movement, 60.
//	一支部 A2 王芳 (预备党员, listed after B1 in the roster, but with her branch): 基础分 60, 出勤
//	  主题党日 缺席 −2: 2 movements, 58.
//
// 9 movements in all; roster order branch by branch: A1, A2, B1. The categories that gave
// points, by their first movement: 基础分 (1), 出勤 (2), 扣分 (4), 其他加分 (6); 不计分 gave
// nobody points. By quarter, A1 has 31 in the first quarter and 31.5 in the second, A2 58 in the
// first only, B1 none.
func small(kind string) Results {
	day := func(m, d int) time.Time { return time.Date(2022, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	line := func(id, name, branch string, seq int, cat, rule string, date time.Time, points float64, src string) engine.LedgerLine {
		return engine.LedgerLine{Movement: engine.Movement{MemberID: id, Seq: seq, Category: cat, Rule: rule, Date: date, Raw: points, Points: points, Source: src},
			Name: name, Branch: branch}
	}
	var none time.Time
	lines := []engine.LedgerLine{
		line("A1", "张伟", "一支部", 1, "基础分", "基础分", none, 60, "规则"),
		line("A1", "张伟", "一支部", 2, "出勤", "主题党日·出席", day(3, 15), 1, "考勤.csv!2行"),
		line("A1", "张伟", "一支部", 3, "出勤", "党课·出席", day(4, 20), 1, "考勤.csv!5行"),
		line("A1", "张伟", "一支部", 4, "扣分", "党费未按时缴纳", day(5, 31), -0.5, "台账.csv!2行"),
		line("A1", "张伟", "一支部", 5, "不计分", "组织生活会·出席", day(6, 30), 0, "考勤.csv!9行"),
		line("A1", "张伟", "一支部", 6, "其他加分", "志愿服务", day(7, 1), 1, "台账.csv!3行"),
		line("A2", "王芳", "一支部", 1, "基础分", "基础分", none, 60, "规则"),
		line("A2", "王芳", "一支部", 2, "出勤", "主题党日·缺席", day(3, 15), -2, "考勤.csv!3行"),
		line("B1", "李强", "二支部", 1, "基础分", "基础分", none, 60, "规则"),
	}
	return Results{Year: 2022, PeriodKind: kind,
		Indicators: []engine.Indicator{{Branch: "一支部", Name: "党员数", Value: f(2)}, {Branch: "二支部", Name: "党员数", Value: f(1)}, {Branch: "合计", Name: "党员数", Value: f(3)}},
		Members: slice([]engine.MemberResult{
			{ID: "A1", Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 62.5, Stars: 1, Grade: "基本合格", IDCard: "110101199003071234"},
			{ID: "A2", Name: "王芳", Branch: "一支部", Category: "预备党员", Total: 58, Grade: "不定等次（预备党员）"},
			{ID: "B1", Name: "李强", Branch: "二支部", Category: "正式党员", Total: 60, Stars: 1, Grade: "基本合格"},
		}),
		Personal: true,
		Pledges: slice([]engine.PledgeRow{
			{MemberID: "A1", Name: "张伟", Branch: "一支部", Has: true, Signed: true, Rating: "优秀"},
			{MemberID: "A2", Name: "王芳", Branch: "一支部", Has: true}, {MemberID: "B1", Name: "李强", Branch: "二支部"},
		}),
		Periods: func(n int, put func(engine.PeriodTotals) error) error {
			return slice([]engine.PeriodTotals{
				{MemberID: "A1", Name: "张伟", Branch: "一支部", Periods: []*float64{f(31), f(31.5), nil, nil}, Total: 62.5},
				{MemberID: "A2", Name: "王芳", Branch: "一支部", Periods: []*float64{f(58), nil, nil, nil}, Total: 58},
				{MemberID: "B1", Name: "李强", Branch: "二支部", Periods: make([]*float64, n), Total: 60},
			})(put)
		},
		Movements:        len(lines),
		LedgerCategories: []string{"基础分", "出勤", "扣分", "其他加分"},
		Ledger:           slice(lines),
		LedgerSums: func(cats []string, put func(engine.LedgerSum) error) error {
			return slice([]engine.LedgerSum{
				{MemberID: "A1", Name: "张伟", Branch: "一支部", Movements: 6, Categories: []*float64{f(60), f(2), f(-0.5), f(1)}, Total: 62.5},
				{MemberID: "A2", Name: "王芳", Branch: "一支部", Movements: 2, Categories: []*float64{f(60), f(-2), nil, nil}, Total: 58},
				{MemberID: "B1", Name: "李强", Branch: "二支部", Movements: 1, Categories: []*float64{f(60), nil, nil, nil}, Total: 60},
			})(put)
		},
	}
}

// Write lists every movement in 积分明细.xlsx while there are at most ledgerLimit (here all 9),
// in the order Ledger puts them (members in roster order), the header frozen, with filters
// (a table over the header and the lines), repeated on each printed page; a row as tall as its
// longest wrapped text.
func TestWriteLedgerBook(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(dir, small("year"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "members.csv"), filepath.Join(dir, "indicators.csv"), filepath.Join(dir, "附件.xlsx"), filepath.Join(dir, PublicityFile), filepath.Join(dir, "积分明细.xlsx")}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	b, _ := os.ReadFile(paths[0])
	if want := "\ufeff党员编号,姓名,党支部,党员类别,总积分,星级,等次\r\nA1,张伟,一支部,正式党员,62.5,1,基本合格\r\n" +
		"A2,王芳,一支部,预备党员,58,0,不定等次（预备党员）\r\nB1,李强,二支部,正式党员,60,1,基本合格\r\n"; string(b) != want {
		t.Errorf("members.csv =\n%q\nwant\n%q", b, want)
	}
	x, err := excelize.OpenFile(paths[2])
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(SheetMembers)
	if want := []string{"1", "A1", "张伟", "一支部", "正式党员", "62.5", "★", "基本合格", "110101********1234"}; !reflect.DeepEqual(rows[4], want) {
		t.Errorf("附件1 row 5 = %q, want %q (身份证号 masked)", rows[4], want)
	}
	d, err := excelize.OpenFile(filepath.Join(dir, "积分明细.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, _ = d.GetRows(SheetDetail)
	if len(rows) != 12 || rows[0][0] != "2022年度党员积分明细" || rows[2][0] != "党员编号" {
		t.Fatalf("积分明细 = %q, want the title, the note, the header and 9 movements", rows)
	}
	for i, id := range []string{"A1", "A1", "A1", "A1", "A1", "A1", "A2", "A2", "B1"} {
		if rows[i+3][0] != id {
			t.Errorf("积分明细 row %d is %q's, want %s's", i+4, rows[i+3][0], id)
		}
	}
	if want := []string{"A1", "张伟", "一支部", "4", "2022-05-31", "扣分", "党费未按时缴纳", "-0.5", "-0.5", "", "台账.csv!2行"}; !reflect.DeepEqual(rows[6], want) {
		t.Errorf("积分明细 row 7 = %q, want %q", rows[6], want)
	}
	if panes, _ := d.GetPanes(SheetDetail); !panes.Freeze || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, want frozen above A4 (title, note, header)", panes)
	}
	if tables, _ := d.GetTables(SheetDetail); len(tables) != 1 || tables[0].Range != "A3:K12" {
		t.Errorf("tables %+v, want one over A3:K12 (header and lines: filters)", tables)
	}
	found := false
	for _, n := range d.GetDefinedName() {
		found = found || n.Scope == SheetDetail && n.RefersTo == "'"+SheetDetail+"'!$3:$3"
	}
	if !found {
		t.Errorf("print titles %+v, want the header $3:$3", d.GetDefinedName())
	}
	// Row 8, 不计分 组织生活会·出席: 规则 “组织生活会·出席” is 15 wide in a column of 22, 来源
	// “考勤.csv!9行” 12 in 28: one line, 15 + 3 points. A 来源 of 60 characters (CJK, width 120)
	// in the 来源 column of 28 takes ⌈120 / 27⌉ = 5 lines: 78 points (lines).
	if h, _ := d.GetRowHeight(SheetDetail, 8); h != 18 {
		t.Errorf("row 8 height %v, want 18 (one line)", h)
	}
	if n := detailLines(strings.Repeat("来", 60), 28); n != 5 {
		t.Errorf("60 CJK characters in a column of 28: %d lines, want 5", n)
	}
}

// Past ledgerLimit movements (8 here; small has 9), 积分明细.xlsx lists none: its note says how
// many there are and where they are; 附件5 is the same.
func TestWriteLedgerBookPastLimit(t *testing.T) {
	defer SetLedgerLimit(8)()
	dir := t.TempDir()
	if _, err := Write(dir, small("year")); err != nil {
		t.Fatal(err)
	}
	d, err := excelize.OpenFile(filepath.Join(dir, "积分明细.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, _ := d.GetRows(SheetDetail)
	if len(rows) != 3 || !strings.HasPrefix(rows[1][0], "2022 年积分变动共 9 条，超过 8 条，本工作簿不逐条列出") {
		t.Errorf("积分明细 = %q, want the title, the note (9 movements, over 8) and the header", rows)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if rows, _ := x.GetRows(SheetLedger); len(rows) != 14 {
		t.Errorf("附件5 = %q, want the summary of TestLedgerSummary", rows)
	}
}

// 附件5 sums each member's movements by category, branch by branch in roster order: a heading
// row per branch (merged, a page break before all but the first), the members numbered within
// the branch, then 合计 and 平均. Worked by hand from small: the categories that gave points, by
// their first movement: 基础分 (1), 出勤 (2), 扣分 (4), 其他加分 (6); 不计分 gave nobody points and
// has no column.
//
//	一支部 A1 张伟: 基础分 60; 出勤 +1 +1 = 2; 扣分 −0.5; 其他加分 1; total 60 + 2 − 0.5 + 1 = 62.5
//	一支部 A2 王芳: 基础分 60; 出勤 −2; no 扣分 or 其他加分 (blank); total 58
//	  合计 (2 人): 120, 2 − 2 = 0, −0.5, 1, 62.5 + 58 = 120.5; 平均 (÷ 2): 60, 0, −0.25, 0.5, 60.25
//	二支部 B1 李强: 基础分 60; the rest blank; total 60; 合计 and 平均 (1 人): 60, 0, 0, 0, 60
func TestLedgerSummary(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, small("year")); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(SheetLedger)
	want := [][]string{
		{"附件5"}, {"2022年度党员积分分类汇总表"}, {"填报单位：（未设置单位名称，见 config.yaml 的 unit）　填报日期："},
		{"各类积分相加即总积分；每个支部另起一页，末尾为合计和人均。每一条积分变动及其来源见同一目录的 积分明细.xlsx，或用 jifen explain 姓名 查看。"},
		{"序号", "姓名", "基础分", "出勤", "扣分", "其他加分", "总积分"},
		{"一支部"},
		{"1", "张伟", "60", "2", "-0.5", "1", "62.5"},
		{"2", "王芳", "60", "-2", "", "", "58"},
		{"合计", "2 人", "120", "0", "-0.5", "1", "120.5"},
		{"平均", "", "60", "0", "-0.25", "0.5", "60.25"},
		{"二支部"},
		{"1", "李强", "60", "", "", "", "60"},
		{"合计", "1 人", "60", "0", "0", "0", "60"},
		{"平均", "", "60", "0", "0", "0", "60"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件5 =\n%q\nwant\n%q", rows, want)
	}
	if typ, _ := x.GetCellType(SheetLedger, "D7"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("出勤 stored as %v, want a number", typ)
	}
	mc, _ := x.GetMergeCells(SheetLedger)
	var merged []string
	for _, m := range mc {
		merged = append(merged, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if slices.Sort(merged); !reflect.DeepEqual(merged, []string{"A11:G11", "A1:G1", "A2:G2", "A3:G3", "A4:G4", "A6:G6"}) {
		t.Errorf("merged cells %q, want 附件5, the title, the 填报单位 line, the note and the branches' headings", merged)
	}
	if brk := pageBreaks(t, filepath.Join(dir, "附件.xlsx"), "xl/worksheets/sheet6.xml"); !reflect.DeepEqual(brk, []string{"10"}) {
		t.Errorf("page breaks after rows %q, want 10 (二支部, row 11, on a page of its own)", brk)
	}
	panes, _ := x.GetPanes(SheetLedger)
	if !panes.Freeze || panes.TopLeftCell != "A6" {
		t.Errorf("panes %+v, want frozen above A6 (附件5, title, 填报单位, note, header)", panes)
	}
	titles := x.GetDefinedName()
	found := false
	for _, d := range titles {
		found = found || d.Scope == SheetLedger && d.RefersTo == "'"+SheetLedger+"'!$5:$5"
	}
	if !found {
		t.Errorf("print titles of 附件5 %+v, want the header $5:$5", titles)
	}
}

// A period scheme's 附件5 says how its categories add up, and Write adds periods.csv: a column
// per quarter, blank where the member has no total.
func TestWriteLedgerSummedByQuarter(t *testing.T) {
	paths, err := Write(t.TempDir(), small("quarter"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 6 || filepath.Base(paths[2]) != "periods.csv" {
		t.Fatalf("paths = %q, want periods.csv third", paths)
	}
	b, _ := os.ReadFile(paths[2])
	if want := "\ufeff党员编号,姓名,党支部,第1季度,第2季度,第3季度,第4季度,年度总积分\r\nA1,张伟,一支部,31,31.5,,,62.5\r\n" +
		"A2,王芳,一支部,58,,,,58\r\nB1,李强,二支部,,,,,60\r\n"; string(b) != want {
		t.Errorf("periods.csv =\n%q\nwant\n%q", b, want)
	}
	x, err := excelize.OpenFile(paths[3])
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	note, _ := x.GetCellValue(SheetLedger, "A4")
	if want := "按季度计分：各类为全年各季度之和，总积分由各季度得分求出（见 periods.csv）。"; !strings.HasSuffix(note, want) {
		t.Errorf("note %q, want it to end %q", note, want)
	}
}

// A table whose rows fail stops Write: the error is returned, and the set written before stays
// whole, nothing of the new one beside it (not even the files written before the failure), no
// staging folder left.
func TestWriteStopsAtError(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, small("year")); err != nil {
		t.Fatal(err)
	}
	before := map[string]string{}
	for _, name := range []string{"members.csv", "indicators.csv", "附件.xlsx", PublicityFile, "积分明细.xlsx"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		before[name] = string(b)
	}
	boom := errors.New("boom")
	r := small("year")
	r.Members = slice([]engine.MemberResult{{ID: "Z9", Name: "赵九", Branch: "一支部", Total: 60}}) // another members.csv
	r.Pledges = func(put func(engine.PledgeRow) error) error { return boom }
	paths, err := Write(dir, r)
	if err != boom || len(paths) != 0 {
		t.Errorf("Write = %q, %v; want nothing, boom", paths, err)
	}
	names, _ := os.ReadDir(dir)
	if len(names) != 5 {
		t.Errorf("%d files in the folder, want the 5 of the set before: %v", len(names), names)
	}
	for name, text := range before {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != text {
			t.Errorf("%s changed by the failed export", name)
		}
	}
}

// A table longer than widthRows is written whole and in order, its column widths measured on its
// first widthRows rows (a longer text later wraps); a table wider than sameWidthColumns gives
// the columns after the first the widest of their widths.
func TestWriteSheetLongAndWide(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	n := widthRows + 5
	long := table{sheet: "长表", title: "长表", header: []string{"序号", "文字"}, rows: func(put func([]any, bool) error) error {
		row := make([]any, 2)
		for i := 1; i <= n; i++ {
			row[0], row[1] = i, "短"
			if i == n {
				row[1] = strings.Repeat("长", 20)
			}
			if err := put(row, false); err != nil {
				return err
			}
		}
		return nil
	}}
	header := []string{"指标"}
	for i := 1; i <= sameWidthColumns; i++ {
		header = append(header, "第"+strconv.Itoa(i)+"党支部") // the widest: 第100党支部, 11 + 4
	}
	wide := table{sheet: "宽表", title: "宽表", header: header, rows: func(put func([]any, bool) error) error { return nil }}
	for _, tb := range []table{long, wide} {
		if err := writeSheet(f, st, tb); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("长表")
	if len(rows) != n+6 || rows[4][0] != "1" || rows[n+3][0] != strconv.Itoa(n) || rows[n+3][1] != strings.Repeat("长", 20) {
		t.Errorf("长表 has %d rows, want 附件N, title, 填报单位, header, %d rows in order, blank, sign", len(rows), n)
	}
	// Widths in Excel's units: w half-width characters at 11 pt take w × 11/2/0.75/7 + 0.9 (a
	// digit or Latin letter counts 1.15, a 汉字 2), at least 4. 序号: "10005" (5 × 1.15 = 5.75)
	// → 6.92; 文字: the header (4; 短 is 2; the long text comes after widthRows) → 5.09.
	for col, want := range map[string]float64{"A": 6.92, "B": 5.09} {
		if w, _ := x.GetColWidth("长表", col); w != want {
			t.Errorf("长表 column %s width %v, want %v", col, w, want)
		}
	}
	// 宽表 is far wider than a landscape page: every column is narrowed to 4 (its text wraps)
	// but what cannot go below 4 without cutting a character: 指标 4 → 5.09; 第100党支部
	// (8 + 3 × 1.15 = 11.45, narrowed by whole characters to 4.45) → 5.56, the widest, given to
	// every column after the first.
	for col, want := range map[string]float64{"A": 5.09, "B": 5.56, "IW": 5.56} {
		if w, _ := x.GetColWidth("宽表", col); w != want {
			t.Errorf("宽表 column %s width %v, want %v", col, w, want)
		}
	}
}

// pageBreaks gives the rows after which part (a sheet's XML in the workbook at path) breaks the
// page.
func pageBreaks(t *testing.T, path, part string) []string {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(part)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	var ids []string
	for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllSubmatch(b, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// A table of more groups than Excel keeps page breaks (maxPageBreaks) breaks the page before
// the first maxPageBreaks groups after the first, and no more.
func TestGroupPageBreaksCapped(t *testing.T) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	n := maxPageBreaks + 5
	tb := table{sheet: "分组", title: "分组", header: []string{"序号", "姓名"}, noSign: true, rows: func(put func([]any, bool) error) error {
		for i := range n {
			if err := put(group("第"+strconv.Itoa(i+1)+"党支部", 2), false); err != nil {
				return err
			}
			if err := put([]any{1, "张三"}, false); err != nil {
				return err
			}
		}
		return nil
	}}
	if err := writeSheet(f, st, tb); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// 附件N, the title and the 填报单位 line in rows 1–3, the header in 4, then two rows a group:
	// group i (from 0) heads row 5 + 2i; the first break is before row 7 (after row 6), the last
	// before group maxPageBreaks (row 5 + 2·maxPageBreaks, after row 4 + 2·maxPageBreaks).
	brk := pageBreaks(t, p, "xl/worksheets/sheet2.xml")
	if len(brk) != maxPageBreaks || brk[0] != "6" || brk[len(brk)-1] != strconv.Itoa(4+2*maxPageBreaks) {
		t.Errorf("%d page breaks, first %s, last %s; want %d, 6, %d", len(brk), brk[0], brk[len(brk)-1], maxPageBreaks, 4+2*maxPageBreaks)
	}
}
