package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

// 身份证号 and 手机号 from the roster are masked in 附件1 and members.csv unless Unmask, and never
// reach a message in full: 110101199001011234 → 110101********1234, 13812345678 → 138****5678.
func TestPersonalDataMasked(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o700)
	write(t, filepath.Join(in, "名册.csv"), "党员编号,姓名,所在支部,党员类别,身份证号,手机号\n"+
		"110101199001011234,甲,一支部,正式党员,110101199001011234,13812345678\n")
	write(t, filepath.Join(in, "考勤.csv"), "党员编号,活动类型,活动日期,出勤情况\n110101199001011234,党课,2022-03-01,出席\n")
	for _, unmask := range []bool{false, true} {
		out := filepath.Join(dir, "out", map[bool]string{false: "masked", true: "full"}[unmask])
		if _, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{in}, OutDir: out, Unmask: unmask,
			DBPath: filepath.Join(dir, "db.duckdb")}); err != nil {
			t.Fatal(err)
		}
		id, phone := "110101********1234", "138****5678"
		if unmask {
			id, phone = "110101199001011234", "13812345678"
		}
		if got := readBOMCSV(t, filepath.Join(out, "members.csv"))[1][0]; got != id {
			t.Errorf("unmask %v: members.csv 党员编号 %q, want %q", unmask, got, id)
		}
		x, err := excelize.OpenFile(filepath.Join(out, "附件.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(export.SheetMembers)
		x.Close()
		if r := rows[4]; r[1] != id || r[8] != id || r[9] != phone { // under 附件1, title, 填报单位, header
			t.Errorf("unmask %v: 附件1 row %q, want %s, %s", unmask, r, id, phone)
		}
		x, _ = excelize.OpenFile(filepath.Join(out, "附件.xlsx"))
		pledges, _ := x.GetRows(export.SheetPledges)
		x.Close()
		x, _ = excelize.OpenFile(filepath.Join(out, "积分明细.xlsx"))
		ledger, _ := x.GetRows(export.SheetDetail)
		x.Close()
		if pledges[4][1] != id || ledger[3][0] != id {
			t.Errorf("unmask %v: 附件4 %q, 积分明细 %q, want %s", unmask, pledges[4][1], ledger[3][0], id)
		}
	}
	// An unknown 党员编号 that is an ID number is quoted masked.
	write(t, filepath.Join(in, "测试.csv"), "党员编号,测试名称,测试日期,成绩\n110101199001019999,党纪测试,2022-05-01,95\n")
	_, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "o3"), DBPath: filepath.Join(dir, "db.duckdb")})
	if !errors.Is(err, pipeline.ErrRejected) {
		t.Fatalf("err = %v", err)
	}
	j, _ := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb")})
	defer j.Close()
	sum, _ := j.Import(context.Background())
	msg := sum.Errors[0].Error()
	if !strings.Contains(msg, "党员编号 “110101********9999” 不在党员名册中") || strings.Contains(msg, "110101199001019999") {
		t.Errorf("message = %q", msg)
	}
}
