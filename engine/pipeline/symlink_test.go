package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

// An input folder given as a symbolic link is read as the folder it points to, its files named
// by the link (链接/…). Inside it, a link to a file is read as that file; a link to a folder
// (here one to the folder itself: a loop) and a link to nothing are not followed, and said.
//
// The real folder 台账 holds 考勤.csv; the roster lives elsewhere (共享/名册.csv) and 台账 links
// to it as 名册.csv; 台账/循环 links to 台账 itself, 台账/失效 to a file that does not exist. So
// the files are 链接/名册.csv and 链接/考勤.csv, the links not followed 链接/失效 and 链接/循环,
// and the import stores 2 members and 1 sign-in.
func TestSymlinkedInput(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "台账")
	shared := filepath.Join(dir, "共享")
	os.Mkdir(real, 0o755)
	os.Mkdir(shared, 0o755)
	write(t, filepath.Join(shared, "名册.csv"), rosterCSV)
	write(t, filepath.Join(real, "考勤.csv"), "姓名,活动类型,活动日期,出勤情况\n甲,党课,2022-03-01,出席\n")
	for link, to := range map[string]string{
		filepath.Join(real, "名册.csv"): filepath.Join("..", "共享", "名册.csv"),
		filepath.Join(real, "循环"):     ".",
		filepath.Join(real, "失效"):     "不存在.csv",
		filepath.Join(dir, "链接"):      "台账",
	} {
		if err := os.Symlink(to, link); err != nil {
			t.Skipf("此系统不能建立符号链接：%v", err)
		}
	}
	in := filepath.Join(dir, "链接")
	ins, others, links, special, err := pipeline.FilesAndOthers([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range ins {
		names = append(names, f.Name)
	}
	if want := []string{"链接/名册.csv", "链接/考勤.csv"}; !reflect.DeepEqual(names, want) || len(others) != 0 {
		t.Errorf("files = %q (others %q), want %q", names, others, want)
	}
	if want := []string{"链接/失效", "链接/循环"}; !reflect.DeepEqual(links, want) || len(special) != 0 {
		t.Errorf("links not followed = %q, want %q", links, want)
	}

	j, err := pipeline.Open(pipeline.Options{Inputs: []string{in}, DBPath: filepath.Join(dir, "db.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sum, err := j.Import(context.Background())
	if err != nil || sum.Imported != 2 || count(t, j, "members") != 2 || count(t, j, "attendance") != 1 {
		t.Fatalf("import: %+v, %v; want 2 files: 2 members, 1 sign-in", sum, err)
	}
	want := "链接/失效、链接/循环: 是指向文件夹（或已不存在）的快捷链接，没有跟随读取"
	if len(sum.Warnings) == 0 || !strings.HasPrefix(sum.Warnings[0], want) {
		t.Errorf("warnings = %q, want the first to start %q", sum.Warnings, want)
	}
}
