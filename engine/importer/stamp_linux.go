package importer

import (
	"os"
	"syscall"
)

// sysStamp is what Linux keeps of a file beyond its size and modification time.
type sysStamp struct {
	dev, ino uint64
	ctime    int64 // nanoseconds
}

func sysStampOf(fi os.FileInfo) sysStamp {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return sysStamp{}
	}
	return sysStamp{dev: uint64(st.Dev), ino: st.Ino, ctime: st.Ctim.Nano()}
}
