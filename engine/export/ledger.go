package export

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// The point ledger goes out twice. 附件5 (ledger), printed with the other 附件, is each member's
// points summed by category, branch by branch, one branch on a page. 积分明细.xlsx
// (writeLedgerBook) lists every movement with its source, as jifen explain shows them: a
// workbook for looking up, not part of the print.

// SheetDetail is the one sheet of 积分明细.xlsx.
const SheetDetail = "积分明细"

// ledger is 附件5: for each branch, in roster order, a heading row (the branch; a new printed
// page), one row per member — 序号 within the branch, 姓名 (党员编号 is in 附件1 and
// 积分明细.xlsx: without it the table prints at 11 pt with nine categories), the points of each category
// that gave anyone points (LedgerCategories, blank where the member has none) and 总积分 — then a
// 合计 row and a 平均 row (合计 over the branch's members, to the cent) in bold. A member's
// categories add up to the member's 总积分: the ledger explains every point.
func ledger(r Results) table {
	y := strconv.Itoa(r.Year)
	cats := r.LedgerCategories
	header := append([]string{"序号", "姓名"}, cats...)
	header = append(header, "总积分")
	note := "各类积分相加即总积分；每个支部另起一页，末尾为合计和人均。每一条积分变动及其来源见同一目录的 积分明细.xlsx，或用 jifen explain 姓名 查看。"
	if byPeriod(r.PeriodKind) {
		note += "按" + perName[r.PeriodKind] + "计分：各类为全年各" + perName[r.PeriodKind] + "之和，总积分由各" + perName[r.PeriodKind] + "得分求出（见 periods.csv）。"
	}
	if n := countBranches(r.Indicators); n > maxPageBreaks+1 {
		note += fmt.Sprintf("共 %d 个支部，Excel 一张表最多 %d 个分页符：第 %d 个支部起不再另起一页。", n, maxPageBreaks, maxPageBreaks+2)
	}
	return table{sheet: SheetLedger, title: y + "年度党员积分分类汇总表", note: note, header: header, landscape: true, noSign: true,
		rows: func(put func([]any, bool) error) error {
			if r.LedgerSums == nil {
				return nil
			}
			row := make([]any, len(header))
			var b branchSum
			b.sums = make([]int64, len(cats)+1) // the categories' cents, then the total's
			flush := func() error {
				if b.n == 0 {
					return nil
				}
				row[0], row[1] = strong("合计"), strong(strconv.Itoa(b.n)+" 人")
				for i, c := range b.sums {
					row[2+i] = strong(float64(c) / 100)
				}
				if err := put(row, false); err != nil {
					return err
				}
				row[0], row[1] = strong("平均"), strong("")
				for i, c := range b.sums {
					row[2+i] = strong(math.Round(float64(c)/float64(b.n)) / 100)
				}
				return put(row, false)
			}
			err := r.LedgerSums(cats, func(s engine.LedgerSum) error {
				if b.n == 0 || s.Branch != b.name {
					if err := flush(); err != nil {
						return err
					}
					b.name, b.n = s.Branch, 0
					clear(b.sums)
					if err := put(group(s.Branch, len(header)), false); err != nil {
						return err
					}
				}
				b.n++
				row[0], row[1], row[len(row)-1] = b.n, s.Name, s.Total
				for i := range cats {
					row[2+i] = ""
					if i < len(s.Categories) && s.Categories[i] != nil {
						row[2+i] = *s.Categories[i]
						b.sums[i] += cents(*s.Categories[i])
					}
				}
				b.sums[len(cats)] += cents(s.Total)
				return put(row, false)
			})
			if err != nil {
				return err
			}
			return flush()
		}}
}

// branchSum is the running 合计 of a branch in 附件5: its name, members so far and sums in cents.
type branchSum struct {
	name string
	n    int
	sums []int64
}

// cents is points (at most two decimals) in cents, exactly.
func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// countBranches is the number of branches of the indicators (合计 left out).
func countBranches(inds []engine.Indicator) int {
	seen := map[string]bool{}
	for _, in := range inds {
		if in.Branch != engine.UnitTotal {
			seen[in.Branch] = true
		}
	}
	return len(seen)
}

// detailColumn is a column of 积分明细.xlsx: its header, width (in characters of the digit
// width) and whether its text wraps (the row then grows to show it whole).
type detailColumn struct {
	header string
	width  float64
	wrap   bool
}

// detailColumns are the columns of 积分明细.xlsx; 周期 only for a scheme scored by quarter or
// month. The widths add up to what A4 landscape holds at 11 pt within the margins (about 140).
func detailColumns(periodKind string) []detailColumn {
	cols := []detailColumn{{"党员编号", 10, true}, {"姓名", 8, true}, {"党支部", 12, true}, {"序号", 5, false}}
	if byPeriod(periodKind) {
		cols = append(cols, detailColumn{"周期", 7, true})
	}
	return append(cols, []detailColumn{{"日期", 11, false}, {"类别", 8, true}, {"规则", 22, true},
		{"原始分值", 6, false}, {"计分", 6, false}, {"说明", 16, true}, {"来源", 28, true}}...)
}

// lineHeight is the height in points of a line of 11 pt text in a row, and detailSlack how much
// wider than width counts it a line of wrapped text is taken to be (a line breaks before a word
// or a full-width character that would not fit: it is rarely full).
const (
	lineHeight  = 15.0
	detailSlack = 1.0
)

// detailLines is how many lines text s takes in a wrapping column of width w.
func detailLines(s string, w float64) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n += max(1, int(math.Ceil(textWidth(l)*detailSlack/(w-1))))
	}
	return n
}

// writeLedgerBook writes 积分明细.xlsx: every movement of the ledger (r.Ledger), members in roster
// order, under a title and a note saying what it is, the header frozen and with filters; text
// wraps within the columns, each row as tall as its longest text; A4 landscape, as wide as a page,
// the header repeated, the footer "积分明细　第 P 页，共 M 页". Past ledgerLimit movements it lists
// none: the note says how many there are and where they are.
func writeLedgerBook(path string, r Results) error {
	f := excelize.NewFile()
	defer f.Close()
	// 宋体 the workbook's font: its digit, the unit of the column widths, is half a Chinese
	// character, as width counts.
	if err := f.SetDefaultFont("宋体"); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetDetail); err != nil {
		return err
	}
	size, orient, fitWidth, fitHeight, yes := 9, "landscape", 1, 0, true
	if err := f.SetSheetProps(SheetDetail, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if err := f.SetPageLayout(SheetDetail, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitWidth, FitToHeight: &fitHeight}); err != nil {
		return err
	}
	side := 0.4
	if err := f.SetPageMargins(SheetDetail, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(SheetDetail, &excelize.HeaderFooterOptions{OddFooter: "&C" + SheetDetail + "　第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetDetail)
	if err != nil {
		return err
	}
	cols := detailColumns(r.PeriodKind)
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	y := strconv.Itoa(r.Year)
	listed := r.Movements <= ledgerLimit
	note := "本表供查询，不属于打印的附件：每名党员的每一条积分变动（与 jifen explain 所列相同），党员按名册顺序，每人按序号；" +
		"“来源”为记录所在的文件[工作表]!行，“规则”表示由计分规则给出（基础分、上限、一票否决等）；“原始分值”与“计分”不同时，“说明”写明原因。" +
		"每名党员的计分之和即其总积分；按类别的合计见 附件.xlsx 的附件5。表头可筛选。"
	if !listed {
		note = fmt.Sprintf("%s 年积分变动共 %d 条，超过 %d 条，本工作簿不逐条列出（这么多行在 Excel、WPS 中打开和查找都很慢）："+
			"一名党员的明细请用 jifen explain 党员编号（或姓名）查看，全部明细在数据库的 point_ledger 表中；按类别的合计见 附件.xlsx 的附件5。",
			y, r.Movements, ledgerLimit)
	}
	if r.Excluded != "" {
		note = r.Excluded + "\n" + note
	}
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: y + "年度党员积分明细"}}, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last+"1"); err != nil {
		return err
	}
	noteStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: noteStyle, Value: note}}, excelize.RowOpts{Height: min(409, float64(detailLines(note, total))*lineHeight+6)}); err != nil {
		return err
	}
	if err := sw.MergeCell("A2", last+"2"); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	headerLines := 1
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: st.header, Value: c.header}
		headerLines = max(headerLines, detailLines(c.header, c.width))
	}
	if err := sw.SetRow("A3", cells, excelize.RowOpts{Height: float64(headerLines)*lineHeight + 6}); err != nil {
		return err
	}
	n := 3
	if listed {
		mask := masker(r.Unmask)
		row := make([]any, 0, len(cols))
		err := stream(r.Ledger, func(x engine.LedgerLine) error {
			n++
			if n > excelize.TotalRows {
				return fmt.Errorf("%s 超过 Excel 一张工作表最多 %d 行的上限", SheetDetail, excelize.TotalRows)
			}
			date := ""
			if !x.Date.IsZero() {
				date = x.Date.Format("2006-01-02")
			}
			row = append(row[:0], mask(x.MemberID), x.Name, x.Branch, x.Seq)
			if byPeriod(r.PeriodKind) {
				row = append(row, PeriodName(r.PeriodKind, x.Period))
			}
			row = append(row, date, x.Category, x.Rule, x.Raw, x.Points, privacy.MaskText(x.Note), privacy.MaskText(x.Source))
			height := 1
			for i, v := range row {
				c := excelize.Cell{StyleID: st.text, Value: v}
				switch v := v.(type) {
				case int, float64:
					c.StyleID = st.number
				case string:
					if cols[i].wrap {
						height = max(height, detailLines(v, cols[i].width))
					}
				}
				cells[i] = c
			}
			return sw.SetRow("A"+strconv.Itoa(n), cells, excelize.RowOpts{Height: float64(height)*lineHeight + 3})
		})
		if err != nil {
			return err
		}
	}
	if n > 3 {
		no := false
		if err := sw.AddTable(&excelize.Table{Range: "A3:" + last + strconv.Itoa(n), Name: "积分明细", ShowRowStripes: &no}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + SheetDetail + "'!$3:$3", Scope: SheetDetail}); err != nil {
		return err
	}
	f.SetZipWriter(fastZip)
	return create(path, func(w io.Writer) error { return writeSorted(f, w, filepath.Dir(path)) })
}
