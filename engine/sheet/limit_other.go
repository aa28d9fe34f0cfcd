//go:build !linux

package sheet

// limitAddressSpace is Linux-only; elsewhere the child has only the Go soft memory limit and
// the parent's time limit.
func limitAddressSpace(budget int64) {}
