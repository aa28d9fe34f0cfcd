package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// featuresConfig exercises the rule model's other features: an exemption (流动党员 from 出勤), a
// loss cap, an age condition, a veto that caps stars, stars by rank across the unit, a quota
// rounded up, and ties included.
const featuresConfig = `
scoring:
  base: 60
  categories:
    - name: 出勤
      exempt: {mobile: true}
      loss_cap: 3
      items:
        - {source: attendance, points_by: {出席: 1, 缺席: -2}}
    - name: 志愿
      items:
        - {source: ledger, categories: [志愿服务], member: {min_age: 60}, per_unit: 2}
        - {source: ledger, categories: [志愿服务], per_unit: 1}
  vetoes:
    - {categories: [党纪处分], levels: [警告], max_stars: 2}
star_ranks:
  scope: unit
  tiers: [{percent: 20, stars: 5}, {percent: 40, stars: 4}, {percent: 40, stars: 3}]
grades:
  excellent: {name: 优秀, min: 60, quota_numerator: 1, quota_denominator: 3, rounding: ceil, ties: include}
  levels: [{name: 合格, min: 60}, {name: 不合格}]
  probationary: 不定等次
`

// Worked by hand:
//
//	A: 出席 ×3 +3 → 63.        B 流动党员: 缺席 ×2, exempt → 60.
//	C: 缺席 ×3 = −6, loss cap 3 → 57.
//	D (born 1950, 72 at the year's end): 志愿服务 数量 2 × 2 → 64.
//	E: 志愿服务 数量 3 × 1 → 63; 警告 caps stars at 2.
//
// Stars by rank over the unit's 5: D rank 1 (≤ 20% × 5 = 1) ★5; A and E rank 2 (≤ 60% × 5 = 3)
// ★4, E capped to ★2; B rank 4, C rank 5 ★3. Grades: quota ⌈5/3⌉ = 2, ties included: D (rank 1),
// A and E (rank 2) 优秀; B 60 合格; C 57 不合格.
func TestRuleModelFeatures(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(dir, "config.yaml"), featuresConfig)
	write(t, filepath.Join(in, "名册.csv"), "党员编号,姓名,所在支部,党员类别,流动党员,出生日期\n"+
		"A,甲,一支部,正式党员,否,1980-01-01\nB,乙,一支部,正式党员,是,1980-01-01\nC,丙,一支部,正式党员,,\n"+
		"D,丁,一支部,正式党员,,1950-01-01\nE,戊,一支部,正式党员,,\n")
	write(t, filepath.Join(in, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n"+
		"甲,党课,2022-03-01,出席\n甲,党课,2022-04-01,出席\n甲,党课,2022-05-01,出席\n"+
		"乙,党课,2022-03-01,缺席\n乙,党课,2022-04-01,缺席\n"+
		"丙,党课,2022-03-01,缺席\n丙,党课,2022-04-01,缺席\n丙,党课,2022-05-01,缺席\n")
	write(t, filepath.Join(in, "台账.csv"), "姓名,日期,类别,级别,数量\n丁,2022-06-01,志愿服务,,2\n戊,2022-06-01,志愿服务,,3\n戊,2022-07-01,党纪处分,警告,\n")
	out := filepath.Join(dir, "out")
	if _, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{in}, OutDir: out, ConfigPath: filepath.Join(dir, "config.yaml")}); err != nil {
		t.Fatal(err)
	}
	got := map[string][3]string{}
	for _, r := range readBOMCSV(t, filepath.Join(out, "members.csv"))[1:] {
		got[r[0]] = [3]string{r[4], r[5], r[6]}
	}
	want := map[string][3]string{
		"A": {"63", "4", "优秀"},
		"B": {"60", "3", "合格"},
		"C": {"57", "3", "不合格"},
		"D": {"64", "5", "优秀"},
		"E": {"63", "2", "优秀"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v\nwant %v", got, want)
	}
}
