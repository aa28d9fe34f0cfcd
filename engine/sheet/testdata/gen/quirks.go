package main

import (
	"archive/zip"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// The quirk corpus (issue 15, item 10): small .xlsx packages written part by part, each with
// one thing real workbooks from other tools have that the reader once refused or misread.
// Go only (no LibreOffice): `go run ./engine/sheet/testdata/gen quirks` writes just these.
// TestQuirks (engine/sheet/quirks_test.go) asserts each file's cells.

const (
	qMain   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	qRels   = "http://schemas.openxmlformats.org/package/2006/relationships"
	qRelID  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	qOffice = qRelID + "/officeDocument"
	qWS     = qRelID + "/worksheet"
	qSST    = qRelID + "/sharedStrings"
	qTypes  = `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`
)

func xlsxQuirks() {
	writeQuirk("quirk_chartsheet.xlsx", chartsheet())
	writeQuirk("quirk_macrosheet.xlsx", macrosheet())
	writeQuirk("quirk_backslash.xlsx", backslash())
	writeQuirk("quirk_other_path.xlsx", otherPath())
	writeQuirk("quirk_iso_dates.xlsx", isoDates(false))
	writeQuirk("quirk_iso_dates_1904.xlsx", isoDates(true))
	writeQuirk("quirk_absurd_row.xlsx", simple("数据", `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="99999999"><c r="A99999999"><v>1</v></c></row>`))
	writeQuirk("quirk_long_sheet_name.xlsx", simple(strings.Repeat("一二三四五六七八九十", 3)+"甲乙", `<row r="1"><c r="A1"><v>1</v></c></row>`))
}

type rel struct{ id, typ, target string }

func rels(rs ...rel) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="` + qRels + `">`)
	for _, r := range rs {
		b.WriteString(`<Relationship Id="` + r.id + `" Type="` + r.typ + `" Target="` + r.target + `"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// workbook lists sheets: name and relationship id, in order.
func workbook(date1904 bool, sheets ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="` + qMain + `" xmlns:r="` + qRelID + `">`)
	if date1904 {
		b.WriteString(`<workbookPr date1904="1"/>`)
	}
	b.WriteString(`<sheets>`)
	for i, s := range sheets {
		b.WriteString(`<sheet name="` + s[0] + `" sheetId="` + string(rune('1'+i)) + `" r:id="` + s[1] + `"/>`)
	}
	b.WriteString(`</sheets></workbook>`)
	return b.String()
}

func worksheet(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="` + qMain + `"><sheetData>` + rows + `</sheetData></worksheet>`
}

// Rows used by several files: 姓名/成绩, 张伟/85.5 (a shared string and a number).
const (
	dataSST  = `<sst xmlns="` + qMain + `"><si><t>姓名</t></si><si><t>成绩</t></si><si><t>张伟</t></si></sst>`
	dataRows = `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>85.5</v></c></row>`
)

// simple is a one-sheet workbook of inline strings and numbers.
func simple(name, rows string) [][2]string {
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{"_rels/.rels", rels(rel{"rId1", qOffice, "xl/workbook.xml"})},
		{"xl/workbook.xml", workbook(false, [2]string{name, "rId1"})},
		{"xl/_rels/workbook.xml.rels", rels(rel{"rId1", qWS, "worksheets/sheet1.xml"})},
		{"xl/worksheets/sheet1.xml", worksheet(rows)},
	}
}

// chartsheet: 数据, a chart sheet 图表1 (chartsheets/sheet1.xml), 合计.
func chartsheet() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{"_rels/.rels", rels(rel{"rId1", qOffice, "xl/workbook.xml"})},
		{"xl/workbook.xml", workbook(false, [2]string{"数据", "rId1"}, [2]string{"图表1", "rId2"}, [2]string{"合计", "rId3"})},
		{"xl/_rels/workbook.xml.rels", rels(rel{"rId1", qWS, "worksheets/sheet1.xml"}, rel{"rId2", qRelID + "/chartsheet", "chartsheets/sheet1.xml"},
			rel{"rId3", qWS, "worksheets/sheet2.xml"}, rel{"rId4", qSST, "sharedStrings.xml"})},
		{"xl/worksheets/sheet1.xml", worksheet(dataRows)},
		{"xl/chartsheets/sheet1.xml", `<chartsheet xmlns="` + qMain + `" xmlns:r="` + qRelID + `"><sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><drawing r:id="rId1"/></chartsheet>`},
		{"xl/chartsheets/_rels/sheet1.xml.rels", rels(rel{"rId1", qRelID + "/drawing", "../drawings/drawing1.xml"})},
		{"xl/worksheets/sheet2.xml", worksheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>人数</t></is></c><c r="B1"><v>1</v></c></row>`)},
		{"xl/sharedStrings.xml", dataSST},
	}
}

// macrosheet: 数据, an Excel 4.0 macro sheet Macro1 (xlMacrosheet) and a dialog sheet Dialog1.
func macrosheet() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{"_rels/.rels", rels(rel{"rId1", qOffice, "xl/workbook.xml"})},
		{"xl/workbook.xml", workbook(false, [2]string{"Macro1", "rId2"}, [2]string{"数据", "rId1"}, [2]string{"Dialog1", "rId3"})},
		{"xl/_rels/workbook.xml.rels", rels(rel{"rId1", qWS, "worksheets/sheet1.xml"},
			rel{"rId2", "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet", "macrosheets/sheet1.xml"},
			rel{"rId3", qRelID + "/dialogsheet", "dialogsheets/sheet1.xml"}, rel{"rId4", qSST, "sharedStrings.xml"})},
		{"xl/worksheets/sheet1.xml", worksheet(dataRows)},
		{"xl/macrosheets/sheet1.xml", `<xm:macrosheet xmlns="` + qMain + `" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>HALT()</f><v>TRUE</v></c></row></sheetData></xm:macrosheet>`},
		{"xl/dialogsheets/sheet1.xml", `<dialogsheet xmlns="` + qMain + `"><sheetPr/></dialogsheet>`},
		{"xl/sharedStrings.xml", dataSST},
	}
}

// backslash: every ZIP entry name with '\' separators (some old writers on Windows).
func backslash() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{`_rels\.rels`, rels(rel{"rId1", qOffice, "xl/workbook.xml"})},
		{`xl\workbook.xml`, workbook(false, [2]string{"数据", "rId1"})},
		{`xl\_rels\workbook.xml.rels`, rels(rel{"rId1", qWS, `worksheets\sheet1.xml`}, rel{"rId2", qSST, "sharedStrings.xml"})},
		{`xl\worksheets\sheet1.xml`, worksheet(dataRows)},
		{`xl\sharedStrings.xml`, dataSST},
	}
}

// otherPath: the workbook at book/main.xml, as _rels/.rels names it (absolute target), its
// sheet and shared strings beside it under other names (relative targets, one with ..).
func otherPath() [][2]string {
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{"_rels/.rels", rels(rel{"rId1", qOffice, "/book/main.xml"})},
		{"book/main.xml", workbook(false, [2]string{"数据", "s1"})},
		{"book/_rels/main.xml.rels", rels(rel{"s1", qWS, "pages/../pages/first.xml"}, rel{"t1", qSST, "../text/strings.xml"})},
		{"book/pages/first.xml", worksheet(dataRows)},
		{"text/strings.xml", dataSST},
	}
}

// isoDates: cells typed t="d" (ISO 8601), through the fast path (<c r t><v>) and the general
// one (another attribute), and two that are no date.
func isoDates(date1904 bool) [][2]string {
	rows := `<row r="1"><c r="A1" t="d"><v>2022-03-15T00:00:00</v></c><c r="B1" t="d"><v>2022-03-20T14:30:00</v></c><c r="C1" t="d"><v>2022-03-05</v></c>` +
		`<c r="D1" t="d"><v>2022-03-05T00:00:00Z</v></c><c r="E1" t="d"><v>昨天</v></c><c r="F1" t="d"><v>2022-02-30</v></c>` +
		`<c r="G1" t="d" cm="1"><v>2022-03-05T12:00:00.000+08:00</v></c></row>`
	if date1904 {
		rows = `<row r="1"><c r="A1" t="d"><v>2022-03-05T00:00:00</v></c></row>`
	}
	return [][2]string{
		{"[Content_Types].xml", qTypes},
		{"_rels/.rels", rels(rel{"rId1", qOffice, "xl/workbook.xml"})},
		{"xl/workbook.xml", workbook(date1904, [2]string{"日期", "rId1"})},
		{"xl/_rels/workbook.xml.rels", rels(rel{"rId1", qWS, "worksheets/sheet1.xml"})},
		{"xl/worksheets/sheet1.xml", worksheet(rows)},
	}
}

// writeQuirk writes a package of parts, in order, with a fixed time (reproducible bytes).
func writeQuirk(name string, parts [][2]string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Deflate})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
