package importer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Header words are matched in two steps (config.yaml import.headers):
//
//  1. exactly: a header equal to a synonym (after rules.Normalize) is that field. This is how
//     headers were always matched, and an exact match always wins.
//  2. by containment, for a column with no exact label: a header holding a synonym
//     (承诺书签订情况 holds 承诺书签订, 践诺评定 holds 践诺) is the field of the longest synonym it
//     holds. It is not matched, and the reading says why, when
//     - it holds synonyms of two different fields equally long (签到时间: 签到 and 时间);
//     - the field already has a column matched exactly (the exact one is used);
//     - two or more columns hold the field (which one is meant would be a guess);
//     - it is longer than maxContainedHeader characters (a title or a sentence, not a header),
//       or it holds a date, an activity type or a ledger category: such a header is a sign-in
//       matrix's activity column (3月2日支委会, 主题党日活动) or a wide ledger's item
//       (志愿服务次数), never a field.
//
// Synonyms of one character never match by containment (every header holds some character).

// maxContainedHeader is the longest header (in characters) matched by containment.
const maxContainedHeader = 16

// headerMatch is what the header words of one column say.
type headerMatch struct {
	field string // "" when none
	exact bool
	// doubt says why a column holding synonyms is not matched (ambiguous, excluded).
	doubt string
}

// matchLabel matches one header label: exactly, else by the longest contained synonym.
func matchLabel(label string, cfg *rules.Config) headerMatch {
	v := cfg.Vocab.Headers
	if f, ok := v.Lookup(label); ok {
		return headerMatch{field: f, exact: true}
	}
	s := rules.Normalize(label)
	if n := utf8.RuneCountInString(s); n < 3 || n > maxContainedHeader {
		return headerMatch{}
	}
	best, bestLen := map[string]string{}, 0 // field → synonym, among the longest
	for _, syn := range v.Synonyms() {
		n := utf8.RuneCountInString(syn)
		if n < 2 || n < bestLen || !strings.Contains(s, syn) {
			continue
		}
		f, _ := v.Lookup(syn)
		if n > bestLen {
			best, bestLen = map[string]string{}, n
		}
		best[f] = syn
	}
	if len(best) == 0 {
		return headerMatch{}
	}
	if reDateLike.MatchString(s) || looksLikeDate(s) {
		return headerMatch{}
	}
	if a, _ := findActivity(s, cfg.Vocab.Activities); a != "" {
		return headerMatch{}
	}
	for _, syn := range cfg.Vocab.LedgerCategories.Synonyms() {
		if utf8.RuneCountInString(syn) >= 2 && strings.Contains(s, syn) {
			return headerMatch{}
		}
	}
	if len(best) > 1 {
		var names []string
		for _, f := range sortedKeys(best) {
			names = append(names, "“"+best[f]+"”（"+fieldName(cfg.Import.Headers, f)+"）")
		}
		return headerMatch{doubt: "表头同时含有" + strings.Join(names, "和") + "，无法判断是哪一项"}
	}
	for f := range best {
		return headerMatch{field: f}
	}
	return headerMatch{}
}

// matchHeaders maps the header block's columns to fields (see above): cols as fields gives them,
// and why, for the columns holding header words that were not taken, the reason.
func matchHeaders(t sheet.Table, top, bottom int, cfg *rules.Config) (cols map[string]int, why map[int]string) {
	cols, why = map[string]int{}, map[int]string{}
	contained := map[string][]int{}
	for c := 0; c < width(t, top, bottom); c++ {
		ls := labels(t, top, bottom, c)
		// The lowest exact label wins (a group header merged above is the fallback); else the
		// lowest label matched by containment.
		var m, loose headerMatch
		for i := len(ls) - 1; i >= 0; i-- {
			hm := matchLabel(ls[i], cfg)
			if hm.exact {
				m = hm
				break
			}
			if loose.field == "" && loose.doubt == "" && (hm.field != "" || hm.doubt != "") {
				loose = hm
			}
		}
		switch {
		case m.exact:
			if _, dup := cols[m.field]; !dup {
				cols[m.field] = c
			}
		case loose.field != "":
			contained[loose.field] = append(contained[loose.field], c)
		case loose.doubt != "":
			why[c] = loose.doubt
		}
	}
	for _, f := range sortedKeys(contained) {
		cs := contained[f]
		name := fieldName(cfg.Import.Headers, f)
		switch {
		case hasAny(cols, []string{f}):
			for _, c := range cs {
				why[c] = fmt.Sprintf("表头含有%s的写法，但 %s 列的表头就是%s，用的是那一列", name, engine.ColumnName(cols[f]), name)
			}
		case len(cs) == 1:
			cols[f] = cs[0]
		default:
			var letters []string
			for _, c := range cs[:min(len(cs), 3)] {
				letters = append(letters, engine.ColumnName(c))
			}
			which := strings.Join(letters, "、") + " 列"
			if len(cs) > 3 {
				which = fmt.Sprintf("%s等 %d 列", which, len(cs))
			}
			msg := fmt.Sprintf("%s的表头都含有%s的写法，无法判断是哪一列（请在 config.yaml 的 import.headers 中写明）", which, name)
			for _, c := range cs {
				why[c] = msg // one string for every column: a sheet may have thousands
			}
		}
	}
	return cols, why
}

// byValues gives a column whose header names no field a role from its values, where the
// sheet's kind needs it and no header gave it: in a 承诺践诺 sheet, a column whose every value
// is a 践诺 rating (优秀/良好/一般/未践诺) is the rating; in a ledger, a column that holds a level
// (市厅级, 警告) on every row of a category that has levels (表彰, 党纪处分) is the level — or,
// when it holds other text on other rows, the level-or-note (等级或说明). Only the rows in memory
// are looked at (a large streamed sheet's first rows).
func (l *layout) inferByValues(t sheet.Table, cfg *rules.Config) {
	taken := map[int]bool{}
	for _, c := range l.cols {
		taken[c] = true
	}
	mark := func(f string, c int) {
		l.cols[f] = c
		if l.byValues == nil {
			l.byValues = map[string]bool{}
		}
		l.byValues[f] = true
	}
	w := tableWidth(t, l.header+1)
	switch l.kind {
	case KindPledges:
		if l.has("rating") {
			return
		}
		for c := 0; c < w; c++ {
			if taken[c] {
				continue
			}
			n, ok := 0, true
			for i := l.header + 1; i < len(t.Rows) && ok; i++ {
				v := cellAt(t, i, c)
				if v == "" {
					continue
				}
				_, ok = cfg.Vocab.Ratings.Lookup(v)
				n++
			}
			if ok && n > 0 {
				mark("rating", c)
				return
			}
		}
	case KindLedger:
		cc := l.col("ledger_category")
		if l.has("level") || l.has("level_or_note") || cc < 0 {
			return
		}
		for c := 0; c < w; c++ {
			if taken[c] {
				continue
			}
			levels, other, ok := 0, 0, true
			for i := l.header + 1; i < len(t.Rows) && ok; i++ {
				v := cellAt(t, i, c)
				cat, _ := cfg.Vocab.LedgerCategories.Lookup(cellAt(t, i, cc))
				_, isLevel := cfg.Vocab.Levels.Lookup(v)
				switch {
				case len(levelsOf(cfg, cat)) > 0:
					ok = isLevel // a row that needs a level has one here
					levels++
				case v != "" && !isLevel:
					other++
				}
			}
			if ok && levels > 0 {
				if other > 0 {
					mark("level_or_note", c)
				} else {
					mark("level", c)
				}
				return
			}
		}
	}
}

// cellAt is the normalized text of a cell, "" past the row's end.
func cellAt(t sheet.Table, r, c int) string {
	if r < len(t.Rows) && c < len(t.Rows[r]) {
		return rules.Normalize(t.Rows[r][c])
	}
	return ""
}

// exactFields maps the header block's columns to fields by exact synonyms only.
func exactFields(t sheet.Table, top, bottom int, cfg *rules.Config) map[string]int {
	cols := map[string]int{}
	for c := 0; c < width(t, top, bottom); c++ {
		ls := labels(t, top, bottom, c)
		for i := len(ls) - 1; i >= 0; i-- {
			if f, ok := cfg.Vocab.Headers.Lookup(ls[i]); ok {
				if _, dup := cols[f]; !dup {
					cols[f] = c
				}
				break
			}
		}
	}
	return cols
}
