package importer

import (
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
	register(family{kind: KindRoster, short: "名册", read: (*parser).parseRoster})
	register(family{kind: KindAttendance, short: "签到", read: (*parser).parseAttendance})
	register(family{kind: KindMatrix, short: "签到", read: (*parser).parseMatrix, whole: func(layout) bool { return true }})
	register(family{kind: KindTests, short: "测试", read: (*parser).parseTests, whole: func(l layout) bool { return !l.has("date") && l.has("submit_time") }})
	register(family{kind: KindPledges, short: "承诺", read: (*parser).parsePledges})
	register(family{kind: KindLedger, short: "台账", read: (*parser).parseLedger, whole: func(l layout) bool { return len(l.items) > 0 }})
	register(family{kind: KindAssessment, short: "评价", read: (*parser).parseAssessments})
}
