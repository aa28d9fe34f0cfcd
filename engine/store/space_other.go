//go:build !unix

package store

// freeSpace is not known on this system: CheckSpace says nothing, and a write that finds the
// disk full says so.
func freeSpace(dir string) (int64, bool) { return 0, false }
