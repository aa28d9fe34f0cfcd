package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Rows calls fn for each row of the sheet that has a value, in order. rowIndex is 0-based
// (spreadsheet row rowIndex+1, like Table.Rows); rows not reported are empty. cells are the
// row's values as excelize's GetRows with RawCellValue gives them: numbers and date serials as
// stored, shared and inline strings resolved (rich text concatenated), booleans "1"/"0",
// errors as "#DIV/0!" etc., formulas as their cached value; empty cells before a value are
// "", trailing empty cells are left out. The cells slice is reused: it is valid only during
// the call (copy it to keep it); the strings in it may be kept.
//
// If fn returns an error, Rows stops and returns it. An *UnsupportedError says the sheet has
// a structure this reader does not understand (Read then uses excelize); other errors are a
// damaged file. After Rows has read the whole sheet, Merges for it costs nothing.
func (w *Workbook) Rows(sheet string, fn func(rowIndex int, cells []string) error) error {
	part, err := w.sheetPart(sheet)
	if err != nil {
		return err
	}
	// Start inflating the sheet while the shared strings are read.
	p, err := startPipe(w.files[part])
	if err != nil {
		return err
	}
	defer p.close()
	sst, err := w.sharedStrings()
	if err != nil {
		return err
	}
	r := &sheetReader{s: newScanner(p), part: part, sst: sst, date1904: w.date1904, deadline: w.deadline, fn: fn}
	if err := r.run(); err != nil {
		if r.fnErr {
			return err
		}
		return partError(part, err)
	}
	merges, err := mergeRanges(part, r.mergeRefs, w.deadline)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.merges[part] = merges
	w.mu.Unlock()
	return nil
}

// Merges returns the merged ranges of a sheet, as excelize's GetMergeCells gives them
// (overlapping ranges joined into one), 0-based.
//
// The worksheet stores them after all its rows (<mergeCells> follows <sheetData>). Rows
// collects them on its way, so Merges after Rows costs nothing. Called before Rows, Merges
// inflates the sheet once more and only searches the inflated stream for <mergeCells>
// (bytes.Index, no parsing of rows): about the cost of decompressing the sheet, see
// BenchmarkXLSX/merges-first. A caller that needs the merges to interpret the first rows can
// either call Merges first or keep the first rows until Rows is done.
func (w *Workbook) Merges(sheet string) ([]Range, error) {
	part, err := w.sheetPart(sheet)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	m, ok := w.merges[part]
	w.mu.Unlock()
	if ok {
		return m, nil
	}
	refs, err := scanMergeRefs(w.files[part])
	if err != nil {
		return nil, partError(part, err)
	}
	m, err = mergeRanges(part, refs, w.deadline)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.merges[part] = m
	w.mu.Unlock()
	return m, nil
}

// sheetReader reads the rows of one worksheet.
type sheetReader struct {
	s        *scanner
	part     string
	sst      []string
	date1904 bool
	deadline time.Time // zero: none
	ticks    int
	fn       func(int, []string) error
	fnErr    bool // the error came from fn

	row     int // the current (or last) row number, 1-based; 0 before the first
	inRow   bool
	cellCol int
	cells   []string
	rowBuf  []byte // the text of the row's values that are not shared strings
	pend    []pendingCell
	cache   [cacheSize]string
	inline  *inlineCache // made at the first inline-string cell the fast path reads

	ref       []byte
	v         []byte
	si        siText
	mergeRefs []string
}

// pendingCell is a value in rowBuf[start:end] for cells[idx], made a string at the row's end
// (and then kept in *slot, a slot of one of the caches, if not nil).
type pendingCell struct {
	idx, start, end int
	slot            *string
	// inline: the value is kept in the inline-string cache, under raw (its raw text when
	// decoding changed it; "" when the value is its raw text).
	inline bool
	raw    string
}

// Cell types that matter for the value: others give <v> as it is.
const (
	typeOther = iota
	typeShared
	typeInline
	typeDate // t="d": an ISO 8601 date, given as a serial (isoSerial)
)

func cellType(t []byte) int {
	switch string(t) {
	case "s":
		return typeShared
	case "inlineStr":
		return typeInline
	case "d":
		return typeDate
	}
	return typeOther
}

func (r *sheetReader) run() error {
	s := r.s
	k, err := s.readRoot()
	if err != nil {
		return err
	}
	if ns := s.namespace(prefix(s.name)); string(local(s.name)) != "worksheet" || ns != nsMain && ns != nsMainStrict {
		return unsupported(r.part, "root element <%s> is not <worksheet> of SpreadsheetML", s.name)
	}
	if k == tokEmpty {
		return nil
	}
	// Up to <sheetData>.
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEOF {
			return nil
		}
		if k != tokStart && k != tokEmpty {
			continue
		}
		switch string(local(s.name)) {
		case "sheetData":
			if parentDepth(s, k) != 1 {
				return unsupported(r.part, "<sheetData> not in <worksheet>")
			}
			if k == tokStart {
				if err := r.sheetData(); err != nil {
					return err
				}
			}
			return r.afterSheetData()
		case "row", "c":
			return unsupported(r.part, "<%s> before <sheetData>", s.name)
		case "mergeCells":
			if parentDepth(s, k) == 1 && k == tokStart {
				if err := r.mergeCells(); err != nil {
					return err
				}
			}
		}
	}
}

// sheetData reads the rows, up to </sheetData>.
func (r *sheetReader) sheetData() error {
	s := r.s
	d := s.depth()
	for {
		if r.inRow {
			ok, err := r.fastCell()
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			if ok, err = r.fastRowEnd(); err != nil {
				return err
			} else if ok {
				continue
			}
		} else if ok, err := r.fastRowStart(); err != nil {
			return err
		} else if ok {
			continue
		}
		if r.ticks++; r.ticks&(1<<16-1) == 0 && pastDeadline(r.deadline) {
			return errTimeLimit()
		}
		k, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tokEOF:
			return errSyntax("unexpected EOF")
		case tokEnd:
			if s.depth() < d {
				if r.inRow {
					return unsupported(r.part, "unclosed <row>")
				}
				return nil
			}
			if r.inRow && s.depth() == d && string(local(s.name)) == "row" {
				if err := r.endRow(); err != nil {
					return err
				}
			}
		case tokStart, tokEmpty:
			switch string(local(s.name)) {
			case "row":
				if err := r.startRow(k); err != nil {
					return err
				}
			case "c":
				if !r.inRow {
					return unsupported(r.part, "<c> outside <row>")
				}
				if err := r.cell(k); err != nil {
					return err
				}
			}
		}
	}
}

// startRow begins a row at its start tag (already read).
func (r *sheetReader) startRow(k int) error {
	s := r.s
	if r.inRow {
		return unsupported(r.part, "<row> inside <row>")
	}
	num, bad := 0, false
	err := s.eachAttr(func(n, v []byte) {
		if string(local(n)) == "r" && !bad {
			var err error
			num, err = strconv.Atoi(string(v)) // excelize's attrValToInt: the first bad one stops
			bad = err != nil
		}
	})
	if err != nil {
		return err
	}
	return r.beginRow(num, k == tokEmpty)
}

// beginRow starts row number num (0: the next one).
func (r *sheetReader) beginRow(num int, empty bool) error {
	switch {
	case num > excelize.TotalRows: // Excel and excelize refuse it too
		return errRowNumber(num)
	case num < 0:
		return unsupported(r.part, "row number %d", num)
	case num == 0:
		num = r.row + 1
		if num > excelize.TotalRows { // rows without r past Excel's last row: a crafted file
			return &LimitError{fmt.Sprintf("工作表超过 Excel 的 %d 行上限（文件可能已损坏或是恶意构造的）", excelize.TotalRows)}
		}
	case num <= r.row:
		return unsupported(r.part, "row %d after row %d", num, r.row)
	}
	r.row = num
	r.cellCol = 0
	r.inRow = !empty
	return nil
}

// errRowNumber refuses a row number past Excel's last row: no spreadsheet program writes one,
// the file is damaged (or made by hand), there is no data to split.
func errRowNumber(n int) error {
	row := "第 " + strconv.Itoa(n) + " 行"
	if n <= 0 {
		row = "一个行号"
	}
	return &sheetLimitError{LimitError{fmt.Sprintf("文件已损坏：%s超出了 Excel 的 %d 行上限，Excel/WPS 写不出这样的行号：请用 Excel/WPS 打开后另存为 .xlsx，或重新导出", row, excelize.TotalRows)}}
}

// sheetLimitError is a LimitError met in one sheet: Read names the sheet.
type sheetLimitError struct{ LimitError }

func (e *sheetLimitError) Unwrap() error { return &e.LimitError }

// endRow reports the row just ended.
func (r *sheetReader) endRow() error {
	r.inRow = false
	if r.ticks++; r.ticks&(1<<12-1) == 0 && pastDeadline(r.deadline) {
		return errTimeLimit()
	}
	if len(r.pend) > 0 {
		str := string(r.rowBuf)
		for _, p := range r.pend {
			v := str[p.start:p.end]
			r.cells[p.idx] = v
			if p.slot != nil || p.inline {
				if len(str) > maxSharedRow {
					v = strings.Clone(v) // not to keep a long row's text alive in the cache
				}
			}
			if p.slot != nil {
				*p.slot = v
			}
			if p.inline {
				key := p.raw
				if key == "" {
					key = v
				}
				r.inline.put(key, v)
			}
		}
		r.pend = r.pend[:0]
		r.rowBuf = r.rowBuf[:0]
	}
	if len(r.cells) == 0 {
		return nil
	}
	err := r.fn(r.row-1, r.cells)
	clear(r.cells)
	r.cells = r.cells[:0]
	if err != nil {
		r.fnErr = true
	}
	return err
}

// column moves to a cell's column: the next one, or the column of its reference.
func (r *sheetReader) column(ref []byte) error {
	if len(ref) == 0 {
		r.cellCol++
		return nil
	}
	col := 0
	i := 0
	for i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z' && i < 3 {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	row := 0
	j := i
	for j < len(ref) && '0' <= ref[j] && ref[j] <= '9' && j-i < 8 {
		row = row*10 + int(ref[j]-'0')
		j++
	}
	if i == 0 || j == i || j < len(ref) || col > excelize.MaxColumns || row < 1 || row > excelize.TotalRows {
		// Not plain: let excelize decide ($A$1, lowercase, or an error).
		c, _, err := excelize.CellNameToCoordinates(string(ref))
		if errors.Is(err, excelize.ErrMaxRows) {
			n, _ := strconv.Atoi(string(ref[i:]))
			return errRowNumber(n)
		}
		if err != nil {
			return unsupported(r.part, "cell reference %q: %v", ref, err)
		}
		col = c
	}
	r.cellCol = col
	return nil
}

// put records a cell's value (val, or the pending text in rowBuf[start:] when shared is
// false) as excelize does: only a value that is not empty (or a formula's); after blanks up
// to its column; at the end of the row if its column is not after the last value.
func (r *sheetReader) putShared(val string, keep bool) {
	if !keep && val == "" {
		return
	}
	r.pad()
	r.cells = append(r.cells, val)
}

// pad adds the blank cells before the current column.
func (r *sheetReader) pad() {
	for i := len(r.cells) + 1; i < r.cellCol; i++ {
		r.cells = append(r.cells, "")
	}
}

func (r *sheetReader) putText(text []byte, keep bool) {
	if !keep && len(text) == 0 {
		return
	}
	r.pad()
	var slot *string
	if len(text) <= maxCached {
		slot = &r.cache[cacheSlot(text)]
		if c := *slot; c == string(text) && c != "" {
			r.cells = append(r.cells, c)
			return
		}
	}
	r.pending(text, slot)
}

// pending adds a cell whose string is made at the row's end (and then kept in *slot).
func (r *sheetReader) pending(text []byte, slot *string) {
	start := len(r.rowBuf)
	r.rowBuf = append(r.rowBuf, text...)
	r.pend = append(r.pend, pendingCell{idx: len(r.cells), start: start, end: len(r.rowBuf), slot: slot})
	r.cells = append(r.cells, "")
}

// Short values that are not shared strings (numbers, dates) repeat from row to row: a small
// cache of the strings made for them saves making them again. A value kept in a cache (this
// one or the inline strings') is a substring of its row's text when that is at most
// maxSharedRow bytes, else a copy: the caches keep at most a few MB alive.
const (
	maxCached    = 16
	cacheSize    = 1024
	maxSharedRow = 1024
)

func cacheSlot(b []byte) int {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return int(h & (cacheSize - 1))
}

// sharedIndex is the index of a shared-string cell as excelize reads it: strconv.Atoi of the
// trimmed text, whatever Atoi returns on error (0, or the clamped value out of range).
func sharedIndex(v []byte) int {
	if len(v) > 0 && len(v) <= 9 {
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
slow:
	i, _ := strconv.Atoi(strings.TrimSpace(string(v)))
	return i
}

func (r *sheetReader) shared(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	i := sharedIndex(v)
	if i < 0 || i >= len(r.sst) {
		return "" // excelize: an error, which GetRows ignores
	}
	return r.sst[i]
}

// value stores the value of a cell of type typ with <v> text v.
func (r *sheetReader) value(typ int, v []byte, keep bool) {
	switch typ {
	case typeShared:
		r.putShared(r.shared(v), keep)
	case typeDate:
		r.putDate(v, keep)
	default:
		r.putText(v, keep)
	}
}

// putDate stores the value of a t="d" cell: its serial, or the text if it is no ISO date.
func (r *sheetReader) putDate(v []byte, keep bool) {
	if serial, ok := isoSerial(v, r.date1904); ok {
		r.putShared(serial, keep)
		return
	}
	r.putText(v, keep)
}

// cell reads a cell whose start tag was just read (the general case).
func (r *sheetReader) cell(k int) error {
	s := r.s
	typ := typeOther
	r.ref = r.ref[:0]
	badStyle := false
	err := s.eachAttr(func(n, v []byte) {
		switch string(local(n)) {
		case "r":
			r.ref = append(r.ref[:0], v...)
		case "t":
			typ = cellType(v)
		case "s":
			if _, err := strconv.ParseInt(string(v), 10, 64); err != nil {
				badStyle = true
			}
		}
	})
	if err != nil {
		return err
	}
	if badStyle {
		return unsupported(r.part, "a cell's style is not a number")
	}
	hasF, hasIS := false, false
	r.v = r.v[:0]
	r.si.reset()
	if k == tokStart {
		d := s.depth()
	content:
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
					break content
				}
			case tokStart, tokEmpty:
				switch string(local(s.name)) {
				case "v":
					r.v = r.v[:0]
					if k == tokStart {
						if r.v, err = readText(s, r.v); err != nil {
							return err
						}
					}
				case "f":
					hasF = true
					if k == tokStart {
						if err := s.skipElement(); err != nil {
							return err
						}
					}
				case "is":
					hasIS = true
					if k == tokStart {
						if err := r.si.read(s); err != nil {
							return err
						}
					}
				case "c", "row":
					return unsupported(r.part, "<%s> inside <c>", s.name)
				}
			}
		}
	}
	if err := r.column(r.ref); err != nil {
		return err
	}
	if typ == typeInline && hasIS {
		val := r.si.String()
		r.putText([]byte(val), hasF)
		return nil
	}
	r.value(typ, r.v, hasF)
	return nil
}

// fastCell reads a cell of the usual form, <c r="B2" s="1" t="s"><v>12</v></c>, straight
// from the window; it returns false (reading nothing) for anything else, which the general
// path then reads.
func (r *sheetReader) fastCell() (bool, error) {
	s := r.s
	for {
		n, err := r.scanCell(s.buf[s.r:])
		if err != nil {
			return false, err
		}
		if n > 0 {
			s.r += n
			return true, nil
		}
		if n == 0 {
			return false, nil
		}
		// The window ends inside the cell.
		if !s.more() {
			return false, nil
		}
	}
}

// plain marks the bytes that stand for themselves in text and attribute values: printable
// ASCII but for the markup characters (& < > ] and quotes).
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `&<>]"'` {
		t[c] = false
	}
	return t
}()

// scanCell matches a simple cell at the start of b, and stores its value: unprefixed,
// attributes in double quotes after single spaces, values of plain ASCII, content
// <v>plain text</v> or nothing. It returns the bytes it took, 0 if b does not start with a
// simple cell (nothing is stored), or -1 if b ends inside it.
func (r *sheetReader) scanCell(b []byte) (int, error) {
	if len(b) < 3 {
		return -1, nil
	}
	if b[0] != '<' || b[1] != 'c' {
		return 0, nil
	}
	typ, col := typeOther, 0
	var ref []byte
	i := 2
	for {
		if i+3 >= len(b) {
			return -1, nil
		}
		if b[i] == '>' {
			i++
			break
		}
		if b[i] != ' ' {
			return 0, nil
		}
		i++
		if b[i+1] != '=' || b[i+2] != '"' {
			return 0, nil
		}
		k := i + 3
		j := k
		switch b[i] {
		case 'r':
			c := 0
			for j < len(b) && 'A' <= b[j] && b[j] <= 'Z' {
				c = c*26 + int(b[j]-'A'+1)
				j++
			}
			letters := j - k
			row := 0
			for j < len(b) && '0' <= b[j] && b[j] <= '9' {
				row = row*10 + int(b[j]-'0')
				j++
			}
			digits := j - k - letters
			for j < len(b) && plain[b[j]] {
				j++
			}
			if j >= len(b) {
				return -1, nil
			}
			if b[j] != '"' {
				return 0, nil
			}
			col, ref = 0, b[k:j]
			if letters > 0 && letters <= 3 && digits > 0 && digits <= 7 && k+letters+digits == j &&
				c <= excelize.MaxColumns && row >= 1 && row <= excelize.TotalRows {
				col = c
			}
		case 's':
			for j < len(b) && '0' <= b[j] && b[j] <= '9' {
				j++
			}
			if j >= len(b) {
				return -1, nil
			}
			if b[j] != '"' || j == k || j-k > 18 {
				return 0, nil
			}
		case 't':
			for j < len(b) && plain[b[j]] {
				j++
			}
			if j >= len(b) {
				return -1, nil
			}
			if b[j] != '"' {
				return 0, nil
			}
			typ = typeOther
			if j == k+1 && b[k] == 's' {
				typ = typeShared
			} else if j == k+1 && b[k] == 'd' {
				typ = typeDate
			} else if string(b[k:j]) == "inlineStr" {
				typ = typeInline
			}
		default:
			return 0, nil
		}
		i = j + 1
	}
	if len(b)-i < 4 {
		return -1, nil
	}
	if b[i] != '<' {
		return 0, nil
	}
	if typ == typeInline && b[i+1] == 'i' {
		return r.scanInline(b, i, col, ref)
	}
	var v []byte
	index := -1
	end := 0
	if b[i+1] == '/' {
		if b[i+2] != 'c' || b[i+3] != '>' {
			return 0, nil
		}
		end = i + 4
	} else {
		if b[i+1] != 'v' || b[i+2] != '>' {
			return 0, nil
		}
		i += 3
		j := i
		if typ == typeShared {
			n := 0
			for j < len(b) && '0' <= b[j] && b[j] <= '9' && j-i < 9 {
				n = n*10 + int(b[j]-'0')
				j++
			}
			if j > i {
				index = n
			}
		}
		digitsEnd := j
		for j < len(b) && plain[b[j]] {
			j++
		}
		if j != digitsEnd {
			index = -1 // not just digits: sharedIndex decides
		}
		if len(b)-j < 8 {
			return -1, nil
		}
		if b[j] != '<' || string(b[j:j+8]) != "</v></c>" {
			return 0, nil
		}
		v = b[i:j]
		end = j + 8
	}
	// Store it.
	if col > 0 {
		r.cellCol = col
	} else if err := r.column(ref); err != nil {
		return 0, err
	}
	if typ == typeDate {
		r.putDate(v, false)
	} else if typ != typeShared {
		r.putText(v, false)
	} else if len(v) > 0 {
		if index < 0 {
			index = sharedIndex(v)
		}
		if index >= 0 && index < len(r.sst) {
			r.putShared(r.sst[index], false)
		}
	}
	return end, nil
}

// The content of an inline-string cell the fast path reads: <is><t>text</t></is>, the <t>
// with or without xml:space="preserve" (what excelize's StreamWriter and most export tools
// write).
const (
	isT         = "<is><t>"
	isTPreserve = `<is><t xml:space="preserve">`
	tIsC        = "</t></is></c>"
	// maxFastInline is how much of the window an unfinished inline cell may take before the
	// fast path leaves it to the general one (which reads a long text without rescanning it).
	maxFastInline = 64 << 10
)

// scanInline matches the content of an inline-string cell, b[i:], whose start tag scanCell
// has read (col and ref as there), and stores its value: the text decoded as the general path
// decodes it (entities, character references, line ends, and the same errors). A text with
// an _xHHHH_ escape, rich text, or anything else is left to the general path (0).
func (r *sheetReader) scanInline(b []byte, i, col int, ref []byte) (int, error) {
	rest := b[i:]
	k := 0
	switch {
	case len(rest) >= len(isT) && string(rest[:len(isT)]) == isT:
		k = len(isT)
	case len(rest) >= len(isTPreserve) && string(rest[:len(isTPreserve)]) == isTPreserve:
		k = len(isTPreserve)
	case len(rest) < len(isTPreserve) && (strings.HasPrefix(isT, string(rest)) || strings.HasPrefix(isTPreserve, string(rest))):
		return -1, nil
	default:
		return 0, nil
	}
	text := rest[k:]
	j := bytes.IndexByte(text, '<')
	if j < 0 || len(text)-j < len(tIsC) {
		if len(b) >= maxFastInline {
			return 0, nil
		}
		return -1, nil
	}
	if string(text[j:j+len(tIsC)]) != tIsC {
		return 0, nil
	}
	raw := text[:j]
	n := i + k + j + len(tIsC)
	if len(raw) == 0 {
		// An empty text: no value, as in the general path (the cell still takes its column).
		return n, r.setColumn(col, ref)
	}
	// A text seen before (in the cache, by its raw text: no _xHHHH_ escape) is that string.
	keep := len(raw) <= maxInlineCached
	if keep {
		if r.inline == nil {
			r.inline = &inlineCache{m: map[string]string{}}
		}
		// The text of the cell above (the same column's last kept text) first: a column of
		// branches, activities or statuses repeats row after row.
		var last *lastInline
		if col > 0 && col < len(r.inline.last) {
			last = &r.inline.last[col]
			if last.ok && bytes.Equal(last.raw, raw) {
				r.cellCol = col
				r.putShared(last.val, false)
				return n, nil
			}
		}
		v, ok := r.inline.m[string(raw)]
		if last != nil {
			last.raw, last.val, last.ok = append(last.raw[:0], raw...), v, ok
		}
		if ok {
			if err := r.setColumn(col, ref); err != nil {
				return 0, err
			}
			r.putShared(v, false)
			return n, nil
		}
	}
	text = raw
	for _, c := range raw {
		if !plain[c] {
			if err := r.s.decode(raw, false, false); err != nil {
				return 0, err
			}
			text = r.s.text
			break
		}
	}
	if hasBstr(text) {
		return 0, nil
	}
	if err := r.setColumn(col, ref); err != nil {
		return 0, err
	}
	r.pad()
	r.pending(text, nil)
	if keep {
		p := &r.pend[len(r.pend)-1]
		p.inline = true
		if len(text) != len(raw) || &text[0] != &raw[0] {
			// Decoding changed it (entities, character references such as openpyxl writes
			// for every non-ASCII character): kept under a copy of its raw text.
			p.raw = string(raw)
		}
	}
	return n, nil
}

// setColumn moves to a cell's column: col when scanCell read a plain reference, else from ref.
func (r *sheetReader) setColumn(col int, ref []byte) error {
	if col > 0 {
		r.cellCol = col
		return nil
	}
	return r.column(ref)
}

// Inline strings (excelize's StreamWriter and many export tools write every text cell
// inline) repeat from row to row as shared strings do: the strings made for them are kept by
// their raw text, so that a repeated text is neither decoded nor copied again. At most
// inlineCacheSize texts of at most maxInlineCached bytes each are kept (with the rows they are
// part of, at most inlineCacheSize·maxSharedRow bytes), with a copy of the raw text when it is
// not the value (openpyxl writes every non-ASCII character as a character reference).
const (
	maxInlineCached = 64
	inlineCacheSize = 16384
)

// inlineCache keeps the texts by their raw text (a map: 4 000 distinct names and IDs of a
// long sign-in sheet thrashed a direct-mapped table of 4096 slots). When full it starts again.
type inlineCache struct {
	m    map[string]string
	last [32]lastInline // by column (1-based)
}

// lastInline is the last text found in the cache for a column: its raw bytes and value.
type lastInline struct {
	raw []byte
	val string
	ok  bool
}

func (c *inlineCache) put(raw, v string) {
	if len(c.m) >= inlineCacheSize {
		clear(c.m)
	}
	c.m[raw] = v
}

// fastRowStart reads a row's start tag of the usual form, <row r="2" spans="1:7" ht="20">,
// straight from the window (attributes in double quotes after single spaces, plain values).
func (r *sheetReader) fastRowStart() (bool, error) {
	s := r.s
	for {
		b := s.buf[s.r:]
		n, num, empty := scanRowStart(b)
		if n > 0 {
			s.r += n
			if !empty {
				s.push(b[1:4])
			}
			return true, r.beginRow(num, empty)
		}
		if n == 0 || !s.more() {
			return false, nil
		}
	}
}

func scanRowStart(b []byte) (n, num int, empty bool) {
	if len(b) < 5 {
		return -1, 0, false
	}
	if string(b[:4]) != "<row" {
		return 0, 0, false
	}
	i := 4
	for {
		if i+1 >= len(b) {
			return -1, 0, false
		}
		switch b[i] {
		case '>':
			return i + 1, num, false
		case '/':
			if b[i+1] != '>' {
				return 0, 0, false
			}
			return i + 2, num, true
		case ' ':
		default:
			return 0, 0, false
		}
		i++
		j, colon := i, -1
		for j < len(b) && ('a' <= b[j] && b[j] <= 'z' || 'A' <= b[j] && b[j] <= 'Z' || '0' <= b[j] && b[j] <= '9' && j > i || b[j] == ':') {
			if b[j] == ':' {
				if colon >= 0 || j == i {
					return 0, 0, false
				}
				colon = j
			}
			j++
		}
		if j+1 >= len(b) {
			return -1, 0, false
		}
		if j == i || b[j] != '=' || b[j+1] != '"' || colon == j-1 || colon > 0 && string(b[colon+1:j]) == "r" {
			return 0, 0, false
		}
		if j-i >= 5 && string(b[i:i+5]) == "xmlns" {
			return 0, 0, false // a namespace declaration: the general path records it
		}
		k := j + 2
		v := k
		if j == i+1 && b[i] == 'r' {
			num = 0
			for v < len(b) && '0' <= b[v] && b[v] <= '9' && v-k < 8 {
				num = num*10 + int(b[v]-'0')
				v++
			}
			if v < len(b) && b[v] != '"' {
				return 0, 0, false // not plain digits: the general path parses it
			}
		}
		for v < len(b) && plain[b[v]] {
			v++
		}
		if v >= len(b) {
			return -1, 0, false
		}
		if b[v] != '"' {
			return 0, 0, false
		}
		i = v + 1
	}
}

// fastRowEnd reads </row> straight from the window.
func (r *sheetReader) fastRowEnd() (bool, error) {
	s := r.s
	b := s.buf[s.r:]
	if len(b) < 6 || string(b[:6]) != "</row>" {
		return false, nil
	}
	if n := len(s.open); n == 0 || string(s.stack[s.open[n-1]:]) != "row" {
		return false, nil
	}
	s.r += 6
	s.stack = s.stack[:s.open[len(s.open)-1]]
	s.open = s.open[:len(s.open)-1]
	s.dropNS()
	return true, r.endRow()
}

// afterSheetData reads the rest of the worksheet, collecting the merged ranges.
func (r *sheetReader) afterSheetData() error {
	s := r.s
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tokEOF:
			return nil
		case tokStart:
			if parentDepth(s, k) == 1 && string(local(s.name)) == "mergeCells" {
				if err := r.mergeCells(); err != nil {
					return err
				}
			}
		}
	}
}

// mergeCells reads the <mergeCell ref="…"/> elements of a <mergeCells> just started.
func (r *sheetReader) mergeCells() error {
	refs, err := readMergeCells(r.s, r.mergeRefs)
	r.mergeRefs = refs
	return err
}

func readMergeCells(s *scanner, refs []string) ([]string, error) {
	d := s.depth()
	for {
		k, err := s.next()
		if err != nil {
			return refs, err
		}
		switch k {
		case tokEOF:
			return refs, errSyntax("unexpected EOF")
		case tokEnd:
			if s.depth() < d {
				return refs, nil
			}
		case tokStart, tokEmpty:
			if parentDepth(s, k) == d && string(local(s.name)) == "mergeCell" {
				ref := ""
				if err := s.eachAttr(func(n, v []byte) {
					if string(local(n)) == "ref" {
						ref = string(v)
					}
				}); err != nil {
					return refs, err
				}
				refs = append(refs, ref)
			}
		}
	}
}

// Head reads a sheet's first n rows (index < n, as Rows reports them; rows without values are
// nil) and, with merges, its merged ranges in the same pass: past the n-th row it only searches
// the rest of the stream for <mergeCells>, as Merges does (about the cost of decompressing
// the sheet); without, it stops after the n-th row. It is for a sheet too large to keep: its
// first rows tell what it holds, Rows then streams it. found says whether the merged ranges
// were looked for (with merges, or a sheet of at most n rows). Errors are those of Rows.
func (w *Workbook) Head(sheet string, n int, merges bool) (rows [][]string, ranges []Range, found bool, err error) {
	part, err := w.sheetPart(sheet)
	if err != nil {
		return nil, nil, false, err
	}
	p, err := startPipe(w.files[part])
	if err != nil {
		return nil, nil, false, err
	}
	defer p.close()
	sst, err := w.sharedStrings()
	if err != nil {
		return nil, nil, false, err
	}
	rows = [][]string{}
	r := &sheetReader{s: newScanner(p), part: part, sst: sst, date1904: w.date1904, deadline: w.deadline}
	r.fn = func(i int, cells []string) error {
		if i >= n {
			return errHeadDone
		}
		for len(rows) < i {
			rows = append(rows, nil)
		}
		rows = append(rows, append([]string(nil), cells...))
		return nil
	}
	var refs []string
	switch err = r.run(); {
	case err == nil:
		refs = r.mergeRefs
	case r.fnErr && errors.Is(err, errHeadDone) && !merges:
		return rows, nil, false, nil
	case r.fnErr && errors.Is(err, errHeadDone):
		if refs, err = mergeRefsFrom(r.s, r.mergeRefs); err != nil {
			return nil, nil, false, partError(part, err)
		}
	default:
		return nil, nil, false, partError(part, err)
	}
	if ranges, err = mergeRanges(part, refs, w.deadline); err != nil {
		return nil, nil, false, err
	}
	return rows, ranges, true, nil
}

// errHeadDone stops Head's reading of rows.
var errHeadDone = errors.New("head read")

// scanMergeRefs finds the merged ranges of a worksheet without reading its rows: it searches
// the inflated stream for the <mergeCells> element and reads only that.
func scanMergeRefs(f *zip.File) ([]string, error) {
	p, err := startPipe(f)
	if err != nil {
		return nil, err
	}
	defer p.close()
	return mergeRefsFrom(newScanner(p), nil)
}

// mergeRefsFrom searches the rest of a scanner's stream for <mergeCells> and reads their refs.
func mergeRefsFrom(s *scanner, refs []string) ([]string, error) {
	for {
		found, err := s.seekTag("mergeCells")
		if err != nil || !found {
			return refs, err
		}
		s.open, s.stack = s.open[:0], s.stack[:0]
		k, err := s.next()
		if err != nil {
			return refs, err
		}
		if k == tokStart {
			if refs, err = readMergeCells(s, refs); err != nil {
				return refs, err
			}
		}
	}
}

// seekTag moves to the next start tag with the given local name (any prefix), searching the
// raw bytes; it returns false at the end of the input.
func (s *scanner) seekTag(name string) (bool, error) {
	pat := []byte(name)
	const back = 64 // room for a prefix before the name
	for {
		from := s.r + s.seen
		i := bytes.Index(s.buf[from:], pat)
		if i >= 0 {
			p := from + i
			end := p + len(pat)
			if end >= len(s.buf) { // cannot tell yet whether the name ends here
				s.seen = p - s.r
				if !s.more() {
					return false, s.err
				}
				continue
			}
			q := p - 1
			for q >= s.r && q > p-back && s.buf[q] != '<' && isNameByte(s.buf[q]) && s.buf[q] != '>' {
				q--
			}
			if q >= s.r && s.buf[q] == '<' && (q == p-1 || s.buf[p-1] == ':') && !isNameByte(s.buf[end]) {
				s.r, s.seen = q, 0
				return true, nil
			}
			s.seen = p + 1 - s.r
			continue
		}
		// Keep the tail that may hold the start of a match (and a prefix before it).
		if keep := len(pat) + back; len(s.buf)-s.r > keep {
			s.r = len(s.buf) - keep
		}
		s.seen = max(0, len(s.buf)-s.r-(len(pat)-1))
		if !s.more() {
			return false, s.err
		}
	}
}
