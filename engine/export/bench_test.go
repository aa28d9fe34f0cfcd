package export_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/store"
)

// benchYear is the year of the generated results.
const benchYear = 2022

// envInt reads a size from the environment, else def.
func envInt(tb testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// resultTables are the tables scoring makes (engine/scoring) that the appendix reads, as
// scoring creates them.
const resultTables = `
CREATE TABLE IF NOT EXISTS compliance (year INTEGER, branch VARCHAR, ord INTEGER, activity VARCHAR, per VARCHAR, times INTEGER,
	required INTEGER, held INTEGER, short VARCHAR);
CREATE TABLE IF NOT EXISTS ranking (year INTEGER, branch VARCHAR, score DOUBLE, rank INTEGER);
CREATE TABLE IF NOT EXISTS test_stats (year INTEGER, branch VARCHAR, ord BIGINT, test VARCHAR, date DATE,
	taken INTEGER, passed INTEGER, absent INTEGER, excused INTEGER);
CREATE TABLE IF NOT EXISTS ranking_weights (year INTEGER, ord INTEGER, name VARCHAR, weight DOUBLE)`

// benchData fills a store with a scored year of n members (40 to a branch) and about m point
// movements (every member has the base, the rest are spread evenly), with set-based SQL and
// deterministic values: the tables export reads, without importing or scoring anything.
var benchData = []string{
	resultTables,
	`CREATE TEMP TABLE bm AS SELECT i, printf('M%07d', i) AS id, (i // 40) + 1 AS b,
		['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','林','高','罗'][i % 20 + 1] ||
		['伟','芳','娜','秀英','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀兰','霞'][(i // 20) % 20 + 1] AS name
		FROM range($n) t(i)`,
	`INSERT INTO members SELECT id, name, '第' || b || '党支部', '第' || (i % 40 // 10 + 1) || '党小组',
		CASE WHEN i % 10 = 9 THEN '预备党员' ELSE '正式党员' END, CASE WHEN i % 40 = 0 THEN '支部书记' ELSE '' END,
		DATE '2000-07-01' + (i % 7000)::INTEGER, NULL, NULL, NULL, false, 1, '名册', i + 2,
		'110101' || (1960 + i % 40) || '0307' || lpad((i % 10000)::VARCHAR, 4, '0'), '138' || lpad(i::VARCHAR, 8, '0')
		FROM bm`,
	// Movement k belongs to member k mod n, as its movement number k div n + 1: 1 is the base.
	`CREATE TEMP TABLE ledger_rows AS SELECT * FROM point_ledger LIMIT 0;
	INSERT INTO ledger_rows
	WITH t AS (SELECT k, k // $n + 1 AS seq, m.id, m.b, CASE WHEN k < $n THEN -1 ELSE (k * 37 + k // $n) % 100 END AS j
		FROM range($m) r(k) JOIN bm m ON m.i = k % $n),
	x AS (SELECT *,
		CASE WHEN j < 0 THEN '基础分' WHEN j < 60 THEN '出勤' WHEN j < 70 THEN '测试' WHEN j < 80 THEN '其他加分'
			WHEN j < 90 THEN '扣分' ELSE '不计分' END AS category,
		CASE WHEN j < 0 THEN '基础分'
			WHEN j < 60 THEN ['主题党日','党小组会','党课','支部党员大会','集中学习','支委会'][j % 6 + 1] || '·' ||
				['出席','出席','出席','出席','出席','出席','请假','迟到','缺席','早退'][j % 10 + 1]
			WHEN j < 70 THEN '党纪党规知识测试·' || (30 + j) || '/100分' WHEN j < 80 THEN '志愿服务'
			WHEN j < 90 THEN '党费未按时缴纳' ELSE '组织生活会·出席' END AS rule,
		(CASE WHEN j < 0 THEN 60 WHEN j < 60 THEN [1, 1, 1, 1, 1, 1, 0, -0.5, -2, -0.5][j % 10 + 1]
			WHEN j < 90 THEN [1, 1, -0.5][j // 10 - 5] ELSE 0 END)::DECIMAL(9,2) AS raw,
		j BETWEEN 0 AND 59 AND j % 10 < 6 AND seq > 31 AS capped FROM t)
	SELECT $year, 0, id, seq, category, rule, CASE WHEN j >= 0 THEN DATE '2022-01-01' + (k * 7 % 365)::INTEGER END,
		raw, CASE WHEN capped THEN 0 ELSE raw END, CASE WHEN capped THEN '已达出勤加分上限 30 分，不再计分' ELSE '' END,
		CASE WHEN j < 0 THEN '规则' ELSE printf('2022台账/%d月/考勤.xlsx[第%d党支部]!%d行', k * 7 % 365 // 31 + 1, b, seq + 1) END
	FROM x`,
	store.LedgerFromRows,
	`INSERT INTO scores SELECT $year, m.id, m.name, '第' || m.b || '党支部', CASE WHEN m.i % 10 = 9 THEN '预备党员' ELSE '正式党员' END,
		m.i, t.total, s.stars, CASE WHEN m.i % 10 = 9 THEN '不定等次（预备党员）' WHEN t.total >= 70 THEN '合格' ELSE '基本合格' END,
		'总分 ' || t.total || ' 分', CASE WHEN s.stars = 0 THEN '不足 60 分，不评星' ELSE '总分达到 ' || s.stars || ' 星标准' END
		FROM bm m JOIN (SELECT member_id AS id, sum(points) AS total FROM point_ledger GROUP BY ALL) t USING (id),
		LATERAL (SELECT CASE WHEN t.total >= 96 THEN 5 WHEN t.total >= 90 THEN 4 WHEN t.total >= 80 THEN 3
			WHEN t.total >= 70 THEN 2 WHEN t.total >= 60 THEN 1 ELSE 0 END AS stars) s`,
	`INSERT INTO pledges SELECT id, $year, i % 7 <> 0, ['优秀','良好','一般',''][i % 4 + 1], 2, '承诺', i + 2 FROM bm WHERE i % 10 <> 0`,
	`INSERT INTO indicators SELECT $year, b.name, x.i, x.name,
		CASE WHEN x.name LIKE '%率' THEN 900 + (b.k * 7 + x.i) % 100 ELSE (b.k * 13 + x.i * 3) % 40 END, (x.name LIKE '%率')::INTEGER
		FROM (SELECT DISTINCT b AS k, '第' || b || '党支部' AS name FROM bm UNION ALL SELECT 1000000000, '合计') b,
		(SELECT i, ['党员数', '支委会次数', '支部党员大会次数', '党小组会次数', '党课次数', '主题党日次数', '集中学习次数', '集中学习人次',
			'集中学习覆盖率', '出勤率', '心得体会篇数', '测试次数', '参考人次', '及格率', '承诺书签订人数', '承诺书签订率', '志愿服务次数',
			'五星党员数', '四星党员数', '三星党员数', '二星党员数', '一星党员数', '无星党员数', '优秀人数', '合格人数'][i + 1] AS name
			FROM range(25) t(i)) x
		ORDER BY b.k, x.i`,
	`INSERT INTO compliance SELECT $year, '第' || b || '党支部', b * 100 + a.o, a.activity, a.per, 1, a.req, a.req - (b + a.o) % 2,
		CASE WHEN (b + a.o) % 2 = 1 THEN '7月' ELSE '' END
		FROM (SELECT DISTINCT b FROM bm) JOIN (VALUES (0, '支委会', 'month', 12), (1, '支部党员大会', 'quarter', 4),
			(2, '党小组会', 'month', 12), (3, '党课', 'quarter', 4)) a(o, activity, per, req) ON true`,
	`INSERT INTO test_stats SELECT $year, CASE WHEN b IS NULL THEN '合计' ELSE '第' || b || '党支部' END, coalesce(b, 9223372036854775807),
		t.test, t.date, count(*), count(*) FILTER (WHERE i % 5 <> 0), count(*) FILTER (WHERE i % 17 = 0), count(*) FILTER (WHERE i % 19 = 0)
		FROM bm, (VALUES ('党纪党规知识测试', DATE '2022-03-20'), ('党章党规知识测试', DATE '2022-09-15')) t(test, date)
		GROUP BY GROUPING SETS ((b, t.test, t.date), (t.test, t.date))`,
	`INSERT INTO ranking SELECT $year, '第' || b || '党支部', 1 - b / (max(b) OVER () + 1), b FROM (SELECT DISTINCT b FROM bm)`,
	`INSERT INTO ranking_weights VALUES ($year, 0, '出勤率', 0.5), ($year, 1, '集中学习覆盖率', 0.3), ($year, 2, '及格率', 0.2)`,
}

// benchStore opens the database of benchData for n members and m movements: made in a temporary
// file, or kept at JIFEN_BENCH_DB and reused by later runs of the same sizes (making 10 million
// movements takes a while). It is closed and opened again, so that what the export uses is
// measured without the memory of making it.
func benchStore(tb testing.TB, n, m int) *store.Store {
	path := os.Getenv("JIFEN_BENCH_DB")
	if path == "" {
		path = filepath.Join(tb.TempDir(), "bench.duckdb")
	} else {
		path = fmt.Sprintf("%s.%d.%d", path, n, m)
	}
	if _, err := os.Stat(path); err != nil {
		st, err := store.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		sizes := strings.NewReplacer("$n", strconv.Itoa(n), "$m", strconv.Itoa(max(m, n)), "$year", strconv.Itoa(benchYear))
		for _, q := range benchData {
			if _, err := st.DB.Exec(sizes.Replace(q)); err != nil {
				st.Close()
				os.Remove(path)
				tb.Fatalf("%v\n%s", err, q)
			}
		}
		st.Close()
	}
	st, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	runtime.GC()
	debug.FreeOSMemory()
	return st
}

// BenchmarkExport exports a scored year of JIFEN_BENCH_MEMBERS members (default 4,000) and
// JIFEN_BENCH_MOVEMENTS ledger movements (default 100,000) made by benchData, from the store as
// the pipeline does (pipeline.ExportResults, its queries included in each):
//
//	all                Write: members.csv, indicators.csv, 附件.xlsx
//	members.csv        members.csv alone
//	附件.xlsx          the appendix alone
//	附件1, 附件4, 附件5  one sheet each, in a workbook of its own
//	baseline-copy      DuckDB writing members.csv's rows itself: COPY (SELECT …) TO 'x.csv'
//	baseline-excelize  excelize's StreamWriter writing as many cells as 附件1, 附件4 and 附件5
//	                   (rows × columns of each), values ready, no styles, the same ZIP deflater
//
// Each reports members/s, the peak resident memory of the process while it ran (peak-MB, Linux;
// the database is made before and opened afresh, see benchStore) and the peak of Go's heap
// (peak-heap-MB: live and not yet collected objects; the rest of peak-MB is mostly DuckDB's).
// JIFEN_BENCH_DUCKDB_MEMORY sets DuckDB's memory_limit (e.g. 100MB): DuckDB keeps the table
// pages a query read while it has memory to spare, the one part of the process's memory that
// grows with the movements. For example:
//
//	JIFEN_BENCH_MEMBERS=200000 JIFEN_BENCH_MOVEMENTS=10000000 \
//	  go test ./engine/export/ -run XXX -bench Export -benchmem -benchtime 1x
func BenchmarkExport(b *testing.B) {
	n := envInt(b, "JIFEN_BENCH_MEMBERS", 4000)
	m := envInt(b, "JIFEN_BENCH_MOVEMENTS", 100000)
	st := benchStore(b, n, m)
	if lim := os.Getenv("JIFEN_BENCH_DUCKDB_MEMORY"); lim != "" {
		if _, err := st.DB.Exec("SET memory_limit = '" + lim + "'"); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	results := func() (export.Results, error) {
		return pipeline.ExportResults(ctx, st, benchYear, "year", false)
	}
	run := func(name string, write func(dir string) error) {
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			runtime.GC()
			resetPeakRSS()
			heap := peakHeap()
			for b.Loop() {
				if err := write(dir); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "members/s")
			b.ReportMetric(peakRSS(), "peak-MB")
			b.ReportMetric(heap(), "peak-heap-MB")
		})
	}
	// Each writes from the store as the pipeline does: ExportResults, then the files.
	run("all", func(dir string) error {
		r, err := results()
		if err == nil {
			_, err = export.Write(dir, r)
		}
		return err
	})
	run("members.csv", func(dir string) error {
		r, err := results()
		if err == nil {
			err = export.WriteMembersCSVAlone(filepath.Join(dir, "members.csv"), r)
		}
		return err
	})
	run("附件.xlsx", func(dir string) error {
		r, err := results()
		if err == nil {
			err = export.WriteAppendixAlone(filepath.Join(dir, "附件.xlsx"), r)
		}
		return err
	})
	sheets := map[string]string{"附件1": export.SheetMembers, "附件4": export.SheetPledges, "附件5": export.SheetLedger}
	for _, name := range []string{"附件1", "附件4", "附件5"} {
		run(name, func(dir string) error {
			r, err := results()
			if err == nil {
				err = export.WriteSheetAlone(filepath.Join(dir, "附件.xlsx"), r, sheets[name])
			}
			return err
		})
	}
	run("baseline-copy", func(dir string) error {
		_, err := st.DB.ExecContext(ctx, `COPY (SELECT s.member_id, s.name, s.branch, s.category, s.total, s.stars, s.grade
			FROM scores s LEFT JOIN members m USING (member_id) WHERE s.year = `+strconv.Itoa(benchYear)+`
			ORDER BY min(s.ord) OVER (PARTITION BY s.branch), s.ord) TO '`+filepath.Join(dir, "members.csv")+`' (HEADER)`)
		return err
	})
	// The rows and columns of 附件1, 附件4 and 附件5 (every movement, or a row per member).
	r, err := results()
	if err != nil {
		b.Fatal(err)
	}
	shapes := map[string][2]int{}
	for name, sheet := range sheets {
		cols, summed := export.SheetShape(r, sheet)
		rows := n
		if sheet == export.SheetLedger && !summed {
			rows = max(m, n) // as benchStore makes them
		}
		shapes[name] = [2]int{rows, cols}
	}
	values := []any{"M0012345", "张伟", "第123党支部", "正式党员", 62.5, "★★", "合格", 12, "2022-03-15", "党费未按时缴纳", "", "2022台账/3月/考勤.xlsx[第1党支部]!12行"}
	run("baseline-excelize", func(dir string) error {
		f := excelize.NewFile()
		defer f.Close()
		for _, name := range []string{"附件1", "附件4", "附件5"} {
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
			sw, err := f.NewStreamWriter(name)
			if err != nil {
				return err
			}
			rows, cols := shapes[name][0], shapes[name][1]
			row := make([]any, cols)
			for j := range row {
				row[j] = values[j%len(values)]
			}
			for i := 1; i <= rows; i++ {
				if err := sw.SetRow("A"+strconv.Itoa(i), row); err != nil {
					return err
				}
			}
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		f.SetZipWriter(export.FastZip)
		return f.SaveAs(filepath.Join(dir, "baseline.xlsx"))
	})
}

// resetPeakRSS restarts the kernel's count of the process's peak resident memory (Linux; elsewhere
// it does nothing, and peakRSS is 0).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident memory since resetPeakRSS, in MB (VmHWM).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// peakHeap samples the size of Go's heap objects every millisecond until the function it returns
// is called, which gives the largest, in MB.
func peakHeap() func() float64 {
	done, peak := make(chan struct{}), make(chan float64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		most := 0.0
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			most = max(most, float64(s[0].Value.Uint64())/(1<<20))
			select {
			case <-done:
				peak <- most
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 { close(done); return <-peak }
}
