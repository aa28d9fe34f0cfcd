//go:build !unix

package store

// isUnsupported: syncing a folder is not done on this system.
func isUnsupported(err error) bool { return true }
