package sheet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/pbnjay/grate/commonxl"
	"github.com/pbnjay/grate/xls"
	"github.com/richardlehane/mscfb"
)

// Legacy .xls workbooks are parsed with github.com/pbnjay/grate, which is not safe on damaged
// files: it can panic, loop forever, or ask for hundreds of gigabytes. So the parse runs in a
// child process: Read re-executes the running binary (os.Executable) with childEnv set; the
// program's main (and the TestMain of every test package that reads .xls) calls ServeChild
// first, which parses the file and writes the tables to stdout as JSON. The parent bounds the
// input size, the time, and the output size, and turns any failure into a Chinese message.

const (
	childEnv     = "JIFEN_XLS_CHILD"      // set to "1" in the child
	childFileEnv = "JIFEN_XLS_FILE"       // the file the child parses
	childTestEnv = "JIFEN_XLS_CHILD_TEST" // tests only: make the child misbehave (see childTest)

	childHello = "jifen-xls-child 1\n" // the child writes this first, before parsing
	childDone  = "\njifen-xls-done\n"  // and this last, after the JSON
)

// Limits of the .xls child process (variables so tests can shrink them).
var (
	xlsMaxInput   int64 = 200 << 20        // refuse bigger .xls files
	xlsMaxOutput  int64 = 256 << 20        // bytes of JSON the parent accepts
	xlsTimeout          = 30 * time.Second // wall time of one parse
	xlsMemLimit   int64 = 2 << 30          // the child's Go soft memory limit
	xlsAddrBudget int64 = 4 << 30          // address space the child may add (Linux RLIMIT_AS)
)

// childResult is the child's answer. Kind is "" on success, else kindDamaged or kindEncrypted.
type childResult struct {
	Tables  []Table
	Skipped []Skipped
	Kind    string
	Detail  string
}

const (
	kindDamaged   = "damaged"   // grate failed, or the stream is not BIFF8
	kindEncrypted = "encrypted" // FILEPASS: an .xls with an opening password
)

// xlsError is a Chinese message for the user with the technical cause underneath (Unwrap), for
// tests and debugging.
type xlsError struct {
	msg   error
	cause error
}

func (e *xlsError) Error() string { return e.msg.Error() }
func (e *xlsError) Unwrap() error { return e.cause }

// readXLS parses an .xls in a child process.
func readXLS(path, name string, size int64) ([]Table, []Skipped, error) {
	if size > xlsMaxInput {
		return nil, nil, fmt.Errorf("%s: .xls 文件太大（%d MB，最多 %d MB）：请用 Excel/WPS 打开后另存为 .xlsx",
			name, size>>20, xlsMaxInput>>20)
	}
	damaged := func(cause error) error { return &xlsError{msg: errDamagedXLS(name), cause: cause} }
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: 无法读取 .xls：找不到程序自身（%v）", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), xlsTimeout)
	defer cancel()
	// -test.run=^$ keeps a test binary whose TestMain lacks ServeChild from running its tests
	// again; any other program ignores the argument because ServeChild exits first.
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", childFileEnv+"="+path)
	cmd.WaitDelay = 5 * time.Second
	var stderr headBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, damaged(err)
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("%s: 无法读取 .xls：无法启动子进程（%v）", name, err)
	}
	out, readErr := io.ReadAll(io.LimitReader(stdout, xlsMaxOutput+1))
	if int64(len(out)) > xlsMaxOutput {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case waitErr != nil && ctx.Err() != nil:
		return nil, nil, damaged(fmt.Errorf("xls child: timed out after %v: %w", xlsTimeout, ctx.Err()))
	case int64(len(out)) > xlsMaxOutput:
		return nil, nil, damaged(fmt.Errorf("xls child: output over %d bytes", xlsMaxOutput))
	case !bytes.HasPrefix(out, []byte(childHello)):
		// The child never started: the binary does not call ServeChild first.
		return nil, nil, &xlsError{
			msg: fmt.Errorf("%s: 无法读取 .xls：内部错误，子进程没有响应（程序的 main 或测试的 TestMain 须先调用 sheet.ServeChild()）", name),
			cause: fmt.Errorf("xls child: no greeting (%v): stdout %q, stderr %q",
				waitErr, out[:min(len(out), 200)], stderr.String()),
		}
	case waitErr != nil || readErr != nil:
		return nil, nil, damaged(fmt.Errorf("xls child: %v %v: %s", waitErr, readErr, stderr.String()))
	}
	body, ok := bytes.CutSuffix(out[len(childHello):], []byte(childDone))
	if !ok {
		return nil, nil, damaged(errors.New("xls child: incomplete output"))
	}
	var res childResult
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, nil, damaged(fmt.Errorf("xls child: bad output: %w", err))
	}
	switch res.Kind {
	case "":
	case kindEncrypted:
		return nil, nil, &xlsError{msg: errEncrypted(name), cause: errors.New(res.Detail)}
	default:
		return nil, nil, damaged(errors.New(res.Detail))
	}
	for i := range res.Tables {
		res.Tables[i].File = name
	}
	return res.Tables, res.Skipped, nil
}

// headBuffer keeps the first few KB written to it (the child's stderr, for error details: a
// panic or fatal error message comes first, then the goroutine dumps).
type headBuffer struct{ b []byte }

func (h *headBuffer) Write(p []byte) (int, error) {
	const max = 4 << 10
	if n := max - len(h.b); n > 0 {
		h.b = append(h.b, p[:min(n, len(p))]...)
	}
	return len(p), nil
}

func (h *headBuffer) String() string { return strings.TrimSpace(string(h.b)) }

// ServeChild must be the first call in main (and in TestMain of test packages that read .xls
// files, directly or through other packages). It returns at once unless this process is an .xls
// child started by Read; then it parses the file, writes the result to stdout, and exits.
func ServeChild() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	os.Exit(serveChild(os.Getenv(childFileEnv), os.Stdout))
}

func serveChild(path string, stdout io.Writer) int {
	limitMemory()
	w := bufio.NewWriter(stdout)
	w.WriteString(childHello)
	w.Flush()
	childTest(os.Getenv(childTestEnv))
	res := parseXLS(path)
	if err := json.NewEncoder(w).Encode(res); err != nil {
		return 1
	}
	w.WriteString(childDone)
	if w.Flush() != nil {
		return 1
	}
	return 0
}

// limitMemory makes a runaway allocation in the child fail fast instead of swapping: a soft
// limit for the garbage collector, and on Linux a hard cap on the address space.
func limitMemory() {
	debug.SetMemoryLimit(xlsMemLimit)
	limitAddressSpace(xlsAddrBudget)
}

// childTest makes the child misbehave on purpose, for the parent's tests.
func childTest(mode string) {
	switch mode {
	case "panic":
		panic("xls child test: panic")
	case "sleep":
		time.Sleep(time.Hour)
	case "alloc": // more than the address-space budget, less than the machine would grant
		b := make([]byte, xlsAddrBudget+(2<<30))
		b[len(b)-1] = 1
		fmt.Fprintln(io.Discard, b[len(b)-1])
	case "flood":
		junk := bytes.Repeat([]byte("x"), 1<<20)
		for {
			if _, err := os.Stdout.Write(junk); err != nil {
				os.Exit(1)
			}
		}
	case "exit":
		os.Exit(3)
	}
}

// parseXLS reads a BIFF8 workbook with grate, corrected by the record scan of biff.go.
func parseXLS(path string) (res childResult) {
	defer func() {
		if r := recover(); r != nil {
			res = childResult{Kind: kindDamaged, Detail: fmt.Sprintf("panic: %v\n%s", r, debug.Stack())}
		}
	}()
	fail := func(err error) childResult { return childResult{Kind: kindDamaged, Detail: err.Error()} }
	stream, err := workbookStream(path)
	if err != nil {
		return fail(err)
	}
	book, err := scanGlobals(stream)
	if errors.Is(err, errFilePass) {
		return childResult{Kind: kindEncrypted, Detail: err.Error()}
	}
	if err != nil {
		return fail(err)
	}
	src, err := xls.Open(path)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	wb, ok := src.(*xls.WorkBook)
	if !ok {
		return fail(fmt.Errorf("grate: unexpected source %T", src))
	}
	if err := rawValues(wb); err != nil {
		return fail(err)
	}
	for _, bs := range book.sheets {
		if bs.hidden {
			res.Skipped = append(res.Skipped, Skipped{Sheet: bs.name, Reason: "隐藏的工作表，已跳过"})
			continue
		}
		if bs.typ != 0 {
			res.Skipped = append(res.Skipped, Skipped{Sheet: bs.name, Reason: "不是工作表（图表或宏表），已跳过"})
			continue
		}
		coll, err := src.Get(bs.name)
		if err != nil {
			return fail(fmt.Errorf("sheet %q: %w", bs.name, err))
		}
		sh, _ := coll.(*commonxl.Sheet)
		if sh == nil { // a dialog sheet
			res.Skipped = append(res.Skipped, Skipped{Sheet: bs.name, Reason: "不是工作表（对话框），已跳过"})
			continue
		}
		cells := scanSheet(stream, bs.pos)
		t := Table{Sheet: bs.name, Date1904: book.date1904, Rows: sheetRows(sh, cells), Merges: cells.merges}
		t.fill()
		res.Tables = append(res.Tables, t)
	}
	return res
}

// workbookStream returns the bytes of the "Workbook" stream.
func workbookStream(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	doc, err := mscfb.New(f)
	if err != nil {
		return nil, err
	}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if len(e.Path) == 0 && strings.EqualFold(e.Name, "Workbook") {
			if e.Size > info.Size() {
				return nil, fmt.Errorf("cfb: Workbook stream of %d bytes in a file of %d", e.Size, info.Size())
			}
			return io.ReadAll(io.LimitReader(e, e.Size))
		}
	}
	return nil, errors.New("cfb: no Workbook stream")
}

// rawValues makes grate keep every cell's value as stored. grate converts a value to the type
// its number format suggests, losing data: text in a cell formatted "0.0" (缺考) becomes 0, a
// number in a cell formatted "0" loses its decimals, "90" formatted as a number becomes 90.0,
// dates become time.Time. It does so only for cells whose XF (cell style) maps to a known
// format; setting every XF's format to 0 (General) turns that off. The XF table is unexported
// (WorkBook.xfs), so this reaches it by reflection; it also blanks grate's hyperlink records,
// which would otherwise append " <url>" to a cell's text. This depends on the exact grate
// version in go.mod: if its fields change, it fails rather than read wrong values.
func rawValues(wb *xls.WorkBook) error {
	v := reflect.ValueOf(wb).Elem()
	field := func(name string) (reflect.Value, error) {
		f := v.FieldByName(name)
		if !f.IsValid() {
			return reflect.Value{}, fmt.Errorf("grate: WorkBook has no field %s (grate changed?)", name)
		}
		return reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem(), nil
	}
	xfs, err := field("xfs")
	if err != nil {
		return err
	}
	if xfs.Type() != reflect.TypeOf([]uint16(nil)) {
		return fmt.Errorf("grate: WorkBook.xfs is %v (grate changed?)", xfs.Type())
	}
	for i := range xfs.Len() {
		xfs.Index(i).SetUint(0)
	}
	subs, err := field("substreams")
	if err != nil {
		return err
	}
	if subs.Kind() != reflect.Slice || subs.Type().Elem().Kind() != reflect.Slice {
		return fmt.Errorf("grate: WorkBook.substreams is %v (grate changed?)", subs.Type())
	}
	const recHLink = 0x01B8
	for i := range subs.Len() {
		sub := subs.Index(i)
		for j := range sub.Len() {
			r := sub.Index(j)
			if r.Kind() != reflect.Pointer || r.IsNil() {
				continue
			}
			rt := r.Elem().FieldByName("RecType")
			if !rt.IsValid() || rt.Kind() != reflect.Uint16 {
				return errors.New("grate: record has no RecType (grate changed?)")
			}
			if rt.Uint() == recHLink {
				rt.SetUint(0) // an unknown record type, ignored
			}
		}
	}
	return nil
}

// sheetRows turns grate's cells into text like excelize's raw values: numbers in their shortest
// form ("85", "85.5"), dates as serial numbers, booleans "1"/"0", errors "#DIV/0!"; the RK
// numbers come from the record scan; merge markers become empty; trailing empty cells and rows
// are dropped.
func sheetRows(sh *commonxl.Sheet, scan biffCells) [][]string {
	inMerge := func(r, c int) bool {
		for _, m := range scan.merges {
			if r >= m.R0 && r <= m.R1 && c >= m.C0 && c <= m.C1 {
				return true
			}
		}
		return false
	}
	var rows [][]string
	for r, cells := range sh.Rows {
		row := make([]string, len(cells))
		for c, cell := range cells {
			if cell.Type() == commonxl.StaticCell {
				// grate marks merged cells with → ⇥ ↓ ⤓, and so also reads a cell holding just
				// one of these characters; outside a merged range it is the cell's text.
				if s, _ := cell.Value().(string); !inMerge(r, c) {
					row[c] = s
				}
				continue
			}
			row[c] = cellText(cell)
		}
		rows = append(rows, row)
	}
	for rc, s := range scan.numbers {
		r, c := rc[0], rc[1]
		for len(rows) <= r {
			rows = append(rows, nil)
		}
		for len(rows[r]) <= c {
			rows[r] = append(rows[r], "")
		}
		rows[r][c] = s
	}
	for r := range rows {
		n := len(rows[r])
		for n > 0 && rows[r][n-1] == "" {
			n--
		}
		rows[r] = rows[r][:n]
	}
	n := len(rows)
	for n > 0 && len(rows[n-1]) == 0 {
		n--
	}
	return rows[:n]
}

// excelEpoch is day 0 of Excel's 1900 date system as grate counts it (it never applies 1904).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func cellText(c commonxl.Cell) string {
	if c.Type() == commonxl.BlankCell {
		return ""
	}
	switch v := c.Value().(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return numberText(v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Time: // not produced once rawValues has run; kept as a fallback
		d := v.Sub(excelEpoch)
		day := d.Truncate(24 * time.Hour)
		ms := (d - day).Round(time.Millisecond)
		return numberText(float64(day/(24*time.Hour)) + float64(ms)/float64(24*time.Hour))
	default:
		return fmt.Sprint(v)
	}
}
