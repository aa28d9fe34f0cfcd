package sheet

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jifen/jifen/datasets/big/bigxlsx"
	"github.com/xuri/excelize/v2"
)

// BenchmarkXLSX reads a generated long attendance sheet (datasets/big: 100 000 rows of 7
// columns, a merged title row, shared strings, date serials; JIFEN_BENCH_ROWS sets another
// size) in every way, in the same run:
//
//	inflate-std, inflate-klauspost  decompressing the sheet and the shared strings alone
//	                                (io.Copy to io.Discard), with Go's compress/flate and with
//	                                github.com/klauspost/compress/flate: the baseline
//	unzip-p                         `unzip -p` of the same two members, if unzip is installed
//	parse-only                      scanning the sheet already inflated into memory
//	stream, stream-std              Workbook.Rows over every row (klauspost / Go inflate)
//	merges-first                    Workbook.Merges before Rows (the quick pass)
//	read                            Read, then Each over every row (a sheet this size is streamed)
//	excelize-raw, excelize-default  excelize's Rows iterator with and without RawCellValue
//
// Each reports x-inflate, its time over inflate-std's (measured just before), rows/s and the
// allocations. Run: go test -run XXX -bench XLSX -benchtime 10x ./engine/sheet/
func BenchmarkXLSX(b *testing.B) { benchXLSX(b, false) }

// BenchmarkXLSXInline is BenchmarkXLSX on the same sheet with its strings written inline
// (<c t="inlineStr"><is><t>…</t></is></c>, as excelize's StreamWriter and many export tools
// write them): no shared strings, about twice the XML.
func BenchmarkXLSXInline(b *testing.B) { benchXLSX(b, true) }

func benchXLSX(b *testing.B, inline bool) {
	rows := 100000
	if s := os.Getenv("JIFEN_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	path := filepath.Join(b.TempDir(), "考勤.xlsx")
	if err := bigxlsx.WriteAttendance(path, bigxlsx.Options{Rows: rows, Members: 2000, Inline: inline}); err != nil {
		b.Fatal(err)
	}
	dataRows := float64(rows + 2) // and the title and the header

	var base time.Duration // inflate-std's time per op
	report := func(b *testing.B) {
		per := b.Elapsed() / time.Duration(b.N)
		if base > 0 {
			b.ReportMetric(float64(per)/float64(base), "x-inflate")
		}
		b.ReportMetric(dataRows/per.Seconds(), "rows/s")
	}
	inflate := func(fast bool) func(b *testing.B) {
		return func(b *testing.B) {
			defer func(f bool) { fastInflate = f }(fastInflate)
			fastInflate = fast
			b.ReportAllocs()
			for b.Loop() {
				if err := inflateParts(path); err != nil {
					b.Fatal(err)
				}
			}
			if !fast {
				base = b.Elapsed() / time.Duration(b.N)
			}
			report(b)
		}
	}
	b.Run("inflate-std", inflate(false))
	b.Run("inflate-klauspost", inflate(true))
	parts, err := sheetParts(path)
	if err != nil {
		b.Fatal(err)
	}
	if unzip, err := exec.LookPath("unzip"); err == nil {
		b.Run("unzip-p", func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(unzip, append([]string{"-p", path}, parts...)...)
				cmd.Stdout = io.Discard
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	}
	stream := func(fast bool) func(b *testing.B) {
		return func(b *testing.B) {
			defer func(f bool) { fastInflate = f }(fastInflate)
			fastInflate = fast
			b.ReportAllocs()
			for b.Loop() {
				n, err := streamRows(path)
				if err != nil {
					b.Fatal(err)
				}
				if n != rows+2 {
					b.Fatalf("%d rows", n)
				}
			}
			report(b)
		}
	}
	b.Run("parse-only", func(b *testing.B) {
		// The worksheet already inflated into memory: the parsing alone.
		data, sst, err := inflatedSheet(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			n := 0
			r := &sheetReader{s: newScanner(&bytesSource{data: data, size: chunkSize}), part: "sheet", sst: sst,
				fn: func(int, []string) error { n++; return nil }}
			if err := r.run(); err != nil || n != rows+2 {
				b.Fatal(n, err)
			}
		}
		report(b)
	})
	b.Run("stream", stream(true))
	b.Run("stream-std", stream(false))
	b.Run("merges-first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			wb, err := OpenXLSX(path)
			if err != nil {
				b.Fatal(err)
			}
			m, err := wb.Merges(bigxlsx.AttendanceSheet)
			wb.Close()
			if err != nil || len(m) != 1 {
				b.Fatal(m, err)
			}
		}
		report(b)
	})
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tables, _, err := Read(path)
			if err != nil {
				b.Fatal(err)
			}
			n := 0 // a sheet this size is streamed: Read keeps its head, Each reads it all
			if err := tables[0].Each(0, func(int, []string) error { n++; return nil }); err != nil || n != rows+2 {
				b.Fatal(n, err)
			}
		}
		report(b)
	})
	excel := func(raw bool) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if n, err := excelizeRows(path, raw); err != nil || n != rows+2 {
					b.Fatal(n, err)
				}
			}
			report(b)
		}
	}
	b.Run("excelize-raw", excel(true))
	b.Run("excelize-default", excel(false))
}

// sheetParts lists the sheet and, if there is one, the shared-string table.
func sheetParts(path string) ([]string, error) {
	zr, err := openZip(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var parts []string
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" || f.Name == "xl/sharedStrings.xml" {
			parts = append(parts, f.Name)
		}
	}
	return parts, nil
}

// inflateParts decompresses the sheet and the shared strings to io.Discard.
func inflateParts(path string) error {
	zr, err := openZip(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" && f.Name != "xl/sharedStrings.xml" {
			continue
		}
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
	return nil
}

// inflatedSheet returns the inflated worksheet and the shared strings.
func inflatedSheet(path string) ([]byte, []string, error) {
	wb, err := OpenXLSX(path)
	if err != nil {
		return nil, nil, err
	}
	defer wb.Close()
	sst, err := wb.sharedStrings()
	if err != nil {
		return nil, nil, err
	}
	rc, err := wb.files["xl/worksheets/sheet1.xml"].Open()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	return data, sst, err
}

func streamRows(path string) (int, error) {
	wb, err := OpenXLSX(path)
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	n := 0
	err = wb.Rows(bigxlsx.AttendanceSheet, func(_ int, cells []string) error {
		n++
		return nil
	})
	return n, err
}

func excelizeRows(path string, raw bool) (int, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rows, err := f.Rows(bigxlsx.AttendanceSheet)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		if _, err := rows.Columns(excelize.Options{RawCellValue: raw}); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Close()
}
