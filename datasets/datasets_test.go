package datasets_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jifen/jifen/datasets"
	"github.com/jifen/jifen/internal/sharedtest"
)

var placeholder = regexp.MustCompile(`\{\{\s*([^{}]+?)\s*\}\}`)

// docxPart is one part (e.g. word/document.xml) of the .docx b.
func docxPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatalf("%s not in the .docx", name)
	return ""
}

var tag = regexp.MustCompile(`<[^>]+>`)

// paragraphs is the text of each paragraph of a WordprocessingML part, its runs joined (a
// placeholder LibreOffice or Word split across runs reads whole); table cells are paragraphs too.
func paragraphs(xml string) []string {
	var out []string
	for _, p := range strings.Split(xml, "</w:p>") {
		if i := strings.LastIndex(p, "<w:p>"); i >= 0 {
			p = p[i:]
		} else if i := strings.LastIndex(p, "<w:p "); i >= 0 {
			p = p[i:]
		} else {
			continue
		}
		out = append(out, html.UnescapeString(tag.ReplaceAllString(p, "")))
	}
	return out
}

func names(texts []string) []string {
	var out []string
	for _, s := range texts {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// The two shipped templates say the same: the same placeholders, and every paragraph of the
// .docx outside its table is a line of the Markdown (headings without their #, the 附件 lines
// without the full-width spaces that align them).
func TestReportTemplatesSameWording(t *testing.T) {
	doc := paragraphs(docxPart(t, datasets.ReportTemplateDocx, "word/document.xml"))
	md := strings.Split(string(datasets.ReportTemplateMarkdown), "\n")
	if got, want := names(doc), names(md); !slices.Equal(got, want) {
		t.Errorf("placeholders of the .docx %v\n of the .md %v", got, want)
	}
	lines := map[string]bool{}
	for _, l := range md {
		lines[strings.Trim(strings.TrimLeft(l, "# "), "　")] = true
	}
	xml := docxPart(t, datasets.ReportTemplateDocx, "word/document.xml")
	table := regexp.MustCompile(`(?s)<w:tbl>.*?</w:tbl>`)
	body := paragraphs(strings.Join(table.Split(xml, -1), ""))
	n := 0
	for _, p := range body {
		if p == "" {
			continue
		}
		n++
		if !lines[p] {
			t.Errorf("the .docx says %q, which the .md does not", p)
		}
	}
	if n < 20 {
		t.Errorf("only %d paragraphs in the .docx outside its table", n)
	}
	// The per-branch row: the block's markers open its first cell and close its last.
	tbl := paragraphs(table.FindString(xml))
	if !slices.Contains(tbl, "{{#每个支部}}{{支部}}") || !slices.Contains(tbl, "{{.优秀人数}}{{/每个支部}}") {
		t.Errorf("table cells %q", tbl)
	}
	// The 附件 list names the sheets of 附件.xlsx, in order.
	for i, w := range []string{"附件：1. 党员积分及星级评定表", "2. 支部三会一课开展情况统计表", "3. 测试情况统计表", "4. 承诺践诺情况表", "5. 党员积分分类汇总表", "6. 支部指标汇总表"} {
		if !slices.Contains(body, w) {
			t.Errorf("附件 %d: %q missing", i+1, w)
		}
	}
}

// The .docx template is in 公文 style (GB/T 9704-2012), as python-docx, a reader independent
// of LibreOffice and of jifen, reads it: A4; margins 37/35/28/26 mm; title 22pt 方正小标宋简体
// centred; body 16pt 仿宋_GB2312 at a fixed 28.9pt (22 lines on the 225 mm high text block:
// 225 / 25.4 × 72 / 28.9 = 22.0), first line indented 2 characters (32pt); headings 黑体 and
// 楷体_GB2312; page numbers "— PAGE —" in 14pt 宋体, right on odd and left on even pages.
func TestReportTemplateDocxStyle(t *testing.T) {
	py := sharedtest.Tool(t, "/usr/bin/python3", "python3-docx")
	if out, err := exec.Command(py, "-c", "import docx").CombinedOutput(); err != nil {
		if sharedtest.Required() {
			t.Fatalf("JIFEN_REQUIRE_SHARED=1，但 python3 模块 docx 不可用（Debian 软件包 python3-docx）：%s", out)
		}
		t.Skipf("跳过：python3 模块 docx 不可用（Debian 软件包 python3-docx，.ci/run 会安装）：%s", out)
	}
	path := filepath.Join(t.TempDir(), "t.docx")
	if err := os.WriteFile(path, datasets.ReportTemplateDocx, 0o600); err != nil {
		t.Fatal(err)
	}
	const script = `
import docx, json, sys
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
s = d.sections[0]
def font(st):
    while st is not None:
        rf = st.element.rPr.find(qn('w:rFonts')) if st.element.rPr is not None else None
        if rf is not None and rf.get(qn('w:eastAsia')):
            return rf.get(qn('w:eastAsia'))
        st = st.base_style
    return None
def size(st):
    while st is not None:
        if st.font.size: return st.font.size.pt
        st = st.base_style
    return None
def para(st, what):
    while st is not None:
        v = getattr(st.paragraph_format, what)
        if v is not None: return v
        st = st.base_style
    return None
styles = {}
for p in d.paragraphs:
    st = p.style
    if st.name in styles: continue
    ls = para(st, 'line_spacing')
    fi = para(st, 'first_line_indent')
    al = para(st, 'alignment')
    styles[st.name] = {'font': font(st), 'size': size(st), 'line': ls.pt if hasattr(ls, 'pt') else ls,
        'rule': str(para(st, 'line_spacing_rule')), 'indent': fi.pt if fi is not None else None, 'align': str(al)}
foot = lambda f: [(p.text, str(p.paragraph_format.alignment or p.style.paragraph_format.alignment), 'PAGE' in p._p.xml, size(p.style), font(p.style)) for p in f.paragraphs]
print(json.dumps({
  'page': [round(s.page_width.mm, 1), round(s.page_height.mm, 1)],
  'margins': [round(x.mm, 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)],
  'oddeven': d.settings.odd_and_even_pages_header_footer,
  'footer': foot(s.footer), 'even': foot(s.even_page_footer),
  'styles': styles,
  'paragraphs': [p.text for p in d.paragraphs],
}, ensure_ascii=False))
`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python-docx: %v\n%s", err, out)
	}
	var got struct {
		Page, Margins []float64
		Oddeven       bool
		Footer, Even  [][]any
		Styles        map[string]struct {
			Font        string
			Size, Line  float64
			Rule, Align string
			Indent      *float64
		}
		Paragraphs []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !slices.Equal(got.Page, []float64{210, 297}) || !slices.Equal(got.Margins, []float64{37, 35, 28, 26}) {
		t.Errorf("page %v mm, margins %v mm (上下左右), want 210×297, 37 35 28 26", got.Page, got.Margins)
	}
	for name, w := range map[string]struct {
		font   string
		size   float64
		align  string
		indent float64
	}{
		"公文标题": {"方正小标宋简体", 22, "CENTER (1)", 0},
		"公文正文": {"仿宋_GB2312", 16, "JUSTIFY (3)", 32},
		"主送":   {"仿宋_GB2312", 16, "LEFT (0)", 0},
		"一级标题": {"黑体", 16, "JUSTIFY (3)", 32},
		"二级标题": {"楷体_GB2312", 16, "JUSTIFY (3)", 32},
	} {
		s, ok := got.Styles[name]
		if !ok {
			t.Errorf("no paragraph in style %s (styles %v)", name, got.Styles)
			continue
		}
		indent := 0.0
		if s.Indent != nil {
			indent = *s.Indent
		}
		if s.Font != w.font || s.Size != w.size || s.Align != w.align || indent != w.indent {
			t.Errorf("style %s: %s %gpt %s indent %g, want %s %gpt %s indent %g", name, s.Font, s.Size, s.Align, indent, w.font, w.size, w.align, w.indent)
		}
		if name != "公文标题" && (s.Line != 28.9 || s.Rule != "EXACTLY (4)") {
			t.Errorf("style %s: line %v %s, want exactly 28.9pt", name, s.Line, s.Rule)
		}
	}
	if !got.Oddeven || len(got.Footer) != 1 || len(got.Even) != 1 {
		t.Fatalf("footers odd %v even %v (odd/even %v)", got.Footer, got.Even, got.Oddeven)
	}
	for i, f := range [][]any{got.Footer[0], got.Even[0]} {
		want := []string{"RIGHT (2)", "LEFT (0)"}[i]
		if !strings.HasPrefix(f[0].(string), "— ") || !strings.HasSuffix(f[0].(string), " —") || f[1] != want || f[2] != true || f[3] != 14.0 || f[4] != "宋体" {
			t.Errorf("footer %d = %v, want “— PAGE —” %s, 14pt 宋体", i, f, want)
		}
	}
	// python-docx reads the same placeholders as the runs joined here.
	ours := paragraphs(docxPart(t, datasets.ReportTemplateDocx, "word/document.xml"))
	var outside []string
	for _, p := range ours {
		if slices.Contains(got.Paragraphs, p) {
			outside = append(outside, p)
		}
	}
	if g, w := names(got.Paragraphs), names(outside); !slices.Equal(g, w) || len(g) < 40 {
		t.Errorf("python-docx reads placeholders %v, we read %v", g, w)
	}
	// Fonts missing on the reader's computer fall back to those Windows and WPS have.
	ft := docxPart(t, datasets.ReportTemplateDocx, "word/fontTable.xml")
	for f, alt := range map[string]string{"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"} {
		if !strings.Contains(ft, `<w:font w:name="`+f+`"><w:altName w:val="`+alt+`"/><w:charset w:val="86"/>`) {
			t.Errorf("fontTable.xml: %s has no fallback %s", f, alt)
		}
	}
}

// datasets/report_template.docx is what `go run ./datasets/reportdocx` makes of the .fodt now:
// the same paragraphs (LibreOffice versions differ in bytes, not in text).
func TestReportTemplateDocxUpToDate(t *testing.T) {
	sharedtest.Tool(t, "soffice", "libreoffice-writer-nogui")
	out := filepath.Join(t.TempDir(), "t.docx")
	cmd := exec.Command("go", "run", ".", "-src", "report_template.fodt", "-out", out)
	cmd.Dir = "reportdocx"
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./datasets/reportdocx: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := paragraphs(docxPart(t, b, "word/document.xml"))
	want := paragraphs(docxPart(t, datasets.ReportTemplateDocx, "word/document.xml"))
	if !slices.Equal(got, want) {
		t.Errorf("datasets/report_template.docx is not the .fodt's: run go run ./datasets/reportdocx\n got %q\nwant %q", got, want)
	}
}
