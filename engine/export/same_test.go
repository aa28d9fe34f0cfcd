package export_test

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

// On the demo year, 附件5 summed (a ledger past ledgerLimit) is checked against 附件5 in full,
// both written from the store (pipeline.ExportResults): checkSummed.
func TestWriteSummedDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{"../../datasets/demo"}, ConfigPath: "../../config.yaml", OutDir: filepath.Join(dir, "lines")})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum := &pipeline.Summary{}
	if _, err := j.Import(ctx); err != nil {
		t.Fatal(err)
	}
	if err := j.Score(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if err := j.Export(ctx, sum); err != nil {
		t.Fatal(err)
	}
	checkSummed(t, j, sum.Year, filepath.Join(dir, "lines", "附件.xlsx"), filepath.Join(dir, "summed"))
}

// checkSummed writes the demo again with 附件5 summed (a limit of 100 movements) and checks it
// against the lines of 附件5 in full (lines): each member's row counts the member's lines, each
// category column adds up the member's lines of that category, and the columns add up to the
// member's total in 附件1.
func checkSummed(t *testing.T, j *pipeline.Job, year int, lines, dir string) {
	defer export.SetLedgerLimit(100)()
	r, err := pipeline.ExportResults(context.Background(), j.Store, year, j.Cfg.Period, false)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := export.Write(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	read := func(path, sheet string) [][]string {
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	count, points := map[string]int{}, map[string]float64{} // by 党员编号, and 党员编号 + 类别
	for _, r := range read(lines, export.SheetLedger)[4:] { // under 附件5, the title, 填报单位 and the header
		v, _ := strconv.ParseFloat(r[9], 64)
		count[r[0]]++
		points[r[0]+" "+r[6]] += v
	}
	total := map[string]string{}
	for _, r := range read(lines, export.SheetMembers)[4:] {
		if len(r) > 5 {
			total[r[1]] = r[5]
		}
	}
	summed := read(paths[len(paths)-1], export.SheetLedger)
	if !strings.HasPrefix(summed[3][0], "2022 年积分变动共 ") {
		t.Fatalf("附件5 summed: note %q", summed[3][0])
	}
	header, rows := summed[4], summed[5:]
	if len(rows) != len(total) {
		t.Errorf("附件5 summed has %d members, 附件1 %d", len(rows), len(total))
	}
	for _, r := range rows {
		id := r[0]
		if r[3] != strconv.Itoa(count[id]) {
			t.Errorf("%s: %s movements, 附件5 in full has %d", id, r[3], count[id])
		}
		sum := 0.0
		for i := 4; i < len(header)-1; i++ {
			v := 0.0
			if i < len(r) && r[i] != "" {
				v, _ = strconv.ParseFloat(r[i], 64)
			}
			if math.Abs(v-points[id+" "+header[i]]) > 1e-9 {
				t.Errorf("%s %s: %v, 附件5 in full adds up to %v", id, header[i], v, points[id+" "+header[i]])
			}
			sum += v
		}
		if got := strconv.FormatFloat(math.Round(sum*100)/100, 'f', -1, 64); got != total[id] || r[len(r)-1] != total[id] {
			t.Errorf("%s: categories add up to %s, 总积分 %s, 附件1 %s", id, got, r[len(r)-1], total[id])
		}
	}
}
