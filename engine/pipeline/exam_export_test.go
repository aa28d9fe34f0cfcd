package pipeline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// An online exam export taken over three days (11-20, 11-21, 11-22) is one test, and its 总分 50
// is the full mark (../importer/testdata/exam_export_total_is_full_mark.xlsx with the importer's
// roster.csv). By hand: 王芳 45/50 = 90% +3 → 63 (read as 45 of 100 it was −2); 张伟(一) 29/50 =
// 58% −2 → 58; 张伟(二) 30/50 = 60% +1 → 61; 李娜 缺考 −2 → 58. 测试次数 1 in each branch and
// in the unit (it was one per 交卷时间 day). 参考: 第一 2 (王芳, 张伟), 1 passed → 50.0;
// 第二 1 (张伟; 李娜 缺考 is not 参考) passed → 100.0, 缺考人次 1; 合计 2 of 3 → 66.7. 测试平均分 is
// on the scale of 100 (a test of 50 and one of 100 average to something): 第一 (90 + 58)/2 = 74,
// 第二 60, 合计 (90 + 58 + 60)/3 = 69.33 (the raw scores would give 37, 30, 34.67).
func TestExamExportOneTest(t *testing.T) {
	in := t.TempDir()
	for _, f := range []string{"roster.csv", "exam_export_total_is_full_mark.xlsx"} {
		b, err := os.ReadFile(filepath.Join("../importer/testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	if _, err := pipeline.Run(t.Context(), pipeline.Options{Inputs: []string{in}, OutDir: out,
		ConfigPath: "../../config.yaml", DBPath: filepath.Join(t.TempDir(), "t.duckdb")}); err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]string{}
	for _, r := range readBOMCSV(t, filepath.Join(out, "indicators.csv"))[1:] {
		got[[2]string{r[0], r[1]}] = r[2]
	}
	for name, w := range map[string][3]string{
		"测试次数":   {"1", "1", "1"},
		"测试参考人次": {"2", "1", "3"},
		"缺考人次":   {"0", "1", "1"},
		"测试及格率":  {"50.0", "100.0", "66.7"},
		"测试平均分":  {"74", "60", "69.33"},
	} {
		for i, b := range []string{"第一党支部", "第二党支部", "合计"} {
			if g := got[[2]string{b, name}]; g != w[i] {
				t.Errorf("%s %s = %q, want %q", b, name, g, w[i])
			}
		}
	}
	totals := map[string]string{}
	for _, r := range readBOMCSV(t, filepath.Join(out, "members.csv"))[1:] {
		totals[r[0]] = r[4]
	}
	for id, w := range map[string]string{"A01": "58", "A02": "63", "A03": "61", "A04": "58"} {
		if totals[id] != w {
			t.Errorf("%s 总积分 = %q, want %s", id, totals[id], w)
		}
	}
}
