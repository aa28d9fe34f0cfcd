package sheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCSV reads a generated sign-in CSV of 100,000 rows (about 5 MB, UTF-8) both ways: kept
// whole (readCSV, as Read does under StreamThreshold) and streamed (readCSVLazy's checking pass,
// then Each over every row), and control-scan: the scan for control characters alone, which
// both do. Run: go test -run XXX -bench CSV -benchtime 10x ./engine/sheet/
func BenchmarkCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("党员编号,姓名,所在支部,活动类型,活动日期,出勤情况,备注\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, "D%05d,党员%d,第%d支部,党课,2022-%02d-%02d,出席,\n", i%2000, i%2000, i%9, 1+i%12, 1+i%28)
	}
	path := filepath.Join(b.TempDir(), "考勤.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	// What refusing control characters anywhere (control.go) adds to both: one scan of the bytes.
	b.Run("control-scan", func(b *testing.B) {
		b.SetBytes(int64(sb.Len()))
		data := []byte(sb.String())
		for i := 0; i < b.N; i++ {
			if hasControl(data) {
				b.Fatal("no control character was written")
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(sb.Len()))
		for i := 0; i < b.N; i++ {
			if _, err := readCSV(path, "考勤.csv"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("streamed", func(b *testing.B) {
		b.SetBytes(int64(sb.Len()))
		for i := 0; i < b.N; i++ {
			t, err := readCSVLazy(path, "考勤.csv")
			if err != nil {
				b.Fatal(err)
			}
			if err := t.Each(0, func(int, []string) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
