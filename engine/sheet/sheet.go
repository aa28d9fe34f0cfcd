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
	"slices"
	"strings"
	"time"
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
	// lazy, for a worksheet too large to keep in memory (see StreamThreshold), is where to
	// read it again: Rows then holds only its first HeadRows rows, and Each streams them all.
	lazy *lazySheet
}

type lazySheet struct {
	path string
	csv  bool // a CSV file; gb: in GB18030/GBK
	gb   bool
	// late: the head was read without the merged ranges; Each puts them in merges.
	late   bool
	merges []Range
}

// LateMerges returns the merged ranges of a streamed sheet read by Read, once Each has read
// it to its end (they are stored after the rows): nil when the sheet has none, or before. Rows
// and the cells Each gave were not filled from them; a caller to whom they matter (a merged
// header, a merged column of data) reads the file again with ReadMerged.
func (t *Table) LateMerges() []Range {
	if t.lazy == nil || !t.lazy.late {
		return nil
	}
	return t.lazy.merges
}

// WithMerges returns a copy of the table with merges as its merged ranges, filled into a copy
// of its rows.
func (t Table) WithMerges(merges []Range) Table {
	c := t
	c.Rows = make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		c.Rows[i] = append([]string(nil), r...)
	}
	c.Merges = merges
	c.fill()
	return c
}

// StreamThreshold is the size (bytes of worksheet XML, uncompressed) above which Read does not
// keep a sheet's rows: its Table holds the first HeadRows rows (enough to recognise the header
// and title) and Each reads every row again from the file, one at a time, so memory stays
// bounded whatever the number of rows. 4 MB is about 15,000 rows of a sign-in sheet. A
// variable so that tests can make small sheets stream.
var StreamThreshold int64 = 4 << 20

// HeadRows is how many rows a streamed sheet's Table keeps.
const HeadRows = 64

// Complete reports whether Rows holds every row of the sheet; false for a large sheet, whose
// rows Each streams (or Full reads).
func (t *Table) Complete() bool { return t.lazy == nil }

// Each calls fn for the rows from index from (0-based, as Rows) to the end, in order, with
// merged ranges filled as in Rows; rows of a streamed sheet that have no value are not
// reported (an empty row carries nothing). For a complete table it walks Rows. cells are valid
// only during the call (copy them to keep them; their strings may be kept). An error from fn
// stops it and is returned; other errors are a damaged file (as Read's).
func (t *Table) Each(from int, fn func(i int, cells []string) error) error {
	if t.lazy == nil {
		for i := max(from, 0); i < len(t.Rows); i++ {
			if err := fn(i, t.Rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if t.lazy.csv {
		return t.eachCSV(from, fn)
	}
	wb, err := OpenXLSX(t.lazy.path)
	if err != nil {
		return damaged(t.File, err)
	}
	defer wb.Close()
	f := newFiller(t, from)
	var fnErr error
	err = wb.Rows(t.Sheet, func(i int, cells []string) error {
		if i < from {
			return nil
		}
		if f != nil {
			cells = f.fill(i, cells)
		}
		if fnErr = fn(i, cells); fnErr != nil {
			return fnErr
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	var limit *LimitError
	if errors.As(err, &limit) {
		return fmt.Errorf("%s[%s]: %s", t.File, t.Sheet, limit.msg)
	}
	if err != nil {
		return damaged(t.File+"["+t.Sheet+"]", err)
	}
	if t.lazy.late {
		if t.lazy.merges, err = wb.Merges(t.Sheet); err != nil { // found by Rows: no second pass
			return damaged(t.File+"["+t.Sheet+"]", err)
		}
	}
	return nil
}

// Full returns the table with every row in Rows: t itself when complete, else the whole sheet
// read into memory (for the layouts that look at whole columns, such as sign-in matrices).
func (t *Table) Full() (Table, error) {
	if t.lazy == nil {
		return *t, nil
	}
	full := *t
	full.lazy = nil
	full.Rows = [][]string{}
	err := t.Each(0, func(i int, cells []string) error {
		for len(full.Rows) < i {
			full.Rows = append(full.Rows, nil)
		}
		full.Rows = append(full.Rows, append([]string(nil), cells...))
		return nil
	})
	if err != nil {
		return Table{}, err
	}
	if t.lazy.late && !t.lazy.csv {
		full.Merges = t.lazy.merges
	}
	full.fill()
	return full, nil
}

// filler fills merged ranges into streamed rows: a sweep over the ranges by their first row.
type filler struct {
	t      *Table
	todo   []Range // not yet begun, by R0
	active []activeRange
	buf    []string
}

type activeRange struct {
	Range
	v string
}

func newFiller(t *Table, from int) *filler {
	var todo []Range
	for _, m := range t.Merges {
		if m.R1 >= from && m.R0 <= m.R1 && m.C0 <= m.C1 {
			todo = append(todo, m)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	slices.SortStableFunc(todo, func(a, b Range) int { return a.R0 - b.R0 })
	return &filler{t: t, todo: todo}
}

// fill returns row i's cells with the ranges that cover it filled with their top-left value.
func (f *filler) fill(i int, cells []string) []string {
	for len(f.todo) > 0 && f.todo[0].R0 <= i {
		m := f.todo[0]
		f.todo = f.todo[1:]
		a := activeRange{Range: m}
		switch {
		case m.R0 == i:
			if m.C0 < len(cells) {
				a.v = cells[m.C0]
			}
		case m.R0 < len(f.t.Rows) && m.C0 < len(f.t.Rows[m.R0]):
			a.v = f.t.Rows[m.R0][m.C0]
		}
		f.active = append(f.active, a)
	}
	live := f.active[:0]
	for _, a := range f.active {
		if a.R1 >= i {
			live = append(live, a)
		}
	}
	f.active = live
	if len(live) == 0 {
		return cells
	}
	f.buf = append(f.buf[:0], cells...)
	for _, a := range live {
		if a.R0 == i && a.C0 < len(cells) {
			a.v = cells[a.C0]
		}
		for len(f.buf) <= a.C1 {
			f.buf = append(f.buf, "")
		}
		for c := a.C0; c <= a.C1; c++ {
			f.buf[c] = a.v
		}
	}
	return f.buf
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
//
// A worksheet over StreamThreshold is not kept: its Table holds its first HeadRows rows, read
// without looking for the sheet's merged ranges (stored after all its rows, finding them costs
// a pass over the whole sheet); Each finds them at the end of its pass (LateMerges).
// ReadMerged reads the ranges first.
func Read(path string) ([]Table, []Skipped, error) { return read(path, false) }

// ReadMerged is Read that, for a streamed sheet, finds the merged ranges before reading its
// first rows (one more pass over the sheet), so that Rows and Each are filled from them.
func ReadMerged(path string) ([]Table, []Skipped, error) { return read(path, true) }

func read(path string, mergesFirst bool) ([]Table, []Skipped, error) {
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
		return readXLSX(path, name, mergesFirst)
	case kindCFB:
		pkg, err := checkCFB(f, name)
		if err != nil {
			return nil, nil, err
		}
		if pkg {
			return readEncryptedXLSX(path, name, info.Size(), mergesFirst)
		}
		return readXLS(path, name, info.Size())
	}
	read := readCSV
	if info.Size() > StreamThreshold {
		read = readCSVLazy
	}
	t, err := read(path, name)
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
	t := Table{File: name, Rows: rows}
	if hasControl(data) { // a NUL anywhere, not only in the first bytes sniffed
		if err := controlCell(name, func(fn func(int, []string) error) error { return t.Each(0, fn) }); err != nil {
			return Table{}, err
		}
	}
	return t, nil
}

// readXLSX reads a workbook with the streaming reader, or with excelize when the streaming
// reader fails (a structure it does not understand, or a damaged file: excelize then gives
// today's message).
func readXLSX(path, name string, mergesFirst bool) ([]Table, []Skipped, error) {
	deadline := time.Now().Add(xlsxTimeLimit)
	tables, skipped, err := readXLSXStream(path, name, mergesFirst, deadline)
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
	return readXLSXExcelizeUntil(path, name, deadline)
}

// readXLSXExcelizeUntil is readXLSXExcelize with a deadline: excelize cannot be stopped, so it
// reads in a goroutine that is left to finish (its temporary files are removed then) when
// the deadline passes first.
func readXLSXExcelizeUntil(path, name string, deadline time.Time) ([]Table, []Skipped, error) {
	type result struct {
		tables  []Table
		skipped []Skipped
		err     error
	}
	done := make(chan result, 1)
	go func() {
		t, s, err := readXLSXExcelize(path, name)
		done <- result{t, s, err}
	}()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case r := <-done:
		return r.tables, r.skipped, r.err
	case <-timer.C:
		return nil, nil, &LimitError{name + ": " + errTimeLimit().Error()} // a limit, as the streaming reader's
	}
}

// unzipXMLLimit is the size of a part above which excelize keeps it in a temporary file (a
// variable so that tests can make excelize use them on small files).
var unzipXMLLimit int64 = 16 << 20

// onExcelizeOpen, when set (by tests), is called when excelize has opened a workbook, with its
// temporary folder.
var onExcelizeOpen func(tmpDir string)

// onFallback, when set (by tests), is told why Read fell back to excelize for a workbook.
var onFallback func(path string, reason error)

// readXLSXStream reads every visible sheet with the streaming reader.
func readXLSXStream(path, name string, mergesFirst bool, deadline time.Time) ([]Table, []Skipped, error) {
	wb, err := OpenXLSX(path)
	if err != nil {
		return nil, nil, err
	}
	defer wb.Close()
	wb.deadline = deadline
	return workbookTables(wb, path, name, mergesFirst)
}

// workbookTables reads every visible sheet of an open workbook; one in memory (path "") is
// read whole, never lazily.
func workbookTables(wb *Workbook, path, name string, mergesFirst bool) ([]Table, []Skipped, error) {
	var tables []Table
	var skipped []Skipped
	// A limit met in a sheet names the sheet.
	inSheet := func(sheet string, err error) error {
		var limit *sheetLimitError
		if errors.As(err, &limit) {
			return &LimitError{name + "[" + sheet + "]: " + limit.msg}
		}
		return err
	}
	for i, sh := range wb.Sheets() {
		if sh.Hidden {
			skipped = append(skipped, Skipped{Sheet: sh.Name, Reason: "隐藏的工作表，已跳过"})
			continue
		}
		if k := wb.kinds[i]; k != kindWorksheet {
			skipped = append(skipped, Skipped{Sheet: sh.Name, Reason: k.skipReason()})
			continue
		}
		if part, err := wb.sheetPart(sh.Name); path != "" && err == nil && wb.files[part] != nil && int64(wb.files[part].UncompressedSize64) > StreamThreshold {
			head, merges, found, err := wb.Head(sh.Name, HeadRows, mergesFirst)
			if err != nil {
				return nil, nil, inSheet(sh.Name, err)
			}
			t := Table{File: name, Sheet: sh.Name, Rows: head, Date1904: wb.Date1904(), Merges: merges, lazy: &lazySheet{path: path, late: !found}}
			t.fill()
			tables = append(tables, t)
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
			return nil, nil, inSheet(sh.Name, err)
		}
		merges, err := wb.Merges(sh.Name)
		if err != nil {
			return nil, nil, inSheet(sh.Name, err)
		}
		t := Table{File: name, Sheet: sh.Name, Rows: rows, Date1904: wb.Date1904(), Merges: merges}
		t.fill()
		tables = append(tables, t)
	}
	return tables, skipped, nil
}

// readXLSXExcelize reads every visible sheet with excelize.
func readXLSXExcelize(path, name string) ([]Table, []Skipped, error) {
	tmp, removeTmp, err := privateTmpDir()
	if err != nil {
		return nil, nil, errTmpDir(name, err)
	}
	defer removeTmp()
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: unzipXMLLimit, TmpDir: tmp})
	if err != nil {
		return nil, nil, damaged(name, err)
	}
	defer f.Close()
	if onExcelizeOpen != nil {
		onExcelizeOpen(tmp)
	}
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
		isoDates(f, sh, rows, date1904)
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

// isoDates gives the cells typed as ISO dates (t="d") as their serials, as the streaming reader
// does. Only values that may be such a date are asked for their type.
func isoDates(f *excelize.File, sheet string, rows [][]string, date1904 bool) {
	for i, row := range rows {
		for j, v := range row {
			if len(v) < 10 || v[4] != '-' {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				continue
			}
			if typ, err := f.GetCellType(sheet, cell); err == nil && typ == excelize.CellTypeDate {
				if serial, ok := isoSerial([]byte(v), date1904); ok {
					row[j] = serial
				}
			}
		}
	}
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
