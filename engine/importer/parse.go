package importer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// parser reads the rows of one file's sheets, collecting records and every problem.
type parser struct {
	cfg      *rules.Config
	roster   *Roster
	batch    *engine.Batch
	errs     []error
	warnings []string
	// emit, when set, takes the records read so far every chunkRows records (not the members,
	// which stay in batch); an error from it stops the reading and is emitErr.
	emit    func(*engine.Batch) error
	emitErr error
	more    int // problems past MaxErrors
	dates   map[dateKey]dateVal
	// activityIdx numbers activities for signIns (members have their number in the roster).
	activityIdx map[string]uint64
	// byName remembers the members found by name (and branch): name lookups sort candidates.
	byName map[[2]string]*member
	// members counts the members the file's rosters added to roster (not yet known by their
	// ID: Stream makes them known when the rosters have no problem).
	members int
	terms   [4]termMemo
	// checkRepeats are the sheets whose repeated sign-ins the store is to find (signIns).
	checkRepeats []string
	// cur is the reading of the sheet being read; tallied and tallyAtt are how many records
	// (and sign-ins) of the batch it has counted.
	cur               *Reading
	tallied, tallyAtt int
	// sheetWarns counts the current sheet's warnings, moreWarns those past MaxSheetWarnings.
	sheetWarns, moreWarns int
	who                   // branches, and the keys of members without 党员编号 (who.go)
}

// dateKey and dateVal are a cell's date as parseDate read it, remembered: a sheet of a
// million rows has a few hundred distinct dates.
type dateKey struct {
	s        string
	date1904 bool
	year     int
	from     int64 // the earliest date taken (checkDate), in Unix seconds
}

type dateVal struct {
	d   time.Time
	err error
}

// parseDate is parseDate remembering what it read (up to 4,096 distinct cells at a time).
func (p *parser) parseDate(s string, date1904 bool, year int) (time.Time, error) {
	return p.parseDateFrom(s, date1904, year, earliest)
}

// parseDateFrom is parseDateFrom remembering what it read.
func (p *parser) parseDateFrom(s string, date1904 bool, year int, from time.Time) (time.Time, error) {
	k := dateKey{s, date1904, year, from.Unix()}
	if v, ok := p.dates[k]; ok {
		return v.d, v.err
	}
	d, err := parseDateFrom(s, date1904, year, from)
	if p.dates == nil || len(p.dates) >= 4096 {
		p.dates = make(map[dateKey]dateVal, 64)
	}
	p.dates[k] = dateVal{d, err}
	return d, err
}

// chunkRows is how many records the parser hands on at a time when streaming.
const chunkRows = 8192

// flush hands the records read so far to emit.
func (p *parser) flush() error {
	b := p.batch
	if p.emit == nil || b.Rows() == 0 {
		return nil
	}
	p.tally()
	p.batch = &engine.Batch{}
	p.tallied, p.tallyAtt = 0, 0
	if len(p.errs) > 0 { // the file will be rejected: nothing more to load
		return nil
	}
	if err := p.emit(b); err != nil {
		p.emitErr = err
		return err
	}
	return nil
}

// warn records a doubt that does not stop the import, at a cell.
// Past MaxSheetWarnings of a sheet they are counted, not listed (a column of a million 身份证号
// stored as numbers must not print a million lines).
func (p *parser) warn(src engine.Source, col int, msg string) {
	if p.sheetWarns++; p.cur != nil && p.sheetWarns > MaxSheetWarnings {
		p.moreWarns++
		return
	}
	p.warnings = append(p.warnings, (&engine.CellError{Src: src, Col: col, Msg: msg}).Error())
}

// MaxSheetWarnings is how many warnings of one sheet are listed.
const MaxSheetWarnings = 50

// row is one data row of a sheet being read.
type row struct {
	p      *parser
	t      sheet.Table
	l      layout
	cells  []string
	src    engine.Source
	failed bool
}

// maxCell is Excel's limit on the characters of a cell; a longer one means a damaged or
// crafted file.
const maxCell = 32767

// rows calls each for the data rows of a sheet (below its header), skipping blank and footer
// rows; with emit set it hands on the records every chunkRows. A sheet that cannot be read to
// its end (a damaged file, found while streaming) is an error of the sheet.
func (p *parser) rows(t sheet.Table, l layout, each func(r *row)) {
	n := 0
	r := &row{p: p, t: t, l: l}
	err := t.Each(l.header+1, func(i int, cells []string) error {
		*r = row{p: p, t: t, l: l, cells: cells, src: engine.Source{File: t.File, Sheet: t.Sheet, Row: i + 1}}
		if r.blank() {
			return nil
		}
		n++
		if p.cur != nil {
			p.cur.Rows++
		}
		if c := r.oversized(); c >= 0 {
			r.failAt(c, "单元格有 %d 个字符，超过 Excel 的上限 %d：文件可能已损坏", utf8.RuneCountInString(r.cells[c]), maxCell)
			return nil
		}
		each(r)
		if p.emit != nil && p.batch.Rows() >= chunkRows {
			return p.flush()
		}
		return nil
	})
	switch {
	case p.emitErr != nil:
		return
	case err != nil:
		p.errs = append(p.errs, sheetError(t, err))
		return
	}
	if n == 0 {
		p.warn(engine.Source{File: t.File, Sheet: t.Sheet, Row: l.header + 1}, -1, "只有表头，没有数据行")
	}
}

// sheetError is a sheet that could not be read to its end (found while streaming it), as a
// problem of the sheet: the reader's message, which names the file (and the row of a CSV
// format error), with its location once.
func sheetError(t sheet.Table, err error) error {
	msg := err.Error()
	for _, loc := range []string{t.File + "[" + t.Sheet + "]: ", t.File + ": "} {
		if strings.HasPrefix(msg, loc) {
			return &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet}, Msg: strings.TrimPrefix(msg, loc)}
		}
	}
	if strings.HasPrefix(msg, t.File+"!") { // a CSV format error at its line
		return errors.New(engine.Printable(msg))
	}
	return &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet}, Msg: msg}
}

// oversized finds a cell longer than Excel allows, or -1.
func (r *row) oversized() int {
	for c, v := range r.cells {
		if len(v) > maxCell && utf8.RuneCountInString(v) > maxCell {
			return c
		}
	}
	return -1
}

// footerSkip is how a reading counts the lines under a table that are no records.
const footerSkip = "表尾（合计、签字、说明、应到实到等）"

// footerWords begin the lines under a table that carry no record: totals and signatures.
var footerWords = []string{"合计", "总计", "小计", "填表人", "填报人", "制表人", "审核人", "审核", "负责人", "联系人", "填表日期", "填报日期", "备注:", "说明:", "注:"}

// blank: a row with no member and at most one other filled cell (a 序号 left over), or a
// footer line (合计…, 填表人：…, 审核人：…), carries no record.
func (r *row) blank() bool {
	for i, c := range r.cells {
		if c = rules.Normalize(c); c != "" {
			for _, words := range [][]string{footerWords, r.p.footer} {
				for _, w := range words {
					if strings.HasPrefix(c, w) && !r.knownName(i) {
						r.p.skip(footerSkip)
						return true
					}
				}
			}
			break
		}
	}
	if r.get("member_id") != "" || r.get("name") != "" {
		return false
	}
	n := 0
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n <= 1
}

// knownName reports whether column c is the name column and holds a name the roster knows:
// a member named 审核 is no footer.
func (r *row) knownName(c int) bool {
	return c == r.l.col("name") && len(r.p.roster.byNameRefs(r.cell(c), "")) > 0
}

// get returns the trimmed text of a field's cell; a field without a column takes the layout's
// fixed value (from config or the title), else "".
func (r *row) get(field string) string {
	if field == "note" && r.l.col("reason") >= 0 {
		return joinNotes(r.cell(r.l.col("reason")), r.getOwn("note")) // 事由 and 备注 are both kept
	}
	return r.getOwn(field)
}

// getOwn is get without joining the note's columns.
func (r *row) getOwn(field string) string {
	c := r.l.col(field)
	if c < 0 {
		return r.l.values[field]
	}
	return r.cell(c)
}

// cell returns the trimmed text of column c, "" past the row's end.
func (r *row) cell(c int) string {
	if c < 0 || c >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[c])
}

func (r *row) fail(field, format string, args ...any) {
	r.failAt(r.l.col(field), format, args...)
}

// failAt records a problem with column col (-1: the row).
func (r *row) failAt(col int, format string, args ...any) {
	r.failed = true
	if len(r.p.errs) >= MaxErrors {
		r.p.more++ // counted, not kept: a sheet of a million wrong rows must not fill memory
		return
	}
	r.p.errs = append(r.p.errs, &engine.CellError{Src: r.src, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// MaxErrors is how many problems of one file are listed; the rest are counted
// (engine.FileErrors.More).
const MaxErrors = 1000

// header is the field's header as written (white space dropped), for messages.
func (r *row) header(field string) string {
	c := r.l.col(field)
	if c < 0 || r.l.header >= len(r.t.Rows) || c >= len(r.t.Rows[r.l.header]) {
		return fieldName(r.p.cfg.Import.Headers, field)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(r.t.Rows[r.l.header][c], "\u3000", " ")), "")
}

// date reads a required (or optional) date field.
func (r *row) date(field string, required bool) time.Time {
	s := r.get(field)
	if s == "" {
		if required {
			r.fail(field, "缺少%s", r.header(field))
		}
		return time.Time{}
	}
	d, err := r.p.parseDateFrom(s, r.t.Date1904, r.l.period.Year, dateFrom(field))
	if err != nil {
		r.fail(field, "%s “%s” %v", r.header(field), s, err)
	} else if ambiguousDot(s) {
		r.p.warn(r.src, r.l.col(field), ambiguousDotMsg(s))
	}
	return d
}

// monthDate reads an optional roster date that may be written to the month (2005.07): a
// month alone means its first day, or with last its last day (a 转出时间 counts the month).
func (r *row) monthDate(field string, last bool) time.Time {
	if y, m, ok := parseMonth(r.get(field)); ok {
		d := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		if last {
			d = time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
		}
		if err := checkDate(d, dateFrom(field)); err != nil {
			r.fail(field, "%s “%s” %v", r.header(field), r.get(field), err)
			return time.Time{}
		}
		if ambiguousDot(r.get(field)) {
			r.p.warn(r.src, r.l.col(field), ambiguousDotMsg(r.get(field)))
		}
		return d
	}
	return r.date(field, false)
}

// term reads a required field through a vocabulary.
func (r *row) term(field string, v *rules.Vocabulary) string {
	s := r.get(field)
	if s == "" {
		r.fail(field, "缺少%s（可用：%s）", r.header(field), v.List())
		return ""
	}
	t, ok := r.p.lookup(v, s)
	if !ok {
		r.fail(field, "%s “%s” 无法识别（可用：%s）", r.header(field), s, v.List())
	}
	return t
}

// termMemo is the last cell a vocabulary looked up, and what it found: a column of a long sheet
// repeats the same activity or status row after row.
type termMemo struct {
	v         *rules.Vocabulary
	raw, term string
	ok        bool
}

// lookup is v.Lookup(s), remembering the last cell of each vocabulary.
func (p *parser) lookup(v *rules.Vocabulary, s string) (string, bool) {
	slot := -1
	for i := range p.terms {
		m := &p.terms[i]
		if m.v == v {
			if m.raw == s {
				return m.term, m.ok
			}
			slot = i
			break
		}
		if m.v == nil && slot < 0 {
			slot = i
		}
	}
	t, ok := v.Lookup(s)
	if slot >= 0 {
		p.terms[slot] = termMemo{v, s, t, ok}
	}
	return t, ok
}

// member finds the row's member by 党员编号, else by 身份证号 (when the sheet has one), else by
// name (within 所在支部 when given; namesakes told apart by the branch the sheet's title, sheet
// name, file name or folders name). It never returns nil: a member not found is an empty one
// (and the row has failed).
func (r *row) member() *member {
	id, name, branch := r.get("member_id"), r.get("name"), r.p.resolveBranch(r.get("branch"))
	if id != "" {
		return r.find(id, name, branch)
	}
	if m, ok := r.memberByCard(name, branch); ok {
		return m
	}
	m := r.find(id, name, branch)
	r.checkCard(m)
	return m
}

// find is member's search by 党员编号, else by name (no defer on the path of every row).
func (r *row) find(id, name, branch string) (m *member) {
	switch {
	case id != "":
		if m = r.p.roster.byIDRef(id); m == nil {
			r.fail("member_id", "党员编号 “%s” 不在党员名册中", id)
			return noMember
		}
		if mn := m.name(); name != "" && name != mn && NormalizeName(name) != NormalizeName(mn) {
			r.fail("name", "姓名 “%s” 与名册中党员编号 %s 的姓名 “%s” 不一致", name, id, mn)
			return m
		}
	case name != "":
		key := [2]string{name, branch}
		if branch == "" {
			key[1] = r.p.ctxKey // namesakes told apart by the sheet's branch
		}
		if m = r.p.byName[key]; m != nil {
			return m // found before, branch checked then
		}
		cands := r.p.roster.byNameRefs(name, branch)
		if len(cands) > 1 && branch == "" && r.p.ctxBranch != "" {
			cands = r.p.byContext(cands)
			if len(cands) == 0 {
				r.fail("name", "姓名 “%s” 不在 “%s” 的名册中（%s）", name, r.p.ctxBranch, r.p.roster.whereIs(r.p.roster.byNameRefs(name, "")))
				return noMember
			}
		}
		switch {
		case len(cands) == 1:
			m = cands[0]
		case len(cands) > 1:
			ids := make([]string, len(cands))
			for i, c := range cands {
				ids[i] = c.id()
			}
			where, fix := "名册中", "请增加 所在支部 列（或在标题、工作表名、文件名、所在文件夹名中写明支部）、党员编号 或 身份证号"
			switch {
			case branch == "" && r.l.col("branch") >= 0:
				fix = "请在这一行的 " + r.header("branch") + " 中写明支部（或填写党员编号、身份证号）"
			case branch != "":
				where, fix = "所在支部 “"+branch+"” 中", "请填写党员编号或身份证号"
			case r.p.ctxBranch != "":
				where, fix = "“"+r.p.ctxBranch+"” 中", "请填写党员编号或身份证号"
			}
			r.fail("name", "姓名 “%s” 在%s有 %d 人（党员编号 %s），%s", name, where, len(cands), strings.Join(ids, "、"), fix)
			return noMember
		default:
			if branch != "" {
				if others := r.p.roster.byNameRefs(name, ""); len(others) > 0 {
					r.fail("name", "姓名 “%s” 不在所在支部 “%s” 的名册中（%s）", name, branch, r.p.roster.whereIs(others))
					return noMember
				}
			}
			hint := ""
			if near := r.p.roster.Closest(name, branch, 3); len(near) > 0 {
				hint = "（相近的有：" + strings.Join(near, "、") + "）"
			}
			r.fail("name", "姓名 “%s” 不在党员名册中%s", name, hint)
			return noMember
		}
		if branch == "" || NormalizeName(branch) == NormalizeName(r.p.roster.branchOf(m)) {
			if r.p.byName == nil {
				r.p.byName = map[[2]string]*member{}
			}
			r.p.byName[key] = m
		}
	default:
		r.fail("name", "缺少姓名或党员编号")
		return noMember
	}
	if mb := r.p.roster.branchOf(m); branch != "" && branch != mb && NormalizeName(branch) != NormalizeName(mb) {
		r.fail("branch", "所在支部 “%s” 与名册不一致（%s %s 在名册中属于 “%s”）", branch, m.id(), m.name(), mb)
	}
	return m
}

func (p *parser) parseRoster(t sheet.Table, l layout) {
	seen := &keysSeen{keys: map[string]int{}, cards: map[string]int{}}
	p.longBranches(t, l)
	p.rows(t, l, func(r *row) {
		if r.notMember() {
			return // 政治面貌 群众, 共青团员 …: skipped with its reason
		}
		m := engine.Member{
			ID:       r.get("member_id"),
			Name:     NormalizeName(r.get("name")),
			Branch:   r.branchOfRoster(r.get("branch")),
			Group:    r.get("group"),
			Position: r.get("position"),
			Src:      r.src,
		}
		if m.Name == "" {
			r.fail("name", "缺少姓名")
		}
		if m.Branch == "" {
			r.fail("branch", "缺少所在支部")
		}
		m.Category = r.term("category", p.cfg.Vocab.MemberCategories)
		m.JoinDate = r.monthDate("join_date", false)
		m.TransferIn = r.monthDate("transfer_in", false)
		m.TransferOut = r.monthDate("transfer_out", true)
		// A 转出时间 before the member's 入党时间 or 转入时间 leaves no day on the roll: the member
		// would drop out of every year without a word.
		switch {
		case !m.TransferOut.IsZero() && !m.JoinDate.IsZero() && m.TransferOut.Before(m.JoinDate):
			r.fail("transfer_out", "转出时间 “%s” 早于入党时间 “%s”：请核对这两个日期", r.get("transfer_out"), r.get("join_date"))
		case !m.TransferOut.IsZero() && !m.TransferIn.IsZero() && m.TransferOut.Before(m.TransferIn):
			r.fail("transfer_out", "转出时间 “%s” 早于转入时间 “%s”：请核对这两个日期（转出后又转回的，转出时间留空）", r.get("transfer_out"), r.get("transfer_in"))
		}
		m.BirthDate = r.monthDate("birth_date", false)
		m.IDCard, m.Phone = r.get("id_card"), r.get("phone")
		r.memberKey(&m, seen) // 党员编号, else from 身份证号 or 所在支部+姓名
		if v := r.get("mobile"); v != "" {
			yes, ok := p.cfg.Vocab.SignedValues.Lookup(v)
			if !ok {
				r.fail("mobile", "流动党员 “%s” 应为 是 或 否", v)
			}
			m.Mobile = yes == rules.SignedYes
		}
		if !r.failed {
			p.batch.Members = append(p.batch.Members, m)
			p.roster.push(&m)
			p.members++
		}
	})
}

func (p *parser) parseAttendance(t sheet.Table, l layout) {
	var seen signIns
	gls := groupLayouts(l) // 姓名 出勤情况 | 姓名 出勤情况: each group as the first (groups.go)
	p.rows(t, l, func(row0 *row) {
		if len(gls) == 1 {
			p.attendanceRow(row0, &seen) // one group: the row as it is (a row holds its layout: no copy)
			return
		}
		for _, gl := range gls {
			if row0.groupBlank(gl, l) {
				continue
			}
			r := *row0
			r.l = gl
			p.attendanceRow(&r, &seen)
		}
	})
	if seen.overflow {
		p.checkRepeats = append(p.checkRepeats, t.Sheet)
	}
	for _, d := range seen.repeated() {
		if len(p.errs) >= MaxErrors {
			p.more++
			continue
		}
		p.errs = append(p.errs, &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet, Row: d.row}, Col: d.col,
			Msg: fmt.Sprintf("与第 %d 行重复（同一党员、同一活动、同一日期）", d.first)})
	}
}

// attendanceRow reads one member's attendance from a row (of one column group).
func (p *parser) attendanceRow(r *row, seen *signIns) {
	m := r.member()
	a := engine.Attendance{MemberID: m.id(), Note: r.get("note"), Src: r.src}
	a.Activity = r.term("activity", p.cfg.Vocab.Activities)
	a.Date = r.date("date", true)
	switch {
	case r.get("status") == "" && p.cfg.Import.BlankIsAbsent:
		a.Status = rules.StatusAbsent
	case r.get("status") == "":
		return // blank: the member was not expected there (import.blank_is_absent: false)
	default:
		a.Status = r.term("status", p.cfg.Vocab.Statuses)
	}
	if r.failed {
		return
	}
	seen.add(p, m, a, r.src.Row, r.l.col("name"))
	p.batch.Attendance = append(p.batch.Attendance, a)
}

// signIns collects the key of every sign-in row of a sheet (member, activity and date packed
// into one number: member 28 bits, activity 12, day 24) to find the rows that repeat an
// earlier one: 12 bytes a row, sorted once at the end, so a sheet of a million rows needs
// about 20 MB and no map of a million entries. Past MaxSignIns rows (a CSV file longer than
// any worksheet) it gives up (overflow) and the store finds the repeated rows in SQL, in
// DuckDB's bounded memory.
type signIns struct {
	keys     []uint64
	rows     []int32
	col      int
	other    map[string]int // keys that do not fit the packing (never in practice)
	extra    []repeat
	overflow bool
}

// MaxSignIns is how many sign-ins of a sheet the importer checks for repeats itself: a
// worksheet's 1,048,576 rows. A variable for tests.
var MaxSignIns = 1 << 20

// repeat is a row that repeats row first, with the column to point at.
type repeat struct{ row, first, col int }

// add records a sign-in of row.
func (s *signIns) add(p *parser, member *member, a engine.Attendance, row, col int) {
	s.col = col
	if s.overflow {
		return
	}
	if len(s.keys)+len(s.extra) >= MaxSignIns {
		*s = signIns{col: col, overflow: true}
		return
	}
	m := uint64(member.idx)
	act, ok := p.activityIdx[a.Activity]
	if !ok {
		if p.activityIdx == nil {
			p.activityIdx = map[string]uint64{}
		}
		act = uint64(len(p.activityIdx))
		p.activityIdx[a.Activity] = act
	}
	day := a.Date.Unix()/86400 + 1<<23 // days since 1970, shifted to be positive
	if m >= 1<<28 || act >= 1<<12 || day < 0 || day >= 1<<24 || row >= 1<<31 {
		key := a.MemberID + "|" + a.Activity + "|" + a.Date.Format("2006-01-02")
		if first, dup := s.other[key]; dup {
			s.extra = append(s.extra, repeat{row, first, col})
			return
		}
		if s.other == nil {
			s.other = map[string]int{}
		}
		s.other[key] = row
		return
	}
	s.keys = append(s.keys, m<<36|act<<24|uint64(day))
	s.rows = append(s.rows, int32(row))
}

// repeated lists the rows that repeat an earlier row's key, by row.
func (s *signIns) repeated() []repeat {
	out := s.extra
	sorted := slices.Clone(s.keys)
	slices.Sort(sorted)
	dups := map[uint64]int{} // key → first row
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			dups[sorted[i]] = 0
		}
	}
	if len(dups) > 0 {
		for i, k := range s.keys {
			first, ok := dups[k]
			switch {
			case !ok:
			case first == 0:
				dups[k] = int(s.rows[i])
			default:
				out = append(out, repeat{int(s.rows[i]), first, s.col})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b repeat) int { return a.row - b.row })
	return out
}

func (p *parser) parseTests(t sheet.Table, l layout) {
	tc := p.cfg.Tests
	exam := !l.has("date") && l.has("submit_time")
	dates := p.examDates(t, l)
	p.rows(t, l, func(r *row) {
		m := r.member()
		s := engine.TestScore{MemberID: m.id(), Test: r.get("test"), Src: r.src, FullMark: tc.DefaultFullMark}
		if s.Test == "" {
			r.fail("test", "缺少测试名称")
		}
		if exam { // an exam export: the exam's date is its earliest 交卷时间 (exam.go)
			s.Date = r.examDate(dates, s.Test)
		} else {
			s.Date = r.date("date", true)
		}
		fmField := "full_mark"
		if !l.has("full_mark") {
			fmField = "exam_total" // an exam export's 总分 is the full mark
		}
		if fm := r.get(fmField); fm != "" {
			v, err := parseNumber(fm)
			if err != nil || v <= 0 {
				r.fail(fmField, "%s “%s” 应为正数（试卷的满分）", r.header(fmField), fm)
			} else {
				r.inRange(fmField, fm, v)
			}
			s.FullMark = v
		}
		raw := r.get("score")
		switch st, ok := p.cfg.Vocab.TestStatuses.Lookup(raw); {
		case raw == "":
			r.fail("score", "缺少成绩（可填分数，或 %s）", p.cfg.Vocab.TestStatuses.List())
		case ok:
			s.Status = st
		default:
			v, err := parseNumber(raw)
			if err != nil {
				r.fail("score", "成绩 “%s” 应为数字，或 %s", raw, p.cfg.Vocab.TestStatuses.List())
			} else if !r.inRange("score", raw, v) {
			} else if v > s.FullMark {
				r.fail("score", "成绩 %s 超出 0 到满分 %g 的范围", raw, s.FullMark)
			}
			s.Score = &v
		}
		if !r.failed {
			p.batch.Tests = append(p.batch.Tests, s)
		}
	})
}

func (p *parser) parsePledges(t sheet.Table, l layout) {
	seen := map[string]int{}
	p.rows(t, l, func(r *row) {
		m := r.member()
		pl := engine.Pledge{MemberID: m.id(), Src: r.src}
		pl.Signed = r.term("signed", p.cfg.Vocab.SignedValues) == rules.SignedYes
		switch y := r.get("year"); {
		case y != "":
			v, err := parseYear(y)
			if errors.Is(err, errNotYear) {
				if d, derr := parseDate(y, r.t.Date1904, 0); derr == nil {
					v, err = d.Year(), nil // a date in the 年度 column: its year
				}
			}
			if err != nil {
				r.fail("year", "年度 “%s” %v", y, err)
			}
			pl.Year = v
		case r.l.has("date"):
			if d := r.date("date", true); !d.IsZero() {
				pl.Year = d.Year()
			}
		case r.l.period.Year != 0:
			pl.Year = r.l.period.Year // from the title or file name: 2022年承诺践诺情况
			if msg := r.l.period.problem(); msg != "" {
				r.fail("year", "年度%s", msg)
			}
		default:
			r.fail("year", "缺少年度")
		}
		if v := r.get("rating"); v != "" {
			rt, ok := p.cfg.Vocab.Ratings.Lookup(v)
			if !ok {
				r.fail("rating", "践诺评价 “%s” 无法识别（可用：%s，或留空）", v, p.cfg.Vocab.Ratings.List())
			}
			pl.Rating = rt
		}
		if r.failed {
			return
		}
		key := fmt.Sprintf("%s|%d", pl.MemberID, pl.Year)
		if prev, ok := seen[key]; ok {
			r.fail("name", "与第 %d 行重复（同一党员、同一年度的承诺书）", prev)
			return
		}
		seen[key] = r.src.Row
		p.batch.Pledges = append(p.batch.Pledges, pl)
	})
}

func (p *parser) parseLedger(t sheet.Table, l layout) {
	if len(l.items) > 0 {
		p.parseWideLedger(t, l)
		return
	}
	p.rows(t, l, func(r *row) {
		m := r.member()
		e := engine.LedgerEntry{MemberID: m.id(), Note: r.get("note"), Src: r.src, Count: 1}
		if q := r.get("quantity"); q != "" {
			v, err := parseNumber(q)
			switch {
			case err != nil:
				r.fail("quantity", "数量 “%s” 应为数字（如志愿服务时长 2.5、次数 3）%s", q, notNumberHint(q))
			case v < 0:
				r.fail("quantity", "数量 “%s” 应为非负数（如志愿服务时长、次数）", q)
			default:
				r.inRange("quantity", q, v)
			}
			e.Count = v
		}
		e.Date = r.date("date", true)
		e.Category = r.term("ledger_category", p.cfg.Vocab.LedgerCategories)
		if r.l.col("level_or_note") >= 0 {
			r.levelOrNote(&e) // 等级或说明 (ledger.go)
		} else {
			if lv := r.get("level"); lv != "" {
				t, ok := p.cfg.Vocab.Levels.Lookup(lv)
				if !ok {
					r.fail("level", "级别 “%s” 无法识别（可用：%s）", lv, p.cfg.Vocab.Levels.List())
				}
				e.Level = t
			}
			if allowed := levelsOf(p.cfg, e.Category); len(allowed) > 0 {
				switch {
				case e.Level == "" && r.get("level") == "":
					r.fail("level", "%s需要填写级别（可用：%s）", e.Category, strings.Join(allowed, "、"))
				case e.Level != "" && !slices.Contains(allowed, e.Level):
					r.fail("level", "级别 “%s” 不是%s的级别（可用：%s）", e.Level, e.Category, strings.Join(allowed, "、"))
				}
			}
		}
		if !r.failed {
			r.checkPoints(e) // 分值 (ledger.go)
			p.batch.Ledger = append(p.batch.Ledger, e)
		}
	})
}

// levelsOf lists the levels the rules know for a ledger category (the keys of its points_by,
// its items' and vetoes' levels), in the vocabulary's order: rows of such a category need one.
func levelsOf(cfg *rules.Config, category string) []string {
	known := map[string]bool{}
	for _, c := range cfg.Scoring.Categories {
		for _, it := range c.Items {
			if it.Source == rules.SourceLedger && slices.Contains(it.Categories, category) {
				for k := range it.PointsBy {
					known[k] = true
				}
				for _, lv := range it.Levels {
					known[lv] = true
				}
			}
		}
	}
	for _, v := range cfg.Scoring.Vetoes {
		if slices.Contains(v.Categories, category) {
			for _, lv := range v.Levels {
				known[lv] = true
			}
		}
	}
	var out []string
	for _, lv := range cfg.Vocab.Levels.Terms() {
		if known[lv] {
			out = append(out, lv)
		}
	}
	return out
}

// parseMatrix reads a sign-in matrix: each activity column's mark is the member's status.
// A blank cell means the member was not expected there, unless import.blank_is_absent.
func (p *parser) parseMatrix(t sheet.Table, l layout) {
	hdr := engine.Source{File: t.File, Sheet: t.Sheet, Row: l.header + 1}
	for _, mc := range l.matrix {
		label := strings.Join(labels(t, l.top, l.header, mc.col), " ")
		switch {
		case mc.problem != "":
			p.errs = append(p.errs, &engine.CellError{Src: hdr, Col: mc.col, Msg: fmt.Sprintf("签到列 “%s” 的%s", label, mc.problem)})
		case mc.date.IsZero():
			p.errs = append(p.errs, &engine.CellError{Src: hdr, Col: mc.col,
				Msg: fmt.Sprintf("签到列 “%s” 没有日期（表头应写明日期，如 3月2日%s；或在标题中写明，如 2022年3月%s签到表）", label, mc.activity, mc.activity)})
		case mc.warning != "":
			p.warn(hdr, mc.col, mc.warning)
		}
	}
	// The sheet's legend (说明：√出席 ○请假 …), else the config's, defines its marks; the lines
	// under the matrix (the legend, signatures, 应到 12 人) are no members.
	lg, legendRows, lerrs := findLegend(t, l, p.cfg)
	p.errs = append(p.errs, lerrs...)
	if lg == nil {
		lg = configLegend(t, p.cfg)
	}
	if lg != nil && p.cur != nil {
		p.cur.Legend = lg.describe()
	}
	end := p.footerFrom(t, l, lg, configFooter(t, p.cfg))
	for i := end; i < len(t.Rows); i++ {
		switch text, _ := rowText(t.Rows[i]); {
		case text == "":
		case legendRows[i]:
			p.skip("图例")
		default:
			p.skip(footerSkip)
		}
	}
	t.Rows = t.Rows[:end]
	// A column holding sign-in marks under a header that names no known activity (主提党日) would
	// be lost without a word: it is an error at its header.
	known := map[int]bool{}
	for _, c := range l.cols {
		known[c] = true
	}
	for _, mc := range l.matrix {
		known[mc.col] = true
	}
	for c := 0; c < width(t, l.top, l.header); c++ {
		if known[c] {
			continue
		}
		for i := l.header + 1; i < len(t.Rows); i++ {
			if c < len(t.Rows[i]) {
				if _, ok := lg.status(p.cfg, t.Rows[i][c]); ok {
					p.errs = append(p.errs, &engine.CellError{Src: hdr, Col: c, Msg: fmt.Sprintf("这一列有签到标记，但表头 “%s” 中没有可识别的活动类型（可用：%s）",
						strings.Join(labels(t, l.top, l.header, c), " "), p.cfg.Vocab.Activities.List())})
					break
				}
			}
		}
	}
	if lg == nil {
		p.markClash(t, l)
	}
	if len(p.errs) > 0 {
		return
	}
	seen := map[string]int{}
	p.rows(t, l, func(r *row) {
		m := r.member()
		if r.failed {
			return
		}
		for _, mc := range l.matrix {
			mark := r.cell(mc.col)
			status := ""
			switch st, ok := lg.status(p.cfg, mark); {
			case mark == "" && p.cfg.Import.BlankIsAbsent:
				status = rules.StatusAbsent
			case mark == "":
				continue
			case ok:
				status = st
			case lg != nil:
				r.failAt(mc.col, "签到 “%s” 不在本表的图例中（%s）：请在图例中写明它的含义（空白表示未要求参加）", mark, lg.describe())
				continue
			default:
				r.failAt(mc.col, "签到 “%s” 无法识别（可用：%s；空白表示未要求参加）", mark, markList(p.cfg))
				continue
			}
			key := m.id() + "|" + mc.activity + "|" + mc.date.Format("2006-01-02")
			if prev, dup := seen[key]; dup {
				r.failAt(mc.col, "与 %s 列重复（同一党员、同一活动、同一日期）", engine.ColumnName(prev))
				continue
			}
			seen[key] = mc.col
			p.batch.Attendance = append(p.batch.Attendance, engine.Attendance{MemberID: m.id(), Activity: mc.activity,
				Date: mc.date, Status: status, Note: r.get("note"), Src: r.src})
		}
	})
}

// checkMarks writes ✓ and ✔ as √: one mark for markClash.
var checkMarks = strings.NewReplacer("✓", "√", "✔", "√")

// markClash refuses a matrix without a legend whose marks include two different symbols that the
// vocabulary reads as one status (√ and ○, both 出席 by default): a sheet that tells √ from ○
// means something by it (many units write ○ for 请假), and which is a guess. √, ✓ and ✔ are one.
func (p *parser) markClash(t sheet.Table, l layout) {
	first := map[string]string{} // status → the first symbol read as it
	for i := l.header + 1; i < len(t.Rows); i++ {
		for _, mc := range l.matrix {
			if mc.col >= len(t.Rows[i]) {
				continue
			}
			mark := strings.TrimSpace(t.Rows[i][mc.col])
			if !isMark(mark) {
				continue
			}
			st, ok := p.cfg.Vocab.Statuses.Lookup(mark)
			if !ok {
				continue
			}
			sym := checkMarks.Replace(mark)
			switch f, seen := first[st]; {
			case !seen:
				first[st] = sym
			case f != sym:
				p.errs = append(p.errs, &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet, Row: i + 1}, Col: mc.col,
					Msg: fmt.Sprintf("本表既用 “%s” 又用 “%s”，却没有图例说明它们的含义（默认都算%s，但有的单位用 ○ 表示请假）：请在表格下方写上图例，如“说明：√出席 ○请假 ×缺席”，或在 config.yaml 的 import.layouts 中用 legend 说明", f, sym, st)})
				return
			}
		}
	}
}

// markList lists the statuses with their usual marks, for messages.
func markList(cfg *rules.Config) string {
	var parts []string
	for _, st := range cfg.Vocab.Statuses.Terms() {
		marks := []string{st}
		for _, syn := range cfg.Import.Statuses[st] {
			if len([]rune(syn)) == 1 && syn != st {
				marks = append(marks, syn)
			}
		}
		parts = append(parts, strings.Join(marks, "/"))
	}
	return strings.Join(parts, "、")
}

// parseWideLedger reads a wide ledger: one column per ledger item, each cell a count of
// occurrences (cells: count) or points (cells: points). The points a header states (…每次扣1分)
// must agree with the rule. Rows have no date: they are dated at the end of the sheet's period
// (title, sheet or file name, or a fixed date), moved into the member's period when the member
// joined or left within it.
func (p *parser) parseWideLedger(t sheet.Table, l layout) {
	hdr := engine.Source{File: t.File, Sheet: t.Sheet, Row: l.header + 1}
	for _, it := range l.items {
		if msg := checkHeaderPoints(p.cfg, it); msg != "" {
			p.errs = append(p.errs, &engine.CellError{Src: hdr, Col: it.col, Msg: msg})
		}
	}
	var start, end time.Time
	var periodErr string
	reported := false
	if v := l.values["date"]; v != "" {
		d, err := parseDate(v, false, 0)
		if err != nil {
			periodErr = fmt.Sprintf("版式 “%s” 的 values.date “%s” %v", l.name, v, err)
		}
		start, end = d, d
	} else if e, ok := l.period.end(); ok {
		start, end = l.period.start(), e
		if msg := l.period.problem(); msg != "" {
			periodErr = "台账所属的时期" + msg
		}
	} else {
		periodErr = "无法确定台账所属的时期：请在标题、工作表名或文件名中写明年份（如 2022年第1季度），或在版式的 values 中给出 date"
	}
	mapped := map[int]bool{}
	for _, c := range l.cols {
		mapped[c] = true
	}
	for _, it := range l.items {
		mapped[it.col] = true
	}
	for c := 0; c < width(t, l.top, l.header); c++ {
		label := strings.Join(labels(t, l.top, l.header, c), " ")
		if mapped[c] || label == "" || strings.Contains(label, "合计") || strings.Contains(label, "序号") {
			continue
		}
		for i := l.header + 1; i < len(t.Rows); i++ {
			if c < len(t.Rows[i]) {
				if v, err := parseNumber(t.Rows[i][c]); err == nil && v != 0 {
					p.warn(hdr, c, fmt.Sprintf("这一列（%s）有数值，但版式 “%s” 没有映射它（import.layouts 的 items），已忽略", label, l.name))
					break
				}
			}
		}
	}
	deducts := map[int]bool{}
	for _, it := range l.items {
		deducts[it.col] = saysDeducted(t, l, it)
	}
	p.rows(t, l, func(r *row) {
		m := r.member()
		if r.failed {
			return
		}
		if periodErr != "" { // only rows need a date: an empty template is fine
			if !reported {
				p.errs = append(p.errs, &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet}, Msg: periodErr})
				reported = true
			}
			return
		}
		date := end
		if out := p.roster.transferOut(m); !out.IsZero() && out.Before(date) && !out.Before(start) {
			date = out
		}
		for _, it := range l.items {
			raw := r.cell(it.col)
			if raw == "" {
				continue
			}
			v, err := parseNumber(raw)
			if err != nil {
				r.failAt(it.col, "“%s” 应为数字（%s）", raw, map[string]string{rules.CellsCount: "次数", rules.CellsPoints: "分值"}[l.cells])
				continue
			}
			if v == 0 {
				continue
			}
			e := engine.LedgerEntry{MemberID: m.id(), Date: date, Category: it.category, Level: it.level, Note: it.label, Src: r.src, Count: 1}
			if l.cells == rules.CellsPoints {
				// The points as the sheet gives them, never signed by the rules of the day:
				// negative when written so or when the column or sheet says they are deducted
				// (扣3分, 扣分台账); a positive number the sheet does not call a deduction is
				// signed by the rule when scored (see scoring's sqlMatches).
				if !r.inRangeAt(it.col, engine.RangePoints, it.label, raw, v) {
					continue
				}
				pts := v
				if deducts[it.col] && pts > 0 {
					pts = -pts
				}
				e.Points = &pts
			} else {
				if !r.inRangeAt(it.col, engine.RangeCount, it.label, raw, v) {
					continue
				}
				e.Count = v
			}
			p.batch.Ledger = append(p.batch.Ledger, e)
		}
	})
}

var reHeaderPoints = regexp.MustCompile(`(扣|减|加)\s*(\d+(?:\.\d+)?)\s*分`)

// checkHeaderPoints compares the points a wide-ledger header states with the rule's.
func checkHeaderPoints(cfg *rules.Config, it itemCol) string {
	m := reHeaderPoints.FindStringSubmatch(it.label)
	if m == nil {
		return ""
	}
	stated, _ := strconv.ParseFloat(m[2], 64)
	if m[1] != "加" {
		stated = -stated
	}
	rule, ok := rulePoints(cfg, it.category, it.level)
	name := itemName(it.category, it.level)
	if !ok {
		return fmt.Sprintf("表头写明 %s%s分，但规则中没有 “%s” 的分值（请在 scoring.ledger 中设置）", m[1], m[2], name)
	}
	if rule != stated {
		return fmt.Sprintf("表头写明 %s%s分，与规则中 “%s” 的 %s 分不一致", m[1], m[2], name, fmtNum(rule))
	}
	return ""
}

// rulePoints is the points the rules give one occurrence of a ledger category (and level): the
// first ledger item naming the category that gives fixed points, points per unit, or points by
// level.
func rulePoints(cfg *rules.Config, category, level string) (float64, bool) {
	v, _, ok := ruleItemPoints(cfg, category, level)
	return v, ok
}

// ruleItemPoints is rulePoints saying also whether the points are per unit (of a row's 数量).
func ruleItemPoints(cfg *rules.Config, category, level string) (pts float64, perUnit, ok bool) {
	for _, c := range cfg.Scoring.Categories {
		for _, it := range c.Items {
			if it.Source != rules.SourceLedger || !slices.Contains(it.Categories, category) || (len(it.Levels) > 0 && !slices.Contains(it.Levels, level)) {
				continue
			}
			switch {
			case it.Points != nil:
				return *it.Points, false, true
			case it.PerUnit != nil:
				return *it.PerUnit, true, true
			case it.PointsBy != nil:
				if v, ok := it.PointsBy[level]; ok {
					return v, false, true
				}
			}
		}
	}
	return 0, false, false
}

// parseAssessments reads results of assessments (民主评议 scores, 季度绩效 grades): the item,
// the date (or the end of the sheet's period) and the result, a number or a grade.
func (p *parser) parseAssessments(t sheet.Table, l layout) {
	p.rows(t, l, func(r *row) {
		m := r.member()
		a := engine.Assessment{MemberID: m.id(), Item: r.get("assessment"), Result: r.get("result"), Src: r.src}
		if a.Item == "" {
			r.fail("assessment", "缺少评价项目")
		}
		if a.Result == "" {
			r.fail("result", "缺少评价结果")
		} else if v, err := parseNumber(a.Result); err == nil && r.inRange("result", a.Result, v) {
			a.Value = &v
		}
		if r.l.has("date") {
			a.Date = r.date("date", true)
		} else if e, ok := r.l.period.end(); ok {
			a.Date = e
			if msg := r.l.period.problem(); msg != "" {
				r.fail("date", "评价日期%s", msg)
			}
		} else {
			r.fail("date", "缺少日期（也可在标题或文件名中写明时期，如 2022年第1季度）")
		}
		if !r.failed {
			p.batch.Assessments = append(p.batch.Assessments, a)
		}
	})
}
