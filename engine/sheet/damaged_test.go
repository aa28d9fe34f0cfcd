package sheet

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A workbook whose shared-string table is cut in half is refused as damaged: excelize would read
// it as empty strings and the sheet's text would vanish without a word.
func TestDamagedSharedStrings(t *testing.T) {
	src, err := zip.OpenReader("../importer/testdata/title_row_merged.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), "cut_sst.xlsx")
	out, _ := os.Create(path)
	zw := zip.NewWriter(out)
	for _, f := range src.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/sharedStrings.xml" {
			data = data[:len(data)/2]
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zw.Close()
	out.Close()
	_, _, err = Read(path)
	want := "cut_sst.xlsx: 工作簿的共享字符串（文字内容）已损坏：请用 Excel/WPS 打开后另存为 .xlsx"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
