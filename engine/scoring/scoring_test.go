package scoring

import (
	"context"
	"fmt"
	"os"
	"slices"
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

// The movements are ordered on one packed key when their codes fit (movementOrder), and stored
// with only that key (point_packed, decoded when read), else on the listed columns and stored with
// every code (point_moves): both give the same ledger, caps and highest-only included, under the
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
	st := smallBig(t)
	defer st.Close()
	ctx := context.Background()
	for name, data := range configs {
		c, err := rules.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Score(ctx, st, c, 2022); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		packed, changed := ledgerDigest(t, st)
		stored := func() (p, m int) {
			if err := st.DB.QueryRow("SELECT (SELECT count(*) FROM point_packed WHERE year = 2022), (SELECT count(*) FROM point_moves WHERE year = 2022)").Scan(&p, &m); err != nil {
				t.Fatal(err)
			}
			return p, m
		}
		if p, m := stored(); p == 0 || m != 0 {
			t.Errorf("%s: %d movements packed, %d listed; want all packed", name, p, m)
		}
		orderBits = 0
		_, err = Score(ctx, st, c, 2022)
		orderBits = 63
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p, m := stored(); p != 0 || m == 0 {
			t.Errorf("%s: %d movements packed, %d listed; want all listed", name, p, m)
		}
		if listed, _ := ledgerDigest(t, st); listed != packed {
			t.Errorf("%s: the ledger ordered on the packed key differs from the one ordered on the columns", name)
		}
		if name == "config.yaml (gain_cap 5)" && changed == 0 {
			t.Errorf("%s: no movement capped: the test checks nothing", name)
		}
	}
}

// The indicators of every period are stored only where something was counted; readers see every
// branch, indicator and period: (3 branches + 合计) × (the config's indicators × 17 periods + the
// 5 spread indicators of the year alone), nothing counted as 0 for a count, NULL for a ratio. A
// year stored by an earlier version, every value stored and indicator_names without zero and
// stat, reads the same.
func TestPeriodIndicatorsFilled(t *testing.T) {
	st := smallBig(t)
	defer st.Close()
	ctx := context.Background()
	c, err := rules.Parse("config.yaml", jifen.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = Score(ctx, st, c, 2022); err != nil {
		t.Fatal(err)
	}
	read := func() []string {
		per, err := PeriodIndicators(ctx, st.DB, 2022)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range per {
			v := "NULL"
			if p.Value != nil {
				v = fmt.Sprint(*p.Value)
			}
			out = append(out, p.Period+"|"+p.Branch+"|"+p.Name+"|"+v)
		}
		return out
	}
	sparse := read()
	if want := 4 * (len(c.Indicators)*17 + len(rules.StatIndicators)); len(sparse) != want {
		t.Fatalf("%d indicator rows, want %d", len(sparse), want)
	}
	var stored int
	if err := st.DB.QueryRow("SELECT count(*) FROM indicator_values").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored >= len(sparse) {
		t.Errorf("%d values stored for %d rows: nothing left to fill", stored, len(sparse))
	}
	// 120 members with 1 % 党纪处分 on their three ledger rows: most months of a branch have none.
	has := func(row string) bool { return slices.Contains(sparse, row) }
	if !has("1月|第1党支部|党纪处分人数|0") || !has("1月|第1党支部|讲党课次数|0") && !has("2月|第1党支部|讲党课次数|0") {
		t.Errorf("a count with nothing counted does not read 0")
	}
	if has("1月|合计|积分平均分|NULL") {
		t.Errorf("the points' spread is listed for a month")
	}
	// The same year as an earlier version stored it.
	for _, q := range []string{
		"CREATE TABLE dense AS SELECT year, pord, pos, ord, value FROM (" + sqlPeriodIndicators + ")",
		"DELETE FROM indicator_values", "INSERT INTO indicator_values SELECT * FROM dense",
		"ALTER TABLE indicator_names DROP COLUMN zero", "ALTER TABLE indicator_names DROP COLUMN stat",
		"ALTER TABLE indicator_names ADD COLUMN zero BOOLEAN", "ALTER TABLE indicator_names ADD COLUMN stat BOOLEAN",
	} {
		if _, err := st.DB.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	if dense := read(); !slices.Equal(dense, sparse) {
		t.Errorf("read from every value stored: %d rows, differ from the filled ones", len(dense))
	}
	if _, err := Score(ctx, st, c, 2022); err != nil {
		t.Fatal(err)
	}
	if again := read(); !slices.Equal(again, sparse) {
		t.Errorf("scored again: %d rows, differ", len(again))
	}
}

// 三会一课 against the norms of config.yaml, by hand. 一支部 has two 党小组 (第二组 first in the
// roster, then 第一组); 二支部 has none. 党小组会 (once a month, per group): 第一组 met on 01-05 and
// 02-07, 第二组 on 01-06 and twice in March (03-02, 03-20); 二支部 as a branch on 04-01. 支委会
// (once a month): 一支部 on 01-10 only. 支部党员大会 (once a quarter): 二支部 on 05-05 only.
//
//	一支部 党小组会: held 2 + 3 = 5 of 24; 第二组 short in 2月 and 4月–12月, 第一组 in 3月–12月,
//	  listed in roster order of the groups.
//	一支部 支委会: held 1 of 12, short 2月–12月.      二支部 党小组会: held 1 of 12, short all but 4月.
//	二支部 支部党员大会: held 1 of 4, short 第1、3、4季度.
func TestComplianceByHand(t *testing.T) {
	st := scoreRows(t, jifen.DefaultConfig,
		`INSERT INTO members (member_id, name, branch, grp, category, position, join_date, mobile, file_id, sheet, row) VALUES
			('Y1', '乙一', '一支部', '第二组', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 3),
			('J1', '甲一', '一支部', '第一组', '正式党员', '支部书记', DATE '2000-01-01', false, 1, '名册', 4),
			('J2', '甲二', '一支部', '第一组', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 5),
			('E1', '二一', '二支部', '', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 6)`,
		`INSERT INTO attendance VALUES
			('J1', '党小组会', DATE '2022-01-05', '出席', '', 2, '考勤', 3), ('J2', '党小组会', DATE '2022-01-05', '缺席', '', 2, '考勤', 4),
			('J2', '党小组会', DATE '2022-02-07', '出席', '', 2, '考勤', 5),
			('Y1', '党小组会', DATE '2022-01-06', '出席', '', 2, '考勤', 6), ('Y1', '党小组会', DATE '2022-03-02', '出席', '', 2, '考勤', 7),
			('Y1', '党小组会', DATE '2022-03-20', '请假', '', 2, '考勤', 8),
			('E1', '党小组会', DATE '2022-04-01', '出席', '', 2, '考勤', 9),
			('J1', '支委会', DATE '2022-01-10', '出席', '', 2, '考勤', 10),
			('E1', '支部党员大会', DATE '2022-05-05', '出席', '', 2, '考勤', 11)`,
	)
	defer st.Close()
	ctx := context.Background()
	got, err := ComplianceOf(ctx, st.DB, 2022)
	if err != nil {
		t.Fatal(err)
	}
	months := func(from, to int) string {
		var m []string
		for i := from; i <= to; i++ {
			m = append(m, fmt.Sprintf("%d月", i))
		}
		return strings.Join(m, "、")
	}
	want := map[string]string{
		"一支部 党小组会":   "5/24 第二组：2月、" + months(4, 12) + "；第一组：" + months(3, 12),
		"一支部 支委会":    "1/12 " + months(2, 12),
		"二支部 党小组会":   "1/12 " + months(1, 3) + "、" + months(5, 12),
		"二支部 支部党员大会": "1/4 第1季度、第3季度、第4季度",
	}
	seen := 0
	for _, r := range got {
		k := r.Branch + " " + r.Activity
		if w, ok := want[k]; ok {
			seen++
			if g := fmt.Sprintf("%d/%d %s", r.Held, r.Required, r.Short); g != w {
				t.Errorf("%s: %s, want %s", k, g, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d rows checked found: %+v", seen, len(want), got)
	}
}

// Indicators over the records that ask for members' categories, by hand: 一支部 has A1 (正式党员)
// and P1 (预备党员). A1 出席 on 03-01 and 04-01 and 缺席 on 05-01; P1 出席 on 03-01.
//
//	正式党员出席人次 2 (A1's two), 出席人次 3, 预备党员出席人数 1 (P1), in 3月: 正式 1, all 2.
func TestRecordIndicatorsByCategory(t *testing.T) {
	cfg := strings.Replace(string(jifen.DefaultConfig), "\nindicators:\n", `
indicators:
  - {name: 正式党员出席人次, source: attendance, count: records, statuses: [出席], member_categories: [正式党员]}
  - {name: 出席人次, source: attendance, count: records, statuses: [出席]}
  - {name: 预备党员出席人数, source: attendance, count: members, statuses: [出席], member_categories: [预备党员]}
`, 1)
	st := scoreRows(t, []byte(cfg),
		`INSERT INTO members (member_id, name, branch, grp, category, position, join_date, mobile, file_id, sheet, row) VALUES
			('A1', '甲', '一支部', '', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 3),
			('P1', '乙', '一支部', '', '预备党员', '', DATE '2021-06-01', false, 1, '名册', 4)`,
		`INSERT INTO attendance VALUES
			('A1', '主题党日', DATE '2022-03-01', '出席', '', 2, '考勤', 3), ('A1', '主题党日', DATE '2022-04-01', '出席', '', 2, '考勤', 4),
			('A1', '主题党日', DATE '2022-05-01', '缺席', '', 2, '考勤', 5), ('P1', '主题党日', DATE '2022-03-01', '出席', '', 2, '考勤', 6)`,
	)
	defer st.Close()
	ctx := context.Background()
	per, err := PeriodIndicators(ctx, st.DB, 2022)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range per {
		if p.Branch == "一支部" && p.Value != nil {
			got[p.Period+" "+p.Name] = fmt.Sprint(*p.Value)
		}
	}
	for k, want := range map[string]string{"全年 正式党员出席人次": "2", "全年 出席人次": "3", "全年 预备党员出席人数": "1",
		"3月 正式党员出席人次": "1", "3月 出席人次": "2", "5月 出席人次": "0"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %s", k, got[k], want)
		}
	}
}

// scoreRows stores the rows of the statements in a new in-memory store and scores 2022 by the
// rules cfg.
func scoreRows(t *testing.T, cfg []byte, inserts ...string) *store.Store {
	t.Helper()
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range inserts {
		if _, err := st.DB.Exec(q); err != nil {
			st.Close()
			t.Fatal(err)
		}
	}
	c, err := rules.Parse("config.yaml", cfg)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	if _, err := Score(context.Background(), st, c, 2022); err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st
}

// texts runs a query of one text column and gives its rows.
func texts(t *testing.T, st *store.Store, q string) []string {
	t.Helper()
	rows, err := st.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// smallBig is an in-memory store of a small synthetic year (datasets/big/bigdb): 120 members of 3
// branches, 6000 sign-ins.
func smallBig(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bigdb.Fill(context.Background(), st.DB, bigdb.Options{Members: 120, Records: 6000, Branches: 3, Seed: 1}); err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st
}

// The cap notes of a category whose name already says 加分 (其他加分, gain_cap 10 in config.yaml):
// A1 讲党课 3 times (3 points each): 3, 3, 3, then 1 of 3 (10 reached), by hand.
func TestCapNoteNames(t *testing.T) {
	st := scoreRows(t, jifen.DefaultConfig,
		`INSERT INTO members (member_id, name, branch, grp, category, position, join_date, mobile, file_id, sheet, row) VALUES
			('A1', '甲', '一支部', '', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 3)`,
		`INSERT INTO entries VALUES
			('A1', DATE '2022-03-01', '讲党课', '', '', 1, NULL, 2, '台账', 3), ('A1', DATE '2022-04-01', '讲党课', '', '', 1, NULL, 2, '台账', 4),
			('A1', DATE '2022-05-01', '讲党课', '', '', 1, NULL, 2, '台账', 5), ('A1', DATE '2022-06-01', '讲党课', '', '', 1, NULL, 2, '台账', 6)`,
	)
	defer st.Close()
	notes := texts(t, st, "SELECT printf('%g %s', points::DOUBLE, note) FROM point_ledger WHERE year = 2022 AND category = '其他加分' ORDER BY seq")
	want := []string{"3 ", "3 ", "3 ", "1 达到其他加分上限 10 分，只计 1 分"}
	if !slices.Equal(notes, want) {
		t.Errorf("其他加分 = %q, want %q", notes, want)
	}
}

// A category both capped and highest-only (表彰 with gain_cap 7): the caps first, in date order,
// then only the best movement counts, whatever the caps made of the others. A1 本单位 (2, 1 Mar)
// then 国家级 (10, 1 Apr): capped to 2 and 5 (7 reached); 国家级 is the best, 本单位 goes to 0.
// So A1's 表彰 is 5, by hand: A1's total is A2's (the same member without 表彰) + 5, and the
// totals (summed per member and category once, then corrected by what the caps and
// highest-only changed) are their ledgers' sums.
func TestCappedHighestOnly(t *testing.T) {
	cfg := strings.Replace(string(jifen.DefaultConfig), "    - name: 表彰\n      highest_only: true\n", "    - name: 表彰\n      highest_only: true\n      gain_cap: 7\n", 1)
	if cfg == string(jifen.DefaultConfig) {
		t.Fatal("config.yaml: 表彰 not found")
	}
	st := scoreRows(t, []byte(cfg),
		`INSERT INTO members (member_id, name, branch, grp, category, position, join_date, mobile, file_id, sheet, row) VALUES
			('A1', '甲', '一支部', '', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 3),
			('A2', '乙', '一支部', '', '正式党员', '', DATE '2000-01-01', false, 1, '名册', 4)`,
		`INSERT INTO entries VALUES
			('A1', DATE '2022-03-01', '表彰', '本单位', '', 1, NULL, 2, '台账', 3), ('A1', DATE '2022-04-01', '表彰', '国家级', '', 1, NULL, 2, '台账', 4)`,
	)
	defer st.Close()
	got := texts(t, st, "SELECT printf('%g→%g %s', raw_points::DOUBLE, points::DOUBLE, note) FROM point_ledger WHERE year = 2022 AND member_id = 'A1' AND category = '表彰' ORDER BY seq")
	if want := []string{"2→0 只取最高一项，本项不计", "10→5 达到表彰加分上限 7 分，只计 5 分"}; !slices.Equal(got, want) {
		t.Errorf("A1 表彰 = %q, want %q", got, want)
	}
	var diff, off float64
	if err := st.DB.QueryRow(`SELECT
		(SELECT total FROM scores WHERE member_id = 'A1') - (SELECT total FROM scores WHERE member_id = 'A2'),
		(SELECT count(*) FROM period_scores s WHERE s.total <> (SELECT sum(l.points) FROM point_ledger l WHERE l.member_id = s.member_id AND l.period = s.period))`).Scan(&diff, &off); err != nil {
		t.Fatal(err)
	}
	if diff != 5 || off != 0 {
		t.Errorf("A1 − A2 = %g (want 5); %g period totals differ from their ledgers (want 0)", diff, off)
	}
}

// An item that took no record is named by what it matches, not only its category.
func TestDescribeItem(t *testing.T) {
	yes := true
	for _, c := range []struct {
		it   rules.Item
		want string
	}{
		{rules.Item{Source: "attendance", Activities: []string{"支委会"}, Statuses: []string{"出席", "迟到"}}, "出勤：支委会、出席、迟到"},
		{rules.Item{Source: "pledges", Signed: &yes}, "出勤：已签订"},
		{rules.Item{Source: "attendance"}, "出勤"},
	} {
		if got := DescribeItem("出勤", c.it); got != c.want {
			t.Errorf("DescribeItem(%+v) = %q, want %q", c.it, got, c.want)
		}
	}
}
