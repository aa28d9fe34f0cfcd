package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestMain serves the .xls child process: Read re-executes this test binary to parse .xls files.
// Every test package that reads .xls files (directly or through the importer) needs the same
// first line.
func TestMain(m *testing.M) {
	ServeChild()
	os.Exit(m.Run())
}

const td = "testdata"

// The workbook of libreoffice_chinese_dates.xls (made from the same excelize source as
// libreoffice_written.xlsx), as Read gives it: merged cells filled from the top-left, dates as
// Excel serial numbers, numbers as stored whatever their number format.
var chineseDates = []Table{
	{
		Sheet: "3月考勤",
		Rows: [][]string{
			{"第一党支部2022年3月份学习考勤表", "第一党支部2022年3月份学习考勤表", "第一党支部2022年3月份学习考勤表",
				"第一党支部2022年3月份学习考勤表", "第一党支部2022年3月份学习考勤表", "第一党支部2022年3月份学习考勤表"},
			{"姓名", "活动类型", "活动日期", "出勤情况", "成绩", "备注"},
			// 2022-03-05 formatted yyyy-mm-dd; 85.5 formatted "0" (shows 86); "001" text.
			{"张伟", "主题党日", "44625", "出席", "85.5", "001"},
			// 2022-03-15 formatted yyyy"年"m"月"d"日"; text 缺考 in a "0.0" column.
			{"王芳", "支委会", "44635", "请假", "缺考"},
			// 2022-03-20 14:30 (yyyy-mm-dd hh:mm); "90" a number stored as text; a hyperlink.
			{"李强", "党课", "44640.604166666664", "迟到", "90", "学习强国"},
			// A5:A6 merged; 2022-03-31 in built-in format 14; 100 formatted "0.00"; a literal →.
			{"李强", "集中学习", "44651", "×", "100", "→"},
			// Formulas: =COUNTA(B3:B6), TRUE, =A3&"同志", =1/0.
			{"合计", "4", "1", "张伟同志", "#DIV/0!"},
			{},
			{"制表：组织委员"},
		},
		Merges: []Range{{R0: 0, C0: 0, R1: 0, C1: 5}, {R0: 4, C0: 0, R1: 5, C1: 0}},
	},
	{
		Sheet: "名册",
		Rows: [][]string{
			{"党员编号", "姓名", "所在支部", "党员类别", "入党时间"},
			{"D01", "张伟", "第一党支部", "正式党员", "38534"}, // 2005-07-01
			{"D02", "王芳", "第一党支部", "预备党员", "44621"}, // 2022-03-01
		},
	},
}

var hiddenSkipped = []Skipped{{Sheet: "隐藏", Reason: "隐藏的工作表，已跳过"}}

// withFile returns copies of tables with File set.
func withFile(tables []Table, file string) []Table {
	var out []Table
	for _, t := range tables {
		t.File = file
		t.Rows = append([][]string(nil), t.Rows...)
		out = append(out, t)
	}
	return out
}

func checkRead(t *testing.T, path string, want []Table, wantSkipped []Skipped) {
	t.Helper()
	got, skipped, err := Read(path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	if len(got) != len(want) {
		t.Fatalf("Read(%s): %d tables, want %d: %+v", path, len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.File != w.File || g.Sheet != w.Sheet || g.Date1904 != w.Date1904 {
			t.Errorf("table %d: file %q sheet %q 1904 %v, want %q %q %v", i, g.File, g.Sheet, g.Date1904, w.File, w.Sheet, w.Date1904)
		}
		if len(g.Rows) != len(w.Rows) {
			t.Errorf("%s: %d rows, want %d:\n%q", w.Sheet, len(g.Rows), len(w.Rows), g.Rows)
		}
		for r := range min(len(g.Rows), len(w.Rows)) {
			if !reflect.DeepEqual(nonNil(g.Rows[r]), nonNil(w.Rows[r])) {
				t.Errorf("%s row %d:\n got %q\nwant %q", w.Sheet, r+1, g.Rows[r], w.Rows[r])
			}
		}
		if len(g.Merges) != 0 || len(w.Merges) != 0 {
			if !reflect.DeepEqual(g.Merges, w.Merges) {
				t.Errorf("%s merges %v, want %v", w.Sheet, g.Merges, w.Merges)
			}
		}
	}
	if !reflect.DeepEqual(skipped, wantSkipped) {
		t.Errorf("skipped %v, want %v", skipped, wantSkipped)
	}
}

func nonNil(r []string) []string {
	if r == nil {
		return []string{}
	}
	return r
}

func checkErr(t *testing.T, path, want string) error {
	t.Helper()
	_, _, err := Read(path)
	if err == nil {
		t.Fatalf("Read(%s): no error, want %q", path, want)
	}
	if err.Error() != want {
		t.Errorf("Read(%s):\n got %q\nwant %q", path, err, want)
	}
	return err
}

func TestLibreOfficeXLS(t *testing.T) {
	checkRead(t, filepath.Join(td, "libreoffice_chinese_dates.xls"),
		withFile(chineseDates, "libreoffice_chinese_dates.xls"), hiddenSkipped)
}

// The same workbook saved as .xlsx by LibreOffice reads the same, but for the date with a time
// of day: LibreOffice writes 15 significant digits in .xlsx, the .xls holds the exact double.
func TestLibreOfficeXLSX(t *testing.T) {
	want := withFile(chineseDates, "libreoffice_written.xlsx")
	want[0].Rows[4] = []string{"李强", "党课", "44640.6041666667", "迟到", "90", "学习强国"}
	checkRead(t, filepath.Join(td, "libreoffice_written.xlsx"), want, hiddenSkipped)
}

func TestRenamedXLS(t *testing.T) {
	checkRead(t, filepath.Join(td, "renamed_xls.xlsx"), withFile(chineseDates, "renamed_xls.xlsx"), hiddenSkipped)
}

// A WPS .et file is a BIFF8 workbook like an .xls: read by content, whatever the name.
func TestETName(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(td, "libreoffice_chinese_dates.xls"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "考勤.et")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	checkRead(t, p, withFile(chineseDates, "考勤.et"), hiddenSkipped)
}

func TestDate1904XLS(t *testing.T) {
	checkRead(t, filepath.Join(td, "libreoffice_date1904.xls"), []Table{{
		File: "libreoffice_date1904.xls", Sheet: "Sheet1", Date1904: true,
		Rows: [][]string{{"活动日期"}, {"43163"}}, // 2022-03-05 in the 1904 date system
	}}, nil)
}

func TestRefused(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"renamed_doc.xlsx", "renamed_doc.xlsx: 这是 Word 文档（.doc），不是表格：请把表格另存为 .xlsx"},
		{"renamed_docx.xlsx", "renamed_docx.xlsx: 这是 Word 文档（.docx），不是表格：请把表格另存为 .xlsx"},
		{"encrypted.xlsx", "encrypted.xlsx: 工作簿设有打开密码（已加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx"},
		{"encrypted_xls.xls", "encrypted_xls.xls: 工作簿设有打开密码（已加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx"},
		{"empty.xlsx", "empty.xlsx: 文件是空的"},
		{"damaged_truncated.xls", "damaged_truncated.xls: 无法读取这个 .xls 文件（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx"},
	} {
		checkErr(t, filepath.Join(td, c.file), c.want)
	}
}

// damaged_sst_index.xls has a LABELSST pointing one past the shared strings (grate, the reader
// used before, panicked on it): the reader says the file is damaged and why.
func TestDamagedSSTIndex(t *testing.T) {
	err := checkErr(t, filepath.Join(td, "damaged_sst_index.xls"),
		"damaged_sst_index.xls: 无法读取这个 .xls 文件（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx")
	if err == nil || !strings.Contains(errors.Unwrap(err).Error(), "shared string index 35 out of range (35 strings)") {
		t.Errorf("cause %v, want the index out of range", errors.Unwrap(err))
	}
}

// damaged_dimensions.xls claims 704 million rows in its DIMENSIONS record (grate allocated them
// without end). The reader does not use DIMENSIONS: the cells are all there and read as in the
// undamaged file.
func TestDamagedDimensions(t *testing.T) {
	checkRead(t, filepath.Join(td, "damaged_dimensions.xls"),
		withFile(chineseDates, "damaged_dimensions.xls"), hiddenSkipped)
}

// The child process turns a crash, a hang, a runaway allocation, a flood of output and a bad exit
// into the damaged-file message, without harming the parent.
func TestChildFailures(t *testing.T) {
	xlsFile := filepath.Join(td, "libreoffice_chinese_dates.xls")
	want := "libreoffice_chinese_dates.xls: 无法读取这个 .xls 文件（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx"
	defer func(d time.Duration, o int64) { xlsTimeout, xlsMaxOutput = d, o }(xlsTimeout, xlsMaxOutput)
	xlsTimeout, xlsMaxOutput = 3*time.Second, 8<<20
	for _, mode := range []string{"panic", "sleep", "alloc", "flood", "exit"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "alloc" && runtime.GOOS != "linux" {
				t.Skip("the address-space limit is Linux-only")
			}
			t.Setenv(childTestEnv, mode)
			start := time.Now()
			err := checkErr(t, xlsFile, want)
			if took := time.Since(start); took > 15*time.Second {
				t.Errorf("took %v", took)
			}
			cause := errors.Unwrap(err)
			switch mode {
			case "sleep":
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("cause %v, want a timeout", cause)
				}
			case "alloc":
				// "fatal error: runtime: out of memory" ("too many address space collisions"
				// under the race detector): the allocation failed at once.
				if cause == nil || !strings.Contains(cause.Error(), "fatal error:") {
					t.Errorf("cause %v, want a fatal error", cause)
				}
			case "flood":
				if cause == nil || !strings.Contains(cause.Error(), "output over") {
					t.Errorf("cause %v, want output over the limit", cause)
				}
			}
		})
	}
}

func TestXLSTooBig(t *testing.T) {
	defer func(n int64) { xlsMaxInput = n }(xlsMaxInput)
	xlsMaxInput = 1000
	checkErr(t, filepath.Join(td, "libreoffice_chinese_dates.xls"),
		"libreoffice_chinese_dates.xls: .xls 文件太大（0 MB，最多 0 MB）：请用 Excel/WPS 打开后另存为 .xlsx")
}

// Files made here: what they are is in their bytes, not their names.
func TestSniffed(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipOf := func(files map[string]string) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for n, s := range files {
			f, _ := w.Create(n)
			f.Write([]byte(s))
		}
		w.Close()
		return b.Bytes()
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"空白.csv", []byte("\xef\xbb\xbf \r\n\t\n"), "空白.csv: 文件是空的"},
		{"bom.xlsx", []byte("\xef\xbb\xbf"), "bom.xlsx: 文件是空的"},
		{"scan.xlsx", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "scan.xlsx: 这是 PDF 文件，不是表格：请把表格另存为 .xlsx"},
		{"photo.xls", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "photo.xls: 这是图片（PNG），不是表格：请把表格另存为 .xlsx"},
		{"photo.xlsx", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "photo.xlsx: 这是图片（JPEG），不是表格：请把表格另存为 .xlsx"},
		{"export.xls", []byte("<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>姓名</td></tr></table></body></html>"),
			"export.xls: 这是网页（HTML），不是真正的 Excel 工作簿：请用 Excel/WPS 打开后另存为 .xlsx"},
		{"xml2003.xls", []byte("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"),
			"xml2003.xls: 这是 Excel 2003 XML 表格，不是真正的 Excel 工作簿：请用 Excel/WPS 打开后另存为 .xlsx"},
		{"unicode.csv", []byte("\xff\xfe\xd3\x59\x0d\x54"), "unicode.csv: 这是 UTF-16 编码的文本（Excel 的“Unicode 文本”）：请用 Excel/WPS 打开后另存为 .xlsx 或 CSV（UTF-8）"},
		{"blob.xlsx", []byte("\x00\x01\x02\x03binary"), "blob.xlsx: 不是表格文件（无法识别的二进制文件）：请把表格另存为 .xlsx"},
		{"odf.xlsx", zipOf(map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
			"odf.xlsx: 这是 OpenDocument 表格（.ods）：请用 WPS/LibreOffice 另存为 .xlsx"},
		{"slides.xlsx", zipOf(map[string]string{"ppt/presentation.xml": "<x/>"}),
			"slides.xlsx: 这是 PowerPoint 演示文稿（.pptx），不是表格：请把表格另存为 .xlsx"},
		{"archive.xlsx", zipOf(map[string]string{"3月/考勤.xlsx": "PK"}),
			"archive.xlsx: 这是 ZIP 压缩包，不是表格：请先解压，再导入其中的 .xlsx 文件"},
		{"broken.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00"), "broken.xlsx: 文件已损坏（不是完整的 .xlsx/ZIP 文件）：请用 Excel/WPS 打开后另存为 .xlsx"},
	} {
		checkErr(t, write(c.name, c.data), c.want)
	}

	// A CSV saved with an .xlsx name is read as CSV.
	checkRead(t, write("名册.xlsx", []byte("姓名,支部\r\n张伟,第一党支部\r\n")), []Table{{
		File: "名册.xlsx", Rows: [][]string{{"姓名", "支部"}, {"张伟", "第一党支部"}},
	}}, nil)
	// An .xlsx saved with a .csv name is read as a workbook.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "成绩"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"张伟", 85.5})
	p := filepath.Join(dir, "成绩.csv")
	if err := f.SaveAs(p + ".xlsx"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".xlsx", p); err != nil {
		t.Fatal(err)
	}
	checkRead(t, p, []Table{{File: "成绩.csv", Sheet: "Sheet1", Rows: [][]string{{"姓名", "成绩"}, {"张伟", "85.5"}}}}, nil)
}

func TestRKNumbers(t *testing.T) {
	for _, c := range []struct {
		rk   uint32
		want string
	}{
		{8550<<2 | 3, "85.5"},     // integer 8550, divided by 100: grate reads 0
		{85<<2 | 2, "85"},         // integer
		{0xFFFFFFEE, "-5"},        // negative integer: -5<<2 | 2
		{0x40556000, "85.5"},      // upper 30 bits of the float64 85.5
		{0x40934800 | 1, "12.34"}, // float64 1234, divided by 100
	} {
		if got := rkText(c.rk); got != c.want {
			t.Errorf("rkText(%#x) = %s, want %s", c.rk, got, c.want)
		}
	}
}

func TestSupported(t *testing.T) {
	for name, want := range map[string]bool{
		"a.xlsx": true, "a.XLSM": true, "a.xls": true, "a.et": true, "a.csv": true,
		"a.docx": false, "a.pdf": false, "a.ods": false, "a": false,
	} {
		if Supported(name) != want {
			t.Errorf("Supported(%s) = %v", name, !want)
		}
	}
}
