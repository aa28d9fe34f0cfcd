// Package rules is jifen's rule model: the schema of config.yaml (scoring rules, star and grade
// thresholds, import synonyms), its validation, and its compilation into the vocabularies and
// tables the importer and the scoring engine use. It knows nothing of spreadsheets or SQL.
package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
)

// Config is the whole of config.yaml. Points are in 积分 points, percentages in percent (0–100).
type Config struct {
	// Year is the scoring year; 0 means inferred from the data.
	Year int `mapstructure:"year"`
	// Unit is the name of the unit (填报单位) printed on the 附件, the 公示 and the report.
	Unit string `mapstructure:"unit"`
	// Publicity is how the 公示 of the points is posted (公示.xlsx).
	Publicity Publicity `mapstructure:"publicity"`
	// Period is the scoring period: year, quarter or month. Each period is scored on its own
	// (base, caps, vetoes); YearTotal makes the year's total of them.
	Period    string `mapstructure:"period"`
	YearTotal string `mapstructure:"year_total"`
	Tests     Tests  `mapstructure:"tests"`
	// CommitteePositions: a member whose 党内职务 contains one of these words is on the branch
	// committee (支委).
	CommitteePositions []string    `mapstructure:"committee_positions"`
	Scoring            Scoring     `mapstructure:"scoring"`
	Stars              []Star      `mapstructure:"stars"`
	StarRanks          *StarRank   `mapstructure:"star_ranks"`
	Grades             Grades      `mapstructure:"grades"`
	Indicators         []Indicator `mapstructure:"indicators"`
	Norms              []Norm      `mapstructure:"norms"`
	Ranking            Ranking     `mapstructure:"ranking"`
	Import             Import      `mapstructure:"import"`

	// Vocab holds the compiled vocabularies of Import, built on load.
	Vocab Vocab `mapstructure:"-"`
	// Warnings are problems that do not stop scoring, e.g. an item that can never match,
	// each as file:line key.path: message.
	Warnings []string      `mapstructure:"-"`
	warnings []*FieldError // before file and line are known
}

// Publicity is the 公示 of the year's points: posted for WorkingDays working days from the date
// of the run, objections raised with Contact (who and how; "" leaves a line to fill in by hand).
type Publicity struct {
	WorkingDays int    `mapstructure:"working_days"`
	Contact     string `mapstructure:"contact"`
}

// Indicator is a figure of the annual report, per branch and for the unit (合计), per year,
// quarter and month: how it counts (Count) the records of Source that pass its filters.
//
//	records  the records (人次)             members   the members with one (人数)
//	coverage members with one / 党员数 (%)  meetings  distinct (branch, activity, date) (次)
//	events   distinct (name, date) (次)     sum       their quantities (篇, 小时)
//	mean     mean of the test scores or assessment values
//	ratio    Ratio[0] / Ratio[1] of two other indicators (%)
//
// Percentages have one decimal, rounded half up; sums and means two.
type Indicator struct {
	Name             string   `mapstructure:"name"`
	Count            string   `mapstructure:"count"`
	Source           string   `mapstructure:"source"`
	Activities       []string `mapstructure:"activities"`
	Statuses         []string `mapstructure:"statuses"`
	Tests            []string `mapstructure:"tests"`
	MinPercent       *float64 `mapstructure:"min_percent"` // tests: a score of at least this share of the full mark
	Signed           *bool    `mapstructure:"signed"`
	Ratings          []string `mapstructure:"ratings"`
	Categories       []string `mapstructure:"categories"`
	Levels           []string `mapstructure:"levels"`
	Items            []string `mapstructure:"items"`
	Stars            []int    `mapstructure:"stars"`
	Grades           []string `mapstructure:"grades"`
	MemberCategories []string `mapstructure:"member_categories"`
	Ratio            []string `mapstructure:"ratio"`
}

// Indicator counts and the extra sources indicators can count.
const (
	CountRecords  = "records"
	CountMembers  = "members"
	CountCoverage = "coverage"
	CountMeetings = "meetings"
	CountEvents   = "events"
	CountSum      = "sum"
	CountMean     = "mean"
	CountRatio    = "ratio"
	SourceScores  = "scores"
	SourceMembers = "members"
)

// Norm is how often a branch must hold an activity (《中国共产党支部工作条例（试行）》: 支部党员大会
// 一般每季度 1 次, 支委会 and 党小组会 一般每月 1 次, 主题党日 每月 1 天; 党课 quarterly is local
// custom): Times per Per (month, quarter, year).
type Norm struct {
	Activity string `mapstructure:"activity"`
	Per      string `mapstructure:"per"`
	Times    int    `mapstructure:"times"`
	// PerGroup checks each 党小组 of the branch (by the roster's 党小组) on its own: 党小组会
	// 一般每月召开1次 is a norm of every group.
	PerGroup bool `mapstructure:"per_group"`
}

// Ranking ranks the branches by a composite index of Indicators, weighted by the entropy weight
// method (熵权法).
type Ranking struct {
	Indicators []string `mapstructure:"indicators"`
}

// Periods and year totals.
const (
	PeriodYear    = "year"
	PeriodQuarter = "quarter"
	PeriodMonth   = "month"
	TotalSum      = "sum"
	TotalMean     = "mean"
)

// Tests holds what the indicators need of tests: the default full mark and the pass mark.
type Tests struct {
	DefaultFullMark float64 `mapstructure:"default_full_mark"`
	PassPercent     float64 `mapstructure:"pass_percent"`
}

// Scoring is the point rules: a base per period, categories of items, and vetoes.
type Scoring struct {
	Base       float64    `mapstructure:"base"`
	Categories []Category `mapstructure:"categories"`
	Vetoes     []Veto     `mapstructure:"vetoes"`
}

// Category groups items under common bounds. A record scores through the first item of a
// category it matches; it may score in several categories.
type Category struct {
	Name string `mapstructure:"name"`
	// GainCap bounds the sum of positive points per CapPeriod (deductions are not capped);
	// LossCap bounds the sum of deductions (a positive number of points).
	GainCap   *float64 `mapstructure:"gain_cap"`
	LossCap   *float64 `mapstructure:"loss_cap"`
	CapPeriod string   `mapstructure:"cap_period"`
	// Base is the category's own base points per period; Min and Max bound the category's
	// total, base included (a component 基础 70 that deductions take down to 0 at most).
	Base *float64 `mapstructure:"base"`
	Min  *float64 `mapstructure:"min"`
	Max  *float64 `mapstructure:"max"`
	// HighestOnly: only the best-scoring record counts (表彰 not cumulative).
	HighestOnly bool `mapstructure:"highest_only"`
	// Exempt: members matching it take no part in the category.
	Exempt *MemberCond `mapstructure:"exempt"`
	Items  []Item      `mapstructure:"items"`
}

// Item matches records of one source by their fields and gives points: fixed (Points), by the
// record's status, rating, level or result (PointsBy), by a test's share of the full mark
// (Bands), or per unit of quantity or score (PerUnit).
type Item struct {
	Source     string      `mapstructure:"source"`
	Activities []string    `mapstructure:"activities"`
	Statuses   []string    `mapstructure:"statuses"`
	Tests      []string    `mapstructure:"tests"`
	Signed     *bool       `mapstructure:"signed"`
	Ratings    []string    `mapstructure:"ratings"`
	Categories []string    `mapstructure:"categories"`
	Levels     []string    `mapstructure:"levels"`
	Items      []string    `mapstructure:"items"`
	Member     *MemberCond `mapstructure:"member"`

	Points   *float64           `mapstructure:"points"`
	PointsBy map[string]float64 `mapstructure:"points_by"`
	Bands    []Band             `mapstructure:"bands"`
	PerUnit  *float64           `mapstructure:"per_unit"`
}

// MemberCond is a condition on the member: on the committee, of a category, a 流动党员, of an
// age (on the last day of the year).
type MemberCond struct {
	Committee *bool  `mapstructure:"committee"`
	Category  string `mapstructure:"category"`
	Mobile    *bool  `mapstructure:"mobile"`
	MinAge    *int   `mapstructure:"min_age"`
	MaxAge    *int   `mapstructure:"max_age"`
}

// Sources of records.
const (
	SourceAttendance  = "attendance"
	SourceTests       = "tests"
	SourcePledges     = "pledges"
	SourceLedger      = "ledger"
	SourceAssessments = "assessments"
)

// Sources lists the record sources items can match.
var Sources = []string{SourceAttendance, SourceTests, SourcePledges, SourceLedger, SourceAssessments}

// Test statuses as items see them: a test taken (参考), missed (缺考) or excused (请假).
const TestTaken = "参考"

// Band: a share of the full mark of at least MinPercent scores Points.
type Band struct {
	MinPercent float64 `mapstructure:"min_percent"`
	Points     float64 `mapstructure:"points"`
}

// Veto (一票否决) is an effect of ledger rows of Categories and Levels (党纪处分 警告 …): the
// heaviest effect of a member's vetoes applies in the period.
type Veto struct {
	Name       string   `mapstructure:"name"`
	Categories []string `mapstructure:"categories"`
	Levels     []string `mapstructure:"levels"`
	CapTotal   *float64 `mapstructure:"cap_total"`  // total = min(total, CapTotal)
	ZeroTotal  bool     `mapstructure:"zero_total"` // total = 0
	MaxStars   *int     `mapstructure:"max_stars"`  // stars = min(stars, MaxStars)
	Grade      string   `mapstructure:"grade"`      // forced grade; "" = from points
}

// Star: a total of at least Min earns Stars (1–5).
type Star struct {
	Min   float64 `mapstructure:"min"`
	Stars int     `mapstructure:"stars"`
}

// StarRank rates stars by rank instead of thresholds: in Scope (branch or unit), the first
// Percent% by total get the first tier's stars, the next tier's Percent% the next, and so on;
// members tied with someone inside a tier share it.
type StarRank struct {
	Scope string     `mapstructure:"scope"`
	Tiers []StarTier `mapstructure:"tiers"`
}

// StarTier is a share of the ranked members (percent) and their stars.
type StarTier struct {
	Percent float64 `mapstructure:"percent"`
	Stars   int     `mapstructure:"stars"`
}

// Grades (定格) of 正式党员.
type Grades struct {
	Excellent    Excellent    `mapstructure:"excellent"`
	Levels       []GradeLevel `mapstructure:"levels"`
	Probationary string       `mapstructure:"probationary"`
}

// Excellent is the top grade with a quota: n × QuotaNumerator / QuotaDenominator of a
// branch's n 正式党员, rounded by Rounding (floor, round, ceil), at least Min points; a tied
// group that would overflow the quota is wholly left out (Ties: exclude) or wholly in
// (include). DOMAIN.md: 优秀 normally ≤ 1/3 of the branch.
type Excellent struct {
	Name             string  `mapstructure:"name"`
	Min              float64 `mapstructure:"min"`
	QuotaNumerator   int     `mapstructure:"quota_numerator"`
	QuotaDenominator int     `mapstructure:"quota_denominator"`
	Rounding         string  `mapstructure:"rounding"`
	Ties             string  `mapstructure:"ties"`
}

// GradeLevel: a total of at least Min gets Name; a nil Min is the fallback and must be last.
type GradeLevel struct {
	Name string   `mapstructure:"name"`
	Min  *float64 `mapstructure:"min"`
}

// Import holds the synonyms the importer matches headers and cell values through.
type Import struct {
	BlankIsAbsent    bool                `mapstructure:"blank_is_absent"`
	Headers          map[string][]string `mapstructure:"headers"`
	MemberCategories map[string][]string `mapstructure:"member_categories"`
	Activities       map[string][]string `mapstructure:"activities"`
	Statuses         map[string][]string `mapstructure:"statuses"`
	TestStatuses     map[string][]string `mapstructure:"test_statuses"`
	SignedValues     map[string][]string `mapstructure:"signed_values"`
	Ratings          []string            `mapstructure:"ratings"`
	LedgerCategories map[string][]string `mapstructure:"ledger_categories"`
	Levels           map[string][]string `mapstructure:"levels"`
	// Layouts map sheets whose headers jifen cannot recognise by itself (a template's own
	// column names, wide ledgers with one column per rule item) to a kind of record.
	Layouts []Layout `mapstructure:"layouts"`
	// Ignore lists the files, sheets and columns the user wants left alone (rules/ignore.go).
	Ignore []IgnoreEntry `mapstructure:"ignore"`
}

// Layout tells the importer how to read the sheets it matches: their kind, which header
// (or part of a header) is which field, fixed values for fields the sheet lacks, and, for a
// wide ledger, which column is which ledger item.
type Layout struct {
	Name string `mapstructure:"name"`
	// Files are glob patterns on the file's base name (e.g. "*积分导出模版*"); empty: any file.
	Files []string `mapstructure:"files"`
	// Sheets are sheet names; empty: any sheet.
	Sheets []string `mapstructure:"sheets"`
	// Kind is 党员名册, 考勤签到, 测试成绩, 承诺践诺 or 加扣分台账.
	Kind string `mapstructure:"kind"`
	// Columns maps a field (see HeaderFields) to the header text of its column.
	Columns map[string]string `mapstructure:"columns"`
	// Values gives a field a fixed value for every row, e.g. test: 入党积极分子培训考试.
	Values map[string]string `mapstructure:"values"`
	// Items make a wide ledger: each is a column (found by a header containing Header) whose
	// cells hold a count of occurrences (Cells: count) or points (Cells: points).
	Items []LayoutItem `mapstructure:"items"`
	Cells string       `mapstructure:"cells"`
	// Legend gives the marks of a sign-in matrix (√ ○ × △ …) their 出勤情况 for the sheets it
	// matches, like a 说明：√出席 ○请假 line the sheet lacks; a legend in the sheet overrides it.
	Legend map[string]string `mapstructure:"legend"`
	// Footer are words that begin the lines under a table that are no member (落款、签字).
	Footer []string `mapstructure:"footer"`
	// FieldsFromLabels takes a field from a label in the header block: date: 会议时间 reads
	// 会议时间：2023年3月15日 above the table.
	FieldsFromLabels map[string]string `mapstructure:"fields_from_labels"`
}

// LayoutItem is one column of a wide ledger: a ledger category (and level, for 表彰 and
// 党纪处分). Points stated in the header text (…每次扣1分) are checked against the rule.
type LayoutItem struct {
	Header   string `mapstructure:"header"`
	Category string `mapstructure:"category"`
	Level    string `mapstructure:"level"`
}

// Kind names of Layout.Kind.
const (
	KindRoster     = "党员名册"
	KindAttendance = "考勤签到"
	KindTests      = "测试成绩"
	KindPledges    = "承诺践诺"
	KindLedger     = "加扣分台账"
	KindAssessment = "评价结果"
)

// Wide-ledger cell contents.
const (
	CellsCount  = "count"
	CellsPoints = "points"
)

// Canonical member categories, statuses and test statuses the engine relies on.
const (
	CategoryFull         = "正式党员"
	CategoryProbationary = "预备党员"

	StatusPresent   = "出席"
	StatusExcused   = "请假"
	StatusAbsent    = "缺席"
	StatusLate      = "迟到"
	StatusLeftEarly = "早退"

	TestAbsent  = "缺考"
	TestExcused = "请假"

	SignedYes = "是"
	SignedNo  = "否"
)

// Statuses lists the attendance statuses in display order.
var Statuses = []string{StatusPresent, StatusExcused, StatusAbsent, StatusLate, StatusLeftEarly}

// Activities, LedgerCategories and Levels give the display order of the usual terms in
// messages (DOMAIN.md); terms a unit adds are listed after them.
var (
	Activities       = []string{"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "集中学习", "组织生活会", "交流研讨"}
	LedgerCategories = []string{"表彰", "志愿服务", "讲党课", "心得体会", "党费未按时缴纳", "通报批评", "党纪处分", "慰问"}
	Levels           = []string{"国家级", "省部级", "市厅级", "县处级", "本单位", "县区级", "警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"}
)

// Header fields the importer knows, in display order.
var HeaderFields = []string{"member_id", "name", "branch", "group", "category", "position",
	"join_date", "transfer_in", "transfer_out", "activity", "date", "status", "note", "test",
	"score", "full_mark", "year", "signed", "rating", "ledger_category", "level", "quantity",
	"assessment", "result", "mobile", "birth_date", "id_card", "phone", "signature",
	"topic", "host", "recorder", "expected", "attended", "absentees", "excused",
	"submit_time", "exam_total", "reason", "level_or_note", "points"}

// Vocab is the compiled form of Import.
type Vocab struct {
	Headers          *Vocabulary // canonical = field names of HeaderFields
	MemberCategories *Vocabulary
	Activities       *Vocabulary
	Statuses         *Vocabulary
	TestStatuses     *Vocabulary
	SignedValues     *Vocabulary
	Ratings          *Vocabulary
	LedgerCategories *Vocabulary
	Levels           *Vocabulary
}

// FieldError is a configuration error at a key path, e.g. stars[2].min, and its line.
type FieldError struct {
	File string
	Line int
	Path string
	Msg  string
}

// Error gives the message with every value it echoes bounded: each quoted “…” value clipped to
// 40 characters (engine.ClipQuoted), the key path to 120, the message to 1000 (a value that
// itself holds ” or an unquoted echo): a 50 MB value is never printed whole.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(engine.ClipTo(e.Path, 120))
		b.WriteString(": ")
	}
	b.WriteString(engine.ClipTo(engine.ClipQuoted(e.Msg), 1000))
	return b.String()
}

// Errors is a list of configuration errors, reported together.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// MaxSize is the largest config file jifen reads: the built-in reference scheme is some 30 KB,
// so a larger one is the wrong file (or a hostile one), not rules.
const MaxSize = 1 << 20

// tooLarge says a config file is over MaxSize.
func tooLarge(name string, size int64) error {
	return fmt.Errorf("规则文件 %s 太大（%.1f MB，上限 1 MB）：规则文件只写积分规则，通常只有几十 KB，请检查是否选错了文件", name, float64(size)/(1<<20))
}

// LoadFile reads, validates and compiles a config file. Errors name the file, line and key path.
func LoadFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("找不到规则文件 %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取规则文件 %s：%v", path, err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > MaxSize {
		return nil, tooLarge(path, info.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1)) // a file still growing, a pipe
	if err != nil {
		return nil, fmt.Errorf("无法读取规则文件 %s：%v", path, err)
	}
	return Parse(path, data)
}

// Parse reads, validates and compiles config text; name is used in messages. A wrong config is
// caught before any data is touched: wrong types, unknown keys (a typo must not silently fall
// back to a default), thresholds out of order, names no synonym produces. Every problem is
// returned at once as Errors, each with its line and key path.
func Parse(name string, data []byte) (*Config, error) {
	if len(data) > MaxSize {
		return nil, tooLarge(name, int64(len(data)))
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		msg := regexp.MustCompile(`line (\d+): `).ReplaceAllString(err.Error(), "第 $1 行：")
		msg = strings.NewReplacer("While parsing config: ", "", "yaml: ", "", "did not find expected key", "缺少键（缩进不对齐？）",
			"mapping values are not allowed in this context", "这里不能写 “键: 值”（缩进或冒号不对？）",
			"could not find expected ':'", "缺少半角冒号 “:”",
			"did not find expected '-' indicator", "缩进不对（列表项应以 “- ” 开头且对齐）",
			"found character that cannot start any token", "有不能出现在这里的字符（如 Tab 缩进）",
			// A “billion laughs” file: a few lines of aliases (&a, *a) that expand to
			// billions of values.
			"document contains excessive aliasing", "别名（&名称 和 *名称）引用过多，展开后过大，jifen 不读这样的文件（规则文件不需要别名）",
			"exceeded max depth of", "嵌套层数超过上限").Replace(msg)
		msg = reUnknownAnchor.ReplaceAllString(msg, "引用了没有定义的别名 “*$1”（前面应有 “&$1”）")
		msg = reSelfAnchor.ReplaceAllString(msg, "别名 “&$1” 引用了它自己")
		hint := ""
		if m := reFullWidthKey.FindIndex(data); m != nil {
			line := bytes.Count(data[:m[0]], []byte("\n")) + 1
			hint = fmt.Sprintf("（注意：第 %d 行的键后面是全角冒号 “：”，应为半角冒号 “:”）", line)
		}
		return nil, fmt.Errorf("%s: 不是有效的 YAML：%s%s", name, msg, hint)
	}
	if err := inheritDefaults(v); err != nil {
		return nil, err
	}
	lines := indexLines(data)
	var c Config
	err := v.UnmarshalExact(&c, func(dc *mapstructure.DecoderConfig) {
		dc.WeaklyTypedInput = false
		dc.ErrorUnused = true
		dc.ZeroFields = true
	})
	var errs Errors
	if err != nil {
		errs = decodeErrors(err)
	} else {
		errs = c.validate()
	}
	if len(errs) > 0 {
		for _, e := range errs {
			e.File = name
			e.Line = lines.line(e.Path)
		}
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs
	}
	for _, w := range c.warnings {
		w.File, w.Line = name, lines.line(w.Path)
		c.Warnings = append(c.Warnings, w.Error())
	}
	return &c, nil
}

// YAML's messages on aliases, in English.
var (
	reUnknownAnchor = regexp.MustCompile(`unknown anchor '(.*?)' referenced`)
	reSelfAnchor    = regexp.MustCompile(`anchor '(.*?)' value contains itself`)
)

// reFullWidthKey finds a line whose key is followed by a full-width colon (base：60), not in a
// comment.
var reFullWidthKey = regexp.MustCompile(`(?m)^[ \t-]*[A-Za-z_][A-Za-z0-9_]*\s*：`)

// Inherited are the settings a config may leave out to take the built-in reference scheme's:
// the synonyms of import (each of its keys), the tests' marks, the committee positions, the
// period. A scheme then holds only its rules.
var Inherited = []string{"year", "period", "year_total", "tests", "committee_positions", "indicators", "norms", "ranking", "publicity"}

// inheritDefaults fills what the config leaves out from the built-in config.yaml.
func inheritDefaults(v *viper.Viper) error {
	def := viper.New()
	def.SetConfigType("yaml")
	if err := def.ReadConfig(bytes.NewReader(jifen.DefaultConfig)); err != nil {
		return fmt.Errorf("内置规则无法读取：%v", err)
	}
	for _, k := range Inherited {
		v.SetDefault(k, def.Get(k))
	}
	// Stars and grades too, unless the config rates stars by rank.
	if !v.InConfig("star_ranks") {
		v.SetDefault("stars", def.Get("stars"))
	}
	v.SetDefault("grades", def.Get("grades"))
	for k := range def.GetStringMap("import") {
		v.SetDefault("import."+k, def.Get("import."+k))
	}
	return nil
}

// decodeErrors turns mapstructure's errors into Chinese FieldErrors with key paths.
func decodeErrors(err error) Errors {
	var out Errors
	var walk func(e error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var de *mapstructure.DecodeError
		if !errors.As(e, &de) {
			out = append(out, &FieldError{Msg: "规则格式错误：" + e.Error()})
			return
		}
		path := strings.TrimPrefix(de.Name(), "rules.Config")
		var ut *mapstructure.UnconvertibleTypeError
		var pe *mapstructure.ParseError
		inner := de.Unwrap()
		switch {
		case errors.As(inner, &ut):
			out = append(out, &FieldError{Path: path, Msg: fmt.Sprintf("应为%s，实际为 %s", typeName(ut.Expected.Type().String()), valueText(ut.Value))})
		case errors.As(inner, &pe):
			out = append(out, &FieldError{Path: path, Msg: fmt.Sprintf("应为%s，实际为 %s", typeName(pe.Expected.Type().String()), valueText(pe.Value))})
		case strings.HasPrefix(inner.Error(), "has invalid keys: "):
			for _, k := range strings.Split(strings.TrimPrefix(inner.Error(), "has invalid keys: "), ", ") {
				p := k
				if path != "" {
					p = path + "." + k
				}
				out = append(out, &FieldError{Path: p, Msg: "未知的键（拼写错误？）"})
			}
		default:
			out = append(out, &FieldError{Path: path, Msg: translateDecodeError(inner)})
		}
	}
	walk(err)
	return out
}

// typeName is the Chinese name of a Go type of the config schema.
func typeName(t string) string {
	switch strings.TrimPrefix(t, "*") {
	case "float64", "int", "int64":
		return "数字"
	case "string":
		return "文本"
	case "bool":
		return "true 或 false"
	}
	switch {
	case strings.HasPrefix(t, "[]"):
		return "列表"
	case strings.HasPrefix(t, "map["):
		return "键值表"
	}
	return "键值表"
}

// valueText shows a wrong value as the user wrote it.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return "“" + x + "”"
	case []any:
		return "列表"
	case map[string]any:
		return "键值表"
	}
	return fmt.Sprint(v)
}

// translateDecodeError turns mapstructure's English messages into Chinese ones.
func translateDecodeError(err error) string {
	s := err.Error()
	r := strings.NewReplacer(
		"decoding failed due to the following error(s):", "",
		"'rules.Config' ", "顶层",
		"has invalid keys:", "有未知的键：",
		"expected type", "应为类型",
		"got unconvertible type", "实际为",
		"cannot parse", "无法解析",
		", value:", "，值：",
		"source data must be an array or slice, got", "应为列表，实际为",
		"'float64'", "数字", "'int'", "整数", "'string'", "文本", "'bool'", "布尔值",
		"'[]interface {}'", "列表", "'map[string]interface {}'", "键值表",
	)
	return strings.TrimSpace(r.Replace(s))
}

func sortStrings(s []string) { sort.Strings(s) }
