package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/internal/sharedtest"
)

// python finds /usr/bin/python3 with python-docx, skipping the test (failing in CI) without it.
func pythonDocx(t *testing.T) string {
	t.Helper()
	py := sharedtest.Tool(t, "/usr/bin/python3", "python3-docx")
	if out, err := exec.Command(py, "-c", "import docx").CombinedOutput(); err != nil {
		msg := "python3 模块 docx 不可用（Debian 软件包 python3-docx，.ci/run 会安装）：" + string(out)
		if sharedtest.Required() {
			t.Fatal("JIFEN_REQUIRE_SHARED=1，但 " + msg)
		}
		t.Skip("跳过：" + msg)
	}
	return py
}

// soffice converts src with LibreOffice (its own profile, as tests run in parallel) into dir.
func soffice(t *testing.T, src, to, dir string) string {
	t.Helper()
	lo := sharedtest.Tool(t, "soffice", "libreoffice-writer-nogui")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	profile := "file://" + filepath.Join(t.TempDir(), "profile")
	b, err := exec.CommandContext(ctx, lo, "-env:UserInstallation="+profile, "--headless", "--convert-to", to, "--outdir", dir, src).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+strings.SplitN(to, ":", 2)[0])
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("soffice wrote no %s:\n%s", out, b)
	}
	return out
}

// A template typed in LibreOffice Writer with formatting changed inside the placeholders
// (testdata/split_runs.fodt: 会次 bold inside {{支委会次数}}, {{党员 in Liberation Mono, the
// header's 员 bold, the footer's 会次 italic 16 pt, the row block's 支部 bold and 员数 mono),
// saved as .docx by LibreOffice, which splits every such placeholder into runs ({{ | 支委 |
// 会次 | 数 | }}), filled and read back by python-docx. Each line below is worked out by hand
// from the .fodt: a value takes the formatting of the run holding its "{{" and the text
// around keeps its own.
func TestFillDocxSavedByLibreOffice(t *testing.T) {
	py := pythonDocx(t)
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/split_runs.fodt")
	if err != nil {
		t.Fatal(err)
	}
	tplPath := soffice(t, src, "docx", dir)
	tpl, err := os.ReadFile(tplPath)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{
		"年度": "2024", "党员数": "14", "支委会次数": "7", "出勤率": "94.7", "第1季度.支委会次数": "2",
		"第一党支部.党员数": "7", "第一党支部.出勤率": "96.1", "第二党支部.党员数": "7", "第二党支部.出勤率": "93.3",
	}
	out, err := FillDocx("split_runs.docx", tpl, values, []string{"第一党支部", "第二党支部"}, "注意：以下 1 处文件未计入本文件中的数字：考勤.xlsx（有错误，未导入）。")
	if err != nil {
		t.Fatal(err)
	}
	filled := filepath.Join(dir, "报告.docx")
	if err := os.WriteFile(filled, out, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(py, "testdata/read_docx.py", filled).CombinedOutput()
	if err != nil {
		t.Fatalf("python-docx: %v\n%s", err, got)
	}
	want := []string{
		// The note first, bold.
		"P 注意：以下 1 处文件未计入本文件中的数字：考勤.xlsx（有错误，未导入）。{b}",
		// {{ was plain: 7 plain; the bold 会次 emptied; the text after plain as it was.
		"P 召开支委会7次，前后文字不变。{}",
		// {{党员 was in Liberation Mono: 14 in it; {{第一党支部.党员数}} all 14 pt: 7 at 14 pt.
		"P 党员{}14{Liberation Mono}名，其中第一党支部{}7{14}名。{}",
		// Bold before, italic 16 pt placeholder, 14 pt after: each kept.
		"P 加粗前文{b}2{i,16}大号后文{14}",
		// The table: header bold; one row per branch (its 支部 value in the plain run of
		// "{{#每个"; 7 in the plain run of "{{."; the rate in the italic 16 pt run); 合计.
		"R 党支部{b} | 党员数{b} | 出勤率（%）{b}",
		"R 第一党支部{} | 7{} | 96.1{i,16}",
		"R 第二党支部{} | 7{} | 93.3{i,16}",
		"R 合计{} | 14{} | 94.7{}",
		// The paragraph block: marker paragraphs gone, one paragraph per branch, 7 bold.
		"P 各支部：{}",
		"P 第一党支部有党员{}7{b}名。{}",
		"P 第二党支部有党员{}7{b}名。{}",
		"P 完。{}",
		// Header: 党建 still bold, {{党 plain so 14 plain; footer: {{支委 plain → 7 plain.
		"H 2024年度{}党建{b}报告（页眉14）{}",
		"F 页脚：7{}",
	}
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("python-docx read:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if strings.Contains(string(got), "{{") || strings.Contains(string(got), "}}") {
		t.Errorf("placeholders left:\n%s", got)
	}
}
