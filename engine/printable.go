package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jifen/jifen/engine/privacy"
)

// Text from the users' files (names, sheet names, file names, cell values) is printed in
// messages; printed raw, a control character in it could move the cursor, clear the screen,
// retitle the window or hide lines (ESC [ …, OSC …), and a bidi control could make a line read
// backwards (U+202E: “考勤‮xslx.exe” shows as 考勤exe.xlsx). Such characters are shown, not
// obeyed: C0 and C1 controls and DEL as \x1b, \x9b, \x7f; bidi and line-separator controls as
// <U+202E>; a byte that is not UTF-8 as \xff. What is stored is not changed: a name is a fact,
// only its printing is made safe.
//
//	Printable("张伟\x1b[2J")        == `张伟\x1b[2J`
//	Printable("考勤\u202Exslx.csv") == "考勤<U+202E>xslx.csv"
//	Terminal("第1行\n张伟 13812345678") == "第1行\n张伟 138****5678"

// unsafeRune reports whether r (of byte size size) must be escaped when printed: a control, a
// bidi control, a line or paragraph separator, or an invalid byte (size 1 RuneError). Newlines
// and tabs are kept when lines is true.
func unsafeRune(r rune, size int, lines bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !lines
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == utf8.RuneError:
		return size == 1
	}
	return isBidiControl(r)
}

// isBidiControl reports whether r changes the direction or ordering of the text around it, or
// breaks a line without being a newline: ALM, LRM, RLM, LRE…RLO, LRI…PDI, LS, PS.
func isBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func escapeControls(s string, lines bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size, lines) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !unsafeRune(r, size, lines):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r < 0xa0:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "<U+%04X>", r)
		}
		i += size
	}
	return b.String()
}

// Printable shows every control character of one line of text (see above), newlines and tabs
// included, so that text from a spreadsheet cannot act on the terminal.
func Printable(s string) string { return escapeControls(s, false) }

// PrintableLines is Printable for text of several lines: newlines and tabs are kept.
func PrintableLines(s string) string { return escapeControls(s, true) }

// Terminal makes text safe to print: every 身份证号 and 手机号 masked (privacy.MaskText), then
// every control shown (PrintableLines). Masking comes first, so that an escape written before a
// number (\x1b13812345678) cannot hide it from the masking. Every message jifen's CLI prints
// goes through it.
func Terminal(s string) string { return PrintableLines(privacy.MaskText(s)) }

// clipRunes is how many characters of a value a message echoes.
const clipRunes = 40

// Clip shortens a value echoed in a message to its first 40 characters, saying how long it
// was: a wrong value of 50 MB is shown as “xxxx…（共 52428800 字）”, not whole.
func Clip(s string) string { return ClipTo(s, clipRunes) }

// ClipTo is Clip to n characters.
func ClipTo(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…（共 " + strconv.Itoa(utf8.RuneCountInString(s)) + " 字）"
}

// ClipQuoted clips (Clip) every value quoted “…” in a message, the way messages echo what the
// user wrote: 应为数字，实际为 “xxxx…（共 52428800 字）”.
func ClipQuoted(msg string) string {
	if len(msg) <= clipRunes {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, "“")
		if i < 0 {
			break
		}
		i += len("“")
		j := strings.Index(msg[i:], "”")
		if j < 0 {
			break
		}
		b.WriteString(msg[:i])
		b.WriteString(Clip(msg[i : i+j]))
		msg = msg[i+j:]
	}
	b.WriteString(msg)
	return b.String()
}

// Unsafe reports whether printing r could act on a terminal (a control other than newline and
// tab, or a bidi control): what PrintableLines shows escaped. For writers of other formats
// (JSON) that escape such characters their own way.
func Unsafe(r rune) bool { return unsafeRune(r, utf8.RuneLen(r), true) }
