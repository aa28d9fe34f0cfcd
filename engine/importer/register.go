package importer

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// A 三会一课 register (登记簿, 记录本) has one row per meeting: its date, type, topic, 应到 and
// 实到 人数, and who was absent and why ("李四（出差）、赵六（无故）"). It names no member who
// attended: every member expected at the meeting (the branch's members on the roll that day;
// for a 支委会 the committee; for a 党小组会 the group) who is not named attended.

func init() {
	register(family{kind: KindRegister, short: "登记簿", read: (*parser).parseRegister,
		fields: []string{"date", "activity", "topic", "host", "recorder", "expected", "attended", "absentees", "excused"}})
}

// The activities whose expected members are not the whole branch (the canonical terms of
// config.yaml's import.activities).
const (
	actCommittee = "支委会"
	actGroup     = "党小组会"
)

// registerLayout recognises a register at header row i (whose fields are cols, and which has
// no member column): a date column, a meeting type (a column, or the title's), and a column of
// absentees or the 应到 and 实到 columns.
func registerLayout(t sheet.Table, i int, cols map[string]int, path string, cfg *rules.Config) (layout, bool) {
	dateCol, ok := cols["date"]
	if !ok || !(hasAny(cols, []string{"absentees", "excused"}) || hasAll(cols, []string{"expected", "attended"})) {
		return layout{}, false
	}
	per := sheetPeriod(t, i, path, cfg.Vocab.Activities)
	if _, ok := cols["activity"]; !ok && per.Activity == "" {
		return layout{}, false
	}
	bottom := i
	for bottom-i < 3 && continues(t, bottom, dateCol, cfg) {
		bottom++
	}
	l := layout{kind: KindRegister, top: i, header: bottom, cols: fields(t, i, bottom, cfg),
		values: map[string]string{}, period: per}
	if !l.has("activity") {
		l.values["activity"] = per.Activity // 支委会会议记录: every row is a 支委会
	}
	return l, true
}

// registerReader reads the rows of one register.
type registerReader struct {
	p *parser
	t sheet.Table
	l layout
	// branch is the sheet's branch from its title, sheet name, file name or folders.
	branch   string
	members  map[string][]*member // branch → its members (on the roll or not)
	groups   map[string]string    // branch → the 党小组 the title names
	seen     map[string]int       // meeting → its row
	branches []string
	acts     []string
	expected int
}

// meeting is one row of a register: the meeting and who was expected at it.
type meeting struct {
	branch, group, activity string
	date                    time.Time
	exp                     []*member
	byName                  map[string][]*member // the expected members by normalized name
}

// mark is what a register says of one expected member.
type mark struct {
	status, note string
}

func (p *parser) parseRegister(t sheet.Table, l layout) {
	g := &registerReader{p: p, t: t, l: l, members: map[string][]*member{}, groups: map[string]string{}, seen: map[string]int{}}
	if !l.has("branch") {
		if g.branch = p.ctxBranch; g.branch == "" {
			p.errs = append(p.errs, &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet}, Msg: g.noBranch()})
			return
		}
	}
	p.rows(t, l, g.row)
	if rd := p.cur; rd != nil {
		rd.Branch = strings.Join(g.branches, "、")
		if len(g.acts) == 1 {
			rd.Activity = g.acts[0]
		} else {
			rd.Activity = strings.Join(g.acts, "、")
		}
		rd.Expected += g.expected
	}
}

// noBranch says where to write the branch of a register that names none.
func (g *registerReader) noBranch() string {
	names := g.p.branchNames()
	example := "第一党支部"
	if len(names) > 0 {
		example = names[0]
	}
	return fmt.Sprintf("看不出这本三会一课登记簿是哪个支部的：请在标题（如“%s三会一课登记簿”）、工作表名、文件名或所在文件夹名中写明支部，或加一列“所在支部”（名册中的支部：%s）",
		example, branchList(names))
}

// row reads one meeting.
func (g *registerReader) row(r *row) {
	p := g.p
	m := &meeting{}
	m.date = g.date(r)
	m.activity = g.activity(r)
	m.branch = g.rowBranch(r)
	if r.failed {
		return
	}
	if !g.expect(r, m) {
		return
	}
	key := m.branch + "|" + m.group + "|" + m.activity + "|" + m.date.Format("2006-01-02")
	if first, dup := g.seen[key]; dup {
		r.fail("date", "与第 %d 行是同一次会议（同一支部、同一会议类型、同一日期）", first)
		return
	}
	g.seen[key] = r.src.Row
	marks := map[*member]mark{}
	lists := false
	for _, f := range []struct{ field, status string }{{"absentees", rules.StatusAbsent}, {"excused", rules.StatusExcused}} {
		if r.l.has(f.field) {
			lists = true
			g.list(r, m, f.field, f.status, marks)
		}
	}
	g.note(r, m, marks)
	if !r.failed { // a name not read would make the counts disagree too
		g.counts(r, m, marks, lists)
	}
	if r.failed {
		return
	}
	present := "登记簿：实到人数等于应到人数"
	switch {
	case r.l.has("absentees"):
		present = "登记簿：未列入缺席人员"
	case r.l.has("excused"):
		present = "登记簿：未列入请假人员"
	}
	for _, x := range m.exp {
		a := engine.Attendance{MemberID: x.id(), Activity: m.activity, Date: m.date, Status: rules.StatusPresent, Note: present, Src: r.src}
		if k, ok := marks[x]; ok {
			a.Status, a.Note = k.status, k.note
		}
		p.batch.Attendance = append(p.batch.Attendance, a)
	}
	g.expected += len(m.exp)
	if p.cur != nil {
		p.cur.Meetings++
	}
	if !slices.Contains(g.branches, m.branch) {
		g.branches = append(g.branches, m.branch)
	}
	if !slices.Contains(g.acts, m.activity) {
		g.acts = append(g.acts, m.activity)
	}
}

// reDatePrefix is the date at the start of a cell that goes on with a time or a place:
// 2023年3月15日 上午9:00, 3月15日下午.
var reDatePrefix = regexp.MustCompile(`^(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?`)

// date reads the meeting's date, which may be followed by the time of day.
func (g *registerReader) date(r *row) time.Time {
	s := r.get("date")
	if s == "" {
		r.fail("date", "缺少%s", r.header("date"))
		return time.Time{}
	}
	d, err := g.p.parseDate(s, g.t.Date1904, g.l.period.Year)
	if err != nil {
		if pre := reDatePrefix.FindString(rules.Normalize(s)); pre != "" {
			if d2, err2 := g.p.parseDate(pre, g.t.Date1904, g.l.period.Year); err2 == nil {
				return d2
			}
		}
		r.fail("date", "%s “%s” %v", r.header("date"), s, err)
		return time.Time{}
	}
	if ambiguousDot(s) {
		g.p.warn(r.src, r.l.col("date"), ambiguousDotMsg(s))
	}
	return d
}

// activity reads the meeting type: a term of import.activities, or a name that holds one
// (第十次支委会).
func (g *registerReader) activity(r *row) string {
	v := g.p.cfg.Vocab.Activities
	s := r.get("activity")
	if s == "" {
		r.fail("activity", "缺少%s（可用：%s）", r.header("activity"), v.List())
		return ""
	}
	if t, ok := g.p.lookup(v, s); ok {
		return t
	}
	var found []string
	rest := rules.Normalize(s)
	for {
		t, after := findActivity(rest, v)
		if t == "" {
			break
		}
		if !slices.Contains(found, t) {
			found = append(found, t)
		}
		rest = after
	}
	switch len(found) {
	case 0:
		r.fail("activity", "%s “%s” 无法识别（可用：%s）", r.header("activity"), s, v.List())
		return ""
	case 1:
		return found[0]
	}
	r.fail("activity", "%s “%s” 同时是%s：每次会议请写一行", r.header("activity"), s, strings.Join(found, "和"))
	return ""
}

// rowBranch is the meeting's branch: its 所在支部 cell (a roster branch, or a longer name
// holding one: 中共××局机关第一党支部), else the sheet's.
func (g *registerReader) rowBranch(r *row) string {
	s := r.get("branch")
	if !r.l.has("branch") || s == "" {
		if g.branch = g.p.ctxBranch; g.branch == "" {
			r.fail("branch", "缺少%s，标题、工作表名、文件名和所在文件夹名中也没有名册中的支部", r.header("branch"))
		}
		return g.branch
	}
	if b := g.p.resolveBranch(s); slices.Contains(g.p.branchNames(), b) {
		return b
	}
	r.fail("branch", "%s “%s” 不在党员名册中（名册中的支部：%s）", r.header("branch"), s, branchList(g.p.branchNames()))
	return ""
}

// branchList lists the roster's branches for a message: the first five and how many more.
func branchList(names []string) string {
	if len(names) == 0 {
		return "名册中还没有支部"
	}
	if len(names) > 5 {
		return strings.Join(names[:5], "、") + fmt.Sprintf(" 等 %d 个", len(names))
	}
	return strings.Join(names, "、")
}

// expect finds the members expected at the meeting: the branch's members on the roll that
// day; for a 支委会 only the committee; for a 党小组会 (or a row naming a 党小组) the group's.
func (g *registerReader) expect(r *row, m *meeting) bool {
	ro := g.p.roster
	all, ok := g.members[m.branch]
	if !ok {
		all = ro.branchMembers(m.branch)
		g.members[m.branch] = all
	}
	var groups []string
	for _, x := range all {
		if gr := ro.groupOf(x); gr != "" && !slices.Contains(groups, gr) {
			groups = append(groups, gr)
		}
	}
	if s := NormalizeName(r.get("group")); s != "" && r.l.col("group") >= 0 {
		if !slices.Contains(groups, s) {
			r.fail("group", "%s “%s” 不在名册中 %s 的党小组里（有：%s）", r.header("group"), r.get("group"), m.branch, orNone(groups))
			return false
		}
		m.group = s
	} else if m.activity == actGroup {
		gr, ok := g.groups[m.branch]
		if !ok {
			gr = contextName(g.t, g.l.top, g.p.where, groups)
			g.groups[m.branch] = gr
		}
		if gr == "" && len(groups) > 1 {
			fix := "请加一列“党小组”或在标题中写明"
			if r.l.col("group") >= 0 {
				fix = "请在这一行的 " + r.header("group") + " 中写明"
			}
			r.fail("activity", "党小组会没有写明是哪个党小组：名册中 %s 有 %d 个党小组（%s），%s，才能知道谁应到",
				m.branch, len(groups), strings.Join(groups, "、"), fix)
			return false
		}
		m.group = gr
	}
	committee := g.p.cfg.CommitteePositions
	m.byName = map[string][]*member{}
	for _, x := range all {
		if !ro.onRoll(x, m.date) || (m.activity == actCommittee && !ro.committee(x, committee)) || (m.group != "" && ro.groupOf(x) != m.group) {
			continue
		}
		m.exp = append(m.exp, x)
		k := NormalizeName(x.name())
		m.byName[k] = append(m.byName[k], x)
	}
	if len(m.exp) > 0 {
		return true
	}
	day := m.date.Format("2006-01-02")
	switch {
	case m.activity == actCommittee:
		r.fail("activity", "名册中 %s 在 %s 没有支委（党内职务含 %s 的党员），无法知道支委会谁应到：请在名册中填写党内职务",
			m.branch, day, strings.Join(committee, "、"))
	case m.group != "":
		r.fail("date", "名册中 %s %s 在 %s 没有在册党员", m.branch, m.group, day)
	default:
		r.fail("date", "名册中 %s 在 %s 没有在册党员（请核对会议日期和名册的入党、转入、转出时间）", m.branch, day)
	}
	return false
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "名册没有填党小组"
	}
	return strings.Join(xs, "、")
}

// noAbsentees are the ways a register says nobody was absent.
var noAbsentees = []string{"无", "没有", "无缺席", "无请假", "无人缺席", "无人请假", "全到", "全员参加", "全员到会", "全部到会", "全部参加", "-", "--", "—", "——", "0", "0人", "无缺席人员"}

// reCountPrefix is a count before the names: 2人：李四、王五.
var reCountPrefix = regexp.MustCompile(`^\s*\d+\s*人\s*[:：]?`)

// list reads a cell listing who was absent (or on leave) and why: 李四（出差）、王五（病假）,
// 赵六(无故), 刘洋 事假, 李四出差. Each name must be a member expected at the meeting.
func (g *registerReader) list(r *row, m *meeting, field, def string, marks map[*member]mark) {
	raw := r.get(field)
	if raw == "" || slices.Contains(noAbsentees, rules.Normalize(raw)) {
		return
	}
	toks := splitList(reCountPrefix.ReplaceAllString(raw, ""))
	// 张　伟 padded with a full-width space splits in two: join the halves back.
	for i := 0; i+1 < len(toks); i++ {
		if n, _ := splitReason(toks[i]); m.byName[n] == nil {
			if n2, _ := splitReason(toks[i] + toks[i+1]); m.byName[n2] != nil {
				toks[i] += toks[i+1]
				toks = append(toks[:i+1], toks[i+2:]...)
			}
		}
	}
	type named struct {
		x            *member
		reason, text string
	}
	var got []named
	label := map[string]string{rules.StatusAbsent: "缺席人员", rules.StatusExcused: "请假人员"}[def]
	for _, tok := range toks {
		name, reason := splitReason(tok)
		cands := m.byName[name]
		if len(cands) == 0 && reason == "" {
			// 李四出差: the longest expected name the text begins with.
			best := ""
			for k := range m.byName {
				if len(k) > len(best) && len(k) < len(name) && strings.HasPrefix(name, k) {
					best = k
				}
			}
			if best != "" {
				if rest := name[len(best):]; g.p.roster.named(rest) != nil {
					r.fail(field, "%s “%s” 看不出是谁：多个姓名请用顿号（、）分开", r.header(field), tok)
					return
				}
				name, reason, cands = best, name[len(best):], m.byName[best]
			}
		}
		if len(cands) == 0 && reason == "" && len(got) > 0 && got[len(got)-1].reason == "" && isReason(name) && g.p.roster.named(name) == nil {
			last := &got[len(got)-1]
			last.reason, last.text = name, last.text+" "+tok // 刘洋 事假
			continue
		}
		switch {
		case len(cands) == 0:
			r.fail(field, "%s", g.notExpected(r, m, field, tok, name))
			continue
		case len(cands) > 1:
			ids := make([]string, len(cands))
			for i, c := range cands {
				ids[i] = c.id()
			}
			r.fail(field, "%s “%s”：应到人员中有 %d 个 %s（党员编号 %s），登记簿按姓名分不清是谁：请把这次会议记在签到表中（每人一行，写党员编号）",
				r.header(field), tok, len(cands), cands[0].name(), strings.Join(ids, "、"))
			continue
		}
		for _, n := range got {
			if n.x == cands[0] {
				r.fail(field, "%s 中 %s 写了两次", r.header(field), name)
			}
		}
		got = append(got, named{cands[0], reason, strings.TrimSpace(tok)})
	}
	for _, n := range got {
		st := reasonStatus(n.reason, def, g.p.cfg)
		if st == "" {
			r.fail(field, "%s 中 %s 写着 “%s”：列入%s的人不能是出席", r.header(field), n.x.name(), n.reason, label)
			continue
		}
		if old, ok := marks[n.x]; ok && old.status != st {
			r.fail(field, "%s 在%s中是%s，在%s中是%s：请只写一处", n.x.name(), strings.TrimPrefix(old.note, "登记簿："), old.status, label, st)
			continue
		}
		marks[n.x] = mark{st, "登记簿：" + label + " " + n.text}
	}
}

// splitList splits a list of names at 、，,;；/ and white space outside brackets.
func splitList(s string) []string {
	var out []string
	var b strings.Builder
	depth := 0
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			out = append(out, t)
		}
		b.Reset()
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("(（[【", c):
			depth++
		case strings.ContainsRune(")）]】", c) && depth > 0:
			depth--
		case depth == 0 && (strings.ContainsRune("、，,;；/", c) || unicode.IsSpace(c)):
			flush()
			continue
		}
		b.WriteRune(c)
	}
	flush()
	return out
}

// splitReason splits 李四（出差）, 李四:出差 into the name (normalized) and the reason.
func splitReason(tok string) (name, reason string) {
	n := rules.Normalize(tok)
	if i := strings.IndexAny(n, "(:["); i >= 0 {
		name, reason = n[:i], strings.Trim(n[i+1:], "()[]:")
	} else {
		name = n
	}
	return strings.TrimSuffix(name, "同志"), reason
}

// reasonWords make a word after a name its reason (刘洋 事假), not another name.
var reasonWords = []string{"假", "差", "病", "事", "公", "培训", "学习", "会", "外出", "无故", "旷", "缺", "休", "探亲", "值班", "出国", "住院", "因", "迟到", "早退", "借调", "外派", "挂职", "脱产"}

func isReason(s string) bool {
	for _, w := range reasonWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// reasonStatus is the status of a member a list names with this reason: none → the list's
// (缺席 for absentees, 请假 for a list of leave); 无故, 旷会 → 缺席; 迟到, 早退 → that; any other
// reason (出差, 病假, 培训) → 请假. "" for a reason that says the member attended.
func reasonStatus(reason, def string, cfg *rules.Config) string {
	switch {
	case reason == "":
		return def
	case containsAny(reason, "无故", "旷", "未请假", "未经请假", "擅自", "无理由"):
		return rules.StatusAbsent
	case strings.Contains(reason, "迟到"):
		return rules.StatusLate
	case strings.Contains(reason, "早退"):
		return rules.StatusLeftEarly
	}
	if st, ok := cfg.Vocab.Statuses.Lookup(reason); ok {
		if st == rules.StatusPresent {
			return ""
		}
		return st
	}
	return rules.StatusExcused
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// notExpected says why a name a register lists is not a member expected at the meeting, and
// who is.
func (g *registerReader) notExpected(r *row, m *meeting, field, tok, name string) string {
	ro := g.p.roster
	day := m.date.Format("2006-01-02")
	why := ""
	if in := ro.byNameRefs(name, m.branch); len(in) > 0 {
		x := in[0]
		switch {
		case !ro.onRoll(x, m.date) && ro.rollFrom(x).After(m.date):
			why = fmt.Sprintf("名册中 %s %s 起才在 %s", name, ro.rollFrom(x).Format("2006-01-02"), m.branch)
		case !ro.onRoll(x, m.date):
			why = fmt.Sprintf("名册中 %s 已于 %s 转出", name, ro.transferOut(x).Format("2006-01-02"))
		case m.activity == actCommittee:
			pos := ro.positionOf(x)
			if pos == "" {
				pos = "无"
			}
			why = fmt.Sprintf("支委会只计支委，名册中 %s 不是支委（党内职务：%s）", name, pos)
		case m.group != "":
			g := ro.groupOf(x)
			if g == "" {
				g = "（名册中没有填党小组）"
			}
			why = fmt.Sprintf("这是%s的党小组会，名册中 %s 属于 %s", m.group, name, g)
		}
	} else if others := ro.byNameRefs(name, ""); len(others) > 0 {
		why = ro.whereIs(others)
	} else {
		why = "不在党员名册中"
		if near := closestOf(name, m.byName); len(near) > 0 {
			why += "；相近的有：" + strings.Join(near, "、")
		}
	}
	return fmt.Sprintf("%s “%s” 不是这次会议（%s %s %s）的应到人员：%s；应到 %d 人：%s",
		r.header(field), tok, m.branch, m.activity, day, why, len(m.exp), namesOf(m.exp, 20))
}

// closestOf lists up to 3 of names nearest to name (edit distance at most half its length).
func closestOf(name string, names map[string][]*member) []string {
	limit := max(1, utf8.RuneCountInString(name)/2)
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for k := range names {
		if d := engine.EditDistance(name, k); d > 0 && d <= limit {
			cs = append(cs, cand{k, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// namesOf lists members' names, the first n and 等 N 人.
func namesOf(ms []*member, n int) string {
	var names []string
	for i, x := range ms {
		if i == n {
			return strings.Join(names, "、") + fmt.Sprintf(" 等 %d 人", len(ms))
		}
		names = append(names, x.name())
	}
	if len(names) == 0 {
		return "无"
	}
	return strings.Join(names, "、")
}

// note reads who came late or left early from the 备注: 刘洋迟到, 张伟、王芳早退, 迟到：刘洋.
// (会议推迟到下午 and 无迟到早退 name nobody.)
func (g *registerReader) note(r *row, m *meeting, marks map[*member]mark) {
	raw := r.get("note")
	if raw == "" {
		return
	}
	s := strings.NewReplacer("(", "", ")", "", "[", "", "]", "").Replace(rules.Normalize(raw))
	for _, st := range []string{rules.StatusLate, rules.StatusLeftEarly} {
		for off := 0; ; {
			i := strings.Index(s[off:], st)
			if i < 0 {
				break
			}
			i += off
			off = i + len(st)
			before := s[:i]
			if c, _ := utf8.DecodeLastRuneInString(before); strings.ContainsRune("推延无未没不", c) {
				continue
			}
			names := namesBefore(before, m.byName)
			if len(names) == 0 {
				names = namesAfter(strings.TrimLeft(s[off:], ":"), m.byName)
			}
			if len(names) == 0 {
				who := ""
				if k := g.rosterNameBefore(before); k != "" {
					who = "：" + g.notExpected(r, m, "note", k, k)
				} else {
					who = fmt.Sprintf("（应到 %d 人：%s）", len(m.exp), namesOf(m.exp, 20))
				}
				r.fail("note", "%s “%s” 写了%s，但看不出是应到人员中的谁%s", r.header("note"), raw, st, who)
				continue
			}
			for _, k := range names {
				cands := m.byName[k]
				if len(cands) > 1 {
					r.fail("note", "%s “%s”：应到人员中有 %d 个 %s，分不清是谁%s", r.header("note"), raw, len(cands), k, st)
					continue
				}
				x := cands[0]
				if old, ok := marks[x]; ok {
					r.fail("note", "%s 写 %s%s，但 %s 是%s（%s）：请核对", r.header("note"), x.name(), st, x.name(), old.status, strings.TrimPrefix(old.note, "登记簿："))
					continue
				}
				marks[x] = mark{st, "登记簿：" + r.header("note") + " " + raw}
			}
		}
	}
}

// namesBefore lists the expected names that end the text, separated by 、 和 及 (张伟、王芳).
func namesBefore(s string, names map[string][]*member) []string {
	var out []string
	for {
		best := ""
		for k := range names {
			if len(k) > len(best) && strings.HasSuffix(s, k) {
				best = k
			}
		}
		if best == "" {
			return out
		}
		out = append(out, best)
		s = s[:len(s)-len(best)]
		c, n := utf8.DecodeLastRuneInString(s)
		if n == 0 || !strings.ContainsRune("、,，和及与", c) {
			return out
		}
		s = s[:len(s)-n]
	}
}

// namesAfter lists the expected names that begin the text, separated by 、 和 及.
func namesAfter(s string, names map[string][]*member) []string {
	var out []string
	for {
		best := ""
		for k := range names {
			if len(k) > len(best) && strings.HasPrefix(s, k) {
				best = k
			}
		}
		if best == "" {
			return out
		}
		out = append(out, best)
		s = s[len(best):]
		c, n := utf8.DecodeRuneInString(s)
		if n == 0 || !strings.ContainsRune("、,，和及与", c) {
			return out
		}
		s = s[n:]
	}
}

// rosterNameBefore is the longest name of the roster that ends s, or "".
func (g *registerReader) rosterNameBefore(s string) string {
	g.p.roster.names()
	best := ""
	for k := range g.p.roster.byName {
		if len(k) > len(best) && strings.HasSuffix(s, k) {
			best = k
		}
	}
	return best
}

// counts checks the 应到 and 实到 人数 against the members expected and those the register
// names absent: a disagreement is an error at the cell, with both numbers and who differs.
func (g *registerReader) counts(r *row, m *meeting, marks map[*member]mark, lists bool) {
	ro := g.p.roster
	var excused, absent []*member
	for _, x := range m.exp {
		switch marks[x].status {
		case rules.StatusExcused:
			excused = append(excused, x)
		case rules.StatusAbsent:
			absent = append(absent, x)
		}
	}
	who := fmt.Sprintf("%s %s %s", m.branch, m.date.Format("2006-01-02"), m.activity)
	if s := r.get("expected"); s != "" && r.l.col("expected") >= 0 {
		v, ok := headcount(s)
		switch {
		case !ok:
			r.fail("expected", "%s “%s” 应为人数（如 12）", r.header("expected"), s)
		case !r.inRange("expected", s, float64(v)):
		case v != len(m.exp):
			msg := fmt.Sprintf("%s写 %d，按名册 %s 应到 %d 人：%s", r.header("expected"), v, who, len(m.exp), namesOf(m.exp, 30))
			if v > len(m.exp) {
				var off []string
				for _, x := range g.members[m.branch] {
					if ro.onRoll(x, m.date) || (m.activity == actCommittee && !ro.committee(x, g.p.cfg.CommitteePositions)) || (m.group != "" && ro.groupOf(x) != m.group) {
						continue
					}
					if from := ro.rollFrom(x); from.After(m.date) {
						off = append(off, fmt.Sprintf("%s（%s 起在册）", x.name(), from.Format("2006-01-02")))
					} else {
						off = append(off, fmt.Sprintf("%s（%s 转出）", x.name(), ro.transferOut(x).Format("2006-01-02")))
					}
				}
				if len(off) > 0 {
					msg += "；这天不在册的有：" + strings.Join(off, "、")
				}
			}
			r.fail("expected", "%s（请核对人数，或名册的入党、转入、转出时间和党内职务）", msg)
		}
	}
	if s := r.get("attended"); s != "" && r.l.col("attended") >= 0 {
		v, ok := headcount(s)
		want := len(m.exp) - len(excused) - len(absent)
		switch {
		case !ok:
			r.fail("attended", "%s “%s” 应为人数（如 10）", r.header("attended"), s)
		case !r.inRange("attended", s, float64(v)):
		case v == want:
		case !lists && v < want:
			r.fail("attended", "%s写 %d，少于按名册应到的 %d 人（%s），但登记簿没有缺席人员一栏，看不出谁没有到：请加一列“缺席人员及原因”（如 李四（出差）、赵六（无故））",
				r.header("attended"), v, len(m.exp), who)
		default:
			r.fail("attended", "%s写 %d，按名册应为 %d：%s 应到 %d 人，请假 %d 人（%s），缺席 %d 人（%s）",
				r.header("attended"), v, want, who, len(m.exp), len(excused), namesOf(excused, 30), len(absent), namesOf(absent, 30))
		}
	}
}

// headcount reads a number of people: 12, 12人.
func headcount(s string) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSuffix(rules.Normalize(s), "人"))
	if err != nil {
		f, ferr := parseNumber(s)
		if ferr != nil || f != float64(int(f)) {
			return 0, false
		}
		v = int(f)
	}
	return v, v >= 0
}
