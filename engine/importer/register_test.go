package importer

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// registerRoster loads testdata/register_roster.csv:
//
//	机关第一党支部  第一党小组: R01 张伟 (支部书记), R02 王芳 (组织委员), R03 李四,
//	                           R07 钱七 (转入 2023-07-01)
//	               第二党小组: R04 王五 (宣传委员), R05 赵六, R06 刘洋 (预备, 入党 2022-06-01),
//	                           R08 孙八 (纪检委员, 转出 2023.9 → on the roll to 2023-09-30)
//	机关第二党支部  第一党小组: R09 周九 (支部书记), R10 吴十, R11 张伟
func registerRoster(t *testing.T, c *rules.Config) *Roster {
	t.Helper()
	f, err := Load("testdata/register_roster.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	if _, err := f.Parse(c, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// readRegister reads a register against the register roster: its records and its reading.
func readRegister(t *testing.T, path string) ([]engine.Attendance, *Reading, error) {
	t.Helper()
	c := config(t)
	r := registerRoster(t, c)
	f, err := Load(path, "", c)
	if err != nil {
		t.Fatal(err)
	}
	if ks := f.Kinds(); len(ks) != 1 || ks[0] != KindRegister {
		t.Fatalf("%s: kinds %v, want one register", path, ks)
	}
	b, err := f.Parse(c, r)
	rd := f.Readings()[0]
	if err != nil {
		return nil, rd, err
	}
	return b.Attendance, rd, nil
}

// att is a register's record: every record of a row has the row as its source.
type regAtt struct {
	id, activity, date, status, note string
	row                              int
}

func attendances(file, sheet string, as []regAtt) []engine.Attendance {
	var out []engine.Attendance
	for _, a := range as {
		d, err := parseDate(a.date, false, 0)
		if err != nil {
			panic(err)
		}
		out = append(out, engine.Attendance{MemberID: a.id, Activity: a.activity, Date: d, Status: a.status, Note: a.note,
			Src: engine.Source{File: file, Sheet: sheet, Row: a.row}})
	}
	return out
}

const notListed = "登记簿：未列入缺席人员"

func checkRecords(t *testing.T, got, want []engine.Attendance) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d records, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("record %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// register_absentees_with_reasons.xlsx (testdata/gen/register.go), 机关第一党支部:
//
//	row 3, 2023-03-15 支部党员大会: on the roll R01–R06 and R08 (R07 comes on 07-01): 7 = 应到;
//	  李四（出差）→ R03 请假, 王五（病假）→ R04 请假; the other 5 出席 = 实到 5.
//	row 4, “2023年6月20日 上午9:00” 党课: the same 7; 赵六(无故) → R05 缺席, “刘洋 事假” (the
//	  reason after a space) → R06 请假; 5 出席.
//	row 5, 2023.9.12 主题党日: R01–R08 (R07 in since 07-01, R08 out only on 09-30): 8;
//	  赵六（无故缺席）→ R05 缺席, 孙八（公假）→ R08 请假; 6 出席.
//	row 6, 2023-10-10 支部党员大会: R08 is out: R01–R07, 7, 缺席人员 “无”: all 出席.
//	row 7, 2023-12-05 主题党日: 7; “李四请假” (no bracket) → R03 请假; 6 出席.
//
// In all 36 records: 出席 5+5+6+7+6 = 29, 请假 2+1+1+0+1 = 5, 缺席 0+1+1 = 2; the 填表人 line
// is a footer.
func TestRegisterAbsenteesWithReasons(t *testing.T) {
	got, rd, err := readRegister(t, "testdata/register_absentees_with_reasons.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	const (
		dh = "支部党员大会"
		dk = "党课"
		zt = "主题党日"
	)
	want := attendances("register_absentees_with_reasons.xlsx", "登记簿", []regAtt{
		{"R01", dh, "2023-03-15", "出席", notListed, 3},
		{"R02", dh, "2023-03-15", "出席", notListed, 3},
		{"R03", dh, "2023-03-15", "请假", "登记簿：缺席人员 李四（出差）", 3},
		{"R04", dh, "2023-03-15", "请假", "登记簿：缺席人员 王五（病假）", 3},
		{"R05", dh, "2023-03-15", "出席", notListed, 3},
		{"R06", dh, "2023-03-15", "出席", notListed, 3},
		{"R08", dh, "2023-03-15", "出席", notListed, 3},
		{"R01", dk, "2023-06-20", "出席", notListed, 4},
		{"R02", dk, "2023-06-20", "出席", notListed, 4},
		{"R03", dk, "2023-06-20", "出席", notListed, 4},
		{"R04", dk, "2023-06-20", "出席", notListed, 4},
		{"R05", dk, "2023-06-20", "缺席", "登记簿：缺席人员 赵六(无故)", 4},
		{"R06", dk, "2023-06-20", "请假", "登记簿：缺席人员 刘洋 事假", 4},
		{"R08", dk, "2023-06-20", "出席", notListed, 4},
		{"R01", zt, "2023-09-12", "出席", notListed, 5},
		{"R02", zt, "2023-09-12", "出席", notListed, 5},
		{"R03", zt, "2023-09-12", "出席", notListed, 5},
		{"R04", zt, "2023-09-12", "出席", notListed, 5},
		{"R05", zt, "2023-09-12", "缺席", "登记簿：缺席人员 赵六（无故缺席）", 5},
		{"R06", zt, "2023-09-12", "出席", notListed, 5},
		{"R07", zt, "2023-09-12", "出席", notListed, 5},
		{"R08", zt, "2023-09-12", "请假", "登记簿：缺席人员 孙八（公假）", 5},
		{"R01", dh, "2023-10-10", "出席", notListed, 6},
		{"R02", dh, "2023-10-10", "出席", notListed, 6},
		{"R03", dh, "2023-10-10", "出席", notListed, 6},
		{"R04", dh, "2023-10-10", "出席", notListed, 6},
		{"R05", dh, "2023-10-10", "出席", notListed, 6},
		{"R06", dh, "2023-10-10", "出席", notListed, 6},
		{"R07", dh, "2023-10-10", "出席", notListed, 6},
		{"R01", zt, "2023-12-05", "出席", notListed, 7},
		{"R02", zt, "2023-12-05", "出席", notListed, 7},
		{"R03", zt, "2023-12-05", "请假", "登记簿：缺席人员 李四请假", 7},
		{"R04", zt, "2023-12-05", "出席", notListed, 7},
		{"R05", zt, "2023-12-05", "出席", notListed, 7},
		{"R06", zt, "2023-12-05", "出席", notListed, 7},
		{"R07", zt, "2023-12-05", "出席", notListed, 7},
	})
	checkRecords(t, got, want)
	if rd.Kind != "登记簿" || rd.Branch != "机关第一党支部" || rd.Meetings != 5 || rd.Expected != 36 || rd.Records != 36 || rd.Rows != 5 {
		t.Errorf("reading = %+v, want 登记簿 机关第一党支部, 5 meetings, 36 expected and records, 5 rows", rd)
	}
	if want := map[string]int{"出席": 29, "请假": 5, "缺席": 2}; !reflect.DeepEqual(rd.Statuses, want) {
		t.Errorf("statuses = %v, want %v", rd.Statuses, want)
	}
	if want := map[string]int{"表尾（合计、签字、说明、应到实到等）": 1}; !reflect.DeepEqual(rd.Skipped, want) {
		t.Errorf("skipped = %v, want %v", rd.Skipped, want)
	}
	// Every column but 序号 is read (会议主题 and 主持人 included).
	if len(rd.Unused) != 1 || rd.Unused[0].Header != "序号" {
		t.Errorf("unused columns = %+v, want only 序号", rd.Unused)
	}
	if s := rd.Summary(); !strings.Contains(s, "登记簿 机关第一党支部") || !strings.Contains(s, "会议 5 次") {
		t.Errorf("summary %q", s)
	}
}

// register_committee_only.csv: a 支委会 register of 机关第一党支部 (named in its title row).
// Only the committee is expected: R01 支部书记, R02 组织委员, R04 宣传委员, R08 纪检委员 —
// not R03, R05, R06, R07, whose 党内职务 is empty.
//
//	row 3, 2023-02-10: 4 expected = 应到 4; 王五（出差）→ R04 请假; R01, R02, R08 出席 = 实到 3.
//	row 4, 2023-10-12 “第十次支委会”: R08 left on 09-30: R01, R02, R04, 3, all 出席 (缺席 “无”).
func TestRegisterCommitteeOnly(t *testing.T) {
	got, rd, err := readRegister(t, "testdata/register_committee_only.csv")
	if err != nil {
		t.Fatal(err)
	}
	const zw = "支委会"
	want := attendances("register_committee_only.csv", "", []regAtt{
		{"R01", zw, "2023-02-10", "出席", notListed, 3},
		{"R02", zw, "2023-02-10", "出席", notListed, 3},
		{"R04", zw, "2023-02-10", "请假", "登记簿：缺席人员 王五（出差）", 3},
		{"R08", zw, "2023-02-10", "出席", notListed, 3},
		{"R01", zw, "2023-10-12", "出席", notListed, 4},
		{"R02", zw, "2023-10-12", "出席", notListed, 4},
		{"R04", zw, "2023-10-12", "出席", notListed, 4},
	})
	checkRecords(t, got, want)
	if rd.Branch != "机关第一党支部" || rd.Activity != "支委会" || rd.Meetings != 2 || rd.Expected != 7 {
		t.Errorf("reading = %+v, want 机关第一党支部 支委会, 2 meetings, 7 expected", rd)
	}
}

// register_counts_disagree.xlsx (the branch is the sheet's name, 机关第一党支部):
//
//	row 3, 2023-04-18 支部党员大会: 7 on the roll = 应到 7; 李四 and 赵六 on leave → 实到 should
//	  be 5, the sheet says 6: an error at D3.
//	row 4, 2023-05-10 党课: 应到 8, but 7 are on the roll: 钱七 is on it only from 2023-07-01 —
//	  an error at C4 naming him; 刘洋 on leave → 实到 should be 6, the sheet says 7: D4.
//
// The file is not imported.
func TestRegisterCountsDisagree(t *testing.T) {
	_, _, err := readRegister(t, "testdata/register_counts_disagree.xlsx")
	var fe *engine.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want the file's errors", err)
	}
	want := []string{
		"register_counts_disagree.xlsx[机关第一党支部]!D3: 实到写 6，按名册应为 5：机关第一党支部 2023-04-18 支部党员大会 应到 7 人，请假 2 人（李四、赵六），缺席 0 人（无）",
		"register_counts_disagree.xlsx[机关第一党支部]!C4: 应到写 8，按名册 机关第一党支部 2023-05-10 党课 应到 7 人：张伟、王芳、李四、王五、赵六、刘洋、孙八；这天不在册的有：钱七（2023-07-01 起在册）（请核对人数，或名册的入党、转入、转出时间和党内职务）",
		"register_counts_disagree.xlsx[机关第一党支部]!D4: 实到写 7，按名册应为 6：机关第一党支部 2023-05-10 党课 应到 7 人，请假 1 人（刘洋），缺席 0 人（无）",
	}
	var got []string
	for _, e := range fe.Errs {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// register_late_in_note.csv:
//
//	row 2, 2023-05-09 党小组会 of 第二党小组: its members on the roll R04, R05, R06, R08 = 应到 4;
//	  缺席 “无”; 备注 “刘洋迟到” → R06 迟到 (late is present: 实到 4).
//	row 3, 2023-08-15 支部党员大会: R01–R08 (R07 in since 07-01) = 8; 李四（出差）→ R03 请假;
//	  备注 “张伟早退，王芳迟到10分钟；会议推迟到下午召开” → R01 早退, R02 迟到 (“推迟到” names
//	  nobody); 实到 8 − 1 = 7.
func TestRegisterLateInNote(t *testing.T) {
	got, rd, err := readRegister(t, "testdata/register_late_in_note.csv")
	if err != nil {
		t.Fatal(err)
	}
	const note = "登记簿：备注 张伟早退，王芳迟到10分钟；会议推迟到下午召开"
	want := attendances("register_late_in_note.csv", "", []regAtt{
		{"R04", "党小组会", "2023-05-09", "出席", notListed, 2},
		{"R05", "党小组会", "2023-05-09", "出席", notListed, 2},
		{"R06", "党小组会", "2023-05-09", "迟到", "登记簿：备注 刘洋迟到", 2},
		{"R08", "党小组会", "2023-05-09", "出席", notListed, 2},
		{"R01", "支部党员大会", "2023-08-15", "早退", note, 3},
		{"R02", "支部党员大会", "2023-08-15", "迟到", note, 3},
		{"R03", "支部党员大会", "2023-08-15", "请假", "登记簿：缺席人员 李四（出差）", 3},
		{"R04", "支部党员大会", "2023-08-15", "出席", notListed, 3},
		{"R05", "支部党员大会", "2023-08-15", "出席", notListed, 3},
		{"R06", "支部党员大会", "2023-08-15", "出席", notListed, 3},
		{"R07", "支部党员大会", "2023-08-15", "出席", notListed, 3},
		{"R08", "支部党员大会", "2023-08-15", "出席", notListed, 3},
	})
	checkRecords(t, got, want)
	if want := map[string]int{"出席": 8, "请假": 1, "迟到": 2, "早退": 1}; !reflect.DeepEqual(rd.Statuses, want) {
		t.Errorf("statuses = %v, want %v", rd.Statuses, want)
	}
}

// register_branch_from_title.xlsx: the title names 中共××局机关第二党支部 (R09 周九 支部书记,
// R10 吴十, R11 张伟, all of 第一党小组); a 请假人员 column.
//
//	row 3, 2023-03-02 党员大会 (支部党员大会): 3; 张伟（培训）is R11 — the 张伟 of this branch,
//	  not R01 of 机关第一党支部 — 请假; R09, R10 出席.
//	row 4, 2023-03-20 支委会: the committee is R09 alone: 1, 出席.
//	row 5, 2023-04-11 党小组会: the branch has one 党小组, so all 3 are expected, all 出席.
func TestRegisterBranchFromTitle(t *testing.T) {
	got, rd, err := readRegister(t, "testdata/register_branch_from_title.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	const nl = "登记簿：未列入请假人员"
	want := attendances("register_branch_from_title.xlsx", "Sheet1", []regAtt{
		{"R09", "支部党员大会", "2023-03-02", "出席", nl, 3},
		{"R10", "支部党员大会", "2023-03-02", "出席", nl, 3},
		{"R11", "支部党员大会", "2023-03-02", "请假", "登记簿：请假人员 张伟（培训）", 3},
		{"R09", "支委会", "2023-03-20", "出席", nl, 4},
		{"R09", "党小组会", "2023-04-11", "出席", nl, 5},
		{"R10", "党小组会", "2023-04-11", "出席", nl, 5},
		{"R11", "党小组会", "2023-04-11", "出席", nl, 5},
	})
	checkRecords(t, got, want)
	if rd.Branch != "机关第二党支部" || rd.Meetings != 3 {
		t.Errorf("reading = %+v, want 机关第二党支部, 3 meetings", rd)
	}
}

// Registers that cannot be read right are refused with what to do, at the cell.
func TestRegisterErrors(t *testing.T) {
	const head = "日期,会议类型,应到,实到,缺席人员,备注\n"
	cases := []struct {
		name, file, csv string
		want            []string
	}{
		{"no branch", "登记簿.csv", head + "2023-03-01,支部党员大会,7,7,无,\n",
			[]string{"登记簿.csv: 看不出这本三会一课登记簿是哪个支部的：请在标题（如“机关第一党支部三会一课登记簿”）、工作表名、文件名或所在文件夹名中写明支部，或加一列“所在支部”（名册中的支部：机关第一党支部、机关第二党支部）"}},
		// 李四 has no 党内职务: not expected at a 支委会 (R01, R02, R04, R08 are).
		{"not committee", "机关第一党支部登记簿.csv", head + "2023-03-01,支委会,4,3,李四（出差）,\n",
			[]string{"机关第一党支部登记簿.csv!E2: 缺席人员 “李四（出差）” 不是这次会议（机关第一党支部 支委会 2023-03-01）的应到人员：支委会只计支委，名册中 李四 不是支委（党内职务：无）；应到 4 人：张伟、王芳、王五、孙八"}},
		// 钱七 comes on the roll on 2023-07-01; 王吴 is nobody (王五 and 王芳 are close).
		{"not on the roll, unknown", "机关第一党支部登记簿.csv", head + "2023-03-01,党课,7,5,钱七（出差）、王吴（病假）,\n",
			[]string{
				"机关第一党支部登记簿.csv!E2: 缺席人员 “钱七（出差）” 不是这次会议（机关第一党支部 党课 2023-03-01）的应到人员：名册中 钱七 2023-07-01 起才在 机关第一党支部；应到 7 人：张伟、王芳、李四、王五、赵六、刘洋、孙八",
				"机关第一党支部登记簿.csv!E2: 缺席人员 “王吴（病假）” 不是这次会议（机关第一党支部 党课 2023-03-01）的应到人员：不在党员名册中；相近的有：王五、王芳；应到 7 人：张伟、王芳、李四、王五、赵六、刘洋、孙八",
			}},
		// 机关第一党支部 has two 党小组 and the register names neither.
		{"which group", "机关第一党支部登记簿.csv", head + "2023-03-01,党小组会,4,4,无,\n",
			[]string{"机关第一党支部登记簿.csv!B2: 党小组会没有写明是哪个党小组：名册中 机关第一党支部 有 2 个党小组（第一党小组、第二党小组），请加一列“党小组”或在标题中写明，才能知道谁应到"}},
		// 迟到 of someone not expected (R09 周九 is of the other branch).
		{"late stranger", "机关第一党支部登记簿.csv", head + "2023-03-01,党课,7,7,无,周九迟到\n",
			[]string{"机关第一党支部登记簿.csv!F2: 备注 “周九迟到” 写了迟到，但看不出是应到人员中的谁：备注 “周九” 不是这次会议（机关第一党支部 党课 2023-03-01）的应到人员：名册中 周九 属于 “机关第二党支部”；应到 7 人：张伟、王芳、李四、王五、赵六、刘洋、孙八"}},
		// The same meeting twice; a meeting type that is two.
		{"repeated, two types", "机关第一党支部登记簿.csv", head + "2023-03-01,党课,7,7,无,\n2023-03-01,党课,7,7,无,\n2023-03-02,支部党员大会暨党课,7,7,无,\n",
			[]string{
				"机关第一党支部登记簿.csv!A3: 与第 2 行是同一次会议（同一支部、同一会议类型、同一日期）",
				"机关第一党支部登记簿.csv!B4: 会议类型 “支部党员大会暨党课” 同时是支部党员大会和党课：每次会议请写一行",
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := readRegister(t, path)
			var fe *engine.FileErrors
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want the file's errors", err)
			}
			var got []string
			for _, e := range fe.Errs {
				got = append(got, e.Error())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// The roll of a branch on a day: R07 comes on 2023-07-01, R08 leaves after 2023-09-30.
func TestRosterOnRoll(t *testing.T) {
	r := registerRoster(t, config(t))
	ids := func(d string) string {
		day, _ := parseDate(d, false, 0)
		var out []string
		for _, m := range r.OnRoll("机关第一党支部", day) {
			out = append(out, m.ID)
		}
		return strings.Join(out, " ")
	}
	for d, want := range map[string]string{
		"2023-06-30": "R01 R02 R03 R04 R05 R06 R08",
		"2023-07-01": "R01 R02 R03 R04 R05 R06 R07 R08",
		"2023-09-30": "R01 R02 R03 R04 R05 R06 R07 R08",
		"2023-10-01": "R01 R02 R03 R04 R05 R06 R07",
		"2022-05-31": "R01 R02 R03 R04 R05 R08", // 刘洋 joined on 2022-06-01
	} {
		if got := ids(d); got != want {
			t.Errorf("on the roll on %s: %s, want %s", d, got, want)
		}
	}
}
