package pipeline_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/sheet"
)

// The demo data's members.csv agrees, member for member, with datasets/demo_expected.csv,
// which the demo generator's own calculator of the reference scheme (datasets/gen/calc.go,
// written independently of the engine) worked out. The demo covers every rule: vetoes of each
// kind, mid-year joiners and transfers, every cap, a quota tie and a same-name pair.
//
// It holds the same whether the sheets are read whole or streamed (as sheets over
// sheet.StreamThreshold, 4 MB of XML, are): the streamed run reads every sheet row by row from
// the file while loading it; and whether the files are kept between being classified and
// imported or read again (as when a year's files hold more than a million cells).
func TestDemoMatchesIndependentCalculator(t *testing.T) {
	t.Run("whole", testDemoMatches)
	t.Run("read-again", func(t *testing.T) {
		defer pipeline.SetKeepCells(0)()
		testDemoMatches(t)
	})
	t.Run("streamed", func(t *testing.T) {
		old := sheet.StreamThreshold
		sheet.StreamThreshold = -1
		defer func() { sheet.StreamThreshold = old }()
		testDemoMatches(t)
	})
}

func testDemoMatches(t *testing.T) {
	out := t.TempDir()
	_, err := pipeline.Run(context.Background(), pipeline.Options{
		Inputs: []string{"../../datasets/demo"}, OutDir: out, ConfigPath: "../../config.yaml",
		DBPath: filepath.Join(t.TempDir(), "demo.duckdb"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := readBOMCSV(t, filepath.Join(out, "members.csv"))
	want := readCSV(t, "../../datasets/demo_expected.csv")
	if len(want) != 81 {
		t.Fatalf("demo_expected.csv has %d lines, want 81 (header + 80 members)", len(want))
	}
	byID := map[string][]string{}
	for _, r := range got[1:] {
		byID[r[0]] = r
	}
	if !reflect.DeepEqual(got[0], want[0]) {
		t.Errorf("header %q, want %q", got[0], want[0])
	}
	for _, w := range want[1:] {
		if g := byID[w[0]]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s: got %q, want %q", w[0], g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("members.csv has %d lines, want %d", len(got), len(want))
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return recs
}

// Every member's point ledger (积分明细) sums to the total in the results: caps, highest-only
// awards and vetoes all appear as movements, so the ledger explains every point.
func TestDemoLedgerSumsToTotal(t *testing.T) {
	dir := t.TempDir()
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{"../../datasets/demo"}, ConfigPath: "../../config.yaml",
		DBPath: filepath.Join(dir, "demo.duckdb"), OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	sum, err := j.Import(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Score(ctx, sum); err != nil {
		t.Fatal(err)
	}
	rows, err := j.Store.DB.Query(`SELECT s.member_id, s.total::VARCHAR, coalesce(sum(l.points), 0)::DECIMAL(9,2)::VARCHAR, count(l.seq)
		FROM scores s LEFT JOIN point_ledger l USING (year, member_id) GROUP BY ALL ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, total, ledger string
		var movements int
		if err := rows.Scan(&id, &total, &ledger, &movements); err != nil {
			t.Fatal(err)
		}
		if total != ledger || movements < 2 {
			t.Errorf("%s: total %s, ledger sums to %s over %d movements", id, total, ledger, movements)
		}
		n++
	}
	if n != 80 {
		t.Errorf("%d members scored, want 80", n)
	}
}
