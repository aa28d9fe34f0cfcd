package main

import "time"

// The fictional unit and its year.
const (
	unitName = "某市公路管理分局"
	year     = 2022
)

// Canonical activity types, statuses and categories. Some files spell them
// with the synonyms config.yaml accepts (see files.go); the calculator works
// on these.
const (
	actGeneral   = "支部党员大会"
	actCommittee = "支委会"
	actGroup     = "党小组会"
	actLesson    = "党课"
	actThemeDay  = "主题党日"
	actStudy     = "集中学习"
	actLife      = "组织生活会"
	actSeminar   = "交流研讨"

	stPresent = "出席"
	stExcused = "请假"
	stAbsent  = "缺席"
	stLate    = "迟到"
	stEarly   = "早退"

	catFull         = "正式党员"
	catProbationary = "预备党员"

	testAbsent  = "缺考"
	testExcused = "请假"
)

// Ledger categories and the levels used with them.
const (
	ledHonour    = "表彰"
	ledVolunteer = "志愿服务"
	ledLesson    = "讲党课"
	ledEssay     = "心得体会"
	ledDues      = "党费未按时缴纳"
	ledCriticism = "通报批评"
	ledVeto      = "党纪处分"
	ledCare      = "慰问"

	vetoWarning       = "警告"
	vetoSeriousWarn   = "严重警告"
	vetoRemovePost    = "撤销党内职务"
	vetoProbation     = "留党察看"
	vetoExpel         = "开除党籍"
	honourNational    = "国家级"
	honourProvincial  = "省部级"
	honourMunicipal   = "市厅级"
	honourCounty      = "县处级"
	honourUnit        = "本单位"
	positionSecretary = "支部书记"
	positionGroupHead = "党小组组长"
)

// committeePositions are the 党内职务 whose holders score at 支委会.
var committeePositions = map[string]bool{
	"支部书记": true, "支部副书记": true, "支部委员": true,
	"组织委员": true, "宣传委员": true, "纪检委员": true,
}

// date returns midnight UTC of the given day.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// day parses "2006-01-02"; "" gives the zero time.
func day(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// profile is how reliably a member turns up and how well they do in tests.
type profile struct {
	present, excused, late, early float64 // probabilities; the rest is 缺席
	testMean, testSD              float64 // percent of full mark
	testMin                       float64 // floor of the drawn percent
	testAbsent                    float64 // probability of 缺考
	ratings                       []string
	essays, volunteer             int // maximum 心得体会 and 志愿服务 rows drawn
}

var (
	// perfect members attend everything and score ≥ 90% in every test.
	perfect = &profile{present: 1, testMean: 95, testSD: 3, testMin: 90,
		ratings: []string{"优秀"}}
	model = &profile{present: 0.93, excused: 0.06, late: 0.01, testMean: 88, testSD: 7,
		ratings: []string{"优秀", "优秀", "良好"}, essays: 3, volunteer: 3}
	good = &profile{present: 0.76, excused: 0.19, late: 0.03, early: 0.01,
		testMean: 81, testSD: 9, ratings: []string{"优秀", "良好", "良好", "一般"},
		essays: 2, volunteer: 2}
	average = &profile{present: 0.64, excused: 0.26, late: 0.04, early: 0.03,
		testMean: 74, testSD: 11, testAbsent: 0.03,
		ratings: []string{"良好", "一般", "一般"}, essays: 1, volunteer: 1}
	// shift workers of 养护 and 收费 often ask for leave.
	shift = &profile{present: 0.58, excused: 0.34, late: 0.03, early: 0.02,
		testMean: 72, testSD: 11, testAbsent: 0.04,
		ratings: []string{"良好", "一般"}, essays: 1, volunteer: 2}
	weak = &profile{present: 0.5, excused: 0.3, late: 0.07, early: 0.05,
		testMean: 63, testSD: 12, testAbsent: 0.1,
		ratings: []string{"一般", "一般", "良好"}}
	lax = &profile{present: 0.45, excused: 0.3, late: 0.08, early: 0.05,
		testMean: 60, testSD: 10, testAbsent: 0.15, ratings: []string{"一般"}}
	slack = &profile{present: 0.4, excused: 0.2, late: 0.08, early: 0.06,
		testMean: 52, testSD: 8, testAbsent: 0.3, ratings: []string{"未践诺"}}
)

// branch is a 党支部 and the days of the month its meetings fall on.
type branch struct {
	name          string
	groups        []string
	committeeDay  int // 支委会
	themeDay      int // 主题党日 (July: the 1st, for every branch)
	groupDay      int // 党小组会, one day later for each further group
	generalDay    int // 支部党员大会, in January, April, July, October
	lessonDay     int // 党课, in March, June, September, December
	lifeDay       int // 组织生活会, January
	studyMonths   []time.Month
	seminarMonths []time.Month
	members       []memberSpec
}

// memberSpec is one roster line as written here; generate fills in the rest.
type memberSpec struct {
	name        string
	female      bool
	group       int // index into branch.groups
	position    string
	prof        *profile
	probation   bool   // 预备党员
	joined      string // 入党时间; "" draws one before 2022
	transferIn  string
	transferOut string
	note        string // roster 备注
	special     string // the rule this member exercises (README)
}

// branches is the unit: 4 branches, 80 members.
var branches = []*branch{
	{
		name:         "机关第一党支部",
		groups:       []string{"第一党小组", "第二党小组"},
		committeeDay: 4, themeDay: 8, groupDay: 17, generalDay: 20, lessonDay: 22, lifeDay: 18,
		studyMonths:   []time.Month{2, 5, 8, 10, 11},
		seminarMonths: []time.Month{5, 11},
		members: []memberSpec{
			{name: "李建国", group: 0, position: positionSecretary, prof: perfect,
				special: "支部书记，全年全勤，出勤加分超过 30 分封顶；讲党课"},
			{name: "王秀英", female: true, group: 0, position: "组织委员", prof: model,
				special: "表彰只取最高一项：本单位、县处级、市厅级各一项，只计市厅级 6 分"},
			{name: "陈志强", group: 1, position: "宣传委员", prof: good},
			{name: "张伟", group: 0, prof: good,
				special: "重名：与养护党支部的张伟同名，无编号的表格按姓名＋所在支部匹配"},
			{name: "刘洋", group: 0, prof: model, special: "测试得分率恰为 90%（90/100）：+3"},
			{name: "赵敏", female: true, group: 0, position: positionGroupHead, prof: good,
				special: "测试得分率恰为 60%（60/100）：+1"},
			{name: "孙丽华", female: true, group: 0, prof: average,
				special: "测试得分率 59%（59/100）：−2"},
			{name: "周杰", group: 0, prof: good},
			{name: "吴海燕", female: true, group: 0, prof: model},
			{name: "郑涛", group: 0, prof: average},
			{name: "冯静", female: true, group: 1, position: positionGroupHead, prof: good},
			{name: "何磊", group: 1, prof: good},
			{name: "马晓东", group: 1, prof: model},
			{name: "胡婷婷", female: true, group: 1, prof: average},
			{name: "朱立新", group: 1, prof: good},
			{name: "高峰", group: 1, prof: weak},
			{name: "林芳", female: true, group: 1, prof: model},
			{name: "罗平", group: 1, prof: average, note: "2022年9月20日开除党籍",
				special: "党纪处分：开除党籍（2022-09-20），总分 0，不评星，不合格"},
			{name: "郭晨", female: true, group: 1, prof: good, probation: true, joined: "2022-04-18",
				note:    "2022年4月18日入党",
				special: "年中入党（2022-04-18）的预备党员：入党前的 2 条签到和 3 月测试成绩不计分"},
			{name: "梁宇航", group: 1, prof: good, probation: true, joined: "2021-11-26",
				special: "预备党员：计分评星，不定等次"},
		},
	},
	{
		name:         "机关第二党支部",
		groups:       []string{"第一党小组", "第二党小组"},
		committeeDay: 5, themeDay: 10, groupDay: 18, generalDay: 21, lessonDay: 23, lifeDay: 19,
		studyMonths:   []time.Month{3, 6, 9, 10, 11},
		seminarMonths: []time.Month{11},
		members: []memberSpec{
			{name: "黄志明", group: 0, position: positionSecretary, prof: model},
			{name: "徐丽", female: true, group: 0, position: "支部委员", prof: good},
			{name: "杨帆", group: 1, position: "支部委员", prof: good},
			{name: "谢文军", group: 0, position: positionGroupHead, prof: average,
				special: "非支委列席支委会 3 次：计入出勤率和会议次数，记 0 分"},
			{name: "韩雪", female: true, group: 0, prof: model},
			{name: "唐国庆", group: 0, prof: good},
			{name: "曹颖", female: true, group: 0, prof: good},
			{name: "许明辉", group: 0, prof: average},
			{name: "邓佳", female: true, group: 0, prof: model},
			{name: "彭飞", group: 1, position: positionGroupHead, prof: good},
			{name: "曾凡", group: 1, prof: lax,
				special: "按积分定为基本合格（60–69.99 分）：缺席多、党费两次未按时缴纳、通报批评"},
			{name: "萧雨晴", female: true, group: 1, prof: good},
			{name: "田野", group: 1, prof: average},
			{name: "董振华", group: 1, prof: good},
			{name: "袁媛", female: true, group: 1, prof: model},
			{name: "潘志刚", group: 1, prof: good,
				special: "党纪处分：警告，总分封顶 60，不评星，按积分定格"},
			{name: "蒋丹", female: true, group: 1, prof: good, transferIn: "2022-05-10",
				note:    "由市公路养护中心党支部转入",
				special: "年中转入（2022-05-10）：签到从转入后开始，转入前的志愿服务记录不计分"},
			{name: "蔡晓燕", female: true, group: 0, prof: perfect,
				special: "4 次测试均 ≥ 90%，测试加分 12 分封顶为 10 分"},
			{name: "余佳琪", female: true, group: 1, prof: model, probation: true, joined: "2021-12-20",
				special: "预备党员：积分高，仍不定等次、不占优秀名额"},
		},
	},
	{
		name:         "养护党支部",
		groups:       []string{"第一党小组", "第二党小组", "第三党小组"},
		committeeDay: 6, themeDay: 12, groupDay: 19, generalDay: 22, lessonDay: 24, lifeDay: 20,
		studyMonths:   []time.Month{4, 8, 10, 11},
		seminarMonths: []time.Month{8},
		members: []memberSpec{
			{name: "王德福", group: 0, position: positionSecretary, prof: model},
			{name: "李红梅", female: true, group: 1, position: "支部副书记", prof: good},
			{name: "张伟", group: 1, prof: shift,
				special: "重名：与机关第一党支部的张伟同名"},
			{name: "刘长江", group: 2, position: "纪检委员", prof: good},
			{name: "陈大勇", group: 0, position: positionGroupHead, prof: good},
			{name: "杨树林", group: 1, position: positionGroupHead, prof: good, note: "2022年6月撤销党内职务",
				special: "党纪处分：撤销党内职务，总分 0，不评星，不合格"},
			{name: "赵铁柱", group: 2, position: positionGroupHead, prof: shift},
			{name: "孙建军", group: 0, prof: shift},
			{name: "周永刚", group: 0, prof: model,
				special: "国家级表彰（全国五一劳动奖章）＋10"},
			{name: "吴春生", group: 0, prof: shift},
			{name: "郑卫东", group: 0, prof: weak},
			{name: "王勇", group: 0, prof: shift},
			{name: "李秋菊", female: true, group: 1, prof: good},
			{name: "何金宝", group: 1, prof: shift},
			{name: "高志远", group: 1, prof: good,
				special: "其他加分封顶：讲党课 2 次、志愿服务 5 次、心得体会 3 篇，合计 12.5 分封顶为 10 分"},
			{name: "罗小兵", group: 1, prof: good,
				special: "党纪处分：严重警告，总分封顶 60，不评星，按积分定格"},
			{name: "宋桂兰", female: true, group: 1, prof: average},
			{name: "唐建平", group: 2, prof: shift},
			{name: "韩冬", group: 2, prof: weak},
			{name: "冯玉兰", female: true, group: 2, prof: good},
			{name: "曹立伟", group: 2, prof: average},
			{name: "邓小龙", group: 2, prof: good, probation: true, joined: "2022-07-01",
				note:    "2022年7月1日入党",
				special: "年中入党（2022-07-01）的预备党员：6 月的 2 条签到和 6 月测试成绩不计分，7 月 1 日主题党日（入党当天）计分"},
			{name: "魏春燕", female: true, group: 0, prof: shift, probation: true, joined: "2021-10-15",
				special: "预备党员"},
		},
	},
	{
		name:         "收费党支部",
		groups:       []string{"收费一站党小组", "收费二站党小组"},
		committeeDay: 7, themeDay: 15, groupDay: 20, generalDay: 25, lessonDay: 26, lifeDay: 21,
		studyMonths:   []time.Month{2, 5, 9, 10, 11},
		seminarMonths: nil,
		members: []memberSpec{
			{name: "郭丽萍", female: true, group: 0, position: positionSecretary, prof: good},
			{name: "马俊", group: 0, position: "支部委员", prof: average},
			{name: "何婷", female: true, group: 1, position: "支部委员", prof: good},
			{name: "林晓雪", female: true, group: 0, prof: perfect, special: tieNote},
			{name: "陈静", female: true, group: 0, prof: perfect, special: tieNote},
			{name: "周敏", female: true, group: 0, prof: perfect, special: tieNote},
			{name: "黄莉", female: true, group: 1, prof: perfect, special: tieNote},
			{name: "刘慧", female: true, group: 1, prof: perfect, special: tieNote},
			{name: "张玉洁", female: true, group: 1, prof: perfect, special: tieNote},
			{name: "谭雅文", female: true, group: 0, position: positionGroupHead, prof: shift},
			{name: "沈丹丹", female: true, group: 0, prof: shift},
			{name: "吕振宇", group: 0, prof: average, note: "2022年4月受留党察看处分",
				special: "党纪处分：留党察看，总分 0，不评星，不合格"},
			{name: "秦浩", group: 1, prof: good, transferOut: "2022-08-31",
				note:    "转至市交通运输局机关党委",
				special: "年中转出（2022-08-31）：签到到转出为止；仍在本支部统计、计入党员数和名额基数；转出后的心得体会不计分"},
			{name: "范文静", female: true, group: 1, position: positionGroupHead, prof: shift},
			{name: "袁丽", female: true, group: 1, prof: weak},
			{name: "苏晴", female: true, group: 1, prof: good, probation: true, joined: "2021-12-28",
				special: "预备党员"},
			{name: "姚佳", female: true, group: 0, prof: average},
			{name: "程亮", group: 1, prof: slack,
				special: "按积分定为不合格（< 60 分）：多次无故缺席、缺考、未签承诺书、党费未按时缴纳、通报批评"},
		},
	},
}

const tieNote = "名额并列：6 人记录相同、同分并列本支部第一（≥ 90 分），合起来超过优秀名额，整组定为合格（见下文）"

// tests held in 2022 (dates are Fridays).
var tests = []*test{
	{name: "党纪党规及德廉知识测试（第一季度）", date: date(year, 3, 25), full: 100},
	{name: "党章党规知识测试", date: date(year, 6, 24), full: 50},
	{name: "党纪党规及德廉知识测试（第三季度）", date: date(year, 9, 23), full: 100},
	{name: "学习贯彻党的二十大精神应知应会测试", date: date(year, 11, 25), full: 100},
}

// holidays of 2022 (statutory days off on weekdays); meetings avoid them.
var holidays = map[time.Time]bool{}

func init() {
	for _, r := range [][2]string{
		{"2022-01-03", "2022-01-03"}, {"2022-01-31", "2022-02-04"},
		{"2022-04-04", "2022-04-05"}, {"2022-05-02", "2022-05-04"},
		{"2022-06-03", "2022-06-03"}, {"2022-09-12", "2022-09-12"},
		{"2022-10-03", "2022-10-07"},
	} {
		for d := day(r[0]); !d.After(day(r[1])); d = d.AddDate(0, 0, 1) {
			holidays[d] = true
		}
	}
}

// workday returns the given day, or the next working day after it.
func workday(m time.Month, d int) time.Time {
	t := date(year, m, d)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || holidays[t] {
		t = t.AddDate(0, 0, 1)
	}
	return t
}
