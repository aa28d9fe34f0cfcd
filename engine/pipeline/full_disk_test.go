package pipeline_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/internal/sharedtest"
)

// smallDisk mounts a file system of 8 MB (tmpfs) on a new folder, unmounted at the end; it
// skips the test where it cannot (not Linux, not root), failing instead under .ci/run.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	os.Mkdir(dir, 0o700)
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", dir).CombinedOutput()
	if runtime.GOOS != "linux" || err != nil {
		msg := "无法挂载 8 MB 的 tmpfs 来模拟磁盘已满（需要 Linux 和 root）：" + strings.TrimSpace(string(out))
		if sharedtest.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill leaves about free bytes free on the disk at dir (a file .fill takes the rest);
// free < 0 frees it all.
func fill(t *testing.T, dir string, free int64) {
	t.Helper()
	f := filepath.Join(dir, ".fill")
	os.Remove(f)
	if free < 0 {
		return
	}
	w, err := os.Create(f)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	block := make([]byte, 4096)
	for {
		if _, err := w.Write(block); err != nil {
			break // full
		}
	}
	if free > 0 {
		info, _ := w.Stat()
		w.Truncate(max(info.Size()-free, 0))
	}
}

// noEmptyDatabase fails when the database file is there but empty (or otherwise unusable).
func noEmptyDatabase(t *testing.T, db string) {
	t.Helper()
	info, err := os.Stat(db)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil || info.Size() == 0 {
		t.Fatalf("%s left empty (%v)", db, err)
	}
	st, err := store.OpenReadOnly(db)
	if err != nil {
		t.Fatalf("%s unusable: %v", db, err)
	}
	st.Close()
}

// diskFullOnce checks that err is one *store.DiskFullError, in Chinese, naming a file on the
// disk at dir, and that no file error of the summary is another report of it.
func diskFullOnce(t *testing.T, what string, sum *pipeline.Summary, err error, dir string) *store.DiskFullError {
	t.Helper()
	var de *store.DiskFullError
	if !errors.As(err, &de) {
		t.Fatalf("%s: %v, want a *store.DiskFullError", what, err)
	}
	if !strings.HasPrefix(err.Error(), "磁盘空间不足：") || !strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), "No space") {
		t.Errorf("%s: %q: want one Chinese message naming the file on %s", what, err, dir)
	}
	if sum != nil {
		for _, e := range sum.Errors {
			t.Errorf("%s: a file error besides the full disk: %v", what, e)
		}
	}
	return de
}

// A full disk: no room even to create the database, room for a few files, room that the
// estimate says is too little. Each time one Chinese message names the file (DiskFullError),
// no empty database is left, what is stored is whole, and once space is freed run works.
// On a full disk the commands that only read (explain, export to another disk, history,
// report) work, several at once; a backup onto it leaves no folder, a restore onto it leaves
// the database as it was.
func TestFullDisk(t *testing.T) {
	disk := smallDisk(t)
	fixture, _ := filepath.Abs("testdata/e2e_small")
	db := filepath.Join(disk, "jifen.duckdb")
	ctx := context.Background()
	opt := pipeline.Options{Inputs: []string{fixture}, DBPath: db, OutDir: filepath.Join(t.TempDir(), "out"), ConfigPath: "../../config.yaml"}

	// No room at all: DuckDB cannot even write the new database's header.
	fill(t, disk, 0)
	sum, err := pipeline.Run(ctx, opt)
	de := diskFullOnce(t, "no room", sum, err, disk)
	if de.Path != db {
		t.Errorf("no room: the message names %s, want %s", de.Path, db)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no room: %s is there (%v), want no file", db, err)
	}

	// The disk fills while a file is loaded (after its free space was checked): its writes
	// fail; the files before it are stored whole, nothing of it is.
	fill(t, disk, -1)
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	j.Store.OnStage = func(stage string) {
		if stage == "begin" {
			if files++; files == 3 {
				fill(t, disk, 0)
			}
		}
	}
	sum, err = j.Import(ctx)
	j.Close()
	diskFullOnce(t, "full while loading", sum, err, disk)
	if sum.Imported != 2 {
		t.Errorf("full while loading the third file: %d imported, want the 2 before it", sum.Imported)
	}
	noEmptyDatabase(t, db)
	fill(t, disk, -1)
	if got := fingerprint(t, db); strings.Count(got, "=") != 3 { // 2 files and the scores
		t.Errorf("after the disk filled while loading the third file: %s, want 2 files whole", got)
	}

	// Less room than the estimate: refused before writing, saying how much is needed.
	fill(t, disk, 100<<10)
	sum, err = pipeline.Run(ctx, opt)
	if de := diskFullOnce(t, "room below the estimate", sum, err, disk); de.Need == 0 {
		t.Logf("room below the estimate: %v (a write failed before the estimate was asked)", err)
	} else if !strings.Contains(err.Error(), "可用，这一步大约需要 ") {
		t.Errorf("room below the estimate: %q", err)
	}
	noEmptyDatabase(t, db)

	// Space freed: run imports and scores everything.
	fill(t, disk, -1)
	sum, err = pipeline.Run(ctx, opt)
	if err != nil || sum.Scored == 0 {
		t.Fatalf("after space is freed: %+v, %v", sum, err)
	}
	state := fingerprint(t, db)

	// Full again: the commands that only read work, two at once, and write nothing.
	fill(t, disk, 0)
	a, err := pipeline.OpenRead(opt)
	if err != nil {
		t.Fatalf("opening for reading on a full disk: %v", err)
	}
	b, err := pipeline.OpenRead(opt)
	if err != nil {
		t.Fatalf("a second reader on a full disk: %v", err)
	}
	if _, _, _, err := a.Explain(ctx, "张伟"); err != nil { // one 张伟 on the roll: found
		t.Errorf("explain on a full disk: %v", err)
	}
	if err := b.Export(ctx, &pipeline.Summary{}); err != nil {
		t.Errorf("export (to another disk) on a full disk: %v", err)
	}
	if _, err := a.Store.History(ctx); err != nil {
		t.Errorf("history on a full disk: %v", err)
	}
	a.Close()
	b.Close()
	if _, err := os.Stat(filepath.Join(opt.OutDir, "members.csv")); err != nil {
		t.Errorf("export on a full disk wrote no members.csv: %v", err)
	}

	// A backup onto the full disk: one message, no folder (nor its temporary folder) left.
	st, err := store.OpenRead(db)
	if err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(disk, "备份")
	err = st.Backup(ctx, bk)
	diskFullOnce(t, "backup onto a full disk", nil, err, bk) // names the backup (the trial saw “.”)
	entries, _ := os.ReadDir(disk)                           // jifen.duckdb, .fill and maybe .wal: nothing of the backup
	for _, e := range entries {
		if strings.Contains(e.Name(), "备份") {
			t.Errorf("backup onto a full disk left %s", e.Name())
		}
	}
	// A backup elsewhere, restored onto the full disk: the database stays as it was.
	elsewhere := filepath.Join(t.TempDir(), "备份")
	if err := st.Backup(ctx, elsewhere); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = store.Restore(ctx, elsewhere, db, true)
	diskFullOnce(t, "restore onto a full disk", nil, err, disk)
	fill(t, disk, -1)
	if got := fingerprint(t, db); got != state {
		t.Errorf("after the restore that found the disk full: %s, want %s", got, state)
	}
	// The new database is built beside the old one: the 8 MB disk has no room for two.
	_, err = store.Restore(ctx, elsewhere, db, true)
	if de := diskFullOnce(t, "restore beside the database", nil, err, disk); de.Need == 0 {
		t.Errorf("restore beside the database: %v, want the room needed, before writing", err)
	}
	removeAll(db)
	if _, err := store.Restore(ctx, elsewhere, db, false); err != nil {
		t.Errorf("restore after space is freed: %v", err)
	}
	if got := fingerprint(t, db); got != state {
		t.Errorf("restored: %s, want %s", got, state)
	}
}
