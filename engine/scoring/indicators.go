package scoring

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/stats"
	"github.com/jifen/jifen/rules"
)

// sqlIndicatorFacts: what the indicators count besides the records (ifc, by Score): the periods
// (iperiods, and ipm: the periods of each month); the scored members per branch, category,
// stars, grade and period they were members in (imc); the meetings (imeet: a distinct 党小组 of
// a branch, activity type and date among the year's sign-in rows, whatever the members' periods,
// as codes: gc of every branch and group of the roster (mg, with the branch's bc) and aid of the
// activities (ma)); and the tables the values (iv: indicator, branch number (0 for 合计), period), the branches
// (ib) and the indicators (io) go to before they are written out.
const sqlIndicatorFacts = `
CREATE OR REPLACE TEMP TABLE iperiods AS
SELECT '全年' AS plabel, 0 AS pord, make_date($year, 1, 1) AS p0, make_date($year, 12, 31) AS p1
UNION ALL SELECT '第' || q || '季度', q, make_date($year, (3 * q - 2)::INTEGER, 1), last_day(make_date($year, (3 * q)::INTEGER, 1)) FROM range(1, 5) t(q)
UNION ALL SELECT m || '月', 4 + m, make_date($year, m::INTEGER, 1), last_day(make_date($year, m::INTEGER, 1)) FROM range(1, 13) t(m);
CREATE OR REPLACE TEMP TABLE ipm AS
SELECT m::INTEGER AS mon, p.pord FROM range(1, 13) t(m) JOIN iperiods p ON make_date($year, m::INTEGER, 1) BETWEEN p.p0 AND p.p1;
CREATE OR REPLACE TEMP TABLE imc AS
SELECT x.bno, x.mcategory, x.stars, x.grade, p.pord, sum(x.n)::BIGINT AS n
FROM (
	SELECT s.bno, s.category AS mcategory, sc.stars, sc.grade, s.p_start, s.p_end, count(*) AS n
	FROM sm s LEFT JOIN sc USING (member_id) GROUP BY ALL
) x JOIN iperiods p ON x.p_start <= p.p1 AND x.p_end >= p.p0
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE mg AS
SELECT branch, grp, dense_rank() OVER (ORDER BY branch)::INTEGER AS bc, dense_rank() OVER (ORDER BY branch, grp)::INTEGER AS gc
FROM (SELECT DISTINCT branch, grp FROM members);
CREATE OR REPLACE TEMP TABLE ma AS
SELECT activity, row_number() OVER (ORDER BY activity)::INTEGER AS aid FROM (SELECT DISTINCT activity FROM rk WHERE source = 'attendance');
CREATE OR REPLACE TEMP TABLE imeet AS
SELECT g.gc, l.aid, l.date
FROM (
	SELECT DISTINCT s.gno, k.aid, l.day AS date FROM mv l JOIN sm s USING (mno)
	JOIN (SELECT k.kid, a.aid FROM rk k JOIN ma a USING (activity) WHERE k.source = 'attendance') k USING (kid)
	WHERE l.fl & 4 <> 0
) l JOIN (SELECT DISTINCT s.gno, g.gc FROM sm s JOIN mg g USING (branch, grp)) g USING (gno);
CREATE OR REPLACE TEMP TABLE iv (ino INTEGER, bno INTEGER, pord INTEGER, v DOUBLE);
CREATE OR REPLACE TEMP TABLE ib (bno INTEGER, branch VARCHAR, pos INTEGER);
CREATE OR REPLACE TEMP TABLE io (ino INTEGER, ord INTEGER, name VARCHAR, decimals INTEGER, zero BOOLEAN, stat BOOLEAN, f DOUBLE)`

// sqlUnscoredMeetings: the sign-ins of the year of members not scored that year (their period
// does not meet it) count in the meetings too.
const sqlUnscoredMeetings = `
INSERT INTO imeet
SELECT DISTINCT m.gc, a.aid, x.date FROM attendance x
JOIN (SELECT member_id, gc FROM members JOIN mg USING (branch, grp) WHERE member_id NOT IN (SELECT member_id FROM sm)) m USING (member_id)
JOIN ma a USING (activity)
WHERE x.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)`

// sqlMeetingLevels: the meetings per branch (imeetings: bc), and for the norms per branch (gc 0)
// and per 党小组 (ilevel).
const sqlMeetingLevels = `
CREATE OR REPLACE TEMP TABLE imeetings AS SELECT DISTINCT g.bc, m.aid, m.date, month(m.date) AS mon FROM imeet m JOIN mg g USING (gc);
CREATE OR REPLACE TEMP TABLE ilevel AS
SELECT bc, 0 AS gc, aid, date FROM imeetings
UNION ALL SELECT DISTINCT g.bc, m.gc, m.aid, m.date FROM imeet m JOIN mg g USING (gc) WHERE g.grp <> ''`

// sqlWriteIndicators writes the year's indicators, replacing the earlier ones: those of every
// branch, the year's and each period's, a value stored as an integer of its decimals, rounded
// half up (away from zero); nothing counted is 0 for counts (zero), else undefined (NULL); the
// points' spread (stat) only for the year. The branches of indicators are inserted in roster
// order, 合计 last: readers order the branches by their first row. The indicators of every
// period, many times more, are stored as codes and only where something was counted
// (indicator_values: period number, the branch's place, roster order and 合计 last, the
// indicator's, and the value), unsorted, with the names behind the places (indicator_branches)
// and the indicators (indicator_names, with zero and stat), read through the view
// indicator_periods (sqlIndicatorView), which gives every branch, indicator and period as
// above. Then the tests per branch.
const sqlWriteIndicators = `
CREATE OR REPLACE TABLE iperiods_order AS SELECT plabel AS period, pord FROM iperiods;
CREATE TABLE IF NOT EXISTS compliance (year INTEGER, branch VARCHAR, ord INTEGER, activity VARCHAR, per VARCHAR, times INTEGER,
	required INTEGER, held INTEGER, short VARCHAR);
CREATE TABLE IF NOT EXISTS ranking (year INTEGER, branch VARCHAR, score DOUBLE, rank INTEGER);
CREATE TABLE IF NOT EXISTS test_stats (year INTEGER, branch VARCHAR, ord BIGINT, test VARCHAR, date DATE,
	taken INTEGER, passed INTEGER, absent INTEGER, excused INTEGER);
CREATE TABLE IF NOT EXISTS ranking_weights (year INTEGER, ord INTEGER, name VARCHAR, weight DOUBLE);
DELETE FROM indicators WHERE year = $year;
DELETE FROM indicator_values WHERE year = $year;
DELETE FROM indicator_branches WHERE year = $year;
DELETE FROM indicator_names WHERE year = $year;
DELETE FROM compliance WHERE year = $year;
DELETE FROM ranking WHERE year = $year;
DELETE FROM ranking_weights WHERE year = $year;
DELETE FROM test_stats WHERE year = $year;
INSERT INTO indicators
SELECT $year, b.branch, o.ord, o.name,
	CASE WHEN v.ino IS NOT NULL THEN CAST(round(v.v * o.f + CASE WHEN signbit(v.v) THEN -1e-9 ELSE 1e-9 END) AS BIGINT)
	     WHEN o.zero THEN 0 END,
	o.decimals
FROM ib b CROSS JOIN io o LEFT JOIN iv v ON v.ino = o.ino AND v.bno = b.bno AND v.pord = 0
ORDER BY b.pos;
INSERT INTO indicator_branches SELECT $year, pos, branch FROM ib;
INSERT INTO indicator_names (year, ord, name, decimals, zero, stat) SELECT $year, ord, name, decimals, zero, stat FROM io;
INSERT INTO indicator_values
SELECT $year, v.pord, b.pos, o.ord, CAST(round(v.v * o.f + CASE WHEN signbit(v.v) THEN -1e-9 ELSE 1e-9 END) AS BIGINT)
FROM iv v JOIN ib b USING (bno) JOIN io o USING (ino);
INSERT INTO test_stats SELECT * FROM ts`

// Internal indicator numbers: 党员数 for coverages, and a coverage's count before the ratio.
const (
	inoMembers  = -1
	inoCoverage = -2
	inoNone     = -3 // a name with no values
)

// branch is a scored branch: its number in sm and its name.
type branch struct {
	bno  int32
	name string
}

// indicatorRows are rows computed by indicators for writeIndicators to store.
type indicatorRows struct{ compliance, weights, ranking [][]driver.Value }

// indicators computes the indicators of config (per branch and 合计, per year, quarter and
// month), the points' spread per branch (gonum/stat), the 三会一课 compliance with the norms, the
// tests per branch and the branch ranking, for writeIndicators. Each indicator is one grouped
// query over the facts into iv.
func indicators(ctx context.Context, conn *sql.Conn, c *rules.Config, year int) (indicatorRows, error) {
	var out indicatorRows
	params := []any{sql.Named("year", year)}
	if err := run(ctx, conn, "指标：事实", sqlIndicatorFacts, params); err != nil {
		return out, err
	}
	var unscored bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM members WHERE member_id NOT IN (SELECT member_id FROM sm))").Scan(&unscored); err != nil {
		return out, err
	}
	if unscored {
		if err := run(ctx, conn, "指标：未计分党员的会议", sqlUnscoredMeetings, params); err != nil {
			return out, err
		}
	}
	if err := run(ctx, conn, "指标：会议", sqlMeetingLevels, nil); err != nil {
		return out, err
	}
	branches, err := branchOrder(ctx, conn)
	if err != nil {
		return out, err
	}
	var ib [][]driver.Value
	for i, b := range branches {
		ib = append(ib, []driver.Value{b.bno, b.name, int32(i)})
	}
	ib = append(ib, []driver.Value{int32(0), engine.UnitTotal, int32(len(branches))})
	if err := appendRows(conn, "temp", "ib", ib); err != nil {
		return out, err
	}

	start := time.Now()
	inos := map[string]int{} // the values of a name, as the later indicator of that name has them
	lookup := func(name string) int {
		if i, ok := inos[name]; ok {
			return i
		}
		return inoNone
	}
	var io [][]driver.Value
	add := func(ino int, name string, decimals int, zero bool) {
		io = append(io, []driver.Value{int32(ino), int32(len(io)), name, int32(decimals), zero,
			slices.Contains(rules.StatIndicators, name), math.Pow10(decimals)})
	}
	members := false // 党员数 computed into inoMembers
	for i, in := range c.Indicators {
		dec := 0
		switch in.Count {
		case rules.CountRatio:
			dec, err = 1, ratio(ctx, conn, i, lookup(in.Ratio[0]), lookup(in.Ratio[1]))
		case rules.CountCoverage:
			if !members {
				if err = countIndicator(ctx, conn, rules.Indicator{Name: "党员数", Source: rules.SourceMembers, Count: rules.CountMembers}, inoMembers); err != nil {
					return out, err
				}
				members = true
			}
			if err = countIndicator(ctx, conn, in, inoCoverage); err == nil {
				err = ratio(ctx, conn, i, inoCoverage, inoMembers)
			}
			if err == nil {
				_, err = conn.ExecContext(ctx, "DELETE FROM iv WHERE ino = ?", inoCoverage)
			}
			dec = 1
		default:
			err = countIndicator(ctx, conn, in, i)
			if in.Count == rules.CountSum || in.Count == rules.CountMean {
				dec = 2
			}
		}
		if err != nil {
			return out, fmt.Errorf("指标 “%s”：%w", in.Name, err)
		}
		inos[in.Name] = i
		add(i, in.Name, dec, in.Count != rules.CountRatio && in.Count != rules.CountCoverage && in.Count != rules.CountMean)
	}
	trace("指标：计数", start)
	// The spread of the year's totals, per branch and for the unit.
	start = time.Now()
	if err := pointSpread(ctx, conn, branches, inos, add); err != nil {
		return out, err
	}
	if err := appendRows(conn, "temp", "io", io); err != nil {
		return out, err
	}
	trace("指标：积分分布", start)

	start = time.Now()
	if out.compliance, err = compliance(ctx, conn, c, year); err != nil {
		return out, err
	}
	trace("指标：三会一课", start)
	start = time.Now()
	if _, err := conn.ExecContext(ctx, sqlTestStats, year, c.Tests.PassPercent, rules.TestAbsent, rules.TestExcused, rules.TestTaken); err != nil {
		return out, err
	}
	trace("指标：测试", start)
	out.weights, out.ranking, err = rank(ctx, conn, c, year, branches, inos)
	return out, err
}

// sqlIndicatorTables: the tables of the indicators of every period. indicator_names says of each
// indicator whether nothing counted is 0 (zero) and whether it is only the year's (stat); a
// year written before these were stored (both NULL) has every value stored.
const sqlIndicatorTables = `
CREATE TABLE IF NOT EXISTS indicator_values (year INTEGER, pord INTEGER, pos INTEGER, ord INTEGER, value BIGINT);
CREATE TABLE IF NOT EXISTS indicator_branches (year INTEGER, pos INTEGER, branch VARCHAR);
CREATE TABLE IF NOT EXISTS indicator_names (year INTEGER, ord INTEGER, name VARCHAR, decimals INTEGER);
ALTER TABLE indicator_names ADD COLUMN IF NOT EXISTS zero BOOLEAN;
ALTER TABLE indicator_names ADD COLUMN IF NOT EXISTS stat BOOLEAN`

// sqlIndicatorMigrate: a database scored before the codes has indicator_periods as a table of
// names, its branches in the order of their first row: its rows move into the tables, the
// branches numbered in that order (合计 last), and it is dropped.
const sqlIndicatorMigrate = `
INSERT INTO indicator_branches
SELECT year, (row_number() OVER (PARTITION BY year ORDER BY branch = '合计', min(rowid)) - 1)::INTEGER, branch
FROM indicator_periods GROUP BY year, branch;
INSERT INTO indicator_names (year, ord, name, decimals) SELECT DISTINCT year, ord, name, decimals FROM indicator_periods;
INSERT INTO indicator_values
SELECT i.year, o.pord, b.pos, i.ord, i.value FROM indicator_periods i
JOIN indicator_branches b USING (year, branch) JOIN (SELECT DISTINCT period, pord FROM iperiods_order) o USING (period);
DROP TABLE indicator_periods`

// sqlIndicatorView: indicator_periods, the indicators of every period by name, for SQL readers.
const sqlIndicatorView = `
CREATE OR REPLACE VIEW indicator_periods AS SELECT year, period, branch, ord, name, value, decimals FROM (` + sqlPeriodIndicators + `)`

// sqlPeriodIndicators gives every branch, indicator and period of the stored years (year, period,
// branch, ord, name, value, decimals; pord and pos, the orders of the period and the branch):
// the value stored, else 0 for an indicator whose nothing counted is 0, else NULL; an indicator
// only of the year (stat) only for the year.
const sqlPeriodIndicators = `
SELECT n.year, o.period, b.branch, n.ord, n.name,
	CASE WHEN v.pos IS NOT NULL THEN v.value WHEN n.zero THEN 0 END AS value, n.decimals, o.pord, b.pos
FROM indicator_names n JOIN indicator_branches b USING (year)
CROSS JOIN (SELECT DISTINCT period, pord FROM iperiods_order) o
LEFT JOIN indicator_values v ON v.year = n.year AND v.pos = b.pos AND v.ord = n.ord AND v.pord = o.pord
WHERE v.pos IS NOT NULL OR o.pord = 0 OR NOT coalesce(n.stat, true)`

// writeIndicators stores what indicators computed, replacing the year's earlier indicators.
func writeIndicators(ctx context.Context, conn *sql.Conn, year int, rows indicatorRows) error {
	if err := run(ctx, conn, "指标表", sqlIndicatorTables, nil); err != nil {
		return err
	}
	var old bool
	if err := conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database()
		AND schema_name = 'main' AND table_name = 'indicator_periods'`).Scan(&old); err != nil {
		return err
	}
	if old {
		if err := run(ctx, conn, "指标表", sqlIndicatorMigrate, nil); err != nil {
			return err
		}
	}
	if err := run(ctx, conn, "写出指标", sqlWriteIndicators, []any{sql.Named("year", year)}); err != nil {
		return err
	}
	if err := run(ctx, conn, "指标表", sqlIndicatorView, nil); err != nil {
		return err
	}
	for _, t := range []struct {
		table string
		rows  [][]driver.Value
	}{{"compliance", rows.compliance}, {"ranking_weights", rows.weights}, {"ranking", rows.ranking}} {
		if err := appendRows(conn, "", t.table, t.rows); err != nil {
			return err
		}
	}
	return nil
}

// branchOrder lists the scored branches in roster order.
func branchOrder(ctx context.Context, conn *sql.Conn) ([]branch, error) {
	rows, err := conn.QueryContext(ctx, "SELECT bno, branch FROM sm GROUP BY bno, branch ORDER BY min(ord)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []branch
	for rows.Next() {
		var b branch
		if err := rows.Scan(&b.bno, &b.name); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// countIndicator runs one indicator's query for every branch and the unit, and every period,
// into iv as indicator ino, with its filters as bound parameters. Records are counted from ifc
// (a count, a sum or a mean of their values) or, where each member or event counts once, from
// the movements; meetings from imeetings; members and their results from imc.
func countIndicator(ctx context.Context, conn *sql.Conn, in rules.Indicator, ino int) error {
	var where []string
	args := []any{ino}
	list := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	filters := func(k, member string) {
		list(k+"activity", in.Activities)
		list(k+"status", in.Statuses)
		list(k+"test", in.Tests)
		list(k+"rating", in.Ratings)
		list(k+"lcategory", in.Categories)
		list(k+"level", in.Levels)
		list(k+"aitem", in.Items)
		list("grade", in.Grades)
		list(member, in.MemberCategories)
		if in.Signed != nil {
			where = append(where, k+"signed = ?")
			args = append(args, *in.Signed)
		}
		if in.MinPercent != nil {
			where = append(where, k+"score * 100 >= ? * "+k+"full_mark")
			args = append(args, *in.MinPercent)
		}
		if len(in.Stars) > 0 {
			where = append(where, "stars IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(in.Stars)), ", ")+")")
			for _, s := range in.Stars {
				args = append(args, s)
			}
		}
	}
	agg := "count(*)" // meetings
	from, bno, pord := "", "f.bno", "p.pord"
	switch {
	case in.Source == rules.SourceMembers || in.Source == rules.SourceScores:
		// A member counts in each period their roster period meets; stars and grades are the year's.
		from, pord, agg = "imc f", "f.pord", "sum(f.n)"
		filters("", "mcategory")
		if in.Source == rules.SourceScores {
			where = append(where, "f.pord = 0")
		}
	case in.Count == rules.CountMeetings:
		from, bno = "imeetings f JOIN ma a USING (aid) JOIN ipm p USING (mon)", "f.bc"
		list("a.activity", in.Activities)
	default:
		from = "ifc f JOIN rk k USING (kid)"
		if len(in.MemberCategories) > 0 {
			from += " JOIN pf USING (prof)"
		}
		where = append(where, "k.source = ?")
		args = append(args, in.Source)
		filters("k.", "pf.category")
		// The records themselves for a count of members or events (each once), else the records
		// counted by key (ifc), first brought down to one row per member, event, or branch and month.
		q := sqlCountRecords
		switch in.Count {
		case rules.CountMembers, rules.CountCoverage:
			q, from = sqlCountMembers, strings.Replace(from, "ifc f", "mv f", 1)
		case rules.CountEvents:
			q, from = sqlCountEvents, strings.Replace(from, "ifc f", "mv f", 1)
		case rules.CountSum:
			q = strings.ReplaceAll(q, "{agg}", "coalesce(sum(x.s), 0)")
		case rules.CountMean:
			q = strings.ReplaceAll(q, "{agg}", "sum(x.s) / sum(x.nv)")
		default:
			q = strings.ReplaceAll(q, "{agg}", "sum(x.n)")
		}
		q = strings.NewReplacer("{from}", from, "{where}", strings.Join(where, " AND "), "{ino}", fmt.Sprint(ino)).Replace(q)
		_, err := conn.ExecContext(ctx, q, args[1:]...)
		return err
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	q := "SELECT grouping(" + bno + ") AS g, " + bno + " AS b, " + pord + " AS pord, (" + agg + ")::DOUBLE AS v FROM " + from +
		" WHERE " + cond + " GROUP BY GROUPING SETS ((" + bno + ", " + pord + "), (" + pord + "))"
	if bno == "f.bc" {
		// Meetings are per branch name: those of a branch none of whose members is scored count in 合计 only.
		q = "INSERT INTO iv SELECT ?, CASE WHEN x.g = 1 THEN 0 ELSE b.bno END, x.pord, x.v FROM (" + q +
			") x LEFT JOIN (SELECT DISTINCT g.bc, b.bno FROM mg g JOIN ib b ON b.branch = g.branch AND b.bno > 0) b ON b.bc = x.b" +
			" WHERE x.g = 1 OR b.bno IS NOT NULL"
	} else {
		q = "INSERT INTO iv SELECT ?, CASE WHEN g = 1 THEN 0 ELSE b END, pord, v FROM (" + q + ")"
	}
	_, err := conn.ExecContext(ctx, q, args...)
	return err
}

// sqlCountRecords counts the year's records (st 0) that {where} takes, per branch and period and
// for the unit ({ino}: the indicator's number; the parameters are {where}'s): {agg} of their
// number (x.n), the sum of their values (x.s) and the number of those with a value (x.nv), summed
// per branch and month first (from ifc).
const sqlCountRecords = `
INSERT INTO iv
WITH x AS (
	SELECT f.bno, f.mon, sum(f.n) AS n, sum(f.n * k.value) AS s, sum(f.n) FILTER (WHERE k.value IS NOT NULL) AS nv
	FROM {from} WHERE {where} GROUP BY f.bno, f.mon
)
SELECT {ino}, CASE WHEN grouping(x.bno) = 1 THEN 0 ELSE x.bno END, p.pord, ({agg})::DOUBLE
FROM x JOIN ipm p USING (mon)
GROUP BY GROUPING SETS ((x.bno, p.pord), (p.pord))`

// sqlCountMembers counts the members with a record of the year's (st 0) that {where} takes, per
// branch and period and for the unit, as sqlCountRecords: each member once, with the months of
// their records as the bits of an integer, which meet a period when its months' bits (ipm) do.
const sqlCountMembers = `
INSERT INTO iv
WITH x AS (
	SELECT f.bno, f.mno, bit_or(1::INTEGER << month(f.day)) AS months FROM {from}
	WHERE f.fl & 7 = 4 AND {where} GROUP BY f.bno, f.mno
), p AS (SELECT pord, bit_or(1::INTEGER << mon) AS months FROM ipm GROUP BY pord)
SELECT {ino}, CASE WHEN grouping(x.bno) = 1 THEN 0 ELSE x.bno END, p.pord, count(*)::DOUBLE
FROM x JOIN p ON x.months & p.months <> 0
GROUP BY GROUPING SETS ((x.bno, p.pord), (p.pord))`

// sqlCountEvents counts the events (a distinct name and date: the activity, test, ledger
// category or assessment item) among the year's records (st 0) that {where} takes, per branch
// and period and for the unit, as sqlCountRecords.
const sqlCountEvents = `
INSERT INTO iv
WITH e AS (
	SELECT DISTINCT f.bno, k.ename, f.day AS date, month(f.day) AS mon FROM {from}
	WHERE f.fl & 7 = 4 AND f.fl & 16 = 0 AND k.ename IS NOT NULL AND {where}
)
SELECT {ino}, e.bno, p.pord, count(*)::DOUBLE FROM e JOIN ipm p USING (mon) GROUP BY e.bno, p.pord
UNION ALL
SELECT {ino}, 0, p.pord, count(*)::DOUBLE FROM (SELECT DISTINCT ename, date, mon FROM e) u JOIN ipm p USING (mon) GROUP BY p.pord`

// ratio stores 100 × num / den as indicator ino, per branch and period: undefined where the
// denominator is 0 or undefined or the numerator undefined; a numerator with nothing counted is 0.
func ratio(ctx context.Context, conn *sql.Conn, ino, num, den int) error {
	_, err := conn.ExecContext(ctx, `INSERT INTO iv
		SELECT ?, d.bno, d.pord,
			CASE WHEN d.v IS NULL OR d.v = 0 THEN NULL WHEN n.ino IS NOT NULL AND n.v IS NULL THEN NULL ELSE 100 * coalesce(n.v, 0) / d.v END
		FROM iv d LEFT JOIN iv n ON n.ino = ? AND n.bno = d.bno AND n.pord = d.pord WHERE d.ino = ?`, ino, num, den)
	return err
}

// pointSpread computes the spread (gonum/stat) of the year's totals per branch and for the unit
// into iv, as the indicators of rules.StatIndicators (replacing an indicator of config of the
// same name), and adds them to the indicators written out.
func pointSpread(ctx context.Context, conn *sql.Conn, branches []branch, inos map[string]int, add func(ino int, name string, decimals int, zero bool)) error {
	rows, err := conn.QueryContext(ctx, "SELECT branch, total::DOUBLE FROM sc")
	if err != nil {
		return err
	}
	totals := map[string][]float64{}
	for rows.Next() {
		var b string
		var v float64
		if err := rows.Scan(&b, &v); err != nil {
			rows.Close()
			return err
		}
		totals[b] = append(totals[b], v)
		totals[engine.UnitTotal] = append(totals[engine.UnitTotal], v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ino := make([]int, len(rules.StatIndicators))
	next := 0
	for _, i := range inos {
		next = max(next, i+1)
	}
	for i, name := range rules.StatIndicators {
		if j, ok := inos[name]; ok {
			if _, err := conn.ExecContext(ctx, "DELETE FROM iv WHERE ino = ?", j); err != nil {
				return err
			}
			ino[i] = j
		} else {
			ino[i] = next
			next++
		}
		inos[name] = ino[i]
	}
	var vals [][]driver.Value
	for _, b := range append(branches, branch{0, engine.UnitTotal}) {
		s := stats.Describe(totals[b.name])
		for i, v := range []float64{s.Mean, s.Median, s.Q1, s.Q3, s.StdDev} {
			if !math.IsNaN(v) {
				vals = append(vals, []driver.Value{int32(ino[i]), b.bno, int32(0), v})
			}
		}
	}
	for i, name := range rules.StatIndicators {
		add(ino[i], name, 2, false)
	}
	return appendRows(conn, "temp", "iv", vals)
}

// sqlTestStats: each test (name and date) per branch (in roster order) and for the unit: taken
// (参考: sat it; 缺考 and 请假 are counted apart), passed, 缺考, 请假.
const sqlTestStats = `
CREATE OR REPLACE TEMP TABLE ts AS
SELECT $1, CASE WHEN grouping(branch) = 1 THEN '合计' ELSE branch END,
	CASE WHEN grouping(branch) = 1 THEN 9223372036854775807 ELSE min(bord) END, test, date,
	count(*) FILTER (WHERE status = $5),
	count(*) FILTER (WHERE status = $5 AND score * 100 >= $2 * full_mark),
	count(*) FILTER (WHERE status = $3),
	count(*) FILTER (WHERE status = $4)
FROM (
	SELECT s.branch, k.test, mv_date(l.fl, l.day) AS date, k.status, k.score, k.full_mark, min(s.ord) OVER (PARTITION BY s.branch) AS bord
	FROM mv l JOIN rk k USING (kid) JOIN sm s USING (mno)
	WHERE l.fl & 7 = 4 AND k.source = 'tests'
)
GROUP BY GROUPING SETS ((branch, test, date), (test, date))`

// sqlCompliance: for each norm (r_norm) and branch (or each 党小组 of it, for a norm per group:
// those of the scored members' roster, in roster order; the branch when it has none) the
// meetings of the norm's activity held in each month or quarter (or the year) of the year, and
// those that fell short of the norm's times; then per norm and branch, in roster order: the
// meetings held, the meetings required, and the periods that fell short (by group: 第二党小组：
// 7月、8月；第三党小组：9月).
const sqlCompliance = `
WITH u AS (
	SELECT n.ni, b.pos, b.branch, g.grp, g.gpos FROM r_norm n CROSS JOIN ib b
	JOIN (SELECT branch, grp, min(ord) AS gpos FROM sm WHERE grp <> '' GROUP BY branch, grp) g ON g.branch = b.branch
	WHERE n.per_group
	UNION ALL
	SELECT n.ni, b.pos, b.branch, '', 0 FROM r_norm n CROSS JOIN ib b
	WHERE b.bno > 0 AND NOT (n.per_group AND EXISTS (SELECT 1 FROM sm WHERE sm.branch = b.branch AND sm.grp <> ''))
), uc AS (
	SELECT u.*, b.bc, CASE WHEN u.grp = '' THEN 0 ELSE g.gc END AS gc FROM u
	JOIN (SELECT DISTINCT branch, bc FROM mg) b ON b.branch = u.branch
	LEFT JOIN mg g ON g.branch = u.branch AND g.grp = u.grp
), h AS (
	SELECT n.ni, l.bc, l.gc, p.pord, count(*) AS held -- ilevel's dates are distinct
	FROM ilevel l JOIN ma a USING (aid) JOIN r_norm n ON n.activity = a.activity JOIN ipm p ON p.mon = month(l.date) GROUP BY ALL
), g AS (
	SELECT u.ni, u.pos, u.branch, u.grp, u.gpos, sum(coalesce(h.held, 0)) AS held, sum(n.times) AS required,
		string_agg(p.plabel, '、' ORDER BY p.pord) FILTER (WHERE coalesce(h.held, 0) < n.times) AS short
	FROM uc u JOIN r_norm n USING (ni)
	JOIN iperiods p ON (n.per = 'month' AND p.pord > 4) OR (n.per = 'quarter' AND p.pord BETWEEN 1 AND 4) OR (n.per = 'year' AND p.pord = 0)
	LEFT JOIN h ON h.ni = u.ni AND h.bc = u.bc AND h.gc = u.gc AND h.pord = p.pord
	GROUP BY u.ni, u.pos, u.branch, u.grp, u.gpos
)
SELECT ni, pos, branch, sum(held)::INTEGER, sum(required)::INTEGER,
	coalesce(string_agg(CASE WHEN grp <> '' THEN grp || '：' || short ELSE short END, '；' ORDER BY gpos, grp) FILTER (WHERE short IS NOT NULL), '')
FROM g GROUP BY ni, pos, branch
ORDER BY ni, pos`

// compliance compares each branch's meetings with the norms (三会一课 held against the rules),
// listing the months or quarters that fell short; a per-group norm is checked for each 党小组
// and its shortfalls are listed by group (第二党小组：7月、8月).
func compliance(ctx context.Context, conn *sql.Conn, c *rules.Config, year int) ([][]driver.Value, error) {
	if len(c.Norms) == 0 {
		return nil, nil
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE r_norm (ni INTEGER, activity VARCHAR, per VARCHAR, times INTEGER, per_group BOOLEAN)"); err != nil {
		return nil, err
	}
	var norms [][]driver.Value
	for ni, n := range c.Norms {
		norms = append(norms, []driver.Value{int32(ni), n.Activity, n.Per, int32(n.Times), n.PerGroup})
	}
	if err := appendRows(conn, "temp", "r_norm", norms); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, sqlCompliance)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]driver.Value
	for rows.Next() {
		var ni, pos, held, required int32
		var branch, short string
		if err := rows.Scan(&ni, &pos, &branch, &held, &required, &short); err != nil {
			return nil, err
		}
		n := c.Norms[ni]
		out = append(out, []driver.Value{int32(year), branch, pos*100 + ni, n.Activity, n.Per, int32(n.Times), required, held, short})
	}
	return out, rows.Err()
}

// rank ranks the branches by the entropy-weight composite index of the ranking indicators: the
// rows of ranking_weights and ranking.
func rank(ctx context.Context, conn *sql.Conn, c *rules.Config, year int, branches []branch, inos map[string]int) (weights, ranks [][]driver.Value, err error) {
	names := c.Ranking.Indicators
	if len(names) == 0 || len(branches) == 0 {
		return nil, nil, nil
	}
	col := map[int32]int{}
	var args []any
	for j, n := range names {
		if i, ok := inos[n]; ok {
			col[int32(i)] = j
			args = append(args, i)
		}
	}
	row := map[int32]int{}
	m := make([][]float64, len(branches))
	for i, b := range branches {
		row[b.bno] = i
		m[i] = make([]float64, len(names))
		for j := range names {
			m[i][j] = math.NaN()
		}
	}
	if len(args) > 0 {
		rows, err := conn.QueryContext(ctx, "SELECT ino, bno, v FROM iv WHERE pord = 0 AND bno > 0 AND v IS NOT NULL AND ino IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+")", args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var ino, bno int32
			var v float64
			if err := rows.Scan(&ino, &bno, &v); err != nil {
				rows.Close()
				return nil, nil, err
			}
			if i, ok := row[bno]; ok {
				m[i][col[ino]] = v
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	r := stats.EntropyRank(m)
	for j, n := range names {
		weights = append(weights, []driver.Value{int32(year), int32(j), n, r.Weights[j]})
	}
	for i, b := range branches {
		ranks = append(ranks, []driver.Value{int32(year), b.name, r.Scores[i], int32(r.Rank[i])})
	}
	return weights, ranks, nil
}

// appendRows loads rows into a table (of catalog "temp" for a temporary table) with DuckDB's
// Appender, on the scoring transaction's connection.
func appendRows(conn *sql.Conn, catalog, table string, rows [][]driver.Value) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), catalog, "", table)
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
