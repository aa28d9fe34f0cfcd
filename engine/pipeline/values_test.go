package pipeline_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// totals reads the year's totals by 党员编号.
func totals(t *testing.T, j *pipeline.Job, year int) map[string]float64 {
	t.Helper()
	rs, err := j.Store.Scores(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range rs {
		out[r.ID] = r.Total
	}
	return out
}

// A database imported by an earlier version may hold values no import takes now: scoring leaves
// those records out, says which (file, sheet, row, what), and scores the rest. Before, the first
// made DuckDB fail with "Could not cast value 20220501.000000 to DECIMAL(9,2)" and nothing was
// scored.
//
// By hand: 王芳 (DY002) has, among others, row 5 of 加扣分台账.csv (志愿服务 2022-03-05, +1 under
// 其他加分: her 3 志愿服务 and a 心得体会 make 3.5, below the cap of 10) and row 3 of
// 2022年测试成绩.xlsx (党纪党规知识测试 72/100 ≥ 60%: +1; her test gains are under the cap). Its 数量
// set to 20220501 and that test's 满分 to 10^12, both rows are left out: 王芳 loses 2 points,
// nobody else changes.
func TestStoredValuesOutOfRange(t *testing.T) {
	j, _ := runFixture(t)
	ctx := context.Background()
	before := totals(t, j, 2022)
	for _, q := range []string{
		`UPDATE entries SET count = 20220501 WHERE row = 5 AND file_id = (SELECT file_id FROM files WHERE name LIKE '%加扣分台账.csv')`,
		`UPDATE tests SET full_mark = 1e12 WHERE row = 3 AND file_id = (SELECT file_id FROM files WHERE name LIKE '%2022年测试成绩.xlsx')`,
	} {
		if res, err := j.Store.DB.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q, n)
		}
	}
	sum := scoreLosing(t, j, before, "DY002", 2)
	const left = "，这条记录未计分（数据库中的这条记录是早先的版本导入的，现在导入时会被拒绝：请改正原表格后重新导入）"
	want := []string{
		"e2e_small/2022年测试成绩.xlsx[测试成绩]!3行: 满分 1000000000000 超出范围（允许 0–1000；试卷的满分，一般为 100 或 150）" + left,
		"e2e_small/加扣分台账.csv!5行: 数量 20220501 超出范围（允许 0–1000；像是日期填进了数量列）" + left,
	}
	for _, w := range want {
		if !slices.Contains(sum.Problems, w) {
			t.Errorf("problems = %q\nwant among them %q", sum.Problems, w)
		}
	}
	// An export (or report) run later on its own says it too, before any number: the 2 values.
	r, err := pipeline.ExportResults(ctx, j.Store, 2022, "year", false)
	if err != nil {
		t.Fatal(err)
	}
	if note := "注意：数据库中有 2 处数值超出范围（早先的版本导入的），这些记录未计入本文件中的数字"; !strings.Contains(r.Excluded, note) {
		t.Errorf("export's note = %q, want %q", r.Excluded, note)
	}
}

// The year scored is never one no form may hold: records dated 9999-12-31 by an earlier version
// (here two thirds of the sign-ins) do not make the year 9999 (the year with most sign-ins
// that may be, 2022, is scored), and --year 9999 is refused.
func TestScoredYearInRange(t *testing.T) {
	j, _ := runFixture(t)
	ctx := context.Background()
	if _, err := j.Store.DB.ExecContext(ctx, `UPDATE attendance SET date = DATE '9999-12-31' WHERE rowid % 3 <> 0`); err != nil {
		t.Fatal(err)
	}
	y, err := j.Year(ctx)
	if err != nil || y != 2022 {
		t.Errorf("year = %d, %v; want 2022", y, err)
	}
	j.Opt.Year = 9999
	if _, err := j.Year(ctx); err == nil || !strings.Contains(err.Error(), "--year 给出的年份 9999 晚于") {
		t.Errorf("--year 9999: %v, want an error saying the year is too late", err)
	}
}

// Values each within its range can still sum past what DECIMAL(9,2) held (9,999,999.99): a
// member with 3,400 rows of 通报批评 ×1000 (a 2nd trial's file, all accepted at import) made
// scoring fail for everyone with "Casting value -10199939.50 to type DECIMAL(9,2) failed". Now
// the sums are DECIMAL(18,2): DY002 loses 3 × 1000 × 3,400 = 10,200,000 points (扣分 has no
// cap), nobody else changes.
func TestLargeSumsScore(t *testing.T) {
	j, _ := runFixture(t)
	ctx := context.Background()
	before := totals(t, j, 2022)
	if _, err := j.Store.DB.ExecContext(ctx, `INSERT INTO entries
		SELECT 'DY002', DATE '2022-01-01' + (i % 300)::INTEGER, '通报批评', '', '第' || i || '次', 1000, NULL,
			(SELECT min(file_id) FROM files), '台账', i + 2 FROM range(3400) t(i)`); err != nil {
		t.Fatal(err)
	}
	scoreLosing(t, j, before, "DY002", 10200000)
}

// scoreLosing scores 2022 again and checks that member lost points from its total before and
// that nobody else's changed; it gives the run's summary.
func scoreLosing(t *testing.T, j *pipeline.Job, before map[string]float64, member string, points float64) pipeline.Summary {
	t.Helper()
	var sum pipeline.Summary
	if err := j.Score(context.Background(), &sum); err != nil {
		t.Fatalf("score: %v", err)
	}
	after := totals(t, j, 2022)
	for id, v := range before {
		want := v
		if id == member {
			want = v - points
		}
		if after[id] != want {
			t.Errorf("%s: total %v, want %v (before %v)", id, after[id], want, v)
		}
	}
	return sum
}
