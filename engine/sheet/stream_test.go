package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/internal/sharedtest"
)

// xlsxFixtures lists every .xlsx file the tests have: engine/*/testdata, datasets/demo and
// ../shared/real (next to the repository, in CI too).
func xlsxFixtures(t *testing.T) []string {
	t.Helper()
	var files []string
	real := "../../../shared/real"
	if _, err := os.Stat(real); err != nil {
		if sharedtest.Required() {
			t.Fatalf("JIFEN_REQUIRE_SHARED=1，但 ../shared/real 不存在：%v", err)
		}
		t.Logf("../shared/real 不存在：只读本仓库的 .xlsx（%v）", err)
	}
	for _, pat := range []string{"../*/testdata/*.xlsx", real + "/*.xlsx"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			// The quirk corpus differs from excelize on purpose (TestQuirks).
			if !strings.HasPrefix(filepath.Base(f), "quirk_") {
				files = append(files, f)
			}
		}
	}
	err := filepath.WalkDir("../../datasets/demo", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xlsx") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// refusedFixtures are the fixtures the streaming reader refuses (Read reads them with
// excelize), with a word of the reason.
var refusedFixtures = map[string]string{
	"xml_fallback_encoding.xlsx": `encoding="GB18030"`,
	"xml_fallback_bad_ref.xlsx":  `cell reference "1A"`,
	"renamed_docx.xlsx":          "is not <workbook>",
}

// bookView is what a reader gives of a workbook.
type bookView struct {
	Sheets   []SheetInfo
	Date1904 bool
	Rows     [][][]string // by sheet
	Merges   [][]Range
	Errs     []string // by sheet: why it could not be read ("" if it could)
}

func excelizeView(path string) (*bookView, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v := &bookView{}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		v.Date1904 = *props.Date1904
	}
	for _, sh := range f.GetSheetList() {
		visible, _ := f.GetSheetVisible(sh)
		v.Sheets = append(v.Sheets, SheetInfo{Name: sh, Hidden: !visible})
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		// The one deliberate difference: ISO dates (t="d") as serials, as other dates.
		isoDates(f, sh, rows, v.Date1904)
		var merges []Range
		if err == nil {
			var mc []excelize.MergeCell
			mc, err = f.GetMergeCells(sh, true)
			for _, m := range mc {
				c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
				c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
				if err1 == nil && err2 == nil {
					merges = append(merges, Range{R0: r0 - 1, C0: c0 - 1, R1: r1 - 1, C1: c1 - 1})
				}
			}
		}
		v.Rows = append(v.Rows, rows)
		v.Merges = append(v.Merges, merges)
		v.Errs = append(v.Errs, errText(err))
	}
	return v, nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// streamView reads a workbook with the streaming reader: the merges before the rows (the
// quick pass), then the rows, then the merges again (collected by Rows).
func streamView(t *testing.T, path string) (*bookView, error) {
	wb, err := OpenXLSX(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	v := &bookView{Sheets: wb.Sheets(), Date1904: wb.Date1904()}
	for _, sh := range v.Sheets {
		first, err := wb.Merges(sh.Name)
		if err != nil {
			return nil, err
		}
		// A fresh workbook, so that Merges above is not the cached result of Rows.
		wb2, err := OpenXLSX(path)
		if err != nil {
			return nil, err
		}
		rows := [][]string{}
		err = wb2.Rows(sh.Name, func(i int, cells []string) error {
			if i < len(rows) {
				return fmt.Errorf("row %d after row %d", i+1, len(rows))
			}
			for len(rows) < i {
				rows = append(rows, nil)
			}
			rows = append(rows, slices.Clone(cells))
			return nil
		})
		if err != nil {
			wb2.Close()
			return nil, err
		}
		after, err := wb2.Merges(sh.Name)
		wb2.Close()
		if err != nil {
			return nil, err
		}
		if !reflect.DeepEqual(first, after) {
			t.Errorf("%s[%s]: merges before rows %v, after %v", path, sh.Name, first, after)
		}
		v.Rows = append(v.Rows, rows)
		v.Merges = append(v.Merges, after)
		v.Errs = append(v.Errs, "")
	}
	return v, nil
}

func isZIP(t *testing.T, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], magicZIP)
}

// TestStreamMatchesExcelize: on every .xlsx fixture, the streaming reader gives exactly what
// excelize gives (GetRows with RawCellValue, GetMergeCells, the sheets, their visibility,
// the date system), or refuses the file (only the fixtures made to be refused); and Read
// gives the same tables as the excelize path it replaced.
func TestStreamMatchesExcelize(t *testing.T) {
	files := xlsxFixtures(t)
	if len(files) < 40 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	compared, sheets, rows, refused := 0, 0, 0, 0
	for _, path := range files {
		if !isZIP(t, path) {
			continue // .xls renamed, encrypted, empty: not a ZIP, not this reader's
		}
		name := filepath.Base(path)
		want, wantErr := excelizeView(path)
		got, gotErr := streamView(t, path)
		var ue *UnsupportedError
		if gotErr != nil {
			if reason, ok := refusedFixtures[name]; !ok || !errors.As(gotErr, &ue) || !strings.Contains(ue.Reason, reason) {
				t.Errorf("%s: streaming reader: %v (excelize: %v)", path, gotErr, wantErr)
				continue
			}
			refused++
		} else {
			if _, ok := refusedFixtures[name]; ok {
				t.Errorf("%s: read, but should be refused", path)
			}
			if wantErr != nil {
				t.Errorf("%s: excelize fails (%v), the streaming reader does not", path, wantErr)
				continue
			}
			for i, e := range want.Errs {
				if e != "" {
					t.Errorf("%s[%s]: excelize fails (%s), the streaming reader does not", path, want.Sheets[i].Name, e)
				}
			}
			if !reflect.DeepEqual(got.Sheets, want.Sheets) || got.Date1904 != want.Date1904 {
				t.Errorf("%s: sheets %v 1904 %v, excelize %v %v", path, got.Sheets, got.Date1904, want.Sheets, want.Date1904)
				continue
			}
			for i := range want.Sheets {
				if !reflect.DeepEqual(got.Rows[i], want.Rows[i]) {
					t.Errorf("%s[%s]: rows\n got %q\nwant %q", path, want.Sheets[i].Name, got.Rows[i], want.Rows[i])
				}
				if !reflect.DeepEqual(got.Merges[i], want.Merges[i]) {
					t.Errorf("%s[%s]: merges %v, excelize %v", path, want.Sheets[i].Name, got.Merges[i], want.Merges[i])
				}
				sheets++
				rows += len(want.Rows[i])
			}
			compared++
		}
		checkReadSame(t, path)
	}
	t.Logf("%d workbooks (%d sheets, %d rows) equal to excelize's; %d refused as expected", compared, sheets, rows, refused)
	if refused != len(refusedFixtures) {
		t.Errorf("%d fixtures refused, want %d", refused, len(refusedFixtures))
	}
}

// checkReadSame: Read (streaming, with the fallback) and the old excelize path give the same
// tables, skipped sheets and error.
func checkReadSame(t *testing.T, path string) {
	t.Helper()
	name := filepath.Base(path)
	var fellBack error
	onFallback = func(_ string, err error) { fellBack = err }
	defer func() { onFallback = nil }()
	got, gotSkipped, gotErr := readXLSX(path, name, false)
	want, wantSkipped, wantErr := readXLSXExcelize(path, name)
	if errText(gotErr) != errText(wantErr) {
		t.Errorf("%s: Read error %v, excelize %v", path, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotSkipped, wantSkipped) {
		t.Errorf("%s: Read gives\n%+v %v\nexcelize\n%+v %v", path, got, gotSkipped, want, wantSkipped)
	}
	if _, refused := refusedFixtures[name]; refused != (fellBack != nil) {
		t.Errorf("%s: fell back to excelize: %v", path, fellBack)
	}
}

// The scanner gives the same result whatever the input's chunks: every chunk size from 1 to
// 64 bytes, on the sheets and shared strings of the hand-made fixtures and on a document
// with every construct in it.
func TestChunkBoundaries(t *testing.T) {
	docs := map[string][]byte{"torture": []byte(tortureSheet)}
	files, _ := filepath.Glob("testdata/xml_*.xlsx")
	for _, path := range files {
		if strings.Contains(path, "fallback") {
			continue
		}
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") || f.Name == "xl/sharedStrings.xml" {
				rc, _ := f.Open()
				data, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				docs[filepath.Base(path)+":"+f.Name] = data
			}
		}
		zr.Close()
	}
	for name, data := range docs {
		read := readDoc
		if strings.HasSuffix(name, "sharedStrings.xml") {
			read = readSSTDoc
		}
		want := read(data, 0)
		if strings.HasPrefix(want, "error") {
			t.Fatalf("%s: %s", name, want)
		}
		for size := 1; size <= 64; size++ {
			if got := read(data, size); got != want {
				t.Fatalf("%s in chunks of %d:\n got %s\nwant %s", name, size, got, want)
			}
		}
	}
}

// readDoc reads a worksheet document given in chunks of size bytes and prints what it gives.
func readDoc(data []byte, size int) string {
	sst := []string{"零", "一", "二"}
	var b strings.Builder
	r := &sheetReader{s: newScanner(&bytesSource{data: data, size: size}), part: "test", sst: sst,
		fn: func(i int, cells []string) error {
			fmt.Fprintf(&b, "%d:%q\n", i, cells)
			return nil
		}}
	if err := r.run(); err != nil {
		return "error " + err.Error()
	}
	fmt.Fprintf(&b, "merges %q", r.mergeRefs)
	return b.String()
}

func readSSTDoc(data []byte, size int) string {
	sst, err := parseSST(&bytesSource{data: data, size: size}, "test")
	if err != nil {
		return "error " + err.Error()
	}
	return fmt.Sprintf("%q", sst)
}

// tortureSheet has, close together, everything the scanner must handle across chunk
// boundaries: entities and character references in text and attributes, CDATA, comments,
// processing instructions, prefixes, whitespace, self-closing tags, quotes of both kinds,
// multi-byte UTF-8 and _xHHHH_ escapes.
const tortureSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- a comment - with a dash -->` + "\r\n" + `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
 <x:dimension ref="A1:Z9"/><x:sheetData>
  <x:row r="1" spans="1:5"><x:c r="A1" t="s"><x:v>1</x:v></x:c><x:c r='B1' t='inlineStr'><x:is><x:t xml:space="preserve"> &lt;党&amp;员&gt; &#x4E2D;&#20013; </x:t></x:is></x:c><x:c r="C1" t="str"><x:f>A1&amp;"&quot;"</x:f><x:v>一"</x:v></x:c></x:row>
  <x:row><x:c t="s"><x:v>2</x:v></x:c><x:c/><x:c><x:v><![CDATA[<&>]]></x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr/><x:t>文本_x0041_</x:t></x:r></x:is></x:c></x:row>
  <?pi x?><x:row r="5"><x:c r="Z5" t="b"><x:v>1</x:v></x:c></x:row>
  <row r="6"><c r="A6" s="3" t="s"><v>0</v></c><c r="B6" s="3"><v>44625.5</v></c><c r="C6" t="e"><v>#N/A</v></c><c r="D6"><v>a&#13;&#10;b` + "\r\nc\r" + `</v></c></row>
  <row r="7"><c r="A7"><v>7</v></c></row><row r="8" /><row r="9"><c r="B9" t="s"><v>9</v></c><c r="C9"><f>1</f></c></row>
 </x:sheetData>
 <x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref='A6:A7'/></x:mergeCells>
</x:worksheet>
`

// Documents the scanner must refuse, as encoding/xml (and so excelize) would.
func TestScannerRefuses(t *testing.T) {
	head := `<worksheet xmlns="` + nsMain + `"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`
	tail := `</t></is></c></row></sheetData></worksheet>`
	for _, c := range []struct{ text, why string }{
		{"&nbsp;", "invalid character entity &nbsp;"},
		{"a & b", "invalid character entity &"},
		{"&#0;", "illegal character code U+0000"},
		{"\x01", "illegal character code U+0001"},
		{"\xff", "invalid UTF-8"},
		{"]]>", "unescaped ]]> not in CDATA section"},
		{"&#x110000;", "invalid character entity"},
	} {
		got := readDoc([]byte(head+c.text+tail), 0)
		if !strings.Contains(got, c.why) {
			t.Errorf("%q: %s, want %s", c.text, got, c.why)
		}
	}
	for _, c := range []struct{ doc, why string }{
		{`<!DOCTYPE worksheet><worksheet/>`, "markup <!DOCTYPE"},
		{`<?xml version="1.0" encoding="GBK"?><worksheet/>`, `encoding="GBK"`},
		{`<worksheet xmlns="` + nsMain + `"><sheetData></row></sheetData></worksheet>`, "closed by </row>"},
		{`<worksheet xmlns="` + nsMain + `"><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>`, "row 1 after row 2"},
		{`<worksheet xmlns="` + nsMain + `"><sheetData><row><c r="A1" s="x"/></row></sheetData></worksheet>`, "style is not a number"},
		{`<worksheet xmlns="` + nsMain + `"><sheetData><row><c r="A1" t=s/></row></sheetData></worksheet>`, "unquoted"},
		{`<worksheet xmlns="` + nsMain + `"><sheetData><row>`, "unexpected EOF"},
		{`<worksheet><sheetData/></worksheet>`, "is not <worksheet> of SpreadsheetML"},
		// Numbered past Excel's last row (1,048,576): refused as too long, not as damaged.
		{`<worksheet xmlns="` + nsMain + `"><sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData></worksheet>`, "文件已损坏：第 1048577 行超出了 Excel 的 1048576 行上限"},
	} {
		if got := readDoc([]byte(c.doc), 0); !strings.Contains(got, c.why) {
			t.Errorf("%s: %s, want %s", c.doc, got, c.why)
		}
	}
}

func TestBstrUnmarshal(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"_x0041_":               "A",
		"_x005F_x0041_":         "_x0041_",
		"a_x000D_b":             "a\rb",
		"_xD800_x":              "x",
		"_x12_ _xZZZZ_":         "_x12_ _xZZZZ_",
		"_x0041__x0042_":        "AB",
		"_x4e2d_文":              "中文",
		"__x0041_":              "_A",
		"_x0041":                "_x0041",
		"end _x005f_":           "end _",
		"_x0022__x005C__x0000_": "\"\\\x00",
	} {
		if got := bstrUnmarshal(in); got != want {
			t.Errorf("bstrUnmarshal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRowsStopsOnError(t *testing.T) {
	wb, err := OpenXLSX(filepath.Join(td, "xml_no_r.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	stop := errors.New("stop")
	n := 0
	err = wb.Rows("无引用", func(int, []string) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Rows: %v after %d rows, want stop after 1", err, n)
	}
	if _, err := wb.Merges("没有这张表"); err == nil {
		t.Error("Merges of a missing sheet: no error")
	}
}

// Rows of several sheets may be read at once (run with -race).
func TestRowsConcurrent(t *testing.T) {
	wb, err := OpenXLSX(filepath.Join(td, "xml_hidden_sheets.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheets := wb.Sheets()
	errs := make(chan error, len(sheets))
	for _, sh := range sheets {
		go func() {
			n := 0
			err := wb.Rows(sh.Name, func(int, []string) error { n++; return nil })
			if err == nil && n != 1 {
				err = fmt.Errorf("%s: %d rows", sh.Name, n)
			}
			if err == nil {
				_, err = wb.Merges(sh.Name)
			}
			errs <- err
		}()
	}
	for range sheets {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestStreamRandom compares the streaming reader with excelize on randomly made worksheets:
// rows and cells with and without references, gaps, cells out of order, every cell type,
// shared-string indexes in and out of range, inline and rich text, entities, CR LF, _xHHHH_
// escapes, formulas with and without values, whitespace, prefixes and merged ranges.
func TestStreamRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	dir := t.TempDir()
	texts := []string{"", " ", "党员", "a&amp;b", "&lt;x&gt;", "&#20013;&#x6587;", "x\r\ny", "_x0041_", "_x005F_x0041_",
		"  空格  ", "12", "3.5", "-0", "1E+3", "TRUE", "#N/A", "]", "a'b", "&quot;", "\t", "长" + strings.Repeat("字", 50)}
	pick := func() string { return texts[rng.IntN(len(texts))] }
	for n := range 300 {
		px := ""
		if rng.IntN(4) == 0 {
			px = "x:"
		}
		ws := func() string {
			if rng.IntN(3) == 0 {
				return []string{" ", "\n", "\n  ", "\r\n\t"}[rng.IntN(4)]
			}
			return ""
		}
		var sb strings.Builder
		nsDecl := `xmlns="` + nsMain + `"`
		if px != "" {
			nsDecl = `xmlns:x="` + nsMain + `"`
		}
		sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<" + px + "worksheet " + nsDecl + ">" + ws() + "<" + px + "sheetData>")
		row := 0
		for range rng.IntN(12) {
			gap := rng.IntN(3) * rng.IntN(2)
			row += 1 + gap
			sb.WriteString(ws() + "<" + px + "row")
			if gap > 0 || rng.IntN(4) != 0 {
				fmt.Fprintf(&sb, ` r="%d"`, row) // without r, a row is the one after the last
			}
			if rng.IntN(5) == 0 {
				sb.WriteString("/>")
				continue
			}
			sb.WriteString(">")
			col := 0
			for range rng.IntN(8) {
				col += 1 + rng.IntN(3)*rng.IntN(2)
				c := "<" + px + "c"
				if rng.IntN(4) != 0 {
					ref := col
					if rng.IntN(15) == 0 {
						ref = max(1, col-2) // out of order: excelize appends it
					}
					name, _ := excelize.ColumnNumberToName(ref)
					c += fmt.Sprintf(` r="%s%d"`, name, max(row, 1))
				}
				if rng.IntN(3) == 0 {
					c += fmt.Sprintf(` s="%d"`, rng.IntN(5))
				}
				typ := []string{"", "s", "s", "inlineStr", "str", "b", "e", "n", "d"}[rng.IntN(9)]
				if typ != "" {
					c += ` t="` + typ + `"`
				}
				var content string
				if rng.IntN(5) == 0 {
					content += "<" + px + "f>SUM(A1)</" + px + "f>"
				}
				switch {
				case typ == "s":
					content += "<" + px + "v>" + strconv.Itoa(rng.IntN(8)-1) + "</" + px + "v>"
				case typ == "inlineStr" && rng.IntN(3) != 0:
					if rng.IntN(2) == 0 {
						content += "<" + px + "is><" + px + "t>" + pick() + "</" + px + "t></" + px + "is>"
					} else {
						content += "<" + px + "is><" + px + "r><" + px + "t>" + pick() + "</" + px + "t></" + px + "r><" + px + "r><" + px + "rPr/><" + px + "t>" + pick() + "</" + px + "t></" + px + "r></" + px + "is>"
					}
				case rng.IntN(6) != 0:
					content += "<" + px + "v>" + pick() + "</" + px + "v>"
				}
				if content == "" && rng.IntN(2) == 0 {
					sb.WriteString(ws() + c + "/>")
				} else {
					sb.WriteString(ws() + c + ">" + content + "</" + px + "c>")
				}
			}
			sb.WriteString(ws() + "</" + px + "row>")
		}
		sb.WriteString(ws() + "</" + px + "sheetData>")
		if rng.IntN(2) == 0 {
			sb.WriteString("<" + px + "mergeCells>")
			for range 1 + rng.IntN(3) {
				c0, r0 := 1+rng.IntN(5), 1+rng.IntN(5)
				a, _ := excelize.CoordinatesToCellName(c0, r0)
				b, _ := excelize.CoordinatesToCellName(c0+rng.IntN(3), r0+rng.IntN(3))
				sb.WriteString("<" + px + `mergeCell ref="` + a + ":" + b + `"/>`)
			}
			sb.WriteString("</" + px + "mergeCells>")
		}
		sb.WriteString("</" + px + "worksheet>")

		var sstItems []string
		for i := range 6 {
			if i%3 == 2 {
				sstItems = append(sstItems, "<si><r><t>"+pick()+"</t></r><r><t>"+pick()+"</t></r></si>")
			} else {
				sstItems = append(sstItems, "<si><t>"+pick()+"</t></si>")
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("r%d.xlsx", n))
		writeTestBook(t, path, sb.String(), `<sst xmlns="`+nsMain+`">`+strings.Join(sstItems, "")+`</sst>`)

		want, err := excelizeView(path)
		if err != nil {
			t.Fatalf("%d: excelize: %v", n, err)
		}
		got, err := streamView(t, path)
		if err != nil {
			t.Errorf("%d: %v\n%s", n, err, sb.String())
			continue
		}
		if !reflect.DeepEqual(got.Rows, want.Rows) || !reflect.DeepEqual(got.Merges, want.Merges) {
			t.Errorf("%d:\n got %q %v\nwant %q %v\n%s", n, got.Rows, got.Merges, want.Rows, want.Merges, sb.String())
		}
	}
}

// writeTestBook writes a one-sheet workbook with the given sheet and shared-string XML.
func writeTestBook(t *testing.T, path, sheetXML, sstXML string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + relOfficeDoc + `" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRelID + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsRelID + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheetXML},
		{"xl/sharedStrings.xml", sstXML},
	} {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// Inline strings repeated row after row (xml_inline_repeated.xlsx) read as excelize reads them
// (TestStreamMatchesExcelize), and a text is made a string once: the later rows reuse it,
// also when decoding changes it (kept by its raw text, as openpyxl writes Chinese as
// character references).
func TestInlineStringsReused(t *testing.T) {
	wb, err := OpenXLSX(filepath.Join(td, "xml_inline_repeated.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var rows [][]string
	if err := wb.Rows("Sheet1", func(_ int, cells []string) error {
		rows = append(rows, slices.Clone(cells))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("长文本", 10)
	want := []string{"第1党支部", "A&B <党>", "GY000001", `引号 "双" 'a' "`, "方括号 ] 和\t制表符", " 前后空格 ", "第一行\n第二行", "A列", long}
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if !slices.Equal(r[:len(want)], want) || r[10] != "中文" || r[11] != "第一党支部" {
			t.Errorf("row %d: %q", i+1, r)
		}
		if r[9] != "" || (i < 3) != (len(r) == 13 && r[12] == "12") {
			t.Errorf("row %d: %q", i+1, r)
		}
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	// Columns 0, 2, 4, 5 are read as they are written; 1, 3, 6 are changed by decoding (kept
	// too); 8 is longer than the texts kept (7, with an _xHHHH_ escape, is read by the general
	// path).
	for c, reused := range map[int]bool{0: true, 2: true, 4: true, 5: true, 1: true, 3: true, 6: true, 8: false} {
		if got := same(rows[1][c], rows[3][c]); got != reused {
			t.Errorf("column %d (%q): reused %v, want %v", c, want[c], got, reused)
		}
	}
}

// A long inline text is read whole whatever the chunks (past maxFastInline, by the general
// path), and a short text kept from a long row is a copy, not a part of the row's text.
func TestInlineLongText(t *testing.T) {
	long := strings.Repeat("党", 40000) // 120,000 bytes
	cell := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
	}
	doc := `<worksheet xmlns="` + nsMain + `"><sheetData>` +
		`<row r="1">` + cell("A1", "短") + cell("B1", long) + `</row>` +
		`<row r="2">` + cell("A2", "短") + cell("B2", long) + `</row></sheetData></worksheet>`
	want := fmt.Sprintf("0:%q\n1:%q\nmerges []", []string{"短", long}, []string{"短", long})
	for _, size := range []int{0, 1000, 4096, chunkSize} {
		if got := readDoc([]byte(doc), size); got != want {
			t.Errorf("chunks of %d: got %.200s…", size, got)
		}
	}
	var first string
	r := &sheetReader{s: newScanner(&bytesSource{data: []byte(doc)}), part: "test",
		fn: func(i int, cells []string) error {
			if i == 0 {
				first = cells[0]
			}
			return nil
		}}
	if err := r.run(); err != nil {
		t.Fatal(err)
	}
	kept := r.inline.m["短"]
	if kept != "短" || unsafe.StringData(kept) == unsafe.StringData(first) {
		t.Errorf("kept %q, the row's own text: %v", kept, unsafe.StringData(kept) == unsafe.StringData(first))
	}
}
