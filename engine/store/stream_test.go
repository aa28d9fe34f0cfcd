package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/store"
)

// smallYear is a scored year of three members, by hand (engine/export's tests write the same
// year from slices):
//
//	一支部 A1 张伟 (正式党员, 身份证号 110101199003071234): 基础分 60, 出勤 主题党日 +1 and 党课 +1,
//	  扣分 党费 −0.5, 不计分 组织生活会 0, 其他加分 志愿服务 +1: 6 movements, 62.5; 承诺书 signed,
//	  优秀; by quarter 31 and 31.5.
//	二支部 B1 李强: 基础分 60: 1 movement, 60; no 承诺书, no period totals.
//	一支部 A2 王芳 (预备党员, listed after B1 in the roster, but with her branch): 基础分 60, 出勤
//	  主题党日 缺席 −2: 2 movements, 58; 承诺书 not signed; 58 in the first quarter only.
//
// 9 movements in all; roster order branch by branch: A1, A2, B1. 2021 has one member, C1, not
// to be seen in 2022 (基础分 70, with a note: 年中转入).
func smallYear(t *testing.T) *store.Store {
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, q := range []string{
		`INSERT INTO members (member_id, name, branch, grp, category, position, mobile, file_id, sheet, row, id_card, phone) VALUES
			('A1', '张伟', '一支部', '', '正式党员', '', false, 1, '', 2, '110101199003071234', ''),
			('A2', '王芳', '一支部', '', '预备党员', '', false, 1, '', 3, '', ''),
			('B1', '李强', '二支部', '', '正式党员', '', false, 1, '', 4, '', ''),
			('C1', '赵敏', '三支部', '', '正式党员', '', false, 1, '', 5, '', '13800001234')`,
		`INSERT INTO scores VALUES (2022, 'A1', '张伟', '一支部', '正式党员', 0, 62.5, 1, '基本合格', '', ''),
			(2022, 'B1', '李强', '二支部', '正式党员', 1, 60, 1, '基本合格', '', ''),
			(2022, 'A2', '王芳', '一支部', '预备党员', 2, 58, 0, '不定等次（预备党员）', '', ''),
			(2021, 'C1', '赵敏', '三支部', '正式党员', 0, 70, 2, '合格', '', '')`,
		`CREATE TEMP TABLE ledger_rows AS SELECT * FROM point_ledger LIMIT 0;
		INSERT INTO ledger_rows VALUES
			(2022, 0, 'A1', 1, '基础分', '基础分', NULL, 60, 60, '', '规则'),
			(2022, 0, 'A1', 2, '出勤', '主题党日·出席', '2022-03-15', 1, 1, '', '考勤.csv!2行'),
			(2022, 0, 'A1', 3, '出勤', '党课·出席', '2022-04-20', 1, 1, '', '考勤.csv!5行'),
			(2022, 0, 'A1', 4, '扣分', '党费未按时缴纳', '2022-05-31', -0.5, -0.5, '', '台账.csv!2行'),
			(2022, 0, 'A1', 5, '不计分', '组织生活会·出席', '2022-06-30', 0, 0, '', '考勤.csv!9行'),
			(2022, 0, 'A1', 6, '其他加分', '志愿服务', '2022-07-01', 1, 1, '', '台账.csv!3行'),
			(2022, 0, 'A2', 1, '基础分', '基础分', NULL, 60, 60, '', '规则'),
			(2022, 0, 'A2', 2, '出勤', '主题党日·缺席', '2022-03-15', -2, -2, '', '考勤.csv!3行'),
			(2022, 0, 'B1', 1, '基础分', '基础分', NULL, 60, 60, '', '规则'),
			(2021, 0, 'C1', 1, '基础分', '基础分', NULL, 70, 70, '年中转入', '规则')`,
		store.LedgerFromRows,
		`INSERT INTO period_scores VALUES (2022, 1, 'A1', 31), (2022, 2, 'A1', 31.5), (2022, 1, 'A2', 58), (2022, 0, 'A1', 62.5)`,
		`INSERT INTO pledges VALUES ('A1', 2022, true, '优秀', 1, '', 2), ('A2', 2022, false, '', 1, '', 3), ('B1', 2021, true, '', 1, '', 4)`,
	} {
		if _, err := st.DB.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	return st
}

func f(v float64) *float64 { return &v }

// collect gathers what a streaming read puts, each value copied by clone (the reads reuse their
// slices).
func collect[T any](t *testing.T, read func(put func(T) error) error, clone func(T) T) []T {
	t.Helper()
	var out []T
	if err := read(func(x T) error { out = append(out, clone(x)); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func same[T any](x T) T { return x }

// floats copies a slice of points and what they point to.
func floats(ps []*float64) []*float64 {
	out := make([]*float64, len(ps))
	for i, p := range ps {
		if p != nil {
			out[i] = f(*p)
		}
	}
	return out
}

// The streaming reads of a scored year put its rows in roster order, with the values worked by
// hand in smallYear.
func TestStream(t *testing.T) {
	ctx := context.Background()
	st := smallYear(t)
	const year = 2022

	if n, err := st.ScoredMembers(ctx, year); err != nil || n != 3 {
		t.Errorf("ScoredMembers = %d, %v; want 3", n, err)
	}
	if n, err := st.ScoredMembers(ctx, 2020); err != nil || n != 0 {
		t.Errorf("ScoredMembers(2020) = %d, %v; want 0", n, err)
	}
	if p, err := st.HasPersonalData(ctx, year); err != nil || !p {
		t.Errorf("HasPersonalData = %v, %v; want true (A1's 身份证号)", p, err)
	}
	if _, err := st.DB.Exec("UPDATE members SET id_card = '' WHERE member_id = 'A1'"); err != nil {
		t.Fatal(err)
	}
	if p, err := st.HasPersonalData(ctx, year); err != nil || p {
		t.Errorf("HasPersonalData = %v, %v; want false (C1's 手机号 is of 2021)", p, err)
	}
	if _, err := st.DB.Exec("UPDATE members SET id_card = '110101199003071234' WHERE member_id = 'A1'"); err != nil {
		t.Fatal(err)
	}

	scores := collect(t, func(put func(engine.MemberResult) error) error { return st.EachScore(ctx, year, put) }, same)
	wantScores := []engine.MemberResult{
		{ID: "A1", Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 62.5, Stars: 1, Grade: "基本合格", IDCard: "110101199003071234"},
		{ID: "A2", Name: "王芳", Branch: "一支部", Category: "预备党员", Total: 58, Grade: "不定等次（预备党员）"},
		{ID: "B1", Name: "李强", Branch: "二支部", Category: "正式党员", Total: 60, Stars: 1, Grade: "基本合格"},
	}
	if !reflect.DeepEqual(scores, wantScores) {
		t.Errorf("EachScore =\n%+v\nwant\n%+v", scores, wantScores)
	}

	pledges := collect(t, func(put func(engine.PledgeRow) error) error { return st.EachPledge(ctx, year, put) }, same)
	wantPledges := []engine.PledgeRow{
		{MemberID: "A1", Name: "张伟", Branch: "一支部", Has: true, Signed: true, Rating: "优秀"},
		{MemberID: "A2", Name: "王芳", Branch: "一支部", Has: true},
		{MemberID: "B1", Name: "李强", Branch: "二支部"},
	}
	if !reflect.DeepEqual(pledges, wantPledges) {
		t.Errorf("EachPledge =\n%+v\nwant\n%+v", pledges, wantPledges)
	}

	periods := collect(t, func(put func(engine.PeriodTotals) error) error { return st.EachPeriodTotals(ctx, year, 4, put) },
		func(p engine.PeriodTotals) engine.PeriodTotals { p.Periods = floats(p.Periods); return p })
	wantPeriods := []engine.PeriodTotals{
		{MemberID: "A1", Name: "张伟", Branch: "一支部", Periods: []*float64{f(31), f(31.5), nil, nil}, Total: 62.5},
		{MemberID: "A2", Name: "王芳", Branch: "一支部", Periods: []*float64{f(58), nil, nil, nil}, Total: 58},
		{MemberID: "B1", Name: "李强", Branch: "二支部", Periods: []*float64{nil, nil, nil, nil}, Total: 60},
	}
	if !reflect.DeepEqual(periods, wantPeriods) {
		t.Errorf("EachPeriodTotals =\n%s\nwant\n%s", show(periods), show(wantPeriods))
	}

	cats, n, err := st.LedgerCategories(ctx, year)
	if want := []string{"基础分", "出勤", "扣分", "其他加分"}; err != nil || n != 9 || !slices.Equal(cats, want) {
		t.Errorf("LedgerCategories = %q, %d, %v; want %q, 9 (不计分 gave no points)", cats, n, err, want)
	}

	lines := collect(t, func(put func(engine.LedgerLine) error) error { return st.EachMovement(ctx, year, put) }, same)
	var ids []string
	for _, l := range lines {
		ids = append(ids, l.MemberID+" "+l.Name+" "+l.Branch)
	}
	if want := []string{"A1 张伟 一支部", "A1 张伟 一支部", "A1 张伟 一支部", "A1 张伟 一支部", "A1 张伟 一支部", "A1 张伟 一支部",
		"A2 王芳 一支部", "A2 王芳 一支部", "B1 李强 二支部"}; !slices.Equal(ids, want) {
		t.Errorf("EachMovement members %q, want %q", ids, want)
	}
	if want := (engine.LedgerLine{Movement: engine.Movement{MemberID: "A1", Seq: 4, Category: "扣分", Rule: "党费未按时缴纳",
		Date: time.Date(2022, 5, 31, 0, 0, 0, 0, time.UTC), Raw: -0.5, Points: -0.5, Source: "台账.csv!2行"}, Name: "张伟", Branch: "一支部"}); len(lines) != 9 ||
		!reflect.DeepEqual(lines[3], want) || !lines[0].Date.IsZero() {
		t.Errorf("EachMovement line 4 = %+v, want %+v (and line 1 undated)", lines[3], want)
	}

	sums := collect(t, func(put func(engine.LedgerSum) error) error { return st.EachLedgerSum(ctx, year, cats, put) },
		func(s engine.LedgerSum) engine.LedgerSum { s.Categories = floats(s.Categories); return s })
	wantSums := []engine.LedgerSum{
		{MemberID: "A1", Name: "张伟", Branch: "一支部", Movements: 6, Categories: []*float64{f(60), f(2), f(-0.5), f(1)}, Total: 62.5},
		{MemberID: "A2", Name: "王芳", Branch: "一支部", Movements: 2, Categories: []*float64{f(60), f(-2), nil, nil}, Total: 58},
		{MemberID: "B1", Name: "李强", Branch: "二支部", Movements: 1, Categories: []*float64{f(60), nil, nil, nil}, Total: 60},
	}
	if !reflect.DeepEqual(sums, wantSums) {
		t.Errorf("EachLedgerSum =\n%s\nwant\n%s", show(sums), show(wantSums))
	}

	// A put that fails ends the query: its error is returned and the store answers again.
	stop := errors.New("stop")
	calls := 0
	if err := st.EachMovement(ctx, year, func(engine.LedgerLine) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("EachMovement with a failing put: %v after %d calls, want stop after 1", err, calls)
	}
	if n, err := st.ScoredMembers(ctx, year); err != nil || n != 3 {
		t.Errorf("ScoredMembers after a stopped query = %d, %v", n, err)
	}
}

// show prints period totals or ledger sums with the points their pointers point to.
func show[T engine.PeriodTotals | engine.LedgerSum](xs []T) string {
	points := func(ps []*float64) string {
		var b strings.Builder
		for _, p := range ps {
			if p == nil {
				b.WriteString(" nil")
			} else {
				fmt.Fprintf(&b, " %v", *p)
			}
		}
		return "[" + b.String() + " ]"
	}
	var b strings.Builder
	for _, x := range xs {
		switch x := any(x).(type) {
		case engine.PeriodTotals:
			fmt.Fprintf(&b, "%s %s %s %s %v\n", x.MemberID, x.Name, x.Branch, points(x.Periods), x.Total)
		case engine.LedgerSum:
			fmt.Fprintf(&b, "%s %s %s %d %s %v\n", x.MemberID, x.Name, x.Branch, x.Movements, points(x.Categories), x.Total)
		}
	}
	return b.String()
}

// The point ledger of one member, numbered among its own movements, is its part of the whole
// ledger; the view gives back the rows stored (seq, source 文件!N行 or 规则, note).
func TestLedgerOfMember(t *testing.T) {
	ctx := context.Background()
	st := smallYear(t)
	all, err := st.Ledger(ctx, 2022, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 9 || all[1].Seq != 2 || all[1].Source != "考勤.csv!2行" || all[0].Source != "规则" || all[1].Rule != "主题党日·出席" {
		t.Fatalf("Ledger = %+v", all)
	}
	for _, id := range []string{"A1", "A2", "B1"} {
		one, err := st.Ledger(ctx, 2022, id)
		if err != nil {
			t.Fatal(err)
		}
		var want []engine.Movement
		for _, m := range all {
			if m.MemberID == id {
				want = append(want, m)
			}
		}
		if len(one) == 0 || !reflect.DeepEqual(one, want) {
			t.Errorf("Ledger(%s) =\n%+v\nwant\n%+v", id, one, want)
		}
	}
	if none, err := st.Ledger(ctx, 2022, "C1"); err != nil || len(none) != 0 {
		t.Errorf("Ledger(C1) of 2022 = %v, %v; want none", none, err)
	}
	if c1, err := st.Ledger(ctx, 2021, "C1"); err != nil || len(c1) != 1 || c1[0].Note != "年中转入" || c1[0].Rule != "基础分" {
		t.Errorf("Ledger(C1) of 2021 = %+v, %v; want 基础分 with the note 年中转入", c1, err)
	}
}
