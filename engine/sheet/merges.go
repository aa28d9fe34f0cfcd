package sheet

import (
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// mergeRanges turns merged-range references into ranges exactly as excelize's GetMergeCells
// and the old Read did: overlapping ranges are joined (excelize's mergeOverlapCells: a range
// absorbs every later one a corner of which lies in it, or that holds one of its corners, and
// passes repeat until none does), and a reversed range (C3:A1) stays reversed; the result is
// in the order of each joined group's first range.
//
// excelize compares every pair, pass after pass: 50 000 ranges took 17 s. Two ranges can only
// be joined if their rows overlap and their columns overlap, and a joined range stays inside
// the rows and columns of its parts. So the ranges are first cut into bands of rows that no
// range crosses (sort by first row, sweep), each band into bands of columns, and so on while
// a cut is found; excelize's passes then run inside each group that cannot be cut, which for
// real sheets (ranges that do not overlap) is one range. O(n log n) for sheets without
// overlapping ranges; deadline (if not zero) bounds the rest.
func mergeRanges(part string, refs []string, deadline time.Time) ([]Range, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	rects := make([][4]int, 0, len(refs))
	for _, ref := range refs {
		rc := ref
		if !strings.Contains(rc, ":") {
			rc += ":" + rc
		}
		parts := strings.Split(strings.ReplaceAll(rc, "$", ""), ":")
		c0, r0, err1 := excelize.CellNameToCoordinates(parts[0])
		c1, r1, err2 := excelize.CellNameToCoordinates(parts[1])
		if err1 != nil || err2 != nil {
			return nil, unsupported(part, "merged range %q", ref)
		}
		rects = append(rects, [4]int{c0, r0, c1, r1})
	}
	m := merger{rects: rects, deadline: deadline}
	idx := make([]int, len(rects))
	for i := range idx {
		idx[i] = i
	}
	if err := m.split(idx, 1, false); err != nil {
		return nil, err
	}
	slices.SortFunc(m.out, func(a, b led) int { return a.first - b.first })
	ranges := make([]Range, len(m.out))
	for i, o := range m.out {
		r := o.r
		ranges[i] = Range{R0: r[1] - 1, C0: r[0] - 1, R1: r[3] - 1, C1: r[2] - 1}
	}
	return ranges, nil
}

type merger struct {
	rects    [][4]int
	out      []led
	deadline time.Time
	steps    int
}

// led is a joined range and the index of the first range of its group.
type led struct {
	r     [4]int
	first int
}

// span is a range's extent on an axis (0: columns, 1: rows), low to high even when reversed.
func (m *merger) span(i, axis int) (int, int) {
	a, b := m.rects[i][axis], m.rects[i][axis+2]
	return min(a, b), max(a, b)
}

// split cuts the ranges idx into bands along axis; a group that cannot be cut along either
// axis (tried says the other one was tried) is joined as excelize joins it.
func (m *merger) split(idx []int, axis int, tried bool) error {
	if len(idx) == 1 {
		m.out = append(m.out, led{m.rects[idx[0]], idx[0]})
		return nil
	}
	if err := m.tick(len(idx)); err != nil {
		return err
	}
	slices.SortFunc(idx, func(a, b int) int {
		la, _ := m.span(a, axis)
		lb, _ := m.span(b, axis)
		return la - lb
	})
	var bands [][]int
	start := 0
	_, hi := m.span(idx[0], axis)
	for k := 1; k < len(idx); k++ {
		lo, h := m.span(idx[k], axis)
		if lo > hi {
			bands = append(bands, idx[start:k])
			start = k
		}
		hi = max(hi, h)
	}
	bands = append(bands, idx[start:])
	if len(bands) == 1 {
		if tried {
			return m.join(idx)
		}
		return m.split(idx, 1-axis, true)
	}
	for _, b := range bands {
		if err := m.split(b, 1-axis, false); err != nil {
			return err
		}
	}
	return nil
}

// join is excelize's mergeOverlapCells on one group, in the ranges' order.
func (m *merger) join(idx []int) error {
	slices.Sort(idx)
	rects := make([]led, len(idx))
	for k, i := range idx {
		rects[k] = led{m.rects[i], i}
	}
	for merged := true; merged; {
		merged = false
		var out []led
		used := make([]bool, len(rects))
		for i := range rects {
			if used[i] {
				continue
			}
			if err := m.tick(len(rects) - i); err != nil {
				return err
			}
			r1 := rects[i].r
			for j := i + 1; j < len(rects); j++ {
				if used[j] {
					continue
				}
				if r2 := rects[j].r; isOverlap(r1, r2) {
					r1 = [4]int{min(r1[0], r2[0]), min(r1[1], r2[1]), max(r1[2], r2[2]), max(r1[3], r2[3])}
					merged, used[j] = true, true
				}
			}
			out = append(out, led{r1, rects[i].first})
		}
		rects = out
	}
	m.out = append(m.out, rects...)
	return nil
}

// tick counts work done and checks the deadline now and then.
func (m *merger) tick(work int) error {
	m.steps += work
	if m.steps < 1<<20 {
		return nil
	}
	m.steps = 0
	if pastDeadline(m.deadline) {
		return errTimeLimit()
	}
	return nil
}

func isOverlap(a, b [4]int) bool {
	return cellInRange(a[0], a[1], b) || cellInRange(a[2], a[1], b) ||
		cellInRange(a[0], a[3], b) || cellInRange(a[2], a[3], b) ||
		cellInRange(b[0], b[1], a) || cellInRange(b[2], b[1], a) ||
		cellInRange(b[0], b[3], a) || cellInRange(b[2], b[3], a)
}

func cellInRange(col, row int, r [4]int) bool {
	return col >= r[0] && col <= r[2] && row >= r[1] && row <= r[3]
}
