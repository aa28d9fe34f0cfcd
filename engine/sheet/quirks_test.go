package sheet

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestQuirks reads the quirk corpus (testdata/quirk_*.xlsx, written by testdata/gen/quirks.go):
// workbooks other tools write that the reader once refused or misread (issue 15, item 10).
// Each is read by the streaming reader (no fallback to excelize), with the cells worked out
// from the XML the generator writes.
func TestQuirks(t *testing.T) {
	data := []Table{{Sheet: "数据", Rows: [][]string{{"姓名", "成绩"}, {"张伟", "85.5"}}}}
	for _, c := range []struct {
		file    string
		want    []Table
		skipped []Skipped
	}{
		// A chart sheet between two worksheets: skipped with a note, the others read.
		{"quirk_chartsheet.xlsx", append(append([]Table(nil), data...), Table{Sheet: "合计", Rows: [][]string{{"人数", "1"}}}),
			[]Skipped{{Sheet: "图表1", Reason: "不是工作表（图表），已跳过"}}},
		// An XLM macro sheet (listed first) and a dialog sheet: skipped, 数据 read.
		{"quirk_macrosheet.xlsx", data, []Skipped{{Sheet: "Macro1", Reason: "不是工作表（宏表），已跳过"}, {Sheet: "Dialog1", Reason: "不是工作表（对话框），已跳过"}}},
		// ZIP entries named xl\workbook.xml etc.: the same parts.
		{"quirk_backslash.xlsx", data, nil},
		// The workbook at /book/main.xml (from _rels/.rels), its sheet at
		// pages/../pages/first.xml and shared strings at ../text/strings.xml, relative to it.
		{"quirk_other_path.xlsx", data, nil},
		// t="d": 2022-03-15 is serial 44635 (2022-03-05 is 44625, as in chineseDates; ten days
		// on); 2022-03-20 14:30 is 44640 + 14.5/24 = 44640.604166666664; the date alone and with
		// Z give 44625; 昨天 and 2022-02-30 are no dates and stay as written; 12:00 with a zone
		// is 44625.5 (the written wall time, the zone left out).
		{"quirk_iso_dates.xlsx", []Table{{Sheet: "日期", Rows: [][]string{{"44635", "44640.604166666664", "44625", "44625", "昨天", "2022-02-30", "44625.5"}}}}, nil},
		// In the 1904 system 2022-03-05 is 43163 (44625 less the 1462 days from 1899-12-30 to
		// 1904-01-01), as libreoffice_date1904.xls gives it.
		{"quirk_iso_dates_1904.xlsx", []Table{{Sheet: "日期", Rows: [][]string{{"43163"}}, Date1904: true}}, nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			got, skipped := readFast(t, filepath.Join(td, c.file))
			if want := withFile(c.want, c.file); !reflect.DeepEqual(got, want) {
				t.Errorf("tables\n got %+v\nwant %+v", got, want)
			}
			if !reflect.DeepEqual(skipped, c.skipped) {
				t.Errorf("skipped %v, want %v", skipped, c.skipped)
			}
		})
	}
}

// TestQuirkMessages: a damaged row number is said to be one (not "split the data"), and a sheet
// name over Excel's 31 characters is said to be too long.
func TestQuirkMessages(t *testing.T) {
	for file, want := range map[string]string{
		"quirk_absurd_row.xlsx":      "quirk_absurd_row.xlsx[数据]: 文件已损坏：第 99999999 行超出了 Excel 的 1048576 行上限",
		"quirk_long_sheet_name.xlsx": "quirk_long_sheet_name.xlsx: 工作表名“一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十甲乙”有 32 个字符，超过了 Excel 的 31 个字符上限",
	} {
		_, _, err := Read(filepath.Join(td, file))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s…", file, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "分到") {
			t.Errorf("%s: %v: tells to split the data", file, err)
		}
	}
}
