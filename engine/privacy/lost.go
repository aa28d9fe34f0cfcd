package privacy

import (
	"regexp"
	"strconv"
	"strings"
)

// A 身份证号 typed into a number cell keeps only 15 to 17 significant digits (a spreadsheet's
// numbers are float64): Excel stores 110101198503137234 as 1.1010119850313723E+17 and shows
// 1.10101E+17, or 110101198503137000 in a cell formatted as 0; the last digits are gone for
// good. LostDigits tells such a value, so that it is never taken for a member's 身份证号, and
// Mask masks it keeping only its first 6 digits (its last 4 would be wrong):
//
//	LostDigits("1.1010119850313723E+17") == true
//	LostDigits("110101198503137000")     == true  // a float's digits, and no valid check digit
//	Mask("1.101011985031377e+17")        == "110101************"
//	Mask("110101198503137000")           == "110101************"

// reSci is a number in exponent form with 18 digits before the point: 1.1010119850313723E+17.
var reSci = regexp.MustCompile(`^([0-9])\.([0-9]*)[eE]\+?0*17$`)

// LostDigits reports whether s is a 身份证号 that went through a number cell and lost its last
// digits: an 18-digit number in exponent form, or 18 digits that are a float64's shortest
// decimal (a number cell's value written out) and fail the 身份证号 check digit.
func LostDigits(s string) bool {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "eE") {
		return reSci.MatchString(s)
	}
	if len(s) != 18 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || strconv.FormatFloat(v, 'f', -1, 64) != s {
		return false
	}
	return !CheckDigitOK(s)
}

// CheckDigitOK reports whether an 18-character 身份证号 has a valid check digit (GB 11643,
// ISO 7064 MOD 11-2).
func CheckDigitOK(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * weights[i]
	}
	return s[17] == "10X98765432"[sum%11]
}

// maskLost masks a value LostDigits found: its first 6 digits (the region, still exact) and 12
// asterisks.
func maskLost(s string) string {
	s = strings.TrimSpace(s)
	d := s
	if m := reSci.FindStringSubmatch(s); m != nil {
		d = m[1] + m[2]
	}
	for len(d) < 6 {
		d += "0"
	}
	return d[:6] + strings.Repeat("*", 12)
}

// reSciText finds numbers in exponent form standing alone in a text, for MaskText.
var reSciText = regexp.MustCompile(`[0-9]\.[0-9]*[eE]\+?0*17`)

// maskSciText masks in s every 18-digit number in exponent form not touching other letters or
// digits.
func maskSciText(s string) string {
	if !strings.ContainsAny(s, "eE") {
		return s
	}
	locs := reSciText.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if l[0] > 0 && (wordChar(rune(s[l[0]-1])) || s[l[0]-1] == '.') || l[1] < len(s) && (s[l[1]] < 0x80 && wordChar(rune(s[l[1]])) || s[l[1]] == '.') {
			continue
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(maskLost(s[l[0]:l[1]]))
		last = l[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
