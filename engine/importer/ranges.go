package importer

import (
	"fmt"
	"time"

	"github.com/jifen/jifen/engine"
)

// The ranges of the fields the importer reads: the table of engine/ranges.go, by field name.
// Every number read from a cell is checked against its field's (row.number), every date
// against its field's earliest date (checkDate).

// fieldRanges are the ranges of the numeric fields.
var fieldRanges = map[string]engine.Range{
	"quantity":   engine.RangeQuantity,
	"points":     engine.RangePoints,
	"full_mark":  engine.RangeFullMark,
	"exam_total": engine.RangeFullMark,
	"score":      engine.RangeScore,
	"result":     engine.RangeAssessment,
	"expected":   engine.RangeHeadcount,
	"attended":   engine.RangeHeadcount,
}

// dateFrom is the earliest date a date field takes: 1921-07-01, or 1900-01-01 for a birth date.
func dateFrom(field string) time.Time {
	if field == "birth_date" {
		return engine.EarliestBirth
	}
	return engine.Earliest
}

// inRange checks v, read from raw in field's column, against the field's range: outside it the
// row fails at the cell, saying what the column allows and why.
func (r *row) inRange(field, raw string, v float64) bool {
	rg := fieldRanges[field]
	if rg.Allows(v) {
		return true // the header is named only in a message (r.header allocates): not per cell
	}
	return r.inRangeAt(r.l.col(field), rg, r.header(field), raw, v)
}

// inRangeAt is inRange for column col under header, with range rg.
func (r *row) inRangeAt(col int, rg engine.Range, header, raw string, v float64) bool {
	if msg := rg.Problem(header, raw, v); msg != "" {
		r.failAt(col, "%s", msg)
		return false
	}
	return true
}

// problem says why the year the sheet's title, sheet name, file name or folders give is no
// year a form may hold (2099年台账, 1905年签到表), "" when it is or there is none. It is said
// where a date is taken from it: a matrix column dated by the title, a wide ledger's or an
// assessment's period, a pledge's 年度; a month and day (3月5日) with its year are checked as
// dates (checkDate). A year that is not used (date1904.xlsx, a sheet of full dates) is no problem.
func (p period) problem() string {
	if p.Year == 0 {
		return ""
	}
	if msg := engine.YearProblem(p.Year); msg != "" {
		return fmt.Sprintf("取自 “%s” 的%s，不是有效的年份", p.Where, msg)
	}
	return ""
}
