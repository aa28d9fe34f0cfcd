package pipeline_test

// Crash safety of every command that writes (issue 15): run, import, backup and restore are
// each killed with SIGKILL at 20 random moments (TestKilledAtRandom); restore and run at the
// same time never lose an import (TestRestoreRacesRun); a full disk gives one Chinese message
// naming the file, leaves no empty database, and everything works once space is freed
// (TestFullDisk, in full_disk_test.go).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
)

// Environment of a "crash" child (crashChild).
const (
	crashCmdEnv = "JIFEN_CRASH_CMD" // run, import, backup or restore
	crashDirEnv = "JIFEN_CRASH_DIR" // run/import: the input folder; backup: the backup folder to write; restore: the backup to read
	// A stage of store.BackupStage to stop at until stdin closes, and a file every child appends
	// what it did to (its stages, "done", "refused").
	crashPauseEnv = "JIFEN_CRASH_PAUSE"
	crashLogEnv   = "JIFEN_CRASH_LOG"
)

// crashChild runs one command on faultDBEnv, as the CLI does, saying "start" first, each stage
// of a backup or restore (store.BackupStage) and "done" or "error …" at the end.
func crashChild() int {
	out := bufio.NewWriter(os.Stdout)
	say := func(format string, args ...any) {
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
	}
	pause, logPath := os.Getenv(crashPauseEnv), os.Getenv(crashLogEnv)
	event := func(what string) {
		if logPath != "" {
			f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err == nil {
				f.WriteString(what + "\n")
				f.Close()
			}
		}
	}
	store.BackupStage = func(stage string) {
		event(os.Getenv(crashCmdEnv) + " " + stage)
		say("stage %s", stage)
		if stage == pause {
			say("paused")
			io.Copy(io.Discard, os.Stdin)
		}
	}
	db, dir := os.Getenv(faultDBEnv), os.Getenv(crashDirEnv)
	opt := pipeline.Options{Inputs: []string{dir}, DBPath: db, OutDir: filepath.Join(filepath.Dir(db), "out"), ConfigPath: "../../config.yaml"}
	ctx := context.Background()
	say("start")
	var err error
	switch os.Getenv(crashCmdEnv) {
	case "run":
		_, err = pipeline.Run(ctx, opt)
	case "import":
		var j *pipeline.Job
		if j, err = pipeline.Open(opt); err == nil {
			_, err = j.Import(ctx)
			j.Close()
		}
	case "backup":
		var st *store.Store
		if st, err = store.OpenRead(db); err == nil {
			err = st.Backup(ctx, dir)
			st.Close()
		}
	case "restore":
		_, err = store.Restore(ctx, dir, db, true)
	}
	if err != nil && errors.Is(err, store.ErrLocked) {
		event(os.Getenv(crashCmdEnv) + " refused")
		say("refused %v", err)
		return 1
	}
	if err != nil {
		say("error %v", err)
		return 1
	}
	event(os.Getenv(crashCmdEnv) + " done")
	say("done")
	return 0
}

// crashTimed starts a crash child for cmd and kills it after delay; it returns whether the child
// had finished (said "done") before the kill, its last line, and how long the child ran from
// "start" to its end or kill.
func crashTimed(t *testing.T, cmd, db, dir string, delay time.Duration) (finished bool, last string, took time.Duration) {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^$")
	c.Env = append(os.Environ(), faultEnv+"=crash", crashCmdEnv+"="+cmd, faultDBEnv+"="+db, crashDirEnv+"="+dir)
	c.Stderr = os.Stderr
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The delay counts from "start": the process is up and has done nothing yet.
	if l := <-lines; l != "start" {
		c.Process.Kill()
		c.Wait()
		t.Fatalf("%s child: %q", cmd, l)
	}
	start := time.Now()
	timer := time.After(delay)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				c.Wait()
				if !finished {
					t.Fatalf("%s child ended without finishing: %s", cmd, last)
				}
				return true, last, time.Since(start)
			}
			last = l
			if strings.HasPrefix(l, "error") {
				c.Process.Kill()
				c.Wait()
				t.Fatalf("%s child: %s", cmd, l)
			}
			finished = l == "done"
		case <-timer:
			c.Process.Kill()
			c.Wait()
			for l := range lines {
				last = l
				finished = finished || l == "done"
			}
			return finished, last, time.Since(start)
		}
	}
}

// fingerprint describes a database's records: its files with their records (stored: each
// whole, none without its file or its import log entry) and its scored members.
func fingerprint(t *testing.T, db string) string {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatalf("opening the database after the kill: %v", err)
	}
	defer st.Close()
	var names []string
	rows, err := st.DB.Query(`SELECT f.name, f.rows, (SELECT count(*) FROM imports i WHERE i.file_id = f.file_id),
		(SELECT count(*) FROM members r WHERE r.file_id = f.file_id) + (SELECT count(*) FROM attendance r WHERE r.file_id = f.file_id) +
		(SELECT count(*) FROM tests r WHERE r.file_id = f.file_id) + (SELECT count(*) FROM pledges r WHERE r.file_id = f.file_id) +
		(SELECT count(*) FROM entries r WHERE r.file_id = f.file_id) + (SELECT count(*) FROM assessments r WHERE r.file_id = f.file_id)
		FROM files f`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var want, logged, got int
		if err := rows.Scan(&name, &want, &logged, &got); err != nil {
			t.Fatal(err)
		}
		if got != want || logged != 1 {
			t.Errorf("%s: %d records stored, its files row says %d, %d entries in the import log (a partial file)", name, got, want, logged)
		}
		names = append(names, fmt.Sprintf("%s=%d", filepath.Base(name), got))
	}
	rows.Close()
	sort.Strings(names)
	var orphans int
	st.DB.QueryRow(`SELECT (SELECT count(*) FROM members WHERE file_id NOT IN (SELECT file_id FROM files)) +
		(SELECT count(*) FROM attendance WHERE file_id NOT IN (SELECT file_id FROM files)) +
		(SELECT count(*) FROM tests WHERE file_id NOT IN (SELECT file_id FROM files)) +
		(SELECT count(*) FROM entries WHERE file_id NOT IN (SELECT file_id FROM files))`).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d records of no file", orphans)
	}
	var scores int
	if err := st.DB.QueryRow("SELECT count(*) FROM scores").Scan(&scores); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s scores=%d", strings.Join(names, " "), scores)
}

// timed runs a crash child to its end and says how long it took.
func timed(t *testing.T, cmd, db, dir string) time.Duration {
	t.Helper()
	finished, last, took := crashTimed(t, cmd, db, dir, time.Hour)
	if !finished {
		t.Fatalf("%s: %s", cmd, last)
	}
	return took
}

// Each command that writes is killed at 20 random moments (uniform over the time it takes
// when not killed). After every kill the database opens and holds an old or a new state
// completely — run and import: every file stored is whole (stored), the scores are all or
// none; restore: exactly the database before or the backup — and a backup folder is either
// absent or complete (its manifest verifies). The seed is logged: JIFEN_CRASH_SEED repeats it.
func TestKilledAtRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("JIFEN_CRASH_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	t.Logf("seed %d (JIFEN_CRASH_SEED=%d repeats it)", seed, seed)
	kills := 20
	fixture, _ := filepath.Abs("testdata/e2e_small")

	// The whole state: the fixture run once.
	ref := t.TempDir()
	full := filepath.Join(ref, "full.duckdb")
	runTime := timed(t, "run", full, fixture)
	importTime := timed(t, "import", filepath.Join(ref, "imported.duckdb"), fixture)
	fullState := fingerprint(t, full)
	if !strings.Contains(fullState, "党员名册.csv=") || strings.HasSuffix(fullState, "scores=0") {
		t.Fatalf("the reference run stored %s", fullState)
	}
	// A smaller state to back up and restore: the roster and one sign-in file, imported.
	small := filepath.Join(ref, "small-in")
	os.Mkdir(small, 0o700)
	for _, f := range []string{"党员名册.csv", "第一党支部考勤.csv"} {
		b, _ := os.ReadFile(filepath.Join(fixture, f))
		write(t, filepath.Join(small, f), string(b))
	}
	smallDB := filepath.Join(ref, "small.duckdb")
	timed(t, "import", smallDB, small)
	smallState := fingerprint(t, smallDB)
	bk := filepath.Join(ref, "备份")
	timed(t, "backup", smallDB, bk)
	backupTime := timed(t, "backup", full, filepath.Join(ref, "备份-full"))
	t.Logf("uninterrupted: run %v, import %v, backup %v", runTime, importTime, backupTime)
	if err := store.VerifyBackup(bk); err != nil {
		t.Fatal(err)
	}
	fullBytes, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("run", func(t *testing.T) {
		t.Parallel()
		// Every other time on a new database (killed creating it, importing, scoring or
		// exporting), else on the one before (the files unchanged: killed scoring or exporting).
		db, tries := "", 0
		killLoop(t, seed, kills, runTime, func(dir string) (string, string, string, func()) {
			if tries++; tries%2 == 1 {
				db = filepath.Join(dir, "db.duckdb")
			}
			return "run", db, fixture, func() {
				if got := fingerprint(t, db); !wholeFiles(got, fullState) {
					t.Errorf("after the kill: %s\nwant some of the files of %s, scores all or none", got, fullState)
				}
			}
		})
	})
	t.Run("import", func(t *testing.T) {
		t.Parallel()
		killLoop(t, seed+1, kills, importTime, func(dir string) (string, string, string, func()) {
			db := filepath.Join(dir, "db.duckdb")
			return "import", db, fixture, func() {
				if got := fingerprint(t, db); !wholeFiles(got, fullState) {
					t.Errorf("after the kill: %s\nwant some of the files of %s", got, fullState)
				}
			}
		})
	})
	t.Run("backup", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		db := filepath.Join(dir, "db.duckdb")
		if err := os.WriteFile(db, fullBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		i, complete := 0, 0
		killLoop(t, seed+2, kills, backupTime, func(string) (string, string, string, func()) {
			i++
			out := filepath.Join(dir, fmt.Sprintf("备份%d", i))
			return "backup", db, out, func() {
				if _, err := os.Stat(out); err == nil {
					if err := store.VerifyBackup(out); err != nil {
						t.Errorf("the backup folder is there but %v", err)
					}
					complete++
				}
				if got := fingerprint(t, db); got != fullState {
					t.Errorf("the database backed up changed: %s", got)
				}
			}
		})
		// The temporary folders of the killed backups are removed by the next backup beside them.
		timed(t, "backup", db, filepath.Join(dir, "备份-final"))
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".jifen-backup-") {
				t.Errorf("left behind: %s", e.Name())
			}
		}
		t.Logf("%d killed or finished backups were complete, the others absent", complete)
	})
	t.Run("restore", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		db := filepath.Join(dir, "db.duckdb")
		// Each time from the whole state, which the backup's smaller state replaces.
		reset := func() {
			removeAll(db)
			if err := os.WriteFile(db, fullBytes, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		reset()
		restoreTime := timed(t, "restore", db, bk)
		if got := fingerprint(t, db); got != smallState {
			t.Fatalf("restored: %s, want %s", got, smallState)
		}
		restored := 0
		killLoop(t, seed+3, kills, restoreTime, func(string) (string, string, string, func()) {
			reset()
			return "restore", db, bk, func() {
				switch got := fingerprint(t, db); got {
				case smallState:
					restored++
				case fullState:
				default:
					t.Errorf("the database holds %s\nwant the whole state before (%s) or the backup's (%s)", got, fullState, smallState)
				}
			}
		})
		t.Logf("%d killed or finished restores had replaced the database, the others left it whole", restored)
	})
}

// killLoop kills a command at random moments, uniform within 1.25 d of its start, until it has been
// killed kills times before it finished (d shrinks to the time a finished one took: the
// machine may be faster than when d was measured), each time after prepare (which gives the
// command, the database, the folder and the check after the kill).
func killLoop(t *testing.T, seed uint64, kills int, d time.Duration, prepare func(tmp string) (cmd, db, dir string, check func())) {
	rng := rand.New(rand.NewPCG(seed, 0))
	mid, tries := 0, 0
	for ; mid < kills && tries < 3*kills; tries++ {
		cmd, db, dir, check := prepare(t.TempDir())
		delay := time.Duration(rng.Int64N(int64(d)*5/4 + 1))
		finished, last, took := crashTimed(t, cmd, db, dir, delay)
		if finished {
			d = max(took*9/10, time.Millisecond)
		} else {
			mid++
		}
		check()
		if t.Failed() {
			t.Fatalf("%s killed %v after its start (its last words %q)", cmd, delay, last)
		}
	}
	if mid < kills {
		t.Errorf("only %d of %d kills came before the command finished", mid, tries)
	}
	t.Logf("%d kills before the command finished, %d after", mid, tries-mid)
}

// wholeFiles says whether the fingerprint got holds some of the files of all, each with all
// its records, and either no scores or those of all.
func wholeFiles(got, all string) bool {
	want := map[string]bool{}
	for _, f := range strings.Fields(all) {
		want[f] = true
	}
	gf := strings.Fields(got)
	for _, f := range gf[:len(gf)-1] {
		if !want[f] {
			return false
		}
	}
	scores := gf[len(gf)-1]
	return scores == "scores=0" || (got == all)
}

// removeAll removes a database file and its write-ahead log.
func removeAll(db string) {
	os.Remove(db)
	os.Remove(db + ".wal")
}
