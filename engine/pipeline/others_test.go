package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// A file in the input folder that is no spreadsheet (会议记录.docx, a scan) is not read, and the
// check says so with its name: a trial's .docx was an .xlsx with the wrong extension, and it
// went unmentioned.
func TestOtherFilesNamed(t *testing.T) {
	in := filepath.Join(t.TempDir(), "台账")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"名册.csv":    "党员编号,姓名,所在支部,党员类别\nA1,张伟,第一党支部,正式党员\n",
		"会议记录.docx": "PK not really",
		"~$名册.csv":  "lock",
	} {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := pipeline.Check(context.Background(), pipeline.Options{Inputs: []string{in}})
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, w := range sum.Warnings {
		if strings.Contains(w, "不是 .xlsx、.xls 或 .csv 表格文件") {
			named = append(named, w)
		}
	}
	if len(named) != 1 || !strings.HasPrefix(named[0], "台账/会议记录.docx: ") {
		t.Errorf("warnings = %q, want one naming 台账/会议记录.docx (not the lock file)", sum.Warnings)
	}
}
