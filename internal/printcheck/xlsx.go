package printcheck

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// This file reads what the check needs of a workbook with encoding/xml over its ZIP parts, not
// with excelize (which writes the workbooks under test): the sheets in order, each sheet's page
// set-up, footer, column widths and row heights, and each non-empty cell's text as shown and
// font size.

// book is a workbook as the check sees it.
type book struct {
	sheets []*xsheet
}

// xsheet is one worksheet: its cells with text, in row-major order, and its page set-up.
type xsheet struct {
	name      string
	footer    string // oddFooter as written (&C…&P…)
	cells     []xcell
	scale     float64 // pageSetup scale (percent; 100 when absent)
	fitToPage bool
	fitWidth  int // pages across (0: as many as needed)
	fitHeight int
	landscape bool
	margins   [4]float64 // left, right, top, bottom in inches
	colWidths map[int]float64
	defColW   float64
	rowHts    map[int]float64
	defRowH   float64
	maxCol    int
	maxRow    int
	firstPage int // firstPageNumber when useFirstPageNumber, else 0
	charts    int // drawings (a chart) on the sheet
}

type xcell struct {
	ref  string
	row  int
	col  int
	text string  // as displayed (numbers through their format)
	size float64 // font size of the cell's style (pt)
}

func readBook(file string) (*book, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	read := func(name string, v any) error {
		f, ok := parts[name]
		if !ok {
			return fmt.Errorf("%s: no part %s", file, name)
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v)
	}

	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := read("xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	type rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	var wrels rels
	if err := read("xl/_rels/workbook.xml.rels", &wrels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range wrels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}

	var shared []string
	if _, ok := parts["xl/sharedStrings.xml"]; ok {
		var sst struct {
			SI []rich `xml:"si"`
		}
		if err := read("xl/sharedStrings.xml", &sst); err != nil {
			return nil, err
		}
		for _, si := range sst.SI {
			shared = append(shared, si.String())
		}
	}

	var ss struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Fonts []struct {
			Sz struct {
				Val float64 `xml:"val,attr"`
			} `xml:"sz"`
		} `xml:"fonts>font"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
			Font   int `xml:"fontId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := read("xl/styles.xml", &ss); err != nil {
		return nil, err
	}
	fmts := map[int]string{0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 49: "@"}
	for _, n := range ss.NumFmts {
		fmts[n.ID] = n.Code
	}
	style := func(s int) (size float64, format string) {
		size, format = 11, "General"
		if s < len(ss.Xfs) {
			x := ss.Xfs[s]
			if x.Font < len(ss.Fonts) && ss.Fonts[x.Font].Sz.Val > 0 {
				size = ss.Fonts[x.Font].Sz.Val
			}
			if f, ok := fmts[x.NumFmt]; ok {
				format = f
			}
		} else if len(ss.Fonts) > 0 && ss.Fonts[0].Sz.Val > 0 {
			size = ss.Fonts[0].Sz.Val
		}
		return size, format
	}

	b := &book{}
	for _, s := range wb.Sheets {
		p, ok := target[s.RID]
		if !ok {
			return nil, fmt.Errorf("%s: sheet %s has no part", file, s.Name)
		}
		var ws worksheet
		if err := read(p, &ws); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", file, p, err)
		}
		xs := &xsheet{name: s.Name, footer: ws.HeaderFooter.OddFooter, scale: 100, colWidths: map[int]float64{}, rowHts: map[int]float64{},
			defColW: 8.43, defRowH: 15, margins: [4]float64{0.7, 0.7, 0.75, 0.75}}
		if ws.SheetFormatPr.DefaultColWidth > 0 {
			xs.defColW = ws.SheetFormatPr.DefaultColWidth
		}
		if ws.SheetFormatPr.DefaultRowHeight > 0 {
			xs.defRowH = ws.SheetFormatPr.DefaultRowHeight
		}
		if m := ws.PageMargins; m != nil {
			xs.margins = [4]float64{m.Left, m.Right, m.Top, m.Bottom}
		}
		xs.fitToPage = ws.SheetPr.PageSetUpPr.FitToPage == "1" || ws.SheetPr.PageSetUpPr.FitToPage == "true"
		if ps := ws.PageSetup; ps != nil {
			if ps.Scale != "" {
				xs.scale, _ = strconv.ParseFloat(ps.Scale, 64)
			}
			xs.fitWidth, xs.fitHeight = 1, 1 // the defaults of fitToWidth and fitToHeight
			if ps.FitToWidth != "" {
				xs.fitWidth, _ = strconv.Atoi(ps.FitToWidth)
			}
			if ps.FitToHeight != "" {
				xs.fitHeight, _ = strconv.Atoi(ps.FitToHeight)
			}
			xs.landscape = ps.Orientation == "landscape"
			if ps.UseFirstPageNumber == "1" || ps.UseFirstPageNumber == "true" {
				xs.firstPage, _ = strconv.Atoi(ps.FirstPageNumber)
			}
		} else {
			xs.fitWidth, xs.fitHeight = 1, 1
		}
		for _, c := range ws.Cols {
			for i := c.Min; i <= c.Max && i < c.Min+16384; i++ {
				xs.colWidths[i] = c.Width
			}
		}
		xs.charts = len(ws.Drawing)
		for _, r := range ws.Rows {
			if r.Ht > 0 {
				xs.rowHts[r.R] = r.Ht
			}
			for _, c := range r.C {
				var text string
				switch c.T {
				case "s":
					i, err := strconv.Atoi(strings.TrimSpace(c.V))
					if err != nil || i < 0 || i >= len(shared) {
						return nil, fmt.Errorf("%s: %s!%s: shared string %q", file, s.Name, c.R, c.V)
					}
					text = shared[i]
				case "inlineStr":
					text = c.Is.String()
				case "str", "e":
					text = c.V
				case "b":
					text = map[string]string{"1": "TRUE", "0": "FALSE"}[c.V]
				default:
					text = c.V
				}
				if strings.TrimSpace(text) == "" {
					continue
				}
				size, format := style(c.S)
				if c.T == "" || c.T == "n" {
					text = formatNumber(text, format)
				}
				col, row := cellIndex(c.R)
				xs.cells = append(xs.cells, xcell{ref: c.R, row: row, col: col, text: text, size: size})
				xs.maxCol, xs.maxRow = max(xs.maxCol, col), max(xs.maxRow, row)
			}
		}
		b.sheets = append(b.sheets, xs)
	}
	return b, nil
}

type worksheet struct {
	SheetPr struct {
		PageSetUpPr struct {
			FitToPage string `xml:"fitToPage,attr"`
		} `xml:"pageSetUpPr"`
	} `xml:"sheetPr"`
	SheetFormatPr struct {
		DefaultColWidth  float64 `xml:"defaultColWidth,attr"`
		DefaultRowHeight float64 `xml:"defaultRowHeight,attr"`
	} `xml:"sheetFormatPr"`
	Cols []struct {
		Min   int     `xml:"min,attr"`
		Max   int     `xml:"max,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R  int     `xml:"r,attr"`
		Ht float64 `xml:"ht,attr"`
		C  []struct {
			R  string `xml:"r,attr"`
			S  int    `xml:"s,attr"`
			T  string `xml:"t,attr"`
			V  string `xml:"v"`
			Is rich   `xml:"is"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	PageMargins *struct {
		Left   float64 `xml:"left,attr"`
		Right  float64 `xml:"right,attr"`
		Top    float64 `xml:"top,attr"`
		Bottom float64 `xml:"bottom,attr"`
	} `xml:"pageMargins"`
	PageSetup *struct {
		Scale              string `xml:"scale,attr"`
		FitToWidth         string `xml:"fitToWidth,attr"`
		FitToHeight        string `xml:"fitToHeight,attr"`
		Orientation        string `xml:"orientation,attr"`
		FirstPageNumber    string `xml:"firstPageNumber,attr"`
		UseFirstPageNumber string `xml:"useFirstPageNumber,attr"`
	} `xml:"pageSetup"`
	HeaderFooter struct {
		OddFooter string `xml:"oddFooter"`
	} `xml:"headerFooter"`
	Drawing []struct{} `xml:"drawing"`
}

// rich is a string item: plain (<t>) or in runs (<r><t>).
type rich struct {
	T string `xml:"t"`
	R []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (r rich) String() string {
	s := r.T
	for _, x := range r.R {
		s += x.T
	}
	return s
}

// cellIndex turns "AB12" into column 28, row 12.
func cellIndex(ref string) (col, row int) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	row, _ = strconv.Atoi(ref[i:])
	return col, row
}

// formatNumber shows a stored number as LibreOffice prints it in its format, for the formats
// the workbooks use: General, 0, 0.0…, 0.##, #,##0, 0%. (A whole number in 0.## prints "1" in
// LibreOffice, "1." in Excel and WPS.)
func formatNumber(v, format string) string {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	f := strings.ReplaceAll(format, "\\", "")
	f, _, _ = strings.Cut(f, ";")
	percent := strings.HasSuffix(f, "%")
	if percent {
		x *= 100
		f = strings.TrimSuffix(f, "%")
	}
	suffix := ""
	if percent {
		suffix = "%"
	}
	switch {
	case f == "General" || f == "@" || f == "":
		return strconv.FormatFloat(x, 'f', -1, 64) + suffix
	}
	f = strings.ReplaceAll(f, ",", "")
	_, dec, _ := strings.Cut(f, ".")
	zeros, hashes := strings.Count(dec, "0"), strings.Count(dec, "#")
	s := strconv.FormatFloat(x, 'f', zeros+hashes, 64)
	if hashes > 0 && strings.Contains(s, ".") {
		whole, frac, _ := strings.Cut(s, ".")
		for len(frac) > zeros && strings.HasSuffix(frac, "0") {
			frac = frac[:len(frac)-1]
		}
		s = whole + "." + frac
		if frac == "" {
			s = whole
		}
	}
	return s + suffix
}
