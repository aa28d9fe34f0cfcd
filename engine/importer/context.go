package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// period is what a sheet's title, sheet name, file name and folders say about when and what:
// "2022年3月主题党日签到表" gives year 2022, month 3 and activity 主题党日.
type period struct {
	Year, Month, Day int
	Quarter          int
	Activity         string
	Where            string // the text the year came from, for messages
}

var (
	reYear    = regexp.MustCompile(`(?:^|\D)((?:19|20)\d{2})(?:\D|$)`)
	reYM      = regexp.MustCompile(`((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*月?`)
	reYMD     = regexp.MustCompile(`((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?`)
	reMonth   = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})\s*月`)
	reQuarter = regexp.MustCompile(`(?:第?\s*([1-4一二三四])\s*季度|[Qq]([1-4]))`)
)

// sheetPeriod reads the period from the title rows above the header (rows 0..top-1), then the
// sheet name, then the file's path (its name and folders), the first source that has a year
// giving the year.
func sheetPeriod(t sheet.Table, top int, path string, activities *rules.Vocabulary) period {
	var title []string
	for i := 0; i < top && i < len(t.Rows); i++ {
		seen := map[string]bool{}
		for _, c := range t.Rows[i] {
			if c = rules.Normalize(c); c != "" && !seen[c] {
				seen[c] = true
				title = append(title, c)
			}
		}
	}
	sources := []string{strings.Join(title, " "), rules.Normalize(t.Sheet), rules.Normalize(path)}
	var p period
	for _, s := range sources {
		if s == "" {
			continue
		}
		if p.Year == 0 {
			if m := reYMD.FindStringSubmatch(s); m != nil {
				p.Year, p.Month, p.Day = atoi(m[1]), atoi(m[2]), atoi(m[3])
				p.Where = s
			} else if m := reYM.FindStringSubmatch(s); m != nil && atoi(m[2]) >= 1 && atoi(m[2]) <= 12 {
				p.Year, p.Month = atoi(m[1]), atoi(m[2])
				p.Where = s
			} else if m := reYear.FindStringSubmatch(s); m != nil {
				p.Year = atoi(m[1])
				p.Where = s
			}
		}
		if p.Month == 0 {
			if m := reMonth.FindStringSubmatch(s); m != nil && atoi(m[1]) >= 1 && atoi(m[1]) <= 12 {
				p.Month = atoi(m[1])
			}
		}
		if p.Quarter == 0 {
			if m := reQuarter.FindStringSubmatch(s); m != nil {
				p.Quarter = map[string]int{"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}[m[1]+m[2]]
			}
		}
		if p.Activity == "" {
			p.Activity, _ = findActivity(s, activities)
		}
	}
	if p.Day != 0 && (p.Month < 1 || p.Month > 12) {
		p.Day = 0
	}
	return p
}

// date is the period's date, when the title gives at least a month: a title without a day
// (2022年3月主题党日签到表) dates the sheet's activity on the 1st of the month.
func (p period) date() (time.Time, bool) {
	if p.Year == 0 || p.Month == 0 {
		return time.Time{}, false
	}
	d := p.Day
	if d == 0 {
		d = 1
	}
	t, err := ymd(strconv.Itoa(p.Year), strconv.Itoa(p.Month), strconv.Itoa(d))
	return t, err == nil
}

// end is the last day of the period: of the month, the quarter, or the year.
func (p period) end() (time.Time, bool) {
	switch {
	case p.Year == 0:
		return time.Time{}, false
	case p.Month != 0:
		return time.Date(p.Year, time.Month(p.Month)+1, 0, 0, 0, 0, 0, time.UTC), true
	case p.Quarter != 0:
		return time.Date(p.Year, time.Month(3*p.Quarter)+1, 0, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(p.Year, 12, 31, 0, 0, 0, 0, time.UTC), true
}

// start is the first day of the period.
func (p period) start() time.Time {
	switch {
	case p.Month != 0:
		return time.Date(p.Year, time.Month(p.Month), 1, 0, 0, 0, 0, time.UTC)
	case p.Quarter != 0:
		return time.Date(p.Year, time.Month(3*p.Quarter-2), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
}

// findActivity finds the longest activity synonym inside s and returns its term and s without it.
func findActivity(s string, v *rules.Vocabulary) (string, string) {
	best, bestSyn := "", ""
	for _, syn := range v.Synonyms() {
		if len(syn) > len(bestSyn) && strings.Contains(s, syn) {
			bestSyn = syn
		}
	}
	if bestSyn == "" {
		return "", s
	}
	best, _ = v.Lookup(bestSyn)
	return best, strings.Replace(s, bestSyn, " ", 1)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// contextBranch is the branch a sheet's context names, for a sheet without a 所在支部 column:
// the first of its title rows (above row top), its sheet name, its file name and its folders
// (where) that holds one of the roster's branches (names), the longest such branch
// ("中共××局机关第一党支部" holds "机关第一党支部" and also "第一党支部": the longer wins), or a short
// form of one (shortFor). "" when none does. conflict says when the title, sheet name or file
// name names one branch and the folders another: which is meant is a guess.
func contextBranch(t sheet.Table, top int, where string, names []string) (branch, conflict string) {
	near, far := contextSources(t, top, where)
	n, f := firstName(near, names), firstName(far, names)
	switch {
	case n == "":
		return f, ""
	case f != "" && f != n:
		conflict = fmt.Sprintf("标题、工作表名或文件名写的是 “%s”，所在文件夹却是 “%s”：请核对这张表属于哪个支部（改正标题或把文件放进对应的文件夹，或加一列 所在支部 逐行写明）", n, f)
	}
	return n, conflict
}

// contextName is the first of the sheet's title rows (above row top), its sheet name, its file
// name and its folders (where) that holds one of names (normalized), the longest such name;
// "" when none does.
func contextName(t sheet.Table, top int, where string, names []string) string {
	near, far := contextSources(t, top, where)
	if n := firstName(near, names); n != "" {
		return n
	}
	return firstName(far, names)
}

// contextSources are what a sheet's context is read from: near, its title rows (above row
// top), sheet name and file name; far, its folders (where), the nearest first.
func contextSources(t sheet.Table, top int, where string) (near, far []string) {
	var title []string
	for i := 0; i < top && i < len(t.Rows); i++ {
		for _, c := range t.Rows[i] {
			if c = rules.Normalize(c); c != "" {
				title = append(title, c)
			}
		}
	}
	parts := strings.Split(where, "/")
	near = []string{strings.Join(title, " "), rules.Normalize(t.Sheet), rules.Normalize(parts[len(parts)-1])}
	for i := len(parts) - 2; i >= 0; i-- {
		far = append(far, rules.Normalize(parts[i]))
	}
	return near, far
}

// firstName is the first source that holds one of names: the longest name it holds, else the
// one name it holds a short form of (shortFor).
func firstName(sources, names []string) string {
	for _, s := range sources {
		best := ""
		for _, b := range names {
			if len(b) > len(best) && strings.Contains(s, b) {
				best = b
			}
		}
		if best == "" {
			best = shortFor(s, names)
		}
		if best != "" {
			return best
		}
	}
	return ""
}

// shortFor finds the one name of which s holds a short form: the name's longest ending of at
// least 4 characters that s contains ("第二党支部/" holds 第二党支部, the end of 机关第二党支部),
// when no other name ends in one as long. "" when none does, or two do.
func shortFor(s string, names []string) string {
	best, bestLen, tie := "", 0, false
	for _, b := range names {
		r := []rune(b)
		for n := len(r) - 1; n >= 4 && n > bestLen-1; n-- {
			if strings.Contains(s, string(r[len(r)-n:])) {
				switch {
				case n > bestLen:
					best, bestLen, tie = b, n, false
				case n == bestLen && b != best:
					tie = true
				}
				break
			}
		}
	}
	if tie {
		return ""
	}
	return best
}
