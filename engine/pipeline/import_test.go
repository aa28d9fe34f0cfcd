package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

const rosterCSV = "党员编号,姓名,所在支部,党员类别\nB1,甲,一支部,正式党员\nB2,乙,一支部,正式党员\n"

func count(t *testing.T, j *pipeline.Job, table string) int {
	t.Helper()
	var n int
	if err := j.Store.DB.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Importing the same file twice adds nothing; a corrected file at the same path replaces its
// old rows; a file with an error is rejected whole while the others stay.
func TestImportIdempotentReplaceReject(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	att := filepath.Join(in, "考勤.csv")
	write(t, att, "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n乙,党课,2022-03-01,请假\n")
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()

	sum, err := j.Import(ctx)
	if err != nil || sum.Imported != 2 || sum.Rows != 4 {
		t.Fatalf("first import: %+v, %v; want 2 files, 4 rows (2 members + 2 sign-ins)", sum, err)
	}
	sum, err = j.Import(ctx)
	if err != nil || sum.Imported != 0 || sum.Unchanged != 2 || count(t, j, "attendance") != 2 || count(t, j, "members") != 2 {
		t.Fatalf("second import: %+v, %v; want nothing added", sum, err)
	}

	// Corrected: one row removed, two added.
	write(t, att, "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n甲,主题党日,2022-03-08,出席\n乙,主题党日,2022-03-08,迟到\n")
	sum, err = j.Import(ctx)
	if err != nil || sum.Imported != 1 || sum.Rows != 3 || sum.Removed != 2 {
		t.Fatalf("corrected import: %+v, %v; want 1 file, 3 rows, 2 replaced", sum, err)
	}
	var late int
	j.Store.DB.QueryRow("SELECT count(*) FROM attendance WHERE status = '迟到'").Scan(&late)
	if n := count(t, j, "attendance"); n != 3 || late != 1 {
		t.Fatalf("after correction: %d sign-ins (%d 迟到), want 3 (1)", n, late)
	}

	// A second version with an error: rejected whole, the stored version stays.
	write(t, att, "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n丙,党课,2022-03-01,出席\n")
	write(t, filepath.Join(in, "测试.csv"), "姓名,测试名称,测试日期,成绩\n甲,党纪测试,2022-05-01,95\n")
	sum, err = j.Import(ctx)
	if !errors.Is(err, pipeline.ErrRejected) || sum.Rejected != 1 || sum.Imported != 1 {
		t.Fatalf("import with a bad file: %+v, %v; want 1 rejected, 1 imported", sum, err)
	}
	if msg := sum.Errors[0].Error(); !strings.Contains(msg, "考勤.csv!A3: 姓名 “丙” 不在党员名册中") {
		t.Errorf("error = %q, want it to name 考勤.csv!A3", msg)
	}
	if n := count(t, j, "attendance"); n != 3 {
		t.Errorf("after a rejected version: %d sign-ins, want the 3 stored before", n)
	}
	if n := count(t, j, "tests"); n != 1 {
		t.Errorf("the good file next to the bad one: %d tests, want 1", n)
	}
}

// A roster given to `jifen import` together with the files that refer to it is imported first,
// whatever the order of the arguments.
func TestRosterFirst(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	write(t, filepath.Join(dir, "z名册.csv"), rosterCSV)
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{filepath.Join(dir, "a考勤.csv"), filepath.Join(dir, "z名册.csv")}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if sum, err := j.Import(context.Background()); err != nil || sum.Imported != 2 {
		t.Fatalf("%+v, %v", sum, err)
	}
}
