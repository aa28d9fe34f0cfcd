// Package privacy keeps members' personal data out of what jifen shows and writes, and keeps
// spreadsheet text from running as a formula in what it writes.
//
// # Masking
//
// 身份证号 and 手机号 never appear in full in outputs, logs or error messages unless the
// user asks (--unmask):
//
//	Mask("110101199003071234")    == "110101********1234"  // 身份证号: first 6 and last 4 kept
//	Mask("11010119900307123X")    == "110101********123X"
//	Mask("110101900307123")       == "110101*****7123"     // 15-digit 身份证号 (before 1999)
//	Mask("13812345678")           == "138****5678"         // 手机号: first 3 and last 4 kept
//	Mask("138 1234 5678")         == "138****5678"         // separators and +86 are read too
//	Mask("张伟")                  == "张伟"                // anything else is unchanged
//	MaskText("张伟（13812345678）") == "张伟（138****5678）"   // every number inside a text
//	Mask("1.1010119850313723E+17") == "110101************"  // a 身份证号 from a number cell
//
// Mask is for a cell that holds one value (a roster's 身份证号 or 联系电话 column): it masks the
// whole cell when it is an ID or a mobile number, whatever the column is called. MaskText is for
// free text — notes, error messages, log lines — and masks every ID and mobile number in it
// that stands alone (not part of a longer run of digits or letters). Full-width digits count.
// Both are deliberately loose: an 18-character number with a wrong check digit is masked too,
// since a mistyped ID is still an ID.
//
// # Formula injection (OWASP "CSV Injection")
//
// A cell whose text begins with = + - @, a tab or a carriage return is read by Excel, WPS and
// LibreOffice as a formula when the file is opened (=HYPERLINK(…), =cmd|…, @SUM(…)). jifen
// copies names, branches and notes from the users' spreadsheets into its outputs, so every
// such text is neutralised:
//
//   - CSV (members.csv, indicators.csv, periods.csv): write Neutralize(cell) for every text
//     cell. It prefixes a single quote (') to formula-like text, as OWASP recommends; the
//     quote shows in the cell, which is what makes the text inert. A plain number (-0.5, +3)
//     is left alone: it is not a formula, and points must stay numbers. encoding/csv quotes
//     and escapes the rest.
//   - XLSX (附件.xlsx): write text cells as strings — excelize SetCellStr, or SetCellValue /
//     SetSheetRow with a Go string — never SetCellFormula. A string cell (t="s" or
//     t="inlineStr") is never evaluated, whatever it begins with, so no quote is added and
//     the text shows as written. IsFormulaLike tells which cells a writer may additionally
//     give Excel's quotePrefix style.
package privacy

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsFormulaLike reports whether a spreadsheet program would take s as a formula: it begins
// with = + - @, a tab or a carriage return, and is not a plain number.
func IsFormulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return true
	case '+', '-':
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	}
	return false
}

// Neutralize returns s with a leading single quote if it is formula-like (IsFormulaLike), for
// writing to CSV; otherwise s unchanged.
func Neutralize(s string) string {
	if IsFormulaLike(s) {
		return "'" + s
	}
	return s
}

// digit returns the value of an ASCII or full-width digit, or -1.
func digit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// canon returns s's digits as ASCII, with a final X/x/Ｘ as X, dropping spaces (ASCII,
// full-width) and hyphens; ok is false if s holds anything else.
func canon(s string) (string, bool) {
	var b strings.Builder
	rs := []rune(strings.TrimSpace(s))
	for i, r := range rs {
		switch d := digit(r); {
		case d >= 0:
			b.WriteByte(byte('0' + d))
		case (r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ') && i == len(rs)-1:
			b.WriteByte('X')
		case r == ' ' || r == '　' || r == '-' || r == '－':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// isIDForm reports whether d (canonical) has the form of a 身份证号: 17 digits and a digit or
// X, or 15 digits.
func isIDForm(d string) bool {
	switch len(d) {
	case 18:
		return !strings.Contains(d[:17], "X")
	case 15:
		return !strings.Contains(d, "X")
	}
	return false
}

// isMobileForm reports whether d (canonical) is a mainland mobile number: 11 digits, 1 then 3–9.
func isMobileForm(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && !strings.Contains(d, "X")
}

// IsID reports whether s is a 身份证号 (18 characters, the last a digit or X; or 15 digits),
// ignoring surrounding space. The check digit is not checked.
func IsID(s string) bool {
	d, ok := canon(s)
	return ok && isIDForm(d) && !strings.ContainsAny(strings.TrimSpace(s), " 　-－")
}

// IsMobile reports whether s is a mobile number: 11 digits beginning 13–19, possibly written
// with spaces or hyphens (138 1234 5678) or with +86 / 0086 before it.
func IsMobile(s string) bool {
	d, ok := canon(trimCountry(s))
	return ok && isMobileForm(d)
}

// trimCountry drops a leading +86, 0086 or (+86) from a phone number.
func trimCountry(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"(+86)", "（+86）", "+86", "＋86", "0086"} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// MaskID masks a 身份证号, keeping the first 6 and the last 4 characters:
// 110101199003071234 → 110101********1234. s is returned unchanged if it is not one.
func MaskID(s string) string {
	d, ok := canon(s)
	if !ok || !IsID(s) {
		return s
	}
	return maskDigits(d, 6, 4)
}

// MaskPhone masks a mobile number, keeping the first 3 and the last 4 digits:
// 13812345678 → 138****5678 (also for 138-1234-5678, +86 138 1234 5678). s is returned
// unchanged if it is not one.
func MaskPhone(s string) string {
	d, ok := canon(trimCountry(s))
	if !ok || !isMobileForm(d) {
		return s
	}
	return maskDigits(d, 3, 4)
}

// Mask masks a cell holding a 身份证号 (MaskID) or a mobile number (MaskPhone); any other value
// is returned unchanged.
func Mask(s string) string {
	if !hasDigits(s, 11) { // a 党员编号 like GL216, at once: both kinds have 11 digits or more
		if strings.ContainsAny(s, "eE") && LostDigits(s) { // 1.10101E+17
			return maskLost(s)
		}
		return s
	}
	if LostDigits(s) {
		return maskLost(s)
	}
	if IsID(s) {
		return MaskID(s)
	}
	return MaskPhone(s)
}

// hasDigits reports whether s has at least n digits (ASCII or full-width).
func hasDigits(s string, n int) bool {
	for _, r := range s {
		if digit(r) >= 0 {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

func maskDigits(d string, keepStart, keepEnd int) string {
	return d[:keepStart] + strings.Repeat("*", len(d)-keepStart-keepEnd) + d[len(d)-keepEnd:]
}

// wordChar reports whether r continues a number or a code (so a run of digits next to it is
// not a number on its own): an ASCII or full-width letter or digit.
func wordChar(r rune) bool {
	return digit(r) >= 0 || r < utf8.RuneSelf && (unicode.IsLetter(r) || r == '_') ||
		(r >= 'Ａ' && r <= 'Ｚ') || (r >= 'ａ' && r <= 'ｚ')
}

// MaskText masks every 身份证号 and mobile number that stands alone in a text (a message, a
// note, a log line): runs of digits (ASCII or full-width) not touching other letters or
// digits; a mobile number may be written 138 1234 5678 or 138-1234-5678.
func MaskText(s string) string {
	s = maskSciText(s)
	if !hasDigits(s, 11) { // most text, at once: what is masked has 11 digits or more
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	last := 0 // rs[last:] not yet written
	for i := 0; i < len(rs); {
		if digit(rs[i]) < 0 || (i > 0 && wordChar(rs[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(rs) && digit(rs[j]) >= 0 {
			j++
		}
		end, masked := j, ""
		run, _ := canon(string(rs[i:j]))
		switch {
		case j-i == 17 && j < len(rs) && strings.ContainsRune("XxＸｘ", rs[j]) && (j+1 == len(rs) || !wordChar(rs[j+1])):
			end, masked = j+1, maskDigits(run+"X", 6, 4)
		case j < len(rs) && wordChar(rs[j]):
			// part of a longer code: leave it
		case isIDForm(run) && LostDigits(run):
			masked = maskLost(run)
		case isIDForm(run):
			masked = maskDigits(run, 6, 4)
		case isMobileForm(run):
			masked = maskDigits(run, 3, 4)
		case len(run) == 13 && strings.HasPrefix(run, "86") && isMobileForm(run[2:]):
			masked = "86" + maskDigits(run[2:], 3, 4)
		case len(run) == 3 && run[0] == '1':
			// 138 1234 5678, 138-1234-5678
			if e, d, ok := spacedMobile(rs, i); ok {
				end, masked = e, maskDigits(d, 3, 4)
			}
		}
		if masked != "" {
			b.WriteString(string(rs[last:i]))
			b.WriteString(masked)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(string(rs[last:]))
	return b.String()
}

// spacedMobile reads a mobile number written in groups 3-4-4 separated by one space or hyphen
// (the same twice) from rs[i:]: the end, the canonical digits and whether it is one.
func spacedMobile(rs []rune, i int) (int, string, bool) {
	group := func(at, n int) bool {
		if at+n > len(rs) {
			return false
		}
		for k := at; k < at+n; k++ {
			if digit(rs[k]) < 0 {
				return false
			}
		}
		return true
	}
	if !group(i, 3) || i+3 >= len(rs) {
		return 0, "", false
	}
	sep := rs[i+3]
	if sep != ' ' && sep != '-' {
		return 0, "", false
	}
	if !group(i+4, 4) || i+8 >= len(rs) || rs[i+8] != sep || !group(i+9, 4) {
		return 0, "", false
	}
	end := i + 13
	if end < len(rs) && wordChar(rs[end]) {
		return 0, "", false
	}
	d, _ := canon(string(rs[i:end]))
	if !isMobileForm(d) {
		return 0, "", false
	}
	return end, d, true
}
