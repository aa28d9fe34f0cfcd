package printcheck

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// tiny writes a workbook of one sheet per entry of sheets, each set up by its function.
func tiny(t *testing.T, name string, sheets map[string]func(f *excelize.File, sheet string) error, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s); err != nil {
			t.Fatal(err)
		}
		if err := sheets[s](f, s); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func font(f *excelize.File, sheet, from, to string, size float64) error {
	st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: size}})
	if err != nil {
		return err
	}
	return f.SetCellStyle(sheet, from, to, st)
}

// The checker fails each kind of bad print, and passes a good one (all in one soffice run):
//   - 宽列: six columns 45 units wide fitted to one page wide: A4 portrait's 487 printable pt
//     over 270 × 7.06 pt is a scale of about 25 %, so the 11 pt text prints at about 3 pt.
//   - 溢出: a 25-character text, not wrapped, in a column 6 units (about 42 pt) wide, next to a
//     filled cell: LibreOffice cuts it at the neighbour (text missing) or prints it over (overlap).
//   - 页码: two sheets numbered by LibreOffice without restarting: the second sheet's only page
//     says 第 2 页，共 2 页 (its P is 2, not 1), so it does not restart.
//   - 合格: 12 pt at scale 100, the footer's count written out, numbered from 1 on each of two
//     sheets: one page each, 第 1 页，共 1 页, nothing missing; the smallest font measured is
//     LibreOffice's footer (11 pt), the cell's 12 pt above it.
func TestCheckFailsBadPrints(t *testing.T) {
	one := uint(1)
	wide := tiny(t, "宽列.xlsx", map[string]func(*excelize.File, string) error{"宽列": func(f *excelize.File, s string) error {
		if err := f.SetSheetRow(s, "A1", &[]any{"很宽的表格", "第二列", "第三列", "第四列", "第五列", "第六列"}); err != nil {
			return err
		}
		if err := f.SetColWidth(s, "A", "F", 45); err != nil {
			return err
		}
		yes, w, h := true, 1, 0
		if err := f.SetSheetProps(s, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return err
		}
		return f.SetPageLayout(s, &excelize.PageLayoutOptions{FitToWidth: &w, FitToHeight: &h})
	}}, "宽列")
	spill := tiny(t, "溢出.xlsx", map[string]func(*excelize.File, string) error{"溢出": func(f *excelize.File, s string) error {
		if err := f.SetSheetRow(s, "A1", &[]any{"这是一段很长很长的说明文字没有换行会被右边的格子挡住", "右边有字"}); err != nil {
			return err
		}
		if err := f.SetColWidth(s, "A", "A", 6); err != nil {
			return err
		}
		return font(f, s, "A1", "B1", 11)
	}}, "溢出")
	numbered := func(restart bool) func(*excelize.File, string) error {
		return func(f *excelize.File, s string) error {
			if err := f.SetCellStr(s, "A1", s+"的内容"); err != nil {
				return err
			}
			if err := font(f, s, "A1", "A1", 12); err != nil {
				return err
			}
			footer := "&C" + s + "　第 &P 页，共 &N 页"
			if restart {
				footer = "&C" + s + "　第 &P 页，共 1 页"
				if err := f.SetPageLayout(s, &excelize.PageLayoutOptions{FirstPageNumber: &one}); err != nil {
					return err
				}
			}
			return f.SetHeaderFooter(s, &excelize.HeaderFooterOptions{OddFooter: footer})
		}
	}
	pages := tiny(t, "页码.xlsx", map[string]func(*excelize.File, string) error{"表一": numbered(false), "表二": numbered(false)}, "表一", "表二")
	good := tiny(t, "合格.xlsx", map[string]func(*excelize.File, string) error{"甲表": numbered(true), "乙表": numbered(true)}, "甲表", "乙表")

	rs := Check(t, wide, spill, pages, good)
	for _, r := range rs {
		t.Log(r)
	}
	if s := rs[0].Sheet("宽列"); s == nil || s.FontXLSX >= 10 || s.FontPDF >= 10 || s.Scale > 40 {
		t.Errorf("宽列: %+v, want scale ≤ 40 %% and both fonts < 10 pt", s)
	}
	if s := rs[1].Sheet("溢出"); s == nil || len(s.Missing) == 0 && len(rs[1].Overlaps) == 0 {
		t.Errorf("溢出: nothing missing and no overlap: %s", rs[1])
	}
	if s := rs[2].Sheet("表二"); s == nil || s.Restarts || !slices.Equal(s.Numbers, [][2]int{{2, 2}}) {
		t.Errorf("页码 表二: %+v, want one page numbered 第 2 页，共 2 页 and Restarts false", s)
	}
	for _, name := range []string{"甲表", "乙表"} {
		s := rs[3].Sheet(name)
		if s == nil || s.Pages != 1 || !s.Restarts || s.Short != name || len(s.Missing) > 0 || s.FontXLSX != 12 || s.FontPDF < 10.7 || s.FontPDF > 12.3 {
			t.Errorf("合格 %s: %+v, want 1 page, 第 1 页，共 1 页, 12 pt, nothing missing", name, s)
		}
	}
	if len(rs[3].Overlaps)+len(rs[3].Outside)+len(rs[3].Unassigned) > 0 {
		t.Errorf("合格: %s", rs[3])
	}
}

// Numbers are shown as LibreOffice prints them in their format.
func TestFormatNumber(t *testing.T) {
	for _, c := range []struct{ v, f, want string }{
		{"116", "0.##", "116"}, {"86.5", "0.##", "86.5"}, {"0.99644", "0.0000", "0.9964"},
		{"12", "0.0", "12.0"}, {"3", "General", "3"}, {"77.25", "0.00", "77.25"}, {"0.5", "0%", "50%"},
	} {
		if got := formatNumber(c.v, c.f); got != c.want {
			t.Errorf("formatNumber(%s, %s) = %s, want %s", c.v, c.f, got, c.want)
		}
	}
	for footer, want := range map[string]string{`&C&"宋体"&11附件1　第 &P 页，共 &N 页`: "附件1",
		"&C机关第一党支部公示　第 &P 页，共 1 页": "机关第一党支部公示", "&C第 &P 页，共 &N 页": ""} {
		if got := footerName(footer); got != want {
			t.Errorf("footerName(%s) = %q, want %q", footer, got, want)
		}
	}
}
