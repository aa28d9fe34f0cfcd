package scoring

import (
	"context"
	"database/sql"

	"github.com/jifen/jifen/rules"
)

// The config's rules as tables, so the scoring SQL joins on data and never has user text spliced
// into it. r_item has one row per item and combination of its match lists (NULL: any), and per
// points_by key (bykey); kind says how the item gives points.
const ruleTablesDDL = `
CREATE OR REPLACE TEMP TABLE r_cat (cat_ord INTEGER, name VARCHAR, gain_cap DECIMAL(18,2), loss_cap DECIMAL(18,2),
	cap_period VARCHAR, base DECIMAL(18,2), min DECIMAL(18,2), max DECIMAL(18,2), highest_only BOOLEAN,
	ex_committee BOOLEAN, ex_category VARCHAR, ex_mobile BOOLEAN, ex_min_age INTEGER, ex_max_age INTEGER, has_exempt BOOLEAN);
CREATE OR REPLACE TEMP TABLE r_item (row_id INTEGER, cat_ord INTEGER, item_ord INTEGER, source VARCHAR,
	activity VARCHAR, status VARCHAR, test VARCHAR, signed BOOLEAN, rating VARCHAR, lcategory VARCHAR, level VARCHAR, aitem VARCHAR,
	bykey VARCHAR, m_committee BOOLEAN, m_category VARCHAR, m_mobile BOOLEAN, m_min_age INTEGER, m_max_age INTEGER,
	kind VARCHAR, points DECIMAL(18,2));
CREATE OR REPLACE TEMP TABLE r_band (cat_ord INTEGER, item_ord INTEGER, min_percent DOUBLE, points DECIMAL(18,2));
CREATE OR REPLACE TEMP TABLE r_veto (veto_ord INTEGER, name VARCHAR, category VARCHAR, level VARCHAR,
	cap_total DECIMAL(18,2), zero_total BOOLEAN, max_stars INTEGER, grade VARCHAR);
CREATE OR REPLACE TEMP TABLE r_committee (position VARCHAR);
CREATE OR REPLACE TEMP TABLE r_star (min DECIMAL(18,2), stars INTEGER);
CREATE OR REPLACE TEMP TABLE r_star_rank (ord INTEGER, cum_percent DOUBLE, stars INTEGER);
CREATE OR REPLACE TEMP TABLE r_grade (ord INTEGER, name VARCHAR, min DECIMAL(18,2));
`

// Ledger categories of the point ledger (积分明细) besides the config's.
const (
	catBase = "基础分"
	catVeto = "一票否决"
	catNone = "不计分"
)

// Kinds of item points.
const (
	kindPoints = "points"
	kindBy     = "by"
	kindBands  = "bands"
	kindUnit   = "unit"
)

// anyOf is a match list as rows: a nil element stands for "any".
func anyOf(list []string) []any {
	if len(list) == 0 {
		return []any{nil}
	}
	out := make([]any, len(list))
	for i, x := range list {
		out[i] = x
	}
	return out
}

func loadRules(ctx context.Context, tx *sql.Conn, c *rules.Config) error {
	if _, err := tx.ExecContext(ctx, ruleTablesDDL); err != nil {
		return err
	}
	ins := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	row := 0
	for ci, cat := range c.Scoring.Categories {
		capPeriod := cat.CapPeriod
		if capPeriod == "" {
			capPeriod = c.Period
		}
		ex := cat.Exempt
		var exCommittee, exMobile *bool
		var exCategory string
		var exMin, exMax *int
		if ex != nil {
			exCommittee, exMobile, exCategory, exMin, exMax = ex.Committee, ex.Mobile, ex.Category, ex.MinAge, ex.MaxAge
		}
		if err := ins("INSERT INTO r_cat VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ci, cat.Name, cat.GainCap, cat.LossCap,
			capPeriod, cat.Base, cat.Min, cat.Max, cat.HighestOnly, exCommittee, nullIfEmpty(exCategory), exMobile, exMin, exMax, ex != nil); err != nil {
			return err
		}
		for ii, it := range cat.Items {
			var mCommittee, mMobile *bool
			var mCategory string
			var mMin, mMax *int
			if m := it.Member; m != nil {
				mCommittee, mMobile, mCategory, mMin, mMax = m.Committee, m.Mobile, m.Category, m.MinAge, m.MaxAge
			}
			type keyed struct {
				key    any
				points any
			}
			var kind string
			var pts []keyed
			switch {
			case it.Points != nil:
				kind, pts = kindPoints, []keyed{{nil, *it.Points}}
			case it.PerUnit != nil:
				kind, pts = kindUnit, []keyed{{nil, *it.PerUnit}}
			case len(it.Bands) > 0:
				kind, pts = kindBands, []keyed{{nil, 0}}
				for _, b := range it.Bands {
					if err := ins("INSERT INTO r_band VALUES (?, ?, ?, ?)", ci, ii, b.MinPercent, b.Points); err != nil {
						return err
					}
				}
			default:
				kind = kindBy
				for k, v := range it.PointsBy {
					pts = append(pts, keyed{k, v})
				}
			}
			var signed any
			if it.Signed != nil {
				signed = *it.Signed
			}
			for _, a := range anyOf(it.Activities) {
				for _, st := range anyOf(it.Statuses) {
					for _, te := range anyOf(it.Tests) {
						for _, ra := range anyOf(it.Ratings) {
							for _, lc := range anyOf(it.Categories) {
								for _, lv := range anyOf(it.Levels) {
									for _, ai := range anyOf(it.Items) {
										for _, p := range pts {
											row++
											if err := ins("INSERT INTO r_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
												row, ci, ii, it.Source, a, st, te, signed, ra, lc, lv, ai, p.key,
												mCommittee, nullIfEmpty(mCategory), mMobile, mMin, mMax, kind, p.points); err != nil {
												return err
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	for vi, v := range c.Scoring.Vetoes {
		for _, cat := range v.Categories {
			for _, lv := range anyOf(v.Levels) {
				if err := ins("INSERT INTO r_veto VALUES (?, ?, ?, ?, ?, ?, ?, ?)", vi, v.Name, cat, lv, v.CapTotal, v.ZeroTotal, v.MaxStars, nullIfEmpty(v.Grade)); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range c.CommitteePositions {
		if err := ins("INSERT INTO r_committee VALUES (?)", p); err != nil {
			return err
		}
	}
	for _, st := range c.Stars {
		if err := ins("INSERT INTO r_star VALUES (?, ?)", st.Min, st.Stars); err != nil {
			return err
		}
	}
	if r := c.StarRanks; r != nil {
		cum := 0.0
		for i, t := range r.Tiers {
			cum += t.Percent
			if err := ins("INSERT INTO r_star_rank VALUES (?, ?, ?)", i, cum, t.Stars); err != nil {
				return err
			}
		}
	}
	for i, g := range c.Grades.Levels {
		if err := ins("INSERT INTO r_grade VALUES (?, ?, ?)", i, g.Name, g.Min); err != nil {
			return err
		}
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
