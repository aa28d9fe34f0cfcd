package sheet

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"unicode/utf16"
)

// A small scanner of the BIFF8 record stream (the "Workbook" stream of an .xls), for what grate
// does not give or gets wrong: the BIFF version, encryption (FILEPASS), the 1904 date system,
// the sheets with their visibility and type, merged ranges, and RK numbers (grate reads an RK
// holding an integer divided by 100, such as 85.5, as 0). It never trusts a length it has not
// checked against the stream; it stops at the first malformed record.

// BIFF8 record types.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recDate1904   = 0x0022
	recBoundSheet = 0x0085
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recMergeCells = 0x00E5
)

var (
	errNotBIFF8 = errors.New("biff: not a BIFF8 workbook stream")
	errFilePass = errors.New("biff: workbook is encrypted (FILEPASS)")
)

type biffBook struct {
	date1904 bool
	sheets   []biffSheet
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

// scanGlobals reads the workbook globals substream at the start of the stream.
func scanGlobals(s []byte) (*biffBook, error) {
	typ, data, off, ok := record(s, 0)
	if !ok || typ != recBOF || len(data) < 4 {
		return nil, errNotBIFF8
	}
	if v := binary.LittleEndian.Uint16(data); v != 0x0600 {
		return nil, errNotBIFF8
	}
	b := &biffBook{}
	for {
		typ, data, next, ok := record(s, off)
		if !ok {
			return nil, errNotBIFF8 // no EOF: truncated
		}
		off = next
		switch typ {
		case recEOF:
			return b, nil
		case recFilePass:
			return nil, errFilePass
		case recDate1904:
			b.date1904 = len(data) >= 2 && binary.LittleEndian.Uint16(data) == 1
		case recBoundSheet:
			if len(data) < 8 {
				return nil, errNotBIFF8
			}
			name, ok := shortString(data[6:])
			if !ok {
				return nil, errNotBIFF8
			}
			b.sheets = append(b.sheets, biffSheet{
				name:   name,
				pos:    binary.LittleEndian.Uint32(data),
				hidden: data[4]&0x03 != 0,
				typ:    data[5],
			})
		}
	}
}

// shortString decodes a ShortXLUnicodeString: 1-byte length, 1-byte flags, then the characters,
// 1 byte each (Latin-1) or 2 (UTF-16LE).
func shortString(d []byte) (string, bool) {
	if len(d) < 2 {
		return "", false
	}
	n, wide := int(d[0]), d[1]&1 != 0
	d = d[2:]
	if !wide {
		if len(d) < n {
			return "", false
		}
		r := make([]rune, n)
		for i := range r {
			r[i] = rune(d[i])
		}
		return string(r), true
	}
	if len(d) < 2*n {
		return "", false
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[2*i:])
	}
	return string(utf16.Decode(u)), true
}

// biffCells is what scanSheet finds in one sheet.
type biffCells struct {
	numbers map[[2]int]string // (row, col) → RK value as text
	merges  []Range
}

// scanSheet reads the sheet substream starting at pos, skipping embedded substreams (charts).
func scanSheet(s []byte, pos uint32) biffCells {
	c := biffCells{numbers: map[[2]int]string{}}
	typ, _, off, ok := record(s, int(pos))
	if !ok || typ != recBOF || int(pos) < 0 {
		return c
	}
	for depth := 1; depth > 0; {
		typ, data, next, ok := record(s, off)
		if !ok {
			return c
		}
		off = next
		switch {
		case typ == recBOF:
			depth++
		case typ == recEOF:
			depth--
		case depth != 1:
		case typ == recRK && len(data) >= 10:
			row, col := int(binary.LittleEndian.Uint16(data)), int(binary.LittleEndian.Uint16(data[2:]))
			c.numbers[[2]int{row, col}] = rkText(binary.LittleEndian.Uint32(data[6:]))
		case typ == recMulRK && len(data) >= 6:
			row, col := int(binary.LittleEndian.Uint16(data)), int(binary.LittleEndian.Uint16(data[2:]))
			for i, p := 0, 4; p+6 <= len(data)-2; i, p = i+1, p+6 {
				c.numbers[[2]int{row, col + i}] = rkText(binary.LittleEndian.Uint32(data[p+2:]))
			}
		case typ == recMergeCells && len(data) >= 2:
			n := int(binary.LittleEndian.Uint16(data))
			for i, p := 0, 2; i < n && p+8 <= len(data); i, p = i+1, p+8 {
				r0, r1 := int(binary.LittleEndian.Uint16(data[p:])), int(binary.LittleEndian.Uint16(data[p+2:]))
				c0, c1 := int(binary.LittleEndian.Uint16(data[p+4:])), int(binary.LittleEndian.Uint16(data[p+6:]))
				if r0 <= r1 && c0 <= c1 {
					c.merges = append(c.merges, Range{R0: r0, C0: c0, R1: r1, C1: c1})
				}
			}
		}
	}
	return c
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
