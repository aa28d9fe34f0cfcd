package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine"
)

// parseText writes text to a CSV file named 考勤.csv and parses it against the test roster.
func parseText(t *testing.T, text string) error {
	t.Helper()
	c := config(t)
	r := roster(t, c)
	path := filepath.Join(t.TempDir(), "考勤.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, "", c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Parse(c, r)
	return err
}

// A file of thousands of wrong rows lists the first MaxErrors problems and counts the rest,
// and repeated sign-ins are found however far apart they are.
//
// By hand: 1,005 rows of 党员编号 X1 … X1005, none in the roster: 1,005 problems, 1,000 listed,
// 5 counted.
func TestErrorsListedUpToMax(t *testing.T) {
	var b strings.Builder
	b.WriteString("党员编号,活动类型,活动日期,出勤情况\n")
	for i := 1; i <= 1005; i++ {
		fmt.Fprintf(&b, "X%d,党课,2022-03-01,出席\n", i)
	}
	err := parseText(t, b.String())
	var fe *engine.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("Parse = %v, want file errors", err)
	}
	if len(fe.Errs) != MaxErrors || fe.More != 5 {
		t.Errorf("%d listed, %d more; want %d and 5", len(fe.Errs), fe.More, MaxErrors)
	}
	msg := fe.Error()
	for _, want := range []string{"考勤.csv: 1005 处错误，整个文件未导入", "考勤.csv!A2: 党员编号 “X1” 不在党员名册中", "……另有 5 处错误未列出"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

// Rows 2 and 5 are the same sign-in (A01 at 党课 on 2022-03-01, the date written two ways),
// as are rows 3 and 6; row 4 is another member. So rows 5 and 6 repeat rows 2 and 3.
func TestRepeatedSignIns(t *testing.T) {
	err := parseText(t, "党员编号,姓名,活动类型,活动日期,出勤情况\n"+
		"A01,张伟,党课,2022-03-01,出席\n"+
		"A02,王芳,党课,2022-03-01,出席\n"+
		"A04,李娜,党课,2022-03-01,请假\n"+
		"A01,张伟,党课,2022/3/1,缺席\n"+
		"A02,王芳,党课,2022-03-01,出席\n")
	var fe *engine.FileErrors
	if !errors.As(err, &fe) || len(fe.Errs) != 2 {
		t.Fatalf("Parse = %v, want two problems", err)
	}
	for i, want := range []string{"考勤.csv!B5: 与第 2 行重复（同一党员、同一活动、同一日期）", "考勤.csv!B6: 与第 3 行重复（同一党员、同一活动、同一日期）"} {
		if got := fe.Errs[i].Error(); got != want {
			t.Errorf("problem %d: %q, want %q", i, got, want)
		}
	}
}
