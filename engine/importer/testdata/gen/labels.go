package main

import "github.com/xuri/excelize/v2"

// labels_two_dates_in_title.xlsx (engine/importer/labels_test.go): a sign-in sheet whose title
// block has a 填表日期 line above its 会议时间 line, so that automatic reading takes the first
// date (the day the form was filled, 2023-03-20), and whose title names no branch: the branch
// is only in a 党支部： label. A layout with fields_from_labels reads both.
func labelsFixtures() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"中共××局主题党日签到表"},
		{"填表日期：2023年3月20日      党支部：机关第二党支部"},
		{"会议时间：2023年3月15日 上午9:00    会议地点：三楼会议室"},
		{"序号", "姓名", "签名", "备注"},
		{1, "张伟", "张伟", ""},
		{2, "周敏", "", "请假（出差）"},
		{3, "吴刚", "√", ""},
	})
	for _, r := range []string{"1", "2", "3"} {
		f.MergeCell(sh, "A"+r, "D"+r)
	}
	save(f, "labels_two_dates_in_title.xlsx")
}
