// Command gen writes the fixtures of engine/sheet's tests: run it from the module root with
// `go run ./engine/sheet/testdata/gen`. It needs LibreOffice (`soffice`) on PATH: the
// workbooks are written with excelize and then saved by LibreOffice as .xls/.xlsx/.doc/.docx,
// so the fixtures are what a real office suite writes. Each file is named for its quirk; see
// engine/sheet/testdata/README.md.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
)

const dir = "engine/sheet/testdata"

func main() {
	xlsxQuirks() // quirks.go: Go only
	if len(os.Args) > 1 && os.Args[1] == "quirks" {
		biffQuirks() // biff.go: hand-written .xls, and what LibreOffice and excelize write with the default password
		return       // only the quirk corpora
	}
	tmp, err := os.MkdirTemp("", "sheetgen")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	src := filepath.Join(tmp, "libreoffice_chinese_dates.xlsx")
	chineseDates(src)
	xls := soffice(tmp, "xls", src)
	copyFile(xls, "libreoffice_chinese_dates.xls")
	copyFile(xls, "renamed_xls.xlsx")

	// The same workbook saved by LibreOffice as .xlsx (a round trip through Calc).
	out := filepath.Join(tmp, "lo")
	copyFile(soffice(out, "xlsx", src), "libreoffice_written.xlsx")

	src1904 := filepath.Join(tmp, "libreoffice_date1904.xlsx")
	date1904(src1904)
	copyFile(soffice(tmp, "xls", src1904), "libreoffice_date1904.xls")

	txt := filepath.Join(tmp, "word.txt")
	if err := os.WriteFile(txt, []byte("第一党支部2022年工作总结\n这是一份 Word 文档，不是表格。\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	copyFile(soffice(tmp, "doc", txt), "renamed_doc.xlsx")
	copyFile(soffice(tmp, "docx", txt), "renamed_docx.xlsx")

	encrypted()
	encryptedXLS(src)
	if err := os.WriteFile(filepath.Join(dir, "empty.xlsx"), nil, 0o644); err != nil {
		log.Fatal(err)
	}
	damaged(xls)
	biffQuirks()
}

// chineseDates: a merged title row, Chinese text, real date cells in several formats (one with a
// time of day), numbers shown through integer/decimal formats, a number stored as text, text in
// a number-formatted column, a vertical merge, a hyperlink, a literal “→”, formulas (number,
// text, error, boolean), a second sheet and a hidden sheet.
func chineseDates(path string) {
	f := excelize.NewFile()
	sh := "3月考勤"
	f.SetSheetName("Sheet1", sh)
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			log.Fatal(err)
		}
		return id
	}
	isoDate := "yyyy-mm-dd"
	cnDate := `yyyy"年"m"月"d"日"`
	dateTime := "yyyy-mm-dd hh:mm"
	int0 := "0"
	dec1 := "0.0"
	dec2 := "0.00"
	text := "@"

	f.SetCellValue(sh, "A1", "第一党支部2022年3月份学习考勤表")
	f.MergeCell(sh, "A1", "F1")
	f.SetSheetRow(sh, "A2", &[]any{"姓名", "活动类型", "活动日期", "出勤情况", "成绩", "备注"})
	f.SetSheetRow(sh, "A3", &[]any{"张伟", "主题党日", time.Date(2022, 3, 5, 0, 0, 0, 0, time.UTC), "出席", 85.5, "001"})
	f.SetSheetRow(sh, "A4", &[]any{"王芳", "支委会", time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC), "请假", "缺考", nil})
	f.SetSheetRow(sh, "A5", &[]any{"李强", "党课", time.Date(2022, 3, 20, 14, 30, 0, 0, time.UTC), "迟到", "90", "学习强国"})
	f.SetSheetRow(sh, "B6", &[]any{"集中学习", time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC), "×", 100, "→"})
	f.MergeCell(sh, "A5", "A6")
	f.SetCellStr(sh, "A7", "合计")
	f.SetCellFormula(sh, "B7", "COUNTA(B3:B6)")
	f.SetCellBool(sh, "C7", true)
	f.SetCellFormula(sh, "D7", `A3&"同志"`)
	f.SetCellFormula(sh, "E7", "1/0")
	f.SetCellStr(sh, "A9", "制表：组织委员")
	f.SetCellHyperLink(sh, "F5", "https://www.xuexi.cn/", "External")

	f.SetCellStyle(sh, "C3", "C3", style(&excelize.Style{CustomNumFmt: &isoDate}))
	f.SetCellStyle(sh, "C4", "C4", style(&excelize.Style{CustomNumFmt: &cnDate}))
	f.SetCellStyle(sh, "C5", "C5", style(&excelize.Style{CustomNumFmt: &dateTime}))
	f.SetCellStyle(sh, "C6", "C6", style(&excelize.Style{NumFmt: 14}))
	f.SetCellStyle(sh, "E3", "E3", style(&excelize.Style{CustomNumFmt: &int0}))
	f.SetCellStyle(sh, "E4", "E5", style(&excelize.Style{CustomNumFmt: &dec1}))
	f.SetCellStyle(sh, "E6", "E6", style(&excelize.Style{CustomNumFmt: &dec2}))
	f.SetCellStyle(sh, "F3", "F3", style(&excelize.Style{CustomNumFmt: &text}))

	f.NewSheet("名册")
	f.SetSheetRow("名册", "A1", &[]any{"党员编号", "姓名", "所在支部", "党员类别", "入党时间"})
	f.SetSheetRow("名册", "A2", &[]any{"D01", "张伟", "第一党支部", "正式党员", time.Date(2005, 7, 1, 0, 0, 0, 0, time.UTC)})
	f.SetSheetRow("名册", "A3", &[]any{"D02", "王芳", "第一党支部", "预备党员", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)})
	f.SetCellStyle("名册", "E2", "E3", style(&excelize.Style{CustomNumFmt: &isoDate}))

	f.NewSheet("隐藏")
	f.SetCellStr("隐藏", "A1", "不应读到")
	f.SetSheetVisible("隐藏", false)
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

// date1904: a workbook in the 1904 date system (old Mac Excel).
func date1904(path string) {
	f := excelize.NewFile()
	yes := true
	f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
	f.SetSheetRow("Sheet1", "A1", &[]any{"活动日期"})
	// 2022-03-05 counted from 1904-01-01 is 43163.
	f.SetCellValue("Sheet1", "A2", 43163)
	iso := "yyyy-mm-dd"
	id, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &iso})
	f.SetCellStyle("Sheet1", "A2", "A2", id)
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

// encrypted.xlsx: a workbook with an opening password (123), written by excelize: an OLE2
// container holding EncryptionInfo and EncryptedPackage, as Excel and WPS write them.
func encrypted() {
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "加密")
	p := filepath.Join(dir, "encrypted.xlsx")
	if err := f.SaveAs(p, excelize.Options{Password: "123"}); err != nil {
		log.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		log.Fatal(err)
	}
}

// encrypted_xls.xls: the LibreOffice .xls saved with an opening password (123) through the UNO
// API: a BIFF8 stream with a FILEPASS record (RC4), the rest encrypted.
func encryptedXLS(src string) {
	python := os.Getenv("PYTHON_UNO")
	if python == "" {
		python = "/usr/bin/python3"
	}
	cmd := exec.Command(python, "engine/sheet/testdata/gen/lo_password.py", src,
		filepath.Join(dir, "encrypted_xls.xls"), "MS Excel 97", "123")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("lo_password.py: %v", err)
	}
}

// damaged: three broken copies of the LibreOffice .xls.
//   - damaged_sst_index.xls: one LABELSST record points one past the end of the shared string
//     table (grate, the .xls reader used before, checked the index with > instead of >= and
//     panicked; jifen's reader refuses the file as damaged).
//   - damaged_dimensions.xls: the first sheet's DIMENSIONS record claims 704 million rows;
//     grate allocated them one by one and never finished (found by flipping random bytes);
//     jifen's reader does not use DIMENSIONS.
//   - damaged_truncated.xls: the first half of the file.
func damaged(xls string) {
	data, err := os.ReadFile(xls)
	if err != nil {
		log.Fatal(err)
	}
	nstrings := sstCount(xls)
	// LABELSST: type 0x00FD, size 10: row, col, ixfe (2 bytes each), sst index (4 bytes).
	i := bytes.Index(data, []byte{0xFD, 0x00, 0x0A, 0x00})
	if i < 0 {
		log.Fatal("no LABELSST record found")
	}
	bad := bytes.Clone(data)
	binary.LittleEndian.PutUint32(bad[i+4+6:], nstrings)
	if err := os.WriteFile(filepath.Join(dir, "damaged_sst_index.xls"), bad, 0o644); err != nil {
		log.Fatal(err)
	}
	// DIMENSIONS: type 0x0200, size 14: first row, last row + 1 (4 bytes each), ...
	i = bytes.Index(data, []byte{0x00, 0x02, 0x0E, 0x00})
	if i < 0 {
		log.Fatal("no DIMENSIONS record found")
	}
	bad = bytes.Clone(data)
	bad[i+4+7] = 0x2A // last row + 1: 0x2A0000xx
	if err := os.WriteFile(filepath.Join(dir, "damaged_dimensions.xls"), bad, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "damaged_truncated.xls"), data[:len(data)/2], 0o644); err != nil {
		log.Fatal(err)
	}
}

// sstCount returns the number of unique strings in the workbook's shared string table.
func sstCount(xls string) uint32 {
	fh, err := os.Open(xls)
	if err != nil {
		log.Fatal(err)
	}
	defer fh.Close()
	doc, err := mscfb.New(fh)
	if err != nil {
		log.Fatal(err)
	}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if e.Name != "Workbook" {
			continue
		}
		wb, err := io.ReadAll(e)
		if err != nil {
			log.Fatal(err)
		}
		for p := 0; p+4 <= len(wb); {
			typ := binary.LittleEndian.Uint16(wb[p:])
			n := int(binary.LittleEndian.Uint16(wb[p+2:]))
			if typ == 0x00FC { // SST: total count, unique count
				return binary.LittleEndian.Uint32(wb[p+8:])
			}
			p += 4 + n
		}
	}
	log.Fatal("no SST record found")
	return 0
}

// soffice converts src with LibreOffice into outDir and returns the new file's path.
func soffice(outDir, format, src string) string {
	cmd := exec.Command("soffice", "--headless", "--convert-to", format, "--outdir", outDir, src)
	cmd.Stderr = os.Stderr
	if out, err := cmd.Output(); err != nil {
		log.Fatalf("soffice %s: %v\n%s", src, err, out)
	}
	base := filepath.Base(src)
	name := base[:len(base)-len(filepath.Ext(base))] + "." + format
	p := filepath.Join(outDir, name)
	if _, err := os.Stat(p); err != nil {
		log.Fatal(fmt.Errorf("soffice wrote no %s: %w", p, err))
	}
	return p
}

func copyFile(from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
		log.Fatal(err)
	}
}
