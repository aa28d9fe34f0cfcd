package export

import (
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

// Working days skip Saturday and Sunday: from Friday 5 January 2024, five are 5, 8, 9, 10 and
// 11 January; from Saturday 6 January, three begin on Monday 8 and end on Wednesday 10.
func TestWorkingDays(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct{ from, n, first, last int }{{5, 5, 5, 11}, {6, 3, 8, 10}, {8, 1, 8, 8}} {
		first, last := WorkingDays(day(c.from), c.n)
		if !first.Equal(day(c.first)) || !last.Equal(day(c.last)) {
			t.Errorf("%d days from 1-%d: %s to %s, want 1-%d to 1-%d", c.n, c.from, first.Format("01-02"), last.Format("01-02"), c.first, c.last)
		}
	}
}

// A branch's pages: up to 25 members on one; more, 30 on the first page and 34 on each next,
// the lines under the table on a page of their own when the last page has more than 26 (25 on
// the first): 26 → 26, then the lines (2 pages); 50 → 30 + 20 (2); 60 → 30 + 30, then the
// lines (3); 64 → 30 + 34, then the lines (3).
func TestPublicityBreaks(t *testing.T) {
	for _, c := range []struct {
		n      int
		breaks []int
		pages  int
	}{{25, nil, 1}, {26, []int{26}, 2}, {50, []int{30}, 2}, {60, []int{30, 60}, 3}, {64, []int{30, 64}, 3}} {
		b, p := publicityBreaks(slices.Repeat([]int{1}, c.n))
		if !slices.Equal(b, c.breaks) || p != c.pages {
			t.Errorf("%d members: breaks %v, %d pages; want %v, %d", c.n, b, p, c.breaks, c.pages)
		}
	}
}

// Branch names a clerk types (found by review): R&D党支部's footer would print the date for &D;
// A支部 and a支部 are one sheet to Excel (the second's members would land on the first's sheet);
// a name of 12 汉字 wraps in the 姓名 column (12 units, about 5 汉字 a line at 12 pt) and its
// row is made tall enough for 3 lines instead of being cut.
func TestPublicityOddBranches(t *testing.T) {
	r := Results{Year: 2022, Date: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), Members: slice([]engine.MemberResult{
		{ID: "1", Name: "甲", Branch: "A支部", Total: 90, Stars: 4, Grade: "合格"},
		{ID: "2", Name: "乙", Branch: "a支部", Total: 80, Stars: 3, Grade: "合格"},
		{ID: "3", Name: "阿卜杜热依木·买买提明江", Branch: "R&D党支部", Total: 70, Stars: 2, Grade: "基本合格"},
	})}
	path := filepath.Join(t.TempDir(), PublicityFile)
	if err := writePublicity(path, r); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"A支部", "a支部（2）", "R&D党支部"}) {
		t.Fatalf("sheets %q, want A支部, a支部（2）, R&D党支部", got)
	}
	for sheet, name := range map[string]string{"A支部": "甲", "a支部（2）": "乙"} {
		if v, _ := x.GetCellValue(sheet, "B4"); v != name {
			t.Errorf("%s B4 = %q, want %s", sheet, v, name)
		}
	}
	hf, _ := x.GetHeaderFooter("R&D党支部")
	if hf.OddFooter != "&CR&&D党支部公示　第 &P 页，共 1 页" {
		t.Errorf("footer %q, want & doubled", hf.OddFooter)
	}
	// 12 汉字 (width 24.15 with the ·) in 12 units: (12 − 0.9) × 7 × 0.75 × 2 / 12 = 9.7 half-width
	// characters a line → 3 lines; rowHeight(3, 12) = ⌈2 × (3 × 13.2 + 2)⌉ / 2 = ⌈83.2⌉ / 2 = 42,
	// + 2.5 = 44.5.
	if h, _ := x.GetRowHeight("R&D党支部", 4); h != 44.5 {
		t.Errorf("row of a long name %v points, want 44.5 (3 lines)", h)
	}
}

// A branch of 40 members goes on to a second page after 30 (publicityFirst): the header row is
// written again at the top of it (row 34: title 1, branch line 2, header 3, members 1–30 in rows
// 4–33), the 31st member under it, and the page broken before it.
func TestPublicityHeaderOnEachPage(t *testing.T) {
	var ms []engine.MemberResult
	for i := range 40 {
		ms = append(ms, engine.MemberResult{ID: strconv.Itoa(i), Name: "党员" + strconv.Itoa(i+1), Branch: "大支部", Total: 90, Stars: 4, Grade: "合格"})
	}
	path := filepath.Join(t.TempDir(), PublicityFile)
	if err := writePublicity(path, Results{Year: 2022, Date: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), Members: slice(ms)}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for cell, want := range map[string]string{"A3": "序号", "B33": "党员30", "A34": "序号", "B34": "姓名", "A35": "31", "B35": "党员31"} {
		if v, _ := x.GetCellValue("大支部", cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
	}
	if brk := pageBreaks(t, path, "xl/worksheets/sheet1.xml"); !slices.Equal(brk, []string{"33"}) {
		t.Errorf("page breaks after rows %q, want 33", brk)
	}
	hf, _ := x.GetHeaderFooter("大支部")
	if hf.OddFooter != "&C大支部公示　第 &P 页，共 2 页" {
		t.Errorf("footer %q, want 共 2 页", hf.OddFooter)
	}
}
