package scoring

import (
	"context"
	"database/sql"
	"math"

	"github.com/jifen/jifen/engine"
)

// PeriodIndicator is an indicator of one period: 全年, 第1季度 … 第4季度, 1月 … 12月.
type PeriodIndicator struct {
	Period string
	engine.Indicator
}

// PeriodIndicators lists the year's indicators for every period, branch by branch (合计 last).
func PeriodIndicators(ctx context.Context, db *sql.DB, year int) ([]PeriodIndicator, error) {
	q := "SELECT period, branch, name, value, decimals FROM (" + sqlPeriodIndicators + ") WHERE year = ? ORDER BY pord, pos, ord"
	var codes bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database()
		AND schema_name = 'main' AND table_name = 'indicator_values'`).Scan(&codes); err != nil {
		return nil, err
	}
	if !codes { // a database last scored before the codes: indicator_periods is a table of names (writeIndicators)
		q = `
		SELECT i.period, i.branch, i.name, i.value, i.decimals FROM indicator_periods i
		JOIN (SELECT DISTINCT period, pord FROM iperiods_order) o USING (period)
		WHERE i.year = ? ORDER BY o.pord, i.branch = '合计', min(i.rowid) OVER (PARTITION BY i.branch), i.ord`
	}
	rows, err := db.QueryContext(ctx, q, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PeriodIndicator
	for rows.Next() {
		var p PeriodIndicator
		var v sql.NullInt64
		if err := rows.Scan(&p.Period, &p.Branch, &p.Name, &v, &p.Decimals); err != nil {
			return nil, err
		}
		if v.Valid {
			f := float64(v.Int64) / math.Pow10(p.Decimals)
			p.Value = &f
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ComplianceOf lists the year's compliance rows in roster order of branches and norm order.
func ComplianceOf(ctx context.Context, db *sql.DB, year int) ([]engine.Compliance, error) {
	rows, err := db.QueryContext(ctx, "SELECT branch, activity, per, times, required, held, short FROM compliance WHERE year = ? ORDER BY ord", year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.Compliance
	for rows.Next() {
		var c engine.Compliance
		if err := rows.Scan(&c.Branch, &c.Activity, &c.Per, &c.Times, &c.Required, &c.Held, &c.Short); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RankingOf gives the year's branch ranking (best first) and the weights.
func RankingOf(ctx context.Context, db *sql.DB, year int) ([]engine.BranchRank, []engine.Weight, error) {
	rows, err := db.QueryContext(ctx, "SELECT branch, score, rank FROM ranking WHERE year = ? ORDER BY rank, branch", year)
	if err != nil {
		return nil, nil, err
	}
	var ranks []engine.BranchRank
	for rows.Next() {
		var r engine.BranchRank
		if err := rows.Scan(&r.Branch, &r.Score, &r.Rank); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ranks = append(ranks, r)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, "SELECT name, weight FROM ranking_weights WHERE year = ? ORDER BY ord", year)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ws []engine.Weight
	for rows.Next() {
		var w engine.Weight
		if err := rows.Scan(&w.Name, &w.Weight); err != nil {
			return nil, nil, err
		}
		ws = append(ws, w)
	}
	return ranks, ws, rows.Err()
}

// TestStats lists the year's tests per branch and for the unit (合计), by date.
func TestStats(ctx context.Context, db *sql.DB, year int) ([]engine.TestStat, error) {
	rows, err := db.QueryContext(ctx, "SELECT branch, test, date, taken, passed, absent, excused FROM test_stats WHERE year = ? ORDER BY date, test, ord", year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.TestStat
	for rows.Next() {
		var t engine.TestStat
		if err := rows.Scan(&t.Branch, &t.Test, &t.Date, &t.Taken, &t.Passed, &t.Absent, &t.Excused); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
