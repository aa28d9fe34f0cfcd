package scoring

import (
	"context"
	"database/sql"

	"github.com/jifen/jifen/engine"
)

// PeriodIndicator is an indicator of one period: 全年, 第1季度 … 第4季度, 1月 … 12月.
type PeriodIndicator struct {
	Period string
	engine.Indicator
}

// PeriodIndicators lists the year's indicators for every period, branch by branch (合计 last).
func PeriodIndicators(ctx context.Context, db *sql.DB, year int) ([]PeriodIndicator, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT i.period, i.branch, i.name, i.value, i.decimals FROM indicator_periods i
		JOIN (SELECT DISTINCT period, pord FROM iperiods_order) o USING (period)
		WHERE i.year = ? ORDER BY o.pord, i.branch = '合计', min(i.rowid) OVER (PARTITION BY i.branch), i.ord`, year)
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
			f := float64(v.Int64)
			for i := 0; i < p.Decimals; i++ {
				f /= 10
			}
			p.Value = &f
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Compliance is a branch's 三会一课 of one kind against its norm: meetings held and required in
// the year, and the months or quarters that fell short (e.g. 2月、4月).
type Compliance struct {
	Branch   string
	Activity string
	Per      string // month, quarter, year
	Times    int    // required per period
	Required int
	Held     int
	Short    string
}

// ComplianceOf lists the year's compliance rows in roster order of branches and norm order.
func ComplianceOf(ctx context.Context, db *sql.DB, year int) ([]Compliance, error) {
	rows, err := db.QueryContext(ctx, "SELECT branch, activity, per, times, required, held, short FROM compliance WHERE year = ? ORDER BY ord", year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Compliance
	for rows.Next() {
		var c Compliance
		if err := rows.Scan(&c.Branch, &c.Activity, &c.Per, &c.Times, &c.Required, &c.Held, &c.Short); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// BranchRank is a branch's composite index (0–1) and rank; Weights are the indicators' weights.
type BranchRank struct {
	Branch string
	Score  float64
	Rank   int
}

// Weight is an indicator's entropy weight in the ranking.
type Weight struct {
	Name   string
	Weight float64
}

// RankingOf gives the year's branch ranking (best first) and the weights.
func RankingOf(ctx context.Context, db *sql.DB, year int) ([]BranchRank, []Weight, error) {
	rows, err := db.QueryContext(ctx, "SELECT branch, score, rank FROM ranking WHERE year = ? ORDER BY rank, branch", year)
	if err != nil {
		return nil, nil, err
	}
	var ranks []BranchRank
	for rows.Next() {
		var r BranchRank
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
	var ws []Weight
	for rows.Next() {
		var w Weight
		if err := rows.Scan(&w.Name, &w.Weight); err != nil {
			return nil, nil, err
		}
		ws = append(ws, w)
	}
	return ranks, ws, rows.Err()
}
