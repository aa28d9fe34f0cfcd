package pipeline_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
)

// startCrashChild starts a crash child with extra environment; its stdout lines come on the
// channel, and closing stdin lets a paused child go on.
func startCrashChild(t *testing.T, cmd, db, dir string, env ...string) (*exec.Cmd, chan string, func()) {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^$")
	c.Env = append(append(os.Environ(), faultEnv+"=crash", crashCmdEnv+"="+cmd, faultDBEnv+"="+db, crashDirEnv+"="+dir), env...)
	c.Stderr = os.Stderr
	stdin, _ := c.StdinPipe()
	stdout, _ := c.StdoutPipe()
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
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	return c, lines, func() { stdin.Close() }
}

// waitFor reads lines until want, failing on an error or the end.
func waitFor(t *testing.T, lines chan string, want string) {
	t.Helper()
	for {
		select {
		case l, ok := <-lines:
			if !ok || strings.HasPrefix(l, "error") {
				t.Fatalf("child: %q before %q", l, want)
			}
			if l == want {
				return
			}
		case <-time.After(2 * time.Minute):
			t.Fatalf("child: no %q for two minutes", want)
		}
	}
}

// restoreFixture makes a database of the whole fixture (run) and a backup of a smaller one
// (the roster and one sign-in file), in dir.
func restoreFixture(t *testing.T, dir string) (db, bk, fixture string) {
	t.Helper()
	fixture, _ = filepath.Abs("testdata/e2e_small")
	small := filepath.Join(dir, "small-in")
	os.Mkdir(small, 0o700)
	for _, f := range []string{"党员名册.csv", "第一党支部考勤.csv"} {
		b, _ := os.ReadFile(filepath.Join(fixture, f))
		write(t, filepath.Join(small, f), string(b))
	}
	ctx := context.Background()
	smallDB := filepath.Join(dir, "small.duckdb")
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{small}, DBPath: smallDB, ConfigPath: "../../config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Import(ctx); err != nil {
		t.Fatal(err)
	}
	bk = filepath.Join(dir, "备份")
	if err := j.Store.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	j.Close()
	return filepath.Join(dir, "db.duckdb"), bk, fixture
}

// restore --force and run on one database at the same time: the restore holds the database
// from its start until the restored one is in place, so a run meanwhile is refused (before the
// fix, restore let go of the database after checking it, and the run's import, committed and
// reported, was then replaced: lost). And the other way round: a restore while a run holds the
// database is refused, and the run's records stay.
func TestRestoreRacesRun(t *testing.T) {
	dir := t.TempDir()
	db, bk, fixture := restoreFixture(t, dir)
	ctx := context.Background()
	opt := pipeline.Options{Inputs: []string{fixture}, DBPath: db, OutDir: filepath.Join(dir, "out"), ConfigPath: "../../config.yaml"}

	// The restore stops with the new database built beside, not yet in place: a run now is
	// refused and imports nothing.
	for _, stage := range []string{"locked", "loaded"} {
		c, lines, release := startCrashChild(t, "restore", db, bk, crashPauseEnv+"="+stage)
		waitFor(t, lines, "paused")
		_, err := pipeline.Run(ctx, opt)
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("run while a restore is at %q: %v, want it refused (数据库正被另一个 jifen 进程使用)", stage, err)
		}
		release()
		waitFor(t, lines, "done")
		c.Wait()
		if err == nil {
			if got := fingerprint(t, db); strings.Contains(got, "加扣分台账") {
				t.Errorf("run at %q: its records survived by chance", stage)
			} else {
				t.Errorf("restore at %q: the run's import, reported done, was replaced by the restore: %s", stage, got)
			}
		}
	}
	// A run holding the database (paused inside an import): the restore is refused, the run
	// goes on and its records stay.
	c := startChild(t, "import", faultDBEnv+"="+db, faultInputEnv+"="+fixture, faultPauseEnv+"=append")
	for l := c.next(t); l != "paused"; l = c.next(t) {
		if l == "" || strings.HasPrefix(l, "error") {
			t.Fatalf("child: %q", l)
		}
	}
	if _, err := store.Restore(ctx, bk, db, true); !errors.Is(err, store.ErrLocked) {
		t.Errorf("restore while an import holds the database: %v, want it refused", err)
	}
	c.kill()

	// At staggered moments of each other, four times, each first in turn: each either finishes or is refused in
	// Chinese, and a run that finished keeps its records unless the restore took the database
	// after the run was done (the children's log says in which order).
	log := filepath.Join(dir, "log")
	for i := range 4 {
		removeAll(db)
		os.Remove(log)
		env := []string{crashLogEnv + "=" + log}
		first, second := "restore", "run"
		if i%2 == 1 {
			first, second = second, first
		}
		a, al, _ := startCrashChild(t, first, db, map[string]string{"restore": bk, "run": fixture}[first], env...)
		time.Sleep(time.Duration(i/2) * 60 * time.Millisecond)
		b, bl, _ := startCrashChild(t, second, db, map[string]string{"restore": bk, "run": fixture}[second], env...)
		r, rl, u, ul := a, al, b, bl
		if first == "run" {
			r, rl, u, ul = b, bl, a, al
		}
		last := func(lines chan string) string {
			l := ""
			for x := range lines {
				l = x
			}
			return l
		}
		rEnd, uEnd := last(rl), last(ul)
		r.Wait()
		u.Wait()
		for _, e := range []string{rEnd, uEnd} {
			if e != "done" && !(strings.HasPrefix(e, "refused 数据库正被另一个 jifen 进程使用")) {
				t.Fatalf("round %d: a child ended with %q", i, e)
			}
		}
		logged, _ := os.ReadFile(log)
		events := string(logged)
		got := fingerprint(t, db)
		runKept := strings.Contains(got, "加扣分台账.csv=")
		if uEnd == "done" && !runKept {
			// Only right when the restore took the database after the run was done.
			if !(strings.Contains(events, "run done") && strings.Index(events, "run done") < strings.Index(events, "restore locked")) {
				t.Errorf("round %d: the run finished, its records are gone, and the restore did not start after it:\n%s", i, events)
			}
		}
		t.Logf("round %d: restore %s, run %s: %s", i, strings.Fields(rEnd)[0], strings.Fields(uEnd)[0], fmt.Sprint(runKept))
	}
}
