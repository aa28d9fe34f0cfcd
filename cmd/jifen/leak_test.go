package main

// TestCLINoPersonalData runs every command of the jifen CLI over a roster keyed by 身份证号 and
// 手机号, and searches everything it prints (stdout and stderr) and every output it writes
// (members.csv, indicators.csv, every part of 附件.xlsx, the report) for one of those numbers in
// full. TestCLITerminalSafe does the same for control and bidi characters in names.
//
// The commands are this test binary run again: when cliChildEnv is set, init runs main (the
// arguments are jifen's), so every byte the real jifen would print is what is searched.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

const cliChildEnv = "JIFEN_CLI_TEST_CHILD"

func init() {
	if os.Getenv(cliChildEnv) == "1" {
		main()
		os.Exit(0)
	}
}

// idCard makes a valid 18-digit 身份证号 from its first 17 digits (GB 11643: the check digit is
// the weighted sum mod 11 mapped through 10X98765432).
func idCard(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// cliRun is one run of jifen: its arguments, what it printed, and its exit code.
type cliRun struct {
	args     []string
	out, err string
	code     int
}

// jifenCLI runs the test binary as jifen in dir.
func jifenCLI(t *testing.T, dir string, args ...string) cliRun {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliChildEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	r := cliRun{args: args, out: stdout.String(), err: stderr.String()}
	if x, ok := err.(*exec.ExitError); ok {
		r.code = x.ExitCode()
	} else if err != nil {
		t.Fatalf("jifen %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// outputTexts reads every file under dir that jifen wrote as an output (not the inputs under
// skip, not the databases or backups, which hold the records as they are by design): an .xlsx
// as the text of each of its parts.
func outputTexts(t *testing.T, dir string, skip ...string) map[string]string {
	t.Helper()
	texts := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		for _, s := range skip {
			if rel == s {
				return filepath.SkipDir
			}
		}
		if d.IsDir() || strings.Contains(rel, ".duckdb") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(p, ".xlsx") {
			texts[rel] = string(data)
			return nil
		}
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		for _, f := range z.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			part, _ := io.ReadAll(rc)
			rc.Close()
			texts[rel+"/"+f.Name] = string(part)
		}
		return nil
	})
	return texts
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCLINoPersonalData(t *testing.T) {
	dir := t.TempDir()
	// 张伟 of 第一党支部 and 张伟 of 第二党支部 are keyed by their 身份证号 (namesakes), 王芳 by her
	// 手机号, 刘洋 by nothing (no 党员编号: jifen keys her by her masked 身份证号 and name), 李娜
	// left in 2021 (not on the roll in 2022).
	idA, idB, idC := idCard("11010119900307123"), idCard("32050219850611002"), idCard("44030519920101551")
	idD, idE, idX := idCard("51010719780909876"), idCard("62010219700202345"), idCard("11010519880808888")
	idF := idCard("43010219870615105") // ends in X: 周婷, keyed by it, explained as typed with x
	phA, phB, phC, phD, phE := "13812345678", "13987654321", "15011112222", "18633334444", "17755556666"
	secrets := []string{idA, idB, idC, idD, idE, idX, idF, phA, phB, phC, phD, phE}
	in := filepath.Join(dir, "in")
	writeFile(t, filepath.Join(in, "党员名册.csv"), "党员编号,姓名,所在支部,党员类别,入党时间,转出时间,身份证号,手机号\n"+
		idA+",张伟,第一党支部,正式党员,2005-06-01,,"+idA+","+phA+"\n"+
		idB+",张伟,第二党支部,正式党员,2006-06-01,,"+idB+","+phB+"\n"+
		phC+",王芳,第一党支部,正式党员,2008-07-01,,"+idC+","+phC+"\n"+
		idD+",李娜,第二党支部,正式党员,2001-07-01,2021-03-01,"+idD+","+phD+"\n"+
		",刘洋,第二党支部,正式党员,2010-07-01,,"+idE+","+phE+"\n"+
		idF+",周婷,第一党支部,正式党员,2012-07-01,,"+idF+",\n")
	// The file name holds a 手机号 too (a sheet named after whom to call): it is echoed as every
	// record's source.
	writeFile(t, filepath.Join(in, "考勤（联系人"+phA+"）.csv"), "党员编号,姓名,所在支部,活动类型,活动日期,出勤情况,备注\n"+
		idA+",张伟,第一党支部,党课,2022-03-01,出席,\n"+
		idB+",张伟,第二党支部,党课,2022-03-02,请假,电话"+phB+"请假\n"+
		phC+",王芳,第一党支部,主题党日,2022-03-15,出席,\n"+
		",刘洋,第二党支部,党课,2022-03-02,出席,\n")
	writeFile(t, filepath.Join(in, "加扣分台账.csv"), "党员编号,姓名,日期,类别,事由\n"+
		idA+",张伟,2022-05-01,志愿服务,联系 "+phA+" 身份证 "+idA+"\n")
	// Files with errors: an unknown 党员编号 that is a 身份证号, a 出勤情况 that is a 手机号, a
	// damaged workbook and a file that cannot be read, both named by a number.
	writeFile(t, filepath.Join(dir, "bad", "考勤错误.csv"), "党员编号,姓名,活动类型,活动日期,出勤情况\n"+
		idX+",张三,党课,2022-03-01,出席\n"+
		idA+",张伟,党课,2022-04-01,"+phB+"\n")
	writeFile(t, filepath.Join(dir, "bad", phA+".xlsx"), "not a workbook")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "bad", idB+".csv")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "conf", "wrong.yaml"), "year: \""+idA+"\"\nrules:\n  - name: "+phC+"\n    points: \""+phB+"\"\n")
	config, _ := filepath.Abs("../../config.yaml")
	template, _ := filepath.Abs("../../datasets/report_template.md")
	cfg := []string{"--config", config}
	near := idA[:17] + "0" // one digit off 张伟's 党员编号
	if near == idA {
		near = idA[:17] + "1"
	}
	runs := []struct {
		args []string
		code int    // expected exit code
		want string // in what it printed
	}{
		{[]string{"run", "--input", "in", "--out", "out", "--db", "a.duckdb"}, 0, "计分：2022 年，5 名党员"},
		{[]string{"check", "in"}, 0, "检查：3 个文件"},
		{[]string{"check", "--json", "in"}, 0, `"ok": true`},
		{[]string{"check", "bad"}, 1, "考勤错误.csv"},
		{[]string{"check", "--json", "bad"}, 1, `"ok": false`},
		{[]string{"import", "in", "--db", "b.duckdb"}, 0, "导入：3 个文件"},
		{[]string{"import", "bad", "--db", "b.duckdb"}, 1, "未导入"},
		{[]string{"import", "nowhere/" + idA + ".csv", "--db", "b.duckdb"}, 1, "错误："},
		{[]string{"score", "--db", "b.duckdb"}, 0, "计分：2022 年"},
		{[]string{"export", "--db", "b.duckdb", "--out", "out2"}, 0, "members.csv"},
		{[]string{"explain", idA, "--db", "a.duckdb"}, 0, "积分明细"},
		{[]string{"explain", "第二党支部/张伟", "--db", "a.duckdb"}, 0, "积分明细"},
		{[]string{"explain", phC, "--db", "a.duckdb"}, 0, "积分明细"},
		{[]string{"explain", "刘洋", "--db", "a.duckdb"}, 0, "积分明细"},
		{[]string{"explain", strings.ToLower(idF), "--db", "a.duckdb"}, 0, "周婷（第一党支部，正式党员）"},
		// 刘洋 has no 党员编号 (key 身份证:620102********…/刘洋): her 身份证号, whole or masked, finds her.
		{[]string{"explain", idE, "--db", "a.duckdb"}, 0, "刘洋（第二党支部，正式党员）"},
		{[]string{"explain", idE[:6] + "********" + idE[14:], "--db", "a.duckdb"}, 0, "刘洋（第二党支部，正式党员）"},
		{[]string{"explain", "张伟", "--db", "a.duckdb"}, 1, "有 2 人"},
		// As the namesakes' message and members.csv show it (masked), the 党员编号 finds him.
		{[]string{"explain", idA[:6] + "********" + idA[14:], "--db", "a.duckdb"}, 0, "张伟（第一党支部，正式党员）"},
		{[]string{"explain", near, "--db", "a.duckdb"}, 1, "相近的有"},
		{[]string{"explain", phC[:10] + "3", "--db", "a.duckdb"}, 1, "相近的有"},
		{[]string{"explain", idD, "--db", "a.duckdb"}, 1, "不在册"},
		{[]string{"explain", "李娜", "--db", "a.duckdb"}, 1, "不在册"},
		{[]string{"explain", idA, "--db", phA + ".duckdb"}, 1, "不存在"},
		{[]string{"explain", idA, "--db", "a.duckdb", "--year", phB}, 1, "没有 139****4321 年"},
		{[]string{"history", "--db", "a.duckdb"}, 0, "导入"},
		{[]string{"backup", "--db", "a.duckdb", "--out", "backup"}, 0, "已备份"},
		{[]string{"restore", "backup", "--db", "c.duckdb"}, 0, "已从"},
		{[]string{"report", "--db", "c.duckdb", "--template", template, "--out", "out/报告.md"}, 0, "输出"},
		{[]string{"run", "--input", "in", "--out", "out3", "--db", "d.duckdb", "--config", "conf/wrong.yaml"}, 1, "应为数字"},
		{[]string{"run", "--" + phA}, 1, "未知的参数"},
		{[]string{"history", idA}, 1, "不接受参数"},
		{[]string{"bench", "--rows", "300", "--members", "20", "--runs", "1"}, 0, "导入"},
	}
	var printed []cliRun
	for _, r := range runs {
		args := r.args
		if !strings.Contains(strings.Join(args, " "), "--config") {
			args = append(args, cfg...)
		}
		got := jifenCLI(t, dir, args...)
		printed = append(printed, got)
		if got.code != r.code || !strings.Contains(got.out+got.err, r.want) {
			t.Errorf("jifen %s: exit %d, want %d and %q in:\n%s%s", strings.Join(r.args, " "), got.code, r.code, r.want, got.out, got.err)
		}
	}
	texts := outputTexts(t, dir, "in", "bad", "conf", "backup")
	for _, p := range []string{"out/members.csv", "out/indicators.csv", "out/附件.xlsx/[Content_Types].xml", "out/报告.md", "out2/members.csv"} {
		if _, ok := texts[p]; !ok {
			t.Errorf("no output %s", p)
		}
	}
	for _, s := range secrets {
		for _, r := range printed {
			for _, text := range []string{r.out, r.err} {
				if i := strings.Index(text, s); i >= 0 {
					t.Errorf("jifen %s printed %s in full: …%s…", strings.Join(r.args, " "), s, around(text, i))
				}
			}
		}
		for name, text := range texts {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%s holds %s in full: …%s…", name, s, around(text, i))
			}
		}
	}
}

// around is the text near byte i, for a message.
func around(s string, i int) string {
	from, to := max(0, i-60), min(len(s), i+80)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to++
	}
	return s[from:to]
}

// TestCLITerminalSafe: a member's name, a file name and a sheet name carrying terminal escapes
// (clear screen ESC [2J, set colour ESC [31m, retitle the window ESC ] 0;… BEL, a C1 CSI) and
// bidi controls (U+202E, U+2066) are printed visibly by every command (\x1b, <U+202E>), never
// raw; `check --json` gives them as JSON escapes, so that the JSON still means the exact names.
// What is stored and written is the name as it is, but no text cell of an output can run as a
// formula: members.csv prefixes ' (=HYPERLINK(…) → '=HYPERLINK(…)), 附件.xlsx has string cells.
func TestCLITerminalSafe(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	// A CSV refuses C0 controls such as ESC at the cell (sheet/control.go): the name carries a C1
	// CSI (U+009B, which terminals also obey) and the file name carries ESC.
	zhao, qian := "赵\u009b2J敏", "钱\u202e敏\u2066"
	evil := `=HYPERLINK("http://x","点我")`
	writeFile(t, filepath.Join(in, "名册.csv"), "党员编号,姓名,所在支部,党员类别,入党时间\n"+
		"A1,"+zhao+",第一党支部,正式党员,2005-06-01\n"+
		"A2,"+qian+",第一党支部,正式党员,2005-06-01\n"+
		`A3,"=HYPERLINK(""http://x"",""点我"")",第一党支部,正式党员,2005-06-01`+"\n"+
		"A4,@SUM(1+1),第一党支部,正式党员,2005-06-01\n")
	signIns := "考勤\x1b]0;pwned\x07.csv"
	writeFile(t, filepath.Join(in, signIns), "党员编号,活动类型,活动日期,出勤情况\nA1,党课,2022-03-01,出席\nA2,党课,2022-03-01,出席\nA3,党课,2022-03-01,出席\n")
	// A workbook whose sheet name reads backwards, with a 出勤情况 that holds a bidi control and
	// a C1 CSI (U+009B; an .xlsx cannot hold ESC itself): rejected, its error header names file and sheet.
	x := excelize.NewFile()
	sheetName := "3月\u202e"
	x.SetSheetName("Sheet1", sheetName)
	for i, row := range [][]any{{"党员编号", "活动类型", "活动日期", "出勤情况"}, {"A1", "党课", "2022-04-01", "到会了\u009b2J\u202e"}} {
		x.SetSheetRow(sheetName, "A"+fmt.Sprint(i+1), &row)
	}
	os.Mkdir(filepath.Join(dir, "bad"), 0o700)
	if err := x.SaveAs(filepath.Join(dir, "bad", "错\u202e.xlsx")); err != nil {
		t.Fatal(err)
	}
	config, _ := filepath.Abs("../../config.yaml")
	var printed []cliRun
	for _, args := range [][]string{
		{"run", "--input", "in", "--out", "out", "--db", "a.duckdb"},
		{"check", "in", "bad"},
		{"import", "bad", "--db", "a.duckdb"},
		{"explain", "A1", "--db", "a.duckdb"},
		{"explain", "A2", "--db", "a.duckdb"},
		{"explain", "赵敏", "--db", "a.duckdb"},
		{"history", "--db", "a.duckdb"},
	} {
		printed = append(printed, jifenCLI(t, dir, append(args, "--config", config)...))
	}
	all := ""
	for _, r := range printed {
		for _, text := range []string{r.out, r.err} {
			for i, c := range text {
				if c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c < 0xa0 || c == 0x202e || c == 0x2066 {
					t.Errorf("jifen %s printed %U raw: …%q…", strings.Join(r.args, " "), c, around(text, i))
				}
			}
			if !utf8.ValidString(text) {
				t.Errorf("jifen %s printed bytes that are not UTF-8", strings.Join(r.args, " "))
			}
			all += text
		}
	}
	// What each is shown as, worked out by hand from the escapes above.
	for _, want := range []string{
		`A1 赵\x9b2J敏（第一党支部，正式党员）`,                                          // explain A1: the name
		`A2 钱<U+202E>敏<U+2066>（第一党支部，正式党员）`,                                // explain A2
		`← in/考勤\x1b]0;pwned\x07.csv!2行`,                                   // explain: the source file
		`in/考勤\x1b]0;pwned\x07.csv`,                                        // history
		`bad/错<U+202E>.xlsx[3月<U+202E>]!D2: 出勤情况 “到会了\x9b2J<U+202E>” 无法识别`, // the error at the cell
		`bad/错<U+202E>.xlsx: 1 处错误`,                                        // its header
	} {
		if !strings.Contains(all, want) {
			t.Errorf("nothing printed %q", want)
		}
	}
	// check --json: the exact names, as JSON escapes.
	js := jifenCLI(t, dir, "check", "--json", "in", "bad", "--config", config)
	if strings.ContainsAny(js.out, "\x1b\u202e\u2066\u009b") {
		t.Errorf("check --json printed a control raw:\n%s", js.out)
	}
	var got struct {
		Files []struct {
			File   string `json:"file"`
			Sheets []struct {
				Sheet string `json:"sheet"`
			} `json:"sheets"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(js.out), &got); err != nil {
		t.Fatalf("check --json: %v\n%s", err, js.out)
	}
	names := map[string]bool{}
	for _, f := range got.Files {
		names[f.File] = true
		for _, s := range f.Sheets {
			names[f.File+"["+s.Sheet+"]"] = true
		}
	}
	for _, want := range []string{"in/" + signIns, "bad/错\u202e.xlsx[" + sheetName + "]"} {
		if !names[want] {
			t.Errorf("check --json has no %q: %v", want, names)
		}
	}
	// The outputs keep the names as they are, and no text cell is a formula.
	csv, err := os.ReadFile(filepath.Join(dir, "out", "members.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A1," + zhao + ",", "A2," + qian + ",", `A3,"'=HYPERLINK(""http://x"",""点我"")",`, "A4,'@SUM(1+1),"} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("members.csv has no %q:\n%s", want, csv)
		}
	}
	xf, err := excelize.OpenFile(filepath.Join(dir, "out", "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	found := 0
	for _, sh := range xf.GetSheetList() {
		rows, _ := xf.GetRows(sh)
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if f, _ := xf.GetCellFormula(sh, cell); f != "" && strings.ContainsAny(f, "@\"") {
					t.Errorf("附件.xlsx %s!%s is a formula %q", sh, cell, f)
				}
				if v == evil || v == "@SUM(1+1)" {
					if typ, _ := xf.GetCellType(sh, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
						t.Errorf("附件.xlsx %s!%s %q is of type %v, not a string", sh, cell, v, typ)
					}
					found++
				}
			}
		}
	}
	if found == 0 {
		t.Errorf("附件.xlsx does not list %q", evil)
	}
}
