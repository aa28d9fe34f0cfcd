package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/rules"
)

// Ledgers as offices keep them (one row per point movement) may have:
//   - 等级或说明 (level_or_note): the level on the rows of a category that has levels (表彰,
//     党纪处分: those the rules give levels, as for a 级别 column), free text on the others,
//     kept in the record's note;
//   - 分值 (points): the points the clerk wrote. A record is a fact and the rules decide its
//     points, so the clerk's number is not stored: where it differs from what the rules give
//     the row, a warning at the cell shows both;
//   - 事由 and 备注 both: both are kept in the note (事由 first), see row.get.

// levelOrNote reads a 等级或说明 cell into the entry's level or note.
func (r *row) levelOrNote(e *engine.LedgerEntry) {
	v := r.get("level_or_note")
	allowed := levelsOf(r.p.cfg, e.Category)
	if e.Category == "" {
		return // the category failed: nothing to say of its level
	}
	if len(allowed) == 0 {
		e.Note = joinNotes(v, e.Note) // 说明 first, then 事由 and 备注
		return
	}
	switch lv, ok := r.p.cfg.Vocab.Levels.Lookup(v); {
	case v == "":
		r.fail("level_or_note", "%s需要在 %s 中填写级别（可用：%s）", e.Category, r.header("level_or_note"), strings.Join(allowed, "、"))
	case !ok:
		r.fail("level_or_note", "%s “%s” 不是级别：%s行的这一列应填级别（可用：%s）", r.header("level_or_note"), v, e.Category, strings.Join(allowed, "、"))
	case !slices.Contains(allowed, lv):
		r.fail("level_or_note", "级别 “%s” 不是%s的级别（可用：%s）", lv, e.Category, strings.Join(allowed, "、"))
	default:
		e.Level = lv
	}
}

// checkPoints compares the clerk's 分值 with the points the rules give the row, warning at the
// cell when they differ. A deduction written as its size (3 for −3) agrees.
func (r *row) checkPoints(e engine.LedgerEntry) {
	raw := r.get("points")
	if raw == "" {
		return
	}
	c := r.l.col("points")
	v, err := parseNumber(raw)
	if err != nil {
		r.p.warn(r.src, c, fmt.Sprintf("%s “%s” 不是数字，已忽略（计分按规则）", r.header("points"), raw))
		return
	}
	if !r.inRange("points", raw, v) {
		return
	}
	name := itemName(e.Category, e.Level)
	rule, ok := ruleRowPoints(r.p.cfg, e)
	switch {
	case !ok && v != 0:
		r.p.warn(r.src, c, fmt.Sprintf("%s %s 与规则不一致：规则不给 “%s” 计分（以规则为准，计 0 分）", r.header("points"), fmtNum(v), name))
	case ok && v != rule && !(rule < 0 && v == -rule):
		r.p.warn(r.src, c, fmt.Sprintf("%s %s 与规则不一致：规则给 “%s” 这一行 %s 分（以规则为准）", r.header("points"), fmtNum(v), name, fmtNum(rule)))
	}
}

// ruleRowPoints is what the first ledger item of the rules matching the entry gives it: fixed
// points, points by level, or points per unit times the row's quantity (caps and highest-only
// aside: they depend on the member's other rows).
func ruleRowPoints(cfg *rules.Config, e engine.LedgerEntry) (float64, bool) {
	v, perUnit, ok := ruleItemPoints(cfg, e.Category, e.Level)
	if perUnit {
		v *= e.Count
	}
	return v, ok
}

// itemName names a ledger category and level in messages: 表彰·省部级.
func itemName(category, level string) string {
	if level == "" {
		return category
	}
	return category + "·" + level
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// joinNotes joins the non-empty texts of a note with "；".
func joinNotes(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "；")
}
