package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/datasets"
	"github.com/jifen/jifen/engine/pipeline"
)

// The report's values beyond the indicators, on the hand-worked fixture (testdata/e2e_small):
//
//	测试名称: 2022年测试成绩.xlsx holds 党纪党规知识测试 03-30, 德廉知识测试 06-28, 党史知识测试 09-15,
//	  党的二十大精神知识测试 11-10 (e2e_small_gen/main.go), named in that order.
//	集中学习覆盖情况: 集中学习覆盖率 第一 85.7, 第二 14.3, 合计 50.0 (indicators_test.go) → 覆盖…%的党员;
//	  none is 100, so none reads 实现全覆盖 (TestCoveragePhrase has that case).
//	不定等次人数: the 预备党员 赵敏 (第一) and 孙浩 (第二): 1, 1, 2.
//	无星党员数: 陈静 60 under a veto (第一); 吴刚 0, 李娜 44.5 (第二): 1, 2, 3.
//	慰问次数: one 慰问 row, 孙浩 (第二) 01-25: 0, 1, 1.   讲党课次数 (人次): 张伟 1; 黄强 2, 徐丽 1: 1, 3, 4.
//	交流研讨发言人数: the fixture has no 交流研讨: 0 (the demo test has some).
//	下一年度 2023; 填报日期 Options.Today; 填报单位 config's unit:, （单位名称） when unset.
func TestReportWordValues(t *testing.T) {
	j, _ := runFixture(t)
	ctx := context.Background()
	j.Opt.Today = time.Date(2026, 12, 8, 9, 30, 0, 0, time.Local)
	values, branches, err := j.ReportValues(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(branches, "、") != "第一党支部、第二党支部" {
		t.Errorf("branches = %v", branches)
	}
	want := map[string]string{
		"测试名称":              "党纪党规知识测试、德廉知识测试、党史知识测试、党的二十大精神知识测试",
		"集中学习覆盖情况":          "覆盖50.0%的党员",
		"第一党支部.集中学习覆盖情况":    "覆盖85.7%的党员",
		"第二党支部.集中学习覆盖情况":    "覆盖14.3%的党员",
		"不定等次人数":            "2",
		"第一党支部.不定等次人数":      "1",
		"第二党支部.不定等次人数":      "1",
		"无星党员数":             "3",
		"第一党支部.无星党员数":       "1",
		"第二党支部.无星党员数":       "2",
		"慰问次数":              "1",
		"第一党支部.慰问次数":        "0",
		"第二党支部.慰问次数":        "1",
		"讲党课次数":             "4",
		"第二党支部.讲党课次数":       "3",
		"交流研讨发言人数":          "0",
		"下一年度":              "2023",
		"填报日期":              "2026年12月8日",
		"填报单位":              "（单位名称）",
		"第1季度.集中学习覆盖情况":     values["第1季度.集中学习覆盖情况"], // checked below
		"第一党支部.3月.集中学习覆盖情况": values["第一党支部.3月.集中学习覆盖情况"],
	}
	for k, w := range want {
		if g, ok := values[k]; !ok || g != w {
			t.Errorf("{{%s}} = %q (present %v), want %q", k, g, ok, w)
		}
	}
	// Every 集中学习覆盖率 has its phrase, periods too (第二党支部's 26 sessions run through the year).
	for k := range values {
		if strings.HasSuffix(k, "集中学习覆盖率") {
			if _, ok := values[strings.TrimSuffix(k, "集中学习覆盖率")+"集中学习覆盖情况"]; !ok {
				t.Errorf("{{%s}} has no 集中学习覆盖情况", k)
			}
		}
	}
	// The unit set in config.yaml is the 填报单位.
	j.Cfg.Unit = "中共某某公路管理分局委员会"
	if values, _, err = j.ReportValues(ctx, 2022); err != nil || values["填报单位"] != "中共某某公路管理分局委员会" {
		t.Errorf("填报单位 = %q (%v)", values["填报单位"], err)
	}
}

// The demo's report (datasets/demo, default config and Markdown template) says what the data
// hold, in the corrected words. Worked out by hand from datasets/gen and datasets/demo/README.md:
//
//	测试名称: datasets/gen/roster.go's four tests by date (03-25, 06-24, 09-23, 11-25).
//	交流研讨: 机关第一 in 5月 and 11月, 机关第二 in 11月, 养护 in 8月 (roster.go seminarMonths): 4 场次;
//	  members with 出席/迟到/早退 at one at least, counted from the 05月, 08月 and 11月 workbooks
//	  with openpyxl (not jifen): 机关第一 20, 机关第二 18, 养护 19 = 57.
//	慰问 (generate.go): 01-25 朱立新 and 孙建军, 01-26 王勇, 03-16 沈丹丹, 06-30 唐国庆, 07-20 吴春生
//	  and 赵铁柱, 09-08 郑涛: 8 人次 on 6 distinct dates = 6 次.
//	讲党课: the 4 支部书记 once, 陈志强 once, 高志远 twice = 7 人次.
//	无星 (README table, 0 星): 罗平; 潘志刚; 杨树林, 罗小兵; 吕振宇, 袁丽, 程亮 = 7.
//	预备党员（不定等次）: 2 + 1 + 2 + 1 = 6.
//	集中学习: every member of every branch at one session at least (counted from all the monthly
//	  sign-in files with openpyxl and csv, not jifen: 80 distinct 支部+姓名 of 80): 实现全覆盖.
func TestDemoReportWording(t *testing.T) {
	dir := t.TempDir()
	opt := pipeline.Options{Inputs: []string{"../../datasets/demo"}, OutDir: dir, ConfigPath: "../../config.yaml",
		DBPath: filepath.Join(dir, "demo.duckdb"), Today: time.Date(2026, 12, 8, 0, 0, 0, 0, time.Local)}
	if _, err := pipeline.Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	out := filepath.Join(dir, "报告.md")
	if err := j.Report(context.Background(), "../../datasets/report_template.md", out); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	got := string(b)
	for _, w := range []string{
		"组织开展知识测试4次，包括党纪党规及德廉知识测试（第一季度）、党章党规知识测试、党纪党规及德廉知识测试（第三季度）、学习贯彻党的二十大精神应知应会测试，",
		"组织交流研讨4场次，57人进行交流研讨发言；",
		"开展慰问8人次。",
		"开展各项慰问活动6次，",
		"党员讲党课7人次。",
		"组织党课教育16次",
		"一星党员1名、无星党员7名；按积分定格为优秀18名、合格48名、基本合格3名、不合格5名，预备党员（不定等次）6名。",
		"人次，实现全覆盖；",
		"附件：1. 党员积分及星级评定表",
		"\n（单位名称）\n2026年12月8日\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("the demo report lacks %q", w)
		}
	}
	// Every placeholder of both shipped templates is a value for the demo (the .docx's read with
	// its runs joined per paragraph: LibreOffice splits them between Latin and Chinese text).
	values, branches, err := j.ReportValues(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(datasets.ReportTemplateDocx), int64(len(datasets.ReportTemplateDocx)))
	if err != nil {
		t.Fatal(err)
	}
	var docText string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			docText = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(strings.ReplaceAll(string(b), "</w:p>", "\n"), "")
		}
	}
	checked := 0
	for tpl, text := range map[string]string{"report_template.md": string(datasets.ReportTemplateMarkdown), "report_template.docx": docText} {
		for _, m := range regexp.MustCompile(`\{\{\s*([^{}]+?)\s*\}\}`).FindAllStringSubmatch(text, -1) {
			name := m[1]
			switch {
			case name == "#每个支部" || name == "/每个支部" || name == "支部":
				continue
			case strings.HasPrefix(name, "."):
				name = branches[0] + name
			}
			checked++
			if _, ok := values[name]; !ok {
				t.Errorf("%s: {{%s}} has no value for the demo", tpl, m[1])
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d placeholders checked", checked)
	}
	for _, bad := range []string{"民主评议定为", "开展党纪党规及德廉知识测试", "讲党课7次", "覆盖100.0%", "{{"} {
		if strings.Contains(got, bad) {
			t.Errorf("the demo report still says %q", bad)
		}
	}
}
