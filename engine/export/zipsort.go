package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// writeSorted writes the workbook f to w with its parts in the order of their names, so that
// the same workbook is always the same bytes: excelize writes its streamed sheets in the
// order of a Go map (a different order each time). The package is first written to a private
// temporary file in dir, then its parts are copied into w as they are (compressed once, not
// again); their ZIP headers carry no time (excelize leaves it zero: 1980-01-01).
func writeSorted(f *excelize.File, w io.Writer, dir string) error {
	tmp, err := os.CreateTemp(dir, ".附件.*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := f.WriteTo(tmp); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		return fmt.Errorf("读取刚写的工作簿：%v", err)
	}
	parts := slices.Clone(zr.File)
	slices.SortFunc(parts, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	zw := zip.NewWriter(w)
	for _, p := range parts {
		chart := strings.HasPrefix(p.Name, "xl/charts/chart")
		if p.Name != "[Content_Types].xml" && !chart {
			if err := zw.Copy(p); err != nil {
				return err
			}
			continue
		}
		// Its <Default> extensions come from a map too: sorted, like its <Override> parts. A
		// chart's columns get a black border (excelize draws none), for the white one to show.
		rc, err := p.Open()
		if err != nil {
			return err
		}
		types, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		h := p.FileHeader
		out, err := zw.CreateHeader(&h)
		if err != nil {
			return err
		}
		if chart {
			types = seriesFill.ReplaceAll(types, []byte(`$1<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"></a:srgbClr></a:solidFill></a:ln></spPr>`))
		} else {
			types = sortElements(sortElements(types, "Default"), "Override")
		}
		if _, err := out.Write(types); err != nil {
			return err
		}
	}
	return zw.Close()
}

// seriesFill is the solid fill of a chart's series, as excelize writes it.
var seriesFill = regexp.MustCompile(`(<spPr><a:solidFill><a:srgbClr val="[0-9A-F]{6}"></a:srgbClr></a:solidFill>)</spPr>`)

// sortElements sorts the first run of adjacent <name …/> (or <name …></name>) elements of the
// XML text b by their text; b is returned as it is if they are not all of these simple forms.
func sortElements(b []byte, name string) []byte {
	open, closing := []byte("<"+name+" "), []byte("</"+name+">")
	start := bytes.Index(b, open)
	if start < 0 {
		return b
	}
	var items [][]byte
	i := start
	for bytes.HasPrefix(b[i:], open) {
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			return b
		}
		end := i + gt + 1
		if b[end-2] != '/' {
			if !bytes.HasPrefix(b[end:], closing) {
				return b
			}
			end += len(closing)
		}
		items = append(items, b[i:end])
		i = end
	}
	slices.SortStableFunc(items, bytes.Compare)
	out := append([]byte(nil), b[:start]...)
	for _, it := range items {
		out = append(out, it...)
	}
	return append(out, b[i:]...)
}
