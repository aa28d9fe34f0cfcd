package scoring

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/jifen/jifen/rules"
)

// ruleTables loads the config's figures into temporary tables, so the scoring SQL joins on
// data and never has user text spliced into it.
const ruleTablesDDL = `
CREATE OR REPLACE TEMP TABLE r_att (activity VARCHAR, status VARCHAR, only_committee BOOLEAN, points DECIMAL(9,2));
CREATE OR REPLACE TEMP TABLE r_committee (position VARCHAR);
CREATE OR REPLACE TEMP TABLE r_band (min_percent DOUBLE, points DECIMAL(9,2));
CREATE OR REPLACE TEMP TABLE r_rating (rating VARCHAR, points DECIMAL(9,2));
CREATE OR REPLACE TEMP TABLE r_ledger (category VARCHAR, level VARCHAR, kind VARCHAR, points DECIMAL(9,2));
CREATE OR REPLACE TEMP TABLE r_veto (level VARCHAR, cap_total DECIMAL(9,2), zero_total BOOLEAN, no_stars BOOLEAN, grade VARCHAR);
CREATE OR REPLACE TEMP TABLE r_cap (category VARCHAR, cap DECIMAL(9,2), cap_text VARCHAR);
CREATE OR REPLACE TEMP TABLE r_star (min DECIMAL(9,2), stars INTEGER);
CREATE OR REPLACE TEMP TABLE r_grade (ord INTEGER, name VARCHAR, min DECIMAL(9,2));
`

// Ledger categories of the point ledger (积分明细).
const (
	catBase        = "基础分"
	catAttendance  = "出勤"
	catTests       = "测试"
	catPledges     = "承诺践诺"
	catHighestOnly = "表彰（取最高）"
	catAwards      = "其他加分"
	catDeductions  = "扣分"
	catVeto        = "一票否决"
	catNone        = "不计分"
)

func loadRules(ctx context.Context, tx *sql.Conn, c *rules.Config) error {
	if _, err := tx.ExecContext(ctx, ruleTablesDDL); err != nil {
		return err
	}
	ins := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	s := c.Scoring
	seen := map[string]bool{}
	for _, r := range s.Attendance.Rules {
		for _, a := range r.Activities {
			if seen[a] {
				continue // an activity listed twice: the first rule wins
			}
			seen[a] = true
			for _, st := range rules.Statuses {
				if err := ins("INSERT INTO r_att VALUES (?, ?, ?, ?)", a, st, r.OnlyCommittee, r.Points[st]); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range s.Attendance.CommitteePositions {
		if err := ins("INSERT INTO r_committee VALUES (?)", p); err != nil {
			return err
		}
	}
	for _, b := range s.Tests.Bands {
		if err := ins("INSERT INTO r_band VALUES (?, ?)", b.MinPercent, b.Points); err != nil {
			return err
		}
	}
	for r, p := range s.Pledges.Ratings {
		if err := ins("INSERT INTO r_rating VALUES (?, ?)", r, p); err != nil {
			return err
		}
	}
	l := s.Ledger
	for lv, p := range l.HighestOnly.Levels {
		if err := ins("INSERT INTO r_ledger VALUES (?, ?, ?, ?)", l.HighestOnly.Category, lv, catHighestOnly, p); err != nil {
			return err
		}
	}
	for cat, p := range l.Awards.Points {
		if err := ins("INSERT INTO r_ledger VALUES (?, '', ?, ?)", cat, catAwards, p); err != nil {
			return err
		}
	}
	for cat, p := range l.Deductions {
		if err := ins("INSERT INTO r_ledger VALUES (?, '', ?, ?)", cat, catDeductions, p); err != nil {
			return err
		}
	}
	for lv, v := range l.Vetoes.Levels {
		if err := ins("INSERT INTO r_ledger VALUES (?, ?, ?, 0)", l.Vetoes.Category, lv, catVeto); err != nil {
			return err
		}
		var grade any
		if v.Grade != "" {
			grade = v.Grade
		}
		if err := ins("INSERT INTO r_veto VALUES (?, ?, ?, ?, ?)", lv, v.CapTotal, v.ZeroTotal, v.NoStars, grade); err != nil {
			return err
		}
	}
	for cat, cp := range map[string]*float64{catAttendance: s.Attendance.GainCap, catTests: s.Tests.GainCap, catAwards: l.Awards.Cap} {
		if cp != nil {
			if err := ins("INSERT INTO r_cap VALUES (?, ?, ?)", cat, *cp, fmtPoints(*cp)); err != nil {
				return err
			}
		}
	}
	for _, st := range c.Stars {
		if err := ins("INSERT INTO r_star VALUES (?, ?)", st.Min, st.Stars); err != nil {
			return err
		}
	}
	for i, g := range c.Grades.Levels {
		if err := ins("INSERT INTO r_grade VALUES (?, ?, ?)", i, g.Name, g.Min); err != nil {
			return err
		}
	}
	return nil
}

// fmtPoints writes points with at most 2 decimals and no trailing zeros: 30, 0.5, 61.25.
func fmtPoints(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
