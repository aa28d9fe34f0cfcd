package scoring

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/datasets/big/bigdb"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/rules"
)

// ledgerDigest is the year's point ledger, member by member in seq order, as one hash; and the
// number of its rows that a cap or highest-only changed.
func ledgerDigest(t *testing.T, st *store.Store) (string, int) {
	t.Helper()
	var digest string
	var changed int
	err := st.DB.QueryRow(`SELECT md5(string_agg(concat_ws('|', member_id, period, seq, category, rule, date, raw_points, points, note, source),
		chr(10) ORDER BY member_id, seq)), count(*) FILTER (WHERE points <> raw_points AND category NOT IN ('一票否决'))
		FROM point_ledger WHERE year = 2022`).Scan(&digest, &changed)
	if err != nil {
		t.Fatal(err)
	}
	return digest, changed
}

// The movements are ordered on one packed key when their codes fit (movementOrder), else on the
// listed columns: both give the same ledger, caps and highest-only included, under the
// reference scheme with a low attendance cap (most members reach it), and the three schemes of
// datasets/schemes (quarters, months, bounds, vetoes).
func TestPackedOrdersAgree(t *testing.T) {
	configs := map[string][]byte{
		"config.yaml (gain_cap 5)": []byte(strings.Replace(string(jifen.DefaultConfig), "gain_cap: 30", "gain_cap: 5", 1)),
	}
	for _, name := range []string{"monthly_deduction", "70_20_10", "quarterly_60_40"} {
		data, err := os.ReadFile("../../datasets/schemes/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		configs[name] = data
	}
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := bigdb.Fill(ctx, st.DB, bigdb.Options{Members: 120, Records: 6000, Branches: 3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for name, data := range configs {
		c, err := rules.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Score(ctx, st, c, 2022); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		packed, changed := ledgerDigest(t, st)
		orderBits = 0
		_, err = Score(ctx, st, c, 2022)
		orderBits = 63
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if listed, _ := ledgerDigest(t, st); listed != packed {
			t.Errorf("%s: the ledger ordered on the packed key differs from the one ordered on the columns", name)
		}
		if name == "config.yaml (gain_cap 5)" && changed == 0 {
			t.Errorf("%s: no movement capped: the test checks nothing", name)
		}
	}
}
