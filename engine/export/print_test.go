package export

import (
	"archive/zip"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

// printed is a year written to 附件.xlsx for the print tests, with its unit and date, and opened.
func printed(t *testing.T, r Results) *excelize.File {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "附件.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// numFmt is the number format of a cell: "General" or the custom format.
func numFmt(t *testing.T, x *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := x.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	if st.NumFmt == 0 {
		return "General"
	}
	return "built-in " + string(rune('0'+st.NumFmt))
}

// printYear is small's year with a unit and a date, a 一票否决 and a star veto, the 三会一课, a
// test and the ranking.
func printYear() Results {
	r := small("year")
	r.Unit, r.Date = "某某公路管理处党委", time.Date(2026, 12, 8, 15, 4, 5, 0, time.UTC)
	r.Personal = false // no 身份证号 and 手机号 columns: 备注 is column I
	r.Members = slice([]engine.MemberResult{
		{ID: "A1", Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 116, Stars: 5, Grade: "优秀", Reason: "总分 116 分，定为优秀"},
		{ID: "A2", Name: "王芳", Branch: "一支部", Category: "预备党员", Total: 92.5, Stars: 4, Grade: "不定等次（预备党员）", Reason: "预备党员参加评议，不定等次"},
		{ID: "B1", Name: "李强", Branch: "二支部", Category: "正式党员", Total: 0, Grade: "不合格",
			Reason: "一票否决（开除党籍），定为不合格", StarReason: "一票否决（开除党籍），不评星"},
		{ID: "B2", Name: "赵敏", Branch: "二支部", Category: "正式党员", Total: 60, Grade: "基本合格",
			Reason: "总分 60 分，定为基本合格", StarReason: "一票否决（警告），不评星"},
	})
	r.Compliance = []engine.Compliance{
		{Branch: "一支部", Activity: "支委会", Per: "month", Times: 1, Required: 12, Held: 12},
		{Branch: "一支部", Activity: "党小组会", Per: "month", Times: 1, Required: 24, Held: 23, Short: "第二党小组：7月"},
		{Branch: "二支部", Activity: "支委会", Per: "month", Times: 1, Required: 12, Held: 12},
	}
	r.Tests = []engine.TestStat{
		{Branch: "一支部", Test: "党章测试", Date: time.Date(2022, 6, 24, 0, 0, 0, 0, time.UTC), Taken: 19, Passed: 17},
		{Branch: "二支部", Test: "党章测试", Date: time.Date(2022, 6, 24, 0, 0, 0, 0, time.UTC), Taken: 18, Passed: 18},
		{Branch: "合计", Test: "党章测试", Date: time.Date(2022, 6, 24, 0, 0, 0, 0, time.UTC), Taken: 37, Passed: 35},
	}
	r.Indicators = nil
	for _, b := range []string{"一支部", "二支部", "合计"} {
		r.Indicators = append(r.Indicators,
			engine.Indicator{Branch: b, Name: "党员数", Value: f(2)},
			engine.Indicator{Branch: b, Name: "出勤率", Value: f(80.8), Decimals: 1},
			engine.Indicator{Branch: b, Name: "积分平均分", Value: f(92.53), Decimals: 2},
			engine.Indicator{Branch: b, Name: "五星党员数", Value: f(1)},
			engine.Indicator{Branch: b, Name: "党费缴纳笔数", Value: f(7)}, // in no section: 其他
		)
	}
	r.Ranking = []engine.BranchRank{{Branch: "一支部", Score: 0.99664, Rank: 1}, {Branch: "二支部", Score: 0.1, Rank: 2}}
	r.Weights = []engine.Weight{{Name: "出勤率", Weight: 0.4}, {Name: "积分平均分", Weight: 0.6}}
	return r
}

// Each column prints its numbers its own way: counts 0, rates 0.0, points as written (General:
// 116, 92.5), the composite index 0.0000.
func TestNumberFormats(t *testing.T) {
	x := printed(t, printYear())
	// 附件1: row 5 is the first member (附件1, title, 填报单位, header above).
	for cell, want := range map[string]string{"A5": "0", "F5": "General", "F6": "General"} {
		if got := numFmt(t, x, SheetMembers, cell); got != want {
			t.Errorf("附件1 %s format %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"F5": "116", "F6": "92.5"} {
		if got, _ := x.GetCellValue(SheetMembers, cell); got != want {
			t.Errorf("附件1 %s prints %q, want %q", cell, got, want)
		}
	}
	// 附件3: 参考人次 0, 及格率 0.0 (17/19 = 89.5; 18/18 = 100.0).
	for cell, want := range map[string]string{"D5": "0", "F5": "0.0", "F6": "0.0", "G5": "0"} {
		if got := numFmt(t, x, SheetTests, cell); got != want {
			t.Errorf("附件3 %s format %q, want %q", cell, got, want)
		}
	}
	if got, _ := x.GetCellValue(SheetTests, "F6"); got != "100.0" {
		t.Errorf("附件3 及格率 of 18/18 prints %q, want 100.0", got)
	}
	// 附件6: each indicator by its decimals, 综合指数 0.0000 (0.99664 → 0.9966).
	rows, _ := x.GetRows(SheetIndicators)
	at := map[string]int{}
	for i, r := range rows {
		if len(r) > 0 {
			at[r[0]] = i + 1
		}
	}
	for name, want := range map[string]string{"党员数": "0", "出勤率（%）": "0.0", "积分平均分": "General", "综合指数": "0.0000", "综合排名": "0"} {
		cell, _ := excelize.CoordinatesToCellName(2, at[name])
		if got := numFmt(t, x, SheetIndicators, cell); got != want {
			t.Errorf("附件6 %s (%s) format %q, want %q", name, cell, got, want)
		}
	}
	if got, _ := x.GetCellValue(SheetIndicators, "B"+strconv.Itoa(at["综合指数"])); got != "0.9966" {
		t.Errorf("综合指数 prints %q, want 0.9966", got)
	}
}

// Text is measured as printed: 汉字, ★, ●, — and full-width punctuation full width (2), a digit
// or Latin letter 1.15 (a Chinese font's are a little wider than half an em).
func TestTextWidth(t *testing.T) {
	for s, want := range map[string]float64{"★★★★★": 10, "党员": 4, "●—（）☆": 10, "": 0, "92.5": 4.6} {
		if got := textWidth(s); got < want-1e-9 || got > want+1e-9 {
			t.Errorf("textWidth(%q) = %v, want %v", s, got, want)
		}
	}
	// 附件1's 星级 column holds ★★★★★ on one line: 10 half-width characters at 11 pt, 10 × 11/2/
	// 0.75/7 + 0.9 = 11.38 wide.
	x := printed(t, printYear())
	if w, _ := x.GetColWidth(SheetMembers, "G"); w < 11.38 {
		t.Errorf("星级 column %v wide, want at least 11.38 for ★★★★★", w)
	}
}

// The lines above every table and the footer: 附件N, the title, 填报单位 and 填报日期 (the
// run's date as 2026年12月8日); the footer names the sheet and counts its own pages, numbered
// from 1 on each sheet; the header row repeats on every page; the page is centred.
func TestOfficialLines(t *testing.T) {
	x := printed(t, printYear())
	for _, sheet := range []string{SheetMembers, SheetCompliance, SheetTests, SheetPledges, SheetIndicators} {
		tag := sheet[:strings.Index(sheet, " ")]
		for cell, want := range map[string]string{"A1": tag, "A3": "填报单位：某某公路管理处党委　填报日期：2026年12月8日"} {
			if got, _ := x.GetCellValue(sheet, cell); got != want {
				t.Errorf("%s %s = %q, want %q", sheet, cell, got, want)
			}
		}
		hf, err := x.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		// Every table here is a few rows: one page.
		if want := "&C" + tag + "　第 &P 页，共 1 页"; hf.OddFooter != want {
			t.Errorf("%s footer %q, want %q", sheet, hf.OddFooter, want)
		}
		pl, _ := x.GetPageLayout(sheet)
		if pl.FirstPageNumber == nil || *pl.FirstPageNumber != 1 || pl.AdjustTo == nil || *pl.AdjustTo < 91 {
			t.Errorf("%s page layout %+v: want pages numbered from 1 and a scale of at least 91%%", sheet, pl)
		}
		m, _ := x.GetPageMargins(sheet)
		if m.Horizontally == nil || !*m.Horizontally {
			t.Errorf("%s is not centred on the page", sheet)
		}
	}
	hf, err := x.GetHeaderFooter(SheetChart)
	if err != nil || hf == nil {
		t.Fatalf("chart sheet: %v", err)
	}
	if hf.OddFooter != "&C附件6 图　第 &P 页，共 1 页" {
		t.Errorf("chart footer %q", hf.OddFooter)
	}
}

// 附件1's 备注 gives the reason of a 一票否决 (of the grade, or of the stars alone) and of a
// 预备党员's grade not given; nothing for the others.
func TestMembersRemark(t *testing.T) {
	x := printed(t, printYear())
	for cell, want := range map[string]string{
		"I5": "",                 // 张伟: 优秀, no remark
		"I6": "预备党员参加评议，不定等次",    // 王芳: 预备党员
		"I7": "一票否决（开除党籍），定为不合格", // 李强: the grade's veto
		"I8": "一票否决（警告），不评星",     // 赵敏: the stars' veto only
		"I4": "备注",
	} {
		if got, _ := x.GetCellValue(SheetMembers, cell); got != want {
			t.Errorf("附件1 %s = %q, want %q", cell, got, want)
		}
	}
}

// 附件4 prints 未评价 for a rating not given, and a 合计 line: small's pledges are A1 signed 优秀,
// A2 handed in but not signed and not rated, B1 none handed in (未交) → 是 1, 否 1, 未交 1;
// 优秀 1, 未评价 2. The rows of members who did not sign are bold.
func TestPledgesTotal(t *testing.T) {
	x := printed(t, printYear())
	rows, _ := x.GetRows(SheetPledges)
	want := [][]string{
		{"序号", "党员编号", "姓名", "党支部", "签订承诺书", "践诺评价"},
		{"1", "A1", "张伟", "一支部", "是", "优秀"},
		{"2", "A2", "王芳", "一支部", "否", "未评价"},
		{"3", "B1", "李强", "二支部", "未交", "未评价"},
		{"合计（3 人）", "", "", "", "是 1 人，否 1 人，未交 1 人", "优秀 1 人，未评价 2 人"},
	}
	if !reflect.DeepEqual(rows[3:8], want) {
		t.Errorf("附件4 =\n%q\nwant\n%q", rows[3:8], want)
	}
	for cell, bold := range map[string]bool{"E5": false, "E6": true, "E7": true, "A8": true} {
		id, _ := x.GetCellStyle(SheetPledges, cell)
		st, _ := x.GetStyle(id)
		if st.Font == nil || st.Font.Bold != bold {
			t.Errorf("附件4 %s bold = %v, want %v", cell, st.Font != nil && st.Font.Bold, bold)
		}
	}
}

// 附件2 merges a branch's rows, marks a norm not met in words (否，未达标) in bold, and says under
// the table how 党小组会 is counted (24 required of 一支部: 2 groups × 12, more than one
// branch's 12), against 附件6, which says it too.
func TestComplianceLayout(t *testing.T) {
	x := printed(t, printYear())
	mc, _ := x.GetMergeCells(SheetCompliance)
	found := false
	for _, m := range mc {
		found = found || m.GetStartAxis()+":"+m.GetEndAxis() == "A5:A6"
	}
	if !found {
		t.Errorf("附件2 merged %v, want 一支部 merged over A5:A6", mc)
	}
	if got, _ := x.GetCellValue(SheetCompliance, "F6"); got != "否，未达标" {
		t.Errorf("附件2 F6 = %q, want 否，未达标", got)
	}
	id, _ := x.GetCellStyle(SheetCompliance, "F6")
	if st, _ := x.GetStyle(id); st.Font == nil || !st.Font.Bold {
		t.Errorf("附件2 F6 not bold")
	}
	if got, _ := x.GetCellValue(SheetCompliance, "A8"); !strings.HasPrefix(got, "说明：党小组会按每个党小组分别对照规定") {
		t.Errorf("附件2 A8 = %q, want the 说明 of 党小组会", got)
	}
	rows, _ := x.GetRows(SheetIndicators)
	var text []string
	for _, r := range rows {
		text = append(text, strings.Join(r, "|"))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"基本情况", "三会一课", "积分与评星", "其他\n党费缴纳笔数|7|7|7", "综合排名（熵权法）",
		"排名指标|出勤率（%）|积分平均分", "权重|0.4000|0.6000", "说明：党小组会次数按支部计"} {
		if !strings.Contains(all, want) {
			t.Errorf("附件6 lacks %q:\n%s", want, all)
		}
	}
}

// The workbook's properties name the unit and the year, dated the run's day (not excelize's
// author and 2006).
func TestProperties(t *testing.T) {
	x := printed(t, printYear())
	d, err := x.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if d.Creator != "某某公路管理处党委" || d.Created != "2026-12-08T00:00:00Z" || d.Modified != "2026-12-08T00:00:00Z" ||
		d.Title != "某某公路管理处党委2022年度党员积分管理附件" {
		t.Errorf("properties %+v", d)
	}
	a, err := x.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if a.Company != "某某公路管理处党委" {
		t.Errorf("company %q", a.Company)
	}
}

// A table longer than a page is broken into pages by writeSheet itself, and the footer counts
// them: 150 members, rows of 14.5 pt (11 pt × 1.1 + 2, to the half point) on A4 portrait at
// 100% (841.9 − 2 × 36 = 769.9 pt high, 99% of it used: 762.2), the header (14.5) repeated on
// each page after the first. Page 1: 附件1 (14 pt: 17.5), the title (18 pt: 22), the 填报单位
// line (14.5) and the header (14.5) leave 693.7 for 47 members (681.5); the next pages 747.7
// for 51 each: 47 + 51 + 51 = 149, so the 150th member, the blank row and the line to sign
// go on page 4. The breaks are before rows 52, 103 and 154 (members start at row 5).
func TestPageBreaks(t *testing.T) {
	var ms []engine.MemberResult
	for i := 0; i < 150; i++ {
		ms = append(ms, engine.MemberResult{ID: "A" + strconv.Itoa(i), Name: "张伟", Branch: "一支部", Category: "正式党员", Total: 90, Stars: 4, Grade: "合格"})
	}
	r := printYear()
	r.Members = slice(ms)
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "附件.xlsx")
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	hf, _ := x.GetHeaderFooter(SheetMembers)
	if want := "&C附件1　第 &P 页，共 4 页"; hf.OddFooter != want {
		t.Errorf("footer %q, want %q", hf.OddFooter, want)
	}
	for row, want := range map[int]float64{1: 17.5, 2: 22, 3: 14.5, 4: 14.5, 5: 14.5} {
		if h, _ := x.GetRowHeight(SheetMembers, row); h != want {
			t.Errorf("row %d is %v high, want %v", row, h, want)
		}
	}
	// The breaks, read from the sheet's XML (a break after row n has id n).
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var breaks []string
	for _, zf := range zr.File {
		if zf.Name != "xl/worksheets/sheet2.xml" { // 附件1, the first sheet (excelize's Sheet1 deleted)
			continue
		}
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllSubmatch(b, -1) {
			breaks = append(breaks, string(m[1]))
		}
	}
	if want := []string{"51", "102", "153"}; !reflect.DeepEqual(breaks, want) {
		t.Errorf("breaks after rows %v, want %v", breaks, want)
	}
}
