package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// A register imported by a later `jifen import` than its roster reads the roster back from the
// database: who was expected depends on 党内职务 (支委会: the committee), 党小组 and 入党/转入
// 时间, so the stored roster must give them back. register_committee_only.csv, by hand: 支委会
// of 2023-02-10 expects R01 书记, R02 组织委员, R04 宣传委员, R08 纪检委员 (4 records: R04 请假);
// 2023-10-12 expects R01, R02, R04 (R08 转出 2023.9): 3 records. 7 in all, either way.
func TestRegisterAfterStoredRoster(t *testing.T) {
	ctx := context.Background()
	const dir = "../importer/testdata/"
	db := filepath.Join(t.TempDir(), "r.duckdb")
	for _, in := range []struct {
		file string
		rows int
	}{{"register_roster.csv", 11}, {"register_committee_only.csv", 7}} {
		j, err := pipeline.Open(pipeline.Options{Inputs: []string{dir + in.file}, DBPath: db})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := j.Import(ctx)
		j.Close()
		if err != nil {
			t.Fatalf("%s: %v %v", in.file, err, sum.Errors)
		}
		if sum.Rows != in.rows {
			t.Errorf("%s: %d records, want %d", in.file, sum.Rows, in.rows)
		}
	}
}
