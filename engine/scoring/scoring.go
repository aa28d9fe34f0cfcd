// Package scoring computes a year's points, stars and grades, and the branch indicators, as SQL
// in DuckDB over the imported records, following the rules of config.yaml (the reference scheme
// of DOMAIN.md by default). It writes three result tables: point_ledger (积分明细: one row per
// point movement with its rule, source row and the cap or veto that changed it), scores and
// indicators. Every figure comes from the config through rule tables; no user text is ever
// spliced into SQL.
package scoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"regexp"
	"strings"

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
}

// InferYear picks the year most sign-in rows fall in (then tests, ledger rows, pledges).
func InferYear(ctx context.Context, st *store.Store) (int, error) {
	for _, q := range []string{
		"SELECT year(date) AS y FROM attendance GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year(date) AS y FROM tests GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year(date) AS y FROM entries GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
		"SELECT year AS y FROM pledges GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1",
	} {
		var y int
		err := st.DB.QueryRowContext(ctx, q).Scan(&y)
		if err == nil {
			return y, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, fmt.Errorf("数据库中没有任何活动、测试或台账记录，无法推断计分年度：请先导入数据，或用 --year 指定")
}

// Score computes the year's results, replacing any earlier results of that year. It runs in one
// transaction: on error the earlier results stay.
func Score(ctx context.Context, st *store.Store, c *rules.Config, year int) (Result, error) {
	res := Result{Year: year}
	conn, err := st.DB.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return res, err
	}
	ok := false
	defer func() {
		if !ok {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if err := loadRules(ctx, conn, c); err != nil {
		return res, fmt.Errorf("载入规则失败：%w", err)
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
		sql.Named("taken", rules.TestTaken),
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
		{"记录", sqlRecords},
		{"匹配条目", sqlMatches},
		{"计分", sqlMovements},
		{"上限", sqlCapped},
		{"在册期间外", sqlOutside},
		{"基础分", sqlBases},
		{"类别合计", sqlBounds},
		{"一票否决", sqlVetoes},
		{"清除旧结果", "DELETE FROM point_ledger WHERE year = $year;\nDELETE FROM period_scores WHERE year = $year;\nDELETE FROM scores WHERE year = $year"},
		{"积分明细", sqlLedger},
		{"周期得分", sqlPeriodScores},
		{"评星定格", sqlScores},
	}
	for _, stp := range steps {
		for _, q := range strings.Split(stp.sql, ";\n") {
			if _, err := conn.ExecContext(ctx, q, used(q, params)...); err != nil {
				return res, fmt.Errorf("计分（%s）失败：%w", stp.what, err)
			}
		}
	}
	if res.Warnings, err = unmatched(ctx, conn, c); err != nil {
		return res, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM scores WHERE year = ?", year).Scan(&res.Members); err != nil {
		return res, err
	}
	if err := indicators(ctx, conn, c, year); err != nil {
		return res, fmt.Errorf("计算指标失败：%w", err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS score_runs (year INTEGER, scored_at TIMESTAMP)"); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO score_runs VALUES (?, now())", year); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return res, err
	}
	ok = true
	return res, nil
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
// exist.
func unmatched(ctx context.Context, conn *sql.Conn, c *rules.Config) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `
		SELECT i.cat_ord, i.item_ord FROM r_item i
		WHERE EXISTS (SELECT 1 FROM rec r WHERE r.source = i.source)
		GROUP BY i.cat_ord, i.item_ord
		HAVING NOT EXISTS (SELECT 1 FROM mt JOIN r_item j USING (row_id) WHERE j.cat_ord = i.cat_ord AND j.item_ord = i.item_ord)
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ci, ii int
		if err := rows.Scan(&ci, &ii); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("scoring.categories[%d].items[%d]（%s）今年没有匹配到任何记录：如果确实没有这类记录可以忽略，否则请核对它的条件是否写错", ci, ii, c.Scoring.Categories[ci].Name))
	}
	return out, rows.Err()
}
