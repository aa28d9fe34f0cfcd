package importer

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
)

// rosterMember is the i-th member of a generated roster: 1,000 names shared by several members
// each, 7 branches, a 转出时间 for every 10th.
func rosterMember(i int, file string) engine.Member {
	m := engine.Member{ID: fmt.Sprintf("M%07d", i), Name: fmt.Sprintf("张%d", i%1000), Branch: fmt.Sprintf("第%d党支部", i%7),
		Src: engine.Source{File: file, Sheet: "名册", Row: i + 2}}
	if i%10 == 0 {
		m.TransferOut = time.Date(2022, time.Month(1+i%12), 28, 0, 0, 0, 0, time.UTC)
	}
	return m
}

// The roster finds members as a map of whole members would: by ID (later members replacing
// earlier ones), by name in the order they were added, sorted by ID; and a file's members
// dropped again leave it as it was.
func TestRosterAsMap(t *testing.T) {
	var all []engine.Member
	for i := 0; i < 5000; i++ {
		all = append(all, rosterMember(i, "名册.xlsx"))
	}
	// A corrected roster replaces every 3rd member, with another name and branch.
	for i := 0; i < 5000; i += 3 {
		m := rosterMember(i, "名册2.xlsx")
		m.Name, m.Branch = fmt.Sprintf("李%d", i%500), "第九党支部"
		all = append(all, m)
	}
	r := NewRoster(nil)
	for i := range all[:5000] {
		r.AddMember(&all[i])
	}
	r.Add(all[5000:])
	want := map[string]engine.Member{}
	var order []string
	for _, m := range all {
		if _, ok := want[m.ID]; ok {
			for i, id := range order {
				if id == m.ID {
					order = append(order[:i], order[i+1:]...)
					break
				}
			}
		}
		want[m.ID] = m
		order = append(order, m.ID)
	}
	check := func(stage string) {
		t.Helper()
		if r.Len() != len(want) {
			t.Fatalf("%s: Len %d, want %d", stage, r.Len(), len(want))
		}
		for id, m := range want {
			got, ok := r.ByID(id)
			if !ok || !reflect.DeepEqual(got, m) {
				t.Fatalf("%s: ByID(%s) = %+v, %v; want %+v", stage, id, got, ok, m)
			}
		}
		if _, ok := r.ByID("M9999999"); ok {
			t.Fatalf("%s: ByID of an unknown ID found a member", stage)
		}
		for _, name := range []string{"张3", "李3", "张999"} {
			var ids []string
			for _, id := range order {
				if want[id].Name == name {
					ids = append(ids, id)
				}
			}
			var got []string
			for _, m := range r.ByName(name, "") {
				got = append(got, m.ID)
			}
			if !reflect.DeepEqual(got, ids) { // the IDs sort as they were added
				t.Fatalf("%s: ByName(%s) = %v, want %v", stage, name, got, ids)
			}
		}
		var ids, got []string
		for _, id := range order {
			if want[id].Name == "张4" && want[id].Branch == "第3党支部" {
				ids = append(ids, id)
			}
		}
		for _, m := range r.ByName("张 4", "第3党支部") {
			got = append(got, m.ID)
		}
		if len(ids) == 0 || !reflect.DeepEqual(got, ids) {
			t.Fatalf("%s: ByName(张 4, 第3党支部) = %v, want %v", stage, got, ids)
		}
	}
	check("added")

	// A file's roster is added, then dropped (the file had a problem): the roster is as before.
	from := len(r.members)
	for i := 0; i < 5000; i += 2 {
		m := rosterMember(i, "坏名册.xlsx")
		m.Name = "王五"
		r.push(&m)
	}
	for i := 7000; i < 9000; i++ {
		m := rosterMember(i, "坏名册.xlsx")
		r.push(&m)
	}
	r.index(from)
	if m, _ := r.ByID("M0000002"); m.Name != "王五" || r.Len() != len(want)+2000 {
		t.Fatalf("indexed: M0000002 is %+v, Len %d", m, r.Len())
	}
	r.truncate(from, true)
	check("dropped after index")
	for i := 0; i < 100; i++ {
		m := rosterMember(i, "坏名册.xlsx")
		r.push(&m)
	}
	r.truncate(from, false)
	check("dropped before index")
}

// A roster of 200,000 members takes less than 100 bytes a member (their IDs and names
// included): 13 MB, where whole members with a map of IDs and one of names took 80 MB.
func TestRosterMemory(t *testing.T) {
	const n = 200000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := NewRoster(nil)
	r.Grow(n)
	for i := 0; i < n; i++ {
		m := rosterMember(i, "名册.xlsx")
		r.AddMember(&m)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perMember := float64(after.HeapAlloc-before.HeapAlloc) / n
	if r.Len() != n {
		t.Fatalf("Len %d, want %d", r.Len(), n)
	}
	runtime.KeepAlive(r)
	t.Logf("%.1f bytes a member", perMember)
	if perMember > 100 {
		t.Errorf("the roster takes %.1f bytes a member, want at most 100", perMember)
	}
}
