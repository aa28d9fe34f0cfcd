//go:build unix

package sheet

import (
	"os"
	"syscall"
)

// ownedByMe reports whether a folder (not followed if a link) belongs to this user.
func ownedByMe(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.IsDir() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
