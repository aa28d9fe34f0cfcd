package sheet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// readBoth reads a workbook kept whole (the default for small sheets) and streamed (every
// sheet over StreamThreshold), its merged ranges found first (ReadMerged).
func readBoth(t *testing.T, path string) (whole, lazy []Table, err error) {
	t.Helper()
	whole, _, err = Read(path)
	if err != nil {
		return nil, nil, err
	}
	old := StreamThreshold
	StreamThreshold = -1
	defer func() { StreamThreshold = old }()
	lazy, _, err = ReadMerged(path)
	return whole, lazy, err
}

// lateMerges reads a workbook streamed by Read (merged ranges not looked for before the rows)
// and returns, by sheet, the merged ranges Each found at the end of each sheet.
func lateMerges(t *testing.T, path string) [][]Range {
	t.Helper()
	old := StreamThreshold
	StreamThreshold = -1
	defer func() { StreamThreshold = old }()
	tables, _, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]Range
	for _, tb := range tables {
		if tb.LateMerges() != nil {
			t.Errorf("%s[%s]: merged ranges known before Each", path, tb.Sheet)
		}
		if err := tb.Each(0, func(int, []string) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if tb.lazy.late {
			out = append(out, tb.LateMerges())
		} else { // a sheet of at most HeadRows rows: its head was read to the end, merges and all
			out = append(out, tb.Merges)
		}
	}
	return out
}

// TestStreamedTablesMatch checks, on every .xlsx fixture of the repository (and the real
// templates), that a sheet read lazily gives through Each exactly the rows (merged cells
// filled) of the same sheet read whole, that its head is the whole sheet's first rows, and
// that Full gives the whole table back.
func TestStreamedTablesMatch(t *testing.T) {
	streamed := 0
	for _, path := range xlsxFixtures(t) {
		name := filepath.Base(path)
		if _, refused := refusedFixtures[name]; refused {
			continue // read by excelize, never streamed
		}
		whole, lazy, err := readBoth(t, path)
		if err != nil {
			continue // refused either way (damaged, encrypted, …): TestBadInput's business
		}
		if len(whole) != len(lazy) {
			t.Errorf("%s: %d sheets whole, %d streamed", path, len(whole), len(lazy))
			continue
		}
		for k, w := range whole {
			l := lazy[k]
			if l.Complete() {
				continue // not an .xlsx inside (a renamed .xls): read whole whatever its size
			}
			streamed++
			n := min(len(w.Rows), HeadRows)
			if !reflect.DeepEqual(l.Rows[:min(len(l.Rows), n)], w.Rows[:min(len(l.Rows), n)]) || len(l.Rows) != n {
				t.Errorf("%s[%s]: head differs from the first %d rows", path, l.Sheet, n)
			}
			got := map[int][]string{}
			if err := l.Each(0, func(i int, cells []string) error {
				got[i] = append([]string(nil), cells...)
				return nil
			}); err != nil {
				t.Errorf("%s[%s]: Each: %v", path, l.Sheet, err)
				continue
			}
			for i, row := range w.Rows {
				g, ok := got[i]
				if !ok && strings.Join(row, "") != "" && !mergedOnly(w, i) {
					t.Errorf("%s[%s]: row %d %q not streamed", path, l.Sheet, i+1, row)
				}
				if ok && !reflect.DeepEqual(g, row) {
					t.Errorf("%s[%s]: row %d streamed as %q, read whole as %q", path, l.Sheet, i+1, g, row)
				}
			}
			full, err := l.Full()
			if err != nil || !reflect.DeepEqual(full.Rows, w.Rows) || !full.Complete() {
				t.Errorf("%s[%s]: Full differs from the sheet read whole (%v)", path, l.Sheet, err)
			}
		}
		if whole[0].Complete() && !lazy[0].Complete() {
			for k, late := range lateMerges(t, path) {
				if len(late) != len(whole[k].Merges) || len(late) > 0 && !reflect.DeepEqual(late, whole[k].Merges) {
					t.Errorf("%s[%s]: late merges %v, read whole %v", path, whole[k].Sheet, late, whole[k].Merges)
				}
			}
		}
	}
	t.Logf("%d sheets compared", streamed)
	if streamed < 50 {
		t.Errorf("only %d sheets streamed: the fixtures were not found", streamed)
	}
}

// mergedOnly reports whether row i holds only values copied from merged ranges above it (an
// empty row inside a vertical merge, which streaming does not report).
func mergedOnly(t Table, i int) bool {
	for c, v := range t.Rows[i] {
		if v == "" {
			continue
		}
		in := false
		for _, m := range t.Merges {
			if m.R0 < i && i <= m.R1 && m.C0 <= c && c <= m.C1 {
				in = true
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// TestEachStops checks that an error from fn stops a streamed Each and comes back
// as it is.
func TestEachStops(t *testing.T) {
	old := StreamThreshold
	StreamThreshold = -1
	defer func() { StreamThreshold = old }()
	tables, _, err := Read("testdata/xml_merges.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	calls := 0
	err = tables[0].Each(0, func(int, []string) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("Each = %v after %d calls, want the fn's error after 1", err, calls)
	}
}

// TestStreamedMergesPastHead checks the filling of merged ranges while streaming, on a sheet
// longer than HeadRows: a vertical merge that starts in the head and ends below it, one wholly
// below it, and a horizontal one; each must read as the sheet read whole.
func TestStreamedMergesPastHead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "merges_past_head.xlsx")
	f := excelize.NewFile()
	for r := 1; r <= 120; r++ {
		f.SetSheetRow("Sheet1", "A"+strconv.Itoa(r), &[]any{"M" + strconv.Itoa(r), "第" + strconv.Itoa(r) + "支部", r})
	}
	for _, m := range [][2]string{{"B60", "B70"}, {"B90", "B100"}, {"A110", "C110"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	whole, lazy, err := readBoth(t, path)
	if err != nil {
		t.Fatal(err)
	}
	l := lazy[0]
	if l.Complete() || len(l.Rows) != HeadRows {
		t.Fatalf("streamed table keeps %d rows, complete %v", len(l.Rows), l.Complete())
	}
	got := 0
	err = l.Each(HeadRows-10, func(i int, cells []string) error {
		got++
		if !reflect.DeepEqual(cells, whole[0].Rows[i]) {
			t.Errorf("row %d streamed as %q, read whole as %q", i+1, cells, whole[0].Rows[i])
		}
		return nil
	})
	if err != nil || got != 120-(HeadRows-10) {
		t.Errorf("Each = %v after %d rows, want %d rows", err, got, 120-(HeadRows-10))
	}
	// Read without looking for them first, the ranges are found at the end of Each: B60:B70,
	// B90:B100 and A110:C110, 0-based.
	want := []Range{{R0: 59, C0: 1, R1: 69, C1: 1}, {R0: 89, C0: 1, R1: 99, C1: 1}, {R0: 109, C0: 0, R1: 109, C1: 2}}
	if late := lateMerges(t, path)[0]; !reflect.DeepEqual(late, want) {
		t.Errorf("late merges %v, want %v", late, want)
	}
	// By hand: B65 is inside B60:B70, so it reads B60's 第60支部; C110 is inside A110:C110.
	if w := whole[0].Rows; w[64][1] != "第60支部" || w[95][1] != "第90支部" || w[109][2] != "M110" {
		t.Errorf("whole read: B65 %q, B96 %q, C110 %q", w[64][1], w[95][1], w[109][2])
	}
}

// TestStreamedCSVMatches checks, on every .csv fixture (and a long line, a GB18030 file and a
// file that turns GBK far down), that a CSV file streamed gives the records, or the refusal, of
// the same file read whole.
func TestStreamedCSVMatches(t *testing.T) {
	files, _ := filepath.Glob("../*/testdata/*.csv")
	bad, _ := filepath.Glob("../pipeline/testdata/bad/*.csv")
	files = append(files, bad...)
	dir := t.TempDir()
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("姓名,出勤情况\n张伟,出席\n")
	mixed := "姓名,出勤情况\n" + strings.Repeat("张伟,出席\n", 5000) + gbk
	for name, text := range map[string]string{
		"gbk.csv":        gbk,
		"mixed_far.csv":  mixed,
		"bom_quotes.csv": "\ufeff姓名,备注\n\"张伟\",\"一行\n两行\"\n",
		"long_line.csv":  "姓名\n" + strings.Repeat("长", maxCSVLine/3+10) + "\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if len(files) < 15 {
		t.Fatalf("only %d CSV fixtures found", len(files))
	}
	for _, path := range files {
		whole, _, werr := Read(path)
		old := StreamThreshold
		StreamThreshold = -1
		lazy, _, lerr := Read(path)
		StreamThreshold = old
		if werr != nil || lerr != nil {
			if fmt.Sprint(werr) != fmt.Sprint(lerr) {
				t.Errorf("%s: read whole: %v; streamed: %v", path, werr, lerr)
			}
			continue
		}
		var got [][]string
		err := lazy[0].Each(0, func(i int, cells []string) error {
			got = append(got, append([]string(nil), cells...))
			return nil
		})
		if err != nil || !reflect.DeepEqual(got, whole[0].Rows) {
			t.Errorf("%s: streamed %q (%v), read whole %q", path, got, err, whole[0].Rows)
		}
	}
}
