// Package scoring computes a year's points, stars and grades, and the branch indicators, as SQL
// in DuckDB over the imported records, following the rules of config.yaml (the reference scheme
// of DOMAIN.md by default). It writes the results: the point ledger (积分明细: one row per
// point movement with its rule, source row and the cap or veto that changed it; stored as codes
// in point_moves and point_codes, the few movements' own rules and notes in point_notes, read
// through the view point_ledger: engine/store), scores and indicators. Every figure comes from
// the config through rule tables; no user text is ever spliced into SQL.
//
// The records are read once, into working tables of small integer codes (sql.go), and every
// indicator is a grouped query over those; the results are then written in one transaction.
// BenchmarkScore measures it on a synthetic year of any size (datasets/big/bigdb).
package scoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"regexp"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/rules"
)

// Result summarises a scoring run.
type Result struct {
	Year    int
	Members int // members scored: those whose period meets the year
	// Warnings name items that matched no record although records of their source exist: a
	// misspelt name (民主平议) would otherwise drop a component without a word.
	Warnings []string
	// Unmatched are those items, as [category, item] indexes into the config's scoring
	// categories, in the order of Warnings.
	Unmatched [][2]int
	// Excluded are the records of the year left out for a value outside its range (ranges.go),
	// each a message naming its file, sheet and row.
	Excluded []string
}

// InferYear picks the year most sign-in rows fall in (then tests, ledger rows, pledges), among
// the years a form may hold (engine.YearProblem): a record dated 9999-12-31 by an earlier
// version never makes the year 9999.
func InferYear(ctx context.Context, st *store.Store) (int, error) {
	lo, hi := engine.Earliest.Year(), engine.Latest().Year()
	for _, q := range []string{
		"SELECT year(date) AS y FROM attendance WHERE y BETWEEN ? AND ? GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year(date) AS y FROM tests WHERE y BETWEEN ? AND ? GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year(date) AS y FROM entries WHERE y BETWEEN ? AND ? GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year AS y FROM pledges WHERE y BETWEEN ? AND ? GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
	} {
		var y int
		err := st.DB.QueryRowContext(ctx, q, lo, hi).Scan(&y)
		if err == nil {
			return y, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, fmt.Errorf("数据库中没有任何活动、测试或台账记录，无法推断计分年度：请先导入数据，或用 --year 指定")
}

// Score computes the year's results, replacing any earlier results of that year. The results
// are computed into temporary working tables of the connection first, then written in one
// transaction: on error the earlier results stay. (Only the writing is in the transaction:
// DuckDB reads what an open transaction has written several times slower, and on one thread.)
func Score(ctx context.Context, st *store.Store, c *rules.Config, year int) (Result, error) {
	res := Result{Year: year}
	conn, err := st.DB.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer run(context.Background(), conn, "清理", sqlDropWork, nil)
	start := time.Now()
	if err := loadRules(ctx, conn, c); err != nil {
		return res, fmt.Errorf("载入规则失败：%w", err)
	}
	trace("载入规则", start)
	if res.Excluded, err = outOfRange(ctx, conn, year); err != nil {
		return res, fmt.Errorf("核对数值范围失败：%w", err)
	}
	g := c.Grades
	starScope, starRanked := "branch", c.StarRanks != nil
	if c.StarRanks != nil {
		starScope = c.StarRanks.Scope
	}
	yearTotal := c.YearTotal
	if yearTotal == "" {
		yearTotal = rules.TotalSum
	}
	params := []any{
		sql.Named("year", year), sql.Named("period", c.Period), sql.Named("year_total", yearTotal),
		sql.Named("taken", rules.TestTaken), sql.Named("ages", usesAges(c)),
		sql.Named("cat_none", catNone), sql.Named("cat_veto", catVeto), sql.Named("cat_base", catBase),
		sql.Named("base", c.Scoring.Base),
		sql.Named("star_scope", starScope), sql.Named("star_ranked", starRanked),
		sql.Named("full", rules.CategoryFull), sql.Named("probationary", rules.CategoryProbationary),
		sql.Named("probationary_grade", g.Probationary),
		sql.Named("quota_num", g.Excellent.QuotaNumerator), sql.Named("quota_den", g.Excellent.QuotaDenominator),
		sql.Named("rounding", g.Excellent.Rounding), sql.Named("ties", g.Excellent.Ties),
		sql.Named("excellent_min", g.Excellent.Min), sql.Named("excellent", g.Excellent.Name),
	}
	steps := []struct{ what, sql string }{
		{"格式函数", sqlMacros},
		{"在册期间", sqlPeriods},
		{"记录的键", sqlKeys},
		{"匹配条目", sqlMatches},
		{"计分", sqlMovements},
		{"上限", sqlCapped},
		{"基础分", sqlBases},
		{"类别合计", sqlBounds},
		{"一票否决", sqlVetoes},
		{"周期得分", sqlPeriodScores},
		{"评星定格", sqlScores},
	}
	order := strings.NewReplacer() // the orders of the movements, once they are known
	ifcProf := ""
	for _, in := range c.Indicators {
		if len(in.MemberCategories) > 0 && in.Source != rules.SourceMembers && in.Source != rules.SourceScores {
			ifcProf = ", prof"
		}
	}
	for _, stp := range steps {
		q := rangeReplacer.Replace(strings.ReplaceAll(order.Replace(stp.sql), "{ifc_prof}", ifcProf))
		if err := run(ctx, conn, stp.what, q, params); err != nil {
			return res, fmt.Errorf("计分（%s）失败：%w", stp.what, err)
		}
		if stp.sql == sqlMovements {
			if order, err = movementOrder(ctx, conn, len(c.Scoring.Categories)); err != nil {
				return res, err
			}
		}
	}
	start = time.Now()
	if res.Warnings, res.Unmatched, err = unmatched(ctx, conn, c); err != nil {
		return res, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sc").Scan(&res.Members); err != nil {
		return res, err
	}
	trace("未匹配的条目", start)
	ind, err := indicators(ctx, conn, c, year)
	if err != nil {
		return res, fmt.Errorf("计算指标失败：%w", err)
	}

	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return res, err
	}
	ok := false
	defer func() {
		if !ok {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if err := run(ctx, conn, "写出积分明细", order.Replace(sqlWriteScores), params); err != nil {
		return res, fmt.Errorf("保存计分结果失败：%w", err)
	}
	if err := writeIndicators(ctx, conn, year, ind); err != nil {
		return res, fmt.Errorf("保存指标失败：%w", err)
	}
	start = time.Now()
	if _, err := conn.ExecContext(ctx, "INSERT INTO score_runs VALUES (?, now())", year); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return res, err
	}
	trace("提交", start)
	ok = true
	return res, nil
}

// run executes the statements of a step (separated by ";\n"), each with the named parameters it
// refers to, and reports the step's time to the tracer.
func run(ctx context.Context, conn *sql.Conn, what, stmts string, params []any) error {
	start := time.Now()
	for _, q := range strings.Split(stmts, ";\n") {
		if _, err := conn.ExecContext(ctx, q, used(q, params)...); err != nil {
			return err
		}
	}
	trace(what, start)
	return nil
}

// traceStep, when set (by the benchmarks), is told how long each step of Score took.
var traceStep func(step string, d time.Duration)

func trace(step string, start time.Time) {
	if traceStep != nil {
		traceStep(step, time.Since(start))
	}
}

// orderBits is the widest packed order of the movements (tests lower it to check the listed
// orders give the same results).
var orderBits = 63

// movementOrder gives the orders of the movements as SQL: {ledger_key}, a number increasing in
// the ledger's order within a member (period, phase, date with the undated first, category,
// file and sheet, row, key): the packed order, or the movement's number in it;
// {cap_order}, a category's records' for the caps (date with the undated first, file and sheet,
// row, key); {best_order}, the tie-break of highest-only (the same with the undated last).
// DuckDB sorts on one BIGINT several times faster than on seven columns: the codes are packed
// into one when their widths fit in orderBits (a NULL, sorting last, as all ones), else listed
// (and the ledger's movements numbered, a sort the packed order spares). {moves}: where the
// ledger's movements go, point_packed with only their packed order (the codes decoded when read,
// by the widths of {layout} in point_layout: engine/store ledgerMoves), or point_moves with every
// code.
func movementOrder(ctx context.Context, conn *sql.Conn, categories int) (*strings.Replacer, error) {
	var fs, row, kid, minRow sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT max(fs), max(row), max(kid), min(row) FROM mv").Scan(&fs, &row, &kid, &minRow); err != nil {
		return nil, err
	}
	width := func(max int64) int { return bits.Len64(uint64(max) + 1) }
	fb, rb, kb, cb := width(fs.Int64), width(row.Int64), width(kid.Int64), width(int64(categories+3))
	if minRow.Int64 < 0 || 4+3+9+cb+fb+rb+kb > orderBits {
		key := "row_number() OVER (PARTITION BY mno ORDER BY period, phase, date NULLS FIRST, cat_ord, fs, row, kid)"
		return strings.NewReplacer(
			"{ledger_key}", key,
			"{cap_order}", "mv_date(l.fl, l.day) NULLS FIRST, l.fs, l.row, l.kid",
			"{best_order}", "mv_date(l.fl, l.day), l.fs, l.row, l.kid",
			"{moves}", "point_moves SELECT $year, mno, period, "+key+", cat_ord, kid, fs, row, date, raw, points, xid",
			"{layout}", "0, 0, 0, 0, 0 WHERE false"), nil
	}
	ones := func(n int) int64 { return 1<<n - 1 }
	// The file and sheet, row and key under a first code.
	records := func(first, p string) string {
		return fmt.Sprintf("((((((%s << %d) | coalesce(%sfs, %d)) << %d) | coalesce(%srow, %d)) << %d) | coalesce(%skid, %d))",
			first, fb, p, ones(fb), rb, p, ones(rb), kb, p, ones(kb))
	}
	// -1 (the base), the categories, then 1000000, 1000001 and 2000000 (the ledger's own).
	cat := fmt.Sprintf("CASE cat_ord WHEN 1000000 THEN %d WHEN 1000001 THEN %d WHEN 2000000 THEN %d ELSE cat_ord + 1 END",
		categories+1, categories+2, categories+3)
	ledger := fmt.Sprintf("((((((period::BIGINT << 3) | phase) << 9) | coalesce(dayofyear(date), 0)) << %d) | %s)", cb, cat)
	key := records(ledger, "")
	return strings.NewReplacer(
		"{ledger_key}", key,
		"{cap_order}", records("coalesce(dayofyear(mv_date(l.fl, l.day)), 0)::BIGINT", "l."),
		"{best_order}", records("coalesce(dayofyear(mv_date(l.fl, l.day)), 511)::BIGINT", "l."),
		"{moves}", "point_packed SELECT $year, mno, "+key+", raw, points, xid",
		"{layout}", fmt.Sprintf("%d, %d, %d, %d, %d", fb, rb, kb, cb, categories)), nil
}

// usesAges says whether any item or exemption looks at the members' age: only then do
// members of different ages need matching apart.
func usesAges(c *rules.Config) bool {
	for _, cat := range c.Scoring.Categories {
		if e := cat.Exempt; e != nil && (e.MinAge != nil || e.MaxAge != nil) {
			return true
		}
		for _, it := range cat.Items {
			if m := it.Member; m != nil && (m.MinAge != nil || m.MaxAge != nil) {
				return true
			}
		}
	}
	return false
}

// Stale reports whether records were imported, replaced or removed after the year was last
// scored: the stored results then do not reflect the data (an interrupted run, an import not
// followed by jifen score).
func Stale(ctx context.Context, db *sql.DB, year int) (bool, error) {
	var stale bool
	err := db.QueryRowContext(ctx, `SELECT coalesce((SELECT max(imported_at) FROM imports) >
		(SELECT max(scored_at) FROM score_runs WHERE year = ?), false)`, year).Scan(&stale)
	if err != nil && strings.Contains(err.Error(), "does not exist") {
		return false, nil // a database scored before score_runs existed
	}
	return stale, err
}

// used keeps the named parameters a statement refers to ($name), as DuckDB wants.
func used(query string, params []any) []any {
	var out []any
	for _, p := range params {
		n := p.(sql.NamedArg)
		if regexp.MustCompile(`\$` + n.Name + `\b`).MatchString(query) {
			out = append(out, p)
		}
	}
	return out
}

// unmatched lists the items that took no record of the year while records of their source
// exist: the keys and profiles of the records in their members' periods (mv), and mk says which
// items those take.
func unmatched(ctx context.Context, conn *sql.Conn, c *rules.Config) ([]string, [][2]int, error) {
	rows, err := conn.QueryContext(ctx, `
		WITH used AS (SELECT DISTINCT f.kid, f.prof, k.source FROM (SELECT DISTINCT kid, prof FROM mv WHERE fl & 7 = 4) f JOIN rk k USING (kid))
		SELECT i.cat_ord, i.item_ord FROM r_item i
		WHERE EXISTS (SELECT 1 FROM used u WHERE u.source = i.source)
		GROUP BY i.cat_ord, i.item_ord
		HAVING NOT EXISTS (SELECT 1 FROM used u JOIN mk m USING (kid, prof) JOIN r_item j ON j.row_id = m.row_id
			WHERE j.cat_ord = i.cat_ord AND j.item_ord = i.item_ord)
		ORDER BY 1, 2`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []string
	var which [][2]int
	for rows.Next() {
		var ci, ii int
		if err := rows.Scan(&ci, &ii); err != nil {
			return nil, nil, err
		}
		which = append(which, [2]int{ci, ii})
		out = append(out, fmt.Sprintf("scoring.categories[%d].items[%d]（%s）今年没有匹配到任何记录：如果确实没有这类记录可以忽略，否则请核对它的条件是否写错",
			ci, ii, DescribeItem(c.Scoring.Categories[ci].Name, c.Scoring.Categories[ci].Items[ii])))
	}
	return out, which, rows.Err()
}

// DescribeItem names an item by its category and what it matches: 出勤：支委会、出席 (the
// category alone when it matches every record of its source).
func DescribeItem(category string, it rules.Item) string {
	var what []string
	for _, l := range [][]string{it.Activities, it.Statuses, it.Tests, it.Ratings, it.Categories, it.Levels, it.Items} {
		what = append(what, l...)
	}
	if it.Signed != nil {
		what = append(what, map[bool]string{true: "已签订", false: "未签订"}[*it.Signed])
	}
	if len(what) == 0 {
		return category
	}
	return category + "：" + strings.Join(what, "、")
}
