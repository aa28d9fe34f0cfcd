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
	"runtime/debug"
	"strings"
	"time"

	"github.com/richardlehane/mscfb"
)

// Legacy .xls workbooks are parsed by biff.go, in a child process, so that no damaged or hostile
// file can hurt the program (a panic, a loop, a runaway allocation; the reader used before,
// github.com/pbnjay/grate, did all three): Read re-executes the running binary (os.Executable) with childEnv set; the
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
	kindDamaged   = "damaged"   // the stream is not BIFF5/BIFF8, or malformed
	kindEncrypted = "encrypted" // FILEPASS: an .xls with an opening password other than the default
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

// parseXLS reads a BIFF8 or BIFF5 workbook with the record reader of biff.go, decrypting it
// first when it is encrypted with Excel's default password (crypt.go).
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
	book, err := scanGlobals(stream, false)
	if err != nil {
		return fail(err)
	}
	if book.filePass != nil {
		if stream, err = decryptBIFF(stream, book.filePass, book.biff5); err != nil {
			return childResult{Kind: kindEncrypted, Detail: err.Error()}
		}
		if book, err = scanGlobals(stream, true); err != nil {
			return fail(err)
		}
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
		cells, err := scanSheet(stream, book, bs.pos)
		if err != nil {
			return fail(fmt.Errorf("sheet %q: %w", bs.name, err))
		}
		if cells.dialog {
			res.Skipped = append(res.Skipped, Skipped{Sheet: bs.name, Reason: "不是工作表（对话框），已跳过"})
			continue
		}
		t := Table{Sheet: bs.name, Date1904: book.date1904, Rows: cells.rows, Merges: cells.merges}
		t.fill()
		res.Tables = append(res.Tables, t)
	}
	return res
}

// workbookStream returns the bytes of the workbook stream: "Workbook" (BIFF8; any case, as
// some writers spell it WORKBOOK or WorkBook) or "Book" (BIFF5, Excel 5.0/95).
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
	var book *mscfb.File
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if len(e.Path) != 0 {
			continue
		}
		switch {
		case strings.EqualFold(e.Name, "Workbook"):
			return streamBytes(e, info.Size())
		case strings.EqualFold(e.Name, "Book") && book == nil:
			book = e
		}
	}
	if book != nil {
		return streamBytes(book, info.Size())
	}
	return nil, errors.New("cfb: no Workbook stream")
}

func streamBytes(e *mscfb.File, fileSize int64) ([]byte, error) {
	if e.Size > fileSize {
		return nil, fmt.Errorf("cfb: %s stream of %d bytes in a file of %d", e.Name, e.Size, fileSize)
	}
	return io.ReadAll(io.LimitReader(e, e.Size))
}
