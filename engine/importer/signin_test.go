package importer

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// signInRoster loads testdata/signin_roster.csv: S01 张伟 (支部书记), S02 王芳, S03 李 娜, S04 刘洋,
// S05 陈静, S06 赵磊, S07 孙丽 of 机关第一党支部; S11 张伟, S12 周敏, S13 吴刚 of 机关第二党支部.
// 张伟 is in both branches: only the sheet's branch tells which.
func signInRoster(t *testing.T, c *rules.Config) *Roster {
	t.Helper()
	f, err := Load("testdata/signin_roster.csv", "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	if b, err := f.Parse(c, r); err != nil || len(b.Members) != 10 {
		t.Fatalf("signin roster: %v", err)
	}
	return r
}

// loadSignIn reads a fixture against signInRoster: its records, or its errors.
func loadSignIn(t *testing.T, c *rules.Config, name string) (*engine.Batch, []string, *File) {
	t.Helper()
	r := signInRoster(t, c)
	f, err := Load("testdata/"+name, "", c)
	if err != nil {
		return nil, errStrings(t, err), nil
	}
	b, err := f.Parse(c, r)
	if err != nil {
		return nil, errStrings(t, err), f
	}
	return b, nil, f
}

func note(a engine.Attendance, n string) engine.Attendance { a.Note = n; return a }

func TestSignInSheets(t *testing.T) {
	c := config(t)
	src := func(file, sheet string, row int) engine.Source {
		return engine.Source{File: file, Sheet: sheet, Row: row}
	}
	two, three, per, marks, csv := "signin_two_groups.xlsx", "signin_three_groups_merged_title.xlsx", "signin_sheets_per_meeting.xlsx",
		"signin_check_marks_and_names.xlsx", "signin_title_lines.csv"
	d315, d420, d328, d509, d703 := [3]int{2023, 3, 15}, [3]int{2023, 4, 20}, [3]int{2023, 3, 28}, [3]int{2023, 5, 9}, [3]int{2023, 7, 3}
	for _, tc := range []struct {
		file string
		want []engine.Attendance
		// summaries are the readings' one-line summaries, sheet by sheet.
		summaries []string
	}{
		// Title "中共××局机关第一党支部主题党日签到表" → 机关第一党支部, 主题党日; "会议时间：2023年3月15日
		// 上午9:00" → 2023-03-15. Rows are read left group, then right group:
		// row 5: 张伟 signed 张伟 → 出席, and 张伟 is S01 (the title's branch, not S11);
		//        陈静 unsigned, 备注 请假（出差）→ 请假.
		// row 6: 王芳 signed "王 芳" (spacing) → 出席; 赵磊 unsigned, no note → 缺席.
		// row 7: 李 娜 signed 李娜, 备注 迟到 → 迟到; 孙丽 signed, 备注 早退 → 早退.
		// row 8: 刘洋 √ → 出席; the right group holds only 序号 8 (an empty slot).
		// row 9 "应到 7 人，实到 5 人": 7 listed; 出席 3 + 迟到 1 + 早退 1 = 5: no error.
		// rows 9 and 10 are footers (2 skipped).
		{two, []engine.Attendance{
			att("S01", "主题党日", d315, "出席", src(two, "Sheet1", 5)),
			note(att("S05", "主题党日", d315, "请假", src(two, "Sheet1", 5)), "请假（出差）"),
			att("S02", "主题党日", d315, "出席", src(two, "Sheet1", 6)),
			att("S06", "主题党日", d315, "缺席", src(two, "Sheet1", 6)),
			note(att("S03", "主题党日", d315, "迟到", src(two, "Sheet1", 7)), "迟到"),
			note(att("S07", "主题党日", d315, "早退", src(two, "Sheet1", 7)), "早退"),
			att("S04", "主题党日", d315, "出席", src(two, "Sheet1", 8)),
		}, []string{"signin_two_groups.xlsx[Sheet1]：我这样理解这张表：签到 机关第一党支部 主题党日 2023-03-15，应到 7，出席 3，请假 1，缺席 1，迟到 1，早退 1（读了 6 行，跳过 2 行：表尾（合计、签字、说明、应到实到等） 2 行）"}},
		// Three groups under 签字; 会议时间 in A2, the date an Excel date in B2 → 2023-04-20;
		// title → 机关第二党支部 支部党员大会. Row 5: 张伟 signed → S11 出席 (second branch);
		// 周敏 √ → 出席; 吴刚 unsigned, 病假 → 请假. Footer 应到人数 3 / 实到人数 2 agree.
		{three, []engine.Attendance{
			att("S11", "支部党员大会", d420, "出席", src(three, "签到", 5)),
			att("S12", "支部党员大会", d420, "出席", src(three, "签到", 5)),
			note(att("S13", "支部党员大会", d420, "请假", src(three, "签到", 5)), "病假"),
		}, []string{"signin_three_groups_merged_title.xlsx[签到]：我这样理解这张表：签到 机关第二党支部 支部党员大会 2023-04-20，应到 3，出席 2，请假 1（读了 2 行，跳过 1 行：表尾（合计、签字、说明、应到实到等） 1 行）"}},
		// One sheet per meeting: the meeting and month-day from the sheet name, the year 2023
		// and the branch from the title "机关第一党支部签到表（2023年）".
		// 3.15主题党日 (signature column headed 签到, holding √ and blanks): 张伟 √ → S01 出席;
		// 王芳 unsigned, 事假 → 请假; 李 娜 unsigned, no note → 缺席.
		// 3.28支委会: 张伟, 王芳 signed → 出席 ×2; "应到 2 人，实到 2 人" agrees.
		{per, []engine.Attendance{
			att("S01", "主题党日", d315, "出席", src(per, "3.15主题党日", 3)),
			note(att("S02", "主题党日", d315, "请假", src(per, "3.15主题党日", 4)), "事假"),
			att("S03", "主题党日", d315, "缺席", src(per, "3.15主题党日", 5)),
			att("S01", "支委会", d328, "出席", src(per, "3.28支委会", 3)),
			att("S02", "支委会", d328, "出席", src(per, "3.28支委会", 4)),
		}, []string{
			"signin_sheets_per_meeting.xlsx[3.15主题党日]：我这样理解这张表：签到 机关第一党支部 主题党日 2023-03-15，应到 3，出席 1，请假 1，缺席 1（读了 3 行）",
			"signin_sheets_per_meeting.xlsx[3.28支委会]：我这样理解这张表：签到 机关第一党支部 支委会 2023-03-28，应到 2，出席 2（读了 3 行，跳过 1 行：表尾（合计、签字、说明、应到实到等） 1 行）",
		}},
		// 时间：2023年5月9日, 党课, 机关第一党支部. "张　伟" ✓ → S01 出席; 王芳 √ → 出席; 李 娜 signed
		// 李娜 → 出席; 刘洋 with 请假 in the signature column → 请假; 陈静 unsigned, 出差 → 请假;
		// 赵磊 unsigned, 无故缺席 → 缺席; 孙丽 signed "孙 丽", 迟到10分钟 → 迟到.
		{marks, []engine.Attendance{
			att("S01", "党课", d509, "出席", src(marks, "Sheet1", 4)),
			att("S02", "党课", d509, "出席", src(marks, "Sheet1", 5)),
			att("S03", "党课", d509, "出席", src(marks, "Sheet1", 6)),
			att("S04", "党课", d509, "请假", src(marks, "Sheet1", 7)),
			note(att("S05", "党课", d509, "请假", src(marks, "Sheet1", 8)), "出差"),
			note(att("S06", "党课", d509, "缺席", src(marks, "Sheet1", 9)), "无故缺席"),
			note(att("S07", "党课", d509, "迟到", src(marks, "Sheet1", 10)), "迟到10分钟"),
		}, []string{"signin_check_marks_and_names.xlsx[Sheet1]：我这样理解这张表：签到 机关第一党支部 党课 2023-05-09，应到 7，出席 3，请假 2，缺席 1，迟到 1（读了 7 行）"}},
		// A CSV with the title lines as its first rows: 机关第二党支部 党小组会 2023-07-03; 张伟
		// signed → S11 出席; 周敏 unsigned, 请假（培训）→ 请假; "记录人：吴刚" is a footer.
		{csv, []engine.Attendance{
			att("S11", "党小组会", d703, "出席", src(csv, "", 4)),
			note(att("S12", "党小组会", d703, "请假", src(csv, "", 4)), "请假（培训）"),
		}, []string{"signin_title_lines.csv：我这样理解这张表：签到 机关第二党支部 党小组会 2023-07-03，应到 2，出席 1，请假 1（读了 2 行，跳过 1 行：表尾（合计、签字、说明、应到实到等） 1 行）"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, errs, f := loadSignIn(t, c, tc.file)
			if errs != nil {
				t.Fatalf("errors: %q", errs)
			}
			if !reflect.DeepEqual(b.Attendance, tc.want) {
				t.Errorf("records =\n%+v\nwant\n%+v", b.Attendance, tc.want)
			}
			var got []string
			for _, rd := range f.Readings() {
				got = append(got, rd.Summary())
				if len(rd.Unused) > 0 {
					t.Errorf("%s: unused columns %+v", rd.Sheet, rd.Unused)
				}
			}
			if !reflect.DeepEqual(got, tc.summaries) {
				t.Errorf("readings =\n%q\nwant\n%q", got, tc.summaries)
			}
			if len(f.Warnings) > 0 {
				t.Errorf("warnings %q", f.Warnings)
			}
		})
	}
}

// The reading names every group's columns: in signin_two_groups.xlsx 序号 A and E are read as
// row numbers, B–D and F–H are the two groups' 姓名, 签名, 备注.
func TestSignInColumnsByGroup(t *testing.T) {
	c := config(t)
	_, errs, f := loadSignIn(t, c, "signin_two_groups.xlsx")
	if errs != nil {
		t.Fatal(errs)
	}
	rd := f.Readings()[0]
	var got []string
	for _, col := range rd.Columns {
		got = append(got, col.Col+" "+col.Field)
	}
	want := []string{"B 姓名（第 1 组）", "C 签名（第 1 组）", "D 备注（第 1 组）", "F 姓名（第 2 组）", "G 签名（第 2 组）", "H 备注（第 2 组）"}
	if !reflect.DeepEqual(got, want) || rd.Branch != "机关第一党支部" || rd.Expected != 7 {
		t.Errorf("columns %q (want %q), branch %q, expected %d", got, want, rd.Branch, rd.Expected)
	}
}

func TestSignInErrors(t *testing.T) {
	c := config(t)
	for _, tc := range []struct {
		file string
		errs []string
	}{
		// 3 members listed (张伟, 周敏, 吴刚), 2 signed: the footer's 应到 4 and 实到 3 both disagree.
		{"signin_footer_counts_wrong.xlsx", []string{
			"signin_footer_counts_wrong.xlsx[Sheet1]!A7: 表尾写应到 4 人，但表中列出的党员有 3 人：请核对名单、签名和备注",
			"signin_footer_counts_wrong.xlsx[Sheet1]!A7: 表尾写实到 3 人，但签了名的（含迟到、早退）有 2 人：请核对名单、签名和备注",
		}},
		// 王芳's row signed by 张伟 (代签), 李 娜 signed with 请假 noted, 刘洋 signed 刘阳.
		{"signin_proxy_and_contradiction.xlsx", []string{
			"signin_proxy_and_contradiction.xlsx[Sheet1]!C5: 签名 “张伟” 是另一位党员的姓名，与本行姓名 “王芳” 不符（代签？）：本人到会的，签名栏写本人姓名或 √；未到会的，签名栏留空，在备注中写明原因",
			"signin_proxy_and_contradiction.xlsx[Sheet1]!D6: 已签名（“李娜”），备注却写 “请假”：请核对——到会的删去备注中的请假，未到会的清空签名",
			"signin_proxy_and_contradiction.xlsx[Sheet1]!C7: 签名 “刘阳” 与本行姓名 “刘洋” 不符：签名栏应写本人姓名或 √，未到会的留空",
		}},
		{"signin_no_date.xlsx", []string{
			"signin_no_date.xlsx[Sheet1]!2行: 签到表 “Sheet1” 的会议日期找不到：请在表头上方写一行会议时间（如 “会议时间：2023年3月15日”），或把日期写进标题、工作表名（如 3.15主题党日）或文件名",
		}},
		// Two groups of 姓名 出勤情况 side by side are read group by group (groups.go); this
		// title names no branch, and 张伟 is in two: an error at his cell (王芳 is read).
		{"status_groups_side_by_side.csv", []string{
			"status_groups_side_by_side.csv!A3: 姓名 “张伟” 在名册中有 2 人（党员编号 S01、S11），请增加 所在支部 列（或在标题、工作表名、文件名、所在文件夹名中写明支部）、党员编号 或 身份证号",
		}},
		// Groups that differ (姓名 出勤情况 | 姓名 备注) are no repeat: both 姓名 columns hold
		// members, so the advice is to stack the groups, never to delete one (which would drop 王芳).
		{"status_groups_differ.csv", []string{
			"status_groups_differ.csv!2行: 表头 A2 “姓名” 和 C2 “姓名” 都是姓名，两列下面都有党员：像是并排的几组名单。请把右边各组的行剪切、粘贴到第一组的下面，排成一组（每人一行），不要删去任何一列；各组表头相同时（如 姓名 出勤情况 | 姓名 出勤情况，或 姓名 签名 备注 | 姓名 签名 备注）jifen 能直接按组读取",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, errs, _ := loadSignIn(t, c, tc.file)
			if !reflect.DeepEqual(errs, tc.errs) {
				t.Errorf("errors =\n%q\nwant\n%q", errs, tc.errs)
			}
		})
	}
}

// Without a branch in its title, sheet or file name, a name two branches share is an error
// as before; 王芳 (one in the roster) is read.
func TestSignInNoBranchNamesake(t *testing.T) {
	c := config(t)
	r := signInRoster(t, c)
	tbl := fuzzTable("主题党日签到表\n会议时间：2023年3月15日\n姓名,签名,备注\n张伟,张伟,\n王芳,√,")
	l, problem := classify(tbl, "x.csv", c)
	if problem != "" || l.kind != KindSignInSheet {
		t.Fatalf("kind %v, problem %q", l.kind, problem)
	}
	p := &parser{cfg: c, roster: r, batch: &engine.Batch{}}
	p.parseSignIn(tbl, l)
	if len(p.errs) != 1 || !strings.Contains(p.errs[0].Error(), "姓名 “张伟” 在名册中有 2 人（党员编号 S01、S11）") {
		t.Errorf("errors %v", p.errs)
	}
	if len(p.batch.Attendance) != 1 || p.batch.Attendance[0].MemberID != "S02" || p.batch.Attendance[0].Status != "出席" {
		t.Errorf("records %+v", p.batch.Attendance)
	}
}

// A 签到 column holding statuses (出席, 请假) is the status of the long form, not a signature.
func TestSignInStatusColumnStaysAttendance(t *testing.T) {
	c := config(t)
	tbl := fuzzTable("2023年3月15日主题党日签到表\n姓名,签到\n张伟,出席\n王芳,请假")
	l, problem := classify(tbl, "x.csv", c)
	if problem != "" || l.kind != KindAttendance {
		t.Errorf("kind %v, problem %q, want 考勤签到", l.kind, problem)
	}
}

// A duplicate column with nothing under it may be deleted: the advice says which.
func TestDuplicateAdviceEmptyColumn(t *testing.T) {
	c := config(t)
	tbl := fuzzTable("姓名,活动类型,日期,出勤情况,出勤\n王芳,主题党日,2023-03-15,出席,")
	_, problem := classify(tbl, "x.csv", c)
	want := "表头 D1 “出勤情况” 和 E1 “出勤” 都是出勤情况：E 列下面没有内容，可以删去这一列"
	if problem != want {
		t.Errorf("problem %q, want %q", problem, want)
	}
}

// A roster (or pledge sheet) with a column for signatures stays what its other headers say.
func TestSignInColumnOnRoster(t *testing.T) {
	c := config(t)
	tbl := fuzzTable("党员编号,姓名,所在支部,党员类别,本人签字\nA01,张伟,第一党支部,正式党员,张伟")
	if l, problem := classify(tbl, "x.csv", c); problem != "" || l.kind != KindRoster {
		t.Errorf("kind %v, problem %q, want 党员名册", l.kind, problem)
	}
}

// What a sign-in sheet lacks is said, with where to write it: a date without a year (none in
// the title, the sheet or the file name), no meeting type.
func TestSignInMissingContext(t *testing.T) {
	c := config(t)
	for _, tc := range []struct{ text, want string }{
		{"第一党支部主题党日签到表\n会议时间：3月15日 上午9:00\n姓名,签名\n张伟,张伟",
			"签到表的会议日期“3月15日”没有年份：请在标题或会议时间中写明年份（如 会议时间：2023年3月15日），或把年份写进文件名或所在目录名（如 2023年签到表）"},
		{"第一党支部签到表\n会议时间：2023年3月15日\n姓名,签名\n张伟,张伟",
			"签到表看不出是什么会议：请在标题中写明会议类型（如 “第一党支部主题党日签到表”；可用：支部党员大会、支委会、党小组会、党课、主题党日、集中学习、组织生活会、交流研讨），或写在工作表名（如 3.15主题党日）或文件名中"},
	} {
		l, problem := classify(fuzzTable(tc.text), "x.csv", c)
		if l.kind != KindSignInSheet || problem != tc.want {
			t.Errorf("kind %v, problem\n%q\nwant\n%q", l.kind, problem, tc.want)
		}
	}
}

// A sheet named for its meeting, 4.18支部党员大会, whose 会议时间 line says 2023年4月19日: which
// day is a guess (it can move the meeting across a month in 附件2), so the sheet is refused,
// naming both (a trial's sheet was read as 04-19 without a word).
func TestSignInSheetNameDateDisagrees(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "4.18支部党员大会")
	sh := "4.18支部党员大会"
	for cell, v := range map[string]string{"A1": "中共××局机关第一党支部支部党员大会签到表", "A2": "会议时间：2023年4月19日 下午3:00",
		"A3": "序号", "B3": "姓名", "C3": "签名", "D3": "备注", "A4": "1", "B4": "王芳", "C4": "王芳"} {
		f.SetCellValue(sh, cell, v)
	}
	path := filepath.Join(t.TempDir(), "会议签到.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, "会议签到.xlsx", config(t))
	if err == nil || !strings.Contains(err.Error(), "表头上方写 2023-04-19，工作表名 “4.18支部党员大会” 写的是 2023-04-18：请核对是哪一天") {
		t.Errorf("err = %v, want the two dates named", err)
	}
}
