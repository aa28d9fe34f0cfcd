package export

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

func f(v float64) *float64 { return &v }

var (
	members = []engine.MemberResult{
		{ID: "A1", Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 96.5, Stars: 5, Grade: "优秀"},
		{ID: "A2", Name: "=HYPERLINK(\"x\")", Branch: "一支部", Category: "预备党员", Total: 60, Stars: 1, Grade: "不定等次（预备党员）"},
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
	p := filepath.Join(dir, "members.csv")
	if err := WriteMembersCSV(p, members, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want := "\ufeff党员编号,姓名,党支部,党员类别,总积分,星级,等次\r\nA1,张伟,一支部,正式党员,96.5,5,优秀\r\nA2,\"'=HYPERLINK(\"\"x\"\")\",一支部,预备党员,60,1,不定等次（预备党员）\r\n"
	if string(b) != want {
		t.Errorf("members.csv =\n%q\nwant\n%q", b, want)
	}
	p = filepath.Join(dir, "indicators.csv")
	if err := WriteIndicatorsCSV(p, inds); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p)
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
	p := filepath.Join(t.TempDir(), "附件.xlsx")
	ledger := []engine.Movement{
		{MemberID: "A1", Seq: 1, Category: "基础分", Rule: "基础分", Raw: 60, Points: 60, Source: "规则"},
		{MemberID: "A1", Seq: 2, Category: "出勤", Rule: "党课·出席", Date: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Raw: 1, Points: 0.5, Note: "达到出勤加分上限 30 分，只计 0.5 分", Source: "考勤.csv!2行"},
	}
	if err := WriteAppendix(p, Appendix{Year: 2022, PeriodKind: "year", Members: members, Indicators: inds, Ledger: ledger}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{SheetMembers, SheetCompliance, SheetTests, SheetPledges, SheetLedger, SheetIndicators}) {
		t.Errorf("sheets = %q", got)
	}
	rows, _ := x.GetRows(SheetMembers)
	want := [][]string{
		{"附件1　2022年度党员积分及星级评定表"},
		{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"},
		{"1", "A1", "张伟", "一支部", "正式党员", "96.5", "★★★★★", "优秀"},
		{"2", "A2", "=HYPERLINK(\"x\")", "一支部", "预备党员", "60", "★", "不定等次（预备党员）"},
		nil, {"填表人：　　　　　　审核人：　　　　　　填报日期：　　　年　　月　　日"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件1 =\n%q\nwant\n%q", rows, want)
	}
	mc, _ := x.GetMergeCells(SheetMembers)
	if len(mc) != 1 || mc[0].GetStartAxis() != "A1" || mc[0].GetEndAxis() != "H1" {
		t.Errorf("merged cells = %v, want the title A1:H1", mc)
	}
	if typ, _ := x.GetCellType(SheetMembers, "F3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("总积分 stored as %v, want a number", typ)
	}
	if f, _ := x.GetCellFormula(SheetMembers, "C4"); f != "" {
		t.Errorf("a name starting with = became a formula: %q", f)
	}
	rows, _ = x.GetRows(SheetIndicators)
	want = [][]string{
		{"附件6　2022年度支部指标汇总表"},
		{"指标", "一支部", "合计"},
		{"党员数", "2", "2"},
		{"出勤率", "93.8", "—"},
		nil, {"填表人：　　　　　　审核人：　　　　　　填报日期：　　　年　　月　　日"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件6 =\n%q\nwant\n%q", rows, want)
	}
	rows, _ = x.GetRows(SheetLedger)
	want = [][]string{
		{"附件5　2022年度党员积分明细"},
		{"党员编号", "姓名", "党支部", "序号", "周期", "日期", "类别", "规则", "原始分值", "计分", "说明", "来源"},
		{"A1", "张伟", "一支部", "1", "全年", "", "基础分", "基础分", "60", "60", "", "规则"},
		{"A1", "张伟", "一支部", "2", "全年", "2022-03-01", "出勤", "党课·出席", "1", "0.5", "达到出勤加分上限 30 分，只计 0.5 分", "考勤.csv!2行"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("附件5 =\n%q\nwant\n%q", rows, want)
	}
}
