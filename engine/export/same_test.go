package export_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

// On the demo year, written from the store (pipeline.ExportResults), 附件5 (each member's points
// by category, branch by branch) is checked against 积分明细.xlsx (every movement) and
// members.csv: each category cell adds up the member's lines of that category, the categories
// add up to the member's 总积分, which is members.csv's; each branch's 合计 adds up its members;
// every member is there once. One member is worked by hand from jifen explain GL216 (README):
//
//	GL216 潘志刚: 基础分 60; 承诺书 +2; 践诺 +5; 出勤: 26 × 出席 +1, 4 × 迟到/早退 −0.5, the rest
//	请假 0 → 24; 测试 +3 +1 +1 +1 = 6; 其他加分 心得体会 0.5 + 志愿服务 1 + 1 = 2.5; 一票否决 (警告,
//	capped at 60) −39.5; no 扣分, no 表彰. 60 + 2 + 5 + 24 + 6 + 2.5 − 39.5 = 60 = 总积分.
func TestLedgerSummaryDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{"../../datasets/demo"}, ConfigPath: "../../config.yaml", OutDir: dir})
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
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q is not a number", s)
		}
		return v
	}
	// 积分明细.xlsx: title, note, header, then a line per movement.
	detail := read(filepath.Join(dir, "积分明细.xlsx"), export.SheetDetail)
	if h := detail[2]; h[0] != "党员编号" || h[5] != "类别" || h[8] != "计分" {
		t.Fatalf("积分明细 header %q", h)
	}
	points := map[string]float64{} // 党支部/姓名 + 类别 (unique within a branch in the demo)
	for _, r := range detail[3:] {
		points[r[2]+"/"+r[1]+" "+r[5]] += num(r[8])
	}
	f, err := os.Open(filepath.Join(dir, "members.csv"))
	if err != nil {
		t.Fatal(err)
	}
	members, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	total := map[string]string{} // 党支部/姓名 → 总积分
	for _, m := range members[1:] {
		total[m[2]+"/"+m[1]] = m[4]
	}

	summary := read(filepath.Join(dir, "附件.xlsx"), export.SheetLedger)
	header := summary[4]
	want := []string{"序号", "姓名", "基础分", "承诺书", "践诺", "出勤", "其他加分", "测试", "扣分", "表彰", "一票否决", "总积分"}
	if strings.Join(header, ",") != strings.Join(want, ",") {
		t.Fatalf("附件5 header %q, want %q", header, want)
	}
	cents := func(v float64) int64 { return int64(math.Round(v * 100)) }
	seen, branches, branch := map[string]bool{}, 0, ""
	var branchSum []int64
	for _, r := range summary[5:] {
		for len(r) < len(header) {
			r = append(r, "")
		}
		switch {
		case r[1] == "" && r[0] != "平均": // a branch's heading
			branches++
			branch = r[0]
			branchSum = make([]int64, len(header))
		case r[0] == "合计":
			for i := 2; i < len(header); i++ {
				if cents(num(r[i])) != branchSum[i] {
					t.Errorf("branch %d 合计 %s %s, its members add up to %d cents", branches, header[i], r[i], branchSum[i])
				}
			}
		case r[0] == "平均":
		default:
			name := branch + "/" + r[1]
			if seen[name] {
				t.Errorf("%s twice in 附件5", name)
			}
			seen[name] = true
			var sum int64
			for i := 2; i < len(header)-1; i++ {
				if cents(num(r[i])) != cents(points[name+" "+header[i]]) {
					t.Errorf("%s %s: %q, 积分明细 adds up to %v", name, header[i], r[i], points[name+" "+header[i]])
				}
				sum += cents(num(r[i]))
				branchSum[i] += cents(num(r[i]))
			}
			branchSum[len(header)-1] += cents(num(r[len(header)-1]))
			if sum != cents(num(r[len(r)-1])) || r[len(r)-1] != total[name] {
				t.Errorf("%s: categories add up to %d cents, 总积分 %s, members.csv %s", name, sum, r[len(r)-1], total[name])
			}
			if name == "机关第二党支部/潘志刚" {
				if got, want := strings.Join(r[2:], ","), "60,2,5,24,2.5,6,,,-39.5,60"; got != want {
					t.Errorf("潘志刚 %s, want %s", got, want)
				}
			}
		}
	}
	if !seen["机关第二党支部/潘志刚"] {
		t.Error("潘志刚 not in 附件5")
	}
	if len(seen) != 80 || len(total) != 80 || branches != 4 {
		t.Errorf("附件5 has %d members in %d branches, members.csv %d; want 80 in 4", len(seen), branches, len(total))
	}
}
