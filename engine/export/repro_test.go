package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/jifen/jifen/engine"
)

// 附件.xlsx is the same bytes for the same results whenever it is written: its parts in the
// order of their names (excelize writes streamed sheets in a map's order, different each time)
// and the <Default> extensions of [Content_Types].xml sorted (from a map too, once there is a
// chart). Written five times, with the star chart (star counts for both branches and 合计):
// before, two writings agreed about one time in eight.
func TestAppendixReproducible(t *testing.T) {
	r := small("quarter")
	for _, b := range []string{"一支部", "二支部", "合计"} {
		r.Indicators = append(r.Indicators, engine.Indicator{Branch: b, Name: "五星党员数", Value: f(1)}, engine.Indicator{Branch: b, Name: "一星党员数", Value: f(2)})
	}
	var first []byte
	for i := 0; i < 5; i++ {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := Write(dir, r); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "附件.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if !bytes.Contains(got, []byte("xl/charts/chart1.xml")) {
				t.Fatal("no star chart written: the test needs one")
			}
			first = got
		} else if !bytes.Equal(got, first) {
			t.Fatalf("附件.xlsx written again (%d): %d bytes, not the same as the first %d", i+1, len(got), len(first))
		}
	}
}

// sortElements sorts the adjacent elements of one name, self-closed or not, and leaves the rest.
func TestSortElements(t *testing.T) {
	in := `<Types><Default Extension="xml" ContentType="a"></Default><Default Extension="bmp" ContentType="b"/><Override PartName="/z"/><Override PartName="/a"/></Types>`
	want := `<Types><Default Extension="bmp" ContentType="b"/><Default Extension="xml" ContentType="a"></Default><Override PartName="/a"/><Override PartName="/z"/></Types>`
	if got := string(sortElements(sortElements([]byte(in), "Default"), "Override")); got != want {
		t.Errorf("sorted:\n%s\nwant\n%s", got, want)
	}
}
