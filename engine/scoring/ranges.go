package scoring

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jifen/jifen/engine"
)

// Stored values outside the ranges of engine/ranges.go. The importer refuses them at their cell,
// but a database imported by an earlier version may hold them (a 数量 of 20220501, a 满分 of
// 1e12): scoring's DECIMAL(18,2) arithmetic may not take them, and no result from them would
// mean anything. Scoring leaves such records out, from points and indicators alike (their keys
// are not in rj, so no movement is made of them), and says which (Result.Excluded).

// storedRange is the range of a stored numeric column.
type storedRange struct {
	table, col string
	header     string // the column's name in messages
	rg         engine.Range
	also       string // a further SQL condition of the value (a score is at most its 满分)
}

var storedRanges = []storedRange{
	{"tests", "full_mark", "满分", engine.RangeFullMark, "full_mark > 0"},
	{"tests", "score", "成绩", engine.RangeScore, "score <= full_mark"},
	{"entries", "count", "数量", engine.RangeQuantity, ""},
	{"entries", "points", "分值", engine.RangePoints, ""},
	{"assessments", "value", "评价结果", engine.RangeAssessment, ""},
}

// ok is the SQL condition of a value in range (NULL is no value; NaN and ±Inf are outside any
// range: DuckDB orders NaN above every number).
func (s storedRange) ok() string {
	c := fmt.Sprintf("%s BETWEEN %s AND %s", s.col, sqlNum(s.rg.Min), sqlNum(s.rg.Max))
	if s.rg.Integer {
		c += " AND " + s.col + " = trunc(" + s.col + ")"
	}
	if s.also != "" {
		c += " AND " + s.also
	}
	return "(" + s.col + " IS NULL OR (" + c + "))"
}

func sqlNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// inRange is the SQL condition of a record of table whose values are all in range ("true"
// for a table without numbers).
func inRange(table string) string {
	var cs []string
	for _, s := range storedRanges {
		if s.table == table {
			cs = append(cs, s.ok())
		}
	}
	if len(cs) == 0 {
		return "true"
	}
	return strings.Join(cs, " AND ")
}

// rangeReplacer puts each table's condition into the scoring SQL: {tests_ok} ….
var rangeReplacer = strings.NewReplacer("{tests_ok}", inRange("tests"), "{entries_ok}", inRange("entries"),
	"{assessments_ok}", inRange("assessments"))

// maxExcluded is how many records left out are listed; the rest are counted.
const maxExcluded = 50

// outOfRangeSQL selects the values of the year ($year) outside their range: k (the index in
// storedRanges), file_id, sheet, row, v, fm (a test's 满分).
func outOfRangeSQL() string {
	var parts []string
	for i, s := range storedRanges {
		parts = append(parts, fmt.Sprintf("SELECT %d AS k, file_id, sheet, row, %s::DOUBLE AS v, %s AS fm FROM %s WHERE %s AND NOT %s",
			i, s.col, map[bool]string{true: "full_mark::DOUBLE", false: "NULL::DOUBLE"}[s.table == "tests"], s.table,
			"date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)", s.ok()))
	}
	return strings.Join(parts, " UNION ALL ")
}

// OutOfRange counts the stored values of the year that scoring leaves out (outOfRange lists
// them), for the note export and report open with.
func OutOfRange(ctx context.Context, db *sql.DB, year int) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM ("+outOfRangeSQL()+")", sql.Named("year", year)).Scan(&n)
	return n, err
}

// outOfRange lists the stored records of the year that scoring leaves out for a value outside
// its range, as messages naming file, sheet and row: 台账.csv!3行: 数量 20220501 超出范围（允许
// 0–1000；像是日期填进了数量列），这条记录未计分….
func outOfRange(ctx context.Context, conn *sql.Conn, year int) ([]string, error) {
	q := `SELECT x.k, coalesce(f.name, ''), x.sheet, x.row, x.v, x.fm, count(*) OVER () FROM (` + outOfRangeSQL() + `) x
		LEFT JOIN files f USING (file_id) ORDER BY f.name, x.sheet, x.row, x.k LIMIT ` + strconv.Itoa(maxExcluded)
	rows, err := conn.QueryContext(ctx, q, sql.Named("year", year))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	total := 0
	for rows.Next() {
		var k int
		var src engine.Source
		var v float64
		var fm sql.NullFloat64
		if err := rows.Scan(&k, &src.File, &src.Sheet, &src.Row, &v, &fm, &total); err != nil {
			return nil, err
		}
		s := storedRanges[k]
		raw := strconv.FormatFloat(v, 'f', -1, 64)
		msg := s.rg.Problem(s.header, raw, v)
		switch {
		case msg != "":
		case s.col == "score" && fm.Valid:
			msg = fmt.Sprintf("成绩 %s 超出满分 %s", raw, strconv.FormatFloat(fm.Float64, 'f', -1, 64))
		case s.col == "full_mark":
			msg = fmt.Sprintf("满分 %s 应大于 0", raw) // the range allows 0, a 满分 must be more
		default:
			msg = fmt.Sprintf("%s %s 超出范围（允许 %s）", s.header, raw, s.rg.Allowed())
		}
		out = append(out, fmt.Sprintf("%s: %s，这条记录未计分（数据库中的这条记录是早先的版本导入的，现在导入时会被拒绝：请改正原表格后重新导入）", src, msg))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if total > len(out) {
		out = append(out, fmt.Sprintf("另有 %d 条记录的数值超出范围，未计分", total-len(out)))
	}
	return out, nil
}
