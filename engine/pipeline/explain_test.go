package pipeline_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/export"
)

// jifen explain on the hand-worked fixture (see e2e_test.go for the derivations): the reasons
// for 黄强's stars and grade (94 points, tied with 徐丽 behind 周婷 in 第二党支部, whose 6
// 正式党员 allow ⌊6/3⌋ = 2 优秀), 周婷's sign-ins past the +30 cap, and a shared name.
func TestExplain(t *testing.T) {
	j, _ := runFixture(t)
	explain := func(who string) string {
		y, m, ledger, err := j.Explain(context.Background(), who)
		if err != nil {
			t.Fatalf("explain %s: %v", who, err)
		}
		var b bytes.Buffer
		export.WriteExplanation(&b, y, "year", m, ledger)
		return b.String()
	}
	out := explain("黄强")
	for _, want := range []string{
		"DY008 黄强（第二党支部，正式党员）2022 年积分明细",
		"总积分：94 分",
		"星级：4 星（总分 94 分 ≥ 90 分，4 星）",
		"等次：合格（总分 94 分，支部正式党员 6 人，优秀名额 2 人，同分及以上 3 人，超出名额，定为合格）",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain 黄强 lacks %q:\n%s", want, out)
		}
	}
	out = explain("DY009")
	if !strings.Contains(out, "已达出勤加分上限 30 分，不再计分") || !strings.Contains(out, "总积分：101.5 分") {
		t.Errorf("explain 周婷 shows no cap:\n%s", out)
	}
	if _, _, _, err := j.Explain(context.Background(), "李娜"); err == nil || err.Error() != `姓名 “李娜” 有 2 人：DY003（第一党支部）、DY012（第二党支部），请写明支部（如 jifen explain "第一党支部/李娜"）或用党员编号（members.csv 的第一列）` {
		t.Errorf("explain 李娜: %v", err)
	}
	// The branch and the name, as the message says, or with a space, or the branch's short form
	// (a unit without 党员编号 has no other handle): DY012 is 李娜 of 第二党支部.
	for _, who := range []string{"第二党支部/李娜", "第二党支部 李娜", "二党支部/李娜"} {
		if _, m, _, err := j.Explain(context.Background(), who); err != nil || m.ID != "DY012" {
			t.Errorf("explain %s: %s, %v; want DY012", who, m.ID, err)
		}
	}
}

// A member of the roster whose days on the roll miss the year (DY099, 转出 2021-05-31, added to
// the stored roster after scoring) has no result: explain says why rather than "no such member".
func TestExplainNotOnRoll(t *testing.T) {
	j, _ := runFixture(t)
	if _, err := j.Store.DB.Exec(`INSERT INTO members (member_id, name, branch, grp, category, position, join_date, transfer_out, mobile, file_id, sheet, row)
		VALUES ('DY099', '钱多', '第一党支部', '', '正式党员', '', DATE '2005-07-01', DATE '2021-05-31', false, 1, '', 99)`); err != nil {
		t.Fatal(err)
	}
	want := "DY099 钱多（第一党支部）在党员名册中，但 2022 年不在册（入党时间 2005-07-01，转入时间 无，转出时间 2021-05-31），所以没有 2022 年的计分结果"
	for _, who := range []string{"DY099", "钱多"} {
		if _, _, _, err := j.Explain(context.Background(), who); err == nil || err.Error() != want {
			t.Errorf("explain %s: %v\nwant %s", who, err, want)
		}
	}
}
