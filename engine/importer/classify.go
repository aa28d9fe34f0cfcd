package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Kind is what a sheet holds.
type Kind int

// The kinds of sheet the importer recognises from their header row.
const (
	KindUnknown Kind = iota
	KindRoster
	KindAttendance // long layout: one row per member per activity
	KindTests
	KindPledges
	KindLedger
	KindAssessment
	KindMatrix // sign-in matrix: one row per member, one column per activity
	// KindSignInSheet is one sign-in sheet per meeting: a title naming branch and meeting,
	// a grid of 序号/姓名/签名/备注 (often in two or three side-by-side groups).
	KindSignInSheet
	// KindRegister is a 三会一课 register: one row per meeting, with who was absent and why.
	KindRegister
)

// String is the kind's Chinese name.
func (k Kind) String() string {
	return [...]string{"未识别", rules.KindRoster, rules.KindAttendance, rules.KindTests, rules.KindPledges, rules.KindLedger, rules.KindAssessment, "签到表（矩阵）", "签到表（每次会议一张）", "三会一课登记簿"}[k]
}

func kindByName(name string) Kind {
	for k := KindRoster; k <= KindAssessment; k++ {
		if k.String() == name {
			return k
		}
	}
	return KindUnknown
}

type kindSpec struct {
	kind      Kind
	signature []string   // fields whose presence identifies the kind
	required  [][]string // each entry: at least one of these fields
}

// kinds in the order they are tried. Every kind needs a member: 党员编号 or 姓名. Attendance
// may take its activity and date from the title (2022年3月主题党日签到表).
var kinds = []kindSpec{
	{KindRoster, []string{"category"}, [][]string{{"name"}, {"branch"}, {"category"}}}, // 党员编号 optional (who.go)
	{KindTests, []string{"test", "score"}, [][]string{{"member_id", "name"}, {"test"}, {"date", "submit_time"}, {"score"}}},
	{KindPledges, []string{"signed"}, [][]string{{"member_id", "name"}, {"signed"}}},
	{KindLedger, []string{"ledger_category"}, [][]string{{"member_id", "name"}, {"date"}, {"ledger_category"}}},
	{KindAssessment, []string{"assessment", "result"}, [][]string{{"member_id", "name"}, {"date"}, {"assessment"}, {"result"}}},
	{KindAttendance, []string{"status"}, [][]string{{"member_id", "name"}, {"activity"}, {"date"}, {"status"}}},
	// An online exam export (问卷星, 考试系统): 姓名, 得分 and 交卷时间 but no 测试名称 column (the exam
	// is named by the title, sheet or file); tried last, so a sheet of another kind stays what it was.
	{KindTests, []string{"score", "submit_time"}, [][]string{{"member_id", "name"}, {"test"}, {"date", "submit_time"}, {"score"}}},
}

func specOf(k Kind) kindSpec {
	for _, s := range kinds {
		if s.kind == k {
			return s
		}
	}
	return kindSpec{kind: k, required: [][]string{{"member_id", "name"}}}
}

// fieldName is the Chinese name of a header field, for messages: its first synonym.
func fieldName(syn map[string][]string, field string) string {
	if s := syn[field]; len(s) > 0 {
		return s[0]
	}
	return field
}

// headerScanRows is how many rows from the top may hold the header row (title rows above it).
const headerScanRows = 20

// layout is a recognised sheet: its kind, header rows (0-based, top..header inclusive), field →
// column, and what the title says of its period.
type layout struct {
	kind   Kind
	top    int
	header int
	cols   map[string]int
	values map[string]string // fixed values of fields the sheet has no column for
	period period
	matrix []matrixCol // KindMatrix: the activity columns
	items  []itemCol   // wide ledger: the item columns
	cells  string      // wide ledger: rules.CellsCount or rules.CellsPoints
	name   string      // the config layout's name, if one matched
	// byValues marks the fields whose column was found from its values, not its header.
	byValues map[string]bool
	// extraCols are more columns the family reads (a sign-in sheet's further column groups).
	extraCols []int
	// groups are the further column groups of a sheet whose table stands side by side (序号 姓名
	// 签名 备注 | 序号 姓名 签名 备注): each maps field → column like cols, which is the first.
	groups []map[string]int
}

// matrixCol is one activity column of a sign-in matrix. problem says why its date is not
// valid; warning flags a date that may have lost a trailing zero (9.1 for 9.10).
type matrixCol struct {
	col      int
	activity string
	date     time.Time
	problem  string
	warning  string
}

// itemCol is one column of a wide ledger.
type itemCol struct {
	col      int
	category string
	level    string
	label    string
}

func (l layout) col(field string) int {
	if c, ok := l.cols[field]; ok {
		return c
	}
	return -1
}

func (l layout) has(field string) bool {
	_, col := l.cols[field]
	_, val := l.values[field]
	return col || val
}

// labels returns the header cells of column c from the top header row down, without the
// repeats a vertical merge leaves.
func labels(t sheet.Table, top, bottom, c int) []string {
	var out []string
	for r := top; r <= bottom && r < len(t.Rows); r++ {
		if c < len(t.Rows[r]) {
			if v := rules.Normalize(t.Rows[r][c]); v != "" && (len(out) == 0 || out[len(out)-1] != v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// width is the widest row of rows top..bottom.
func width(t sheet.Table, top, bottom int) int {
	w := 0
	for r := top; r <= bottom && r < len(t.Rows); r++ {
		if len(t.Rows[r]) > w {
			w = len(t.Rows[r])
		}
	}
	return w
}

// fields maps the header block's columns to fields: the lowest recognised label of each column
// wins (a group header merged above is the fallback); a header is matched exactly, else by the
// synonym it contains (see matchHeaders in headers.go).
func fields(t sheet.Table, top, bottom int, cfg *rules.Config) map[string]int {
	cols, _ := matchHeaders(t, top, bottom, cfg)
	return cols
}

// continues reports whether row r+1 carries on the header block that ends at row r: its
// member column repeats the header (a vertical merge) or is empty while the row holds only
// header words or activity/date labels.
func continues(t sheet.Table, r int, memberCol int, cfg *rules.Config) bool {
	if r+1 >= len(t.Rows) || memberCol < 0 {
		return false
	}
	next := t.Rows[r+1]
	cell := func(row []string, c int) string {
		if c < len(row) {
			return rules.Normalize(row[c])
		}
		return ""
	}
	if v := cell(next, memberCol); v != "" {
		return v == cell(t.Rows[r], memberCol)
	}
	n := 0
	for c, v := range next {
		v = rules.Normalize(v)
		if v == "" || v == cell(t.Rows[r], c) {
			continue
		}
		n++
		if _, ok := cfg.Vocab.Headers.Lookup(v); ok {
			continue
		}
		if looksLikeDate(v) {
			continue
		}
		if a, _ := findActivity(v, cfg.Vocab.Activities); a != "" {
			continue
		}
		return false
	}
	return n > 0
}

// classify finds the header block and kind of a table: through a config layout matching the
// file and sheet, else from the header words. A table whose header names a kind but lacks one
// of its required columns gives a message saying which; a table with no recognisable header
// gives KindUnknown and no message.
func classify(t sheet.Table, path string, cfg *rules.Config) (layout, string) {
	l, problem := classifyTable(t, path, cfg)
	if l.kind == KindUnknown || l.kind == KindSignInSheet { // a sign-in sheet reads its labels itself
		return l, problem
	}
	before := l.missing(cfg)
	if p := l.fromLabels(t, cfg); p != "" {
		return l, p
	}
	for k, mc := range l.matrix { // a matrix column without a date takes the labelled one
		if d, err := time.Parse("2006-01-02", l.values["date"]); err == nil && mc.date.IsZero() && mc.problem == "" {
			l.matrix[k].date = d
		}
	}
	if problem != "" && problem == before {
		problem = l.missing(cfg) // a field the labels gave is no longer missing
	}
	return l, problem
}

// classifyTable is classify without the fields a config layout takes from labels.
func classifyTable(t sheet.Table, path string, cfg *rules.Config) (layout, string) {
	if cl := matchLayout(t, path, cfg); cl != nil {
		return classifyConfigured(t, path, cfg, cl)
	}
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		cols := fields(t, i, i, cfg)
		memberCol := -1
		if c, ok := cols["name"]; ok {
			memberCol = c
		} else if c, ok := cols["member_id"]; ok {
			memberCol = c
		}
		if memberCol < 0 {
			if l, ok := registerLayout(t, i, cols, path, cfg); ok {
				return l, duplicates(t, l, cfg) // a 三会一课 register: one row per meeting
			}
			continue // a sheet of member records has a 姓名 or 党员编号 column
		}
		if l, problem, ok := signInSheet(t, i, path, cfg); ok {
			return l, problem
		}
		if l, ok := sideBySideLayout(t, i, path, cfg); ok {
			return l, l.missing(cfg) // 姓名 出勤情况 | 姓名 出勤情况 (groups.go)
		}
		for _, k := range kinds {
			if !hasAll(cols, k.signature) {
				continue
			}
			l := extend(t, i, memberCol, cfg, k.kind, path)
			if d := duplicates(t, l, cfg); d != "" {
				return l, d
			}
			return l, l.missing(cfg)
		}
		if l := extend(t, i, memberCol, cfg, KindMatrix, path); len(l.matrix) > 0 {
			return l, l.missing(cfg)
		}
	}
	return layout{}, unrecognised(t, cfg)
}

// unrecognised explains a sheet that has a member column and another known header but fits no
// kind: the kind it is closest to (most of its columns present, then fewest missing), what that
// kind still needs, and the header cells not recognised. A sheet without such a header row (a
// cover page, a table of standards, a summary) gets "", and is skipped with a warning.
func unrecognised(t sheet.Table, cfg *rules.Config) string {
	best, bestRow, bestPresent, bestMissing := KindUnknown, -1, -1, []string(nil)
	var bestCols map[string]int
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		cols := exactFields(t, i, i, cfg) // a summary whose headers only contain field words is no record sheet gone wrong
		if !hasAny(cols, []string{"name", "member_id"}) {
			continue
		}
		known := 0
		for f := range cols {
			if f != "name" && f != "member_id" && f != "note" && f != "branch" && f != "exam_total" {
				known++
			}
		}
		if known < 1 {
			continue // a summary or a list of names, not a record sheet gone wrong
		}
		for _, k := range kinds {
			present := 0
			var miss []string
			own := append(append([]string{}, k.signature...), flatten(k.required)...)
			seen := map[string]bool{}
			for _, f := range own {
				if seen[f] || f == "name" || f == "member_id" {
					continue
				}
				seen[f] = true
				if _, ok := cols[f]; ok {
					present++
				}
			}
			for _, f := range k.signature {
				if _, ok := cols[f]; !ok {
					miss = append(miss, fieldName(cfg.Import.Headers, f))
				}
			}
			for _, alts := range k.required {
				if !hasAny(cols, alts) && !slices.Contains(k.signature, alts[0]) {
					miss = append(miss, fieldName(cfg.Import.Headers, alts[0]))
				}
			}
			if present > bestPresent || (present == bestPresent && len(miss) < len(bestMissing)) {
				best, bestRow, bestPresent, bestMissing, bestCols = k.kind, i, present, miss, cols
			}
		}
	}
	if bestRow < 0 {
		return ""
	}
	mapped := map[int]bool{}
	for _, c := range bestCols {
		mapped[c] = true
	}
	var unknown []string
	for c, v := range t.Rows[bestRow] {
		if v = strings.TrimSpace(v); v != "" && !mapped[c] {
			unknown = append(unknown, engineCell(c, bestRow)+" “"+v+"”")
		}
	}
	msg := fmt.Sprintf("第 %d 行像是表头，但无法判断这张表的用途：最接近%s，还缺少列：%s", bestRow+1, best, strings.Join(bestMissing, "、"))
	if len(unknown) > 0 {
		msg += "；没有认出的表头：" + strings.Join(unknown, "、")
	}
	return msg + "（列名可用的写法见 config.yaml 的 import.headers）"
}

// engineCell names a cell by 0-based column and row: B3.
func engineCell(col, row int) string { return engine.ColumnName(col) + strconv.Itoa(row+1) }

func flatten(xs [][]string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

func hasAny(cols map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := cols[f]; ok {
			return true
		}
	}
	return false
}

// duplicates finds two columns of the header block that name the same field (出勤情况 and 出勤),
// other than the columns of one merged header; which one to read would be a guess.
func duplicates(t sheet.Table, l layout, cfg *rules.Config) string {
	v := cfg.Vocab.Headers
	first := map[string]int{}
	for c := 0; c < width(t, l.top, l.header); c++ {
		ls := labels(t, l.top, l.header, c)
		for i := len(ls) - 1; i >= 0; i-- {
			f, ok := v.Lookup(ls[i])
			if !ok {
				continue
			}
			if c0, dup := first[f]; dup && !sameMerge(t, l.header, c0, c) {
				return duplicateAdvice(t, l, cfg, f, c0, c)
			} else if !dup {
				first[f] = c
			}
			break
		}
	}
	return ""
}

// duplicateAdvice explains two columns naming one field. Its advice never loses data: a column
// is called removable only when nothing is written under it; two columns that both hold data
// are to be merged, or (two 姓名 columns: groups side by side) stacked into one group.
func duplicateAdvice(t sheet.Table, l layout, cfg *rules.Config, f string, c0, c int) string {
	msg := fmt.Sprintf("表头 %s “%s” 和 %s “%s” 都是%s",
		engineCell(c0, l.header), strings.TrimSpace(t.Rows[l.header][c0]), engineCell(c, l.header), strings.TrimSpace(t.Rows[l.header][c]), fieldName(cfg.Import.Headers, f))
	filled := func(col int) bool {
		for i := l.header + 1; i < len(t.Rows); i++ {
			if col < len(t.Rows[i]) && strings.TrimSpace(t.Rows[i][col]) != "" {
				return true
			}
		}
		return false
	}
	switch a, b := filled(c0), filled(c); {
	case !b:
		return msg + fmt.Sprintf("：%s 列下面没有内容，可以删去这一列", engine.ColumnName(c))
	case !a:
		return msg + fmt.Sprintf("：%s 列下面没有内容，可以删去这一列", engine.ColumnName(c0))
	case f == "name" || f == "member_id":
		return msg + "，两列下面都有党员：像是并排的几组名单。请把右边各组的行剪切、粘贴到第一组的下面，排成一组（每人一行），不要删去任何一列；" +
			"各组表头相同时（如 姓名 出勤情况 | 姓名 出勤情况，或 姓名 签名 备注 | 姓名 签名 备注）jifen 能直接按组读取"
	}
	return msg + "，两列下面都有内容，不知道该读哪一列：请核对后把两列合并为一列（不要删去有内容的列），" +
		"或在 config.yaml 的 import.layouts 中用 columns 指定要读的列"
}

// sameMerge reports whether two columns of a row lie in one merged range.
func sameMerge(t sheet.Table, row, a, b int) bool {
	for _, m := range t.Merges {
		if row >= m.R0 && row <= m.R1 && a >= m.C0 && a <= m.C1 && b >= m.C0 && b <= m.C1 {
			return true
		}
	}
	return false
}

// extend grows the header block from row top downwards and fills in the layout.
func extend(t sheet.Table, top, memberCol int, cfg *rules.Config, k Kind, path string) layout {
	bottom := top
	for bottom-top < 3 && continues(t, bottom, memberCol, cfg) {
		bottom++
	}
	l := layout{kind: k, top: top, header: bottom, cols: fields(t, top, bottom, cfg), values: map[string]string{}}
	l.period = sheetPeriod(t, top, path, cfg.Vocab.Activities)
	if k == KindMatrix {
		l.matrix = matrixColumns(t, l, cfg)
	}
	if k == KindTests && !l.has("test") {
		// 2022年党纪党规知识测试成绩导出: the exam is named by the title, sheet or file.
		if name := examName(t, top, path); name != "" {
			l.values["test"] = name
		}
	}
	if k != KindMatrix {
		l.inferByValues(t, cfg)
	}
	if k == KindAttendance {
		// 2022年3月主题党日签到表: the activity and date of every row come from the title.
		if !l.has("activity") && l.period.Activity != "" {
			l.values["activity"] = l.period.Activity
		}
		if d, ok := l.period.date(); ok && !l.has("date") {
			l.values["date"] = d.Format("2006-01-02")
		}
	}
	return l
}

// matrixColumns finds the activity columns of a sign-in matrix: a header (possibly over two
// rows) naming an activity and a date, like 3月2日支委会, 3.15 主题党日, or 支委会 above 3月2日.
// The date may lack the year (taken from the period) or be missing (taken from the title).
func matrixColumns(t sheet.Table, l layout, cfg *rules.Config) []matrixCol {
	var out []matrixCol
	used := map[int]bool{}
	for _, c := range l.cols {
		used[c] = true
	}
	for c := 0; c < width(t, l.top, l.header); c++ {
		if used[c] {
			continue
		}
		label := strings.Join(labels(t, l.top, l.header, c), " ")
		act, rest := findActivity(label, cfg.Vocab.Activities)
		if act == "" {
			continue
		}
		mc := matrixCol{col: c, activity: act}
		d, found, err := headerDate(rest, l.period.Year)
		switch {
		case err != nil:
			mc.problem = err.Error()
		case found:
			mc.date = d
			if ambiguousDot(rest) {
				mc.warning = ambiguousDotMsg(rest)
			}
		default:
			if d, ok := l.period.date(); ok {
				if msg := l.period.problem(); msg != "" {
					mc.problem = "日期" + msg
				} else {
					mc.date = d
				}
			}
		}
		out = append(out, mc)
	}
	return out
}

// reDateLike finds date-like text inside a header: 3月2日, 3.15, 2022-03-25, 10月32日.
var reDateLike = regexp.MustCompile(`\d{1,4}\s*[年月./-]\s*\d{1,2}`)

// headerDate reads the date part of an activity column's header (see parseHeaderDate): found
// is false when the header has no date; err says why a date-like text is not a valid date.
func headerDate(s string, year int) (time.Time, bool, error) {
	if d, ok := parseHeaderDate(s, year); ok {
		return d, true, nil
	}
	t := strings.TrimSpace(strings.NewReplacer("签到", "", "活动", "", "会议", "", "情况", "").Replace(strings.Trim(strings.TrimSpace(s), "()（）:：-_ ")))
	if t != "" && reDateLike.MatchString(t) {
		if _, err := parseDate(t, false, year); err != nil {
			return time.Time{}, false, fmt.Errorf("日期 “%s” %v", t, err)
		}
	}
	return time.Time{}, false, nil
}

// parseHeaderDate reads the date part of an activity column's header: a full date, 3月2日,
// 3.15, 3/15, 3-15 or an Excel serial; year is used when the text has none (0: no date).
func parseHeaderDate(s string, year int) (time.Time, bool) {
	s = strings.Trim(strings.TrimSpace(s), "()（）:：-_ ")
	s = strings.TrimSpace(strings.NewReplacer("签到", "", "活动", "", "会议", "", "情况", "").Replace(s))
	if s == "" {
		return time.Time{}, false
	}
	if !looksLikeDate(s) {
		return time.Time{}, false // a bare small number (a 序号) is no date
	}
	d, err := parseDate(s, false, year)
	return d, err == nil
}

// missing names the required columns the layout lacks, or "".
func (l layout) missing(cfg *rules.Config) string {
	if l.kind == KindUnknown {
		return ""
	}
	if len(l.items) > 0 {
		return ""
	}
	var miss []string
	for _, alts := range specOf(l.kind).required {
		ok := false
		for _, f := range alts {
			ok = ok || l.has(f)
		}
		if !ok {
			names := make([]string, len(alts))
			for j, f := range alts {
				names[j] = fieldName(cfg.Import.Headers, f)
			}
			miss = append(miss, strings.Join(names, "或"))
		}
	}
	if len(miss) == 0 {
		return ""
	}
	return "看起来是" + l.kind.String() + "，但表头缺少：" + strings.Join(miss, "、")
}

// matchLayout finds the first config layout whose files and sheets match the table and that
// reads it (a kind, columns, values or items); a layout that only adds a legend, footer words,
// or labels (hintsOnly) leaves the sheet to be recognised by its header.
func matchLayout(t sheet.Table, path string, cfg *rules.Config) *rules.Layout {
	base := filepath.Base(path)
	for i := range cfg.Import.Layouts {
		cl := &cfg.Import.Layouts[i]
		if !hintsOnly(cl) && layoutMatches(cl, t, base) {
			return cl
		}
	}
	return nil
}

// layoutMatches reports whether a config layout's files and sheets match the table.
func layoutMatches(cl *rules.Layout, t sheet.Table, base string) bool {
	okFile := len(cl.Files) == 0
	for _, g := range cl.Files {
		if m, _ := filepath.Match(g, base); m {
			okFile = true
		}
	}
	okSheet := len(cl.Sheets) == 0
	for _, s := range cl.Sheets {
		okSheet = okSheet || rules.Normalize(s) == rules.Normalize(t.Sheet)
	}
	return okFile && okSheet
}

// classifyConfigured reads a sheet through a config layout: the header row is the first whose
// cells hold the configured column headers (or wide-ledger item headers).
func classifyConfigured(t sheet.Table, path string, cfg *rules.Config, cl *rules.Layout) (layout, string) {
	k := kindByName(cl.Kind)
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		found := 0
		for c := range t.Rows[i] {
			v := rules.Normalize(t.Rows[i][c])
			if v == "" {
				continue
			}
			for _, h := range cl.Columns {
				if v == rules.Normalize(h) {
					found++
				}
			}
			for _, it := range cl.Items {
				if strings.Contains(v, rules.Normalize(it.Header)) {
					found++
				}
			}
		}
		if found == 0 {
			continue
		}
		cols := fields(t, i, i, cfg)
		for f, h := range cl.Columns {
			if c := findHeader(t.Rows[i], h, false); c >= 0 {
				cols[f] = c
			}
		}
		memberCol := -1
		if c, ok := cols["name"]; ok {
			memberCol = c
		} else if c, ok := cols["member_id"]; ok {
			memberCol = c
		}
		bottom := i
		for bottom-i < 3 && continues(t, bottom, memberCol, cfg) {
			bottom++
		}
		l := layout{kind: k, top: i, header: bottom, cols: fields(t, i, bottom, cfg), values: map[string]string{}, name: cl.Name, cells: cl.Cells}
		for f, h := range cl.Columns {
			for r := i; r <= bottom; r++ {
				if c := findHeader(t.Rows[r], h, false); c >= 0 {
					l.cols[f] = c
					break
				}
			}
		}
		for f, v := range cl.Values {
			l.values[f] = v
		}
		l.period = sheetPeriod(t, i, path, cfg.Vocab.Activities)
		var missingItems []string
		for _, it := range cl.Items {
			c := -1
			for r := i; r <= bottom && c < 0; r++ {
				c = findHeader(t.Rows[r], it.Header, true)
			}
			if c < 0 {
				missingItems = append(missingItems, "“"+it.Header+"”")
				continue
			}
			l.items = append(l.items, itemCol{col: c, category: it.Category, level: it.Level, label: rules.Normalize(t.Rows[bottom][c])})
		}
		if len(missingItems) > 0 {
			return l, "按版式 “" + cl.Name + "” 读取，但找不到这些列：" + strings.Join(missingItems, "、")
		}
		if len(cl.Items) == 0 {
			return l, l.missing(cfg)
		}
		if !l.has("member_id") && !l.has("name") {
			return l, "按版式 “" + cl.Name + "” 读取，但表头缺少：姓名或党员编号"
		}
		return l, ""
	}
	return layout{kind: k, name: cl.Name}, "按版式 “" + cl.Name + "” 读取，但前 20 行中找不到它的表头"
}

// findHeader finds the column whose header equals (or, with contains, holds) text.
func findHeader(row []string, text string, contains bool) int {
	want := rules.Normalize(text)
	for c, v := range row {
		v = rules.Normalize(v)
		if v == want || (contains && want != "" && strings.Contains(v, want)) {
			return c
		}
	}
	return -1
}

func hasAll(cols map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := cols[f]; !ok {
			return false
		}
	}
	return true
}
