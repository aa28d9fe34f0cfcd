package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeReadme writes README.md: the files, the special members and the
// results the reference scheme gives.
func writeReadme(dir string, d *dataset, results []*result, files []fileNote) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# 演示数据：%s %d 年党员积分台账\n\n", unitName, year)
	p("本目录由 `go run ./datasets/gen` 生成（固定随机种子，每次生成的文件逐字节相同），请勿手工修改：" +
		"要改数据，改 `datasets/gen/` 后重新生成。单位、人员和事件均为虚构。\n\n")

	p("## 单位\n\n")
	p("| 党支部 | 党员 | 正式党员 n | 预备党员 | 优秀名额 ⌊n/3⌋ | 党小组 | 支委 |\n|---|---|---|---|---|---|---|\n")
	for _, s := range stats(results) {
		var committee []string
		for _, m := range d.members {
			if m.branch == s.branch && m.committee() {
				committee = append(committee, m.name+"（"+m.position+"）")
			}
		}
		p("| %s | %d | %d | %d | %d | %s | %s |\n", s.branch.name, s.members, s.full, s.members-s.full,
			s.quota, strings.Join(s.branch.groups, "、"), strings.Join(committee, "、"))
	}
	p("\n活动安排：各支部每月开支委会、主题党日（7 月 1 日全单位）和党小组会（个别党小组偶有一月未开）；" +
		"支部党员大会在 1、4、7、10 月，党课在 3、6、9、12 月，组织生活会在 1 月；集中学习、交流研讨在部分月份。" +
		"测试 4 次（3、6、9、11 月）。\n\n")

	p("## 文件\n\n| 文件 | 说明 |\n|---|---|\n")
	for _, f := range files {
		p("| `%s` | %s |\n", filepath.ToSlash(f.path), f.about)
	}
	p("\n每张工作表都有合并的标题行（如“机关第一党支部2022年3月考勤表”），其下才是表头；" +
		"考勤表是长表（每人每次活动一行），另有“序号”列。\n\n")

	p("## 特殊党员及其检验的规则\n\n")
	p("预期结果按参考方案（`shared/DOMAIN.md` “A reference scheme”，即默认 `config.yaml`）由生成器中独立的小计算器算出。" +
		"“出勤+”“测试+”“其他加分”是封顶前的数；“不计”是日期在该党员在册期间以外、应当忽略的记录条数。\n\n")
	p("| 党员编号 | 姓名 | 党支部 | 检验的规则 | 出勤+ | 出勤− | 测试+ | 测试− | 承诺 | 表彰 | 其他加分 | 扣分 | 党纪处分 | 不计 | 总积分 | 星级 | 等次 |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		m := r.member
		if m.special == "" {
			continue
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %d | %s |\n",
			m.id, m.name, m.branch.name, m.special,
			fmtPoints(r.attendGain), fmtPoints(r.attendLoss), fmtPoints(r.testGain), fmtPoints(r.testLoss),
			fmtPoints(r.pledge), fmtPoints(r.honour), fmtPoints(r.awards), fmtPoints(r.deductions),
			cmp.Or(r.veto, "—"), r.ignored, fmtPoints(r.total), r.stars, r.grade)
	}

	s := stats(results)[3]
	p("\n## 名额并列（%s）\n\n", s.branch.name)
	p("%s 正式党员 n = %d，优秀名额 ⌊%d/3⌋ = %d。积分最高的 %s 分由 %d 人并列：",
		s.branch.name, s.full, s.full, s.quota, fmtPoints(s.ranked[0].total), countTotal(s.ranked, s.ranked[0].total))
	var tied []string
	for _, r := range s.ranked {
		if r.total == s.ranked[0].total {
			tied = append(tied, r.member.id+" "+r.member.name)
		}
	}
	p("%s。“不低于本人积分的正式党员”有 %d 人，超过名额，所以整组定为合格；其后的党员也不递补，本支部没有优秀。\n\n",
		strings.Join(tied, "、"), len(tied))

	p("## 各支部的优秀名额\n\n")
	p("| 党支部 | 正式党员 n | 名额 | 优秀 | ≥ 90 分而定为合格 |\n|---|---|---|---|---|\n")
	for _, s := range stats(results) {
		var excellent, missed []string
		for _, r := range s.ranked {
			label := fmt.Sprintf("%s（%s）", r.member.name, fmtPoints(r.total))
			switch {
			case r.grade == gradeExcellent:
				excellent = append(excellent, label)
			case r.total >= excellentMin:
				missed = append(missed, label)
			}
		}
		p("| %s | %d | %d | %s | %s |\n", s.branch.name, s.full, s.quota,
			cmp.Or(strings.Join(excellent, "、"), "—"), cmp.Or(strings.Join(missed, "、"), "—"))
	}
	p("\n")
	for _, s := range stats(results) {
		if notes := boundaryTie(s); notes != "" {
			p("%s\n\n", notes)
		}
	}

	p("## 参考方案下的预期结果（全部党员）\n\n")
	p("| 党员编号 | 姓名 | 党支部 | 党员类别 | 总积分 | 星级 | 等次 |\n|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		m := r.member
		p("| %s | %s | %s | %s | %s | %d | %s |\n", m.id, m.name, m.branch.name, m.category, fmtPoints(r.total), r.stars, r.grade)
	}
	p("\n同样的结果可以用 `go run ./datasets/gen -out /tmp/demo -all` 以 members.csv 的格式打印出来。\n")
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(b.String()), 0o644)
}

func countTotal(rs []*result, total float64) int {
	n := 0
	for _, r := range rs {
		if r.total == total {
			n++
		}
	}
	return n
}

// boundaryTie explains a branch whose 优秀 fall short of the quota because
// members tied across its edge, or "" if there is none.
func boundaryTie(s branchStats) string {
	excellent := 0
	for _, r := range s.ranked {
		if r.grade == gradeExcellent {
			excellent++
		}
	}
	if excellent == 0 || excellent >= s.quota || s.ranked[excellent].total < excellentMin {
		return ""
	}
	total := s.ranked[excellent].total
	var names []string
	for _, r := range s.ranked[excellent:] {
		if r.total == total {
			names = append(names, r.member.id+" "+r.member.name)
		}
	}
	return fmt.Sprintf("%s：%s 同为 %s 分，并列第 %d 名起，连同前面 %d 人超过名额 %d，均定为合格，名额空出 %d 个。",
		s.branch.name, strings.Join(names, "、"), fmtPoints(total), excellent+1, excellent, s.quota, s.quota-excellent)
}
