package engine

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// The ranges of the values forms hold: facts about forms, not rule settings (records are facts,
// rules decide). A value outside its range is no value anyone meant — a date typed into a
// 数量 column (20220501), a 满分 of 1e12 — and is an error at its cell when imported. The same
// table tells scoring which stored values it cannot use (a database imported by an earlier
// version may hold them): it leaves those records out and says so, instead of failing.
//
// The bounds are far from what a real office writes (a 满分 of 100 or 150, a few hours of
// volunteer work, a point or ten on a ledger row) and far below what scoring's DECIMAL(18,2)
// arithmetic can hold (about 10^16) even multiplied by a rule's per-unit points (at most 10,000)
// and summed over millions of rows.

// Range is what a numeric field of a form allows, and why.
type Range struct {
	Min, Max float64
	// Integer: only whole numbers (次数, 人数).
	Integer bool
	// Why says what the column holds, for messages: 数量是次数或时长.
	Why string
}

// The numeric fields (the importer's field names; the stored columns they become in brackets).
var (
	// RangeQuantity: a long ledger's 数量 (entries.count): times, hours, articles.
	RangeQuantity = Range{Min: 0, Max: 1000, Why: "数量是一行记录代表的次数、时长或篇数"}
	// RangeCount: a wide ledger's cell of occurrences (entries.count).
	RangeCount = Range{Min: 0, Max: 1000, Integer: true, Why: "宽台账的单元格是发生的次数"}
	// RangePoints: the points a wide ledger's cell gives (entries.points), and a long ledger's
	// 分值 (checked against the rules, not stored).
	RangePoints = Range{Min: -100, Max: 100, Why: "一行台账的加分或扣分"}
	// RangeFullMark: a test's 满分 or an exam export's 总分 (tests.full_mark); it must be more
	// than Min.
	RangeFullMark = Range{Min: 0, Max: 1000, Why: "试卷的满分，一般为 100 或 150"}
	// RangeScore: a test's 成绩 (tests.score), also at most its 满分.
	RangeScore = Range{Min: 0, Max: 1000, Why: "成绩在 0 到满分之间"}
	// RangeAssessment: an assessment's result when a number (assessments.value): 民主评议 or
	// 季度绩效 scores.
	RangeAssessment = Range{Min: 0, Max: 1000, Why: "评议、考核的分数，一般在 0 到 100 之间"}
	// RangeHeadcount: a number of people (应到, 实到) of a sign-in sheet or register.
	RangeHeadcount = Range{Min: 0, Max: 1000, Integer: true, Why: "一次会议的人数"}
)

// Allows reports whether v is in the range (a whole number where it must be).
func (r Range) Allows(v float64) bool {
	return !math.IsNaN(v) && v >= r.Min && v <= r.Max && (!r.Integer || v == math.Trunc(v))
}

// Problem says what is wrong with v, read from the cell raw of the column header, or "" when
// the range allows it: 数量 20220501 超出范围（允许 0–1000；像是日期填进了数量列）.
func (r Range) Problem(header, raw string, v float64) string {
	if r.Allows(v) {
		return ""
	}
	if v >= r.Min && v <= r.Max { // not a whole number
		return fmt.Sprintf("%s “%s” 应为整数（%s）", header, raw, r.Why)
	}
	why := r.Why
	switch {
	case looksLikeYMD(v):
		why = "像是日期填进了" + header + "列"
	case v == math.Trunc(v) && v >= 1921 && v <= 2100 && r.Max < 1921:
		why = "像是年份填进了" + header + "列"
	case v == math.Trunc(v) && v >= serialEarliest && v <= 73051 && r.Max < serialEarliest:
		// An Excel date (a date cell, or a date formatted as a number): 44682 is 2022-05-01.
		d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(v))
		why = "像是日期（Excel 日期 " + d.Format("2006年1月2日") + "）填进了" + header + "列"
	}
	return fmt.Sprintf("%s %s 超出范围（允许 %s；%s）", header, raw, r.Allowed(), why)
}

// Allowed writes the range for messages: 0–1000, −100–100, 0–1000 的整数.
func (r Range) Allowed() string {
	s := Num(r.Min) + "–" + Num(r.Max)
	if r.Min < 0 {
		s = Num(r.Min) + " 到 " + Num(r.Max)
	}
	if r.Integer {
		s += " 的整数"
	}
	return s
}

// Num writes a number for a message: as few digits as it needs, a negative one with the minus
// sign (−3), as the ranges are written.
func Num(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v < 0 {
		s = "−" + s[1:]
	}
	return s
}

// serialEarliest is the Excel date serial of 1921-07-01 (Earliest).
const serialEarliest = 7853

// looksLikeYMD reports whether v reads as a date written as digits: 20220501.
func looksLikeYMD(v float64) bool {
	if v != math.Trunc(v) || v < 19210701 || v > 21001231 {
		return false
	}
	n := int(v)
	y, m, d := n/10000, n/100%100, n%100
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// Dates. Every date a form holds — a sign-in's, a test's, a ledger row's, a roster's 入党时间,
// a year in a title or file name — is on or after Earliest (the founding of the Party) and no
// more than a year after today (a meeting may be planned ahead; a date later than that is a
// typo: 9999-12-31, 2202-03-05). A birth date may be earlier: EarliestBirth.
var (
	Earliest      = time.Date(1921, 7, 1, 0, 0, 0, 0, time.UTC)
	EarliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Latest is the last date a form may hold: a year after today.
func Latest() time.Time {
	t := time.Now()
	return time.Date(t.Year()+1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// DateProblem says why d is not a date a form may hold, "" when it is; earliest is Earliest, or
// EarliestBirth for a birth date.
func DateProblem(d, earliest time.Time) string {
	switch {
	case d.Before(earliest) && earliest.Equal(Earliest):
		return "早于 1921年7月1日（建党之前），不是有效的日期"
	case d.Before(earliest):
		return fmt.Sprintf("早于 %s，不是有效的日期", earliest.Format("2006年1月2日"))
	case d.After(Latest()):
		return fmt.Sprintf("晚于 %s（今天之后一年），不是有效的日期", Latest().Format("2006年1月2日"))
	}
	return ""
}

// YearProblem says why y is not a year a form may hold (a 年度, a year in a title or file
// name, the year to score), "" when it is.
func YearProblem(y int) string {
	switch {
	case y < Earliest.Year():
		return fmt.Sprintf("年份 %d 早于 1921 年（建党之前）", y)
	case y > Latest().Year():
		return fmt.Sprintf("年份 %d 晚于 %d 年（今天之后一年）", y, Latest().Year())
	}
	return ""
}
