package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fixedTime is written as the workbooks' creation and modification time, so
// that every run gives the same bytes.
const fixedTime = "2023-01-06T09:00:00Z"

// table is one sheet: a title merged across the columns above the header,
// then the rows. Cells are nil (left empty), string, int, float64 or
// time.Time (a real Excel date cell, shown with dateFormat).
type table struct {
	sheet      string
	title      string
	header     []string
	rows       [][]any
	dateFormat string // Excel number format of date cells
}

// writeXLSX writes the tables as the sheets of one workbook.
func writeXLSX(path string, tables ...table) error {
	f := excelize.NewFile()
	defer f.Close()
	err := f.SetDocProps(&excelize.DocProperties{
		Creator:        unitName + "党委办公室",
		LastModifiedBy: unitName + "党委办公室",
		Created:        fixedTime,
		Modified:       fixedTime,
		Language:       "zh-CN",
	})
	if err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.sheet)
		} else {
			_, err = f.NewSheet(t.sheet)
		}
		if err != nil {
			return err
		}
		if err := writeTable(f, st, t); err != nil {
			return fmt.Errorf("%s[%s]: %w", filepath.Base(path), t.sheet, err)
		}
	}
	f.SetActiveSheet(0)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// styleSet holds a workbook's cell styles; date styles are made on first
// use, one per number format.
type styleSet struct {
	f                   *excelize.File
	border              []excelize.Border
	title, header, body int
	dates               map[string]int
}

func newStyles(f *excelize.File) (*styleSet, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	s := &styleSet{f: f, border: border, dates: map[string]int{}}
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 16, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return nil, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 11, Family: "宋体"},
		Alignment: center,
		Border:    border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
	}); err != nil {
		return nil, err
	}
	if s.body, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Size: 11, Family: "宋体"},
		Alignment: &excelize.Alignment{Vertical: "center"},
		Border:    border,
	}); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *styleSet) date(format string) (int, error) {
	if id, ok := s.dates[format]; ok {
		return id, nil
	}
	id, err := s.f.NewStyle(&excelize.Style{
		Font:         &excelize.Font{Size: 11, Family: "宋体"},
		Alignment:    &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		Border:       s.border,
		CustomNumFmt: &format,
	})
	s.dates[format] = id
	return id, err
}

func writeTable(f *excelize.File, st *styleSet, t table) error {
	sh := t.sheet
	last, _ := excelize.ColumnNumberToName(len(t.header))
	lastRow := len(t.rows) + 2
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}

	// Title row, merged across the columns.
	if err := f.SetCellStr(sh, "A1", t.title); err != nil {
		return err
	}
	if err := f.MergeCell(sh, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", last+"1", st.title); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 1, 30); err != nil {
		return err
	}

	// Header row.
	widths := make([]int, len(t.header))
	tall := false
	for i, h := range t.header {
		if err := f.SetCellStr(sh, cell(i+1, 2), h); err != nil {
			return err
		}
		for line := range strings.SplitSeq(h, "\n") {
			widths[i] = max(widths[i], displayWidth(line))
		}
		tall = tall || strings.Contains(h, "\n")
	}
	if err := f.SetCellStyle(sh, "A2", last+"2", st.header); err != nil {
		return err
	}
	if tall {
		if err := f.SetRowHeight(sh, 2, 32); err != nil {
			return err
		}
	}

	// Body.
	if len(t.rows) > 0 {
		if err := f.SetCellStyle(sh, "A3", cell(len(t.header), lastRow), st.body); err != nil {
			return err
		}
	}
	dateCols := map[int]bool{}
	for r, row := range t.rows {
		for c, v := range row {
			ref := cell(c+1, r+3)
			var err error
			switch v := v.(type) {
			case nil:
			case string:
				err = f.SetCellStr(sh, ref, v)
				widths[c] = max(widths[c], displayWidth(v))
			case int:
				err = f.SetCellInt(sh, ref, int64(v))
				widths[c] = max(widths[c], len(fmt.Sprint(v)))
			case float64:
				err = f.SetCellFloat(sh, ref, v, -1, 64)
				widths[c] = max(widths[c], len(fmt.Sprint(v)))
			case time.Time:
				err = f.SetCellFloat(sh, ref, excelSerial(v), -1, 64)
				widths[c] = max(widths[c], 10)
				dateCols[c] = true
			default:
				err = fmt.Errorf("cell %s: unsupported %T", ref, v)
			}
			if err != nil {
				return err
			}
		}
	}
	for c := range len(t.header) {
		if dateCols[c] {
			id, err := st.date(t.dateFormat)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sh, cell(c+1, 3), cell(c+1, lastRow), id); err != nil {
				return err
			}
		}
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sh, col, col, float64(min(widths[c]+3, 48))); err != nil {
			return err
		}
	}
	return nil
}

// excelSerial is the Excel (1900 system) serial number of a day.
func excelSerial(t time.Time) float64 {
	return t.Sub(date(1899, 12, 30)).Hours() / 24
}

// displayWidth counts a CJK character as two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// csvEncoding is how a CSV file is written.
type csvEncoding int

const (
	utf8BOM csvEncoding = iota // UTF-8 with a byte-order mark, LF
	gb18030                    // GB18030 without a BOM, CRLF (as Excel/WPS save it)
)

func writeCSV(path string, enc csvEncoding, rows [][]string) error {
	var buf bytes.Buffer
	if enc == utf8BOM {
		buf.WriteString("\uFEFF")
	}
	w := csv.NewWriter(&buf)
	w.UseCRLF = enc == gb18030
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	data := buf.Bytes()
	if enc == gb18030 {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
