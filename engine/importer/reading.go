package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Reading is how jifen read one sheet: its family, what its title or columns say of branch,
// meeting and date, which column became which field and why, the rows read and skipped, and
// the records by status. `jifen check` prints it ("我这样理解这张表：…"); --json gives it as is.
type Reading struct {
	File     string `json:"file"`
	Sheet    string `json:"sheet,omitempty"`
	Kind     string `json:"kind,omitempty"` // 名册, 签到, 登记簿, 测试, 承诺, 台账, 评价; "" when not a table
	Layout   string `json:"layout,omitempty"`
	Branch   string `json:"branch,omitempty"`
	Activity string `json:"activity,omitempty"`
	Date     string `json:"date,omitempty"` // 2006-01-02
	// HeaderRow is the 1-based row of the table's header (its lowest row).
	HeaderRow int         `json:"header_row,omitempty"`
	Columns   []ColumnUse `json:"columns,omitempty"`
	// Unused are the non-empty columns of the table that no field takes.
	Unused []ColumnUse `json:"unused,omitempty"`
	// Fixed are fields without a column, taken from the title, the file name or config.
	Fixed    map[string]string `json:"fixed,omitempty"`
	Rows     int               `json:"rows"`              // data rows read
	Skipped  map[string]int    `json:"skipped,omitempty"` // rows skipped, by reason
	Records  int               `json:"records"`
	Statuses map[string]int    `json:"statuses,omitempty"` // sign-in records by status
	Expected int               `json:"expected,omitempty"` // 应到, where the form says or implies it
	// Legend is the legend the marks were read by: where it is and what it says
	// (A12：√出席 ○请假 ×缺席 △迟到), from the sheet or a config layout.
	Legend   string `json:"legend,omitempty"`
	Meetings int    `json:"meetings,omitempty"` // meetings read (a register's rows)
	// NotTable says why a sheet holds no table of records (a 填表说明, a cover, a chart).
	NotTable string `json:"not_table,omitempty"`
	// Ignored says the sheet was left alone as config's import.ignore asks (IgnoredByConfig).
	Ignored string `json:"ignored,omitempty"`
	// Unread says why a table's data is not in the results at all (a table jifen cannot read,
	// one that gave no record); it is also among the Problems.
	Unread string `json:"unread,omitempty"`
	// Problems are what makes the reading doubtful: a table with no records, a column used
	// for nothing (problems.go). check lists them and exits 1; run imports the rest and exits 1.
	Problems []string `json:"problems,omitempty"`
	// Text is the reading in words (Understood), for programs that show it; set by Finish.
	Text string `json:"text,omitempty"`
	// errsAt is how many problems the parser had when the sheet's reading began.
	errsAt int
}

// ColumnUse is one column of a sheet and the field it became.
type ColumnUse struct {
	Col    string `json:"col"`              // B
	Header string `json:"header,omitempty"` // as written
	Field  string `json:"field,omitempty"`  // Chinese field name: 姓名, 出勤情况 …
	By     string `json:"by,omitempty"`     // 表头, 内容 (values), 版式 (config)
	Sample string `json:"sample,omitempty"` // a few of its values, for unused columns
	// Why says why an unused column's header words were not taken (two fields' words, or
	// another column holds the same field).
	Why string `json:"why,omitempty"`
	// Of an unused column: Ignored when config's import.ignore names it; Exempt says why it
	// is no problem though unused (序号列, 空列).
	Ignored bool   `json:"ignored,omitempty"`
	Exempt  string `json:"exempt,omitempty"`
}

// Readings lists how each sheet of the file was read, in sheet order.
func (f *File) Readings() []*Reading { return f.readings }

// Finish sets each reading's Text, once the file has been read.
func (f *File) Finish() {
	for _, r := range f.readings {
		r.Text = privacy.MaskText(r.Understood())
	}
}

// Summary is the reading in one line: 我这样理解这张表：第一党支部 主题党日 2023-03-15，应到 12，出席 10，请假 1，缺席 1.
func (r *Reading) Summary() string {
	return engine.Location(r.File, r.Sheet) + "：" + r.Understood()
}

// Understood is the reading in one line without the file and sheet: 我这样理解这张表：签到 …
func (r *Reading) Understood() string {
	switch {
	case r.Ignored != "":
		return r.Ignored
	case r.Kind == "" && r.Unread != "":
		return fmt.Sprintf("没有读懂这张表（第 %d 行像是表头，下面有 %d 行数据），整张表没有读取", r.HeaderRow, r.Rows)
	case r.Kind == "":
		return "不是记录表（" + r.NotTable + "）"
	}
	var what []string
	for _, s := range []string{r.Branch, r.Activity, r.Date} {
		if s != "" {
			what = append(what, s)
		}
	}
	head := r.Kind
	if len(what) > 0 {
		head += " " + strings.Join(what, " ")
	}
	parts := []string{head}
	if r.Meetings > 0 {
		parts = append(parts, fmt.Sprintf("会议 %d 次", r.Meetings))
	}
	if r.Expected > 0 {
		parts = append(parts, fmt.Sprintf("应到 %d", r.Expected))
	}
	if len(r.Statuses) > 0 {
		for _, st := range statusOrder(r.Statuses) {
			parts = append(parts, fmt.Sprintf("%s %d", st, r.Statuses[st]))
		}
	} else {
		parts = append(parts, fmt.Sprintf("%d 条记录", r.Records))
	}
	if r.Legend != "" {
		parts = append(parts, "按图例 "+r.Legend)
	}
	s := "我这样理解这张表：" + strings.Join(parts, "，")
	s += fmt.Sprintf("（读了 %d 行", r.Rows)
	if n := r.skippedRows(); n > 0 {
		var why []string
		for _, k := range sortedKeys(r.Skipped) {
			why = append(why, fmt.Sprintf("%s %d 行", k, r.Skipped[k]))
		}
		s += fmt.Sprintf("，跳过 %d 行：%s", n, strings.Join(why, "、"))
	}
	return s + "）"
}

// UnusedLine lists the columns no field takes, each with why it is or is not a problem:
// 未用的列：A “序号”（序号列）、F “籍贯”（如：北京、上海）、G “学历”（按配置忽略）. "" when none.
func (r *Reading) UnusedLine() string {
	var parts []string
	for _, c := range r.Unused {
		s := c.Col
		if c.Header != "" {
			s += " “" + c.Header + "”"
		}
		switch {
		case c.Ignored:
			s += "（" + IgnoredByConfig + "）"
		case c.Exempt != "":
			s += "（" + c.Exempt + "，不算问题）"
		default:
			s += "（如：" + c.Sample + "）"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return "未用的列：" + strings.Join(parts, "、")
}

// ColumnsLine says which column became which field: 列：B 姓名←表头“姓名”、C 出勤情况←内容.
func (r *Reading) ColumnsLine() string {
	var parts []string
	for _, c := range r.Columns {
		s := c.Col + " " + c.Field
		switch {
		case c.By == "内容":
			s += "（按内容，表头 “" + c.Header + "”）"
		case c.Header != "":
			s += "（表头 “" + c.Header + "”）"
		}
		parts = append(parts, s)
	}
	for _, k := range sortedKeys(r.Fixed) {
		parts = append(parts, k+" “"+r.Fixed[k]+"”（标题、文件名或配置）")
	}
	return strings.Join(parts, "、")
}

func (r *Reading) skippedRows() int {
	n := 0
	for _, v := range r.Skipped {
		n += v
	}
	return n
}

func statusOrder(m map[string]int) []string {
	order := []string{rules.StatusPresent, rules.StatusExcused, rules.StatusAbsent, rules.StatusLate, rules.StatusLeftEarly}
	var out []string
	for _, s := range order {
		if m[s] > 0 {
			out = append(out, s)
		}
	}
	for _, k := range sortedKeys(m) {
		found := false
		for _, s := range order {
			found = found || s == k
		}
		if !found {
			out = append(out, k)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// newReading describes a classified sheet before its rows are read: its family, the fields of
// its columns and the period its title gives.
func newReading(file string, t sheet.Table, l layout, cfg *rules.Config) *Reading {
	rd := &Reading{File: file, Sheet: t.Sheet, Kind: families[l.kind].short, Layout: l.name, HeaderRow: l.header + 1,
		Activity: l.period.Activity}
	if _, ok := l.cols["activity"]; ok {
		rd.Activity = "" // each row says its own; the title's is not the sheet's
	}
	if d, ok := l.period.date(); ok && l.period.Day != 0 {
		rd.Date = d.Format("2006-01-02")
	}
	header := func(c int) string { return strings.Join(labels(t, l.top, l.header, c), " ") }
	used := map[int]bool{}
	fam := families[l.kind]
	for _, f := range sortedKeys(l.cols) {
		c := l.cols[f]
		if !fam.reads(f) {
			continue // a field this family does not read: the column is used for nothing
		}
		used[c] = true
		by := "表头"
		if l.name != "" {
			by = "版式"
		}
		if l.byValues[f] {
			by = "内容"
		}
		name := fieldName(cfg.Import.Headers, f)
		if len(l.groups) > 0 {
			name += "（第 1 组）"
		}
		rd.Columns = append(rd.Columns, ColumnUse{Col: engine.ColumnName(c), Header: header(c), Field: name, By: by})
	}
	for _, mc := range l.matrix {
		used[mc.col] = true
		f := "签到：" + mc.activity
		if !mc.date.IsZero() {
			f += " " + mc.date.Format("2006-01-02")
		}
		rd.Columns = append(rd.Columns, ColumnUse{Col: engine.ColumnName(mc.col), Header: header(mc.col), Field: f, By: "表头"})
	}
	for _, it := range l.items {
		used[it.col] = true
		rd.Columns = append(rd.Columns, ColumnUse{Col: engine.ColumnName(it.col), Header: header(it.col), Field: "台账：" + it.category, By: "版式"})
	}
	for k, g := range l.groups {
		for _, f := range sortedKeys(g) {
			c := g[f]
			used[c] = true
			rd.Columns = append(rd.Columns, ColumnUse{Col: engine.ColumnName(c), Header: header(c),
				Field: fmt.Sprintf("%s（第 %d 组）", fieldName(cfg.Import.Headers, f), k+2), By: "表头"})
		}
	}
	for _, c := range l.extraCols {
		used[c] = true
	}
	sort.SliceStable(rd.Columns, func(a, b int) bool { return colIndex(rd.Columns[a].Col) < colIndex(rd.Columns[b].Col) })
	for f, v := range l.values {
		if rd.Fixed == nil {
			rd.Fixed = map[string]string{}
		}
		rd.Fixed[fieldName(cfg.Import.Headers, f)] = v
	}
	if v := l.values["branch"]; v != "" {
		rd.Branch = v
	}
	if v := l.values["activity"]; v != "" {
		rd.Activity = v
	}
	if v := l.values["date"]; v != "" { // every row's date: it wins over a date in the title
		rd.Date = v
	}
	// Non-empty columns no field takes.
	_, why := matchHeaders(t, l.top, l.header, cfg)
	for f, c := range l.cols {
		if !fam.reads(f) {
			why[c] = fmt.Sprintf("表头是%s，但这种表（%s）不读这一项", fieldName(cfg.Import.Headers, f), rd.Kind)
		}
	}
	// Columns no field takes: a problem when they hold values, unless they are a running
	// number or config ignores them (problems.go). The values are those of the table's rows:
	// footer lines (合计, 填表人：…) and lone cells (no row of the table) aside. One pass over
	// the rows, each unused column's values summed up as they come.
	type seen struct {
		running  runningNumber
		sample   []string
		distinct map[string]bool
	}
	cols := map[int]*seen{}
	for i := l.header + 1; i < len(t.Rows); i++ {
		r := t.Rows[i]
		if filled(r) < 2 || footerLine(r) {
			continue
		}
		for c, v := range r {
			if used[c] {
				continue
			}
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			s := cols[c]
			if s == nil {
				s = &seen{distinct: map[string]bool{}}
				cols[c] = s
			}
			s.running.add(v)
			if !s.distinct[v] && len(s.sample) < 3 {
				s.distinct[v] = true
				s.sample = append(s.sample, privacy.MaskText(v))
			}
		}
	}
	for c, w := 0, tableWidth(t, l.header+1); c < w; c++ { // the width once: it walks every row
		if used[c] {
			continue
		}
		h := header(c)
		s := cols[c]
		if s == nil && h == "" {
			continue
		}
		u := ColumnUse{Col: engine.ColumnName(c), Header: h, Ignored: cfg.Import.IgnoresColumn(file, t.Sheet, h)}
		if !u.Ignored {
			u.Why = why[c] // an ignored column needs no reason why its words were not taken
		}
		if s == nil {
			u.Exempt = "空列"
		} else {
			u.Sample, u.Exempt = strings.Join(s.sample, "、"), s.running.exempt(h)
		}
		rd.Unused = append(rd.Unused, u)
	}
	rd.columnProblems()
	return rd
}

// tableWidth is the widest row of the table from row top down (the rows kept in memory).
func tableWidth(t sheet.Table, top int) int {
	w := 0
	for i := top; i < len(t.Rows); i++ {
		w = max(w, len(t.Rows[i]))
	}
	return max(w, width(t, 0, top))
}

// colIndex turns spreadsheet letters back into a 0-based column.
func colIndex(name string) int {
	n := 0
	for _, r := range name {
		n = n*26 + int(r-'A'+1)
	}
	return n - 1
}

// begin starts reading a sheet into rd: records are counted into it as they are handed on.
func (p *parser) begin(rd *Reading) {
	p.cur = rd
	p.sheetWarns, p.moreWarns = 0, 0
	rd.errsAt = len(p.errs)
	p.tallied = p.batch.Rows()
	p.tallyAtt = len(p.batch.Attendance)
}

// end finishes the sheet begun: the records still in the batch are counted.
func (p *parser) end() {
	p.tally()
	if p.moreWarns > 0 && p.cur != nil {
		p.warnings = append(p.warnings, (&engine.CellError{Src: engine.Source{File: p.cur.File, Sheet: p.cur.Sheet},
			Msg: fmt.Sprintf("……这张表另有 %d 条注意未列出（多是同一类问题：先改正上面列出的，再检查一遍）", p.moreWarns)}).Error())
	}
	if rd := p.cur; rd != nil && len(p.errs) == rd.errsAt && p.emitErr == nil {
		rd.noRecordsProblem()
	}
	p.cur = nil
}

// tally counts the records added to the batch since the last count into the current reading.
func (p *parser) tally() {
	rd := p.cur
	if rd == nil {
		return
	}
	rd.Records += p.batch.Rows() - p.tallied
	for _, a := range p.batch.Attendance[p.tallyAtt:] {
		if rd.Statuses == nil {
			rd.Statuses = map[string]int{}
		}
		rd.Statuses[a.Status]++
	}
	p.tallied = p.batch.Rows()
	p.tallyAtt = len(p.batch.Attendance)
}

// skip counts a row skipped for a reason, in the current reading.
func (p *parser) skip(reason string) {
	if p.cur == nil {
		return
	}
	if p.cur.Skipped == nil {
		p.cur.Skipped = map[string]int{}
	}
	p.cur.Skipped[reason]++
}
