package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/jifen/jifen"
)

func TestDefaultConfigIsTheReferenceScheme(t *testing.T) {
	c, err := Parse("config.yaml", jifen.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %q", c.Warnings)
	}
	// Figures of DOMAIN.md's reference scheme.
	cat := map[string]Category{}
	for _, x := range c.Scoring.Categories {
		cat[x.Name] = x
	}
	if c.Scoring.Base != 60 || *cat["出勤"].GainCap != 30 || *cat["测试"].GainCap != 10 || *cat["其他加分"].GainCap != 10 {
		t.Errorf("base/caps = %v/%v/%v/%v, want 60/30/10/10", c.Scoring.Base, *cat["出勤"].GainCap, *cat["测试"].GainCap, *cat["其他加分"].GainCap)
	}
	if got := cat["出勤"].Items[0].PointsBy["迟到"]; got != -0.5 {
		t.Errorf("迟到 = %v, want -0.5", got)
	}
	if got := cat["表彰"].Items[0].PointsBy["国家级"]; got != 10 || !cat["表彰"].HighestOnly {
		t.Errorf("国家级 = %v, highest only %v; want 10, true", got, cat["表彰"].HighestOnly)
	}
	if v := c.Scoring.Vetoes[1]; !v.ZeroTotal || v.Grade != "不合格" || !slices.Contains(v.Levels, "留党察看") {
		t.Errorf("heavy veto = %+v, want zero_total and 不合格 for 留党察看", v)
	}
	if got, ok := c.Vocab.Statuses.Lookup("√"); !ok || got != "出席" {
		t.Errorf("√ → %q %v, want 出席", got, ok)
	}
	if got, ok := c.Vocab.Headers.Lookup("所在\n党支部"); !ok || got != "branch" {
		t.Errorf("所在\\n党支部 → %q %v, want branch", got, ok)
	}
}

// Each validation error with its exact message: file, line, key path, what was expected. The
// line numbers are those of config.yaml after the edit (checked against the file).
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, edit, to, want string
	}{
		{"text for a number", "per_unit: -0.5}", "per_unit: 一分}",
			"config.yaml:99 scoring.categories[6].items[0].per_unit: 应为数字，实际为 “一分”"},
		{"unknown key", "  base: 60", "  cpa: 1\n  base: 60",
			"config.yaml:24 scoring.cpa: 未知的键（拼写错误？）"},
		{"unknown top-level key", "period: year", "peroid: year",
			"config.yaml:10 peroid: 未知的键（拼写错误？）"},
		{"overlapping stars", "- {min: 90, stars: 4}", "- {min: 97, stars: 4}",
			"config.yaml:115 stars[1].min: 星级门槛应从高到低排列：97 不小于上一档的 96（门槛重叠）"},
		{"gapped stars", "- {min: 90, stars: 4}", "- {min: 90, stars: 3}",
			"config.yaml:115 stars[1].stars: 星级应逐档减一：上一档 5 星，这一档 3 星（中间有缺口）\n" +
				"config.yaml:116 stars[2].stars: 星级重复：上一档也是 3 星"},
		{"list for a number", "gain_cap: 30", "gain_cap: [30]",
			"config.yaml:46 scoring.categories[0].gain_cap: 应为数字，实际为 列表"},
		{"bad period", "period: year", "period: week",
			"config.yaml:10 period: 应为 year、quarter 或 month，实际为 “week”"},
		{"two kinds of points", "per_unit: -0.5}", "per_unit: -0.5, points: 1}",
			"config.yaml:99 scoring.categories[6].items[0]: 应有且只有一种分值：points、points_by、bands 或 per_unit（现在有 2 种）"},
		{"field of another source", "activities: [支委会]", "activities: [支委会]\n          levels: [警告]",
			"config.yaml:54 scoring.categories[0].items[1].levels: source: attendance 的条目不能按 levels 匹配（可用：activities、statuses）"},
		// 公示 of 0 or 20 working days: 1 to 15 allowed (working_days is line 386 of config.yaml).
		{"publicity of no days", "working_days: 5", "working_days: 0",
			"config.yaml:386 publicity.working_days: 应在 1 到 15 之间（通常为 3 到 5 个工作日），实际为 0"},
		{"publicity too long", "working_days: 5", "working_days: 20",
			"config.yaml:386 publicity.working_days: 应在 1 到 15 之间（通常为 3 到 5 个工作日），实际为 20"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := string(jifen.DefaultConfig)
			if !strings.Contains(text, tc.edit) {
				t.Fatalf("config.yaml lacks %q", tc.edit)
			}
			text = strings.Replace(text, tc.edit, tc.to, 1)
			_, err := Parse("config.yaml", []byte(text))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err =\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// A name no synonym produces makes an item that can never match: a warning, not an error.
func TestNeverMatchesWarns(t *testing.T) {
	text := strings.Replace(string(jifen.DefaultConfig), "activities: [支委会]", "activities: [支委汇]", 1)
	c, err := Parse("config.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := "config.yaml:53 scoring.categories[0].items[1].activities: 活动类型 “支委汇” 不在 import 的同义词表中，含有它的匹配永远不会成立（可用：支部党员大会、支委会、党小组会、党课、主题党日、集中学习、组织生活会、交流研讨）"
	if len(c.Warnings) != 1 || c.Warnings[0] != want {
		t.Errorf("warnings = %q\nwant %q", c.Warnings, want)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"张 三": "张三", "张　三": "张三", "出勤\n情况": "出勤情况", "类别（正式/预备）": "类别(正式/预备)", "８５": "85"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// A scheme may leave out stars and grades (and the synonyms, indicators …): the built-in ones
// apply; a full-width colon after a key is pointed at.
func TestInheritAndYAMLHints(t *testing.T) {
	c, err := Parse("s.yaml", []byte("scoring:\n  base: 100\n  categories:\n    - {name: 扣分, items: [{source: ledger, categories: [通报批评], per_unit: -3}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stars) != 5 || c.Grades.Excellent.Name != "优秀" || len(c.Indicators) == 0 {
		t.Errorf("inherited stars %v, grades %+v", c.Stars, c.Grades.Excellent)
	}
	_, err = Parse("s.yaml", []byte("# 说明：全角冒号在注释里没关系\nscoring：\n  base: 60\n"))
	if err == nil || !strings.Contains(err.Error(), "第 2 行的键后面是全角冒号") {
		t.Errorf("err = %v", err)
	}
}
