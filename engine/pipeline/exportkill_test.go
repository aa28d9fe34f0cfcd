package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

const faultOutEnv = "JIFEN_FAULT_OUT"

// exportChild (faultChild "export") exports the scored year of faultDBEnv into faultOutEnv,
// saying "start" first and "done" at the end.
func exportChild() int {
	opt := pipeline.Options{DBPath: os.Getenv(faultDBEnv), OutDir: os.Getenv(faultOutEnv), ConfigPath: "../../config.yaml"}
	j, err := pipeline.Open(opt)
	if err != nil {
		fmt.Println("error", err)
		return 2
	}
	defer j.Close()
	fmt.Println("start")
	if err := j.Export(context.Background(), &pipeline.Summary{}); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// TestKilledExport: `export` killed (SIGKILL) at random moments never leaves a mixed set of
// outputs: after each kill, members.csv, indicators.csv, 附件.xlsx and 公示.xlsx are all the previous
// export's or all the new one's. Or, if the kill fell in the microseconds of moving the new set
// into place, the new set is whole in its staging folder, marked complete, and export.Settle
// (what the next export does first) finishes the move: then all are the new one's.
//
// The previous set: a branch of two, 甲 出席 a 党课 on 2022-03-01. The new: the same with 乙
// 缺席 it (a second file): −2 for 乙 (members.csv, 附件1, a line of 附件5, 公示) and the 出勤率 from
// 100% to 50% (indicators.csv), so every file of the set differs between the two.
func TestKilledExport(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 loop (20 kills, about 20 s)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "jifen.duckdb")
	out := filepath.Join(dir, "out")
	in, extra := filepath.Join(dir, "in"), filepath.Join(dir, "extra")
	os.Mkdir(in, 0o755)
	os.Mkdir(extra, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	write(t, filepath.Join(in, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	write(t, filepath.Join(extra, "补充考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n乙,党课,2022-03-01,缺席\n")
	set := []string{"members.csv", "indicators.csv", "附件.xlsx", export.PublicityFile, "积分明细.xlsx"}
	read := func(d string) [][]byte {
		var files [][]byte
		for _, name := range set {
			b, err := os.ReadFile(filepath.Join(d, name))
			if err != nil {
				b = nil // missing
			}
			files = append(files, b)
		}
		return files
	}
	prepare := func(inputs []string, outDir string) {
		opt := pipeline.Options{Inputs: inputs, DBPath: db, OutDir: outDir, ConfigPath: "../../config.yaml"}
		if _, err := pipeline.Run(context.Background(), opt); err != nil {
			t.Fatal(err)
		}
	}
	prepare([]string{in}, out)
	old := read(out)
	prepare([]string{in, extra}, filepath.Join(dir, "new"))
	news := read(filepath.Join(dir, "new"))
	for i, name := range set {
		if old[i] == nil || bytes.Equal(old[i], news[i]) {
			t.Fatalf("%s: the two sets must both have it, different", name)
		}
	}
	env := []string{faultDBEnv + "=" + db, faultOutEnv + "=" + out}

	// How long an export takes, from "start" to its end: the kills fall in 0–120% of it.
	begin := time.Now()
	c := startChild(t, "export", env...)
	var took time.Duration
	for l := c.next(t); l != ""; l = c.next(t) {
		if l == "start" {
			begin = time.Now()
		}
		if l == "done" {
			took = time.Since(begin)
		}
	}
	c.cmd.Wait()
	if took == 0 || !equalSets(read(out), news) {
		t.Fatalf("the export to measure did not end with the new set (took %v)", took)
	}

	state := func() string {
		now := read(out)
		switch {
		case equalSets(now, old):
			return "old"
		case equalSets(now, news):
			return "new"
		}
		return "mixed"
	}
	counts := map[string]int{}
	deadline := time.Now().Add(30 * time.Second)
	for k := 0; k < 20 || counts["old"] == 0 || counts["new"] == 0; k++ {
		if k >= 20 && time.Now().After(deadline) {
			t.Fatalf("after %d kills: %v; want some before the new set and some after", k, counts)
		}
		// The previous set back, and nothing else.
		os.RemoveAll(out)
		os.Mkdir(out, 0o700)
		for i, name := range set {
			if err := os.WriteFile(filepath.Join(out, name), old[i], 0o600); err != nil {
				t.Fatal(err)
			}
		}
		c := startChild(t, "export", env...)
		if l := c.next(t); l != "start" {
			t.Fatalf("child: %q, want start", l)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(took) * 6 / 5)))
		c.kill()
		s := state()
		if s == "mixed" {
			if _, err := os.Stat(filepath.Join(out, ".jifen-新输出", "完整")); err != nil {
				t.Fatalf("kill %d: a mixed set, and no whole new set marked in the staging folder", k+1)
			}
			s = "moving"
		}
		counts[s]++
		if err := export.Settle(out); err != nil {
			t.Fatal(err)
		}
		if after := state(); after != s && !(s == "moving" && after == "new") {
			t.Fatalf("kill %d: %s, then %s once settled", k+1, s, after)
		}
		if names, _ := os.ReadDir(out); len(names) != len(set) {
			t.Fatalf("kill %d (%s): %d entries in the output folder once settled, want the %d of the set: %v", k+1, s, len(names), len(set), names)
		}
	}
	t.Logf("export %v; kills: %v", took, counts)
}

func equalSets(a, b [][]byte) bool {
	for i := range a {
		if a[i] == nil || !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
