package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// Appendix sheet names (附件 of the annual report).
const (
	SheetMembers    = "附件1 党员积分及星级评定表"
	SheetCompliance = "附件2 支部三会一课开展情况统计表"
	SheetTests      = "附件3 测试情况统计表"
	SheetPledges    = "附件4 承诺践诺情况表"
	SheetLedger     = "附件5 积分明细"
	SheetIndicators = "附件6 支部指标汇总"
	SheetChart      = "附件6 图 星级分布"
)

// Appendix is what 附件.xlsx shows.
type Appendix struct {
	Year       int
	PeriodKind string // year, quarter or month: how the ledger's periods are named
	Members    []engine.MemberResult
	Indicators []engine.Indicator // the year's, branch by branch, 合计 last
	Compliance []engine.Compliance
	Tests      []engine.TestStat
	Pledges    []engine.PledgeRow
	Ledger     []engine.Movement
	Ranking    []engine.BranchRank
	Weights    []engine.Weight
	// Unmask shows 身份证号 and 手机号 in full; by default they are masked (110101********1234).
	Unmask bool
}

// perName names a norm's period in Chinese.
var perName = map[string]string{"month": "月", "quarter": "季度", "year": "年"}

// WriteAppendix writes 附件.xlsx, one sheet per appendix, each print-ready: a merged title row,
// a styled header row repeated on every printed page, borders, Chinese fonts (宋体, 黑体),
// column widths that fit the Chinese text, a frozen header, A4 paper, page numbers in the footer,
// numbers stored as numbers, shortfalls highlighted; and a chart of members per star per branch.
// Every sheet is written with excelize's StreamWriter, so memory stays bounded for a large
// unit's ledger. Text cells that begin like a formula are stored as text (never a formula).
func WriteAppendix(path string, a Appendix) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	y := strconv.Itoa(a.Year)

	// 附件1; the roster's 身份证号 and 手机号, when it has them, masked unless Unmask.
	personal := false
	for _, m := range a.Members {
		personal = personal || m.IDCard != "" || m.Phone != ""
	}
	mask := privacy.Mask
	if a.Unmask {
		mask = func(s string) string { return s }
	}
	rows := make([][]any, len(a.Members))
	header := []string{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}
	if personal {
		header = append(header, "身份证号", "手机号")
	}
	for i, m := range a.Members {
		rows[i] = []any{i + 1, mask(m.ID), m.Name, m.Branch, m.Category, m.Total, stars(m.Stars), m.Grade}
		if personal {
			rows[i] = append(rows[i], mask(m.IDCard), mask(m.Phone))
		}
	}
	if err := writeSheet(f, st, table{sheet: SheetMembers, title: y + "年度党员积分及星级评定表", header: header, rows: rows}); err != nil {
		return err
	}

	// 附件2
	rows = nil
	var short []bool
	for _, c := range a.Compliance {
		met := "是"
		if !c.Met() {
			met = "否"
		}
		rows = append(rows, []any{c.Branch, c.Activity, fmt.Sprintf("每%s %d 次", perName[c.Per], c.Times), c.Required, c.Held, met, c.Short})
		short = append(short, !c.Met())
	}
	if err := writeSheet(f, st, table{sheet: SheetCompliance, title: y + "年度支部“三会一课”开展情况统计表",
		header: []string{"党支部", "活动", "规定", "应开次数", "实开次数", "是否达标", "未达到规定的月份或季度"}, rows: rows, highlight: short}); err != nil {
		return err
	}

	// 附件3
	rows = nil
	for _, t := range a.Tests {
		var rate any = "—"
		if t.Taken > 0 {
			rate = percent(t.Passed, t.Taken)
		}
		rows = append(rows, []any{t.Test, t.Date.Format("2006-01-02"), t.Branch, t.Taken, t.Passed, rate, t.Absent, t.Excused})
	}
	if err := writeSheet(f, st, table{sheet: SheetTests, title: y + "年度测试情况统计表",
		header: []string{"测试名称", "测试日期", "党支部", "参考人次", "及格人次", "及格率（%）", "缺考", "请假"}, rows: rows}); err != nil {
		return err
	}

	// 附件4
	rows = nil
	var unsigned []bool
	for i, p := range a.Pledges {
		signed := "否"
		if p.Signed {
			signed = "是"
		}
		if !p.Has {
			signed = "未交"
		}
		rows = append(rows, []any{i + 1, mask(p.MemberID), p.Name, p.Branch, signed, p.Rating})
		unsigned = append(unsigned, !p.Signed)
	}
	if err := writeSheet(f, st, table{sheet: SheetPledges, title: y + "年度党员承诺践诺情况表",
		header: []string{"序号", "党员编号", "姓名", "党支部", "签订承诺书", "践诺评价"}, rows: rows, highlight: unsigned}); err != nil {
		return err
	}

	// 附件5
	who := map[string]engine.MemberResult{}
	for _, m := range a.Members {
		who[m.ID] = m
	}
	rows = make([][]any, len(a.Ledger))
	for i, x := range a.Ledger {
		m := who[x.MemberID]
		date := ""
		if !x.Date.IsZero() {
			date = x.Date.Format("2006-01-02")
		}
		rows[i] = []any{mask(x.MemberID), m.Name, m.Branch, x.Seq, PeriodName(a.PeriodKind, x.Period), date, x.Category, x.Rule, x.Raw, x.Points, privacy.MaskText(x.Note), x.Source}
	}
	if err := writeSheet(f, st, table{sheet: SheetLedger, title: y + "年度党员积分明细", landscape: true, noSign: true,
		header: []string{"党员编号", "姓名", "党支部", "序号", "周期", "日期", "类别", "规则", "原始分值", "计分", "说明", "来源"}, rows: rows}); err != nil {
		return err
	}

	// 附件6: indicators by branch, then the ranking and its weights, and the star chart.
	var branches, names []string
	vals := map[string]map[string]engine.Indicator{}
	for _, in := range a.Indicators {
		if vals[in.Branch] == nil {
			vals[in.Branch] = map[string]engine.Indicator{}
			branches = append(branches, in.Branch)
		}
		if in.Branch == branches[0] {
			names = append(names, in.Name)
		}
		vals[in.Branch][in.Name] = in
	}
	rows = nil
	for _, n := range names {
		row := []any{n}
		for _, b := range branches {
			if in, ok := vals[b][n]; ok && in.Value != nil {
				row = append(row, *in.Value)
			} else {
				row = append(row, "—")
			}
		}
		rows = append(rows, row)
	}
	if len(a.Ranking) > 0 {
		rank := map[string]engine.BranchRank{}
		for _, r := range a.Ranking {
			rank[r.Branch] = r
		}
		row, row2 := []any{"综合指数（熵权法）"}, []any{"综合排名"}
		for _, b := range branches {
			if r, ok := rank[b]; ok {
				row, row2 = append(row, round4(r.Score)), append(row2, r.Rank)
			} else {
				row, row2 = append(row, "—"), append(row2, "—")
			}
		}
		rows = append(rows, row, row2)
		for _, w := range a.Weights {
			row := []any{"权重：" + w.Name, round4(w.Weight)}
			for range branches[1:] {
				row = append(row, "")
			}
			rows = append(rows, row)
		}
	}
	header = append([]string{"指标"}, branches...)
	if err := writeSheet(f, st, table{sheet: SheetIndicators, title: y + "年度支部指标汇总表", header: header, rows: rows, landscape: len(header) > 8}); err != nil {
		return err
	}
	if err := starChart(f, names, branches); err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return create(path, func(w io.Writer) error { _, err := f.WriteTo(w); return err })
}

// percent is a/b in percent with one decimal, rounded half up, exactly: (2000a + b) div 2b.
func percent(a, b int) float64 { return float64((2000*a+b)/(2*b)) / 10 }

func round4(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 4, 64), 64)
	return r
}

// starChart adds, on a sheet after 附件6, a clustered column chart of members per star level
// per branch (the rows 五星党员数 … 无星党员数 of 附件6; 合计 left out).
func starChart(f *excelize.File, names, branches []string) error {
	labels := []string{"五星党员数", "四星党员数", "三星党员数", "二星党员数", "一星党员数", "无星党员数"}
	var series []excelize.ChartSeries
	last := len(branches)
	if last > 0 && branches[last-1] == engine.UnitTotal {
		last--
	}
	if last == 0 {
		return nil
	}
	endCol, _ := excelize.ColumnNumberToName(last + 1)
	for _, l := range labels {
		for i, n := range names {
			if n == l {
				row := strconv.Itoa(i + 3)
				series = append(series, excelize.ChartSeries{
					Name:       "'" + SheetIndicators + "'!$A$" + row,
					Categories: "'" + SheetIndicators + "'!$B$2:$" + endCol + "$2",
					Values:     "'" + SheetIndicators + "'!$B$" + row + ":$" + endCol + "$" + row,
				})
			}
		}
	}
	if len(series) == 0 {
		return nil
	}
	// On a sheet of its own: a chart added to a streamed sheet is not placed on it.
	if _, err := f.NewSheet(SheetChart); err != nil {
		return err
	}
	return f.AddChart(SheetChart, "A1", &excelize.Chart{
		Type:      excelize.Col,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各支部星级党员人数"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360},
	})
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

type styles struct{ title, header, text, number, textHi, numberHi int }

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := func(bold bool) *excelize.Font { return &excelize.Font{Family: "宋体", Size: 11, Bold: bold} }
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	numFmt := "0.##"
	var s styles
	var err error
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 16, Bold: true}, Alignment: center}},
		{&s.header, &excelize.Style{Font: font(true), Alignment: center, Border: border, Fill: fill("D9E1F2")}},
		{&s.text, &excelize.Style{Font: font(false), Alignment: center, Border: border}},
		{&s.number, &excelize.Style{Font: font(false), Alignment: center, Border: border, CustomNumFmt: &numFmt}},
		{&s.textHi, &excelize.Style{Font: font(false), Alignment: center, Border: border, Fill: fill("FCE4D6")}},
		{&s.numberHi, &excelize.Style{Font: font(false), Alignment: center, Border: border, CustomNumFmt: &numFmt, Fill: fill("FCE4D6")}},
	} {
		if *x.id, err = f.NewStyle(x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// table is one appendix sheet: title, header, rows (string or number cells), rows to highlight.
type table struct {
	sheet, title string
	noSign       bool // no 填表人/审核人 line under the table
	header       []string
	rows         [][]any
	highlight    []bool
	landscape    bool
}

// width is the display width of text: CJK characters count two.
func width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w++
		} else {
			w += 2
		}
	}
	return w
}

// writeSheet writes a table with the StreamWriter: title merged over the columns in row 1,
// header in row 2 (frozen, repeated on each printed page), column widths from the longest text
// (CJK counted double, capped at 60), A4 set-up and page numbers.
func writeSheet(f *excelize.File, st styles, t table) error {
	if _, err := f.NewSheet(t.sheet); err != nil {
		return err
	}
	// Page set-up first: the StreamWriter writes the sheet's settings when it is created.
	size, orient := 9, "portrait" // 9: A4
	if t.landscape || len(t.header) > 8 {
		orient = "landscape"
	}
	// Fit the columns to the page width; as many pages down as needed.
	fitWidth, fitHeight, yes := 1, 0, true
	if err := f.SetSheetProps(t.sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if err := f.SetPageLayout(t.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitWidth, FitToHeight: &fitHeight}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(t.sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return err
	}
	widths := make([]float64, len(t.header))
	for i, h := range t.header {
		widths[i] = width(h) + 4
	}
	for _, r := range t.rows {
		for i, v := range r {
			if i >= len(widths) {
				break
			}
			w := 8.0
			if s, ok := v.(string); ok {
				w = width(s) + 3
			}
			if w > widths[i] {
				widths[i] = w
			}
		}
	}
	for i, w := range widths {
		if w > 60 {
			w = 60
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(t.header))
	title := t.title
	if n := strings.Index(t.sheet, " "); n > 0 {
		title = t.sheet[:n] + "　" + title // 附件1　2022年度…
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last+"1"); err != nil {
		return err
	}
	hdr := make([]any, len(t.header))
	for i, h := range t.header {
		hdr[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A2", hdr); err != nil {
		return err
	}
	for i, r := range t.rows {
		hi := i < len(t.highlight) && t.highlight[i]
		cells := make([]any, len(r))
		for j, v := range r {
			style := st.text
			switch v.(type) {
			case int, int64, float64:
				style = st.number
				if hi {
					style = st.numberHi
				}
			default:
				if hi {
					style = st.textHi
				}
			}
			cells[j] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if !t.noSign {
		cell, _ := excelize.CoordinatesToCellName(1, len(t.rows)+4)
		if err := sw.SetRow(cell, []any{"填表人：　　　　　　审核人：　　　　　　填报日期：　　　年　　月　　日"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + t.sheet + "'!$1:$2", Scope: t.sheet})
}
