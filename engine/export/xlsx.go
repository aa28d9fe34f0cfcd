package export

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	kflate "github.com/klauspost/compress/flate"
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
	SheetLedger     = "附件5 党员积分分类汇总表"
	SheetIndicators = "附件6 支部指标汇总"
	SheetChart      = "附件6 图 星级分布"
)

// perName names a norm's period in Chinese.
var perName = map[string]string{"month": "月", "quarter": "季度", "year": "年"}

// masker masks 身份证号 and 手机号 (privacy.Mask), or leaves them whole when unmask.
func masker(unmask bool) func(string) string {
	if unmask {
		return func(s string) string { return s }
	}
	return privacy.Mask
}

// writeAppendix writes 附件.xlsx, one sheet per appendix, each print-ready: a merged title row,
// a styled header row repeated on every printed page, borders, Chinese fonts (宋体, 黑体),
// column widths that fit the Chinese text, a frozen header, A4 paper, page numbers in the footer,
// numbers stored as numbers, shortfalls highlighted; and a chart of members per star per branch.
// Every sheet is written with excelize's StreamWriter as its rows come: rows are not kept in
// memory (but a table's first widthRows, to measure the column widths). Text cells that begin
// like a formula are stored as text (never a formula).
func writeAppendix(path string, r Results) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	// 附件1 replaces excelize's Sheet1 before any sheet is streamed: deleting a sheet (and
	// selecting the active one) reads every other sheet back, a streamed one from its XML.
	if _, err := f.NewSheet(SheetMembers); err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	y := strconv.Itoa(r.Year)
	// Every sheet opens with the note of what the figures leave out, if anything (r.Excluded):
	// the first thing a reader of the printed 附件 sees.
	writeSheet := func(f *excelize.File, st styles, t table) error {
		if r.Excluded != "" {
			t.note = strings.TrimSpace(r.Excluded + "\n" + t.note)
		}
		return writeSheet(f, st, t)
	}
	if err := writeSheet(f, st, membersTable(r)); err != nil {
		return err
	}

	// 附件2
	if err := writeSheet(f, st, table{sheet: SheetCompliance, title: y + "年度支部“三会一课”开展情况统计表",
		header: []string{"党支部", "活动", "规定", "应开次数", "实开次数", "是否达标", "未达到规定的月份或季度"},
		rows: func(put func([]any, bool) error) error {
			for _, c := range r.Compliance {
				met := "是"
				if !c.Met() {
					met = "否"
				}
				if err := put([]any{c.Branch, c.Activity, fmt.Sprintf("每%s %d 次", perName[c.Per], c.Times), c.Required, c.Held, met, c.Short}, !c.Met()); err != nil {
					return err
				}
			}
			return nil
		}}); err != nil {
		return err
	}

	// 附件3
	if err := writeSheet(f, st, table{sheet: SheetTests, title: y + "年度测试情况统计表",
		header: []string{"测试名称", "测试日期", "党支部", "参考人次", "及格人次", "及格率（%）", "缺考", "请假"},
		rows: func(put func([]any, bool) error) error {
			for _, t := range r.Tests {
				var rate any = "—"
				if t.Taken > 0 {
					rate = percent(t.Passed, t.Taken)
				}
				if err := put([]any{t.Test, t.Date.Format("2006-01-02"), t.Branch, t.Taken, t.Passed, rate, t.Absent, t.Excused}, false); err != nil {
					return err
				}
			}
			return nil
		}}); err != nil {
		return err
	}

	if err := writeSheet(f, st, pledgesTable(r)); err != nil {
		return err
	}
	if err := writeSheet(f, st, ledger(r)); err != nil {
		return err
	}

	// 附件6: indicators by branch, then the ranking and its weights, and the star chart.
	var branches, names []string
	vals := map[string]map[string]engine.Indicator{}
	for _, in := range r.Indicators {
		if vals[in.Branch] == nil {
			vals[in.Branch] = map[string]engine.Indicator{}
			branches = append(branches, in.Branch)
		}
		if in.Branch == branches[0] {
			names = append(names, in.Name)
		}
		vals[in.Branch][in.Name] = in
	}
	var rows [][]any
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
	if len(r.Ranking) > 0 {
		rank := map[string]engine.BranchRank{}
		for _, b := range r.Ranking {
			rank[b.Branch] = b
		}
		row, row2 := []any{"综合指数（熵权法）"}, []any{"综合排名"}
		for _, b := range branches {
			if k, ok := rank[b]; ok {
				row, row2 = append(row, round4(k.Score)), append(row2, k.Rank)
			} else {
				row, row2 = append(row, "—"), append(row2, "—")
			}
		}
		rows = append(rows, row, row2)
		for _, w := range r.Weights {
			row := []any{"权重：" + w.Name, round4(w.Weight)}
			for range branches[1:] {
				row = append(row, "")
			}
			rows = append(rows, row)
		}
	}
	header := append([]string{"指标"}, branches...)
	if err := writeSheet(f, st, table{sheet: SheetIndicators, title: y + "年度支部指标汇总表", header: header, landscape: len(header) > 8,
		rows: func(put func([]any, bool) error) error {
			for _, row := range rows {
				if err := put(row, false); err != nil {
					return err
				}
			}
			return nil
		}}); err != nil {
		return err
	}
	if err := starChart(f, names, branches); err != nil {
		return err
	}
	f.SetZipWriter(fastZip)
	return create(path, func(w io.Writer) error { return writeSorted(f, w, filepath.Dir(path)) })
}

// fastZip is the workbook's ZIP writer, deflating with github.com/klauspost/compress/flate: about
// 7 times as fast as Go's compress/flate at its default level, for files about a tenth larger
// (the appendix of a large unit is hundreds of MB of sheet XML).
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return kflate.NewWriter(out, kflate.DefaultCompression)
	})
	return zw
}

// membersTable is 附件1: each member's total, stars and grade, numbered in roster order; with
// the roster's 身份证号 and 手机号 when it has them (r.Personal), masked unless r.Unmask.
func membersTable(r Results) table {
	header := []string{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}
	if r.Personal {
		header = append(header, "身份证号", "手机号")
	}
	mask := masker(r.Unmask)
	return table{sheet: SheetMembers, title: strconv.Itoa(r.Year) + "年度党员积分及星级评定表", header: header,
		rows: func(put func([]any, bool) error) error {
			row, i := make([]any, len(header)), 0
			return stream(r.Members, func(m engine.MemberResult) error {
				i++
				row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = i, mask(m.ID), m.Name, m.Branch, m.Category, m.Total, stars(m.Stars), m.Grade
				if r.Personal {
					row[8], row[9] = mask(m.IDCard), mask(m.Phone)
				}
				return put(row, false)
			})
		}}
}

// pledgesTable is 附件4: each member's 承诺书 and 践诺 rating, numbered in roster order; the
// members who did not sign highlighted.
func pledgesTable(r Results) table {
	mask := masker(r.Unmask)
	return table{sheet: SheetPledges, title: strconv.Itoa(r.Year) + "年度党员承诺践诺情况表",
		header: []string{"序号", "党员编号", "姓名", "党支部", "签订承诺书", "践诺评价"},
		rows: func(put func([]any, bool) error) error {
			row, i := make([]any, 6), 0
			return stream(r.Pledges, func(p engine.PledgeRow) error {
				i++
				signed := "否"
				if p.Signed {
					signed = "是"
				}
				if !p.Has {
					signed = "未交"
				}
				row[0], row[1], row[2], row[3], row[4], row[5] = i, mask(p.MemberID), p.Name, p.Branch, signed, p.Rating
				return put(row, !p.Signed)
			})
		}}
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

type styles struct {
	title, header, text, number, textHi, numberHi int
	group, strongText, strongNumber               int // a group's heading row, and cells of a 合计 row (groups.go)
}

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
		{&s.group, &excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 12, Bold: true}, Border: border,
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}},
		{&s.strongText, &excelize.Style{Font: font(true), Alignment: center, Border: border}},
		{&s.strongNumber, &excelize.Style{Font: font(true), Alignment: center, Border: border, CustomNumFmt: &numFmt}},
	} {
		if *x.id, err = f.NewStyle(x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// table is one appendix sheet: title, an optional note under it, header, and its rows (string
// or number cells), streamed: rows calls put once per row, in order, saying whether to highlight
// it, and may reuse the row's slice once put returns.
type table struct {
	sheet, title string
	note         string // a line between the title and the header ("" for none)
	noSign       bool   // no 填表人/审核人 line under the table
	header       []string
	rows         func(put func(row []any, highlight bool) error) error
	landscape    bool
	// wrapHeader: the header's cells wrap on two lines (a column as wide as half its header
	// needs, at least), the header row twice as tall (附件5's categories).
	wrapHeader bool
	// rowHeight is the height of the rows in points (0: the spreadsheet's default, 15 in
	// LibreOffice): 14.25, Excel's for 11 pt 宋体, fits a branch of 23 members on one page of 附件5.
	rowHeight float64
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

// widthRows is how many rows of a table its column widths are measured on. The widths come
// before the rows in the sheet, so a streamed table's first rows are held back until the widths
// are known; the rows of a longer table after these wrap within the widths they set.
const widthRows = 10000

// sameWidthColumns is the most columns a table sets one by one. In a wider table (附件6 of a unit
// with hundreds of branches, a column each) the columns after the first share the widest width.
const sameWidthColumns = 256

// writeSheet writes a table with the StreamWriter: title merged over the columns in row 1, the
// note (if any) merged in row 2, then the header (frozen, repeated on each printed page), column
// widths from the longest text of the first widthRows rows (CJK counted double, capped at 60),
// A4 set-up and page numbers. A table longer than Excel's sheet is an error.
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
	w := &sheetWriter{f: f, sw: sw, st: st, t: &t}
	if err := t.rows(w.put); err != nil {
		return err
	}
	if !w.started {
		if err := w.start(); err != nil {
			return err
		}
	}
	if !t.noSign {
		cell, _ := excelize.CoordinatesToCellName(1, w.row+2)
		if err := sw.SetRow(cell, []any{"填表人：　　　　　　审核人：　　　　　　填报日期：　　　年　　月　　日"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + t.sheet + "'!$1:$" + strconv.Itoa(w.headerRow()), Scope: t.sheet})
}

// sheetWriter streams a table's rows into a sheet: the first widthRows rows are held until the
// column widths are set (start), the rest written as they come. Each row's cells go through
// one reused slice of cells.
type sheetWriter struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	st      styles
	t       *table
	held    [][]any
	heldHi  []bool
	started bool
	row     int // the last row written
	breaks  int // page breaks inserted (groups.go)
	cells   []excelize.Cell
	vals    []any // pointers to cells
}

// headerRow is the row of the header: under the title, and under the note if there is one.
func (w *sheetWriter) headerRow() int {
	if w.t.note != "" {
		return 3
	}
	return 2
}

func (w *sheetWriter) put(r []any, hi bool) error {
	if !w.started {
		if len(w.held) < widthRows {
			w.held, w.heldHi = append(w.held, slices.Clone(r)), append(w.heldHi, hi)
			return nil
		}
		if err := w.start(); err != nil {
			return err
		}
	}
	return w.write(r, hi)
}

// start sets the column widths from the header and the rows held, writes the title, the note,
// the header and the rows held.
func (w *sheetWriter) start() error {
	t, sw := w.t, w.sw
	widths := make([]float64, len(t.header))
	for i, h := range t.header {
		widths[i] = width(h) + 4
		if t.wrapHeader {
			widths[i] = math.Ceil(width(h)/4)*2 + 3
		}
	}
	for _, r := range w.held {
		for i, v := range r {
			if i >= len(widths) {
				break
			}
			n := 8.0
			if s, ok := v.(string); ok {
				n = width(s) + 3
			}
			widths[i] = max(widths[i], n)
		}
	}
	if t.wrapHeader {
		// A header that nearly fits on one line gets its line: the header row stays one line
		// tall unless a header is much wider than its column's values.
		for i, h := range t.header {
			if width(h)+2 <= widths[i]+2 {
				widths[i] = max(widths[i], width(h)+2)
			}
		}
	}
	if len(widths) > sameWidthColumns {
		// One call for all but the first column, then the first: excelize's SetColWidth takes
		// time that grows with the cube of the columns set one by one.
		if err := sw.SetColWidth(2, len(widths), min(slices.Max(widths[1:]), 60)); err != nil {
			return err
		}
		widths = widths[:1]
	}
	for i, n := range widths {
		if err := sw.SetColWidth(i+1, i+1, min(n, 60)); err != nil {
			return err
		}
	}
	top := w.headerRow() + 1
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: top - 1, TopLeftCell: "A" + strconv.Itoa(top), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(t.header))
	title := t.title
	if n := strings.Index(t.sheet, " "); n > 0 {
		title = t.sheet[:n] + "　" + title // 附件1　2022年度…
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: w.st.title, Value: title}}, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last+"1"); err != nil {
		return err
	}
	if t.note != "" {
		note, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}})
		if err != nil {
			return err
		}
		// Tall enough for the note wrapped at about 60 characters a line (Excel's rows go to 409).
		height := min(409, max(48, 16*(1+utf8.RuneCountInString(t.note)/60+strings.Count(t.note, "\n"))))
		if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: note, Value: t.note}}, excelize.RowOpts{Height: float64(height)}); err != nil {
			return err
		}
		if err := sw.MergeCell("A2", last+"2"); err != nil {
			return err
		}
	}
	hdr := make([]any, len(t.header))
	for i, h := range t.header {
		hdr[i] = excelize.Cell{StyleID: w.st.header, Value: h}
	}
	w.row = w.headerRow()
	var opts []excelize.RowOpts
	for i, h := range t.header {
		if t.wrapHeader && i < len(widths) && width(h)+2 > min(widths[i], 60) {
			opts = []excelize.RowOpts{{Height: 32}} // two lines
		}
	}
	if err := sw.SetRow("A"+strconv.Itoa(w.row), hdr, opts...); err != nil {
		return err
	}
	w.started = true
	for i, r := range w.held {
		if err := w.write(r, w.heldHi[i]); err != nil {
			return err
		}
	}
	w.held, w.heldHi = nil, nil
	return nil
}

// write writes a row under the last, numbers in the number style, highlighted if hi.
func (w *sheetWriter) write(r []any, hi bool) error {
	w.row++
	if w.row > excelize.TotalRows {
		return fmt.Errorf("%s 超过 Excel 一张工作表最多 %d 行的上限", w.t.sheet, excelize.TotalRows)
	}
	for len(w.cells) < len(r) {
		w.cells = append(w.cells, excelize.Cell{})
	}
	if len(w.vals) != len(r) {
		w.vals = make([]any, len(r))
		for j := range w.vals {
			w.vals[j] = &w.cells[j]
		}
	}
	if g, ok := r[0].(group); ok {
		return w.group(g, len(r))
	}
	for j, v := range r {
		style := w.st.text
		if s, ok := v.(strong); ok {
			w.cells[j] = strongCell(w.st, s)
			continue
		}
		switch v.(type) {
		case int, int64, float64:
			style = w.st.number
			if hi {
				style = w.st.numberHi
			}
		default:
			if hi {
				style = w.st.textHi
			}
		}
		w.cells[j] = excelize.Cell{StyleID: style, Value: v}
	}
	if w.t.rowHeight > 0 {
		return w.sw.SetRow("A"+strconv.Itoa(w.row), w.vals, excelize.RowOpts{Height: w.t.rowHeight})
	}
	return w.sw.SetRow("A"+strconv.Itoa(w.row), w.vals)
}
