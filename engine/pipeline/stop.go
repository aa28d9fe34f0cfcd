package pipeline

import (
	"errors"

	"github.com/jifen/jifen/engine/store"
)

// stopping is the error that ends an import at once, taken from the summary's last file error:
// a full disk (*store.DiskFullError), which every later file would meet too — said once, with
// the file it could not write, not once for each file.
func stopping(sum *Summary) error {
	n := len(sum.Errors)
	if n == 0 {
		return nil
	}
	var de *store.DiskFullError
	if !errors.As(sum.Errors[n-1], &de) {
		return nil
	}
	sum.Errors = sum.Errors[:n-1]
	sum.Rejected--
	return de
}

// OpenRead loads the rules and opens the store read-only (store.OpenRead), for the commands
// that only read it (explain, export, report): several may run at once, and they write nothing
// to the database, so they work on a full disk.
func OpenRead(opt Options) (*Job, error) { return open(opt, store.OpenRead) }
