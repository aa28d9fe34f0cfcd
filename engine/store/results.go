package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
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
		SELECT s.member_id, s.name, s.branch, s.category, s.total::DOUBLE, s.stars, s.grade, s.reason, s.star_reason,
			coalesce(m.id_card, ''), coalesce(m.phone, '')
		FROM scores s LEFT JOIN members m USING (member_id) WHERE s.year = ?
		ORDER BY min(s.ord) OVER (PARTITION BY s.branch), s.ord`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.MemberResult
	for rows.Next() {
		var r engine.MemberResult
		if err := rows.Scan(&r.ID, &r.Name, &r.Branch, &r.Category, &r.Total, &r.Stars, &r.Grade, &r.Reason, &r.StarReason, &r.IDCard, &r.Phone); err != nil {
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
			f := float64(v.Int64) / math.Pow10(in.Decimals)
			in.Value = &f
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Ledger lists the year's point ledger: of one member (memberID ≠ ""; only that member's
// movements are read), or of all members in roster order; each member's movements in order.
func (s *Store) Ledger(ctx context.Context, year int, memberID string) ([]engine.Movement, error) {
	from, args := "point_ledger", []any{year}
	if memberID != "" {
		from, args = "("+memberLedger+")", []any{year, memberID}
	}
	rows, err := s.DB.QueryContext(ctx, `
		SELECT l.member_id, l.period, l.seq, l.category, l.rule, l.date, l.raw_points::DOUBLE, l.points::DOUBLE, l.note, l.source
		FROM `+from+` l JOIN scores s ON s.year = l.year AND s.member_id = l.member_id
		WHERE l.year = $1
		ORDER BY min(s.ord) OVER (PARTITION BY s.branch), s.ord, l.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []engine.Movement
	for rows.Next() {
		var m engine.Movement
		var d sql.NullTime
		if err := rows.Scan(&m.MemberID, &m.Period, &m.Seq, &m.Category, &m.Rule, &d, &m.Raw, &m.Points, &m.Note, &m.Source); err != nil {
			return nil, err
		}
		m.Date = d.Time
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindMembers finds scored members of the year by 党员编号 (also masked) or name (spaces ignored).
func (s *Store) FindMembers(ctx context.Context, year int, who string) ([]engine.MemberResult, error) {
	all, err := s.Scores(ctx, year)
	if err != nil {
		return nil, err
	}
	var out []engine.MemberResult
	key := strings.Join(strings.Fields(strings.ReplaceAll(who, "　", " ")), "")
	for _, m := range all {
		// A 党员编号 that is a 身份证号 or 手机号 may be given masked, as members.csv and
		// jifen's messages show it (110101********1234).
		// A 身份证号 ends in X, often typed x: IDs compare without case.
		if strings.EqualFold(m.ID, who) || m.Name == key || strings.Contains(who, "*") && strings.EqualFold(privacy.Mask(m.ID), key) ||
			byCard(m.ID, key) {
			out = append(out, m)
		}
	}
	return out, nil
}

// byCard reports whether id, the key of a member known by 身份证号 (身份证:110101********1233/张伟,
// engine.CardKeyPrefix), is the member of the 身份证号 typed, whole or masked.
func byCard(id, typed string) bool {
	card, ok := strings.CutPrefix(id, engine.CardKeyPrefix)
	if !ok {
		return false
	}
	masked, _, _ := strings.Cut(card, "/")
	return strings.EqualFold(masked, typed) || strings.EqualFold(masked, privacy.Mask(strings.ToUpper(typed)))
}
