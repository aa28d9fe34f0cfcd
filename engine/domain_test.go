package engine

import "testing"

// A cell's text cannot drive the terminal: control characters are escaped in messages, and
// identity numbers are masked.
func TestCellErrorPrintable(t *testing.T) {
	e := &CellError{Src: Source{File: "a.csv", Row: 2}, Col: 1, Msg: "姓名 “\x1b]0;PWNED\a\x1b[2J张伟” 不在党员名册中，证件 110101199001011234"}
	want := `a.csv!B2: 姓名 “\x1b]0;PWNED\x07\x1b[2J张伟” 不在党员名册中，证件 110101********1234`
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q\nwant %q", got, want)
	}
}
