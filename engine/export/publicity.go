package export

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
)

// PublicityFile is the 公示 workbook of the output set.
const PublicityFile = "公示.xlsx"

// publicityMember is what the 公示 shows of a member: the name and the results, nothing else
// (no 党员编号, 身份证号 or 手机号).
type publicityMember struct {
	name  string
	total float64
	stars int
	grade string
}

// PublicityTitle is the 公示's title: "<unit><year>年度党员积分公示", without the unit when it is
// not set.
func PublicityTitle(unit string, year int) string {
	return unit + strconv.Itoa(year) + "年度党员积分公示"
}

// PublicityFooter is the footer of a branch's sheet of pages pages, as every printed sheet has
// it: its short name and the page number within the sheet. The sheet numbers its pages from 1
// (&P with firstPageNumber 1); the count is written out, as LibreOffice's &N counts the pages of
// the whole workbook, not the sheet's.
func PublicityFooter(branch string, pages int) string {
	// & begins a code in a footer (R&D党支部 would print the date for &D); a footer holds at
	// most 255 characters.
	if r := []rune(branch); len(r) > 60 {
		branch = string(r[:59]) + "…"
	}
	return strings.ReplaceAll(branch, "&", "&&") + "公示　第 &P 页，共 " + strconv.Itoa(pages) + " 页"
}

// WorkingDays is the period of n working days (Monday to Friday; public holidays are not known)
// beginning on from, or on the next working day when from is a Saturday or Sunday: its first
// and last day.
func WorkingDays(from time.Time, n int) (first, last time.Time) {
	weekend := func(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	for weekend(d) {
		d = d.AddDate(0, 0, 1)
	}
	first = d
	for left := n - 1; left > 0; {
		d = d.AddDate(0, 0, 1)
		if !weekend(d) {
			left--
		}
	}
	return first, d
}

// publicityGrade is the 等次 as the 公示 prints it: as 附件1 has it (不定等次（预备党员）), and a
// grade set by a veto says so.
func publicityGrade(m engine.MemberResult) string {
	if strings.HasPrefix(m.Reason, "一票否决") && !strings.Contains(m.Grade, "一票否决") {
		return m.Grade + "（一票否决）"
	}
	return m.Grade
}

// sheetName makes a branch's name a sheet name: without the characters Excel refuses, at most
// 31 characters, and not one already used.
func sheetName(branch string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, strings.Trim(branch, "'"))
	if name == "" {
		name = "未分支部"
	}
	cut := func(s string, n int) string {
		if utf8.RuneCountInString(s) <= n {
			return s
		}
		return string([]rune(s)[:n])
	}
	// Excel compares sheet names without case (excelize's NewSheet returns the sheet of A支部
	// for a支部), and refuses one ending in '.
	base := strings.TrimRight(cut(name, 31), "'")
	name = base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := "（" + strconv.Itoa(i) + "）"
		name = strings.TrimRight(cut(base, 31-utf8.RuneCountInString(suffix)), "'") + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// publicity column widths (in Excel's character units; LibreOffice prints one at about 7 pt)
// and row heights (points): the table fills about 460 of A4's 487 printable points across at
// scale 100, so nothing is shrunk. Of A4's 734 printable points down, the title, branch and
// header take 86 (112 with a title on two lines) and the lines under the table about 160: a
// branch of up to publicityOnePage members fits one page with them. A longer branch is broken by hand, publicityFirst members on
// the first page and publicityNext on each next (the header row written again at the top of each), so that
// the footer can say how many pages the sheet has; still at 12 pt.
var publicityWidths = []float64{7, 12, 10, 12, 24}

const (
	publicityRow     = 18.0 // a member's row
	publicityLine    = 20.0 // a line of text below the table
	publicityChars   = 32   // CJK characters of 12 pt in a line over the table's width
	publicityOnePage = 25
	publicityFirst   = 30
	publicityNext    = 34
	publicityLast    = 26 // the most members on a last page with the lines under the table
)

// publicityBreaks are the members (0-based) before which a page starts, and the pages, for
// members whose rows are units[i] one-line rows tall (a long name wraps).
func publicityBreaks(units []int) (breaks []int, pages int) {
	total := 0
	for _, u := range units {
		total += u
	}
	if total <= publicityOnePage {
		return nil, 1
	}
	used, capacity := 0, publicityFirst
	for i, u := range units {
		if used > 0 && used+u > capacity {
			breaks = append(breaks, i)
			used, capacity = 0, publicityNext
		}
		used += u
	}
	// The rows on the last page, and how many fit there with the lines under the table.
	fit := publicityOnePage
	if len(breaks) > 0 {
		fit = publicityLast
	}
	if used > fit {
		breaks = append(breaks, len(units)) // the lines under the table on a page of their own
	}
	return breaks, len(breaks) + 1
}

// publicityHeight is how tall a member's row prints (points) and in how many one-line rows:
// as its most wrapped cell (姓名 and 等次 can be long: 阿卜杜热依木·买买提明).
func publicityHeight(m publicityMember) (float64, int) {
	n := max(lines(m.name, publicityWidths[1], 12), lines(m.grade, publicityWidths[4], 12))
	h := max(publicityRow, rowHeight(n, 12)+2.5)
	return h, int(math.Ceil(h/publicityRow - 0.001))
}

// writePublicity writes 公示.xlsx: one sheet per branch (in roster order), each an A4 portrait
// page at scale 100: the title, the branch, the table 序号 | 姓名 | 总积分 | 星级 | 等次 of its
// members in roster order, the period of the 公示 (r.PublicityDays working days from r.Date),
// where to raise objections (r.PublicityContact, or a line to fill in by hand), and the issuing
// unit and date at the bottom right. The footer names the branch and numbers the sheet's pages
// from 1.
func writePublicity(path string, r Results) error {
	var branches []string
	members := map[string][]publicityMember{}
	if err := stream(r.Members, func(m engine.MemberResult) error {
		if _, ok := members[m.Branch]; !ok {
			branches = append(branches, m.Branch)
		}
		members[m.Branch] = append(members[m.Branch], publicityMember{m.Name, m.Total, m.Stars, publicityGrade(m)})
		return nil
	}); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	title := PublicityTitle(r.Unit, r.Year)
	date := r.Date
	if date.IsZero() {
		date = time.Now()
	}
	stamp := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	creator := r.Unit
	if creator == "" {
		creator = "jifen"
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Subject: "党员积分公示", Creator: creator, LastModifiedBy: creator,
		Created: stamp, Modified: stamp, Category: "公示", Language: "zh-CN"}); err != nil {
		return err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "jifen", Company: r.Unit}); err != nil {
		return err
	}
	st, err := newPublicityStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	first := true
	if len(branches) == 0 {
		branches = []string{""}
	}
	for _, b := range branches {
		name := sheetName(b, used)
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := publicitySheet(f, st, name, b, title, members[b], r, date); err != nil {
			return err
		}
	}
	return create(path, func(w io.Writer) error { return writeSorted(f, w, filepath.Dir(path)) })
}

type publicityStyles struct {
	title, line, header, text, right int
	points                           [3]int // 总积分 as written: 116, 86.5, 77.25 (0, 1 or 2 decimals)
}

func newPublicityStyles(f *excelize.File) (publicityStyles, error) {
	var s publicityStyles
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	song := func(bold bool) *excelize.Font { return &excelize.Font{Family: "宋体", Size: 12, Bold: bold} }
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	formats := []string{"0", "0.0", "0.00"}
	var err error
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 18}, Alignment: center}},
		{&s.line, &excelize.Style{Font: song(false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 12}, Alignment: center, Border: border}},
		{&s.text, &excelize.Style{Font: song(false), Alignment: center, Border: border}},
		{&s.right, &excelize.Style{Font: song(false), Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}},
		{&s.points[0], &excelize.Style{Font: song(false), Alignment: center, Border: border, CustomNumFmt: &formats[0]}},
		{&s.points[1], &excelize.Style{Font: song(false), Alignment: center, Border: border, CustomNumFmt: &formats[1]}},
		{&s.points[2], &excelize.Style{Font: song(false), Alignment: center, Border: border, CustomNumFmt: &formats[2]}},
	} {
		if *x.id, err = f.NewStyle(x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// publicitySheet writes one branch's 公示 with excelize's StreamWriter (a unit of thousands of
// branches has as many sheets: a cell set on a sheet by name looks the sheet up among all).
func publicitySheet(f *excelize.File, st publicityStyles, sheet, branch, title string, ms []publicityMember, r Results, date time.Time) error {
	size, orient, scale, one := 9, "portrait", uint(100), uint(1)
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, AdjustTo: &scale, FirstPageNumber: &one}); err != nil {
		return err
	}
	yes, margin, edge := true, 0.75, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Horizontally: &yes, Left: &margin, Right: &margin,
		Top: &margin, Bottom: &margin, Header: &edge, Footer: &edge}); err != nil {
		return err
	}
	heights, units := make([]float64, len(ms)), make([]int, len(ms))
	for i, m := range ms {
		heights[i], units[i] = publicityHeight(m)
	}
	breaks, pages := publicityBreaks(units)
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C" + PublicityFooter(branch, pages)}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range publicityWidths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	row := 0
	// line writes text merged over the table's width in the next row, height for its lines.
	line := func(text string, style int, height float64) error {
		row++
		a, e := "A"+strconv.Itoa(row), "E"+strconv.Itoa(row)
		if err := sw.SetRow(a, []any{excelize.Cell{StyleID: style, Value: text}}, excelize.RowOpts{Height: height}); err != nil {
			return err
		}
		return sw.MergeCell(a, e)
	}
	wrapped := func(text string) float64 {
		n := (int(textWidth(text)+1)/2 + publicityChars - 1) / publicityChars
		return float64(max(1, n)) * publicityLine
	}
	// The title at 18 pt: about 24 characters a line across the table; a long unit's wraps.
	if err := line(title, st.title, 40+26*float64((int(textWidth(title)+1)/2-1)/24)); err != nil {
		return err
	}
	who := "党支部：" + branch
	if branch == "" {
		who = "党支部：（无党员积分结果）"
	}
	if err := line(who+"　　共 "+strconv.Itoa(len(ms))+" 名党员", st.line, 24); err != nil {
		return err
	}
	// The header row, written again at the top of each page the table goes on to (rather than
	// as print titles: a defined name per sheet costs excelize a pass over every sheet and
	// name, hours for a unit of thousands of branches).
	header := func() error {
		row++
		cells := make([]any, 5)
		for i, h := range []string{"序号", "姓名", "总积分", "星级", "等次"} {
			cells[i] = excelize.Cell{StyleID: st.header, Value: h}
		}
		return sw.SetRow("A"+strconv.Itoa(row), cells, excelize.RowOpts{Height: 22})
	}
	if err := header(); err != nil {
		return err
	}
	cells := make([]any, 5)
	for i, m := range ms {
		if slices.Contains(breaks, i) {
			if err := sw.InsertPageBreak("A" + strconv.Itoa(row+1)); err != nil {
				return err
			}
			if err := header(); err != nil {
				return err
			}
		}
		row++
		star := stars(m.stars)
		if m.stars <= 0 {
			star = "无星"
		}
		dec := 0
		if s := FormatPoints(m.total); strings.Contains(s, ".") {
			dec = min(2, len(s)-strings.Index(s, ".")-1)
		}
		cells[0] = excelize.Cell{StyleID: st.text, Value: i + 1}
		cells[1] = excelize.Cell{StyleID: st.text, Value: m.name}
		cells[2] = excelize.Cell{StyleID: st.points[dec], Value: m.total}
		cells[3] = excelize.Cell{StyleID: st.text, Value: star}
		cells[4] = excelize.Cell{StyleID: st.text, Value: m.grade}
		if err := sw.SetRow("A"+strconv.Itoa(row), cells, excelize.RowOpts{Height: heights[i]}); err != nil {
			return err
		}
	}
	row++ // a blank line under the table
	if slices.Contains(breaks, len(ms)) {
		if err := sw.InsertPageBreak("A" + strconv.Itoa(row+1)); err != nil {
			return err
		}
	}
	days := r.PublicityDays
	if days <= 0 {
		days = 5
	}
	from, to := WorkingDays(date, days)
	period := fmt.Sprintf("公示期：%s至%s（%d个工作日）。", cnDate(from), cnDate(to), days)
	if err := line(period, st.line, wrapped(period)); err != nil {
		return err
	}
	if c := strings.TrimSpace(r.PublicityContact); c != "" {
		text := "公示期间，对公示结果如有异议，请向" + c + "反映。"
		if err := line(text, st.line, wrapped(text)); err != nil {
			return err
		}
	} else {
		if err := line("公示期间，对公示结果如有异议，请向以下联系人反映：", st.line, publicityLine); err != nil {
			return err
		}
		if err := line("联系人：________ 电话：________", st.line, publicityLine); err != nil {
			return err
		}
	}
	row++
	issuer := r.Unit
	if issuer == "" {
		issuer = "（单位盖章）"
	}
	if err := line(issuer, st.right, publicityLine); err != nil {
		return err
	}
	if err := line(cnDate(date), st.right, publicityLine); err != nil {
		return err
	}
	return sw.Flush()
}
