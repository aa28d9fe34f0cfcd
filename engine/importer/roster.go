package importer

import (
	"sort"
	"strings"

	"github.com/jifen/jifen/engine"
)

// Roster is the set of known members that sign-ins, tests, pledges and ledger rows refer to.
type Roster struct {
	byID   map[string]engine.Member
	byName map[string][]string // normalized name → member IDs, in insertion order
}

// NewRoster makes a roster of members; later members with the same ID replace earlier ones.
func NewRoster(members []engine.Member) *Roster {
	r := &Roster{byID: map[string]engine.Member{}, byName: map[string][]string{}}
	r.Add(members)
	return r
}

// Add puts members into the roster, replacing any with the same ID.
func (r *Roster) Add(members []engine.Member) {
	for _, m := range members {
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
	m, ok := r.byID[strings.TrimSpace(id)]
	return m, ok
}

// ByName lists the members with this name (spaces ignored), in branch if branch is not "".
func (r *Roster) ByName(name, branch string) []engine.Member {
	var out []engine.Member
	nb := NormalizeName(branch)
	for _, id := range r.byName[NormalizeName(name)] {
		m := r.byID[id]
		if branch == "" || NormalizeName(m.Branch) == nb {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len is the number of members.
func (r *Roster) Len() int { return len(r.byID) }
