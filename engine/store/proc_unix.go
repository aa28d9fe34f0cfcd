//go:build unix

package store

import (
	"errors"
	"syscall"
)

// isUnsupported says that an operation is not supported on this file system (fsync of a folder).
func isUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
