package sheet

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// quadraticMerges is the old mergeRanges: excelize's mergeOverlapCells as it is, every pair
// compared pass after pass. The reference for the banded one.
func quadraticMerges(refs []string) []Range {
	var rects [][4]int
	for _, ref := range refs {
		p := strings.Split(ref, ":")
		c0, r0, _ := excelize.CellNameToCoordinates(p[0])
		c1, r1, _ := excelize.CellNameToCoordinates(p[1])
		rects = append(rects, [4]int{c0, r0, c1, r1})
	}
	for merged := true; merged; {
		merged = false
		var out [][4]int
		used := make([]bool, len(rects))
		for i := range rects {
			if used[i] {
				continue
			}
			r1 := rects[i]
			for j := i + 1; j < len(rects); j++ {
				if !used[j] && isOverlap(r1, rects[j]) {
					r2 := rects[j]
					r1 = [4]int{min(r1[0], r2[0]), min(r1[1], r2[1]), max(r1[2], r2[2]), max(r1[3], r2[3])}
					merged, used[j] = true, true
				}
			}
			out = append(out, r1)
		}
		rects = out
	}
	var ranges []Range
	for _, r := range rects {
		ranges = append(ranges, Range{R0: r[1] - 1, C0: r[0] - 1, R1: r[3] - 1, C1: r[2] - 1})
	}
	return ranges
}

func ref(c0, r0, c1, r1 int) string {
	a, _ := excelize.CoordinatesToCellName(c0, r0)
	b, _ := excelize.CoordinatesToCellName(c1, r1)
	return a + ":" + b
}

// The banded join gives exactly the old (excelize's) result, ranges and order, on random sets
// of ranges: small grids, so that many overlap, chain, nest, cross or are reversed.
func TestMergeRangesMatchesQuadratic(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 10))
	for n := 0; n < 3000; n++ {
		size := 1 + rng.IntN(40)
		count := 1 + rng.IntN(30)
		var refs []string
		for range count {
			c0, r0 := 1+rng.IntN(size), 1+rng.IntN(size)
			c1, r1 := c0+rng.IntN(4), r0+rng.IntN(4)
			if rng.IntN(10) == 0 {
				c0, c1 = c1, c0 // reversed
			}
			refs = append(refs, ref(c0, r0, c1, r1))
		}
		got, err := mergeRanges("sheet", refs, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if want := quadraticMerges(refs); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %v\nwant %v", refs, got, want)
		}
	}
}

// crossing bars: n/2 horizontal and n/2 vertical ranges that cross without a corner of one in
// the other: none joins, and no cut separates them (the worst case, compared pair by pair).
func crossingBars(n int) []string {
	var refs []string
	for i := range n / 2 {
		refs = append(refs, ref(1, 2+2*i, n+2, 2+2*i), ref(3+2*i, 1, 3+2*i, n+2))
	}
	return refs
}

// A join that runs past its deadline stops with the time-limit error.
func TestMergeRangesDeadline(t *testing.T) {
	refs := crossingBars(3000)
	_, err := mergeRanges("sheet", refs, time.Now().Add(-time.Second))
	if err == nil || !strings.Contains(err.Error(), "读取超过 60 秒仍未完成") {
		t.Fatalf("err = %v, want the time limit", err)
	}
	got, err := mergeRanges("sheet", refs[:400], time.Time{})
	if err != nil || len(got) != 400 {
		t.Fatalf("%d ranges, %v; want the 400 bars unjoined", len(got), err)
	}
}

// Read stops a workbook past its time limit, naming the file and sheet.
func TestReadTimeLimit(t *testing.T) {
	defer func(d time.Duration) { xlsxTimeLimit = d }(xlsxTimeLimit)
	xlsxTimeLimit = -time.Second // already past: the first check stops it
	path := filepath.Join(t.TempDir(), "慢.xlsx")
	var rows strings.Builder
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
	}
	writeTestBook(t, path, `<worksheet xmlns="`+nsMain+`"><sheetData>`+rows.String()+`</sheetData></worksheet>`, `<sst xmlns="`+nsMain+`"/>`)
	_, _, err := Read(path)
	if err == nil || !strings.HasPrefix(err.Error(), "慢.xlsx[Sheet1]: 读取超过") || !strings.Contains(err.Error(), "秒仍未完成（文件可能已损坏或是恶意构造的）") {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkMerges: merged ranges of a sheet, one per row (A:B, as a register merging two
// columns of each row), n = 50 000 and 100 000: mergeRanges, and the old pairwise join at
// 5 000 for scale (it grows with n²: 50 000 took 17 s).
func BenchmarkMerges(b *testing.B) {
	rows := func(n int) []string {
		refs := make([]string, n)
		for i := range refs {
			refs[i] = ref(1, i+2, 2, i+2)
		}
		return refs
	}
	for _, n := range []int{50000, 100000} {
		refs := rows(n)
		b.Run(fmt.Sprintf("banded-%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := mergeRanges("sheet", refs, time.Time{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	refs := rows(5000)
	b.Run("banded-5000", func(b *testing.B) {
		for b.Loop() {
			mergeRanges("sheet", refs, time.Time{})
		}
	})
	b.Run("quadratic-5000", func(b *testing.B) {
		for b.Loop() {
			quadraticMerges(refs)
		}
	})
}
