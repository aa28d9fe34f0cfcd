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
)

// The demo data's members.csv agrees, member for member, with datasets/demo_expected.csv,
// which the demo generator's own calculator of the reference scheme (datasets/gen/calc.go,
// written independently of the engine) worked out. The demo covers every rule: vetoes of each
// kind, mid-year joiners and transfers, every cap, a quota tie and a same-name pair.
func TestDemoMatchesIndependentCalculator(t *testing.T) {
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
