//go:build !unix

package store

import (
	"errors"
	"io/fs"
	"os"
)

// emptyFile says whether Open is to create the database at path: when there is no file there,
// or an empty one (its creation was cut short), which is removed (Windows does not let a file
// another process has open be removed).
func emptyFile(path string) bool {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil || !info.Mode().IsRegular() || info.Size() != 0 {
		return false
	}
	return os.Remove(path) == nil
}
