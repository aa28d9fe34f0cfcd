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
	f.SetDocProps(&excelize.DocProperties{Created: "2022-04-01T00:00:00Z", Modified: "2022-04-01T00:00:00Z"})
	if err := f.SaveAs(filepath.Join(dir, "title_row_merged.xlsx")); err != nil {
		log.Fatal(err)
	}
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
