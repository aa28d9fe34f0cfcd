// Package printcheck prints workbooks to PDF through LibreOffice, as an office would, and says
// from the PDF what was printed: how many pages each sheet took and what its footer numbers
// them, the smallest printed font, and text clipped, overprinted or off the page. Tests of the
// printed documents (附件.xlsx, 公示.xlsx) assert on its Report with their bounds.
//
// The workbook is read with encoding/xml (xlsx.go), not excelize; the PDF with poppler's
// pdftotext (-bbox-layout: each word with its box). soffice and pdftotext are found through
// sharedtest.Tool: without them the test is skipped outside CI and fails in it.
package printcheck

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/internal/sharedtest"
)

// Report is what a workbook printed to.
type Report struct {
	File   string
	Pages  int      // pages of the whole PDF
	Sheets []*Sheet // in the workbook's order
	// Overlaps are pairs of words whose boxes overlap on a page (text printed over text), and
	// Outside words not wholly on their page: "第 3 页：“…” × “…”".
	Overlaps []string
	Outside  []string
	// Unassigned are pages (1-based) whose footer names no sheet; they were counted to the
	// sheet before them, or, when a footer has no name, to the sheet whose title (first cell)
	// the page shows (ByTitle).
	Unassigned []int
	ByTitle    bool
	// Points10 is the height pdftotext gives a word of 10 pt, measured on the reference workbook
	// printed in the same run.
	Points10 float64
}

// Sheet is one sheet's print.
type Sheet struct {
	Name  string
	Short string // the short name in its footer ("附件1"), "" if none
	Pages int
	// Numbers are (P, M) of each page's footer "第 P 页，共 M 页" (0, 0 when a page has none);
	// Restarts says they are 1…Pages of Pages, page by page.
	Numbers  [][2]int
	Restarts bool
	// Scale is the print scale in percent from the workbook: pageSetup's scale, or for a sheet
	// fitted to pages an estimate from its column widths and row heights (LibreOffice prints a
	// column width unit at about colPoints). FontXLSX is the smallest font size of a non-empty
	// cell's style times Scale; FontPDF the smallest measured in the PDF (word heights against
	// the reference's 10 pt), footer included.
	Scale    float64
	FitPage  bool
	FontXLSX float64
	FontPDF  float64
	// Missing are cells whose text is not found in the text of the sheet's pages (clipped or
	// cut): "B7 “…”". Cells counts the non-empty cells looked for; OutOfOrder those found only
	// before the place the cells before them were found.
	Missing    []string
	Cells      int
	OutOfOrder int
}

// Sheet returns the sheet named name, or nil.
func (r *Report) Sheet(name string) *Sheet {
	for _, s := range r.Sheets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// MinFont is the smallest font over the sheets, from the workbook and from the PDF.
func (r *Report) MinFont() (xlsx, pdf float64) {
	xlsx, pdf = math.Inf(1), math.Inf(1)
	for _, s := range r.Sheets {
		if s.Pages > 0 {
			xlsx, pdf = min(xlsx, s.FontXLSX), min(pdf, s.FontPDF)
		}
	}
	return xlsx, pdf
}

// String is the report as a table for a test's log.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：共 %d 页（10 pt 字高 %.2f）\n", filepath.Base(r.File), r.Pages, r.Points10)
	for _, s := range r.Sheets {
		fmt.Fprintf(&b, "  %-28s 页数 %2d  页码 %v 重新起算 %v  缩放 %.0f%%  最小字号 表格 %.1f / PDF %.1f  单元格 %d，未找到 %d，次序不符 %d\n",
			s.Name, s.Pages, s.Numbers, s.Restarts, s.Scale, s.FontXLSX, s.FontPDF, s.Cells, len(s.Missing), s.OutOfOrder)
		for i, m := range s.Missing {
			if i == 5 {
				fmt.Fprintf(&b, "      ……共 %d 个\n", len(s.Missing))
				break
			}
			fmt.Fprintf(&b, "      未找到 %s\n", m)
		}
	}
	list := func(what string, l []string) {
		fmt.Fprintf(&b, "  %s %d 处\n", what, len(l))
		for i, x := range l {
			if i == 5 {
				break
			}
			fmt.Fprintf(&b, "      %s\n", x)
		}
	}
	list("重叠", r.Overlaps)
	list("出界", r.Outside)
	if len(r.Unassigned) > 0 || r.ByTitle {
		fmt.Fprintf(&b, "  页脚无表名的页 %v（按标题归属：%v）\n", r.Unassigned, r.ByTitle)
	}
	return b.String()
}

// colPoints is the printed width of one unit of an xlsx column width, used to estimate a
// fitted sheet's scale: 7.06 pt was measured on a 公示 sheet at scale 100 (52 units printed 367
// pt across). LibreOffice prints the demo's fitted 附件 sheets about 1.25 times larger than this
// estimate (附件1 7.7 pt estimated, 9.7 measured): the estimate errs low, the PDF's figure is the
// one printed.
const colPoints = 7.06

// Check prints each workbook (and the 10 pt reference) to PDF with one soffice run and reports
// on each.
func Check(t testing.TB, files ...string) []*Report {
	t.Helper()
	soffice := sharedtest.Tool(t, "soffice", "libreoffice-calc-nogui")
	pdftotext := sharedtest.Tool(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()
	in := []string{filepath.Join(dir, "ref.xlsx")}
	if err := reference(in[0]); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "book"+strconv.Itoa(i)+".xlsx")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in = append(in, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "lo")),
		"--convert-to", "pdf", "--outdir", dir}, in...)
	if out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out)
	}
	pages := func(i int) []page {
		pdf := strings.TrimSuffix(in[i], ".xlsx") + ".pdf"
		out, err := exec.Command(pdftotext, "-bbox-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext -bbox-layout %s（soffice 是否写出了 PDF？）: %v", pdf, err)
		}
		ps, err := parseBBox(out)
		if err != nil {
			t.Fatalf("%s: %v", pdf, err)
		}
		return ps
	}
	ref := pages(0)
	var hs []float64
	for _, p := range ref {
		for _, w := range p.words {
			hs = append(hs, w.y1-w.y0)
		}
	}
	if len(hs) == 0 {
		t.Fatal("参照工作簿（10 pt）打印后没有文字")
	}
	slices.Sort(hs)
	h10 := hs[len(hs)/2]
	var reports []*Report
	for i, f := range files {
		b, err := readBook(in[i+1])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r := analyse(b, pages(i+1), h10)
		r.File = f
		reports = append(reports, r)
	}
	return reports
}

// reference writes the calibration workbook: text of 10 pt (宋体 and 黑体, CJK and digits) at
// scale 100.
func reference(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, font := range []string{"宋体", "黑体"} {
		st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: font, Size: 10}})
		if err != nil {
			return err
		}
		row := strconv.Itoa(2*i + 1)
		if err := f.SetSheetRow("Sheet1", "A"+row, &[]any{"十磅参照文字", "1234567890"}); err != nil {
			return err
		}
		if err := f.SetCellStyle("Sheet1", "A"+row, "B"+row, st); err != nil {
			return err
		}
	}
	if err := f.SetColWidth("Sheet1", "A", "B", 20); err != nil {
		return err
	}
	size, scale := 9, uint(100)
	if err := f.SetPageLayout("Sheet1", &excelize.PageLayoutOptions{Size: &size, AdjustTo: &scale}); err != nil {
		return err
	}
	return f.SaveAs(path)
}

type word struct {
	x0, y0, x1, y1 float64
	text           string
}

type page struct {
	w, h  float64
	words []word
}

// parseBBox reads pdftotext -bbox-layout's XHTML: pages and their words in reading order.
func parseBBox(b []byte) ([]page, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var pages []page
	attr := func(e xml.StartElement, name string) float64 {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				v, _ := strconv.ParseFloat(a.Value, 64)
				return v
			}
		}
		return 0
	}
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return pages, nil
			}
			return pages, err
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "page":
			pages = append(pages, page{w: attr(e, "width"), h: attr(e, "height")})
		case "word":
			var text string
			if err := d.DecodeElement(&text, &e); err != nil {
				return pages, err
			}
			if len(pages) == 0 {
				return pages, fmt.Errorf("word outside a page")
			}
			p := &pages[len(pages)-1]
			p.words = append(p.words, word{attr(e, "xMin"), attr(e, "yMin"), attr(e, "xMax"), attr(e, "yMax"), text})
		}
	}
}

var (
	reFooter = regexp.MustCompile(`(\S*)\s*第\s*(\d+)\s*页\s*[，,]\s*共\s*(\d+)\s*页`)
	reCodes  = regexp.MustCompile(`&"[^"]*"|&\d+|&[LCRBIUSEXYKZGDTFANP&]`)
)

// footerName is the short name a footer as written in the workbook begins with ("" if none).
func footerName(footer string) string {
	s := strings.NewReplacer("&P", "1", "&N", "1").Replace(footer)
	s = strings.TrimSpace(strings.ReplaceAll(reCodes.ReplaceAllString(s, " "), "　", " "))
	if m := reFooter.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// footer finds a page's footer: in its bottom inch, the line (words on the baseline of a word
// "第") that reads "… 第 P 页，共 M 页", the lowest such line.
func footer(p page) (name string, num, of int, idx []int) {
	best := -1.0
	for _, w := range p.words {
		if w.y0 <= p.h-72 || !strings.HasPrefix(w.text, "第") && !strings.Contains(w.text, "　第") {
			continue
		}
		var ws []int
		for i, x := range p.words {
			if math.Abs(x.y0-w.y0) < 1 && math.Abs(x.y1-w.y1) < 1 {
				ws = append(ws, i)
			}
		}
		slices.SortFunc(ws, func(a, b int) int { return cmpFloat(p.words[a].x0, p.words[b].x0) })
		var parts []string
		for _, i := range ws {
			parts = append(parts, p.words[i].text)
		}
		m := reFooter.FindStringSubmatch(strings.ReplaceAll(strings.Join(parts, " "), "　", " "))
		if m == nil || w.y0 < best {
			continue
		}
		best = w.y0
		name = m[1]
		num, _ = strconv.Atoi(m[2])
		of, _ = strconv.Atoi(m[3])
		idx = ws
	}
	return name, num, of, idx
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// squeeze removes all white space.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func analyse(b *book, pages []page, h10 float64) *Report {
	r := &Report{Pages: len(pages), Points10: h10}
	for _, xs := range b.sheets {
		r.Sheets = append(r.Sheets, &Sheet{Name: xs.name, Short: footerName(xs.footer)})
	}
	// Each page to a sheet: by its footer's name; by the title when footers have none.
	owner := make([]int, len(pages))
	footers := make([]map[int]bool, len(pages))
	cur := -1
	for pi, p := range pages {
		name, num, of, idx := footer(p)
		footers[pi] = map[int]bool{}
		for _, i := range idx {
			footers[pi][i] = true
		}
		next := -1
		if name != "" {
			for k := max(cur, 0); k < len(r.Sheets); k++ {
				s := r.Sheets[k]
				if s.Short == name && !(k == cur && num == 1 && s.Pages > 0 && slices.ContainsFunc(r.Sheets[k+1:], func(x *Sheet) bool { return x.Short == name })) {
					next = k
					break
				}
			}
		}
		if next < 0 {
			if name != "" || len(idx) == 0 {
				r.Unassigned = append(r.Unassigned, pi+1)
			}
			// A title of a later sheet on the page: that sheet's.
			var text []string
			for _, w := range p.words {
				if t := squeeze(w.text); t != "" {
					text = append(text, t)
				}
			}
			for k := cur + 1; k < len(b.sheets); k++ {
				if c := b.sheets[k].cells; len(c) > 0 && titleOn(text, c[0].text) {
					next, r.ByTitle = k, true
					break
				}
			}
			if next < 0 {
				next = max(cur, 0)
			}
		}
		cur = next
		owner[pi] = cur
		s := r.Sheets[cur]
		s.Pages++
		s.Numbers = append(s.Numbers, [2]int{num, of})
	}
	for si, s := range r.Sheets {
		s.Restarts = s.Pages > 0
		for i, n := range s.Numbers {
			if n != [2]int{i + 1, s.Pages} {
				s.Restarts = false
			}
		}
		xs := b.sheets[si]
		s.Scale, s.FitPage = scale(xs), xs.fitToPage
		s.FontXLSX, s.FontPDF = math.Inf(1), math.Inf(1)
		for _, c := range xs.cells {
			s.FontXLSX = min(s.FontXLSX, c.size*s.Scale/100)
		}
		// The sheet's words in order, the footer left out.
		var words []string
		for pi, p := range pages {
			if owner[pi] != si {
				continue
			}
			for i, w := range p.words {
				s.FontPDF = min(s.FontPDF, 10*(w.y1-w.y0)/h10)
				if !footers[pi][i] {
					if t := squeeze(w.text); t != "" {
						words = append(words, t)
					}
				}
			}
		}
		s.FontPDF = math.Round(s.FontPDF*10) / 10
		s.FontXLSX = math.Round(s.FontXLSX*10) / 10
		cursor := 0
		for _, c := range xs.cells {
			t := squeeze(c.text)
			if t == "" {
				continue
			}
			s.Cells++
			// Near where the cells before it were (a page of words on), else on the page or two
			// before (a cell's neighbour may have matched further on), else anywhere (only while
			// few are missing: a sheet printed wrong all through would be slow to search).
			if i := find(words, cursor, t, 1500); i >= 0 {
				cursor = i
				continue
			}
			if find(words, max(0, cursor-3000), t, 3000) >= 0 || len(s.Missing) < 100 && find(words, 0, t, len(words)) >= 0 {
				s.OutOfOrder++
				continue
			}
			s.Missing = append(s.Missing, fmt.Sprintf("%s “%s”", c.ref, c.text))
		}
	}
	for pi, p := range pages {
		for i, a := range p.words {
			if a.x0 < -0.5 || a.y0 < -0.5 || a.x1 > p.w+0.5 || a.y1 > p.h+0.5 {
				r.Outside = append(r.Outside, fmt.Sprintf("第 %d 页：“%s” (%.0f,%.0f)–(%.0f,%.0f)", pi+1, a.text, a.x0, a.y0, a.x1, a.y1))
			}
			for _, c := range p.words[i+1:] {
				ix := min(a.x1, c.x1) - max(a.x0, c.x0)
				iy := min(a.y1, c.y1) - max(a.y0, c.y0)
				if ix > 1 && iy > 0.3*min(a.y1-a.y0, c.y1-c.y0) {
					r.Overlaps = append(r.Overlaps, fmt.Sprintf("第 %d 页：“%s” × “%s”", pi+1, a.text, c.text))
				}
			}
		}
	}
	return r
}

// titleOn says whether every part of a title (split at white space) is on a page of words.
func titleOn(words []string, title string) bool {
	for _, part := range strings.Fields(strings.ReplaceAll(title, "　", " ")) {
		if find(words, 0, part, len(words)) < 0 {
			return false
		}
	}
	return true
}

// find looks for t in words from word from on (up to n words): t is the rest of one word from some place in it,
// or that and the start of one or more of the next words (a cell's text wrapped over lines,
// another cell's words between). It returns the word where t begins, or -1.
func find(words []string, from int, t string, n int) int {
	for i := from; i < len(words) && i < from+n; i++ {
		w := words[i]
		for p := 0; p < len(w); p++ {
			if p > 0 && !utf8.RuneStart(w[p]) {
				continue
			}
			rest := w[p:]
			if strings.HasPrefix(rest, t) {
				return i
			}
			if strings.HasPrefix(t, rest) && continues(words, i+1, t[len(rest):], 12) {
				return i
			}
		}
	}
	return -1
}

// continues says whether t is the beginning of one of the next 300 words (pdftotext orders a
// page's words by columns: a line's next word may come far later), or one of them whole
// followed by the rest of t so (over at most depth more words).
func continues(words []string, from int, t string, depth int) bool {
	if depth == 0 {
		return false
	}
	for j := from; j < len(words) && j < from+300; j++ {
		w := words[j]
		if strings.HasPrefix(w, t) {
			return true
		}
		if strings.HasPrefix(t, w) && continues(words, j+1, t[len(w):], depth-1) {
			return true
		}
	}
	return false
}

// scale is a sheet's print scale in percent: pageSetup's, or for a sheet fitted to pages an
// estimate: the printable width (height) of its pages over the width (height) of its columns
// (rows), at most 100.
func scale(xs *xsheet) float64 {
	if !xs.fitToPage {
		if xs.scale > 0 {
			return xs.scale
		}
		return 100
	}
	pw, ph := 595.3, 841.9 // A4
	if xs.landscape {
		pw, ph = ph, pw
	}
	pw -= 72 * (xs.margins[0] + xs.margins[1])
	ph -= 72 * (xs.margins[2] + xs.margins[3])
	var width, height float64
	for c := 1; c <= xs.maxCol; c++ {
		w, ok := xs.colWidths[c]
		if !ok {
			w = xs.defColW
		}
		width += w * colPoints
	}
	for row := 1; row <= xs.maxRow; row++ {
		h, ok := xs.rowHts[row]
		if !ok {
			h = xs.defRowH
		}
		height += h
	}
	s := 100.0
	if xs.fitWidth > 0 && width > 0 {
		s = min(s, 100*pw*float64(xs.fitWidth)/width)
	}
	if xs.fitHeight > 0 && height > 0 {
		s = min(s, 100*ph*float64(xs.fitHeight)/height)
	}
	return math.Floor(s)
}
