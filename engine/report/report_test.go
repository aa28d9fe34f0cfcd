package report

import (
	"errors"
	"testing"
)

func TestFill(t *testing.T) {
	values := map[string]string{"支委会次数": "7", "第一党支部.出勤率": "94.7", "党员数": "14"}
	got, err := Fill("t.md", "召开支委会{{支委会次数}}次，出勤率 {{ 第一党支部.出勤率 }}%。", values, nil)
	if err != nil || got != "召开支委会7次，出勤率 94.7%。" {
		t.Errorf("Fill = %q, %v", got, err)
	}
	_, err = Fill("t.md", "第一行\n召开支委会{{支委会次书}}次，{{党员人数}}人", values, nil)
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != 2 ||
		e.Problems[0] != "t.md:2: 未知的占位符 {{支委会次书}}（相近的有：支委会次数、党员数）" ||
		e.Problems[1] != "t.md:2: 未知的占位符 {{党员人数}}（相近的有：党员数、支委会次数）" {
		t.Errorf("err = %v", err)
	}
}

func TestBranchBlock(t *testing.T) {
	values := map[string]string{"一支部.党员数": "7", "二支部.党员数": "5"}
	got, err := Fill("t.md", "表：\n{{#每个支部}}\n| {{支部}} | {{.党员数}} |\n{{/每个支部}}\n完", values, []string{"一支部", "二支部"})
	if want := "表：\n| 一支部 | 7 |\n| 二支部 | 5 |\n完"; err != nil || got != want {
		t.Errorf("Fill = %q, %v; want %q", got, err, want)
	}
}

func TestTemplateMistakes(t *testing.T) {
	values := map[string]string{"一支部.出勤率": "90.0", "二支部.出勤率": "80.0", "出勤率": "85.0"}
	br := []string{"一支部", "二支部"}
	for _, tc := range []struct{ text, want string }{
		{"{{#每个支部}}\n{{支部}} {{.出勤律}}\n{{/每个支部}}", "t.md:2: 未知的占位符 {{.出勤律}}（相近的有：.出勤率）"},
		{"{{#每个支部}}\n{{支部}}", "t.md: {{#每个支部}} 和 {{/每个支部}} 没有成对出现"},
		{"出勤率 {{出勤率}", "t.md:1: 占位符没有写完整或括号不对（应为两个半角花括号：{{名称}}）：出勤率 {{出勤率}"},
		// A third brace would print 87.3}; full-width braces would be printed as they are.
		{"出勤率 {{出勤率}}}%", "t.md:1: 占位符没有写完整或括号不对（应为两个半角花括号：{{名称}}）：出勤率 {{出勤率}}}%"},
		{"测试｛｛测试次数｝｝次", "t.md:1: 占位符没有写完整或括号不对（应为两个半角花括号：{{名称}}）：测试｛｛测试次数｝｝次"},
		{"出勤率 {{.出勤率}}", "t.md:1: {{.出勤率}} 只能写在 {{#每个支部}} 和 {{/每个支部}} 之间"},
	} {
		_, err := Fill("t.md", tc.text, values, br)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Fill(%q) = %v, want %s", tc.text, err, tc.want)
		}
	}
}
