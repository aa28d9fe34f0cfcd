package importer

import (
	"reflect"
	"testing"

	"github.com/jifen/jifen/rules"
)

// labelsConfig is the default config with one layout matching the labels_* fixtures that only
// takes fields from labels above the table (the sheets are still recognised by their header).
func labelsConfig(t *testing.T, labels string) *rules.Config {
	t.Helper()
	c, err := legendConfig(t, "    - name: 签到表标签\n      files: [\"labels_*\"]\n      fields_from_labels: "+labels+"\n")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// labels_two_dates_in_title.xlsx: 填表日期：2023年3月20日 (A2, with 党支部：机关第二党支部 in the same
// cell) above 会议时间：2023年3月15日 上午9:00 (A3). Automatic reading passes over 填表日期 (the day
// the form was filled, not the meeting's) and takes 会议时间: 3-15 (it once took 3-20 silently).
func TestLabelsTwoDatesInTitle(t *testing.T) {
	const file = "labels_two_dates_in_title.xlsx"
	b, errs, _ := loadSignIn(t, config(t), file)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	if got := marks(b); len(got) != 3 || got[0] != "S11 主题党日 03-15 出席 "+file+"[Sheet1]!5行" {
		t.Fatalf("automatic reading = %q; want 张伟 S11 on 03-15 (会议时间, not 填表日期)", got)
	}

	// With fields_from_labels {date: 会议时间, branch: 党支部}: the date is 2023-03-15 (上午9:00
	// dropped), the branch 机关第二党支部 (cut before nothing: the rest of A2 after 党支部：). 张伟
	// signed 张伟 → S11 (second branch, not S01) 出席; 周敏 unsigned, 请假（出差）→ S12 请假;
	// 吴刚 √ → S13 出席. The meeting type 主题党日 still comes from the title.
	c := labelsConfig(t, "{date: 会议时间, branch: 党支部}")
	b, errs, f := loadSignIn(t, c, file)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	want := []string{
		"S11 主题党日 03-15 出席 " + file + "[Sheet1]!5行",
		"S12 主题党日 03-15 请假 " + file + "[Sheet1]!6行",
		"S13 主题党日 03-15 出席 " + file + "[Sheet1]!7行",
	}
	if got := marks(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	if b.Attendance[0].Date.Year() != 2023 || b.Attendance[1].Note != "请假（出差）" {
		t.Errorf("year %d, note %q", b.Attendance[0].Date.Year(), b.Attendance[1].Note)
	}
	rd := f.Readings()[0]
	wantFixed := map[string]string{"日期": "2023-03-15", "所在支部": "机关第二党支部", "活动类型": "主题党日"}
	if !reflect.DeepEqual(rd.Fixed, wantFixed) || rd.Branch != "机关第二党支部" || rd.Date != "2023-03-15" {
		t.Errorf("reading fixed %v (want %v), branch %q, date %q", rd.Fixed, wantFixed, rd.Branch, rd.Date)
	}
	if s, w := rd.Summary(), file+"[Sheet1]：我这样理解这张表：签到 机关第二党支部 主题党日 2023-03-15，应到 3，出席 2，请假 1（读了 3 行）"; s != w {
		t.Errorf("summary =\n%s\nwant\n%s", s, w)
	}
}

// A label the title block lacks is an error at the sheet naming the layout and the label; the
// file is not read.
func TestLabelsMissing(t *testing.T) {
	c := labelsConfig(t, "{date: 会议时间, note: 主持人}")
	_, errs, _ := loadSignIn(t, c, "labels_two_dates_in_title.xlsx")
	want := []string{"labels_two_dates_in_title.xlsx[Sheet1]!4行: 按版式 “签到表标签” 应从表格上方的 “主持人” 读取备注，但表头上方找不到 “主持人：…”（标签后面或右边一格应写备注）"}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, want)
	}
}

// Any family: a long attendance sheet (one row per member) whose meeting type is in a label
// with a colon (A2 会议类型：支委会) and whose date is in the cell right of its label (B2 会议日期,
// C2 2023年5月9日). Title → 机关第一党支部: 张伟 is S01. 张伟 出席; 王芳 请假 (备注 出差).
func TestLabelsLongAttendance(t *testing.T) {
	c := labelsConfig(t, "{activity: 会议类型, date: 会议日期}")
	const file = "labels_attendance_type_line.csv"
	b, errs, f := loadSignIn(t, c, file)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	want := []string{"S01 支委会 05-09 出席 " + file + "!4行", "S02 支委会 05-09 请假 " + file + "!5行"}
	if got := marks(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	if rd := f.Readings()[0]; rd.Fixed["活动类型"] != "支委会" || rd.Fixed["日期"] != "2023-05-09" {
		t.Errorf("fixed %v", rd.Fixed)
	}
}

// Two groups 序号 姓名 出勤情况 side by side with the same headers: each group is read as the
// first, left then right on each row. Title → 机关第一党支部 (张伟 is S01, not S11), 主题党日,
// 2023-04-20. Row 3: 张伟 出席, 刘洋 缺席; row 4: 王芳 请假, 陈静 迟到; row 5: 李 娜 出席, the
// right group empty (no record, no error).
func TestStatusGroupsSideBySide(t *testing.T) {
	const file = "status_groups_two_groups.csv"
	b, errs, f := loadSignIn(t, config(t), file)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	want := []string{
		"S01 主题党日 04-20 出席 " + file + "!3行", "S04 主题党日 04-20 缺席 " + file + "!3行",
		"S02 主题党日 04-20 请假 " + file + "!4行", "S05 主题党日 04-20 迟到 " + file + "!4行",
		"S03 主题党日 04-20 出席 " + file + "!5行",
	}
	if got := marks(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	rd := f.Readings()[0]
	var cols []string
	for _, c := range rd.Columns {
		cols = append(cols, c.Col+" "+c.Field)
	}
	wantCols := []string{"B 姓名（第 1 组）", "C 出勤情况（第 1 组）", "E 姓名（第 2 组）", "F 出勤情况（第 2 组）"}
	if !reflect.DeepEqual(cols, wantCols) || len(rd.Unused) > 0 || len(rd.Problems) > 0 {
		t.Errorf("columns %q (want %q), unused %+v, problems %q", cols, wantCols, rd.Unused, rd.Problems)
	}
	// 出席 张伟, 李 娜 = 2; 请假 王芳; 缺席 刘洋; 迟到 陈静; 3 data rows.
	if s, w := rd.Summary(), file+"：我这样理解这张表：签到 机关第一党支部 主题党日 2023-04-20，出席 2，请假 1，缺席 1，迟到 1（读了 3 行）"; s != w {
		t.Errorf("summary =\n%s\nwant\n%s", s, w)
	}
}

// A matrix whose activity column names no date takes the labelled one: 会议日期 in A2, the date
// an Excel serial in B2 (44987 = 2023-03-02: 44927 is 2023-01-01, plus 31 + 28 + 1 days), which
// automatic reading does not take from a title row. 张伟 √ → A01 支委会 03-02 出席.
func TestLabelsMatrixDate(t *testing.T) {
	c, err := legendConfig(t, "    - name: 支委会签到\n      files: [\"*支委会*\"]\n      fields_from_labels: {date: 会议日期}\n")
	if err != nil {
		t.Fatal(err)
	}
	p := writeCSV(t, "支委会_2023.csv", "第一党支部签到,,\n会议日期,44987,\n姓名,所在支部,支委会\n张伟,第一党支部,√\n")
	b, errs, _ := load(t, c, p)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	if got, want := marks(b), []string{"A01 支委会 03-02 出席 支委会_2023.csv!4行"}; !reflect.DeepEqual(got, want) || b.Attendance[0].Date.Year() != 2023 {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
}
