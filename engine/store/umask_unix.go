//go:build unix

package store

import "syscall"

// PrivateUmask sets the process's umask to 077, so that every file and folder the process
// creates from then on — the DuckDB database and its .wal (which DuckDB creates itself), the
// outputs, backups — is readable and writable by the owner only (0600, folders 0700). It
// returns the previous umask. Call it first thing in main; it is process-wide.
func PrivateUmask() int { return syscall.Umask(0o077) }
