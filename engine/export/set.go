package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/internal/proc"
)

// The outputs are one set (setNames): a killed or failed export must never leave some files of
// the new set beside some of the old. Write writes the set into stageDir, a folder inside the
// output folder (the same file system, so renames are atomic); once every file is whole it
// writes stageDone there, listing the set, and only then moves the files into place and removes
// the old set's files that the new one has not (periods.csv, when the scheme is no longer by
// quarter or month). Moving takes microseconds; an export killed in them is finished by the next
// one (settle): the set is whole once stageDone exists. An export killed before leaves the old
// set as it was, and its stageDir is removed by the next.
const (
	stageDir  = ".jifen-新输出"
	stageDone = "完整"
)

// exportLock names the export writing into the folder: exports open the database read-only and
// may run at once, and two writing one folder would mix their sets. It holds the process id;
// another export refuses while that process runs, and one of a killed export is removed.
const exportLock = ".jifen-导出中"

// lockDir takes dir for this export; unlock gives it back.
func lockDir(dir string) (unlock func(), err error) {
	lock := filepath.Join(dir, exportLock)
	for try := 0; ; try++ {
		f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = fmt.Fprint(f, os.Getpid())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(lock)
				return nil, fmt.Errorf("无法写入输出目录 %s：%v", dir, err)
			}
			return func() { os.Remove(lock) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("无法写入输出目录 %s：%v", dir, err)
		}
		if pid, held := lockHeld(lock); held || try > 0 {
			return nil, fmt.Errorf("另一个 jifen（PID %d）正在向 %s 写出结果：请等它结束后再运行（如果确实没有 jifen 在运行，请删除 %s 后重试）", pid, dir, lock)
		}
		os.Remove(lock) // left by a killed export
	}
}

// lockHeld says whose the lock is and whether that process may still run (a lock just made
// and not yet written counts as held for a minute).
func lockHeld(lock string) (pid int, held bool) {
	b, err := os.ReadFile(lock)
	if err != nil {
		return 0, false
	}
	pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		fi, err := os.Stat(lock)
		return 0, err == nil && time.Since(fi.ModTime()) < time.Minute
	}
	return pid, proc.Alive(pid)
}

// setNames are the files of the set, in the order Write writes them.
var setNames = []string{"members.csv", "indicators.csv", "periods.csv", "附件.xlsx", PublicityFile, "积分明细.xlsx"}

// Settle finishes what an export killed while replacing the set left in dir (moves the rest of
// the new set into place), or removes what one killed before left (a set not whole). Write
// calls it first; tests call it to see what the next export would find.
func Settle(dir string) error {
	if lock := filepath.Join(dir, exportLock); fileExists(lock) {
		if _, held := lockHeld(lock); !held {
			os.Remove(lock) // a killed export's
		}
	}
	stage := filepath.Join(dir, stageDir)
	list, err := os.ReadFile(filepath.Join(stage, stageDone))
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.RemoveAll(stage); err != nil {
			return fmt.Errorf("无法清理上次未写完的输出 %s：%v", stage, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("无法读取 %s：%v", filepath.Join(stage, stageDone), err)
	}
	set := strings.Fields(string(list))
	for _, name := range setNames {
		to := filepath.Join(dir, name)
		if !slices.Contains(set, name) {
			if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("无法删除旧的 %s：%v", to, err)
			}
			continue
		}
		// Moved already if it is no longer in stage.
		if err := os.Rename(filepath.Join(stage, name), to); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("无法写入 %s：%v", to, err)
		}
	}
	if err := os.RemoveAll(stage); err != nil {
		return fmt.Errorf("无法清理 %s：%v", stage, err)
	}
	return nil
}

// writeSet writes the files of a set into dir through stageDir: write writes each of them,
// given its path in stage. It returns the paths in dir, or an error with nothing in dir changed.
func writeSet(dir string, names []string, write func(name, path string) error) ([]string, error) {
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := Settle(dir); err != nil {
		return nil, err
	}
	stage := filepath.Join(dir, stageDir)
	if err := os.Mkdir(stage, 0o700); err != nil {
		return nil, fmt.Errorf("无法写入输出目录 %s：%v", dir, err)
	}
	fail := func(err error) ([]string, error) {
		os.RemoveAll(stage)
		return nil, err
	}
	for _, name := range names {
		if err := write(name, filepath.Join(stage, name)); err != nil {
			return fail(err)
		}
	}
	list := strings.Join(names, "\n") + "\n"
	if err := create(filepath.Join(stage, stageDone), func(w io.Writer) error { _, err := io.WriteString(w, list); return err }); err != nil {
		return fail(err)
	}
	if err := Settle(dir); err != nil {
		return nil, err
	}
	var paths []string
	for _, name := range names {
		paths = append(paths, filepath.Join(dir, name))
	}
	return paths, nil
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
