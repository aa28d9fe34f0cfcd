package importer

import (
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// A running-number column is no problem; any other unused column with values is.
func TestExemptColumn(t *testing.T) {
	for _, c := range []struct {
		header string
		values []string
		want   string
	}{
		{"序号", []string{"1", "2", "3"}, "序号列"},
		{"编号", []string{"3", "7"}, "序号列"},                 // whole numbers under 序号/编号: rows may have been removed
		{"", []string{"1", "2", "3"}, "序号列（内容为 1、2、3…）"},  // no header, but 1, 2, 3 in order
		{"座位", []string{"1.0", "2.0"}, "序号列（内容为 1、2、3…）"}, // numbers stored as 1.0
		{"编号", []string{"A01", "A02"}, ""},                // not numbers: member IDs, a problem
		{"", []string{"2", "3"}, ""},                      // not from 1: a problem
		{"得分", []string{"1", "3"}, ""},                    // numbers, not in order: a problem
		{"备注", nil, "空列"},
	} {
		if got := exemptColumn(c.header, c.values); got != c.want {
			t.Errorf("exemptColumn(%q, %q) = %q, want %q", c.header, c.values, got, c.want)
		}
	}
}

// A table is a row of three cells with two rows of two under it (footer lines aside); a
// 填表说明 (one column of lines) or a cover (a title, a line) is none.
func TestFindTable(t *testing.T) {
	for _, c := range []struct {
		name   string
		rows   [][]string
		header int
		n      int
		ok     bool
	}{
		{"填表说明", [][]string{{"填表说明"}, {"1. 每次会议填写一张签到表。"}, {"2. 请假人员在备注中注明原因。"}}, 0, 0, false},
		{"封面", [][]string{{"", "2022年度党建工作台账", ""}, {"", "中共××局第一党支部", ""}}, 0, 0, false},
		{"表格", [][]string{{"工作台账"}, {"序号", "工作事项", "责任人"}, {"1", "组织学习", "张伟"}, {"2", "上报党费", "王芳"}}, 1, 2, true},
		// One row under the header, then a footer line: not enough rows to be a table.
		{"只有一行", [][]string{{"序号", "工作事项", "责任人"}, {"1", "组织学习", "张伟"}, {"填表人：王芳", "审核人：李明"}}, 0, 0, false},
		// A time in the first column is no signature line's colon: two rows, a table (the
		// colon-anywhere rule once read both rows as footers, and the table was no problem).
		{"时间在首列", [][]string{{"时间", "工作事项", "责任人"}, {"2023-03-15 09:30", "组织学习", "张伟"}, {"2023-04-12 14:00", "上报党费", "王芳"}}, 0, 2, true},
	} {
		h, n, ok := findTable(sheet.Table{Sheet: c.name, Rows: c.rows})
		if h != c.header || n != c.n || ok != c.ok {
			t.Errorf("%s: findTable = %d, %d, %v; want %d, %d, %v", c.name, h, n, ok, c.header, c.n, c.ok)
		}
	}
}

// unused_column_with_running_number_and_footer.csv: 序号 1, 2 (with the footer 填表人：刘洋
// under it, which is no value of the column) is exempt; 座位号 (A1, blank) is a problem at
// its header cell F1; 王芳 出席, 李 娜 请假 are read.
func TestUnusedColumnProblem(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/unused_column_with_running_number_and_footer.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Parse(c, r); err != nil {
		t.Fatal(err)
	}
	rd := f.Readings()[0]
	if got := rd.UnusedLine(); got != "未用的列：A “序号”（序号列，不算问题）、F “座位号”（如：A1）" {
		t.Errorf("unused: %s", got)
	}
	ps := f.Problems()
	if len(ps) != 1 || !strings.HasPrefix(ps[0], "unused_column_with_running_number_and_footer.csv!F1: 列 F “座位号”（如：A1） 有内容，但没有用作任何字段") {
		t.Errorf("problems: %q", ps)
	}
	if got := rd.Summary(); got != "unused_column_with_running_number_and_footer.csv：我这样理解这张表：签到，出席 1，请假 1（读了 2 行，跳过 1 行：表尾（合计、签字、说明、应到实到等） 1 行）" {
		t.Errorf("summary: %s", got)
	}

	// Named in import.ignore, the column is listed as ignored and is no problem.
	c.Import.Ignore = append(c.Import.Ignore, ignoreEntry("unused_column_*.csv", "", "座位号"))
	f, err = Load("testdata/unused_column_with_running_number_and_footer.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Readings()[0].UnusedLine(); got != "未用的列：A “序号”（序号列，不算问题）、F “座位号”（按配置 import.ignore 忽略）" || len(f.Problems()) != 0 {
		t.Errorf("ignored: %s; problems %q", got, f.Problems())
	}
}

// signin_all_blank_no_records.csv: a sign-in table of two rows whose 出勤情况 is blank (not
// expected, blank_is_absent false): no record, a problem of the sheet.
func TestTableWithoutRecordsProblem(t *testing.T) {
	c := config(t)
	r := roster(t, c)
	f, err := Load("testdata/signin_all_blank_no_records.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Parse(c, r); err != nil {
		t.Fatal(err)
	}
	rd := f.Readings()[0]
	if rd.Rows != 2 || rd.Records != 0 || rd.Unread != "没有读出记录" || len(f.Problems()) != 1 ||
		!strings.HasPrefix(f.Problems()[0], "signin_all_blank_no_records.csv!1行: 这张表有 2 行数据，但没有读出任何记录") {
		t.Errorf("rows %d, records %d, unread %q, problems %q", rd.Rows, rd.Records, rd.Unread, f.Problems())
	}
}

// instructions_sheet_not_a_table.csv (a 填表说明 of four lines in one column) is no table: no
// problem, a reading saying why, and the file skipped with a warning.
func TestInstructionsAreNoProblem(t *testing.T) {
	f, err := Load("testdata/instructions_sheet_not_a_table.csv", "", config(t))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Empty() || len(f.Problems()) != 0 || f.Readings()[0].Summary() != "instructions_sheet_not_a_table.csv：不是记录表（表头中没有可识别的记录列，也不像一张表格）" {
		t.Errorf("empty %v, problems %q, reading %s", f.Empty(), f.Problems(), f.Readings()[0].Summary())
	}
}

func ignoreEntry(file, sheet string, columns ...string) rules.IgnoreEntry {
	return rules.IgnoreEntry{File: file, Sheet: sheet, Columns: columns}
}

// exemptColumn is (for the tests) runningNumber's verdict on a column's values.
func exemptColumn(header string, values []string) string {
	var r runningNumber
	for _, v := range values {
		r.add(v)
	}
	return r.exempt(header)
}
