package importer

// Fuzz tests of the cell parsers (dates, months, numbers, marks) and of header recognition.
// Their seed corpora are in testdata/fuzz/FuzzXxx/ (Go's corpus format); CI runs each for a
// few seconds (.ci/run), e.g.
//
//	go test -run='^$' -fuzz='^FuzzParseDate$' -fuzztime=30s ./engine/importer/

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

var fuzzOnce struct {
	sync.Once
	cfg     *rules.Config
	members []engine.Member
	err     error
}

// fuzzSetup loads the built-in rules and the roster of testdata/roster.csv, once.
func fuzzSetup(tb testing.TB) (*rules.Config, []engine.Member) {
	tb.Helper()
	fuzzOnce.Do(func() {
		fuzzOnce.cfg, fuzzOnce.err = rules.Parse("config.yaml", jifen.DefaultConfig)
		if fuzzOnce.err != nil {
			return
		}
		var f *File
		if f, fuzzOnce.err = Load("testdata/roster.csv", "", fuzzOnce.cfg); fuzzOnce.err != nil {
			return
		}
		var b *engine.Batch
		if b, fuzzOnce.err = f.Parse(fuzzOnce.cfg, NewRoster(nil)); fuzzOnce.err == nil {
			fuzzOnce.members = b.Members
		}
	})
	if fuzzOnce.err != nil {
		tb.Fatal(fuzzOnce.err)
	}
	return fuzzOnce.cfg, fuzzOnce.members
}

// A date cell: never a panic; a date read, however written (text, a month and day under the
// sheet's year, a serial number), is a whole day in UTC between the founding of the Party
// (1921-07-01) and a year after today (engine.Latest), and reads back the same written as
// 2006-01-02.
func FuzzParseDate(f *testing.F) {
	f.Add("2022-03-05", false, 0)
	f.Fuzz(func(t *testing.T, raw string, date1904 bool, year int) {
		if year != 0 {
			// The year of a sheet's period comes from its title or names: 19xx or 20xx.
			year = 1900 + (year%200+200)%200
		}
		d, err := parseDate(raw, date1904, year)
		if err != nil {
			if !d.IsZero() {
				t.Errorf("parseDate(%q) = %v with error %v", raw, d, err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Errorf("parseDate(%q) = %v, not a whole day in UTC", raw, d)
		}
		if d.Before(earliest) || d.After(engine.Latest()) {
			t.Errorf("parseDate(%q, %v) = %s, not between 1921-07-01 and %s", raw, date1904, d.Format("2006-01-02"), engine.Latest().Format("2006-01-02"))
		}
		again, err := parseDate(d.Format("2006-01-02"), date1904, year)
		if err != nil || !again.Equal(d) {
			t.Errorf("parseDate(%q) = %s, which reads back as %v, %v", raw, d.Format("2006-01-02"), again, err)
		}
	})
}

// A year and month (入党时间 2005.07, 出生日期 1920.05): never a panic; a month read is 1–12 of
// a year from 1900 (its range is checked where it becomes a date) and reads back the same.
func FuzzParseMonth(f *testing.F) {
	f.Add("2022.11")
	f.Fuzz(func(t *testing.T, raw string) {
		y, m, ok := parseMonth(raw)
		if !ok {
			return
		}
		if m < 1 || m > 12 || y < 1900 || y > 9999 {
			t.Errorf("parseMonth(%q) = %d, %d", raw, y, m)
		}
		if y2, m2, ok2 := parseMonth(strconv.Itoa(y) + "-" + strconv.Itoa(m)); !ok2 || y2 != y || m2 != m {
			t.Errorf("parseMonth(%q) = %d-%d, which reads back as %d-%d %v", raw, y, m, y2, m2, ok2)
		}
	})
}

// A number cell (85, ８５, 85分): never a panic; a number read is finite and reads back the same.
func FuzzParseNumber(f *testing.F) {
	f.Add("85分")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := parseNumber(raw)
		if err != nil {
			if err.Error() != "应为数字" {
				t.Errorf("parseNumber(%q): message %q", raw, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("parseNumber(%q) = %v", raw, v)
		}
		if again, err := parseNumber(strconv.FormatFloat(v, 'g', -1, 64)); err != nil || again != v {
			t.Errorf("parseNumber(%q) = %v, which reads back as %v, %v", raw, v, again, err)
		}
		if y, err := parseYear(raw); err == nil && (y < 1921 || y > engine.Latest().Year()) {
			t.Errorf("parseYear(%q) = %d", raw, y)
		}
	})
}

// A mark (√, 到, 出席, 缺考, 优秀, …) through each vocabulary of the rules: never a panic; a term
// found is one of the vocabulary's terms, and the lookup does not change when the text is
// normalised again (Normalize is idempotent).
func FuzzMarks(f *testing.F) {
	f.Add("√")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, _ := fuzzSetup(t)
		n := rules.Normalize(s)
		if rules.Normalize(n) != n {
			t.Errorf("Normalize not idempotent: %q → %q → %q", s, n, rules.Normalize(n))
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Errorf("Normalize(%q) = %q is not UTF-8", s, n)
		}
		v := cfg.Vocab
		for name, voc := range map[string]*rules.Vocabulary{"出勤情况": v.Statuses, "测试状态": v.TestStatuses, "是否签订": v.SignedValues,
			"践诺评价": v.Ratings, "活动类型": v.Activities, "台账类别": v.LedgerCategories, "级别": v.Levels, "党员类别": v.MemberCategories, "表头": v.Headers} {
			term, ok := voc.Lookup(s)
			if ok && !voc.Has(term) {
				t.Errorf("%s: Lookup(%q) = %q, not a term", name, s, term)
			}
			if term2, ok2 := voc.Lookup(n); term2 != term || ok2 != ok {
				t.Errorf("%s: Lookup(%q) = %q %v but Lookup(Normalize) = %q %v", name, s, term, ok, term2, ok2)
			}
		}
		if a, _ := findActivity(s, v.Activities); a != "" && !v.Activities.Has(a) {
			t.Errorf("findActivity(%q) = %q, not an activity", s, a)
		}
	})
}

// fuzzTable makes a one-sheet table of text: rows split at newlines, cells at commas (or at
// tabs, if the text has any).
func fuzzTable(text string) sheet.Table {
	sep := ","
	if strings.Contains(text, "\t") {
		sep = "\t"
	}
	t := sheet.Table{File: "fuzz.csv"}
	for _, line := range strings.Split(text, "\n") {
		t.Rows = append(t.Rows, strings.Split(line, sep))
	}
	return t
}

// Header recognition on a one-table input, then reading its rows against a roster: never a
// panic; a recognised layout's columns are inside the table; every problem names a row of it.
func FuzzClassify(f *testing.F) {
	f.Add("姓名,活动类型,活动日期,出勤情况\n张伟,党课,2022-03-05,出席", "2022年3月考勤.csv")
	f.Add("第一党支部主题党日签到表\n会议时间：2023年3月15日\n序号,姓名,签名,备注,序号,姓名,签名,备注\n1,张伟,张伟,,2,王芳,,请假\n应到 2 人，实到 1 人", "3.15签到.csv")
	f.Fuzz(func(t *testing.T, text, name string) {
		if len(text) > 1<<16 {
			return
		}
		cfg, members := fuzzSetup(t)
		tab := fuzzTable(text)
		if name == "" {
			name = "fuzz.csv"
		}
		l, problem := classify(tab, name, cfg)
		if l.kind == KindUnknown {
			return
		}
		w := 0
		for _, r := range tab.Rows {
			w = max(w, len(r))
		}
		for field, c := range l.cols {
			if c < 0 || c >= w {
				t.Fatalf("%s: column %d of %d", field, c, w)
			}
		}
		if l.header < l.top || l.header >= len(tab.Rows) {
			t.Fatalf("header rows %d..%d of %d", l.top, l.header, len(tab.Rows))
		}
		if problem != "" {
			return
		}
		file := &File{Path: name, Name: name, sheets: []classified{{tab, l, newReading(name, tab, l, cfg)}}}
		_, err := file.Parse(cfg, NewRoster(members))
		fe, ok := err.(*engine.FileErrors)
		if err != nil && !ok {
			t.Fatalf("Parse: %T %v", err, err)
		}
		if ok {
			for _, e := range fe.Errs {
				if ce, ok := e.(*engine.CellError); ok && (ce.Src.Row < 0 || ce.Src.Row > len(tab.Rows)) {
					t.Errorf("error at row %d of %d: %v", ce.Src.Row, len(tab.Rows), ce)
				}
			}
		}
	})
}
