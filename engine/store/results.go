package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jifen/jifen/engine"
)

// ScoredYear is the year of the latest scoring run, for export without --year.
func (s *Store) ScoredYear(ctx context.Context) (int, error) {
	var y sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, "SELECT max(year) FROM scores").Scan(&y); err != nil {
		return 0, err
	}
	if !y.Valid {
		return 0, errors.New("数据库中还没有计分结果：请先运行 jifen score")
	}
	return int(y.Int64), nil
}

// Scores lists the year's member results in roster order (branch by branch).
func (s *Store) Scores(ctx context.Context, year int) ([]engine.MemberResult, error) {
	rows, err := s.DB.QueryContext(ctx, `
		SELECT member_id, name, branch, category, total::DOUBLE, stars, grade, reason
		FROM scores WHERE year = ?
		ORDER BY min(ord) OVER (PARTITION BY branch), ord`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.MemberResult
	for rows.Next() {
		var r engine.MemberResult
		if err := rows.Scan(&r.ID, &r.Name, &r.Branch, &r.Category, &r.Total, &r.Stars, &r.Grade, &r.Reason); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("数据库中没有 %d 年的计分结果：请先运行 jifen score --year %d", year, year)
	}
	return out, nil
}

// Indicators lists the year's indicators, branch by branch (合计 last), in display order.
func (s *Store) Indicators(ctx context.Context, year int) ([]engine.Indicator, error) {
	rows, err := s.DB.QueryContext(ctx, `
		SELECT branch, name, value, decimals FROM indicators WHERE year = ?
		ORDER BY branch = '合计', min(rowid) OVER (PARTITION BY branch), ord`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.Indicator
	for rows.Next() {
		var in engine.Indicator
		var v sql.NullInt64
		if err := rows.Scan(&in.Branch, &in.Name, &v, &in.Decimals); err != nil {
			return nil, err
		}
		if v.Valid {
			f := float64(v.Int64)
			for i := 0; i < in.Decimals; i++ {
				f /= 10
			}
			in.Value = &f
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
