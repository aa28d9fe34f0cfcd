package bigdb_test

import (
	"context"
	"testing"

	"github.com/jifen/jifen/datasets/big/bigdb"
	"github.com/jifen/jifen/engine/store"
)

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Fill writes exactly the rows it says: the members in their branches, the sign-ins asked
// for, four tests, a pledge and three ledger rows a member, all of the year, every record
// naming an existing file and member; and every value of the reference vocabulary occurs.
func TestFill(t *testing.T) {
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	o, err := bigdb.Fill(ctx, st.DB, bigdb.Options{Members: 100, Records: 1000, Branches: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if o.Year != 2022 {
		t.Errorf("year %d, want the default 2022", o.Year)
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM members":                                       100,
		"SELECT count(DISTINCT member_id) FROM members":                      100,
		"SELECT count(*) FROM attendance":                                    1000,
		"SELECT count(*) FROM tests":                                         100 * bigdb.TestsPerMember,
		"SELECT count(*) FROM pledges":                                       100,
		"SELECT count(*) FROM entries":                                       100 * bigdb.LedgerPerMember,
		"SELECT count(*) FROM files":                                         5,
		"SELECT count(DISTINCT branch) FROM members":                         3,
		"SELECT count(*) FROM members WHERE branch LIKE '第_党支部'":             100,
		"SELECT count(DISTINCT (branch, grp)) FROM members":                  9,
		"SELECT count(*) FROM members WHERE position = '支部书记'":               3,
		"SELECT count(DISTINCT member_id) FROM attendance":                   100,
		"SELECT count(DISTINCT (member_id, activity, date)) FROM attendance": 1000,
		"SELECT count(*) FROM attendance WHERE year(date) <> 2022":           0,
		"SELECT count(*) FROM entries WHERE year(date) <> 2022":              0,
		"SELECT count(DISTINCT activity) FROM attendance":                    8,
		"SELECT count(DISTINCT status) FROM attendance":                      5,
		"SELECT count(DISTINCT test) FROM tests":                             4,
		"SELECT count(*) FROM (SELECT member_id FROM attendance UNION ALL SELECT member_id FROM tests UNION ALL SELECT member_id FROM pledges UNION ALL SELECT member_id FROM entries) WHERE member_id NOT IN (SELECT member_id FROM members)":                         0,
		"SELECT count(*) FROM (SELECT file_id FROM members UNION ALL SELECT file_id FROM attendance UNION ALL SELECT file_id FROM tests UNION ALL SELECT file_id FROM pledges UNION ALL SELECT file_id FROM entries) WHERE file_id NOT IN (SELECT file_id FROM files)": 0,
		"SELECT sum(rows) FROM files": 100 + 1000 + 100*bigdb.TestsPerMember + 100 + 100*bigdb.LedgerPerMember,
	} {
		if got := count(t, st, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	for _, q := range []string{
		"SELECT count(*) FROM members WHERE category = '预备党员'",
		"SELECT count(*) FROM tests WHERE status = '缺考'",
		"SELECT count(*) FROM tests WHERE status = ''",
		"SELECT count(*) FROM pledges WHERE signed",
		"SELECT count(DISTINCT category) FROM entries WHERE category IN ('表彰', '志愿服务', '心得体会', '党费未按时缴纳')",
	} {
		if count(t, st, q) == 0 {
			t.Errorf("%s = 0", q)
		}
	}
	// Deterministic: the same options give the same rows; a filled store is refused.
	st2, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if _, err := bigdb.Fill(ctx, st2.DB, bigdb.Options{Members: 100, Records: 1000, Branches: 3, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	sum := `SELECT bit_xor(hash(member_id, activity, date, status, note, row)) FROM attendance`
	var h1, h2 uint64
	if err := st.DB.QueryRow(sum).Scan(&h1); err != nil {
		t.Fatal(err)
	}
	if err := st2.DB.QueryRow(sum).Scan(&h2); err != nil {
		t.Fatal(err)
	}
	if h1 != h2 || h1 == 0 {
		t.Errorf("attendance differs between two fills with the same options (%x, %x)", h1, h2)
	}
	if _, err := bigdb.Fill(ctx, st.DB, bigdb.Options{Members: 10}); err == nil {
		t.Error("Fill into a store with members: no error")
	}
}
