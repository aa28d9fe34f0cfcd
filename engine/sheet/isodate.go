package sheet

import (
	"strconv"
	"time"
)

// Cells typed as dates (t="d") hold an ISO 8601 date or date-time (<v>2022-03-15T00:00:00</v>),
// which few writers use but the standard allows. Read gives every other date as its serial
// number (days since 1899-12-30, or since 1904-01-01 in a 1904 workbook, with the time of
// day as the fraction), whatever its number format, and gives these the same way: isoSerial
// turns the text into that serial. A time zone, if written, is left out (the date and time
// are those written, as Excel shows them). Text that is no such date, or a date before
// 1900-03-01 (where Excel's serials count the non-existent 1900-02-29), stays as written, and
// the importer says it is no date it knows.
func isoSerial(v []byte, date1904 bool) (string, bool) {
	n := len(v)
	if n < 10 || v[4] != '-' || v[7] != '-' {
		return "", false
	}
	y, ok1 := digits(v[0:4])
	mo, ok2 := digits(v[5:7])
	d, ok3 := digits(v[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", false
	}
	secs, frac := 0, 0.0
	rest := v[10:]
	if len(rest) > 0 && (rest[0] == 'T' || rest[0] == ' ') {
		rest = rest[1:]
		if len(rest) < 5 || rest[2] != ':' {
			return "", false
		}
		h, ok1 := digits(rest[0:2])
		mi, ok2 := digits(rest[3:5])
		if !ok1 || !ok2 || h > 24 || mi > 59 {
			return "", false
		}
		rest = rest[5:]
		s := 0
		if len(rest) >= 3 && rest[0] == ':' {
			var ok bool
			if s, ok = digits(rest[1:3]); !ok || s > 60 {
				return "", false
			}
			rest = rest[3:]
			if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') {
				i := 1
				for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
					i++
				}
				f, err := strconv.ParseFloat("0."+string(rest[1:i]), 64)
				if err != nil || i == 1 {
					return "", false
				}
				frac, rest = f, rest[i:]
			}
		}
		secs = h*3600 + mi*60 + s
	}
	// A zone: Z, +hh:mm, -hh:mm, +hhmm.
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && rest[0] == 'Z':
	case (rest[0] == '+' || rest[0] == '-') && (len(rest) == 6 && rest[3] == ':' || len(rest) == 5 || len(rest) == 3):
	default:
		return "", false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2022-02-30
		return "", false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if t.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		return "", false
	}
	if t.Before(epoch) {
		return "", false
	}
	days := int(t.Sub(epoch).Hours()/24 + 0.5)
	serial := float64(days) + (float64(secs)+frac)/86400
	return strconv.FormatFloat(serial, 'f', -1, 64), true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
