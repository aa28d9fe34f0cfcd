package importer

import (
	"reflect"
	"testing"
)

// A wide ledger of points stores the points as the sheet gives them, whatever the rules say:
// negative only when the sheet says they are deducted (its title 扣分台账, or the column's header
// 扣分 / 扣3分), else as written; scoring signs an unmarked positive number by the rule of the
// day (see pipeline's TestRuleChangedAfterImportReachesWideLedger).
func TestWidePointsAsWritten(t *testing.T) {
	c, err := legendConfig(t, "    - name: 台账\n      files: [\"*台账*\"]\n      kind: 加扣分台账\n      cells: points\n      items:\n"+
		"        - {header: 通报批评, category: 通报批评}\n        - {header: 志愿服务, category: 志愿服务}\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		// Nothing says 扣: 张伟's 3 under 通报批评 (a rule of −3) is stored as 3, not −3.
		{"积分台账.csv", "2022年积分台账\n姓名,所在支部,通报批评,志愿服务\n张伟,第一党支部,3,2\n", []string{"通报批评 3", "志愿服务 2"}},
		// The title says 扣分台账: both columns list deductions.
		{"扣分台账.csv", "2022年扣分台账\n姓名,所在支部,通报批评,志愿服务\n张伟,第一党支部,3,2\n", []string{"通报批评 -3", "志愿服务 -2"}},
		// The header says 扣分, the other 加分; a number written negative stays so.
		{"台账.csv", "2022年积分台账\n姓名,所在支部,通报批评（扣分）,志愿服务（加分）\n张伟,第一党支部,3,-1\n", []string{"通报批评 -3", "志愿服务 -1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, errs, _ := load(t, c, writeCSV(t, tc.name, tc.text))
			if errs != nil {
				t.Fatalf("errors: %q", errs)
			}
			var got []string
			for _, e := range b.Ledger {
				got = append(got, e.Category+" "+strconvF(*e.Points))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("points = %q, want %q", got, tc.want)
			}
		})
	}
}
