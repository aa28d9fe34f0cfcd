package main

import "github.com/xuri/excelize/v2"

// legendFixtures writes the sign-in matrices whose legend (说明：√出席 ○请假 …) defines their
// marks, and one with signature rows under it.
func legendFixtures() {
	// matrix_legend_circle_is_leave.xlsx: the legend under the matrix, in one cell merged over the
	// row, written 注：√表示出席，○表示请假…: ○ is 请假 here (the vocabulary would say 出席), ☆ 早退.
	f := excelize.NewFile()
	sh := "3月"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "第一党支部2022年3月签到表")
	f.MergeCell(sh, "A1", "F1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "所在支部", "3月2日支委会", "3.15 主题党日", "3月25日党课"},
		{1, "张伟", "第一党支部", "√", "○", "△"},
		{2, "王芳", "第一党支部", "○", "×", "☆"},
	})
	f.SetCellValue(sh, "A6", "注：√表示出席，○表示请假，×表示缺席，△表示迟到，☆早退")
	f.MergeCell(sh, "A6", "F6")
	save(f, "matrix_legend_circle_is_leave.xlsx")

	// matrix_legend_above.xlsx: the legend above the header, over several cells (说明： | √出席 |
	// ○请假 | ×缺席).
	f = excelize.NewFile()
	sh = "Sheet1"
	f.SetCellValue(sh, "A1", "第一党支部2022年4月三会一课签到表")
	f.MergeCell(sh, "A1", "E1")
	rows(f, sh, 2, [][]any{
		{"说明：", "√出席", "○请假", "×缺席"},
		{"序号", "姓名", "所在支部", "4月6日支委会", "4月20日主题党日"},
		{1, "张伟", "第一党支部", "○", "√"},
		{2, "王芳", "第一党支部", "×", "○"},
	})
	save(f, "matrix_legend_above.xlsx")

	// matrix_signature_rows.xlsx: under the members, a blank row, 应到 2 人，实到 2 人, a row
	// 支部书记（签字）： with 记录人： in D, and 主持人签字 alone in the 姓名 column; no legend.
	f = excelize.NewFile()
	rows(f, sh, 1, [][]any{
		{"第一党支部2022年5月签到表"},
		{"序号", "姓名", "所在支部", "5月10日党课", "5月25日主题党日"},
		{1, "张伟", "第一党支部", "√", "√"},
		{2, "王芳", "第一党支部", "假", "√"},
		{},
		{"应到 2 人，实到 2 人"},
		{"支部书记（签字）：", "", "", "记录人："},
		{"", "主持人签字"},
	})
	f.MergeCell(sh, "A1", "E1")
	save(f, "matrix_signature_rows.xlsx")

	// matrix_mark_not_in_legend.xlsx: the legend 说明：√出席 ○请假 ×缺席 under the matrix; 王芳's
	// E4 holds △, which the legend does not define.
	f = excelize.NewFile()
	rows(f, sh, 1, [][]any{
		{"第一党支部2022年6月签到表"},
		{"序号", "姓名", "所在支部", "6月8日支委会", "6月20日主题党日"},
		{1, "张伟", "第一党支部", "√", "○"},
		{2, "王芳", "第一党支部", "×", "△"},
		{},
		{"说明：√出席 ○请假 ×缺席"},
	})
	save(f, "matrix_mark_not_in_legend.xlsx")
}
