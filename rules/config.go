// Package rules is jifen's rule model: the schema of config.yaml (scoring rules, star and grade
// thresholds, import synonyms), its validation, and its compilation into the vocabularies and
// tables the importer and the scoring engine use. It knows nothing of spreadsheets or SQL.
package rules

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// Config is the whole of config.yaml. Points are in 积分 points, percentages in percent (0–100).
type Config struct {
	// Year is the scoring year; 0 means inferred from the data.
	Year    int     `mapstructure:"year"`
	Scoring Scoring `mapstructure:"scoring"`
	Stars   []Star  `mapstructure:"stars"`
	Grades  Grades  `mapstructure:"grades"`
	Import  Import  `mapstructure:"import"`

	// Compiled vocabularies, built by Compile.
	Vocab Vocab `mapstructure:"-"`
}

// Scoring holds the point rules per source of records.
type Scoring struct {
	Base       float64    `mapstructure:"base"`
	Attendance Attendance `mapstructure:"attendance"`
	Tests      Tests      `mapstructure:"tests"`
	Pledges    Pledges    `mapstructure:"pledges"`
	Ledger     Ledger     `mapstructure:"ledger"`
}

// Attendance scores each sign-in row by its activity and status. GainCap bounds the sum of
// positive points a year (nil: no cap); deductions are never capped.
type Attendance struct {
	GainCap            *float64         `mapstructure:"gain_cap"`
	Rules              []AttendanceRule `mapstructure:"rules"`
	CommitteePositions []string         `mapstructure:"committee_positions"`
}

// AttendanceRule gives points per status for a set of activity types. With OnlyCommittee, the
// rows of members who are not on the branch committee (列席) score 0.
type AttendanceRule struct {
	Activities    []string           `mapstructure:"activities"`
	OnlyCommittee bool               `mapstructure:"only_committee"`
	Points        map[string]float64 `mapstructure:"points"`
}

// Tests scores each test by the share of the full mark (percent) through Bands.
type Tests struct {
	GainCap         *float64 `mapstructure:"gain_cap"`
	DefaultFullMark float64  `mapstructure:"default_full_mark"`
	PassPercent     float64  `mapstructure:"pass_percent"`
	Bands           []Band   `mapstructure:"bands"`
	Absent          float64  `mapstructure:"absent"`
	Excused         float64  `mapstructure:"excused"`
}

// Band: a share of the full mark of at least MinPercent scores Points.
type Band struct {
	MinPercent float64 `mapstructure:"min_percent"`
	Points     float64 `mapstructure:"points"`
}

// Pledges scores a signed 承诺书 and its 践诺 rating.
type Pledges struct {
	Signed  float64            `mapstructure:"signed"`
	Ratings map[string]float64 `mapstructure:"ratings"`
}

// Ledger scores the rows of the award/deduction ledger by category.
type Ledger struct {
	HighestOnly HighestOnly        `mapstructure:"highest_only"`
	Awards      Awards             `mapstructure:"awards"`
	Deductions  map[string]float64 `mapstructure:"deductions"`
	Vetoes      Vetoes             `mapstructure:"vetoes"`
}

// HighestOnly: of a member's rows of Category, only the one whose level scores most counts.
type HighestOnly struct {
	Category string             `mapstructure:"category"`
	Levels   map[string]float64 `mapstructure:"levels"`
}

// Awards: points per row by category, summed and capped at Cap (nil: no cap).
type Awards struct {
	Cap    *float64           `mapstructure:"cap"`
	Points map[string]float64 `mapstructure:"points"`
}

// Vetoes (一票否决): rows of Category whose level has an effect. The heaviest effect applies.
type Vetoes struct {
	Category string          `mapstructure:"category"`
	Levels   map[string]Veto `mapstructure:"levels"`
}

// Veto is the effect of one 处分 level.
type Veto struct {
	CapTotal  *float64 `mapstructure:"cap_total"`  // total = min(total, CapTotal)
	ZeroTotal bool     `mapstructure:"zero_total"` // total = 0
	NoStars   bool     `mapstructure:"no_stars"`   // stars = 0
	Grade     string   `mapstructure:"grade"`      // forced grade; "" = from points
}

// Star: a total of at least Min earns Stars (1–5).
type Star struct {
	Min   float64 `mapstructure:"min"`
	Stars int     `mapstructure:"stars"`
}

// Grades (定格) of 正式党员.
type Grades struct {
	Excellent    Excellent    `mapstructure:"excellent"`
	Levels       []GradeLevel `mapstructure:"levels"`
	Probationary string       `mapstructure:"probationary"`
}

// Excellent is the top grade with a quota: ⌊n × QuotaNumerator / QuotaDenominator⌋ of a
// branch's n 正式党员, at least Min points, and a tied group that would overflow the quota is
// wholly left out (DOMAIN.md, reference scheme; 优秀 normally ≤ 1/3).
type Excellent struct {
	Name             string  `mapstructure:"name"`
	Min              float64 `mapstructure:"min"`
	QuotaNumerator   int     `mapstructure:"quota_numerator"`
	QuotaDenominator int     `mapstructure:"quota_denominator"`
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
	Levels           = []string{"国家级", "省部级", "市厅级", "县处级", "本单位", "警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"}
)

// Header fields the importer knows, in display order.
var HeaderFields = []string{"member_id", "name", "branch", "group", "category", "position",
	"join_date", "transfer_in", "transfer_out", "activity", "date", "status", "note", "test",
	"score", "full_mark", "year", "signed", "rating", "ledger_category", "level"}

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

// FieldError is a configuration error at a key path, e.g. scoring.stars[2].min.
type FieldError struct {
	File string
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
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

// LoadFile reads, validates and compiles a config file. Errors name the file and key path.
func LoadFile(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("找不到规则文件 %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取规则文件 %s：%v", path, err)
	}
	return Parse(path, data)
}

// Parse reads, validates and compiles config text; name is used in messages. Unknown keys are
// errors (a typo must not silently fall back to a default).
func Parse(name string, data []byte) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		msg := strings.NewReplacer("yaml: ", "", "line", "第", "did not find expected key", "行：缺少键（缩进不对齐？）",
			"mapping values are not allowed in this context", "行：这里不能写 “键: 值”（缩进或冒号不对？）",
			"could not find expected ':'", "行：缺少半角冒号 “:”").Replace(err.Error())
		hint := ""
		if bytes.ContainsRune(data, '：') {
			hint = "（注意：键和值之间要用半角冒号 “:”，文件中有全角冒号 “：”）"
		}
		return nil, fmt.Errorf("%s: 不是有效的 YAML：%s%s", name, msg, hint)
	}
	var c Config
	err := v.UnmarshalExact(&c, func(dc *mapstructure.DecoderConfig) {
		dc.WeaklyTypedInput = false
		dc.ErrorUnused = true
		dc.ZeroFields = true
	})
	if err != nil {
		return nil, fmt.Errorf("%s: 规则格式错误: %s", name, translateDecodeError(err))
	}
	if errs := c.validate(); len(errs) > 0 {
		for _, e := range errs {
			e.File = name
		}
		return nil, errs
	}
	return &c, nil
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
		"as int", "为整数",
		"as float", "为数字",
		"as bool", "为布尔值",
		"source data must be an array or slice, got", "应为列表，实际为",
		"'float64'", "数字", "'int'", "整数", "'string'", "文本", "'bool'", "布尔值",
		"'[]interface {}'", "列表", "'map[string]interface {}'", "键值表",
	)
	return strings.TrimSpace(r.Replace(s))
}

func sortStrings(s []string) { sort.Strings(s) }
