// Command xmlgen writes the hand-made .xlsx fixtures of the streaming reader's tests
// (engine/sheet/testdata/xml_*.xlsx): each is a few parts of XML written by hand into a ZIP,
// named for the quirk it holds, the way some writer (or a careless one) lays it out. Run it
// from the module root: `go run ./engine/sheet/testdata/xmlgen`. It needs nothing but Go.
// The tests compare what the streaming reader and excelize read from each file; see
// engine/sheet/testdata/README.md.
package main

import (
	"archive/zip"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const dir = "engine/sheet/testdata"

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsR    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	decl   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// sheet is one sheet of a fixture: its name and state in workbook.xml and its XML.
type sheet struct {
	name, state string
	xml         string
}

// book is a fixture.
type book struct {
	file     string
	sheets   []sheet
	sst      string // xl/sharedStrings.xml; "" for none
	wbPr     string // the workbookPr element; "" for none
	workbook string // workbook.xml replacing the generated one
	sstName  string // the shared strings' member name (default xl/sharedStrings.xml)
	sstFirst bool   // write the shared strings before the sheets
}

func main() {
	for _, b := range []book{
		inlineStrings(), inlineRepeated(), richText(), entities(), noRefs(), prefixed(), date1904(),
		longSharedStrings(), emptyRows(), hiddenSheets(), merges(), whitespace(), strict(),
		fallbackEncoding(), fallbackBadRef(),
	} {
		write(b)
	}
}

// ws wraps sheetData content (and what follows it) in a worksheet.
func ws(rows string, after ...string) string {
	return decl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsR + `"><dimension ref="A1"/>` +
		`<sheetData>` + rows + `</sheetData>` + strings.Join(after, "") + `</worksheet>`
}

func sst(items ...string) string {
	return decl + fmt.Sprintf(`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, len(items), len(items)) +
		strings.Join(items, "") + `</sst>`
}

func si(text string) string { return "<si><t>" + text + "</t></si>" }

// inlineStrings: t="inlineStr" cells (excelize's StreamWriter writes these), with xml:space,
// with rich runs, one without <is> but with <v>, next to shared strings.
func inlineStrings() book {
	return book{file: "xml_inline_strings.xlsx", sst: sst(si("共享")), sheets: []sheet{{name: "Sheet1", xml: ws(
		`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> 前后空格 </t></is></c>` +
			`<c r="C1" t="s"><v>0</v></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>第一</t></r><r><t>党支部</t></r></is></c>` +
			`<c r="B2" t="inlineStr"><v>从v读</v></c><c r="C2" t="inlineStr"><is><t></t></is></c><c r="D2" t="inlineStr"><is/></c>` +
			`<c r="E2" t="inlineStr"><is><t>无 xml:space 也保留 </t></is></c></row>` +
			`<row r="3"><c r="B3" s="0" t="inlineStr"><is><t>_x0041_列</t></is></c><c r="C3" t="inlineStr"><is><t>A</t><r><t>B</t></r><t>C</t></is></c></row>`)}}}
}

// inlineRepeated: the same inline strings row after row, as excelize's StreamWriter writes a
// long sheet (the reader keeps each text it reads as is, to reuse it): plain, Chinese, with
// entities and character references (the same value from different raw text), xml:space,
// quotes, ] and a tab (decoded as they are), CR LF (decoded to LF), _xHHHH_ escapes, rich runs
// giving the same value as a plain <t>, empty texts, a text longer than the reused ones, the
// same text in a <v>, cells without r.
func inlineRepeated() book {
	long := strings.Repeat("长文本", 10) // 90 bytes
	cells := func(n int, vals ...string) string {
		var b strings.Builder
		for i, v := range vals {
			ref := ""
			if i != 2 { // the third cell has no r
				ref = fmt.Sprintf(` r="%c%d"`, 'A'+i, n)
			}
			fmt.Fprintf(&b, `<c%s s="1" t="inlineStr">%s</c>`, ref, v)
		}
		return fmt.Sprintf(`<row r="%d">%s</row>`, n, b.String())
	}
	t := func(s string) string { return "<is><t>" + s + "</t></is>" }
	var rows string
	for n := 1; n <= 4; n++ {
		same := []string{
			t("第1党支部"), t("A&amp;B &lt;党&gt;"), t("GY000001"), t(`引号 "双" 'a' &quot;`), t("方括号 ] 和\t制表符"),
			`<is><t xml:space="preserve"> 前后空格 </t></is>`, t("第一行\r\n第二行"), t("_x0041_列"), t(long), t(""),
		}
		switch n {
		case 1:
			same = append(same, t("&#20013;文"), `<is><r><t>第一</t></r><r><rPr><b/></rPr><t>党支部</t></r></is>`, t("12"))
		case 2:
			same = append(same, t("中文"), t("第一党支部"), `<v>12</v>`)
		case 3:
			same = append(same, t("中&#x6587;"), `<is><r><t>第一党支部</t></r></is>`, t("12"))
		default:
			same = append(same, t("中文"), t("第一党支部"), t(""))
		}
		rows += cells(n, same...)
	}
	return book{file: "xml_inline_repeated.xlsx", sheets: []sheet{{name: "Sheet1", xml: ws(rows)}}}
}

// richText: shared strings made of runs, with phonetic runs (rPh) and properties to leave out.
func richText() book {
	return book{file: "xml_rich_text.xlsx", sst: sst(
		`<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>第一</t></r><r><rPr><i/></rPr><t xml:space="preserve"> 党支部 </t></r></si>`,
		`<si><t>张伟</t><rPh sb="0" eb="2"><t>ちょうい</t></rPh><phoneticPr fontId="1"/></si>`,
		`<si><t>前</t><r><t>中</t></r><r><t>后</t></r></si>`,
		`<si><r><t>只有</t><t>最后一个t</t></r></si>`,
		`<si/>`,
		`<si><r><rPr/></r><r><t>空run之后</t></r></si>`,
	), sheets: []sheet{{name: "富文本", xml: ws(
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c><c r="D2" t="s"><v>99</v></c><c r="E2" t="s"><v> 2 </v></c><c r="F2" t="s"><v>x</v></c></row>`)}}}
}

// entities: the five predefined entities and character references (decimal and hex) in
// shared strings, inline strings, formula strings, attribute values (the sheet's name) and
// _xHHHH_ escapes; a CR LF in a value.
func entities() book {
	return book{file: "xml_entities.xlsx", sst: sst(
		si("A&amp;B &lt;党&gt; &quot;引号&quot; &apos;单&apos;"),
		si("&#20013;&#x6587; &#x1F600;"),
		si("第一行\r\n第二行\r第三行&#13;&#10;第四行"),
		si("_x000D_换行_x000A_ _x005F_x0041_ _x0041__xD800_ _x12_"),
		si("方括号 ] ]] 无害 ]]&gt;"),
	), sheets: []sheet{{name: "A&amp;B &lt;表&gt;", xml: ws(
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>&lt;inline&gt; &amp;amp; &#x4E2D;</t></is></c><c r="B2" t="str"><f>A1&amp;"x"</f><v>A&amp;Bx</v></c>` +
			`<c r="C2"><v>&#52;&#x32;</v></c><c r="D2" t="&#115;"><v>0</v></c><c r="E2" t="str"><v>_x0041_ 不解码</v></c></row>`)}}}
}

// noRefs: rows and cells without r (positions by order), mixed with some that have it.
func noRefs() book {
	return book{file: "xml_no_r.xlsx", sst: sst(si("甲"), si("乙"), si("丙")), sheets: []sheet{{name: "无引用", xml: ws(
		`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c><v>3</v></c></row>` +
			`<row><c><v>1</v></c><c/><c><v>3</v></c></row>` +
			`<row r="5"><c r="C5" t="s"><v>2</v></c><c><v>4</v></c><c r="F5"><v>6</v></c><c><v>7</v></c></row>` +
			`<row><c r="B6"><v>b</v></c><c r="A6"><v>a</v></c><c r="B6"><v>b2</v></c></row>` +
			`<row spans="1:3"></row>` +
			`<row><c r="$C$8"><v>8</v></c><c r="d8"><v>9</v></c></row>`)}}}
}

// prefixed: every part with a namespace prefix (x:), as some writers emit.
func prefixed() book {
	const x = `xmlns:x="` + nsMain + `"`
	return book{file: "xml_prefixed.xlsx",
		sst: decl + `<x:sst ` + x + ` count="2" uniqueCount="2"><x:si><x:t>前缀</x:t></x:si><x:si><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:si></x:sst>`,
		workbook: decl + `<x:workbook ` + x + ` xmlns:r="` + nsR + `"><x:workbookPr date1904="false"/><x:sheets>` +
			`<x:sheet name="前缀表" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
		sheets: []sheet{{name: "前缀表", xml: decl + `<x:worksheet ` + x + `><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1"><x:v>3.5</x:v></x:c></x:row>` +
			`<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>行内</x:t></x:is></x:c><x:c r="C3" t="b"><x:v>1</x:v></x:c></x:row>` +
			`</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>`}}}
}

// date1904: workbookPr date1904="1" (old Mac Excel).
func date1904() book {
	return book{file: "xml_date1904.xlsx", wbPr: `<workbookPr date1904="1"/>`, sheets: []sheet{{name: "Sheet1", xml: ws(
		`<row r="1"><c r="A1" t="inlineStr"><is><t>活动日期</t></is></c></row><row r="2"><c r="A2" s="1"><v>43163</v></c></row>`)}}}
}

// longSharedStrings: shared strings of 40 000 and 300 000 bytes (ASCII, Chinese, entities),
// far longer than a read buffer.
func longSharedStrings() book {
	long1 := strings.Repeat("党员积分管理", 2300)                     // 41 400 bytes
	long2 := strings.Repeat("0123456789&amp;ABCDEFGHIJ", 12000) // 300 000 bytes before decoding
	return book{file: "xml_long_shared_strings.xlsx", sst: sst(si("短"), si(long1), si(long2), si("尾")), sheets: []sheet{{name: "长字符串", xml: ws(
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>`)}}}
}

// emptyRows: empty rows between and after rows with values, rows of empty cells, a formula
// with an empty cached value (kept as ""), booleans, errors, t="str" and t="d" values, cells
// with styles only.
func emptyRows() book {
	return book{file: "xml_empty_rows.xlsx", sst: sst(si("标题"), si("")), sheets: []sheet{{name: "空行", xml: ws(
		`<row r="1"><c r="A1" t="s"><v>0</v></c></row>` +
			`<row r="2" ht="20" customHeight="1"><c r="A2" s="1"/><c r="B2" s="1"/></row>` +
			`<row r="4"><c r="C4"><v>44625</v></c><c r="D4" s="1"/></row>` +
			`<row r="6"><c r="A6" t="s"><v>1</v></c><c r="B6"><f>""</f><v></v></c></row>` +
			`<row r="7"><c r="A7" t="b"><v>1</v></c><c r="B7" t="b"><v>0</v></c><c r="C7" t="e"><v>#DIV/0!</v></c><c r="D7" t="str"><f>A1&amp;"同志"</f><v>标题同志</v></c><c r="E7" t="d"><v>2022-03-05T00:00:00Z</v></c><c r="F7" t="n"><v>-1.5E-3</v></c></row>` +
			`<row r="8"><c r="A8"><f>1+1</f></c><c r="B8" t="s"><v></v></c></row>` +
			`<row r="9"/><row r="10"><c r="A10" s="3"/></row>`)}}}
}

// hiddenSheets: hidden and veryHidden sheets between visible ones; sheetId order unlike the
// sheets' order; the shared strings before the sheets in the ZIP.
func hiddenSheets() book {
	row := func(v string) string {
		return ws(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + v + `</t></is></c></row>`)
	}
	return book{file: "xml_hidden_sheets.xlsx", sstFirst: true, sst: sst(si("未用")), sheets: []sheet{
		{name: "第一", xml: row("一")},
		{name: "隐藏", state: "hidden", xml: row("二")},
		{name: "深隐藏", state: "veryHidden", xml: row("三")},
		{name: "可见", state: "visible", xml: row("四")},
	}}
}

// merges: overlapping ranges (joined), a single-cell range, a reversed range, absolute
// references, ranges beyond the last row.
func merges() book {
	return book{file: "xml_merges.xlsx", sst: sst(si("标题"), si("分组")), sheets: []sheet{{name: "合并", xml: ws(
		`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>`,
		`<mergeCells count="6"><mergeCell ref="A1:F1"/><mergeCell ref="E1:G2"/><mergeCell ref="B2"/>`+
			`<mergeCell ref="D5:C4"/><mergeCell ref="$A$3:$A$9"/><mergeCell ref="H10:I12"/></mergeCells>`,
		`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)}}}
}

// whitespace: pretty-printed XML (newlines and indentation between elements), comments and
// processing instructions, CDATA, single-quoted attributes, spaces around =, attributes in
// any order, elements the reader does not know inside rows and cells.
func whitespace() book {
	return book{file: "xml_whitespace.xlsx", sst: sst(si("甲"), "\n  <si>\n    <t>乙</t>\n  </si>\n"), sheets: []sheet{{name: "格式化", xml: decl +
		"<!-- written by hand -->\n<worksheet xmlns=\"" + nsMain + "\">\n  <sheetPr/>\n  <sheetData>\n" +
		"    <row r=\"1\" spans=\"1:3\">\n      <c r=\"A1\" t=\"s\">\n        <v>0</v>\n      </c>\n" +
		"      <c t='s' r='B1'><v>1</v></c>\n      <c r = \"C1\" s = \"2\"  ><v><![CDATA[<5>&]]></v></c>\n    </row>\n" +
		"    <!-- a comment between rows -->\n    <?pi between rows?>\n" +
		"    <row r=\"2\"><c r=\"A2\"><extLst><ext/></extLst><v>1</v><v>2</v></c><c r=\"B2\"><v>a<!--x-->b</v></c>" +
		"<c r=\"C2\"><foo><v>深</v></foo></c><c r=\"D2\"><v>x<b>skip</b>y</v></c></row>\n" +
		"    <row r=\"3\"><extLst/><c r=\"A3\" t=\"inlineStr\"><is>\n<t>缩进</t>\n</is></c></row>\n" +
		"  </sheetData>\n  <mergeCells count=\"1\">\n    <mergeCell ref=\"A3:B3\"/>\n  </mergeCells>\n</worksheet>\n<!-- trailing -->\n"}}}
}

// strict: Strict Open XML namespaces (purl.oclc.org), which excelize reads by renaming them.
func strict() book {
	const main = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	const rel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	return book{file: "xml_strict.xlsx",
		sst:      decl + `<sst xmlns="` + main + `" count="1" uniqueCount="1"><si><t>严格</t></si></sst>`,
		workbook: decl + `<workbook xmlns="` + main + `" xmlns:r="` + rel + `"><sheets><sheet name="严格" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		sheets: []sheet{{name: "严格", xml: decl + `<worksheet xmlns="` + main + `"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row></sheetData>` +
			`<mergeCells count="1"><mergeCell ref="B1:C1"/></mergeCells></worksheet>`}}}
}

// fallbackEncoding: a sheet in GB18030 (encoding declared): the streaming reader refuses it,
// Read falls back to excelize, which transcodes.
func fallbackEncoding() book {
	body := `<?xml version="1.0" encoding="GB18030"?>` + "\n" + `<worksheet xmlns="` + nsMain + `"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>党员编号</t></is></c></row></sheetData></worksheet>`
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(body)
	if err != nil {
		log.Fatal(err)
	}
	return book{file: "xml_fallback_encoding.xlsx", sheets: []sheet{{name: "Sheet1", xml: gb}}}
}

// fallbackBadRef: a cell reference that is not one ("1A"): excelize's GetRows silently stops
// there; the streaming reader refuses the sheet and Read falls back.
func fallbackBadRef() book {
	return book{file: "xml_fallback_bad_ref.xlsx", sheets: []sheet{{name: "Sheet1", xml: ws(
		`<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="1A"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>`)}}}
}

func write(b book) {
	var parts [][2]string
	add := func(name, data string) { parts = append(parts, [2]string{name, data}) }
	ct := decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	rels := decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	wb := decl + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsR + `">` + b.wbPr + `<sheets>`
	for i, s := range b.sheets {
		n := i + 1
		ct += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		rels += fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, n, nsR, n)
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		// sheetId in reverse order: only the order of <sheet> elements counts.
		wb += fmt.Sprintf(`<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, s.name, len(b.sheets)-i, state, n)
	}
	if b.sst != "" {
		ct += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		rels += fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, len(b.sheets)+1, nsR)
	}
	ct += `</Types>`
	rels += `</Relationships>`
	wb += `</sheets></workbook>`
	if b.workbook != "" {
		wb = b.workbook
	}
	add("[Content_Types].xml", ct)
	add("_rels/.rels", decl+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+nsR+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", wb)
	add("xl/_rels/workbook.xml.rels", rels)
	sstName := b.sstName
	if sstName == "" {
		sstName = "xl/sharedStrings.xml"
	}
	if b.sst != "" && b.sstFirst {
		add(sstName, b.sst)
	}
	for i, s := range b.sheets {
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s.xml)
	}
	if b.sst != "" && !b.sstFirst {
		add(sstName, b.sst)
	}

	f, err := os.Create(filepath.Join(dir, b.file))
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
