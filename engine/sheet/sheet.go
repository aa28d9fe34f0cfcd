// Package sheet reads spreadsheets (.xlsx, .xls, .csv) into plain tables of cell text. It knows
// nothing of what the tables mean. Cell values are raw: numbers (and dates, as Excel serial
// numbers) in their stored form, formulas as their cached value, whatever the file format.
package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Table is one sheet (or one CSV file): Rows[i] is spreadsheet row i+1; rows may be ragged.
type Table struct {
	File     string // the file's base name, for messages
	Sheet    string // sheet name; "" for CSV
	Rows     [][]string
	Date1904 bool // numbers in date cells count days from 1904-01-01 (Mac Excel)
	// Merges are the merged ranges. Read fills every cell of a range with the value of its
	// top-left cell, so a group header merged over three columns reads in all three.
	Merges []Range
}

// Range is a rectangle of cells, 0-based and inclusive: rows R0..R1, columns C0..C1.
type Range struct{ R0, C0, R1, C1 int }

// fill copies each merged range's top-left value into its other cells, growing rows as needed.
func (t *Table) fill() {
	for _, m := range t.Merges {
		if m.R0 >= len(t.Rows) || m.C0 >= len(t.Rows[m.R0]) {
			continue
		}
		v := t.Rows[m.R0][m.C0]
		for r := m.R0; r <= m.R1 && r < len(t.Rows); r++ {
			for len(t.Rows[r]) <= m.C1 {
				t.Rows[r] = append(t.Rows[r], "")
			}
			for c := m.C0; c <= m.C1; c++ {
				t.Rows[r][c] = v
			}
		}
	}
}

// Skipped is a sheet that was not read, with why (e.g. hidden).
type Skipped struct {
	Sheet  string
	Reason string
}

// Supported reports whether path has an extension this package reads (for walking a folder).
// Read itself goes by the file's content, not its name.
func Supported(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xls", ".et", ".csv":
		return true
	}
	return false
}

// Read reads every visible sheet of a workbook, or a CSV file, deciding by the file's bytes
// whatever its name: an .xlsx/.xlsm workbook (Office Open XML); a legacy .xls (BIFF8, Excel
// 97–2003, and WPS .et files, which are the same format), read in a child process (see
// ServeChild); otherwise text, read as CSV (UTF-8 with or without BOM, or GB18030/GBK). Other
// files (Word documents, encrypted workbooks, PDF, images, ...) are refused with a message
// saying what the file is and what to do. Errors are Chinese and name the file.
func Read(path string) ([]Table, []Skipped, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	if info.IsDir() {
		return nil, nil, fmt.Errorf("%s: 是文件夹，不是文件", name)
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, nil, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	k, what := sniff(head[:n], info.Size())
	switch k {
	case kindEmpty:
		return nil, nil, errEmpty(name)
	case kindRefused:
		return nil, nil, refusal(name, what)
	case kindZIP:
		if err := checkZIP(path, name); err != nil {
			return nil, nil, err
		}
		return readXLSX(path, name)
	case kindCFB:
		if err := checkCFB(f, name); err != nil {
			return nil, nil, err
		}
		return readXLS(path, name, info.Size())
	}
	t, err := readCSV(path, name)
	if err != nil {
		return nil, nil, err
	}
	return []Table{t}, nil, nil
}

func readCSV(path, name string) (Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Table{}, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return Table{}, errEmpty(name)
	}
	// A line of megabytes is no row of a sign-in sheet: refuse it before parsing, which would
	// take several times its size in memory.
	for n, rest := 1, data; len(rest) > 0; n++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > maxCSVLine {
			return Table{}, fmt.Errorf("%s: 第 %d 行有 %d MB，超过 %d MB 的上限（文件可能已损坏）", name, n, i>>20, maxCSVLine>>20)
		}
		if i == len(rest) {
			break
		}
		rest = rest[i+1:]
	}
	if !utf8.Valid(data) {
		if u, o := mixedLine(data); u > 0 {
			return Table{}, fmt.Errorf("%s: 文件中混有两种编码（第 %d 行是 UTF-8，第 %d 行不是）：请用 Excel/WPS 打开后整个另存为 CSV（UTF-8）或 .xlsx", name, u, o)
		}
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return Table{}, fmt.Errorf("%s: 既不是 UTF-8 也不是 GB18030/GBK 编码的文本", name)
		}
		data = dec
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Table{}, fmt.Errorf("%s!%d行: CSV 格式错误：%v", name, pe.Line, pe.Err)
			}
			return Table{}, fmt.Errorf("%s: CSV 格式错误：%v", name, err)
		}
		rows = append(rows, rec)
	}
	return Table{File: name, Rows: rows}, nil
}

// readXLSX reads a workbook with the streaming reader, or with excelize when the streaming
// reader fails (a structure it does not understand, or a damaged file: excelize then gives
// today's message).
func readXLSX(path, name string) ([]Table, []Skipped, error) {
	tables, skipped, err := readXLSXStream(path, name)
	if err == nil {
		return tables, skipped, nil
	}
	var limit *LimitError
	if errors.As(err, &limit) {
		if strings.HasPrefix(limit.msg, name) {
			return nil, nil, limit
		}
		return nil, nil, fmt.Errorf("%s: %s", name, limit.msg)
	}
	if onFallback != nil {
		onFallback(path, err)
	}
	return readXLSXExcelize(path, name)
}

// onFallback, when set (by tests), is told why Read fell back to excelize for a workbook.
var onFallback func(path string, reason error)

// readXLSXStream reads every visible sheet with the streaming reader.
func readXLSXStream(path, name string) ([]Table, []Skipped, error) {
	wb, err := OpenXLSX(path)
	if err != nil {
		return nil, nil, err
	}
	defer wb.Close()
	var tables []Table
	var skipped []Skipped
	for _, sh := range wb.Sheets() {
		if sh.Hidden {
			skipped = append(skipped, Skipped{Sheet: sh.Name, Reason: "隐藏的工作表，已跳过"})
			continue
		}
		rows := [][]string{} // as excelize's GetRows: empty, not nil, for an empty sheet
		err := wb.Rows(sh.Name, func(i int, cells []string) error {
			for len(rows) < i {
				rows = append(rows, nil)
			}
			rows = append(rows, append([]string(nil), cells...))
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		merges, err := wb.Merges(sh.Name)
		if err != nil {
			return nil, nil, err
		}
		t := Table{File: name, Sheet: sh.Name, Rows: rows, Date1904: wb.Date1904(), Merges: merges}
		t.fill()
		tables = append(tables, t)
	}
	return tables, skipped, nil
}

// readXLSXExcelize reads every visible sheet with excelize.
func readXLSXExcelize(path, name string) ([]Table, []Skipped, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, nil, damaged(name, err)
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	var tables []Table
	var skipped []Skipped
	for _, sh := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(sh); err == nil && !visible {
			skipped = append(skipped, Skipped{Sheet: sh, Reason: "隐藏的工作表，已跳过"})
			continue
		}
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, damaged(name+"["+sh+"]", err)
		}
		t := Table{File: name, Sheet: sh, Rows: rows, Date1904: date1904}
		merges, err := f.GetMergeCells(sh)
		if err != nil {
			return nil, nil, damaged(name+"["+sh+"]", err)
		}
		for _, m := range merges {
			c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 == nil && err2 == nil {
				t.Merges = append(t.Merges, Range{R0: r0 - 1, C0: c0 - 1, R1: r1 - 1, C1: c1 - 1})
			}
		}
		t.fill()
		tables = append(tables, t)
	}
	return tables, skipped, nil
}

// damaged turns excelize's and the decompressor's errors on a broken workbook into one Chinese
// message.
func damaged(name string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%s: 不是有效的 .xlsx 工作簿（请用 WPS/Excel 打开后另存为 .xlsx）", name)
	case strings.Contains(msg, "unzip size exceeds"):
		return fmt.Errorf("%s: 工作簿解压后超过 %d MB 的上限（文件可能已损坏或是恶意构造的）：请用 Excel/WPS 打开后另存为 .xlsx", name, MaxUnzipped>>20)
	case strings.Contains(msg, "flate"), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: 文件已损坏（不是完整的 .xlsx/ZIP 文件）：请用 Excel/WPS 打开后另存为 .xlsx", name)
	case strings.Contains(msg, "XML syntax error"), strings.Contains(msg, "DOCTYPE"), strings.Contains(msg, "invalid character entity"):
		return fmt.Errorf("%s: 工作表的内容已损坏（格式错误）：请用 Excel/WPS 打开后另存为 .xlsx", name)
	}
	return fmt.Errorf("%s: 无法打开工作簿（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx", name)
}

// mixedLine finds, in text that is not valid UTF-8 as a whole, a line with non-ASCII text that
// is valid UTF-8 and one that is not: a file pieced together from a UTF-8 and a GBK one, which
// no single decoding reads right. It returns both lines' numbers, or 0, 0. (GBK text of more
// than a character or two is practically never valid UTF-8.)
func mixedLine(data []byte) (int, int) {
	utf, other := 0, 0
	for i, line := range bytes.Split(data, []byte("\n")) {
		ascii := true
		for _, b := range line {
			if b >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			continue
		}
		if utf8.Valid(line) && utf8.RuneCount(line) < len(line) {
			if utf == 0 {
				utf = i + 1
			}
		} else if other == 0 {
			other = i + 1
		}
	}
	if other > 0 && utf > 0 {
		return utf, other
	}
	return 0, 0
}

// maxCSVLine bounds a CSV line (bytes): 4 MB, far more than a row of cells within Excel's
// 32,767 characters a cell needs.
const maxCSVLine = 4 << 20
