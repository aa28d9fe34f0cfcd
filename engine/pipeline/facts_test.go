package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// factsLayout reads 2022年积分台账.csv as a wide ledger of points; nothing in the file says the
// points of 通报批评 are deducted.
const factsLayout = `
import:
  layouts:
    - name: 积分台账
      files: ["*积分台账*"]
      kind: 加扣分台账
      cells: points
      items:
        - {header: 通报批评, category: 通报批评}
        - {header: 志愿服务, category: 志愿服务}
`

// Records are facts, rules decide: a wide ledger imported while the rules had no item for
// 通报批评 is scored by the rules of the day it is scored, not of the day it was imported.
//
// Worked by hand. First run (no 通报批评 rule): 甲's 通报批评 3 matches nothing → 60; 乙's
// 志愿服务 2 under per_unit 1 (a gain) → 62. Second run, same database, the file unchanged (not
// imported again), the rule 通报批评 per_unit −3 added: 甲's 3 is deducted → 60 − 3 = 57; 乙 62.
// (Before, the importer signed the points by the rules of the day: 甲 kept +3 → 63.)
func TestRuleChangedAfterImportReachesWideLedger(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	write(t, filepath.Join(in, "名册.csv"), rosterCSV)
	write(t, filepath.Join(in, "2022年积分台账.csv"), "姓名,通报批评,志愿服务\n甲,3,\n乙,,2\n")
	db := filepath.Join(dir, "db.duckdb")
	run := func(rules string) map[string]string {
		t.Helper()
		cfg := filepath.Join(dir, "config.yaml")
		write(t, cfg, "scoring:\n  base: 60\n  categories:\n"+rules+factsLayout)
		out := filepath.Join(dir, "out")
		if _, err := pipeline.Run(context.Background(), pipeline.Options{Inputs: []string{in}, OutDir: out, ConfigPath: cfg, DBPath: db}); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range readBOMCSV(t, filepath.Join(out, "members.csv"))[1:] {
			got[r[0]] = r[4]
		}
		return got
	}
	gain := "    - {name: 加分, items: [{source: ledger, categories: [志愿服务], per_unit: 1}]}\n"
	if got := run(gain); got["B1"] != "60" || got["B2"] != "62" {
		t.Errorf("before the rule: totals %v, want B1 60, B2 62", got)
	}
	deduct := "    - {name: 扣分, items: [{source: ledger, categories: [通报批评], per_unit: -3}]}\n"
	if got := run(gain + deduct); got["B1"] != "57" || got["B2"] != "62" {
		t.Errorf("after the rule: totals %v, want B1 57, B2 62", got)
	}
}
