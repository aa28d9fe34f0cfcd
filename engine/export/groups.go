package export

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Groups of rows in a table (附件5: a branch's members, then their 合计 and 平均): a row whose
// first cell is a group is the group's heading; a cell that is strong is written in bold.

// group heads a group of rows: put as the first cell of a row (the others are ignored), it is
// written alone, merged across the table, in bold, and begins a new printed page (the first
// group excepted; Excel keeps at most maxPageBreaks in a sheet: the groups after that many
// follow on the page without a break).
type group string

// strong is a cell written in bold (the cells of a 合计 or 平均 row).
type strong struct{ v any }

// maxPageBreaks is the most manual page breaks Excel keeps in a sheet.
const maxPageBreaks = 1026

// group writes the heading of a group in row w.row, over n columns.
func (w *sheetWriter) group(g group, n int) error {
	row := strconv.Itoa(w.row)
	if w.row > w.headerRow()+1 && w.breaks < maxPageBreaks {
		if err := w.sw.InsertPageBreak("A" + row); err != nil {
			return err
		}
		w.breaks++
	}
	for j := range n {
		w.cells[j] = excelize.Cell{StyleID: w.st.group}
	}
	w.cells[0].Value = string(g)
	if err := w.sw.SetRow("A"+row, w.vals, excelize.RowOpts{Height: 16}); err != nil {
		return err
	}
	if n < 2 {
		return nil
	}
	last, _ := excelize.ColumnNumberToName(n)
	return w.sw.MergeCell("A"+row, last+row)
}

// strongCell is the cell of a strong value: bold, numbers in the number format.
func strongCell(st styles, s strong) excelize.Cell {
	switch s.v.(type) {
	case int, int64, float64:
		return excelize.Cell{StyleID: st.strongNumber, Value: s.v}
	}
	return excelize.Cell{StyleID: st.strongText, Value: s.v}
}
