package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/store"
)

// holdEnv makes the test binary a child that holds a database open (see TestMain).
const holdEnv = "JIFEN_STORE_TEST_HOLD"

// TestMain makes the test binary, run with holdEnv=path, a child that opens the database,
// prints "ready" and keeps it open until its stdin is closed.
func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		s, err := store.Open(path)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
		s.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holdDatabase starts a child holding the database at path; closing the returned function's
// pipe lets it go.
func holdDatabase(t *testing.T, path string) (pid int, release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q", line)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			cmd.Wait()
		})
	}
	t.Cleanup(release)
	return cmd.Process.Pid, release
}

// A database another process has open: Open says so at once, with the holder's PID; OpenWait
// waits for it, and gets it once the other process is done.
func TestLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jifen.duckdb")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	pid, release := holdDatabase(t, path)

	_, err = store.Open(path)
	var le *store.LockedError
	if !errors.As(err, &le) || !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Open of a held database: %v, want a *LockedError", err)
	}
	if want := "数据库正被另一个 jifen 进程使用（jifen.duckdb，PID " + strconv.Itoa(pid) + "）：请等它结束后再运行"; err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if _, err := store.OpenReadOnly(path); !errors.Is(err, store.ErrLocked) {
		t.Errorf("OpenReadOnly of a held database: %v, want ErrLocked", err)
	}
	_, err = store.OpenWait(path, 300*time.Millisecond)
	if !errors.As(err, &le) || le.Waited < 300*time.Millisecond || !strings.Contains(err.Error(), "，已等待 0.") {
		t.Errorf("OpenWait 300ms: %v (waited %v), want a *LockedError after waiting", err, le.Waited)
	}

	go func() { time.Sleep(500 * time.Millisecond); release() }()
	s, err = store.OpenWait(path, time.Minute)
	if err != nil {
		t.Fatalf("OpenWait after the holder ends: %v", err)
	}
	s.Close()
}

// batch is n sign-ins to activity (党课 if ""), ten members a day from 2022-01-01.
func batch(n int, src string, activity ...string) *engine.Batch {
	b := &engine.Batch{}
	act := "党课"
	if len(activity) > 0 {
		act = activity[0]
	}
	for i := 0; i < n; i++ {
		b.Attendance = append(b.Attendance, engine.Attendance{MemberID: "A" + strconv.Itoa(i%10), Activity: act,
			Date: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/10), Status: "出席", Src: engine.Source{File: src, Row: i + 2}})
	}
	return b
}

// A database written before the import log and the files.imported_by column opens, gains
// both, and keeps its files; History lists them and then new imports, newest first.
func TestOldDatabaseMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	// The files table of jifen 0.1.0.
	_, err = db.Exec(`CREATE SEQUENCE file_ids START 1;
		CREATE TABLE files (file_id INTEGER NOT NULL, path VARCHAR NOT NULL, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, rows INTEGER NOT NULL, imported_at TIMESTAMP NOT NULL);
		INSERT INTO files VALUES (nextval('file_ids'), '/d/名册.csv', 'd/名册.csv', 'abcdef0123456789', 2, TIMESTAMP '2022-01-05 10:00:00')`)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Read-only, not migrated: History still works.
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ro.History(context.Background())
	ro.Close()
	if err != nil || len(h) != 1 || h[0].Name != "d/名册.csv" || h[0].User != "" {
		t.Fatalf("History of an old database (read-only): %+v, %v", h, err)
	}

	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Import(ctx, "/d/考勤.csv", "d/考勤.csv", "hash-2", batch(5, "d/考勤.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, "/d/考勤.csv", "d/考勤.csv", "hash-3", batch(7, "d/考勤.csv")); err != nil {
		t.Fatal(err)
	}
	files, _ := s.Files(ctx)
	if len(files) != 2 || files[0].ID != 1 || files[1].ID != 3 {
		t.Errorf("files = %+v, want the old file 1 and the replacing version 3", files)
	}
	h, err = s.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, im := range h {
		got = append(got, fmt.Sprintf("%d %s %s %d %s %q", im.FileID, im.Action, im.Name, im.Rows, im.Hash, im.User))
	}
	u := store.CurrentUser()
	want := []string{
		fmt.Sprintf("3 替换 d/考勤.csv 7 hash-3 %q", u),
		fmt.Sprintf("2 导入 d/考勤.csv 5 hash-2 %q", u),
		`1 导入 d/名册.csv 2 abcdef0123456789 ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if u == "" {
		t.Errorf("CurrentUser is empty")
	}
	if err := s.Remove(ctx, 3); err != nil {
		t.Fatal(err)
	}
	h, _ = s.History(ctx)
	if len(h) != 4 || h[0].Action != store.ActionRemove || h[0].FileID != 3 || h[0].Rows != 7 {
		t.Errorf("after Remove, newest entry = %+v, want the removal of file 3", h[0])
	}
}

// A backup restores to the same rows; restore refuses to overwrite a database without force
// and never runs the backup's own SQL.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	path := filepath.Join(dir, "a.duckdb")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, "/x/1.csv", "1.csv", "h1", batch(30, "1.csv")); err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(dir, "备份 '1'")
	if err := s.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, bk); err == nil || err.Error() != "备份目录 "+bk+" 已存在且不是空的：请换一个新目录" {
		t.Errorf("second backup into the same folder: %v", err)
	}
	s.Close()
	for _, e := range mustReadDir(t, bk) {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("backup file %s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if info, _ := os.Stat(bk); info.Mode().Perm() != 0o700 {
		t.Errorf("backup folder has mode %v, want 0700", info.Mode().Perm())
	}
	if _, err := store.Restore(ctx, bk, path, false); err == nil || err.Error() != "数据库 "+path+" 已存在：恢复会覆盖它，确认覆盖请加 --force" {
		t.Errorf("restore over an existing database without force: %v", err)
	}
	// A tampered load.sql: the manifest refuses the backup (load.sql was 2 KB); without the
	// manifest (a backup of an earlier version) it is restored with a warning, and the
	// tampered load.sql does not run.
	evil := filepath.Join(dir, "evil.txt")
	tampered := "COPY (SELECT 1) TO " + strconv.Quote(evil) + ";"
	os.WriteFile(filepath.Join(bk, "load.sql"), []byte(tampered), 0o600)
	restored := filepath.Join(dir, "b.duckdb")
	if _, err := store.Restore(ctx, bk, restored, false); err == nil || !strings.Contains(err.Error(), "已损坏：load.sql 有 "+strconv.Itoa(len(tampered))+" 字节，备份清单记录的是 ") {
		t.Errorf("restore of a backup with a tampered load.sql: %v", err)
	}
	if _, err := os.Stat(restored); err == nil {
		t.Errorf("a refused restore left %s", restored)
	}
	os.Remove(filepath.Join(bk, "manifest.json"))
	res, err := store.Restore(ctx, bk, restored, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "没有备份清单") {
		t.Errorf("restore of a backup without a manifest: %+v, want one warning", res)
	}
	if _, err := os.Stat(evil); err == nil {
		t.Errorf("Restore ran the backup's load.sql")
	}
	if info, _ := os.Stat(restored); info.Mode().Perm() != 0o600 {
		t.Errorf("restored database has mode %v, want 0600", info.Mode().Perm())
	}
	r, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	r.DB.QueryRow("SELECT count(*) FROM attendance").Scan(&n)
	if n != 30 {
		t.Errorf("restored attendance rows = %d, want 30", n)
	}
	// File ids go on after the restored ones.
	imp, err := r.Import(ctx, "/x/2.csv", "2.csv", "h2", batch(3, "2.csv", "主题党日"))
	if err != nil || imp.FileID != 2 {
		t.Errorf("import after restore: %+v, %v; want file id 2", imp, err)
	}
	h, _ := r.History(ctx)
	if len(h) != 2 {
		t.Errorf("history after restore: %+v", h)
	}
	r.Close()
	// Restore with force onto a database another process uses: refused.
	_, release := holdDatabase(t, restored)
	if _, err := store.Restore(ctx, bk, restored, true); !errors.Is(err, store.ErrLocked) {
		t.Errorf("restore onto a database in use: %v, want ErrLocked", err)
	}
	release()
	if _, err := store.Restore(ctx, bk, restored, true); err != nil {
		t.Fatal(err)
	}
	r, _ = store.Open(restored)
	r.DB.QueryRow("SELECT count(*) FROM files").Scan(&n)
	r.Close()
	if n != 1 {
		t.Errorf("after forced restore: %d files, want the backup's 1", n)
	}
	if _, err := store.Restore(ctx, dir, filepath.Join(dir, "c.duckdb"), false); err == nil || err.Error() != dir+" 不是完整的 jifen 备份（缺少 files.parquet）：请用 jifen backup 写出的目录" {
		t.Errorf("restore from a folder that is not a backup: %v", err)
	}
}

// tempStore opens a new database file in the test's temporary directory, closed at the end.
func tempStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mustReadDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// schemaOnly makes a database of the present schema at path and opens it without the store (no
// migration), for a test to bring it to an earlier shape.
func schemaOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// oldLedger makes a database as jifen wrote it before the compact point ledger: a scored year
// whose point_ledger is a table.
func oldLedger(t *testing.T, path string) {
	t.Helper()
	db := schemaOnly(t, path)
	defer db.Close()
	if _, err := db.Exec(`DROP VIEW point_ledger; DROP TABLE point_moves; DROP TABLE point_codes;
		CREATE TABLE point_ledger (year INTEGER NOT NULL, period INTEGER NOT NULL, member_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
			category VARCHAR NOT NULL, rule VARCHAR NOT NULL, date DATE, raw_points DECIMAL(9,2) NOT NULL, points DECIMAL(9,2) NOT NULL,
			note VARCHAR NOT NULL, source VARCHAR NOT NULL);
		INSERT INTO point_ledger VALUES (2022, 0, 'A1', 1, '基础分', '基础分', NULL, 60, 60, '', '规则');
		INSERT INTO period_scores VALUES (2022, 0, 'A1', 60);
		INSERT INTO scores VALUES (2022, 'A1', '张伟', '一支部', '正式党员', 0, 60, 1, '基本合格', '', '');
		CREATE TABLE score_runs (year INTEGER, scored_at TIMESTAMP); INSERT INTO score_runs VALUES (2022, now())`); err != nil {
		t.Fatal(err)
	}
}

// checkRescore checks a database from before the compact point ledger, opened or restored: the
// ledger is the view, and the old results are gone, so the outputs ask for jifen score.
func checkRescore(t *testing.T, path string) {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var kind string
	var n, scored, runs int
	if err := s.DB.QueryRow(`SELECT (SELECT table_type FROM information_schema.tables WHERE table_name = 'point_ledger'),
		(SELECT count(*) FROM point_ledger), (SELECT count(*) FROM scores) + (SELECT count(*) FROM period_scores),
		(SELECT count(*) FROM score_runs)`).Scan(&kind, &n, &scored, &runs); err != nil {
		t.Fatal(err)
	}
	if kind != "VIEW" || n != 0 || scored != 0 || runs != 0 {
		t.Errorf("point_ledger is a %s of %d rows, %d results and %d runs left; want a VIEW and no results", kind, n, scored, runs)
	}
	if _, err := s.ScoredYear(context.Background()); err == nil || !strings.Contains(err.Error(), "请先运行 jifen score") {
		t.Errorf("ScoredYear: %v, want 请先运行 jifen score", err)
	}
}

// A database, or a backup, from before the compact point ledger is brought up to date: its
// results must be scored again.
func TestOldLedgerMigrates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.duckdb")
	oldLedger(t, path)
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("EXPORT DATABASE '" + filepath.Join(dir, "backup") + "' (FORMAT parquet)")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkRescore(t, path)
	restored := filepath.Join(dir, "restored.duckdb")
	if _, err := store.Restore(context.Background(), filepath.Join(dir, "backup"), restored, false); err != nil {
		t.Fatal(err)
	}
	checkRescore(t, restored)
}

// Restore given something that is not a backup folder says which: a path that does not exist,
// and a file (the trial gave the database itself) — before, both read “找不到备份目录”.
func TestRestoreNotAFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "jifen.duckdb")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "没有"), "找不到备份目录 " + filepath.Join(dir, "没有")},
		{file, file + " 不是备份目录，是一个文件：请给出 jifen backup --out 写出的目录"},
	} {
		_, err := store.Restore(context.Background(), c.path, filepath.Join(dir, "新.duckdb"), false)
		if err == nil || err.Error() != c.want {
			t.Errorf("restore %s: %v, want %s", c.path, err, c.want)
		}
	}
}

// A database whose points columns are DECIMAL(9,2) (every jifen before this one) is widened to
// DECIMAL(18,2) when opened, keeping its values; a database already wide is left alone.
func TestPointsWidened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"ALTER TABLE scores ALTER COLUMN total TYPE DECIMAL(9,2)",
		"ALTER TABLE period_scores ALTER COLUMN total TYPE DECIMAL(9,2)",
		"ALTER TABLE point_packed ALTER COLUMN points TYPE DECIMAL(9,2)",
		"INSERT INTO period_scores VALUES (2022, 0, 'A01', 9999999.99)",
	} {
		if _, err := s.DB.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	for round := 0; round < 2; round++ {
		s, err = store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var narrow int
		var total string
		s.DB.QueryRow(`SELECT count(*) FROM duckdb_columns() WHERE data_type = 'DECIMAL(9,2)'`).Scan(&narrow)
		s.DB.QueryRow(`SELECT total::VARCHAR FROM period_scores WHERE member_id = 'A01'`).Scan(&total)
		s.Close()
		if narrow != 0 || total != "9999999.99" {
			t.Errorf("open %d: %d DECIMAL(9,2) columns left, total %q; want none and 9999999.99", round+1, narrow, total)
		}
	}
}
