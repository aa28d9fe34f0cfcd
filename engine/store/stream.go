package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jifen/jifen/engine"
)

// The streaming reads of a scored year, for the outputs of a unit of any size: each is one
// query whose rows are handed on (put) as they are read, so that neither the members nor the
// ledger are held in memory. The store has one connection: put must not use the store, which
// is busy until the query's rows are read (a put that fails ends the query and is returned).
// Members come in roster order: branch by branch (in the order the roster first lists them),
// each branch's members as the roster lists them. Points are points (2 decimals), counts rows.

// scored are the year's scored members (WHERE s.year = ?) with their roster rows, and
// rosterOrder their roster order.
const (
	scored      = "scores s LEFT JOIN members m USING (member_id)"
	rosterOrder = "ORDER BY min(s.ord) OVER (PARTITION BY s.branch), s.ord"
)

// each runs q and calls scan on each row, to the end or the first error.
func (s *Store) each(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScoredMembers is the number of members scored in the year (0: the year was not scored).
func (s *Store) ScoredMembers(ctx context.Context, year int) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, "SELECT count(*) FROM scores WHERE year = ?", year).Scan(&n)
	return n, err
}

// HasPersonalData reports whether any member scored in the year has a 身份证号 or a 手机号 in
// the roster.
func (s *Store) HasPersonalData(ctx context.Context, year int) (bool, error) {
	var personal bool
	err := s.DB.QueryRowContext(ctx, "SELECT coalesce(bool_or(coalesce(m.id_card, '') <> '' OR coalesce(m.phone, '') <> ''), false) FROM "+
		scored+" WHERE s.year = ?", year).Scan(&personal)
	return personal, err
}

// EachScore puts the year's member results in roster order, with the roster's 身份证号 and 手机号
// and the reasons of the grade and the stars (附件1 prints them as its 备注 for a 一票否决 or 不定等次;
// the 公示 marks a grade set by 一票否决).
func (s *Store) EachScore(ctx context.Context, year int, put func(engine.MemberResult) error) error {
	var m engine.MemberResult
	return s.each(ctx, `SELECT s.member_id, s.name, s.branch, s.category, s.total::DOUBLE, s.stars, s.grade, s.reason, s.star_reason,
		coalesce(m.id_card, ''), coalesce(m.phone, '') FROM `+scored+" WHERE s.year = ? "+rosterOrder, []any{year}, func(rows *sql.Rows) error {
		if err := rows.Scan(&m.ID, &m.Name, &m.Branch, &m.Category, &m.Total, &m.Stars, &m.Grade, &m.Reason, &m.StarReason, &m.IDCard, &m.Phone); err != nil {
			return err
		}
		return put(m)
	})
}

// EachPledge puts every scored member's 承诺书 of the year in roster order: a member who handed
// in none has Has false.
func (s *Store) EachPledge(ctx context.Context, year int, put func(engine.PledgeRow) error) error {
	var p engine.PledgeRow
	return s.each(ctx, `SELECT s.member_id, s.name, s.branch, p.member_id IS NOT NULL, coalesce(p.signed, false), coalesce(p.rating, '')
		FROM scores s LEFT JOIN pledges p ON p.member_id = s.member_id AND p.year = s.year
		WHERE s.year = ? `+rosterOrder, []any{year}, func(rows *sql.Rows) error {
		if err := rows.Scan(&p.MemberID, &p.Name, &p.Branch, &p.Has, &p.Signed, &p.Rating); err != nil {
			return err
		}
		return put(p)
	})
}

// EachPeriodTotals puts each scored member's totals of periods 1 to periods (4 quarters or 12
// months) side by side, in roster order. The Periods slice and what it points to are reused:
// they are valid until put returns.
func (s *Store) EachPeriodTotals(ctx context.Context, year, periods int, put func(engine.PeriodTotals) error) error {
	var cols strings.Builder
	for p := 1; p <= periods; p++ {
		fmt.Fprintf(&cols, ", max(total) FILTER (WHERE period = %d)::DOUBLE", p)
	}
	q := `SELECT s.member_id, s.name, s.branch, s.total::DOUBLE, p.* EXCLUDE (member_id) FROM ` + scored + `
		LEFT JOIN (SELECT member_id` + cols.String() + ` FROM period_scores WHERE year = ? AND period > 0 GROUP BY member_id) p
			ON p.member_id = s.member_id
		WHERE s.year = ? ` + rosterOrder
	var t engine.PeriodTotals
	totals := make([]sql.NullFloat64, periods)
	dest := []any{&t.MemberID, &t.Name, &t.Branch, &t.Total}
	for i := range totals {
		dest = append(dest, &totals[i])
	}
	t.Periods = make([]*float64, periods)
	return s.each(ctx, q, []any{year, year}, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		valid(t.Periods, totals)
		return put(t)
	})
}

// valid points each of ps at its number of ns, or nil where that is NULL.
func valid(ps []*float64, ns []sql.NullFloat64) {
	for i := range ns {
		ps[i] = nil
		if ns[i].Valid {
			ps[i] = &ns[i].Float64
		}
	}
}

// LedgerCategories gives the year's point ledger in brief: the categories that gave anyone
// points (not those whose every movement is 0 points, like 不计分), in the order they come in
// the members' ledgers, and the number of movements (rows) of all categories.
func (s *Store) LedgerCategories(ctx context.Context, year int) (cats []string, movements int, err error) {
	err = s.each(ctx, `SELECT c.text AS category, count(*), bool_or(p.points <> 0) FROM (
			SELECT cat_ord, points, row_number() OVER (PARTITION BY mno ORDER BY ord) AS seq FROM `+ledgerMoves+` WHERE year = $1
		) p JOIN point_codes c ON c.year = $1 AND c.kind = 1 AND c.code = p.cat_ord
		GROUP BY c.text ORDER BY min(seq), avg(seq), c.text`, []any{year}, func(rows *sql.Rows) error {
		var c string
		var n int
		var points bool
		if err := rows.Scan(&c, &n, &points); err != nil {
			return err
		}
		movements += n
		if points {
			cats = append(cats, c)
		}
		return nil
	})
	return cats, movements, err
}

// EachMovement puts every movement of the year's point ledger with its member's name and
// branch: members in roster order, each member's movements in order (as Ledger lists them).
func (s *Store) EachMovement(ctx context.Context, year int, put func(engine.LedgerLine) error) error {
	var x engine.LedgerLine
	var date sql.NullTime
	return s.each(ctx, `SELECT l.member_id, s.name, s.branch, l.period, l.seq, l.category, l.rule, l.date, l.raw_points::DOUBLE,
		l.points::DOUBLE, l.note, l.source
		FROM point_ledger l JOIN scores s ON s.year = l.year AND s.member_id = l.member_id
		WHERE l.year = ? `+rosterOrder+", l.seq", []any{year}, func(rows *sql.Rows) error {
		if err := rows.Scan(&x.MemberID, &x.Name, &x.Branch, &x.Period, &x.Seq, &x.Category, &x.Rule, &date, &x.Raw, &x.Points, &x.Note, &x.Source); err != nil {
			return err
		}
		x.Date = date.Time
		return put(x)
	})
}

// EachLedgerSum puts each scored member's point ledger of the year summed by category, in roster
// order: the number of movements, the points of each of cats (in that order; nil where the
// member has no movement of the category) and the year's total. For a scheme scored by period
// the categories are summed over the periods. The Categories slice and what it points to are
// reused: they are valid until put returns. It reads the movements as stored (ledgerMoves),
// without the numbering of the view point_ledger, which it does not need.
func (s *Store) EachLedgerSum(ctx context.Context, year int, cats []string, put func(engine.LedgerSum) error) error {
	var sums strings.Builder
	args := make([]any, 0, len(cats)+2)
	for _, c := range cats {
		sums.WriteString(", sum(p.points) FILTER (WHERE c.text = ?)::DOUBLE")
		args = append(args, c)
	}
	args = append(args, year, year)
	q := `SELECT s.member_id, s.name, s.branch, coalesce(l.n, 0), l.* EXCLUDE (member_id, n), s.total::DOUBLE
		FROM scores s LEFT JOIN (SELECT m.text AS member_id, count(*) AS n` + sums.String() + `
			FROM ` + ledgerMoves + ` p JOIN point_codes m ON m.year = p.year AND m.kind = 0 AND m.code = p.mno
			JOIN point_codes c ON c.year = p.year AND c.kind = 1 AND c.code = p.cat_ord
			WHERE p.year = ? GROUP BY m.text) l USING (member_id)
		WHERE s.year = ? ` + rosterOrder
	var l engine.LedgerSum
	points := make([]sql.NullFloat64, len(cats))
	dest := []any{&l.MemberID, &l.Name, &l.Branch, &l.Movements}
	for i := range points {
		dest = append(dest, &points[i])
	}
	dest = append(dest, &l.Total)
	l.Categories = make([]*float64, len(cats))
	return s.each(ctx, q, args, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		valid(l.Categories, points)
		return put(l)
	})
}
