package export

import (
	"slices"
	"testing"
	"time"
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
		b, p := publicityBreaks(c.n)
		if !slices.Equal(b, c.breaks) || p != c.pages {
			t.Errorf("%d members: breaks %v, %d pages; want %v, %d", c.n, b, p, c.breaks, c.pages)
		}
	}
}
