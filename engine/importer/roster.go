package importer

import (
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
	"github.com/jifen/jifen/rules"
)

// Roster is the set of known members that sign-ins, tests, pledges and ledger rows refer to. It
// keeps of each member only what matching a record needs: the 党员编号, name and branch, the
// 转出时间 and where the member was read. That is about 70 bytes a member, so that a sheet of a
// million rows is read against a roster of 200,000 members in some 15 MB (the members whole,
// with a map of their IDs, took 80 MB).
type Roster struct {
	// members are in the order they were added; a member replaced by a later one of the same
	// 党员编号 stays, unused (byID no longer finds it).
	members []member
	byID    idIndex
	// byCard finds members by their 身份证号 (those the roster gave one).
	byCard idIndex
	// byName finds the members of a name (normalized): a member's index, or -1-i for names
	// shared by several members, listed in shared[i] in the order they were added. It is made
	// when a name is first looked up (a sheet with 党员编号 never needs it) and dropped when
	// members are added.
	byName map[string]int32
	shared [][]int32
	// The branches, files and sheets repeat: each is kept once, and numbered (texts, outs and
	// srcs): a member refers to its branch, 转出时间 and source by number.
	texts  []string
	textNo map[string]int32
	outs   []time.Time
	outNo  map[time.Time]int32
	srcs   []source
	srcNo  map[source]int32
	// roles are the (党小组, 党内职务) pairs, each kept once: a register needs them to know who
	// is expected at a 党小组会 or a 支委会 (roll.go). outs also holds the first days on the roll.
	roles  []role
	roleNo map[role]int32
}

// member is a member of a roster, in the little a record's matching needs.
type member struct {
	idName string // 党员编号 followed by the name and the 身份证号 (if any)
	nameAt int32  // where the name begins in idName
	cardAt int32  // where the 身份证号 begins in idName
	idx    int32  // its index in the roster's members: a small number for signIns
	branch int32  // in the roster's texts
	out    int32  // 转出时间, in the roster's outs
	src    int32  // where it was read: the file and sheet in the roster's srcs, and its row
	row    int32
	in     int32 // the first day on the roll (the later of 入党时间 and 转入时间), in outs
	role   int32 // its 党小组 and 党内职务, in the roster's roles
}

func (m *member) id() string   { return m.idName[:m.nameAt] }
func (m *member) name() string { return m.idName[m.nameAt:m.cardAt] }
func (m *member) card() string { return m.idName[m.cardAt:] }

type source struct{ file, sheet string }

// noMember is what a row's member is when none is found (the row has failed).
var noMember = &member{idx: -1}

// NewRoster makes a roster of members; later members with the same ID replace earlier ones.
func NewRoster(members []engine.Member) *Roster {
	r := &Roster{}
	r.Add(members)
	return r
}

// Grow makes room for n more members.
func (r *Roster) Grow(n int) {
	if n > cap(r.members)-len(r.members) {
		grown := make([]member, len(r.members), len(r.members)+n)
		copy(grown, r.members)
		r.members = grown
	}
	r.byID.grow(r, r.byID.n+n, (*member).id)
}

// Add puts members into the roster, replacing any with the same ID.
func (r *Roster) Add(members []engine.Member) {
	r.Grow(len(members))
	from := len(r.members)
	for i := range members {
		r.push(&members[i])
	}
	r.index(from)
}

// AddMember puts one member into the roster, replacing any with the same ID (as Add).
func (r *Roster) AddMember(m *engine.Member) {
	from := len(r.members)
	r.push(m)
	r.index(from)
}

// push appends a member to members, not yet known by its ID (index makes it known).
func (r *Roster) push(m *engine.Member) {
	if r.textNo == nil {
		r.textNo = map[string]int32{}
		r.outs, r.outNo = []time.Time{{}}, map[time.Time]int32{{}: 0}
		r.srcNo = map[source]int32{}
	}
	s := source{r.texts[r.text(m.Src.File)], r.texts[r.text(m.Src.Sheet)]}
	src, ok := r.srcNo[s]
	if !ok {
		src = int32(len(r.srcs))
		r.srcs = append(r.srcs, s)
		r.srcNo[s] = src
	}
	i := int32(len(r.members))
	card := ""
	if privacy.IsID(m.IDCard) && !privacy.LostDigits(m.IDCard) {
		card = CardKey(m.IDCard)
	}
	r.members = append(r.members, member{idName: m.ID + m.Name + card, nameAt: int32(len(m.ID)), cardAt: int32(len(m.ID) + len(m.Name)),
		idx: i, branch: r.text(m.Branch), out: r.day(m.TransferOut), src: src, row: int32(m.Src.Row),
		in: r.day(onRollFrom(m)), role: r.roleOf(m)})
}

// day numbers a date in outs.
func (r *Roster) day(d time.Time) int32 { return number(&r.outs, r.outNo, d) }

// text numbers s in texts.
func (r *Roster) text(s string) int32 { return number(&r.texts, r.textNo, s) }

// index makes the members from index from on known by their ID, later ones replacing earlier
// ones.
func (r *Roster) index(from int) {
	r.byID.grow(r, r.byID.n+len(r.members)-from, (*member).id)
	for i := from; i < len(r.members); i++ {
		r.byID.put(r, int32(i), (*member).id)
	}
	// Their 身份证号 too (a member replaced may still hold a slot: byCardRef skips it).
	n := 0
	for i := from; i < len(r.members); i++ {
		if r.members[i].card() != "" {
			n++
		}
	}
	if n > 0 {
		r.byCard.grow(r, r.byCard.n+n, (*member).card)
		for i := from; i < len(r.members); i++ {
			if r.members[i].card() != "" {
				r.byCard.put(r, int32(i), (*member).card)
			}
		}
	}
	r.byName, r.shared = nil, nil
}

// truncate drops the members from index from on, whether index made them known or not: the
// roster is as it was before them.
func (r *Roster) truncate(from int, indexed bool) {
	clear(r.members[from:])
	r.members = r.members[:from]
	if indexed {
		r.byID, r.byCard = idIndex{}, idIndex{}
		r.index(0)
	}
}

// live reports whether members[i] is known by its ID (not replaced, and indexed).
func (r *Roster) live(i int) bool {
	j := r.byID.get(r, r.members[i].id(), (*member).id)
	return j == int32(i)
}

// idIndex finds members by their 党员编号: an open-addressing hash table of indices into the
// roster's members (plus 1; 0 is an empty slot), half empty at most, 4 bytes a slot (a Go map
// of the IDs took 45 bytes a member).
type idIndex struct {
	slots []int32
	n     int // members known
	seed  maphash.Seed
}

// slot is where the member of key id is (key giving a member's key), or the empty slot
// where it would go.
func (x *idIndex) slot(r *Roster, id string, key func(*member) string) int {
	mask := len(x.slots) - 1
	for s := int(maphash.String(x.seed, id)) & mask; ; s = (s + 1) & mask {
		j := x.slots[s]
		if j == 0 || key(&r.members[j-1]) == id {
			return s
		}
	}
}

// get is the member known by id, or -1.
func (x *idIndex) get(r *Roster, id string, key func(*member) string) int32 {
	if x.n == 0 {
		return -1
	}
	return x.slots[x.slot(r, id, key)] - 1
}

// put makes members[i] the member known by its ID.
func (x *idIndex) put(r *Roster, i int32, key func(*member) string) {
	s := x.slot(r, key(&r.members[i]), key)
	if x.slots[s] == 0 {
		x.n++
	}
	x.slots[s] = i + 1
}

// grow makes room for n members known.
func (x *idIndex) grow(r *Roster, n int, key func(*member) string) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if size <= len(x.slots) {
		return
	}
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	old := x.slots
	x.slots = make([]int32, size)
	for _, j := range old {
		if j != 0 {
			x.slots[x.slot(r, key(&r.members[j-1]), key)] = j
		}
	}
}

// names makes byName.
func (r *Roster) names() {
	if r.byName != nil {
		return
	}
	r.byName = make(map[string]int32, r.byID.n)
	for i := range r.members {
		if !r.live(i) {
			continue
		}
		k := NormalizeName(r.members[i].name())
		j, ok := r.byName[k]
		switch {
		case !ok:
			r.byName[k] = int32(i)
		case j >= 0:
			r.byName[k] = int32(-1 - len(r.shared))
			r.shared = append(r.shared, []int32{j, int32(i)})
		default:
			r.shared[-1-j] = append(r.shared[-1-j], int32(i))
		}
	}
}

// named lists the members of normalized name k, in the order they were added.
func (r *Roster) named(k string) []int32 {
	r.names()
	j, ok := r.byName[k]
	switch {
	case !ok:
		return nil
	case j >= 0:
		return []int32{j}
	}
	return r.shared[-1-j]
}

// full gives m as an engine.Member with what the roster keeps of it.
func (r *Roster) full(m *member) engine.Member {
	s := r.srcs[m.src]
	return engine.Member{ID: m.id(), Name: m.name(), Branch: r.texts[m.branch], TransferOut: r.outs[m.out],
		Src: engine.Source{File: s.file, Sheet: s.sheet, Row: int(m.row)}}
}

// whereIs says in which branches the members of one name are (by ByName, at least one): 名册中
// 张三 属于 “一支部”, or 名册中有 3 个 张三，属于 “一支部”、“二支部” (each branch once, the
// first 3 and 等 N 个支部).
func (r *Roster) whereIs(ms []*member) string {
	var branches []string
	seen := map[string]bool{}
	for _, m := range ms {
		if b := r.branchOf(m); !seen[b] {
			seen[b] = true
			branches = append(branches, "“"+b+"”")
		}
	}
	list := strings.Join(branches, "、")
	if len(branches) > 3 {
		list = strings.Join(branches[:3], "、") + fmt.Sprintf(" 等 %d 个支部", len(branches))
	}
	if len(ms) == 1 {
		return "名册中 " + ms[0].name() + " 属于 " + list
	}
	return fmt.Sprintf("名册中有 %d 个 %s，属于 %s", len(ms), ms[0].name(), list)
}

// branchOf is m's branch.
func (r *Roster) branchOf(m *member) string { return r.texts[m.branch] }

// transferOut is m's 转出时间 (zero when not given).
func (r *Roster) transferOut(m *member) time.Time { return r.outs[m.out] }

// srcFile is the file m was read from.
func (r *Roster) srcFile(m *member) string { return r.srcs[m.src].file }

// ByID finds a member by 党员编号: its ID, Name, Branch, TransferOut and Src (the roster keeps
// no more of it).
func (r *Roster) ByID(id string) (engine.Member, bool) {
	if m := r.byIDRef(id); m != nil {
		return r.full(m), true
	}
	return engine.Member{}, false
}

// byIDRef is ByID without copying the member (nil if unknown): a lookup per imported row.
func (r *Roster) byIDRef(id string) *member {
	if i := r.byID.get(r, id, (*member).id); i >= 0 {
		return &r.members[i]
	}
	if i := r.byID.get(r, strings.TrimSpace(id), (*member).id); i >= 0 {
		return &r.members[i]
	}
	return nil
}

// ByName lists the members with this name (spaces ignored), in branch if branch is not "", as
// ByID gives them, by ID.
func (r *Roster) ByName(name, branch string) []engine.Member {
	var out []engine.Member
	for _, m := range r.byNameRefs(name, branch) {
		out = append(out, r.full(m))
	}
	return out
}

// byNameRefs is ByName without copying the members.
func (r *Roster) byNameRefs(name, branch string) []*member {
	var out []*member
	nb := NormalizeName(branch)
	for _, i := range r.named(NormalizeName(name)) {
		m := &r.members[i]
		if branch == "" || NormalizeName(r.branchOf(m)) == nb {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id() < out[j].id() })
	return out
}

// Len is the number of members.
func (r *Roster) Len() int { return r.byID.n }

// Closest lists up to n roster names nearest to name (edit distance over characters, at most
// half the name's length), nearest first, those of branch first when branch is given: the hint
// for a name that is not in the roster.
func (r *Roster) Closest(name, branch string, n int) []string {
	target := []rune(NormalizeName(name))
	limit := len(target) / 2
	if limit < 1 {
		limit = 1
	}
	type cand struct {
		name     string
		dist     int
		inBranch bool
	}
	var cs []cand
	r.names()
	for k, j := range r.byName {
		d := engine.EditDistance(string(target), k)
		if d == 0 || d > limit {
			continue
		}
		if j < 0 {
			j = r.shared[-1-j][0]
		}
		m := &r.members[j]
		in := branch != "" && NormalizeName(r.branchOf(m)) == NormalizeName(branch)
		cs = append(cs, cand{m.name(), d, in})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].inBranch != cs[j].inBranch {
			return cs[i].inBranch
		}
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// branchNames lists the roster's branches (normalized), each once.
func (r *Roster) branchNames() []string {
	seen := map[int32]bool{}
	var out []string
	for i := range r.members {
		if b := r.members[i].branch; !seen[b] {
			seen[b] = true
			if n := NormalizeName(r.texts[b]); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// byCardRef finds a member by 身份证号 (nil if none has it).
func (r *Roster) byCardRef(card string) *member {
	if i := r.byCard.get(r, CardKey(card), (*member).card); i >= 0 && r.live(int(i)) {
		return &r.members[i]
	}
	return nil
}

// CardKey is a 身份证号 as the roster compares it: its digits in ASCII, a final x as X.
func CardKey(s string) string {
	return strings.ToUpper(rules.Normalize(s))
}
