package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/scoring"
)

// The seed report's indicators on the hand-worked fixture (testdata/e2e_small; every row is in
// e2e_small_gen/main.go and 加扣分台账.csv, 承诺践诺.csv). Periods: 杨磊 to 06-30, 赵敏 from
// 07-01, 何军 from 04-01; records outside them do not count.
//
//	心得体会篇数: 第一 王芳 11-02, 李娜 11-02, 赵敏 07-20 = 3; 第二 黄强 ×2, 周婷 ×2, 孙浩 = 5; 合计 8.
//	志愿服务人次: 第一 王芳 3, 陈静 2, 杨磊 1 (05-21; 08-06 after 转出), 赵敏 1 (09-17; 05-14
//	  before 入党) = 7; 第二 黄强 4, 徐丽 5, 孙浩 2, 何军 1 = 12; 合计 19.
//	志愿服务活动次数 (distinct dates): 第一 03-05, 05-21, 09-17, 10-15 = 4; 第二 03-05, 05-21, 06-18,
//	  09-17, 12-03 = 5; 合计 the six dates of both = 6.
//	讲党课次数: 第一 张伟 1; 第二 黄强 2, 徐丽 1 = 3; 合计 4.    慰问人次: 第二 孙浩 1.
//	表彰人次: 第一 张伟 2, 刘洋 1 = 3; 第二 吴刚 1, 徐丽 2 = 3; 合计 6.
//	党纪处分人数: 第一 陈静, 第二 吴刚; 合计 2.
//	践诺优秀人数: 第一 DY001, DY004 = 2; 第二 DY008, DY011 = 2.  未践诺人数: 第二 DY012 = 1.
//	测试次数: four (test, date) pairs in each branch and in the unit.
//	集中学习覆盖率: 第一 6 of 7 on 06-10 (赵敏 not yet a member) = 85.7; 第二 only 周婷, 1/7 = 14.3;
//	  合计 7/14 = 50.0.
//	支委会次数 by quarter, 第一: 01-10, 03-08 → Q1 2; Q2 0; 07-11 → Q3 1; 10-11 → Q4 1.
//	Compliance, 第一: 支委会 monthly: held in Jan, Mar, Jul, Oct: 4 of 12, short 2月、4月、5月、6月、
//	  8月、9月、11月、12月; 支部党员大会 quarterly: 03-15, 06-30, 09-20, 12-20: 4 of 4, none short.
func TestReportIndicators(t *testing.T) {
	j, dir := runFixture(t)
	got := map[[2]string]string{}
	for _, r := range readBOMCSV(t, filepath.Join(dir, "indicators.csv"))[1:] {
		got[[2]string{r[0], r[1]}] = r[2]
	}
	want := map[string][3]string{ // 第一党支部, 第二党支部, 合计
		"心得体会篇数":   {"3", "5", "8"},
		"志愿服务人次":   {"7", "12", "19"},
		"志愿服务活动次数": {"4", "5", "6"},
		"讲党课次数":    {"1", "3", "4"},
		"慰问人次":     {"0", "1", "1"},
		"表彰人次":     {"3", "3", "6"},
		"党纪处分人数":   {"1", "1", "2"},
		"践诺优秀人数":   {"2", "2", "4"},
		"未践诺人数":    {"0", "1", "1"},
		"测试次数":     {"4", "4", "4"},
		"集中学习覆盖率":  {"85.7", "14.3", "50.0"},
	}
	for name, w := range want {
		for i, b := range []string{"第一党支部", "第二党支部", "合计"} {
			if g := got[[2]string{b, name}]; g != w[i] {
				t.Errorf("%s %s = %q, want %q", b, name, g, w[i])
			}
		}
	}

	ctx := context.Background()
	per, err := scoring.PeriodIndicators(ctx, j.Store.DB, 2022)
	if err != nil {
		t.Fatal(err)
	}
	q := map[string]string{}
	for _, p := range per {
		if p.Branch == "第一党支部" && p.Name == "支委会次数" {
			q[p.Period] = export.FormatIndicator(p.Indicator)
		}
	}
	if q["第1季度"] != "2" || q["第2季度"] != "0" || q["第3季度"] != "1" || q["第4季度"] != "1" || q["3月"] != "1" || q["全年"] != "4" {
		t.Errorf("第一党支部 支委会次数 by period = %v", q)
	}
	comp, err := scoring.ComplianceOf(ctx, j.Store.DB, 2022)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, c := range comp {
		switch {
		case c.Branch == "第一党支部" && c.Activity == "支委会":
			found++
			if c.Held != 4 || c.Required != 12 || c.Short != "2月、4月、5月、6月、8月、9月、11月、12月" {
				t.Errorf("第一 支委会 compliance = %+v", c)
			}
		case c.Branch == "第一党支部" && c.Activity == "支部党员大会":
			found++
			if c.Held != 4 || c.Required != 4 || c.Short != "" {
				t.Errorf("第一 支部党员大会 compliance = %+v", c)
			}
		}
	}
	if found != 2 {
		t.Errorf("compliance rows = %+v", comp)
	}
}
