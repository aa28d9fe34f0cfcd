package sheet

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// excelizeFiles lists the temporary files excelize made in dir.
func excelizeFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "excelize-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func staleDirs(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, tmpPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Where Read falls back to excelize (xml_fallback_encoding.xlsx: GB18030 XML), excelize's
// temporary files (made for every part here: the size limit is lowered to 1 byte) are in a
// private folder of jifen's (0700), not loose in the system's temporary folder, and the folder
// is gone once Read returns.
func TestExcelizeTempPrivate(t *testing.T) {
	root := t.TempDir()
	defer func(r func() string, l int64) { tmpRoot, unzipXMLLimit = r, l }(tmpRoot, unzipXMLLimit)
	tmpRoot, unzipXMLLimit = func() string { return root }, 1
	var seen string
	onExcelizeOpen = func(dir string) {
		seen = dir
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 || filepath.Dir(dir) != root {
			t.Errorf("temporary folder %s: %v %v", dir, fi.Mode(), err)
		}
		if !strings.HasPrefix(filepath.Base(dir), tmpPrefix+strconv.Itoa(os.Getpid())+"-") {
			t.Errorf("temporary folder %s not named for the process", dir)
		}
		if len(excelizeFiles(t, dir)) == 0 {
			t.Errorf("excelize wrote no temporary file in %s", dir)
		}
	}
	defer func() { onExcelizeOpen = nil }()
	if _, _, err := Read(filepath.Join(td, "xml_fallback_encoding.xlsx")); err != nil {
		t.Fatal(err)
	}
	if seen == "" {
		t.Fatal("Read did not use excelize")
	}
	if d := staleDirs(t, root); len(d) != 0 {
		t.Errorf("left behind: %v", d)
	}
}

// The child of TestExcelizeTempKilled: reads the fallback workbook and stops, its temporary
// files written, until killed.
func TestExcelizeTempChild(t *testing.T) {
	root := os.Getenv("JIFEN_TEMP_CHILD_ROOT")
	if root == "" {
		t.Skip("只在 TestExcelizeTempKilled 的子进程中运行")
	}
	tmpRoot, unzipXMLLimit = func() string { return root }, 1
	onExcelizeOpen = func(dir string) {
		os.Stdout.WriteString("READY " + dir + "\n")
		time.Sleep(time.Minute)
	}
	Read(filepath.Join(td, "xml_fallback_encoding.xlsx"))
}

// A jifen killed (kill -9) while excelize reads leaves its private folder; the next start
// (CleanStaleTemp) removes it, and leaves the folder of a process that still runs.
func TestExcelizeTempKilled(t *testing.T) {
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestExcelizeTempChild$")
	cmd.Env = append(os.Environ(), "JIFEN_TEMP_CHILD_ROOT="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "READY ") {
				line <- strings.TrimPrefix(sc.Text(), "READY ")
				return
			}
		}
		close(line)
	}()
	var dir string
	select {
	case dir = <-line:
	case <-time.After(30 * time.Second):
	}
	cmd.Process.Kill() // SIGKILL: no deferred clean-up runs
	cmd.Wait()
	if dir == "" {
		t.Fatal("the child did not get to excelize")
	}
	if len(excelizeFiles(t, dir)) == 0 {
		t.Fatalf("the killed child left no temporary files in %s: nothing to test", dir)
	}
	// A folder of a process that runs (this test's parent) stays.
	live := filepath.Join(root, tmpPrefix+strconv.Itoa(os.Getppid())+"-1")
	if err := os.Mkdir(live, 0o700); err != nil {
		t.Fatal(err)
	}
	defer func(r func() string) { tmpRoot = r }(tmpRoot)
	tmpRoot = func() string { return root }
	CleanStaleTemp()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there after CleanStaleTemp (%v)", dir, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the folder of a running process was removed: %v", err)
	}
}
