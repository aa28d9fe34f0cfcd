// Package forms writes one small unit's year (2023, 2 branches of 7 members) twice: in the forms
// party offices really keep (one sign-in sheet per meeting with side-by-side column groups,
// 三会一课 registers, matrices with legends, a 花名册 without 党员编号, online exam exports, mixed
// ledgers, a two-sheet .xls) by Write, and in the README's plain long layouts by WritePlain. Both
// come from the one model below, so jifen must give the same results from either.
//
// The generator is not part of jifen: cmd/jifen does not import it. Run it from the module root:
//
//	go run ./datasets/formsgen/gen              # rewrites datasets/forms/ (the .xls needs soffice)
//	go run ./datasets/formsgen/gen -plain DIR   # the same year in the README's plain layouts
package formsgen

// Year is the unit's year.
const Year = 2023

// Branches are the roster's names of the two branches; their long names (in titles and
// exports) are Org + name.
var Branches = [2]string{"机关第一党支部", "机关第二党支部"}

// Org is what long branch names start with: 中共××局机关第一党支部.
const Org = "中共××局"

// Member is one member of the unit's roster.
type Member struct {
	Branch   int // 0 or 1
	No       string
	Name     string
	Sex      string
	Position string // 党内职务
	Prob     bool   // 预备党员
	Join     string // 入党时间 2005-07
	IDBase   string // the first 17 digits of the 身份证号
}

// Committee reports whether the member's 党内职务 makes a 支委 (书记 or 委员).
func (m Member) Committee() bool { return m.Position != "" }

// IDCard is the member's 身份证号 with its check digit.
func (m Member) IDCard() string { return idCard(m.IDBase) }

// Category is the 党员类别 of the plain roster.
func (m Member) Category() string {
	if m.Prob {
		return "预备党员"
	}
	return "正式党员"
}

// Politics is the 政治面貌 of the office roster.
func (m Member) Politics() string {
	if m.Prob {
		return "中共预备党员"
	}
	return "中共党员"
}

// Members is the roster: 李娜 is in both branches.
var Members = []Member{
	{0, "J101", "张伟", "男", "支部书记", false, "2005-07", "11010119800312001"},
	{0, "J102", "王芳", "女", "组织委员", false, "2010-06", "11010119850621002"},
	{0, "J103", "李娜", "女", "", false, "2012-07", "11010119880914002"},
	{0, "J104", "刘洋", "男", "", false, "2015-05", "11010219900103001"},
	{0, "J105", "陈静", "女", "", false, "2016-07", "11010219911127004"},
	{0, "J106", "杨磊", "男", "", false, "2018-06", "11010519930408003"},
	{0, "J107", "赵敏", "女", "", true, "2022-11", "11010519980719006"},
	{1, "J201", "黄强", "男", "支部书记", false, "2003-06", "11010619780225001"},
	{1, "J202", "周婷", "女", "支部副书记", false, "2009-07", "11010619840516002"},
	{1, "J203", "徐丽", "女", "宣传委员", false, "2011-12", "11010619870830004"},
	{1, "J204", "吴刚", "男", "", false, "2013-07", "11010819891011005"},
	{1, "J205", "李娜", "女", "", false, "2017-06", "11010819920302006"},
	{1, "J206", "孙浩", "男", "", true, "2022-12", "11010819990609007"},
	{1, "J207", "何军", "男", "", false, "2014-05", "11010819860117001"},
}

// BranchMembers lists a branch's members in roster order.
func BranchMembers(b int) []Member {
	var out []Member
	for _, m := range Members {
		if m.Branch == b {
			out = append(out, m)
		}
	}
	return out
}

// idCard appends the GB 11643 check digit to 17 digits.
func idCard(base string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range base {
		sum += int(c-'0') * weights[i]
	}
	return base + string("10X98765432"[sum%11])
}

// Mark is how one member was at a meeting: Status (出席, 请假, 缺席, 迟到, 早退) and the reason
// the form gives (出差, 病假 …; "" for none).
type Mark struct {
	Status string
	Note   string
}

// Meeting is one meeting of a branch; every expected member attended (出席) except as Marks say.
type Meeting struct {
	Key    string // which form holds it
	Branch int
	Date   string // 2023-03-15
	Type   string // canonical activity type
	// Only, when set, lists who was expected (a 支委会: the committee, and those who sat in).
	Only  []string
	Marks map[string]Mark
}

// Expected lists the meeting's expected members in roster order.
func (m Meeting) Expected() []Member {
	var out []Member
	for _, x := range BranchMembers(m.Branch) {
		if m.Only == nil || contains(m.Only, x.Name) {
			out = append(out, x)
		}
	}
	return out
}

// Mark is a member's mark at the meeting.
func (m Meeting) Mark(name string) Mark {
	if k, ok := m.Marks[name]; ok {
		return k
	}
	return Mark{Status: "出席"}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	leave  = func(note string) Mark { return Mark{"请假", note} }
	late   = Mark{"迟到", ""}
	early  = Mark{"早退", ""}
	absent = Mark{"缺席", ""}
)

// Meetings is the unit's year of meetings, grouped by the office form that holds them.
var Meetings = []Meeting{
	// 登记簿_缺席人员及原因.xlsx (第一党支部's register)
	{"reg1", 0, "2023-01-10", "支委会", []string{"张伟", "王芳"}, nil},
	{"reg1", 0, "2023-02-14", "支部党员大会", nil, map[string]Mark{"李娜": leave("出差")}},
	{"reg1", 0, "2023-03-28", "党课", nil, map[string]Mark{"刘洋": leave("病假"), "陈静": leave("事假")}},
	{"reg1", 0, "2023-06-20", "支部党员大会", nil, nil},
	// 登记簿_无故缺席_备注迟到.xlsx (第二党支部's register)
	{"reg2", 1, "2023-02-16", "支部党员大会", nil, map[string]Mark{"吴刚": absent, "何军": late}},
	{"reg2", 1, "2023-05-18", "党课", nil, nil},
	{"reg2", 1, "2023-09-21", "支部党员大会", nil, map[string]Mark{"孙浩": leave("病假")}},
	// 登记簿_支委会只算支委.xlsx (第二党支部's 支委会)
	{"regc", 1, "2023-01-12", "支委会", []string{"黄强", "周婷", "徐丽"}, nil},
	{"regc", 1, "2023-04-11", "支委会", []string{"黄强", "周婷", "徐丽"}, map[string]Mark{"徐丽": leave("培训")}},
	{"regc", 1, "2023-07-11", "支委会", []string{"黄强", "周婷", "徐丽"}, nil},
	// 登记簿_两支部合一_党支部列.xlsx
	{"regu", 0, "2023-12-19", "组织生活会", nil, nil},
	{"regu", 1, "2023-12-20", "组织生活会", nil, map[string]Mark{"何军": leave("出差")}},
	// one sign-in sheet per meeting
	{"two", 0, "2023-03-15", "主题党日", nil, map[string]Mark{"李娜": leave("出差"), "刘洋": late, "杨磊": absent}},
	{"three", 1, "2023-03-16", "主题党日", nil, map[string]Mark{"孙浩": leave("病假")}},
	{"book", 0, "2023-04-18", "主题党日", nil, nil},
	{"book", 0, "2023-05-16", "主题党日", nil, map[string]Mark{"陈静": early}},
	{"book", 0, "2023-05-23", "党课", nil, map[string]Mark{"杨磊": leave("事假")}},
	{"fullwidth", 1, "2023-04-20", "主题党日", nil, map[string]Mark{"吴刚": absent}},
	{"committee", 0, "2023-04-06", "支委会", []string{"张伟", "王芳", "李娜"}, nil},
	{"titledate", 1, "2023-06-15", "党课", nil, map[string]Mark{"李娜": leave("公假")}},
	{"study", 1, "2023-06-08", "集中学习", nil, map[string]Mark{"何军": late, "孙浩": early}},
	{"csv", 0, "2023-06-09", "集中学习", nil, map[string]Mark{"赵敏": leave("病假")}},
	{"blank", 0, "2023-02-21", "党小组会", nil, map[string]Mark{"赵敏": leave("")}},
	// matrices
	{"dot", 0, "2023-01-12", "集中学习", nil, map[string]Mark{"王芳": leave("")}},
	{"dot", 0, "2023-02-09", "集中学习", nil, nil},
	{"circle", 0, "2023-07-11", "主题党日", nil, map[string]Mark{"赵敏": leave("")}},
	{"circle", 0, "2023-08-15", "主题党日", nil, map[string]Mark{"刘洋": late, "杨磊": absent}},
	{"circle", 0, "2023-09-12", "支部党员大会", nil, nil},
	{"footer", 1, "2023-07-13", "主题党日", nil, map[string]Mark{"李娜": leave("")}},
	{"footer", 1, "2023-08-17", "主题党日", nil, map[string]Mark{"吴刚": absent}},
	{"footer", 1, "2023-09-14", "党课", nil, map[string]Mark{"周婷": late}},
	{"xls", 0, "2023-10-17", "主题党日", nil, nil},
	{"xls", 0, "2023-11-14", "主题党日", nil, map[string]Mark{"陈静": leave("")}},
	{"xls", 0, "2023-12-12", "支部党员大会", nil, map[string]Mark{"杨磊": late}},
	{"xls", 1, "2023-10-19", "主题党日", nil, nil},
	{"xls", 1, "2023-11-16", "主题党日", nil, map[string]Mark{"何军": absent}},
	{"xls", 1, "2023-12-14", "支部党员大会", nil, nil},
}

// MeetingsOf lists the meetings a form holds.
func MeetingsOf(key string) []Meeting {
	var out []Meeting
	for _, m := range Meetings {
		if m.Key == key {
			out = append(out, m)
		}
	}
	return out
}

// Test is one test: its results by branch and name (a member not listed did not take it).
type Test struct {
	Name     string
	Date     string // the day it opened; submissions run over Days days
	Days     int
	FullMark int
	Scores   [2]map[string]float64
}

// Tests are the unit's two online exams.
var Tests = []Test{
	{"党纪党规知识测试", "2023-11-20", 3, 50, [2]map[string]float64{
		{"张伟": 48, "王芳": 45, "李娜": 29, "刘洋": 40, "陈静": 50, "杨磊": 31, "赵敏": 44},
		{"黄强": 47, "周婷": 46, "徐丽": 38, "吴刚": 27, "李娜": 42, "孙浩": 35}, // 何军 did not take it
	}},
	{"德廉知识测试", "2023-06-27", 1, 100, [2]map[string]float64{
		{"张伟": 92, "王芳": 85, "李娜": 70, "刘洋": 95, "陈静": 66, "杨磊": 59, "赵敏": 90},
		{"黄强": 88, "周婷": 93, "徐丽": 61, "吴刚": 45, "李娜": 78, "孙浩": 80, "何军": 97},
	}},
}

// Pledge is a member's 承诺书 and 践诺 rating.
type Pledge struct {
	Signed bool
	Rating string
}

// Pledges by branch and name.
var Pledges = [2]map[string]Pledge{
	{"张伟": {true, "优秀"}, "王芳": {true, "良好"}, "李娜": {true, "良好"}, "刘洋": {true, "一般"},
		"陈静": {true, "优秀"}, "杨磊": {true, "未践诺"}, "赵敏": {true, "良好"}},
	{"黄强": {true, "优秀"}, "周婷": {true, "优秀"}, "徐丽": {true, "良好"}, "吴刚": {false, ""},
		"李娜": {true, "一般"}, "孙浩": {true, "良好"}, "何军": {true, "良好"}},
}

// Entry is one ledger row.
type Entry struct {
	Key      string // which form holds it
	Branch   int
	Name     string
	Date     string
	Category string
	Level    string
	Count    int
	Reason   string // 事由 or 说明
	Points   string // the clerk's 分值 ("" for none)
}

// Ledger is the unit's year of awards and deductions.
var Ledger = []Entry{
	{"mixed", 0, "张伟", "2023-07-01", "表彰", "市厅级", 1, "优秀共产党员", "6"},
	{"mixed", 1, "周婷", "2023-07-01", "表彰", "本单位", 1, "优秀党务工作者", "2"},
	{"mixed", 0, "刘洋", "2023-05-10", "讲党课", "", 1, "讲专题党课", "3"},
	{"mixed", 1, "黄强", "2023-09-08", "讲党课", "", 1, "讲授党课一次", "3"},
	{"mixed", 1, "吴刚", "2023-10-15", "通报批评", "", 1, "工作失误被通报", "-3"},
	{"mixed", 0, "杨磊", "2023-08-20", "党纪处分", "警告", 1, "违反工作纪律", ""},
	{"mixed", 0, "王芳", "2023-04-12", "心得体会", "", 1, "学习二十大精神心得", "0.5"},
	{"dates", 0, "李娜", "2023-03-05", "志愿服务", "", 1, "学雷锋志愿服务", ""},
	{"dates", 1, "李娜", "2023-03-05", "志愿服务", "", 1, "学雷锋志愿服务", ""},
	{"dates", 0, "赵敏", "2023-06-18", "志愿服务", "", 2, "社区志愿服务", ""},
	{"dates", 1, "何军", "2023-04-08", "党费未按时缴纳", "", 1, "3月党费", ""},
	{"dates", 1, "孙浩", "2023-09-30", "志愿服务", "", 1, "国庆志愿服务", ""},
	{"dates", 0, "陈静", "2023-10-12", "志愿服务", "", 1, "敬老院志愿服务", ""},
	{"values", 1, "徐丽", "2023-11-30", "表彰", "县处级", 1, "优秀共产党员", ""},
	{"values", 0, "陈静", "2023-12-01", "表彰", "本单位", 1, "先进工作者", ""},
}

// EntriesOf lists the ledger rows a form holds.
func EntriesOf(key string) []Entry {
	var out []Entry
	for _, e := range Ledger {
		if e.Key == key {
			out = append(out, e)
		}
	}
	return out
}
