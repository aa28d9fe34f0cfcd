package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/importer"
	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/sheet"
)

// A sign-in sheet streamed (as sheets over sheet.StreamThreshold are) whose 活动类型 and 活动日期
// cells are merged down the rows of each activity, as people lay them out by hand: the merged
// ranges are stored after the rows, found only at the end of the pass, so jifen reads the file
// again with them first, and stores what it stores reading the sheet whole.
//
// The sheet, by hand: a title merged over A1:D1, the header in row 2, then 40 members (B01 …
// B40) at 党课 on 2022-03-01 (rows 3–42, B3:B42 and C3:C42 merged) and the same 40 at 主题党日
// on 2022-03-25 (rows 43–82, merged likewise: past the 64 rows a streamed sheet keeps),
// statuses 出席 except every 10th member 缺席 and every other 7th 请假. So 80 sign-ins: per
// activity 40 members, of whom B10, B20, B30, B40 缺席, B07, B14, B21, B28, B35 请假 (B70
// would be both), 31 出席.
func TestStreamedSheetWithMergedColumns(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	roster := "党员编号,姓名,所在支部,党员类别\n"
	for i := 1; i <= 40; i++ {
		roster += fmt.Sprintf("B%02d,党员%02d,一支部,正式党员\n", i, i)
	}
	write(t, filepath.Join(in, "名册.csv"), roster)
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetSheetRow(sh, "A1", &[]any{"2022年3月考勤表"})
	f.MergeCell(sh, "A1", "D1")
	f.SetSheetRow(sh, "A2", &[]any{"党员编号", "活动类型", "活动日期", "出勤情况"})
	for k, act := range []struct{ name, date string }{{"党课", "2022-03-01"}, {"主题党日", "2022-03-25"}} {
		top := 3 + 40*k
		for i := 1; i <= 40; i++ {
			status := "出席"
			switch {
			case i%10 == 0:
				status = "缺席"
			case i%7 == 0:
				status = "请假"
			}
			r := strconv.Itoa(top + i - 1)
			f.SetCellValue(sh, "A"+r, fmt.Sprintf("B%02d", i))
			f.SetCellValue(sh, "D"+r, status)
		}
		f.SetCellValue(sh, "B"+strconv.Itoa(top), act.name)
		f.SetCellValue(sh, "C"+strconv.Itoa(top), act.date)
		f.MergeCell(sh, "B"+strconv.Itoa(top), "B"+strconv.Itoa(top+39))
		f.MergeCell(sh, "C"+strconv.Itoa(top), "C"+strconv.Itoa(top+39))
	}
	if err := f.SaveAs(filepath.Join(in, "考勤.xlsx")); err != nil {
		t.Fatal(err)
	}

	old := sheet.StreamThreshold
	sheet.StreamThreshold = -1
	defer func() { sheet.StreamThreshold = old }()
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb"), OutDir: dir, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, err := j.Import(context.Background())
	if err != nil {
		t.Fatalf("%v %v", err, sum.Errors)
	}
	rows, err := j.Store.DB.Query(`SELECT activity, strftime(date, '%Y-%m-%d'), status, count(*) FROM attendance GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var act, date, status string
		var n int
		rows.Scan(&act, &date, &status, &n)
		got = append(got, fmt.Sprintf("%s %s %s %d", act, date, status, n))
	}
	want := []string{
		"主题党日 2022-03-25 出席 31", "主题党日 2022-03-25 缺席 4", "主题党日 2022-03-25 请假 5",
		"党课 2022-03-01 出席 31", "党课 2022-03-01 缺席 4", "党课 2022-03-01 请假 5",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored\n%q\nwant\n%q", got, want)
	}
}

// A sheet of more sign-ins than the importer checks for repeats itself (importer.MaxSignIns,
// a worksheet's rows; lowered to 2 here) has its repeated rows found by the store, in SQL.
// By hand: rows 5 and 6 repeat rows 2 and 3 (the same member, activity and date; row 5's date
// written another way); row 4 is another member. The file is rejected whole.
func TestRepeatsOfLongSheetsFoundInStore(t *testing.T) {
	defer func(n int) { importer.MaxSignIns = n }(importer.MaxSignIns)
	importer.MaxSignIns = 2
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV+"B3,丙,一支部,正式党员\n")
	write(t, filepath.Join(in, "考勤.csv"), "党员编号,活动类型,活动日期,出勤情况\n"+
		"B1,党课,2022-03-01,出席\nB2,党课,2022-03-01,出席\nB3,党课,2022-03-01,请假\n"+
		"B1,党课,2022/3/1,缺席\nB2,党课,2022-03-01,出席\n")
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb"), OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, err := j.Import(context.Background())
	if err == nil || len(sum.Errors) != 1 {
		t.Fatalf("Import = %v, %v; want 考勤.csv rejected", err, sum.Errors)
	}
	want := "in/考勤.csv: 2 处错误，整个文件未导入\n  in/考勤.csv!5行: 与第 2 行重复（同一党员、同一活动、同一日期）\n  in/考勤.csv!6行: 与第 3 行重复（同一党员、同一活动、同一日期）"
	if got := sum.Errors[0].Error(); got != want {
		t.Errorf("errors:\n%s\nwant\n%s", got, want)
	}
	if n := count(t, j, "attendance"); n != 0 {
		t.Errorf("%d sign-ins stored, want none", n)
	}
}
