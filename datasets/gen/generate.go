package main

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"slices"
	"time"
)

var (
	yearStart = date(year, 1, 1)
	yearEnd   = date(year, 12, 31)
)

// member is a roster line with its dates resolved.
type member struct {
	id          string
	name        string
	female      bool
	branch      *branch
	group       string
	position    string
	category    string
	born        time.Time
	joined      time.Time
	transferIn  time.Time // zero if none
	transferOut time.Time // zero if none
	expelled    time.Time // 开除党籍: no records are made after it
	note        string
	special     string
	prof        *profile
}

func (m *member) committee() bool { return committeePositions[m.position] }

// start and end bound the member's period (DOMAIN.md): records outside it
// score nothing.
func (m *member) start() time.Time {
	s := yearStart
	for _, t := range []time.Time{m.joined, m.transferIn} {
		if t.After(s) {
			s = t
		}
	}
	return s
}

func (m *member) end() time.Time {
	if !m.transferOut.IsZero() && m.transferOut.Before(yearEnd) {
		return m.transferOut
	}
	return yearEnd
}

func (m *member) inPeriod(t time.Time) bool {
	return !t.Before(m.start()) && !t.After(m.end())
}

// active tells whether the member would appear in a record dated t.
func (m *member) active(t time.Time) bool {
	return m.inPeriod(t) && (m.expelled.IsZero() || t.Before(m.expelled))
}

// joinedThisYear tells whether the member joined the party in the year.
func (m *member) joinedThisYear() bool { return m.joined.Year() == year }

// preJoin tells whether t falls in the month before the member joined this
// year, when a 发展对象 may already show up in sign-in sheets and tests.
func (m *member) preJoin(t time.Time) bool {
	return m.joinedThisYear() && t.Before(m.joined) && !t.Before(m.joined.AddDate(0, 0, -30))
}

type meeting struct {
	branch   *branch
	activity string
	date     time.Time
	group    string // 党小组会 only
}

type signIn struct {
	member  *member
	meeting *meeting
	status  string
	note    string
}

type test struct {
	name string
	date time.Time
	full float64
}

type testResult struct {
	member *member
	test   *test
	score  float64
	status string // "" when scored, else 缺考 or 请假
	note   string
}

type pledge struct {
	member *member
	signed bool
	rating string // "" when not rated
	note   string
}

type ledgerRow struct {
	member   *member
	date     time.Time
	category string
	level    string
	reason   string
}

// dataset is everything the demo files are written from.
type dataset struct {
	members  []*member
	meetings []*meeting
	signIns  []signIn
	results  []testResult
	pledges  []pledge
	ledger   []ledgerRow
}

type generator struct {
	seed int64
	rngs map[string]*rand.Rand
	d    dataset
}

// generate builds the year's records from the roster in roster.go.
func generate(seed int64) *dataset {
	g := &generator{seed: seed, rngs: map[string]*rand.Rand{}}
	g.roster()
	g.calendar()
	g.attendance()
	g.testResults()
	g.pledges()
	g.ledger()
	return &g.d
}

// member looks a member up by branch and name; it panics on a typo.
func (g *generator) member(branchName, name string) *member {
	for _, m := range g.d.members {
		if m.branch.name == branchName && m.name == name {
			return m
		}
	}
	panic(fmt.Sprintf("no member %s in %s", name, branchName))
}

// rand returns the random source of a member (by id) or a branch (by
// name). Each has its own, so that editing one member's profile leaves the
// other members' records as they were.
func (g *generator) rand(key string) *rand.Rand {
	r, ok := g.rngs[key]
	if !ok {
		h := fnv.New64a()
		h.Write([]byte(key))
		r = rand.New(rand.NewSource(g.seed ^ int64(h.Sum64())))
		g.rngs[key] = r
	}
	return r
}

// dateIn draws a day in [from, to].
func dateIn(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, r.Intn(days+1))
}

func pick(r *rand.Rand, xs []string) string { return xs[r.Intn(len(xs))] }

func (g *generator) roster() {
	for bi, b := range branches {
		for i, s := range b.members {
			m := &member{
				id:       fmt.Sprintf("GL%d%02d", bi+1, i+1),
				name:     s.name,
				female:   s.female,
				branch:   b,
				group:    b.groups[s.group],
				position: s.position,
				category: catFull,
				note:     s.note,
				special:  s.special,
				prof:     s.prof,
			}
			r := g.rand(m.id)
			m.born = date(1966+r.Intn(33), time.Month(1+r.Intn(12)), 1+r.Intn(28))
			if s.probation {
				m.category = catProbationary
			}
			if s.joined != "" {
				m.joined = day(s.joined)
			} else {
				y := min(m.born.Year()+21+r.Intn(12), 2020)
				m.joined = date(y, time.Month(1+r.Intn(12)), 1+r.Intn(28))
			}
			if m.joined.Year() >= 2021 { // recent joiners are young
				m.born = m.born.AddDate(1990+r.Intn(8)-m.born.Year(), 0, 0)
			}
			m.transferIn = day(s.transferIn)
			m.transferOut = day(s.transferOut)
			g.d.members = append(g.d.members, m)
		}
	}
	g.member("机关第一党支部", "罗平").expelled = day("2022-09-20")
}

var quarterGeneral = []time.Month{1, 4, 7, 10}
var quarterLesson = []time.Month{3, 6, 9, 12}

func (g *generator) calendar() {
	for _, b := range branches {
		r := g.rand(b.name)
		add := func(act string, t time.Time, group string) {
			g.d.meetings = append(g.d.meetings, &meeting{branch: b, activity: act, date: t, group: group})
		}
		for m := time.January; m <= time.December; m++ {
			add(actCommittee, workday(m, b.committeeDay), "")
			if m == time.July {
				add(actThemeDay, date(year, 7, 1), "") // 建党节
			} else {
				add(actThemeDay, workday(m, b.themeDay), "")
			}
			for gi, grp := range b.groups {
				if r.Intn(12) == 0 { // now and then a group skips a month
					continue
				}
				add(actGroup, workday(m, b.groupDay+gi), grp)
			}
			if slices.Contains(quarterGeneral, m) {
				add(actGeneral, workday(m, b.generalDay), "")
			}
			if slices.Contains(quarterLesson, m) {
				add(actLesson, workday(m, b.lessonDay), "")
			}
			if m == time.January {
				add(actLife, workday(m, b.lifeDay), "")
			}
			if slices.Contains(b.studyMonths, m) {
				add(actStudy, workday(m, 14), "")
			}
			if slices.Contains(b.seminarMonths, m) {
				add(actSeminar, workday(m, 27), "")
			}
		}
	}
	slices.SortStableFunc(g.d.meetings, func(a, b *meeting) int {
		return a.date.Compare(b.date)
	})
}

var leaveReasons = []string{"因公请假", "病假", "事假", "外出培训", "值班", "出差"}

// status draws a sign-in status from the member's profile.
func (g *generator) status(m *member) (status, note string) {
	r, p := g.rand(m.id), m.prof
	x := r.Float64()
	switch {
	case x < p.present:
		return stPresent, ""
	case x < p.present+p.excused:
		return stExcused, pick(r, leaveReasons)
	case x < p.present+p.excused+p.late:
		return stLate, ""
	case x < p.present+p.excused+p.late+p.early:
		return stEarly, ""
	default:
		return stAbsent, "无故缺席"
	}
}

// sitIn: the months in which 谢文军 (not on the committee) sits in on 支委会.
var sitIn = []time.Month{3, 7, 11}

func (g *generator) attendance() {
	xie := g.member("机关第二党支部", "谢文军")
	for _, mt := range g.d.meetings {
		for _, m := range g.d.members {
			if m.branch != mt.branch {
				continue
			}
			if !m.active(mt.date) {
				if m.preJoin(mt.date) && (mt.activity == actThemeDay || mt.activity == actLesson) {
					g.add(m, mt, stPresent, "发展对象列席")
				}
				continue
			}
			switch mt.activity {
			case actCommittee:
				switch {
				case m.committee():
				case m == xie && slices.Contains(sitIn, mt.date.Month()):
					g.add(m, mt, stPresent, "列席")
					continue
				case m.position == positionGroupHead && m != xie && g.rand(m.id).Intn(10) == 0:
					g.add(m, mt, stPresent, "列席")
					continue
				default:
					continue
				}
			case actGroup:
				if m.group != mt.group {
					continue
				}
			}
			st, note := g.status(m)
			if mt.date.Equal(m.joined) {
				st, note = stPresent, "入党宣誓" // everyone turns up the day they join
			}
			g.add(m, mt, st, note)
		}
	}
}

func (g *generator) add(m *member, mt *meeting, status, note string) {
	g.d.signIns = append(g.d.signIns, signIn{member: m, meeting: mt, status: status, note: note})
}

// boundary scores in the first test: exactly 90%, exactly 60%, just under.
var boundaryScores = map[string]float64{"刘洋": 90, "赵敏": 60, "孙丽华": 59}

func (g *generator) testResults() {
	for ti, t := range tests {
		for _, m := range g.d.members {
			switch {
			case m.active(t.date):
				r := g.testResult(m, t)
				if s, ok := boundaryScores[m.name]; ok && ti == 0 && m.branch == branches[0] {
					r.score, r.status = s, ""
				}
				g.d.results = append(g.d.results, r)
			case m.preJoin(t.date):
				g.d.results = append(g.d.results, testResult{member: m, test: t,
					score: math.Round(0.92 * t.full), note: "发展对象参加"})
			}
		}
	}
}

func (g *generator) testResult(m *member, t *test) testResult {
	p, rng := m.prof, g.rand(m.id)
	r := testResult{member: m, test: t}
	x := rng.Float64()
	switch {
	case p.testMin == 0 && x < 0.04:
		r.status, r.note = testExcused, pick(rng, []string{"出差", "病假", "值班"})
	case p.testMin == 0 && x < 0.04+p.testAbsent:
		r.status = testAbsent
	default:
		pct := min(max(rng.NormFloat64()*p.testSD+p.testMean, p.testMin, 30), 100)
		step := 1.0 // whole points out of 100, half points out of 50
		if t.full < 100 {
			step = 0.5
		}
		r.score = math.Round(pct/100*t.full/step) * step
	}
	return r
}

func (g *generator) pledges() {
	for _, m := range g.d.members {
		p := pledge{member: m, signed: true, rating: pick(g.rand(m.id), m.prof.ratings)}
		switch m.name {
		case "程亮", "郑卫东":
			p.signed, p.rating = false, "未践诺"
		case "罗平":
			p.rating, p.note = "未践诺", "2022年9月开除党籍"
		case "秦浩":
			p.rating, p.note = "", "8月转出，未参加年终践诺评价"
		case "邓小龙":
			p.rating, p.note = "", "7月入党，年中签订承诺书"
		}
		g.d.pledges = append(g.d.pledges, p)
	}
}

var volunteerReasons = []string{
	"疫情防控卡口志愿服务", "文明交通劝导志愿服务", "创建全国文明城市志愿服务",
	"“我为群众办实事”道路巡查志愿服务", "春运服务站志愿服务", "无偿献血",
}

var essayReasons = []string{
	"学习习近平新时代中国特色社会主义思想心得体会", "党史学习教育心得体会",
	"学习贯彻党的二十大精神心得体会", "“喜迎二十大”主题党日心得体会",
}

func (g *generator) ledger() {
	add := func(m *member, d time.Time, cat, level, reason string) {
		g.d.ledger = append(g.d.ledger, ledgerRow{member: m, date: d, category: cat, level: level, reason: reason})
	}
	b1, b2, b3, b4 := branches[0].name, branches[1].name, branches[2].name, branches[3].name
	explicit := map[*member]bool{}
	mark := func(branchName, name string) *member {
		m := g.member(branchName, name)
		explicit[m] = true
		return m
	}

	// 表彰: only the highest counts.
	wang := g.member(b1, "王秀英")
	add(wang, day("2022-03-08"), ledHonour, honourCounty, "县交通运输系统三八红旗手")
	add(wang, day("2022-06-28"), ledHonour, honourUnit, "分局优秀共产党员")
	add(wang, day("2022-06-30"), ledHonour, honourMunicipal, "市交通运输系统优秀党务工作者")
	add(g.member(b3, "周永刚"), day("2022-04-28"), ledHonour, honourNational, "全国五一劳动奖章")
	add(g.member(b1, "李建国"), day("2022-06-30"), ledHonour, honourMunicipal, "市直机关优秀党务工作者")
	add(g.member(b1, "马晓东"), day("2022-12-20"), ledHonour, honourProvincial, "全省交通运输系统先进个人")
	add(g.member(b2, "黄志明"), day("2022-06-28"), ledHonour, honourCounty, "县优秀党支部书记")
	add(g.member(b2, "邓佳"), day("2022-06-28"), ledHonour, honourUnit, "分局优秀共产党员")
	add(g.member(b3, "王德福"), day("2022-06-30"), ledHonour, honourMunicipal, "市公路系统优秀党支部书记")
	add(g.member(b3, "冯玉兰"), day("2022-06-28"), ledHonour, honourUnit, "分局优秀共产党员")

	// The tied group of 收费党支部: identical rows for each.
	for _, name := range []string{"林晓雪", "陈静", "周敏", "黄莉", "刘慧", "张玉洁"} {
		m := mark(b4, name)
		add(m, day("2022-12-15"), ledHonour, honourUnit, "分局2022年度文明服务标兵")
		add(m, day("2022-01-22"), ledVolunteer, "", "春运服务站志愿服务")
		add(m, day("2022-10-15"), ledVolunteer, "", "文明交通劝导志愿服务")
		add(m, day("2022-11-10"), ledEssay, "", "学习贯彻党的二十大精神心得体会")
	}

	// 讲党课: each secretary once, at a 党课 of the branch.
	for bi, b := range branches {
		sec := g.d.members[slices.IndexFunc(g.d.members, func(m *member) bool {
			return m.branch == b && m.position == positionSecretary
		})]
		add(sec, workday(quarterLesson[bi], b.lessonDay), ledLesson, "", "支部书记讲专题党课")
	}
	add(g.member(b1, "陈志强"), workday(6, branches[0].lessonDay), ledLesson, "", "宣传委员讲党课")

	// 高志远: other awards above the cap (3+3 + 5×1 + 3×0.5 = 12.5).
	gao := mark(b3, "高志远")
	add(gao, workday(6, branches[2].lessonDay), ledLesson, "", "党员讲党课：公路养护一线的初心")
	add(gao, workday(12, branches[2].lessonDay), ledLesson, "", "党员讲党课：学习二十大报告交通强国篇")
	for i, d := range []string{"2022-01-25", "2022-03-19", "2022-05-21", "2022-07-23", "2022-10-22"} {
		add(gao, day(d), ledVolunteer, "", volunteerReasons[i])
	}
	for i, d := range []string{"2022-04-29", "2022-07-08", "2022-11-04"} {
		add(gao, day(d), ledEssay, "", essayReasons[i+1])
	}

	// Records outside a member's period, which must be ignored.
	add(mark(b2, "蒋丹"), day("2022-03-12"), ledVolunteer, "", "在原单位参加志愿服务（转入前）")
	add(mark(b4, "秦浩"), day("2022-09-15"), ledEssay, "", "学习心得（转出后补交）")

	// Random 志愿服务 and 心得体会 for everyone else.
	for _, m := range g.d.members {
		if explicit[m] {
			continue
		}
		last := m.end()
		if !m.expelled.IsZero() {
			last = m.expelled.AddDate(0, 0, -1)
		}
		r := g.rand(m.id)
		for range r.Intn(m.prof.volunteer + 1) {
			add(m, dateIn(r, m.start(), last), ledVolunteer, "", pick(r, volunteerReasons))
		}
		for range r.Intn(m.prof.essays + 1) {
			add(m, dateIn(r, m.start(), last), ledEssay, "", pick(r, essayReasons))
		}
	}

	// Deductions.
	zeng, cheng := g.member(b2, "曾凡"), g.member(b4, "程亮")
	dues := func(m *member, d string) {
		t := day(d)
		add(m, t, ledDues, "", fmt.Sprintf("%d月党费逾期未缴纳", t.Month()))
	}
	dues(zeng, "2022-04-30")
	dues(zeng, "2022-08-31")
	dues(cheng, "2022-03-31")
	dues(cheng, "2022-06-30")
	dues(cheng, "2022-10-31")
	dues(g.member(b1, "高峰"), "2022-05-31")
	dues(g.member(b4, "袁丽"), "2022-11-30")
	add(zeng, day("2022-07-15"), ledCriticism, "", "公文办理严重超期，分局通报批评")
	add(cheng, day("2022-09-06"), ledCriticism, "", "收费站值班期间脱岗，分局通报批评")

	// 党纪处分, one of each kind.
	add(g.member(b2, "潘志刚"), day("2022-05-18"), ledVeto, vetoWarning, "违规接受管理服务对象宴请")
	add(g.member(b3, "罗小兵"), day("2022-08-09"), ledVeto, vetoSeriousWarn, "违规使用公务用车")
	add(g.member(b3, "杨树林"), day("2022-06-15"), ledVeto, vetoRemovePost, "违规处置养护材料")
	add(g.member(b4, "吕振宇"), day("2022-04-26"), ledVeto, vetoProbation, "违规减免车辆通行费")
	add(g.member(b1, "罗平"), day("2022-09-20"), ledVeto, vetoExpel, "受刑事处罚")

	// 慰问 (counted in the report, no points).
	for _, c := range []struct{ branch, name, date, reason string }{
		{b1, "朱立新", "2022-01-25", "春节走访慰问老党员"},
		{b3, "孙建军", "2022-01-25", "春节走访慰问困难党员"},
		{b3, "王勇", "2022-01-26", "春节走访慰问困难党员"},
		{b4, "沈丹丹", "2022-03-16", "生病住院慰问"},
		{b2, "唐国庆", "2022-06-30", "“七一”走访慰问老党员"},
		{b3, "吴春生", "2022-07-20", "高温一线慰问"},
		{b3, "赵铁柱", "2022-07-20", "高温一线慰问"},
		{b1, "郑涛", "2022-09-08", "中秋慰问困难党员"},
	} {
		add(g.member(c.branch, c.name), day(c.date), ledCare, "", c.reason)
	}

	slices.SortStableFunc(g.d.ledger, func(a, b ledgerRow) int {
		if c := a.date.Compare(b.date); c != 0 {
			return c
		}
		return cmp.Compare(a.member.id, b.member.id)
	})
}
