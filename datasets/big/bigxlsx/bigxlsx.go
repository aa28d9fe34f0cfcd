// Package bigxlsx writes large, deterministic attendance workbooks for benchmarks: a
// long-layout sheet (one row per member per activity) of any number of rows, and the matching
// roster. It is the library behind `go run ./datasets/big`; benchmarks call it directly.
//
// The workbooks look like what Excel or WPS save: strings in the shared-string table, dates as
// serial numbers with a date style, a merged title row. They are written with excelize's
// StreamWriter (which keeps at most 16 MB of the sheet in memory, the rest in a temporary
// file) and zipped straight into the output file, so memory stays bounded whatever the number
// of rows (the shared-string table grows with the number of members, not of rows).
//
// excelize's StreamWriter writes string cells inline (t="inlineStr"). To get shared strings,
// the distinct strings are put in the workbook's shared-string table first (SetCellStr on a
// cell that the stream then replaces), the stream writes each string cell as its index with a
// style used by no other cell, and a ZipWriter hook adds t="s" to exactly those cells while
// the sheet is written into the zip.
package bigxlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

// Options say what to generate. Zero fields take the defaults.
type Options struct {
	Rows    int // data rows of the attendance sheet (default 100000)
	Members int // distinct members (default 2000)
	Year    int // year of the activities (default 2022)
	// Inline writes the attendance sheet's strings inline (<c t="inlineStr"><is><t>…</t></is></c>,
	// as excelize's StreamWriter and many export tools write them) instead of in the
	// shared-string table.
	Inline bool
}

func (o Options) withDefaults() Options {
	if o.Rows <= 0 {
		o.Rows = 100000
	}
	if o.Members <= 0 {
		o.Members = 2000
	}
	if o.Year == 0 {
		o.Year = 2022
	}
	return o
}

// Sheet names and headers.
const (
	AttendanceSheet = "考勤"
	RosterSheet     = "党员名册"
	membersPerUnit  = 40 // members per 党支部
)

var (
	AttendanceHeader = []string{"党员编号", "姓名", "所在支部", "活动类型", "活动日期", "出勤情况", "备注"}
	RosterHeader     = []string{"党员编号", "姓名", "所在支部", "党员类别", "党内职务", "入党时间"}

	activities = []string{"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "集中学习", "组织生活会", "交流研讨"}
	statuses   = []string{"出席", "请假", "缺席", "迟到", "早退"}
	notes      = []string{"因公请假", "病假", "事假", "外出培训", "值班", "出差"}
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力林斌宇浩凯鹏飞云峰琳晶婷雪慧颖倩佳欣怡晨阳博瑞鑫成康宁志国")
)

// Member is one generated member; i counts from 0.
type Member struct {
	ID, Name, Branch, Category, Position string
	Joined                               time.Time
}

// MemberAt returns member i, the same for every call: IDs D000001…, names unique up to
// len(surnames)·len(givenChars)² members (Name repeats beyond that, IDs never do).
func MemberAt(i int) Member {
	s, g := len(surnames), len(givenChars)
	q := i / s
	g1 := q % g
	name := string(surnames[i%s]) + string(givenChars[g1])
	if i >= s*g || i%3 != 0 { // most have a two-character given name
		name += string(givenChars[(q/g+g1+1)%g])
	}
	m := Member{
		ID:       fmt.Sprintf("D%06d", i+1),
		Name:     name,
		Branch:   fmt.Sprintf("第%d党支部", i/membersPerUnit+1),
		Category: "正式党员",
		Joined:   time.Date(1980+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
	}
	if i%17 == 5 {
		m.Category = "预备党员"
	}
	switch i % membersPerUnit {
	case 0:
		m.Position = "支部书记"
	case 1:
		m.Position = "组织委员"
	case 2:
		m.Position = "宣传委员"
	}
	return m
}

// excelSerial is the 1900-system serial number of a date.
func excelSerial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// book is a workbook being written: its shared strings and the styles of string and date
// cells.
type book struct {
	f           *excelize.File
	sst         map[string]int
	inline      bool // string cells are written inline: no shared strings
	strStyle    int
	dateStyle   int
	sheetPart   string
	stringMatch []byte // ` s="N"><v>`: the start of every string cell of the stream
}

func newBook(sheet string, strs []string, inline bool) (*book, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	b := &book{f: f, sst: map[string]int{}, inline: inline, sheetPart: "xl/worksheets/sheet1.xml"}
	var err error
	// Two styles: text (@) and date. Only string cells use strStyle.
	if b.strStyle, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return nil, err
	}
	if b.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}); err != nil {
		return nil, err
	}
	b.stringMatch = fmt.Appendf(nil, ` s="%d"><v>`, b.strStyle)
	if inline {
		return b, nil
	}
	for _, s := range strs {
		b.str(s)
	}
	return b, nil
}

func ptr[T any](v T) *T { return &v }

// str adds s to the shared-string table (once) and returns its index.
func (b *book) str(s string) int {
	if i, ok := b.sst[s]; ok {
		return i
	}
	i := len(b.sst)
	b.sst[s] = i
	// excelize appends each new string to the workbook's table; the cell itself is replaced
	// by the stream.
	if err := b.f.SetCellStr(b.f.GetSheetName(0), "A1", s); err != nil {
		panic(err)
	}
	return i
}

// cell is a string cell of the stream: its shared-string index in the string style (or the
// string itself, which the stream writes inline).
func (b *book) cell(s string) excelize.Cell {
	if b.inline {
		return excelize.Cell{StyleID: b.strStyle, Value: s}
	}
	i, ok := b.sst[s]
	if !ok {
		panic("bigxlsx: string not in the table: " + s)
	}
	return excelize.Cell{StyleID: b.strStyle, Value: i}
}

// save writes the workbook, marking the stream's string cells t="s". excelize's SaveAs would
// first build the whole ZIP in memory (WriteToBuffer); the ZipWriter hook writes it straight
// into the file instead, so the buffer excelize returns stays empty.
func (b *book) save(path string) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		return &sstZip{zw: zip.NewWriter(out), part: b.sheetPart, match: b.stringMatch}
	})
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return err
	}
	if buf.Len() != 0 {
		return fmt.Errorf("bigxlsx: excelize wrote %d bytes outside the ZIP writer", buf.Len())
	}
	return b.f.Close()
}

// sstZip is a zip writer that rewrites one part on the way: ` s="N"><v>` becomes
// ` s="N" t="s"><v>`.
type sstZip struct {
	zw    *zip.Writer
	part  string
	match []byte
	cur   *rewriter
}

func (z *sstZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil || name != z.part {
		return w, err
	}
	z.cur = &rewriter{w: w, match: z.match}
	return z.cur, nil
}

func (z *sstZip) AddFS(fsys fs.FS) error { return z.zw.AddFS(fsys) }

func (z *sstZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.zw.Close()
}

func (z *sstZip) flush() error {
	if z.cur == nil {
		return nil
	}
	err := z.cur.flush()
	z.cur = nil
	return err
}

// rewriter inserts ` t="s"` before the `><v>` of every occurrence of match, across writes:
// it holds back the last len(match)-1 bytes, which could start an occurrence.
type rewriter struct {
	w     io.Writer
	match []byte
	held  []byte
	out   []byte
}

func (r *rewriter) Write(p []byte) (int, error) {
	r.held = append(r.held, p...)
	data, pos := r.held, 0
	r.out = r.out[:0]
	for {
		i := bytes.Index(data[pos:], r.match)
		if i < 0 {
			break
		}
		cut := pos + i + len(r.match) - len("><v>")
		r.out = append(r.out, data[pos:cut]...)
		r.out = append(r.out, ` t="s"`...)
		pos = cut
	}
	// No complete occurrence is left in data[pos:]; one may start in its last len(match)-1
	// bytes and end in the next write.
	safe := max(pos, len(data)-(len(r.match)-1))
	r.out = append(r.out, data[pos:safe]...)
	if _, err := r.w.Write(r.out); err != nil {
		return 0, err
	}
	r.held = append(r.held[:0], data[safe:]...)
	return len(p), nil
}

func (r *rewriter) flush() error {
	_, err := r.w.Write(r.held)
	r.held = r.held[:0]
	return err
}

// Title is the attendance sheet's merged title.
func Title(year int) string { return fmt.Sprintf("%d年度三会一课及主题党日考勤表", year) }

// WriteAttendance writes the long-layout attendance workbook: a title merged over A1:G1, the
// header in row 2, then o.Rows rows from row 3. Row i (from 0) is member i mod Members at
// activity i / Members: each activity lists every member in turn, on a date that moves
// through the year. Statuses and remarks come from a fixed-seed generator.
func WriteAttendance(path string, o Options) error {
	o = o.withDefaults()
	strs := []string{Title(o.Year)}
	strs = append(strs, AttendanceHeader...)
	strs = append(strs, activities...)
	strs = append(strs, statuses...)
	strs = append(strs, notes...)
	for i := range o.Members {
		m := MemberAt(i)
		strs = append(strs, m.ID, m.Name, m.Branch)
	}
	b, err := newBook(AttendanceSheet, strs, o.Inline)
	if err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(AttendanceSheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 7, 14); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", "G1"); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{b.cell(Title(o.Year))}); err != nil {
		return err
	}
	header := make([]any, len(AttendanceHeader))
	for i, h := range AttendanceHeader {
		header[i] = b.cell(h)
	}
	if err := sw.SetRow("A2", header); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(o.Rows), uint64(o.Members)))
	start := time.Date(o.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	row := make([]any, 7)
	members := make([]Member, o.Members)
	for i := range members {
		members[i] = MemberAt(i)
	}
	for i := range o.Rows {
		m := members[i%o.Members]
		event := i / o.Members
		act := activities[event%len(activities)]
		day := start.AddDate(0, 0, (event*11)%365)
		status := statuses[0]
		switch r := rng.IntN(100); {
		case r < 6:
			status = statuses[1]
		case r < 8:
			status = statuses[2]
		case r < 10:
			status = statuses[3]
		case r < 11:
			status = statuses[4]
		}
		row[0], row[1], row[2], row[3] = b.cell(m.ID), b.cell(m.Name), b.cell(m.Branch), b.cell(act)
		row[4] = excelize.Cell{StyleID: b.dateStyle, Value: excelSerial(day)}
		row[5], row[6] = b.cell(status), nil
		if status == statuses[1] {
			row[6] = b.cell(notes[rng.IntN(len(notes))])
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+3), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return b.save(path)
}

// WriteRoster writes the roster of the first o.Members members: header in row 1, joining
// dates as date serials.
func WriteRoster(path string, o Options) error {
	o = o.withDefaults()
	strs := append([]string(nil), RosterHeader...)
	strs = append(strs, "正式党员", "预备党员", "支部书记", "组织委员", "宣传委员")
	for i := range o.Members {
		m := MemberAt(i)
		strs = append(strs, m.ID, m.Name, m.Branch)
	}
	b, err := newBook(RosterSheet, strs, false)
	if err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(RosterSheet)
	if err != nil {
		return err
	}
	header := make([]any, len(RosterHeader))
	for i, h := range RosterHeader {
		header[i] = b.cell(h)
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, 6)
	for i := range o.Members {
		m := MemberAt(i)
		row[0], row[1], row[2], row[3] = b.cell(m.ID), b.cell(m.Name), b.cell(m.Branch), b.cell(m.Category)
		row[4] = nil
		if m.Position != "" {
			row[4] = b.cell(m.Position)
		}
		row[5] = excelize.Cell{StyleID: b.dateStyle, Value: excelSerial(m.Joined)}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return b.save(path)
}
