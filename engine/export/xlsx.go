package export

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

// Appendix sheet names.
const (
	SheetMembers    = "附件1 党员积分及星级评定表"
	SheetLedger     = "附件5 积分明细"
	SheetIndicators = "附件6 支部指标汇总"
)

// WriteAppendix writes 附件.xlsx: the members' points, stars and grades, and the branch
// indicators (one row per indicator, one column per branch and 合计), each sheet with a merged
// title row, a header row, borders, a frozen header and A4 page set-up. Numbers are stored as
// numbers.
func WriteAppendix(path string, year int, members []engine.MemberResult, inds []engine.Indicator, ledger []engine.Movement, periodKind string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}

	// 附件1
	if err := f.SetSheetName("Sheet1", SheetMembers); err != nil {
		return err
	}
	header := []string{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}
	rows := make([][]any, len(members))
	for i, m := range members {
		rows[i] = []any{i + 1, m.ID, m.Name, m.Branch, m.Category, m.Total, stars(m.Stars), m.Grade}
	}
	if err := writeTable(f, st, SheetMembers, fmt.Sprintf("%d年度党员积分及星级评定表", year), header, rows,
		[]float64{6, 12, 10, 18, 10, 9, 12, 22}); err != nil {
		return err
	}

	// 附件6
	if _, err := f.NewSheet(SheetIndicators); err != nil {
		return err
	}
	var branches, names []string
	vals := map[string]map[string]engine.Indicator{}
	for _, in := range inds {
		if vals[in.Branch] == nil {
			vals[in.Branch] = map[string]engine.Indicator{}
			branches = append(branches, in.Branch)
		}
		if _, seen := vals[branches[0]][in.Name]; !seen && in.Branch == branches[0] {
			names = append(names, in.Name)
		}
		vals[in.Branch][in.Name] = in
	}
	header = append([]string{"指标"}, branches...)
	rows = make([][]any, len(names))
	for i, n := range names {
		row := []any{n}
		for _, b := range branches {
			in, ok := vals[b][n]
			switch {
			case !ok || in.Value == nil:
				row = append(row, "—")
			default:
				row = append(row, *in.Value)
			}
		}
		rows[i] = row
	}
	widths := []float64{18}
	for range branches {
		widths = append(widths, 16)
	}
	if err := writeTable(f, st, SheetIndicators, fmt.Sprintf("%d年度支部指标汇总表", year), header, rows, widths); err != nil {
		return err
	}
	if err := writeLedger(f, st, year, members, ledger, periodKind); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("无法写入 %s：%v", path, err)
	}
	return nil
}

func stars(n int) string {
	if n <= 0 {
		return "无"
	}
	s := ""
	for i := 0; i < n; i++ {
		s += "★"
	}
	return s
}

type styles struct{ title, header, text, number int }

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	var s styles
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 16, Bold: true}, Alignment: center}); err != nil {
		return s, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{Font: font(11, true), Alignment: center, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{Font: font(11, false), Alignment: center, Border: border}); err != nil {
		return s, err
	}
	fmtNum := "0.##"
	if s.number, err = f.NewStyle(&excelize.Style{Font: font(11, false), Alignment: center, Border: border, CustomNumFmt: &fmtNum}); err != nil {
		return s, err
	}
	return s, nil
}

// writeTable writes a merged title in row 1, the header in row 2 and the rows below.
func writeTable(f *excelize.File, st styles, sheet, title string, header []string, rows [][]any, widths []float64) error {
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	f.SetCellStyle(sheet, "A1", last+"1", st.title)
	f.SetRowHeight(sheet, 1, 32)
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sheet, "A2", &hdr); err != nil {
		return err
	}
	f.SetCellStyle(sheet, "A2", last+"2", st.header)
	for i, r := range rows {
		cell := "A" + strconv.Itoa(i+3)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
		for j, v := range r {
			c, _ := excelize.CoordinatesToCellName(j+1, i+3)
			s := st.text
			switch v.(type) {
			case float64, int:
				s = st.number
			}
			f.SetCellStyle(sheet, c, c, s)
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, w)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	size := 9 // A4
	orient := "portrait"
	if len(header) > 8 {
		orient = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$2", Scope: sheet}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"})
}

// writeLedger writes 附件5 积分明细: every movement of every member, in the same terms as
// jifen explain, with the StreamWriter (a large unit's ledger has millions of rows).
func writeLedger(f *excelize.File, st styles, year int, members []engine.MemberResult, ledger []engine.Movement, periodKind string) error {
	if _, err := f.NewSheet(SheetLedger); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetLedger)
	if err != nil {
		return err
	}
	header := []string{"党员编号", "姓名", "党支部", "序号", "周期", "日期", "类别", "规则", "原始分值", "计分", "说明", "来源"}
	widths := []float64{12, 10, 18, 6, 9, 12, 12, 30, 9, 8, 36, 44}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: fmt.Sprintf("%d年度党员积分明细", year)}}, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last+"1"); err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A2", hdr); err != nil {
		return err
	}
	who := map[string]engine.MemberResult{}
	for _, m := range members {
		who[m.ID] = m
	}
	for i, x := range ledger {
		m := who[x.MemberID]
		date := ""
		if !x.Date.IsZero() {
			date = x.Date.Format("2006-01-02")
		}
		text := func(v string) excelize.Cell { return excelize.Cell{StyleID: st.text, Value: v} }
		num := func(v float64) excelize.Cell { return excelize.Cell{StyleID: st.number, Value: v} }
		row := []any{text(x.MemberID), text(m.Name), text(m.Branch), num(float64(x.Seq)), text(PeriodName(periodKind, x.Period)),
			text(date), text(x.Category), text(x.Rule), num(x.Raw), num(x.Points), text(x.Note), text(x.Source)}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	size, orient := 9, "landscape"
	if err := f.SetPageLayout(SheetLedger, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + SheetLedger + "'!$1:$2", Scope: SheetLedger}); err != nil {
		return err
	}
	return f.SetHeaderFooter(SheetLedger, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"})
}
