package main

import (
	"time"

	"github.com/xuri/excelize/v2"
)

// The sign-in sheets of one meeting each (engine/importer/signin_test.go), for the members of
// testdata/signin_roster.csv: S01 张伟 … S07 孙丽 of 机关第一党支部, S11 张伟, S12 周敏, S13 吴刚
// of 机关第二党支部.
func signIn() {
	signInTwoGroups()
	signInThreeGroupsMergedTitle()
	signInSheetsPerMeeting()
	signInCheckMarksAndNames()
	signInFooterCountsWrong()
	signInProxyAndContradiction()
	signInNoDate()
}

// signin_two_groups.xlsx: title, 会议时间 and 主持人 lines each merged across the sheet; two
// groups 序号 姓名 签名 备注 side by side; a footer of counts and signatures.
func signInTwoGroups() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"中共××局机关第一党支部主题党日签到表"},
		{"会议时间：2023年3月15日 上午9:00    会议地点：三楼党员活动室"},
		{"主持人：张伟    记录人：王芳"},
		{"序号", "姓名", "签名", "备注", "序号", "姓名", "签名", "备注"},
		{1, "张伟", "张伟", "", 5, "陈静", "", "请假（出差）"},
		{2, "王芳", "王 芳", "", 6, "赵磊", "", ""},
		{3, "李 娜", "李娜", "迟到", 7, "孙丽", "孙丽", "早退"},
		{4, "刘洋", "√", "", 8, "", "", ""},
		{"应到 7 人，实到 5 人"},
		{"记录人：王芳", "", "", "", "主持人签字："},
	})
	for _, r := range []string{"1", "2", "3", "9"} {
		f.MergeCell(sh, "A"+r, "H"+r)
	}
	save(f, "signin_two_groups.xlsx")
}

// signin_three_groups_merged_title.xlsx: a merged title; 会议时间 in one cell and the date (a
// real Excel date) in the next; three groups under 签字; counts in label and number cells.
func signInThreeGroupsMergedTitle() {
	f := excelize.NewFile()
	sh := "签到"
	f.SetSheetName("Sheet1", sh)
	rows(f, sh, 1, [][]any{
		{"中共××局机关第二党支部支部党员大会签到表"},
		{"会议时间：", time.Date(2023, 4, 20, 0, 0, 0, 0, time.UTC), "", "", "会议地点：", "会议室"},
		{"主持人：", "周敏", "", "", "记录人：", "吴刚"},
		{"序号", "姓名", "签字", "备注", "序号", "姓名", "签字", "备注", "序号", "姓名", "签字", "备注"},
		{1, "张伟", "张伟", "", 2, "周敏", "√", "", 3, "吴刚", "", "病假"},
		{"应到人数：", 3, "", "", "实到人数：", 2},
	})
	f.MergeCell(sh, "A1", "L1")
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "B2", "B2", date)
	save(f, "signin_three_groups_merged_title.xlsx")
}

// signin_sheets_per_meeting.xlsx: one sheet per meeting, named 3.15主题党日 and 3.28支委会; the
// title gives branch and year only. The first sheet's signature column is headed 签到.
func signInSheetsPerMeeting() {
	f := excelize.NewFile()
	a, b := "3.15主题党日", "3.28支委会"
	f.SetSheetName("Sheet1", a)
	f.NewSheet(b)
	rows(f, a, 1, [][]any{
		{"机关第一党支部签到表（2023年）"},
		{"序号", "姓名", "签到", "备注"},
		{1, "张伟", "√", ""},
		{2, "王芳", "", "事假"},
		{3, "李 娜", "", ""},
	})
	rows(f, b, 1, [][]any{
		{"机关第一党支部签到表（2023年）"},
		{"序号", "姓名", "签名", "备注"},
		{1, "张伟", "张伟", ""},
		{2, "王芳", "王芳", ""},
		{"应到 2 人，实到 2 人"},
	})
	save(f, "signin_sheets_per_meeting.xlsx")
}

// signin_check_marks_and_names.xlsx: signatures written as ✓, √, the name again with other
// spacing, 请假 in the signature column; notes 出差, 无故缺席, 迟到10分钟.
func signInCheckMarksAndNames() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"机关第一党支部党课签到表"},
		{"时间：2023年5月9日"},
		{"序号", "姓名", "本人签名", "备注"},
		{1, "张　伟", "✓", ""},
		{2, "王芳", "√", ""},
		{3, "李 娜", "李娜", ""},
		{4, "刘洋", "请假", ""},
		{5, "陈静", "", "出差"},
		{6, "赵磊", "", "无故缺席"},
		{7, "孙丽", "孙 丽", "迟到10分钟"},
	})
	save(f, "signin_check_marks_and_names.xlsx")
}

// signin_footer_counts_wrong.xlsx: the footer states 应到 4 and 实到 3; the sheet lists 3
// members of whom 2 signed.
func signInFooterCountsWrong() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"机关第二党支部支委会签到表"},
		{"会议时间：2023年6月2日"},
		{"姓名", "签名", "备注"},
		{"张伟", "张伟", ""},
		{"周敏", "", ""},
		{"吴刚", "吴刚", ""},
		{"应到4人 实到3人"},
	})
	save(f, "signin_footer_counts_wrong.xlsx")
}

// signin_proxy_and_contradiction.xlsx: 王芳's row signed 张伟 (代签), 李 娜 signed with a
// leave in 备注, 刘洋 signed 刘阳 (no such member).
func signInProxyAndContradiction() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"机关第一党支部主题党日签到表"},
		{"会议时间：2023年8月1日"},
		{"序号", "姓名", "签名", "备注"},
		{1, "张伟", "张伟", ""},
		{2, "王芳", "张伟", ""},
		{3, "李 娜", "李娜", "请假"},
		{4, "刘洋", "刘阳", ""},
	})
	save(f, "signin_proxy_and_contradiction.xlsx")
}

// signin_no_date.xlsx: nothing gives the meeting's date.
func signInNoDate() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"机关第一党支部主题党日签到表"},
		{"序号", "姓名", "签名", "备注"},
		{1, "张伟", "张伟", ""},
	})
	save(f, "signin_no_date.xlsx")
}
