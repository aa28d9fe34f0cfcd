package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// writeDocx writes a minimal Word document whose body is the given XML.
func writeDocx(t *testing.T, path, body string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `<w:sectPr/></w:body></w:document>`},
	} {
		w, _ := zw.Create(f[0])
		io.WriteString(w, f[1])
	}
	zw.Close()
	write(t, path, buf.String())
}

var wtText = regexp.MustCompile(`<w:t[ >][^<]*|<w:p[ >]|<w:tr[ >]|<w:b/>`)

// docxLines reads a filled .docx's body back: one line per paragraph (table rows' paragraphs
// joined by |), "**" before a paragraph with bold.
func docxLines(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			doc, _ = io.ReadAll(r)
			r.Close()
		}
	}
	var lines []string
	for _, m := range wtText.FindAllString(string(doc), -1) {
		switch {
		case strings.HasPrefix(m, "<w:p"):
			lines = append(lines, "")
		case m == "<w:b/>":
			if !strings.HasPrefix(lines[len(lines)-1], "**") {
				lines[len(lines)-1] = "**" + lines[len(lines)-1]
			}
		case strings.HasPrefix(m, "<w:t"):
			lines[len(lines)-1] += m[strings.IndexByte(m, '>')+1:]
		}
	}
	return lines
}

// The report as a Word document, for the hand-worked fixture (report_test.go and
// e2e_test.go work out 党员数 14 = 7 + 7, 正式 12, 预备 2 (赵敏, 孙浩), 积分平均分 第一 77.86,
// 第二 68.71, 合计 73.29), the placeholder split over runs as Word leaves it and the table
// row repeated per branch; the kinds of template and --out must agree.
func TestReportDocx(t *testing.T) {
	j, dir := runFixture(t)
	r := func(s string) string { return `<w:r><w:t>` + s + `</w:t></w:r>` }
	cell := func(s string) string { return `<w:tc><w:p>` + s + `</w:p></w:tc>` }
	tpl := filepath.Join(dir, "模板.docx")
	writeDocx(t, tpl, `<w:p>`+r("党员{{党员")+r("数}}名（正式党员{{正式党员数}}名、预备党员{{预备党员数}}名），平均积分")+r("{{积分平均分}}")+r("分。")+`</w:p>`+
		`<w:tbl><w:tr>`+cell(r("{{#每个支部}}{{支部}}"))+cell(r("{{.积分平")+r("均分}}{{/每个支部}}"))+`</w:tr>`+
		`<w:tr>`+cell(r("合计"))+cell(r("{{积分平均分}}"))+`</w:tr></w:tbl>`)
	out := filepath.Join(dir, "报告", "报告.docx")
	if err := j.Report(context.Background(), tpl, out); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(docxLines(t, out), "\n")
	want := "党员14名（正式党员12名、预备党员2名），平均积分73.29分。\n第一党支部\n77.86\n第二党支部\n68.71\n合计\n73.29"
	if got != want {
		t.Errorf("report.docx:\n%s\nwant\n%s", got, want)
	}
	for _, tc := range []struct{ tpl, out, want string }{
		{tpl, filepath.Join(dir, "报告.md"), "报告模板 " + tpl + " 是 Word 文档，填好的报告也是 Word 文档：--out 应以 .docx 结尾（现在是 " + filepath.Join(dir, "报告.md") + "）"},
		{"../../datasets/report_template.md", filepath.Join(dir, "报告.docx"), "报告模板 ../../datasets/report_template.md 是文本（Markdown）模板，填好的报告是文本，不能写成 Word 文档 " + filepath.Join(dir, "报告.docx") + "：要得到 Word 文档，请用 .docx 模板（如 datasets/report_template.docx）；要文本，请把 --out 改为 .md"},
		{filepath.Join(dir, "旧.doc"), filepath.Join(dir, "报告.docx"), "报告模板 " + filepath.Join(dir, "旧.doc") + " 是 .doc 格式，jifen 只能填写 .docx：请在 Word 或 WPS 中打开，“另存为” Word 文档（*.docx）"},
	} {
		if err := j.Report(context.Background(), tc.tpl, tc.out); err == nil || err.Error() != tc.want {
			t.Errorf("Report(%s, %s) = %v\nwant %s", tc.tpl, tc.out, err, tc.want)
		}
		if _, err := os.Stat(tc.out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s written", tc.out)
		}
	}
	// A damaged template: a clear error, nothing written.
	bad := filepath.Join(dir, "坏.docx")
	b, _ := os.ReadFile(tpl)
	write(t, bad, string(b[:len(b)/2]))
	err := j.Report(context.Background(), bad, filepath.Join(dir, "x.docx"))
	if err == nil || err.Error() != "坏.docx 不是可用的 Word 文档（.docx）：文件已损坏或不是 .docx 格式（无法按 zip 读取）" {
		t.Errorf("damaged: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.docx")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("x.docx written for a damaged template")
	}
}

// What the figures leave out opens the Word report too, bold, before the first paragraph
// (the folder of reading_test.go: 支部工作台账.csv not read; 2 members).
func TestReportDocxNote(t *testing.T) {
	dir, in := unreadableForm(t)
	opt := pipeline.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "db.duckdb")}
	if _, err := pipeline.Run(context.Background(), opt); !errors.Is(err, pipeline.ErrProblems) {
		t.Fatalf("run: %v", err)
	}
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	tpl := filepath.Join(dir, "模板.docx")
	writeDocx(t, tpl, `<w:p><w:r><w:t>{{年度}}年度，党员数 {{党员数}}。</w:t></w:r></w:p>`)
	out := filepath.Join(dir, "报告.docx")
	if err := j.Report(context.Background(), tpl, out); err != nil {
		t.Fatal(err)
	}
	lines := docxLines(t, out)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "**注意：") || !strings.Contains(lines[0], "2022台账/支部工作台账.csv") || lines[1] != "2022年度，党员数 2。" {
		t.Errorf("report.docx:\n%s\nwant a bold note naming 支部工作台账.csv, then the figures", strings.Join(lines, "\n"))
	}
}
