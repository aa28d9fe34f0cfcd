package rules

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jifen/jifen/engine"
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
		if !slices.Contains(HeaderFields, k) {
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
		if !slices.Contains(Statuses, k) {
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

	warn := func(path, format string, args ...any) {
		c.warnings = append(c.warnings, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	// never warns of a name no synonym produces: an item naming it can never match.
	never := func(v *Vocabulary, path, what string, terms []string) {
		for _, t := range terms {
			if v != nil && !v.Has(t) {
				warn(path, "%s “%s” 不在 import 的同义词表中，含有它的匹配永远不会成立（可用：%s）", what, t, v.List())
			}
		}
	}
	nonNeg := func(path string, p *float64) {
		if p != nil && *p < 0 {
			add(path, "应为非负数，实际为 %g", *p)
		}
	}
	periods := []string{PeriodYear, PeriodQuarter, PeriodMonth}
	if !slices.Contains(periods, c.Period) {
		add("period", "应为 year、quarter 或 month，实际为 “%s”", c.Period)
	}
	if c.Period != PeriodYear && c.YearTotal != TotalSum && c.YearTotal != TotalMean {
		add("year_total", "应为 sum 或 mean，实际为 “%s”", c.YearTotal)
	}
	if d := c.Publicity.WorkingDays; d < 1 || d > 15 {
		add("publicity.working_days", "应在 1 到 15 之间（通常为 3 到 5 个工作日），实际为 %d", d)
	}
	if c.Tests.DefaultFullMark <= 0 {
		add("tests.default_full_mark", "应为正数，实际为 %g", c.Tests.DefaultFullMark)
	}
	if c.Tests.PassPercent < 0 || c.Tests.PassPercent > 100 {
		add("tests.pass_percent", "应在 0 到 100 之间，实际为 %g", c.Tests.PassPercent)
	}

	memberCond := func(path string, m *MemberCond) {
		if m == nil {
			return
		}
		if m.Category != "" && m.Category != CategoryFull && m.Category != CategoryProbationary {
			add(path+".category", "应为 %s 或 %s，实际为 “%s”", CategoryFull, CategoryProbationary, m.Category)
		}
		if m.MinAge != nil && m.MaxAge != nil && *m.MinAge > *m.MaxAge {
			add(path, "min_age %d 大于 max_age %d", *m.MinAge, *m.MaxAge)
		}
	}

	names := map[string]int{}
	if len(c.Scoring.Categories) == 0 {
		add("scoring.categories", "不能为空")
	}
	for i, cat := range c.Scoring.Categories {
		p := fmt.Sprintf("scoring.categories[%d]", i)
		if cat.Name == "" {
			add(p+".name", "不能为空")
		} else if prev, dup := names[cat.Name]; dup {
			add(p+".name", "类别名 “%s” 与 scoring.categories[%d] 重复", cat.Name, prev)
		}
		names[cat.Name] = i
		nonNeg(p+".gain_cap", cat.GainCap)
		nonNeg(p+".loss_cap", cat.LossCap)
		if cat.CapPeriod != "" && !slices.Contains(periods, cat.CapPeriod) {
			add(p+".cap_period", "应为 year、quarter 或 month，实际为 “%s”", cat.CapPeriod)
		}
		if cat.Min != nil && cat.Max != nil && *cat.Min > *cat.Max {
			add(p, "min %g 大于 max %g", *cat.Min, *cat.Max)
		}
		memberCond(p+".exempt", cat.Exempt)
		if len(cat.Items) == 0 && cat.Base == nil {
			add(p+".items", "不能为空")
		}
		for j, it := range cat.Items {
			c.validateItem(fmt.Sprintf("%s.items[%d]", p, j), it, add, never, memberCond)
		}
	}
	for i, v := range c.Scoring.Vetoes {
		p := fmt.Sprintf("scoring.vetoes[%d]", i)
		if len(v.Categories) == 0 {
			add(p+".categories", "不能为空")
		}
		never(c.Vocab.LedgerCategories, p+".categories", "台账类别", v.Categories)
		never(c.Vocab.Levels, p+".levels", "级别", v.Levels)
		if v.CapTotal == nil && !v.ZeroTotal && v.MaxStars == nil && v.Grade == "" {
			add(p, "没有任何效果（可用：cap_total、zero_total、max_stars、grade）")
		}
		if v.MaxStars != nil && (*v.MaxStars < 0 || *v.MaxStars > 5) {
			add(p+".max_stars", "应为 0 到 5，实际为 %d", *v.MaxStars)
		}
		gradeNames := []string{c.Grades.Excellent.Name}
		for _, g := range c.Grades.Levels {
			gradeNames = append(gradeNames, g.Name)
		}
		if v.Grade != "" && !slices.Contains(gradeNames, v.Grade) {
			add(p+".grade", "等次 “%s” 不在 grades 中（可用：%s）", v.Grade, strings.Join(gradeNames, "、"))
		}
	}

	switch {
	case len(c.Stars) > 0 && c.StarRanks != nil:
		add("star_ranks", "stars（按分数）和 star_ranks（按名次）只能用一种")
	case len(c.Stars) == 0 && c.StarRanks == nil:
		add("stars", "不能为空（或改用 star_ranks）")
	}
	for i, st := range c.Stars {
		p := fmt.Sprintf("stars[%d]", i)
		if st.Stars < 1 || st.Stars > 5 {
			add(p+".stars", "星级应为 1 到 5，实际为 %d", st.Stars)
		}
		if i > 0 {
			prev := c.Stars[i-1]
			if st.Min >= prev.Min {
				add(p+".min", "星级门槛应从高到低排列：%g 不小于上一档的 %g（门槛重叠）", st.Min, prev.Min)
			}
			switch {
			case st.Stars == prev.Stars:
				add(p+".stars", "星级重复：上一档也是 %d 星", st.Stars)
			case st.Stars != prev.Stars-1:
				add(p+".stars", "星级应逐档减一：上一档 %d 星，这一档 %d 星（中间有缺口）", prev.Stars, st.Stars)
			}
		}
	}
	if r := c.StarRanks; r != nil {
		if r.Scope != "branch" && r.Scope != "unit" {
			add("star_ranks.scope", "应为 branch（支部内排名）或 unit（全单位排名），实际为 “%s”", r.Scope)
		}
		total := 0.0
		for i, t := range r.Tiers {
			p := fmt.Sprintf("star_ranks.tiers[%d]", i)
			if t.Percent <= 0 {
				add(p+".percent", "应为正数，实际为 %g", t.Percent)
			}
			total += t.Percent
			if t.Stars < 1 || t.Stars > 5 || (i > 0 && t.Stars >= r.Tiers[i-1].Stars) {
				add(p+".stars", "星级应为 1 到 5，从高到低，实际为 %d", t.Stars)
			}
		}
		if total > 100 {
			add("star_ranks.tiers", "各档比例之和 %g%% 超过 100%%", total)
		}
	}

	c.validateIndicators(add, never)
	c.validateLayouts(add)
	c.validateIgnore(add)
	c.validateFigures(add)

	g := c.Grades
	if g.Excellent.Name == "" {
		add("grades.excellent.name", "不能为空")
	}
	if g.Excellent.QuotaNumerator < 0 || g.Excellent.QuotaDenominator <= 0 {
		add("grades.excellent", "名额比例应为非负的 quota_numerator 和正的 quota_denominator，实际为 %d/%d", g.Excellent.QuotaNumerator, g.Excellent.QuotaDenominator)
	}
	if !slices.Contains([]string{"floor", "round", "ceil"}, g.Excellent.Rounding) {
		add("grades.excellent.rounding", "应为 floor、round 或 ceil，实际为 “%s”", g.Excellent.Rounding)
	}
	if g.Excellent.Ties != "exclude" && g.Excellent.Ties != "include" {
		add("grades.excellent.ties", "应为 exclude 或 include，实际为 “%s”", g.Excellent.Ties)
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

// validateIndicators checks the indicators, norms and ranking.
func (c *Config) validateIndicators(add func(string, string, ...any), never func(*Vocabulary, string, string, []string)) {
	counts := []string{CountRecords, CountMembers, CountCoverage, CountMeetings, CountEvents, CountSum, CountMean, CountRatio}
	sources := append(append([]string{}, Sources...), SourceScores, SourceMembers)
	names := map[string]int{}
	for i, in := range c.Indicators {
		p := fmt.Sprintf("indicators[%d]", i)
		if in.Name == "" {
			add(p+".name", "不能为空")
		} else if prev, dup := names[in.Name]; dup {
			add(p+".name", "指标名 “%s” 与 indicators[%d] 重复", in.Name, prev)
		}
		names[in.Name] = i
		if !slices.Contains(counts, in.Count) {
			add(p+".count", "应为 %s 之一，实际为 “%s”", strings.Join(counts, "、"), in.Count)
			continue
		}
		if in.Count == CountRatio {
			if len(in.Ratio) != 2 {
				add(p+".ratio", "应为两个指标名 [分子, 分母]")
			}
			for _, r := range in.Ratio {
				if j, ok := names[r]; !ok || j >= i {
					add(p+".ratio", "指标 “%s” 应在本指标之前定义", r)
				}
			}
			continue
		}
		if !slices.Contains(sources, in.Source) {
			add(p+".source", "应为 %s 之一，实际为 “%s”", strings.Join(sources, "、"), in.Source)
		}
		if in.Count == CountMeetings && in.Source != SourceAttendance {
			add(p+".count", "meetings 只用于 source: attendance")
		}
		never(c.Vocab.Activities, p+".activities", "活动类型", in.Activities)
		never(c.Vocab.LedgerCategories, p+".categories", "台账类别", in.Categories)
		never(c.Vocab.Levels, p+".levels", "级别", in.Levels)
		never(c.Vocab.Ratings, p+".ratings", "践诺评价", in.Ratings)
	}
	for i, n := range c.Norms {
		p := fmt.Sprintf("norms[%d]", i)
		if c.Vocab.Activities != nil && !c.Vocab.Activities.Has(n.Activity) {
			add(p+".activity", "活动类型 “%s” 不在 import.activities 中（可用：%s）", n.Activity, c.Vocab.Activities.List())
		}
		if !slices.Contains([]string{PeriodMonth, PeriodQuarter, PeriodYear}, n.Per) {
			add(p+".per", "应为 month、quarter 或 year，实际为 “%s”", n.Per)
		}
		if n.Times < 1 {
			add(p+".times", "应为正整数，实际为 %d", n.Times)
		}
	}
	for i, r := range c.Ranking.Indicators {
		if _, ok := names[r]; !ok && !slices.Contains(StatIndicators, r) {
			add(fmt.Sprintf("ranking.indicators[%d]", i), "没有名为 “%s” 的指标", r)
		}
	}
}

// StatIndicators are the indicators computed from the members' totals (gonum/stat) rather than
// defined in config: they may be ranked on too.
var StatIndicators = []string{"积分平均分", "积分中位数", "积分下四分位数", "积分上四分位数", "积分标准差"}

// sourceFields are the match fields each source knows.
var sourceFields = map[string][]string{
	SourceAttendance:  {"activities", "statuses"},
	SourceTests:       {"statuses", "tests"},
	SourcePledges:     {"signed", "ratings"},
	SourceLedger:      {"categories", "levels"},
	SourceAssessments: {"items"},
}

// validateItem checks one item: its source, that its match fields fit the source, exactly one
// way of giving points, and names that can match.
func (c *Config) validateItem(p string, it Item, add func(string, string, ...any), never func(*Vocabulary, string, string, []string), memberCond func(string, *MemberCond)) {
	if !slices.Contains(Sources, it.Source) {
		add(p+".source", "应为 %s 之一，实际为 “%s”", strings.Join(Sources, "、"), it.Source)
		return
	}
	used := map[string]bool{"activities": len(it.Activities) > 0, "statuses": len(it.Statuses) > 0, "tests": len(it.Tests) > 0,
		"signed": it.Signed != nil, "ratings": len(it.Ratings) > 0, "categories": len(it.Categories) > 0, "levels": len(it.Levels) > 0, "items": len(it.Items) > 0}
	for _, f := range []string{"activities", "statuses", "tests", "signed", "ratings", "categories", "levels", "items"} {
		if used[f] && !slices.Contains(sourceFields[it.Source], f) {
			add(p+"."+f, "source: %s 的条目不能按 %s 匹配（可用：%s）", it.Source, f, strings.Join(sourceFields[it.Source], "、"))
		}
	}
	n := 0
	for _, set := range []bool{it.Points != nil, len(it.PointsBy) > 0, len(it.Bands) > 0, it.PerUnit != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		add(p, "应有且只有一种分值：points、points_by、bands 或 per_unit（现在有 %d 种）", n)
	}
	if len(it.Bands) > 0 && it.Source != SourceTests {
		add(p+".bands", "只有 source: tests 可以按得分率分档")
	}
	if it.PerUnit != nil && it.Source != SourceLedger && it.Source != SourceAssessments {
		add(p+".per_unit", "只有 source: ledger（数量）和 assessments（得分）可以按单位计分")
	}
	for i := 1; i < len(it.Bands); i++ {
		if it.Bands[i].MinPercent >= it.Bands[i-1].MinPercent {
			add(fmt.Sprintf("%s.bands[%d].min_percent", p, i), "分档应从高到低排列：%g 不小于上一档的 %g", it.Bands[i].MinPercent, it.Bands[i-1].MinPercent)
		}
	}
	v := c.Vocab
	never(v.Activities, p+".activities", "活动类型", it.Activities)
	never(v.Ratings, p+".ratings", "践诺评价", it.Ratings)
	never(v.LedgerCategories, p+".categories", "台账类别", it.Categories)
	never(v.Levels, p+".levels", "级别", it.Levels)
	statuses := Statuses
	if it.Source == SourceTests {
		statuses = []string{TestTaken, TestAbsent, TestExcused}
	}
	for _, st := range it.Statuses {
		if !slices.Contains(statuses, st) {
			add(p+".statuses", "“%s” 不是%s（可用：%s）", st, map[bool]string{true: "测试状态", false: "出勤情况"}[it.Source == SourceTests], strings.Join(statuses, "、"))
		}
	}
	for k := range it.PointsBy {
		switch it.Source {
		case SourceAttendance:
			if !slices.Contains(Statuses, k) {
				add(p+".points_by."+k, "不是出勤情况（可用：%s）", strings.Join(Statuses, "、"))
			}
		case SourceTests:
			if !slices.Contains(statuses, k) {
				add(p+".points_by."+k, "不是测试状态（可用：%s）", strings.Join(statuses, "、"))
			}
		case SourcePledges:
			never(v.Ratings, p+".points_by", "践诺评价", []string{k})
		case SourceLedger:
			never(v.Levels, p+".points_by", "级别", []string{k})
		}
	}
	memberCond(p+".member", it.Member)
}

// maxFigure bounds every number of the rules (points, caps, bases, star and grade lines,
// percentages, full marks): a figure above 10 000 is no scheme's (a 千分制 base is 1000) but a
// typo (99999999 for 9); bounded, a row gives at most 10^7 points (数量 ≤ 1000), which
// scoring's DECIMAL(18,2) sums over any number of rows.
const maxFigure = 10000

// validateFigures reports every number of the rules outside ±maxFigure, at its key path.
func (c *Config) validateFigures(add func(string, string, ...any)) {
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Float64, reflect.Float32:
			if f := v.Float(); math.IsNaN(f) || math.Abs(f) > maxFigure {
				add(path, "数值 %s 超出范围（允许 −%d 到 %d）：积分规则里的分值、上限、分数线都不会这么大，请检查是否多写了数字", figure(f), maxFigure, maxFigure)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
				p := path
				switch {
				case name == "" || name == "-":
					if f.Anonymous {
						walk(path, v.Field(i))
					}
					continue
				case p == "":
					p = name
				default:
					p += "." + name
				}
				walk(p, v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				walk(fmt.Sprintf("%s.%v", path, k), v.MapIndex(k))
			}
		}
	}
	walk("", reflect.ValueOf(c).Elem())
}

// figure writes a number of the rules for a message: as written when short, else in the
// exponent form (1e+300, not 301 digits).
func figure(f float64) string {
	if math.Abs(f) < 1e12 {
		return engine.Num(f)
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}
