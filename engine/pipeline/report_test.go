package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// datasets/report_template.md filled for the hand-worked fixture equals
// testdata/report_e2e_expected.md, whose every number was counted by hand from the fixture
// (e2e_small_gen/main.go lists every sign-in; e2e_test.go and indicators_test.go hold the
// derivations of totals, stars, grades, rates and ledger counts). Beyond those:
//
//	三会一课参加人次 (出席/迟到/早退 at 支部党员大会, 支委会, 党小组会, 党课, in members' periods):
//	  第一 3+2+5+5+5+6+3+6+6+2+6+6 = 55 (01-10 … 12-20); 第二 2+5+6+2+7+6+1+7+7 = 43; 合计 98.
//	集中学习参加人次: 第一 06-10 six; 第二 周婷 26 sessions; 合计 32.
//	组织生活会次数: 12-22 (第一), 12-23 (第二) = 2.  志愿服务活动次数 6, 人次 19 (indicators_test.go).   正式党员数 12, 预备党员数 2 (赵敏, 孙浩).
//	积分平均分: 第一 (100+84.5+68+93+60+64.5+75)/7 = 545/7 = 77.86; 第二 (94+101.5+0+94+44.5+80+67)/7
//	  = 481/7 = 68.71; 合计 1026/14 = 73.29.
//	The words (reportvalues_test.go): 测试名称 the four tests by date; 集中学习覆盖情况 覆盖50.0%的党员
//	  (第一 85.7, 第二 14.3); 填报单位 （单位名称） (config.yaml sets no unit:); 填报日期 Options.Today.
//	五星 and 优秀 per branch, 无星 and 不定等次: e2e_test.go wantE2EMembers (无星 陈静; 吴刚, 李娜 DY012;
//	  不定等次 赵敏, 孙浩).  慰问 1 次 1 人次 (孙浩 01-25).  交流研讨: none in the fixture, 0 场次 0 人.
func TestReportFilled(t *testing.T) {
	j, dir := runFixture(t)
	j.Opt.Today = time.Date(2026, 12, 8, 0, 0, 0, 0, time.Local) // 填报日期 2026年12月8日
	out := filepath.Join(dir, "报告.md")
	if err := j.Report(context.Background(), "../../datasets/report_template.md", out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile("testdata/report_e2e_expected.md")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "{{") {
		t.Errorf("placeholders left in the report")
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range wl {
		if i >= len(gl) || gl[i] != wl[i] {
			g := ""
			if i < len(gl) {
				g = gl[i]
			}
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g, wl[i])
		}
	}
	// A misspelt placeholder: an error naming the line and the nearest valid names.
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("召开支委会{{支委会次书}}次"), 0o600)
	err = j.Report(context.Background(), bad, filepath.Join(dir, "x.md"))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.md:1: 未知的占位符 {{支委会次书}}（相近的有：支委会次数") {
		t.Errorf("err = %v", err)
	}
}
