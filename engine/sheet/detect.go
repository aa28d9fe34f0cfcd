package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/richardlehane/mscfb"
)

// kind is what a file's bytes say it is.
type kind int

const (
	kindText kind = iota // anything else: read as CSV
	kindEmpty
	kindZIP
	kindCFB // OLE2 compound file: .xls, .doc, an encrypted .xlsx, ...
	kindRefused
)

// sniffLen is how much of the start of a file sniff looks at.
const sniffLen = 8 << 10

var (
	magicZIP = []byte("PK\x03\x04")
	magicCFB = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// sniff classifies a file by its first bytes (head) and its size. For kindRefused it also
// returns what the file is, for the message.
func sniff(head []byte, size int64) (kind, string) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))) == 0 && size <= int64(len(head)) {
		return kindEmpty, ""
	}
	has := func(p string) bool { return bytes.HasPrefix(head, []byte(p)) }
	switch {
	case bytes.HasPrefix(head, magicZIP), has("PK\x05\x06"), has("PK\x07\x08"):
		return kindZIP, ""
	case bytes.HasPrefix(head, magicCFB):
		return kindCFB, ""
	case has("%PDF-"):
		return kindRefused, "PDF 文件"
	case has("\x89PNG\r\n\x1a\n"):
		return kindRefused, "图片（PNG）"
	case has("\xff\xd8\xff"):
		return kindRefused, "图片（JPEG）"
	case has("GIF87a"), has("GIF89a"):
		return kindRefused, "图片（GIF）"
	case has("II*\x00"), has("MM\x00*"):
		return kindRefused, "图片（TIFF）"
	case has("RIFF") && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return kindRefused, "图片（WebP）"
	case has("BM") && len(head) >= 6 && int64(binary.LittleEndian.Uint32(head[2:6])) == size:
		return kindRefused, "图片（BMP）"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "mif1", "msf1", "avif":
			return kindRefused, "图片（HEIC）"
		}
		return kindRefused, "音视频文件"
	case has("Rar!\x1a\x07"):
		return kindRefused, "RAR 压缩包"
	case has("7z\xbc\xaf\x27\x1c"):
		return kindRefused, "7z 压缩包"
	case has("\x1f\x8b"):
		return kindRefused, "gzip 压缩包"
	case has("{\\rtf"):
		return kindRefused, "RTF 文档（Word/WPS 的“RTF 格式”）"
	case has("\xff\xfe"), has("\xfe\xff"):
		return kindRefused, "UTF-16 编码的文本（Excel 的“Unicode 文本”）"
	}
	text := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	lower := bytes.ToLower(text)
	if bytes.HasPrefix(lower, []byte("mime-version:")) {
		return kindRefused, "网页存档（.mht）"
	}
	if bytes.HasPrefix(text, []byte("<")) {
		switch {
		case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
			return kindRefused, "Excel 2003 XML 表格"
		case bytes.Contains(lower, []byte("<html")), bytes.Contains(lower, []byte("<table")),
			bytes.HasPrefix(lower, []byte("<!doctype html")):
			return kindRefused, "网页（HTML）"
		case bytes.HasPrefix(lower, []byte("<?xml")):
			return kindRefused, "XML 文件"
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return kindRefused, "无法识别的二进制文件"
	}
	return kindText, ""
}

// refusal is the message for a file that is not a table: what it is and what to do.
func refusal(name, what string) error {
	is := "这是"
	if what[0] < 0x80 {
		is += " " // 这是 PDF 文件, not 这是PDF 文件
	}
	switch what {
	case "网页（HTML）", "网页存档（.mht）", "Excel 2003 XML 表格":
		return fmt.Errorf("%s: %s%s，不是真正的 Excel 工作簿：请用 Excel/WPS 打开后另存为 .xlsx", name, is, what)
	case "UTF-16 编码的文本（Excel 的“Unicode 文本”）":
		return fmt.Errorf("%s: %s%s：请用 Excel/WPS 打开后另存为 .xlsx 或 CSV（UTF-8）", name, is, what)
	case "无法识别的二进制文件":
		return fmt.Errorf("%s: 不是表格文件（%s）：请把表格另存为 .xlsx", name, what)
	}
	return fmt.Errorf("%s: %s%s，不是表格：请把表格另存为 .xlsx", name, is, what)
}

// Messages shared by several paths.
func errEmpty(name string) error { return fmt.Errorf("%s: 文件是空的", name) }

func errEncrypted(name string) error {
	return fmt.Errorf("%s: 工作簿设有打开密码（已加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx", name)
}

func errDamagedXLS(name string) error {
	if isET(name) {
		return errET(name)
	}
	return fmt.Errorf("%s: 无法读取这个 .xls 文件（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx", name)
}

func errET(name string) error {
	return fmt.Errorf("%s: 无法读取这个 WPS 表格（.et）文件：请用 WPS 另存为 .xlsx", name)
}

func isET(name string) bool { return strings.EqualFold(filepath.Ext(name), ".et") }

// checkZIP tells what an Office Open XML / OpenDocument / other ZIP file is: nil for a workbook
// (it has xl/workbook.xml, or its package relationships name a SpreadsheetML workbook part,
// wherever it is, with '/' or '\' in its entry names), otherwise a refusal saying what it is.
// checkUnzipped refuses a package whose parts unzip to more than MaxUnzipped (archive/zip holds
// each part to its declared size).
func checkUnzipped(name string, zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > MaxUnzipped {
		return &LimitError{fmt.Sprintf("%s: 工作簿解压后约有 %d MB，超过 %d MB 的上限（文件可能已损坏或是恶意构造的）：请用 Excel/WPS 打开后另存为 .xlsx",
			name, (total+1<<19)>>20, uint64(MaxUnzipped)>>20)}
	}
	return nil
}

func checkZIP(path, name string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s: 文件已损坏（不是完整的 .xlsx/ZIP 文件）：请用 Excel/WPS 打开后另存为 .xlsx", name)
	}
	defer zr.Close()
	if err := checkUnzipped(name, &zr.Reader); err != nil {
		return err
	}
	if isWorkbookPackage(&zr.Reader) {
		return nil
	}
	var word, ppt, numbers, xlsb bool
	for _, f := range zr.File {
		n := strings.ToLower(partName(f.Name))
		switch {
		case n == "xl/workbook.bin":
			xlsb = true
		case strings.HasPrefix(n, "word/"):
			word = true
		case strings.HasPrefix(n, "ppt/"):
			ppt = true
		case strings.HasPrefix(n, "index/") && strings.HasSuffix(n, ".iwa"):
			numbers = true
		case n == "mimetype":
			if mt := zipSmallFile(f); strings.HasPrefix(mt, "application/vnd.oasis.opendocument.") {
				switch strings.TrimPrefix(mt, "application/vnd.oasis.opendocument.") {
				case "spreadsheet", "spreadsheet-template":
					return fmt.Errorf("%s: 这是 OpenDocument 表格（.ods）：请用 WPS/LibreOffice 另存为 .xlsx", name)
				case "text", "text-template":
					return refusal(name, "OpenDocument 文本（.odt）")
				case "presentation", "presentation-template":
					return refusal(name, "OpenDocument 演示文稿（.odp）")
				}
			}
		}
	}
	switch {
	case xlsb:
		return fmt.Errorf("%s: 这是 Excel 二进制工作簿（.xlsb）：请用 Excel/WPS 另存为 .xlsx", name)
	case word:
		return refusal(name, "Word 文档（.docx）")
	case ppt:
		return refusal(name, "PowerPoint 演示文稿（.pptx）")
	case numbers:
		return fmt.Errorf("%s: 这是 Numbers 表格：请在 Numbers 中导出为 .xlsx", name)
	}
	return fmt.Errorf("%s: 这是 ZIP 压缩包，不是表格：请先解压，再导入其中的 .xlsx 文件", name)
}

// isWorkbookPackage reports whether a ZIP file is an .xlsx package: xl/workbook.xml, or the
// office document its /_rels/.rels names has a <workbook> root element.
func isWorkbookPackage(zr *zip.Reader) bool {
	pkg := newPackage(zr)
	if pkg.file("xl/workbook.xml") != nil {
		return true
	}
	rf := pkg.file("_rels/.rels")
	if rf == nil || rf.UncompressedSize64 > 1<<20 {
		return false
	}
	data := zipHead(rf, 1<<20)
	rels, err := parseRels("_rels/.rels", data)
	if err != nil {
		return false
	}
	doc := officeDocument(rels)
	f := pkg.file(doc)
	if doc == "" || f == nil {
		return false
	}
	s := newScanner(&bytesSource{data: zipHead(f, 64<<10)})
	if k, _ := s.readRoot(); k != tokStart && k != tokEmpty {
		return false
	}
	return string(local(s.name)) == "workbook"
}

// zipHead returns up to n bytes from the start of a ZIP member.
func zipHead(f *zip.File, n int64) []byte {
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, n))
	return b
}

// zipSmallFile returns the start of a ZIP member (used for the OpenDocument mimetype).
func zipSmallFile(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 100))
	return strings.TrimSpace(string(b))
}

// checkCFB tells what an OLE2 compound file is from the names of its top-level streams (in any
// case: WORKBOOK, WorkBook): nil for a workbook (a "Workbook" stream: Excel 97–2003 and WPS .et;
// a "Book" stream: Excel 5.0/95), pkg true for an encrypted .xlsx (EncryptionInfo and
// EncryptedPackage), otherwise a refusal. The class id in the header is not looked at (WPS
// writes one where the standard says zeros).
func checkCFB(f *os.File, name string) (pkg bool, err error) {
	defer func() {
		if recover() != nil {
			pkg, err = false, errDamagedXLS(name)
		}
	}()
	doc, err := mscfb.New(f)
	if err != nil {
		return false, errDamagedXLS(name)
	}
	streams := map[string]bool{}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if len(e.Path) == 0 {
			streams[strings.ToLower(e.Name)] = true
		}
	}
	switch {
	case streams["encryptedpackage"] && streams["encryptioninfo"]:
		return true, nil
	case streams["encryptedpackage"] || streams["encryptioninfo"]:
		return false, errEncrypted(name)
	case streams["workbook"], streams["book"]:
		return false, nil
	case streams["worddocument"]:
		return false, refusal(name, "Word 文档（.doc）")
	case streams["powerpoint document"]:
		return false, refusal(name, "PowerPoint 演示文稿（.ppt）")
	case isET(name):
		return false, errET(name)
	}
	return false, fmt.Errorf("%s: 这是 Office 97-2003 格式的文件，但不是 Excel 工作簿：请把表格另存为 .xlsx", name)
}

// MaxUnzipped bounds the inflated size of a workbook's parts (bytes): a real year of sign-ins of
// a large unit stays well under it; a zip bomb does not.
const MaxUnzipped = 1 << 30

// LimitError refuses a file that is over a limit (size, rows): it is final, no other reader is
// tried.
type LimitError struct{ msg string }

func (e *LimitError) Error() string { return e.msg }
