package rules

import (
	"fmt"
	"strings"
)

// validate checks the config and compiles its vocabularies. It returns every problem found.
func (c *Config) validate() Errors {
	var errs Errors
	add := func(path, format string, args ...any) {
		errs = append(errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	vocab := func(path string, m map[string][]string, order []string) *Vocabulary {
		if len(m) == 0 {
			add(path, "不能为空")
			return nil
		}
		v, err := NewVocabulary(m, order)
		if err != nil {
			add(path, "%s", err.(*FieldError).Msg)
			return nil
		}
		return v
	}
	im := c.Import
	c.Vocab.Headers = vocab("import.headers", im.Headers, HeaderFields)
	for k := range im.Headers {
		if !contains(HeaderFields, k) {
			add("import.headers."+k, "未知的字段（可用：%s）", strings.Join(HeaderFields, "、"))
		}
	}
	c.Vocab.MemberCategories = vocab("import.member_categories", im.MemberCategories, []string{CategoryFull, CategoryProbationary})
	for _, k := range []string{CategoryFull, CategoryProbationary} {
		if _, ok := im.MemberCategories[k]; !ok {
			add("import.member_categories", "缺少 “%s”", k)
		}
	}
	c.Vocab.Activities = vocab("import.activities", im.Activities, Activities)
	c.Vocab.Statuses = vocab("import.statuses", im.Statuses, Statuses)
	for k := range im.Statuses {
		if !contains(Statuses, k) {
			add("import.statuses."+k, "未知的出勤情况（可用：%s）", strings.Join(Statuses, "、"))
		}
	}
	c.Vocab.TestStatuses = vocab("import.test_statuses", im.TestStatuses, []string{TestAbsent, TestExcused})
	c.Vocab.SignedValues = vocab("import.signed_values", im.SignedValues, []string{SignedYes, SignedNo})
	ratings := map[string][]string{}
	for _, r := range im.Ratings {
		ratings[r] = nil
	}
	c.Vocab.Ratings = vocab("import.ratings", ratings, im.Ratings)
	c.Vocab.LedgerCategories = vocab("import.ledger_categories", im.LedgerCategories, LedgerCategories)
	c.Vocab.Levels = vocab("import.levels", im.Levels, Levels)

	known := func(v *Vocabulary, path, what, term string) {
		if v != nil && !v.Has(term) {
			add(path, "%s “%s” 不在 import 的同义词表中（可用：%s）", what, term, v.List())
		}
	}

	for i, l := range im.Layouts {
		p := fmt.Sprintf("import.layouts[%d]", i)
		kinds := []string{KindRoster, KindAttendance, KindTests, KindPledges, KindLedger}
		if !contains(kinds, l.Kind) {
			add(p+".kind", "应为 %s 之一，实际为 “%s”", strings.Join(kinds, "、"), l.Kind)
		}
		for f := range l.Columns {
			if !contains(HeaderFields, f) {
				add(p+".columns."+f, "未知的字段（可用：%s）", strings.Join(HeaderFields, "、"))
			}
		}
		for f := range l.Values {
			if !contains(HeaderFields, f) {
				add(p+".values."+f, "未知的字段（可用：%s）", strings.Join(HeaderFields, "、"))
			}
		}
		if len(l.Items) > 0 {
			if l.Kind != KindLedger {
				add(p+".items", "只有 %s 可以有 items（宽台账）", KindLedger)
			}
			if l.Cells != CellsCount && l.Cells != CellsPoints {
				add(p+".cells", "应为 %s（单元格是次数）或 %s（单元格是分值），实际为 “%s”", CellsCount, CellsPoints, l.Cells)
			}
		}
		for j, it := range l.Items {
			q := fmt.Sprintf("%s.items[%d]", p, j)
			if it.Header == "" {
				add(q+".header", "不能为空")
			}
			if c.Vocab.LedgerCategories != nil && !c.Vocab.LedgerCategories.Has(it.Category) {
				add(q+".category", "台账类别 “%s” 不在 import.ledger_categories 中（可用：%s）", it.Category, c.Vocab.LedgerCategories.List())
			}
			if it.Level != "" && c.Vocab.Levels != nil && !c.Vocab.Levels.Has(it.Level) {
				add(q+".level", "级别 “%s” 不在 import.levels 中（可用：%s）", it.Level, c.Vocab.Levels.List())
			}
		}
	}

	s := c.Scoring
	nonNeg := func(path string, p *float64) {
		if p != nil && *p < 0 {
			add(path, "上限不能为负数，实际为 %g", *p)
		}
	}
	nonNeg("scoring.attendance.gain_cap", s.Attendance.GainCap)
	if len(s.Attendance.Rules) == 0 {
		add("scoring.attendance.rules", "不能为空")
	}
	for i, r := range s.Attendance.Rules {
		p := fmt.Sprintf("scoring.attendance.rules[%d]", i)
		if len(r.Activities) == 0 {
			add(p+".activities", "不能为空")
		}
		for _, a := range r.Activities {
			known(c.Vocab.Activities, p+".activities", "活动类型", a)
		}
		for st := range r.Points {
			if !contains(Statuses, st) {
				add(p+".points."+st, "未知的出勤情况（可用：%s）", strings.Join(Statuses, "、"))
			}
		}
	}
	nonNeg("scoring.tests.gain_cap", s.Tests.GainCap)
	if s.Tests.DefaultFullMark <= 0 {
		add("scoring.tests.default_full_mark", "应为正数，实际为 %g", s.Tests.DefaultFullMark)
	}
	if s.Tests.PassPercent < 0 || s.Tests.PassPercent > 100 {
		add("scoring.tests.pass_percent", "应在 0 到 100 之间，实际为 %g", s.Tests.PassPercent)
	}
	if len(s.Tests.Bands) == 0 {
		add("scoring.tests.bands", "不能为空")
	}
	for i := 1; i < len(s.Tests.Bands); i++ {
		if s.Tests.Bands[i].MinPercent >= s.Tests.Bands[i-1].MinPercent {
			add(fmt.Sprintf("scoring.tests.bands[%d].min_percent", i), "分档应从高到低排列：%g 不小于上一档的 %g", s.Tests.Bands[i].MinPercent, s.Tests.Bands[i-1].MinPercent)
		}
	}
	for r := range s.Pledges.Ratings {
		known(c.Vocab.Ratings, "scoring.pledges.ratings."+r, "践诺评价", r)
	}
	l := s.Ledger
	known(c.Vocab.LedgerCategories, "scoring.ledger.highest_only.category", "台账类别", l.HighestOnly.Category)
	for lv := range l.HighestOnly.Levels {
		known(c.Vocab.Levels, "scoring.ledger.highest_only.levels."+lv, "级别", lv)
	}
	nonNeg("scoring.ledger.awards.cap", l.Awards.Cap)
	for k := range l.Awards.Points {
		known(c.Vocab.LedgerCategories, "scoring.ledger.awards.points."+k, "台账类别", k)
	}
	for k := range l.Deductions {
		known(c.Vocab.LedgerCategories, "scoring.ledger.deductions."+k, "台账类别", k)
	}
	known(c.Vocab.LedgerCategories, "scoring.ledger.vetoes.category", "台账类别", l.Vetoes.Category)
	gradeNames := []string{c.Grades.Excellent.Name}
	for _, g := range c.Grades.Levels {
		gradeNames = append(gradeNames, g.Name)
	}
	for lv, v := range l.Vetoes.Levels {
		p := "scoring.ledger.vetoes.levels." + lv
		known(c.Vocab.Levels, p, "级别", lv)
		if v.CapTotal == nil && !v.ZeroTotal && !v.NoStars && v.Grade == "" {
			add(p, "没有任何效果（可用：cap_total、zero_total、no_stars、grade）")
		}
		if v.Grade != "" && !contains(gradeNames, v.Grade) {
			add(p+".grade", "等次 “%s” 不在 grades 中（可用：%s）", v.Grade, strings.Join(gradeNames, "、"))
		}
	}

	if len(c.Stars) == 0 {
		add("stars", "不能为空")
	}
	for i, st := range c.Stars {
		p := fmt.Sprintf("stars[%d]", i)
		if st.Stars < 1 || st.Stars > 5 {
			add(p+".stars", "星级应为 1 到 5，实际为 %d", st.Stars)
		}
		if i > 0 {
			prev := c.Stars[i-1]
			if st.Min >= prev.Min {
				add(p+".min", "星级门槛应从高到低排列：%g 不小于上一档的 %g", st.Min, prev.Min)
			}
			if st.Stars != prev.Stars-1 {
				add(p+".stars", "星级应逐档减一：上一档 %d 星，这一档 %d 星", prev.Stars, st.Stars)
			}
		}
	}

	g := c.Grades
	if g.Excellent.Name == "" {
		add("grades.excellent.name", "不能为空")
	}
	if g.Excellent.QuotaNumerator < 0 || g.Excellent.QuotaDenominator <= 0 {
		add("grades.excellent", "名额比例应为非负的 quota_numerator 和正的 quota_denominator，实际为 %d/%d", g.Excellent.QuotaNumerator, g.Excellent.QuotaDenominator)
	}
	if len(g.Levels) == 0 {
		add("grades.levels", "不能为空")
	}
	for i, lv := range g.Levels {
		p := fmt.Sprintf("grades.levels[%d]", i)
		if lv.Name == "" {
			add(p+".name", "不能为空")
		}
		last := i == len(g.Levels)-1
		if lv.Min == nil && !last {
			add(p+".min", "只有最后一档可以省略 min")
		}
		if lv.Min == nil {
			continue
		}
		if *lv.Min > g.Excellent.Min {
			add(p+".min", "%g 高于优秀的最低分 %g", *lv.Min, g.Excellent.Min)
		}
		if i > 0 && g.Levels[i-1].Min != nil && *lv.Min >= *g.Levels[i-1].Min {
			add(p+".min", "等次门槛应从高到低排列：%g 不小于上一档的 %g", *lv.Min, *g.Levels[i-1].Min)
		}
	}
	if len(g.Levels) > 0 && g.Levels[len(g.Levels)-1].Min != nil {
		add(fmt.Sprintf("grades.levels[%d]", len(g.Levels)-1), "最后一档应省略 min，作为兜底等次")
	}
	if g.Probationary == "" {
		add("grades.probationary", "不能为空")
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
