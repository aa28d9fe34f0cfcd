package engine

import (
	"strings"
	"testing"
)

// Each control shown as written by hand: ESC and BEL as \x1b, \x07; the C1 CSI (U+009B) as
// \x9b; a byte that is no UTF-8 as \xff; bidi controls as <U+…>; newlines kept only by
// PrintableLines; a number after an escape still masked by Terminal.
func TestPrintable(t *testing.T) {
	for _, c := range []struct{ in, one, lines, term string }{
		{"张伟", "张伟", "张伟", "张伟"},
		{"赵\x1b[2J敏", `赵\x1b[2J敏`, `赵\x1b[2J敏`, `赵\x1b[2J敏`},
		{"考勤\x1b]0;t\x07.csv", `考勤\x1b]0;t\x07.csv`, `考勤\x1b]0;t\x07.csv`, `考勤\x1b]0;t\x07.csv`},
		{"到\u009b2J\x7f", `到\x9b2J\x7f`, `到\x9b2J\x7f`, `到\x9b2J\x7f`},
		{"a\xffb", `a\xffb`, `a\xffb`, `a\xffb`},
		{"错\u202exslx.exe\u2066\u2069\u200e\u200f\u061c\u2028", `错<U+202E>xslx.exe<U+2066><U+2069><U+200E><U+200F><U+061C><U+2028>`,
			`错<U+202E>xslx.exe<U+2066><U+2069><U+200E><U+200F><U+061C><U+2028>`, `错<U+202E>xslx.exe<U+2066><U+2069><U+200E><U+200F><U+061C><U+2028>`},
		{"第1行\n\t第2行\r", `第1行\x0a\x09第2行\x0d`, "第1行\n\t第2行\\x0d", "第1行\n\t第2行\\x0d"},
		{"\x1b13812345678", `\x1b13812345678`, `\x1b13812345678`, `\x1b138****5678`},
	} {
		if got := Printable(c.in); got != c.one {
			t.Errorf("Printable(%q) = %q, want %q", c.in, got, c.one)
		}
		if got := PrintableLines(c.in); got != c.lines {
			t.Errorf("PrintableLines(%q) = %q, want %q", c.in, got, c.lines)
		}
		if got := Terminal(c.in); got != c.term {
			t.Errorf("Terminal(%q) = %q, want %q", c.in, got, c.term)
		}
	}
}

// A value of 41 characters or more is cut to its first 40, with its length; 40 are kept whole.
func TestClip(t *testing.T) {
	forty := strings.Repeat("党", 40)
	if got := Clip(forty); got != forty {
		t.Errorf("Clip(40 characters) = %q", got)
	}
	if got, want := Clip(forty+"员x"), forty+"…（共 42 字）"; got != want {
		t.Errorf("Clip(42 characters) = %q, want %q", got, want)
	}
	if got, want := Clip(strings.Repeat("x", 50<<20)), strings.Repeat("x", 40)+"…（共 52428800 字）"; got != want {
		t.Errorf("Clip(50 MB) = %q, want %q", got[:min(len(got), 80)], want)
	}
}

// Every quoted value of a message is clipped, the rest kept: two values of 50 and 3 characters.
func TestClipQuoted(t *testing.T) {
	long := strings.Repeat("值", 50)
	got := ClipQuoted("应为 “" + long + "” 或 “abc” 之一（可用：" + long + "）")
	want := "应为 “" + strings.Repeat("值", 40) + "…（共 50 字）” 或 “abc” 之一（可用：" + long + "）"
	if got != want {
		t.Errorf("ClipQuoted = %q\nwant %q", got, want)
	}
}
