package sheet

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// codePages maps the CODEPAGE record of an .xls ([MS-XLS] 2.4.52: Windows code page numbers)
// to a decoder of its 8-bit strings. In BIFF5/7 (Excel 5.0/95) every string is in this code
// page; BIFF8 strings are UTF-16 (or Latin-1, the UTF-16 low byte), whatever it says.
var codePages = map[uint16]encoding.Encoding{
	437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852,
	855: charmap.CodePage855, 858: charmap.CodePage858, 860: charmap.CodePage860,
	862: charmap.CodePage862, 863: charmap.CodePage863, 865: charmap.CodePage865,
	866: charmap.CodePage866, 874: charmap.Windows874,
	932: japanese.ShiftJIS, 936: simplifiedchinese.GBK, 949: korean.EUCKR, 950: traditionalchinese.Big5,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
	1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
	10000: charmap.Macintosh, 10007: charmap.MacintoshCyrillic,
	1200:  charmap.ISO8859_1,                             // UTF-16, which a BIFF8 writer may put in a BIFF5 header: bytes read as Latin-1
	32768: charmap.Macintosh, 32769: charmap.Windows1252, // Excel's own numbers for Mac Roman and Windows 1252
}

// decodeCodePage decodes 8-bit text of code page cp; an unknown code page is read as
// Windows-1252 (Excel's default), and 1200 (UTF-16, which a BIFF8 writer may put in a BIFF5
// header) as Latin-1.
func decodeCodePage(cp uint16, b []byte) string {
	enc, ok := codePages[cp]
	if !ok {
		enc = charmap.Windows1252
	}
	s, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}
