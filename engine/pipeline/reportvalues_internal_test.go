package pipeline

import (
	"testing"
	"time"
)

// The coverage phrase: 全覆盖 only when everyone took part (a ratio of exactly 100); 6 of 7 is
// 85.71…% → 覆盖85.7%的党员; 999 of 1000 = 99.9%; 9999 of 10000 = 99.99% would print as 100.0
// and must not claim 全覆盖; nobody to cover → —.
func TestCoveragePhrase(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		v    *float64
		want string
	}{
		{f(100), "实现全覆盖"},
		{f(100 * 6.0 / 7), "覆盖85.7%的党员"},
		{f(99.9), "覆盖99.9%的党员"},
		{f(100 * 9999.0 / 10000), "覆盖99.9%以上的党员"},
		{f(0), "覆盖0.0%的党员"},
		{nil, "—"},
	} {
		if got := coveragePhrase(c.v); got != c.want {
			t.Errorf("coveragePhrase(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	// 公文 dates: no leading zeros.
	if got := ChineseDate(time.Date(2026, 12, 8, 15, 4, 0, 0, time.Local)); got != "2026年12月8日" {
		t.Errorf("ChineseDate = %q", got)
	}
	if got := ChineseDate(time.Date(2023, 1, 5, 0, 0, 0, 0, time.Local)); got != "2023年1月5日" {
		t.Errorf("ChineseDate = %q", got)
	}
}
