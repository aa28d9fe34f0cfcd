// Package export writes results for people: CSV files Excel opens correctly (UTF-8 with BOM)
// and the print-ready appendix workbook (附件.xlsx) of a scored year (Write), and the text of
// `jifen explain`. It knows nothing of how results are made nor where they are kept: it is given
// Results, whose tables of branches are slices and whose tables of members are functions that
// put their rows in order.
//
// Write hands each row of a table of members (members.csv, periods.csv, 附件1, 附件4, 附件5,
// 积分明细.xlsx) to its file as it is put — excelize's StreamWriter for the sheets — so neither the members nor
// the ledger are held in memory: fed by the store's queries (engine/pipeline), Go's memory does
// not grow with the number of point movements (BenchmarkExport measures it; 200,000 members
// with 10,000,000 movements take about 6 s on two cores).
//
// 附件5 is each member's points by category, a printed page per branch (ledger.go); every
// movement with its source goes to 积分明细.xlsx, a workbook for looking up, while there are at
// most 100,000 (ledgerLimit: some 2,000 members' year); past that it holds a note saying how many
// there are and where they are (jifen explain, the database's point_ledger table).
package export

import (
	"encoding/csv"
	"io"
	"slices"
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

// writeMembersCSV writes members.csv: one row per member (r.Members), header MembersHeader. A
// 党员编号 that is a 身份证号 or 手机号 is masked unless r.Unmask.
func writeMembersCSV(path string, r Results) error {
	return writeCSV(path, MembersHeader, func(put func([]string) error) error {
		row := make([]string, len(MembersHeader))
		return stream(r.Members, func(m engine.MemberResult) error { return put(memberCSVRow(row, m, r.Unmask)) })
	})
}

// memberCSVRow fills row (len(MembersHeader)) with a member's line of members.csv.
func memberCSVRow(row []string, m engine.MemberResult, unmask bool) []string {
	id := m.ID
	if !unmask {
		id = privacy.Mask(id)
	}
	row[0], row[1], row[2], row[3], row[4], row[5], row[6] = id, m.Name, m.Branch, m.Category, FormatPoints(m.Total), strconv.Itoa(m.Stars), m.Grade
	return row
}

// WriteIndicatorsCSV writes indicators.csv: one row per branch and indicator, header
// IndicatorsHeader.
func WriteIndicatorsCSV(path string, inds []engine.Indicator) error {
	return writeCSV(path, IndicatorsHeader, func(put func([]string) error) error {
		for _, in := range inds {
			if err := put([]string{in.Branch, in.Name, FormatIndicator(in)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeCSV writes UTF-8 with a BOM, so Excel and WPS show the Chinese text correctly: the
// header, then each row rows puts, as it comes (rows may reuse its slice once put returns).
// A cell that a spreadsheet would take as a formula (=, +, -, @ …) gets a leading quote
// (privacy.Neutralize, OWASP CSV injection). The file is the owner's only (0600).
func writeCSV(path string, header []string, rows func(put func([]string) error) error) error {
	return create(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		put := func(r []string) error {
			for i := range r {
				r[i] = privacy.Neutralize(r[i])
			}
			return cw.Write(r)
		}
		if err := put(slices.Clone(header)); err != nil {
			return err
		}
		if err := rows(put); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// periodsHeader is the header of periods.csv for n periods of kind.
func periodsHeader(kind string, n int) []string {
	header := []string{"党员编号", "姓名", "党支部"}
	for p := 1; p <= n; p++ {
		header = append(header, PeriodName(kind, p))
	}
	return append(header, "年度总积分")
}

// periodCount is the number of periods of a scheme scored by quarter or month.
func periodCount(kind string) int {
	if kind == "month" {
		return 12
	}
	return 4
}

// writePeriodsCSV writes periods.csv for a scheme scored by quarter or month: one row per
// member (r.Periods), a column per period (blank where the member was not in the roster) and
// the year.
func writePeriodsCSV(path string, r Results) error {
	n := periodCount(r.PeriodKind)
	return writeCSV(path, periodsHeader(r.PeriodKind, n), func(put func([]string) error) error {
		if r.Periods == nil {
			return nil
		}
		row := make([]string, n+4)
		return r.Periods(n, func(t engine.PeriodTotals) error {
			row[0] = t.MemberID
			if !r.Unmask {
				row[0] = privacy.Mask(t.MemberID)
			}
			row[1], row[2], row[n+3] = t.Name, t.Branch, FormatPoints(t.Total)
			for p := 1; p <= n; p++ {
				row[2+p] = ""
				if p <= len(t.Periods) && t.Periods[p-1] != nil {
					row[2+p] = FormatPoints(*t.Periods[p-1])
				}
			}
			return put(row)
		})
	})
}
