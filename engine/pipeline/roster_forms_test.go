package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

// Rosters as offices keep them, end to end: roster_political_status.xlsx (机关第一党支部 张伟
// 支部副书记, 王芳 预备党员, 刘洋 组织委员; 群众 and 共青团员 rows skipped) and
// roster_id_card_as_number.xlsx (第一党支部 张伟, whose 身份证号 is the number
// 1.1010119900307123E+17, and 李娜, 320102199208150045), neither with a 党员编号; a sign-in of
// 支委会 on 2022-03-02 where everyone of 机关第一党支部 attended.
//
// Worked by hand: base 60 for everyone. 支委会 scores only 支委 (committee_positions 书记, 委员
// found inside the 职务): 张伟 (支部副书记) and 刘洋 (组织委员) +1 → 61; 王芳 (no 职务) attended
// too but scores 0 → 60; 第一党支部 张伟 and 李娜 → 60.
//
// No output holds a 身份证号 whole: not 320102199208150045, nor the lost number in any form
// (1.1010119900307123E+17, 110101199003071230); 附件1 shows 110101************ for the lost one
// (its last 4 digits would be wrong) and 320102********0045 for 李娜; the keys are
// 第一党支部/张伟 and 身份证:320102********0045/李娜.
func TestCommitteeByPosition(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o700)
	for _, name := range []string{"roster_political_status.xlsx", "roster_id_card_as_number.xlsx"} {
		data, err := os.ReadFile(filepath.Join("../importer/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(in, name), string(data))
	}
	write(t, filepath.Join(in, "支委会.csv"), "姓名,所在支部,活动类型,活动日期,出勤情况\n"+
		"张伟,机关第一党支部,支委会,2022-03-02,出席\n"+
		"王芳,机关第一党支部,支委会,2022-03-02,出席\n"+
		"刘洋,机关第一党支部,支委会,2022-03-02,出席\n")
	out := filepath.Join(dir, "out")
	if _, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{in}, OutDir: out, DBPath: filepath.Join(dir, "db.duckdb")}); err != nil {
		t.Fatal(err)
	}
	rows := readBOMCSV(t, filepath.Join(out, "members.csv"))
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r[1] + " " + r[2] + " " + r[3] + " " + r[4]
	}
	want := map[string]string{
		"机关第一党支部/张伟":                "张伟 机关第一党支部 正式党员 61",
		"机关第一党支部/王芳":                "王芳 机关第一党支部 预备党员 60",
		"机关第一党支部/刘洋":                "刘洋 机关第一党支部 正式党员 61",
		"第一党支部/张伟":                  "张伟 第一党支部 正式党员 60",
		"身份证:320102********0045/李娜": "李娜 第一党支部 正式党员 60",
	}
	if len(got) != len(want) {
		t.Errorf("members.csv = %q, want %q", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("members.csv %s = %q, want %q", id, got[id], w)
		}
	}
	whole := []string{"320102199208150045", "1.1010119900307123", "110101199003071230", "11010119900307123"}
	data, _ := os.ReadFile(filepath.Join(out, "members.csv"))
	for _, w := range whole {
		if strings.Contains(string(data), w) {
			t.Errorf("members.csv holds %s", w)
		}
	}
	x, err := excelize.OpenFile(filepath.Join(out, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cards := map[string]string{}
	for _, sh := range x.GetSheetList() {
		all, _ := x.GetRows(sh)
		for _, r := range all {
			for _, c := range r {
				for _, w := range whole {
					if strings.Contains(c, w) {
						t.Errorf("附件 %s holds %s: %q", sh, w, c)
					}
				}
			}
			if sh == export.SheetMembers && len(r) > 8 {
				cards[r[1]] = r[8]
			}
		}
	}
	if cards["第一党支部/张伟"] != "110101************" || cards["身份证:320102********0045/李娜"] != "320102********0045" {
		t.Errorf("附件1 身份证号: %q", cards)
	}
}
