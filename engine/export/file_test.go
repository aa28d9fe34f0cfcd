package export

import (
	"os"
	"path/filepath"
	"testing"
)

// An export replaces the file whole: a symbolic link at its path is replaced, not followed, and
// the new file is 0600 whatever the old one's mode was.
func TestCreateReplaces(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(dir, "elsewhere.csv")
	os.WriteFile(elsewhere, []byte("old"), 0o644)
	link := filepath.Join(dir, "members.csv")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "old" {
		t.Errorf("the link's target was written: %q", b)
	}
	info, err := os.Lstat(link)
	if err != nil || info.Mode()&os.ModeSymlink != 0 || info.Mode().Perm() != 0o600 {
		t.Errorf("members.csv: %v, %v; want a regular 0600 file", info.Mode(), err)
	}
	if b, _ := os.ReadFile(link); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
