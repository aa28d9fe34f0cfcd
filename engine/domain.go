// Package engine holds jifen's domain: the records imported from branches' spreadsheets
// (members, sign-ins, tests, pledges, ledger rows), where each came from, and the results of
// scoring (points, stars, grades, indicators). Its subpackages are the adapters around it:
// sheet (reading .xlsx/.csv), importer (tables → records), store (DuckDB), scoring (SQL),
// export (CSV and Excel), pipeline (the jobs a user runs).
package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/engine/privacy"
)

// CardKeyPrefix begins the key (党员编号) jifen gives a member of a roster without 党员编号 who
// is known by 身份证号: 身份证:110101********1233/张伟 (importer/who.go makes it).
const CardKeyPrefix = "身份证:"

// Source is where a record came from: a file, a sheet ("" for CSV) and a 1-based row.
type Source struct {
	File  string
	Sheet string
	Row   int
}

// String gives the row's location as file[sheet]!行N, or file!行N for CSV.
func (s Source) String() string { return Location(s.File, s.Sheet) + "!" + strconv.Itoa(s.Row) + "行" }

// Cell gives the location of a cell of this row in column col (0-based), like 考勤.xlsx[3月]!E17.
func (s Source) Cell(col int) string {
	return Location(s.File, s.Sheet) + "!" + ColumnName(col) + strconv.Itoa(s.Row)
}

// Location names a sheet of a file: file[sheet], or file for CSV.
func Location(file, sheet string) string {
	if sheet == "" {
		return file
	}
	return file + "[" + sheet + "]"
}

// ColumnName turns a 0-based column index into its spreadsheet letters (0 → A, 26 → AA).
func ColumnName(col int) string {
	name := ""
	for col >= 0 {
		name = string(rune('A'+col%26)) + name
		col = col/26 - 1
	}
	return name
}

// CellError is a problem with one cell (Col ≥ 0), one row (Col < 0, Row > 0) or a whole sheet
// (Row 0). Its message is Chinese and says what was expected.
type CellError struct {
	Src Source
	Col int
	Msg string
}

func (e *CellError) Error() string { return Printable(privacy.MaskText(e.text())) }

func (e *CellError) text() string {
	switch {
	case e.Src.Row <= 0:
		return Location(e.Src.File, e.Src.Sheet) + ": " + e.Msg
	case e.Col < 0:
		return e.Src.String() + ": " + e.Msg
	default:
		return e.Src.Cell(e.Col) + ": " + e.Msg
	}
}

// FileErrors is every problem of one file; the file is rejected whole. Checked marks the
// problems found by a check (jifen check), which imports nothing anyway.
type FileErrors struct {
	File    string
	Errs    []error
	Checked bool
	// More counts the problems found past those listed in Errs (a file of thousands of wrong
	// rows lists the first ones).
	More int
}

func (e *FileErrors) Error() string {
	what := "整个文件未导入"
	if e.Checked {
		what = "导入时整个文件会被拒绝"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d 处错误，%s", Printable(privacy.MaskText(e.File)), len(e.Errs)+e.More, what)
	for _, x := range e.Errs {
		b.WriteString("\n  ")
		b.WriteString(x.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  ……另有 %d 处错误未列出（先改正上面的，再检查一遍）", e.More)
	}
	return b.String()
}

// Member is one 党员 of the roster (党员名册). Dates are zero when not given.
type Member struct {
	ID          string // 党员编号, unique in the unit
	Name        string
	Branch      string // 党支部
	Group       string // 党小组
	Category    string // 正式党员 or 预备党员
	Position    string // 党内职务, e.g. 支部书记; "" for none
	JoinDate    time.Time
	TransferIn  time.Time
	TransferOut time.Time
	BirthDate   time.Time // for age conditions of rules; zero when not given
	Mobile      bool      // 流动党员
	IDCard      string    // 身份证号: personal data, masked in outputs and messages
	Phone       string    // 手机号: personal data, masked likewise
	Src         Source
}

// Attendance is one sign-in row: a member at one activity (三会一课, 主题党日, …) on a date.
type Attendance struct {
	MemberID string
	Activity string // canonical activity type, e.g. 支委会
	Date     time.Time
	Status   string // 出席, 请假, 缺席, 迟到 or 早退
	Note     string
	Src      Source
}

// TestScore is one member's result in one test. Score is nil when Status is 缺考 or 请假.
type TestScore struct {
	MemberID string
	Test     string
	Date     time.Time
	Score    *float64 // points scored
	FullMark float64  // points
	Status   string   // "" (took it), 缺考 or 请假
	Src      Source
}

// Pledge is a member's 承诺书 of a year and its 践诺 rating ("" when not rated).
type Pledge struct {
	MemberID string
	Year     int
	Signed   bool
	Rating   string
	Src      Source
}

// LedgerEntry is one row of the award/deduction ledger (加扣分台账).
type LedgerEntry struct {
	MemberID string
	Date     time.Time
	Category string // canonical ledger category, e.g. 表彰, 志愿服务, 党纪处分
	Level    string // 级别 for 表彰 and 党纪处分, else ""
	Note     string
	// Count is how many occurrences the row stands for (1; a wide ledger's cell may say 3).
	Count float64
	// Points, when not nil, are the points the row itself gives (a wide ledger of points),
	// instead of the rule's points × Count: as the sheet gives them, negative when it says they
	// are deducted (扣3分, 扣分台账). Never signed by the rules at import: a positive number
	// under a per_unit rule that deducts is deducted when scored.
	Points *float64
	Src    Source
}

// Assessment is one result of an assessment of a member (民主评议 score, 季度绩效 grade, …):
// Result as written, Value its number when it is one.
type Assessment struct {
	MemberID string
	Item     string // 评价项目, e.g. 民主评议
	Date     time.Time
	Result   string
	Value    *float64
	Src      Source
}

// Batch is every record read from one file.
type Batch struct {
	Members     []Member
	Attendance  []Attendance
	Tests       []TestScore
	Pledges     []Pledge
	Ledger      []LedgerEntry
	Assessments []Assessment
	// CheckRepeats names the sheets ("" for a CSV file) of sign-ins too many for the importer
	// to look for repeated rows itself in bounded memory: the store finds them once loaded.
	CheckRepeats []string
}

// Rows counts the records of the batch.
func (b *Batch) Rows() int {
	return len(b.Members) + len(b.Attendance) + len(b.Tests) + len(b.Pledges) + len(b.Ledger) + len(b.Assessments)
}

// MemberResult is a member's scored year: total points, stars (0–5) and grade (等次).
type MemberResult struct {
	ID       string
	Name     string
	Branch   string
	Category string
	Total    float64 // points, exact to 2 decimals
	Stars    int
	Grade    string
	IDCard   string // 身份证号 and 手机号 from the roster, as stored (outputs mask them)
	Phone    string
	Reason   string // why this grade, in Chinese
	// StarReason says why these stars, in Chinese.
	StarReason string
}

// Movement is one line of a member's point ledger (积分明细): points given by a rule to a record
// (its source row), a base, a cap or veto adjustment. Raw is what the rule gave, Points what
// counted after caps; Note says what changed it. The movements of a member sum to the total
// (period: year) or to each period's total.
type Movement struct {
	MemberID string
	Period   int // 0 for the year; else the quarter or month
	Seq      int
	Category string
	Rule     string
	Date     time.Time // zero when the movement has no date (bases, adjustments)
	Raw      float64
	Points   float64
	Note     string
	Source   string // file[sheet]!N行, or 规则
}

// LedgerLine is a movement of the point ledger with its member's name and branch, as the
// ledger of a whole unit lists it (附件5).
type LedgerLine struct {
	Movement
	Name, Branch string
}

// LedgerSum is a member's point ledger of the year summed by category (附件5 of a ledger too
// long to list): the number of movements, the points of each category asked for, in that order
// (nil where the member has no movement of the category), and the year's total.
type LedgerSum struct {
	MemberID, Name, Branch string
	Movements              int        // rows of the member's ledger
	Categories             []*float64 // points, one per category
	Total                  float64    // points
}

// PeriodTotals is a member's points in each period of a year scored by quarter or month
// (Periods[0] is the first quarter or January; nil where the member was not in the roster),
// and the year's total.
type PeriodTotals struct {
	MemberID, Name, Branch string
	Periods                []*float64 // points, one per period
	Total                  float64    // points
}

// Indicator is one figure of a branch (or the unit, Branch = 合计). Value is nil when the figure
// is undefined (a rate over nothing). Decimals is 0 for counts, 1 for percentages.
type Indicator struct {
	Branch   string
	Name     string
	Value    *float64
	Decimals int
}

// UnitTotal is the Branch of the unit-wide indicators.
const UnitTotal = "合计"

// Compliance is a branch's 三会一课 of one kind against its norm (《中国共产党支部工作条例（试行）》):
// meetings held and required in the year, and the months or quarters that fell short
// (e.g. 2月、4月).
type Compliance struct {
	Branch   string
	Activity string
	Per      string // month, quarter, year
	Times    int    // required per period
	Required int
	Held     int
	Short    string
}

// Met reports whether every period had its meetings.
func (c Compliance) Met() bool { return c.Short == "" }

// TestStat is one test (name and date) in a branch, or in the unit (Branch 合计): rows taken
// (参考: scored; 缺考 is not taken), passed, absent (缺考) and excused (请假).
type TestStat struct {
	Branch                         string
	Test                           string
	Date                           time.Time
	Taken, Passed, Absent, Excused int
}

// PledgeRow is a member's 承诺书 of the year: signed or not (no row: Has false), and the rating.
type PledgeRow struct {
	MemberID, Name, Branch string
	Has, Signed            bool
	Rating                 string
}

// BranchRank is a branch's composite index (0–1, entropy weights) and rank (1 = best).
type BranchRank struct {
	Branch string
	Score  float64
	Rank   int
}

// Weight is an indicator's entropy weight in the branch ranking (the weights sum to 1).
type Weight struct {
	Name   string
	Weight float64
}
