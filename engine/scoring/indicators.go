package scoring

import (
	"context"
	"database/sql"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// An indicator is a count (num) or a percentage num/den, computed per branch and for the unit
// (合计) with GROUPING SETS, so the unit's rates come from unit-wide counts, not averages.
// Percentages are stored in tenths, rounded half up: (2000·num + den) div (2·den).
type indicatorDef struct {
	name string
	num  string // SQL aggregate over the per-member table pm (or meetings for counts of meetings)
	den  string // "" for a count
}

// sqlIndicatorBase: one row per scored member with the counts the indicators add up, and the
// meetings as distinct (branch, activity type, date) among the year's sign-in rows.
const sqlIndicatorBase = `
CREATE OR REPLACE TEMP TABLE pm AS
SELECT s.member_id, s.branch, s.category, sc.stars, sc.grade,
	(SELECT count(*) FROM attendance a WHERE a.member_id = s.member_id AND a.date BETWEEN s.p_start AND s.p_end) AS att_rows,
	(SELECT count(*) FROM attendance a WHERE a.member_id = s.member_id AND a.date BETWEEN s.p_start AND s.p_end
		AND a.status IN ($present, $late, $left_early)) AS att_ok,
	(SELECT count(*) FROM tests t WHERE t.member_id = s.member_id AND t.date BETWEEN s.p_start AND s.p_end
		AND t.status <> $test_excused) AS tests_taken,
	(SELECT count(*) FROM tests t WHERE t.member_id = s.member_id AND t.date BETWEEN s.p_start AND s.p_end
		AND t.status = '' AND t.score * 100 >= $pass_percent * t.full_mark) AS tests_passed,
	EXISTS (SELECT 1 FROM pledges p WHERE p.member_id = s.member_id AND p.year = $year AND p.signed) AS signed
FROM sm s JOIN scores sc ON sc.member_id = s.member_id AND sc.year = $year`

const sqlMeetings = `
CREATE OR REPLACE TEMP TABLE meetings AS
SELECT DISTINCT m.branch, a.activity, a.date
FROM attendance a JOIN members m USING (member_id)
WHERE year(a.date) = $year`

func indicators(ctx context.Context, conn *sql.Conn, c *rules.Config, year int) error {
	params := []any{
		sql.Named("year", year),
		sql.Named("present", rules.StatusPresent), sql.Named("late", rules.StatusLate), sql.Named("left_early", rules.StatusLeftEarly),
		sql.Named("test_excused", rules.TestExcused), sql.Named("pass_percent", c.Tests.PassPercent),
	}
	for _, q := range []string{sqlIndicatorBase, sqlMeetings} {
		if _, err := conn.ExecContext(ctx, q, used(q, params)...); err != nil {
			return err
		}
	}
	// Per-member indicators.
	defs := []indicatorDef{{"党员数", "count(*)", ""}}
	meetingDefs := c.Vocab.Activities.Terms()
	defs = append(defs,
		indicatorDef{"出勤率", "sum(att_ok)", "sum(att_rows)"},
		indicatorDef{"测试参考人次", "sum(tests_taken)", ""},
		indicatorDef{"测试及格人次", "sum(tests_passed)", ""},
		indicatorDef{"测试及格率", "sum(tests_passed)", "sum(tests_taken)"},
		indicatorDef{"承诺书签订人数", "count(*) FILTER (WHERE signed)", ""},
		indicatorDef{"承诺书签订率", "count(*) FILTER (WHERE signed)", "count(*)"},
	)
	starNames := []string{"无星", "一星", "二星", "三星", "四星", "五星"}
	for st := 5; st >= 0; st-- {
		defs = append(defs, indicatorDef{starNames[st] + "党员数", "count(*) FILTER (WHERE stars = " + itoa(st) + ")", ""})
	}
	grades := []string{c.Grades.Excellent.Name}
	for _, g := range c.Grades.Levels {
		grades = append(grades, g.Name)
	}

	values := map[string]map[string]*int64{} // branch → name → value
	var branches []string
	addBranch := func(branch string) {
		values[branch] = map[string]*int64{}
		branches = append(branches, branch)
	}
	add := func(branch, name string, v *int64) {
		if values[branch] != nil {
			values[branch][name] = v
		}
	}

	// Branch order: the roster's order; 合计 last.
	rows, err := conn.QueryContext(ctx, "SELECT branch FROM sm GROUP BY branch ORDER BY min(ord)")
	if err != nil {
		return err
	}
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return err
		}
		addBranch(b)
	}
	rows.Close()
	addBranch(engine.UnitTotal)

	// One query for the per-member indicators and the grades.
	q := "SELECT CASE WHEN grouping(branch) = 1 THEN $total ELSE branch END"
	for _, d := range defs {
		if d.den == "" {
			q += ", " + d.num
		} else {
			q += ", CASE WHEN " + d.den + " = 0 THEN NULL ELSE (2000 * " + d.num + " + " + d.den + ") // (2 * " + d.den + ") END"
		}
	}
	gradeArgs := []any{sql.Named("total", engine.UnitTotal), sql.Named("full", rules.CategoryFull)}
	for i, g := range grades {
		n := "g" + itoa(i)
		q += ", count(*) FILTER (WHERE category = $full AND grade = $" + n + ")"
		gradeArgs = append(gradeArgs, sql.Named(n, g))
	}
	q += " FROM pm GROUP BY GROUPING SETS ((branch), ())"
	if err := scanIndicators(ctx, conn, q, gradeArgs, func(branch string, vals []*int64) {
		for i, d := range defs {
			add(branch, d.name, vals[i])
		}
		for i, g := range grades {
			add(branch, g+"人数", vals[len(defs)+i])
		}
	}); err != nil {
		return err
	}

	// Meetings held, per activity type.
	q = "SELECT CASE WHEN grouping(branch) = 1 THEN $total ELSE branch END"
	margs := []any{sql.Named("total", engine.UnitTotal)}
	for i, a := range meetingDefs {
		n := "a" + itoa(i)
		q += ", count(*) FILTER (WHERE activity = $" + n + ")"
		margs = append(margs, sql.Named(n, a))
	}
	q += " FROM meetings GROUP BY GROUPING SETS ((branch), ())"
	if err := scanIndicators(ctx, conn, q, margs, func(branch string, vals []*int64) {
		// add ignores a branch with sign-ins but no member scored this year.
		for i, a := range meetingDefs {
			add(branch, a+"次数", vals[i])
		}
	}); err != nil {
		return err
	}

	// Store in display order.
	order := []string{"党员数"}
	for _, a := range meetingDefs {
		order = append(order, a+"次数")
	}
	for _, d := range defs[1:] {
		order = append(order, d.name)
	}
	for _, g := range grades {
		order = append(order, g+"人数")
	}
	isRate := map[string]bool{}
	for _, d := range defs {
		isRate[d.name] = d.den != ""
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM indicators WHERE year = ?", year); err != nil {
		return err
	}
	for _, b := range branches {
		for i, name := range order {
			v, ok := values[b][name]
			if !ok && !isRate[name] {
				zero := int64(0) // e.g. no meeting of a kind: 0, not undefined
				v = &zero
			}
			dec := 0
			if isRate[name] {
				dec = 1
			}
			if _, err := conn.ExecContext(ctx, "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?)", year, b, i, name, v, dec); err != nil {
				return err
			}
		}
	}
	return nil
}

func scanIndicators(ctx context.Context, conn *sql.Conn, q string, args []any, each func(branch string, vals []*int64)) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		var branch string
		nulls := make([]sql.NullInt64, len(cols)-1)
		dest := []any{&branch}
		for i := range nulls {
			dest = append(dest, &nulls[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		vals := make([]*int64, len(nulls))
		for i, n := range nulls {
			if n.Valid {
				v := n.Int64
				vals[i] = &v
			}
		}
		each(branch, vals)
	}
	return rows.Err()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
