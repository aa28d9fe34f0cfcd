package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// This file is a small XML tokenizer for the parts of an .xlsx file: a byte scanner over a
// window of the (inflated) stream, not encoding/xml. It accepts exactly what encoding/xml in
// its default strict mode accepts as far as the reader needs (so that the values match what
// excelize reads), and says what it does not understand instead of guessing: the caller then
// falls back to excelize.
//
// Tokens are slices of the window, valid until the next call that reads input.

// source gives the input in chunks. A chunk is valid until the next call; io.EOF ends the
// input.
type source interface {
	next() ([]byte, error)
}

// bytesSource is an input that is already in memory, given in chunks of at most size bytes
// (size 0: all at once).
type bytesSource struct {
	data []byte
	size int
}

func (b *bytesSource) next() ([]byte, error) {
	if len(b.data) == 0 {
		return nil, io.EOF
	}
	n := len(b.data)
	if b.size > 0 && n > b.size {
		n = b.size
	}
	c := b.data[:n]
	b.data = b.data[n:]
	return c, nil
}

// Token kinds.
const (
	tokEOF   = iota
	tokText  // s.text: decoded character data (or CDATA)
	tokStart // s.name, s.attrs
	tokEmpty // a self-closing start tag: s.name, s.attrs; no end token follows
	tokEnd   // s.name
)

// errSyntax is the error of input encoding/xml would refuse; it is wrapped in an
// UnsupportedError by the reader.
type errSyntax string

func (e errSyntax) Error() string { return string(e) }

// scanner reads tokens from a source.
type scanner struct {
	src  source
	buf  []byte // the window; unread input is buf[r:]
	r    int
	eof  bool  // the source is exhausted
	err  error // a read error (not io.EOF)
	seen int   // bytes of buf[r:] already searched for '<' by an unfinished text token

	// The current token.
	name  []byte // qualified name of a start, empty or end tag
	attrs []byte // the raw attributes of a start or empty tag
	text  []byte // decoded text

	// Open elements: their qualified names, concatenated, and where each starts.
	stack []byte
	open  []int

	own     []byte // the window when it is not a pipe's buffer
	scratch []byte // decoded text that differs from its raw bytes

	// The namespace declarations in scope (xmlns and xmlns:p on any element), innermost
	// last: a declaration holds in the element that makes it (depth: its depth when it is
	// open) and below, as XML scopes them.
	ns []nsDecl
}

// nsDecl is a namespace declaration: prefix ("" for the default namespace) → url, made by an
// element at depth depth (1 for the root).
type nsDecl struct {
	prefix, url string
	depth       int
}

func newScanner(src source) *scanner {
	return &scanner{src: src}
}

// more adds the next chunk of input to the window, first dropping what has been read. It
// returns false at the end of the input (s.err tells a read error).
//
// From a pipe, the window is the pipe's buffer itself, with the unread end of the previous
// one copied just before the new data (no copy of the chunk); when that unread end is
// longer than the pipe's headroom (a long text), the window is an own buffer the chunks are
// appended to.
func (s *scanner) more() bool {
	for !s.eof {
		rem := s.buf[s.r:]
		var chunk []byte
		var err error
		if p, ok := s.src.(*pipe); ok && len(rem) <= headroom {
			chunk, err = p.nextAfter(rem)
			if len(chunk) > 0 {
				s.buf, s.r = chunk, 0
			}
		} else {
			// Keep the unread end in the own buffer before the source reuses its chunk.
			if len(rem) > 0 && (len(s.own) == 0 || &rem[0] != &s.own[0]) {
				s.own = append(s.own[:0], rem...)
				s.buf, s.r = s.own, 0
			} else if len(rem) == 0 {
				s.buf, s.r = s.own[:0], 0
			}
			chunk, err = s.src.next()
			if len(chunk) > 0 {
				s.own = append(s.buf, chunk...)
				s.buf = s.own
				chunk = s.buf
			}
		}
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
			}
		}
		if len(chunk) > len(rem) {
			return true
		}
	}
	return false
}

// fail is the error for input that ends or breaks off: the read error if there was one.
func (s *scanner) fail(msg string) error {
	if s.err != nil {
		return s.err
	}
	return errSyntax(msg)
}

// depth is the number of open elements.
func (s *scanner) depth() int { return len(s.open) }

func (s *scanner) push(name []byte) {
	s.open = append(s.open, len(s.stack))
	s.stack = append(s.stack, name...)
}

func (s *scanner) pop(name []byte) error {
	if len(s.open) == 0 {
		return errSyntax("unexpected end element </" + string(name) + ">")
	}
	i := s.open[len(s.open)-1]
	if !bytes.Equal(s.stack[i:], name) {
		return errSyntax("element <" + string(s.stack[i:]) + "> closed by </" + string(name) + ">")
	}
	s.stack = s.stack[:i]
	s.open = s.open[:len(s.open)-1]
	return nil
}

// next reads the next token, skipping comments and processing instructions, and keeps track
// of the open elements (an end tag must close the innermost one).
func (s *scanner) next() (int, error) {
	s.dropNS()
	for {
		if s.r >= len(s.buf) && !s.more() {
			if s.err != nil {
				return tokEOF, s.err
			}
			if len(s.open) > 0 {
				return tokEOF, errSyntax("unexpected EOF")
			}
			return tokEOF, nil
		}
		if s.buf[s.r] != '<' {
			return s.textToken()
		}
		k, n, err := s.markup(s.buf[s.r:])
		if err != nil {
			return tokEOF, err
		}
		if n == 0 { // incomplete
			if !s.more() {
				return tokEOF, s.fail("unexpected EOF")
			}
			continue
		}
		s.r += n
		switch k {
		case tokStart:
			s.push(s.name)
			if err := s.declare(s.depth()); err != nil {
				return tokEOF, err
			}
		case tokEmpty:
			if err := s.declare(s.depth() + 1); err != nil {
				return tokEOF, err
			}
		case tokEnd:
			if err := s.pop(s.name); err != nil {
				return tokEOF, err
			}
		case tokText: // CDATA
			return k, nil
		case tokEOF: // a comment or processing instruction
			continue
		}
		return k, nil
	}
}

// textToken reads character data up to the next '<' (or the end of the input).
func (s *scanner) textToken() (int, error) {
	for {
		i := bytes.IndexByte(s.buf[s.r+s.seen:], '<')
		if i >= 0 {
			end := s.r + s.seen + i
			raw := s.buf[s.r:end]
			s.r, s.seen = end, 0
			return tokText, s.decode(raw, false, false)
		}
		s.seen = len(s.buf) - s.r
		if !s.more() {
			if s.err != nil {
				return tokEOF, s.err
			}
			raw := s.buf[s.r:]
			s.r, s.seen = len(s.buf), 0
			return tokText, s.decode(raw, false, false)
		}
	}
}

// markup reads the markup at the start of b (b[0] == '<'). It returns the token kind (tokEOF
// for a comment or processing instruction, tokText for CDATA) and the number of bytes it
// takes, 0 if b ends before it does.
func (s *scanner) markup(b []byte) (int, int, error) {
	if len(b) < 2 {
		return 0, 0, nil
	}
	switch b[1] {
	case '/':
		n := nameLen(b[2:])
		if n == 0 {
			if len(b) == 2 {
				return 0, 0, nil
			}
			return 0, 0, errSyntax("expected element name after </")
		}
		i := 2 + n
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return 0, 0, nil
		}
		if b[i] != '>' {
			return 0, 0, errSyntax("invalid characters between </" + string(b[2:2+n]) + " and >")
		}
		s.name = b[2 : 2+n]
		if err := checkName(s.name); err != nil {
			return 0, 0, err
		}
		return tokEnd, i + 1, nil
	case '?':
		end := bytes.Index(b[2:], []byte("?>"))
		if end < 0 {
			return 0, 0, nil
		}
		if err := checkProcInst(b[2 : 2+end]); err != nil {
			return 0, 0, err
		}
		return tokEOF, 2 + end + 2, nil
	case '!':
		if len(b) < 4 {
			return 0, 0, nil
		}
		if b[2] == '-' {
			if b[3] != '-' {
				return 0, 0, errSyntax("invalid sequence <!- not part of <!--")
			}
			i := bytes.Index(b[4:], []byte("--"))
			if i < 0 || 4+i+2 >= len(b) {
				return 0, 0, nil
			}
			if b[4+i+2] != '>' {
				return 0, 0, errSyntax(`invalid sequence "--" not allowed in comments`)
			}
			return tokEOF, 4 + i + 3, nil
		}
		const cdata = "<![CDATA["
		if len(b) < len(cdata) {
			if bytes.HasPrefix([]byte(cdata), b) {
				return 0, 0, nil
			}
		} else if bytes.HasPrefix(b, []byte(cdata)) {
			end := bytes.Index(b[len(cdata):], []byte("]]>"))
			if end < 0 {
				return 0, 0, nil
			}
			raw := b[len(cdata) : len(cdata)+end]
			if err := s.decode(raw, false, true); err != nil {
				return 0, 0, err
			}
			return tokText, len(cdata) + end + 3, nil
		}
		return 0, 0, errUnsupportedMarkup("<!" + string(b[2:min(len(b), 10)]))
	}
	// A start tag.
	n := nameLen(b[1:])
	if n == 0 {
		return 0, 0, errSyntax("expected element name after <")
	}
	name := b[1 : 1+n]
	i := 1 + n
	attrStart := i
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return 0, 0, nil
		}
		switch b[i] {
		case '>':
			s.name, s.attrs = name, b[attrStart:i]
			return tokStart, i + 1, checkName(name)
		case '/':
			if i+1 >= len(b) {
				return 0, 0, nil
			}
			if b[i+1] != '>' {
				return 0, 0, errSyntax("expected /> in element")
			}
			s.name, s.attrs = name, b[attrStart:i]
			return tokEmpty, i + 2, checkName(name)
		}
		an := nameLen(b[i:])
		if an == 0 {
			return 0, 0, errSyntax("expected attribute name in element")
		}
		i += an
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return 0, 0, nil
		}
		if b[i] != '=' {
			return 0, 0, errSyntax("attribute name without = in element")
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return 0, 0, nil
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, 0, errSyntax("unquoted or missing attribute value in element")
		}
		end := bytes.IndexByte(b[i+1:], q)
		if end < 0 {
			return 0, 0, nil
		}
		i += 1 + end + 1
	}
}

type errUnsupportedMarkup string

func (e errUnsupportedMarkup) Error() string { return "markup " + string(e) + "… is not supported" }

// checkProcInst refuses an XML declaration that encoding/xml would refuse or read in another
// encoding (excelize then transcodes; this reader does not).
func checkProcInst(b []byte) error {
	n := nameLen(b)
	if n == 0 {
		return errSyntax("expected target name after <?")
	}
	if string(b[:n]) != "xml" {
		return nil
	}
	content := string(b[n:])
	if v := procInst("version", content); v != "" && v != "1.0" {
		return errSyntax("unsupported XML version " + strconv.Quote(v))
	}
	if enc := procInst("encoding", content); enc != "" && !equalFoldASCII(enc, "utf-8") {
		return errUnsupportedMarkup("<?xml encoding=" + strconv.Quote(enc))
	}
	return nil
}

// procInst returns the value of param in a processing instruction, as encoding/xml reads it.
func procInst(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := indexString(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := indexByteString(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

func indexString(s, sub string) int { return bytes.Index([]byte(s), []byte(sub)) }
func indexByteString(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// nameLen is the length of the XML name at the start of b: bytes encoding/xml accepts in
// names (ASCII name bytes and any non-ASCII byte).
func nameLen(b []byte) int {
	i := 0
	for i < len(b) && (b[i] >= utf8.RuneSelf || isNameByte(b[i])) {
		i++
	}
	return i
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// checkName refuses names encoding/xml refuses: a name must start with a letter, '_' or ':'
// and have at most one ':'. Non-ASCII names are not checked further.
func checkName(name []byte) error {
	c := name[0]
	if c < utf8.RuneSelf && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return errSyntax("invalid XML name: " + string(name))
	}
	if bytes.Count(name, []byte(":")) > 1 {
		return errSyntax("invalid XML name: " + string(name))
	}
	return nil
}

// local is the local part of a qualified name, as encoding/xml splits it: after the colon
// when there is one with text on both sides.
func local(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// prefix is the namespace prefix of a qualified name ("" for none).
func prefix(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[:i]
	}
	return nil
}

// attrIter walks the attributes of a tag (s.attrs, already checked by markup).
type attrIter struct {
	b     []byte
	name  []byte
	value []byte // raw (undecoded)
}

func (a *attrIter) next() bool {
	b := a.b
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i >= len(b) {
		return false
	}
	n := nameLen(b[i:])
	a.name = b[i : i+n]
	i += n
	for b[i] != '=' {
		i++
	}
	i++
	for b[i] != '"' && b[i] != '\'' {
		i++
	}
	q := b[i]
	end := bytes.IndexByte(b[i+1:], q)
	a.value = b[i+1 : i+1+end]
	a.b = b[i+1+end+1:]
	return true
}

// attrs decodes every attribute of the current tag, calling fn with each name and decoded
// value (valid during the call). Every value is checked as encoding/xml checks it.
func (s *scanner) eachAttr(fn func(name, value []byte)) error {
	it := attrIter{b: s.attrs}
	for it.next() {
		if err := checkName(it.name); err != nil {
			return err
		}
		if err := s.decode(it.value, true, false); err != nil {
			return err
		}
		if fn != nil {
			fn(it.name, s.text)
		}
	}
	return nil
}

// decode sets s.text to the character data raw decodes to, as encoding/xml decodes it:
// entities (the five predefined ones and character references), \r\n and \r as \n, and the
// same errors for invalid UTF-8, characters XML does not allow, unknown entities and "]]>"
// outside CDATA. s.text is raw itself when nothing needs decoding.
func (s *scanner) decode(raw []byte, attr, cdata bool) error {
	special := false
	for _, c := range raw {
		if c < 0x20 || c >= utf8.RuneSelf || c == '&' || c == ']' || c == '<' {
			special = true
			break
		}
	}
	if !special {
		s.text = raw
		return nil
	}
	out, err := decodeText(s.scratch[:0], raw, attr, cdata)
	if err != nil {
		return err
	}
	s.scratch = out
	if bytes.Equal(out, raw) {
		s.text = raw
	} else {
		s.text = out
	}
	return nil
}

// decodeText appends to out the decoding of raw (see scanner.decode).
func decodeText(out, raw []byte, attr, cdata bool) ([]byte, error) {
	var b0, b1 byte
	start := len(out)
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if !attr && !cdata && b0 == ']' && b1 == ']' && b == '>' {
			return out, errSyntax("unescaped ]]> not in CDATA section")
		}
		if b == '<' && attr {
			return out, errSyntax("unescaped < inside quoted string")
		}
		if b == '&' && !cdata {
			j := i + 1
			text, ok := "", false
			if j < len(raw) && raw[j] == '#' {
				j++
				base := 10
				if j < len(raw) && raw[j] == 'x' {
					base = 16
					j++
				}
				d := j
				for j < len(raw) && ('0' <= raw[j] && raw[j] <= '9' ||
					base == 16 && ('a' <= raw[j] && raw[j] <= 'f' || 'A' <= raw[j] && raw[j] <= 'F')) {
					j++
				}
				if j < len(raw) && raw[j] == ';' {
					n, err := strconv.ParseUint(string(raw[d:j]), base, 64)
					if err == nil && n <= utf8.MaxRune {
						text, ok = string(rune(n)), true
					}
				}
			} else {
				n := nameLen(raw[j:])
				if j+n < len(raw) && raw[j+n] == ';' && n > 0 {
					switch string(raw[j : j+n]) {
					case "lt":
						text, ok = "<", true
					case "gt":
						text, ok = ">", true
					case "amp":
						text, ok = "&", true
					case "apos":
						text, ok = "'", true
					case "quot":
						text, ok = `"`, true
					}
				}
				j += n
			}
			if !ok {
				end := min(j+1, len(raw))
				return out, errSyntax("invalid character entity " + string(raw[i:end]))
			}
			out = append(out, text...)
			i = j // at the ';'
			b0, b1 = 0, 0
			continue
		}
		if b == '\r' {
			out = append(out, '\n')
		} else if b1 == '\r' && b == '\n' {
			// \r\n: the \n is already written.
		} else {
			out = append(out, b)
		}
		b0, b1 = b1, b
	}
	// Check each character of the result, as encoding/xml does.
	data := out[start:]
	for len(data) > 0 {
		c := data[0]
		if c >= 0x20 && c < utf8.RuneSelf {
			data = data[1:]
			continue
		}
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return out, errSyntax("invalid UTF-8")
		}
		if !isInCharacterRange(r) {
			return out, errSyntax(fmt.Sprintf("illegal character code %U", r))
		}
		data = data[size:]
	}
	return out, nil
}

func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// skipElement reads up to the end of the element whose start tag was just read.
func (s *scanner) skipElement() error {
	d := s.depth()
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tokEOF:
			return errSyntax("unexpected EOF")
		case tokEnd:
			if s.depth() < d {
				return nil
			}
		}
	}
}

// readRoot reads up to the document's root element and returns its kind (tokStart or
// tokEmpty).
func (s *scanner) readRoot() (int, error) {
	for {
		k, err := s.next()
		if err != nil {
			return k, err
		}
		switch k {
		case tokEOF:
			return k, errSyntax("no root element")
		case tokStart, tokEmpty:
			return k, s.eachAttr(nil)
		}
	}
}

// declare records the namespace declarations of the tag just read (an element at depth d).
// Attributes are only searched when they hold "xmlns": most tags declare nothing.
func (s *scanner) declare(d int) error {
	if len(s.attrs) < 6 || !bytes.Contains(s.attrs, []byte("xmlns")) {
		return nil
	}
	it := attrIter{b: s.attrs}
	for it.next() {
		n := it.name
		if len(n) < 5 || string(n[:5]) != "xmlns" || len(n) > 5 && n[5] != ':' {
			continue
		}
		p := ""
		if len(n) > 5 {
			if err := checkName(n); err != nil {
				return err
			}
			p = string(local(n))
		}
		if err := s.decode(it.value, true, false); err != nil {
			return err
		}
		s.ns = append(s.ns, nsDecl{prefix: p, url: string(s.text), depth: d})
	}
	return nil
}

// dropNS forgets the declarations of elements that are closed (and of a self-closing tag once
// the next token is read).
func (s *scanner) dropNS() {
	d := len(s.open)
	for len(s.ns) > 0 && s.ns[len(s.ns)-1].depth > d {
		s.ns = s.ns[:len(s.ns)-1]
	}
}

// namespace is the namespace URL of a prefix (the default namespace for "") at the tag just
// read, declared on it or on any enclosing element, as encoding/xml resolves it: an undeclared
// prefix stands for itself.
func (s *scanner) namespace(prefix []byte) string {
	if string(prefix) == "xml" {
		return "http://www.w3.org/XML/1998/namespace"
	}
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == string(prefix) {
			return s.ns[i].url
		}
	}
	return string(prefix)
}
