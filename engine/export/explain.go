package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// PeriodName names a scoring period: 全年, 第1季度, 3月.
func PeriodName(kind string, p int) string {
	switch {
	case p == 0:
		return "全年"
	case kind == "quarter":
		return "第" + strconv.Itoa(p) + "季度"
	default:
		return strconv.Itoa(p) + "月"
	}
}

// signed writes points with their sign: +1, -0.5, 0.
func signed(v float64) string {
	if v > 0 {
		return "+" + FormatPoints(v)
	}
	return FormatPoints(v)
}

// WriteExplanation writes a member's year for `jifen explain`: every movement of the point
// ledger (积分明细) with its date, category, rule, points (and the raw points when a cap or a
// veto changed them, with why), and source row; the subtotal of each period when the scheme
// scores by period; then the total, stars and grade with the reason for each.
func WriteExplanation(w io.Writer, year int, periodKind string, m engine.MemberResult, ledger []engine.Movement) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("%s %s（%s，%s）%d 年积分明细\n", privacy.Mask(m.ID), m.Name, m.Branch, m.Category, year)
	period, sub := -1, 0.0
	flush := func() {
		if period > 0 {
			p("    %s小计：%s 分\n", PeriodName(periodKind, period), FormatPoints(sub))
		}
	}
	for _, x := range ledger {
		if x.Period != period {
			flush()
			period, sub = x.Period, 0
			if period > 0 {
				p("  %s\n", PeriodName(periodKind, period))
			}
		}
		sub += x.Points
		date := "—         "
		if !x.Date.IsZero() {
			date = x.Date.Format("2006-01-02")
		}
		line := fmt.Sprintf("  %3d  %s  %-6s  %s  %s", x.Seq, date, x.Category, x.Rule, signed(x.Points))
		if x.Raw != x.Points {
			line += "（原 " + signed(x.Raw) + "）"
		}
		if x.Note != "" {
			line += "  " + privacy.MaskText(x.Note)
		}
		if x.Source != "规则" {
			line += "  ← " + privacy.MaskText(x.Source)
		}
		p("%s\n", line)
	}
	flush()
	p("总积分：%s 分\n", FormatPoints(m.Total))
	stars := "无星"
	if m.Stars > 0 {
		stars = strconv.Itoa(m.Stars) + " 星"
	}
	p("星级：%s（%s）\n", stars, m.StarReason)
	_, err := fmt.Fprintf(w, "等次：%s（%s）\n", m.Grade, m.Reason)
	return err
}
