package bigxlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

func part(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s: no %s", path, name)
	return nil
}

// The attendance workbook reads back as intended: title merged, header, strings shared (no
// inline strings), dates as serials; the same options give the same bytes.
func TestWriteAttendance(t *testing.T) {
	dir := t.TempDir()
	o := Options{Rows: 500, Members: 30}
	p1, p2 := filepath.Join(dir, "a.xlsx"), filepath.Join(dir, "b.xlsx")
	for _, p := range []string{p1, p2} {
		if err := WriteAttendance(p, o); err != nil {
			t.Fatal(err)
		}
	}
	b1, _ := os.ReadFile(p1)
	b2, _ := os.ReadFile(p2)
	if !bytes.Equal(b1, b2) {
		t.Error("two runs with the same options differ")
	}
	sheet := part(t, p1, "xl/worksheets/sheet1.xml")
	if bytes.Contains(sheet, []byte("inlineStr")) || !bytes.Contains(sheet, []byte(`t="s"`)) {
		t.Error("string cells are not shared strings")
	}
	f, err := excelize.OpenFile(p1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(AttendanceSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != o.Rows+2 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0][0] != Title(2022) || len(rows[1]) != 7 || rows[1][4] != "活动日期" {
		t.Errorf("title/header: %q %q", rows[0], rows[1])
	}
	m := MemberAt(1)
	if r := rows[2+31]; r[0] != m.ID || r[1] != m.Name || r[2] != m.Branch || r[3] != "支委会" || r[4] != "44573" {
		t.Errorf("row 34: %q", r) // member 1 at the second activity, 2022-01-12
	}
	if mc, _ := f.GetMergeCells(AttendanceSheet, true); len(mc) != 1 || mc[0][0] != "A1:G1" {
		t.Errorf("merges %v", mc)
	}
	style, _ := f.GetCellStyle(AttendanceSheet, "E3")
	if v, _ := f.GetCellValue(AttendanceSheet, "E3"); v != "2022-01-01" {
		t.Errorf("E3 formatted %q (style %d)", v, style)
	}
}

// With Inline, the same cells are written as inline strings.
func TestWriteAttendanceInline(t *testing.T) {
	dir := t.TempDir()
	o := Options{Rows: 500, Members: 30}
	shared, inline := filepath.Join(dir, "s.xlsx"), filepath.Join(dir, "i.xlsx")
	if err := WriteAttendance(shared, o); err != nil {
		t.Fatal(err)
	}
	o.Inline = true
	if err := WriteAttendance(inline, o); err != nil {
		t.Fatal(err)
	}
	sheet := part(t, inline, "xl/worksheets/sheet1.xml")
	if !bytes.Contains(sheet, []byte(`t="inlineStr"><is><t>`)) || bytes.Contains(sheet, []byte(`t="s"`)) {
		t.Error("string cells are not inline strings")
	}
	var got [2][][]string
	for i, p := range []string{shared, inline} {
		f, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got[i], err = f.GetRows(AttendanceSheet, excelize.Options{RawCellValue: true})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got[0], got[1]) || len(got[1]) != o.Rows+2 {
		t.Errorf("inline rows differ from shared ones (%d rows)", len(got[1]))
	}
}

func TestWriteRoster(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.xlsx")
	if err := WriteRoster(p, Options{Members: 100}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(RosterSheet, excelize.Options{RawCellValue: true})
	if len(rows) != 101 || rows[0][0] != "党员编号" || rows[1][4] != "支部书记" {
		t.Fatalf("%d rows: %q %q", len(rows), rows[0], rows[1])
	}
	names := map[string]bool{}
	for _, r := range rows[1:] {
		key := r[2] + r[1]
		if names[key] {
			t.Errorf("%s twice in %s", r[1], r[2])
		}
		names[key] = true
	}
}

// Names stay unique for many members (across the whole unit, not just within a 党支部).
func TestMemberNamesUnique(t *testing.T) {
	seen := map[string]int{}
	for i := range 100000 {
		m := MemberAt(i)
		if j, ok := seen[m.Name]; ok {
			t.Fatalf("members %d and %d are both %s", j, i, m.Name)
		}
		seen[m.Name] = i
	}
}
