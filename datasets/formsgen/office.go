package formsgen

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// XLS is the name of the two-sheet .xls copy, which needs LibreOffice (soffice) to be written.
const XLS = "矩阵_两张表_旧版xls.xls"

// Write writes the unit's year in office forms into dir, one file per form, each named for its
// family and quirk, and, when xls, the .xls copy, which needs soffice: without it Write leaves
// any existing copy as it is and says so in the returned notes.
func Write(dir string, xls bool) (notes []string, err error) {
	for _, f := range officeForms {
		if err := f.write(filepath.Join(dir, f.name)); err != nil {
			return notes, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if !xls {
		return nil, nil
	}
	note, err := writeXLS(dir)
	if note != "" {
		notes = append(notes, note)
	}
	return notes, err
}

// Files lists the names of the office forms Write writes (the .xls included).
func Files() []string {
	var out []string
	for _, f := range officeForms {
		out = append(out, f.name)
	}
	return append(out, XLS)
}

type form struct {
	name  string
	write func(path string) error
}

var officeForms = []form{
	{"名册_无党员编号_政治面貌.xlsx", rosterPolitics},
	{"名册_身份证号存为数字.xlsx", rosterNumericID},
	{"签到表_每次会议一张_两组并排.xlsx", func(p string) error {
		m := MeetingsOf("two")[0]
		g := signSheet("签到表", m, 2, "name", nil)
		return writeBook(p, g)
	}},
	{"签到表_三组并排_合并标题.xlsx", func(p string) error {
		m := MeetingsOf("three")[0]
		g := signSheet("Sheet1", m, 3, "tick", nil)
		return writeBook(p, g)
	}},
	{"签到表_一簿多会_每会一张.xlsx", func(p string) error {
		var gs []*grid
		for _, m := range MeetingsOf("book") {
			gs = append(gs, signSheet(dotted(m.Date, false)+m.Type, m, 2, "name", nil))
		}
		return writeBook(p, gs...)
	}},
	{"签到表_全角空格姓名_页脚签字.xlsx", func(p string) error {
		m := MeetingsOf("fullwidth")[0]
		g := signSheet("4月主题党日", m, 2, "name", func(s string) string {
			r := []rune(s)
			return string(r[0]) + "　" + string(r[1:])
		})
		return writeBook(p, g)
	}},
	{"签到表_支委会_签名为勾_列席.xlsx", func(p string) error {
		m := MeetingsOf("committee")[0]
		g := signSheet("支委会", m, 1, "tick", nil)
		return writeBook(p, g)
	}},
	{"签到表_日期在标题_无会议时间行.xlsx", func(p string) error {
		m := MeetingsOf("titledate")[0]
		g := signSheet("签到", m, 2, "name", nil)
		return writeBook(p, g)
	}},
	{"签到表_集中学习_签名后备注迟到早退.xlsx", func(p string) error {
		m := MeetingsOf("study")[0]
		g := signSheet("集中学习签到", m, 2, "name", nil)
		return writeBook(p, g)
	}},
	{"签到表_空行和半空组_党小组会.xlsx", func(p string) error {
		m := MeetingsOf("blank")[0]
		g := signSheet("党小组会", m, 2, "name", nil)
		return writeBook(p, g)
	}},
	{"签到表_WPS另存为CSV_GBK编码.csv", signCSV},
	{"登记簿_缺席人员及原因.xlsx", func(p string) error {
		return writeBook(p, register("登记簿", Org+Branches[0]+"2023年“三会一课”登记簿", MeetingsOf("reg1"), false, true))
	}},
	{"登记簿_无故缺席_备注迟到.xlsx", func(p string) error {
		return writeBook(p, register("2023年", Branches[1]+"“三会一课”记录本（2023年）", MeetingsOf("reg2"), false, false))
	}},
	{"登记簿_支委会只算支委.xlsx", func(p string) error {
		return writeBook(p, register("支委会", Org+Branches[1]+"2023年支部委员会会议登记表", MeetingsOf("regc"), false, true))
	}},
	{"登记簿_两支部合一_党支部列.xlsx", func(p string) error {
		return writeBook(p, register("组织生活会", "机关党委2023年度组织生活会召开情况登记表", MeetingsOf("regu"), true, true))
	}},
	{"矩阵_图例圆圈为请假.xlsx", func(p string) error {
		return writeBook(p, matrix("第三季度", Branches[0]+"2023年第三季度党员参加组织生活情况登记表", MeetingsOf("circle"),
			"说明：√出席 ○请假 ×缺席 △迟到", stdMarks, false, nil))
	}},
	{"矩阵_签字行在下_图例在上.xlsx", func(p string) error {
		return writeBook(p, matrix("7-9月", Org+Branches[1]+"2023年7-9月党员出勤情况表", MeetingsOf("footer"),
			"说明：√出席 ○请假 ×缺席 △迟到", stdMarks, true, []string{"支部书记（签字）：", "填表人：周婷　　　　填表日期：2023年9月30日"}))
	}},
	{"矩阵_图例实心圆为出席.xlsx", func(p string) error {
		return writeBook(p, matrix("集中学习", Branches[0]+"2023年集中学习签到表", MeetingsOf("dot"),
			"注：●到会 ○请假 ×缺席 △迟到", map[string]string{"出席": "●", "请假": "○", "缺席": "×", "迟到": "△"}, false, nil))
	}},
	{"考试导出_总分为满分_多日交卷.xlsx", func(p string) error { return exam(p, Tests[0], false) }},
	{"考试导出_百分制_所在组织全称.xlsx", func(p string) error { return exam(p, Tests[1], true) }},
	{"承诺_践诺评定.xlsx", func(p string) error { return pledges(p, 0, "践诺评定", true) }},
	{"承诺_年终评定列_支部在标题.xlsx", func(p string) error { return pledges(p, 1, "年终评定", false) }},
	{"台账_等级或说明_分值.xlsx", ledgerMixed},
	{"台账_日期点分和月日.csv", ledgerDates},
	{"台账_级别列表头不认识_按内容.xlsx", ledgerValues},
}

var topics = map[string]string{
	"支委会": "研究部署支部近期工作", "支部党员大会": "传达学习上级会议精神", "党课": "学习贯彻党的二十大精神专题党课",
	"主题党日": "重温入党誓词", "集中学习": "学习《中国共产党章程》", "党小组会": "交流学习体会", "组织生活会": "开展批评和自我批评",
}

// signText is what the 签名 and 备注 cells hold for a mark: the member signs (the name again,
// or √) unless on leave or absent; 备注 gives the leave's reason, 迟到 or 早退.
func signText(name string, k Mark, how string) (sign, note string) {
	if how == "tick" {
		sign = "√"
	} else {
		sign = name
	}
	switch k.Status {
	case "请假":
		sign = ""
		switch k.Note {
		case "":
			note = "请假"
		case "病假", "事假", "公假":
			note = k.Note
		default:
			note = "请假（" + k.Note + "）"
		}
	case "缺席":
		sign = ""
	case "迟到", "早退":
		note = k.Status
	}
	return sign, note
}

// signSheet is one meeting's sign-in sheet: a title naming branch and meeting, lines for the
// time and place and who chaired, a grid of 序号/姓名/签名/备注 in groups side by side, and a
// footer of counts and signatures.
func signSheet(sheet string, m Meeting, groups int, how string, nameFmt func(string) string) *grid {
	g := newGrid(sheet)
	exp := m.Expected()
	width := 4 * groups
	long := Org + Branches[m.Branch]
	r := 1
	switch m.Key {
	case "titledate":
		// The date only in the title, no lines above the table.
		g.titleLine(r, 1, width, fmt.Sprintf("%s%s%s签到表", Branches[m.Branch], cn(m.Date), m.Type))
		r++
	case "blank":
		g.titleLine(r, 1, width, long+m.Type+"签到表")
		r += 2 // a blank row under the title
		g.line(r, 1, width, "会议时间："+cn(m.Date)+"下午3:00　　会议地点：党员活动室")
		r += 2 // and another above the header
	default:
		g.titleLine(r, 1, width, long+m.Type+"签到表")
		r++
		half := max(width/2, 1)
		g.line(r, 1, half, "会议时间："+cn(m.Date)+" 上午9:00")
		g.line(r, half+1, width, "会议地点：三楼会议室")
		r++
		chair := BranchMembers(m.Branch)[0].Name
		g.line(r, 1, half, "主持人："+chair)
		g.line(r, half+1, width, "记录人："+BranchMembers(m.Branch)[1].Name)
		r++
		g.line(r, 1, width, "会议主题："+topics[m.Type])
		r++
	}
	header := r
	for k := 0; k < groups; k++ {
		for j, h := range []string{"序号", "姓名", "签名", "备注"} {
			g.set(header, 4*k+j+1, h)
		}
	}
	per := int(math.Ceil(float64(len(exp)) / float64(groups)))
	if m.Key == "blank" {
		per = 5 // the second group half empty, its 序号 written ahead
	}
	signed := 0
	for i, x := range exp {
		k, row := i/per, header+1+i%per
		name := x.Name
		if nameFmt != nil {
			name = nameFmt(name)
		}
		sign, note := signText(name, m.Mark(x.Name), how)
		if m.Key == "committee" && !x.Committee() {
			note = "列席"
		}
		if sign != "" {
			signed++
		}
		g.set(row, 4*k+1, i+1)
		g.set(row, 4*k+2, name)
		g.set(row, 4*k+3, sign)
		g.set(row, 4*k+4, note)
	}
	if m.Key == "blank" {
		for i := len(exp); i < per*groups; i++ {
			g.set(header+1+i%per, 4*(i/per)+1, i+1)
		}
	}
	last := header + per
	g.box(header, 1, last, width)
	r = last + 1
	g.line(r, 1, width, fmt.Sprintf("应到 %d 人，实到 %d 人", len(exp), signed))
	r++
	if m.Key == "fullwidth" {
		g.line(r, 1, width/2, "主持人签字："+BranchMembers(m.Branch)[0].Name)
		g.line(r, width/2+1, width, "记录人："+BranchMembers(m.Branch)[1].Name)
	} else if groups > 1 {
		g.line(r, 1, width/2, "主持人签字：")
		g.line(r, width/2+1, width, "记录人签字：")
	}
	for c := 1; c <= width; c++ {
		g.widths[c] = []float64{6, 10, 12, 14}[(c-1)%4]
	}
	return g
}

// signCSV is a sign-in sheet saved by WPS as CSV on a Chinese Windows (GB18030), title lines
// and all: 第一党支部 集中学习 2023-06-09.
func signCSV(path string) error {
	m := MeetingsOf("csv")[0]
	exp := m.Expected()
	rows := [][]string{
		{Org + Branches[0] + m.Type + "签到表", "", "", "", "", "", "", ""},
		{"会议时间：" + cn(m.Date) + " 下午2:30", "", "", "", "会议地点：三楼会议室", "", "", ""},
		{"序号", "姓名", "签名", "备注", "序号", "姓名", "签名", "备注"},
	}
	per := (len(exp) + 1) / 2
	body := make([][]string, per)
	for i := range body {
		body[i] = make([]string, 8)
	}
	signed := 0
	for i, x := range exp {
		k, row := i/per, i%per
		sign, note := signText(x.Name, m.Mark(x.Name), "name")
		if sign != "" {
			signed++
		}
		copy(body[row][4*k:], []string{strconv.Itoa(i + 1), x.Name, sign, note})
	}
	rows = append(rows, body...)
	rows = append(rows, []string{fmt.Sprintf("应到 %d 人，实到 %d 人", len(exp), signed), "", "", "", "", "", "", ""},
		[]string{"记录人：王芳", "", "", "", "", "", "", ""})
	return writeCSV(path, true, rows)
}

// register is a 三会一课 登记簿: one row per meeting with 应到/实到 and 缺席人员及原因; a 备注
// names who came late or left early. unit adds a 党支部 column (a register of several branches).
func register(sheet, title string, ms []Meeting, unit, dateCells bool) *grid {
	g := newGrid(sheet)
	header := []string{"序号", "时间", "会议类型", "会议主题", "主持人", "应到人数", "实到人数", "缺席人员及原因", "备注"}
	if unit {
		header = append([]string{"序号", "党支部"}, header[1:]...)
	}
	g.titleLine(1, 1, len(header), title)
	g.row(2, anys(header)...)
	for i, m := range ms {
		var away, notes []string
		came := 0
		for _, x := range m.Expected() {
			k := m.Mark(x.Name)
			switch k.Status {
			case "请假":
				away = append(away, x.Name+"（"+k.Note+"）")
			case "缺席":
				away = append(away, x.Name+"（无故缺席）")
			default:
				came++
				if k.Status != "出席" {
					notes = append(notes, x.Name+k.Status)
				}
			}
		}
		missing := "无"
		if len(away) > 0 {
			missing = strings.Join(away, "、")
		}
		var date any = cn(m.Date)
		if dateCells {
			date = day(m.Date)
		}
		vals := []any{i + 1, date, m.Type, topics[m.Type], BranchMembers(m.Branch)[0].Name, len(m.Expected()), came, missing, strings.Join(notes, "，")}
		if unit {
			vals = append([]any{i + 1, Branches[m.Branch]}, vals[1:]...)
		}
		g.row(3+i, vals...)
	}
	last := 2 + len(ms)
	g.box(2, 1, last, len(header))
	g.line(last+2, 1, 4, "填表人："+BranchMembers(ms[0].Branch)[1].Name)
	g.widths[2], g.widths[len(header)-1] = 16, 28
	return g
}

var stdMarks = map[string]string{"出席": "√", "请假": "○", "缺席": "×", "迟到": "△"}

// matrix is a sign-in matrix: a member a row, a meeting a column ("7月11日主题党日"), marks
// defined by the legend above or under it, and, at the bottom, signature lines.
func matrix(sheet, title string, ms []Meeting, legend string, marks map[string]string, legendAbove bool, footer []string) *grid {
	g := newGrid(sheet)
	width := len(ms) + 3
	g.titleLine(1, 1, width, title)
	r := 2
	if legendAbove {
		g.line(r, 1, width, legend)
		r++
	}
	header := r
	g.set(header, 1, "序号")
	g.set(header, 2, "姓名")
	for j, m := range ms {
		g.set(header, 3+j, md(m.Date)+m.Type)
	}
	g.set(header, width, "备注")
	for i, x := range BranchMembers(ms[0].Branch) {
		g.set(header+1+i, 1, i+1)
		g.set(header+1+i, 2, x.Name)
		for j, m := range ms {
			g.set(header+1+i, 3+j, marks[m.Mark(x.Name).Status])
		}
	}
	last := header + len(BranchMembers(ms[0].Branch))
	g.box(header, 1, last, width)
	r = last + 1
	if !legendAbove {
		g.line(r, 1, width, legend)
		r++
	}
	for _, f := range footer {
		r++
		g.line(r, 1, width, f)
	}
	for j := range ms {
		g.widths[3+j] = 16
	}
	return g
}

// exam is an online exam system's export: no title, one row per submission, 总分 the full mark,
// 交卷时间 when each submitted (over test.Days days), 所在组织 the branch (long: 中共××局…).
func exam(path string, t Test, long bool) error {
	g := newGrid("成绩导出")
	g.row(1, "序号", "姓名", "所在组织", "考试名称", "总分", "得分", "交卷时间", "用时（分钟）")
	r, n := 2, 0
	for b := 0; b < 2; b++ {
		org := Branches[b]
		if long {
			org = Org + org
		}
		for _, x := range BranchMembers(b) {
			s, ok := t.Scores[b][x.Name]
			if !ok {
				continue
			}
			d := day(t.Date).AddDate(0, 0, n%t.Days)
			at := fmt.Sprintf("%s %02d:%02d:%02d", d.Format("2006-01-02"), 9+n%8, (7*n)%60, (13*n)%60)
			g.row(r, r-1, x.Name, org, t.Name, t.FullMark, s, at, 20+(3*n)%25)
			r++
			n++
		}
	}
	return writeBook(path, g)
}

// pledges is a 承诺践诺 table: 承诺书签订情况 (已签订/未签订) and the 践诺 rating under header.
// branchCol: a 所在党支部 column; else the branch is in the title.
func pledges(path string, b int, header string, branchCol bool) error {
	g := newGrid("承诺践诺")
	cols := []string{"序号", "姓名", "承诺书签订情况", "承诺事项", header}
	if branchCol {
		cols = []string{"序号", "姓名", "所在党支部", "承诺书签订情况", "承诺事项", header}
	}
	title := "机关党委2023年度党员承诺践诺情况表"
	if !branchCol {
		title = Branches[b] + "2023年度党员承诺践诺情况表"
	}
	g.titleLine(1, 1, len(cols), title)
	g.row(2, anys(cols)...)
	for i, x := range BranchMembers(b) {
		p := Pledges[b][x.Name]
		signed, what := "未签订", ""
		if p.Signed {
			signed, what = "已签订", "立足岗位作表率"
		}
		vals := []any{i + 1, x.Name, signed, what, p.Rating}
		if branchCol {
			vals = []any{i + 1, x.Name, Branches[b], signed, what, p.Rating}
		}
		g.row(3+i, vals...)
	}
	g.box(2, 1, 2+len(BranchMembers(b)), len(cols))
	g.line(4+len(BranchMembers(b)), 1, 3, "审核人：")
	g.widths[len(cols)-1] = 20
	return writeBook(path, g)
}

// ledgerMixed is a ledger of mixed rows: 等级或说明 holds the level of 表彰/党纪处分 rows and free
// text for the others; 分值 the clerk's points; 事由 and 备注 both present.
func ledgerMixed(path string) error {
	g := newGrid("加扣分台账")
	cols := []string{"序号", "姓名", "所在党支部", "日期", "类别", "等级或说明", "分值", "事由", "备注"}
	g.titleLine(1, 1, len(cols), "机关党委2023年党员积分加扣分台账")
	g.row(2, anys(cols)...)
	es := EntriesOf("mixed")
	for i, e := range es {
		level := e.Level
		if level == "" {
			level = e.Reason
		}
		var pts any = e.Points
		if v, err := strconv.ParseFloat(e.Points, 64); err == nil {
			pts = v
		}
		note := ""
		if e.Category == "党纪处分" {
			note = "经支部党员大会讨论"
		}
		g.row(3+i, i+1, e.Name, Branches[e.Branch], day(e.Date), e.Category, level, pts, e.Reason, note)
	}
	g.box(2, 1, 2+len(es), len(cols))
	g.line(4+len(es), 1, 4, "填表人：王芳　　审核人：张伟")
	return writeBook(path, g)
}

// ledgerDates is a CSV ledger with a title line; its dates are 2023.3.5 or 3月5日 (the year from
// the title).
func ledgerDates(path string) error {
	rows := [][]string{{"机关党委2023年志愿服务及党费缴纳台账", "", "", "", "", ""},
		{"姓名", "所在支部", "日期", "类别", "数量", "备注"}}
	for i, e := range EntriesOf("dates") {
		d := dotted(e.Date, true)
		if i%2 == 1 {
			d = md(e.Date)
		}
		rows = append(rows, []string{e.Name, Branches[e.Branch], d, e.Category, strconv.Itoa(e.Count), e.Reason})
	}
	return writeCSV(path, false, rows)
}

// ledgerValues is a ledger whose level column has a header no synonym knows (具体情况): its
// values (县处级, 本单位 on 表彰 rows) say it is the level.
func ledgerValues(path string) error {
	g := newGrid("表彰")
	cols := []string{"序号", "姓名", "所在党支部", "时间", "类别", "具体情况", "荣誉名称"}
	g.titleLine(1, 1, len(cols), "机关党委2023年党员受表彰情况")
	g.row(2, anys(cols)...)
	es := EntriesOf("values")
	for i, e := range es {
		g.row(3+i, i+1, e.Name, Branches[e.Branch], cn(e.Date), e.Category, e.Level, e.Reason)
	}
	g.box(2, 1, 2+len(es), len(cols))
	return writeBook(path, g)
}

// rosterPolitics is 第一党支部's 花名册: no 党员编号, 政治面貌 for the category, 身份证号 as text.
func rosterPolitics(path string) error {
	g := newGrid("花名册")
	cols := []string{"序号", "姓名", "性别", "身份证号", "政治面貌", "党内职务", "入党时间", "所在党支部", "联系电话"}
	g.titleLine(1, 1, len(cols), Org+Branches[0]+"党员花名册")
	g.line(2, 1, 4, "填报单位（盖章）：")
	g.line(2, 7, 9, "填报日期：2023年1月5日")
	g.row(3, anys(cols)...)
	for i, x := range BranchMembers(0) {
		g.row(4+i, i+1, x.Name, x.Sex, x.IDCard(), x.Politics(), x.Position, strings.Replace(x.Join, "-", ".", 1), Branches[0],
			fmt.Sprintf("1391000%04d", 1001+i))
	}
	g.box(3, 1, 3+len(BranchMembers(0)), len(cols))
	g.widths[4] = 22
	return writeBook(path, g)
}

// rosterNumericID is 第二党支部's 花名册 with 身份证号 typed into number cells (the digits past the
// 15th are lost), 党支部 and 政治面貌 columns, no 党员编号.
func rosterNumericID(path string) error {
	g := newGrid("党员名册")
	cols := []string{"序号", "姓名", "性别", "民族", "身份证号", "政治面貌", "党内职务", "入党时间", "党支部"}
	g.titleLine(1, 1, len(cols), Branches[1]+"党员名册")
	g.row(2, anys(cols)...)
	for i, x := range BranchMembers(1) {
		id, _ := strconv.ParseFloat(x.IDCard(), 64)
		join := strings.Replace(x.Join, "-", "年", 1) + "月"
		g.row(3+i, i+1, x.Name, x.Sex, "汉族", id, x.Politics(), x.Position, join, Branches[1])
	}
	g.box(2, 1, 2+len(BranchMembers(1)), len(cols))
	return writeBook(path, g)
}

// writeXLS writes the two-sheet .xls copy of the fourth quarter's matrices (one sheet a branch)
// with LibreOffice. Without soffice it says so and leaves dir's copy as it is.
func writeXLS(dir string) (string, error) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return "没有 soffice（LibreOffice），跳过 " + XLS + "（保留已有的文件）", nil
	}
	tmp, err := os.MkdirTemp("", "forms-xls")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, strings.TrimSuffix(XLS, ".xls")+".xlsx")
	ms := MeetingsOf("xls")
	var gs []*grid
	for b := 0; b < 2; b++ {
		var mine []Meeting
		for _, m := range ms {
			if m.Branch == b {
				mine = append(mine, m)
			}
		}
		gs = append(gs, matrix(Branches[b], Org+Branches[b]+"2023年第四季度党员出勤登记表", mine,
			"说明：√出席 ○请假 ×缺席 △迟到", stdMarks, false, []string{"支部书记（签字）："}))
	}
	if err := writeBook(src, gs...); err != nil {
		return "", err
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(tmp, "profile"),
		"--convert-to", "xls", "--outdir", tmp, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("soffice: %v: %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(tmp, strings.TrimSuffix(XLS, ".xls")+".xls"))
	if err != nil {
		return "", err
	}
	return "", os.WriteFile(filepath.Join(dir, XLS), data, 0o644)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
