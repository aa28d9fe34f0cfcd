//go:build unix

package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// A named pipe in the input folder (even one named like a table, 3月考勤.csv) is not read —
// reading it could wait for ever — and is said, not passed over in silence (trial A: a FIFO
// was skipped without a word). The roster beside it is imported.
func TestPipeInInputSaid(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "台账")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	if err := syscall.Mkfifo(filepath.Join(in, "3月考勤.csv"), 0o600); err != nil {
		t.Skipf("此系统不能建立命名管道：%v", err)
	}
	_, _, _, special, err := pipeline.FilesAndOthers([]string{in})
	if err != nil || !reflect.DeepEqual(special, []string{"台账/3月考勤.csv"}) {
		t.Fatalf("special = %q, %v; want 台账/3月考勤.csv", special, err)
	}
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, err := j.Import(context.Background())
	if err != nil || sum.Imported != 1 {
		t.Fatalf("import: %+v, %v; want the roster imported", sum, err)
	}
	want := "台账/3月考勤.csv: 不是普通文件（管道、设备等），没有读取"
	if !strings.Contains(strings.Join(sum.Warnings, "\n"), want) {
		t.Errorf("warnings = %q, want %q", sum.Warnings, want)
	}
}
