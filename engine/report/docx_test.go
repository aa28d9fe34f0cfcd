package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// makeDocx is a minimal Word document: body is the inside of w:body, header the inside of
// the default header's w:hdr ("" for none).
func makeDocx(t *testing.T, body, header string) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	files := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + ns + `><w:body>` + body + `<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body></w:document>`},
		{"word/header1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr ` + ns + `>` + header + `</w:hdr>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f[1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part reads one part of a .docx.
func readPart(t *testing.T, docx []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			b, err := readZip(f)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s", name)
	return ""
}

func run(rpr, text string) string {
	return `<w:r>` + rpr + `<w:t xml:space="preserve">` + text + `</w:t></w:r>`
}

const bold = `<w:rPr><w:b/></w:rPr>`

// A placeholder split over runs the way Word leaves it ({{ | 支委 | 会次 bold | 数}}) takes the
// formatting of its first run; the runs around it are copied byte for byte; the header is
// filled; the table rows from {{#每个支部}} to {{/每个支部}} are written once per branch; the
// note comes first, bold.
func TestFillDocx(t *testing.T) {
	values := map[string]string{"支委会次数": "7", "年度": "2024", "一支部.党员数": "7", "二支部.党员数": "5", "党员数": "12"}
	branches := []string{"一支部", "二支部"}
	before := run(bold, "召开支委会")
	after := run(`<w:rPr><w:i/></w:rPr>`, "次&amp;完")
	p1 := `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>` + before + run("", "{{") + run("", "支委") + run(bold, "会次") + run("", "数}}") + after + `</w:p>`
	row := func(a, b string) string {
		return `<w:tr><w:tc><w:p>` + a + `</w:p></w:tc><w:tc><w:p>` + b + `</w:p></w:tc></w:tr>`
	}
	tbl := `<w:tbl><w:tblPr/>` + row(run(bold, "支部"), run(bold, "党员数")) +
		row(run("", "{{#每个支部}}{{支")+run("", "部}}"), run("", "{{.党员数}}{{/每个支部}}")) +
		row(run("", "合计"), run("", "{{党员数}}")) + `</w:tbl>`
	tpl := makeDocx(t, p1+tbl, `<w:p>`+run("", "{{年")+run(bold, "度}}")+run("", "年度报告")+`</w:p>`)
	out, err := FillDocx("模板.docx", tpl, values, branches, "注意：某文件未计入。")
	if err != nil {
		t.Fatal(err)
	}
	doc := readPart(t, out, "word/document.xml")
	// "{{" run gets the value 7; 支委, 会次 and 数}} lose their text; before and after unchanged.
	wantP := `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>` + before + `<w:r><w:t xml:space="preserve">7</w:t></w:r>` +
		`<w:r><w:t xml:space="preserve"></w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t></w:r><w:r><w:t xml:space="preserve"></w:t></w:r>` + after + `</w:p>`
	wantNote := `<w:body><w:p><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">注意：某文件未计入。</w:t></w:r></w:p>` + wantP
	if !strings.Contains(doc, wantNote) {
		t.Errorf("paragraph:\n%s\nwant\n%s", doc, wantNote)
	}
	// Rows: header, 一支部 7, 二支部 5, 合计 12; the first cell's value in the run of "{{支".
	wantTbl := `<w:tbl><w:tblPr/>` + row(run(bold, "支部"), run(bold, "党员数")) +
		row(`<w:r><w:t xml:space="preserve">一支部</w:t></w:r><w:r><w:t xml:space="preserve"></w:t></w:r>`, `<w:r><w:t xml:space="preserve">7</w:t></w:r>`) +
		row(`<w:r><w:t xml:space="preserve">二支部</w:t></w:r><w:r><w:t xml:space="preserve"></w:t></w:r>`, `<w:r><w:t xml:space="preserve">5</w:t></w:r>`) +
		row(run("", "合计"), `<w:r><w:t xml:space="preserve">12</w:t></w:r>`) + `</w:tbl>`
	if !strings.Contains(doc, wantTbl) {
		t.Errorf("table:\n%s\nwant\n%s", doc, wantTbl)
	}
	// Everything after the table (sectPr) as it was.
	if !strings.HasSuffix(doc, `</w:tbl><w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body></w:document>`) {
		t.Errorf("document ends:\n%s", doc)
	}
	hdr := readPart(t, out, "word/header1.xml")
	if want := `<w:p><w:r><w:t xml:space="preserve">2024</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t></w:r>` + run("", "年度报告") + `</w:p>`; !strings.Contains(hdr, want) {
		t.Errorf("header:\n%s\nwant %s", hdr, want)
	}
	// The parts not filled are copied as they were.
	if got, want := readPart(t, out, "_rels/.rels"), readPart(t, tpl, "_rels/.rels"); got != want {
		t.Errorf(".rels changed")
	}
}

// A block of paragraphs: the marker paragraphs are left out, the one between written per branch.
func TestFillDocxParagraphBlock(t *testing.T) {
	values := map[string]string{"一支部.党员数": "7", "二支部.党员数": "5"}
	p := func(s string) string { return `<w:p>` + run("", s) + `</w:p>` }
	tpl := makeDocx(t, p("各支部：")+p("{{#每个支部}}")+p("{{支部}}有党员{{.党员数}}名。")+p("{{/每个支部}}")+p("完。"), "")
	out, err := FillDocx("模板.docx", tpl, values, []string{"一支部", "二支部"}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := `<w:body>` + p("各支部：") + p("一支部有党员7名。") + p("二支部有党员5名。") + p("完。") + `<w:sectPr>`
	if doc := readPart(t, out, "word/document.xml"); !strings.Contains(doc, want) {
		t.Errorf("got\n%s\nwant\n%s", doc, want)
	}
}

// Every mistake at once, each with its place: paragraphs of the body counted from 1 (the
// table's paragraphs are not counted), rows of table 1 counted from its first row, the header's
// paragraphs apart; nothing written.
func TestFillDocxMistakes(t *testing.T) {
	values := map[string]string{"支委会次数": "7", "党员数": "12", "一支部.出勤率": "90.0", "二支部.出勤率": "80.0"}
	br := []string{"一支部", "二支部"}
	p := func(s string) string { return `<w:p>` + run("", s) + `</w:p>` }
	tbl := `<w:tbl><w:tr><w:tc>` + p("支部") + `</w:tc></w:tr><w:tr><w:tc>` + p("{{#每个支部}}{{支部}}{{.出勤律}}{{/每个支部}}") + `</w:tc></w:tr></w:tbl>`
	tpl := makeDocx(t, p("第一段")+p("召开支委会{{支委")+`<w:p>`+run("", "{{支委会次书}}")+run(bold, "次")+`</w:p>`+tbl+p("{{.出勤率}} {{党员人数}}"), p("{{年度}}"))
	_, err := FillDocx("模板.docx", tpl, values, br, "")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"模板.docx 第2段：占位符没有写完整或括号不对（应为两个半角花括号：{{名称}}）：召开支委会{{支委",
		"模板.docx 第3段：未知的占位符 {{支委会次书}}（相近的有：支委会次数、党员数）",
		"模板.docx 表1第2行：未知的占位符 {{.出勤律}}（相近的有：.出勤率）",
		"模板.docx 第4段：{{.出勤率}} 只能写在 {{#每个支部}} 和 {{/每个支部}} 之间",
		"模板.docx 第4段：未知的占位符 {{党员人数}}（相近的有：党员数、支委会次数）",
		"模板.docx 页眉第1段：未知的占位符 {{年度}}",
	}
	if strings.Join(e.Problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(e.Problems, "\n"), strings.Join(want, "\n"))
	}
	// An unclosed block.
	tpl = makeDocx(t, tbl[:strings.Index(tbl, "<w:tr><w:tc><w:p><w:r><w:t xml:space=\"preserve\">{{#")]+`<w:tr><w:tc>`+p("{{#每个支部}}{{支部}}")+`</w:tc></w:tr></w:tbl>`, "")
	_, err = FillDocx("模板.docx", tpl, values, br, "")
	if err == nil || err.Error() != "模板.docx 表1第2行：{{#每个支部}} 和 {{/每个支部}} 没有成对出现（同一表格中这一行和后面的行都找不到 {{/每个支部}}）" {
		t.Errorf("err = %v", err)
	}
	// A block opened and closed inside one sentence (a fresh-user trial wrote one): the whole
	// paragraph would be repeated per branch, 全单位 too; refused, naming the text outside.
	tpl = makeDocx(t, p("各支部出勤率：{{#每个支部}}{{支部}}{{.出勤率}}%、{{/每个支部}}全单位{{支委会次数}}。"), "")
	_, err = FillDocx("模板.docx", tpl, values, br, "")
	if err == nil || err.Error() != "模板.docx 第1段：Word 模板中 {{#每个支部}} 所在的段落每个支部整段重复一遍，{{#每个支部}} 前面和 {{/每个支部}} 后面不能有别的文字（“各支部出勤率：…全单位{{支委会次数}}。”）：请把 {{#每个支部}}、{{/每个支部}} 各自单独成段，或写在表格的行里" {
		t.Errorf("err = %v", err)
	}
	// Opened in a paragraph and never closed.
	tpl = makeDocx(t, p("{{#每个支部}}")+p("{{支部}}"), "")
	_, err = FillDocx("模板.docx", tpl, values, br, "")
	if err == nil || err.Error() != "模板.docx 第1段：{{#每个支部}} 和 {{/每个支部}} 没有成对出现（这一段和后面的段落中都找不到 {{/每个支部}}）" {
		t.Errorf("err = %v", err)
	}
}

// Not a Word document: a clear message, no panic.
func TestFillDocxNotDocx(t *testing.T) {
	good := makeDocx(t, "<w:p/>", "")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"截断", good[:len(good)/2], "模板.docx 不是可用的 Word 文档（.docx）：文件已损坏或不是 .docx 格式（无法按 zip 读取）"},
		{"文本", []byte("召开支委会{{支委会次数}}次"), "模板.docx 不是可用的 Word 文档（.docx）：文件已损坏或不是 .docx 格式（无法按 zip 读取）"},
		{"doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "模板.docx 不是可用的 Word 文档（.docx）：这是旧版 Word 97-2003 文档（.doc）或加密的文档；请在 Word 或 WPS 中取消密码并“另存为” .docx"},
		{"xlsx", xlsxLike(t), "模板.docx 不是可用的 Word 文档（.docx）：其中没有 Word 正文（可能是 Excel 等其他文件改了扩展名）"},
		{"坏XML", makeDocx(t, "<w:p>", ""), "模板.docx 不是可用的 Word 文档（.docx）：文件已损坏：word/document.xml 第 2 行不是完整的 XML"},
	} {
		_, err := FillDocx("模板.docx", tc.data, map[string]string{}, nil, "")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

// xlsxLike is a zip whose main part is a workbook, as an .xlsx renamed .docx is.
func xlsxLike(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("_rels/.rels")
	io.WriteString(w, `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	w, _ = zw.Create("xl/workbook.xml")
	io.WriteString(w, `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`)
	zw.Close()
	return buf.Bytes()
}

// withFootnotes adds word/footnotes.xml holding footnotes to a .docx made by makeDocx.
func withFootnotes(t *testing.T, docx []byte, footnotes string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		b, err := readZip(f)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "word/_rels/document.xml.rels" {
			b = bytes.Replace(b, []byte("</Relationships>"), []byte(`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`), 1)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	w, _ := zw.Create("word/footnotes.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`+footnotes+`</w:footnotes>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Found by review: a cell holding nothing but a block marker keeps its paragraph (a cell must
// end in one; Word refuses the file otherwise), emptied; a marker paragraph that also holds a
// section break keeps it; a marker written with spaces ({{ #每个支部 }}) is a mistake, not a
// silent nothing; placeholders in footnotes are filled (and checked) like the body's.
func TestFillDocxMarkersKeepWhatTheyHold(t *testing.T) {
	values := map[string]string{"年度": "2024", "一支部.党员数": "7", "二支部.党员数": "5"}
	br := []string{"一支部", "二支部"}
	p := func(s string) string { return `<w:p>` + run("", s) + `</w:p>` }
	cell := func(s string) string { return `<w:tc>` + p(s) + `</w:tc>` }
	tbl := `<w:tbl><w:tr>` + cell("{{#每个支部}}") + cell("{{支部}}") + cell("{{.党员数}}") + cell("{{/每个支部}}") + `</w:tr></w:tbl>`
	out, err := FillDocx("模板.docx", makeDocx(t, tbl, ""), values, br, "")
	if err != nil {
		t.Fatal(err)
	}
	doc := readPart(t, out, "word/document.xml")
	if strings.Count(doc, "<w:tc></w:tc>") > 0 || !strings.Contains(doc, "一支部") || !strings.Contains(doc, "二支部") {
		t.Errorf("a cell lost its paragraph, or a branch is missing:\n%s", doc)
	}
	// A section break in the opening marker's paragraph stays.
	sect := `<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:pPr>` + run("", "{{#每个支部}}") + `</w:p>`
	out, err = FillDocx("模板.docx", makeDocx(t, sect+p("{{支部}}")+p("{{/每个支部}}"), ""), values, br, "")
	if err != nil {
		t.Fatal(err)
	}
	if doc := readPart(t, out, "word/document.xml"); strings.Count(doc, `w:orient="landscape"`) != 2 || strings.Contains(doc, "{{") {
		t.Errorf("the section break of the marker's paragraph (once per branch) is lost, or a marker left:\n%s", doc)
	}
	// A marker with spaces.
	_, err = FillDocx("模板.docx", makeDocx(t, p("{{ #每个支部 }}")+p("{{支部}}")+p("{{/每个支部}}"), ""), values, br, "")
	if err == nil || !strings.Contains(err.Error(), "模板.docx 第1段：{{ #每个支部 }} 应写成 {{#每个支部}}（花括号里不加空格）") {
		t.Errorf("err = %v", err)
	}
	// Footnotes.
	fn := `<w:footnote w:id="1">` + p("数据截至{{年度}}年底") + `</w:footnote>`
	out, err = FillDocx("模板.docx", withFootnotes(t, makeDocx(t, p("正文"), ""), fn), values, br, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readPart(t, out, "word/footnotes.xml"); !strings.Contains(got, "数据截至2024年底") {
		t.Errorf("footnote not filled:\n%s", got)
	}
	fn = `<w:footnote w:id="1">` + p("数据截至{{年份}}年底") + `</w:footnote>`
	_, err = FillDocx("模板.docx", withFootnotes(t, makeDocx(t, p("正文"), ""), fn), values, br, "")
	if err == nil || !strings.Contains(err.Error(), "模板.docx 脚注第1段：未知的占位符 {{年份}}") {
		t.Errorf("err = %v", err)
	}
}
