// Package pipeline runs jifen's jobs: import spreadsheets into the store, score a year, export
// the outputs, or all three (Run). It wires the adapters (sheet, importer, store, scoring,
// export) around the domain and reports progress; the CLI is a thin layer over it.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/importer"
	"github.com/jifen/jifen/engine/privacy"
	"github.com/jifen/jifen/engine/report"
	"github.com/jifen/jifen/engine/scoring"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/rules"
)

// Options configures the jobs.
type Options struct {
	Inputs     []string // files or folders (walked recursively) of .xlsx/.csv
	OutDir     string   // where members.csv, indicators.csv and 附件.xlsx are written
	ConfigPath string   // rules file; "" means the built-in reference scheme
	DBPath     string   // DuckDB file; "" means an in-memory database
	Year       int      // scoring year; 0 means config's year, else inferred from the data
	// Log receives warnings and the closing summary; nil means silent.
	Log io.Writer
	// Unmask shows 身份证号 and 手机号 in full in the outputs (masked by default).
	Unmask bool
	// OnFile is called after each file of an import: done of total files, and its name.
	OnFile func(done, total int, name string)
	// OnRecords, when set, is called while a file is loaded, every 8,192 records or so, with
	// the records of it read so far; it may be called from another goroutine than OnFile's
	// (never at the same time).
	OnRecords func(name string, records int)
	// Today is the date printed as 填报日期 on the 附件, the 公示 and the report; zero: the date
	// of the run.
	Today time.Time
}

// Summary reports what a job did.
type Summary struct {
	Files     int // files read
	Imported  int // files stored (new or replacing an earlier version)
	Unchanged int // files whose same content was already imported
	Rejected  int // files refused for errors
	Ignored   int // files with no sheet of records, skipped with a warning
	Rows      int // records stored
	Removed   int // records of earlier versions replaced, or of files dropped by Sync
	Dropped   int // files removed by Sync: no longer among the inputs
	// Replacements describe each corrected file that replaced its earlier version, and Changes
	// add up what they changed.
	Replacements []string
	Changes      store.Changes
	Errors       []error  // every file's problems, each an *engine.FileErrors or a file error
	Warnings     []string // skipped sheets and the like
	Year         int
	Scored       int // members scored
	Outputs      []string
	Elapsed      time.Duration

	// Readings say how each input file and each of its sheets was read, in input order;
	// Problems are what makes the results doubtful though no file has an error (a table read
	// into nothing, a column used for nothing, a rule item matching nothing while a column was
	// left unused): the job goes on and returns ErrProblems (wrapped).
	Readings        []FileReading
	Problems        []string
	IgnoredByConfig int // files config's import.ignore leaves alone
}

// ErrRejected is returned (wrapped) when some files were refused; the others were imported.
var ErrRejected = errors.New("部分文件有错误，未导入")

// LoadConfig reads the rules at path, or the built-in reference scheme when path is "".
func LoadConfig(path string) (*rules.Config, error) {
	if path == "" {
		return rules.Parse("内置默认规则（config.yaml）", jifen.DefaultConfig)
	}
	return rules.LoadFile(path)
}

// Job holds what the steps share: the rules and the open store.
type Job struct {
	Opt   Options
	Cfg   *rules.Config
	Store *store.Store
	// known are members from elsewhere (Check: the real database's roster) that imports may
	// refer to besides the store's own; nil when there are none.
	known *importer.Roster
	// checking: the store is Check's private one (the readings say 已读取, not 已导入).
	checking bool
}

// Check reads and validates the inputs without writing anything: every file is read, its
// members matched against the roster (that of the database at DBPath, if there is one, and
// those among the inputs) and its records checked for duplicates among the inputs, in a
// private in-memory database. Every problem of every file is in the summary's Errors.
func Check(ctx context.Context, opt Options) (*Summary, error) {
	cfg, err := LoadConfig(opt.ConfigPath)
	if err != nil {
		return nil, err
	}
	var known *importer.Roster
	if _, err := os.Stat(opt.DBPath); opt.DBPath != "" && err == nil {
		db, err := store.OpenReadOnly(opt.DBPath)
		if err != nil {
			return nil, err
		}
		known = importer.NewRoster(nil)
		err = db.EachMember(ctx, known.Grow, func(m *engine.Member) error { known.AddMember(m); return nil })
		db.Close()
		if err != nil {
			return nil, err
		}
	}
	mem, err := store.Open("")
	if err != nil {
		return nil, err
	}
	j := &Job{Opt: opt, Cfg: cfg, Store: mem, known: known, checking: true}
	defer j.Close()
	sum, err := j.Import(ctx)
	for _, e := range sum.Errors {
		var fe *engine.FileErrors
		if errors.As(e, &fe) {
			fe.Checked = true
		}
	}
	switch {
	case errors.Is(err, ErrRejected):
		err = fmt.Errorf("%d 个文件有问题", sum.Rejected)
		if len(sum.Problems) > 0 {
			err = fmt.Errorf("%d 个文件有错误，另有 %d 个读表问题", sum.Rejected, len(sum.Problems))
		}
	case errors.Is(err, ErrProblems):
		err = fmt.Errorf("%d 个读表问题", len(sum.Problems))
	}
	return sum, err
}

// Open loads the rules and opens the store. The config is checked before any data is touched.
func Open(opt Options) (*Job, error) { return open(opt, store.Open) }

// open loads the rules, then opens the store with openStore.
func open(opt Options, openStore func(path string) (*store.Store, error)) (*Job, error) {
	cfg, err := LoadConfig(opt.ConfigPath)
	if err != nil {
		return nil, err
	}
	st, err := openStore(opt.DBPath)
	if err != nil {
		return nil, err
	}
	j := &Job{Opt: opt, Cfg: cfg, Store: st}
	for _, w := range cfg.Warnings {
		j.logf("注意：%s", w)
	}
	return j, nil
}

// Close closes the store.
func (j *Job) Close() error { return j.Store.Close() }

func (j *Job) logf(format string, args ...any) {
	if j.Opt.Log != nil {
		fmt.Fprintf(j.Opt.Log, format+"\n", args...)
	}
}

// Run makes the database hold exactly the Inputs (Sync, then Import), scores the year and
// writes the outputs to OutDir. Files with errors are rejected whole and listed; the rest is
// still scored and exported, and the returned error wraps ErrRejected.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	start := time.Now()
	j, err := Open(opt)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	pre := &Summary{}
	if err := j.Sync(ctx, pre); err != nil {
		return pre, err
	}
	sum, importErr := j.Import(ctx)
	sum.Dropped, sum.Removed = pre.Dropped, sum.Removed+pre.Removed
	if importErr != nil && !errors.Is(importErr, ErrRejected) && !errors.Is(importErr, ErrProblems) {
		return sum, importErr
	}
	if err := j.Score(ctx, sum); err != nil {
		return sum, store.AsDiskFull(err, opt.DBPath)
	}
	if err := j.Export(ctx, sum); err != nil {
		return sum, err
	}
	sum.Elapsed = time.Since(start)
	if len(sum.Problems) > 0 && (importErr == nil || errors.Is(importErr, ErrProblems)) {
		// Scoring may have found more (rule items matching nothing): count them all.
		importErr = fmt.Errorf("%w：%d 个", ErrProblems, len(sum.Problems))
	}
	return sum, importErr
}

// Input is a spreadsheet file to import: its path, and the name messages call it by (its path
// from the input folder's parent, like 2022台账/3月/考勤.xlsx, or the path given).
type Input struct {
	Path string
	Name string
}

// Files lists the spreadsheet files under the inputs (folders walked recursively, sorted),
// skipping Office lock files (~$…) and hidden files and folders. An input given as a symbolic
// link is followed; inside a folder, a link to a file is read as that file (named by the link),
// a link to a folder is not followed (no loops, no file twice): FilesAndOthers lists it.
func Files(inputs []string) ([]Input, error) {
	ins, _, _, _, err := FilesAndOthers(inputs)
	return ins, err
}

// FilesAndOthers is Files also listing the other files found in the folders (a 会议记录.docx,
// a scan), and the links not followed (to a folder, or to nothing): names as Files gives them.
// Lock files and hidden files are not listed.
func FilesAndOthers(inputs []string) (ins []Input, others, links, special []string, err error) {
	var out []Input
	for _, in := range inputs {
		info, err := os.Stat(in)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("找不到输入 %s", in)
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				return nil, nil, nil, nil, fmt.Errorf("%s: 不是普通文件（管道、设备等不能导入）", in)
			}
			if !sheet.Supported(in) {
				return nil, nil, nil, nil, fmt.Errorf("%s: 不支持的文件类型（可用：.xlsx、.xls、.csv）", in)
			}
			name := filepath.ToSlash(filepath.Clean(in))
			if filepath.IsAbs(in) {
				name = filepath.Base(in)
			}
			out = append(out, Input{Path: in, Name: name})
			continue
		}
		parent := filepath.Dir(filepath.Clean(in))
		var found []Input
		root := in
		if li, err := os.Lstat(in); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			root = filepath.Clean(in) + string(filepath.Separator) // the folder linked to
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if p != root && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") {
				return nil // lock files, hidden files
			}
			rel, err := filepath.Rel(parent, p)
			if err != nil {
				rel = p
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
					links = append(links, filepath.ToSlash(rel)) // to a folder, or to nothing
					return nil
				}
			} else if !d.Type().IsRegular() {
				special = append(special, filepath.ToSlash(rel)) // pipes, devices, sockets
				return nil
			}
			if !sheet.Supported(name) {
				others = append(others, filepath.ToSlash(rel))
				return nil
			}
			found = append(found, Input{Path: p, Name: filepath.ToSlash(rel)})
			return nil
		})
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("无法读取目录 %s：%v", in, err)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
		out = append(out, found...)
	}
	sort.Strings(others)
	sort.Strings(links)
	sort.Strings(special)
	return out, others, links, special, nil
}

// Sync removes from the database every imported file that is not among the inputs, so that
// after `jifen run` the database holds exactly the input folder: a file deleted or renamed since
// the last run no longer counts.
func (j *Job) Sync(ctx context.Context, sum *Summary) error {
	ins, err := Files(j.Opt.Inputs)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, in := range ins {
		if abs, err := filepath.Abs(in.Path); err == nil {
			keep[abs] = true
		}
	}
	if err := j.Store.KeepExcluded(ctx, keep); err != nil {
		return err
	}
	files, err := j.Store.Files(ctx)
	if err != nil {
		return err
	}
	for _, f := range files {
		if keep[f.Path] {
			continue
		}
		if err := j.Store.Remove(ctx, f.ID); err != nil {
			return err
		}
		sum.Dropped++
		sum.Removed += f.Rows
	}
	return nil
}

// keepCells bounds the cells of the files Import keeps between classifying them and importing
// them: about 100 MB of a million short cells. A variable for tests.
var keepCells = 1 << 20

// Import reads every input file and stores the files without errors. Rosters are imported
// first, so the other files can refer to their members.
func (j *Job) Import(ctx context.Context) (*Summary, error) {
	sum := &Summary{}
	paths, others, links, special, err := FilesAndOthers(j.Opt.Inputs)
	if err != nil {
		return sum, err
	}
	if len(special) > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: 不是普通文件（管道、设备等），没有读取", strings.Join(special, "、")))
	}
	if len(links) > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: 是指向文件夹（或已不存在）的快捷链接，没有跟随读取（以免重复读取或循环）；需要导入其中的表格，请把那个文件夹本身也作为输入", strings.Join(links, "、")))
	}
	if len(others) > 0 {
		list := strings.Join(others, "、")
		if len(others) > 10 {
			list = strings.Join(others[:10], "、") + fmt.Sprintf(" 等 %d 个", len(others))
		}
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: 不是 .xlsx、.xls 或 .csv 表格文件，没有读取（Word 文档、PDF、照片等不是记录表，不用处理；如果其中有表格、只是扩展名改错了，请改回 .xlsx 等原来的扩展名）", list))
	}
	if len(paths) == 0 {
		return sum, fmt.Errorf("在 %s 中没有找到 .xlsx、.xls 或 .csv 文件", strings.Join(j.Opt.Inputs, "、"))
	}
	sum.Files = len(paths)
	// The stored roster is read while the files are read and classified: of each member only
	// what matching records needs (importer.Roster), after the members known from elsewhere.
	type stored struct {
		roster *importer.Roster
		err    error
	}
	rc := make(chan stored, 1)
	go func() {
		r := j.known
		if r == nil {
			r = importer.NewRoster(nil)
		}
		err := j.Store.EachMember(ctx, r.Grow, func(m *engine.Member) error { r.AddMember(m); return nil })
		rc <- stored{r, err}
	}()
	var roster *importer.Roster
	loadRoster := func() error {
		if roster == nil {
			r := <-rc
			if r.err != nil {
				return r.err
			}
			roster = r.roster
		}
		return nil
	}
	defer loadRoster() // the goroutine is done before Import returns

	// Read and classify every file, then import rosters first. The files read are kept for
	// the import while they hold at most keepCells cells in all; the others (a year of a large
	// unit does not fit in memory) are read again when their turn comes.
	type pending struct {
		in     Input
		at     int            // its place among the inputs
		f      *importer.File // nil: read it again
		roster bool
	}
	var files []pending
	done, kept := 0, 0
	defer sum.sortReadings()
	for at, p := range paths {
		if j.Cfg.Import.IgnoresFile(p.Name) {
			sum.IgnoredByConfig++
			sum.noteReading(at, p.Name, StatusIgnored, nil)
			if err := j.noteExcluded(ctx, p.Path, p.Name, false, nil); err != nil {
				return sum, err
			}
			done++
			j.progress(done, len(paths), p.Name)
			continue
		}
		f, err := importer.Load(p.Path, p.Name, j.Cfg)
		if err != nil {
			sum.Rejected++
			sum.Errors = append(sum.Errors, err)
			sum.noteReading(at, p.Name, StatusRejected, nil)
			if err := j.noteExcluded(ctx, p.Path, p.Name, true, nil); err != nil {
				return sum, err
			}
			done++
			j.progress(done, len(paths), p.Name)
			continue
		}
		pf := pending{in: p, at: at, f: f, roster: f.HasRoster()}
		if kept += f.Cells(); kept > keepCells {
			pf.f = nil
		}
		files = append(files, pf)
	}
	sort.SliceStable(files, func(a, b int) bool { return files[a].roster && !files[b].roster })
	if err := loadRoster(); err != nil {
		return sum, err
	}
	for _, pf := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		f := pf.f
		if f == nil {
			var err error
			if f, err = importer.Load(pf.in.Path, pf.in.Name, j.Cfg); err != nil {
				sum.Rejected++
				sum.Errors = append(sum.Errors, err)
				sum.noteReading(pf.at, pf.in.Name, StatusRejected, nil)
				if err := j.noteExcluded(ctx, pf.in.Path, pf.in.Name, true, nil); err != nil {
					return sum, err
				}
				done++
				j.progress(done, len(paths), pf.in.Name)
				continue
			}
		}
		status := j.importOne(ctx, f, roster, sum)
		if err := stopping(sum); err != nil {
			return sum, err
		}
		sum.noteReading(pf.at, f.Name, status, f)
		if status == StatusUnchanged {
			// Not read again: what its import found left out still holds.
			if err := j.unchangedProblems(ctx, f, sum); err != nil {
				return sum, err
			}
		} else {
			if err := j.noteExcluded(ctx, f.Path, f.Name, status == StatusRejected, f); err != nil {
				return sum, err
			}
		}
		done++
		j.progress(done, len(paths), f.Name)
	}
	if sum.Rejected > 0 {
		return sum, fmt.Errorf("%w：%d 个文件", ErrRejected, sum.Rejected)
	}
	if len(sum.Problems) > 0 {
		return sum, fmt.Errorf("%w：%d 个", ErrProblems, len(sum.Problems))
	}
	return sum, nil
}

// importOne imports a file read and classified, and says what became of it (Status…).
func (j *Job) importOne(ctx context.Context, f *importer.File, roster *importer.Roster, sum *Summary) string {
	defer func() { sum.Warnings = append(sum.Warnings, f.Warnings...) }() // reading's and parsing's
	if f.Empty() {
		sum.Ignored++ // no sheet of records: skipped, with a warning or a problem
		if len(f.Problems()) > 0 {
			return StatusUnread
		}
		return StatusNoRecords
	}
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		abs = f.Path
	}
	if _, same, err := j.Store.FileByHash(ctx, f.Hash); err != nil {
		sum.Rejected++
		sum.Errors = append(sum.Errors, fmt.Errorf("%s: %v", f.Name, err))
		return StatusRejected
	} else if same {
		sum.Unchanged++
		// Its members are already in the roster loaded from the store.
		return StatusUnchanged
	}
	// The file's records are loaded as they are read (a sheet of millions of rows is never
	// held whole); its problems roll the whole file back.
	stream := func(f *importer.File) (store.ImportResult, error) {
		return j.Store.ImportStream(ctx, abs, f.Name, f.Hash, func(emit func(*engine.Batch) error) error {
			if j.Opt.OnRecords == nil {
				return f.Stream(j.Cfg, roster, emit)
			}
			n := 0
			return f.Stream(j.Cfg, roster, func(b *engine.Batch) error {
				n += b.Rows()
				j.Opt.OnRecords(f.Name, n)
				return emit(b)
			})
		})
	}
	res, err := stream(f)
	if errors.Is(err, importer.ErrMergesLate) {
		// A large sheet with merged cells that matter, found at its end: read it again,
		// merged ranges first (nothing of the first reading was kept).
		again, lerr := importer.LoadMerged(f.Path, f.Name, j.Cfg)
		if lerr != nil {
			err = lerr
		} else {
			*f = *again
			res, err = stream(f)
		}
	}
	if err != nil {
		sum.Rejected++
		sum.Errors = append(sum.Errors, err)
		return StatusRejected
	}
	sum.Imported++
	sum.Rows += res.Rows
	sum.Removed += res.Replaced
	if res.Replaced > 0 || res.Changes != (store.Changes{}) {
		c := res.Changes
		sum.Replacements = append(sum.Replacements, fmt.Sprintf("%s：替换为新版本，新增 %d 条、删除 %d 条、修改 %d 条记录", f.Name, c.Added, c.Removed, c.Changed))
		sum.Changes.Added += c.Added
		sum.Changes.Removed += c.Removed
		sum.Changes.Changed += c.Changed
	}
	if j.checking {
		return StatusChecked
	}
	return StatusImported
}

func (j *Job) progress(done, total int, name string) {
	if j.Opt.OnFile != nil {
		j.Opt.OnFile(done, total, name)
	}
}

// Year is the scoring year: Options.Year, else config's year, else inferred from the data.
// A year given that no form may hold (engine.YearProblem: before 1921, more than a year ahead)
// is an error; one inferred is always one of those.
func (j *Job) Year(ctx context.Context) (int, error) {
	for _, y := range []struct {
		v     int
		where string
	}{{j.Opt.Year, "--year"}, {j.Cfg.Year, "config.yaml 的 year"}} {
		if y.v == 0 {
			continue
		}
		if msg := engine.YearProblem(y.v); msg != "" {
			return 0, fmt.Errorf("%s 给出的%s，不能计分", y.where, msg)
		}
		return y.v, nil
	}
	return scoring.InferYear(ctx, j.Store)
}

// Score computes the year's points, stars, grades and indicators.
func (j *Job) Score(ctx context.Context, sum *Summary) error {
	year, err := j.Year(ctx)
	if err != nil {
		return err
	}
	years, err := j.Store.Years(ctx)
	if err != nil {
		return err
	}
	found := false
	var list []string
	for _, y := range years {
		found = found || y == year
		list = append(list, strconv.Itoa(y))
	}
	if !found {
		if len(list) == 0 {
			return fmt.Errorf("数据库中还没有任何签到、测试、承诺或台账记录：请先导入数据")
		}
		return fmt.Errorf("%d 年没有任何签到、测试、承诺或台账记录（数据库中有记录的年份：%s）", year, strings.Join(list, "、"))
	}
	res, err := scoring.Score(ctx, j.Store, j.Cfg, year)
	if err != nil {
		return err
	}
	if res.Members == 0 {
		return fmt.Errorf("%d 年没有可计分的党员：请先导入党员名册", year)
	}
	sum.Year, sum.Scored = year, res.Members
	sum.Problems = append(sum.Problems, res.Excluded...)
	probs, rest := ruleProblems(j.Cfg, res.Warnings, res.Unmatched, sum.Readings)
	sum.Problems = append(sum.Problems, probs...)
	sum.Warnings = append(sum.Warnings, rest...)
	return nil
}

// Export writes members.csv, indicators.csv, periods.csv (a scheme scored by quarter or month)
// and 附件.xlsx for the scored year (Options.Year, else the latest scored) into OutDir, each
// table of members streamed from the store (ExportResults).
func (j *Job) Export(ctx context.Context, sum *Summary) error {
	year := sum.Year
	if year == 0 {
		year = j.Opt.Year
	}
	if year == 0 {
		y, err := j.Store.ScoredYear(ctx)
		if err != nil {
			return err
		}
		year = y
	}
	restore, err := j.Store.LimitMemory(ctx, store.ExportMemory)
	if err != nil {
		return err
	}
	defer restore()
	r, err := ExportResults(ctx, j.Store, year, j.Cfg.Period, j.Opt.Unmask)
	if err != nil {
		return err
	}
	r.Unit, r.Date = j.Cfg.Unit, j.today()
	r.PublicityDays, r.PublicityContact = j.Cfg.Publicity.WorkingDays, j.Cfg.Publicity.Contact
	j.warnStale(ctx, year, sum)
	paths, err := export.Write(j.Opt.OutDir, r)
	sum.Outputs = append(sum.Outputs, paths...)
	if err != nil {
		return err
	}
	sum.Year = year
	return nil
}

// ExportResults gives export what it writes of a year scored in st: the tables of branches read
// whole (indicators, 三会一课, tests, ranking), the ledger's categories and size, and the tables
// of members (members, pledges, period totals, ledger lines or sums) as the store's queries,
// run each time export writes a file from them, their rows handed on as they are read.
// periodKind is the scheme's (year, quarter or month); unmask shows 身份证号 and 手机号 in full.
// A year not scored is an error saying to score it.
func ExportResults(ctx context.Context, st *store.Store, year int, periodKind string, unmask bool) (export.Results, error) {
	r := export.Results{Year: year, PeriodKind: periodKind, Unmask: unmask,
		Members: func(put func(engine.MemberResult) error) error { return st.EachScore(ctx, year, put) },
		Pledges: func(put func(engine.PledgeRow) error) error { return st.EachPledge(ctx, year, put) },
		Periods: func(n int, put func(engine.PeriodTotals) error) error { return st.EachPeriodTotals(ctx, year, n, put) },
		Ledger:  func(put func(engine.LedgerLine) error) error { return st.EachMovement(ctx, year, put) },
		LedgerSums: func(cats []string, put func(engine.LedgerSum) error) error {
			return st.EachLedgerSum(ctx, year, cats, put)
		},
	}
	n, err := st.ScoredMembers(ctx, year)
	if err != nil {
		return r, err
	}
	if n == 0 {
		return r, fmt.Errorf("数据库中没有 %d 年的计分结果：请先运行 jifen score --year %d", year, year)
	}
	if r.Excluded, err = ExcludedNote(ctx, st, year); err != nil {
		return r, err
	}
	if r.Personal, err = st.HasPersonalData(ctx, year); err != nil {
		return r, err
	}
	if r.Indicators, err = st.Indicators(ctx, year); err != nil {
		return r, err
	}
	if r.LedgerCategories, r.Movements, err = st.LedgerCategories(ctx, year); err != nil {
		return r, err
	}
	db := st.DB
	if r.Compliance, err = scoring.ComplianceOf(ctx, db, year); err != nil {
		return r, err
	}
	if r.Tests, err = scoring.TestStats(ctx, db, year); err != nil {
		return r, err
	}
	r.Ranking, r.Weights, err = scoring.RankingOf(ctx, db, year)
	return r, err
}

// notOnRoll says why a member of the roster (by 党员编号 or name) has no result of the year: their
// days on the roll (入党时间 or 转入时间 to 转出时间) do not meet it. nil when who is no member
// of the roster.
func notOnRoll(ctx context.Context, st *store.Store, year int, who string) error {
	members, err := st.Members(ctx)
	if err != nil {
		return err
	}
	key := strings.Join(strings.Fields(strings.ReplaceAll(who, "　", " ")), "")
	day := func(t time.Time) string {
		if t.IsZero() {
			return "无"
		}
		return t.Format("2006-01-02")
	}
	for _, m := range members {
		if m.ID == who || m.Name == key {
			return fmt.Errorf("%s %s（%s）在党员名册中，但 %d 年不在册（入党时间 %s，转入时间 %s，转出时间 %s），所以没有 %d 年的计分结果",
				privacy.Mask(m.ID), m.Name, m.Branch, year, day(m.JoinDate), day(m.TransferIn), day(m.TransferOut), year)
		}
	}
	return nil
}

// Explain finds a scored member by 党员编号 or name and returns the year, the member's result
// and point ledger. A name shared by several members is an error listing their 党员编号.
func (j *Job) Explain(ctx context.Context, who string) (int, engine.MemberResult, []engine.Movement, error) {
	var m engine.MemberResult
	year := j.Opt.Year
	if year == 0 {
		y, err := j.Store.ScoredYear(ctx)
		if err != nil {
			return 0, m, nil, err
		}
		year = y
	}
	found, err := j.Store.FindMembers(ctx, year, who)
	if err != nil {
		return year, m, nil, err
	}
	if len(found) == 0 {
		// 支部/姓名 or 支部 姓名 (a unit without 党员编号): the name within the branch, the
		// branch as written or its short form (第二党支部 for 机关第二党支部).
		if i := strings.LastIndexAny(who, "/ 　"); i > 0 {
			branch, name := importer.NormalizeName(who[:i]), strings.TrimSpace(who[i:])
			name = strings.TrimLeft(name, "/ 　")
			byName, err := j.Store.FindMembers(ctx, year, name)
			if err != nil {
				return year, m, nil, err
			}
			for _, f := range byName {
				if b := importer.NormalizeName(f.Branch); branch != "" && strings.HasSuffix(b, branch) {
					found = append(found, f)
				}
			}
		}
	}
	switch len(found) {
	case 0:
		all, err := j.Store.Scores(ctx, year)
		if err != nil {
			return year, m, nil, err
		}
		names := map[string]string{}
		shown := map[string]string{} // how a near name or 党员编号 is suggested
		for _, x := range all {
			names[x.Name] = x.ID
			names[x.ID] = x.ID
			shown[x.Name] = x.Name
			// A 党员编号 that is a 身份证号 or 手机号 is suggested masked, with the name and
			// branch by which the member can be asked for (explain takes the masked form too).
			if id := privacy.Mask(x.ID); id != x.ID {
				shown[x.ID] = id + "（" + x.Branch + "/" + x.Name + "）"
			} else {
				shown[x.ID] = x.ID
			}
		}
		if err := notOnRoll(ctx, j.Store, year, who); err != nil {
			return year, m, nil, err
		}
		hint := ""
		if near := report.Nearest(who, names, 3); len(near) > 0 && len([]rune(who)) > 0 {
			for i, n := range near {
				near[i] = shown[n]
			}
			hint = "（相近的有：" + strings.Join(near, "、") + "）"
		}
		return year, m, nil, fmt.Errorf("%d 年的计分结果中没有党员编号或姓名为 “%s” 的党员%s", year, privacy.MaskText(who), hint)
	case 1:
		m = found[0]
	default:
		var ids []string
		for _, f := range found {
			ids = append(ids, privacy.Mask(f.ID)+"（"+f.Branch+"）")
		}
		what, or := "姓名", "或用党员编号（members.csv 的第一列）"
		if found[0].Name != strings.Join(strings.Fields(strings.ReplaceAll(who, "　", " ")), "") {
			what, or = "打码的党员编号", "" // two 身份证号 alike in their first 6 and last 4
		}
		return year, m, nil, fmt.Errorf("%s “%s” 有 %d 人：%s，请写明支部（如 jifen explain \"%s/%s\"）%s", what, privacy.MaskText(who), len(found), strings.Join(ids, "、"), found[0].Branch, found[0].Name, or)
	}
	if stale, err := scoring.Stale(ctx, j.Store.DB, year); err == nil && stale {
		j.logf("注意：%s", staleWarning)
	}
	ledger, err := j.Store.Ledger(ctx, year, m.ID)
	return year, m, ledger, err
}

// ReportValues gives the values of the report's placeholders for a year: {{年度}}, {{党支部数}};
// every indicator of the unit (合计) for the year as {{指标}}, of a branch as {{支部.指标}}, of a
// period as {{第1季度.指标}} or {{3月.指标}}, and of a branch in a period as
// {{支部.第1季度.指标}}. Undefined figures (a rate over nothing) read —. Also the words around
// them (moreReportValues: {{测试名称}}, {{集中学习覆盖情况}}, {{填报日期}}, {{填报单位}}) and the
// branches in roster order.
func (j *Job) ReportValues(ctx context.Context, year int) (map[string]string, []string, error) {
	per, err := scoring.PeriodIndicators(ctx, j.Store.DB, year)
	if err != nil {
		return nil, nil, err
	}
	values := map[string]string{"年度": strconv.Itoa(year)}
	raw := map[string]*float64{} // the values by the same keys, unformatted
	var branches []string
	seen := map[string]bool{}
	for _, p := range per {
		v := export.FormatIndicator(p.Indicator)
		if v == "" {
			v = "—"
		}
		key := p.Branch + "." + p.Period + "." + p.Name
		switch {
		case p.Branch == engine.UnitTotal && p.Period == "全年":
			key = p.Name
		case p.Branch == engine.UnitTotal:
			key = p.Period + "." + p.Name
		case p.Period == "全年":
			key = p.Branch + "." + p.Name
			if !seen[p.Branch] {
				seen[p.Branch] = true
				branches = append(branches, p.Branch)
			}
		}
		values[key], raw[key] = v, p.Value
	}
	if len(per) == 0 {
		return nil, nil, fmt.Errorf("数据库中没有 %d 年的指标：请先运行 jifen run 或 jifen score", year)
	}
	values["党支部数"] = strconv.Itoa(len(branches))
	if err := j.moreReportValues(ctx, year, values, raw); err != nil {
		return nil, nil, err
	}
	return values, branches, nil
}

// Report fills the template at templatePath with the year's figures and writes it to outPath;
// templatePath "" is the built-in 公文 .docx template (datasets).
// A .docx template is filled as a Word document (report.FillDocx) and written as .docx; any
// other is text (Markdown, report.Fill). outPath must be of the template's kind.
func (j *Job) Report(ctx context.Context, templatePath, outPath string) error {
	docx, err := reportKind(templatePath, outPath)
	if err != nil {
		return err
	}
	year := j.Opt.Year
	if year == 0 {
		y, err := j.Store.ScoredYear(ctx)
		if err != nil {
			return err
		}
		year = y
	}
	text, err := readTemplate(templatePath)
	if err != nil {
		return err
	}
	values, branches, err := j.ReportValues(ctx, year)
	if err != nil {
		return err
	}
	// What the figures leave out comes first: the reader must see it before any number.
	note, err := ExcludedNote(ctx, j.Store, year)
	if err != nil {
		return err
	}
	var out []byte
	if docx {
		if out, err = report.FillDocx(templateName(templatePath), text, values, branches, note); err != nil {
			return err
		}
	} else {
		filled, err := report.Fill(templateName(templatePath), string(text), values, branches)
		if err != nil {
			return err
		}
		if note != "" {
			filled = "> " + note + "\n\n" + filled
		}
		out = []byte(filled)
	}
	if dir := filepath.Dir(outPath); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("无法创建目录 %s：%v", dir, err)
		}
	}
	return export.WriteFile(outPath, out)
}

// today is the date printed as 填报日期: Options.Today, else the date of the run.
func (j *Job) today() time.Time {
	if !j.Opt.Today.IsZero() {
		return j.Opt.Today
	}
	return time.Now()
}

// staleWarning is said when the data changed after the year was scored.
const staleWarning = "数据在上次计分之后有变动（导入、替换或移除了文件），结果可能不是最新的：请先运行 jifen score 或 jifen run"

// warnStale adds staleWarning to the summary (and the log) when the year's results are older
// than the data.
func (j *Job) warnStale(ctx context.Context, year int, sum *Summary) {
	if stale, err := scoring.Stale(ctx, j.Store.DB, year); err == nil && stale {
		sum.Warnings = append(sum.Warnings, staleWarning)
	}
}
