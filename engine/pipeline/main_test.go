package pipeline_test

import (
	"os"
	"testing"

	"github.com/jifen/jifen/engine/sheet"
)

// TestMain lets the test binary serve as the child process that reads .xls files.
func TestMain(m *testing.M) { sheet.ServeChild(); os.Exit(m.Run()) }
