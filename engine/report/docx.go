package report

// Filling a Word (.docx) template: the office's own draft with {{占位符}} where the figures go.
// Every byte of the document that holds no placeholder is copied as it is (the zip entries
// not filled are copied compressed, untouched; inside a filled part only the w:t elements
// whose text changes are rewritten), so fonts, paragraphs, tables, headers and anything
// Word or WPS put there that jifen does not know stay as they were.
//
// Word splits text into runs wherever formatting, spelling marks or editing history change,
// so a placeholder may be spread over several runs ({{ | 支委 | 会次 (bold) | 数 | }}). Each
// paragraph's text is read whole, placeholders are found in it, and the value is written
// into the run holding the placeholder's first character ("{{"), with that run's
// formatting; the rest of the placeholder is removed from the runs it spanned, which keep
// their formatting for the text around it.
//
// No library does this: github.com/lukasjarosch/go-docx v0.5.0 panics on {{双括号}} and
// repeats no table rows; github.com/gomutex/godocx v0.1.5 rewrites document.xml through its
// own model (dropping what it does not model) and cannot reach headers and footers;
// github.com/fumiama/go-docx is AGPL. So this file reads the XML with encoding/xml only to
// find where elements begin and end, and splices bytes.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
)

// node is an element of a part: where it begins and ends in the part's bytes.
type node struct {
	name       string // as written, with its prefix: w:p
	local      string // p, tr, tbl, t
	start, end int64
	children   []*node
	parent     *node
	text       string  // a w:t's text
	texts      []*node // a w:p's w:t elements, in order (not those of paragraphs inside it)
	where      string  // a w:p's or w:tr's place, for messages: 第3段, 表1第2行
}

// paraText is the text of a paragraph, its runs joined.
func (n *node) paraText() string {
	var b strings.Builder
	for _, t := range n.texts {
		b.WriteString(t.text)
	}
	return b.String()
}

// allText is the text of an element's paragraphs (a row's), one per line.
func (n *node) allText() string {
	var ps []string
	var walk func(*node)
	walk = func(m *node) {
		if m.local == "p" {
			ps = append(ps, m.paraText())
		}
		for _, c := range m.children {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(ps, "\n")
}

// part is one XML part of the document being filled.
type part struct {
	name  string // word/document.xml
	label string // "" for the body, 页眉, 页脚
	raw   []byte
	root  *node
	// blocks: for a parent, the per-branch blocks among its children, first child index → last.
	blocks map[*node]map[int]int
}

// parsePart finds the elements of an XML part and numbers its paragraphs and table rows.
func parsePart(name, label string, raw []byte) (*part, error) {
	p := &part{name: name, label: label, raw: raw, blocks: map[*node]map[int]int{}}
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = true
	top := &node{start: 0, end: int64(len(raw))}
	stack := []*node{top}
	var paras []*node // open paragraphs
	paraN, tblN := 0, 0
	tblRows := map[*node]int{}
	var tbls []*node
	for {
		before := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		cur := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: qname(t.Name), local: t.Name.Local, start: before, parent: cur}
			cur.children = append(cur.children, n)
			stack = append(stack, n)
			switch n.local {
			case "p":
				paras = append(paras, n)
				if len(tbls) == 0 {
					paraN++
					n.where = fmt.Sprintf("%s第%d段", label, paraN)
				} else if tr := ancestor(n, "tr"); tr != nil {
					n.where = tr.where
				}
			case "tbl":
				tblN++
				tbls = append(tbls, n)
				n.where = fmt.Sprintf("%s表%d", label, tblN)
			case "tr":
				if len(tbls) > 0 {
					tb := tbls[len(tbls)-1]
					tblRows[tb]++
					n.where = fmt.Sprintf("%s第%d行", tb.where, tblRows[tb])
				}
			case "t":
				if cur.local == "r" && len(paras) > 0 {
					last := paras[len(paras)-1]
					last.texts = append(last.texts, n)
				}
			}
		case xml.EndElement:
			if len(stack) < 2 {
				return nil, errors.New("多余的结束标记")
			}
			n := stack[len(stack)-1]
			if n.name != qname(t.Name) {
				line, _ := d.InputPos()
				return nil, &xml.SyntaxError{Msg: "element mismatch", Line: line}
			}
			n.end = d.InputOffset()
			stack = stack[:len(stack)-1]
			switch n.local {
			case "p":
				paras = paras[:len(paras)-1]
			case "tbl":
				tbls = tbls[:len(tbls)-1]
			}
		case xml.CharData:
			if cur.local == "t" {
				cur.text += string(t)
			}
		}
	}
	if len(stack) != 1 {
		return nil, errors.New("文件不完整")
	}
	p.root = top
	return p, nil
}

// rootLocal is the local name of the part's root element: document, hdr, ftr.
func (p *part) rootLocal() string {
	for _, c := range p.root.children {
		return c.local
	}
	return ""
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func ancestor(n *node, local string) *node {
	for m := n.parent; m != nil; m = m.parent {
		if m.local == local {
			return m
		}
	}
	return nil
}

// docxCtx is what a paragraph is filled with: the branch of a per-branch block being written.
type docxCtx struct {
	inBlock bool
	branch  string
}

// findBlocks finds the per-branch blocks: a table row (or paragraph) holding {{#每个支部}}
// through the next row (paragraph) of the same table (the same level) holding {{/每个支部}}.
func (p *part) findBlocks(n *node, problems *[]string, file string) {
	for i := 0; i < len(n.children); i++ {
		c := n.children[i]
		if c.local != "p" && c.local != "tr" {
			p.findBlocks(c, problems, file)
			continue
		}
		text := c.allText()
		if m := spacedMarker.FindString(text); m != "" {
			// {{ #每个支部 }} reads as a placeholder, not as a block: nothing would be repeated.
			*problems = append(*problems, fmt.Sprintf("%s %s：%s 应写成 {{%s}}（花括号里不加空格）", file, c.where, m, strings.Join(strings.Fields(strings.Trim(m, "{}")), "")))
			continue
		}
		s, e := strings.Index(text, blockStart), strings.Index(text, blockEnd)
		if s < 0 && e < 0 {
			continue
		}
		if s < 0 || (e >= 0 && e < s) {
			*problems = append(*problems, fmt.Sprintf("%s %s：%s 前面没有 %s", file, c.where, blockEnd, blockStart))
			continue
		}
		j := -1
		if strings.Contains(text[s+len(blockStart):], blockEnd) {
			j = i
		} else {
			for k := i + 1; k < len(n.children); k++ {
				o := n.children[k]
				if o.local != c.local {
					continue
				}
				ot := o.allText()
				if strings.Contains(ot, blockStart) {
					*problems = append(*problems, fmt.Sprintf("%s %s：%s 不能套在另一个 %s 里", file, o.where, blockStart, blockStart))
					break
				}
				if strings.Contains(ot, blockEnd) {
					j = k
					break
				}
			}
		}
		if j < 0 {
			where := "这一段和后面的段落中都找不到"
			if c.local == "tr" {
				where = "同一表格中这一行和后面的行都找不到"
			}
			*problems = append(*problems, fmt.Sprintf("%s %s：%s 和 %s 没有成对出现（%s %s）", file, c.where, blockStart, blockEnd, where, blockEnd))
			continue
		}
		if c.local == "p" {
			// A paragraph block repeats its paragraphs whole: text before the opening marker or
			// after the closing one would be repeated for every branch.
			last := n.children[j].allText()
			before := text[:s]
			after := last[strings.LastIndex(last, blockEnd)+len(blockEnd):]
			if strings.TrimSpace(before) != "" || strings.TrimSpace(after) != "" {
				*problems = append(*problems, fmt.Sprintf("%s %s：Word 模板中 %s 所在的段落每个支部整段重复一遍，%s 前面和 %s 后面不能有别的文字（“%s”）：请把 %s、%s 各自单独成段，或写在表格的行里",
					file, c.where, blockStart, blockStart, blockEnd, strings.TrimSpace(before+"…"+after), blockStart, blockEnd))
				i = j
				continue
			}
		}
		for k := i + 1; k < j; k++ {
			if o := n.children[k]; o.local != c.local && strings.Contains(o.allText(), blockStart) {
				*problems = append(*problems, fmt.Sprintf("%s %s：%s 不能套在另一个 %s 里", file, c.where, blockStart, blockStart))
			}
		}
		if p.blocks[n] == nil {
			p.blocks[n] = map[int]int{}
		}
		p.blocks[n][i] = j
		i = j
	}
}

// walk visits the elements of n as they are written: the children of a block once per branch
// (once with branch "" when checking), and a paragraph or row that holds nothing but block
// markers not at all.
func (p *part) walk(n *node, ctx docxCtx, branches []string, visit func(n *node, ctx docxCtx, enter bool) bool) {
	if !visit(n, ctx, true) {
		return
	}
	bl := p.blocks[n]
	for i := 0; i < len(n.children); i++ {
		j, ok := bl[i]
		if !ok {
			p.walk(n.children[i], ctx, branches, visit)
			continue
		}
		for _, b := range branches {
			for k := i; k <= j; k++ {
				p.walk(n.children[k], docxCtx{inBlock: true, branch: b}, branches, visit)
			}
		}
		i = j
	}
	visit(n, ctx, false)
}

// spacedMarker is a block marker written with spaces inside its braces: {{ #每个支部 }}.
var spacedMarker = regexp.MustCompile(`\{\{\s+[#/]\s*每个支部\s*\}\}|\{\{[#/]\s*每个支部\s+\}\}|\{\{[#/]\s+每个支部\s*\}\}`)

// droppable says whether a paragraph or row of nothing but block markers can be left out of
// the output: not when it holds anything besides text (a section break, a picture, a bookmark
// or comment end, …), nor when it is the last paragraph of a table cell or text box (which
// must end in one); the markers are then emptied and the element kept.
func (p *part) droppable(n *node) bool {
	raw := p.raw[n.start:n.end]
	for _, x := range []string{"sectPr", "drawing", "pict", "object", "bookmarkStart", "bookmarkEnd", "commentRange", "footnoteReference", "endnoteReference", "fldChar", "fldSimple"} {
		if bytes.Contains(raw, []byte(":"+x)) || bytes.Contains(raw, []byte("<"+x)) {
			return false
		}
	}
	if n.local == "p" && n.parent != nil {
		switch n.parent.local {
		case "tc", "txbxContent", "sdtContent", "footnote", "endnote", "comment":
			last := -1
			for i, c := range n.parent.children {
				if c.local == "p" || c.local == "tbl" {
					last = i
				}
			}
			if last >= 0 && n.parent.children[last] == n {
				return false
			}
		}
	}
	return true
}

// onlyMarkers reports whether a paragraph's or row's text is nothing but block markers.
func onlyMarkers(n *node) bool {
	t := strings.NewReplacer(blockStart, "", blockEnd, "").Replace(n.allText())
	return strings.TrimSpace(t) == "" && strings.Contains(n.allText(), "{{")
}

// docxValue is the value of a placeholder key in ctx; ok is false for an unknown name.
func docxValue(key string, ctx docxCtx, values map[string]string) (string, bool) {
	switch {
	case key == "#每个支部" || key == "/每个支部":
		return "", true
	case ctx.inBlock && key == "支部":
		return ctx.branch, true
	case ctx.inBlock && strings.HasPrefix(key, "."):
		v, ok := values[ctx.branch+key]
		return v, ok
	}
	v, ok := values[key]
	return v, ok
}

// check lists every mistake of a part's placeholders, each once, with its place.
func (p *part) check(file string, values map[string]string, branches []string, reported map[string]bool) []string {
	var problems []string
	p.findBlocks(p.root, &problems, file)
	if len(problems) > 0 {
		return problems
	}
	// Check a block's names with every branch; outside blocks there is one pass.
	checkBr := branches
	if len(checkBr) == 0 {
		checkBr = []string{""}
	}
	p.walk(p.root, docxCtx{}, checkBr, func(n *node, ctx docxCtx, enter bool) bool {
		if !enter || n.local != "p" {
			return true
		}
		text := n.paraText()
		if malformed(text) {
			k := "unclosed\x00" + n.where + text
			if !reported[k] {
				reported[k] = true
				problems = append(problems, fmt.Sprintf("%s %s：%s：%s", file, n.where, malformedMessage, clip(strings.TrimSpace(text))))
			}
		}
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			key := m[1]
			if strings.HasPrefix(key, ".") && !ctx.inBlock {
				if !reported["outside\x00"+key] {
					reported["outside\x00"+key] = true
					problems = append(problems, fmt.Sprintf("%s %s：{{%s}} 只能写在 %s 和 %s 之间", file, n.where, key, blockStart, blockEnd))
				}
				continue
			}
			if ctx.inBlock && len(branches) == 0 {
				continue // no branch: the block is written no time
			}
			if _, ok := docxValue(key, ctx, values); ok || reported[key] {
				continue
			}
			reported[key] = true
			lookup := values
			if strings.HasPrefix(key, ".") {
				lookup = branchValues(values, branches)
			}
			msg := fmt.Sprintf("%s %s：未知的占位符 {{%s}}", file, n.where, key)
			if near := Nearest(key, lookup, 3); len(near) > 0 {
				msg += "（相近的有：" + strings.Join(near, "、") + "）"
			}
			problems = append(problems, msg)
		}
		return true
	})
	return problems
}

// clip shortens a paragraph's text quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// fill writes the part with its placeholders filled and its blocks repeated per branch; note,
// when not "", opens the body as a bold paragraph.
func (p *part) fill(values map[string]string, branches []string, note string) []byte {
	var out bytes.Buffer
	out.Grow(len(p.raw) + len(p.raw)/4)
	edits := map[*node]string{}
	// Each element writes the bytes between its children as they are; a block's children are
	// written once per branch.
	var write func(n *node, ctx docxCtx)
	write = func(n *node, ctx docxCtx) {
		if n.local == "t" {
			if s, ok := edits[n]; ok {
				out.WriteString(wtElement(n.name, s))
				return
			}
		}
		if (n.local == "p" || n.local == "tr") && ctx.inBlock && onlyMarkers(n) && p.droppable(n) {
			return
		}
		if n.local == "p" {
			p.edit(n, ctx, values, edits)
		}
		at := n.start
		bl := p.blocks[n]
		for i := 0; i < len(n.children); i++ {
			c := n.children[i]
			out.Write(p.raw[at:c.start])
			if n.local == "body" && i == 0 && note != "" {
				out.WriteString(noteParagraph(n.name, note))
			}
			j, ok := bl[i]
			if !ok {
				write(c, ctx)
				at = c.end
				continue
			}
			for _, b := range branches {
				for k := i; k <= j; k++ {
					if k > i {
						out.Write(p.raw[n.children[k-1].end:n.children[k].start])
					}
					write(n.children[k], docxCtx{inBlock: true, branch: b})
				}
			}
			at = n.children[j].end
			i = j
		}
		out.Write(p.raw[at:n.end])
	}
	write(p.root, docxCtx{})
	return out.Bytes()
}

// edit works out the new text of a paragraph's w:t elements: each placeholder's value goes
// into the element holding its first character, the rest of it is removed from the others.
func (p *part) edit(para *node, ctx docxCtx, values map[string]string, edits map[*node]string) {
	full := para.paraText()
	ms := placeholder.FindAllStringSubmatchIndex(full, -1)
	for _, t := range para.texts {
		delete(edits, t)
	}
	if len(ms) == 0 {
		return
	}
	from := 0
	for _, t := range para.texts {
		to := from + len(t.text)
		var b strings.Builder
		at := from
		for _, m := range ms {
			if m[1] <= from || m[0] >= to {
				continue
			}
			if m[0] > at {
				b.WriteString(full[at:m[0]])
			}
			if m[0] >= from {
				v, _ := docxValue(full[m[2]:m[3]], ctx, values)
				b.WriteString(v)
			}
			at = max(at, min(m[1], to))
		}
		if at < to {
			b.WriteString(full[at:to])
		}
		if s := b.String(); s != t.text {
			edits[t] = s
		}
		from = to
	}
}

// wtElement is a w:t element holding s.
func wtElement(name, s string) string {
	var b strings.Builder
	b.WriteString("<" + name + ` xml:space="preserve">`)
	xml.EscapeText(&b, []byte(s))
	b.WriteString("</" + name + ">")
	return b.String()
}

// noteParagraph is a bold paragraph holding note, its elements named with the prefix of body.
func noteParagraph(body, note string) string {
	w := ""
	if i := strings.IndexByte(body, ':'); i >= 0 {
		w = body[:i+1]
	}
	return "<" + w + "p><" + w + "r><" + w + "rPr><" + w + "b/><" + w + "bCs/></" + w + "rPr>" +
		wtElement(w+"t", note) + "</" + w + "r></" + w + "p>"
}

type relationships struct {
	Rels []struct {
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// relTargets reads a .rels part: the parts it names, by type (last path element of the type).
func relTargets(files map[string]*zip.File, relsName, base string) (map[string][]string, error) {
	f, ok := files[relsName]
	if !ok {
		return nil, nil
	}
	b, err := readZip(f)
	if err != nil {
		return nil, err
	}
	var r relationships
	if err := xml.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s：%v", relsName, err)
	}
	out := map[string][]string{}
	for _, rel := range r.Rels {
		if rel.TargetMode == "External" {
			continue
		}
		kind := rel.Type
		if i := strings.LastIndexByte(kind, '/'); i >= 0 {
			kind = kind[i+1:]
		}
		target := rel.Target
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(base, target)
		}
		out[kind] = append(out[kind], target)
	}
	return out, nil
}

func readZip(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, 256<<20))
}

// FillDocx fills the placeholders of a Word template (name is its file name, for messages)
// as Fill does a text template: {{名称}}, {{支部.指标}}, and per-branch blocks — the table rows
// from the one holding {{#每个支部}} through the one holding {{/每个支部}} (or such paragraphs)
// repeated for each branch, with {{支部}} and {{.指标}} inside. The body, its headers and its
// footers are filled. Every unknown placeholder is reported at once, with its place (第N段,
// 表N第R行, 页眉第N段) and the nearest valid names, and nothing is written. note, when not "",
// is put before the first paragraph, bold.
func FillDocx(name string, template []byte, values map[string]string, branches []string, note string) ([]byte, error) {
	notDocx := func(why string) error {
		return &Error{Template: name, Problems: []string{fmt.Sprintf("%s 不是可用的 Word 文档（.docx）：%s", name, why)}}
	}
	if bytes.HasPrefix(template, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, notDocx("这是旧版 Word 97-2003 文档（.doc）或加密的文档；请在 Word 或 WPS 中取消密码并“另存为” .docx")
	}
	zr, err := zip.NewReader(bytes.NewReader(template), int64(len(template)))
	if err != nil {
		return nil, notDocx("文件已损坏或不是 .docx 格式（无法按 zip 读取）")
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	root, err := relTargets(files, "_rels/.rels", "")
	if err != nil {
		return nil, notDocx("文件已损坏：" + err.Error())
	}
	docs := root["officeDocument"]
	if len(docs) == 0 {
		return nil, notDocx("其中没有 Word 正文（可能是另一种文件改了扩展名）")
	}
	main := docs[0]
	if _, ok := files[main]; !ok {
		return nil, notDocx("文件已损坏：缺少 " + main)
	}
	rels, err := relTargets(files, path.Join(path.Dir(main), "_rels", path.Base(main)+".rels"), path.Dir(main))
	if err != nil {
		return nil, notDocx("文件已损坏：" + err.Error())
	}
	labels := map[string]string{main: ""}
	order := []string{main}
	for _, kind := range []struct{ rel, label string }{{"header", "页眉"}, {"footer", "页脚"}, {"footnotes", "脚注"}, {"endnotes", "尾注"}} {
		for _, t := range rels[kind.rel] {
			if _, ok := files[t]; ok {
				if _, seen := labels[t]; !seen {
					labels[t] = kind.label
					order = append(order, t)
				}
			}
		}
	}
	parts := map[string]*part{}
	var problems []string
	reported := map[string]bool{}
	for _, pn := range order {
		b, err := readZip(files[pn])
		if err != nil {
			return nil, notDocx("文件已损坏：" + pn + "：" + err.Error())
		}
		p, err := parsePart(pn, labels[pn], b)
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, notDocx(fmt.Sprintf("文件已损坏：%s 第 %d 行不是完整的 XML", pn, se.Line))
		}
		if err != nil {
			return nil, notDocx("文件已损坏：" + pn + "：" + err.Error())
		}
		if want := map[string]string{"": "document", "页眉": "hdr", "页脚": "ftr", "脚注": "footnotes", "尾注": "endnotes"}[labels[pn]]; p.rootLocal() != want {
			return nil, notDocx("其中没有 Word 正文（可能是 Excel 等其他文件改了扩展名）")
		}
		parts[pn] = p
		problems = append(problems, p.check(name, values, branches, reported)...)
	}
	if len(problems) > 0 {
		return nil, &Error{Template: name, Problems: problems}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		p, ok := parts[f.Name]
		if !ok {
			// Copied as stored, still compressed.
			w, err := zw.CreateRaw(&f.FileHeader)
			if err != nil {
				return nil, err
			}
			r, err := f.OpenRaw()
			if err != nil {
				return nil, notDocx("文件已损坏：" + f.Name + "：" + err.Error())
			}
			if _, err := io.Copy(w, r); err != nil {
				return nil, notDocx("文件已损坏：" + f.Name + "：" + err.Error())
			}
			continue
		}
		n := ""
		if f.Name == main {
			n = note
		}
		fh := zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified}
		w, err := zw.CreateHeader(&fh)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(p.fill(values, branches, n)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
