package main

// The .xls quirks that no office suite here writes, made byte by byte: text in LABEL records
// (older BIFF writers), an Excel 5.0/95 workbook (BIFF5, a "Book" stream, text in the code page),
// a workbook stream named WORKBOOK in a compound file with a class id (as WPS writes), and
// workbooks encrypted with Excel's default password by RC4 CryptoAPI and by XOR obfuscation
// (and with another password, which must stay refused). The record layouts are those of
// [MS-XLS]; the encryption follows [MS-OFFCRYPTO] 2.3.5 and 2.3.7, written here apart from the
// reader's code. Each file's cells are asserted in engine/sheet/biff_test.go.

import (
	"bytes"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func u16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func u32(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func utf16le(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// latin1 encodes s (all runes < 256) one byte a character: a "compressed" BIFF8 string.
func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xFF {
			log.Fatalf("latin1: %q", s)
		}
		b = append(b, byte(r))
	}
	return b
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// wide reports whether s needs 2-byte characters.
func wide(s string) bool {
	for _, r := range s {
		if r > 0xFF {
			return true
		}
	}
	return false
}

// xlString is an XLUnicodeString: 2-byte count, flags, characters (compressed when possible).
func xlString(s string) []byte {
	if wide(s) {
		return cat(u16(len(utf16.Encode([]rune(s)))), []byte{1}, utf16le(s))
	}
	return cat(u16(len([]rune(s))), []byte{0}, latin1(s))
}

// record types
const (
	rBOF, rEOF, rFilePass, rCodePage, rBoundSheet = 0x0809, 0x000A, 0x002F, 0x0042, 0x0085
	rSST, rContinue, rLabelSST, rLabel, rNumber   = 0x00FC, 0x003C, 0x00FD, 0x0204, 0x0203
	rRK, rFormula, rString                        = 0x027E, 0x0006, 0x0207
)

// book builds a BIFF stream: BOF, the globals (ready-made records: FILEPASS first, CODEPAGE),
// one BOUNDSHEET a sheet, the shared strings, EOF, then the sheets, whose positions it fills in.
type book struct {
	biff5   bool
	globals []byte
	sst     []byte
	sheets  []sheetW
}

type sheetW struct {
	name  []byte // the BOUNDSHEET name field, ready-made
	cells []byte // the cell records, ready-made

	rows, cols int // the used range
}

func (b *book) bof(dt int) []byte {
	if b.biff5 {
		return cat(u16(0x0500), u16(dt), u16(0x0DBB), u16(0x07CC))
	}
	return cat(u16(0x0600), u16(dt), u16(0x0DBB), u16(0x07CC), u32(0), u32(0x0206))
}

func rec(typ int, data ...[]byte) []byte {
	d := cat(data...)
	return cat(u16(typ), u16(len(d)), d)
}

func (b *book) bytes() []byte {
	var out []byte
	out = append(out, rec(rBOF, b.bof(0x0005))...)
	out = append(out, b.globals...)
	var at []int
	for _, s := range b.sheets {
		at = append(at, len(out)+4)
		out = append(out, rec(rBoundSheet, u32(0), []byte{0, 0}, s.name)...)
	}
	out = append(out, b.sst...)
	out = append(out, rec(rEOF)...)
	for i, s := range b.sheets {
		binary.LittleEndian.PutUint32(out[at[i]:], uint32(len(out)))
		out = append(out, rec(rBOF, b.bof(0x0010))...)
		// DIMENSIONS (first row, last row + 1, first column, last column + 1): Excel writes it
		// first in every sheet, and LibreOffice needs it to read the cell in A1.
		if b.biff5 {
			out = append(out, rec(0x0200, u16(0), u16(s.rows), u16(0), u16(s.cols), u16(0))...)
		} else {
			out = append(out, rec(0x0200, u32(0), u32(s.rows), u16(0), u16(s.cols), u16(0))...)
		}
		out = append(out, s.cells...)
		out = append(out, rec(rEOF)...)
	}
	return out
}

// cell is the row, column and XF (15, the default cell style) of a cell record.
func cell(r, c int) []byte { return cat(u16(r), u16(c), u16(15)) }

// biff8Name is a BOUNDSHEET name in BIFF8 (ShortXLUnicodeString).
func biff8Name(s string) []byte {
	if wide(s) {
		return cat([]byte{byte(len(utf16.Encode([]rune(s)))), 1}, utf16le(s))
	}
	return cat([]byte{byte(len([]rune(s))), 0}, latin1(s))
}

// labelBook is a BIFF8 workbook written like an old BIFF writer: text in LABEL records, wide
// (Chinese) and compressed (Latin-1: é ± ° and a no-break space), beside LABELSST cells whose
// shared strings cross a CONTINUE record, switching from 1 to 2 bytes a character there; RK and
// NUMBER numbers; formulas with text results in STRING records (Latin-1 and Chinese).
//
//	row 1: 姓名 | 支部 | 备注                       LABEL (wide) ×3
//	row 2: 张伟 | 第一党支部 | café ±0.5°           LABEL, LABEL, LABEL (compressed)
//	row 3: 王芳 | No.2 第二党支部 | 25°C            LABELSST 0, LABELSST 1 (crosses CONTINUE), FORMULA+STRING (compressed)
//	row 4: 李强 | 85.5 | 1 000 (NBSP) | 张伟同志     LABEL, RK 85.5, FORMULA+STRING "1\u00a0000", FORMULA+STRING (wide)
//	row 5: (empty)
//	row 6: 合计 | 3                                  LABEL, NUMBER 3
func labelBook() *book {
	label := func(r, c int, s string) []byte { return rec(rLabel, cell(r, c), xlString(s)) }
	formulaText := func(r, c int, s string) []byte {
		// FORMULA: cell, result (type 0 = text in the next STRING, 0xFFFF in the top bytes),
		// flags, chn, then the parsed formula: ptgStr, the same text (="25°C"), so that a
		// reader that recalculates gets the stored result.
		res := []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}
		x := xlString(s)
		ptg := cat([]byte{0x17, x[0]}, x[2:]) // ShortXLUnicodeString: 1-byte count, flags, chars
		f := rec(rFormula, cell(r, c), res, u16(0), u32(0), u16(len(ptg)), ptg)
		return cat(f, rec(rString, x))
	}
	// SST: 王芳 (wide); then "No.2 第二党支部", begun compressed ("No.") in the SST record and
	// continued in a CONTINUE record whose first byte (1) says 2 bytes a character follow.
	s1 := "王芳"
	first := cat(u16(len([]rune(s1))), []byte{1}, utf16le(s1))
	s2a, s2b := "No.", "2 第二党支部"
	n2 := len([]rune(s2a)) + len(utf16.Encode([]rune(s2b)))
	second := cat(u16(n2), []byte{0}, latin1(s2a))
	sst := cat(rec(rSST, u32(2), u32(2), first, second), rec(rContinue, []byte{1}, utf16le(s2b)))
	rk := binary.LittleEndian.AppendUint32(nil, 8550<<2|3) // integer 8550, divided by 100
	cells := cat(
		label(0, 0, "姓名"), label(0, 1, "支部"), label(0, 2, "备注"),
		label(1, 0, "张伟"), label(1, 1, "第一党支部"), label(1, 2, "café ±0.5°"),
		rec(rLabelSST, cell(2, 0), u32(0)), rec(rLabelSST, cell(2, 1), u32(1)), formulaText(2, 2, "25°C"),
		label(3, 0, "李强"), rec(rRK, cell(3, 1), rk), formulaText(3, 2, "1\u00a0000"), formulaText(3, 3, "张伟同志"),
		label(5, 0, "合计"), rec(rNumber, cell(5, 1), binary.LittleEndian.AppendUint64(nil, 0x4008000000000000)),
	)
	return &book{
		globals: rec(rCodePage, u16(1200)),
		sst:     sst,
		sheets:  []sheetW{{name: biff8Name("名单"), cells: cells, rows: 6, cols: 4}},
	}
}

// biff5Book is an Excel 5.0/95 workbook in code page cp: sheet names and text in that code page
// (enc), LABEL records, a number, a formula with a text result.
//
//	row 1: names[0] | names[1]
//	row 2: names[2] | 85.5 (NUMBER) | formula text names[3]
func biff5Book(cp int, sheet string, texts [4]string, enc func(string) []byte) *book {
	label := func(r, c int, s string) []byte { b := enc(s); return rec(rLabel, cell(r, c), u16(len(b)), b) }
	name := enc(sheet)
	res := []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}
	t3 := enc(texts[3])
	cells := cat(
		label(0, 0, texts[0]), label(0, 1, texts[1]),
		label(1, 0, texts[2]), rec(rNumber, cell(1, 1), binary.LittleEndian.AppendUint64(nil, 0x4055600000000000)),
		rec(rFormula, cell(1, 2), res, u16(0), u32(0), u16(2+len(t3)), []byte{0x17, byte(len(t3))}, t3), rec(rString, u16(len(t3)), t3),
	)
	return &book{
		biff5:   true,
		globals: rec(rCodePage, u16(cp)),
		sheets:  []sheetW{{name: cat([]byte{byte(len(name))}, name), cells: cells, rows: 2, cols: 3}},
	}
}

// writeCFB writes a compound file (version 3, 512-byte sectors) holding one stream, with the
// class id clsid in the header and the root entry (zeros for none). The stream is padded with
// zeros to 4096 bytes (smaller streams would go in the mini stream, which this writer lacks; a
// BIFF reader never reads past the last EOF).
func writeCFB(path, stream string, data []byte, clsid [16]byte) {
	for len(data) < 4096 {
		data = append(data, 0)
	}
	const sector = 512
	nData := (len(data) + sector - 1) / sector
	if 2+nData > 128 {
		log.Fatalf("writeCFB: %d bytes is more than one FAT sector maps", len(data))
	}
	const free, end, fatSect, noStream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
	hdr := make([]byte, 512)
	copy(hdr, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	copy(hdr[8:], clsid[:])
	le := binary.LittleEndian
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1)    // FAT sectors
	le.PutUint32(hdr[48:], 1)    // first directory sector
	le.PutUint32(hdr[56:], 4096) // mini stream cutoff
	le.PutUint32(hdr[60:], end)  // no mini FAT
	le.PutUint32(hdr[68:], end)  // no DIFAT sectors
	for i := 76; i < 512; i += 4 {
		le.PutUint32(hdr[i:], free)
	}
	le.PutUint32(hdr[76:], 0) // the FAT is sector 0
	fat := make([]byte, sector)
	for i := range 128 {
		v := uint32(free)
		switch {
		case i == 0:
			v = fatSect
		case i == 1:
			v = end // the directory
		case i >= 2 && i < 2+nData-1:
			v = uint32(i + 1)
		case i == 2+nData-1:
			v = end
		}
		le.PutUint32(fat[4*i:], v)
	}
	entry := func(name string, typ byte, child uint32, start uint32, size int) []byte {
		e := make([]byte, 128)
		n := utf16le(name)
		copy(e, n)
		le.PutUint16(e[64:], uint16(len(n)+2))
		e[66], e[67] = typ, 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
		return e
	}
	root := entry("Root Entry", 5, 1, end, 0)
	copy(root[80:], clsid[:])
	dirSect := cat(root, entry(stream, 2, noStream, 2, len(data)))
	for len(dirSect) < sector {
		e := make([]byte, 128)
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
		dirSect = append(dirSect, e...)
	}
	body := append([]byte(nil), data...)
	for len(body)%sector != 0 {
		body = append(body, 0)
	}
	out := cat(hdr, fat, dirSect, body)
	if err := os.WriteFile(filepath.Join(dir, path), out, 0o644); err != nil {
		log.Fatal(err)
	}
	checkCFB(filepath.Join(dir, path), stream, data)
}

// checkCFB reads the file back with mscfb (the reader jifen uses) and compares the stream.
func checkCFB(path, stream string, want []byte) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	doc, err := mscfb.New(f)
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if e.Name == stream {
			got, _ := io.ReadAll(e)
			if !bytes.Equal(got, want) {
				log.Fatalf("%s: stream %s reads back different (%d bytes, want %d)", path, stream, len(got), len(want))
			}
			return
		}
	}
	log.Fatalf("%s: no stream %s", path, stream)
}

// clsidExcel is Excel's class id {00020820-0000-0000-C000-000000000046}, which WPS writes in
// the header of its .xls files where the standard wants zeros.
var clsidExcel = [16]byte{0x20, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// clearRecords are the records whose data is never encrypted ([MS-XLS] 2.2.10): BOF, FILEPASS,
// USREXCL, FILELOCK, INTERFACEHDR, RRDINFO, RRDHEAD.
var clearRecords = map[uint16]bool{0x0809: true, 0x002F: true, 0x0194: true, 0x0195: true, 0x00E1: true, 0x0196: true, 0x0138: true}

// encryptRecords applies enc(offset, recordSize) to every byte of record data that is
// encrypted; headers, the clear records and BOUNDSHEET positions stay as they are.
func encryptRecords(s []byte, enc func(i, n int, b byte) byte) []byte {
	out := bytes.Clone(s)
	for off := 0; off+4 <= len(s); {
		typ := binary.LittleEndian.Uint16(s[off:])
		n := int(binary.LittleEndian.Uint16(s[off+2:]))
		from := off + 4
		if typ == 0x0085 {
			from += 4
		}
		if !clearRecords[typ] {
			for i := from; i < off+4+n; i++ {
				out[i] = enc(i, n, s[i])
			}
		}
		off += 4 + n
	}
	return out
}

// cryptoAPIRC4 encrypts a BIFF8 stream with RC4 CryptoAPI (128-bit key, SHA-1) and password:
// a FILEPASS record is put first in the globals.
func cryptoAPIRC4(b *book, password string) []byte {
	salt := []byte("jifen-test-salt!") // 16 bytes; a real writer draws them at random
	csp := utf16le("Microsoft Enhanced Cryptographic Provider v1.0\x00")
	header := cat(u32(0x04), u32(0), u32(0x6801), u32(0x8004), u32(128), u32(1), u32(0), u32(0), csp)
	h0 := sha1.Sum(cat(salt, utf16le(password)))
	key := func(block int) []byte {
		k := sha1.Sum(cat(h0[:], u32(block)))
		return k[:16]
	}
	verifier := []byte("0123456789abcdef")
	vh := sha1.Sum(verifier)
	c, _ := rc4.NewCipher(key(0))
	encVerifier := make([]byte, 16)
	c.XORKeyStream(encVerifier, verifier)
	encHash := make([]byte, 20)
	c.XORKeyStream(encHash, vh[:])
	fp := cat(u16(1), u16(4), u16(2), u32(0x04), u32(len(header)), header,
		u32(16), salt, encVerifier, u32(20), encHash)
	b.globals = cat(rec(rFilePass, fp), b.globals)
	s := b.bytes()
	// The key stream runs over the whole stream, headers included, a new key every 1024 bytes.
	ks := make([]byte, len(s))
	for start := 0; start < len(s); start += 1024 {
		c, _ := rc4.NewCipher(key(start / 1024))
		c.XORKeyStream(ks[start:min(start+1024, len(s))], ks[start:min(start+1024, len(s))])
	}
	return encryptRecords(s, func(i, _ int, v byte) byte { return v ^ ks[i] })
}

// xorObfuscate obfuscates a BIFF5 stream with XOR obfuscation (method 1) and password.
func xorObfuscate(b *book, password string) []byte {
	p := []byte(password)
	// CreatePasswordVerifier_Method1: over the length then the characters, last first.
	var v uint16
	seq := append([]byte{byte(len(p))}, p...)
	for i := len(seq) - 1; i >= 0; i-- {
		hi := v & 0x4000 >> 14
		v = (v<<1)&0x7FFF | hi
		v ^= uint16(seq[i])
	}
	v ^= 0xCE4B
	// CreateXorKey_Method1.
	initial := []uint16{0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3}
	matrix := []uint16{
		0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF,
		0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40,
		0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A,
		0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0,
		0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10,
		0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C,
		0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC,
		0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4}
	key := initial[len(p)-1]
	for i := len(p) - 1; i >= 0; i-- {
		for bit := 0; bit < 7; bit++ {
			if p[i]&(0x40>>bit) != 0 {
				key ^= matrix[104-(len(p)-1-i)*7-bit]
			}
		}
	}
	pad := []byte{0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00}
	arr := append(append([]byte(nil), p...), pad...)[:16]
	for i := range arr {
		if i%2 == 0 {
			arr[i] ^= byte(key)
		} else {
			arr[i] ^= byte(key >> 8)
		}
		arr[i] = arr[i]<<2 | arr[i]>>6
	}
	b.globals = cat(rec(rFilePass, u16(int(key)), u16(int(v))), b.globals)
	s := b.bytes()
	// Each data byte: XOR with the array (index from the data's offset plus the record size),
	// then rotate right by 3.
	return encryptRecords(s, func(i, n int, c byte) byte {
		x := c ^ arr[(i+n)%16]
		return x>>3 | x<<5
	})
}

// handWritten writes the hand-made .xls fixtures; src is LibreOffice's .xls of chineseDates,
// whose workbook stream goes into a WPS-like container.
func handWritten(src string) {
	writeCFB("biff8_label.xls", "Workbook", labelBook().bytes(), [16]byte{})
	gbkTexts := [4]string{"姓名", "成绩", "张伟", "第一党支部"}
	writeCFB("biff5_book_gbk.xls", "Book", biff5Book(936, "考勤", gbkTexts, gbk).bytes(), [16]byte{})
	cp1252 := func(s string) []byte { return latin1(s) } // these characters are the same in 1252 and Latin-1
	latin := [4]string{"Température", "Note", "Café ±0,5 °C", "25\u00a0°C"}
	writeCFB("biff5_upper_book_1252.xls", "BOOK", biff5Book(1252, "Relevé", latin, cp1252).bytes(), [16]byte{})
	writeCFB("velvet_xor_biff5.xls", "Book", xorObfuscate(biff5Book(936, "考勤", gbkTexts, gbk), "VelvetSweatshop"), [16]byte{})
	writeCFB("password_xor_biff5.xls", "Book", xorObfuscate(biff5Book(936, "考勤", gbkTexts, gbk), "123"), [16]byte{})
	writeCFB("velvet_cryptoapi.xls", "Workbook", cryptoAPIRC4(labelBook(), "VelvetSweatshop"), [16]byte{})
	writeCFB("password_cryptoapi.xls", "Workbook", cryptoAPIRC4(labelBook(), "123"), [16]byte{})

	stream := workbookOf(src)
	writeCFB("wps_workbook_upper_clsid.xls", "WORKBOOK", stream, clsidExcel)
}

// workbookOf returns the Workbook stream of an .xls.
func workbookOf(xls string) []byte {
	f, err := os.Open(xls)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	doc, err := mscfb.New(f)
	if err != nil {
		log.Fatal(err)
	}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if e.Name == "Workbook" {
			b, err := io.ReadAll(e)
			if err != nil {
				log.Fatal(err)
			}
			return b
		}
	}
	log.Fatalf("%s: no Workbook stream", xls)
	return nil
}

// biffQuirks writes the fixtures of this file and those LibreOffice and excelize write with
// Excel's default password. `go run ./engine/sheet/testdata/gen quirks` writes only these.
func biffQuirks() {
	handWritten(filepath.Join(dir, "libreoffice_chinese_dates.xls"))
	tmp, err := os.MkdirTemp("", "sheetgen")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "latin1_formulas.xlsx")
	latin1Formulas(src)
	copyFile(soffice(tmp, "xls", src), "libreoffice_latin1_formulas.xls")
	loPassword(src, "velvet_libreoffice.xls", "MS Excel 97", "VelvetSweatshop")
	// excelize writes no formula results: it encrypts LibreOffice's .xlsx, which has them.
	f, err := excelize.OpenFile(soffice(filepath.Join(tmp, "lo"), "xlsx", src))
	if err != nil {
		log.Fatal(err)
	}
	p := filepath.Join(dir, "velvet_excelize.xlsx")
	if err := f.SaveAs(p, excelize.Options{Password: "VelvetSweatshop"}); err != nil {
		log.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		log.Fatal(err)
	}
}

// latin1Formulas: formulas whose text results are Latin-1 characters (°, ±, é, a no-break
// space), which a BIFF8 writer stores one byte a character in STRING records, beside Chinese
// text and a number. (excelize writes no cached results: LibreOffice computes them.)
//
//	设备 | 温度 | 误差 | 备注
//	冷库 | -18°C (="-18"&"°C") | ±0.5 (="±"&"0.5") | café (="caf"&"é")
//	仓库 | 1 000 (="1"&UNICHAR(160)&"000") | 12.5 | 正常
func latin1Formulas(path string) {
	f := excelize.NewFile()
	sh := "设备"
	f.SetSheetName("Sheet1", sh)
	f.SetSheetRow(sh, "A1", &[]any{"设备", "温度", "误差", "备注"})
	f.SetCellStr(sh, "A2", "冷库")
	f.SetCellFormula(sh, "B2", `"-18"&"°C"`)
	f.SetCellFormula(sh, "C2", `"±"&"0.5"`)
	f.SetCellFormula(sh, "D2", `"caf"&"é"`)
	f.SetCellStr(sh, "A3", "仓库")
	f.SetCellFormula(sh, "B3", `"1"&_xlfn.UNICHAR(160)&"000"`)
	f.SetCellFloat(sh, "C3", 12.5, -1, 64)
	f.SetCellStr(sh, "D3", "正常")
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

// loPassword saves src through LibreOffice's UNO API with an opening password.
func loPassword(src, name, filter, password string) {
	python := os.Getenv("PYTHON_UNO")
	if python == "" {
		python = "/usr/bin/python3"
	}
	cmd := exec.Command(python, "engine/sheet/testdata/gen/lo_password.py", src, filepath.Join(dir, name), filter, password)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("lo_password.py %s: %v", name, err)
	}
}
