package privacy

import "testing"

// A 身份证号 that went through a number cell: the check digits below were worked out by hand
// with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2).
// 11010119900307123 has check digit 3, so 110101199003071233 is a valid 身份证号; as a float64
// it is 1.1010119900307123E+17, whose shortest decimal is 110101199003071230 (invalid: the
// last digit 3 became 0). 11010119850313723 has check digit 0: 110101198503137230 is valid and
// a float64 writes it back unchanged, so nothing says it lost anything (it did not).
func TestLostDigits(t *testing.T) {
	for _, c := range []struct {
		in   string
		lost bool
		mask string
	}{
		{"1.1010119900307123E+17", true, "110101************"}, // xlsx <v> as Excel writes it
		{"1.101011985031377e+17", true, "110101************"},
		{"1.10101E+17", true, "110101************"},         // Excel's General display, in a CSV
		{"110101199003071230", true, "110101************"},  // shortest float decimal, check digit wrong
		{"110101198503137000", true, "110101************"},  // 15 digits then 000 (format 0), check digit should be 3
		{"110101199003071233", false, "110101********1233"}, // valid
		{"110101198503137230", false, "110101********7230"}, // valid, and a float writes it unchanged
		{"110101199003071234", false, "110101********1234"}, // check digit wrong but not a float's digits
		{"11010119900307123X", false, "110101********123X"},
		{"1.5E+3", false, "1.5E+3"},
		{"GL216", false, "GL216"},
	} {
		if got := LostDigits(c.in); got != c.lost {
			t.Errorf("LostDigits(%q) = %v, want %v", c.in, got, c.lost)
		}
		if got := Mask(c.in); got != c.mask {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.mask)
		}
	}
	if !CheckDigitOK("110101199003071233") || CheckDigitOK("110101199003071230") {
		t.Error("CheckDigitOK: 110101199003071233 is valid, 110101199003071230 is not")
	}
	for in, want := range map[string]string{
		"身份证号 1.1010119900307123E+17 有误": "身份证号 110101************ 有误",
		"“110101198503137000”":           "“110101************”",
		"“110101199003071233”":           "“110101********1233”",
		"版本 v1.2e17":                     "版本 v1.2e17",
	} {
		if got := MaskText(in); got != want {
			t.Errorf("MaskText(%q) = %q, want %q", in, got, want)
		}
	}
}
