package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
)

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// EachMember gives the members in the order of Members, with their ID, name, branch, 党小组,
// 党内职务, dates of joining and moving and source as Members reads them (and the 身份证号),
// and the other fields zero.
func TestEachMember(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	src := func(file, sheet string, row int) engine.Source {
		return engine.Source{File: file, Sheet: sheet, Row: row}
	}
	b := &engine.Batch{Members: []engine.Member{
		{ID: "A2", Name: "乙", Branch: "一支部", Group: "一组", Category: "正式党员", Position: "书记", JoinDate: date(2001, 7, 1),
			TransferOut: date(2022, 6, 30), Mobile: true, IDCard: "110101200001011234", Src: src("名册.xlsx", "二", 3)},
		{ID: "A1", Name: "甲", Branch: "一支部", Category: "预备党员", Src: src("名册.xlsx", "一", 2)},
		{ID: "A3", Name: "丙", Branch: "二支部", Category: "正式党员", TransferIn: date(2020, 1, 1), Src: src("名册.xlsx", "一", 3)},
	}}
	if _, err := st.Import(ctx, "/in/名册.xlsx", "名册.xlsx", "h1", b); err != nil {
		t.Fatal(err)
	}
	b = &engine.Batch{Members: []engine.Member{{ID: "B1", Name: "丁", Branch: "二支部", Category: "正式党员", Src: src("补充.csv", "", 2)}}}
	if _, err := st.Import(ctx, "/in/补充.csv", "补充.csv", "h2", b); err != nil {
		t.Fatal(err)
	}
	all, err := st.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []engine.Member
	for _, m := range all {
		want = append(want, engine.Member{ID: m.ID, Name: m.Name, Branch: m.Branch, Group: m.Group, Position: m.Position,
			JoinDate: m.JoinDate, TransferIn: m.TransferIn, TransferOut: m.TransferOut, Src: m.Src})
	}
	// EachMember reads the 身份证号 too (records are matched by it); Members does not give it.
	want[2].IDCard = "110101200001011234"
	var got []engine.Member
	size := -1
	if err := st.EachMember(ctx, func(n int) { size = n }, func(m *engine.Member) error {
		got = append(got, *m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if size != 4 || !reflect.DeepEqual(got, want) || got[0].ID != "A1" || !got[2].TransferOut.Equal(date(2022, 6, 30)) {
		t.Errorf("EachMember (size %d):\n got %+v\nwant %+v", size, got, want)
	}
}

// A file holding records another file already holds is refused, sign-ins, tests and pledges
// alike; one whose dates, tests and years differ is not (duplicates looks for sign-ins only
// when another file has some within the file's dates).
func TestDuplicatesOfOtherFiles(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	records := func(file string, day, year int) *engine.Batch {
		score := 90.0
		s := func(row int) engine.Source { return engine.Source{File: file, Sheet: "表", Row: row} }
		return &engine.Batch{
			Attendance: []engine.Attendance{{MemberID: "A1", Activity: "党课", Date: date(2022, 3, day), Status: "出席", Src: s(2)}},
			Tests:      []engine.TestScore{{MemberID: "A1", Test: "党章", Date: date(2022, 3, day), Score: &score, FullMark: 100, Src: s(3)}},
			Pledges:    []engine.Pledge{{MemberID: "A1", Year: year, Signed: true, Src: s(4)}},
		}
	}
	if _, err := st.Import(ctx, "/in/一.xlsx", "一.xlsx", "h1", records("一.xlsx", 1, 2022)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, "/in/二.xlsx", "二.xlsx", "h2", records("二.xlsx", 2, 2023)); err != nil {
		t.Errorf("a file of other dates and years: %v", err)
	}
	_, err := st.Import(ctx, "/in/三.xlsx", "三.xlsx", "h3", records("三.xlsx", 1, 2022))
	want := []string{
		"三.xlsx: 3 处错误，整个文件未导入",
		"三.xlsx[表]!2行: 与已导入的 一.xlsx[表]!2行 重复（同一党员、同一活动、同一日期）：同一记录只能导入一次：如果这个文件是原文件的修订版，请用它替换原文件（用原来的文件名）；如果两个文件登记的是同一件事（如签到表和登记簿都记了这次会议），请核对两处写的是否一致，只在一处登记它（另一处独有的记录要保留）",
		"三.xlsx[表]!3行: 与已导入的 一.xlsx[表]!3行 重复（同一党员、同一测试、同一日期）：同一记录只能导入一次：如果这个文件是原文件的修订版，请用它替换原文件（用原来的文件名）；如果两个文件登记的是同一件事（如签到表和登记簿都记了这次会议），请核对两处写的是否一致，只在一处登记它（另一处独有的记录要保留）",
		"三.xlsx[表]!4行: 与已导入的 一.xlsx[表]!4行 重复（同一党员、同一年度的承诺书）：同一记录只能导入一次：如果这个文件是原文件的修订版，请用它替换原文件（用原来的文件名）；如果两个文件登记的是同一件事（如签到表和登记簿都记了这次会议），请核对两处写的是否一致，只在一处登记它（另一处独有的记录要保留）",
	}
	if err == nil || err.Error() != strings.Join(want, "\n  ") {
		t.Errorf("a file of the same records:\n got %v\nwant %s", err, strings.Join(want, "\n  "))
	}
}

// A file of more duplicates than are listed says how many more there are: 105 sign-ins held by
// another file are 105 problems, the first 100 listed.
func TestDuplicatesCounted(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	records := func(file string) *engine.Batch {
		b := &engine.Batch{}
		for i := range 105 {
			b.Attendance = append(b.Attendance, engine.Attendance{MemberID: fmt.Sprintf("A%d", i), Activity: "党课",
				Date: date(2022, 3, 1), Status: "出席", Src: engine.Source{File: file, Sheet: "表", Row: i + 2}})
		}
		return b
	}
	if _, err := st.Import(ctx, "/in/一.xlsx", "一.xlsx", "h1", records("一.xlsx")); err != nil {
		t.Fatal(err)
	}
	_, err := st.Import(ctx, "/in/二.xlsx", "二.xlsx", "h2", records("二.xlsx"))
	var fe *engine.FileErrors
	if !errors.As(err, &fe) || len(fe.Errs) != 100 || fe.More != 5 {
		t.Fatalf("105 duplicates: %v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "二.xlsx: 105 处错误，整个文件未导入") || !strings.HasSuffix(msg, "……另有 5 处错误未列出（先改正上面的，再检查一遍）") {
		t.Errorf("105 duplicates: %s", msg)
	}
	var n int
	if err := st.DB.QueryRow("SELECT count(*) FROM attendance").Scan(&n); err != nil || n != 105 {
		t.Errorf("attendance rows after the refused file: %d (%v), want 105", n, err)
	}
}
