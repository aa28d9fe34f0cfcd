package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/sheet"
)

// The demo year (31 files, 3,781 records, 80 members). BenchmarkDemoRead is the baseline:
// reading the spreadsheets alone; the others add validation, DuckDB and scoring on top.
const demo = "../../datasets/demo"

func BenchmarkDemoRead(b *testing.B) {
	files, err := pipeline.Files([]string{demo})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if _, _, err := sheet.Read(f.Path); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDemoImport(b *testing.B) {
	for i := 0; i < b.N; i++ {
		j, err := pipeline.Open(pipeline.Options{Inputs: []string{demo}, ConfigPath: "../../config.yaml"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := j.Import(context.Background()); err != nil {
			b.Fatal(err)
		}
		j.Close()
	}
}

func BenchmarkDemoRun(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		_, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{demo}, ConfigPath: "../../config.yaml",
			OutDir: filepath.Join(dir, "out")})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoScore scores an already imported year: the SQL of scoring and indicators.
func BenchmarkDemoScore(b *testing.B) {
	j, err := pipeline.Open(pipeline.Options{Inputs: []string{demo}, ConfigPath: "../../config.yaml"})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	if _, err := j.Import(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := j.Score(ctx, &pipeline.Summary{}); err != nil {
			b.Fatal(err)
		}
	}
}
