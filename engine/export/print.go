package export

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// kind is how a column (or a cell) prints its numbers.
type kind int

const (
	kindAuto   kind = iota // whole numbers as counts, others as points
	kindCount              // 0: 12
	kindRate               // 0.0: 94.5 (percent, one decimal)
	kindPoints             // General: 116, 92.5, 81.46 (as written, at most two decimals)
	kindIndex              // 0.0000: 0.9966
)

// numFmt is the number format of a kind ("" for General).
func (k kind) numFmt() string {
	switch k {
	case kindCount:
		return "0"
	case kindRate:
		return "0.0"
	case kindIndex:
		return "0.0000"
	}
	return ""
}

// val is a cell with its own way of printing, for the cells a column's kind does not say.
type val struct {
	V    any
	Kind kind // the number format (kindAuto: the column's)
	Bold bool
	Span int  // columns it covers, merged (0 or 1: its own)
	Left bool // aligned left (a section's name, a long text)
	Head bool // styled as the header (the header of a block under the table)
	// Page: the row begins a new printed page (a group's heading in 附件5; not the first row
	// of the table, and none past maxPageBreaks breaks in the sheet).
	Page bool
}

// Print sizes (points). The body is 宋体 11 pt (a table may say another, table.size); the scale
// is at least what prints it at 10 pt (91% for 11 pt).
const (
	bodySize  = 11.0
	lineSpace = 1.1
)

// A4 in points, and the margins writeSheet sets (inches: left and right 0.3, top and bottom
// 0.5, header and footer 0.25).
const (
	a4Short, a4Long = 595.3, 841.9
	marginSide      = 0.3 * 72
	marginEnd       = 0.5 * 72
)

// usable is the printable width and height of an A4 page (points).
func usable(landscape bool) (w, h float64) {
	if landscape {
		return a4Long - 2*marginSide, a4Short - 2*marginEnd
	}
	return a4Short - 2*marginSide, a4Long - 2*marginEnd
}

// narrowWidth is how wide a half-width character prints, in halves of an em: the digits and
// Latin letters of the Chinese fonts (宋体, and 文泉驿正黑 that stands in for it) are a little
// wider than half an em.
const narrowWidth = 1.15

// textWidth is how wide s prints, in half-width characters: characters of East Asian width
// wide, fullwidth or ambiguous (汉字, ★, ●, —, full-width punctuation) count two, as a Chinese
// font prints them.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			w += 2
		default:
			w += narrowWidth
		}
	}
	return w
}

// colUnits is the column width (Excel's units, about 7 pixels each) that holds text of w half-
// width characters at size pt: a half-width character of a Chinese font is half an em.
func colUnits(w, size float64) float64 { return w*size/2/0.75/7 + cellPad }

// cellPad is the room a column leaves around its text (Excel's units).
const cellPad = 0.9

// colPoints is how wide a column of u units prints (points): the wider of Excel's 7 pixels a
// unit and 5 of margin, and LibreOffice's 5.55 points a unit (measured on its PDF, with Carlito
// for the workbook's default font Calibri), and a little more.
func colPoints(u float64) float64 { return max((math.Floor(7*u+0.5)+5)*0.75, 5.6*u) }

// lines is how many lines text of w half-width characters takes in a column of u units.
func lines(s string, u, size float64) int {
	per := max(1, (u-cellPad)*7*0.75*2/size) // half-width characters a line
	n := 0
	for {
		part, rest, more := strings.Cut(s, "\n")
		w := per
		if strings.ContainsRune(part, ' ') {
			// Text with spaces breaks at them (优秀 24 人，良好 28 人，…): lines end short of
			// the width, about 15% on average.
			w = max(1, per*0.85)
		}
		n += max(1, int(math.Ceil(textWidth(part)/w-0.001)))
		if !more {
			return n
		}
		s = rest
	}
}

// rowHeight is the height (points) of a row of n lines at size pt.
func rowHeight(n int, size float64) float64 {
	return math.Ceil(2*(float64(n)*size*lineSpace+2)) / 2
}

// cnDate writes a date the way official documents do: 2026年12月8日.
func cnDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006年1月2日")
}

// styleKey names a cell style; styles makes each once.
type styleKey struct {
	kind           kind
	bold, left     bool
	head, noBorder bool
	family         string
	size           float64
}

// styles makes the workbook's cell styles, each once; title … number are made first for the
// writers that name them (积分明细.xlsx).
type styles struct {
	f                           *excelize.File
	made                        map[styleKey]int
	title, header, text, number int
}

func newStyles(f *excelize.File) (styles, error) {
	s := styles{f: f, made: map[styleKey]int{}}
	var err error
	for _, x := range []struct {
		id *int
		k  styleKey
	}{
		{&s.title, styleKey{family: "黑体", size: 18, noBorder: true}},
		{&s.header, styleKey{head: true, bold: true}},
		{&s.text, styleKey{}},
		{&s.number, styleKey{kind: kindPoints}},
	} {
		if *x.id, err = s.style(x.k); err != nil {
			return s, err
		}
	}
	return s, nil
}

// style is the id of the style k, made the first time.
func (s styles) style(k styleKey) (int, error) {
	if id, ok := s.made[k]; ok {
		return id, nil
	}
	family, size := k.family, k.size
	if family == "" {
		family = "宋体"
		if k.head {
			family = "黑体"
		}
	}
	if size == 0 {
		size = bodySize
	}
	st := &excelize.Style{
		Font:      &excelize.Font{Family: family, Size: size, Bold: k.bold, Color: "000000"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	}
	if k.left {
		st.Alignment.Horizontal = "left"
	}
	if !k.noBorder {
		st.Border = []excelize.Border{
			{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
			{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
		}
	}
	if k.head {
		// A light grey that prints as grey on any printer; the header is in 黑体 as well.
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}
	}
	if nf := k.kind.numFmt(); nf != "" {
		st.CustomNumFmt = &nf
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.made[k] = id
	return id, nil
}

// tagOf is the short name of a sheet, printed above its title and in its footer: 附件1.
func tagOf(sheet string) string {
	if n := strings.Index(sheet, " "); n > 0 {
		return sheet[:n]
	}
	return sheet
}

// footer is the page footer of a sheet of m pages: 附件1　第 1 页，共 2 页, the pages of the
// sheet alone. The page is &P (restarting at 1 on each sheet: its first page number); the count
// is written as a number, the pages writeSheet broke the sheet into: LibreOffice's &N counts
// the pages of the whole workbook.
func footer(tag string, m int) string {
	return "&C" + tag + "　第 &P 页，共 " + strconv.Itoa(m) + " 页"
}
