package export

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jifen/jifen/engine"
)

// sections are the groups 附件6 prints its indicators in, in order, each with the words that put
// an indicator in it (the first group whose word its name contains; the indicators of
// config.yaml: 三会一课 counts meetings and sign-ins, 学习教育 集中学习, 交流研讨, 心得 and 讲党课,
// and so on). An indicator in none goes to 其他, never left out.
var sections = []struct {
	name  string
	words []string
}{
	{"承诺践诺", []string{"承诺", "践诺"}},
	{"积分与评星", []string{"星", "积分", "优秀人数", "合格人数", "优秀率", "等次"}},
	{"测试", []string{"测试", "缺考", "考试"}},
	{"志愿服务与表彰", []string{"志愿", "慰问", "表彰", "处分"}},
	{"学习教育", []string{"集中学习", "交流研讨", "心得", "讲党课", "学习"}},
	{"三会一课", []string{"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会", "签到", "出勤", "三会一课"}},
	{"基本情况", []string{"党员数"}},
}

// sectionOrder is the order sections print in.
var sectionOrder = []string{"基本情况", "三会一课", "学习教育", "测试", "承诺践诺", "志愿服务与表彰", "积分与评星", "其他"}

func sectionOf(name string) string {
	for _, s := range sections {
		for _, w := range s.words {
			if strings.Contains(name, w) {
				return s.name
			}
		}
	}
	return "其他"
}

// label is an indicator's name as 附件6 prints it: a rate with its unit, 出勤率（%）.
func label(name string) string {
	if strings.HasSuffix(name, "率") {
		return name + "（%）"
	}
	return name
}

// kindOf is how an indicator of d decimals prints: counts 0, rates 0.0, others as written.
func kindOf(d int) kind {
	switch d {
	case 0:
		return kindCount
	case 1:
		return kindRate
	}
	return kindPoints
}

// indicatorsFont is 附件6's font size: 10 pt, printed at 100%, to hold some 60 indicators on one
// page.
const indicatorsFont = 10

// starRef is where 附件6 puts a star count row: its label cell and the first of its values, and
// the header cell of its block's first branch.
type starRef struct {
	name     string
	row, col int // 1-based; col is the label's column
}

// indicatorsTable is 附件6: the indicators by branch (a column each, 合计 last) in sections
// (a section row each), then the 综合排名 (综合指数 0.0000, rank) and the weights as their own
// block (指标 | 权重). With up to 6 columns of values the list is printed in two blocks side by
// side, at 10 pt (on one portrait page for the demo's 60 indicators and 5 columns); else in one. It returns where the
// star counts are, for the chart.
func indicatorsTable(r Results) (table, []starRef) {
	var branches, names []string
	vals := map[string]map[string]engine.Indicator{}
	for _, in := range r.Indicators {
		if vals[in.Branch] == nil {
			vals[in.Branch] = map[string]engine.Indicator{}
			branches = append(branches, in.Branch)
		}
		if in.Branch == branches[0] {
			names = append(names, in.Name)
		}
		vals[in.Branch][in.Name] = in
	}
	b := len(branches)
	bySection := map[string][]string{}
	for _, n := range names {
		s := sectionOf(n)
		bySection[s] = append(bySection[s], n)
	}
	section := func(s string) []any {
		row := make([]any, 1+b)
		row[0] = val{V: s, Span: 1 + b, Bold: true, Left: true}
		return row
	}
	var lines [][]any
	var starAt []string // the name of each line that is a star count ("" for others)
	for _, s := range sectionOrder {
		if len(bySection[s]) == 0 {
			continue
		}
		lines, starAt = append(lines, section(s)), append(starAt, "")
		for _, n := range bySection[s] {
			row := []any{val{V: label(n), Left: true}}
			for _, br := range branches {
				if in, ok := vals[br][n]; ok && in.Value != nil {
					row = append(row, val{V: *in.Value, Kind: kindOf(in.Decimals)})
				} else {
					row = append(row, "—")
				}
			}
			lines, starAt = append(lines, row), append(starAt, n)
		}
	}
	if len(r.Ranking) > 0 && b > 0 {
		rank := map[string]engine.BranchRank{}
		for _, x := range r.Ranking {
			rank[x.Branch] = x
		}
		row, row2 := []any{val{V: "综合指数", Left: true}}, []any{val{V: "综合排名", Left: true}}
		for _, br := range branches {
			if k, ok := rank[br]; ok {
				row, row2 = append(row, val{V: round4(k.Score), Kind: kindIndex}), append(row2, val{V: k.Rank, Kind: kindCount})
			} else {
				row, row2 = append(row, "—"), append(row2, "—")
			}
		}
		lines = append(lines, section("综合排名（熵权法）"), row, row2)
		starAt = append(starAt, "", "", "")
	}
	header := append([]string{"指标"}, branches...)
	wrap := []float64{14}
	for range branches {
		wrap = append(wrap, 6)
	}
	// Two blocks side by side when the values are few columns and the list long: the second
	// block starts at a section row near the half (a section is not cut when it can be helped).
	two := b <= 6 && len(lines) > 40
	split := len(lines)
	if two {
		// The second block starts at the half; a section cut there goes on under its name and
		// （续）; a section's name is not left alone at the foot of the first.
		isSection := func(row []any) (string, bool) {
			x, ok := row[0].(val)
			if ok && x.Span > 1 {
				return x.V.(string), true
			}
			return "", false
		}
		split = (len(lines) + 1) / 2
		if _, ok := isSection(lines[split-1]); ok {
			split--
		}
		if _, ok := isSection(lines[split]); !ok {
			name := ""
			for k := split - 1; k >= 0 && name == ""; k-- {
				name, _ = isSection(lines[k])
			}
			lines = slices.Insert(lines, split, section(name+"（续）"))
			starAt = slices.Insert(starAt, split, "")
		}
		header = append(header, header...)
		wrap = append(wrap, wrap...)
	}
	var rows [][]any
	var refs []starRef
	down := split
	if two {
		down = max(split, len(lines)-split)
	}
	first := 5 // the first row under the header (writeSheet: 附件N, title, 填报单位, header)
	if r.Excluded != "" {
		first++
	}
	for i := 0; i < down; i++ {
		var row []any
		if i < split {
			row = lines[i]
		}
		if starAt[i] != "" {
			refs = append(refs, starRef{name: starAt[i], row: first + i, col: 1})
		}
		if two {
			row = append([]any{}, row...)
			for len(row) < 1+b {
				row = append(row, nil)
			}
			if k := split + i; k < len(lines) {
				row = append(row, lines[k]...)
				if starAt[k] != "" {
					refs = append(refs, starRef{name: starAt[k], row: first + i, col: b + 2})
				}
			}
		}
		rows = append(rows, row)
	}
	// The weights of the ranking under the blocks, across the page: a row of the indicators
	// and a row of their weights (0.0000), each weight under its indicator, two columns each.
	if len(r.Ranking) > 0 && len(r.Weights) > 0 {
		span := 2
		if len(header) < 5 {
			span = 1
		}
		per := max(1, (len(header)-1)/span)
		for k := 0; k < len(r.Weights); k += per {
			names := []any{val{V: "排名指标", Head: true, Bold: true}}
			weights := []any{val{V: "权重", Head: true, Bold: true}}
			for _, w := range r.Weights[k:min(k+per, len(r.Weights))] {
				names = append(names, val{V: label(w.Name), Head: true, Span: span})
				weights = append(weights, val{V: round4(w.Weight), Kind: kindIndex, Span: span})
				for range span - 1 {
					names, weights = append(names, nil), append(weights, nil)
				}
			}
			rows = append(rows, names, weights)
		}
	}
	var notes []string
	for _, a := range perGroup(r) {
		notes = append(notes, "说明："+a+"次数按支部计，同一天的算 1 次；附件2 按党小组分别计，所以实开次数可能更多。")
	}
	return table{sheet: SheetIndicators, title: strconv.Itoa(r.Year) + "年度支部指标汇总表", header: header, wrap: wrap, size: indicatorsFont, notes: notes, noSign: true, // a summary of figures, signed with the report: one page
		rows: func(put func([]any, bool) error) error {
			for _, row := range rows {
				if err := put(row, false); err != nil {
					return err
				}
			}
			return nil
		}}, refs
}
