package importer

import (
	"fmt"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Who a row is. Real 花名册 seldom have a 党员编号: a member is known by 身份证号, or by name
// within a branch. A roster row without 党员编号 gets a key made from what it has, stable from
// one import to the next and never showing a 身份证号 whole (members.csv and 附件1 print it):
//
//	身份证号 110101199003071233, 张伟        → 身份证:110101********1233/张伟
//	no 身份证号, 第一党支部, 张伟             → 第一党支部/张伟
//
// The masked 身份证号 alone would not do: it hides the 8 digits of the birth date, so members of
// one county share its first 6 digits and two in a hundred share the last 4; with the name two
// members collide only when region, last 4 digits and name all agree, and then the roster says
// so at the cell (add a 党员编号 column), as it does for two 张伟 of one branch without 身份证号.

// cardKeyPrefix begins the key of a member known by 身份证号 (engine.CardKeyPrefix).
const cardKeyPrefix = engine.CardKeyPrefix

// notMembers are 政治面貌 that are not the Party's (GB/T 4762): a roster of all staff lists them;
// their rows are skipped with a note, never read as members.
var notMembers = []string{"群众", "团员", "共青团", "无党派", "民主党派", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"}

// notMember reports whether the row's 党员类别 (政治面貌) cell names someone who is not a Party
// member, and skips the row with its reason if so.
func (r *row) notMember() bool {
	v := r.get("category")
	if v == "" {
		return false
	}
	if _, ok := r.p.lookup(r.p.cfg.Vocab.MemberCategories, v); ok {
		return false
	}
	n := rules.Normalize(v)
	for _, w := range notMembers {
		if strings.Contains(n, w) {
			r.p.skip(fmt.Sprintf("不是党员（%s：%s）", r.header("category"), n))
			return true
		}
	}
	return false
}

// who is what the parser knows of branches while reading a file.
type who struct {
	// rosterLong maps the long organisation names of the roster's 所在支部 column to the roster's
	// branch they hold; saidLong are those already said.
	rosterLong map[string]string
	saidLong   map[string]bool
	// branches are the roster's branches (normalized), branchMemo the 所在支部 cells read.
	branches   []string
	branchMemo map[string]string
	// ctxBranch is the branch the current sheet's title, sheet name, file name or folders name;
	// ctxKey is it as byName's key of a name found without a 所在支部 cell.
	ctxBranch, ctxKey string
	// where is the current file's name with its folders (contextPath): what a sheet's context
	// (its branch, a register's 党小组) is read from after its title, sheet name and file name.
	where string
	// footer are the config layouts' footer words for the current sheet (import.layouts footer):
	// lines beginning so are no records on any sheet.
	footer []string
}

// keysSeen are the keys and 身份证号 of a roster sheet's rows, with their rows.
type keysSeen struct {
	keys, cards map[string]int
}

// memberKey gives a roster row's member its key (m.ID): its 党员编号, else one made from its
// 身份证号 and name, else from its branch and name. Two rows of one key are an error at the
// cell, saying what would tell them apart.
func (r *row) memberKey(m *engine.Member, seen *keysSeen) {
	card := r.cardOf(m.IDCard, m.ID == "")
	if card != "" {
		k := CardKey(card)
		if prev, ok := seen.cards[k]; ok {
			r.fail("id_card", "身份证号与第 %d 行重复（同一个人在名册中出现两次？）", prev)
			return
		}
		seen.cards[k] = r.src.Row
	}
	kind := "id"
	switch {
	case m.ID != "":
	case card != "":
		m.ID, kind = cardKeyPrefix+privacy.MaskID(card)+"/"+m.Name, "card"
	case m.Name != "" && m.Branch != "":
		m.ID, kind = rules.Normalize(m.Branch)+"/"+m.Name, "name"
	default:
		return // 缺少姓名 or 缺少所在支部: said by parseRoster
	}
	if prev, ok := seen.keys[m.ID]; ok {
		switch kind {
		case "name":
			r.fail("name", "所在支部 “%s” 中有两个 %s（第 %d 行和这一行），又没有身份证号，无法区分两人：请增加 身份证号 或 党员编号 列", m.Branch, m.Name, prev)
		case "card":
			r.fail("id_card", "身份证号与第 %d 行的 %s 只有中间 8 位不同，按身份证号无法区分两人：请增加 党员编号 列", prev, m.Name)
		default:
			r.fail("member_id", "党员编号 “%s” 与第 %d 行重复", m.ID, prev)
		}
		return
	}
	if old := r.p.roster.byIDRef(m.ID); old != nil && r.p.roster.srcFile(old) != r.t.File {
		what := "党员编号 “" + m.ID + "”"
		if r.get("member_id") == "" {
			what = "同一党员 " + m.ID
		}
		r.fail("member_id", "%s 已在 %s 出现（%s）", what, r.p.roster.full(old).Src, old.name())
	}
	seen.keys[m.ID] = r.src.Row
}

// cardOf is a 身份证号 cell's value when it can tell a member: 18 (or 15) characters whose
// digits are all there. A 身份证号 from a number cell (1.1010119850313723E+17) has lost its
// last digits: a warning at the cell, and "" (the member is known otherwise). forKey says the
// row has no 党员编号, so the warning says how the member is known instead.
func (r *row) cardOf(v string, forKey bool) string {
	if v == "" {
		return ""
	}
	col := r.l.col("id_card")
	instead := ""
	if forKey {
		instead = "；这一行暂按 所在支部+姓名 识别党员"
	}
	switch {
	case privacy.LostDigits(v) && !strings.ContainsAny(v, "eE") && !strings.HasSuffix(v, "000"):
		// 18 digits a number could have left (a float's shortest decimal) with a wrong check
		// digit, but not Excel's 15 digits and 000: mistyped, or lost — say both.
		r.p.warn(r.src, col, fmt.Sprintf("身份证号 “%s” 的校验位（最后一位）不对：可能输错了，也可能这一列曾设为数字格式、末几位已经丢失，不能用来识别党员：请对照证件核对%s", privacy.Mask(v), instead))
		return ""
	case privacy.LostDigits(v):
		r.p.warn(r.src, col, fmt.Sprintf("身份证号 “%s” 存成了数字，第 15 位以后的数字已经丢失（表格软件的数字只保留 15 位有效数字），不能用来识别党员：请把这一列设为 文本 格式，再重新输入完整的身份证号%s", privacy.Mask(v), instead))
		return ""
	case !privacy.IsID(v):
		r.p.warn(r.src, col, fmt.Sprintf("身份证号 “%s” 不是 18 位（或 15 位）身份证号，不能用来识别党员：请核对%s", privacy.MaskText(v), instead))
		return ""
	}
	return v
}

// branchOfRoster reads a roster row's branch: a long organisation name that holds a branch of
// the roster ("中共××局机关第一党支部" holding "机关第一党支部") is that branch, said once a name.
func (r *row) branchOfRoster(b string) string {
	if b == "" {
		return ""
	}
	short, ok := r.p.rosterLong[rules.Normalize(b)]
	if !ok {
		return b
	}
	if !r.p.saidLong[b] {
		if r.p.saidLong == nil {
			r.p.saidLong = map[string]bool{}
		}
		r.p.saidLong[b] = true
		r.p.warn(r.src, r.l.col("branch"), fmt.Sprintf("所在支部 “%s” 按名册中的 “%s” 读取", b, short))
	}
	return short
}

// longBranches finds, before a roster sheet's rows are read, the branch names of its 所在支部
// column (and the roster's) that are a longer organisation name of another: "中共××局机关第一党支部"
// → "机关第一党支部" (the longest contained). Only names beginning 中共 are taken for long forms,
// of branches not beginning 中共, so that 机关第一党支部 and 第一党支部 stay two branches.
func (p *parser) longBranches(t sheet.Table, l layout) {
	c := l.col("branch")
	if c < 0 {
		return
	}
	names := map[string]bool{}
	for _, b := range p.roster.branchNames() {
		names[b] = true
	}
	_ = t.Each(l.header+1, func(_ int, cells []string) error { // a damaged sheet: said when its rows are read
		if c < len(cells) {
			if b := rules.Normalize(cells[c]); b != "" {
				names[b] = true
			}
		}
		return nil
	})
	for long := range names {
		if !strings.HasPrefix(long, "中共") {
			continue
		}
		best := ""
		for b := range names {
			if b != long && !strings.HasPrefix(b, "中共") && len(b) > len(best) && strings.Contains(long, b) {
				best = b
			}
		}
		if best != "" {
			if p.rosterLong == nil {
				p.rosterLong = map[string]string{}
			}
			p.rosterLong[long] = best
		}
	}
}

// resolveBranch reads a record sheet's 所在支部 cell against the roster: a branch of the roster
// as written, or the longest branch of the roster the cell holds ("中共××局机关第一党支部" →
// "机关第一党支部"), or the one branch of the roster that ends in the cell (a short form:
// "第一党支部" → "机关第一党支部", see shortFor); else the cell as written (then no member is found in it, and the row says so).
func (p *parser) resolveBranch(b string) string {
	if b == "" {
		return ""
	}
	if v, ok := p.branchMemo[b]; ok {
		return v
	}
	best := firstName([]string{rules.Normalize(b)}, p.branchNames())
	if best == "" {
		best = b
	}
	if p.branchMemo == nil {
		p.branchMemo = map[string]string{}
	}
	p.branchMemo[b] = best
	return best
}

// branchNames are the roster's branches (normalized), listed once a file: its roster sheets are
// read before its record sheets.
func (p *parser) branchNames() []string {
	if p.branches == nil {
		p.branches = p.roster.branchNames()
	}
	return p.branches
}

// sheetContext starts a record sheet: the branch its title, sheet name, file name or folders
// name (contextBranch), used when it has no 所在支部 column (or the cell is blank) to tell
// namesakes apart, and shown in its reading.
func (p *parser) sheetContext(t sheet.Table, l layout, where string) {
	p.ctxBranch, p.ctxKey, p.where = "", "\x00", where
	p.footer = p.footer[:0]
	for _, w := range configFooter(t, p.cfg) {
		p.footer = append(p.footer, rules.Normalize(w))
	}
	if l.values["branch"] == "" { // fixed by config: every row has it
		var conflict string
		p.ctxBranch, conflict = contextBranch(t, l.top, where, p.branchNames())
		p.ctxKey = "\x00" + p.ctxBranch // byName's key of a name found without a 所在支部 cell
		if conflict != "" && l.col("branch") < 0 {
			p.errs = append(p.errs, &engine.CellError{Src: engine.Source{File: t.File, Sheet: t.Sheet}, Msg: conflict})
		}
	}
	if p.cur != nil && p.cur.Branch == "" && l.col("branch") < 0 {
		p.cur.Branch = p.ctxBranch
	}
}

// byContext narrows namesakes found without a branch to the sheet's context branch: the one
// member there, or nil.
func (p *parser) byContext(cands []*member) []*member {
	if p.ctxBranch == "" {
		return cands
	}
	var out []*member
	for _, m := range cands {
		if rules.Normalize(p.roster.branchOf(m)) == p.ctxBranch {
			out = append(out, m)
		}
	}
	return out
}

// memberByCard finds a record row's member by its 身份证号, when the sheet has that column and
// the cell holds a whole one: ok is false when the row is to be matched otherwise (no card, a
// card with lost digits, or one the roster does not hold).
func (r *row) memberByCard(name, branch string) (*member, bool) {
	v := r.get("id_card")
	if v == "" {
		return nil, false
	}
	card := r.cardOf(v, false)
	if card == "" {
		return nil, false
	}
	m := r.p.roster.byCardRef(card)
	if m == nil {
		return nil, false
	}
	if mn := m.name(); name != "" && NormalizeName(name) != NormalizeName(mn) {
		r.fail("name", "姓名 “%s” 与名册中这个身份证号的姓名 “%s” 不一致", name, mn)
		return m, true
	}
	if mb := r.p.roster.branchOf(m); branch != "" && NormalizeName(r.p.resolveBranch(branch)) != NormalizeName(mb) {
		r.fail("branch", "所在支部 “%s” 与名册不一致（%s 在名册中属于 “%s”）", branch, m.name(), mb)
	}
	return m, true
}

// checkCard says when a row found by name has a 身份证号 other than the roster's for it.
func (r *row) checkCard(m *member) {
	v := r.get("id_card")
	if v == "" || m == nil || m == noMember || m.card() == "" || privacy.LostDigits(v) || !privacy.IsID(v) {
		return
	}
	if CardKey(v) != m.card() {
		r.fail("id_card", "身份证号与名册中 %s（%s）的身份证号不一致", m.name(), m.id())
	}
}
