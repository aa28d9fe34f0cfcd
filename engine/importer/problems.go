package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// What makes a reading doubtful (Reading.Problems), and what does not.
//
// A problem is:
//   - a sheet that holds a table (a header row with rows under it, see findTable) that jifen
//     cannot read as any kind of record, or that it reads without getting a single record;
//   - a non-empty column of a table read that no field takes (Reading.Unused), unless it is
//     exempt: a running number — its values are whole numbers and its header is 序号, 序, 编号
//     or No., or its values are 1, 2, 3 … in order — or config's import.ignore names it.
//
// Not a problem: a sheet that is no table (a 填表说明, a cover, a chart: no row of three short
// header-like cells with two rows under it filling two of its columns, see findTable), a column
// with a header and no values, a column, sheet or file that import.ignore names. The footer lines under a table (合计, 填表人：…) are not values
// of its columns.

// IgnoredByConfig is what a reading says of what config's import.ignore leaves alone.
const IgnoredByConfig = "按配置 import.ignore 忽略"

// ignoreAdvice ends every problem: how to have jifen read it, or leave it alone, without
// touching the file.
const ignoreAdvice = "如果确实不需要，请在 config.yaml 的 import.ignore 中写明（不要改动或删除原表格）"

// runningHeaders are the headers of a running-number column.
var runningHeaders = []string{"序号", "序", "编号", "No", "No.", "NO", "NO.", "no."}

// runningNumber sums up a column's values, as they come, to tell a running number.
type runningNumber struct {
	n          int  // values seen
	notNumbers bool // a value is no whole number
	outOfOrder bool // a value is not n (1, 2, 3 …)
}

func (r *runningNumber) add(v string) {
	r.n++
	k, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
	if err != nil {
		r.notNumbers = true
	}
	if err != nil || k != r.n {
		r.outOfOrder = true
	}
}

// exempt says why an unused column of these values is no problem ("" when it is one): a
// running number — whole numbers under a header 序号, 序, 编号 or No., or 1, 2, 3 … in order
// under any header.
func (r *runningNumber) exempt(header string) string {
	switch {
	case r.n == 0:
		return "空列"
	case r.notNumbers:
		return ""
	}
	h := rules.Normalize(header)
	for _, rh := range runningHeaders {
		if h == rules.Normalize(rh) {
			return "序号列"
		}
	}
	if !r.outOfOrder {
		return "序号列（内容为 1、2、3…）"
	}
	return ""
}

// reTimeColon is the colon of a time of day: 9:30.
var reTimeColon = regexp.MustCompile(`\d[:：]\d`)

// footerLine reports whether a row is a footer line under a table (合计…, 填表人：…, 说明：…).
func footerLine(cells []string) bool {
	for _, c := range cells {
		if c = rules.Normalize(c); c != "" {
			for _, w := range footerWords {
				if strings.HasPrefix(c, w) {
					return true
				}
			}
			// A legend or signature line (说明：√出席…, 支部书记（签字）：, 应到 12 人), as
			// footerFrom reads them under a matrix — but the colon of a time (2023-03-15 09:30)
			// is no label's.
			c = reTimeColon.ReplaceAllString(c, "")
			return reFooter.MatchString(c) || legendPrefix.MatchString(c)
		}
	}
	return false
}

// filled counts the non-empty cells of a row.
func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// findTable finds a table in a sheet jifen did not recognise: the first row (within the header
// scan) of at least three header-like cells (text of at most 20 characters, not numbers) with
// at least two rows right under it (blank rows aside) that fill two or more of its columns;
// the footer lines under it (合计, 填表人：…) end it. It returns the header row (0-based) and
// the data rows, or ok false: the sheet is no table (a 填表说明, a cover).
func findTable(t sheet.Table) (header, rows int, ok bool) {
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		cols := headerLike(t.Rows[i])
		if len(cols) < 3 {
			continue
		}
		n := 0
		for _, r := range t.Rows[i+1:] {
			if filled(r) == 0 {
				continue
			}
			in := 0
			for _, c := range cols {
				if c < len(r) && strings.TrimSpace(r[c]) != "" {
					in++
				}
			}
			if in < 2 || footerLine(r) {
				break
			}
			n++
		}
		if n >= 2 {
			return i, n, true
		}
	}
	return 0, 0, false
}

// headerLike lists the columns of a row whose cells read like a header: short text, not a
// number. A row with a long or numeric cell is none, and so is a row of fewer than three
// different texts (a merged title repeats its text over every column it spans).
func headerLike(cells []string) []int {
	var cols []int
	distinct := map[string]bool{}
	for c, v := range cells {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil || utf8.RuneCountInString(v) > 20 {
			return nil
		}
		cols = append(cols, c)
		distinct[v] = true
	}
	if len(distinct) < 3 {
		return nil
	}
	return cols
}

// unknownTable is the reading of a sheet that holds a table jifen cannot read: a problem.
func unknownTable(file string, t sheet.Table, header, rows int) *Reading {
	var heads []string
	for _, c := range t.Rows[header] {
		if c = strings.TrimSpace(c); c != "" && len(heads) < 8 {
			heads = append(heads, c)
		}
	}
	rd := &Reading{File: file, Sheet: t.Sheet, HeaderRow: header + 1, Rows: rows}
	msg := fmt.Sprintf("这张表有表头（%s）和 %d 行数据，但 jifen 认不出它是哪种记录表，整张表没有读取，结果中不含它的数据。"+
		"请在 config.yaml 的 import.headers 中加上它的表头，或在 import.layouts 中说明怎么读；%s",
		strings.Join(heads, "、"), rows, ignoreAdvice)
	rd.Problems = append(rd.Problems, (&engine.CellError{Src: engine.Source{File: file, Sheet: t.Sheet, Row: header + 1}, Col: -1, Msg: msg}).Error())
	rd.Unread = "认不出的表格"
	return rd
}

// IsProblem reports whether an unused column is a problem: it has values, is no running number
// and config does not ignore it.
func (c ColumnUse) IsProblem() bool { return !c.Ignored && c.Exempt == "" }

// columnProblems adds one problem for the unused columns of the sheet that have values and
// are neither exempt nor ignored by config: the first few named with a few of their values.
func (rd *Reading) columnProblems() {
	var named []string
	first, n := -1, 0
	for _, c := range rd.Unused {
		if !c.IsProblem() {
			continue
		}
		if n++; first < 0 {
			first = colIndex(c.Col)
		}
		if len(named) < maxNamedColumns {
			h := "（无表头）"
			if c.Header != "" {
				h = "“" + c.Header + "”"
			}
			named = append(named, fmt.Sprintf("%s %s（如：%s）", c.Col, h, c.Sample))
		}
	}
	if n == 0 {
		return
	}
	what := "列 " + strings.Join(named, "、")
	if n > len(named) {
		what += fmt.Sprintf(" 等 %d 列", n)
	}
	msg := what + " 有内容，但没有用作任何字段，它们的数据不会计入结果。" +
		"如果该读取，请在 config.yaml 的 import.headers 中把表头加到对应字段（或用 import.layouts 说明）；" + ignoreAdvice
	rd.Problems = append(rd.Problems, (&engine.CellError{Src: engine.Source{File: rd.File, Sheet: rd.Sheet, Row: rd.HeaderRow}, Col: first, Msg: msg}).Error())
}

// maxNamedColumns is how many unused columns a problem names (the rest are counted).
const maxNamedColumns = 5

// noRecordsProblem adds a problem when a table with data rows gave no record (and no error
// says why).
func (rd *Reading) noRecordsProblem() {
	if rd.Rows == 0 || rd.Records > 0 {
		return
	}
	why := ""
	if n := rd.skippedRows(); n > 0 {
		why = fmt.Sprintf("（跳过了 %d 行）", n)
	}
	msg := fmt.Sprintf("这张表有 %d 行数据，但没有读出任何记录%s，结果中不含它的数据。请检查表头和内容是否对应；%s", rd.Rows, why, ignoreAdvice)
	rd.Problems = append(rd.Problems, (&engine.CellError{Src: engine.Source{File: rd.File, Sheet: rd.Sheet, Row: rd.HeaderRow}, Col: -1, Msg: msg}).Error())
	rd.Unread = "没有读出记录"
}
