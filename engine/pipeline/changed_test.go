package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/sheet"
)

// A file rewritten between the moment it is hashed and the moment its records are read (here:
// a sign-in sheet streamed, so read again at import time, rewritten while the roster before it
// is imported) is refused, with what changed; it is not stored with the hash of one version and
// the records of another. So when the original is put back, it is imported, not skipped as
// unchanged.
//
// The original 考勤.csv: 甲 出席 and 乙 请假 at 党课 on 2022-03-01 (2 sign-ins). The edit gives
// 甲 缺席 (and, in "same size", keeps 乙's row: 缺席 and 出席 are both 6 bytes in UTF-8, so only
// the content, and perhaps the times, tell).
func TestFileChangedWhileRead(t *testing.T) {
	old := sheet.StreamThreshold
	sheet.StreamThreshold = -1 // every sheet streamed: read again when imported
	defer func() { sheet.StreamThreshold = old }()
	const head = "姓名,活动类型,活动日期,出勤情况\n"
	original := head + "甲,党课,2022-03-01,出席\n乙,党课,2022-03-01,请假\n"
	for _, c := range []struct{ name, edit, what string }{
		{"other size", head + "甲,党课,2022-03-01,缺席\n", "大小/修改时间变了"},
		{"same size", head + "甲,党课,2022-03-01,缺席\n乙,党课,2022-03-01,请假\n", "变了"},
		// Truncated and half rewritten (cat B > file while it is read): its rows read as
		// problems (缺少活动日期), but the file changed: that is what is said (trial A).
		{"half written", head + "甲,党课\n", "大小/修改时间变了"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			os.Mkdir(in, 0o755)
			write(t, filepath.Join(in, "名册.csv"), rosterCSV)
			att := filepath.Join(in, "考勤.csv")
			write(t, att, original)
			opt := pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb")}
			// Every file is read (and hashed) before the first is imported; the roster is
			// imported first: the sign-in sheet changes after it was hashed.
			opt.OnFile = func(done, total int, name string) {
				if strings.HasSuffix(name, "名册.csv") {
					write(t, att, c.edit)
				}
			}
			j, err := pipeline.Open(opt)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			sum, err := j.Import(ctx)
			j.Close()
			if !errors.Is(err, pipeline.ErrRejected) || sum.Imported != 1 || sum.Rejected != 1 {
				t.Fatalf("import while edited: %+v, %v; want the roster imported, 考勤.csv refused", sum, err)
			}
			msg := sum.Errors[0].Error()
			if !strings.HasPrefix(msg, "in/考勤.csv: 读取时文件被修改了（") || !strings.HasSuffix(msg, "），请关闭正在编辑它的程序后重试") || !strings.Contains(msg, c.what) {
				t.Errorf("error = %q, want 读取时文件被修改了（…%s）…", msg, c.what)
			}

			// The original back: imported (2 sign-ins, 甲 出席 and 乙 请假), not skipped.
			write(t, att, original)
			opt.OnFile = nil
			j, err = pipeline.Open(opt)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			sum, err = j.Import(ctx)
			if err != nil || sum.Imported != 1 || sum.Unchanged != 1 {
				t.Fatalf("original put back: %+v, %v; want 考勤.csv imported, the roster unchanged", sum, err)
			}
			var got string
			j.Store.DB.QueryRow("SELECT string_agg(status, ',' ORDER BY status) FROM attendance").Scan(&got)
			if got != "出席,请假" {
				t.Errorf("sign-ins stored = %q, want 出席,请假 (the original's)", got)
			}
		})
	}
}
