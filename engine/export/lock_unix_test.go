//go:build unix

package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Two exports into one folder: while another export's process runs, its lock refuses this one
// (exports open the database read-only and may run at once; two writing one folder would mix
// their sets). Once that process is gone (killed), its lock is taken over and the set written.
func TestExportLock(t *testing.T) {
	dir := t.TempDir()
	other := exec.Command("sleep", "30")
	if err := other.Start(); err != nil {
		t.Skipf("无法启动 sleep：%v", err)
	}
	defer other.Process.Kill()
	lock := filepath.Join(dir, exportLock)
	os.WriteFile(lock, []byte(strconv.Itoa(other.Process.Pid)), 0o600)
	write := func(name, path string) error { return os.WriteFile(path, []byte(name), 0o600) }

	_, err := writeSet(dir, []string{"members.csv"}, write)
	if want := "另一个 jifen（PID " + strconv.Itoa(other.Process.Pid) + "）正在向 " + dir + " 写出结果"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("export beside a running one: %v, want %s…", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "members.csv")); err == nil {
		t.Error("members.csv written beside a running export")
	}

	other.Process.Kill()
	other.Wait()
	if _, err := writeSet(dir, []string{"members.csv"}, write); err != nil {
		t.Fatalf("export after the other was killed: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "members.csv")); string(b) != "members.csv" {
		t.Errorf("members.csv = %q", b)
	}
	if _, err := os.Stat(lock); err == nil {
		t.Error("the lock is left after the export")
	}
}
