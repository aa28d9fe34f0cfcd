package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// validateLayouts checks what import.layouts describe of the forms beyond their columns: the
// legend of a sign-in matrix, the footer words and the fields taken from
// labels above the table.
func (c *Config) validateLayouts(add func(string, string, ...any)) {
	for i, l := range c.Import.Layouts {
		p := fmt.Sprintf("import.layouts[%d]", i)
		for _, mark := range sortedMarks(l.Legend) {
			st := l.Legend[mark]
			mp := p + ".legend." + mark
			switch {
			case strings.TrimSpace(mark) == "":
				add(p+".legend", "标记不能为空")
			case utf8.RuneCountInString(Normalize(mark)) > 4:
				add(mp, "标记 “%s” 太长：图例的标记是签到格里写的符号或字，如 √、○、×、△", mark)
			case strings.TrimSpace(st) == "":
				add(mp, "缺少出勤情况（可用：%s）", strings.Join(Statuses, "、"))
			case c.Vocab.Statuses == nil:
			default:
				if _, ok := c.Vocab.Statuses.Lookup(st); !ok {
					add(mp, "出勤情况 “%s” 无法识别（可用：%s）", st, c.Vocab.Statuses.List())
				}
			}
		}
		for j, w := range l.Footer {
			if strings.TrimSpace(w) == "" {
				add(fmt.Sprintf("%s.footer[%d]", p, j), "表尾词不能为空（如 填表人、主持人签字、应到）")
			}
		}
		for _, f := range sortedMarks(l.FieldsFromLabels) {
			fp := p + ".fields_from_labels." + f
			switch {
			case !slices.Contains(HeaderFields, f):
				add(fp, "未知的字段（可用：%s）", strings.Join(HeaderFields, "、"))
			case strings.TrimSpace(l.FieldsFromLabels[f]) == "":
				add(fp, "缺少标签文字（如 date: 会议时间，读取表格上方的 “会议时间：2023年3月15日”）")
			}
		}
	}
}

// sortedMarks lists a map's keys in order, so that messages come in the same order each time.
func sortedMarks(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
