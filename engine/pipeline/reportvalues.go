package pipeline

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Report values that are not indicators: words the report needs around the numbers.
const (
	// ValueTestNames lists the year's tests by name ("党纪党规知识测试、党的二十大精神知识测试"),
	// so that the report names the tests it counts instead of calling them all one kind.
	ValueTestNames = "测试名称"
	// ValueCoverage words 集中学习覆盖率: "实现全覆盖" when every member took part, else
	// "覆盖85.7%的党员"; one for each 集中学习覆盖率 value (unit, branch, period).
	ValueCoverage = "集中学习覆盖情况"
	// ValueDate is the 填报日期 (the run's date, Options.Today in tests): "2026年12月8日".
	ValueDate = "填报日期"
	// ValueUnit is the 填报单位 (config.yaml unit:), or NoUnit when it is not set.
	ValueUnit = "填报单位"
	// ValueNextYear is the year after the report's ({{下一年度}}年工作思路).
	ValueNextYear = "下一年度"
	// NoUnit stands for the unit's name in the report when config.yaml sets no unit:.
	NoUnit = "（单位名称）"
)

// coverageIndicator is the indicator ValueCoverage words.
const coverageIndicator = "集中学习覆盖率"

// moreReportValues adds to values (ReportValues' indicators) the values made of words: the
// tests' names, the coverage phrases, the next year, the 填报日期 and the 填报单位.
func (j *Job) moreReportValues(ctx context.Context, year int, values map[string]string, raw map[string]*float64) error {
	names, err := j.testNames(ctx, year)
	if err != nil {
		return err
	}
	values[ValueTestNames] = "—"
	if len(names) > 0 {
		values[ValueTestNames] = strings.Join(names, "、")
	}
	for k, v := range raw {
		if k == coverageIndicator || strings.HasSuffix(k, "."+coverageIndicator) {
			values[strings.TrimSuffix(k, coverageIndicator)+ValueCoverage] = coveragePhrase(v)
		}
	}
	values[ValueNextYear] = strconv.Itoa(year + 1)
	values[ValueDate] = ChineseDate(j.today())
	values[ValueUnit] = NoUnit
	if j.Cfg != nil && strings.TrimSpace(j.Cfg.Unit) != "" {
		values[ValueUnit] = strings.TrimSpace(j.Cfg.Unit)
	}
	return nil
}

// coveragePhrase words a coverage (a percentage; nil when there was nobody to cover):
// "实现全覆盖" only when every member took part (the ratio is then exactly 100), else the share
// with one decimal; a share just short of all that rounds to 100.0 reads "覆盖99.9%以上的党员".
func coveragePhrase(v *float64) string {
	switch {
	case v == nil:
		return "—"
	case *v >= 100:
		return "实现全覆盖"
	}
	s := strconv.FormatFloat(*v, 'f', 1, 64)
	if s == "100.0" {
		return "覆盖99.9%以上的党员"
	}
	return "覆盖" + s + "%的党员"
}

// ChineseDate writes a date as 公文 do: 2026年12月8日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// testNames lists the names of the year's tests in the order they were first held (then by
// name): those with a record of a member scored in the year, dated within the year and within
// one of the member's roster periods — the records 测试次数 counts.
func (j *Job) testNames(ctx context.Context, year int) ([]string, error) {
	rows, err := j.Store.DB.QueryContext(ctx, `
		SELECT t.test FROM tests t
		WHERE year(t.date) = ?
		  AND EXISTS (SELECT 1 FROM scores s WHERE s.year = ? AND s.member_id = t.member_id)
		  AND EXISTS (SELECT 1 FROM members m WHERE m.member_id = t.member_id
		      AND t.date >= greatest(coalesce(m.join_date, DATE '0001-01-01'), coalesce(m.transfer_in, DATE '0001-01-01'))
		      AND t.date <= coalesce(m.transfer_out, DATE '9999-12-31'))
		GROUP BY t.test ORDER BY min(t.date), t.test`, year, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
