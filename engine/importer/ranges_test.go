package importer

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

// The roster (testdata/roster.csv): A01 张伟 第一党支部, A02 王芳 第一党支部, A03 张伟 第二党支部.

// A number outside its column's range is an error at its cell, saying what the column allows
// and why. Each case failed before the ranges (the value was stored, and scoring then failed
// with DuckDB's "Could not cast value 20220501.000000 to DECIMAL(9,2)").
func TestNumberOutOfRange(t *testing.T) {
	points, err := legendConfig(t, "    - name: 台账\n      files: [\"*分值台账*\"]\n      kind: 加扣分台账\n      cells: points\n      items:\n"+
		"        - {header: 通报批评, category: 通报批评}\n        - {header: 志愿服务, category: 志愿服务}\n"+
		"    - name: 次数台账\n      files: [\"*次数台账*\"]\n      kind: 加扣分台账\n      cells: count\n      items:\n"+
		"        - {header: 通报批评, category: 通报批评}\n        - {header: 志愿服务, category: 志愿服务}\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, want string
	}{
		// 数量 20220501 is 2022-05-01 typed into the number column: E2 (row 2, the 5th column).
		{"台账.csv", "姓名,所在支部,日期,类别,数量,事由\n张伟,第一党支部,2022-03-05,志愿服务,20220501,学雷锋\n",
			"台账.csv!E2: 数量 20220501 超出范围（允许 0–1000；像是日期填进了数量列）"},
		// The same day as an Excel date serial (a date cell in the 数量 column): 44682 days after
		// 1899-12-30 is 2022-05-01 (trial A: no hint before).
		{"台账序号.csv", "姓名,所在支部,日期,类别,数量,事由\n张伟,第一党支部,2022-03-05,志愿服务,44682,学雷锋\n",
			"台账序号.csv!E2: 数量 44682 超出范围（允许 0–1000；像是日期（Excel 日期 2022年5月1日）填进了数量列）"},
		// Text that is no number: a date, and 1,000 with a thousands separator (trial A: both
		// were told 应为非负数).
		{"台账文本日期.csv", "姓名,所在支部,日期,类别,数量,事由\n张伟,第一党支部,2022-03-05,志愿服务,2022-05-01,学雷锋\n",
			"台账文本日期.csv!E2: 数量 “2022-05-01” 应为数字（如志愿服务时长 2.5、次数 3）：像是日期填进了这一列"},
		{"台账千位.csv", "姓名,所在支部,日期,类别,数量,事由\n张伟,第一党支部,2022-03-05,志愿服务,\"1,000\",学雷锋\n",
			"台账千位.csv!E2: 数量 “1,000” 应为数字（如志愿服务时长 2.5、次数 3）：请去掉千位分隔符（1,000 写作 1000）"},
		// A 满分 of 10^12 (the score 90 is within it): F2.
		{"测试成绩.csv", "姓名,所在支部,测试名称,测试日期,成绩,满分\n张伟,第一党支部,党章测试,2022-03-05,90,1000000000000\n",
			"测试成绩.csv!F2: 满分 1000000000000 超出范围（允许 0–1000；试卷的满分，一般为 100 或 150）"},
		// A long ledger's 分值 (only checked against the rules) of 2022: a year, E2.
		{"加扣分.csv", "姓名,所在支部,日期,类别,分值\n张伟,第一党支部,2022-03-05,志愿服务,2022\n",
			"加扣分.csv!E2: 分值 2022 超出范围（允许 −100 到 100；像是年份填进了分值列）"},
		// A wide ledger of points: 500 points for one 志愿服务 cell, D3.
		{"2022年分值台账.csv", "2022年积分台账\n姓名,所在支部,通报批评,志愿服务\n张伟,第一党支部,3,500\n",
			"2022年分值台账.csv!D3: 志愿服务 500 超出范围（允许 −100 到 100；一行台账的加分或扣分）"},
		// A wide ledger of counts: 5000 times, D3.
		{"2022年次数台账.csv", "2022年台账\n姓名,所在支部,通报批评,志愿服务\n张伟,第一党支部,1,5000\n",
			"2022年次数台账.csv!D3: 志愿服务 5000 超出范围（允许 0–1000 的整数；宽台账的单元格是发生的次数）"},
		// A wide ledger dated by its title's year, 2099: no row is dated.
		{"2099年次数台账.csv", "2099年台账\n姓名,所在支部,通报批评,志愿服务\n张伟,第一党支部,1,2\n",
			"2099年次数台账.csv: 台账所属的时期取自 “2099年台账” 的年份 2099 晚于 " + engine.Latest().Format("2006") + " 年（今天之后一年），不是有效的年份"},
		// An assessment's numeric result: D2.
		{"评价结果.csv", "姓名,所在支部,评价项目,评价结果,日期\n张伟,第一党支部,民主评议,20221231,2022-12-31\n",
			"评价结果.csv!D2: 评价结果 20221231 超出范围（允许 0–1000；像是日期填进了评价结果列）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, _ := load(t, points, writeCSV(t, tc.name, tc.text))
			if !reflect.DeepEqual(errs, []string{tc.want}) {
				t.Errorf("errors = %q\nwant %q", errs, tc.want)
			}
		})
	}
}

// Values inside the ranges are read as they are: 数量 2.5 (hours), 满分 150 and 成绩 120, a wide
// ledger's −3 points.
func TestNumberInRange(t *testing.T) {
	c := config(t)
	b, errs, _ := load(t, c, writeCSV(t, "测试.csv", "姓名,所在支部,测试名称,测试日期,成绩,满分\n张伟,第一党支部,党章测试,2022-03-05,120,150\n"))
	if errs != nil || len(b.Tests) != 1 || *b.Tests[0].Score != 120 || b.Tests[0].FullMark != 150 {
		t.Fatalf("tests = %+v, %q; want 120 of 150", b, errs)
	}
	b, errs, _ = load(t, c, writeCSV(t, "台账.csv", "姓名,所在支部,日期,类别,数量,事由\n张伟,第一党支部,2022-03-05,志愿服务,2.5,学雷锋\n"))
	if errs != nil || len(b.Ledger) != 1 || b.Ledger[0].Count != 2.5 {
		t.Fatalf("ledger = %+v, %q; want 数量 2.5", b, errs)
	}
}

// Every way of writing a date goes through one check: before 1921-07-01 (the founding of the
// Party) or more than a year after today is an error at the cell. Each case but the serial
// numbers was taken before (the serials' bound was the year 2200: 73051 is 2100-01-01).
func TestDateOutOfRange(t *testing.T) {
	c := config(t)
	late := engine.Latest().Format("2006年1月2日")
	tooLate := "晚于 " + late + "（今天之后一年），不是有效的日期"
	tooEarly := "早于 1921年7月1日（建党之前），不是有效的日期"
	long := "党员编号,姓名,活动类型,活动日期,出勤情况\n"
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"iso.csv", long + "A01,张伟,党课,9999-12-31,出席\nA02,王芳,党课,0000-01-01,出席\n",
			[]string{"iso.csv!D2: 活动日期 “9999-12-31” " + tooLate, "iso.csv!D3: 活动日期 “0000-01-01” " + tooEarly}},
		{"slash.csv", long + "A01,张伟,党课,1899/12/30,出席\n", []string{"slash.csv!D2: 活动日期 “1899/12/30” " + tooEarly}},
		{"chinese.csv", long + "A01,张伟,党课,3022年3月15日,出席\n", []string{"chinese.csv!D2: 活动日期 “3022年3月15日” " + tooLate}},
		{"dots.csv", long + "A01,张伟,党课,1905.3.15,出席\n", []string{"dots.csv!D2: 活动日期 “1905.3.15” " + tooEarly}},
		{"compact.csv", long + "A01,张伟,党课,20991231,出席\n", []string{"compact.csv!D2: 活动日期 “20991231” " + tooLate}},
		{"time.csv", long + "A01,张伟,党课,2099-11-20 10:00:00,出席\n", []string{"time.csv!D2: 活动日期 “2099-11-20 10:00:00” " + tooLate}},
		// An Excel serial number: 73051 is 2100-01-01.
		{"serial.csv", long + "A01,张伟,党课,73051,出席\n", []string{"serial.csv!D2: 活动日期 “73051” 读作 2100-01-01，" + tooLate}},
		// A month and day take the year of the file name: 2099-03-05.
		{"2099年考勤.csv", long + "A01,张伟,党课,3月5日,出席\n", []string{"2099年考勤.csv!D2: 活动日期 “3月5日” 读作 2099-03-05，" + tooLate}},
		// A roster's 入党时间 written to the month, and as a date.
		{"名册.csv", "党员编号,姓名,所在支部,党员类别,入党时间\nB01,赵一,第一党支部,正式党员,2099.05\nB02,钱二,第一党支部,正式党员,1920-05-04\n",
			[]string{"名册.csv!E2: 入党时间 “2099.05” " + tooLate, "名册.csv!E3: 入党时间 “1920-05-04” " + tooEarly}},
		// A pledge's 年度: 9999 used to be read as the serial 9999, 1927-05-18.
		{"承诺.csv", "党员编号,姓名,年度,是否签订承诺书\nA01,张伟,9999,是\n",
			[]string{"承诺.csv!C2: 年度 “9999” 年份 9999 晚于 " + engine.Latest().Format("2006") + " 年（今天之后一年），不是有效的年度"}},
		// A pledge's year from the title.
		{"承诺书.csv", "2099年承诺践诺情况\n党员编号,姓名,是否签订承诺书\nA01,张伟,是\n",
			[]string{"承诺书.csv!3行: 年度取自 “2099年承诺践诺情况” 的年份 2099 晚于 " + engine.Latest().Format("2006") + " 年（今天之后一年），不是有效的年份"}},
		// A sign-in matrix whose column is dated by the title: 2099-03-01.
		{"签到.csv", "2099年3月主题党日签到表\n姓名,所在支部,主题党日\n张伟,第一党支部,√\n",
			[]string{"签到.csv!C2: 签到列 “主题党日” 的日期取自 “2099年3月主题党日签到表” 的年份 2099 晚于 " + engine.Latest().Format("2006") + " 年（今天之后一年），不是有效的年份"}},
		// A sign-in sheet's 会议时间.
		{"主题党日.csv", "会议时间：2099年3月15日\n序号,姓名,签名\n1,张伟,张伟\n",
			[]string{"主题党日.csv!2行: 签到表的会议日期“2099年3月15日” " + tooLate}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, _ := load(t, c, writeCSV(t, tc.name, tc.text))
			if !reflect.DeepEqual(errs, tc.want) {
				t.Errorf("errors = %q\nwant %q", errs, tc.want)
			}
		})
	}
}

// A birth date may be before 1921 (a member born in 1920), not before 1900; written to the
// month too.
func TestBirthDateRange(t *testing.T) {
	c := config(t)
	b, errs, _ := load(t, c, writeCSV(t, "名册.csv", "党员编号,姓名,所在支部,党员类别,入党时间,出生日期\nB01,赵一,第一党支部,正式党员,1945-05-04,1920.05\nB02,钱二,第一党支部,正式党员,1950-05-04,1919-03-02\n"))
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	if len(b.Members) != 2 || !b.Members[0].BirthDate.Equal(day(1920, 5, 1)) || !b.Members[1].BirthDate.Equal(day(1919, 3, 2)) {
		t.Errorf("members = %+v, want born 1920-05-01 and 1919-03-02", b.Members)
	}
	_, errs, _ = load(t, c, writeCSV(t, "名册2.csv", "党员编号,姓名,所在支部,党员类别,出生日期\nB03,孙三,第一党支部,正式党员,1899-12-31\n"))
	if want := []string{"名册2.csv!E2: 出生日期 “1899-12-31” 早于 1900年1月1日，不是有效的日期"}; !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %q, want %q", errs, want)
	}
}

// A date-typed cell of a workbook (an Excel date, stored as a serial number with a date format)
// is checked like text: 2100-01-01 in B2 of the sheet 考勤.
func TestDateCellOutOfRange(t *testing.T) {
	c := config(t)
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "考勤")
	for i, v := range []any{"党员编号", "姓名", "活动类型", "活动日期", "出勤情况", "A01", "张伟", "党课", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), "出席"} {
		cell, _ := excelize.CoordinatesToCellName(i%5+1, i/5+1)
		if err := f.SetCellValue("考勤", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "考勤.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, errs, _ := load(t, c, path)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "考勤.xlsx[考勤]!D2: 活动日期 ") || !strings.Contains(errs[0], "2100-01-01，晚于") {
		t.Errorf("errors = %q, want one at D2 reading 2100-01-01 as too late", errs)
	}
}
