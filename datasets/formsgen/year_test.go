package formsgen_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jifen/jifen/datasets/formsgen"
	"github.com/jifen/jifen/engine/pipeline"
)

// TestCommittedFormsUpToDate: the files in datasets/forms are what the generator writes now
// (the .xls, written by LibreOffice, must be there; its bytes are not compared).
func TestCommittedFormsUpToDate(t *testing.T) {
	dir := t.TempDir()
	if _, err := formsgen.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	for _, name := range formsgen.Files() {
		if name == formsgen.XLS {
			if _, err := os.Stat(committed(name)); err != nil {
				t.Errorf("%s is not committed: run go run ./datasets/formsgen/gen with soffice", name)
			}
			continue
		}
		got, err1 := os.ReadFile(filepath.Join(dir, name))
		want, err2 := os.ReadFile(committed(name))
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's (%v, %v): run go run ./datasets/formsgen/gen", name, err1, err2)
		}
	}
}

// writeOffice writes the office year into dir/2023台账: the generator's forms and the committed
// .xls (LibreOffice's bytes are not the same from one run to the next).
func writeOffice(t *testing.T, dir string) string {
	t.Helper()
	office := filepath.Join(dir, "2023台账")
	if _, err := formsgen.Write(office, false); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(committed(formsgen.XLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(office, formsgen.XLS), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return office
}

func runYear(t *testing.T, input, out string) *pipeline.Summary {
	t.Helper()
	sum, err := pipeline.Run(t.Context(), pipeline.Options{Inputs: []string{input}, OutDir: out, ConfigPath: "../../config.yaml",
		DBPath: filepath.Join(t.TempDir(), "t.duckdb")})
	if err != nil {
		for _, e := range sum.Errors {
			t.Log(e)
		}
		t.Fatalf("pipeline.Run(%s): %v", filepath.Base(input), err)
	}
	return sum
}

// membersByName is members.csv without its 党员编号 column, one line per member sorted by
// (党支部, 姓名): the office roster has no 党员编号, so its keys differ from the plain roster's
// J101…; every other column (姓名, 党支部, 党员类别, 总积分, 星级, 等次) must be the same.
func membersByName(t *testing.T, path string) []string {
	t.Helper()
	rows := readCSV(t, path)
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r[1:], ","))
	}
	head := out[0]
	body := out[1:]
	sort.Strings(body)
	return append([]string{head}, body...)
}

// TestOneYearTwoWays: the unit's year written once in office forms and once in the README's
// plain layouts gives the same members.csv (but for the 党员编号 keys, see membersByName) and
// byte for byte the same indicators.csv.
func TestOneYearTwoWays(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := formsgen.WritePlain(plain); err != nil {
		t.Fatal(err)
	}
	office := writeOffice(t, dir)
	outPlain, outOffice := filepath.Join(dir, "out_plain"), filepath.Join(dir, "out_office")
	runYear(t, plain, outPlain)
	sum := runYear(t, office, outOffice)
	if sum.Files != len(formsgen.Files()) || sum.Imported != len(formsgen.Files()) {
		t.Errorf("office year: %d files read, %d imported, want %d", sum.Files, sum.Imported, len(formsgen.Files()))
	}
	p, o := membersByName(t, filepath.Join(outPlain, "members.csv")), membersByName(t, filepath.Join(outOffice, "members.csv"))
	if strings.Join(p, "\n") != strings.Join(o, "\n") {
		t.Errorf("members.csv differ (党员编号 aside):\nplain:\n%s\noffice:\n%s", strings.Join(p, "\n"), strings.Join(o, "\n"))
	}
	pi, err1 := os.ReadFile(filepath.Join(outPlain, "indicators.csv"))
	oi, err2 := os.ReadFile(filepath.Join(outOffice, "indicators.csv"))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(pi, oi) {
		pl, ol := strings.Split(string(pi), "\n"), strings.Split(string(oi), "\n")
		n := 0
		for i := 0; i < len(pl) && i < len(ol) && n < 20; i++ {
			if pl[i] != ol[i] {
				t.Errorf("indicators.csv line %d: plain %q, office %q", i+1, pl[i], ol[i])
				n++
			}
		}
		if len(pl) != len(ol) {
			t.Errorf("indicators.csv: plain %d lines, office %d", len(pl), len(ol))
		}
	}
}

// TestPlainYear runs the plain half alone and checks it against hand work (reference scheme):
//
//	张伟 (一, 支部书记): +1 at each of 19 meetings: 登记簿 支委会 01-10, 大会 02-14, 党课 03-28,
//	  大会 06-20; 主题党日 03-15; 4.18, 5.16, 5.23; 支委会 04-06; 集中学习 06-09; 党小组会 02-21;
//	  集中学习 01-12, 02-09; 07-11, 08-15, 09-12; 10-17, 11-14, 12-12 (组织生活会 12-19: 0)
//	  → +19; tests 48/50 = 96% +3, 92 +3; pledge 是 +2 优秀 +5; 表彰 市厅级 6.
//	  60 + 19 + 6 + 7 + 6 = 98 → ★5; the best of 6 正式 (⌊6/3⌋ = 2) → 优秀.
//	杨磊 (一): 13 × +1 (02-14, 03-28, 06-20, 04-18, 05-16, 06-09, 02-21, 01-12, 02-09, 07-11,
//	  09-12, 10-17, 11-14), 缺席 03-15 and 08-15 −4, 迟到 12-12 −0.5, 请假 05-23 0 → +8.5;
//	  tests 31/50 = 62% +1, 59 −2 → −1; pledge 是 +2 未践诺 −3 → −1; 党纪处分 警告 → min(66.5, 60)
//	  = 60, no stars, 基本合格.
//	周婷 (二, 支部副书记 = 支委): 支委会 ×3 +3; 02-16, 05-18, 09-21 +3; 03-16, 04-20, 06-15,
//	  06-08 +4; 07-13, 08-17 +2, 09-14 迟到 −0.5; 10-19, 11-16, 12-14 +3 → +14.5; tests 46/50 =
//	  92% +3, 93 +3; pledge +7; 表彰 本单位 2 → 60 + 14.5 + 6 + 7 + 2 = 89.5 → ★3; 合格.
//	吴刚 (二): 10 × +1 (05-18, 09-21, 03-16, 06-15, 06-08, 07-13, 09-14, 10-19, 11-16, 12-14),
//	  缺席 02-16, 04-20, 08-17 −6 → +4; tests 27/50 = 54% −2, 45 −2; pledge 否 0; 通报批评 −3
//	  → 60 + 4 − 4 − 3 = 57 → no stars, 不合格.
//
// Indicators: 第一 支部党员大会 4 (02-14, 06-20, 09-12, 12-12), 主题党日 7 (03-15, 04-18,
// 05-16, 07-11, 08-15, 10-17, 11-14); 第二 支委会 3; 测试次数 2 each (not one per day of
// 交卷); 第一 测试参考人次 14, 及格 12 (李娜 58% and 杨磊 59 fail) → 85.7.
func TestPlainYear(t *testing.T) {
	dir := t.TempDir()
	if err := formsgen.WritePlain(filepath.Join(dir, "plain")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	runYear(t, filepath.Join(dir, "plain"), out)
	got := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "members.csv"))[1:] {
		got[r[2]+"/"+r[1]] = strings.Join(r[4:], ",")
	}
	for k, want := range map[string]string{"机关第一党支部/张伟": "98,5,优秀", "机关第一党支部/杨磊": "60,0,基本合格",
		"机关第二党支部/周婷": "89.5,3,合格", "机关第二党支部/吴刚": "57,0,不合格"} {
		if got[k] != want {
			t.Errorf("%s: 总积分,星级,等次 = %q, want %q", k, got[k], want)
		}
	}
	ind := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(out, "indicators.csv"))[1:] {
		ind[r[0]+"/"+r[1]] = r[2]
	}
	for k, want := range map[string]string{"机关第一党支部/支部党员大会次数": "4", "机关第一党支部/主题党日次数": "7",
		"机关第二党支部/支委会次数": "3", "机关第一党支部/测试次数": "2", "机关第二党支部/测试次数": "2",
		"机关第一党支部/测试参考人次": "14", "机关第一党支部/测试及格率": "85.7"} {
		if ind[k] != want {
			t.Errorf("%s = %q, want %q", k, ind[k], want)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
