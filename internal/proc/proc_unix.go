//go:build unix

package proc

import (
	"errors"
	"syscall"
)

// Alive says whether a process with the id runs, or may (signal 0 asks without sending; any
// answer but "no such process" counts as running, so nothing of a live process is removed).
func Alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || !errors.Is(err, syscall.ESRCH)
}
