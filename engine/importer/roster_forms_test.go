package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// loadInto reads a file (named name in messages) against roster r: its records, its file (for
// warnings and readings), or its problems as one text per line.
func loadInto(t *testing.T, c *rules.Config, r *Roster, path, name string) (*engine.Batch, *File, []string) {
	t.Helper()
	f, err := Load(path, name, c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		var fe *engine.FileErrors
		if !errors.As(err, &fe) {
			t.Fatal(err)
		}
		var msgs []string
		for _, e := range fe.Errs {
			msgs = append(msgs, e.Error())
		}
		return nil, f, msgs
	}
	return b, f, nil
}

// csvFile writes a CSV file named name in a new temporary folder.
func csvFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// keys lists the member keys of a batch's attendance, in order, with their status.
func attendanceKeys(b *engine.Batch) []string {
	var out []string
	for _, a := range b.Attendance {
		out = append(out, a.MemberID+" "+a.Status)
	}
	return out
}

// roster_no_member_id.csv has no 党员编号. The keys, worked out by hand:
//
//	row 2 张伟 第一党支部 110101199003071233 → 身份证:110101********1233/张伟 (first 6, last 4)
//	row 3 王芳 第一党支部 (no 身份证号)       → 第一党支部/王芳
//	row 4 “张　伟” 第二党支部 (full-width space) → 第二党支部/张伟, named 张伟
//	row 5 王芳 第二党支部 320102199208150045 → 身份证:320102********0045/王芳
//
// No key shows a 身份证号 whole.
func TestRosterNoMemberID(t *testing.T) {
	c := config(t)
	r := NewRoster(nil)
	b, _, errs := loadInto(t, c, r, "testdata/roster_no_member_id.csv", "")
	if errs != nil {
		t.Fatal(errs)
	}
	type who struct{ id, name, branch, category, position, card string }
	var got []who
	for _, m := range b.Members {
		got = append(got, who{m.ID, m.Name, m.Branch, m.Category, m.Position, m.IDCard})
	}
	want := []who{
		{"身份证:110101********1233/张伟", "张伟", "第一党支部", "正式党员", "支部书记", "110101199003071233"},
		{"第一党支部/王芳", "王芳", "第一党支部", "正式党员", "组织委员", ""},
		{"第二党支部/张伟", "张伟", "第二党支部", "正式党员", "", ""},
		{"身份证:320102********0045/王芳", "王芳", "第二党支部", "预备党员", "宣传委员", "320102199208150045"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members =\n%q\nwant\n%q", got, want)
	}

	// Records of other sheets find them by name within 所在支部 (张　伟 is 张伟), or by 身份证号.
	sign := csvFile(t, "签到.csv", "姓名,所在支部,身份证号,活动类型,活动日期,出勤情况\n"+
		"张　伟,第二党支部,,支委会,2022-03-02,出席\n"+ // 第二党支部/张伟
		"王芳,,320102199208150045,支委会,2022-03-02,请假\n"+ // by 身份证号: the 王芳 of 第二党支部
		"王芳,第一党支部,,支委会,2022-03-02,缺席\n"+ // 第一党支部/王芳
		"张伟,,110101199003071233,支委会,2022-03-02,迟到\n") // by 身份证号: the 张伟 of 第一党支部
	b, _, errs = loadInto(t, c, r, sign, "")
	if errs != nil {
		t.Fatal(errs)
	}
	wantAtt := []string{"第二党支部/张伟 出席", "身份证:320102********0045/王芳 请假", "第一党支部/王芳 缺席", "身份证:110101********1233/张伟 迟到"}
	if got := attendanceKeys(b); !reflect.DeepEqual(got, wantAtt) {
		t.Errorf("sign-ins = %q, want %q", got, wantAtt)
	}

	// A 身份证号 of another name, or a name whose 身份证号 differs from the roster's, is an error
	// at its cell (and the message masks the 身份证号).
	bad := csvFile(t, "签到.csv", "姓名,所在支部,身份证号,活动类型,活动日期,出勤情况\n"+
		"李四,,320102199208150045,支委会,2022-03-02,出席\n"+
		"张伟,第一党支部,110101199003071234,支委会,2022-03-02,出席\n")
	_, _, errs = loadInto(t, c, r, bad, "")
	wantErrs := []string{
		"签到.csv!A2: 姓名 “李四” 与名册中这个身份证号的姓名 “王芳” 不一致",
		"签到.csv!C3: 身份证号与名册中 张伟（身份证:110101********1233/张伟）的身份证号不一致",
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, wantErrs)
	}
}

// Rows a roster cannot tell apart are errors at the cell, saying what would: two 李娜 of one
// branch without 身份证号 (row 3); one 身份证号 twice (row 5); and two 张伟 whose 身份证号 differ
// only in the 8 hidden digits (110101199003071233 and 110101198001011233 both give
// 身份证:110101********1233/张伟, row 7). 王五 with the same masked 身份证号 as 张伟 gets a key
// of his own (row 8): the name is part of it.
func TestRosterRowsThatCannotBeToldApart(t *testing.T) {
	c := config(t)
	p := csvFile(t, "名册.csv", "姓名,所在支部,党员类别,身份证号\n"+
		"李娜,第一党支部,正式党员,\n"+
		"李娜,第一党支部,正式党员,\n"+
		"赵六,第一党支部,正式党员,320102199208150045\n"+
		"赵七,第一党支部,正式党员,320102199208150045\n"+
		"张伟,第一党支部,正式党员,110101199003071233\n"+
		"张伟,第二党支部,正式党员,110101198001011233\n"+
		"王五,第二党支部,正式党员,110101198001011233\n")
	_, _, errs := loadInto(t, c, NewRoster(nil), p, "")
	want := []string{
		"名册.csv!A3: 所在支部 “第一党支部” 中有两个 李娜（第 2 行和这一行），又没有身份证号，无法区分两人：请增加 身份证号 或 党员编号 列",
		"名册.csv!D5: 身份证号与第 4 行重复（同一个人在名册中出现两次？）",
		"名册.csv!D7: 身份证号与第 6 行的 张伟 只有中间 8 位不同，按身份证号无法区分两人：请增加 党员编号 列",
		"名册.csv!D8: 身份证号与第 7 行重复（同一个人在名册中出现两次？）",
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, want)
	}
}

// roster_political_status.xlsx (testdata/gen/roster.go): 政治面貌 is the 党员类别; 赵敏 (群众)
// and 陈晨 (共青团员) are not members: skipped, each with its reason in the reading. 张伟 is
// 支部副书记 and 刘洋 组织委员 (both count as 支委: scoring's committee_positions 书记, 委员 are
// found inside the 职务, see TestCommitteeByPosition in engine/pipeline).
func TestRosterPoliticalStatus(t *testing.T) {
	c := config(t)
	b, f, errs := loadInto(t, c, NewRoster(nil), "testdata/roster_political_status.xlsx", "")
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, m := range b.Members {
		got = append(got, m.ID+" "+m.Category+" "+m.Position)
	}
	want := []string{"机关第一党支部/张伟 正式党员 支部副书记", "机关第一党支部/王芳 预备党员 ", "机关第一党支部/刘洋 正式党员 组织委员"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %q, want %q", got, want)
	}
	rd := f.Readings()[0]
	wantSkip := map[string]int{"不是党员（政治面貌：群众）": 1, "不是党员（政治面貌：共青团员）": 1}
	if rd.Rows != 5 || !reflect.DeepEqual(rd.Skipped, wantSkip) || rd.Records != 3 {
		t.Errorf("reading: rows %d, skipped %v, records %d; want 5, %v, 3", rd.Rows, rd.Skipped, rd.Records, wantSkip)
	}
	if s := rd.Summary(); !strings.Contains(s, "跳过 2 行") {
		t.Errorf("summary %q does not say the 2 rows skipped", s)
	}
}

// roster_id_card_as_number.xlsx: 张伟's 身份证号 cell is the number 1.1010119900307123E+17 (the
// last digit of 110101199003071233 is lost). It is not used as a key (张伟 is 第一党支部/张伟),
// it is kept as read (outputs mask it as 110101************), and a warning at D2 says what
// happened and how to fix it, without the number whole. The .xls copy (made by LibreOffice
// from the .xlsx) holds the same double: read as 1.1010119900307123E+17 too, never as the
// 18 digits 110101199003071230 that would pass for a 身份证号 with its last digit wrong.
func TestRosterIDCardAsNumber(t *testing.T) {
	c := config(t)
	for _, name := range []string{"roster_id_card_as_number.xlsx", "libreoffice_roster_id_card_as_number.xls"} {
		b, f, errs := loadInto(t, c, NewRoster(nil), "testdata/"+name, "")
		if errs != nil {
			t.Fatal(name, errs)
		}
		var got []string
		for _, m := range b.Members {
			got = append(got, m.ID+" "+m.IDCard)
		}
		want := []string{"第一党支部/张伟 1.1010119900307123E+17", "身份证:320102********0045/李娜 320102199208150045"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: members = %q, want %q", name, got, want)
		}
		wantWarn := name + "[Sheet1]!D2: 身份证号 “110101************” 存成了数字，第 15 位以后的数字已经丢失（表格软件的数字只保留 15 位有效数字），不能用来识别党员：请把这一列设为 文本 格式，再重新输入完整的身份证号；这一行暂按 所在支部+姓名 识别党员"
		if !slices.Contains(f.Warnings, wantWarn) {
			t.Errorf("%s: warnings %q, want %q", name, f.Warnings, wantWarn)
		}
		for _, w := range f.Warnings {
			if strings.Contains(w, "1.1010119900307123") || strings.Contains(w, "11010119900307123") {
				t.Errorf("%s: warning shows the number: %q", name, w)
			}
		}
	}
}

// roster_long_org_names.csv: row 3 writes its branch as the organisation's long name
// “中共某某局机关第一党支部”, which holds the roster's 机关第一党支部 and also 第一党支部: the longer,
// 机关第一党支部, is its branch (said in a warning at B3). 第一党支部 and 机关第一党支部 stay two
// branches (neither begins 中共). A sign-in sheet's 所在支部 in long form finds its branch the
// same way: “中共某某局机关第一党支部” 王芳 is the 王芳 of 机关第一党支部, “中共某某局第一党支部”
// 李娜 the 李娜 of 第一党支部, and 王芳 of 第一党支部 the other 王芳.
func TestRosterLongOrgNames(t *testing.T) {
	c := config(t)
	r := NewRoster(nil)
	b, f, errs := loadInto(t, c, r, "testdata/roster_long_org_names.csv", "")
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, m := range b.Members {
		got = append(got, m.ID+" "+m.Branch)
	}
	want := []string{"机关第一党支部/张伟 机关第一党支部", "机关第一党支部/王芳 机关第一党支部", "第一党支部/王芳 第一党支部", "第一党支部/李娜 第一党支部"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %q, want %q", got, want)
	}
	wantWarn := "roster_long_org_names.csv!B3: 所在支部 “中共某某局机关第一党支部” 按名册中的 “机关第一党支部” 读取"
	if !slices.Contains(f.Warnings, wantWarn) {
		t.Errorf("warnings %q, want %q", f.Warnings, wantWarn)
	}
	sign := csvFile(t, "签到.csv", "姓名,所在支部,活动类型,活动日期,出勤情况\n"+
		"王芳,中共某某局机关第一党支部,党课,2022-03-02,出席\n"+
		"李娜,中共某某局第一党支部,党课,2022-03-02,请假\n"+
		"王芳,第一党支部,党课,2022-03-02,缺席\n")
	b, _, errs = loadInto(t, c, r, sign, "")
	if errs != nil {
		t.Fatal(errs)
	}
	wantAtt := []string{"机关第一党支部/王芳 出席", "第一党支部/李娜 请假", "第一党支部/王芳 缺席"}
	if got := attendanceKeys(b); !reflect.DeepEqual(got, wantAtt) {
		t.Errorf("sign-ins = %q, want %q", got, wantAtt)
	}
}

// branch_from_folder/第二党支部/签到.csv has no 所在支部 column, and the roster of
// roster_no_member_id.csv has two 王芳 and two 张伟: the folder 第二党支部 says which —
// 王芳 is 身份证:320102********0045/王芳, 张伟 is 第二党支部/张伟 — and the reading shows it.
// The same sheet in a folder that names no branch cannot tell them apart: an error at the name
// saying what would.
func TestBranchFromFolder(t *testing.T) {
	c := config(t)
	r := NewRoster(nil)
	if _, _, errs := loadInto(t, c, r, "testdata/roster_no_member_id.csv", ""); errs != nil {
		t.Fatal(errs)
	}
	b, f, errs := loadInto(t, c, r, "testdata/branch_from_folder/第二党支部/签到.csv", "第二党支部/签到.csv")
	if errs != nil {
		t.Fatal(errs)
	}
	want := []string{"身份证:320102********0045/王芳 出席", "第二党支部/张伟 请假"}
	if got := attendanceKeys(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	if rd := f.Readings()[0]; rd.Branch != "第二党支部" {
		t.Errorf("reading branch %q, want 第二党支部", rd.Branch)
	}

	data, _ := os.ReadFile("testdata/branch_from_folder/第二党支部/签到.csv")
	_, _, errs = loadInto(t, c, r, csvFile(t, "签到.csv", string(data)), "签到.csv")
	wantErrs := []string{
		"签到.csv!A2: 姓名 “王芳” 在名册中有 2 人（党员编号 第一党支部/王芳、身份证:320102********0045/王芳），请增加 所在支部 列（或在标题、工作表名、文件名、所在文件夹名中写明支部）、党员编号 或 身份证号",
		"签到.csv!A3: 姓名 “张伟” 在名册中有 2 人（党员编号 第二党支部/张伟、身份证:110101********1233/张伟），请增加 所在支部 列（或在标题、工作表名、文件名、所在文件夹名中写明支部）、党员编号 或 身份证号",
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, wantErrs)
	}
}

// namesakes_resolved_by_title.xlsx (testdata/gen/roster.go), against roster_no_member_id.csv:
// sheet Sheet1's title “中共某某局第一党支部2022年3月主题党日签到表” names 第一党支部, so 王芳 is
// 第一党支部/王芳 (出席) and 张伟 身份证:110101********1233/张伟 (请假); sheet 第二党支部 names its
// branch by its name: 王芳 is 身份证:320102********0045/王芳 (缺席), “张　伟” 第二党支部/张伟
// (出席). Every row is 主题党日 on 2022-03-01 (the title gives the month).
func TestNamesakesResolvedByTitle(t *testing.T) {
	c := config(t)
	r := NewRoster(nil)
	if _, _, errs := loadInto(t, c, r, "testdata/roster_no_member_id.csv", ""); errs != nil {
		t.Fatal(errs)
	}
	b, f, errs := loadInto(t, c, r, "testdata/namesakes_resolved_by_title.xlsx", "")
	if errs != nil {
		t.Fatal(errs)
	}
	want := []string{"第一党支部/王芳 出席", "身份证:110101********1233/张伟 请假", "身份证:320102********0045/王芳 缺席", "第二党支部/张伟 出席"}
	if got := attendanceKeys(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	for _, a := range b.Attendance {
		if a.Activity != "主题党日" || !a.Date.Equal(day(2022, 3, 1)) {
			t.Errorf("%s: %s %v, want 主题党日 2022-03-01", a.MemberID, a.Activity, a.Date)
		}
	}
	var branches []string
	for _, rd := range f.Readings() {
		branches = append(branches, rd.Branch)
	}
	if !reflect.DeepEqual(branches, []string{"第一党支部", "第二党支部"}) {
		t.Errorf("readings' branches %q, want 第一党支部, 第二党支部", branches)
	}
}

// A 身份证号 typed as text with a wrong check digit (110102198302144020: the weights give 7,
// not 0) that a float64 would also write back unchanged: it may be mistyped or may have lost
// digits, so it is no key (the member is known by 支部+姓名), and the warning says both — not
// that the cell is a number (a trial's false alarm said 存成了数字 of a text cell).
func TestRosterIDCardWrongCheckDigit(t *testing.T) {
	c := config(t)
	path := filepath.Join(t.TempDir(), "名册.csv")
	if err := os.WriteFile(path, []byte("姓名,所在支部,政治面貌,身份证号\n周婷,机关第二党支部,中共党员,110102198302144020\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, NewRoster(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Members) != 1 || b.Members[0].ID != "机关第二党支部/周婷" {
		t.Fatalf("members = %+v, want 周婷 known by 机关第二党支部/周婷", b.Members)
	}
	w := strings.Join(f.Warnings, "\n")
	if !strings.Contains(w, "名册.csv!D2: 身份证号 “110102************” 的校验位（最后一位）不对") || strings.Contains(w, "存成了数字") {
		t.Errorf("warnings = %q, want the check-digit warning at D2", w)
	}
}

// A folder named by the short form of a roster branch: 第二党支部/签到.csv, the roster's
// branches 机关第一党支部 and 机关第二党支部 (register_roster.csv). 张伟 is R01 of the first and
// R11 of the second: the folder's 第二党支部 is the end of 机关第二党支部 only, so R11 (a trial's
// folder was refused as naming no branch).
func TestBranchFromFolderShortName(t *testing.T) {
	b, _, err := registerRosterAnd(t, "第二党支部/签到.csv", "姓名,活动类型,日期,出勤情况\n张伟,主题党日,2023-03-15,出席\n")
	if err != nil || len(b.Attendance) != 1 || b.Attendance[0].MemberID != "R11" {
		t.Errorf("attendance = %+v, %v; want 张伟 R11 of 机关第二党支部", b, err)
	}
}

// registerRosterAnd loads register_roster.csv (R01 张伟 of 机关第一党支部, R11 张伟 of
// 机关第二党支部, …) and then the file body written at dir/name.
func registerRosterAnd(t *testing.T, name, body string) (*engine.Batch, *File, error) {
	t.Helper()
	c := config(t)
	rf, err := Load("testdata/register_roster.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	if _, err := rf.Parse(c, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, name, c)
	if err != nil {
		return nil, nil, err
	}
	b, err := f.Parse(c, r)
	return b, f, err
}

// The short form of a roster branch in a 所在支部 column (第二党支部 for 机关第二党支部, the only
// branch ending so) is that branch: 张伟 → R11 (a trial's 44 rows were refused as not in
// “第一党支部”). A blank 所在支部 cell of a namesake asks for that cell, not for a column.
func TestBranchColumnShortForm(t *testing.T) {
	b, _, err := registerRosterAnd(t, "签到.csv", "姓名,所在支部,活动类型,日期,出勤情况\n张伟,第二党支部,主题党日,2023-03-15,出席\n")
	if err != nil || len(b.Attendance) != 1 || b.Attendance[0].MemberID != "R11" {
		t.Errorf("attendance = %+v, %v; want 张伟 R11 of 机关第二党支部", b, err)
	}
	_, _, err = registerRosterAnd(t, "签到.csv", "姓名,所在支部,活动类型,日期,出勤情况\n张伟,,主题党日,2023-03-15,出席\n")
	if err == nil || !strings.Contains(err.Error(), "签到.csv!A2: 姓名 “张伟” 在名册中有 2 人（党员编号 R01、R11），请在这一行的 所在支部 中写明支部") {
		t.Errorf("err = %v, want the blank cell asked for", err)
	}
}

// A sheet whose title names 机关第一党支部 in a folder 第二党支部 (the short form of
// 机关第二党支部): which branch its namesakes belong to is a guess, so the file is refused,
// naming both (a trial's namesake went to the title's branch without a word).
func TestBranchTitleAgainstFolder(t *testing.T) {
	_, _, err := registerRosterAnd(t, "第二党支部/签到.csv", "机关第一党支部主题党日签到表\n姓名,活动类型,日期,出勤情况\n张伟,主题党日,2023-03-15,出席\n")
	if err == nil || !strings.Contains(err.Error(), "标题、工作表名或文件名写的是 “机关第一党支部”，所在文件夹却是 “机关第二党支部”") {
		t.Errorf("err = %v, want the conflict named", err)
	}
}

// A roster of 60 members whose 身份证号 column was stored as numbers (1.10101E+17 in every row):
// 60 warnings at their cells would bury everything else, so the first MaxSheetWarnings (50)
// are listed and the other 10 counted in one line; the 60 members are still read (by 支部+姓名).
func TestSheetWarningsBounded(t *testing.T) {
	c := config(t)
	var b strings.Builder
	b.WriteString("姓名,所在支部,党员类别,身份证号\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "党员%d,第一党支部,正式党员,1.10101E+17\n", i)
	}
	path := filepath.Join(t.TempDir(), "名册.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, "", c)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := f.Parse(c, NewRoster(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Members) != 60 || len(f.Warnings) != 51 || f.Warnings[50] != "名册.csv: ……这张表另有 10 条注意未列出（多是同一类问题：先改正上面列出的，再检查一遍）" {
		t.Errorf("%d members, %d warnings, last %q", len(batch.Members), len(f.Warnings), f.Warnings[len(f.Warnings)-1])
	}
}
