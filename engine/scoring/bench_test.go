package scoring

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/datasets/big/bigdb"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/rules"
)

// envInt reads a positive size from the environment, or gives def.
func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// BenchmarkScore scores a synthetic year (datasets/big/bigdb) of JIFEN_BENCH_RECORDS sign-ins
// (default 200000) of JIFEN_BENCH_MEMBERS members (default 4000) in a database file, filled
// once, by the reference scheme (config.yaml) or the rules file JIFEN_BENCH_CONFIG. The
// baselines are the cost of the data itself: Pass reads the sign-ins once (grouped by member),
// Write copies them into a new table of the database (rolled back), as writing the point ledger
// must. Score's steps are logged with -v (per run, averaged: elapsed time, and the processor
// time of all threads since the step before), and its time as a multiple of both baselines.
//
// JIFEN_BENCH_DB names a database file to keep the filled year in: a later run with the same
// sizes scores it again without filling (the file is filled when it holds no members).
// JIFEN_BENCH_THREADS sets DuckDB's threads (default: one per core): with 1, Score's time is the
// work of scoring on one core, which bounds what any number of cores can do (the work divided
// by them); a run with each count up to the cores shows how scoring scales.
//
//	JIFEN_BENCH_RECORDS=10000000 JIFEN_BENCH_MEMBERS=200000 go test ./engine/scoring -run XXX -bench Score -benchtime 1x -v
func BenchmarkScore(b *testing.B) {
	records := envInt(b, "JIFEN_BENCH_RECORDS", 200000)
	members := envInt(b, "JIFEN_BENCH_MEMBERS", 4000)
	threads := envInt(b, "JIFEN_BENCH_THREADS", 0)
	ctx := context.Background()
	path := os.Getenv("JIFEN_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.duckdb")
	}
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if threads > 0 {
		if _, err := st.DB.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.DB.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&threads); err != nil {
		b.Fatal(err)
	}
	b.Logf("DuckDB threads: %d (the -N of the benchmarks' names is Go's GOMAXPROCS)", threads)
	start := time.Now()
	opts := bigdb.Options{Members: members, Records: records}
	var have int
	if err := st.DB.QueryRowContext(ctx, "SELECT count(*) FROM members").Scan(&have); err != nil {
		b.Fatal(err)
	}
	o := opts
	if have == 0 {
		if o, err = bigdb.Fill(ctx, st.DB, opts); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d sign-ins of %d members in %d branches, filled in %.1f s", o.Records, o.Members, o.Branches, time.Since(start).Seconds())
	} else {
		var n int
		if err := st.DB.QueryRowContext(ctx, "SELECT count(*) FROM attendance").Scan(&n); err != nil {
			b.Fatal(err)
		}
		if have != members || n != records {
			b.Fatalf("%s holds %d sign-ins of %d members, not %d of %d: remove it or change the sizes", path, n, have, records, members)
		}
		o = bigdb.Options{Members: members, Records: records}.Defaults()
		b.Logf("%d sign-ins of %d members, kept in %s", n, have, path)
	}
	cfg := jifen.DefaultConfig
	if p := os.Getenv("JIFEN_BENCH_CONFIG"); p != "" {
		if cfg, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	c, err := rules.Parse("config.yaml", cfg)
	if err != nil {
		b.Fatal(err)
	}
	perOp := map[string]time.Duration{}
	measure := func(name string, f func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			f(b)
			perOp[name] = b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
	measure("Pass", func(b *testing.B) {
		for b.Loop() {
			var n, sum int64
			if err := st.DB.QueryRowContext(ctx, `SELECT count(*), sum(c + s) FROM (
				SELECT member_id, count(*) AS c, sum(row) AS s FROM attendance GROUP BY member_id)`).Scan(&n, &sum); err != nil {
				b.Fatal(err)
			}
		}
	})
	measure("Write", func(b *testing.B) {
		for b.Loop() {
			for _, q := range []string{"BEGIN TRANSACTION", "CREATE TABLE bench_copy AS SELECT * FROM attendance", "ROLLBACK"} {
				if _, err := st.DB.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	var steps []string
	spent, spentCPU := map[string]time.Duration{}, map[string]time.Duration{}
	var lastCPU time.Duration
	traceStep = func(step string, d time.Duration) {
		if _, ok := spent[step]; !ok {
			steps = append(steps, step)
		}
		spent[step] += d
		now := cpuTime()
		spentCPU[step] += now - lastCPU
		lastCPU = now
	}
	defer func() { traceStep = nil }()
	runs := 0
	measure("Score", func(b *testing.B) {
		for b.Loop() {
			runs++
			lastCPU = cpuTime()
			if _, err := Score(ctx, st, c, o.Year); err != nil {
				b.Fatal(err)
			}
		}
	})
	var log strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&log, "\n%8.3f s %8.3f cpu-s  %s", (spent[s] / time.Duration(runs)).Seconds(),
			(spentCPU[s] / time.Duration(runs)).Seconds(), s)
	}
	for _, base := range []string{"Pass", "Write"} {
		if perOp[base] > 0 {
			fmt.Fprintf(&log, "\nScore = %.1f × %s", float64(perOp["Score"])/float64(perOp[base]), base)
		}
	}
	b.Logf("Score, per run:%s", log.String())
}
