package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const rosterFile = "党员名册.xlsx"

// writeFiles writes every demo file under dir and returns their paths
// relative to dir, with what each one looks like.
func writeFiles(dir string, d *dataset) ([]fileNote, error) {
	var notes []fileNote
	steps := []func(string, *dataset) ([]fileNote, error){
		writeRoster, writeAttendance, writeTests, writePledges, writeLedger,
	}
	for _, step := range steps {
		n, err := step(dir, d)
		if err != nil {
			return nil, err
		}
		notes = append(notes, n...)
	}
	return notes, nil
}

// fileNote describes one written file for the README.
type fileNote struct{ path, about string }

func writeRoster(dir string, d *dataset) ([]fileNote, error) {
	t := table{
		sheet: "党员名册",
		title: fmt.Sprintf("%s%d年度党员名册", unitName, year),
		header: []string{"序号", "党员编号", "姓名", "性别", "出生年月", "所在支部", "党小组",
			"党内\n职务", "党员类别", "入党时间", "转入时间", "转出时间", "备注"},
		dateFormat: "yyyy-mm-dd",
	}
	for i, m := range d.members {
		sex := "男"
		if m.female {
			sex = "女"
		}
		t.rows = append(t.rows, []any{i + 1, m.id, m.name, sex, m.born.Format("2006.01"), m.branch.name,
			m.group, m.position, m.category, m.joined, optDate(m.transferIn), optDate(m.transferOut), m.note})
	}
	err := writeXLSX(filepath.Join(dir, rosterFile), t)
	return []fileNote{{rosterFile, "党员名册：日期为 Excel 日期，出生年月为文本，表头“党内职务”中有换行"}}, err
}

// optDate leaves the cell empty for a zero time.
func optDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// layout is how a month's sign-in sheets are split into files.
type layout int

const (
	workbook      layout = iota // one workbook, one sheet per branch
	filePerBranch               // one workbook per branch
	csvBOM                      // one UTF-8 CSV (with BOM) for the unit
	csvGB                       // one GB18030 CSV (no BOM, CRLF, title line) for the unit
)

// monthFormat is how one month's attendance is written.
type monthFormat struct {
	layout     layout
	withID     bool              // has a 党员编号 column
	textDates  string            // Go layout of text dates; "" means Excel date cells
	dateFormat string            // Excel number format of date cells
	header     []string          // 党员编号, 姓名, 所在支部, 活动类型, 活动日期, 出勤情况, 备注
	statuses   map[string]string // canonical status → spelling used
	activities map[string]string // canonical activity → spelling used
	leaveKinds bool              // 请假 written as 病假/事假 when that is the reason
	padNames   bool              // two-character names padded with a full-width space
}

var (
	plainHeader  = []string{"党员编号", "姓名", "所在支部", "活动类型", "活动日期", "出勤情况", "备注"}
	brokenHeader = []string{"党员\n编号", "姓名", "所在\n支部", "活动\n类型", "活动\n日期", "出勤\n情况", "备注"}
	wideHeader   = []string{"党员编号", "姓　　名", "所在支部", "活动　类型", "活动日期", "出勤情况", "备　　注"}
	otherHeader  = []string{"编号", "党员姓名", "党支部", "会议类型", "会议日期", "签到情况", "说明"}

	shortStatuses  = map[string]string{stPresent: "到", stExcused: "假", stAbsent: "缺"}
	symbolStatuses = map[string]string{stPresent: "√", stExcused: "假", stAbsent: "×"}
)

// months gives each month's files their own shape, as branches hand them in.
var months = map[time.Month]monthFormat{
	1: {layout: workbook, withID: true, dateFormat: "yyyy-mm-dd", header: plainHeader},
	2: {layout: filePerBranch, withID: true, dateFormat: "yyyy/m/d", header: brokenHeader},
	3: {layout: csvBOM, withID: true, textDates: "2006/1/2", header: plainHeader},
	4: {layout: filePerBranch, textDates: "2006年1月2日", header: plainHeader, statuses: shortStatuses},
	5: {layout: workbook, withID: true, dateFormat: "yyyy\"年\"m\"月\"d\"日\"", header: wideHeader, statuses: symbolStatuses},
	6: {layout: filePerBranch, withID: true, dateFormat: "yyyy-mm-dd", header: plainHeader, leaveKinds: true},
	7: {layout: csvGB, textDates: "2006.1.2", header: plainHeader},
	8: {layout: workbook, dateFormat: "yyyy-mm-dd", header: brokenHeader, padNames: true},
	9: {layout: filePerBranch, withID: true, dateFormat: "yyyy-mm-dd", header: wideHeader, statuses: shortStatuses,
		activities: map[string]string{actLesson: "专题党课", actThemeDay: "主题党日活动", actStudy: "理论学习",
			actGroup: "党小组会议", actCommittee: "支委会议"}},
	10: {layout: workbook, withID: true, dateFormat: "m/d/yyyy", header: otherHeader,
		activities: map[string]string{actGeneral: "支部大会", actThemeDay: "党日活动", actStudy: "集体学习"}},
	11: {layout: filePerBranch, withID: true, textDates: "2006-01-02", header: plainHeader, statuses: symbolStatuses},
	12: {layout: workbook, withID: true, dateFormat: "yyyy-mm-dd", header: brokenHeader},
}

func (f monthFormat) describe(m time.Month) string {
	var parts []string
	switch f.layout {
	case workbook:
		parts = append(parts, "一个工作簿，每个支部一张工作表")
	case filePerBranch:
		parts = append(parts, "每个支部一个文件")
	case csvBOM:
		parts = append(parts, "UTF-8 CSV（带 BOM），全单位一个文件")
	case csvGB:
		parts = append(parts, "GB18030 CSV（无 BOM，CRLF，首行为标题），全单位一个文件")
	}
	if !f.withID {
		parts = append(parts, "没有党员编号（按姓名＋所在支部匹配）")
	}
	if f.textDates != "" {
		parts = append(parts, "日期为文本，如 "+date(year, m, 5).Format(f.textDates))
	}
	switch {
	case slices.Equal(f.header, brokenHeader):
		parts = append(parts, "表头单元格内有换行")
	case slices.Equal(f.header, wideHeader):
		parts = append(parts, "表头中有全角空格")
	case slices.Equal(f.header, otherHeader):
		parts = append(parts, "表头用同义词（编号、党员姓名、党支部、会议类型、会议日期、签到情况、说明）")
	}
	if f.statuses != nil {
		parts = append(parts, fmt.Sprintf("出勤情况写作 %s/%s/%s", f.statuses[stPresent], f.statuses[stExcused], f.statuses[stAbsent]))
	}
	if f.leaveKinds {
		parts = append(parts, "请假写作病假、事假")
	}
	if f.activities != nil {
		parts = append(parts, "活动类型用同义词")
	}
	if f.padNames {
		parts = append(parts, "两字姓名中间加全角空格（如“王　勇”）")
	}
	return strings.Join(parts, "；")
}

// row renders a sign-in in the month's format, without the 序号.
func (f monthFormat) row(s signIn) []any {
	m, mt := s.member, s.meeting
	name := m.name
	if f.padNames && len([]rune(name)) == 2 {
		r := []rune(name)
		name = string(r[0]) + "　" + string(r[1])
	}
	act := mt.activity
	if a, ok := f.activities[act]; ok {
		act = a
	}
	status, note := s.status, s.note
	if st, ok := f.statuses[status]; ok {
		status = st
	}
	if f.leaveKinds && s.status == stExcused && (note == "病假" || note == "事假") {
		status, note = note, ""
	}
	var when any = mt.date
	if f.textDates != "" {
		when = mt.date.Format(f.textDates)
	}
	row := []any{name, m.branch.name, act, when, status, note}
	if f.withID {
		row = append([]any{m.id}, row...)
	}
	return row
}

// columns is the header without 序号: 党员编号 is left out when withID is false.
func (f monthFormat) columns() []string {
	if f.withID {
		return f.header
	}
	return f.header[1:]
}

func writeAttendance(dir string, d *dataset) ([]fileNote, error) {
	var notes []fileNote
	for m := time.January; m <= time.December; m++ {
		f := months[m]
		folder := fmt.Sprintf("%02d月", m)
		byBranch := make(map[*branch][]signIn)
		for _, s := range d.signIns {
			if s.meeting.date.Month() == m {
				byBranch[s.meeting.branch] = append(byBranch[s.meeting.branch], s)
			}
		}
		sheet := func(b *branch, name string) table {
			t := table{
				sheet:      name,
				title:      fmt.Sprintf("%s%d年%d月考勤表", b.name, year, m),
				header:     append([]string{"序号"}, f.columns()...),
				dateFormat: f.dateFormat,
			}
			for i, s := range byBranch[b] {
				t.rows = append(t.rows, append([]any{i + 1}, f.row(s)...))
			}
			return t
		}
		var files []string
		switch f.layout {
		case workbook:
			var sheets []table
			for _, b := range branches {
				sheets = append(sheets, sheet(b, b.name))
			}
			name := fmt.Sprintf("%d年%d月三会一课及主题党日考勤表.xlsx", year, m)
			files = append(files, name)
			if err := writeXLSX(filepath.Join(dir, folder, name), sheets...); err != nil {
				return nil, err
			}
		case filePerBranch:
			for _, b := range branches {
				name := fmt.Sprintf("%s%d年%d月考勤表.xlsx", b.name, year, m)
				files = append(files, name)
				if err := writeXLSX(filepath.Join(dir, folder, name), sheet(b, fmt.Sprintf("%d月考勤", m))); err != nil {
					return nil, err
				}
			}
		case csvBOM, csvGB:
			width := len(f.columns())
			var rows [][]string
			if f.layout == csvGB {
				title := make([]string, width)
				title[0] = fmt.Sprintf("%s%d年%d月三会一课考勤表", unitName, year, m)
				rows = append(rows, title)
			}
			rows = append(rows, f.columns())
			for _, b := range branches {
				for _, s := range byBranch[b] {
					var cells []string
					for _, v := range f.row(s) {
						cells = append(cells, fmt.Sprint(v))
					}
					rows = append(rows, cells)
				}
			}
			enc := utf8BOM
			if f.layout == csvGB {
				enc = gb18030
			}
			name := fmt.Sprintf("%d年%d月考勤表.csv", year, m)
			files = append(files, name)
			if err := writeCSV(filepath.Join(dir, folder, name), enc, rows); err != nil {
				return nil, err
			}
		}
		about := f.describe(m)
		for _, name := range files {
			notes = append(notes, fileNote{filepath.Join(folder, name), about})
			about = "同上"
		}
	}
	return notes, nil
}

const testsFile = "测试成绩.xlsx"

func writeTests(dir string, d *dataset) ([]fileNote, error) {
	var sheets []table
	for i, t := range tests {
		tb := table{
			sheet:      fmt.Sprintf("%d月测试", t.date.Month()),
			title:      fmt.Sprintf("%d年%s成绩表", year, t.name),
			header:     []string{"序号", "党员编号", "姓名", "所在支部", "测试名称", "测试日期", "成绩", "满分", "备注"},
			dateFormat: "yyyy-mm-dd",
		}
		textual := i == 1  // June: dates and scores stored as text
		noFull := i == 3   // November: no 满分 column (default 100)
		wideFull := i == 2 // September: "满　分"
		if wideFull {
			tb.header[7] = "满　分"
		}
		if noFull {
			tb.header = append(tb.header[:7], tb.header[8])
		}
		n := 0
		for _, r := range d.results {
			if r.test != t {
				continue
			}
			n++
			var when, score any = t.date, r.score
			if textual {
				when, score = t.date.Format("2006-01-02"), fmtPoints(r.score)
			}
			if r.status != "" {
				score = r.status
			}
			row := []any{n, r.member.id, r.member.name, r.member.branch.name, t.name, when, score, t.full, r.note}
			if noFull {
				row = append(row[:7], row[8])
			}
			tb.rows = append(tb.rows, row)
		}
		sheets = append(sheets, tb)
	}
	err := writeXLSX(filepath.Join(dir, testsFile), sheets...)
	return []fileNote{{testsFile, "4 次测试，每次一张工作表；6 月满分 50、日期和成绩为文本；" +
		"9 月表头“满　分”带全角空格；11 月没有满分列（默认 100）；缺考、请假写在成绩列"}}, err
}

const pledgesFile = "承诺践诺.xlsx"

func writePledges(dir string, d *dataset) ([]fileNote, error) {
	t := table{
		sheet:  "承诺践诺",
		title:  fmt.Sprintf("%s%d年度党员承诺践诺情况汇总表", unitName, year),
		header: []string{"序号", "姓名", "所在支部", "年度", "是否签订\n承诺书", "践诺评价", "备注"},
	}
	yes := []string{"是", "已签订", "√"}
	no := []string{"否", "未签订"}
	for i, p := range d.pledges {
		signed := no[i%len(no)]
		if p.signed {
			signed = yes[i%len(yes)]
		}
		t.rows = append(t.rows, []any{i + 1, p.member.name, p.member.branch.name, year, signed, p.rating, p.note})
	}
	err := writeXLSX(filepath.Join(dir, pledgesFile), t)
	return []fileNote{{pledgesFile, "没有党员编号；签订写作 是/已签订/√ 或 否/未签订；践诺评价有空白"}}, err
}

const ledgerFile = "加扣分台账.xlsx"

// levelSynonyms spell every other 表彰 level as a unit might.
var levelSynonyms = map[string]string{
	honourNational: "全国", honourProvincial: "省级", honourMunicipal: "市级", honourCounty: "县级", honourUnit: "单位",
}

func writeLedger(dir string, d *dataset) ([]fileNote, error) {
	header := []string{"序号", "党员编号", "姓名", "所在支部", "日期", "类别", "级别", "事由"}
	awards := table{sheet: "加分", title: fmt.Sprintf("%s%d年党员积分加分台账", unitName, year),
		header: header, dateFormat: "yyyy-mm-dd"}
	deductions := table{sheet: "扣分及处分", title: fmt.Sprintf("%s%d年党员积分扣分及党纪处分台账", unitName, year),
		header: header}
	care := table{sheet: "关怀慰问", title: fmt.Sprintf("%s%d年关怀慰问党员台账", unitName, year),
		header: header, dateFormat: "yyyy\"年\"m\"月\"d\"日\""}
	honours := 0
	for _, l := range d.ledger {
		m := l.member
		level, category := l.level, l.category
		var when any = l.date
		var t *table
		switch l.category {
		case ledHonour, ledVolunteer, ledLesson, ledEssay:
			t = &awards
			if l.category == ledHonour {
				if honours%2 == 1 {
					level = levelSynonyms[level]
				}
				honours++
			}
		case ledDues, ledCriticism, ledVeto:
			t = &deductions
			when = l.date.Format("2006年1月2日")
		case ledCare:
			t = &care
			category = "走访慰问"
		}
		t.rows = append(t.rows, []any{len(t.rows) + 1, m.id, m.name, m.branch.name, when, category, level, l.reason})
	}
	err := writeXLSX(filepath.Join(dir, ledgerFile), awards, deductions, care)
	return []fileNote{{ledgerFile, "三张工作表：加分（表彰级别一半写作同义词，如“市级”）、" +
		"扣分及处分（日期为文本 2022年3月5日）、关怀慰问（类别写作“走访慰问”）"}}, err
}
