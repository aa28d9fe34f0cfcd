//go:build unix

package store

import (
	"errors"
	"syscall"
)

// processRuns says whether a process with the id runs (or may: when it cannot be asked).
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || !errors.Is(err, syscall.ESRCH)
}

// isUnsupported says that an operation is not supported on this file system (fsync of a folder).
func isUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
