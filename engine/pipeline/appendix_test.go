package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/scoring"
)

// sheetDump is what testdata/openpyxl/dump.py prints of a sheet.
type sheetDump struct {
	Name        string   `json:"name"`
	Rows        [][]any  `json:"rows"`
	Merged      []string `json:"merged"`
	Freeze      string   `json:"freeze"`
	PrintTitles string   `json:"print_titles"`
	Paper       string   `json:"paper"`
	Footer      string   `json:"footer"`
	Charts      int      `json:"charts"`
}

// cellText renders an openpyxl value as the engine's CSVs do: numbers without trailing zeros.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// 附件.xlsx read by openpyxl (Debian's python3-openpyxl; .ci/run installs it; without it,
// testdata/openpyxl/dump.py reads the parts with Python's zipfile and ElementTree), not excelize:
// every sheet has its merged title, frozen header, header rows repeated in print, A4 paper and
// page numbers; every value matches what the engine computed (members.csv, indicators.csv, the
// compliance, test and pledge tables, the ledger).
func TestAppendixReadByOpenpyxl(t *testing.T) {
	j, dir := runFixture(t)
	out, err := exec.Command("/usr/bin/python3", "testdata/openpyxl/dump.py", filepath.Join(dir, "附件.xlsx")).Output()
	if err != nil {
		t.Fatalf("python3 is needed to read 附件.xlsx with a reader that is not excelize (apt-get install python3-openpyxl): %v", err)
	}
	var dump struct{ Sheets []sheetDump }
	if err := json.Unmarshal(out, &dump); err != nil {
		t.Fatal(err)
	}
	sheets := map[string]sheetDump{}
	var names []string
	for _, s := range dump.Sheets {
		sheets[s.Name] = s
		names = append(names, s.Name)
		if s.Name == export.SheetChart {
			if s.Charts != 1 {
				t.Errorf("%s has %d charts, want the star chart", s.Name, s.Charts)
			}
			continue
		}
		// Below each table but the ledger: its 说明 lines, a blank row and a line to sign (not
		// under 附件6: a summary of figures on one page, signed with the report).
		if s.Name != export.SheetLedger {
			n := len(s.Rows)
			if s.Name != export.SheetIndicators {
				if n < 2 || cellText(s.Rows[n-1][0]) != "填表人：　　　　　　审核人：　　　　　　" {
					t.Errorf("%s: last row %v, want the line to sign", s.Name, s.Rows[n-1])
				}
				s.Rows = s.Rows[:n-2]
			} else if strings.HasPrefix(cellText(s.Rows[n-1][0]), "填表人") {
				t.Errorf("%s: a line to sign, want none", s.Name)
			}
			for len(s.Rows) > 0 && strings.HasPrefix(cellText(s.Rows[len(s.Rows)-1][0]), "说明：") {
				s.Rows = s.Rows[:len(s.Rows)-1]
			}
			sheets[s.Name] = s
		}
		// Above each table: 附件N, the title and the 填报单位 line; the header in row 4, frozen
		// and repeated on every printed page; the footer names the 附件 and counts its pages.
		tag := s.Name[:strings.Index(s.Name, " ")]
		if cellText(s.Rows[0][0]) != tag || !strings.HasPrefix(cellText(s.Rows[2][0]), "填报单位：") {
			t.Errorf("%s: rows above the table %v", s.Name, s.Rows[:3])
		}
		freeze, titles := "A5", "$4:$4"
		if s.Name == export.SheetLedger { // a note under the 填报单位 line
			freeze, titles = "A6", "$5:$5"
		}
		if len(s.Merged) == 0 || s.Freeze != freeze || s.PrintTitles != titles || s.Paper != "9" || !footerRe.MatchString(s.Footer) || !strings.HasPrefix(s.Footer, tag+"　") {
			t.Errorf("%s: merged %v, freeze %q, print titles %q, paper %q, footer %q", s.Name, s.Merged, s.Freeze, s.PrintTitles, s.Paper, s.Footer)
		}
	}
	want := []string{export.SheetMembers, export.SheetCompliance, export.SheetTests, export.SheetPledges, export.SheetLedger, export.SheetIndicators, export.SheetChart}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("sheets %q, want %q", names, want)
	}

	// 附件1 against members.csv.
	members := readBOMCSV(t, filepath.Join(dir, "members.csv"))[1:]
	rows := sheets[export.SheetMembers].Rows[4:]
	if len(rows) != len(members) {
		t.Fatalf("附件1 has %d rows, members.csv %d", len(rows), len(members))
	}
	starText := []string{"无星", "★", "★★", "★★★", "★★★★", "★★★★★"}
	for i, m := range members {
		r := rows[i]
		st, _ := strconv.Atoi(m[5])
		got := []string{cellText(r[1]), cellText(r[2]), cellText(r[3]), cellText(r[4]), cellText(r[5]), cellText(r[6]), cellText(r[7])}
		wantRow := []string{m[0], m[1], m[2], m[3], m[4], starText[st], m[6]}
		if fmt.Sprint(got) != fmt.Sprint(wantRow) {
			t.Errorf("附件1 row %d = %q, want %q", i+3, got, wantRow)
		}
		if _, isNum := r[5].(float64); !isNum {
			t.Errorf("附件1 row %d: 总积分 %v is not a number", i+3, r[5])
		}
	}

	// 附件6 against indicators.csv: one row per indicator (in two blocks side by side when the
	// header repeats 指标), one column per branch and 合计; a rate's label has its unit.
	inds := readBOMCSV(t, filepath.Join(dir, "indicators.csv"))[1:]
	ind := sheets[export.SheetIndicators]
	header := ind.Rows[3]
	blocks := []int{0}
	for i := 1; i < len(header); i++ {
		if cellText(header[i]) == "指标" {
			blocks = append(blocks, i)
		}
	}
	col := map[string]int{}
	for i, h := range header[:len(header)/len(blocks)] {
		col[cellText(h)] = i
	}
	row := map[string][]any{}
	for _, r := range ind.Rows[4:] {
		for _, b := range blocks {
			if b < len(r) && r[b] != nil {
				row[strings.TrimSuffix(cellText(r[b]), "（%）")] = r[b:]
			}
		}
	}
	for _, in := range inds {
		r, ok := row[in[1]]
		if !ok {
			t.Errorf("附件6 lacks %s", in[1])
			continue
		}
		got := cellText(r[col[in[0]]])
		wantV := in[2]
		if wantV == "" {
			wantV = "—"
		} else if f, err := strconv.ParseFloat(wantV, 64); err == nil {
			wantV = strconv.FormatFloat(f, 'f', -1, 64)
		}
		if got != wantV {
			t.Errorf("附件6 %s %s = %q, want %q", in[0], in[1], got, wantV)
		}
	}

	// 附件2, 3, 4 against the engine's tables; 附件5 sums to each member's total.
	ctx := context.Background()
	comp, _ := scoring.ComplianceOf(ctx, j.Store.DB, 2022)
	crows := sheets[export.SheetCompliance].Rows[4:]
	if len(crows) != len(comp) {
		t.Fatalf("附件2 has %d rows, want %d", len(crows), len(comp))
	}
	branch := ""
	for i, c := range comp {
		r := crows[i]
		if r[0] != nil { // a branch's rows are merged: its name in the first
			branch = cellText(r[0])
		}
		r[0] = branch
		met := map[bool]string{true: "是", false: "否，未达标"}[c.Met()]
		got := join(cellText(r[0]), cellText(r[1]), cellText(r[3]), cellText(r[4]), cellText(r[5]), cellText(r[6]))
		wantS := join(c.Branch, c.Activity, c.Required, c.Held, met, c.Short)
		if got != wantS {
			t.Errorf("附件2 row %d = %s, want %s", i+3, got, wantS)
		}
	}
	tests, _ := scoring.TestStats(ctx, j.Store.DB, 2022)
	trows := sheets[export.SheetTests].Rows[4:]
	if len(trows) != len(tests) {
		t.Fatalf("附件3 has %d rows, want %d", len(trows), len(tests))
	}
	var test any
	for i, ts := range tests {
		r := trows[i]
		if r[0] != nil { // a test's rows are merged: its name in the first
			test = r[0]
		}
		r[0] = test
		got := join(cellText(r[0]), cellText(r[2]), cellText(r[3]), cellText(r[4]), cellText(r[6]), cellText(r[7]))
		wantS := join(ts.Test, ts.Branch, ts.Taken, ts.Passed, ts.Absent, ts.Excused)
		if got != wantS {
			t.Errorf("附件3 row %d = %s, want %s", i+3, got, wantS)
		}
	}
	var pledges []engine.PledgeRow
	if err := j.Store.EachPledge(ctx, 2022, func(p engine.PledgeRow) error { pledges = append(pledges, p); return nil }); err != nil {
		t.Fatal(err)
	}
	prows := sheets[export.SheetPledges].Rows[4:]
	for i, p := range pledges {
		r := prows[i]
		rating := p.Rating
		if rating == "" {
			rating = "未评价"
		}
		if cellText(r[1]) != p.MemberID || cellText(r[5]) != rating {
			t.Errorf("附件4 row %d = %v, want %+v", i+3, r, p)
		}
	}
	// 附件5: under each branch's heading, its members (序号, 姓名, categories, 总积分) in roster
	// order, then 合计 and 平均; a member's categories add up to the 总积分 of members.csv.
	branch, i := "", 0
	for _, r := range sheets[export.SheetLedger].Rows[5:] {
		switch first := cellText(r[0]); {
		case first == "合计" || first == "平均":
		case cellText(r[1]) == "":
			branch = first
		default:
			if i >= len(members) {
				t.Fatalf("附件5 has more members than members.csv")
			}
			m := members[i]
			i++
			sum := 0.0
			for _, v := range r[2 : len(r)-1] {
				if x, ok := v.(float64); ok {
					sum += x
				}
			}
			got := strconv.FormatFloat(math.Round(sum*100)/100, 'f', -1, 64)
			if branch != m[2] || cellText(r[1]) != m[1] || got != m[4] || cellText(r[len(r)-1]) != m[4] {
				t.Errorf("附件5: %s/%s categories sum to %s, 总积分 %v; members.csv %s/%s %s", branch, cellText(r[1]), got, r[len(r)-1], m[2], m[1], m[4])
			}
		}
	}
	if i != len(members) {
		t.Errorf("附件5 has %d members, members.csv %d", i, len(members))
	}
}

// footerRe is the footer of a 附件: 附件1　第 &P 页，共 2 页.
var footerRe = regexp.MustCompile(`^附件\d　第 &P 页，共 \d+ 页$`)

// join writes values separated by | for comparing rows.
func join(vs ...any) string {
	s := ""
	for i, v := range vs {
		if i > 0 {
			s += "|"
		}
		s += fmt.Sprint(v)
	}
	return s
}
