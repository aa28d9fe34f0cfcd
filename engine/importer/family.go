package importer

import (
	"slices"

	"github.com/jifen/jifen/engine/sheet"
)

// A family is one family of forms offices keep (a roster, a sign-in matrix, one sign-in sheet
// per meeting, a 三会一课 register, an exam export, a ledger …): the sheets classify gives its
// kind are read by its read, which is given the sheet's cells and its layout and adds records
// (each with its cell) and problems (at their cells) to the parser. Each family lives in a file
// of its own; this table is the one place that lists them.
type family struct {
	kind Kind
	// short is what a reading calls the family: 名册, 签到, 登记簿, 测试, 承诺, 台账, 评价.
	short string
	// whole: the family looks at whole columns, so a streamed sheet is read whole first.
	whole func(l layout) bool
	read  func(p *parser, t sheet.Table, l layout)
	// fields are the header fields the family reads (besides who: identity): a column whose
	// header names another field (主题 on a sign-in sheet) is used for nothing, and the reading
	// says so.
	fields []string
}

// identity are the fields every family reads to know who a row is and where it belongs.
var identity = []string{"member_id", "name", "id_card", "branch", "group", "note", "reason"}

// reads reports whether the family reads field f.
func (f family) reads(field string) bool {
	return f.fields == nil || slices.Contains(identity, field) || slices.Contains(f.fields, field)
}

// families lists every family of forms by kind.
var families = map[Kind]family{}

// register adds a family; each family's file calls it from init.
func register(f family) {
	if _, dup := families[f.kind]; dup {
		panic("importer: two families for kind " + f.kind.String())
	}
	families[f.kind] = f
}

func init() {
	register(family{kind: KindRoster, short: "名册", read: (*parser).parseRoster,
		fields: []string{"category", "position", "join_date", "transfer_in", "transfer_out", "mobile", "birth_date", "phone"}})
	register(family{kind: KindAttendance, short: "签到", read: (*parser).parseAttendance,
		fields: []string{"activity", "date", "status"}})
	register(family{kind: KindMatrix, short: "签到", read: (*parser).parseMatrix, whole: func(layout) bool { return true },
		fields: []string{}})
	register(family{kind: KindTests, short: "测试", read: (*parser).parseTests, whole: func(l layout) bool { return !l.has("date") && l.has("submit_time") },
		fields: []string{"test", "date", "score", "full_mark", "exam_total", "submit_time"}})
	register(family{kind: KindPledges, short: "承诺", read: (*parser).parsePledges,
		fields: []string{"signed", "year", "date", "rating"}})
	register(family{kind: KindLedger, short: "台账", read: (*parser).parseLedger, whole: func(l layout) bool { return len(l.items) > 0 },
		fields: []string{"date", "ledger_category", "level", "quantity", "level_or_note", "points"}})
	register(family{kind: KindAssessment, short: "评价", read: (*parser).parseAssessments,
		fields: []string{"assessment", "result", "date"}})
}
