// Package bench measures how fast jifen imports a large sign-in sheet against the time it
// takes just to decompress it (issue 6: an import of a 1,000,000-row sheet within 3 times
// `unzip -p` of the same sheet and shared strings, peak memory under 300 MB). It writes the
// sheet and its roster with bigxlsx, then times, in the same run:
//
//   - unzip -p of the worksheet and shared strings to /dev/null (Go's archive/zip when the
//     machine has no unzip): the baseline;
//   - Go's inflate alone (klauspost/compress, what jifen's reader uses): decompression;
//   - jifen's streaming reader over every row (decompression and XML parsing, nothing else);
//   - `jifen import` of the sheet in a child process, into a database that already holds the
//     roster: reading, checking every cell, loading into DuckDB and committing; its peak
//     memory is the child's maximum resident set size as the OS counts it.
//
// Each time is the median of Runs runs. Parsing is the reader's time less decompression, and
// loading the import's time less the reader's; in the import they overlap (the file is read
// in one goroutine while DuckDB loads the rows read so far in another), so the split says what
// each stage costs alone, and the import takes less than their sum.
package bench

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/klauspost/compress/flate"

	"github.com/jifen/jifen/datasets/big/bigxlsx"
	"github.com/jifen/jifen/engine/sheet"
)

// Options say what to measure. Zero means the default; a negative number, or more rows than a
// sheet holds, is an error.
type Options struct {
	Rows    int    // data rows of the sign-in sheet (default 1,000,000; at most 1,048,574)
	Members int    // members of the roster (default 20,000)
	Runs    int    // runs of each measurement; the median is reported (default 3)
	Dir     string // where the files are written and kept; "" means a temporary folder, removed after
	// Inline writes the sheet's strings inline (t="inlineStr", as excelize's StreamWriter and
	// many export tools do) instead of in the shared-string table.
	Inline bool
	// Jifen is the jifen executable the import runs in (a child process, so that its peak
	// memory is its own).
	Jifen string
	// Log, when set, is told what is being done.
	Log io.Writer
}

// Result is what was measured. Times are medians; sizes are bytes.
type Result struct {
	Rows, Members int
	Inline        bool   // the sheet's strings are inline
	FileBytes     int64  // the .xlsx file
	XMLBytes      int64  // its worksheet and shared strings, uncompressed
	UnzipTool     string // "unzip -p" or, without unzip, "Go archive/zip"
	Unzip         time.Duration
	Inflate       time.Duration // Go's inflate of the same parts
	Read          time.Duration // jifen's streaming reader over every row
	Import        time.Duration // jifen import, the whole child process
	PeakRSS       int64         // the import's maximum resident set size, bytes
	Generate      time.Duration // writing the test files (not part of any ratio)
}

// Check says, in Chinese, what is wrong with options given in full (no zero taken as the default).
func (o Options) Check() error {
	switch {
	case o.Rows < 1 || o.Rows > 1048574:
		return fmt.Errorf("签到表的行数 %d 无效：应在 1 到 1048574 之间（Excel 一个工作表最多 1048576 行，含标题和表头）", o.Rows)
	case o.Members < 1:
		return fmt.Errorf("党员人数 %d 无效：至少 1 人", o.Members)
	case o.Runs < 1:
		return fmt.Errorf("测量次数 %d 无效：至少 1 次", o.Runs)
	}
	return nil
}

// Ratio is the import's time over the baseline's (unzip -p): issue 6 asks for at most 3.
func (r Result) Ratio() float64 { return r.Import.Seconds() / r.Unzip.Seconds() }

// RowsPerSecond is the import's speed in sheet rows a second.
func (r Result) RowsPerSecond() float64 { return float64(r.Rows) / r.Import.Seconds() }

// Run writes the files and measures. Errors are Chinese: a generator, unzip or import that
// failed, with its output.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Rows == 0 {
		o.Rows = 1000000
	}
	if o.Members == 0 {
		o.Members = 20000
	}
	if o.Runs == 0 {
		o.Runs = 3
	}
	if err := o.Check(); err != nil {
		return Result{}, err
	}
	res := Result{Rows: o.Rows, Members: o.Members, Inline: o.Inline}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "jifen-bench-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", args...)
		}
	}

	att, roster := filepath.Join(dir, "考勤.xlsx"), filepath.Join(dir, "党员名册.xlsx")
	logf("生成测试表格：%d 行签到、%d 名党员……", o.Rows, o.Members)
	start := time.Now()
	g := bigxlsx.Options{Rows: o.Rows, Members: o.Members, Inline: o.Inline}
	if err := bigxlsx.WriteAttendance(att, g); err != nil {
		return res, fmt.Errorf("生成 %s 失败：%w", att, err)
	}
	if err := bigxlsx.WriteRoster(roster, g); err != nil {
		return res, fmt.Errorf("生成 %s 失败：%w", roster, err)
	}
	res.Generate = time.Since(start)
	if info, err := os.Stat(att); err == nil {
		res.FileBytes = info.Size()
	}
	parts, size, err := sheetParts(att)
	if err != nil {
		return res, err
	}
	res.XMLBytes = size

	logf("计时：解压（基准）、仅解压、仅读取……")
	res.UnzipTool = "unzip -p"
	if _, err := exec.LookPath("unzip"); err != nil {
		res.UnzipTool = "Go archive/zip"
	}
	if res.Unzip, err = median(o.Runs, func() error { return unzip(ctx, att, parts, res.UnzipTool) }); err != nil {
		return res, err
	}
	if res.Inflate, err = median(o.Runs, func() error { return inflate(att, parts) }); err != nil {
		return res, err
	}
	if res.Read, err = median(o.Runs, func() error { return read(att) }); err != nil {
		return res, err
	}

	logf("计时：jifen import（%d 次）……", o.Runs)
	base := filepath.Join(dir, "名册.duckdb")
	os.Remove(base)
	if _, _, err := runJifen(ctx, o.Jifen, "import", "--db", base, roster); err != nil {
		return res, err
	}
	db := filepath.Join(dir, "bench.duckdb")
	res.Import, err = median(o.Runs, func() error {
		if err := copyFile(base, db); err != nil {
			return err
		}
		os.Remove(db + ".wal")
		_, rss, err := runJifen(ctx, o.Jifen, "import", "--db", db, att)
		res.PeakRSS = max(res.PeakRSS, rss)
		return err
	})
	return res, err
}

// Print writes the result as a Chinese report, with the targets of issue 6.
func (r Result) Print(w io.Writer) {
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	s := func(d time.Duration) string { return fmt.Sprintf("%.2f 秒", d.Seconds()) }
	x := func(d time.Duration) string { return fmt.Sprintf("%.2f 倍", d.Seconds()/r.Unzip.Seconds()) }
	kind, parts := "", "工作表和共享字符串"
	if r.Inline {
		kind, parts = "，文字为内联字符串", "工作表"
	}
	fmt.Fprintf(w, "测试表格：%d 行签到，%d 名党员%s；文件 %s，%s解压后 %s（生成用时 %s）\n",
		r.Rows, r.Members, kind, mb(r.FileBytes), parts, mb(r.XMLBytes), s(r.Generate))
	fmt.Fprintf(w, "各项为中位数，倍数相对于基准（%s）：\n", r.UnzipTool)
	fmt.Fprintf(w, "  基准：%s %s      %s\n", r.UnzipTool, parts, s(r.Unzip))
	fmt.Fprintf(w, "  仅解压（Go 的 inflate）               %s  %s\n", s(r.Inflate), x(r.Inflate))
	fmt.Fprintf(w, "  仅读取（解压 + 解析每一行）           %s  %s\n", s(r.Read), x(r.Read))
	fmt.Fprintf(w, "  jifen import（读取、校验、写入、提交）%s  %s，峰值内存 %s\n", s(r.Import), x(r.Import), mb(r.PeakRSS))
	fmt.Fprintf(w, "导入用时的估算分项（由上面各项相减）：解压 %s，解析 %s（读取 − 解压），其余 %s（导入 − 读取：校验、写入数据库、提交，以及进程启动、打开数据库、读名册）；"+
		"导入时读表和写库在两个线程中同时进行，所以“其余”不是写库单独的用时\n",
		s(r.Inflate), s(max(r.Read-r.Inflate, 0)), s(max(r.Import-r.Read, 0)))
	verdict := func(ok bool) string {
		if ok {
			return "达到"
		}
		return "未达到"
	}
	goal := "目标 ≤ 3 倍：" + verdict(r.Ratio() <= 3)
	if r.Rows < 1000000 { // issue 6's target is for a 1,000,000-row sheet
		goal = "目标 ≤ 3 倍是对 100 万行说的：行数少时，启动、打开数据库、读名册等固定开销占大头"
	}
	fmt.Fprintf(w, "导入速度 %.0f 行/秒；导入 / 基准（%s）= %.2f 倍（%s）；峰值内存 %s（目标 < 300 MB：%s）\n",
		r.RowsPerSecond(), r.UnzipTool, r.Ratio(), goal, mb(r.PeakRSS), verdict(r.PeakRSS < 300<<20))
}

// sheetParts finds the worksheet and shared-strings parts of a workbook and their size.
func sheetParts(path string) ([]string, int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, 0, err
	}
	defer zr.Close()
	var parts []string
	var size int64
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") || f.Name == "xl/sharedStrings.xml" {
			parts = append(parts, f.Name)
			size += int64(f.UncompressedSize64)
		}
	}
	if len(parts) == 0 {
		return nil, 0, fmt.Errorf("%s: 没有工作表", path)
	}
	return parts, size, nil
}

// unzip decompresses the parts to nothing with unzip -p, or Go's archive/zip.
func unzip(ctx context.Context, path string, parts []string, tool string) error {
	if tool == "unzip -p" {
		cmd := exec.CommandContext(ctx, "unzip", append([]string{"-p", path}, parts...)...)
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("unzip -p 失败：%v %s", err, stderr.String())
		}
		return nil
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if slices.Contains(parts, f.Name) {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// inflate decompresses the parts with klauspost's inflate, as jifen's reader does.
func inflate(path string, parts []string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !slices.Contains(parts, f.Name) {
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		var r io.Reader = raw
		if f.Method == zip.Deflate {
			fr := flate.NewReader(raw)
			defer fr.Close()
			r = fr
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
	}
	return nil
}

// read streams every row of every sheet through jifen's reader, doing nothing with them.
func read(path string) error {
	wb, err := sheet.OpenXLSX(path)
	if err != nil {
		return err
	}
	defer wb.Close()
	n := 0
	for _, s := range wb.Sheets() {
		if err := wb.Rows(s.Name, func(int, []string) error { n++; return nil }); err != nil {
			return err
		}
	}
	if n == 0 {
		return errors.New(path + ": 没有读到任何行")
	}
	return nil
}

// runJifen runs the jifen executable with args and returns its output and peak memory: as the
// child reports it (PeakEnv), else its ru_maxrss.
func runJifen(ctx context.Context, jifen string, args ...string) (string, int64, error) {
	peak, err := os.CreateTemp("", "jifen-peak-*")
	if err != nil {
		return "", 0, err
	}
	peak.Close()
	defer os.Remove(peak.Name())
	cmd := exec.CommandContext(ctx, jifen, args...)
	cmd.Env = append(os.Environ(), PeakEnv+"="+peak.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), 0, fmt.Errorf("jifen %s 失败：%v\n%s", strings.Join(args, " "), err, out)
	}
	if b, err := os.ReadFile(peak.Name()); err == nil {
		if kb, err := strconv.ParseInt(string(b), 10, 64); err == nil && kb > 0 {
			return string(out), kb * 1024, nil
		}
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return string(out), rss, nil
}

// median runs f n times and returns the median time.
func median(n int, f func() error) (time.Duration, error) {
	var ts []time.Duration
	for range n {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ts = append(ts, time.Since(start))
	}
	slices.Sort(ts)
	return ts[len(ts)/2], nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
