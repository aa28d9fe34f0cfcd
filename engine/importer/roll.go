package importer

import (
	"strings"
	"time"

	"github.com/jifen/jifen/engine"
)

// role is a member's 党小组 and 党内职务, as the roster keeps them (once for all the members
// that share them).
type role struct{ group, position string }

// roleOf numbers m's 党小组 and 党内职务 in roles.
func (r *Roster) roleOf(m *engine.Member) int32 {
	if r.roleNo == nil {
		r.roleNo = map[role]int32{}
	}
	return number(&r.roles, r.roleNo, role{NormalizeName(m.Group), strings.TrimSpace(m.Position)})
}

// number numbers v in *list (each value once, in the order first seen), by index.
func number[V comparable](list *[]V, index map[V]int32, v V) int32 {
	i, ok := index[v]
	if !ok {
		i = int32(len(*list))
		*list = append(*list, v)
		index[v] = i
	}
	return i
}

// onRollFrom is the first day m is on the branch's roll: the later of 入党时间 and 转入时间
// (zero when neither is given: on the roll from always).
func onRollFrom(m *engine.Member) time.Time {
	if m.TransferIn.After(m.JoinDate) {
		return m.TransferIn
	}
	return m.JoinDate
}

// groupOf is m's 党小组 (normalized), positionOf its 党内职务.
func (r *Roster) groupOf(m *member) string    { return r.roles[m.role].group }
func (r *Roster) positionOf(m *member) string { return r.roles[m.role].position }

// rollFrom is m's first day on the roll (zero: always), see onRollFrom.
func (r *Roster) rollFrom(m *member) time.Time { return r.outs[m.in] }

// onRoll reports whether m is on its branch's roll on day d: on the roll from its 入党时间 or
// 转入时间 (the later) on, up to its 转出时间 included.
func (r *Roster) onRoll(m *member, d time.Time) bool {
	from, out := r.outs[m.in], r.outs[m.out]
	return !from.After(d) && (out.IsZero() || !out.Before(d))
}

// committee reports whether m is on the branch committee: its 党内职务 contains one of words
// (config committee_positions: 书记, 委员), as scoring decides it.
func (r *Roster) committee(m *member, words []string) bool {
	pos := r.positionOf(m)
	for _, w := range words {
		if w != "" && strings.Contains(pos, w) {
			return true
		}
	}
	return false
}

// branchMembers lists the members of a branch (by its normalized name) known by their ID, in
// the order they were added, whether on the roll or not.
func (r *Roster) branchMembers(branch string) []*member {
	var out []*member
	b := NormalizeName(branch)
	for i := range r.members {
		m := &r.members[i]
		if NormalizeName(r.texts[m.branch]) == b && r.live(i) {
			out = append(out, m)
		}
	}
	return out
}

// OnRoll lists the members of branch on its roll on day d (see onRoll), in the order they
// were added, as ByID gives them.
func (r *Roster) OnRoll(branch string, d time.Time) []engine.Member {
	var out []engine.Member
	for _, m := range r.branchMembers(branch) {
		if r.onRoll(m, d) {
			out = append(out, r.full(m))
		}
	}
	return out
}
