package importer

import (
	"fmt"
	"strconv"
	"strings"

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
// Not a problem: a sheet that is no table (a 填表说明, a cover, a chart: fewer than two rows of
// two cells under a row of three), a column with a header and no values, a column, sheet or
// file that import.ignore names. The footer lines under a table (合计, 填表人：…) are not values
// of its columns.

// IgnoredByConfig is what a reading says of what config's import.ignore leaves alone.
const IgnoredByConfig = "按配置 import.ignore 忽略"

// ignoreAdvice ends every problem: how to have jifen read it, or leave it alone, without
// touching the file.
const ignoreAdvice = "如果确实不需要，请在 config.yaml 的 import.ignore 中写明（不要改动或删除原表格）"

// runningHeaders are the headers of a running-number column.
var runningHeaders = []string{"序号", "序", "编号", "No", "No.", "NO", "NO.", "no."}

// exemptColumn says why an unused column is no problem ("" when it is one): a running number.
func exemptColumn(header string, values []string) string {
	if len(values) == 0 {
		return "空列"
	}
	want := 1
	consecutive := true
	for _, v := range values {
		n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
		if err != nil {
			return ""
		}
		consecutive = consecutive && n == want
		want++
	}
	h := rules.Normalize(header)
	for _, r := range runningHeaders {
		if h == rules.Normalize(r) {
			return "序号列"
		}
	}
	if consecutive {
		return "序号列（内容为 1、2、3…）"
	}
	return ""
}

// footerLine reports whether a row is a footer line under a table (合计…, 填表人：…, 说明：…).
func footerLine(cells []string) bool {
	for _, c := range cells {
		if c = rules.Normalize(c); c != "" {
			for _, w := range footerWords {
				if strings.HasPrefix(c, w) {
					return true
				}
			}
			return false
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

// findTable finds a table in a sheet jifen did not recognise: the first row of at least three
// filled cells (within the header scan) with at least two rows of at least two filled cells
// under it (footer lines aside). It returns the header row (0-based) and the data rows, or
// ok false: the sheet is no table (a 填表说明, a cover).
func findTable(t sheet.Table) (header, rows int, ok bool) {
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		if filled(t.Rows[i]) < 3 {
			continue
		}
		n := 0
		for _, r := range t.Rows[i+1:] {
			if filled(r) >= 2 && !footerLine(r) {
				n++
			}
		}
		if n >= 2 {
			return i, n, true
		}
	}
	return 0, 0, false
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

// columnProblems adds a problem for each unused column that has values and is neither exempt
// nor ignored by config.
func (rd *Reading) columnProblems() {
	for _, c := range rd.Unused {
		if c.Ignored || c.Exempt != "" {
			continue
		}
		h := "（无表头）"
		if c.Header != "" {
			h = "“" + c.Header + "”"
		}
		msg := fmt.Sprintf("列 %s 有内容（如：%s），但没有用作任何字段，它的数据不会计入结果。"+
			"如果它该被读取，请在 config.yaml 的 import.headers 中把它的表头加到对应字段（或用 import.layouts 说明）；%s",
			h, c.Sample, ignoreAdvice)
		rd.Problems = append(rd.Problems, (&engine.CellError{Src: engine.Source{File: rd.File, Sheet: rd.Sheet, Row: rd.HeaderRow}, Col: colIndex(c.Col), Msg: msg}).Error())
	}
}

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
