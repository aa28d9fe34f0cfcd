package export

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// Appendix sheet names (附件 of the annual report).
const (
	SheetMembers    = "附件1 党员积分及星级评定表"
	SheetCompliance = "附件2 支部三会一课开展情况统计表"
	SheetTests      = "附件3 测试情况统计表"
	SheetPledges    = "附件4 承诺践诺情况表"
	SheetLedger     = "附件5 党员积分分类汇总表"
	SheetIndicators = "附件6 支部指标汇总"
	SheetChart      = "附件6 图 星级分布"
	// chartTag names the chart's page in its footer (附件6 图　第 1 页，共 1 页): apart from
	// the table's pages of 附件6, each numbered within its own sheet.
	chartTag = "附件6 图"
)

// perName names a norm's period in Chinese.
var perName = map[string]string{"month": "月", "quarter": "季度", "year": "年"}

// masker masks 身份证号 and 手机号 (privacy.Mask), or leaves them whole when unmask.
func masker(unmask bool) func(string) string {
	if unmask {
		return func(s string) string { return s }
	}
	return privacy.Mask
}

// writeAppendix writes 附件.xlsx, one sheet per appendix, each ready to print on A4 and attach
// to a signed report (writeSheet): 附件N, title, 填报单位 and 填报日期, the table with its numbers
// stored as numbers in the format of their column, page numbers per sheet; and a chart of
// members per star per branch. The workbook's properties name the unit and the year, dated
// r.Date, so that the same results on the same date are the same bytes.
// Every sheet is written with excelize's StreamWriter as its rows come: rows are not kept in
// memory (but a table's first widthRows, to measure the column widths). Text cells that begin
// like a formula are stored as text (never a formula).
func writeAppendix(path string, r Results) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := setProps(f, r); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	// 附件1 replaces excelize's Sheet1 before any sheet is streamed: deleting a sheet (and
	// selecting the active one) reads every other sheet back, a streamed one from its XML.
	if _, err := f.NewSheet(SheetMembers); err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	// Every sheet opens with the note of what the figures leave out, if anything (r.Excluded):
	// the first thing a reader of the printed 附件 sees; and says the unit and the date.
	writeSheet := func(f *excelize.File, st styles, t table) error {
		if r.Excluded != "" {
			t.note = strings.TrimSpace(r.Excluded + "\n" + t.note)
		}
		t.unit, t.date = r.Unit, r.Date
		return writeSheet(f, st, t)
	}
	for _, t := range []table{membersTable(r), complianceTable(r), testsTable(r), pledgesTable(r), ledger(r)} {
		if err := writeSheet(f, st, t); err != nil {
			return err
		}
	}
	t, stars := indicatorsTable(r)
	if err := writeSheet(f, st, t); err != nil {
		return err
	}
	if err := starChart(f, r, stars); err != nil {
		return err
	}
	f.SetZipWriter(fastZip)
	return create(path, func(w io.Writer) error { return writeSorted(f, w, filepath.Dir(path)) })
}

// setProps sets the workbook's properties: its title, the unit as author and company, created
// and modified on r.Date (not excelize's author and 2006).
func setProps(f *excelize.File, r Results) error {
	y := strconv.Itoa(r.Year)
	unit := r.Unit
	if unit == "" {
		unit = "（未设置单位名称）"
	}
	date := r.Date
	if date.IsZero() {
		date = time.Date(r.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	when := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: unit + y + "年度党员积分管理附件", Subject: y + "年度党员积分及星级评定", Creator: unit, LastModifiedBy: unit,
		Created: when, Modified: when, Language: "zh-CN", Description: "jifen 生成",
	}); err != nil {
		return err
	}
	return f.SetAppProps(&excelize.AppProperties{Application: "jifen", Company: unit})
}

// complianceTable is 附件2: each branch's 三会一课 against the norms, the branch merged over its
// rows, a norm not met marked 否，未达标 in bold; a 说明 under it when a norm is checked per 党小组.
func complianceTable(r Results) table {
	var notes []string
	for _, a := range perGroup(r) {
		notes = append(notes, "说明："+a+"按每个党小组分别对照规定：应开次数 = 党小组数 × 规定次数，实开次数是各党小组开会次数之和（两个党小组同一天各开一次，算 2 次）。"+
			"附件6 的“"+a+"次数”按支部计，同一天开的算 1 次，所以可能比这里的实开次数少。")
	}
	return table{sheet: SheetCompliance, title: strconv.Itoa(r.Year) + "年度支部“三会一课”开展情况统计表",
		header: []string{"党支部", "活动", "规定", "应开次数", "实开次数", "是否达标", "未达到规定的月份或季度"},
		kinds:  []kind{0, 0, 0, kindCount, kindCount}, wrap: []float64{14, 0, 0, 0, 0, 0, 26}, merge: []int{0}, notes: notes,
		rows: func(put func([]any, bool) error) error {
			for _, c := range r.Compliance {
				met := "是"
				if !c.Met() {
					met = "否，未达标"
				}
				if err := put([]any{c.Branch, c.Activity, fmt.Sprintf("每%s %d 次", perName[c.Per], c.Times), c.Required, c.Held, met, c.Short}, !c.Met()); err != nil {
					return err
				}
			}
			return nil
		}}
}

// perGroup is the activities whose norm some branch meets per 党小组 (its meetings required are
// more than one branch's: 党小组会 of a branch of 2 groups, 24 a year).
func perGroup(r Results) []string {
	periods := map[string]int{"month": 12, "quarter": 4, "year": 1}
	var groups []string
	for _, c := range r.Compliance {
		if c.Required > c.Times*periods[c.Per] && !slices.Contains(groups, c.Activity) {
			groups = append(groups, c.Activity)
		}
	}
	return groups
}

// testsTable is 附件3: each test by branch and 合计 (bold), the test's name and date merged over
// its rows.
func testsTable(r Results) table {
	return table{sheet: SheetTests, title: strconv.Itoa(r.Year) + "年度测试情况统计表",
		header: []string{"测试名称", "测试日期", "党支部", "参考人次", "及格人次", "及格率（%）", "缺考人次", "请假人次"},
		kinds:  []kind{0, 0, 0, kindCount, kindCount, kindRate, kindCount, kindCount}, wrap: []float64{20, 12, 14}, merge: []int{0, 1},
		rows: func(put func([]any, bool) error) error {
			for _, t := range r.Tests {
				var rate any = "—"
				if t.Taken > 0 {
					rate = percent(t.Passed, t.Taken)
				}
				if err := put([]any{t.Test, t.Date.Format("2006-01-02"), t.Branch, t.Taken, t.Passed, rate, t.Absent, t.Excused}, t.Branch == engine.UnitTotal); err != nil {
					return err
				}
			}
			return nil
		}}
}

// fastZip is the workbook's ZIP writer, deflating with github.com/klauspost/compress/flate: about
// 7 times as fast as Go's compress/flate at its default level, for files about a tenth larger
// (the appendix of a large unit is hundreds of MB of sheet XML).
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return kflate.NewWriter(out, kflate.DefaultCompression)
	})
	return zw
}

// membersTable is 附件1: each member's total, stars and grade, numbered in roster order; with
// the roster's 身份证号 and 手机号 when it has them (r.Personal), masked unless r.Unmask; and a
// 备注 giving the reason of a 一票否决 or a grade not given (不定等次: 预备党员).
func membersTable(r Results) table {
	header := []string{"序号", "党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}
	wrap := []float64{0, 0, 0, 14, 0, 0, 0, 12}
	if r.Personal {
		header = append(header, "身份证号", "手机号")
		wrap = append(wrap, 0, 0)
	}
	header, wrap = append(header, "备注"), append(wrap, 24)
	mask := masker(r.Unmask)
	return table{sheet: SheetMembers, title: strconv.Itoa(r.Year) + "年度党员积分及星级评定表", header: header,
		kinds: []kind{kindCount, 0, 0, 0, 0, kindPoints}, wrap: wrap,
		rows: func(put func([]any, bool) error) error {
			row, i := make([]any, len(header)), 0
			return stream(r.Members, func(m engine.MemberResult) error {
				i++
				row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = i, mask(m.ID), m.Name, m.Branch, m.Category, m.Total, stars(m.Stars), m.Grade
				if r.Personal {
					row[8], row[9] = mask(m.IDCard), mask(m.Phone)
				}
				row[len(row)-1] = remark(m)
				return put(row, false)
			})
		}}
}

// remark is a member's 备注 in 附件1: why a 一票否决 (一票否决（开除党籍），定为不合格), or why no
// grade (预备党员参加评议，不定等次); "" for the others.
func remark(m engine.MemberResult) string {
	switch {
	case strings.Contains(m.Reason, "一票否决"):
		return m.Reason
	case strings.Contains(m.StarReason, "一票否决"):
		return m.StarReason
	case strings.HasPrefix(m.Grade, "不定等次"):
		return m.Reason
	}
	return ""
}

// pledgesTable is 附件4: each member's 承诺书 and 践诺 rating, numbered in roster order (a rating
// not given: 未评价); the members who did not sign in bold; a 合计 line counting both columns.
func pledgesTable(r Results) table {
	mask := masker(r.Unmask)
	return table{sheet: SheetPledges, title: strconv.Itoa(r.Year) + "年度党员承诺践诺情况表",
		header: []string{"序号", "党员编号", "姓名", "党支部", "签订承诺书", "践诺评价"},
		kinds:  []kind{kindCount}, wrap: []float64{0, 0, 0, 14, 14, 16},
		rows: func(put func([]any, bool) error) error {
			row, i := make([]any, 6), 0
			signs, ratings := map[string]int{}, map[string]int{}
			var rated []string
			err := stream(r.Pledges, func(p engine.PledgeRow) error {
				i++
				signed := "否"
				if p.Signed {
					signed = "是"
				}
				if !p.Has {
					signed = "未交"
				}
				rating := p.Rating
				if rating == "" {
					rating = "未评价"
				}
				signs[signed]++
				if ratings[rating] == 0 {
					rated = append(rated, rating)
				}
				ratings[rating]++
				row[0], row[1], row[2], row[3], row[4], row[5] = i, mask(p.MemberID), p.Name, p.Branch, signed, rating
				return put(row, !p.Signed)
			})
			if err != nil || i == 0 {
				return err
			}
			order := []string{"优秀", "良好", "一般", "未践诺"}
			for _, x := range rated {
				if !slices.Contains(order, x) && x != "未评价" {
					order = append(order, x)
				}
			}
			return put([]any{val{V: "合计（" + strconv.Itoa(i) + " 人）", Span: 4, Bold: true}, nil, nil, nil,
				counted([]string{"是", "否", "未交"}, signs), counted(append(order, "未评价"), ratings)}, true)
		}}
}

// counted writes the counts of the names that have any, in order: 是 78 人，否 2 人.
func counted(names []string, n map[string]int) string {
	var parts []string
	for _, x := range names {
		if n[x] > 0 {
			parts = append(parts, x+" "+strconv.Itoa(n[x])+" 人")
		}
	}
	return strings.Join(parts, "，")
}

// percent is a/b in percent with one decimal, rounded half up, exactly: (2000a + b) div 2b.
func percent(a, b int) float64 { return float64((2000*a+b)/(2*b)) / 10 }

func round4(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 4, 64), 64)
	return r
}

// starChart adds, on a sheet after 附件6, a clustered column chart of members per star level
// per branch (the rows 五星党员数 … 无星党员数 of 附件6, at refs; 合计 left out): one landscape
// page with 附件6 above it and its footer, black text, the counts on the columns, and fills told
// apart in greyscale (black to white, the white bordered).
func starChart(f *excelize.File, r Results, refs []starRef) error {
	labels := []string{"五星党员数", "四星党员数", "三星党员数", "二星党员数", "一星党员数", "无星党员数"}
	fills := []string{"000000", "333333", "666666", "999999", "CCCCCC", "FFFFFF"} // 20% apart in grey
	nb := 0
	for _, in := range r.Indicators {
		if in.Name == labels[0] && in.Branch != engine.UnitTotal {
			nb++
		}
	}
	if nb == 0 {
		return nil
	}
	head := "4" // the header row of 附件6 (writeSheet), under the note if there is one
	if r.Excluded != "" {
		head = "5"
	}
	var series []excelize.ChartSeries
	black := excelize.Font{Family: "宋体", Size: 11, Color: "000000"}
	for k, l := range labels {
		for _, ref := range refs {
			if ref.name != l {
				continue
			}
			label, _ := excelize.ColumnNumberToName(ref.col)
			from, _ := excelize.ColumnNumberToName(ref.col + 1)
			to, _ := excelize.ColumnNumberToName(ref.col + nb)
			row := strconv.Itoa(ref.row)
			series = append(series, excelize.ChartSeries{
				Name:       "'" + SheetIndicators + "'!$" + label + "$" + row,
				Categories: "'" + SheetIndicators + "'!$" + from + "$" + head + ":$" + to + "$" + head,
				Values:     "'" + SheetIndicators + "'!$" + from + "$" + row + ":$" + to + "$" + row,
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fills[k]}},
				Line:       excelize.LineOptions{Width: 0.75, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"000000"}}},
				DataLabel:  excelize.ChartDataLabel{Font: black},
			})
		}
	}
	if len(series) == 0 {
		return nil
	}
	// On a sheet of its own: a chart added to a streamed sheet is not placed on it.
	if _, err := f.NewSheet(SheetChart); err != nil {
		return err
	}
	tag, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 14, Color: "000000"}})
	if err != nil {
		return err
	}
	if err := f.SetCellValue(SheetChart, "A1", tagOf(SheetChart)); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetChart, "A1", "A1", tag); err != nil {
		return err
	}
	if err := f.SetRowHeight(SheetChart, 1, 24); err != nil {
		return err
	}
	size, orient, scale, first := 9, "landscape", uint(100), uint(1)
	if err := f.SetPageLayout(SheetChart, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, AdjustTo: &scale, FirstPageNumber: &first}); err != nil {
		return err
	}
	yes := true
	l, tb, hf := marginSide/72, marginEnd/72, 0.25
	if err := f.SetPageMargins(SheetChart, &excelize.PageLayoutMarginsOptions{Left: &l, Right: &l, Top: &tb, Bottom: &tb, Header: &hf, Footer: &hf, Horizontally: &yes}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(SheetChart, &excelize.HeaderFooterOptions{OddFooter: footer(chartTag, 1)}); err != nil {
		return err
	}
	// The print area: the cells under the chart (16 columns of 64 pixels, 28 rows of 20), one
	// landscape page, so that nothing spills onto a second.
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "'" + SheetChart + "'!$A$1:$P$29", Scope: SheetChart}); err != nil {
		return err
	}
	title := excelize.Font{Family: "黑体", Size: 16, Color: "000000"}
	gap := uint(80)
	return f.AddChart(SheetChart, "A2", &excelize.Chart{
		Type:      excelize.Col,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: strconv.Itoa(r.Year) + "年度各支部星级党员人数", Font: &title}}},
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &black},
		XAxis:     excelize.ChartAxis{Font: black},
		YAxis:     excelize.ChartAxis{Font: black, MajorGridLines: true, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "人数", Font: &black}}}},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true},
		GapWidth:  &gap,
		Dimension: excelize.ChartDimension{Width: 1000, Height: 540},
		Format:    excelize.GraphicOptions{OffsetX: 2, OffsetY: 2},
	})
}

func stars(n int) string {
	if n <= 0 {
		return "无星"
	}
	s := ""
	for i := 0; i < n; i++ {
		s += "★"
	}
	return s
}
