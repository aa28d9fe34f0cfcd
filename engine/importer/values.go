package importer

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

var (
	reDate = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)
	reMD   = regexp.MustCompile(`^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
)

// reCompactDate matches a date written as eight digits: 20220315 (no Excel serial is that large).
var reCompactDate = regexp.MustCompile(`^((?:19|20)\d{2})(\d{2})(\d{2})$`)

// reYearMonth matches a year and month without a day: 2022.11, 2022-07, 2022/7, 2022年7月.
var reYearMonth = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`)

// earliest is the earliest date jifen accepts: the founding of the Party (1921-07-01). Anything
// earlier is a misread (a year.month typed as a number reads as a date in 1905).
var earliest = engine.Earliest

// parseMonth reads a year and month without a day (2022.11, 2005-07, 2022年7月): for the
// roster's 入党时间, 转入时间 and 转出时间, which people often write to the month. Its range is
// checked where the month becomes a date (row.monthDate).
func parseMonth(raw string) (y, m int, ok bool) {
	mm := reYearMonth.FindStringSubmatch(rules.Normalize(raw))
	if mm == nil {
		return 0, 0, false
	}
	y, m = atoi(mm[1]), atoi(mm[2])
	return y, m, y >= engine.EarliestBirth.Year() && m >= 1 && m <= 12
}

// minSerial is the smallest Excel serial taken for a date where text could also be a month and
// day (3.15): 20000 is 1954-10-03.
const minSerial = 20000

// parseDate reads a date cell: an Excel serial number (1900 or 1904 system; a fraction is the
// time of day and is dropped) or text such as 2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日,
// optionally followed by a time. A month and day alone (3月5日, 3.5) take year, the year of the
// sheet's period; with year 0 they are an error. Every date, however written, is checked
// (checkDate): from 1921-07-01 to a year after today.
func parseDate(raw string, date1904 bool, year int) (time.Time, error) {
	return parseDateFrom(raw, date1904, year, earliest)
}

// parseDateFrom is parseDate taking dates from a given earliest one (a birth date's is
// engine.EarliestBirth).
func parseDateFrom(raw string, date1904 bool, year int, from time.Time) (time.Time, error) {
	d, shown, err := readDate(raw, date1904, year)
	if err != nil {
		return time.Time{}, err
	}
	if err := checkDate(d, from); err != nil {
		switch {
		case shown:
			return time.Time{}, err
		case d.Before(from) && !isText(raw):
			return time.Time{}, fmt.Errorf("读作 %s，%v（如果是年月，请写成 2022-03 或完整日期）", d.Format("2006-01-02"), err)
		default:
			return time.Time{}, fmt.Errorf("读作 %s，%v", d.Format("2006-01-02"), err)
		}
	}
	return d, nil
}

// checkDate is the one check of every date a form holds, however it is written (text, an Excel
// serial or date cell, a month, a sheet's title or file name with a day column): on or after
// from (engine.Earliest, 1921-07-01, or a birth date's engine.EarliestBirth) and no more than
// a year after today (engine.DateProblem).
func checkDate(d, from time.Time) error {
	if msg := engine.DateProblem(d, from); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// isText reports whether a date cell is written as text (not a bare number).
func isText(raw string) bool {
	_, err := strconv.ParseFloat(rules.Normalize(raw), 64)
	return err != nil
}

// readDate reads a date cell without checking its range; shown says whether the text shows
// the whole date (2022-03-05, not 3.5 or a serial number).
func readDate(raw string, date1904 bool, year int) (d time.Time, shown bool, err error) {
	s := rules.Normalize(raw)
	if m := reDate.FindStringSubmatch(s); m != nil {
		d, err := ymd(m[1], m[2], m[3])
		return d, true, err
	}
	if m := reMD.FindStringSubmatch(s); m != nil {
		if year == 0 {
			return time.Time{}, false, fmt.Errorf("没有年份，标题、工作表名、文件名和所在目录名中也没有（请写完整日期，如 2022年3月5日）")
		}
		d, err := ymd(strconv.Itoa(year), m[1], m[2])
		return d, false, err
	}
	if m := reCompactDate.FindStringSubmatch(s); m != nil {
		d, err := ymd(m[1], m[2], m[3])
		return d, true, err
	}
	if _, _, ok := parseMonth(s); ok {
		return time.Time{}, false, fmt.Errorf("只写到了月份，请写到日（如 2022-03-05）")
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 1 && v < 2958466 {
		return excelSerial(v, date1904), false, nil
	}
	return time.Time{}, false, fmt.Errorf("无法识别为日期（可用：Excel 日期、2022-03-05、2022/3/5、2022.3.5、2022年3月5日）")
}

// looksLikeDate reports whether a header cell is a date (so a second header row of dates is
// told from a data row).
func looksLikeDate(s string) bool {
	s = rules.Normalize(s)
	if reDate.MatchString(s) || reMD.MatchString(s) {
		return true
	}
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && v >= minSerial && v < 2958466
}

func ymd(ys, ms, ds string) (time.Time, error) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("不是有效的日期（%d年没有 %d月%d日）", y, m, d)
	}
	return t, nil
}

// excelSerial converts an Excel date serial to a date. In the 1900 system Excel counts the
// non-existent 1900-02-29 as day 60, so serials from 61 on are one day ahead of a plain count.
func excelSerial(v float64, date1904 bool) time.Time {
	days := int(math.Floor(v))
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	}
	if days >= 61 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	}
	return time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
}

// parseNumber reads a number cell: digits stored as numbers or as text, full-width digits, an
// optional trailing 分 (points).
func parseNumber(raw string) (float64, error) {
	s := strings.TrimSuffix(rules.Normalize(raw), "分")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("应为数字")
	}
	return v, nil
}

// notNumberHint says what a cell that is no number looks like, for the message: a date typed
// into a number column, a number with thousands separators; "" when nothing is recognised.
func notNumberHint(raw string) string {
	s := rules.Normalize(raw)
	switch {
	case reDateCell.MatchString(s):
		return "：像是日期填进了这一列"
	case reThousands.MatchString(s):
		return "：请去掉千位分隔符（1,000 写作 1000）"
	}
	return ""
}

var (
	reDateCell  = regexp.MustCompile(`^\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*\d{1,2})?`)
	reThousands = regexp.MustCompile(`^-?\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// errNotYear: a 年度 cell that is no year at all (it may be a date).
var errNotYear = errors.New("应为年份（如 2022）")

// parseYear reads a year cell: 2022, 2022年, 2022年度.
func parseYear(raw string) (int, error) {
	s := strings.TrimSuffix(strings.TrimSuffix(rules.Normalize(raw), "度"), "年")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != math.Trunc(v) || v < 1000 || v > 9999 {
		return 0, errNotYear
	}
	if msg := engine.YearProblem(int(v)); msg != "" {
		return 0, fmt.Errorf("%s，不是有效的年度", msg)
	}
	return int(v), nil
}

// NormalizeName folds a person's name for matching: inner and full-width spaces are dropped.
func NormalizeName(s string) string { return rules.Normalize(s) }

// reAmbiguousDot matches a dotted date whose last part is 1, 2 or 3: typed as 9.10, 9.20, 9.30
// or 2022.10 in a cell formatted as a number, it loses its trailing zero and reads 9.1.
var reAmbiguousDot = regexp.MustCompile(`^\d{1,4}\.[123]$`)

// ambiguousDot reports whether a date may have lost a trailing zero.
func ambiguousDot(s string) bool {
	return strings.ContainsAny(s, ".．") && reAmbiguousDot.MatchString(rules.Normalize(s))
}

func ambiguousDotMsg(s string) string {
	s = rules.Normalize(s)
	return fmt.Sprintf("日期 “%s” 可能是 “%s0” 被表格软件当作数字存掉了末尾的 0，请核对；写成 9月10日、2022-09-10 这样的格式就不会出错", s, s)
}
