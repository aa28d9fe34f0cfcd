package bench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// PeakEnv names the file a jifen process started by the benchmark writes its peak memory to
// (RecordPeak), as kilobytes.
//
// The benchmark cannot take the child's peak from its resource usage (wait4's ru_maxrss): Go
// starts a child with vfork, sharing the parent's memory until exec, and Linux counts the
// parent's high-water mark in the child's — a benchmark process of 300 MB (writing a 200,000
// member roster) reported a 180 MB import as 300 MB. The child's own VmHWM, of its memory
// after exec, is its own.
const PeakEnv = "JIFEN_PEAK_FILE"

// RecordPeak writes this process's peak resident memory (VmHWM, kilobytes) to the file named
// by PeakEnv, when it is set (by the benchmark; cmd/jifen calls it at exit); on a system
// without /proc/self/status it writes nothing (the benchmark then uses ru_maxrss).
func RecordPeak() {
	path := os.Getenv(PeakEnv)
	if path == "" {
		return
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	if kb, ok := vmHWM(status); ok {
		os.WriteFile(path, []byte(strconv.FormatInt(kb, 10)), 0o600)
	}
}

// vmHWM reads the VmHWM line of a /proc/<pid>/status ("VmHWM:    181234 kB"): kilobytes.
func vmHWM(status []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}
