package sheet

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/internal/sharedtest"
)

// Workbooks as other tools write them (issue 15, item 1): each must be read by the streaming
// reader (never the excelize fallback) with exactly these cells. openpyxl, for one, declares
// xmlns:r on each <sheet> of workbook.xml rather than on the root; the reader used to miss the
// sheet's r:id there and fall back to excelize (20× slower, 13× the memory).
//
// The content, worked out by hand: 2022-03-05 and 2022-03-15 are stored as date serials 44625
// and 44635 (days since 1899-12-30); 85.5 and 90 as written; "A&B <党课>" decoded from its
// entities; 王芳's empty 备注 is no cell (trailing blanks are left out).
var writersWant = []Table{
	{Sheet: "3月考勤", Rows: [][]string{
		{"姓名", "活动日期", "成绩", "备注"},
		{"张伟", "44625", "85.5", "A&B <党课>"},
		{"王芳", "44635", "90"},
	}},
	{Sheet: "名册", Rows: [][]string{{"党员编号", "姓名"}, {"D01", "张伟"}}},
}

// writerScript writes the workbook above with openpyxl (normal or write-only mode) or pandas
// (engine openpyxl or xlsxwriter): python3 writer.py KIND OUT.
const writerScript = `
import sys, datetime
kind, out = sys.argv[1], sys.argv[2]
head = ["姓名", "活动日期", "成绩", "备注"]
rows = [["张伟", datetime.datetime(2022, 3, 5), 85.5, "A&B <党课>"],
        ["王芳", datetime.datetime(2022, 3, 15), 90, None]]
roster = [["党员编号", "姓名"], ["D01", "张伟"]]
if kind in ("openpyxl", "openpyxl-writeonly"):
    import openpyxl
    wb = openpyxl.Workbook(write_only=(kind == "openpyxl-writeonly"))
    if kind == "openpyxl":
        ws = wb.active
        ws.title = "3月考勤"
    else:
        ws = wb.create_sheet("3月考勤")
    ws.append(head)
    for r in rows:
        ws.append(r)
    ws2 = wb.create_sheet("名册")
    for r in roster:
        ws2.append(r)
    wb.save(out)
else:
    import pandas as pd
    engine = kind.split("-")[1]
    with pd.ExcelWriter(out, engine=engine) as w:
        pd.DataFrame(rows, columns=head, dtype=object).to_excel(w, sheet_name="3月考勤", index=False)
        pd.DataFrame(roster[1:], columns=roster[0]).to_excel(w, sheet_name="名册", index=False)
`

// python finds /usr/bin/python3 with the given modules, skipping the test (failing in CI)
// without them.
func python(t testing.TB, pkg string, modules ...string) string {
	t.Helper()
	py := sharedtest.Tool(t, "/usr/bin/python3", pkg)
	for _, m := range modules {
		if out, err := exec.Command(py, "-c", "import "+m).CombinedOutput(); err != nil {
			msg := "python3 模块 " + m + " 不可用（Debian 软件包 " + pkg + "，.ci/run 会安装）：" + string(out)
			if sharedtest.Required() {
				t.Fatal("JIFEN_REQUIRE_SHARED=1，但 " + msg)
			}
			t.Skip("跳过：" + msg)
		}
	}
	return py
}

func writeWithPython(t *testing.T, kind, pkg string, modules ...string) string {
	t.Helper()
	py := python(t, pkg, modules...)
	dir := t.TempDir()
	script := filepath.Join(dir, "writer.py")
	if err := os.WriteFile(script, []byte(writerScript), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, kind+".xlsx")
	if b, err := exec.Command(py, script, kind, out).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", kind, err, b)
	}
	return out
}

// writeWithExcelize writes the workbook with excelize's cell setters (shared strings).
func writeWithExcelize(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "3月考勤"); err != nil {
		t.Fatal(err)
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"姓名", "活动日期", "成绩", "备注"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		set("3月考勤", c, h)
	}
	set("3月考勤", "A2", "张伟")
	set("3月考勤", "B2", 44625)
	set("3月考勤", "C2", 85.5)
	set("3月考勤", "D2", "A&B <党课>")
	set("3月考勤", "A3", "王芳")
	set("3月考勤", "B3", 44635)
	set("3月考勤", "C3", 90)
	if err := f.SetCellStyle("3月考勤", "B2", "B3", style); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("名册"); err != nil {
		t.Fatal(err)
	}
	set("名册", "A1", "党员编号")
	set("名册", "B1", "姓名")
	set("名册", "A2", "D01")
	set("名册", "B2", "张伟")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// writeZip writes a package of hand-written parts, in the given order.
func writeZip(t *testing.T, path string, parts [][2]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`

// excelLike is the workbook as Excel 2016 (and WPS, which copies it) writes it: the
// relationships namespace on the root, mc:Ignorable extensions, x14ac:dyDescent on rows,
// spans, shared strings.
func excelLike() [][2]string {
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	return [][2]string{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", decl + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + relOfficeDoc + `" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", decl + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRelID + `" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6" xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="22228"/><workbookPr defaultThemeVersion="166925"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\zz\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent><xr:revisionPtr revIDLastSave="0" documentId="8_{1}" xr6:coauthVersionLast="47" xr6:coauthVersionMax="47" xr10:uidLastSave="{00000000-0000-0000-0000-000000000000}"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840" xr2:uid="{1}"/></bookViews><sheets><sheet name="3月考勤" sheetId="1" r:id="rId1"/><sheet name="名册" sheetId="2" r:id="rId2"/></sheets><calcPr calcId="191029"/></workbook>`},
		{"xl/_rels/workbook.xml.rels", decl + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId3" Type="` + nsRelID + `/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId2" Type="` + nsRelID + `/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="` + nsRelID + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", decl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRelID + `" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xr:uid="{1}"><dimension ref="A1:D3"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="13.5" x14ac:dyDescent="0.15"/><sheetData><row r="1" spans="1:4" x14ac:dyDescent="0.15"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2" spans="1:4" x14ac:dyDescent="0.15"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>44625</v></c><c r="C2"><v>85.5</v></c><c r="D2" t="s"><v>5</v></c></row><row r="3" spans="1:4" x14ac:dyDescent="0.15"><c r="A3" t="s"><v>6</v></c><c r="B3" s="1"><v>44635</v></c><c r="C3"><v>90</v></c><c r="D3" s="2"/></row></sheetData><phoneticPr fontId="1" type="noConversion"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`},
		{"xl/worksheets/sheet2.xml", decl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRelID + `"><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>7</v></c><c r="B1" t="s"><v>0</v></c></row><row r="2" spans="1:2"><c r="A2" t="s"><v>8</v></c><c r="B2" t="s"><v>4</v></c></row></sheetData></worksheet>`},
		{"xl/sharedStrings.xml", decl + `<sst xmlns="` + nsMain + `" count="11" uniqueCount="9"><si><t>姓名</t><phoneticPr fontId="1" type="noConversion"/></si><si><t>活动日期</t></si><si><t>成绩</t></si><si><t>备注</t></si><si><t>张伟</t></si><si><t>A&amp;B &lt;党课&gt;</t></si><si><t>王芳</t></si><si><t>党员编号</t></si><si><t>D01</t></si></sst>`},
	}
}

// prefixedLike is the workbook as the OpenXML SDK (.NET writers) and other generators write
// it: the main namespace under a prefix (x:), declared on the root or lower down; the
// relationships namespace under another prefix, declared on <x:sheets> or on each
// <x:sheet>; the default namespace redeclared inside a prefixed root; prefixed relationships.
func prefixedLike() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", `<pr:Relationships xmlns:pr="` + nsRels + `"><pr:Relationship Id="R1" Type="` + relOfficeDoc + `" Target="/xl/workbook.xml"/></pr:Relationships>`},
		{"xl/workbook.xml", `<x:workbook xmlns:x="` + nsMain + `"><x:sheets xmlns:rel="` + nsRelID + `"><x:sheet name="3月考勤" sheetId="1" rel:id="R1"/><sheet xmlns="` + nsMain + `" xmlns:r2="` + nsRelID + `" name="名册" sheetId="2" r2:id="R2"/></x:sheets></x:workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsRels + `"><Relationship Id="R1" Type="` + nsRelID + `/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="R2" Type="` + nsRelID + `/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="R3" Type="` + nsRelID + `/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<x:worksheet xmlns:x="` + nsMain + `"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="D1" t="s"><x:v>3</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>4</x:v></x:c><x:c r="B2" s="1"><x:v>44625</x:v></x:c><x:c r="C2"><x:v>85.5</x:v></x:c><x:c r="D2" t="inlineStr"><x:is><x:t>A&amp;B &lt;党课&gt;</x:t></x:is></x:c></x:row><row xmlns="` + nsMain + `" r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" s="1"><v>44635</v></c><c r="C3"><v>90</v></c></row></x:sheetData></x:worksheet>`},
		{"xl/worksheets/sheet2.xml", `<worksheet xmlns="` + nsMain + `"><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c><c r="B1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2" t="s"><v>4</v></c></row></sheetData></worksheet>`},
		{"xl/sharedStrings.xml", `<x:sst xmlns:x="` + nsMain + `"><x:si><x:t>姓名</x:t></x:si><x:si><x:t>活动日期</x:t></x:si><x:si><x:t>成绩</x:t></x:si><x:si><x:t>备注</x:t></x:si><x:si><x:t>张伟</x:t></x:si><x:si><x:t>unused</x:t></x:si><x:si><x:t>王芳</x:t></x:si><x:si><x:t>党员编号</x:t></x:si><x:si><x:t>D01</x:t></x:si></x:sst>`},
	}
}

// readFast reads a workbook as Read does and fails the test if it fell back to excelize.
func readFast(t *testing.T, path string) ([]Table, []Skipped) {
	t.Helper()
	var fellBack error
	onFallback = func(_ string, err error) { fellBack = err }
	defer func() { onFallback = nil }()
	tables, skipped, err := Read(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if fellBack != nil {
		t.Fatalf("%s: the streaming reader gave up (%v): Read fell back to excelize", filepath.Base(path), fellBack)
	}
	return tables, skipped
}

func checkWriters(t *testing.T, path string) {
	t.Helper()
	tables, skipped := readFast(t, path)
	want := withFile(writersWant, filepath.Base(path))
	for i := range tables {
		tables[i].Merges = nil
	}
	if !reflect.DeepEqual(tables, want) || len(skipped) != 0 {
		t.Errorf("%s:\n got %+v %v\nwant %+v", filepath.Base(path), tables, skipped, want)
	}
}

func TestWritersTakeFastPath(t *testing.T) {
	for _, kind := range []string{"openpyxl", "openpyxl-writeonly", "pandas-openpyxl"} {
		t.Run(kind, func(t *testing.T) {
			checkWriters(t, writeWithPython(t, kind, "python3-pandas python3-openpyxl", "openpyxl", "pandas"))
		})
	}
	t.Run("pandas-xlsxwriter", func(t *testing.T) {
		checkWriters(t, writeWithPython(t, "pandas-xlsxwriter", "python3-pandas python3-xlsxwriter", "pandas", "xlsxwriter"))
	})
	t.Run("excelize", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "excelize.xlsx")
		writeWithExcelize(t, p)
		checkWriters(t, p)
	})
	t.Run("excel-like", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "excel.xlsx")
		writeZip(t, p, excelLike())
		checkWriters(t, p)
	})
	t.Run("prefixed", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "sdk.xlsx")
		writeZip(t, p, prefixedLike())
		checkWriters(t, p)
	})
	t.Run("libreoffice", func(t *testing.T) {
		soffice := sharedtest.Tool(t, "soffice", "libreoffice-calc-nogui")
		src := filepath.Join(t.TempDir(), "libreoffice.xlsx")
		writeWithExcelize(t, src)
		out := t.TempDir()
		// A profile of its own: another soffice running (a user's, another test's) would
		// otherwise take the conversion or refuse it.
		profile := "file://" + filepath.Join(t.TempDir(), "profile")
		cmd := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "xlsx", "--outdir", out, src)
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
			}
		}()
		b, err := cmd.CombinedOutput()
		close(done)
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		checkWriters(t, filepath.Join(out, "libreoffice.xlsx"))
	})
}
