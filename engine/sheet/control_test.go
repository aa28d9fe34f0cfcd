package sheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A NUL (or another control character no text holds) past the bytes sniffed for a binary file
// is refused at its cell, kept whole or streamed, in UTF-8 or in GBK.
//
// The file: a header, then 3,000 rows "D0001,党员1,出席" … (each about 20 bytes: 60 KB and
// more); row 2,501 (record 2,502, after the header) has 党员2501 followed by a NUL in column B,
// so the cell is B2502. A tab and a carriage return elsewhere are text and pass.
func TestCSVControlAnywhere(t *testing.T) {
	build := func(ctl string) string {
		var sb strings.Builder
		sb.WriteString("党员编号,姓名,出勤情况\n")
		for i := 1; i <= 3000; i++ {
			name := fmt.Sprintf("党员%d", i)
			switch i {
			case 2501:
				name += ctl
			case 7:
				name = "\"党员\t7\r\""
			}
			fmt.Fprintf(&sb, "D%04d,%s,出席\n", i, name)
		}
		return sb.String()
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name, ctl, want string
	}{
		{"utf8-nul", "\x00", "考勤.csv!B2502: 单元格里有看不见的空字符（代码 0x00），正常的文本里不会有：文件可能已损坏或不是表格文本，请用 Excel/WPS 打开检查后另存为 .xlsx 或 CSV（UTF-8）"},
		{"utf8-esc", "\x1b[2J", "考勤.csv!B2502: 单元格里有看不见的控制字符（代码 0x1B），正常的文本里不会有"},
		{"gbk-nul", "\x00", "考勤.csv!B2502: 单元格里有看不见的空字符（代码 0x00）"},
		{"clean", "", ""},
	} {
		text := build(c.ctl)
		if at := strings.Index(text, "党员2501"); at < 6*sniffLen {
			t.Fatalf("row 2,501 at byte %d: must be far past the %d sniffed", at, sniffLen)
		}
		data := []byte(text)
		if strings.HasPrefix(c.name, "gbk") {
			var err error
			if data, err = simplifiedchinese.GBK.NewEncoder().Bytes(data); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, c.name, "考勤.csv")
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, streamed := range []bool{false, true} {
			old := StreamThreshold
			if streamed {
				StreamThreshold = -1
			}
			tables, _, err := Read(path)
			if err == nil && streamed {
				err = tables[0].Each(0, func(int, []string) error { return nil })
			}
			StreamThreshold = old
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s (streamed %v): %v, want it read", c.name, streamed, err)
			case c.want == "" && tables[0].Rows[7][1] != "党员\t7\r":
				t.Errorf("%s (streamed %v): B8 = %q, want the tab and carriage return kept", c.name, streamed, tables[0].Rows[7][1])
			case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
				t.Errorf("%s (streamed %v): %v, want %s…", c.name, streamed, err, c.want)
			}
		}
	}
}

// hasControl (eight bytes at a time) finds every byte notText marks, and only those, at every
// position of a word and past it, among text bytes (ASCII, UTF-8 lead and trail bytes).
func TestHasControlEveryByte(t *testing.T) {
	for _, fill := range []byte{'a', 0x80, 0xe5, 0xff, ' '} {
		for c := 0; c < 256; c++ {
			for at := 0; at < 19; at++ {
				b := []byte(strings.Repeat(string([]byte{fill}), 19))
				b[at] = byte(c)
				if got, want := hasControl(b), notText[c]; got != want {
					t.Fatalf("byte 0x%02X at %d among 0x%02X: hasControl = %v, want %v", c, at, fill, got, want)
				}
			}
		}
	}
	if notText['\t'] || notText['\n'] || notText['\r'] || !notText[0] || !notText[0x7f] || notText[' '] {
		t.Fatal("notText: tab, line feed, carriage return and space are text; NUL and DEL are not")
	}
}
