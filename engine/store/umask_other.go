//go:build !unix

package store

// PrivateUmask does nothing where there is no umask (Windows: files inherit the folder's
// access control list); it returns 0.
func PrivateUmask() int { return 0 }
