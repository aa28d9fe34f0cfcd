package importer

import (
	"strings"

	"github.com/jifen/jifen/engine/sheet"
)

// saysDeducted reports whether a wide ledger of points says that a column's points are
// deducted: its header states it (扣3分, 扣分, 减1分; 加2分 says the opposite), else the sheet's
// name or title does (扣分台账). It reads the sheet only, never the rules: what the rules make
// of the points is scoring's to decide.
func saysDeducted(t sheet.Table, l layout, it itemCol) bool {
	header := strings.Join(labels(t, l.top, l.header, it.col), " ")
	if m := reHeaderPoints.FindStringSubmatch(header); m != nil {
		return m[1] != "加"
	}
	switch {
	case strings.Contains(header, "扣") || strings.Contains(header, "减分"):
		return true
	case strings.Contains(header, "加分"):
		return false
	}
	title := t.Sheet
	for i := 0; i < l.top && i < len(t.Rows); i++ {
		title += " " + strings.Join(t.Rows[i], " ")
	}
	return strings.Contains(title, "扣分") && !strings.Contains(title, "加分")
}
