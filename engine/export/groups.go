package export

import "strconv"

// Groups of rows in a table (附件5: a branch's members, then their 合计 and 平均): a group's
// heading row is one cell spanning the table, in bold, and begins a new printed page.

// group is the heading row of a group of n columns: the name spanning them, bold, left, on a
// new page (the first group excepted).
func group(name string, n int) []any {
	row := make([]any, n)
	row[0] = val{V: name, Span: n, Bold: true, Left: true, Page: true}
	return row
}

// strong is a cell written in bold (the cells of a 合计 or 平均 row).
func strong(v any) val { return val{V: v, Bold: true} }

// maxPageBreaks is the most manual page breaks Excel keeps in a sheet.
const maxPageBreaks = 1026

// newPage begins a new printed page at row (a manual break) unless row is the table's first or
// the sheet has maxPageBreaks breaks already.
func (w *sheetWriter) newPage(row int) error {
	if row <= w.headerRow()+1 || w.breaks >= maxPageBreaks || w.used <= w.headerH {
		return nil
	}
	if err := w.f.InsertPageBreak(w.t.sheet, "A"+strconv.Itoa(row)); err != nil {
		return err
	}
	w.breaks++
	w.pages++
	w.used = w.headerH
	return nil
}
