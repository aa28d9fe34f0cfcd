// Package importer turns spreadsheet tables into jifen's records: it recognises what each sheet
// holds from its header row, reads each row's cells (dates, numbers, marks through the
// synonyms of config.yaml), matches members against the roster and reports every problem with
// its cell, like 考勤.xlsx[3月]!F17: 出勤情况 “到会了” 无法识别（可用：…）.
package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// File is a spreadsheet file read and classified, not yet turned into records.
type File struct {
	Path string // as given
	Name string // base name, for messages
	// where is what a sheet's year, month and activity are looked for in after its title and
	// sheet name (contextPath): the name with the folders the file is in.
	where    string
	Hash     string // SHA-256 of the bytes, hex
	stamp    stamp  // the file when hashed (stamp.go)
	Warnings []string
	sheets   []classified
	readings []*Reading
}

type classified struct {
	table   sheet.Table
	layout  layout
	reading *Reading
}

// Load reads a file and recognises its sheets. name is how messages call the file (its path
// below the input folder, like 2022台账/3月/考勤.xlsx); it and its folders may also give the
// period (year, month) of sheets whose titles do not. An unreadable file, or one with no sheet
// jifen recognises, is an error naming the file.
//
// A sheet too large to keep in memory (sheet.StreamThreshold) is recognised from its first
// rows and read again, row by row, by Stream; its merged ranges are found only at its end. If
// they turn out to matter (a merged cell among the data, or a merged header that reads
// differently), Stream returns ErrMergesLate: load the file again with LoadMerged, which looks
// for them first, at the cost of one more pass over the sheet.
func Load(path, name string, cfg *rules.Config) (*File, error) {
	return loadWith(path, name, cfg, sheet.Read)
}

// LoadMerged is Load finding the merged ranges of large sheets before their rows.
func LoadMerged(path, name string, cfg *rules.Config) (*File, error) {
	return loadWith(path, name, cfg, sheet.ReadMerged)
}

// ErrMergesLate says that a large sheet's merged ranges, found at its end, change how it reads:
// nothing of the file may be kept; LoadMerged reads it right.
var ErrMergesLate = errors.New("大表格的合并单元格在读完后才发现，需要重新读取")

func loadWith(path, name string, cfg *rules.Config, read func(string) ([]sheet.Table, []sheet.Skipped, error)) (*File, error) {
	if name == "" {
		name = filepath.Base(path)
	}
	// Hash the file while its sheets are read; stamped first, and checked after both, so that
	// the hash is of the bytes read (stamp.go).
	st, err := stampFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	type hashed struct {
		sum string
		err error
	}
	hc := make(chan hashed, 1)
	go func() {
		sum, err := engine.HashFile(path)
		hc <- hashed{sum, err}
	}()
	tables, skipped, err := read(path)
	h := <-hc
	if h.err != nil {
		return nil, fmt.Errorf("%s: 无法读取：%v", name, h.err)
	}
	hash := h.sum
	if err != nil {
		// A file rewritten while it was read fails for that reason, not for the half-written
		// bytes read (a truncated row, “mixed encodings”).
		if what, cerr := changedSince(path, st, hash); cerr == nil && what != "" {
			return nil, errChanged(name, what)
		}
		if base := filepath.Base(path); strings.HasPrefix(err.Error(), base) {
			return nil, fmt.Errorf("%s%s", name, strings.TrimPrefix(err.Error(), base))
		}
		return nil, err
	}
	for i := range tables {
		tables[i].File = name
	}
	f := &File{Path: path, Name: name, Hash: hash, where: contextPath(path, name), stamp: st}
	if err := f.unchanged(); err != nil {
		return nil, err
	}
	for _, s := range skipped {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s[%s]: %s", name, s.Sheet, s.Reason))
	}
	var errs []error
	var notRecords []string
	for _, t := range tables {
		if emptyTable(t) {
			continue
		}
		if cfg.Import.IgnoresSheet(name, t.Sheet) {
			f.readings = append(f.readings, &Reading{File: name, Sheet: t.Sheet, Ignored: IgnoredByConfig})
			continue
		}
		l, problem := classify(t, f.where, cfg)
		src := engine.Source{File: name, Sheet: t.Sheet}
		switch {
		case problem != "" && l.kind == KindUnknown:
			errs = append(errs, &engine.CellError{Src: src, Msg: problem})
		case problem != "":
			errs = append(errs, &engine.CellError{Src: engine.Source{File: name, Sheet: t.Sheet, Row: l.header + 1}, Col: -1, Msg: problem})
		case l.kind == KindUnknown:
			if h, n, ok := findTable(t); ok {
				f.readings = append(f.readings, unknownTable(name, t, h, n)) // a problem
				continue
			}
			notRecords = append(notRecords, (&engine.CellError{Src: src, Msg: "不是党员记录表（表头中没有可识别的记录列），已跳过"}).Error())
			f.readings = append(f.readings, &Reading{File: name, Sheet: t.Sheet, NotTable: "表头中没有可识别的记录列，也不像一张表格"})
		default:
			rd := newReading(name, t, l, cfg)
			f.readings = append(f.readings, rd)
			f.sheets = append(f.sheets, classified{t, l, rd})
		}
	}
	if len(errs) > 0 {
		return nil, &engine.FileErrors{File: name, Errs: errs}
	}
	if len(f.sheets) > 0 {
		f.Warnings = append(f.Warnings, notRecords...)
	} else if len(f.Problems()) == 0 { // a table not read is a problem, said once
		f.Warnings = append(f.Warnings, name+": 没有党员记录表（表头应含党员名册、考勤签到、测试成绩、承诺践诺、加扣分台账或评价结果的列，见 README 的“输入表格格式”），整个文件已跳过")
	}
	return f, nil
}

// Empty reports whether the file has no sheet of records (it is skipped with a warning).
func (f *File) Empty() bool { return len(f.sheets) == 0 }

// Problems lists the problems of the file's readings (problems.go), sheet by sheet.
func (f *File) Problems() []string {
	var out []string
	for _, r := range f.readings {
		out = append(out, r.Problems...)
	}
	return out
}

// Cells counts the cells the file holds in memory (a large sheet keeps only its first rows).
func (f *File) Cells() int {
	n := 0
	for _, s := range f.sheets {
		for _, r := range s.table.Rows {
			n += len(r)
		}
	}
	return n
}

// HasRoster reports whether the file holds a 党员名册 sheet; rosters are imported first.
func (f *File) HasRoster() bool {
	for _, s := range f.sheets {
		if s.layout.kind == KindRoster {
			return true
		}
	}
	return false
}

// Kinds lists the kinds of the file's recognised sheets.
func (f *File) Kinds() []Kind {
	var ks []Kind
	for _, s := range f.sheets {
		ks = append(ks, s.layout.kind)
	}
	return ks
}

// Parse turns the file's sheets into records, all in one batch. Roster sheets are read first
// and their members added to roster, so the file's other sheets (and later files) can refer to
// them. Every problem of the file is returned at once as *engine.FileErrors; then roster is
// unchanged.
func (f *File) Parse(cfg *rules.Config, roster *Roster) (*engine.Batch, error) {
	all := &engine.Batch{}
	err := f.Stream(cfg, roster, func(b *engine.Batch) error {
		all.Members = append(all.Members, b.Members...)
		all.Attendance = append(all.Attendance, b.Attendance...)
		all.Tests = append(all.Tests, b.Tests...)
		all.Pledges = append(all.Pledges, b.Pledges...)
		all.Ledger = append(all.Ledger, b.Ledger...)
		all.Assessments = append(all.Assessments, b.Assessments...)
		all.CheckRepeats = append(all.CheckRepeats, b.CheckRepeats...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// Stream is Parse handing the records to emit as they are read, in batches of about 8,192
// records, so that a sheet of millions of rows (or a roster of 200,000 members) is never held
// whole: emit may keep each batch. If Stream returns an error (every problem of the file, as
// *engine.FileErrors, or emit's own error), what emit was given must be discarded, and roster
// is unchanged.
func (f *File) Stream(cfg *rules.Config, roster *Roster, emit func(*engine.Batch) error) error {
	err := f.stream(cfg, roster, emit)
	var fe *engine.FileErrors
	if errors.As(err, &fe) {
		// The problems of a file rewritten while it was read are those of half-written bytes:
		// say it changed instead (stamp.go).
		if what, cerr := changedSince(f.Path, f.stamp, f.Hash); cerr == nil && what != "" {
			return errChanged(f.Name, what)
		}
	}
	return err
}

func (f *File) stream(cfg *rules.Config, roster *Roster, emit func(*engine.Batch) error) error {
	p := &parser{cfg: cfg, roster: roster, batch: &engine.Batch{}, emit: emit}
	// The members of the file's rosters go into roster as they are read, known by their ID only
	// when every roster sheet is read without a problem: then they are known to the file's
	// other sheets (and to later files), unless the file turns out to have a problem.
	from := len(roster.members)
	for _, s := range f.sheets {
		if s.layout.kind == KindRoster {
			p.begin(s.reading)
			p.parseRoster(s.table, s.layout)
			p.end()
		}
	}
	if len(p.errs) > 0 || p.members == 0 {
		roster.truncate(from, false)
	}
	if roster.Len() == 0 && p.members == 0 && len(p.errs) == 0 {
		return &engine.FileErrors{File: f.Name, Errs: []error{fmt.Errorf("%s: 党员名册还没有导入：请先导入党员名册（或把名册和这个文件一起导入），其他表格按名册匹配党员", f.Name)}}
	}
	done := false
	if len(p.errs) == 0 && p.members > 0 {
		roster.index(from)
		defer func() {
			if !done {
				roster.truncate(from, true)
			}
		}()
	}
	for _, s := range f.sheets {
		if p.emitErr != nil {
			return p.emitErr
		}
		t := s.table
		fam := families[s.layout.kind]
		if s.layout.kind == KindRoster {
			continue // rosters are read above
		}
		if fam.whole != nil && fam.whole(s.layout) {
			full, err := t.Full()
			if err != nil {
				p.errs = append(p.errs, sheetError(t, err))
				continue
			}
			t = full
		}
		p.begin(s.reading)
		p.sheetContext(t, s.layout, f.where)
		fam.read(p, t, s.layout)
		p.end()
	}
	for _, s := range f.sheets {
		if mergesMatter(s.table, s.layout, f.where, cfg) {
			return ErrMergesLate
		}
	}
	f.Warnings = append(f.Warnings, p.warnings...)
	if p.emitErr != nil {
		return p.emitErr
	}
	if len(p.errs) > 0 {
		return &engine.FileErrors{File: f.Name, Errs: p.errs, More: p.more}
	}
	for _, s := range f.sheets {
		if !s.table.Complete() { // read again from the file: still the bytes hashed?
			if err := f.unchanged(); err != nil {
				return err
			}
			break
		}
	}
	p.emit = nil
	p.batch.CheckRepeats = p.checkRepeats
	if err := emit(p.batch); err != nil {
		return err
	}
	done = true
	return nil
}

// mergesMatter reports whether a streamed sheet's merged ranges, found at its end, change what
// was read: a range reaching below the header (a merged cell among the data), or a header or
// title that, filled from them, is recognised otherwise.
func mergesMatter(t sheet.Table, l layout, where string, cfg *rules.Config) bool {
	late := t.LateMerges()
	if len(late) == 0 {
		return false
	}
	for _, m := range late {
		if max(m.R0, m.R1) > l.header {
			return true
		}
	}
	l2, problem := classify(t.WithMerges(late), where, cfg)
	return problem != "" || !reflect.DeepEqual(l, l2)
}

// contextFolders is how many of the folders a file is in its year may come from.
const contextFolders = 3

// contextPath is the file's name with the folders it is in, up to contextFolders of them (the
// nearest), whatever the folder jifen runs in: 考勤.csv given from inside 2022台账/3月 reads as
// 2022台账/3月/考勤.csv, as it does given from above (its year 2022 and month 3). A name
// that holds more folders is kept as it is.
func contextPath(path, name string) string {
	if strings.Count(name, "/") >= contextFolders {
		return name
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return name
	}
	parts := strings.Split(filepath.ToSlash(filepath.Dir(abs)), "/")
	var dirs []string
	for i := len(parts) - 1; i >= 0 && len(dirs) < contextFolders; i-- {
		if parts[i] != "" {
			dirs = append([]string{parts[i]}, dirs...)
		}
	}
	return strings.Join(append(dirs, filepath.Base(name)), "/")
}

func emptyTable(t sheet.Table) bool {
	for _, r := range t.Rows {
		for _, c := range r {
			if c != "" {
				return false
			}
		}
	}
	return true
}
