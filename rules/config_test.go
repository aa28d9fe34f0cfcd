package rules

import (
	"strings"
	"testing"

	"github.com/jifen/jifen"
)

func TestDefaultConfigIsTheReferenceScheme(t *testing.T) {
	c, err := Parse("config.yaml", jifen.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	// Figures of DOMAIN.md's reference scheme.
	if c.Scoring.Base != 60 || *c.Scoring.Attendance.GainCap != 30 || *c.Scoring.Tests.GainCap != 10 || *c.Scoring.Ledger.Awards.Cap != 10 {
		t.Errorf("base/caps = %v/%v/%v/%v, want 60/30/10/10", c.Scoring.Base, *c.Scoring.Attendance.GainCap, *c.Scoring.Tests.GainCap, *c.Scoring.Ledger.Awards.Cap)
	}
	if got := c.Scoring.Attendance.Rules[0].Points["迟到"]; got != -0.5 {
		t.Errorf("迟到 = %v, want -0.5", got)
	}
	if got := c.Scoring.Ledger.HighestOnly.Levels["国家级"]; got != 10 {
		t.Errorf("国家级 = %v, want 10", got)
	}
	if v := c.Scoring.Ledger.Vetoes.Levels["留党察看"]; !v.ZeroTotal || v.Grade != "不合格" {
		t.Errorf("留党察看 = %+v, want zero_total and 不合格", v)
	}
	if got, ok := c.Vocab.Statuses.Lookup("√"); !ok || got != "出席" {
		t.Errorf("√ → %q %v, want 出席", got, ok)
	}
	if got, ok := c.Vocab.Headers.Lookup("所在\n党支部"); !ok || got != "branch" {
		t.Errorf("所在\\n党支部 → %q %v, want branch", got, ok)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, edit, from, want string
	}{
		{"unknown key", "  base: 60", "  cpa: 1\n  base: 60", "有未知的键"},
		{"star order", "- {min: 90, stars: 4}", "- {min: 97, stars: 4}", "stars[1].min: 星级门槛应从高到低排列：97 不小于上一档的 96"},
		{"unknown activity", "activities: [支委会]", "activities: [支委汇]", "scoring.attendance.rules[1].activities: 活动类型 “支委汇” 不在 import 的同义词表中"},
		{"text number", "base: 60", "base: 六十", "规则格式错误"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := string(jifen.DefaultConfig)
			if !strings.Contains(text, tc.edit) {
				t.Fatalf("config.yaml lacks %q", tc.edit)
			}
			text = strings.Replace(text, tc.edit, tc.from, 1)
			_, err := Parse("config.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"张 三": "张三", "张　三": "张三", "出勤\n情况": "出勤情况", "类别（正式/预备）": "类别(正式/预备)", "８５": "85"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
