package importer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/rules"
)

// A config layout may take fields from labels in the title block above the table
// (fields_from_labels: {date: 会议时间, branch: 党支部}): the text after the label, in its cell
// after a colon (会议时间：2023年3月15日 上午9:00  会议地点：…) or in the next non-empty cell to the
// right, is the field's value for every row of the sheet, whatever family reads it.

// labelled finds, in rows of cells, the text each label match is followed by: the rest of its
// cell after the label (and a colon), else the next cell of its row. match gives the label's
// [start, end) in a cell, or nil.
func labelled(rows [][]string, match func(string) []int) []string {
	var out []string
	for _, cells := range rows {
		for k, c := range cells {
			loc := match(c)
			if loc == nil {
				continue
			}
			rest := strings.TrimLeftFunc(c[loc[1]:], unicode.IsSpace)
			rest = strings.TrimSpace(strings.TrimLeft(strings.TrimLeftFunc(rest, unicode.IsSpace), ":："))
			if rest != "" {
				out = append(out, rest)
			} else if k+1 < len(cells) {
				out = append(out, cells[k+1])
			}
		}
	}
	return out
}

// rawTitleTexts are the title rows above the header like titleTexts, but with their spaces kept
// (so that 会议时间：2023年3月15日 上午9:00  会议地点：… can be cut before the next label).
func rawTitleTexts(t sheet.Table, top int) [][]string { return titleRows(t, top, strings.TrimSpace) }

// reNextLabel begins the next label in a title line: spaces, then words and a colon (会议地点：).
var reNextLabel = regexp.MustCompile(`[\s\x{3000}]+[\p{Han}（）()]{2,}[\s\x{3000}]*[:：]`)

// labelValue is the text after label in the title rows above top, up to the next label, or "".
func labelValue(t sheet.Table, top int, label string) string {
	label = strings.TrimSpace(strings.TrimRight(label, ":："))
	for _, v := range labelled(rawTitleTexts(t, top), func(c string) []int {
		// The label, then a colon or the end of its cell (党支部：…, not 第一党支部主题党日).
		for i := 0; label != "" && i < len(c); {
			k := strings.Index(c[i:], label)
			if k < 0 {
				break
			}
			end := i + k + len(label)
			if rest := strings.TrimLeftFunc(c[end:], unicode.IsSpace); rest == "" || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") {
				return []int{i + k, end}
			}
			i = end
		}
		return nil
	}) {
		if loc := reNextLabel.FindStringIndex(v); loc != nil {
			v = v[:loc[0]]
		}
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// fromLabels sets the layout's fields that the config layouts matching the sheet take from
// labels above its table. problem names the layout and the label not found, or the value
// that is not valid for its field.
func (l *layout) fromLabels(t sheet.Table, cfg *rules.Config) (problem string) {
	for _, cl := range layoutHints(t, cfg) {
		for _, f := range sortedKeys(cl.FieldsFromLabels) {
			label := cl.FieldsFromLabels[f]
			v := labelValue(t, l.top, label)
			if v == "" {
				return fmt.Sprintf("按版式 “%s” 应从表格上方的 “%s” 读取%s，但表头上方找不到 “%s：…”（标签后面或右边一格应写%s）",
					cl.Name, label, fieldName(cfg.Import.Headers, f), label, fieldName(cfg.Import.Headers, f))
			}
			switch f {
			case "date":
				d, perr := parseDate(v, t.Date1904, l.period.Year) // an Excel date, 2023-03-15
				err, found := "", perr == nil
				if !found {
					d, err, found = textDate(v, l.period.Year, false) // 2023年3月15日 上午9:00
				}
				if !found {
					return fmt.Sprintf("按版式 “%s” 从 “%s” 读取的日期 “%s” 无法识别（如 2023年3月15日）", cl.Name, label, v)
				}
				if err != "" {
					return fmt.Sprintf("按版式 “%s” 从 “%s” 读取的日期%s", cl.Name, label, err)
				}
				v = d.Format("2006-01-02")
			case "activity":
				a, _ := findActivity(rules.Normalize(v), cfg.Vocab.Activities)
				if a == "" {
					return fmt.Sprintf("按版式 “%s” 从 “%s” 读取的会议类型 “%s” 无法识别（可用：%s）", cl.Name, label, v, cfg.Vocab.Activities.List())
				}
				v = a
			default:
				v = rules.Normalize(v)
			}
			if l.values == nil {
				l.values = map[string]string{}
			}
			l.values[f] = v
		}
	}
	return ""
}
