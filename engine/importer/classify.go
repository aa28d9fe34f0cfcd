package importer

import (
	"strings"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// Kind is what a sheet holds.
type Kind int

// The kinds of sheet the importer recognises from their header row.
const (
	KindUnknown Kind = iota
	KindRoster
	KindAttendance
	KindTests
	KindPledges
	KindLedger
)

// String is the kind's Chinese name.
func (k Kind) String() string {
	return [...]string{"未识别", "党员名册", "考勤签到", "测试成绩", "承诺践诺", "加扣分台账"}[k]
}

type kindSpec struct {
	kind      Kind
	signature []string   // fields whose presence identifies the kind
	required  [][]string // each entry: at least one of these fields
}

// kinds in the order they are tried. Every kind needs a member: 党员编号 or 姓名.
var kinds = []kindSpec{
	{KindRoster, []string{"category"}, [][]string{{"member_id"}, {"name"}, {"branch"}, {"category"}}},
	{KindAttendance, []string{"activity", "status"}, [][]string{{"member_id", "name"}, {"activity"}, {"date"}, {"status"}}},
	{KindTests, []string{"test", "score"}, [][]string{{"member_id", "name"}, {"test"}, {"date"}, {"score"}}},
	{KindPledges, []string{"signed"}, [][]string{{"member_id", "name"}, {"signed"}, {"year", "date"}}},
	{KindLedger, []string{"ledger_category"}, [][]string{{"member_id", "name"}, {"date"}, {"ledger_category"}}},
}

// fieldName is the Chinese name of a header field, for messages: its first synonym.
func fieldName(syn map[string][]string, field string) string {
	if s := syn[field]; len(s) > 0 {
		return s[0]
	}
	return field
}

// headerScanRows is how many rows from the top may hold the header row (title rows above it).
const headerScanRows = 20

// layout is a recognised sheet: its kind, header row (0-based) and field → column.
type layout struct {
	kind   Kind
	header int
	cols   map[string]int
}

func (l layout) col(field string) int {
	if c, ok := l.cols[field]; ok {
		return c
	}
	return -1
}

// classify finds the header row and kind of a table. A table whose header names a kind but
// lacks one of its required columns gives a message saying which; a table with no
// recognisable header gives KindUnknown and no message.
func classify(t sheet.Table, cfg *rules.Config) (layout, string) {
	for i := 0; i < len(t.Rows) && i < headerScanRows; i++ {
		cols := map[string]int{}
		for c, cell := range t.Rows[i] {
			if f, ok := cfg.Vocab.Headers.Lookup(cell); ok {
				if _, dup := cols[f]; !dup {
					cols[f] = c
				}
			}
		}
		for _, k := range kinds {
			if !hasAll(cols, k.signature) {
				continue
			}
			var missing []string
			for _, alts := range k.required {
				if !hasAny(cols, alts) {
					names := make([]string, len(alts))
					for j, f := range alts {
						names[j] = fieldName(cfg.Import.Headers, f)
					}
					missing = append(missing, strings.Join(names, "或"))
				}
			}
			if len(missing) > 0 {
				return layout{kind: k.kind, header: i, cols: cols}, "看起来是" + k.kind.String() + "，但表头缺少：" + strings.Join(missing, "、")
			}
			return layout{kind: k.kind, header: i, cols: cols}, ""
		}
	}
	return layout{}, ""
}

func hasAll(cols map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := cols[f]; !ok {
			return false
		}
	}
	return true
}

func hasAny(cols map[string]int, fields []string) bool {
	for _, f := range fields {
		if _, ok := cols[f]; ok {
			return true
		}
	}
	return false
}
