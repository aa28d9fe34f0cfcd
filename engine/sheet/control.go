package sheet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/jifen/jifen/engine"
)

// notText marks the bytes that no text holds: NUL and the other C0 control characters but tab,
// line feed and carriage return, and DEL. They are single bytes in UTF-8 and in GB18030 alike
// (neither uses them inside a character), so the raw bytes can be scanned whatever the encoding.
var notText = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t[0x7f] = true
	return t
}()

// hasControl reports whether b holds a byte that no text holds (notText). Eight bytes at a time:
// a word with no byte below 0x20 and none equal to 0x7F (most of them) is passed over whole.
func hasControl(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		del := x ^ (0x7f * ones)
		if ((x-0x20*ones)&^x|(del-ones)&^del)&highs != 0 {
			for _, c := range b[:8] {
				if notText[c] {
					return true
				}
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		if notText[c] {
			return true
		}
	}
	return false
}

// errControl is the message for a CSV cell holding a control character: the file is damaged
// or not text, whatever its first bytes looked like.
func errControl(name string, row, col int, cell string) error {
	c := cell[strings.IndexFunc(cell, func(r rune) bool { return r < 0x80 && notText[r] })]
	what := fmt.Sprintf("看不见的控制字符（代码 0x%02X）", c)
	if c == 0 {
		what = "看不见的空字符（代码 0x00）"
	}
	return fmt.Errorf("%s!%s%d: 单元格里有%s，正常的文本里不会有：文件可能已损坏或不是表格文本，请用 Excel/WPS 打开检查后另存为 .xlsx 或 CSV（UTF-8）", name, engine.ColumnName(col), row, what)
}

// controlCell finds the first cell holding a control character among the records each gives,
// and says where it is (errControl); nil if there is none.
func controlCell(name string, each func(fn func(i int, cells []string) error) error) error {
	var found error
	stop := errors.New("found")
	err := each(func(i int, cells []string) error {
		for j, c := range cells {
			if strings.ContainsFunc(c, func(r rune) bool { return r < 0x80 && notText[r] }) {
				found = errControl(name, i+1, j, c)
				return stop
			}
		}
		return nil
	})
	if found != nil {
		return found
	}
	if err != nil && err != stop {
		return err
	}
	return nil
}
