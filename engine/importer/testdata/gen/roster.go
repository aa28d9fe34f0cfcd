package main

import "github.com/xuri/excelize/v2"

// rosterForms writes the rosters as offices keep them (who a row is: roster_forms_test.go).
func rosterForms() {
	rosterPoliticalStatus()
	rosterIDCardAsNumber()
	namesakesResolvedByTitle()
}

// roster_political_status.xlsx: a 花名册 of all staff, without 党员编号, whose 政治面貌 column
// says who is a member: 中共党员 → 正式党员, 中共预备党员 → 预备党员; 群众 and 共青团员 are not
// members. 党内职务 as offices write them (支部副书记, 组织委员).
func rosterPoliticalStatus() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "机关第一党支部人员花名册")
	f.MergeCell(sh, "A1", "F1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "性别", "所在支部", "政治面貌", "党内职务"},
		{1, "张伟", "男", "机关第一党支部", "中共党员", "支部副书记"},
		{2, "王芳", "女", "机关第一党支部", "中共预备党员", ""},
		{3, "赵敏", "女", "机关第一党支部", "群众", ""},
		{4, "刘洋", "男", "机关第一党支部", "中共党员", "组织委员"},
		{5, "陈晨", "男", "机关第一党支部", "共青团员", ""},
	})
	save(f, "roster_political_status.xlsx")
}

// roster_id_card_as_number.xlsx: the 身份证号 of 张伟 was typed into a number cell: the file
// holds 1.1010119900307123E+17 (as Excel writes it), its last digit lost (the 身份证号 was
// 110101199003071233); 李娜's is text, whole.
func rosterIDCardAsNumber() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"姓名", "所在支部", "党员类别", "身份证号"},
		{"张伟", "第一党支部", "正式党员"},
		{"李娜", "第一党支部", "正式党员", "320102199208150045"},
	})
	f.SetCellDefault(sh, "D2", "1.1010119900307123E+17") // a number cell, its <v> as Excel writes it
	save(f, "roster_id_card_as_number.xlsx")
}

// namesakes_resolved_by_title.xlsx: sign-in lists without a 所在支部 column, for the roster of
// roster_no_member_id.csv (two 张伟, two 王芳): sheet 1's title names 第一党支部, sheet
// "第二党支部" names its branch in its sheet name, sheet "未注明" names none.
func namesakesResolvedByTitle() {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "中共某某局第一党支部2022年3月主题党日签到表")
	rows(f, "Sheet1", 2, [][]any{
		{"姓名", "出勤情况"},
		{"王芳", "出席"},
		{"张伟", "请假"},
	})
	f.NewSheet("第二党支部")
	f.SetCellValue("第二党支部", "A1", "2022年3月主题党日签到表")
	rows(f, "第二党支部", 2, [][]any{
		{"姓名", "出勤情况"},
		{"王芳", "缺席"},
		{"张　伟", "出席"},
	})
	save(f, "namesakes_resolved_by_title.xlsx")
}
