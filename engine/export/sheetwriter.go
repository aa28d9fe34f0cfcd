package export

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// table is one appendix sheet: title, an optional note under it, header, and its rows (string
// or number cells, or val for a cell printed its own way; nil for no cell), streamed: rows
// calls put once per row, in order, saying whether to highlight it (printed bold: a 合计 row,
// a norm not met), and may reuse the row's slice once put returns.
type table struct {
	sheet, title string
	note         string // a line between the title and the header ("" for none)
	noSign       bool   // no 填表人/审核人 line under the table
	header       []string
	rows         func(put func(row []any, highlight bool) error) error
	landscape    bool

	// unit and date are the 填报单位 and 填报日期 printed under the title (writeAppendix sets them).
	unit string
	date time.Time
	// kinds says how each column prints its numbers (missing or kindAuto: whole numbers as
	// counts, others as points).
	kinds []kind
	// wrap is the most a column is wide, in half-width characters (0: defaultWrap); longer
	// text wraps onto more lines, the row made as tall.
	wrap []float64
	// merge lists columns whose equal values in consecutive rows print as one merged cell
	// (the 党支部 of 附件2); each merges only within the runs of the columns listed before it.
	merge []int
	// notes are 说明 lines printed under the table.
	notes []string
	// size is the font size of the table (0: bodySize): the scale is at least what prints it
	// at 10 pt.
	size float64
}

// defaultWrap is the widest a column is by default, in half-width characters (15 汉字).
const defaultWrap = 30

// noUnit is printed as the 填报单位 when config.yaml sets none.
const noUnit = "（未设置单位名称，见 config.yaml 的 unit）"

// widthRows is how many rows of a table its column widths are measured on. The widths come
// before the rows in the sheet, so a streamed table's first rows are held back until the widths
// are known; the rows of a longer table after these wrap within the widths they set.
const widthRows = 10000

// sameWidthColumns is the most columns a table sets one by one. In a wider table (附件6 of a unit
// with hundreds of branches, a column each) the columns after the first share the widest width.
const sameWidthColumns = 256

// writeSheet writes a table with the StreamWriter, ready to print on A4 as an official
// attachment: "附件N" on its own line top left in 黑体, the title centred, the 填报单位 and
// 填报日期, the note (if any), the header (frozen, repeated on each printed page), the rows, the
// 说明 lines and a line to sign. Columns are as wide as their text prints (汉字 and symbols
// full width, from the first widthRows rows), at most their wrap width, rows as tall as their
// wrapped text. The page is portrait unless the table needs landscape, at a scale of 100% or
// what fits the width, never below the scale that prints the table's font at 10 pt (so nothing prints smaller; a table wider than
// that prints its columns on more pages), centred; the footer says 附件N　第 P 页，共 M 页,
// counting the pages of this sheet alone. A table longer than Excel's sheet is an error.
func writeSheet(f *excelize.File, st styles, t table) error {
	if _, err := f.NewSheet(t.sheet); err != nil {
		return err
	}
	tag := tagOf(t.sheet)
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return err
	}
	w := &sheetWriter{f: f, sw: sw, st: st, t: &t, fs: t.size}
	if w.fs == 0 {
		w.fs = bodySize
	}
	if err := t.rows(w.put); err != nil {
		return err
	}
	if !w.started {
		if err := w.start(); err != nil {
			return err
		}
	}
	if err := w.flushRun(); err != nil {
		return err
	}
	for _, n := range t.notes {
		if err := w.line(w.row+1, n, styleKey{left: true, noBorder: true}); err != nil {
			return err
		}
	}
	if !t.noSign {
		// A narrow blank row, then the line to sign.
		if err := w.place(w.row+1, blankRow, 0); err != nil {
			return err
		}
		if err := w.sw.SetRow("A"+strconv.Itoa(w.row+1), nil, excelize.RowOpts{Height: blankRow}); err != nil {
			return err
		}
		if err := w.line(w.row+2, "填表人：　　　　　　审核人：　　　　　　", styleKey{left: true, noBorder: true}); err != nil {
			return err
		}
	}
	// The page set-up once the widths and rows are known; the StreamWriter writes it at Flush.
	size, orient, first := 9, "portrait", uint(1) // 9: A4
	if w.landscape {
		orient = "landscape"
	}
	scale := uint(w.scale)
	if err := f.SetPageLayout(t.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, AdjustTo: &scale, FirstPageNumber: &first}); err != nil {
		return err
	}
	yes := true
	l, tb, hf := marginSide/72, marginEnd/72, 0.25
	if err := f.SetPageMargins(t.sheet, &excelize.PageLayoutMarginsOptions{Left: &l, Right: &l, Top: &tb, Bottom: &tb, Header: &hf, Footer: &hf, Horizontally: &yes}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(t.sheet, &excelize.HeaderFooterOptions{OddFooter: footer(tag, w.pages*w.across())}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	h := strconv.Itoa(w.headerRow())
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + t.sheet + "'!$" + h + ":$" + h, Scope: t.sheet})
}

// sheetWriter streams a table's rows into a sheet: the first widthRows rows are held until the
// column widths are set (start), the rest written as they come; rows with merged columns are
// held while their first merged column keeps its value (a run), to merge and size them.
type sheetWriter struct {
	f         *excelize.File
	sw        *excelize.StreamWriter
	st        styles
	t         *table
	held      [][]any
	heldHi    []bool
	run       [][]any // the rows of the current run (t.merge)
	runHi     []bool
	started   bool
	row       int       // the last row written
	widths    []float64 // column widths (Excel's units)
	landscape bool
	scale     int
	fs        float64 // the font size of the table
	cells     []excelize.Cell
	vals      []any // pointers to cells
	// The pages down: the height a page holds (the sheet's points, at the scale), the height
	// used on the current page, the header's (repeated on every page) and the pages begun.
	pageH, used, headerH float64
	pages                int
	breaks               int // manual page breaks inserted
}

// blankRow is the height of the blank row above the line to sign.
const blankRow = 8.0

// place puts a row of height h on the page, breaking the page before it (a manual break, so
// that the page count in the footer is the count printed) when it does not fit; keep is the
// height of the rows that must go with it on one page (a run of merged rows), 0 for none.
func (w *sheetWriter) place(row int, h, keep float64) error {
	need := max(h, keep)
	if keep > w.pageH-w.headerH {
		need = h // a run taller than a page breaks where its rows do
	}
	if w.pages == 0 {
		w.pages = 1
	}
	if w.used > w.headerH && w.used+need > w.pageH && need <= w.pageH-w.headerH {
		// Past the most manual breaks Excel keeps, the page still breaks here (the spreadsheet
		// breaks it by the same row heights): counted, not written.
		if w.breaks < maxPageBreaks {
			if err := w.f.InsertPageBreak(w.t.sheet, "A"+strconv.Itoa(row)); err != nil {
				return err
			}
			w.breaks++
		}
		w.pages++
		w.used = w.headerH
	}
	w.used += h
	return nil
}

// across is the pages across: the columns at the scale, a page wide each, broken between
// columns (1 for a table that fits the width).
func (w *sheetWriter) across() int {
	avail, _ := usable(w.landscape)
	avail = avail * 100 / float64(w.scale)
	n, used := 1, 0.0
	for _, u := range w.widths {
		p := colPoints(u)
		if used > 0 && used+p > avail {
			n, used = n+1, 0
		}
		used += p
	}
	return n
}

// headerRow is the row of the header: under 附件N, the title and the 填报单位 line, and under the
// note if there is one.
func (w *sheetWriter) headerRow() int {
	if w.t.note != "" {
		return 5
	}
	return 4
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
	return w.add(r, hi)
}

// add writes a row, or holds it in the run of merged rows.
func (w *sheetWriter) add(r []any, hi bool) error {
	if len(w.t.merge) == 0 {
		return w.write(r, hi, nil, 0, 0)
	}
	c := w.t.merge[0]
	if len(w.run) > 0 && !sameCell(w.run[0], r, c) {
		if err := w.flushRun(); err != nil {
			return err
		}
	}
	w.run, w.runHi = append(w.run, slices.Clone(r)), append(w.runHi, hi)
	return nil
}

func sameCell(a, b []any, c int) bool {
	if c >= len(a) || c >= len(b) {
		return false
	}
	return fmt.Sprint(plain(a[c])) == fmt.Sprint(plain(b[c]))
}

// plain is a cell's value.
func plain(v any) any {
	if x, ok := v.(val); ok {
		return x.V
	}
	return v
}

// flushRun writes the rows held in the run: the merged columns' repeated values as one merged
// cell each, the last row of a merged cell made taller if its text needs more than its rows.
func (w *sheetWriter) flushRun() error {
	rows := w.run
	n := len(rows)
	if n == 0 {
		return nil
	}
	merged := map[int]bool{}
	for _, c := range w.t.merge {
		merged[c] = true
	}
	heights := make([]float64, n)
	for i, r := range rows {
		heights[i] = w.height(r, merged)
	}
	blank := make([]map[int]bool, n)
	for i := range blank {
		blank[i] = map[int]bool{}
	}
	for ci, c := range w.t.merge {
		start := 0
		for i := 1; i <= n; i++ {
			if i < n && sameRun(rows[i-1], rows[i], w.t.merge[:ci+1]) {
				continue
			}
			need := rowHeight(lines(w.printed(rows[start][c], c), w.widths[c], w.fs), w.fs)
			have := 0.0
			for _, h := range heights[start:i] {
				have += h
			}
			if have < need {
				heights[i-1] += need - have
			}
			if i-start > 1 {
				a, _ := excelize.CoordinatesToCellName(c+1, w.row+1+start)
				b, _ := excelize.CoordinatesToCellName(c+1, w.row+i)
				if err := w.sw.MergeCell(a, b); err != nil {
					return err
				}
				for k := start + 1; k < i; k++ {
					blank[k][c] = true
				}
			}
			start = i
		}
	}
	total := 0.0
	for _, h := range heights {
		total += h
	}
	for i, r := range rows {
		keep := 0.0
		if i == 0 {
			keep = total // the run on one page when it fits one
		}
		if err := w.write(r, w.runHi[i], blank[i], heights[i], keep); err != nil {
			return err
		}
	}
	w.run, w.runHi = w.run[:0], w.runHi[:0]
	return nil
}

func sameRun(a, b []any, cols []int) bool {
	for _, c := range cols {
		if !sameCell(a, b, c) {
			return false
		}
	}
	return true
}

// text is how a value prints (numbers at most as long as their format prints them).
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// shown is how a value prints in the format of kind k.
func shown(v any, k kind) string {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		return text(v)
	}
	switch k {
	case kindCount:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case kindRate:
		return strconv.FormatFloat(f, 'f', 1, 64)
	case kindIndex:
		return strconv.FormatFloat(f, 'f', 4, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// height is how tall a row prints: its most wrapped cell (merged columns left out).
func (w *sheetWriter) height(r []any, skip map[int]bool) float64 {
	most := 1
	for j := 0; j < len(r) && j < len(w.widths); j++ {
		if skip[j] {
			continue
		}
		u := w.widths[j]
		if x, ok := r[j].(val); ok && x.Span > 1 {
			for k := j + 1; k < j+x.Span && k < len(w.widths); k++ {
				u += w.widths[k]
			}
		}
		most = max(most, lines(w.printed(r[j], j), u, w.fs))
	}
	return rowHeight(most, w.fs)
}

// printed is how cell v of column i prints: a number in its column's format (or its own).
func (w *sheetWriter) printed(v any, i int) string {
	k := kindAuto
	if i < len(w.t.kinds) {
		k = w.t.kinds[i]
	}
	if x, ok := v.(val); ok && x.Kind != kindAuto {
		k = x.Kind
	}
	return shown(plain(v), k)
}

// start sets the column widths from the header and the rows held, chooses the orientation and
// scale, writes the lines above the table, the header and the rows held.
func (w *sheetWriter) start() error {
	t, sw := w.t, w.sw
	w.started = true
	hw := make([]float64, len(t.header))    // half-width characters
	least := make([]float64, len(t.header)) // the widest number: numbers do not wrap
	for i, h := range t.header {
		hw[i] = textWidth(h)
	}
	for _, r := range w.held {
		for i, v := range r {
			if i >= len(hw) {
				break
			}
			if x, ok := v.(val); ok && x.Span > 1 {
				continue
			}
			n := textWidth(w.printed(v, i))
			hw[i] = max(hw[i], n)
			switch plain(v).(type) {
			case int, int64, float64:
				least[i] = max(least[i], n)
			}
		}
	}
	for i := range hw {
		most := float64(defaultWrap)
		if i < len(t.wrap) && t.wrap[i] > 0 {
			most = t.wrap[i]
		}
		least[i] = max(least[i], min(4, most))
		hw[i] = max(min(hw[i], most), least[i])
	}
	points := func() float64 {
		s := 0.0
		for _, x := range hw {
			s += colPoints(colUnits(x, w.fs))
		}
		return s
	}
	lowest := math.Ceil(1000 / w.fs) // the scale (%) that prints at 10 pt
	// narrow narrows the widest columns, one half-width character at a time, none below floor
	// (nor its widest number), until the table fits the page at the lowest scale.
	narrow := func(avail, floor float64) bool {
		for points()*lowest/100 > avail {
			i := -1
			for j := range hw {
				if hw[j]-1 >= max(least[j], floor) && (i < 0 || hw[j] > hw[i]) {
					i = j
				}
			}
			if i < 0 {
				return false
			}
			hw[i]--
		}
		return true
	}
	// Portrait if the table fits with its columns at least 6 汉字 wide (or as they are), else
	// landscape, the columns narrowed as need be.
	w.landscape = t.landscape
	avail, _ := usable(w.landscape)
	full := slices.Clone(hw)
	if !w.landscape && !narrow(avail, 12) {
		w.landscape = true
		avail, _ = usable(true)
		copy(hw, full)
	}
	narrow(avail, 0)
	w.scale = max(int(lowest), min(100, int(math.Floor(100*avail/points()))))
	_, high := usable(w.landscape)
	w.pageH = high * 100 / float64(w.scale) * 0.99
	w.widths = make([]float64, len(hw))
	for i, x := range hw {
		w.widths[i] = math.Round(colUnits(x, w.fs)*100) / 100
	}
	widths := w.widths
	if len(widths) > sameWidthColumns {
		// One call for all but the first column, then the first: excelize's SetColWidth takes
		// time that grows with the cube of the columns set one by one.
		if err := sw.SetColWidth(2, len(widths), slices.Max(widths[1:])); err != nil {
			return err
		}
		widths = widths[:1]
	}
	for i, n := range widths {
		if err := sw.SetColWidth(i+1, i+1, n); err != nil {
			return err
		}
	}
	top := w.headerRow() + 1
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: top - 1, TopLeftCell: "A" + strconv.Itoa(top), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := w.line(1, tagOf(t.sheet), styleKey{left: true, noBorder: true, family: "黑体", size: 14}); err != nil {
		return err
	}
	if err := w.line(2, t.title, styleKey{noBorder: true, family: "黑体", size: 18}); err != nil {
		return err
	}
	unit := t.unit
	if unit == "" {
		unit = noUnit
	}
	if err := w.line(3, "填报单位："+unit+"　填报日期："+cnDate(t.date), styleKey{left: true, noBorder: true}); err != nil {
		return err
	}
	if t.note != "" {
		if err := w.line(4, t.note, styleKey{left: true, noBorder: true}); err != nil {
			return err
		}
	}
	w.headerH = w.used
	hdr := make([]any, len(t.header))
	for i, h := range t.header {
		hdr[i] = val{V: h, Head: true, Bold: true}
	}
	w.row = w.headerRow() - 1
	if err := w.write(hdr, false, nil, 0, 0); err != nil {
		return err
	}
	w.headerH = w.used - w.headerH // write placed it: w.headerH was the height above it
	for i, r := range w.held {
		if err := w.add(r, w.heldHi[i]); err != nil {
			return err
		}
	}
	w.held, w.heldHi = nil, nil
	return nil
}

// line writes text in row n merged across the table, as tall as it wraps.
func (w *sheetWriter) line(n int, s string, k styleKey) error {
	id, err := w.st.style(k)
	if err != nil {
		return err
	}
	u := 0.0
	for _, x := range w.widths {
		u += x
	}
	size := k.size
	if size == 0 {
		size = w.fs
		k.size = w.fs
	}
	cell, _ := excelize.CoordinatesToCellName(1, n)
	h := min(409, rowHeight(lines(s, u, size), size))
	if err := w.place(n, h, 0); err != nil {
		return err
	}
	if err := w.sw.SetRow(cell, []any{excelize.Cell{StyleID: id, Value: s}}, excelize.RowOpts{Height: h}); err != nil {
		return err
	}
	w.row = n
	if len(w.widths) > 1 {
		last, _ := excelize.CoordinatesToCellName(len(w.widths), n)
		return w.sw.MergeCell(cell, last)
	}
	return nil
}

// write writes a row under the last: numbers in their column's format, bold if hi, the cells
// of blank empty (covered by a merged cell above), at height (0: as tall as it wraps).
func (w *sheetWriter) write(r []any, hi bool, blank map[int]bool, height, keep float64) error {
	w.row++
	if w.row > excelize.TotalRows {
		return fmt.Errorf("%s 超过 Excel 一张工作表最多 %d 行的上限", w.t.sheet, excelize.TotalRows)
	}
	if height == 0 {
		height = w.height(r, nil)
	}
	height = min(409, height)
	if len(r) > 0 {
		if x, ok := r[0].(val); ok && x.Page {
			if err := w.newPage(w.row); err != nil {
				return err
			}
		}
	}
	if err := w.place(w.row, height, keep); err != nil {
		return err
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
	span := 0 // cells still covered by a cell spanning columns
	for j, v := range r {
		k := styleKey{bold: hi, size: w.fs}
		if j < len(w.t.kinds) {
			k.kind = w.t.kinds[j]
		}
		x, ok := v.(val)
		if ok {
			v = x.V
			k.bold = k.bold || x.Bold
			k.left, k.head = x.Left, x.Head
			if x.Kind != kindAuto {
				k.kind = x.Kind
			}
		}
		switch v.(type) {
		case int, int64:
			if k.kind == kindAuto {
				k.kind = kindCount
			}
		case float64:
			if k.kind == kindAuto {
				k.kind = kindPoints
			}
		default:
			k.kind = kindAuto
		}
		if v == nil && !ok || span > 0 && !ok {
			// No cell (a gap), or under a spanning cell: borders only.
			w.cells[j] = excelize.Cell{}
			if span > 0 {
				id, err := w.st.style(styleKey{bold: hi, size: w.fs})
				if err != nil {
					return err
				}
				w.cells[j] = excelize.Cell{StyleID: id}
				span--
			}
			continue
		}
		id, err := w.st.style(k)
		if err != nil {
			return err
		}
		if blank[j] {
			v = nil
		}
		w.cells[j] = excelize.Cell{StyleID: id, Value: v}
		if ok && x.Span > 1 {
			a, _ := excelize.CoordinatesToCellName(j+1, w.row)
			b, _ := excelize.CoordinatesToCellName(j+x.Span, w.row)
			if err := w.sw.MergeCell(a, b); err != nil {
				return err
			}
			span = x.Span - 1
		}
	}
	return w.sw.SetRow("A"+strconv.Itoa(w.row), w.vals, excelize.RowOpts{Height: height})
}
