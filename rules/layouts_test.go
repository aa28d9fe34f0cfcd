package rules

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jifen/jifen"
)

// What import.layouts may add to the automatic reading, checked with a message at its line.
func TestLayoutHintsValidated(t *testing.T) {
	parse := func(layout string) (*Config, error) {
		text := strings.Replace(string(jifen.DefaultConfig), "  layouts: []", "  layouts:\n"+layout, 1)
		return Parse("config.yaml", []byte(text))
	}
	ok := "    - name: 第一支部考勤\n      files: [\"*第一支部*\"]\n      legend: {√: 出席, ○: 请假, ×: 缺席, △: 迟到, ☆: 早退}\n" +
		"      footer: [校对人, 主持人签字]\n      fields_from_labels: {date: 会议时间, branch: 党支部}\n"
	c, err := parse(ok)
	if err != nil {
		t.Fatal(err)
	}
	// The marks as written (viper lowercases keys; these have no case).
	if l := c.Import.Layouts[0]; l.Legend["○"] != "请假" || l.FieldsFromLabels["date"] != "会议时间" || len(l.Footer) != 2 {
		t.Errorf("layout = %+v", l)
	}
	n := strings.Count(string(jifen.DefaultConfig[:strings.Index(string(jifen.DefaultConfig), "  layouts: []")]), "\n") + 1 // the line of layouts:
	line := func(k int) string { return "config.yaml:" + strconv.Itoa(n+k) + " " }
	for _, tc := range []struct{ name, layout, want string }{
		{"status unknown", "    - name: a\n      legend: {○: 到会了}\n",
			line(2) + "import.layouts[0].legend.○: 出勤情况 “到会了” 无法识别（可用：出席、请假、缺席、迟到、早退）"},
		{"mark too long", "    - name: a\n      legend: {打钩表示出席: 出席}\n",
			line(2) + "import.layouts[0].legend.打钩表示出席: 标记 “打钩表示出席” 太长：图例的标记是签到格里写的符号或字，如 √、○、×、△"},
		{"empty footer word", "    - name: a\n      footer: [校对人, \"\"]\n",
			line(2) + "import.layouts[0].footer[1]: 表尾词不能为空（如 填表人、主持人签字、应到）"},
		{"unknown label field", "    - name: a\n      fields_from_labels: {meeting_date: 会议时间}\n",
			line(2) + "import.layouts[0].fields_from_labels.meeting_date: 未知的字段（可用：" + strings.Join(HeaderFields, "、") + "）"},
		{"empty label", "    - name: a\n      fields_from_labels: {date: \"\"}\n",
			line(2) + "import.layouts[0].fields_from_labels.date: 缺少标签文字（如 date: 会议时间，读取表格上方的 “会议时间：2023年3月15日”）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.layout)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err =\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}
