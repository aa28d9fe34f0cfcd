package importer

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
)

// stamp is what says that a file still holds the bytes that were hashed: its size and
// modification time and, where the system keeps them (sysStamp), its change time, device and
// inode (a file replaced by another under the same name). A file is stamped before it is hashed
// and read, and again once its records are read (after Load, and after Stream read a large
// sheet again): a file that changed meanwhile is refused, so that the stored hash is always of
// the bytes the records came from (else putting the original back would be skipped as
// unchanged).
type stamp struct {
	size  int64
	mtime time.Time
	sys   sysStamp
	// fresh: modified less than freshFor before it was stamped. A second write within the
	// clock's tick may leave the times as they were: the file is hashed again to be sure.
	fresh bool
}

// freshFor is how recently a file may have been written for its times not to be enough.
const freshFor = 2 * time.Second

func stampFile(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}, err
	}
	st := stamp{size: fi.Size(), mtime: fi.ModTime(), sys: sysStampOf(fi)}
	st.fresh = time.Since(st.mtime) < freshFor // also a time in the future
	return st, nil
}

// changedSince says how the file at path differs from st, "" when it does not; hash is the
// hash of the bytes read, compared again when st is fresh.
func changedSince(path string, st stamp, hash string) (string, error) {
	now, err := stampFile(path)
	if err != nil {
		return "", err
	}
	if now.sys.ino != st.sys.ino || now.sys.dev != st.sys.dev {
		return "被另一个同名文件替换了", nil
	}
	var what []string
	if now.size != st.size {
		what = append(what, "大小")
	}
	if !now.mtime.Equal(st.mtime) || now.sys.ctime != st.sys.ctime {
		what = append(what, "修改时间")
	}
	if len(what) == 0 && st.fresh {
		again, err := engine.HashFile(path)
		if err != nil {
			return "", err
		}
		if again != hash {
			what = append(what, "内容")
		}
	}
	if len(what) == 0 {
		return "", nil
	}
	return strings.Join(what, "/") + "变了", nil
}

// errChanged is the message for a file changed while it was read.
func errChanged(name, what string) error {
	return fmt.Errorf("%s: 读取时文件被修改了（%s），请关闭正在编辑它的程序后重试", name, what)
}

// unchanged checks that the file still holds the bytes hashed by Load.
func (f *File) unchanged() error {
	what, err := changedSince(f.Path, f.stamp, f.Hash)
	if err != nil {
		return fmt.Errorf("%s: 无法读取：%v", f.Name, err)
	}
	if what != "" {
		return errChanged(f.Name, what)
	}
	return nil
}
