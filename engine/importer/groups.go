package importer

import (
	"slices"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// A list of members often stands side by side to fit a page: 序号 姓名 出勤情况 | 序号 姓名 出勤情况.
// When the header repeats the same columns after each 姓名, every group is read as the first
// (one record per group and row), as the sign-in sheet reads its 姓名/签名 groups (signin.go).

// sideBySide finds the column groups of header row i: two or more 姓名 columns, each beginning
// the same run of header fields, with only 序号 columns (extra) before the first or between
// them. groups[0] is the first group; ok is false for any other header.
func sideBySide(row []string, cfg *rules.Config) (groups []map[string]int, extra []int, ok bool) {
	v := cfg.Vocab.Headers
	var names []int
	for c, h := range row {
		if f, found := v.Lookup(h); found && f == "name" {
			names = append(names, c)
		}
	}
	if len(names) < 2 {
		return nil, nil, false
	}
	for c := 0; c < names[0]; c++ {
		switch h := rules.Normalize(row[c]); h {
		case "":
		case "序号":
			extra = append(extra, c)
		default:
			return nil, nil, false // a column the groups share (所在支部 …): not a plain repeat
		}
	}
	var first []string
	for k, nc := range names {
		end := len(row)
		if k+1 < len(names) {
			end = names[k+1]
		}
		g := map[string]int{}
		var seq []string
		for c := nc; c < end; c++ {
			h := rules.Normalize(row[c])
			if h == "" {
				continue
			}
			if h == "序号" {
				extra = append(extra, c)
				continue
			}
			f, found := v.Lookup(h)
			if !found {
				seq = append(seq, "?"+h) // an unknown header must repeat too
				continue
			}
			if _, dup := g[f]; dup {
				return nil, nil, false
			}
			g[f] = c
			seq = append(seq, f)
		}
		if k == 0 {
			first = seq
		} else if !slices.Equal(seq, first) {
			return nil, nil, false
		}
		groups = append(groups, g)
	}
	if _, st := groups[0]["status"]; !st {
		return nil, nil, false
	}
	if _, sig := groups[0]["signature"]; sig {
		return nil, nil, false // 姓名/签名 groups: a sign-in sheet (signInSheet)
	}
	return groups, extra, true
}

// sideBySideLayout is the attendance layout of a header row i whose 姓名/出勤情况 groups stand
// side by side, or ok false.
func sideBySideLayout(t sheet.Table, i int, path string, cfg *rules.Config) (l layout, ok bool) {
	groups, extra, ok := sideBySide(t.Rows[i], cfg)
	if !ok {
		return layout{}, false
	}
	l = extend(t, i, groups[0]["name"], cfg, KindAttendance, path)
	grouped := map[int]bool{}
	for _, g := range groups {
		for _, c := range g {
			grouped[c] = true
		}
	}
	cols := map[string]int{}
	for f, c := range l.cols {
		if !grouped[c] && !slices.Contains(extra, c) {
			cols[f] = c // a column beside the groups (found in a lower header row)
		}
	}
	for f, c := range groups[0] {
		cols[f] = c
	}
	l.cols, l.groups, l.extraCols = cols, groups[1:], extra
	return l, true
}

// groupLayouts are the layouts of each column group of a sheet read group by group: l itself
// when it has one group.
func groupLayouts(l layout) []layout {
	out := []layout{l}
	for _, g := range l.groups {
		gl := l
		gl.cols = map[string]int{}
		for f, c := range l.cols {
			gl.cols[f] = c
		}
		for f, c := range g {
			gl.cols[f] = c
		}
		out = append(out, gl)
	}
	return out
}

// groupBlank reports whether the row holds nothing in the columns of group layout gl (an
// empty slot at the end of a group shorter than the others) of a sheet read group by group.
func (r *row) groupBlank(gl, l layout) bool {
	for f := range l.groups[0] { // the fields every group has
		if r.cell(gl.col(f)) != "" {
			return false
		}
	}
	return true
}
