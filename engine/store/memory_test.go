package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
)

// An import into a database file runs with DuckDB limited to 64 MB; afterwards the whole
// memory is back: a list of 20,000,000 integers (160 MB held at once) is built after an
// import, as scoring a large unit needs. (DuckDB's RESET memory_limit changed the setting but
// left the buffer pool at 64 MB: jifen run then failed while saving the scores.)
func TestImportGivesMemoryBack(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	b := &engine.Batch{Members: []engine.Member{{ID: "A1", Name: "甲", Branch: "一支部", Category: "正式党员", Src: engine.Source{File: "名册.csv", Row: 2}}}}
	if _, err := st.Import(ctx, "/in/名册.csv", "名册.csv", "hash1", b); err != nil {
		t.Fatal(err)
	}
	b = &engine.Batch{Attendance: []engine.Attendance{{MemberID: "A1", Activity: "党课", Date: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Status: "出席", Src: engine.Source{File: "考勤.csv", Row: 2}}}}
	if _, err := st.Import(ctx, "/in/考勤.csv", "考勤.csv", "hash2", b); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := st.DB.QueryRowContext(ctx, "SELECT len(list(range)) FROM range(20000000)").Scan(&n); err != nil || n != 20000000 {
		t.Fatalf("after the import: %d, %v", n, err)
	}
}
