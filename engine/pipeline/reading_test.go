package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

// unreadableForm copies testdata/unreadable_form (a roster of 张伟 and 王芳, their 3月主题党日
// sign-ins, and 支部工作台账.csv: a table of 序号/工作事项/责任人/完成时限/进度 that is no
// kind of record jifen reads) into a temporary folder, so that files can be removed from it.
func unreadableForm(t *testing.T) (dir, in string) {
	t.Helper()
	dir = t.TempDir()
	in = filepath.Join(dir, "2022台账")
	if err := os.CopyFS(in, os.DirFS("testdata/unreadable_form/2022台账")); err != nil {
		t.Fatal(err)
	}
	return dir, in
}

// appendixNote is the note of 附件1 (row 4, under 附件1, the title and the 填报单位 line), "" when
// row 4 is the header.
func appendixNote(t *testing.T, out string) string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(out, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(export.SheetMembers, "A4")
	if err != nil {
		t.Fatal(err)
	}
	if v == "序号" {
		return ""
	}
	return v
}

func reportText(t *testing.T, opt pipeline.Options, dir string) string {
	t.Helper()
	tpl := filepath.Join(dir, "模板.md")
	write(t, tpl, "{{年度}}年度，党员数 {{党员数}}。\n")
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	out := filepath.Join(dir, "报告.md")
	if err := j.Report(context.Background(), tpl, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A folder where one form is a table jifen cannot read: run imports the rest and scores it,
// but says so — the problem names the file, run's error is ErrProblems (exit 1), and 附件.xlsx
// and the filled report (each made again later by export and report on their own, from the
// database) open with a note naming the file the figures exclude. Listed in config's
// import.ignore, the same folder runs clean and no note is written; removed from the folder,
// run forgets it.
func TestUnreadableFormIsNeverSilent(t *testing.T) {
	ctx := context.Background()
	dir, in := unreadableForm(t)
	out := filepath.Join(dir, "out")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: out, ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "db.duckdb")}

	sum, err := pipeline.Run(ctx, opt)
	if !errors.Is(err, pipeline.ErrProblems) {
		t.Fatalf("run: err %v, want ErrProblems", err)
	}
	// The roster (2 members) and the sign-ins (2) are imported: 4 records; both members scored.
	if sum.Rows != 4 || sum.Scored != 2 || len(sum.Problems) != 1 || !strings.Contains(sum.Problems[0], "2022台账/支部工作台账.csv") ||
		!strings.Contains(sum.Problems[0], "认不出") {
		t.Fatalf("run: %d records, %d scored, problems %q; want 4, 2 and one problem naming 支部工作台账.csv", sum.Rows, sum.Scored, sum.Problems)
	}
	// The readings, in input order (3月主题党日考勤.csv, 党员名册.csv, 支部工作台账.csv, sorted by
	// path), say what became of each file.
	var got []string
	for _, fr := range sum.Readings {
		got = append(got, fr.File+"："+fr.Status)
	}
	want := []string{"2022台账/3月主题党日考勤.csv：" + pipeline.StatusImported, "2022台账/党员名册.csv：" + pipeline.StatusImported,
		"2022台账/支部工作台账.csv：" + pipeline.StatusUnread}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("readings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := sum.Readings[0].Sheets[0].Summary(); s != "2022台账/3月主题党日考勤.csv：我这样理解这张表：签到，出席 1，请假 1（读了 2 行）" {
		t.Errorf("summary of the sign-ins: %s", s)
	}
	note := appendixNote(t, out)
	if !strings.Contains(note, "2022台账/支部工作台账.csv（认不出的表格，整张表未计入）") {
		t.Fatalf("附件1 note: %q, want it to name 支部工作台账.csv", note)
	}

	// export and report, run later on their own, read what was excluded from the database.
	out2 := filepath.Join(dir, "out2")
	j, err := pipeline.Open(pipeline.Options{OutDir: out2, ConfigPath: "../../config.yaml", DBPath: opt.DBPath})
	if err != nil {
		t.Fatal(err)
	}
	err = j.Export(ctx, &pipeline.Summary{})
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n := appendixNote(t, out2); n != note {
		t.Fatalf("export on its own: note %q, want %q", n, note)
	}
	rep := reportText(t, opt, dir)
	if !strings.HasPrefix(rep, "> 注意：") || !strings.Contains(rep, "2022台账/支部工作台账.csv") || !strings.Contains(rep, "2022年度，党员数 2。") {
		t.Fatalf("report:\n%s\nwant a note naming 支部工作台账.csv first, then the figures", rep)
	}

	// Check says the same, and exits 1 (its error), without writing anything.
	csum, err := pipeline.Check(ctx, pipeline.Options{Inputs: []string{in}, ConfigPath: "../../config.yaml"})
	if err == nil || len(csum.Problems) != 1 || !strings.Contains(csum.Problems[0], "支部工作台账.csv") {
		t.Fatalf("check: %v, problems %q; want an error and the one problem", err, csum.Problems)
	}

	// The form removed from the folder: run syncs, the note is gone.
	if err := os.Remove(filepath.Join(in, "支部工作台账.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(ctx, opt); err != nil {
		t.Fatalf("run without the form: %v", err)
	}
	if n := appendixNote(t, out); n != "" {
		t.Fatalf("附件1 note after the form was removed: %q, want none", n)
	}
	if rep := reportText(t, opt, dir); strings.Contains(rep, "注意") {
		t.Fatalf("report after the form was removed:\n%s", rep)
	}
}

// The same folder with the form listed in import.ignore: no problem, exit 0, no note; the
// reading says the file was ignored by config.
func TestIgnoredFormNoNote(t *testing.T) {
	ctx := context.Background()
	dir, in := unreadableForm(t)
	cfg, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(cfg), "\n  ignore:\n", "\n  ignore:\n    - file: \"*工作台账*\"\n", 1)
	if text == string(cfg) {
		t.Fatal("config.yaml has no import.ignore list to add to")
	}
	conf := filepath.Join(dir, "config.yaml")
	write(t, conf, text)
	out := filepath.Join(dir, "out")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: out, ConfigPath: conf, DBPath: filepath.Join(dir, "db.duckdb")}
	sum, err := pipeline.Run(ctx, opt)
	if err != nil || len(sum.Problems) != 0 || sum.IgnoredByConfig != 1 {
		t.Fatalf("run: %v, problems %q, %d ignored by config; want no error, no problem, 1 ignored", err, sum.Problems, sum.IgnoredByConfig)
	}
	if fr := sum.Readings[2]; fr.File != "2022台账/支部工作台账.csv" || fr.Status != pipeline.StatusIgnored {
		t.Fatalf("reading of the form: %+v", fr)
	}
	if n := appendixNote(t, out); n != "" {
		t.Fatalf("附件1 note: %q, want none", n)
	}
	if rep := reportText(t, opt, dir); strings.Contains(rep, "注意") {
		t.Fatalf("report:\n%s\nwant no note", rep)
	}
}

// A form imported but with a column used for nothing (籍贯 of the roster is ignored by the
// default config, so it is 政治面貌 here): run exits with ErrProblems and the note names the
// column; a file with an error is named as not imported.
func TestUnusedColumnAndRejectedFileNoted(t *testing.T) {
	ctx := context.Background()
	dir, in := unreadableForm(t)
	os.Remove(filepath.Join(in, "支部工作台账.csv"))
	// 序号 (1, 2) is a running number: no problem; 籍贯 is ignored by the default config;
	// 入党介绍人 holds values no field takes: a problem.
	write(t, filepath.Join(in, "党员名册.csv"), "序号,党员编号,姓名,所在支部,党员类别,籍贯,入党介绍人\n1,B1,张伟,第一党支部,正式党员,北京,李明\n2,B2,王芳,第一党支部,正式党员,上海,赵强\n")
	// 出勤情况 “到会了” is no status: an error, the file is not imported.
	write(t, filepath.Join(in, "4月考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n张伟,党课,2022-04-20,到会了\n")
	out := filepath.Join(dir, "out")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: out, ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "db.duckdb")}
	sum, err := pipeline.Run(ctx, opt)
	if !errors.Is(err, pipeline.ErrRejected) || len(sum.Problems) != 1 || !strings.Contains(sum.Problems[0], "“入党介绍人”") {
		t.Fatalf("run: %v, problems %q; want ErrRejected and one problem naming 入党介绍人", err, sum.Problems)
	}
	var roster []string
	for _, fr := range sum.Readings {
		if fr.File == "2022台账/党员名册.csv" {
			roster = append(roster, fr.Sheets[0].UnusedLine())
		}
	}
	if len(roster) != 1 || roster[0] != "未用的列：A “序号”（序号列，不算问题）、F “籍贯”（按配置 import.ignore 忽略）、G “入党介绍人”（如：李明、赵强）" {
		t.Fatalf("roster's unused columns: %q", roster)
	}
	note := appendixNote(t, out)
	for _, w := range []string{"2022台账/4月考勤.csv（有错误，未导入）", "2022台账/党员名册.csv（列 G “入党介绍人” 没有使用）"} {
		if !strings.Contains(note, w) {
			t.Errorf("附件1 note %q lacks %q", note, w)
		}
	}
	if strings.Contains(note, "籍贯") || strings.Contains(note, "序号") {
		t.Errorf("附件1 note %q names a column that is no problem", note)
	}
}

// A rule item that matches nothing while a column of its source was used for nothing is a
// problem naming both: the pledges hold 是否签订承诺书 and 自评 (free text no field takes),
// no 践诺 rating, so the 践诺 item (points_by 优秀/良好/一般/未践诺) matches no record.
func TestRuleItemUnmatchedWhileColumnUnused(t *testing.T) {
	ctx := context.Background()
	dir, in := unreadableForm(t)
	os.Remove(filepath.Join(in, "支部工作台账.csv"))
	write(t, filepath.Join(in, "承诺.csv"), "姓名,年度,是否签订承诺书,自评\n张伟,2022,是,按时参加组织生活\n王芳,2022,是,带头志愿服务\n")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "db.duckdb")}
	sum, err := pipeline.Run(ctx, opt)
	if !errors.Is(err, pipeline.ErrProblems) {
		t.Fatalf("run: %v, want ErrProblems", err)
	}
	// Two problems: the column, and the 践诺 item naming the column.
	if len(sum.Problems) != 2 || !strings.Contains(sum.Problems[0], "“自评”") ||
		!strings.Contains(sum.Problems[1], "践诺") || !strings.Contains(sum.Problems[1], "2022台账/承诺.csv 列 D “自评”") {
		t.Fatalf("problems: %q", sum.Problems)
	}
	// The item is a problem, not also a warning.
	for _, w := range sum.Warnings {
		if strings.Contains(w, "践诺") {
			t.Errorf("warning repeats the problem: %s", w)
		}
	}
}

// The command line on the same folder: check prints each file's reading (grouped by file,
// the columns indented) and the problem, and exits 1; check --json writes the same as JSON on
// stdout and nothing human on stderr but the closing error; run exits 1 and prints the problem
// before its summary line; report, run later, opens with the note.
func TestCLICheckReadingsAndExitCodes(t *testing.T) {
	dir, in := unreadableForm(t)
	bin := filepath.Join(dir, "jifen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/jifen")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	config, _ := filepath.Abs("../../config.yaml")
	jifen := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--config", config)...)
		cmd.Dir = dir
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}

	_, e, code := jifen("check", in)
	for _, w := range []string{
		"读表说明：\n2022台账/3月主题党日考勤.csv（读取无误，可以导入）\n  我这样理解这张表：签到，出席 1，请假 1（读了 2 行）\n      列：A 姓名（表头 “姓名”）",
		"2022台账/支部工作台账.csv（有认不出的表格，未计入）\n  没有读懂这张表（第 1 行像是表头，下面有 3 行数据），整张表没有读取\n",
		"问题： 2022台账/支部工作台账.csv!1行: 这张表有表头（序号、工作事项、责任人、完成时限、进度）和 3 行数据，但 jifen 认不出",
		"1 个读表问题",
	} {
		if !strings.Contains(e, w) {
			t.Errorf("check's output lacks %q:\n%s", w, e)
		}
	}
	if code != 1 {
		t.Errorf("check: exit %d, want 1", code)
	}

	o, e, code := jifen("check", "--json", in)
	var doc struct {
		Files []struct {
			File   string `json:"file"`
			Status string `json:"status"`
			Sheets []struct {
				Kind     string   `json:"kind"`
				Text     string   `json:"text"`
				Problems []string `json:"problems"`
			} `json:"sheets"`
		} `json:"files"`
		Errors   []string `json:"errors"`
		Problems []string `json:"problems"`
		OK       bool     `json:"ok"`
	}
	if err := json.Unmarshal([]byte(o), &doc); err != nil {
		t.Fatalf("check --json: %v\n%s", err, o)
	}
	if code != 1 || doc.OK || len(doc.Files) != 3 || doc.Files[0].Sheets[0].Kind != "签到" ||
		doc.Files[0].Sheets[0].Text != "我这样理解这张表：签到，出席 1，请假 1（读了 2 行）" ||
		len(doc.Problems) != 1 || len(doc.Files[2].Sheets[0].Problems) != 1 || len(doc.Errors) != 0 {
		t.Errorf("check --json: exit %d, %+v", code, doc)
	}
	if strings.Contains(e, "读表说明") || strings.Contains(e, "问题：") {
		t.Errorf("check --json printed the human text on stderr:\n%s", e)
	}
	// An error at a cell comes in fields too, for a page to mark the cell: 王五 is not in the
	// roster (B3 of 错名.csv: row 3, column B).
	bad := filepath.Join(dir, "错")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(bad, "名册.csv"), "党员编号,姓名,所在支部,党员类别\nA1,王芳,第一党支部,正式党员\n")
	write(t, filepath.Join(bad, "错名.csv"), "活动类型,姓名,日期,出勤情况\n主题党日,王芳,2022-03-15,出席\n主题党日,王五,2022-03-15,出席\n")
	o, _, _ = jifen("check", "--json", bad)
	var cells struct {
		ErrorCells []struct {
			File, Sheet, Col, Message string
			Row                       int
		} `json:"error_cells"`
	}
	if err := json.Unmarshal([]byte(o), &cells); err != nil {
		t.Fatal(err)
	}
	if c := cells.ErrorCells; len(c) != 1 || c[0].File != "错/错名.csv" || c[0].Row != 3 || c[0].Col != "B" || !strings.HasPrefix(c[0].Message, "姓名 “王五” 不在党员名册中") {
		t.Errorf("error_cells = %+v, want 错/错名.csv row 3 column B", c)
	}

	_, e, code = jifen("run", "--input", in, "--out", "out", "--db", "a.duckdb")
	p, s := strings.Index(e, "问题： 2022台账/支部工作台账.csv"), strings.Index(e, "导入：3 个文件")
	if code != 1 || p < 0 || s < p || !strings.Contains(e, "1 个读表问题") {
		t.Errorf("run: exit %d, want 1 and the problem before the summary:\n%s", code, e)
	}
	tpl, _ := filepath.Abs("../../datasets/report_template.md")
	if _, e, code = jifen("report", "--db", "a.duckdb", "--template", tpl, "--out", "报告.md"); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, e)
	}
	rep, _ := os.ReadFile(filepath.Join(dir, "报告.md"))
	if !strings.HasPrefix(string(rep), "> 注意：以下 1 处文件或表格未计入（或未完全计入）本文件中的数字：2022台账/支部工作台账.csv（认不出的表格，整张表未计入）。") {
		t.Errorf("report begins:\n%.300s", rep)
	}
}

// A sign-in table whose 出勤情况 cells are all blank gives no record: a problem when it is
// imported, and again when it is given a second time unchanged (not read again: the database
// remembers it), so that a second run cannot exit 0 while 附件 still notes the table.
func TestNoRecordsProblemRemembered(t *testing.T) {
	ctx := context.Background()
	dir, in := unreadableForm(t)
	os.Remove(filepath.Join(in, "支部工作台账.csv"))
	write(t, filepath.Join(in, "4月考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n张伟,党课,2022-04-20,\n王芳,党课,2022-04-20,\n")
	opt := pipeline.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "db.duckdb")}
	for i, want := range []string{"2022台账/4月考勤.csv!1行: 这张表有 2 行数据，但没有读出任何记录",
		"2022台账/4月考勤.csv: 没有读出记录，整张表未计入（上次导入时发现；文件内容没有变，未重新读取）"} {
		sum, err := pipeline.Run(ctx, opt)
		if !errors.Is(err, pipeline.ErrProblems) || len(sum.Problems) != 1 || !strings.HasPrefix(sum.Problems[0], want) {
			t.Fatalf("run %d: %v, problems %q; want ErrProblems and %q…", i+1, err, sum.Problems, want)
		}
		if n := appendixNote(t, opt.OutDir); !strings.Contains(n, "2022台账/4月考勤.csv（没有读出记录，整张表未计入）") {
			t.Fatalf("run %d: 附件1 note %q", i+1, n)
		}
	}
}
