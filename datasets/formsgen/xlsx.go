package formsgen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fixedTime is the workbooks' creation and modification time, so that every run gives the
// same bytes.
const fixedTime = "2024-01-08T09:00:00Z"

// grid is one sheet as an office clerk lays it out: cells anywhere (1-based row and column),
// merged ranges, a title, a bordered table.
type grid struct {
	name   string
	cells  map[[2]int]any // string, int, float64 or time.Time (a date cell)
	merges [][4]int
	title  [][2]int // cells in the title style
	boxes  [][4]int // bordered ranges (the table)
	widths map[int]float64
	rows   int
}

func newGrid(name string) *grid {
	return &grid{name: name, cells: map[[2]int]any{}, widths: map[int]float64{}}
}

func (g *grid) set(r, c int, v any) {
	if v == nil || v == "" {
		return
	}
	g.cells[[2]int{r, c}] = v
	g.rows = max(g.rows, r)
}

// row writes values from column 1.
func (g *grid) row(r int, vs ...any) {
	for i, v := range vs {
		g.set(r, i+1, v)
	}
	g.rows = max(g.rows, r)
}

func (g *grid) merge(r0, c0, r1, c1 int) { g.merges = append(g.merges, [4]int{r0, c0, r1, c1}) }

// line writes a text merged across columns c0..c1 of row r (a title, a 会议时间 line, a legend).
func (g *grid) line(r, c0, c1 int, s string) {
	g.set(r, c0, s)
	if c1 > c0 {
		g.merge(r, c0, r, c1)
	}
}

func (g *grid) titleLine(r, c0, c1 int, s string) {
	g.line(r, c0, c1, s)
	g.title = append(g.title, [2]int{r, c0})
}

func (g *grid) box(r0, c0, r1, c1 int) { g.boxes = append(g.boxes, [4]int{r0, c0, r1, c1}) }

func cellName(r, c int) string {
	s, _ := excelize.CoordinatesToCellName(c, r)
	return s
}

// writeBook writes the grids as the sheets of one workbook.
func writeBook(path string, grids ...*grid) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "机关党委办公室", LastModifiedBy: "机关党委办公室",
		Created: fixedTime, Modified: fixedTime, Language: "zh-CN"}); err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	titleSt, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "方正小标宋简体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	bodySt, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 12, Family: "仿宋_GB2312"}, Border: border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy\"年\"m\"月\"d\"日\""
	dateSt, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 12, Family: "仿宋_GB2312"}, Border: border,
		CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	for i, g := range grids {
		if i == 0 {
			err = f.SetSheetName("Sheet1", g.name)
		} else {
			_, err = f.NewSheet(g.name)
		}
		if err != nil {
			return err
		}
		for _, b := range g.boxes {
			if err := f.SetCellStyle(g.name, cellName(b[0], b[1]), cellName(b[2], b[3]), bodySt); err != nil {
				return err
			}
		}
		keys := make([][2]int, 0, len(g.cells))
		for rc := range g.cells {
			keys = append(keys, rc)
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
		})
		for _, rc := range keys {
			v := g.cells[rc]
			ref := cellName(rc[0], rc[1])
			if t, ok := v.(time.Time); ok {
				if err := f.SetCellValue(g.name, ref, t); err != nil {
					return err
				}
				if err := f.SetCellStyle(g.name, ref, ref, dateSt); err != nil {
					return err
				}
				continue
			}
			if err := f.SetCellValue(g.name, ref, v); err != nil {
				return err
			}
		}
		for _, t := range g.title {
			if err := f.SetCellStyle(g.name, cellName(t[0], t[1]), cellName(t[0], t[1]), titleSt); err != nil {
				return err
			}
		}
		for _, m := range g.merges {
			if err := f.MergeCell(g.name, cellName(m[0], m[1]), cellName(m[2], m[3])); err != nil {
				return err
			}
		}
		for c := 1; c <= 64; c++ {
			w, ok := g.widths[c]
			if !ok {
				continue
			}
			col, _ := excelize.ColumnNumberToName(c)
			if err := f.SetColWidth(g.name, col, col, w); err != nil {
				return err
			}
		}
	}
	f.SetActiveSheet(0)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeCSV writes rows as a CSV file: UTF-8 with a BOM, or GB18030 as Excel's 另存为 CSV writes
// on a Chinese Windows.
func writeCSV(path string, gbk bool, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = gbk
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	data := b.Bytes()
	if gbk {
		enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(data)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		data = enc
	} else {
		data = append([]byte("\uFEFF"), data...)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// cn writes a date as 2023年3月15日.
func cn(s string) string {
	t := day(s)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// md writes a date as 3月15日.
func md(s string) string {
	t := day(s)
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// dotted writes a date as 3.15 (a sheet name) or 2023.3.15 (withYear).
func dotted(s string, withYear bool) string {
	t := day(s)
	if withYear {
		return fmt.Sprintf("%d.%d.%d", t.Year(), t.Month(), t.Day())
	}
	return fmt.Sprintf("%d.%d", t.Month(), t.Day())
}
