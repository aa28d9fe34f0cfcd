package pipeline_test

import (
	"os"
	"testing"

	"github.com/jifen/jifen/engine/sheet"
)

// TestMain lets the test binary serve as the child process that reads .xls files, and as the
// child processes of the fault tests (fault_test.go).
func TestMain(m *testing.M) {
	sheet.ServeChild()
	if mode := os.Getenv(faultEnv); mode != "" {
		os.Exit(faultChild(mode))
	}
	os.Exit(m.Run())
}
