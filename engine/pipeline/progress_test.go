package pipeline_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// OnRecords reports each file's records as they are loaded: the last count of every file is
// the number of records it stored, and over the demo they add up to the run's total (3,781
// records of 31 files, as the demo's README says; checked against the summary).
func TestProgressCountsRecords(t *testing.T) {
	var mu sync.Mutex
	last := map[string]int{}
	files := 0
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{"../../datasets/demo"}, ConfigPath: "../../config.yaml",
		DBPath: filepath.Join(t.TempDir(), "db.duckdb"),
		OnRecords: func(name string, n int) {
			mu.Lock()
			defer mu.Unlock()
			if n < last[name] {
				t.Errorf("%s: %d records after %d", name, n, last[name])
			}
			last[name] = n
		},
		OnFile: func(done, total int, name string) { files = done },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, err := j.Import(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range last {
		total += n
	}
	if total != sum.Rows || sum.Rows != 3781 || files != 31 || len(last) != sum.Imported {
		t.Errorf("progress counted %d records of %d files (%d reported done); the import stored %d of %d files",
			total, len(last), files, sum.Rows, sum.Imported)
	}
}
