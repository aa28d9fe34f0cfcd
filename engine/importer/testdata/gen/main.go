// Command gen writes the .xlsx fixtures of the importer's tests: run it from the module root
// with `go run ./engine/importer/testdata/gen`. Each file is named for the quirk it holds.
package main

import (
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const dir = "engine/importer/testdata"

func main() {
	titleRowMerged()
	gb18030()
	matrixDateInHeader()
	matrixTwoHeaderRows()
	titleDateLong()
	hiddenSheet()
	wideLedger("wide_ledger_counts.xlsx", "每次扣0.5分", false)
	wideLedger("wide_ledger_mismatch.xlsx", "每次扣1分", true)
	numbersAsText()
	date1904()
	rosterForms()
	legendFixtures()
	registers()
	signIn()
	readers()
	labelsFixtures()
}

// save writes f with fixed document properties, so the bytes do not change between runs.
func save(f *excelize.File, name string) {
	f.SetDocProps(&excelize.DocProperties{Created: "2022-04-01T00:00:00Z", Modified: "2022-04-01T00:00:00Z"})
	if err := f.SaveAs(filepath.Join(dir, name)); err != nil {
		log.Fatal(err)
	}
}

func rows(f *excelize.File, sh string, first int, rows [][]any) {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			log.Fatal(err)
		}
	}
}

// matrix_date_in_header.xlsx: a sign-in matrix, one column per activity with its date in the
// header in three forms; marks √ 假 × 迟 早退 and a blank (not expected).
func matrixDateInHeader() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "第一党支部2022年3月签到表")
	f.MergeCell(sh, "A1", "F1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "所在支部", "3月2日支委会", "3.15 主题党日", "2022-03-25党课"},
		{1, "张伟", "第一党支部", "√", "迟", "早退"},
		{2, "王芳", "第一党支部", "", "假", "×"},
	})
	save(f, "matrix_date_in_header.xlsx")
}

// matrix_two_header_rows.xlsx: activities in one header row (支委会 merged over two columns),
// dates below (text, and a real Excel date), 序号 and 姓名 merged down over both rows.
func matrixTwoHeaderRows() {
	f := excelize.NewFile()
	sh := "3月"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "第二党支部2022年3月三会一课签到表")
	f.MergeCell(sh, "A1", "E1")
	rows(f, sh, 2, [][]any{
		{"序号", "姓名", "支委会", "", "主题党日"},
		{"", "", "3月2日", time.Date(2022, 3, 30, 0, 0, 0, 0, time.UTC), "3月15日"},
		{1, "李娜", "√", "✓", "到"},
		{2, "王芳", "缺", "", "√"},
	})
	f.MergeCell(sh, "A2", "A3")
	f.MergeCell(sh, "B2", "B3")
	f.MergeCell(sh, "C2", "D2")
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "D3", "D3", date)
	save(f, "matrix_two_header_rows.xlsx")
}

// title_date_long.xlsx: the activity and the month are only in the title
// (2022年3月主题党日签到表); the rows give name and status.
func titleDateLong() {
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetCellValue(sh, "A1", "第一党支部2022年3月主题党日签到表")
	f.MergeCell(sh, "A1", "C1")
	rows(f, sh, 2, [][]any{
		{"姓名", "所在支部", "签到情况"},
		{"张伟", "第一党支部", "出席"},
		{"王芳", "第一党支部", "请假"},
	})
	save(f, "title_date_long.xlsx")
}

// hidden_sheet.xlsx: two month sheets, the second hidden (an old copy): skipped and reported.
func hiddenSheet() {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "3月")
	rows(f, "3月", 1, [][]any{{"姓名", "所在支部", "活动类型", "活动日期", "出勤情况"}, {"张伟", "第一党支部", "党课", "2022-03-25", "出席"}})
	f.NewSheet("3月（旧）")
	rows(f, "3月（旧）", 1, [][]any{{"姓名", "所在支部", "活动类型", "活动日期", "出勤情况"}, {"张伟", "第一党支部", "党课", "2022-03-25", "缺席"}})
	f.SetSheetVisible("3月（旧）", false)
	save(f, "hidden_sheet.xlsx")
}

// wide_ledger_*.xlsx: a deductions ledger in the shape of the 扣分台账 of
// shared/real/【产品研发部党支部】党员积分导出模版.xlsx: a title with the period, one column per
// item whose header states the points, cells holding counts, a 扣分合计 column.
// With broken, a header states the wrong points, a row names someone not in the roster, and a
// column no layout item maps holds a value.
func wideLedger(name, duesPoints string, broken bool) {
	f := excelize.NewFile()
	sh := "扣分台账"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "扣分台账（2022年第1季度）")
	f.MergeCell(sh, "A1", "E1")
	rows(f, sh, 2, [][]any{
		{"序号", "党员姓名", "扣分\n合计", "1.不主动按时足额缴纳党费，" + duesPoints + "。", "11.在工作中被本单位、本部门通报批评的，扣3分。"},
		{1, "王芳", 4, 2, 1},
		{2, "李娜", 0.5, "1", 0},
	})
	if broken {
		rows(f, sh, 5, [][]any{{3, "王五", 0.5, 1, 0}})
		f.SetCellValue(sh, "F2", "4.党员集中学习时长全年累计不足32学时，扣1分。")
		f.SetCellValue(sh, "F3", 1)
	}
	save(f, name)
}

// tests_numbers_as_text.xlsx: scores stored as text, in full-width digits, with 分, and a
// formula cell whose cached value is read.
func numbersAsText() {
	f := excelize.NewFile()
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{
		{"党员编号", "姓名", "测试名称", "测试日期", "成绩", "满分"},
		{"A01", "张伟", "党纪测试", "2022-05-01", "85", "100"},
		{"A02", "王芳", "党纪测试", "2022-05-01", "８５", "１００"},
		{"A03", "张伟", "党纪测试", "2022-05-01", "85分", 100},
		{"A04", "李娜", "党纪测试", "2022-05-01", 90, 100},
	})
	f.SetCellFormula(sh, "E5", "=45*2")
	save(f, "tests_numbers_as_text.xlsx")
}

// date1904.xlsx: a workbook in the 1904 date system (old Mac Excel): the serial of 2022-03-05
// is 43163 there, 1462 fewer than in the 1900 system.
func date1904() {
	f := excelize.NewFile()
	t := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &t}); err != nil {
		log.Fatal(err)
	}
	sh := "Sheet1"
	rows(f, sh, 1, [][]any{{"姓名", "所在支部", "活动类型", "活动日期", "出勤情况"}, {"张伟", "第一党支部", "党课", 43163, "出席"}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "D2", "D2", date)
	save(f, "date1904.xlsx")
}

// title_row_merged.xlsx: a merged title row above the header, a header with a line break and a
// full-width space, real Excel date cells and text dates, marks √ and 假, a name with a
// full-width space.
func titleRowMerged() {
	f := excelize.NewFile()
	sh := "3月"
	f.SetSheetName("Sheet1", sh)
	f.SetCellValue(sh, "A1", "第一党支部2022年3月考勤表")
	f.MergeCell(sh, "A1", "F1")
	f.SetSheetRow(sh, "A2", &[]any{"序号", "党员\n姓名", "所在　支部", "活动类型", "活动日期", "出勤情况"})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	rows := [][]any{
		{1, "张伟", "第一党支部", "支委会", time.Date(2022, 3, 2, 0, 0, 0, 0, time.UTC), "√"},
		{2, "王　芳", "第一党支部", "主题党日", "2022/3/15", "假"},
		{3, "张伟", "第一党支部", "主题党日", "2022年3月15日", "迟到"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		f.SetSheetRow(sh, cell, &r)
	}
	f.SetCellStyle(sh, "E3", "E3", date)
	save(f, "title_row_merged.xlsx")
}

// gb18030.csv: what Chinese Excel's “save as CSV” writes: GB18030 text, no BOM.
func gb18030() {
	text := "姓名,所在支部,活动类型,活动日期,出勤情况\r\n李娜,第二党支部,党课,2022-03-25,缺席\r\n"
	data, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "gb18030.csv"), data, 0o644); err != nil {
		log.Fatal(err)
	}
}
