package sheet

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// The streaming reader of .xlsx workbooks (issue 6): it reads a sheet's rows straight from
// the inflated worksheet XML with a byte scanner (xmlscan.go; rows.go has a fast path for the
// usual <row>/<c r="B2" s="1" t="s"><v>12</v></c> shapes), pipelined behind decompression
// (inflate.go: a goroutine inflates into a few buffers while the scanner reads the previous
// one), at about the speed of decompression. The values are exactly those of excelize's
// GetRows(sheet, excelize.Options{RawCellValue: true}); TestStreamMatchesExcelize compares
// the two on every .xlsx fixture, TestStreamRandom on random sheets. What it does not
// understand it reports as an *UnsupportedError instead of guessing; Read then falls back to
// excelize.
//
// Design choices, measured by BenchmarkXLSX (100 000 rows, 26 MB of sheet XML, 2 cores):
//   - Decompression: github.com/klauspost/compress/flate is registered as the ZIP deflate
//     decompressor (about 0.8× the time of Go's compress/flate here; the whole read is
//     about 0.9× Go's inflate time with it, 1.05× with Go's).
//   - Shared strings are read first (the ZIP's central directory allows it wherever they
//     are), into one string; each item is a substring of it, so shared cells cost nothing.
//   - Inline strings (<c t="inlineStr"><is><t>…</t></is></c>, what excelize's StreamWriter
//     writes) have a fast path too, and a text read as written is kept by its raw bytes
//     (up to 16384 of them, ≤ 64 bytes each, by their raw text): a repeated one is not decoded
//     or made a string again.
//     BenchmarkXLSXInline (the same sheet, inline): stream 223 → 39 ms, about inflate's time.
//   - Merged ranges come after the rows in a worksheet. Rows collects them on its way;
//     Merges called before Rows makes a quick pass that only searches the inflated stream
//     for <mergeCells> (about one inflate of the sheet). Read uses the one pass.
//   - Memory is bounded by the shared strings plus a few buffers, whatever the number of
//     rows: Rows does not keep rows (Read does, to build its tables).
//   - Differences from excelize on broken files only: the reader does not read styles.xml,
//     theme or calcChain, whose damage makes excelize refuse the whole file; it refuses
//     (and Read falls back) for anything it would otherwise have to guess about.

// SheetInfo is a sheet of a workbook, in the workbook's order.
type SheetInfo struct {
	Name   string
	Hidden bool // state="hidden" or "veryHidden"
}

// UnsupportedError says that a workbook has a structure the streaming reader does not
// understand (or that excelize would not read either): a non-UTF-8 encoding, a DOCTYPE,
// malformed XML, an invalid cell reference, rows out of order, a chart sheet, …. Read falls
// back to excelize for such files.
type UnsupportedError struct {
	Part   string // the ZIP member, e.g. "xl/worksheets/sheet1.xml"
	Reason string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("xlsx: %s: %s", e.Part, e.Reason)
}

func unsupported(part string, format string, args ...any) error {
	return &UnsupportedError{Part: part, Reason: fmt.Sprintf(format, args...)}
}

// partError wraps a scanner error: XML that encoding/xml would refuse, or markup this reader
// does not handle, is an UnsupportedError; a read error (a damaged ZIP member) stays itself.
func partError(part string, err error) error {
	var syn errSyntax
	var mk errUnsupportedMarkup
	if errors.As(err, &syn) || errors.As(err, &mk) {
		return &UnsupportedError{Part: part, Reason: err.Error()}
	}
	var ue *UnsupportedError
	if errors.As(err, &ue) {
		return err
	}
	return fmt.Errorf("%s: %w", part, err)
}

// Workbook is an .xlsx workbook open for streaming. Its methods may be called from several
// goroutines.
type Workbook struct {
	zr       *zip.Reader
	closer   io.Closer // the file, for a workbook opened by path
	pkg      *opcPackage
	files    map[string]*zip.File
	sheets   []SheetInfo
	parts    []string    // the worksheet part of each sheet ("" if it has none)
	kinds    []sheetKind // what each sheet is (Rows reads worksheets only)
	sstPart  string      // the shared strings the workbook's relationships name ("" if none)
	date1904 bool
	deadline time.Time // when reading must stop (zero: no limit); see xlsxTimeLimit

	sstOnce sync.Once
	sst     []string
	sstErr  error

	mu     sync.Mutex
	merges map[string][]Range // by part, once known
}

// The namespaces a part's root element must be in (encoding/xml, through excelize, checks
// them), transitional or strict (excelize reads strict files by replacing the namespaces).
const (
	nsMain        = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsMainStrict  = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsRels        = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsRelID       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRelIDStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	relOfficeDoc  = nsRelID + "/officeDocument"
	relOfficeDocS = nsRelIDStrict + "/officeDocument"
)

// OpenXLSX opens an .xlsx/.xlsm workbook for streaming: it reads the package relationships
// and the workbook part (sheet names, order, visibility, date system). Shared strings are
// read on the first call to Rows. Close it when done.
func OpenXLSX(path string) (*Workbook, error) {
	zr, err := openZip(path)
	if err != nil {
		return nil, err
	}
	return openWorkbook(&zr.Reader, zr)
}

// openWorkbook is OpenXLSX for an open ZIP (a file, or a decrypted workbook in memory); it
// closes closer, if not nil, on error or with Close.
func openWorkbook(zr *zip.Reader, closer io.Closer) (*Workbook, error) {
	w := &Workbook{zr: zr, closer: closer, pkg: newPackage(zr), merges: map[string][]Range{}}
	w.files = w.pkg.files
	if err := w.readWorkbook(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the file.
func (w *Workbook) Close() error {
	if w.closer == nil {
		return nil
	}
	return w.closer.Close()
}

// Sheets lists the sheets (worksheets, and chart, macro and dialog sheets, which Rows refuses
// and Read skips) in order.
func (w *Workbook) Sheets() []SheetInfo { return append([]SheetInfo(nil), w.sheets...) }

// Date1904 reports whether the workbook uses the 1904 date system (date serials count days
// from 1904-01-01).
func (w *Workbook) Date1904() bool { return w.date1904 }

// readPart reads a whole (small) part into memory.
func (w *Workbook) readPart(name string) ([]byte, error) {
	f := w.pkg.file(name)
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// relationship is one <Relationship> of a relationships part.
type relationship struct{ id, typ, target string }

// rels reads a relationships part (nil if there is none).
func (w *Workbook) rels(name string) ([]relationship, error) {
	data, err := w.readPart(name)
	if err != nil || data == nil {
		return nil, err
	}
	return parseRels(name, data)
}

func parseRels(name string, data []byte) ([]relationship, error) {
	s := newScanner(&bytesSource{data: data})
	k, err := s.readRoot()
	if err != nil {
		return nil, partError(name, err)
	}
	if string(local(s.name)) != "Relationships" || s.namespace(prefix(s.name)) != nsRels {
		return nil, unsupported(name, "root element <%s> is not <Relationships>", s.name)
	}
	list := []relationship{}
	if k == tokEmpty {
		return list, nil
	}
	for {
		k, err := s.next()
		if err != nil {
			return nil, partError(name, err)
		}
		if k == tokEOF {
			return list, nil
		}
		if (k == tokStart || k == tokEmpty) && string(local(s.name)) == "Relationship" && parentDepth(s, k) == 1 {
			var r relationship
			if err := s.eachAttr(func(n, v []byte) {
				switch string(local(n)) {
				case "Id":
					r.id = string(v)
				case "Target":
					r.target = string(v)
				case "Type":
					r.typ = string(v)
				}
			}); err != nil {
				return nil, partError(name, err)
			}
			list = append(list, r)
		}
	}
}

// officeDocument is the target of the package's first officeDocument relationship
// (transitional or strict), "" if it has none.
func officeDocument(rels []relationship) string {
	for _, r := range rels {
		if r.typ == relOfficeDoc || r.typ == relOfficeDocS {
			return resolveTarget("", r.target)
		}
	}
	return ""
}

// parentDepth is the number of elements enclosing the tag just read.
func parentDepth(s *scanner, k int) int {
	if k == tokStart {
		return s.depth() - 1
	}
	return s.depth()
}

func (w *Workbook) readWorkbook() error {
	rootRels, err := w.rels("_rels/.rels")
	if err != nil {
		return err
	}
	wbPath := officeDocument(rootRels)
	if wbPath == "" {
		return unsupported("_rels/.rels", "no officeDocument relationship")
	}
	if f := w.pkg.file(wbPath); f == nil {
		return unsupported(wbPath, "the workbook part is missing")
	} else {
		wbPath = partName(f.Name)
	}
	wbRels, err := w.rels(relsPath(wbPath))
	if err != nil {
		return err
	}
	sheetRels := map[string]relationship{}
	for _, r := range wbRels {
		sheetRels[r.id] = r
		if strings.HasSuffix(r.typ, "/sharedStrings") && w.sstPart == "" {
			if f := w.pkg.file(resolveTarget(wbPath, r.target)); f != nil {
				w.sstPart = partName(f.Name)
			}
		}
	}

	data, err := w.readPart(wbPath)
	if err != nil {
		return err
	}
	s := newScanner(&bytesSource{data: data})
	k, err := s.readRoot()
	if err != nil {
		return partError(wbPath, err)
	}
	if ns := s.namespace(prefix(s.name)); string(local(s.name)) != "workbook" || ns != nsMain && ns != nsMainStrict {
		return unsupported(wbPath, "root element <%s> is not <workbook> of SpreadsheetML", s.name)
	}
	type sheetRef struct{ name, state, id string }
	var refs []sheetRef
	inSheets := false
	for root := k; root == tokStart; {
		k, err = s.next()
		if err != nil {
			return partError(wbPath, err)
		}
		if k == tokEOF {
			break
		}
		pd := parentDepth(s, k)
		switch {
		case k == tokEnd && inSheets && s.depth() == 1:
			inSheets = false
		case k != tokStart && k != tokEmpty:
		case pd == 1 && string(local(s.name)) == "sheets":
			inSheets = k == tokStart
		case pd == 1 && string(local(s.name)) == "workbookPr":
			err = s.eachAttr(func(n, v []byte) {
				if string(local(n)) == "date1904" {
					b, perr := parseXMLBool(string(v))
					if perr != nil {
						err = perr
					}
					w.date1904 = b
				}
			})
			if err != nil {
				return unsupported(wbPath, "workbookPr: %v", err)
			}
		case pd == 2 && inSheets && string(local(s.name)) == "sheet":
			var r sheetRef
			err = s.eachAttr(func(n, v []byte) {
				switch ln := string(local(n)); {
				case ln == "name":
					r.name = string(v)
				case ln == "state":
					r.state = string(v)
				case ln == "id" && isRelID(s, n):
					r.id = string(v)
				}
			})
			if err != nil {
				return partError(wbPath, err)
			}
			refs = append(refs, r)
		}
	}

	seen := map[string]bool{}
	for _, r := range refs {
		if err := checkSheetName(r.name); err != nil {
			if n := len(utf16.Encode([]rune(r.name))); n > excelize.MaxSheetNameLength {
				return &LimitError{fmt.Sprintf("工作表名“%s”有 %d 个字符，超过了 Excel 的 %d 个字符上限（Excel/WPS 写不出这样的文件，文件可能已损坏）：请用 WPS/LibreOffice 打开，把工作表名改短后另存为 .xlsx",
					r.name, n, excelize.MaxSheetNameLength)}
			}
			return unsupported(wbPath, "sheet name %q: %v", r.name, err)
		}
		folded := strings.ToLower(r.name)
		if seen[folded] {
			return unsupported(wbPath, "two sheets named %q (names are compared ignoring case)", r.name)
		}
		seen[folded] = true
		part, kind := "", kindWorksheet
		if rel, ok := sheetRels[r.id]; ok {
			kind = sheetKindOf(rel.typ, rel.target)
			if f := w.pkg.file(resolveTarget(wbPath, rel.target)); f != nil {
				part = partName(f.Name)
			}
		}
		w.sheets = append(w.sheets, SheetInfo{Name: r.name, Hidden: r.state != "" && r.state != "visible"})
		w.parts = append(w.parts, part)
		w.kinds = append(w.kinds, kind)
	}
	return nil
}

// isRelID reports whether an attribute name is in the relationships namespace (r:id).
func isRelID(s *scanner, name []byte) bool {
	p := prefix(name)
	if p == nil {
		return false
	}
	ns := s.namespace(p)
	return ns == nsRelID || ns == nsRelIDStrict
}

// parseXMLBool parses a boolean attribute as encoding/xml does.
func parseXMLBool(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	return strconv.ParseBool(strings.TrimSpace(v))
}

// checkSheetName refuses the names excelize refuses (its GetRows would fail).
func checkSheetName(name string) error {
	switch {
	case name == "":
		return excelize.ErrSheetNameBlank
	case len(utf16.Encode([]rune(name))) > excelize.MaxSheetNameLength:
		return excelize.ErrSheetNameLength
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return excelize.ErrSheetNameSingleQuote
	case strings.ContainsAny(name, ":\\/?*[]"):
		return excelize.ErrSheetNameInvalid
	}
	return nil
}

// sheetPart finds a sheet by name (ignoring case, as excelize) and returns its worksheet part.
func (w *Workbook) sheetPart(sheet string) (string, error) {
	for i, s := range w.sheets {
		if strings.EqualFold(s.Name, sheet) {
			part := w.parts[i]
			if w.kinds[i] != kindWorksheet {
				return "", unsupported(part, "sheet %q is not a worksheet", s.Name)
			}
			if part == "" {
				return "", unsupported("workbook", "sheet %q has no worksheet part", s.Name)
			}
			return part, nil
		}
	}
	return "", fmt.Errorf("xlsx: no sheet named %q", sheet)
}

// sharedStrings reads the shared-string table once: the part the workbook's relationships
// name, else xl/sharedStrings.xml whatever the case of its name, as excelize (an absent table
// is empty).
func (w *Workbook) sharedStrings() ([]string, error) {
	w.sstOnce.Do(func() {
		part := w.sstPart
		if part == "" {
			part = "xl/sharedStrings.xml"
		}
		f := w.pkg.file(part)
		if f == nil {
			return
		}
		w.sst, w.sstErr = readSST(f)
		if w.sstErr != nil {
			// excelize would read a broken table as empty strings and the sheet's text would
			// vanish without a word: refuse the file instead.
			w.sstErr = &LimitError{"工作簿的共享字符串（文字内容）已损坏：请用 Excel/WPS 打开后另存为 .xlsx"}
		}
	})
	return w.sst, w.sstErr
}

func readSST(f *zip.File) ([]string, error) {
	p, err := startPipe(f)
	if err != nil {
		return nil, err
	}
	defer p.close()
	return parseSST(p, f.Name)
}

// parseSST reads a shared-string table from src.
func parseSST(src source, part string) ([]string, error) {
	s := newScanner(src)
	k, err := s.readRoot()
	if err != nil {
		return nil, partError(part, err)
	}
	if ns := s.namespace(prefix(s.name)); string(local(s.name)) != "sst" || ns != nsMain && ns != nsMainStrict {
		return nil, unsupported(part, "root element <%s> is not <sst> of SpreadsheetML", s.name)
	}
	var (
		arena []byte
		ends  []int
		si    siText
	)
	for root := k; root == tokStart; {
		k, err = s.next()
		if err != nil {
			return nil, partError(part, err)
		}
		if k == tokEOF {
			break
		}
		if (k == tokStart || k == tokEmpty) && parentDepth(s, k) == 1 && string(local(s.name)) == "si" {
			si.reset()
			if k == tokStart {
				if err := si.read(s); err != nil {
					return nil, partError(part, err)
				}
			}
			arena = si.appendTo(arena)
			ends = append(ends, len(arena))
		}
	}
	all := string(arena)
	sst := make([]string, len(ends))
	start := 0
	for i, e := range ends {
		sst[i] = all[start:e]
		start = e
	}
	return sst, nil
}

// siText accumulates a string item (<si> of the shared strings, <is> of an inline string)
// as excelize reads it: the text of its <t> child (the last one) followed by the text of
// each rich-text run <r> (the last <t> of each); phonetic runs (<rPh>) and properties are
// left out; then _xHHHH_ escapes are decoded.
type siText struct {
	t    []byte
	runs []byte
}

func (a *siText) reset() { a.t, a.runs = a.t[:0], a.runs[:0] }

// read reads the content of an <si> or <is> whose start tag was just read.
func (a *siText) read(s *scanner) error {
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
		case tokStart, tokEmpty:
			if parentDepth(s, k) != d {
				continue // deeper: inside an element being skipped below
			}
			switch string(local(s.name)) {
			case "t":
				a.t = a.t[:0]
				if k == tokStart {
					if a.t, err = readText(s, a.t); err != nil {
						return err
					}
				}
			case "r":
				if k == tokEmpty {
					continue
				}
				start := len(a.runs)
				for {
					k, err := s.next()
					if err != nil {
						return err
					}
					if k == tokEOF {
						return errSyntax("unexpected EOF")
					}
					if k == tokEnd && s.depth() == d {
						break
					}
					if (k == tokStart || k == tokEmpty) && parentDepth(s, k) == d+1 {
						if string(local(s.name)) == "t" {
							a.runs = a.runs[:start]
							if k == tokStart {
								if a.runs, err = readText(s, a.runs); err != nil {
									return err
								}
							}
						} else if k == tokStart {
							if err := s.skipElement(); err != nil {
								return err
							}
						}
					}
				}
			default:
				if k == tokStart {
					if err := s.skipElement(); err != nil {
						return err
					}
				}
			}
		}
	}
}

// appendTo appends the item's string to b.
func (a *siText) appendTo(b []byte) []byte {
	start := len(b)
	b = append(b, a.t...)
	b = append(b, a.runs...)
	if hasBstr(b[start:]) {
		dec := bstrUnmarshal(string(b[start:]))
		b = append(b[:start], dec...)
	}
	return b
}

func (a *siText) String() string {
	return string(a.appendTo(nil))
}

// readText appends the character data of the element whose start tag was just read (not of
// elements inside it, which are skipped) and reads up to its end.
func readText(s *scanner, out []byte) ([]byte, error) {
	d := s.depth()
	for {
		k, err := s.next()
		if err != nil {
			return out, err
		}
		switch k {
		case tokEOF:
			return out, errSyntax("unexpected EOF")
		case tokText:
			out = append(out, s.text...)
		case tokStart:
			if err := s.skipElement(); err != nil {
				return out, err
			}
		case tokEnd:
			if s.depth() < d {
				return out, nil
			}
		}
	}
}

// hasBstr reports whether b may hold an _xHHHH_ escape.
func hasBstr(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '_' && b[i+1] == 'x' {
			return true
		}
	}
	return false
}

// bstrUnmarshal decodes the _xHHHH_ escapes of OOXML strings exactly as excelize does
// (_x005F_ is "_"; an escape of a UTF-16 surrogate is dropped).
func bstrUnmarshal(s string) string {
	var b strings.Builder
	cursor := 0
	for i := 0; i+7 <= len(s); {
		if s[i] == '_' && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5]) && s[i+6] == '_' {
			b.WriteString(s[cursor:i])
			if s[i:i+7] == "_x005F_" {
				b.WriteByte('_')
			} else if v, err := strconv.Unquote(`"\u` + s[i+2:i+6] + `"`); err == nil {
				b.WriteString(v)
			}
			i += 7
			cursor = i
			continue
		}
		i++
	}
	if cursor == 0 {
		return s
	}
	b.WriteString(s[cursor:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
