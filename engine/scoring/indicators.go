package scoring

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/stats"
	"github.com/jifen/jifen/rules"
)

// sqlIndicatorFacts: the records the indicators count, each with its member's roster branch
// and category and its period keys; the members of each period; the meetings (a distinct
// branch, activity type and date among the year's sign-in rows, whatever the members'
// periods); and the tables the results go to.
const sqlIndicatorFacts = `
CREATE OR REPLACE TEMP TABLE ifacts AS
SELECT r.*, s.branch, s.category AS mcategory,
	CASE WHEN r.source = 'tests' THEN r.score WHEN r.source IN ('ledger', 'assessments') THEN r.qty END AS value,
	CASE WHEN r.source IN ('tests', 'ledger', 'assessments') THEN coalesce(r.test, r.lcategory, r.aitem) ELSE r.activity END AS ename
FROM rec r JOIN sm s USING (member_id);
CREATE OR REPLACE TEMP TABLE imembers AS
SELECT s.member_id, s.branch, s.category AS mcategory, s.p_start, s.p_end, sc.stars, sc.grade FROM sm s
LEFT JOIN scores sc ON sc.member_id = s.member_id AND sc.year = $year;
CREATE OR REPLACE TEMP TABLE imeetings AS
SELECT DISTINCT m.branch, a.activity, a.date FROM attendance a JOIN members m USING (member_id) WHERE year(a.date) = $year;
CREATE OR REPLACE TEMP TABLE imeetings_g AS
SELECT DISTINCT m.branch, m.grp, a.activity, a.date FROM attendance a JOIN members m USING (member_id) WHERE year(a.date) = $year AND m.grp <> '';
CREATE OR REPLACE TEMP TABLE iperiods AS
SELECT '全年' AS plabel, 0 AS pord, make_date($year, 1, 1) AS p0, make_date($year, 12, 31) AS p1
UNION ALL SELECT '第' || q || '季度', q, make_date($year, (3 * q - 2)::INTEGER, 1), last_day(make_date($year, (3 * q)::INTEGER, 1)) FROM range(1, 5) t(q)
UNION ALL SELECT m || '月', 4 + m, make_date($year, m::INTEGER, 1), last_day(make_date($year, m::INTEGER, 1)) FROM range(1, 13) t(m);
CREATE TABLE IF NOT EXISTS indicator_periods (year INTEGER, period VARCHAR, branch VARCHAR, ord INTEGER, name VARCHAR, value BIGINT, decimals INTEGER);
CREATE OR REPLACE TABLE iperiods_order AS SELECT plabel AS period, pord FROM iperiods;
CREATE TABLE IF NOT EXISTS compliance (year INTEGER, branch VARCHAR, ord INTEGER, activity VARCHAR, per VARCHAR, times INTEGER,
	required INTEGER, held INTEGER, short VARCHAR);
CREATE TABLE IF NOT EXISTS ranking (year INTEGER, branch VARCHAR, score DOUBLE, rank INTEGER);
CREATE TABLE IF NOT EXISTS test_stats (year INTEGER, branch VARCHAR, ord BIGINT, test VARCHAR, date DATE,
	taken INTEGER, passed INTEGER, absent INTEGER, excused INTEGER);
CREATE TABLE IF NOT EXISTS ranking_weights (year INTEGER, ord INTEGER, name VARCHAR, weight DOUBLE)`

// ikey is an indicator value's place: branch (合计 for the unit) and period (全年, 第1季度, 3月).
type ikey struct{ branch, period string }

// raw is an indicator's values before formatting; nil entries are undefined.
type raw map[ikey]*float64

// indicators computes the indicators of config (per branch and 合计, per year, quarter and
// month), the points' spread per branch (gonum/stat), the 三会一课 compliance with the norms and
// the branch ranking, into the tables indicators (the year's), indicator_periods, compliance,
// ranking and ranking_weights.
func indicators(ctx context.Context, conn *sql.Conn, c *rules.Config, year int) error {
	for _, q := range strings.Split(sqlIndicatorFacts, ";\n") {
		if _, err := conn.ExecContext(ctx, q, used(q, []any{sql.Named("year", year)})...); err != nil {
			return err
		}
	}
	branches, err := branchOrder(ctx, conn)
	if err != nil {
		return err
	}
	all := map[string]raw{}
	type out struct {
		name     string
		decimals int
		zero     bool // a count: nothing counted is 0, not undefined
	}
	var order []out
	for _, in := range c.Indicators {
		var vals raw
		dec := 0
		switch in.Count {
		case rules.CountRatio:
			vals, dec = ratio(all[in.Ratio[0]], all[in.Ratio[1]]), 1
		default:
			vals, err = countIndicator(ctx, conn, c, in)
			if err != nil {
				return fmt.Errorf("指标 “%s”：%w", in.Name, err)
			}
			switch in.Count {
			case rules.CountCoverage:
				dec = 1
			case rules.CountSum, rules.CountMean:
				dec = 2
			}
		}
		all[in.Name] = vals
		zero := in.Count != rules.CountRatio && in.Count != rules.CountCoverage && in.Count != rules.CountMean
		order = append(order, out{in.Name, dec, zero})
	}
	// The spread of the year's totals, per branch and for the unit.
	spread, err := pointSpread(ctx, conn, year, branches)
	if err != nil {
		return err
	}
	for i, name := range rules.StatIndicators {
		all[name] = spread[i]
		order = append(order, out{name, 2, false})
	}

	for _, q := range []string{"DELETE FROM indicators WHERE year = ?", "DELETE FROM indicator_periods WHERE year = ?",
		"DELETE FROM compliance WHERE year = ?", "DELETE FROM ranking WHERE year = ?", "DELETE FROM ranking_weights WHERE year = ?"} {
		if _, err := conn.ExecContext(ctx, q, year); err != nil {
			return err
		}
	}
	periods := []string{"全年"}
	for q := 1; q <= 4; q++ {
		periods = append(periods, "第"+strconv.Itoa(q)+"季度")
	}
	for m := 1; m <= 12; m++ {
		periods = append(periods, strconv.Itoa(m)+"月")
	}
	var yearly, periodic [][]driver.Value
	for _, b := range append(branches, engine.UnitTotal) {
		for i, o := range order {
			for _, p := range periods {
				v, ok := all[o.name][ikey{b, p}]
				if !ok && p != "全年" && slices.Contains(rules.StatIndicators, o.name) {
					continue // the spread is of the year's totals only
				}
				var stored driver.Value
				switch {
				case ok && v != nil:
					stored = scaled(*v, o.decimals)
				case !ok && o.zero:
					stored = int64(0)
				}
				if p == "全年" {
					yearly = append(yearly, []driver.Value{int32(year), b, int32(i), o.name, stored, int32(o.decimals)})
				}
				periodic = append(periodic, []driver.Value{int32(year), p, b, int32(i), o.name, stored, int32(o.decimals)})
			}
		}
	}
	if err := appendRows(conn, "indicators", yearly); err != nil {
		return err
	}
	if err := appendRows(conn, "indicator_periods", periodic); err != nil {
		return err
	}
	if err := compliance(ctx, conn, c, year, branches); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM test_stats WHERE year = ?", year); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, sqlTestStats, year, c.Tests.PassPercent, rules.TestAbsent, rules.TestExcused, rules.TestTaken); err != nil {
		return err
	}
	return rank(ctx, conn, c, year, branches, all)
}

// scaled stores a value as an integer of its decimals, rounded half up (away from zero).
func scaled(v float64, decimals int) int64 {
	f := math.Pow10(decimals)
	return int64(math.Round(v*f + math.Copysign(1e-9, v)))
}

// branchOrder lists the scored branches in roster order.
func branchOrder(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT branch FROM sm GROUP BY branch ORDER BY min(ord)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// countIndicator runs one indicator's query for every period dimension, with its filters as
// bound parameters.
func countIndicator(ctx context.Context, conn *sql.Conn, c *rules.Config, in rules.Indicator) (raw, error) {
	var where []string
	var args []any
	list := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	table, dateCol, agg := "ifacts", "date", ""
	switch in.Source {
	case rules.SourceMembers, rules.SourceScores:
		table = "imembers"
	default:
		where = append(where, "source = ?")
		args = append(args, in.Source)
	}
	list("activity", in.Activities)
	list("status", in.Statuses)
	list("test", in.Tests)
	list("rating", in.Ratings)
	list("lcategory", in.Categories)
	list("level", in.Levels)
	list("aitem", in.Items)
	list("grade", in.Grades)
	list("mcategory", in.MemberCategories)
	if in.Signed != nil {
		where = append(where, "signed = ?")
		args = append(args, *in.Signed)
	}
	if in.MinPercent != nil {
		where = append(where, "score * 100 >= ? * full_mark")
		args = append(args, *in.MinPercent)
	}
	if len(in.Stars) > 0 {
		where = append(where, "stars IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(in.Stars)), ", ")+")")
		for _, s := range in.Stars {
			args = append(args, s)
		}
	}
	switch in.Count {
	case rules.CountRecords:
		agg = "count(*)::DOUBLE"
	case rules.CountMembers, rules.CountCoverage:
		agg = "count(DISTINCT member_id)::DOUBLE"
	case rules.CountMeetings:
		table, agg = "imeetings", "count(*)::DOUBLE"
		where, args = nil, nil
		list("activity", in.Activities)
	case rules.CountEvents:
		agg = "count(DISTINCT ename || '|' || date::VARCHAR)::DOUBLE"
	case rules.CountSum:
		agg = "coalesce(sum(value), 0)::DOUBLE"
	case rules.CountMean:
		agg = "avg(value)::DOUBLE"
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var q string
	switch table {
	case "imembers":
		// A member counts in each period their roster period meets; stars and grades are the year's.
		q = "SELECT CASE WHEN grouping(branch) = 1 THEN '合计' ELSE branch END, plabel, " + agg +
			" FROM imembers JOIN iperiods p ON p_start <= p.p1 AND p_end >= p.p0 WHERE " + cond
		if in.Source == rules.SourceScores {
			q += " AND plabel = '全年'"
		}
	default:
		q = "SELECT CASE WHEN grouping(branch) = 1 THEN '合计' ELSE branch END, plabel, " + agg +
			" FROM " + table + " JOIN iperiods p ON " + dateCol + " BETWEEN p.p0 AND p.p1 WHERE " + cond
	}
	q += " GROUP BY GROUPING SETS ((branch, plabel), (plabel))"
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	vals := raw{}
	for rows.Next() {
		var b, p string
		var v sql.NullFloat64
		if err := rows.Scan(&b, &p, &v); err != nil {
			rows.Close()
			return nil, err
		}
		if v.Valid {
			x := v.Float64
			vals[ikey{b, p}] = &x
		} else {
			vals[ikey{b, p}] = nil
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if in.Count == rules.CountCoverage {
		members, err := countIndicator(ctx, conn, c, rules.Indicator{Name: "党员数", Source: rules.SourceMembers, Count: rules.CountMembers})
		if err != nil {
			return nil, err
		}
		return ratio(vals, members), nil
	}
	return vals, nil
}

// ratio is a / b in percent, per place; undefined where b is 0 or either is undefined.
func ratio(a, b raw) raw {
	out := raw{}
	for k, d := range b {
		if d == nil || *d == 0 {
			out[k] = nil
			continue
		}
		n := 0.0
		if v, ok := a[k]; ok {
			if v == nil {
				out[k] = nil
				continue
			}
			n = *v
		}
		x := 100 * n / *d
		out[k] = &x
	}
	return out
}

// pointSpread computes the spread (gonum/stat) of the year's totals per branch and for the unit,
// in the order of rules.StatIndicators.
func pointSpread(ctx context.Context, conn *sql.Conn, year int, branches []string) ([]raw, error) {
	rows, err := conn.QueryContext(ctx, "SELECT branch, total::DOUBLE FROM scores WHERE year = ?", year)
	if err != nil {
		return nil, err
	}
	totals := map[string][]float64{}
	for rows.Next() {
		var b string
		var v float64
		if err := rows.Scan(&b, &v); err != nil {
			rows.Close()
			return nil, err
		}
		totals[b] = append(totals[b], v)
		totals[engine.UnitTotal] = append(totals[engine.UnitTotal], v)
	}
	rows.Close()
	out := make([]raw, len(rules.StatIndicators))
	for i := range out {
		out[i] = raw{}
	}
	for _, b := range append(branches, engine.UnitTotal) {
		s := stats.Describe(totals[b])
		for i, v := range []float64{s.Mean, s.Median, s.Q1, s.Q3, s.StdDev} {
			if !math.IsNaN(v) {
				x := v
				out[i][ikey{b, "全年"}] = &x
			}
		}
	}
	return out, rows.Err()
}

// sqlTestStats: each test (name and date) per branch (in roster order) and for the unit.
const sqlTestStats = `
INSERT INTO test_stats
SELECT $1, CASE WHEN grouping(branch) = 1 THEN '合计' ELSE branch END,
	CASE WHEN grouping(branch) = 1 THEN 9223372036854775807 ELSE min(bord) END, test, date,
	count(*) FILTER (WHERE status <> $4),
	count(*) FILTER (WHERE status = $5 AND score * 100 >= $2 * full_mark),
	count(*) FILTER (WHERE status = $3),
	count(*) FILTER (WHERE status = $4)
FROM (SELECT f.*, min(s.ord) OVER (PARTITION BY f.branch) AS bord FROM ifacts f JOIN sm s USING (member_id) WHERE f.source = 'tests')
GROUP BY GROUPING SETS ((branch, test, date), (test, date))`

// sqlCompliance: for each branch and norm, the meetings held in each month or quarter (or the
// year) of the year against the times required.
const sqlCompliance = `
SELECT p.plabel, count(DISTINCT m.date) AS held
FROM iperiods p LEFT JOIN imeetings m ON m.branch = ? AND m.activity = ? AND m.date BETWEEN p.p0 AND p.p1
WHERE (? = 'month' AND p.pord > 4) OR (? = 'quarter' AND p.pord BETWEEN 1 AND 4) OR (? = 'year' AND p.pord = 0)
GROUP BY p.plabel, p.pord ORDER BY p.pord`

// sqlComplianceGroup: the same for one 党小组 of a branch.
const sqlComplianceGroup = `
SELECT p.plabel, count(DISTINCT m.date) AS held
FROM iperiods p LEFT JOIN imeetings_g m ON m.branch = ? AND m.grp = ? AND m.activity = ? AND m.date BETWEEN p.p0 AND p.p1
WHERE (? = 'month' AND p.pord > 4) OR (? = 'quarter' AND p.pord BETWEEN 1 AND 4) OR (? = 'year' AND p.pord = 0)
GROUP BY p.plabel, p.pord ORDER BY p.pord`

// compliance compares each branch's meetings with the norms (三会一课 held against the rules),
// listing the months or quarters that fell short; a per-group norm is checked for each 党小组
// and its shortfalls are listed by group (第二党小组：7月、8月).
func compliance(ctx context.Context, conn *sql.Conn, c *rules.Config, year int, branches []string) error {
	for bi, b := range branches {
		for ni, n := range c.Norms {
			groups := []string{""}
			if n.PerGroup {
				var err error
				if groups, err = branchGroups(ctx, conn, b); err != nil {
					return err
				}
			}
			held, required := 0, 0
			var shorts []string
			for _, g := range groups {
				var rows *sql.Rows
				var err error
				if n.PerGroup && g != "" {
					rows, err = conn.QueryContext(ctx, sqlComplianceGroup, b, g, n.Activity, n.Per, n.Per, n.Per)
				} else {
					rows, err = conn.QueryContext(ctx, sqlCompliance, b, n.Activity, n.Per, n.Per, n.Per)
				}
				if err != nil {
					return err
				}
				var short []string
				for rows.Next() {
					var label string
					var h int
					if err := rows.Scan(&label, &h); err != nil {
						rows.Close()
						return err
					}
					held += h
					required += n.Times
					if h < n.Times {
						short = append(short, label)
					}
				}
				rows.Close()
				if len(short) > 0 {
					if g != "" {
						shorts = append(shorts, g+"："+strings.Join(short, "、"))
					} else {
						shorts = append(shorts, strings.Join(short, "、"))
					}
				}
			}
			if _, err := conn.ExecContext(ctx, "INSERT INTO compliance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				year, b, bi*100+ni, n.Activity, n.Per, n.Times, required, held, strings.Join(shorts, "；")); err != nil {
				return err
			}
		}
	}
	return nil
}

// branchGroups lists a branch's 党小组 from the roster of the scored members ("" when none).
func branchGroups(ctx context.Context, conn *sql.Conn, branch string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT grp FROM sm WHERE branch = ? AND grp <> '' GROUP BY grp ORDER BY min(ord)", branch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out, rows.Err()
}

// rank ranks the branches by the entropy-weight composite index of the ranking indicators.
func rank(ctx context.Context, conn *sql.Conn, c *rules.Config, year int, branches []string, all map[string]raw) error {
	names := c.Ranking.Indicators
	if len(names) == 0 || len(branches) == 0 {
		return nil
	}
	m := make([][]float64, len(branches))
	for i, b := range branches {
		m[i] = make([]float64, len(names))
		for j, n := range names {
			m[i][j] = math.NaN()
			if v := all[n][ikey{b, "全年"}]; v != nil {
				m[i][j] = *v
			}
		}
	}
	r := stats.EntropyRank(m)
	for j, n := range names {
		if _, err := conn.ExecContext(ctx, "INSERT INTO ranking_weights VALUES (?, ?, ?, ?)", year, j, n, r.Weights[j]); err != nil {
			return err
		}
	}
	for i, b := range branches {
		if _, err := conn.ExecContext(ctx, "INSERT INTO ranking VALUES (?, ?, ?, ?)", year, b, r.Scores[i], r.Rank[i]); err != nil {
			return err
		}
	}
	return nil
}

// appendRows loads rows into a table with DuckDB's Appender, on the scoring transaction's
// connection.
func appendRows(conn *sql.Conn, table string, rows [][]driver.Value) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := a.AppendRow(r...); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
}
