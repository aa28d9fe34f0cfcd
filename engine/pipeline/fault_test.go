package pipeline_test

// Faults and hostile input (issue 7):
//
//   - TestKilledImport: a child process importing large files is killed (SIGKILL) at every stage
//     of a file's transaction, and at timed points; the database then holds exactly the files
//     committed before, each whole, and the next run imports the rest.
//   - TestSecondProcess: a second jifen on a database in use is refused with a clear message
//     and changes nothing; the first is not disturbed.
//   - TestBackupRestoreRoundTrip: jifen backup and restore give identical records and scores.
//   - TestCLIPrivateFilesAndCommands: the built jifen creates owner-only files (umask) and its
//     backup, restore and history commands work.
//   - TestBadInput: the corpus of broken and hostile files (testdata/bad/, and big files made at
//     test time) through pipeline.Run: each refused (or read) with its exact message, nothing of
//     it stored, in bounded time and memory.
//
// The child processes are this test binary run again: TestMain calls faultChild to do the work when
// faultEnv is set (TestMain first serves engine/sheet's .xls child, as always).

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
)

// Environment of a child process (faultChild).
const (
	faultEnv      = "JIFEN_FAULT_CHILD" // "import" or "hold"
	faultDBEnv    = "JIFEN_FAULT_DB"
	faultInputEnv = "JIFEN_FAULT_INPUT"
	faultPauseEnv = "JIFEN_FAULT_PAUSE" // a store stage ("begin", …, "commit") to stop at, in the first import
)

// faultChild runs the test binary as a child process (TestMain calls it when faultEnv is set):
// it imports faultInputEnv into faultDBEnv reporting every stage on stdout ("import"), or holds
// the database open until its stdin closes ("hold").
func faultChild(mode string) int {
	if mode == "run" {
		return runChild()
	}
	if mode == "crash" {
		return crashChild()
	}
	if mode == "export" {
		return exportChild() // exportkill_test.go
	}
	out := bufio.NewWriter(os.Stdout)
	say := func(format string, args ...any) {
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
	}
	opt := pipeline.Options{Inputs: []string{os.Getenv(faultInputEnv)}, DBPath: os.Getenv(faultDBEnv), ConfigPath: "../../config.yaml"}
	j, err := pipeline.Open(opt)
	if err != nil {
		say("error %v", err)
		return 2
	}
	defer j.Close()
	if mode == "hold" {
		say("ready")
		io.Copy(io.Discard, os.Stdin)
		return 0
	}
	pause := os.Getenv(faultPauseEnv)
	imports := 0
	j.Store.OnStage = func(stage string) {
		if stage == "begin" {
			imports++
		}
		say("stage %d %s", imports, stage)
		if imports == 1 && stage == pause {
			say("paused")
			time.Sleep(time.Hour)
		}
	}
	say("start")
	sum, err := j.Import(context.Background())
	if err != nil {
		say("error %v", err)
		return 1
	}
	say("done %d", sum.Imported)
	return 0
}

// child is a running child process and its stdout lines.
type child struct {
	cmd   *exec.Cmd
	lines chan string
	stdin io.WriteCloser
}

func startChild(t *testing.T, mode string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), faultEnv+"="+mode), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 1000), stdin: stdin}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	t.Cleanup(func() { c.kill() })
	return c
}

// kill kills the child with SIGKILL (TerminateProcess on Windows) and waits for it.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
	}
}

// next returns the child's next line, "" at its end; it fails the test after two minutes.
func (c *child) next(t *testing.T) string {
	t.Helper()
	select {
	case l := <-c.lines:
		return l
	case <-time.After(2 * time.Minute):
		t.Fatalf("child: no output for two minutes")
	}
	return ""
}

// bigInput writes a roster of 100 members and n attendance files of rows sign-ins each (each
// file its own days, so no sign-in repeats another file's) into dir; it returns the files'
// names in import order (roster first) and each file's record count.
func bigInput(t *testing.T, dir string, n, rows int) ([]string, map[string]int) {
	var b strings.Builder
	b.WriteString("党员编号,姓名,所在支部,党员类别\n")
	for m := 1; m <= 100; m++ {
		fmt.Fprintf(&b, "M%03d,党员%03d,第%d党支部,正式党员\n", m, m, (m-1)/25+1)
	}
	write(t, filepath.Join(dir, "0名册.csv"), b.String())
	order := []string{"0名册.csv"}
	counts := map[string]int{"0名册.csv": 100}
	acts := []string{"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "集中学习", "组织生活会", "交流研讨"}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for f := 1; f <= n; f++ {
		b.Reset()
		b.WriteString("党员编号,活动类型,活动日期,出勤情况\n")
		for i := 0; i < rows; i++ {
			slot := (f-1)*rows/100 + i/100 // one (activity, day) per 100 rows
			d := start.AddDate(0, 0, slot/len(acts))
			fmt.Fprintf(&b, "M%03d,%s,%s,出席\n", i%100+1, acts[slot%len(acts)], d.Format("2006-01-02"))
		}
		name := fmt.Sprintf("考勤%d.csv", f)
		write(t, filepath.Join(dir, name), b.String())
		order = append(order, name)
		counts[name] = rows
	}
	return order, counts
}

// stored lists the files in the database with their record counts as stored in the record
// tables, checking that each matches its files row and that no record lacks its file.
func stored(t *testing.T, dbPath string) map[string]int {
	t.Helper()
	st, err := store.Open(dbPath)
	if err != nil {
		t.Fatalf("opening the database after the kill: %v", err)
	}
	defer st.Close()
	out := map[string]int{}
	rows, err := st.DB.Query(`SELECT f.name, f.rows,
		(SELECT count(*) FROM members m WHERE m.file_id = f.file_id) + (SELECT count(*) FROM attendance a WHERE a.file_id = f.file_id)
		FROM files f`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var want, got int
		if err := rows.Scan(&name, &want, &got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: %d records stored, its files row says %d (a partial file)", name, got, want)
		}
		out[filepath.Base(name)] = got
	}
	var orphans int
	st.DB.QueryRow(`SELECT (SELECT count(*) FROM members WHERE file_id NOT IN (SELECT file_id FROM files)) +
		(SELECT count(*) FROM attendance WHERE file_id NOT IN (SELECT file_id FROM files))`).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d records of no file", orphans)
	}
	var logged int
	st.DB.QueryRow(`SELECT count(*) FROM files WHERE file_id NOT IN (SELECT file_id FROM imports)`).Scan(&logged)
	if logged != 0 {
		t.Errorf("%d files not in the import log", logged)
	}
	return out
}

// A child importing large files (60,000 sign-ins each) is killed with SIGKILL at each stage
// of a file's transaction (paused there first, so the kill is exactly there), while COMMIT
// runs, at timed points inside the Appender, and while reading; then while replacing a file
// with a new version. After every kill the database opens, holds exactly the files committed
// before, each whole, and the next run imports the rest, the killed file included.
func TestKilledImport(t *testing.T) {
	rows := 60000
	if raceEnabled() {
		rows = 15000
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o700)
	order, counts := bigInput(t, in, 3, rows)
	dbPath := filepath.Join(dir, "db.duckdb")
	env := []string{faultDBEnv + "=" + dbPath, faultInputEnv + "=" + in}

	committed := 0 // files committed so far, in import order
	// check compares the database with the files committed: exactly order[:committed], or one
	// more when the kill came between COMMIT and the child saying so (mayHaveCommitted).
	check := func(point string, mayHaveCommitted bool) {
		t.Helper()
		got := stored(t, dbPath)
		n := len(got)
		if n != committed && !(mayHaveCommitted && n == committed+1) {
			t.Fatalf("%s: %d files in the database %v, want the %d committed before the kill", point, n, got, committed)
		}
		for _, name := range order[:n] {
			if got[name] != counts[name] {
				t.Fatalf("%s: %s has %d records, want %d (database: %v)", point, name, got[name], counts[name], got)
			}
		}
		committed = n
		t.Logf("%s: %d of %d files stored, each whole", point, n, len(order))
	}
	// run starts a child and kills it delay after the first line for which at is true; it
	// returns whether the child had last said "stage k commit" (then COMMIT may have
	// completed before the kill).
	run := func(point string, at func(line string) bool, delay time.Duration, extra ...string) (afterCommit bool) {
		t.Helper()
		c := startChild(t, "import", append(env, extra...)...)
		var timer <-chan time.Time
		last := ""
		for {
			select {
			case line, ok := <-c.lines:
				if !ok {
					t.Fatalf("%s: the child ended before the kill point (%d committed)", point, committed)
				}
				if strings.HasPrefix(line, "error") {
					t.Fatalf("%s: child: %s", point, line)
				}
				if strings.HasSuffix(line, " committed") {
					committed++
				}
				afterCommit, last = strings.HasSuffix(line, " commit"), line
				if timer == nil && at(line) {
					if delay == 0 {
						c.kill()
						t.Logf("%s: killed after %q", point, last)
						return afterCommit
					}
					timer = time.After(delay)
				}
			case <-timer:
				c.kill()
				// Lines said before the kill still count.
				for line := range c.lines {
					if strings.HasSuffix(line, " committed") {
						committed++
					}
					afterCommit, last = strings.HasSuffix(line, " commit"), line
				}
				t.Logf("%s: killed after %q", point, last)
				return afterCommit
			case <-time.After(2 * time.Minute):
				t.Fatalf("%s: no output from the child for two minutes", point)
			}
		}
	}
	is := func(s string) func(string) bool { return func(l string) bool { return l == s } }
	suffix := func(s string) func(string) bool { return func(l string) bool { return strings.HasSuffix(l, s) } }

	// The roster first, so that every kill below hits a large file.
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{filepath.Join(in, order[0])}, DBPath: dbPath, ConfigPath: "../../config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Import(context.Background()); err != nil {
		t.Fatal(err)
	}
	j.Close()
	committed = 1

	// Paused at each stage of the first import of the run: nothing of that file is stored.
	for _, stage := range []string{"begin", "file", "append", "check", "commit"} {
		run("paused at "+stage, is("paused"), 0, faultPauseEnv+"="+stage)
		check("killed at "+stage, false)
	}
	// While reading the files, before any transaction.
	run("reading", is("start"), 0)
	check("killed while reading", false)
	// While COMMIT runs (the kill follows "stage k commit" at once).
	check("killed in COMMIT", run("in COMMIT", suffix(" commit"), 0))
	// Inside the Appender, timed from the files row.
	for _, delay := range []time.Duration{2 * time.Millisecond, 30 * time.Millisecond, 120 * time.Millisecond} {
		point := fmt.Sprintf("%v into the Appender", delay)
		check(point, run(point, suffix(" file"), delay))
	}
	if committed == len(order) {
		t.Fatalf("every file was committed before the last kill: the kills came too late to test anything")
	}

	// The next run imports the rest, the killed file included, and nothing twice.
	before := committed
	j, err = pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: dbPath, ConfigPath: "../../config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := j.Import(context.Background())
	j.Close()
	if err != nil || sum.Imported != len(order)-before || sum.Unchanged != before {
		t.Fatalf("the run after the kills: %+v, %v; want %d imported, %d unchanged", sum, err, len(order)-before, before)
	}
	committed = len(order)
	check("after the next run", false)

	// A corrected version of a stored file, killed after the old version's rows are deleted in
	// its transaction: the old version stays whole; the next run replaces it.
	last := order[len(order)-1]
	data, _ := os.ReadFile(filepath.Join(in, last))
	corrected := strings.Replace(string(data), ",出席\n", ",迟到\n", 1)
	write(t, filepath.Join(in, last), corrected)
	run("replacing", is("paused"), 0, faultPauseEnv+"=replace")
	check("killed while replacing", false)
	j, err = pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: dbPath, ConfigPath: "../../config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var late int
	j.Store.DB.QueryRow("SELECT count(*) FROM attendance WHERE status = '迟到'").Scan(&late)
	if late != 0 {
		t.Errorf("after the kill while replacing, %d records of the new version are stored", late)
	}
	sum, err = j.Import(context.Background())
	if err != nil || sum.Imported != 1 || len(sum.Replacements) != 1 {
		t.Fatalf("the run after the kill while replacing: %+v, %v", sum, err)
	}
	j.Store.DB.QueryRow("SELECT count(*) FROM attendance WHERE status = '迟到'").Scan(&late)
	if late != 1 {
		t.Errorf("after replacing: %d records 迟到, want 1", late)
	}
}

// raceEnabled reports whether the test binary was built with the race detector (its children
// are then several times slower).
func raceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

// smallInput writes a roster (B1 甲, B2 乙) and a sign-in file into dir.
func smallInput(t *testing.T, dir string) {
	t.Helper()
	write(t, filepath.Join(dir, "0名册.csv"), rosterCSV)
	write(t, filepath.Join(dir, "1考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n乙,党课,2022-03-01,请假\n")
}

// A second jifen on a database another jifen has open is refused at once with a clear
// message naming the other process, writes nothing and disturbs nothing: whether the first is
// idle or in the middle of an import (then killed, the database is still whole).
func TestSecondProcess(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "台账")
	os.Mkdir(in, 0o700)
	smallInput(t, in)
	dbPath := filepath.Join(dir, "db.duckdb")
	out := filepath.Join(dir, "out")
	opt := pipeline.Options{Inputs: []string{in}, DBPath: dbPath, OutDir: out, ConfigPath: "../../config.yaml"}
	env := []string{faultDBEnv + "=" + dbPath, faultInputEnv + "=" + in}
	ctx := context.Background()

	refused := func(what string, pid int) {
		t.Helper()
		want := "数据库正被另一个 jifen 进程使用（db.duckdb，PID " + strconv.Itoa(pid) + "）：请等它结束后再运行"
		_, err := pipeline.Run(ctx, opt)
		if err == nil || err.Error() != want || !errors.Is(err, store.ErrLocked) {
			t.Errorf("%s: Run: %v\nwant %s", what, err, want)
		}
		_, err = pipeline.Check(ctx, opt)
		if err == nil || err.Error() != want {
			t.Errorf("%s: Check: %v\nwant %s", what, err, want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: the refused run wrote %s", what, out)
		}
	}

	// The first holds the database, idle.
	c := startChild(t, "hold", env...)
	if l := c.next(t); l != "ready" {
		t.Fatalf("child: %q", l)
	}
	refused("while another jifen holds the database", c.cmd.Process.Pid)
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("the first process: %v", err)
	}

	// The first is in the middle of importing (paused inside the transaction of its second file).
	c = startChild(t, "import", append(env, faultPauseEnv+"=append")...)
	for l := c.next(t); l != "paused"; l = c.next(t) {
		if l == "" || strings.HasPrefix(l, "error") {
			t.Fatalf("child: %q", l)
		}
	}
	refused("while another jifen imports", c.cmd.Process.Pid)
	c.kill()

	// Now free: the run imports both files (the killed one again) and scores.
	sum, err := pipeline.Run(ctx, opt)
	if err != nil || sum.Imported != 2 || sum.Scored != 2 {
		t.Fatalf("run after the first process ended: %+v, %v", sum, err)
	}
}

// dump returns every row of a table, sorted, as text.
func dump(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	sort.Strings(out)
	return out
}

// tables lists the database's tables.
func tables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// A backup restored gives the same rows in every table — the scores, the point ledger and the
// indicators included — and scoring the restored database again gives the same results.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	dbPath := filepath.Join(dir, "a.duckdb")
	opt := pipeline.Options{Inputs: []string{"testdata/e2e_small"}, OutDir: filepath.Join(dir, "out1"), DBPath: dbPath, ConfigPath: "../../config.yaml"}
	if _, err := pipeline.Run(ctx, opt); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(dir, "备份")
	if err := st.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "b.duckdb")
	if _, err := store.Restore(ctx, bk, restored, false); err != nil {
		t.Fatal(err)
	}
	rs, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	all := tables(t, st.DB)
	if got := tables(t, rs.DB); strings.Join(got, " ") != strings.Join(all, " ") {
		t.Errorf("tables after the restore: %v, want %v", got, all)
	}
	for _, table := range all {
		a, b := dump(t, st.DB, table), dump(t, rs.DB, table)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("%s: %d rows before the backup, %d after the restore, or different rows", table, len(a), len(b))
		}
		switch table {
		case "files", "imports", "members", "attendance", "tests", "pledges", "entries", "point_packed", "point_layout", "point_notes", "point_codes", "scores", "indicators":
			if len(a) == 0 {
				t.Errorf("%s is empty: the round trip tests nothing there", table)
			}
		}
	}
	scores := dump(t, st.DB, "scores")
	st.Close()
	rs.Close()

	// Scored again from the restored records: the same results, the same members.csv.
	opt2 := pipeline.Options{OutDir: filepath.Join(dir, "out2"), DBPath: restored, ConfigPath: "../../config.yaml"}
	j, err := pipeline.Open(opt2)
	if err != nil {
		t.Fatal(err)
	}
	sum := &pipeline.Summary{}
	if err := j.Score(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if err := j.Export(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if again := dump(t, j.Store.DB, "scores"); strings.Join(again, "\n") != strings.Join(scores, "\n") {
		t.Errorf("scores of the restored database differ from the original's")
	}
	j.Close()
	a, _ := os.ReadFile(filepath.Join(dir, "out1", "members.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "out2", "members.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("members.csv differs after the round trip")
	}
}

// The jifen command: every file it creates is the owner's only (its umask), and backup,
// restore and history work end to end.
func TestCLIPrivateFilesAndCommands(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are Unix")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "jifen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/jifen")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fixture, _ := filepath.Abs("testdata/e2e_small")
	config, _ := filepath.Abs("../../config.yaml")
	jifen := func(wantOK bool, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--config", config)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Fatalf("jifen %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	jifen(true, "run", "--input", fixture, "--out", "out", "--db", "a.duckdb")
	private := func(p string) {
		t.Helper()
		info, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v: others can read it", p, perm)
		}
	}
	for _, p := range []string{"a.duckdb", "out", "out/members.csv", "out/indicators.csv", "out/附件.xlsx"} {
		private(p)
	}

	h := jifen(true, "history", "--db", "a.duckdb")
	lines := strings.Split(strings.TrimSpace(h), "\n")
	if len(lines) != 9 || !strings.HasPrefix(lines[0], "时间") || !strings.Contains(lines[1], " 导入 ") || !strings.Contains(h, "e2e_small/党员名册.csv") {
		t.Errorf("jifen history:\n%s\nwant a header and the 8 files", h)
	}

	jifen(true, "backup", "--db", "a.duckdb", "--out", "备份")
	private("备份")
	private("备份/scores.parquet")
	if out := jifen(false, "restore", "备份", "--db", "a.duckdb"); !strings.Contains(out, "错误： 数据库 a.duckdb 已存在：恢复会覆盖它，确认覆盖请加 --force") {
		t.Errorf("restore over a database without --force:\n%s", out)
	}
	jifen(true, "restore", "备份", "--db", "a.duckdb", "--force")
	jifen(true, "restore", "备份", "--db", "b.duckdb")
	private("b.duckdb")
	jifen(true, "export", "--db", "b.duckdb", "--out", "out2")
	a, _ := os.ReadFile(filepath.Join(dir, "out", "members.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "out2", "members.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("members.csv exported from the restored database differs")
	}
}

// ---------------------------------------------------------------------------------------------
// The corpus of broken and hostile input (testdata/bad/).

// updateBad rewrites the small files of testdata/bad/:
//
//	go test ./engine/pipeline/ -run '^TestBadInput$' -update-bad
var updateBad = flag.Bool("update-bad", false, "rewrite the small files of testdata/bad/")

const (
	mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	pkgNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// part is a member of a ZIP file; body writes its content.
type part struct {
	name string
	body func(w io.Writer) error
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// workbookParts are the parts of a minimal workbook with one sheet 考勤 (plus a fill style, 1,
// and a shared-string table when sst is not ""), its worksheet written by sheet.
func workbookParts(sheet func(w io.Writer) error, sst string) []part {
	types := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
	rels := `<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + relNS + `/styles" Target="styles.xml"/>`
	if sst != "" {
		types += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		rels += `<Relationship Id="rId3" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/>`
	}
	parts := []part{
		{"[Content_Types].xml", text(types + `</Types>`)},
		{"_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="` + pkgNS + `"><Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="` + mainNS + `" xmlns:r="` + relNS + `"><sheets><sheet name="考勤" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="` + pkgNS + `">` + rels + `</Relationships>`)},
		{"xl/styles.xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="` + mainNS + `"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fillId="2" applyFill="1"/></cellXfs></styleSheet>`)},
		{"xl/worksheets/sheet1.xml", sheet},
	}
	if sst != "" {
		parts = append(parts, part{"xl/sharedStrings.xml", text(sst)})
	}
	return parts
}

// writeZip writes parts as a ZIP file (deflated).
func writeZip(path string, parts []part) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err == nil {
			err = p.body(w)
		}
		if err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cell is an inline-string cell.
func cell(ref, v string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(v))
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + b.String() + `</t></is></c>`
}

// row is a row of inline-string cells from column A.
func row(r int, vals ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, v := range vals {
		ref, _ := excelize.CoordinatesToCellName(i+1, r)
		b.WriteString(cell(ref, v))
	}
	b.WriteString(`</row>`)
	return b.String()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="` + mainNS + `" xmlns:r="` + relNS + `">`

// goodRows are a valid sign-in sheet: a header and one sign-in of A01 张伟.
var goodRows = row(1, "党员编号", "姓名", "活动类型", "活动日期", "出勤情况") + row(2, "A01", "张伟", "党课", "2022-04-08", "出席")

// sheetXML is a worksheet of the given rows (and anything before sheetData, like a dimension).
func sheetXML(before, rows string) func(io.Writer) error {
	return text(sheetHead + before + `<sheetData>` + rows + `</sheetData></worksheet>`)
}

// smallBad writes the small files of the corpus into dir (testdata/bad/ with -update-bad).
// The .xls and .doc files are LibreOffice's, copied from the fixtures of engine/sheet and
// engine/importer (see their testdata READMEs).
func smallBad(t *testing.T, dir string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	put := func(name string, data []byte) { must(os.WriteFile(filepath.Join(dir, name), data, 0o644)) }
	valid := filepath.Join(t.TempDir(), "valid.xlsx")
	must(writeZip(valid, workbookParts(sheetXML("", goodRows), "")))
	data, err := os.ReadFile(valid)
	must(err)

	// ZIP damage.
	put("truncated.xlsx", data[:len(data)*6/10])
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(err)
	corrupt := append([]byte(nil), data...)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			off, err := f.DataOffset()
			must(err)
			for i := off + 4; i < off+int64(f.CompressedSize64)-4; i += 7 {
				corrupt[i] ^= 0x5a
			}
		}
	}
	put("corrupt_deflate.xlsx", corrupt)
	cd := append([]byte(nil), data...)
	eocd := bytes.LastIndex(cd, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(cd[eocd+16:]))
	for i := cdOff; i < eocd; i++ {
		cd[i] = 'X'
	}
	put("bad_central_directory.xlsx", cd)
	garbage := []byte("PK\x03\x04")
	rnd := uint32(7)
	for len(garbage) < 2048 {
		rnd = rnd*1664525 + 1013904223
		garbage = append(garbage, byte(rnd>>24))
	}
	put("zip_magic_garbage.xlsx", garbage)

	// A workbook with an opening password (123): OLE2 with EncryptionInfo/EncryptedPackage.
	ef := excelize.NewFile()
	ef.SetSheetRow("Sheet1", "A1", &[]any{"党员编号", "姓名", "活动类型", "活动日期", "出勤情况"})
	must(ef.SaveAs(filepath.Join(dir, "encrypted.xlsx"), excelize.Options{Password: "123"}))
	must(os.Chmod(filepath.Join(dir, "encrypted.xlsx"), 0o644))

	// Other formats named .xlsx.
	copyFrom := func(src, name string) {
		b, err := os.ReadFile(src)
		must(err)
		put(name, b)
	}
	copyFrom("../importer/testdata/libreoffice_title_row_merged.xls", "renamed_xls.xlsx")
	copyFrom("../sheet/testdata/libreoffice_date1904.xls", "renamed_et.xlsx")
	copyFrom("../sheet/testdata/renamed_doc.xlsx", "renamed_doc.xlsx")

	// Empty files.
	put("empty.xlsx", nil)
	put("empty.csv", nil)
	put("blank.csv", []byte(" \r\n\t\n"))

	// Text: a CSV of UTF-8 with one GBK line (张伟 in GBK: D5C5 CEB0); duplicated headers that
	// disagree; a header row only.
	put("mixed_encoding.csv", []byte("党员编号,姓名,活动类型,活动日期,出勤情况\nA01,\xd5\xc5\xce\xb0,党课,2022-04-08,出席\nA02,王芳,党课,2022-04-08,出席\n"))
	put("duplicated_headers.csv", []byte("党员编号,姓名,活动类型,活动日期,出勤情况,出勤情况\nA01,张伟,党课,2022-04-08,出席,缺席\n"))
	put("header_only.csv", []byte("党员编号,姓名,活动类型,活动日期,出勤情况\n"))
	must(writeZip(filepath.Join(dir, "header_only.xlsx"), workbookParts(sheetXML("", row(1, "党员编号", "姓名", "活动类型", "活动日期", "出勤情况")), "")))

	// XML that lies or attacks: a dimension of the whole sheet; a shared-string table claiming
	// two billion strings; a cell at XFD1048576; entity expansion ("billion laughs").
	must(writeZip(filepath.Join(dir, "dimension_lie.xlsx"), workbookParts(sheetXML(`<dimension ref="A1:XFD1048576"/>`, goodRows), "")))
	sst := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="` + mainNS + `" count="2147483647" uniqueCount="2147483647"><si><t>党员编号</t></si><si><t>姓名</t></si><si><t>活动类型</t></si><si><t>活动日期</t></si><si><t>出勤情况</t></si></sst>`
	sstRow := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>` +
		row(2, "A01", "张伟", "党课", "2022-04-08", "出席")
	must(writeZip(filepath.Join(dir, "sst_count_lie.xlsx"), workbookParts(sheetXML("", sstRow), sst)))
	must(writeZip(filepath.Join(dir, "far_cell.xlsx"), workbookParts(sheetXML("", goodRows+`<row r="1048576">`+cell("XFD1048576", "x")+`</row>`), "")))
	laughs := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="` + mainNS + `"><sheetData>` + row(1, "党员编号", "姓名", "活动类型", "活动日期", "出勤情况") +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>A01</t></is></c><c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`
	must(writeZip(filepath.Join(dir, "billion_laughs.xlsx"), workbookParts(text(laughs), "")))
}

// bombXLSX writes a workbook of a few megabytes whose sheet inflates to size bytes: a header
// row, then the same row (no r attribute) over and over. The deflate stream is one compressed
// chunk repeated (a sync flush makes each copy self-contained), so writing it is quick.
func bombXLSX(t *testing.T, path string, size int64) {
	t.Helper()
	head := []byte(sheetHead + `<sheetData>` + row(1, "党员编号", "姓名", "活动类型", "活动日期", "出勤情况"))
	tail := []byte(`</sheetData></worksheet>`)
	unit := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`), 1<<14)
	n := (size - int64(len(head)+len(tail))) / int64(len(unit))
	var chunk bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	fw.Write(unit)
	fw.Flush()
	compress := func(b []byte, final bool) []byte {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestSpeed)
		w.Write(b)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return buf.Bytes()
	}
	crc := crc32.NewIEEE()
	crc.Write(head)
	for i := int64(0); i < n; i++ {
		crc.Write(unit)
	}
	crc.Write(tail)
	headZ, tailZ := compress(head, false), compress(tail, true)
	body := func(w io.Writer) error {
		w.Write(headZ)
		for i := int64(0); i < n; i++ {
			if _, err := w.Write(chunk.Bytes()); err != nil {
				return err
			}
		}
		_, err := w.Write(tailZ)
		return err
	}
	parts := workbookParts(nil, "")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range parts {
		if p.name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc.Sum32(),
				CompressedSize64:   uint64(len(headZ)+len(tailZ)) + uint64(n)*uint64(chunk.Len()),
				UncompressedSize64: uint64(len(head)+len(tail)) + uint64(n)*uint64(len(unit))})
			if err == nil {
				err = body(w)
			}
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, _ := zw.Create(p.name)
		p.body(w)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// bigBad writes the large files of the corpus into dir, at test time.
func bigBad(t *testing.T, dir string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A zip bomb: 3 MB inflating to 3 GB.
	bombXLSX(t, filepath.Join(dir, "bomb.xlsx"), 3<<30)

	// 1,048,576 rows, all but two empty but styled (a fill, customFormat, a styled blank cell).
	must(writeZip(filepath.Join(dir, "styled_rows.xlsx"), workbookParts(func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(sheetHead + `<sheetData>` + goodRows)
		for r := 3; r <= 1048576; r++ {
			fmt.Fprintf(bw, `<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>`, r, r)
		}
		bw.WriteString(`</sheetData></worksheet>`)
		return bw.Flush()
	}, "")))

	// 16,384 columns: the sign-in columns, then 备注 columns to XFD, every cell filled, 20 rows.
	must(writeZip(filepath.Join(dir, "columns_16384.xlsx"), workbookParts(func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(sheetHead + `<sheetData>`)
		for r := 1; r <= 21; r++ {
			fmt.Fprintf(bw, `<row r="%d">`, r)
			for c := 1; c <= 16384; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, r)
				v := fmt.Sprintf("备注%d", c)
				switch {
				case r == 1 && c <= 5:
					v = []string{"党员编号", "姓名", "活动类型", "活动日期", "出勤情况"}[c-1]
				case r > 1 && c <= 5:
					v = []string{"A01", "张伟", "党课", fmt.Sprintf("2022-05-%02d", r), "出席"}[c-1]
				case r > 1:
					v = "x"
				}
				bw.WriteString(cell(ref, v))
			}
			bw.WriteString(`</row>`)
		}
		bw.WriteString(`</sheetData></worksheet>`)
		return bw.Flush()
	}, "")))

	// Cells of 16 MB: a name (not in the roster) in a CSV; a 备注 in an otherwise valid .xlsx row.
	huge := strings.Repeat("张", 16<<20/3)
	write(t, filepath.Join(dir, "huge_cell.csv"), "党员编号,姓名,活动类型,活动日期,出勤情况\n,"+huge+",党课,2022-04-08,出席\n")
	must(writeZip(filepath.Join(dir, "huge_cell.xlsx"), workbookParts(sheetXML("",
		row(1, "党员编号", "姓名", "活动类型", "活动日期", "出勤情况", "备注")+row(2, "A01", "张伟", "党课", "2022-04-08", "出席", huge)), "")))
}

// badCase is a file of the corpus and what jifen must do with it.
type badCase struct {
	file string // in testdata/bad/, or made by bigBad
	big  bool
	// rows is the number of records stored from the file when it is read; -1 when it must be
	// refused.
	rows int
	// skipped: the file is neither stored nor an error (a workbook without a table of
	// records); warn says why.
	skipped bool
	// errs, if not "", are the exact messages of the run's errors (one per line).
	errs string
	// warn, if not "", must be among the run's warnings.
	warn string
	// problem, if not "", begins the first problem of the run's readings (the file is read,
	// but Run returns ErrProblems); any others are rule items matching nothing while those
	// columns were unused.
	problem string
}

// heapPeak samples the heap in use until stop is closed and returns the largest value seen.
// Past abort bytes it ends the process (exit code 3, "heap" on stdout), so that a hostile file
// cannot exhaust the machine's memory.
func heapPeak(stop <-chan struct{}, abort uint64) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if peak > abort {
				fmt.Printf("heap %d\n", peak)
				os.Exit(3)
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// runResult is what a "run" child reports of its pipeline.Run.
type runResult struct {
	Err      string   // Run's error, "" if none
	Rejected bool     // errors.Is(err, pipeline.ErrRejected)
	Errors   []string // the summary's errors
	Warnings []string
	Problems []string // the summary's problems (ErrProblems)
	Grew     int64    // heap growth at its peak, bytes
}

// runChild runs pipeline.Run over faultInputEnv into faultDBEnv with a context deadline,
// measuring the heap (runtime.ReadMemStats) around the call, and prints a runResult as JSON.
func runChild() int {
	dir := filepath.Dir(os.Getenv(faultDBEnv))
	opt := pipeline.Options{Inputs: []string{os.Getenv(faultInputEnv)}, OutDir: filepath.Join(dir, "out"), DBPath: os.Getenv(faultDBEnv), ConfigPath: "../../config.yaml"}
	ctx, cancel := context.WithTimeout(context.Background(), badDeadline)
	defer cancel()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	peak := heapPeak(stop, before.HeapInuse+2<<30)
	sum, err := pipeline.Run(ctx, opt)
	close(stop)
	res := runResult{Rejected: errors.Is(err, pipeline.ErrRejected), Grew: int64(<-peak) - int64(before.HeapInuse)}
	if err != nil {
		res.Err = err.Error()
	}
	if sum != nil {
		for _, e := range sum.Errors {
			res.Errors = append(res.Errors, e.Error())
		}
		res.Warnings = sum.Warnings
		res.Problems = sum.Problems
	}
	b, _ := json.Marshal(res)
	fmt.Printf("result %s\n", b)
	return 0
}

// badDeadline bounds the time of one file of the corpus: the child's context deadline; the
// parent kills the child a minute after it.
const badDeadline = 2 * time.Minute

// internals are words of Go's and libraries' English errors that must not reach a user.
var internals = []string{"flate", "syntax error", "XML", "EOF", "zip:", "invalid", "unexpected", "corrupt", "panic", "runtime", "xlsx: "}

// Every file of the corpus goes through pipeline.Run (in a child process, so that a file that
// exhausts memory or hangs cannot take the tests down) next to a roster and a valid sign-in
// file: it is refused with its exact message (or read, when it is a table after all), nothing
// of a refused file is stored, the other files are, the run ends before its context deadline,
// and the heap grows by at most 1 GB. Every message is under 2 KB and says nothing in
// English internals.
func TestBadInput(t *testing.T) {
	if *updateBad {
		smallBad(t, "testdata/bad")
	}
	big := t.TempDir()
	bigBad(t, big)
	roster, err := os.ReadFile("../importer/testdata/roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	observe := os.Getenv("JIFEN_BAD_OBSERVE") != ""
	for _, c := range badCases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel() // each in its own process: the heap is measured per file
			dir := t.TempDir()
			in := filepath.Join(dir, "台账")
			os.Mkdir(in, 0o700)
			write(t, filepath.Join(in, "0名册.csv"), string(roster))
			write(t, filepath.Join(in, "1考勤.csv"), "党员编号,活动类型,活动日期,出勤情况\nA02,党课,2022-04-01,出席\n")
			src := filepath.Join("testdata/bad", c.file)
			if c.big {
				src = filepath.Join(big, c.file)
			}
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(in, c.file), data, 0o600); err != nil {
				t.Fatal(err)
			}
			data = nil
			dbPath := filepath.Join(dir, "db.duckdb")

			ctx, cancel := context.WithTimeout(context.Background(), badDeadline+time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), faultEnv+"=run", faultDBEnv+"="+dbPath, faultInputEnv+"="+in)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			var res runResult
			switch line := string(out); {
			case ctx.Err() != nil:
				t.Fatalf("not done when its deadline passed (killed)")
			case strings.HasPrefix(line, "heap "):
				t.Fatalf("the heap passed 2 GB (%s bytes): stopped", strings.TrimSpace(line[5:]))
			case err != nil || !strings.HasPrefix(line, "result "):
				t.Fatalf("the run crashed: %v\n%s\n%.3000s", err, out, stderr.String())
			default:
				if err := json.Unmarshal([]byte(strings.TrimPrefix(strings.TrimSpace(line), "result ")), &res); err != nil {
					t.Fatal(err)
				}
			}
			got := strings.Join(res.Errors, "\n")
			files := map[string]int{}
			st, err := store.OpenReadOnly(dbPath)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := st.DB.Query("SELECT name, rows FROM files")
			for err == nil && rows.Next() {
				var name string
				var n int
				rows.Scan(&name, &n)
				files[filepath.Base(name)] = n
			}
			st.Close()
			if observe {
				t.Logf("OBSERVE %s\n  run error: %s\n  errors (%d bytes): %.300s … %.300s\n  warnings: %.300q\n  stored: %v\n  heap +%d MB",
					c.file, res.Err, len(got), got, got[max(0, len(got)-300):], res.Warnings, files, res.Grew>>20)
				return
			}
			if res.Grew > 1<<30 {
				t.Errorf("the heap grew by %d MB (limit 1024 MB)", res.Grew>>20)
			}
			if c.errs != "" && got != c.errs {
				t.Errorf("errors:\n%.2000s\nwant\n%s", got, c.errs)
			}
			for _, msg := range res.Errors {
				if len(msg) > 2000 {
					t.Errorf("a message of %d bytes: %.200s…", len(msg), msg)
				}
				text := strings.ReplaceAll(msg, c.file, "")
				for _, w := range internals {
					if strings.Contains(text, w) {
						t.Errorf("message with %q, not for users: %.300s", w, msg)
					}
				}
			}
			want := map[string]int{"0名册.csv": 6, "1考勤.csv": 1}
			switch {
			case c.skipped:
				if res.Err != "" || len(res.Errors) > 0 {
					t.Errorf("Run: %s, errors %q; want the file skipped", res.Err, res.Errors)
				}
			case c.rows < 0: // refused
				if !res.Rejected || len(res.Errors) == 0 {
					t.Errorf("Run: %s, errors %q; want the file refused (ErrRejected)", res.Err, res.Errors)
				}
			case c.problem != "":
				want[c.file] = c.rows
				if len(res.Errors) > 0 || len(res.Problems) == 0 || !strings.HasPrefix(res.Problems[0], c.problem) || !strings.Contains(res.Err, "读表问题") {
					t.Errorf("Run: %s, errors %q, problems %.500q; want the file read, and the problem %q…", res.Err, res.Errors, res.Problems, c.problem)
				}
				for _, p := range res.Problems[min(1, len(res.Problems)):] {
					if !strings.Contains(p, "没有匹配到任何记录") {
						t.Errorf("problem %.300q, want only rule items besides the columns", p)
					}
				}
			default:
				want[c.file] = c.rows
				if res.Err != "" || len(res.Errors) > 0 {
					t.Errorf("Run: %s, errors %q; want the file read", res.Err, res.Errors)
				}
			}
			if fmt.Sprint(files) != fmt.Sprint(want) {
				t.Errorf("stored files %v, want %v", files, want)
			}
			if c.warn != "" && !slices.Contains(res.Warnings, c.warn) {
				t.Errorf("warnings %q, want %q among them", res.Warnings, c.warn)
			}
		})
	}
}

// badCases: the corpus and what jifen does with each file (testdata/bad/README.md).
var badCases = []badCase{
	{file: "truncated.xlsx", rows: -1, errs: "台账/truncated.xlsx: " + damagedZIP},
	{file: "corrupt_deflate.xlsx", rows: -1, errs: "台账/corrupt_deflate.xlsx: " + damagedZIP},
	{file: "bad_central_directory.xlsx", rows: -1, errs: "台账/bad_central_directory.xlsx: " + damagedZIP},
	{file: "zip_magic_garbage.xlsx", rows: -1, errs: "台账/zip_magic_garbage.xlsx: " + damagedZIP},
	{file: "encrypted.xlsx", rows: -1, errs: "台账/encrypted.xlsx: 工作簿设有打开密码（已加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx"},
	{file: "renamed_xls.xlsx", rows: 3},
	{file: "renamed_et.xlsx", skipped: true, warn: "台账/renamed_et.xlsx: 没有党员记录表（表头应含党员名册、考勤签到、测试成绩、承诺践诺、加扣分台账或评价结果的列，见 README 的“输入表格格式”），整个文件已跳过"},
	{file: "renamed_doc.xlsx", rows: -1, errs: "台账/renamed_doc.xlsx: 这是 Word 文档（.doc），不是表格：请把表格另存为 .xlsx"},
	{file: "empty.xlsx", rows: -1, errs: "台账/empty.xlsx: 文件是空的"},
	{file: "empty.csv", rows: -1, errs: "台账/empty.csv: 文件是空的"},
	{file: "blank.csv", rows: -1, errs: "台账/blank.csv: 文件是空的"},
	// Line 1 (the header) is UTF-8; line 2 has 张伟 in GBK.
	{file: "mixed_encoding.csv", rows: -1,
		errs: "台账/mixed_encoding.csv: 文件中混有两种编码（第 1 行是 UTF-8，第 2 行不是）：请用 Excel/WPS 打开后整个另存为 CSV（UTF-8）或 .xlsx"},
	{file: "duplicated_headers.csv", rows: -1,
		errs: "台账/duplicated_headers.csv: 1 处错误，整个文件未导入\n  台账/duplicated_headers.csv!1行: 表头 E1 “出勤情况” 和 F1 “出勤情况” 都是出勤情况，两列下面都有内容，不知道该读哪一列：请核对后把两列合并为一列（不要删去有内容的列），或在 config.yaml 的 import.layouts 中用 columns 指定要读的列"},
	{file: "header_only.csv", rows: 0, warn: "台账/header_only.csv!1行: 只有表头，没有数据行"},
	{file: "header_only.xlsx", rows: 0, warn: "台账/header_only.xlsx[考勤]!1行: 只有表头，没有数据行"},
	{file: "dimension_lie.xlsx", rows: 1},
	{file: "sst_count_lie.xlsx", rows: 1},
	{file: "far_cell.xlsx", rows: 1},
	{file: "billion_laughs.xlsx", rows: -1,
		errs: "台账/billion_laughs.xlsx[考勤]: 工作表的内容已损坏（格式错误）：请用 Excel/WPS 打开后另存为 .xlsx"},
	// About 3 GB declared for the sheet (3072 MB, rounded), over the 1024 MB limit of engine/sheet.
	{file: "bomb.xlsx", big: true, rows: -1,
		errs: "台账/bomb.xlsx: 工作簿解压后约有 3072 MB，超过 1024 MB 的上限（文件可能已损坏或是恶意构造的）：请用 Excel/WPS 打开后另存为 .xlsx"},
	{file: "styled_rows.xlsx", big: true, rows: 1},
	// Columns F to XFD hold x under headers 备注6 … 备注16384: no field takes them, a problem.
	{file: "columns_16384.xlsx", big: true, rows: 20,
		problem: "台账/columns_16384.xlsx[考勤]!F1: 列 F “备注6”（如：x）、G “备注7”（如：x）、H “备注8”（如：x）、I “备注9”（如：x）、J “备注10”（如：x） 等 16379 列 有内容"},
	// 16 MB of 张 (3 bytes each): 5,592,405 characters.
	// The line is 16 MB: refused before it is parsed.
	{file: "huge_cell.csv", big: true, rows: -1,
		errs: "台账/huge_cell.csv: 第 2 行有 16 MB，超过 4 MB 的上限（文件可能已损坏）"},
	{file: "huge_cell.xlsx", big: true, rows: -1,
		errs: "台账/huge_cell.xlsx: 1 处错误，整个文件未导入\n  台账/huge_cell.xlsx[考勤]!F2: 单元格有 5592405 个字符，超过 Excel 的上限 32767：文件可能已损坏"},
}

// damagedZIP is the message for an .xlsx whose ZIP structure or data is damaged.
const damagedZIP = "文件已损坏（不是完整的 .xlsx/ZIP 文件）：请用 Excel/WPS 打开后另存为 .xlsx"
