package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"

	"github.com/jifen/jifen/engine"
)

// DiskFullError says that the disk holding Path has no room for what jifen writes there:
// found before writing (Need and Free known: CheckSpace), or when a write failed for want of
// space (Need 0). The database is then as it was before the write: every write of jifen's is
// one transaction, or a new file moved into place only when complete.
type DiskFullError struct {
	Path       string
	Need, Free int64 // bytes; Need 0 when a write failed
}

func (e *DiskFullError) Error() string {
	if e.Need > 0 {
		return fmt.Sprintf("磁盘空间不足：%s 所在的磁盘只剩 %s 可用，这一步大约需要 %s：请清理磁盘空间（或用其他位置）后重试",
			e.Path, Size(e.Free), Size(e.Need))
	}
	return "磁盘空间不足：无法写入 " + e.Path + "：请清理磁盘空间（或用其他位置）后重试；未完成的写入已撤销，数据库仍是写入前的状态"
}

// Size says a number of bytes for people: 512 字节, 3.2 MB, 1.5 GB.
func Size(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " 字节"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	case n < 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
}

// reDiskFull matches DuckDB's and the system's words for a write that found no space (or,
// under a file size limit, a file too large), with the file when the message names it, e.g.
// IO Error: Could not write file "/x/jifen.duckdb.wal": No space left on device
var (
	reDiskFull     = regexp.MustCompile(`(?i)no space left on device|file too large|disk is full|not enough space on the disk`)
	reDiskFullFile = regexp.MustCompile(`(?:[Cc]ould not (?:write|truncate|create|open|extend)(?: file)?|write|open|[Ww]rite failed on) "?([^":]+?)"?: `)
)

// diskFull turns an error that says the disk is full into a *DiskFullError naming the file
// (the one the message names, else path); other errors are returned as they are.
func diskFull(err error, path string) error {
	if err == nil {
		return nil
	}
	var de *DiskFullError
	var fe *engine.FileErrors // a file's problems: its cells' text is the user's
	if errors.As(err, &de) || errors.As(err, &fe) {
		return err
	}
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EFBIG) && !reDiskFull.MatchString(err.Error()) {
		return err
	}
	if m := reDiskFullFile.FindStringSubmatch(err.Error()); m != nil {
		path = m[1]
	}
	return &DiskFullError{Path: path}
}

// AsDiskFull is err as a *DiskFullError when it says the disk is full (naming the file the
// message names, else path), else err: for errors of DuckDB met outside the store (scoring).
func AsDiskFull(err error, path string) error { return diskFull(err, path) }

// DiskFullText is what a message of DuckDB or the system that says the disk is full says in
// Chinese (for errors from outside the store: scoring, writing the outputs); ok is false when
// msg says something else.
func DiskFullText(msg string) (text string, ok bool) {
	err := diskFull(errors.New(msg), "")
	var de *DiskFullError
	if !errors.As(err, &de) {
		return "", false
	}
	if de.Path == "" {
		return "磁盘空间不足：请清理磁盘空间（或用其他位置）后重试", true
	}
	return de.Error(), true
}

// spaceReserve is room kept free besides what a step is estimated to need: DuckDB's
// write-ahead log and checkpoints, a margin for the estimate.
const spaceReserve = 512 << 10

// CheckSpace says, as a *DiskFullError, when the disk that holds path (a file or folder,
// existing or not: its nearest existing parent is asked) has less than need bytes (plus a
// small reserve) free. Where the free space cannot be known (another system, an error asking
// it) it says nothing: the write itself then reports a full disk.
func CheckSpace(path string, need int64) error {
	dir := path
	for {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			break
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	free, ok := freeSpace(dir)
	if !ok || free >= need+spaceReserve {
		return nil
	}
	return &DiskFullError{Path: path, Need: need + spaceReserve, Free: free}
}

// sizeOf is the size of a file, or of the files in a folder (not its subfolders), 0 when
// it cannot be known.
func sizeOf(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	if !info.IsDir() {
		return info.Size()
	}
	entries, _ := os.ReadDir(path)
	var n int64
	for _, e := range entries {
		if i, err := e.Info(); err == nil && i.Mode().IsRegular() {
			n += i.Size()
		}
	}
	return n
}
