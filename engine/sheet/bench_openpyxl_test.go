package sheet

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jifen/jifen/datasets/big/bigxlsx"
)

// BenchmarkWriters reads the same 200 000-row attendance sheet (datasets/big: JIFEN_BENCH_ROWS
// sets another size) written by excelize (bigxlsx, shared strings) and by openpyxl in
// write-only mode (inline strings with every Chinese character as a character reference,
// xmlns:r on each <sheet>, as openpyxl and pandas write): Read, then Each over every row, as
// `jifen import` reads. Both must take the streaming reader (the benchmark fails on a
// fallback).
//
// Each iteration of "ratio" reads both files, one after the other, so that what else the
// machine does weighs on both alike; it reports x-excelize, the openpyxl file's time over the
// excelize file's (issue 15: at most 1.2), wall and CPU (user+system, getrusage), and
// x-inflate, the same ratio for decompressing the two sheets alone (the floor: openpyxl's XML
// is 1.6 times excelize's).
//
// The workbooks are made once into $JIFEN_BENCH_CACHE (default: jifen-bench-cache in the
// system's temporary folder): openpyxl takes about a minute for 200 000 rows. It needs
// /usr/bin/python3 with openpyxl (Debian python3-openpyxl).
//
//	go test -run XXX -bench Writers -benchtime 5x ./engine/sheet/
func BenchmarkWriters(b *testing.B) {
	rows := 200000
	if s := os.Getenv("JIFEN_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	xlsx, openpyxl := benchWorkbooks(b, rows)
	read := func(b *testing.B, path string) {
		n := 0
		tables, _, err := Read(path)
		if err != nil {
			b.Fatal(err)
		}
		for i := range tables {
			if err := tables[i].Each(0, func(int, []string) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		if n < rows {
			b.Fatalf("%d rows read, want %d", n, rows)
		}
	}
	onFallback = func(path string, err error) { b.Fatalf("%s: fell back to excelize: %v", path, err) }
	defer func() { onFallback = nil }()
	for _, c := range []struct{ name, path string }{{"excelize-written", xlsx}, {"openpyxl-written", openpyxl}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				read(b, c.path)
			}
			b.ReportMetric(float64(rows)/(b.Elapsed()/time.Duration(b.N)).Seconds(), "rows/s")
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var wall, cpu, infl [2]time.Duration
		for b.Loop() {
			for i, path := range []string{xlsx, openpyxl} {
				t0, c0 := time.Now(), cpuTime()
				read(b, path)
				wall[i] += time.Since(t0)
				cpu[i] += cpuTime() - c0
				t0 = time.Now()
				if err := inflateParts(path); err != nil {
					b.Fatal(err)
				}
				infl[i] += time.Since(t0)
			}
		}
		b.ReportMetric(float64(wall[1])/float64(wall[0]), "x-excelize")
		b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "x-excelize-cpu")
		b.ReportMetric(float64(infl[1])/float64(infl[0]), "x-inflate")
	})
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// openpyxlScript writes the rows of a TSV file (title, header, data; column 5 a date serial)
// with openpyxl in write-only mode: python3 script.py rows.tsv out.xlsx.
const openpyxlScript = `
import sys
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
src, out = sys.argv[1], sys.argv[2]
wb = Workbook(write_only=True)
ws = wb.create_sheet("考勤")
with open(src, encoding="utf-8") as f:
    for n, line in enumerate(f):
        cells = line.rstrip("\n").split("\t")
        if n >= 2:
            c = WriteOnlyCell(ws, value=int(cells[4]))
            c.number_format = "yyyy-mm-dd"
            cells[4] = c
        while cells and cells[-1] == "":
            cells.pop()
        ws.append(cells)
wb.save(out)
`

// benchWorkbooks returns the excelize- and openpyxl-written workbooks of rows data rows, made
// once into the cache folder.
func benchWorkbooks(b *testing.B, rows int) (string, string) {
	dir := os.Getenv("JIFEN_BENCH_CACHE")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "jifen-bench-cache")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	xlsx := filepath.Join(dir, "excelize-"+strconv.Itoa(rows)+".xlsx")
	py := filepath.Join(dir, "openpyxl-"+strconv.Itoa(rows)+".xlsx")
	if _, err := os.Stat(xlsx); err != nil {
		if err := bigxlsx.WriteAttendance(xlsx+".tmp", bigxlsx.Options{Rows: rows}); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(xlsx+".tmp", xlsx); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := os.Stat(py); err == nil {
		return xlsx, py
	}
	python := python(b, "python3-openpyxl", "openpyxl")
	// The excelize-written rows, as TSV, for openpyxl to write again.
	tsv := filepath.Join(dir, "rows.tsv")
	f, err := os.Create(tsv)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	wb, err := OpenXLSX(xlsx)
	if err != nil {
		b.Fatal(err)
	}
	err = wb.Rows(bigxlsx.AttendanceSheet, func(_ int, cells []string) error {
		_, err := w.WriteString(strings.Join(cells, "\t") + "\n")
		return err
	})
	wb.Close()
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	script := filepath.Join(dir, "write_openpyxl.py")
	if err := os.WriteFile(script, []byte(openpyxlScript), 0o600); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(python, script, tsv, py+".tmp").CombinedOutput(); err != nil {
		b.Fatalf("openpyxl: %v\n%s", err, out)
	}
	if err := os.Rename(py+".tmp", py); err != nil {
		b.Fatal(err)
	}
	os.Remove(tsv)
	return xlsx, py
}
