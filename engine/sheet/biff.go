package sheet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
)

// The reader of the BIFF record stream of an .xls (the "Workbook" stream of Excel 97–2003 and
// WPS, BIFF8; the "Book" stream of Excel 5.0/95, BIFF5/7). It reads the cells itself rather than
// through a library: github.com/pbnjay/grate, used before, dropped LABEL records (text written
// by older BIFF writers: whole sheets came back empty), turned 8-bit formula strings into "�",
// read only a stream named exactly "Workbook", refused a compound file with a class id (WPS),
// knew neither BIFF5 nor RC4 CryptoAPI, and read RK numbers wrong. It never trusts a length it
// has not checked against the stream; a malformed record makes the whole file damaged (an
// error, never a silently shorter sheet).

// BIFF record types ([MS-XLS] 2.3).
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recCodePage   = 0x0042
	recDate1904   = 0x0022
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recWsBool     = 0x0081
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recRString    = 0x00D6
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recBoolErr    = 0x0205
	recFormula    = 0x0006
	recString     = 0x0207
	recMergeCells = 0x00E5
)

// BIFF limits: 65 536 rows, 256 columns.
const (
	biffMaxRows = 1 << 16
	biffMaxCols = 1 << 8
)

var (
	errNotBIFF  = errors.New("biff: not a BIFF5/BIFF8 workbook stream")
	errFilePass = errors.New("biff: workbook is encrypted (FILEPASS)")
)

type biffBook struct {
	biff5    bool // BIFF5/7 (Excel 5.0/95): 8-bit strings in the code page, no shared strings
	date1904 bool
	codepage uint16
	sheets   []biffSheet
	sst      []string
	filePass []byte // the FILEPASS record's data, if the workbook is encrypted
}

type biffSheet struct {
	name   string
	pos    uint32 // stream offset of the sheet's BOF record
	hidden bool   // hidden or very hidden
	typ    byte   // 0 worksheet (or dialog), 1 macro sheet, 2 chart, 6 VBA module
}

// record returns the record at off: its type, its data, and the offset of the next record.
func record(s []byte, off int) (typ uint16, data []byte, next int, ok bool) {
	if off < 0 || off+4 > len(s) {
		return 0, nil, 0, false
	}
	typ = binary.LittleEndian.Uint16(s[off:])
	n := int(binary.LittleEndian.Uint16(s[off+2:]))
	if off+4+n > len(s) {
		return 0, nil, 0, false
	}
	return typ, s[off+4 : off+4+n], off + 4 + n, true
}

// continued returns the data of the CONTINUE records that follow off, and the offset after them.
func continued(s []byte, off int) ([][]byte, int) {
	var segs [][]byte
	for {
		typ, data, next, ok := record(s, off)
		if !ok || typ != recContinue {
			return segs, off
		}
		segs = append(segs, data)
		off = next
	}
}

// biffDamaged is a malformed record: what and where.
func biffDamaged(off int, format string, args ...any) error {
	return fmt.Errorf("biff: at offset %d: %s", off, fmt.Sprintf(format, args...))
}

// scanGlobals reads the workbook globals substream at the start of the stream. An encrypted
// workbook (FILEPASS) stops the scan with filePass set, unless decrypted says the stream has
// been decrypted already.
func scanGlobals(s []byte, decrypted bool) (*biffBook, error) {
	typ, data, off, ok := record(s, 0)
	if !ok || typ != recBOF || len(data) < 4 {
		return nil, errNotBIFF
	}
	b := &biffBook{codepage: 1252}
	switch v := binary.LittleEndian.Uint16(data); v {
	case 0x0600:
	case 0x0500:
		b.biff5 = true
	default:
		return nil, fmt.Errorf("%w (BOF version %#04x)", errNotBIFF, v)
	}
	for {
		at := off
		typ, data, next, ok := record(s, off)
		if !ok {
			return nil, biffDamaged(at, "globals end without EOF")
		}
		off = next
		switch typ {
		case recEOF:
			return b, nil
		case recFilePass:
			if !decrypted {
				b.filePass = data
				return b, nil
			}
		case recCodePage:
			if len(data) >= 2 {
				b.codepage = binary.LittleEndian.Uint16(data)
			}
		case recDate1904:
			b.date1904 = len(data) >= 2 && binary.LittleEndian.Uint16(data) == 1
		case recBoundSheet:
			if len(data) < 7 {
				return nil, biffDamaged(at, "BOUNDSHEET of %d bytes", len(data))
			}
			var name string
			if b.biff5 {
				n := int(data[6])
				if len(data) < 7+n {
					return nil, biffDamaged(at, "BOUNDSHEET name")
				}
				name = decodeCodePage(b.codepage, data[7:7+n])
			} else {
				name, ok = shortString(data[6:])
				if !ok {
					return nil, biffDamaged(at, "BOUNDSHEET name")
				}
			}
			b.sheets = append(b.sheets, biffSheet{
				name:   name,
				pos:    binary.LittleEndian.Uint32(data),
				hidden: data[4]&0x03 != 0,
				typ:    data[5],
			})
		case recSST:
			if b.biff5 {
				continue
			}
			segs, after := continued(s, off)
			sst, err := parseBIFFSST(data, segs)
			if err != nil {
				return nil, biffDamaged(at, "SST: %v", err)
			}
			b.sst, off = sst, after
		}
	}
}

// shortString decodes a ShortXLUnicodeString: 1-byte length, 1-byte flags, then the characters,
// 1 byte each (the low byte of UTF-16: Latin-1) or 2 (UTF-16LE).
func shortString(d []byte) (string, bool) {
	if len(d) < 2 {
		return "", false
	}
	s, _, ok := unicodeChars(d[2:], int(d[0]), d[1]&1 != 0)
	return s, ok
}

// unicodeChars decodes n characters of an XLUnicodeString body: 1 byte each, the low byte of a
// UTF-16 unit whose high byte is 0 ([MS-XLS] 2.5.294 fHighByte = 0, whatever the code page:
// °, ±, é and the no-break space are such characters), or 2 bytes each. It returns the rest.
func unicodeChars(d []byte, n int, wide bool) (string, []byte, bool) {
	if !wide {
		if len(d) < n {
			return "", nil, false
		}
		r := make([]rune, n)
		for i := range r {
			r[i] = rune(d[i])
		}
		return string(r), d[n:], true
	}
	if len(d) < 2*n {
		return "", nil, false
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[2*i:])
	}
	return string(utf16.Decode(u)), d[2*n:], true
}

// segments reads a record's data and its CONTINUE records as one sequence of bytes, but for the
// characters of a string: at the start of each CONTINUE they are preceded by a byte saying
// whether they continue 1 or 2 bytes wide ([MS-XLS] 2.5.293, 2.1.4).
type segments struct {
	cur  []byte
	rest [][]byte
}

func (g *segments) next() bool {
	if len(g.rest) == 0 {
		return false
	}
	g.cur, g.rest = g.rest[0], g.rest[1:]
	return true
}

func (g *segments) bytes(n int) ([]byte, bool) {
	if n <= len(g.cur) {
		b := g.cur[:n]
		g.cur = g.cur[n:]
		return b, true
	}
	b := make([]byte, 0, n)
	for len(b) < n {
		if len(g.cur) == 0 && !g.next() {
			return nil, false
		}
		k := min(n-len(b), len(g.cur))
		b = append(b, g.cur[:k]...)
		g.cur = g.cur[k:]
	}
	return b, true
}

func (g *segments) skip(n int) bool {
	for n > 0 {
		if len(g.cur) == 0 && !g.next() {
			return false
		}
		k := min(n, len(g.cur))
		g.cur, n = g.cur[k:], n-k
	}
	return true
}

// chars reads n characters starting wide or not, switching at each record boundary.
func (g *segments) chars(n int, wide bool) (string, bool) {
	var out []rune
	for n > 0 {
		if len(g.cur) == 0 {
			if !g.next() || len(g.cur) == 0 {
				return "", false
			}
			wide, g.cur = g.cur[0]&1 != 0, g.cur[1:]
		}
		size := 1
		if wide {
			size = 2
		}
		k := min(n, len(g.cur)/size)
		if k == 0 {
			return "", false // half a character before the boundary
		}
		s, rest, _ := unicodeChars(g.cur, k, wide)
		out = append(out, []rune(s)...)
		g.cur, n = rest, n-k
	}
	return string(out), true
}

// xlString reads an XLUnicodeRichExtendedString (shared strings), or an XLUnicodeString when
// rich is false (LABEL, STRING): 2-byte count, flags, then the characters; rich text runs and
// phonetic data are skipped.
func (g *segments) xlString(rich bool) (string, bool) {
	h, ok := g.bytes(3)
	if !ok {
		return "", false
	}
	n, flags := int(binary.LittleEndian.Uint16(h)), h[2]
	var runs, ext int
	if rich && flags&0x08 != 0 {
		b, ok := g.bytes(2)
		if !ok {
			return "", false
		}
		runs = int(binary.LittleEndian.Uint16(b))
	}
	if rich && flags&0x04 != 0 {
		b, ok := g.bytes(4)
		if !ok {
			return "", false
		}
		ext = int(binary.LittleEndian.Uint32(b))
		if ext < 0 || ext > 1<<24 {
			return "", false
		}
	}
	s, ok := g.chars(n, flags&1 != 0)
	if !ok {
		return "", false
	}
	if !g.skip(4*runs) || !g.skip(ext) {
		return "", false
	}
	return s, true
}

// parseBIFFSST reads the shared string table: SST data (total count, unique count, strings) and its
// CONTINUE records.
func parseBIFFSST(data []byte, conts [][]byte) ([]string, error) {
	if len(data) < 8 {
		return nil, errors.New("too short")
	}
	n := int(binary.LittleEndian.Uint32(data[4:]))
	total := len(data)
	for _, c := range conts {
		total += len(c)
	}
	if n < 0 || n > total/3 { // every string takes at least 3 bytes
		return nil, fmt.Errorf("%d strings in %d bytes", n, total)
	}
	g := segments{cur: data[8:], rest: conts}
	sst := make([]string, 0, n)
	for range n {
		s, ok := g.xlString(true)
		if !ok {
			return nil, fmt.Errorf("string %d of %d is cut short", len(sst), n)
		}
		sst = append(sst, s)
	}
	return sst, nil
}

// biffCells is what scanSheet finds in one sheet.
type biffCells struct {
	rows   [][]string
	merges []Range
	dialog bool // a dialog sheet (WSBOOL fDialog), not a worksheet
}

func (c *biffCells) set(r, col int, v string) {
	for len(c.rows) <= r {
		c.rows = append(c.rows, nil)
	}
	for len(c.rows[r]) <= col {
		c.rows[r] = append(c.rows[r], "")
	}
	c.rows[r][col] = v
}

// biffErrors are the texts of error values ([MS-XLS] 2.5.10 BErr).
var biffErrors = map[byte]string{
	0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
	0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA",
}

// scanSheet reads the cells of the sheet substream starting at pos, skipping embedded
// substreams (charts). Values are text like excelize's raw values: numbers in their shortest
// form ("85", "85.5"), dates as serial numbers, booleans "1"/"0", errors "#DIV/0!".
func scanSheet(s []byte, b *biffBook, pos uint32) (biffCells, error) {
	var c biffCells
	typ, _, off, ok := record(s, int(pos))
	if !ok || typ != recBOF || int(pos) < 0 {
		return c, biffDamaged(int(pos), "no BOF at the sheet's position")
	}
	// at is the cell a record gives, checked against the BIFF limits.
	at := func(off int, data []byte, min int) (int, int, error) {
		if len(data) < min {
			return 0, 0, biffDamaged(off, "record %#04x of %d bytes", binary.LittleEndian.Uint16(s[off:]), len(data))
		}
		r, col := int(binary.LittleEndian.Uint16(data)), int(binary.LittleEndian.Uint16(data[2:]))
		if col >= biffMaxCols {
			return 0, 0, biffDamaged(off, "column %d", col)
		}
		return r, col, nil
	}
	pending := -1 // row<<8|col of a formula whose text result is in the STRING record to come
	for depth := 1; depth > 0; {
		rec := off
		typ, data, next, ok := record(s, off)
		if !ok {
			return c, biffDamaged(rec, "sheet ends without EOF")
		}
		off = next
		if typ == recBOF {
			depth++
			continue
		}
		if typ == recEOF {
			depth--
			continue
		}
		if depth != 1 {
			continue
		}
		switch typ {
		case recWsBool:
			c.dialog = len(data) >= 2 && data[1]&0x10 != 0
		case recNumber:
			r, col, err := at(rec, data, 14)
			if err != nil {
				return c, err
			}
			c.set(r, col, numberText(math.Float64frombits(binary.LittleEndian.Uint64(data[6:]))))
		case recRK:
			r, col, err := at(rec, data, 10)
			if err != nil {
				return c, err
			}
			c.set(r, col, rkText(binary.LittleEndian.Uint32(data[6:])))
		case recMulRK:
			r, col, err := at(rec, data, 6)
			if err != nil {
				return c, err
			}
			for i, p := 0, 4; p+6 <= len(data)-2; i, p = i+1, p+6 {
				if col+i >= biffMaxCols {
					return c, biffDamaged(rec, "MULRK past column %d", biffMaxCols)
				}
				c.set(r, col+i, rkText(binary.LittleEndian.Uint32(data[p+2:])))
			}
		case recLabelSST:
			r, col, err := at(rec, data, 10)
			if err != nil {
				return c, err
			}
			i := binary.LittleEndian.Uint32(data[6:])
			if uint64(i) >= uint64(len(b.sst)) {
				return c, biffDamaged(rec, "shared string index %d out of range (%d strings)", i, len(b.sst))
			}
			c.set(r, col, b.sst[i])
		case recLabel, recRString:
			r, col, err := at(rec, data, 8)
			if err != nil {
				return c, err
			}
			v, ok := b.label(data[6:])
			if !ok {
				return c, biffDamaged(rec, "LABEL text")
			}
			c.set(r, col, v)
		case recBoolErr:
			r, col, err := at(rec, data, 8)
			if err != nil {
				return c, err
			}
			c.set(r, col, boolErrText(data[6], data[7] != 0))
		case recFormula:
			r, col, err := at(rec, data, 14)
			if err != nil {
				return c, err
			}
			v := data[6:14]
			if v[6] != 0xFF || v[7] != 0xFF {
				c.set(r, col, numberText(math.Float64frombits(binary.LittleEndian.Uint64(v))))
				continue
			}
			switch v[0] {
			case 0: // text, in the STRING record that follows
				c.set(r, col, "")
				pending = r<<8 | col
			case 1:
				c.set(r, col, boolErrText(v[2], false))
			case 2:
				c.set(r, col, boolErrText(v[2], true))
			case 3: // empty text
				c.set(r, col, "")
			}
		case recString:
			if pending < 0 {
				continue
			}
			conts, after := continued(s, off)
			v, ok := b.formulaString(data, conts)
			if !ok {
				return c, biffDamaged(rec, "STRING text")
			}
			c.set(pending>>8, pending&0xFF, v)
			pending, off = -1, after
		case recMergeCells:
			if len(data) < 2 {
				continue
			}
			n := int(binary.LittleEndian.Uint16(data))
			for i, p := 0, 2; i < n && p+8 <= len(data); i, p = i+1, p+8 {
				r0, r1 := int(binary.LittleEndian.Uint16(data[p:])), int(binary.LittleEndian.Uint16(data[p+2:]))
				c0, c1 := int(binary.LittleEndian.Uint16(data[p+4:])), int(binary.LittleEndian.Uint16(data[p+6:]))
				if r0 <= r1 && c0 <= c1 && c1 < biffMaxCols {
					c.merges = append(c.merges, Range{R0: r0, C0: c0, R1: r1, C1: c1})
				}
			}
		}
	}
	c.trim()
	return c, nil
}

// trim drops trailing empty cells and rows.
func (c *biffCells) trim() {
	for r := range c.rows {
		n := len(c.rows[r])
		for n > 0 && c.rows[r][n-1] == "" {
			n--
		}
		c.rows[r] = c.rows[r][:n]
	}
	n := len(c.rows)
	for n > 0 && len(c.rows[n-1]) == 0 {
		n--
	}
	c.rows = c.rows[:n]
}

func boolErrText(v byte, isErr bool) string {
	switch {
	case isErr:
		if s, ok := biffErrors[v]; ok {
			return s
		}
		return "#N/A"
	case v != 0:
		return "1"
	}
	return "0"
}

// label decodes the text of a LABEL or RSTRING record: in BIFF8 an XLUnicodeString, in BIFF5
// a 2-byte count and that many bytes in the workbook's code page.
func (b *biffBook) label(d []byte) (string, bool) {
	if len(d) < 2 {
		return "", false
	}
	n := int(binary.LittleEndian.Uint16(d))
	if b.biff5 {
		if len(d) < 2+n {
			return "", false
		}
		return decodeCodePage(b.codepage, d[2:2+n]), true
	}
	g := segments{cur: d}
	return g.xlString(false)
}

// formulaString decodes a STRING record (a formula's text result) with its CONTINUE records.
func (b *biffBook) formulaString(d []byte, conts [][]byte) (string, bool) {
	if b.biff5 {
		return b.label(d)
	}
	g := segments{cur: d, rest: conts}
	return g.xlString(false)
}

// rkText decodes an RK number (MS-XLS 2.5.217): bit 0 says divide by 100, bit 1 says the
// upper 30 bits are a signed integer, else they are the upper 30 bits of a float64.
func rkText(rk uint32) string {
	if rk&2 != 0 {
		n := int64(int32(rk) >> 2)
		if rk&1 == 0 {
			return strconv.FormatInt(n, 10)
		}
		return numberText(float64(n) / 100)
	}
	v := math.Float64frombits(uint64(rk&^3) << 32)
	if rk&1 != 0 {
		v /= 100
	}
	return numberText(v)
}

// numberText writes a number as the shortest decimal that reads back as the same float64
// ("85", "85.5", "44640.604166666664"), in exponent form when very small, or when too large for
// every digit of an integer to be kept (2^53 and more: a 身份证号 typed as a number,
// 1.1010119850313723E+17, as Excel itself writes it in an .xlsx): written out in full its
// lost digits would pass for real ones.
func numberText(v float64) string {
	if a := math.Abs(v); a == 0 || (a >= 1e-6 && a < 1<<53) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'E', -1, 64)
}
