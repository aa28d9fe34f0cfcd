package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// A sign-in matrix often says what its marks mean, in a line above or under it:
// 说明：√出席 ○请假 ×缺席 △迟到, or 注：√表示出席，○表示请假，☆早退 (in one cell or several).
// That legend defines the marks of that sheet, before the vocabulary of config.yaml (where ○
// is 出席); a config layout may give one (legend) for sheets that have none. The lines under
// the matrix (the legend, 支部书记（签字）：, 记录人：, 应到 12 人 实到 10 人) are no members.

// legend is the meaning of a sheet's marks.
type legend struct {
	marks map[string]string // normalized mark → status
	text  string            // √出席 ○请假 ×缺席, in the order written
	where string            // A12, or 版式 “…”
}

// describe is the legend for a reading and for messages: A12：√出席 ○请假.
func (lg *legend) describe() string { return lg.where + "：" + lg.text }

// hintsOnly reports whether a config layout only adds to the automatic reading of the sheets
// it matches (legend, footer, fields_from_labels): no kind, columns, values or items.
func hintsOnly(cl *rules.Layout) bool {
	return cl.Kind == "" && len(cl.Columns) == 0 && len(cl.Values) == 0 && len(cl.Items) == 0
}

// layoutHints are the config layouts matching a sheet, in config order: each may add a
// legend, footer words and labels to how the sheet is read.
func layoutHints(t sheet.Table, cfg *rules.Config) []*rules.Layout {
	var out []*rules.Layout
	for i := range cfg.Import.Layouts {
		if cl := &cfg.Import.Layouts[i]; layoutMatches(cl, t, filepath.Base(t.File)) {
			out = append(out, cl)
		}
	}
	return out
}

// configLegend is the legend the first matching config layout with one gives, or nil.
func configLegend(t sheet.Table, cfg *rules.Config) *legend {
	for _, cl := range layoutHints(t, cfg) {
		if len(cl.Legend) == 0 {
			continue
		}
		lg := &legend{marks: map[string]string{}, where: "版式 “" + cl.Name + "”"}
		var parts []string
		for _, term := range cfg.Vocab.Statuses.Terms() { // in the order 出席, 请假, 缺席 …
			for _, mark := range sortedKeys(cl.Legend) {
				if st, ok := cfg.Vocab.Statuses.Lookup(cl.Legend[mark]); ok && st == term {
					lg.marks[rules.Normalize(mark)] = st
					parts = append(parts, mark+st)
				}
			}
		}
		lg.text = strings.Join(parts, " ")
		return lg
	}
	return nil
}

// legendPrefix begins a legend line: 说明：, 注：, 图例：, 备注：.
var legendPrefix = regexp.MustCompile(`^(说明|注|注释|图例|备注|标记说明|填表说明)\s*[:：]?\s*`)

// isMarkRune: a rune a sign-in cell may hold as a mark (√ ○ × △ ☆ ●), not a separator.
func isMarkRune(r rune) bool {
	if strings.ContainsRune("，,、；;：:。.（）()【】[]“”\"'‘’《》<>", r) {
		return false
	}
	return unicode.IsSymbol(r) || unicode.IsPunct(r)
}

// isMark reports whether s is a mark: one to four mark runes.
func isMark(s string) bool {
	s = strings.TrimSpace(s)
	n := 0
	for _, r := range s {
		if !isMarkRune(r) {
			return false
		}
		n++
	}
	return n > 0 && n <= 4
}

var (
	reEnum    = regexp.MustCompile(`^\d+[.、)）]`)
	reBracket = regexp.MustCompile(`[（(][^）)]*[）)]`)
	reLegSep  = regexp.MustCompile(`[\s\x{3000}，,、；;。]+`)
)

// parseLegend reads a legend's text (without its 说明：): pairs of a mark and a status, the
// mark first (√出席, √表示出席, √=出席) or last (出席√). bad are the pieces holding a mark that
// name no status.
func parseLegend(text string, statuses *rules.Vocabulary) (pairs [][2]string, bad []string) {
	text = strings.NewReplacer("表示", "", "代表", "", "为", "", "=", "", "＝", "", "：", "", ":", "").Replace(text)
	for _, seg := range reLegSep.Split(text, -1) {
		seg = reEnum.ReplaceAllString(strings.TrimSpace(seg), "")
		if seg == "" {
			continue
		}
		// Runs of mark runes and of other runes, alternating.
		var runs []string
		var marks []bool
		for _, r := range seg {
			m := isMarkRune(r)
			if len(runs) == 0 || marks[len(marks)-1] != m {
				runs, marks = append(runs, ""), append(marks, m)
			}
			runs[len(runs)-1] += string(r)
		}
		hasMark := false
		for _, m := range marks {
			hasMark = hasMark || m
		}
		if !hasMark {
			continue // words only: not part of the legend
		}
		if len(runs)%2 != 0 {
			bad = append(bad, seg)
			continue
		}
		var got [][2]string
		for i := 0; i < len(runs); i += 2 {
			mark, word := runs[i], runs[i+1]
			if !marks[i] {
				mark, word = runs[i+1], runs[i]
			}
			st, ok := statuses.Lookup(reBracket.ReplaceAllString(word, ""))
			if !ok || !isMark(mark) {
				got = nil
				break
			}
			got = append(got, [2]string{mark, st})
		}
		if got == nil {
			bad = append(bad, seg)
			continue
		}
		pairs = append(pairs, got...)
	}
	return pairs, bad
}

// rowText joins a row's non-empty cells, each once (a merged cell fills every cell of its
// range with the same text), and gives the column of the first.
func rowText(cells []string) (string, int) {
	var parts []string
	first := -1
	for c, v := range cells {
		v = strings.TrimSpace(v)
		if v == "" || (len(parts) > 0 && parts[len(parts)-1] == v) {
			continue
		}
		if first < 0 {
			first = c
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " "), first
}

// findLegend looks for the sheet's legend in the rows above its header and under it (the
// lines under the table, or among them): a line beginning 说明：/注：/图例：/备注： that pairs marks
// with statuses, and the lines right under it that hold only such pairs. legendRows are the
// rows it takes. A mark given two statuses, or a piece naming none, is an error at the cell.
func findLegend(t sheet.Table, l layout, cfg *rules.Config) (lg *legend, legendRows map[int]bool, errs []error) {
	legendRows = map[int]bool{}
	rows := make([]int, 0, len(t.Rows))
	for i := 0; i < l.top && i < len(t.Rows); i++ {
		rows = append(rows, i)
	}
	for i := l.header + 1; i < len(t.Rows); i++ {
		rows = append(rows, i)
	}
	var pairs [][2]string
	var where engine.Source
	col := -1
	inLegend := false
	for k, i := range rows {
		text, c := rowText(t.Rows[i])
		if text == "" {
			inLegend = false
			continue
		}
		started := false
		if m := legendPrefix.FindString(text); m != "" && !(k > 0 && rows[k-1] == i-1 && inLegend) {
			text = strings.TrimPrefix(text, m)
			started = true
		}
		p, bad := parseLegend(text, cfg.Vocab.Statuses)
		switch {
		case started && len(p) > 0:
		case !started && inLegend && len(p) > 0 && len(bad) == 0: // a second line of the legend
		default:
			inLegend = false
			continue
		}
		src := engine.Source{File: t.File, Sheet: t.Sheet, Row: i + 1}
		if col < 0 {
			where, col = src, c
		}
		for _, b := range bad {
			errs = append(errs, &engine.CellError{Src: src, Col: c, Msg: fmt.Sprintf("图例中的 “%s” 无法识别：应为标记加出勤情况，如 √出席、○请假（可用：%s）", b, cfg.Vocab.Statuses.List())})
		}
		pairs = append(pairs, p...)
		legendRows[i] = true
		inLegend = true
	}
	if len(pairs) == 0 {
		return nil, legendRows, errs
	}
	lg = &legend{marks: map[string]string{}, where: engineCell(col, where.Row-1)}
	var parts []string
	for _, pr := range pairs {
		key := rules.Normalize(pr[0])
		if prev, dup := lg.marks[key]; dup {
			if prev != pr[1] {
				errs = append(errs, &engine.CellError{Src: where, Col: col, Msg: fmt.Sprintf("图例中 “%s” 出现两次，一次是%s，一次是%s：请改正图例", pr[0], prev, pr[1])})
			}
			continue
		}
		lg.marks[key] = pr[1]
		parts = append(parts, pr[0]+pr[1])
	}
	lg.text = strings.Join(parts, " ")
	return lg, legendRows, errs
}

// status reads a sign-in cell through the legend, then the vocabulary. With a legend, a mark
// (a symbol such as ☆) the legend does not define is not guessed from the vocabulary: the
// sheet's own marks may mean otherwise (its ○ may be 请假).
func (lg *legend) status(cfg *rules.Config, s string) (string, bool) {
	if lg != nil {
		if st, ok := lg.marks[rules.Normalize(s)]; ok {
			return st, true
		}
		if isMark(s) {
			return "", false
		}
	}
	return cfg.Vocab.Statuses.Lookup(s)
}

// reFooter matches the first cell of a line under a table that is no member: a label ending
// in a colon or holding one (记录人：张三, 支部书记（签字）：), a signature (主持人签字), a count of
// those expected and present (应到 12 人), a total.
var reFooter = regexp.MustCompile(`[:：]|签字|签名|盖章|^(应到|实到|应出席|实出席|应参加|实参加|合计|总计|小计|共计|填表|填报|制表|审核|审批|负责人|联系人|记录人|主持人|日期)`)

// footerFrom finds where the lines under a matrix begin: the rows from the end up that are
// empty or footer-like (their first cell matches reFooter or a config footer word, and they hold
// no sign-in mark, unless that cell has a colon or begins a legend: no name has one). A row
// whose first cell is a member's name in the roster is never a footer. It returns the index of
// the first such row (len(t.Rows) when there is none).
func (p *parser) footerFrom(t sheet.Table, l layout, lg *legend, words []string) int {
	from := len(t.Rows)
	nameCol := l.col("name")
	for i := len(t.Rows) - 1; i > l.header; i-- {
		cells := t.Rows[i]
		text, c := rowText(cells)
		if text == "" {
			from = i
			continue
		}
		first := strings.TrimSpace(cells[c])
		n := rules.Normalize(first)
		strong := strings.ContainsAny(n, ":：") || legendPrefix.MatchString(n)
		like := strong || reFooter.MatchString(n)
		for _, w := range words {
			like = like || strings.HasPrefix(n, rules.Normalize(w))
		}
		if !like {
			break
		}
		if c == nameCol && !strong && len(p.roster.byNameRefs(first, "")) > 0 {
			break // a member named 审核 is a member
		}
		if !strong {
			marked := false
			for _, mc := range l.matrix {
				if mc.col < len(cells) && strings.TrimSpace(cells[mc.col]) != first {
					if _, ok := lg.status(p.cfg, cells[mc.col]); ok {
						marked = true
					}
				}
			}
			if marked {
				break
			}
		}
		from = i
	}
	return from
}

// footerWords of the config layouts matching the sheet.
func configFooter(t sheet.Table, cfg *rules.Config) []string {
	var out []string
	for _, cl := range layoutHints(t, cfg) {
		out = append(out, cl.Footer...)
	}
	return out
}
