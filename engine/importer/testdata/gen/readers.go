package main

import (
	"time"

	"github.com/xuri/excelize/v2"
)

// readers writes the fixtures of readers_test.go: an online exam export and a ledger as
// offices keep them.
func readers() {
	examExport()
	ledgerLevelOrNote()
}

// exam_export_total_is_full_mark.xlsx: an online exam export (title names the exam), one exam
// taken over three days; 总分 50 is the full mark; 交卷时间 as text and as a real date cell;
// 所在组织 is the branch; 手机号 present; 用时 unused; 李娜 缺考 with no 交卷时间.
func examExport() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "2022年党纪党规知识测试成绩导出")
	f.MergeCell(sh, "A1", "H1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "所在组织", "手机号", "得分", "总分", "交卷时间", "用时"},
		{1, "王芳", "第一党支部", "13800138000", 45, 50, "2022-11-20 10:32:11", "12分30秒"},
		{2, "张伟", "第一党支部", "13900139000", 29, 50, "2022-11-22 09:01:05", "20分02秒"},
		{3, "张伟", "第二党支部", "13700137000", 30, 50, time.Date(2022, 11, 21, 15, 0, 0, 0, time.UTC), "18分"},
		{4, "李娜", "第二党支部", "13600136000", "缺考", 50, "", ""},
	})
	save(f, "exam_export_total_is_full_mark.xlsx")
}

// ledger_level_or_note.xlsx: a ledger whose 等级或说明 holds the level on 表彰 rows and free
// text on others, 分值 written by the clerk (two disagree with the rules), both 事由 and 备注,
// dates 2022.3.5 and 3月8日 (year from the title).
func ledgerLevelOrNote() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "2022年党员加扣分台账")
	f.MergeCell(sh, "A1", "I1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "所在支部", "日期", "类别", "等级或说明", "分值", "事由", "备注"},
		{1, "王芳", "第一党支部", "2022.3.5", "表彰", "市厅级", 6, "市直机关优秀党务工作者", ""},
		{2, "张伟", "第一党支部", "3月8日", "志愿服务", "社区防疫志愿服务", 1, "", "共2小时"},
		{3, "张伟", "第二党支部", "2022-05-04", "表彰", "省部级", 6, "省级优秀共产党员", ""},
		{4, "李娜", "第二党支部", "2022-09-01", "通报批评", "", 3, "无故缺席三次", ""},
		{5, "王芳", "第一党支部", "2022-10-10", "党费未按时缴纳", "9月党费", -1, "", "已补缴"},
	})
	save(f, "ledger_level_or_note.xlsx")
}
