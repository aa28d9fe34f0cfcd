package sheet

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// limitAddressSpace caps the process's virtual address space (RLIMIT_AS) at what it uses now
// plus budget, so that a huge allocation fails at once ("fatal error: out of memory") instead
// of swapping. The cap is relative because the Go runtime (and more so the race detector)
// reserves a lot of address space up front.
func limitAddressSpace(budget int64) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return
	}
	pages, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return
	}
	limit := uint64(pages*int64(os.Getpagesize()) + budget)
	var cur syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &cur) == nil && cur.Max < limit {
		limit = cur.Max
	}
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
}
