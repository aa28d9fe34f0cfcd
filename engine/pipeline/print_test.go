package pipeline_test

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/internal/printcheck"
)

// runDemo runs the demo year into a folder with config.yaml's unit and publicity contact set,
// on a fixed date: Friday 5 January 2024.
func runDemo(t *testing.T, unit, contact string) (*pipeline.Job, string) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := strings.Replace(string(cfg), "\nunit: \"\"\n", "\nunit: \""+unit+"\"\n", 1)
	c = strings.Replace(c, "  contact: \"\"\n", "  contact: \""+contact+"\"\n", 1)
	if c == string(cfg) {
		t.Fatal("config.yaml has no unit: \"\" or contact: \"\" to set")
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(c), 0o600); err != nil {
		t.Fatal(err)
	}
	opt := pipeline.Options{Inputs: []string{"../../datasets/demo"}, OutDir: filepath.Join(dir, "out"), ConfigPath: path,
		DBPath: filepath.Join(dir, "demo.duckdb"), Today: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)}
	if _, err := pipeline.Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, opt.OutDir
}

// The demo's 公示.xlsx printed through LibreOffice: one page for each of the four branches (20,
// 19, 23 and 18 members, members.csv), each numbered 第 1 页，共 1 页 after its branch; nothing
// below 10 pt (the table is 12 pt at scale 100; LibreOffice's footer 11 pt); every cell's text
// printed; no word over another or off the page. The text holds the title with the unit, the
// period (2024-01-05 is a Friday: five working days are 5, 8, 9, 10 and 11 January), the
// contact, 罗平's veto (total 0, grade 不合格 by 一票否决: explain) and 郭晨's 不定等次（预备党员）;
// and, in no part of the file, any member's 党员编号, 身份证号 or 手机号.
//
// A branch of 60 members (written directly) runs to three pages: 30 members on the first, the
// other 30 on the second (at most 34), and the lines under the table on a third (30 > 26 fit
// with them): 第 P 页，共 3 页 for P 1 to 3, at 12 pt, the header row repeated.
func TestPublicityPrint(t *testing.T) {
	const unit, contact = "某某公路管理局党委", "党委办公室 王老师，电话 0000-12345678"
	j, dir := runDemo(t, unit, contact)
	pub := filepath.Join(dir, export.PublicityFile)

	long := export.Results{Year: 2024, Date: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC), PublicityDays: 5,
		Members: func(put func(engine.MemberResult) error) error {
			for i := 0; i < 60; i++ {
				if err := put(engine.MemberResult{Name: "党员" + string(rune('甲'+i)), Branch: "大支部", Total: 90.25, Stars: 4, Grade: "合格"}); err != nil {
					return err
				}
			}
			return nil
		}}
	longDir := filepath.Join(t.TempDir(), "long")
	if _, err := export.Write(longDir, long); err != nil {
		t.Fatal(err)
	}
	rs := printcheck.Check(t, pub, filepath.Join(longDir, export.PublicityFile))
	r, rl := rs[0], rs[1]
	t.Log(r)
	t.Log(rl)

	want := []string{"机关第一党支部", "机关第二党支部", "养护党支部", "收费党支部"}
	if len(r.Sheets) != len(want) || r.Pages != 4 {
		t.Fatalf("%d sheets, %d pages, want %v one page each", len(r.Sheets), r.Pages, want)
	}
	for i, s := range r.Sheets {
		if s.Name != want[i] || s.Short != want[i]+"公示" || s.Pages != 1 || !s.Restarts {
			t.Errorf("sheet %d: %s (%s) %d pages numbered %v, want %s公示 on one page, 第 1 页，共 1 页", i+1, s.Name, s.Short, s.Pages, s.Numbers, want[i])
		}
		if s.FontXLSX < 10 || s.FontPDF < 9.8 || len(s.Missing) > 0 {
			t.Errorf("%s: smallest font %.1f (xlsx) / %.1f (PDF), missing %v", s.Name, s.FontXLSX, s.FontPDF, s.Missing)
		}
	}
	if len(r.Overlaps)+len(r.Outside)+len(r.Unassigned) > 0 {
		t.Errorf("overprinted %v, off the page %v, pages without a footer %v", r.Overlaps, r.Outside, r.Unassigned)
	}
	s := rl.Sheet("大支部")
	if s == nil || s.Pages != 3 || !s.Restarts || s.FontXLSX < 10 || s.FontPDF < 9.8 || len(s.Missing) > 0 || len(rl.Overlaps) > 0 {
		t.Errorf("60 members: %+v, want 3 pages 第 P 页，共 3 页, ≥ 10 pt, nothing missing", s)
	}

	all := parts(t, pub)
	for _, text := range []string{unit + "2022年度党员积分公示", "公示期：2024年1月5日至2024年1月11日（5个工作日）", contact,
		"罗平", "不合格（一票否决）", "郭晨", "不定等次（预备党员）", "2024年1月5日"} {
		if !strings.Contains(all, text) {
			t.Errorf("公示.xlsx has no %q", text)
		}
	}
	ctx := context.Background()
	res, err := pipeline.ExportResults(ctx, j.Store, 2022, "year", true)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := res.Members(func(m engine.MemberResult) error {
		n++
		for _, x := range []string{m.ID, m.IDCard, m.Phone} {
			if x != "" && strings.Contains(all, x) {
				t.Errorf("公示.xlsx shows %s's %s", m.Name, x)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 80 {
		t.Errorf("%d members, want the demo's 80", n)
	}
}

// parts is every part of a workbook's ZIP, as text, one after another.
func parts(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// The demo's 附件.xlsx printed through LibreOffice, within the bounds of issue 16: 附件1 on at
// most 3 pages, 附件2, 附件3, 附件6 and the chart on one each, 附件5 (the summary by category) on
// at most 2 per branch (4 branches: 8), nothing below 10 pt, every cell's text printed, no word
// over another or off its page, and each sheet's pages numbered 第 P 页，共 M 页 from 1 after its
// short name.
func TestAppendixPrint(t *testing.T) {
	_, dir := runDemo(t, "某某公路管理局党委", "")
	r := printcheck.Check(t, filepath.Join(dir, "附件.xlsx"))[0]
	t.Log(r)
	most := map[string]int{export.SheetMembers: 3, export.SheetCompliance: 1, export.SheetTests: 1, export.SheetPledges: 0,
		export.SheetLedger: 2 * 4, export.SheetIndicators: 1, export.SheetChart: 1}
	for _, s := range r.Sheets {
		bound, ok := most[s.Name]
		if !ok {
			continue // a sheet not printed as a 附件 (the line-by-line ledger)
		}
		if s.Pages == 0 || bound > 0 && s.Pages > bound {
			t.Errorf("%s: %d pages, want 1 to %d", s.Name, s.Pages, bound)
		}
		if !s.Restarts || s.Short == "" {
			t.Errorf("%s: footer %q numbered %v, want 第 1…%d 页，共 %d 页 after its short name", s.Name, s.Short, s.Numbers, s.Pages, s.Pages)
		}
		if s.Pages > 0 && (s.FontXLSX < 10 || s.FontPDF < 9.8) {
			t.Errorf("%s: smallest font %.1f pt (xlsx) / %.1f pt (PDF), want ≥ 10", s.Name, s.FontXLSX, s.FontPDF)
		}
		if len(s.Missing) > 0 {
			t.Errorf("%s: %d cells not printed whole, e.g. %v", s.Name, len(s.Missing), s.Missing[0])
		}
	}
	if len(r.Overlaps)+len(r.Outside)+len(r.Unassigned) > 0 {
		t.Errorf("overprinted %d, off the page %d, pages without a named footer %v", len(r.Overlaps), len(r.Outside), r.Unassigned)
	}
}
