package formsgen

import (
	"path/filepath"
	"strconv"
)

// WritePlain writes the same year in the README's plain layouts (输入表格格式): a roster with
// 党员编号, and long CSVs, one row per sign-in, test result, pledge and ledger row. Members are
// named with their branch (李娜 is in both). A test is dated by the day it opened.
func WritePlain(dir string) error {
	roster := [][]string{{"党员编号", "姓名", "所在支部", "党员类别", "党内职务", "入党时间", "身份证号"}}
	for _, m := range Members {
		roster = append(roster, []string{m.No, m.Name, Branches[m.Branch], m.Category(), m.Position, m.Join, m.IDCard()})
	}
	att := [][]string{{"姓名", "所在支部", "活动类型", "活动日期", "出勤情况", "备注"}}
	for _, m := range Meetings {
		for _, x := range m.Expected() {
			k := m.Mark(x.Name)
			att = append(att, []string{x.Name, Branches[m.Branch], m.Type, m.Date, k.Status, k.Note})
		}
	}
	tests := [][]string{{"姓名", "所在支部", "测试名称", "测试日期", "成绩", "满分"}}
	for _, t := range Tests {
		for b := 0; b < 2; b++ {
			for _, x := range BranchMembers(b) {
				if s, ok := t.Scores[b][x.Name]; ok {
					tests = append(tests, []string{x.Name, Branches[b], t.Name, t.Date,
						strconv.FormatFloat(s, 'f', -1, 64), strconv.Itoa(t.FullMark)})
				}
			}
		}
	}
	pledges := [][]string{{"姓名", "所在支部", "年度", "是否签订承诺书", "践诺评价"}}
	for b := 0; b < 2; b++ {
		for _, x := range BranchMembers(b) {
			p := Pledges[b][x.Name]
			signed := "否"
			if p.Signed {
				signed = "是"
			}
			pledges = append(pledges, []string{x.Name, Branches[b], strconv.Itoa(Year), signed, p.Rating})
		}
	}
	ledger := [][]string{{"姓名", "所在支部", "日期", "类别", "级别", "数量", "事由"}}
	for _, e := range Ledger {
		ledger = append(ledger, []string{e.Name, Branches[e.Branch], e.Date, e.Category, e.Level, strconv.Itoa(e.Count), e.Reason})
	}
	for name, rows := range map[string][][]string{"党员名册.csv": roster, "考勤.csv": att, "测试成绩.csv": tests,
		"承诺践诺.csv": pledges, "加扣分台账.csv": ledger} {
		if err := writeCSV(filepath.Join(dir, name), false, rows); err != nil {
			return err
		}
	}
	return nil
}
