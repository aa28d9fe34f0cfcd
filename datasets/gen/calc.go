package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// This file is a small calculator of the reference scheme (DOMAIN.md, "A
// reference scheme"), written apart from the engine so that the demo data's
// expected results can be checked against it. It reads the generator's
// records directly, in their canonical spellings.

const (
	schemeBase      = 60.0
	attendCap       = 30.0
	testCap         = 10.0
	awardsCap       = 10.0
	excellentMin    = 90.0
	gradeExcellent  = "优秀"
	gradePass       = "合格"
	gradeBasic      = "基本合格"
	gradeFail       = "不合格"
	gradeProbation  = "不定等次（预备党员）"
	lightVetoCap    = 60.0
	heavyVetoRankAt = 3 // 撤销党内职务 and heavier zero the total
)

var (
	honourPoints = map[string]float64{
		honourNational: 10, honourProvincial: 8, honourMunicipal: 6, honourCounty: 4, honourUnit: 2,
	}
	awardPoints     = map[string]float64{ledVolunteer: 1, ledLesson: 3, ledEssay: 0.5}
	deductionPoints = map[string]float64{ledDues: -0.5, ledCriticism: -3}
	ratingPoints    = map[string]float64{"优秀": 5, "良好": 3, "一般": 0, "未践诺": -3}
	vetoRank        = map[string]int{
		vetoWarning: 1, vetoSeriousWarn: 2, vetoRemovePost: 3, vetoProbation: 4, vetoExpel: 5,
	}
	starFloors = []float64{96, 90, 80, 70, 60} // 5 stars down to 1
)

// result is one member's year under the reference scheme. Gains are kept
// before their caps so that the caps can be seen at work.
type result struct {
	member     *member
	attendGain float64 // +1s, before the cap
	attendLoss float64
	sitIns     int // 支委会 rows of a non-committee member (0 points)
	testGain   float64
	testLoss   float64
	pledge     float64
	honour     float64 // highest 表彰 only
	awards     float64 // before the cap
	deductions float64
	veto       string
	ignored    int // records dated outside the member's period
	raw        float64
	total      float64
	stars      int
	grade      string
}

// score computes every member's result.
func score(d *dataset) []*result {
	byMember := make(map[*member]*result, len(d.members))
	results := make([]*result, 0, len(d.members))
	for _, m := range d.members {
		r := &result{member: m}
		byMember[m] = r
		results = append(results, r)
	}

	for _, s := range d.signIns {
		r := byMember[s.member]
		if !s.member.inPeriod(s.meeting.date) {
			r.ignored++
			continue
		}
		switch s.meeting.activity {
		case actGeneral, actGroup, actLesson, actThemeDay, actStudy:
		case actCommittee:
			if !s.member.committee() {
				r.sitIns++
				continue
			}
		default:
			continue
		}
		switch s.status {
		case stPresent:
			r.attendGain++
		case stLate, stEarly:
			r.attendLoss -= 0.5
		case stAbsent:
			r.attendLoss -= 2
		}
	}

	for _, t := range d.results {
		r := byMember[t.member]
		if !t.member.inPeriod(t.test.date) {
			r.ignored++
			continue
		}
		switch {
		case t.status == testAbsent:
			r.testLoss -= 2
		case t.status == testExcused:
		case t.score*100 >= 90*t.test.full:
			r.testGain += 3
		case t.score*100 >= 60*t.test.full:
			r.testGain++
		default:
			r.testLoss -= 2
		}
	}

	for _, p := range d.pledges {
		r := byMember[p.member]
		if p.signed {
			r.pledge += 2
		}
		r.pledge += ratingPoints[p.rating]
	}

	for _, l := range d.ledger {
		r := byMember[l.member]
		if !l.member.inPeriod(l.date) {
			r.ignored++
			continue
		}
		switch l.category {
		case ledHonour:
			r.honour = max(r.honour, honourPoints[l.level])
		case ledVeto:
			if vetoRank[l.level] > vetoRank[r.veto] {
				r.veto = l.level
			}
		default:
			r.awards += awardPoints[l.category]
			r.deductions += deductionPoints[l.category]
		}
	}

	for _, r := range results {
		r.raw = schemeBase + min(r.attendGain, attendCap) + r.attendLoss +
			min(r.testGain, testCap) + r.testLoss + r.pledge +
			r.honour + min(r.awards, awardsCap) + r.deductions
		r.total = r.raw
		switch {
		case r.veto == "":
			r.stars = starsFor(r.total)
		case vetoRank[r.veto] >= heavyVetoRankAt:
			r.total = 0
		default:
			r.total = min(r.total, lightVetoCap)
		}
	}
	grade(results)
	return results
}

func starsFor(total float64) int {
	for i, floor := range starFloors {
		if total >= floor {
			return len(starFloors) - i
		}
	}
	return 0
}

// grade fixes the 等次 of each branch's 正式党员 with the ⌊n/3⌋ quota.
func grade(results []*result) {
	for _, b := range branches {
		var full []*result
		for _, r := range results {
			if r.member.branch != b {
				continue
			}
			if r.member.category == catProbationary {
				r.grade = gradeProbation
				continue
			}
			full = append(full, r)
		}
		quota := len(full) / 3
		for _, r := range full {
			atLeast := 0
			for _, o := range full {
				if o.total >= r.total {
					atLeast++
				}
			}
			switch {
			case r.veto != "" && vetoRank[r.veto] >= heavyVetoRankAt:
				r.grade = gradeFail
			case r.total >= excellentMin && atLeast <= quota:
				r.grade = gradeExcellent
			case r.total >= 70:
				r.grade = gradePass
			case r.total >= 60:
				r.grade = gradeBasic
			default:
				r.grade = gradeFail
			}
		}
	}
}

// branchStats summarises a branch for the printed summary and the README.
type branchStats struct {
	branch  *branch
	members int
	full    int
	quota   int
	ranked  []*result // 正式党员, best first
}

func stats(results []*result) []branchStats {
	var out []branchStats
	for _, b := range branches {
		s := branchStats{branch: b}
		for _, r := range results {
			if r.member.branch != b {
				continue
			}
			s.members++
			if r.member.category == catFull {
				s.full++
				s.ranked = append(s.ranked, r)
			}
		}
		s.quota = s.full / 3
		slices.SortStableFunc(s.ranked, func(a, b *result) int { return cmp.Compare(b.total, a.total) })
		out = append(out, s)
	}
	return out
}

// printSummary writes, per branch, the member count, n, the quota and the
// top totals, then the special members.
func printSummary(w io.Writer, results []*result) {
	for _, s := range stats(results) {
		fmt.Fprintf(w, "%s：党员 %d 名，正式党员 n = %d，优秀名额 ⌊n/3⌋ = %d\n", s.branch.name, s.members, s.full, s.quota)
		var top []string
		for i, r := range s.ranked {
			if i >= s.quota+3 {
				break
			}
			top = append(top, fmt.Sprintf("%s %s %s（%s）", r.member.id, r.member.name, fmtPoints(r.total), r.grade))
		}
		fmt.Fprintf(w, "  前 %d 名：%s\n", len(top), strings.Join(top, "；"))
		fmt.Fprintf(w, "  星级 5–0：%v；等次：%s\n", starCounts(results, s.branch), gradeCounts(results, s.branch))
	}
	fmt.Fprintln(w, "\n特殊党员（参考方案的预期结果）：")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t姓名\t支部\t出勤+\t出勤−\t测试+\t测试−\t承诺\t表彰\t其他加分\t扣分\t否决\t不计\t总分\t星\t等次")
	for _, r := range results {
		if r.member.special == "" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n",
			r.member.id, r.member.name, r.member.branch.name,
			fmtPoints(r.attendGain), fmtPoints(r.attendLoss), fmtPoints(r.testGain), fmtPoints(r.testLoss),
			fmtPoints(r.pledge), fmtPoints(r.honour), fmtPoints(r.awards), fmtPoints(r.deductions),
			cmp.Or(r.veto, "—"), r.ignored, fmtPoints(r.total), r.stars, r.grade)
	}
	tw.Flush()
}

// printAll writes every member's expected result in the layout of the
// engine's members.csv (without the BOM).
func printAll(w io.Writer, results []*result) {
	fmt.Fprintln(w, "党员编号,姓名,党支部,党员类别,总积分,星级,等次")
	for _, r := range results {
		m := r.member
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%d,%s\n", m.id, m.name, m.branch.name, m.category, fmtPoints(r.total), r.stars, r.grade)
	}
}

func starCounts(results []*result, b *branch) [6]int {
	var c [6]int
	for _, r := range results {
		if r.member.branch == b {
			c[5-r.stars]++
		}
	}
	return c
}

func gradeCounts(results []*result, b *branch) string {
	var parts []string
	for _, g := range []string{gradeExcellent, gradePass, gradeBasic, gradeFail, gradeProbation} {
		n := 0
		for _, r := range results {
			if r.member.branch == b && r.grade == g {
				n++
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d", g, n))
	}
	return strings.Join(parts, "，")
}

// fmtPoints prints points with at most two decimals and no trailing zeros.
func fmtPoints(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// check verifies that the data exercise what the README says they do; a
// seed that breaks one of these is rejected.
func check(results []*result) error {
	find := func(branchIdx int, name string) *result {
		for _, r := range results {
			if r.member.branch == branches[branchIdx] && r.member.name == name {
				return r
			}
		}
		panic("no member " + name)
	}
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	// The tie in 收费党支部.
	s := stats(results)[3]
	tied := s.ranked[0].total
	n := 0
	for _, r := range s.ranked {
		if r.total == tied {
			n++
			if !strings.HasPrefix(r.member.special, "名额并列") {
				fail("%s %s 与并列组同分 %s", r.member.id, r.member.name, fmtPoints(tied))
			}
		}
	}
	if n != 6 || n <= s.quota || tied < excellentMin {
		fail("收费党支部：并列第一 %d 人、%s 分，名额 %d", n, fmtPoints(tied), s.quota)
	}

	if r := find(0, "李建国"); r.attendGain <= attendCap {
		fail("李建国出勤加分 %s，未超过上限", fmtPoints(r.attendGain))
	}
	if r := find(1, "蔡晓燕"); r.testGain <= testCap {
		fail("蔡晓燕测试加分 %s，未超过上限", fmtPoints(r.testGain))
	}
	if r := find(2, "高志远"); r.awards <= awardsCap {
		fail("高志远其他加分 %s，未超过上限", fmtPoints(r.awards))
	}
	if r := find(0, "王秀英"); r.honour != 6 {
		fail("王秀英表彰 %s，应为 6", fmtPoints(r.honour))
	}
	// Scoring a sit-in or an ignored row by mistake must change the total.
	if r := find(1, "谢文军"); r.sitIns < 3 || r.attendGain+float64(r.sitIns) > attendCap {
		fail("谢文军列席 %d 次，出勤加分 %s：误计列席不会改变总分", r.sitIns, fmtPoints(r.attendGain))
	}
	for _, c := range []struct {
		branch int
		name   string
	}{{0, "郭晨"}, {2, "邓小龙"}} {
		if r := find(c.branch, c.name); r.ignored < 3 || r.attendGain+2 > attendCap {
			fail("%s：不计的记录 %d 条，出勤加分 %s", c.name, r.ignored, fmtPoints(r.attendGain))
		}
	}
	for _, c := range []struct {
		branch int
		name   string
	}{{1, "蒋丹"}, {3, "秦浩"}} {
		if r := find(c.branch, c.name); r.ignored != 1 || r.awards >= awardsCap {
			fail("%s：不计的记录 %d 条，其他加分 %s", c.name, r.ignored, fmtPoints(r.awards))
		}
	}
	for _, c := range []struct {
		branch      int
		name, grade string
	}{
		{1, "潘志刚", gradeBasic}, {2, "罗小兵", gradeBasic},
		{1, "曾凡", gradeBasic}, {3, "程亮", gradeFail},
		{0, "罗平", gradeFail}, {2, "杨树林", gradeFail}, {3, "吕振宇", gradeFail},
	} {
		if r := find(c.branch, c.name); r.grade != c.grade {
			fail("%s 定为 %s，应为 %s", c.name, r.grade, c.grade)
		}
	}
	for _, c := range []struct {
		branch int
		name   string
	}{{1, "潘志刚"}, {2, "罗小兵"}} {
		if r := find(c.branch, c.name); r.raw <= lightVetoCap {
			fail("%s 原始积分 %s，看不出封顶", c.name, fmtPoints(r.raw))
		}
	}

	// Every grade and every star count appears among members without a veto.
	grades := map[string]bool{}
	excellentMissed := false
	var stars [6]bool
	for _, r := range results {
		if r.veto != "" {
			continue
		}
		grades[r.grade] = true
		stars[r.stars] = true
		if r.grade == gradePass && r.total >= excellentMin && !strings.HasPrefix(r.member.special, "名额并列") {
			excellentMissed = true
		}
	}
	for _, g := range []string{gradeExcellent, gradePass, gradeBasic, gradeFail, gradeProbation} {
		if !grades[g] {
			fail("没有党员定为 %s", g)
		}
	}
	for n, ok := range stars {
		if !ok {
			fail("没有党员评为 %d 星", n)
		}
	}
	if !excellentMissed {
		fail("并列组以外，没有因名额已满而定为合格的 ≥ 90 分党员")
	}
	return errors.Join(errs...)
}
