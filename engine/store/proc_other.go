//go:build !unix

package store

// processRuns cannot ask on this system: a temporary folder is left for its owner.
func processRuns(pid int) bool { return true }

// isUnsupported: syncing a folder is not done on this system.
func isUnsupported(err error) bool { return true }
