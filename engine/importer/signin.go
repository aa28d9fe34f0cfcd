package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// One sign-in sheet per meeting: a title naming branch and meeting ("中共××局第一党支部主题党日
// 签到表"), lines such as "会议时间：2023年3月15日 上午9:00" above the table, then 序号 姓名 签名 备注,
// often in two or three groups side by side, and footer lines (应到 12 人，实到 10 人; 记录人：…).
// A name or √ in 签名 is 出席 (迟到/早退 when 备注 says so); no signature with a leave in 备注 is
// 请假, with nothing is 缺席.

func init() {
	register(family{kind: KindSignInSheet, short: "签到", read: (*parser).parseSignIn, whole: func(layout) bool { return true },
		fields: []string{"signature"}})
}

// signInSheet recognises row i as the header of a sign-in sheet: 姓名 columns each followed by a
// signature column (签名, 签字, or 签到 whose cells hold names, √ or nothing), with no 活动类型 or
// 日期 column (the meeting is the sheet's). ok is false for any other sheet; problem says what a
// sign-in sheet lacks (a group without a signature, no meeting type, no date).
func signInSheet(t sheet.Table, i int, path string, cfg *rules.Config) (l layout, problem string, ok bool) {
	v := cfg.Vocab.Headers
	row := t.Rows[i]
	var names []int
	for c, h := range row {
		f, found := v.Lookup(h)
		switch {
		case !found:
		case f == "name":
			names = append(names, c)
		case f == "activity" || f == "date":
			return layout{}, "", false // one row per member and meeting: the long sign-in form
		}
	}
	if len(names) == 0 {
		return layout{}, "", false
	}
	cols := fields(t, i, i, cfg)
	for _, k := range kinds {
		if k.kind != KindAttendance && hasAll(cols, k.signature) {
			return layout{}, "", false // a roster or a pledge sheet with a column for signatures
		}
	}
	var groups []map[string]int
	var extra []int
	for c := 0; c < names[0]; c++ {
		if rules.Normalize(row[c]) == "序号" {
			extra = append(extra, c)
		}
	}
	for k, nc := range names {
		end := len(row)
		if k+1 < len(names) {
			end = names[k+1]
		}
		g := map[string]int{"name": nc}
		for c := nc + 1; c < end; c++ {
			h := rules.Normalize(row[c])
			f, _ := v.Lookup(h)
			_, hasSig := g["signature"]
			_, hasNote := g["note"]
			switch {
			case !hasSig && (f == "signature" || f == "status" && strings.Contains(h, "签到") && signatureValues(t, i, c, cfg)):
				g["signature"] = c
			case !hasNote && f == "note":
				g["note"] = c
			case h == "序号":
				extra = append(extra, c)
			}
		}
		groups = append(groups, g)
	}
	if _, signed := groups[0]["signature"]; !signed {
		return layout{}, "", false
	}
	l = layout{kind: KindSignInSheet, top: i, header: i, cols: groups[0], values: map[string]string{},
		groups: groups[1:], extraCols: extra}
	l.period = sheetPeriod(t, i, path, cfg.Vocab.Activities)
	for k, g := range groups {
		if _, signed := g["signature"]; !signed {
			return l, fmt.Sprintf("签到表的第 %d 组（%s “%s”）后面没有签名列：每组应有 姓名、签名（或签字、签到）两列，备注可选", k+1,
				engineCell(g["name"], i), strings.TrimSpace(row[g["name"]])), true
		}
	}
	if problem := l.fromLabels(t, cfg); problem != "" {
		return l, problem, true
	}
	act := l.values["activity"]
	if act == "" {
		act = signInActivity(t, i, path, cfg.Vocab.Activities)
	}
	if act == "" {
		return l, fmt.Sprintf("%s看不出是什么会议：请在标题中写明会议类型（如 “第一党支部主题党日签到表”；可用：%s），或写在工作表名（如 3.15主题党日）或文件名中",
			signInName(t), cfg.Vocab.Activities.List()), true
	}
	l.values["activity"] = act
	if l.values["date"] != "" {
		return l, "", true // taken from a label (fields_from_labels)
	}
	d, err := signInDate(t, i, path, l.period.Year)
	// A sheet named for its meeting (4.18支部党员大会) must name the same day as the title.
	if sd, serr, found := textDate(rules.Normalize(t.Sheet), d.Year(), true); err == "" && found && serr == "" && !sd.Equal(d) {
		err = fmt.Sprintf("不一致：表头上方写 %s，工作表名 “%s” 写的是 %s：请核对是哪一天，改正其中一处",
			d.Format("2006-01-02"), t.Sheet, sd.Format("2006-01-02"))
	}
	if err != "" {
		return l, fmt.Sprintf("%s的会议日期%s", signInName(t), err), true
	}
	l.values["date"] = d.Format("2006-01-02")
	return l, "", true
}

// signInName calls the sheet in messages: 签到表 “3.15主题党日”, or 签到表 for a CSV file.
func signInName(t sheet.Table) string {
	if t.Sheet == "" {
		return "签到表"
	}
	return "签到表 “" + t.Sheet + "” "
}

// signatureValues reports whether the cells under a 签到 header hold signatures (names, √ or
// nothing) rather than statuses (出席, 请假, 缺席 …).
func signatureValues(t sheet.Table, header, c int, cfg *rules.Config) bool {
	for r := header + 1; r < len(t.Rows); r++ {
		if c >= len(t.Rows[r]) {
			continue
		}
		v := rules.Normalize(t.Rows[r][c])
		if v == "" || checkMark(v) {
			continue
		}
		if _, ok := cfg.Vocab.Statuses.Lookup(v); ok {
			return false
		}
	}
	return true
}

// checkMark: a tick written for a signature.
func checkMark(s string) bool {
	switch s {
	case "√", "✓", "✔", "☑", "✅":
		return true
	}
	return false
}

// titleTexts are the title rows above the header, each row's distinct cells in order.
func titleTexts(t sheet.Table, top int) [][]string { return titleRows(t, top, rules.Normalize) }

// titleRows are the rows above the header, each row's distinct cells (as clean gives them) in
// order, empty rows left out.
func titleRows(t sheet.Table, top int, clean func(string) string) [][]string {
	var out [][]string
	for i := 0; i < top && i < len(t.Rows); i++ {
		var cells []string
		for _, c := range t.Rows[i] {
			if c = clean(c); c != "" && (len(cells) == 0 || cells[len(cells)-1] != c) {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			out = append(out, cells)
		}
	}
	return out
}

// signInActivity is the meeting type named by the first title row that names one, else the
// sheet name, else the file name, else its folders (nearest first).
func signInActivity(t sheet.Table, top int, path string, acts *rules.Vocabulary) string {
	var sources []string
	for _, cells := range titleTexts(t, top) {
		sources = append(sources, strings.Join(cells, " "))
	}
	sources = append(sources, rules.Normalize(t.Sheet))
	parts := strings.Split(path, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		sources = append(sources, rules.Normalize(parts[i]))
	}
	for _, s := range sources {
		if a, _ := findActivity(s, acts); a != "" {
			return a
		}
	}
	return ""
}

var (
	reFullDate = regexp.MustCompile(`((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})`)
	reMonthDay = regexp.MustCompile(`(?:^|\D)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?`)
	reDotMD    = regexp.MustCompile(`^(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\D|$)`)
	// reDateLabel is a label whose text (or the next cell) is the meeting's date.
	reDateLabel = regexp.MustCompile(`(?:会议|活动|签到)?(?:时间|日期)\s*[:：]?`)
)

// notMeetingDate are the words before a date label that make it no meeting's date: 填表日期,
// 填报时间, 制表日期, 打印时间 …
var notMeetingDate = []string{"填表", "填报", "制表", "打印", "报送", "审核", "签字", "导出"}

// meetingDateLabel finds the first date label (会议时间, 时间, 日期) in s that is not the date
// of filling in, printing or signing the form.
func meetingDateLabel(s string) []int {
	for off := 0; off < len(s); {
		loc := reDateLabel.FindStringIndex(s[off:])
		if loc == nil {
			return nil
		}
		start, end := off+loc[0], off+loc[1]
		other := false
		for _, w := range notMeetingDate {
			other = other || strings.HasSuffix(strings.TrimSpace(s[:start]), w)
		}
		if !other {
			return []int{start, end}
		}
		off = max(end, start+1)
	}
	return nil
}

// signInDate finds the meeting's date: after a 会议时间/时间/日期 label in the title rows (in its
// cell or the next), else in the title rows, the sheet name (3.15主题党日, 3月28日支委会) or the
// file name. A date without a year takes year (the period's). err says what is missing, "" if
// none.
func signInDate(t sheet.Table, top int, path string, year int) (time.Time, string) {
	var sources []string
	rows := titleTexts(t, top)
	for _, v := range labelled(rows, meetingDateLabel) {
		if d, err := parseDate(v, t.Date1904, year); err == nil {
			return d, ""
		}
		sources = append(sources, v)
	}
	for _, cells := range rows {
		sources = append(sources, strings.Join(cells, " "))
	}
	sources = append(sources, rules.Normalize(t.Sheet))
	parts := strings.Split(path, "/")
	sources = append(sources, rules.Normalize(parts[len(parts)-1]))
	for k, s := range sources {
		if d, err, found := textDate(s, year, k >= len(sources)-2); found {
			return d, err
		}
	}
	return time.Time{}, "找不到：请在表头上方写一行会议时间（如 “会议时间：2023年3月15日”），或把日期写进标题、工作表名（如 3.15主题党日）或文件名"
}

// textDate finds a date in a text: 2023年3月15日 上午9:00 (the time of day is dropped), 3月15日
// (the year given), and with dotOK 3.15 at its start (a sheet or file name). found is false
// when the text holds none; err says why a date found is not valid.
func textDate(s string, year int, dotOK bool) (date time.Time, err string, found bool) {
	y, m, d := 0, "", ""
	if mm := reFullDate.FindStringSubmatch(s); mm != nil {
		y, m, d = atoi(mm[1]), mm[2], mm[3]
	} else if mm := reMonthDay.FindStringSubmatch(s); mm != nil {
		m, d = mm[1], mm[2]
	} else if mm := reDotMD.FindStringSubmatch(s); mm != nil && dotOK {
		m, d = mm[1], mm[2] // 3.15 only where it begins a sheet or file name
	} else {
		return time.Time{}, "", false
	}
	if y == 0 {
		y = year
	}
	if y == 0 {
		return time.Time{}, fmt.Sprintf("“%s月%s日”没有年份：请在标题或会议时间中写明年份（如 会议时间：2023年%s月%s日），或把年份写进文件名或所在目录名（如 2023年签到表）",
			m, d, m, d), true
	}
	date, e := ymd(strconv.Itoa(y), m, d)
	if e == nil {
		e = checkDate(date, earliest)
	}
	if e != nil {
		return time.Time{}, fmt.Sprintf("“%s” %v", s, e), true
	}
	return date, "", true
}

// signInFooterWords begin the lines under a sign-in sheet that carry no member.
var signInFooterWords = []string{"应到", "实到", "记录人", "主持人", "参会人数", "出席人数", "缺席人数", "请假人数", "会议记录", "会议内容", "缺席人员", "请假人员"}

var reCount = regexp.MustCompile(`(应到|实到)(?:人数)?\s*[:：]?\s*(\d+)`)

// leaveWords in a 备注 mean the member was excused (with the 请假 synonyms of import.statuses).
var leaveWords = []string{"出差", "公出", "外出", "休假", "年假", "产假", "婚假", "丧假", "探亲", "住院", "培训", "借调", "因公"}

// stated is a count the footer states, at its cell.
type stated struct {
	n, row, col int
}

// parseSignIn reads a sign-in sheet: every group's member of every row is one attendance of the
// sheet's meeting; footer lines are skipped, their 应到/实到 checked against what was read.
func (p *parser) parseSignIn(t sheet.Table, l layout) {
	branch := l.values["branch"] // taken from a label (fields_from_labels)
	if branch == "" {
		branch = p.ctxBranch
	}
	date, _ := time.Parse("2006-01-02", l.values["date"])
	activity := l.values["activity"]
	if p.cur != nil {
		p.cur.Branch = branch
	}
	groups := append([]map[string]int{l.cols}, l.groups...)
	gls := make([]layout, len(groups))
	for k, g := range groups {
		gl := l
		gl.cols, gl.values = g, map[string]string{}
		if branch != "" {
			gl.values["branch"] = branch
		}
		gls[k] = gl
	}
	var expected, present *stated
	errs := len(p.errs) + p.more
	listed, attended := 0, 0
	seen := map[string]string{}
	for i := l.header + 1; i < len(t.Rows); i++ {
		cells := t.Rows[i]
		src := engine.Source{File: t.File, Sheet: t.Sheet, Row: i + 1}
		first := ""
		for _, c := range cells {
			if c = rules.Normalize(c); c != "" {
				first = c
				break
			}
		}
		if first == "" {
			continue
		}
		if p.cur != nil {
			p.cur.Rows++
		}
		r := &row{p: p, t: t, l: l, cells: cells, src: src}
		if c := r.oversized(); c >= 0 {
			r.failAt(c, "单元格有 %d 个字符，超过 Excel 的上限 %d：文件可能已损坏", len([]rune(cells[c])), maxCell)
			continue
		}
		if footer := signInFooter(first, cells, p.footer); footer {
			for c := range cells {
				for _, m := range signInCounts(cells, c) {
					s := &stated{m.n, i + 1, m.col}
					if m.what == "应到" && expected == nil {
						expected = s
					} else if m.what == "实到" && present == nil {
						present = s
					}
				}
			}
			p.skip(footerSkip)
			continue
		}
		named, failed := false, false
		for _, gl := range gls {
			r := &row{p: p, t: t, l: gl, cells: cells, src: src}
			a, ok := p.signInMember(r, seen)
			named = named || ok
			failed = failed || r.failed
			if ok {
				listed++
			}
			if !ok || r.failed {
				continue
			}
			a.Activity, a.Date = activity, date
			if a.Status != rules.StatusExcused && a.Status != rules.StatusAbsent {
				attended++
			}
			p.batch.Attendance = append(p.batch.Attendance, a)
		}
		if !named && !failed {
			p.skip("没有姓名的行（只有序号或说明）")
		}
	}
	if p.cur != nil {
		p.cur.Expected = listed
	}
	if listed == 0 {
		p.warn(engine.Source{File: t.File, Sheet: t.Sheet, Row: l.header + 1}, -1, "签到表只有表头，没有党员")
	}
	rowsFailed := len(p.errs)+p.more > errs // the counts would disagree with a sheet half read
	check := func(s *stated, what string, got int, how string) {
		if s == nil || s.n == got || rowsFailed {
			return
		}
		r := &row{p: p, t: t, l: l, src: engine.Source{File: t.File, Sheet: t.Sheet, Row: s.row}}
		r.failAt(s.col, "%s %d 人，但%s %d 人：请核对名单、签名和备注", what, s.n, how, got)
	}
	check(expected, "表尾写应到", listed, "表中列出的党员有")
	check(present, "表尾写实到", attended, "签了名的（含迟到、早退）有")
}

// signInMember reads one group of a row: named is false when its 姓名 is empty (a slot of the
// grid left blank). A member on the sheet twice is an error at the second.
func (p *parser) signInMember(r *row, seen map[string]string) (a engine.Attendance, named bool) {
	name, sig, note := r.get("name"), r.get("signature"), r.get("note")
	if name == "" {
		switch {
		case sig != "":
			r.fail("signature", "有签名 “%s”，但这一组的姓名是空的：请补上姓名", sig)
		case note != "":
			r.fail("note", "有备注 “%s”，但这一组的姓名是空的：请补上姓名", note)
		}
		return a, false
	}
	m := r.member()
	status := p.signInStatus(r, name, sig, note)
	if r.failed {
		return a, true
	}
	if prev, dup := seen[m.id()]; dup {
		r.fail("name", "%s 在这张签到表中出现了两次（另一处在 %s）", name, prev)
		return a, true
	}
	seen[m.id()] = engine.ColumnName(r.l.col("name")) + strconv.Itoa(r.src.Row)
	return engine.Attendance{MemberID: m.id(), Status: status, Note: note, Src: r.src}, true
}

// signInFooter: a row under the grid that carries no member: a line of counts (应到 12 人，实到
// 10 人) or signatures (记录人：…, 主持人签字：), or the lines footerWords name.
func signInFooter(first string, cells []string, config []string) bool {
	for _, words := range [][]string{signInFooterWords, footerWords, config} {
		for _, w := range words {
			if strings.HasPrefix(first, w) {
				return true
			}
		}
	}
	for c := range cells {
		if len(signInCounts(cells, c)) > 0 {
			return true
		}
	}
	return false
}

type count struct {
	what   string
	n, col int
}

// signInCounts finds the counts a footer cell states: "应到 12 人，实到 10 人" in one cell, or
// "应到人数：" with the number in the next cell.
func signInCounts(cells []string, c int) []count {
	s := rules.Normalize(cells[c])
	var out []count
	for _, m := range reCount.FindAllStringSubmatch(s, -1) {
		out = append(out, count{m[1], atoi(m[2]), c})
	}
	if len(out) == 0 {
		label := strings.TrimRight(s, ":：")
		if label == "应到" || label == "实到" || label == "应到人数" || label == "实到人数" {
			for k := c + 1; k < len(cells); k++ {
				if v := strings.TrimSuffix(rules.Normalize(cells[k]), "人"); v != "" {
					if n, err := strconv.Atoi(v); err == nil {
						out = append(out, count{label[:len("应到")], n, k})
					}
					break
				}
			}
		}
	}
	return out
}

// noteStatus reads what a 备注 says of attendance: 请假 (a leave or its reason), 缺席, 迟到, 早退,
// or "" for a note that says none of these (a remark). ok is false when it says two of them.
func (p *parser) noteStatus(note string) (string, bool) {
	if note == "" {
		return "", true
	}
	n := rules.Normalize(note)
	if st, ok := p.cfg.Vocab.Statuses.Lookup(n); ok && !checkMark(n) {
		return st, true
	}
	found := map[string]bool{}
	for _, st := range p.cfg.Vocab.Statuses.Terms() {
		for _, syn := range p.cfg.Import.Statuses[st] {
			if len([]rune(syn)) >= 2 && strings.Contains(n, rules.Normalize(syn)) {
				found[st] = true
			}
		}
	}
	for _, w := range leaveWords {
		if strings.Contains(n, w) {
			found[rules.StatusExcused] = true
		}
	}
	if found[rules.StatusAbsent] && found[rules.StatusExcused] && strings.Contains(n, "未请假") {
		delete(found, rules.StatusExcused) // 缺席（未请假）
	}
	delete(found, rules.StatusPresent) // 参加培训 is a reason, not a presence
	if len(found) > 1 {
		return "", false
	}
	for st := range found {
		return st, true
	}
	return "", true
}

// signInStatus is a member's status from the signature and the note; a contradiction is an
// error at the cell.
func (p *parser) signInStatus(r *row, name, sig, note string) string {
	signed, sigStatus := false, ""
	if sig != "" {
		s := rules.Normalize(sig)
		st, isStatus := p.cfg.Vocab.Statuses.Lookup(s)
		switch {
		case checkMark(s) || NormalizeName(sig) == NormalizeName(name):
			signed = true
		case isStatus:
			sigStatus = st
			signed = st == rules.StatusPresent || st == rules.StatusLate || st == rules.StatusLeftEarly
		case len(p.roster.byNameRefs(sig, "")) > 0:
			r.fail("signature", "签名 “%s” 是另一位党员的姓名，与本行姓名 “%s” 不符（代签？）：本人到会的，签名栏写本人姓名或 √；未到会的，签名栏留空，在备注中写明原因", sig, name)
			return ""
		default:
			r.fail("signature", "签名 “%s” 与本行姓名 “%s” 不符：签名栏应写本人姓名或 √，未到会的留空", sig, name)
			return ""
		}
	}
	noteSt, ok := p.noteStatus(note)
	if !ok {
		r.fail("note", "备注 “%s” 写了不止一种出勤情况：请只写一种（请假、缺席、迟到或早退）", note)
		return ""
	}
	switch {
	case signed && (noteSt == rules.StatusExcused || noteSt == rules.StatusAbsent):
		r.fail("note", "已签名（“%s”），备注却写 “%s”：请核对——到会的删去备注中的%s，未到会的清空签名", sig, note, noteSt)
		return ""
	case signed && noteSt != "":
		if sigStatus != "" && sigStatus != rules.StatusPresent && sigStatus != noteSt {
			r.fail("note", "签名栏写 “%s”，备注写 “%s”，两者不一致：请只保留一种", sig, note)
			return ""
		}
		return noteSt // 迟到, 早退
	case signed && sigStatus != "":
		return sigStatus
	case signed:
		return rules.StatusPresent
	case sigStatus != "" && noteSt != "" && sigStatus != noteSt:
		r.fail("note", "签名栏写 “%s”，备注写 “%s”，两者不一致：请只保留一种", sig, note)
		return ""
	case noteSt != "":
		return noteSt
	case sigStatus != "":
		return sigStatus
	case note != "":
		r.fail("note", "没有签名，备注 “%s” 看不出是请假还是缺席：请写明（如 请假（出差）、病假、事假、缺席）", note)
		return ""
	}
	return rules.StatusAbsent
}
