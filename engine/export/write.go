package export

import (
	"fmt"
	"os"
	"time"

	"github.com/jifen/jifen/engine"
)

// Results is a scored year as the files show it: the tables of branches whole, the tables of
// members (and the ledger) as functions that put their rows, in order, as they come — from a
// database query or a slice. Write calls each function once per file or sheet made from it
// (Members twice: members.csv and 附件1); a function that is nil puts no rows.
type Results struct {
	Year       int
	PeriodKind string // the scheme's periods: year ("" too), quarter or month
	Unmask     bool   // 身份证号 and 手机号 in full (masked by default: 110101********1234)
	// Excluded, when not "", says which input files (or parts) the figures leave out: a note
	// under the title of every sheet of 附件.xlsx.
	Excluded string
	// Unit is the 填报单位 (config's unit:, "" when not set) and Date the 填报日期 (the run's),
	// printed on every 附件 and on the 公示.
	Unit string
	Date time.Time
	// PublicityDays is how many working days the 公示 (公示.xlsx) is posted from Date, and
	// PublicityContact where objections are raised ("" leaves a line to fill in by hand).
	PublicityDays    int
	PublicityContact string

	Indicators []engine.Indicator  // branch by branch, 合计 last (indicators.csv, 附件6)
	Compliance []engine.Compliance // 三会一课 against the norms (附件2)
	Tests      []engine.TestStat   // each test by branch and 合计 (附件3)
	Ranking    []engine.BranchRank // the branches' composite index (附件6); none: no ranking
	Weights    []engine.Weight     // the ranking's weights (附件6)

	// Members puts each member's result in roster order (members.csv, 附件1), with the roster's
	// 身份证号 and 手机号; Personal says whether any member has one (附件1 then shows both).
	Members  func(put func(engine.MemberResult) error) error
	Personal bool
	// Pledges puts each member's 承诺书 in roster order (附件4).
	Pledges func(put func(engine.PledgeRow) error) error
	// Periods puts each member's totals of periods 1 to n (4 quarters or 12 months) in roster
	// order, for periods.csv: only called for a scheme scored by quarter or month.
	Periods func(n int, put func(engine.PeriodTotals) error) error

	// The point ledger: Movements lines (rows) in all, and LedgerCategories, the categories
	// that gave anyone points in the order the members' ledgers have them. LedgerSums puts each
	// member's lines summed by the categories it is given (LedgerCategories), in roster order
	// (附件5); while Movements is at most ledgerLimit, Ledger puts every line, members in roster
	// order and each member's lines in order (积分明细.xlsx).
	Movements        int
	LedgerCategories []string
	Ledger           func(put func(engine.LedgerLine) error) error
	LedgerSums       func(categories []string, put func(engine.LedgerSum) error) error
}

// ledgerLimit is the most movements 积分明细.xlsx lists line by line (about 2,000 members'
// year). Past it the workbook holds only a note saying where the lines are (jifen explain, the
// database's point_ledger table): ledger.go.
var ledgerLimit = 100_000

// Write writes a scored year into dir (made if need be): members.csv, indicators.csv,
// periods.csv when the scheme scores by quarter or month, 附件.xlsx, 公示.xlsx (publicity.go) and
// 积分明细.xlsx (the ledger line by line, for looking up: ledger.go); it returns the paths
// written. They replace the previous set as one (set.go): after an error, or a kill, the
// previous set is there whole, and none of the new. The rows of each table of members go into
// its file as r puts them; only the tables of branches are held whole.
func Write(dir string, r Results) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("无法创建输出目录 %s：%v", dir, err)
	}
	writers := map[string]func(path string, r Results) error{
		"members.csv":    writeMembersCSV,
		"indicators.csv": func(p string, r Results) error { return WriteIndicatorsCSV(p, r.Indicators) },
		"periods.csv":    writePeriodsCSV,
		"附件.xlsx":        writeAppendix,
		"积分明细.xlsx":      writeLedgerBook,
		PublicityFile:    writePublicity,
	}
	var names []string
	for _, name := range setNames {
		if name == "periods.csv" && !byPeriod(r.PeriodKind) {
			continue
		}
		names = append(names, name)
	}
	return writeSet(dir, names, func(name, path string) error { return writers[name](path, r) })
}

// byPeriod reports whether a scheme scores by quarter or month (not the year as a whole).
func byPeriod(kind string) bool { return kind == "quarter" || kind == "month" }

// stream calls f with put, or does nothing when f is nil (a table without rows).
func stream[T any](f func(put func(T) error) error, put func(T) error) error {
	if f == nil {
		return nil
	}
	return f(put)
}
