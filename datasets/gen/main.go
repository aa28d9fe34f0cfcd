// Command gen writes jifen's demo data: one year (2022) of the party-member
// records of a fictional unit, 某市公路管理分局, with four branches and 80
// members, in the spreadsheet shapes branches really hand in — merged title
// rows, line breaks and full-width spaces in headers, text dates, one sheet
// per branch or one file per branch, UTF-8 and GB18030 CSV, files without
// 党员编号, synonyms of statuses and activity types.
//
// Run it from the module root:
//
//	go run ./datasets/gen                  # rewrites datasets/demo/
//	go run ./datasets/gen -out /tmp/demo   # somewhere else
//	go run ./datasets/gen -all             # also print every member's expected result
//
// It also writes datasets/demo_expected.csv (-expected), every member's result by the
// calculator, which the engine's regression test compares members.csv against.
//
// The output is deterministic: the same seed gives the same bytes. The
// output folder is wiped and rewritten. Special members exercise each rule
// of the reference scheme (shared/DOMAIN.md); a small calculator of that
// scheme, independent of the engine, checks that they do and prints the
// expected totals, which README.md in the output folder lists as well.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "datasets/demo", "output folder (wiped and rewritten)")
	seed := flag.Int64("seed", 20221231, "random seed")
	all := flag.Bool("all", false, "print every member's expected result as CSV instead of the summary")
	expected := flag.String("expected", "datasets/demo_expected.csv", "where to write every member's expected result (the calculator's), for the engine's regression test; \"\" for nowhere")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	d := generate(*seed)
	results := score(d)
	if err := check(results); err != nil {
		printSummary(os.Stderr, results)
		log.Fatalf("种子 %d 生成的数据不满足要求：\n%v", *seed, err)
	}
	if err := resetDir(*out); err != nil {
		log.Fatal(err)
	}
	files, err := writeFiles(*out, d)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeReadme(*out, d, results, files); err != nil {
		log.Fatal(err)
	}
	if *expected != "" {
		f, err := os.Create(*expected)
		if err != nil {
			log.Fatal(err)
		}
		printAll(f, results)
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	if *all {
		printAll(os.Stdout, results)
		return
	}
	fmt.Printf("已写入 %s：%d 个数据文件，%d 条签到，%d 条测试成绩，%d 条承诺，%d 条台账\n\n",
		*out, len(files), len(d.signIns), len(d.results), len(d.pledges), len(d.ledger))
	printSummary(os.Stdout, results)
}

// resetDir empties dir, creating it if needed. It refuses to wipe a folder
// that is neither empty nor a previous output (one holding the roster).
func resetDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, rosterFile)); err != nil {
			return fmt.Errorf("%s 不是空目录，也不是以前生成的演示数据（没有 %s），不清空", dir, rosterFile)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	return os.MkdirAll(dir, 0o755)
}
