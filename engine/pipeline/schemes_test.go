package pipeline_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/internal/sharedtest"
)

// runScheme runs a scheme of datasets/schemes on its fixture and returns members.csv by 党员编号
// (总积分, 星级, 等次) and each member's period totals.
func runScheme(t *testing.T, config, fixture string) (map[string][3]string, map[string]map[int]float64) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	_, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{"testdata/schemes/" + fixture},
		OutDir: dir, ConfigPath: "../../datasets/schemes/" + config, DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][3]string{}
	for _, r := range readBOMCSV(t, filepath.Join(dir, "members.csv"))[1:] {
		got[r[0]] = [3]string{r[4], r[5], r[6]}
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Each member's totals by period (1–12 months or 1–4 quarters), the periods in the roster.
	periods := map[string]map[int]float64{}
	err = st.EachPeriodTotals(context.Background(), 2022, 12, func(pt engine.PeriodTotals) error {
		for i, v := range pt.Periods {
			if v != nil {
				if periods[pt.MemberID] == nil {
					periods[pt.MemberID] = map[int]float64{}
				}
				periods[pt.MemberID][i+1] = *v
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, periods
}

// The monthly deduction-only sheet: 100 a month, −2 per 三会一课 absence, −3 per absence from
// 集中学习 or a test, −3 for no pledge; the year is the mean of the months in the roster.
//
//	赵刚 M1 (支部书记): Mar 党课 缺席 −2, 党小组会 缺席 −2 → 96; Apr 支委会 缺席 (he is on the
//	  committee) −2 → 98; Jun 集中学习 缺席 −3 → 97 (主题党日 is not in the list: 0); Sep test 55
//	  (taken: no item) 0; signed. Year = (9×100 + 96 + 98 + 97) / 12 = 1191/12 = 99.25 → ★5.
//	钱敏 M2 (转入 2022-07-01): May 党课 before she came: ignored; Aug 支委会 缺席, not on the
//	  committee: 0; Sep 缺考 −3 → 97; pledge 否 −3, placed in her last month, Dec → 97.
//	  Year = (4×100 + 97 + 97) / 6 = 594/6 = 99 → ★5.
//	孙亮 M3: May 留党察看 → May 0, no stars, 不合格. Year = 11×100/12 = 91.666… → 91.67.
//	Grades: n = 3 正式党员 → ⌊3/3⌋ = 1 优秀: 赵刚 (1 at ≥ 99.25); 钱敏 99 has 2 at ≥ 99 → 合格.
func TestSchemeMonthlyDeduction(t *testing.T) {
	got, periods := runScheme(t, "monthly_deduction.yaml", "monthly")
	want := map[string][3]string{
		"M1": {"99.25", "5", "优秀"},
		"M2": {"99", "5", "合格"},
		"M3": {"91.67", "0", "不合格"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v\nwant %v", got, want)
	}
	if p := periods["M1"]; p[3] != 96 || p[4] != 98 || p[6] != 97 || p[1] != 100 || len(p) != 12 {
		t.Errorf("赵刚's months = %v, want Mar 96, Apr 98, Jun 97, others 100", p)
	}
	if p := periods["M2"]; len(p) != 6 || p[9] != 97 || p[12] != 97 || p[8] != 100 {
		t.Errorf("钱敏's months = %v, want Jul–Dec with Sep 97 and Dec 97", p)
	}
	if p := periods["M3"]; p[5] != 0 || p[4] != 100 {
		t.Errorf("孙亮's months = %v, want May 0", p)
	}
}

// 70/20/10: 日常表现 70 (deductions only, ≥ 0) + 民主评议 score × 0.2 (≤ 20) + 贡献 (≤ 10); a
// 党纪处分 sets the year to 0 and the grade to 不合格.
//
//	周文 S1: 70 − 2 (党课 缺席) − 1 (主题党日 迟到) = 67 (集中学习 is not listed: 0);
//	  评议 95 × 0.2 = 19; 贡献 志愿服务 3 (数量 3) + 讲党课 2 = 5. Total 91 → ★4.
//	吴霞 S2: 70 (党课 出席 has no item); 评议 80 × 0.2 = 16; 贡献 志愿服务 12 → capped 10. 96 → ★5.
//	郑凯 S3: 70 − 5 (通报批评) + 17 = 82, then 警告 → 0, no stars, 不合格.
//	Grades: ⌊3/3⌋ = 1 优秀: 吴霞 96; 周文 91 has 2 at ≥ 91 → 合格.
func TestScheme702010(t *testing.T) {
	got, _ := runScheme(t, "70_20_10.yaml", "70_20_10")
	want := map[string][3]string{
		"S1": {"91", "4", "合格"},
		"S2": {"96", "5", "优秀"},
		"S3": {"0", "0", "不合格"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v\nwant %v", got, want)
	}
}

// Quarterly 60 + 40: each quarter 政治/纪律/品德 20 each (deductions only) + 季度绩效 (A 20, B+ 16,
// B 14) + 发挥作用 (≤ 20 a quarter) + 表彰 highest only; 警告 caps the quarter at 60 and takes the
// stars; the year is the mean of the quarters.
//
//	王立 Q1: Q1 60 + A 20 + 讲党课 4 = 84; Q2 党课 and 主题党日 缺席 −2 → 执行纪律 18: 58 + B+ 16 = 74;
//	  Q3 test 50% (< 60%) −1 → 政治 19: 59 + B 14 = 73; Q4 60 + A 20 + 表彰 市厅级 6 (本单位 2 not
//	  counted: highest only) = 86. Year (84 + 74 + 73 + 86) / 4 = 79.25 → ★2, 合格.
//	陈晨 Q2: 80 each quarter (test 80%: 0), Q3 警告 → 60. Year (80 + 80 + 60 + 80) / 4 = 75 → no
//	  stars (veto), 合格 by points.
func TestSchemeQuarterly6040(t *testing.T) {
	got, periods := runScheme(t, "quarterly_60_40.yaml", "quarterly")
	want := map[string][3]string{
		"Q1": {"79.25", "2", "合格"},
		"Q2": {"75", "0", "合格"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v\nwant %v", got, want)
	}
	if p, w := periods["Q1"], map[int]float64{1: 84, 2: 74, 3: 73, 4: 86}; !reflect.DeepEqual(p, w) {
		t.Errorf("王立's quarters = %v, want %v", p, w)
	}
	if p, w := periods["Q2"], map[int]float64{1: 80, 2: 80, 3: 60, 4: 80}; !reflect.DeepEqual(p, w) {
		t.Errorf("陈晨's quarters = %v, want %v", p, w)
	}
}

// A scheme scored by quarter also writes periods.csv: each quarter's total and the year's.
func TestPeriodsCSV(t *testing.T) {
	dir := t.TempDir()
	_, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{"testdata/schemes/quarterly"},
		OutDir: dir, ConfigPath: "../../datasets/schemes/quarterly_60_40.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	got := readBOMCSV(t, filepath.Join(dir, "periods.csv"))
	want := [][]string{
		{"党员编号", "姓名", "党支部", "第1季度", "第2季度", "第3季度", "第4季度", "年度总积分"},
		{"Q1", "王立", "研发支部", "84", "74", "73", "86", "79.25"},
		{"Q2", "陈晨", "研发支部", "80", "80", "60", "80", "75"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("periods.csv = %q\nwant %q", got, want)
	}
}

// The README's command for the real templates of ../shared/real: the trainees' two training
// scores (90, 98, 98 in both templates, each ≥ 90% of 100: +3) read as tests, the empty ledger
// templates read as wide ledgers, the summary template skipped. Each: 60 + 3 + 3 = 66 → ★1;
// 预备党员 in datasets/real/名册.csv, so 不定等次.
func TestRealTemplatesRun(t *testing.T) {
	real := sharedtest.Real(t)
	dir := t.TempDir()
	sum, err := pipeline.Run(context.Background(), pipeline.Options{
		Inputs: []string{"../../datasets/real/名册.csv", real}, OutDir: dir,
		ConfigPath: "../../datasets/real/config.yaml", DBPath: filepath.Join(dir, "r.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 4 || sum.Ignored != 1 {
		t.Errorf("imported %d, ignored %d; want 4 and 1 (the summary template)", sum.Imported, sum.Ignored)
	}
	for _, r := range readBOMCSV(t, filepath.Join(dir, "members.csv"))[1:] {
		if r[4] != "66" || r[5] != "1" || r[6] != "不定等次（预备党员）" {
			t.Errorf("%s: %q, want 66, 1, 不定等次（预备党员）", r[0], r[4:])
		}
	}
}
