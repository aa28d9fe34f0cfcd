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

	// Corrected: 甲's 党课 changed to 迟到, 乙's 党课 removed, two 主题党日 sign-ins added.
	write(t, att, "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,迟到\n甲,主题党日,2022-03-08,出席\n乙,主题党日,2022-03-08,迟到\n")
	sum, err = j.Import(ctx)
	if err != nil || sum.Imported != 1 || sum.Rows != 3 || sum.Removed != 2 {
		t.Fatalf("corrected import: %+v, %v; want 1 file, 3 rows, 2 replaced", sum, err)
	}
	if want := "in/考勤.csv：替换为新版本，新增 2 条、删除 1 条、修改 1 条记录"; len(sum.Replacements) != 1 || sum.Replacements[0] != want {
		t.Errorf("replacements = %q, want %q", sum.Replacements, want)
	}
	var late int
	j.Store.DB.QueryRow("SELECT count(*) FROM attendance WHERE status = '迟到'").Scan(&late)
	if n := count(t, j, "attendance"); n != 3 || late != 2 {
		t.Fatalf("after correction: %d sign-ins (%d 迟到), want 3 (2)", n, late)
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

// `jifen run` leaves the database holding exactly its inputs: a revised copy saved under a new
// name is refused as a duplicate, and a file deleted from the folder stops counting.
func TestRunSyncsAndRefusesDuplicates(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "台账")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	write(t, filepath.Join(in, "3月考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	opt := pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb"), OutDir: filepath.Join(dir, "out")}
	ctx := context.Background()
	if _, err := pipeline.Run(ctx, opt); err != nil {
		t.Fatal(err)
	}
	// A revised copy under a new name: the same sign-in again.
	copyPath := filepath.Join(in, "3月考勤（修订）.csv")
	write(t, copyPath, "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n乙,党课,2022-03-01,出席\n")
	sum, err := pipeline.Run(ctx, opt)
	if !errors.Is(err, pipeline.ErrRejected) || sum.Rejected != 1 {
		t.Fatalf("run with a duplicate copy: %+v, %v; want it rejected", sum, err)
	}
	want := "台账/3月考勤（修订）.csv!2行: 与已导入的 台账/3月考勤.csv!2行 重复（同一党员、同一活动、同一日期）"
	if msg := sum.Errors[0].Error(); !strings.Contains(msg, want) {
		t.Errorf("error = %q, want it to contain %q", msg, want)
	}
	// The copy deleted, the original renamed: the database follows the folder.
	os.Remove(copyPath)
	os.Rename(filepath.Join(in, "3月考勤.csv"), filepath.Join(in, "三月考勤.csv"))
	sum, err = pipeline.Run(ctx, opt)
	if err != nil || sum.Dropped != 1 || sum.Imported != 1 || sum.Unchanged != 1 {
		t.Fatalf("run after renaming: %+v, %v; want 1 dropped (old name), 1 imported (new name), 1 unchanged (roster)", sum, err)
	}
	members := readBOMCSV(t, filepath.Join(dir, "out", "members.csv"))
	if got := members[1][4]; got != "61" { // 甲: 60 + 党课 1, counted once
		t.Errorf("甲's total = %s, want 61", got)
	}
}

// Scoring a year without records says which years there are.
func TestScoreYearWithoutRecords(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "名册.csv"), rosterCSV)
	write(t, filepath.Join(dir, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	_, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{dir}, Year: 2023, OutDir: filepath.Join(dir, "out")})
	if err == nil || err.Error() != "2023 年没有任何签到、测试、承诺或台账记录（数据库中有记录的年份：2022）" {
		t.Errorf("err = %v", err)
	}
}

// Rows under a table that carry no record (合计, 填表人：…) are skipped; a blank 出勤情况 means
// not expected; a roster date written to the month (2022.11) is the 1st of that month, and a
// 转出时间 to the month its last day.
func TestFootersBlanksAndMonthDates(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "名册.csv"), "党员编号,姓名,所在支部,党员类别,入党时间,转出时间\nB1,甲,一支部,预备党员,2022.11,\nB2,乙,一支部,正式党员,2001.07,2022.03\n")
	write(t, filepath.Join(dir, "考勤.csv"), "序号,姓名,活动类型,活动日期,出勤情况\n"+
		"1,甲,党课,2022-03-01,出席\n"+ // before 甲 joined (2022-11-01): ignored
		"2,甲,党课,2022-11-01,出席\n"+ // his first day: +1
		"3,乙,党课,2022-03-31,出席\n"+ // 乙's last day (转出 2022.03 → 03-31): +1
		"4,乙,党课,2022-11-01,\n"+ // blank: not expected, no record
		"合计,,,,2人\n"+
		"填表人：张三,,审核人：李四,,\n")
	out := filepath.Join(dir, "out")
	if _, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{dir}, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	members := readBOMCSV(t, filepath.Join(out, "members.csv"))
	got := map[string]string{}
	for _, r := range members[1:] {
		got[r[0]] = r[4]
	}
	if got["B1"] != "61" || got["B2"] != "61" {
		t.Errorf("totals = %v, want B1 61 and B2 61", got)
	}
}

// Sign-ins given before any roster get one clear message, not one per row.
func TestNoRosterYet(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n乙,党课,2022-03-01,出席\n")
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{filepath.Join(dir, "考勤.csv")}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, _ := j.Import(context.Background())
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Error(), "党员名册还没有导入") {
		t.Errorf("errors = %v", sum.Errors)
	}
}

// jifen check lists every problem of every file and writes nothing, not even the database.
func TestCheckWritesNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "台账")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	write(t, filepath.Join(in, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,到会了\n丙,党课,2022-03-01,出席\n")
	write(t, filepath.Join(in, "测试.csv"), "姓名,测试名称,测试日期,成绩\n乙,党纪测试,2022-05-01,95\n")
	db := filepath.Join(dir, "db.duckdb")
	sum, err := pipeline.Check(context.Background(), pipeline.Options{Inputs: []string{in}, DBPath: db})
	if err == nil || err.Error() != "1 个文件有问题" {
		t.Errorf("err = %v", err)
	}
	want := "台账/考勤.csv: 2 处错误，导入时整个文件会被拒绝\n" +
		"  台账/考勤.csv!D2: 出勤情况 “到会了” 无法识别（可用：出席、请假、缺席、迟到、早退）\n" +
		"  台账/考勤.csv!A3: 姓名 “丙” 不在党员名册中（相近的有：乙、甲）"
	if len(sum.Errors) != 1 || sum.Errors[0].Error() != want {
		t.Errorf("errors = %q\nwant %q", sum.Errors, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("check created the database: %v", err)
	}
}

// Importing after scoring (an interrupted run, or import without score) makes export warn that
// the results may be out of date; scoring again clears it.
func TestStaleResultsWarned(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o700)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	write(t, filepath.Join(in, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), DBPath: filepath.Join(dir, "db.duckdb")}
	ctx := context.Background()
	stale := func(ws []string) bool {
		for _, w := range ws {
			if strings.HasPrefix(w, "数据在上次计分之后有变动") {
				return true
			}
		}
		return false
	}
	if sum, err := pipeline.Run(ctx, opt); err != nil || stale(sum.Warnings) {
		t.Fatalf("%v, warnings %q", err, sum.Warnings)
	}
	write(t, filepath.Join(in, "考勤2.csv"), "姓名,活动类型,活动日期,出勤情况\n乙,党课,2022-03-01,出席\n")
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if _, err := j.Import(ctx); err != nil {
		t.Fatal(err)
	}
	sum := &pipeline.Summary{}
	if err := j.Export(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if !stale(sum.Warnings) {
		t.Errorf("warnings after import without score: %q", sum.Warnings)
	}
	sum = &pipeline.Summary{}
	if err := j.Score(ctx, sum); err != nil {
		t.Fatal(err)
	}
	sum = &pipeline.Summary{}
	if err := j.Export(ctx, sum); err != nil || stale(sum.Warnings) {
		t.Errorf("after scoring again: %v, warnings %q", err, sum.Warnings)
	}
}
