package export

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Settle finishes a set whose staging folder is marked whole (stageDone): the files still in it
// are moved into place (members.csv was moved before the kill, 附件.xlsx not yet) and a file
// of the old set that the new one has not (periods.csv) is removed. A staging folder not marked
// whole is removed, the old set left as it was.
func TestSettle(t *testing.T) {
	put := func(path, text string) {
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	look := func(dir string) []string {
		var out []string
		for _, name := range []string{"members.csv", "indicators.csv", "periods.csv", "附件.xlsx"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				out = append(out, name+"="+string(b))
			}
		}
		if _, err := os.Stat(filepath.Join(dir, stageDir)); err == nil {
			out = append(out, stageDir)
		}
		return out
	}
	for _, marked := range []bool{true, false} {
		dir := t.TempDir()
		stage := filepath.Join(dir, stageDir)
		put(filepath.Join(dir, "members.csv"), "old")
		if marked {
			put(filepath.Join(dir, "members.csv"), "new") // moved before the kill
		}
		put(filepath.Join(dir, "indicators.csv"), "old")
		put(filepath.Join(dir, "periods.csv"), "old")
		put(filepath.Join(dir, "附件.xlsx"), "old")
		put(filepath.Join(stage, "indicators.csv"), "new")
		put(filepath.Join(stage, "附件.xlsx"), "new")
		put(filepath.Join(stage, ".附件.xlsx.123.tmp"), "part")
		if marked {
			put(filepath.Join(stage, stageDone), "members.csv\nindicators.csv\n附件.xlsx\n")
		}
		if err := Settle(dir); err != nil {
			t.Fatal(err)
		}
		want := []string{"members.csv=new", "indicators.csv=new", "附件.xlsx=new"}
		if !marked {
			want = []string{"members.csv=old", "indicators.csv=old", "periods.csv=old", "附件.xlsx=old"}
		}
		if got := look(dir); !slices.Equal(got, want) {
			t.Errorf("marked %v: settled to %q, want %q", marked, got, want)
		}
	}
}
