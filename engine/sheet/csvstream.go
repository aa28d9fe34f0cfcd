package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// readCSVLazy reads a CSV file over StreamThreshold bytes without keeping it: one pass checks
// what readCSV checks of the whole text (a line over the limit, an empty file, the encoding:
// UTF-8, or GB18030/GBK, never both mixed), then the Table keeps the first HeadRows records and
// Each reads them all again from the file.
func readCSVLazy(path, name string) (Table, error) {
	gb, ctl, err := checkCSV(path, name)
	if err != nil {
		return Table{}, err
	}
	t := Table{File: name, Rows: [][]string{}, lazy: &lazySheet{path: path, csv: true, gb: gb}}
	if ctl { // a NUL anywhere: said at its cell
		if err := controlCell(name, func(fn func(int, []string) error) error { return t.eachCSV(0, fn) }); err != nil {
			return Table{}, err
		}
	}
	stop := errors.New("head read")
	err = t.eachCSV(0, func(i int, cells []string) error {
		if i >= HeadRows {
			return stop
		}
		t.Rows = append(t.Rows, append([]string(nil), cells...))
		return nil
	})
	if err != nil && err != stop {
		return Table{}, err
	}
	return t, nil
}

// checkCSV reads a CSV file line by line and says whether it is GB18030/GBK (else UTF-8), or
// why it cannot be read: the same refusals, in the same words, as readCSV; ctl, whether a line
// holds a control character that no text holds (hasControl).
func checkCSV(path, name string) (gb, ctl bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, false, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	blank, utfLine, otherLine := true, 0, 0
	var long []byte // a line longer than the buffer, being put together
	for n := 1; ; n++ {
		line, err := r.ReadSlice('\n')
		for size := 0; errors.Is(err, bufio.ErrBufferFull); {
			size += len(line)
			if size <= maxCSVLine {
				long = append(long, line...)
			}
			line, err = r.ReadSlice('\n')
			if size+len(line) > maxCSVLine && !errors.Is(err, bufio.ErrBufferFull) {
				// Measured to its end, as readCSV measures it, but not kept.
				return false, false, fmt.Errorf("%s: 第 %d 行有 %d MB，超过 %d MB 的上限（文件可能已损坏）", name, n, (size+len(bytes.TrimRight(line, "\n")))>>20, maxCSVLine>>20)
			}
		}
		if long != nil {
			line, long = append(long, line...), nil
		}
		if err != nil && err != io.EOF {
			return false, false, fmt.Errorf("%s: 无法读取：%v", name, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimRight(line, "\n")) > maxCSVLine {
			return false, false, fmt.Errorf("%s: 第 %d 行有 %d MB，超过 %d MB 的上限（文件可能已损坏）", name, n, len(line)>>20, maxCSVLine>>20)
		}
		if blank && len(bytes.TrimSpace(line)) > 0 {
			blank = false
		}
		if !ctl && hasControl(line) {
			ctl = true
		}
		if !isASCII(line) {
			if utf8.Valid(line) && utf8.RuneCount(line) < len(line) {
				if utfLine == 0 {
					utfLine = n
				}
			} else if otherLine == 0 {
				otherLine = n
			}
		}
		if err == io.EOF {
			break
		}
	}
	switch {
	case blank:
		return false, false, errEmpty(name)
	case otherLine > 0 && utfLine > 0:
		return false, false, fmt.Errorf("%s: 文件中混有两种编码（第 %d 行是 UTF-8，第 %d 行不是）：请用 Excel/WPS 打开后整个另存为 CSV（UTF-8）或 .xlsx", name, utfLine, otherLine)
	}
	return otherLine > 0, ctl, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// eachCSV reads the records of a streamed CSV file from index from on.
func (t *Table) eachCSV(from int, fn func(i int, cells []string) error) error {
	f, err := os.Open(t.lazy.path)
	if err != nil {
		return fmt.Errorf("%s: 无法读取：%v", t.File, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	var in io.Reader = br
	if t.lazy.gb {
		in = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s!%d行: CSV 格式错误：%v", t.File, pe.Line, pe.Err)
			}
			if t.lazy.gb {
				return fmt.Errorf("%s: 既不是 UTF-8 也不是 GB18030/GBK 编码的文本", t.File)
			}
			return fmt.Errorf("%s: CSV 格式错误：%v", t.File, err)
		}
		if i < from {
			continue
		}
		if err := fn(i, rec); err != nil {
			return err
		}
	}
}
