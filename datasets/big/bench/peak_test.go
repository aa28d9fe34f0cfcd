package bench

import (
	"context"
	"os"
	"runtime"
	"testing"
)

// As the child of runJifen (the test binary run again with benchChild set) this process only
// reports its peak memory.
const benchChild = "JIFEN_BENCH_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(benchChild) != "" {
		RecordPeak()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A status file's VmHWM line, by hand: 181234 kB.
func TestVmHWM(t *testing.T) {
	status := []byte("Name:\tjifen\nVmPeak:\t  912345 kB\nVmSize:\t  900000 kB\nVmHWM:\t  181234 kB\nVmRSS:\t  170000 kB\n")
	if kb, ok := vmHWM(status); !ok || kb != 181234 {
		t.Errorf("vmHWM = %d, %v; want 181234", kb, ok)
	}
	if _, ok := vmHWM([]byte("Name:\tjifen\n")); ok {
		t.Error("vmHWM of a status without VmHWM: found one")
	}
}

// The peak runJifen gives is the child's own, not the benchmark's: with 200 MB in use here, a
// child that does nothing reports well under that (wait4's ru_maxrss would count the 200 MB,
// as Go starts children with vfork).
func TestChildPeakIsItsOwn(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is read from /proc")
	}
	big := make([]byte, 200<<20)
	for i := range big {
		big[i] = byte(i)
	}
	t.Setenv(benchChild, "1")
	_, rss, err := runJifen(context.Background(), os.Args[0])
	runtime.KeepAlive(big)
	if err != nil {
		t.Fatal(err)
	}
	if rss <= 0 || rss >= 100<<20 {
		t.Errorf("child's peak %d MB; want a few MB (this process holds 200 MB)", rss>>20)
	}
}
