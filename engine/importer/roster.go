package importer

import (
	"sort"
	"strings"

	"github.com/jifen/jifen/engine"
)

// Roster is the set of known members that sign-ins, tests, pledges and ledger rows refer to.
type Roster struct {
	byID   map[string]*engine.Member
	byName map[string][]string // normalized name → member IDs, in insertion order
}

// NewRoster makes a roster of members; later members with the same ID replace earlier ones.
// The roster keeps members (it points into the slice rather than copying each member: a roster
// of 200,000 members is 60 MB): the caller must not change them afterwards.
func NewRoster(members []engine.Member) *Roster {
	r := &Roster{byID: map[string]*engine.Member{}, byName: map[string][]string{}}
	r.Add(members)
	return r
}

// Add puts members into the roster, replacing any with the same ID. The roster keeps members,
// as NewRoster.
func (r *Roster) Add(members []engine.Member) {
	for i := range members {
		m := &members[i]
		if old, ok := r.byID[m.ID]; ok {
			k := NormalizeName(old.Name)
			ids := r.byName[k][:0:0]
			for _, id := range r.byName[k] {
				if id != m.ID {
					ids = append(ids, id)
				}
			}
			r.byName[k] = ids
		}
		r.byID[m.ID] = m
		k := NormalizeName(m.Name)
		r.byName[k] = append(r.byName[k], m.ID)
	}
}

// ByID finds a member by 党员编号.
func (r *Roster) ByID(id string) (engine.Member, bool) {
	if m := r.byIDRef(id); m != nil {
		return *m, true
	}
	return engine.Member{}, false
}

// byIDRef is ByID without copying the member (nil if unknown): a lookup per imported row.
func (r *Roster) byIDRef(id string) *engine.Member {
	if m, ok := r.byID[id]; ok {
		return m
	}
	return r.byID[strings.TrimSpace(id)]
}

// ByName lists the members with this name (spaces ignored), in branch if branch is not "".
func (r *Roster) ByName(name, branch string) []engine.Member {
	var out []engine.Member
	nb := NormalizeName(branch)
	for _, id := range r.byName[NormalizeName(name)] {
		m := r.byID[id]
		if branch == "" || NormalizeName(m.Branch) == nb {
			out = append(out, *m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len is the number of members.
func (r *Roster) Len() int { return len(r.byID) }

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
	for k, ids := range r.byName {
		if len(ids) == 0 {
			continue
		}
		d := engine.EditDistance(string(target), k)
		if d == 0 || d > limit {
			continue
		}
		m := r.byID[ids[0]]
		in := branch != "" && NormalizeName(m.Branch) == NormalizeName(branch)
		cs = append(cs, cand{m.Name, d, in})
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
