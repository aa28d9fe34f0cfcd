package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// marks lists a batch's sign-ins as "member activity date status row", for comparing.
func marks(b *engine.Batch) []string {
	var out []string
	for _, a := range b.Attendance {
		out = append(out, a.MemberID+" "+a.Activity+" "+a.Date.Format("01-02")+" "+a.Status+" "+a.Src.String())
	}
	return out
}

// A legend under or above the matrix defines its marks; the lines under it are no members.
func TestMatrixLegends(t *testing.T) {
	c := config(t)
	for _, tc := range []struct {
		file    string
		want    []string
		legend  string
		skipped map[string]int
	}{
		// 注：√表示出席，○表示请假，×表示缺席，△表示迟到，☆早退 (A6, merged over A6:F6). 张伟 (A01):
		// √ 出席, ○ 请假 (not 出席, as the vocabulary has it), △ 迟到. 王芳 (A02): ○ 请假, × 缺席,
		// ☆ 早退 (☆ is in no vocabulary). The legend row is skipped as 图例.
		{"matrix_legend_circle_is_leave.xlsx", []string{
			"A01 支委会 03-02 出席 matrix_legend_circle_is_leave.xlsx[3月]!3行",
			"A01 主题党日 03-15 请假 matrix_legend_circle_is_leave.xlsx[3月]!3行",
			"A01 党课 03-25 迟到 matrix_legend_circle_is_leave.xlsx[3月]!3行",
			"A02 支委会 03-02 请假 matrix_legend_circle_is_leave.xlsx[3月]!4行",
			"A02 主题党日 03-15 缺席 matrix_legend_circle_is_leave.xlsx[3月]!4行",
			"A02 党课 03-25 早退 matrix_legend_circle_is_leave.xlsx[3月]!4行",
		}, "A6：√出席 ○请假 ×缺席 △迟到 ☆早退", map[string]int{"图例": 1}},
		// 说明： | √出席 | ○请假 | ×缺席 in row 2, above the header (row 3): 张伟 ○ 请假, √ 出席;
		// 王芳 × 缺席, ○ 请假. Rows above the header are not data: nothing skipped.
		{"matrix_legend_above.xlsx", []string{
			"A01 支委会 04-06 请假 matrix_legend_above.xlsx[Sheet1]!4行",
			"A01 主题党日 04-20 出席 matrix_legend_above.xlsx[Sheet1]!4行",
			"A02 支委会 04-06 缺席 matrix_legend_above.xlsx[Sheet1]!5行",
			"A02 主题党日 04-20 请假 matrix_legend_above.xlsx[Sheet1]!5行",
		}, "A2：√出席 ○请假 ×缺席", nil},
		// No legend: √ 出席 and 假 请假 by the vocabulary. Rows 6 (应到 2 人，实到 2 人), 7
		// (支部书记（签字）： … 记录人：) and 8 (主持人签字 in the 姓名 column) are footer lines,
		// not members: the file imports (before, 姓名 “主持人签字” 不在党员名册中 refused it).
		{"matrix_signature_rows.xlsx", []string{
			"A01 党课 05-10 出席 matrix_signature_rows.xlsx[Sheet1]!3行",
			"A01 主题党日 05-25 出席 matrix_signature_rows.xlsx[Sheet1]!3行",
			"A02 党课 05-10 请假 matrix_signature_rows.xlsx[Sheet1]!4行",
			"A02 主题党日 05-25 出席 matrix_signature_rows.xlsx[Sheet1]!4行",
		}, "", map[string]int{"表尾（合计、签字、说明、应到实到等）": 3}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, errs, f := load(t, c, "testdata/"+tc.file)
			if errs != nil {
				t.Fatalf("errors: %q", errs)
			}
			if got := marks(b); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sign-ins =\n%q\nwant\n%q", got, tc.want)
			}
			rd := f.Readings()[0]
			if rd.Legend != tc.legend || !reflect.DeepEqual(rd.Skipped, tc.skipped) {
				t.Errorf("reading: legend %q, skipped %v; want %q, %v", rd.Legend, rd.Skipped, tc.legend, tc.skipped)
			}
			if tc.legend != "" && !strings.Contains(rd.Summary(), "按图例 "+tc.legend) {
				t.Errorf("summary %q does not name the legend", rd.Summary())
			}
		})
	}
}

// A mark the legend does not define is an error at its cell, naming the legend; △ would be
// unknown to the vocabulary too, but with a legend even a mark the vocabulary knows is not
// guessed (the sheet's ○ may be 请假).
func TestMatrixMarkNotInLegend(t *testing.T) {
	_, errs, _ := load(t, config(t), "testdata/matrix_mark_not_in_legend.xlsx")
	want := []string{"matrix_mark_not_in_legend.xlsx[Sheet1]!E4: 签到 “△” 不在本表的图例中（A6：√出席 ○请假 ×缺席）：请在图例中写明它的含义（空白表示未要求参加）"}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, want)
	}
}

// writeCSV writes a fixture into a temporary folder and returns its path.
func writeCSV(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A legend giving ○ two meanings is an error at the legend's cell; a piece naming no status
// too. Nothing of the file is imported.
func TestLegendContradicts(t *testing.T) {
	c := config(t)
	p := writeCSV(t, "legend_2022.csv", "姓名,所在支部,3月2日支委会\n张伟,第一党支部,○\n说明：√出席 ○请假 ○缺席,,\n")
	_, errs, _ := load(t, c, p)
	want := []string{"legend_2022.csv!A3: 图例中 “○” 出现两次，一次是请假，一次是缺席：请改正图例"}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, want)
	}
	p = writeCSV(t, "legend_2022.csv", "姓名,所在支部,3月2日支委会\n张伟,第一党支部,○\n注：√出席 ○请假 ◇早到,,\n")
	_, errs, _ = load(t, c, p)
	want = []string{"legend_2022.csv!A3: 图例中的 “◇早到” 无法识别：应为标记加出勤情况，如 √出席、○请假（可用：出席、请假、缺席、迟到、早退）"}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%q\nwant\n%q", errs, want)
	}
}

// A member literally named 审核, last in the matrix with marks, is read as a member, not as a
// footer line (审核… begins a footer); a row 审核：李四 under it is a footer.
func TestMemberNamedLikeFooter(t *testing.T) {
	c := config(t)
	rf, err := Load(writeCSV(t, "名册.csv", "党员编号,姓名,所在支部,党员类别\nS1,张伟,一支部,正式党员\nS2,审核,一支部,正式党员\n"), "", c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRoster(nil)
	if _, err := rf.Parse(c, r); err != nil {
		t.Fatal(err)
	}
	f, err := Load(writeCSV(t, "签到_2022.csv", "姓名,3月2日党课\n张伟,√\n审核,×\n审核：李四,\n"), "", c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Parse(c, r)
	if err != nil {
		t.Fatal(err)
	}
	// 张伟 √ 出席; 审核 × 缺席; row 4 skipped as a footer.
	want := []string{"S1 党课 03-02 出席 签到_2022.csv!2行", "S2 党课 03-02 缺席 签到_2022.csv!3行"}
	if got := marks(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	if got := f.Readings()[0].Skipped; !reflect.DeepEqual(got, map[string]int{"表尾（合计、签字、说明、应到实到等）": 1}) {
		t.Errorf("skipped = %v", got)
	}
}

// legendConfig is the default config with a layout giving a legend and footer words for the
// files named *第一支部*: no kind or columns, so the sheets are still recognised by header.
func legendConfig(t *testing.T, layout string) (*rules.Config, error) {
	t.Helper()
	text := strings.Replace(string(jifen.DefaultConfig), "  layouts: []", "  layouts:\n"+layout, 1)
	return rules.Parse("config.yaml", []byte(text))
}

// A legend and footer words from config: ○ 请假 for a sheet without a legend; 校对人 begins a
// footer line. The sheet's own legend would win (see TestMatrixLegends).
func TestConfigLegendAndFooter(t *testing.T) {
	c, err := legendConfig(t, "    - name: 第一支部考勤\n      files: [\"*第一支部*\"]\n      legend: {√: 出席, ○: 请假, ×: 缺席}\n      footer: [校对人]\n")
	if err != nil {
		t.Fatal(err)
	}
	p := writeCSV(t, "第一支部_2022.csv", "姓名,所在支部,3月2日支委会\n张伟,第一党支部,○\n王芳,第一党支部,√\n校对人 张伟,,\n")
	b, errs, f := load(t, c, p)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	// 张伟 ○ → 请假 by the config's legend; 王芳 √ 出席; row 4 a footer by the word 校对人 (its
	// 张伟 is no member row).
	want := []string{"A01 支委会 03-02 请假 第一支部_2022.csv!2行", "A02 支委会 03-02 出席 第一支部_2022.csv!3行"}
	if got := marks(b); !reflect.DeepEqual(got, want) {
		t.Errorf("sign-ins = %q, want %q", got, want)
	}
	if rd := f.Readings()[0]; rd.Legend != "版式 “第一支部考勤”：√出席 ○请假 ×缺席" {
		t.Errorf("legend = %q", rd.Legend)
	}
}

// matrix_check_and_circle_no_legend_2022.csv: 王芳 √ at 支委会 and ○ at 主题党日, and no legend.
// The vocabulary reads both as 出席, but a sheet that tells √ from ○ means something by it
// (many units write ○ for 请假): refused at the ○ (C2), saying how to write the legend — a
// trial's run read ○ as 出席 with exit 0.
func TestMatrixCheckAndCircleNeedLegend(t *testing.T) {
	_, errs, _ := load(t, config(t), "testdata/matrix_check_and_circle_no_legend_2022.csv")
	want := "matrix_check_and_circle_no_legend_2022.csv!C2: 本表既用 “√” 又用 “○”，却没有图例说明它们的含义（默认都算出席，但有的单位用 ○ 表示请假）：请在表格下方写上图例，如“说明：√出席 ○请假 ×缺席”，或在 config.yaml 的 import.layouts 中用 legend 说明"
	if len(errs) != 1 || errs[0] != want {
		t.Errorf("errors = %q, want %q", errs, want)
	}
}

// A config layout's footer words end the table on any sheet, not only a matrix: on a long
// attendance sheet the line “校对人 张伟” written in the 姓名 column is no sign-in — without
// the layout it is read as a member named 校对人张伟, not in the roster: an error.
func TestConfigFooterOnAttendance(t *testing.T) {
	c, err := legendConfig(t, "    - name: 第一支部考勤\n      files: [\"*第一支部*\"]\n      footer: [校对人]\n")
	if err != nil {
		t.Fatal(err)
	}
	p := writeCSV(t, "第一支部_2022.csv", "序号,姓名,活动类型,日期,出勤情况\n1,王芳,支委会,2022-03-02,出席\n,校对人 张伟,,,\n")
	b, errs, _ := load(t, c, p)
	if errs != nil {
		t.Fatalf("errors: %q", errs)
	}
	if want := []string{"A02 支委会 03-02 出席 第一支部_2022.csv!2行"}; !reflect.DeepEqual(marks(b), want) {
		t.Errorf("sign-ins = %q, want %q", marks(b), want)
	}
	if _, errs, _ := load(t, config(t), p); errs == nil {
		t.Error("without the layout the line was not refused: the test shows nothing")
	}
}
