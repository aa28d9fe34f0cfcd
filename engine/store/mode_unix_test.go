//go:build unix

package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/jifen/jifen/engine/store"
)

// The database and its write-ahead log are owner-only even when the umask would let others
// read them; PrivateUmask makes every new file so.
func TestDatabaseIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "jifen.duckdb")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), "/x/1.csv", "1.csv", "h1", batch(10, "1.csv")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + ".wal"} {
		info, err := os.Stat(p)
		if err != nil {
			continue // the WAL may already be checkpointed
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), info.Mode().Perm())
		}
	}
	s.Close()

	if prev := store.PrivateUmask(); prev != 0o022 {
		t.Errorf("PrivateUmask returned %o, want the previous 022", prev)
	}
	p2 := filepath.Join(dir, "new.duckdb")
	s, err = store.Open(p2)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	f := filepath.Join(dir, "out.csv")
	os.WriteFile(f, []byte("x"), 0o666)
	os.Mkdir(filepath.Join(dir, "sub"), 0o777)
	for p, want := range map[string]os.FileMode{p2: 0o600, f: 0o600, filepath.Join(dir, "sub"): 0o700} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", filepath.Base(p), info.Mode().Perm(), err, want)
		}
	}
}
