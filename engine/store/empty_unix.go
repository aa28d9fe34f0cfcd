//go:build unix

package store

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// emptyFile says whether Open is to create the database at path: when there is no file there,
// or an empty one — a database whose creation was cut short (a full disk, a kill) before
// DuckDB wrote its header, which DuckDB refuses for ever ("not a valid DuckDB database file").
// An empty file is removed, but only when no other process holds it (DuckDB's lock is an
// fcntl lock on the file, taken here too) and it is still the empty file at path.
func emptyFile(path string) bool {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil || !info.Mode().IsRegular() || info.Size() != 0 {
		return false
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	// Closing f releases the lock (and would release any other lock of this process on the
	// file: there is none, the file being empty).
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: 0, Len: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk); err != nil {
		return false // another process is creating it: DuckDB will say it is locked
	}
	held, err := f.Stat()
	if err != nil || held.Size() != 0 {
		return false
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(now, held) {
		return false
	}
	removeDB(path)
	return true
}
