// Package export writes results for people: CSV files Excel opens correctly (UTF-8 with BOM)
// and the print-ready appendix workbook (附件.xlsx). It knows nothing of how results are made.
package export

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// MembersHeader is the header of members.csv.
var MembersHeader = []string{"党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}

// IndicatorsHeader is the header of indicators.csv.
var IndicatorsHeader = []string{"党支部", "指标", "数值"}

// FormatPoints writes points with at most 2 decimals and no trailing zeros: 72.5, 60, 61.25.
func FormatPoints(v float64) string { return strconv.FormatFloat(roundTo(v, 2), 'f', -1, 64) }

// FormatIndicator writes a count as an integer, a percentage with one decimal, a sum or mean
// with up to two; an undefined value (a rate over nothing) is "".
func FormatIndicator(in engine.Indicator) string {
	switch {
	case in.Value == nil:
		return ""
	case in.Decimals == 1:
		return strconv.FormatFloat(*in.Value, 'f', 1, 64)
	}
	return FormatPoints(*in.Value)
}

func roundTo(v float64, d int) float64 {
	s := strconv.FormatFloat(v, 'f', d, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}

// WriteMembersCSV writes members.csv: one row per member, header MembersHeader. A 党员编号 that
// is a 身份证号 or 手机号 is masked unless unmask.
func WriteMembersCSV(path string, members []engine.MemberResult, unmask bool) error {
	rows := [][]string{MembersHeader}
	for _, m := range members {
		id := m.ID
		if !unmask {
			id = privacy.Mask(id)
		}
		rows = append(rows, []string{id, m.Name, m.Branch, m.Category, FormatPoints(m.Total), strconv.Itoa(m.Stars), m.Grade})
	}
	return writeCSV(path, rows)
}

// WriteIndicatorsCSV writes indicators.csv: one row per branch and indicator, header
// IndicatorsHeader.
func WriteIndicatorsCSV(path string, inds []engine.Indicator) error {
	rows := [][]string{IndicatorsHeader}
	for _, in := range inds {
		rows = append(rows, []string{in.Branch, in.Name, FormatIndicator(in)})
	}
	return writeCSV(path, rows)
}

// writeCSV writes UTF-8 with a BOM, so Excel and WPS show the Chinese text correctly. A cell
// that a spreadsheet would take as a formula (=, +, -, @ …) gets a leading quote
// (privacy.Neutralize, OWASP CSV injection). The file is the owner's only (0600).
func writeCSV(path string, rows [][]string) error {
	for _, r := range rows {
		for i := range r {
			r[i] = privacy.Neutralize(r[i])
		}
	}
	return create(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		return cw.WriteAll(rows)
	})
}

// WritePeriodsCSV writes periods.csv for a scheme scored by quarter or month: one row per
// member, a column per period (blank where the member was not in the roster) and the year.
func WritePeriodsCSV(path, periodKind string, members []engine.MemberResult, totals map[string]map[int]float64, unmask bool) error {
	n := 4
	if periodKind == "month" {
		n = 12
	}
	header := []string{"党员编号", "姓名", "党支部"}
	for p := 1; p <= n; p++ {
		header = append(header, PeriodName(periodKind, p))
	}
	header = append(header, "年度总积分")
	rows := [][]string{header}
	for _, m := range members {
		id := m.ID
		if !unmask {
			id = privacy.Mask(id)
		}
		r := []string{id, m.Name, m.Branch}
		for p := 1; p <= n; p++ {
			v, ok := totals[m.ID][p]
			if ok {
				r = append(r, FormatPoints(v))
			} else {
				r = append(r, "")
			}
		}
		rows = append(rows, append(r, FormatPoints(m.Total)))
	}
	return writeCSV(path, rows)
}
