package privacy

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"110101199003071234", "110101********1234"},
		{"11010119900307123X", "110101********123X"},
		{"11010119900307123x", "110101********123X"},
		{" 110101199003071234 ", "110101********1234"},
		{"１１０１０１１９９００３０７１２３４", "110101********1234"}, // full-width
		{"110101900307123", "110101*****7123"},
		{"13812345678", "138****5678"},
		{"138 1234 5678", "138****5678"},
		{"138-1234-5678", "138****5678"},
		{"+86 13812345678", "138****5678"},
		{"0086-138-1234-5678", "138****5678"},
		{"１３８１２３４５６７８", "138****5678"},
		// Not an ID or a mobile number: unchanged.
		{"张伟", "张伟"},
		{"", ""},
		{"12812345678", "12812345678"}, // no mobile begins 12
		{"1381234567", "1381234567"},   // 10 digits
		{"1101011990030712345", "1101011990030712345"},
		{"110101 199003071234", "110101 199003071234"},
		{"1101011990X3071234", "1101011990X3071234"},
		{"GL216", "GL216"},
		{"010-12345678", "010-12345678"}, // a landline is not masked
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if MaskID("13812345678") != "13812345678" || MaskPhone("110101199003071234") != "110101199003071234" {
		t.Errorf("MaskID/MaskPhone mask only their own kind")
	}
}

func TestMaskText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"张伟（13812345678）", "张伟（138****5678）"},
		{"名册.csv!F3: 身份证号 “110101199003071234” 重复", "名册.csv!F3: 身份证号 “110101********1234” 重复"},
		{"身份证11010119900307123X，电话138 1234 5678。", "身份证110101********123X，电话138****5678。"},
		{"电话：138-1234-5678,13912345678", "电话：138****5678,139****5678"},
		{"+8613812345678", "+86138****5678"},
		{"１３８１２３４５６７８", "138****5678"},
		// Left alone: dates, counts, codes, longer numbers, numbers inside codes.
		{"2022-03-05 共 3781 条记录", "2022-03-05 共 3781 条记录"},
		{"卡号 6222021234567890123", "卡号 6222021234567890123"},
		{"编号A13812345678", "编号A13812345678"},
		{"13812345678B", "13812345678B"},
		{"1101011990030712345", "1101011990030712345"},
		{"138 1234 56789", "138 1234 56789"},
		{"", ""},
	} {
		if got := MaskText(c.in); got != c.want {
			t.Errorf("MaskText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNeutralize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{`=HYPERLINK("http://x","点我")`, `'=HYPERLINK("http://x","点我")`},
		{"+张伟", "'+张伟"},
		{"-张伟", "'-张伟"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-1+2", "'-1+2"}, // Excel evaluates it
		{"+86 138", "'+86 138"},
		// Not formulas.
		{"-0.5", "-0.5"},
		{"+3", "+3"},
		{"-2", "-2"},
		{"张伟", "张伟"},
		{"a=b", "a=b"},
		{"'=1", "'=1"},
		{"", ""},
		{"＝1+2", "＝1+2"}, // full-width = is text to Excel
	} {
		if got := Neutralize(c.in); got != c.want {
			t.Errorf("Neutralize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Neutralized text survives the CSV writer and reader as text beginning with a quote, so a
// spreadsheet program reads it as text.
func TestNeutralizeCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{Neutralize(`=cmd|' /C calc'!A0`), Neutralize("-0.5"), Neutralize("\"=1\"")})
	w.Flush()
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range recs[0] {
		if IsFormulaLike(cell) {
			t.Errorf("cell %q read back from CSV is formula-like", cell)
		}
	}
	if recs[0][1] != "-0.5" {
		t.Errorf("a number changed: %q", recs[0][1])
	}
}

// In XLSX, text written as a string cell is stored as text, never as a formula, whatever it
// begins with: the XLSX way (no quote needed). Both ways jifen writes cells: SetCellValue
// (shared strings, column A) and the StreamWriter of 附件.xlsx (inline strings, column B).
func TestXLSXStringCellsAreText(t *testing.T) {
	f := excelize.NewFile()
	if _, err := f.NewSheet("Sheet2"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet2")
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"=1+2", "@SUM(A1:A2)", "+张伟", "-张伟"}
	for i, v := range texts {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow(cell, []any{v}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for i, want := range texts {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		for sheet, wantType := range map[string]excelize.CellType{"Sheet1": excelize.CellTypeSharedString, "Sheet2": excelize.CellTypeInlineString} {
			formula, _ := g.GetCellFormula(sheet, cell)
			typ, _ := g.GetCellType(sheet, cell)
			v, _ := g.GetCellValue(sheet, cell)
			if formula != "" || v != want || typ != wantType {
				t.Errorf("%s!%s: formula %q, type %v, value %q; want the text %q", sheet, cell, formula, typ, v, want)
			}
		}
	}
}

func FuzzMaskText(f *testing.F) {
	for _, s := range []string{"张伟13812345678", "110101199003071234", "138 1234 5678", "１３８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskText(s)
		// Masking never lengthens a text in runes, and is idempotent.
		if len([]rune(out)) > len([]rune(s)) {
			t.Errorf("MaskText(%q) = %q is longer", s, out)
		}
		if again := MaskText(out); again != out {
			t.Errorf("MaskText not idempotent: %q → %q → %q", s, out, again)
		}
		if n := Neutralize(s); IsFormulaLike(n) {
			t.Errorf("Neutralize(%q) = %q is still formula-like", s, n)
		}
	})
}
