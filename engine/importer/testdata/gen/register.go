package main

import (
	"time"

	"github.com/xuri/excelize/v2"
)

// registers writes the 三会一课 registers (登记簿): one row per meeting, who was absent and
// why; the members are those of testdata/register_roster.csv.
func registers() {
	registerAbsenteesWithReasons()
	registerCountsDisagree()
	registerBranchFromTitle()
}

// register_absentees_with_reasons.xlsx: a year's register of 机关第一党支部 (its 所在支部
// column writes the long name 中共××局机关第一党支部 once), absentees with their reasons in
// every form offices write them: 李四（出差）、王五（病假）; 赵六(无故)，刘洋 事假; ；; 无; 李四请假.
// The dates are an Excel date, a date with the time of day, 2023.9.12 and 2023-10-10; a
// 填表人 footer closes the table.
func registerAbsenteesWithReasons() {
	f := excelize.NewFile()
	sh := "登记簿"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "2023年三会一课登记簿")
	f.MergeCell(sh, "A1", "J1")
	rows(f, sh, 2, [][]any{
		{"序号", "会议时间", "会议类型", "会议主题", "所在支部", "主持人", "应到人数", "实到人数", "缺席人员及原因", "备注"},
		{1, time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC), "支部党员大会", "学习党的二十大精神", "中共××局机关第一党支部", "张伟", 7, 5, "李四（出差）、王五（病假）", ""},
		{2, "2023年6月20日 上午9:00", "党课", "专题党课", "机关第一党支部", "张伟", 7, 5, "赵六(无故)，刘洋 事假", ""},
		{3, "2023.9.12", "主题党日", "志愿服务进社区", "机关第一党支部", "王芳", 8, 6, "赵六（无故缺席）；孙八（公假）", ""},
		{4, "2023-10-10", "支部党员大会", "发展党员", "机关第一党支部", "张伟", 7, 7, "无", ""},
		{5, "2023-12-05", "主题党日", "年终总结", "机关第一党支部", "张伟", 7, 6, "李四请假", ""},
		{"填表人：王芳"},
	})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "B3", "B3", date)
	save(f, "register_absentees_with_reasons.xlsx")
}

// register_counts_disagree.xlsx: the branch is the sheet's name; 实到 of the first meeting
// counts one of the two on leave as present, and the second meeting's 应到 counts 钱七, who is
// on the roll only from 2023-07-01 (so its 实到 is one too many as well).
func registerCountsDisagree() {
	f := excelize.NewFile()
	sh := "机关第一党支部"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "2023年三会一课登记簿")
	f.MergeCell(sh, "A1", "F1")
	rows(f, sh, 2, [][]any{
		{"日期", "会议类型", "应到", "实到", "缺席人员", "备注"},
		{"2023-04-18", "支部党员大会", 7, 6, "李四（出差）、赵六（病假）", ""},
		{"2023-05-10", "党课", 8, 7, "刘洋（病假）", ""},
	})
	save(f, "register_counts_disagree.xlsx")
}

// register_branch_from_title.xlsx: no 所在支部 column: the title names 中共××局机关第二党支部,
// whose 张伟 (R11) has a namesake in 机关第一党支部 (R01); a 请假人员 column; a 党小组会 of a
// branch with one 党小组.
func registerBranchFromTitle() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "中共××局机关第二党支部2023年“三会一课”记录本")
	f.MergeCell(sh, "A1", "F1")
	rows(f, sh, 2, [][]any{
		{"日期", "会议类型", "内容", "应到人数", "实到人数", "请假人员"},
		{"2023-03-02", "党员大会", "传达上级精神", 3, 2, "张伟（培训）"},
		{"2023-03-20", "支委会", "研究季度工作", 1, 1, ""},
		{"2023-04-11", "党小组会", "学习讨论", 3, 3, "无"},
	})
	save(f, "register_branch_from_title.xlsx")
}
