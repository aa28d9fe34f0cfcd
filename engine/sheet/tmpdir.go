package sheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/jifen/jifen/internal/proc"
)

// excelize, where Read still uses it (a workbook the streaming reader does not understand),
// writes large sheets and shared strings to temporary files: the sheet's data in plain text.
// They go into a folder of jifen's own, readable by the owner only (0700), made for that read
// and removed after it. A process killed in between leaves its folder; the next jifen start
// (CleanStaleTemp) removes every such folder whose process is gone. The folder's name holds
// the process id: jifen-excelize-<pid>-<random>.

const tmpPrefix = "jifen-excelize-"

// tmpRoot is where the folders are made (os.TempDir(); tests change it).
var tmpRoot = os.TempDir

var cleanOnce sync.Once

// privateTmpDir makes a private folder for one excelize read; remove removes it and what is in
// it. The first call also removes stale folders (CleanStaleTemp), for a program that did not.
func privateTmpDir() (dir string, remove func(), err error) {
	cleanOnce.Do(CleanStaleTemp)
	dir, err = os.MkdirTemp(tmpRoot(), tmpPrefix+strconv.Itoa(os.Getpid())+"-") // 0700
	if err != nil {
		return "", nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil { // whatever the umask did
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// CleanStaleTemp removes the temporary folders of jifen processes that are gone (killed while
// excelize was reading): folders of this user only, named jifen-excelize-<pid>-…, whose
// process no longer runs. jifen calls it when it starts; errors are ignored (a folder that
// cannot be removed now is tried again next time).
func CleanStaleTemp() {
	root := tmpRoot()
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, tmpPrefix) {
			continue // a symlink is not a folder here: never followed
		}
		pidText, _, ok := strings.Cut(strings.TrimPrefix(name, tmpPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		p := filepath.Join(root, name)
		if !ownedByMe(p) || proc.Alive(pid) {
			continue
		}
		os.RemoveAll(p)
	}
}

// errTmpDir is Read's message when the private folder cannot be made.
func errTmpDir(name string, err error) error {
	return fmt.Errorf("%s: 无法创建临时文件夹（%v）：请检查系统临时文件夹 %s 是否可写", name, err, tmpRoot())
}
