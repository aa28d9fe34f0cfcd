package bench

import (
	"strings"
	"testing"
	"time"
)

// Options given in full are checked; zero means the default only inside Run.
func TestCheck(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Rows: 1000000, Members: 20000, Runs: 3}, ""},
		{Options{Rows: 0, Members: 1, Runs: 1}, "签到表的行数 0 无效"},
		{Options{Rows: 1048575, Members: 1, Runs: 1}, "签到表的行数 1048575 无效"},
		{Options{Rows: 10, Members: -5, Runs: 1}, "党员人数 -5 无效"},
		{Options{Rows: 10, Members: 1, Runs: 0}, "测量次数 0 无效"},
	} {
		err := c.o.Check()
		if got := ""; err != nil {
			got = err.Error()
			if c.want == "" || !strings.Contains(got, c.want) {
				t.Errorf("%+v: %q, want %q", c.o, got, c.want)
			}
		} else if c.want != "" {
			t.Errorf("%+v: no error, want %q", c.o, c.want)
		}
	}
}

// The report of a made-up run, worked out by hand: 1,000,000 rows imported in 2.5 s against
// 1 s of unzip -p is 2.50 倍 and 400000 行/秒; 250 MB is under 300 MB; 3.2 s would not be. The
// 3 倍 target is for 1,000,000 rows: 100,000 rows are not judged against it.
func TestPrint(t *testing.T) {
	r := Result{Rows: 1000000, Members: 20000, FileBytes: 23 << 20, XMLBytes: 257 << 20, UnzipTool: "unzip -p",
		Unzip: time.Second, Inflate: 300 * time.Millisecond, Read: 600 * time.Millisecond, Import: 2500 * time.Millisecond, PeakRSS: 250 << 20}
	var b strings.Builder
	r.Print(&b)
	out := b.String()
	for _, want := range []string{"jifen import（读取、校验、写入、提交）2.50 秒  2.50 倍，峰值内存 250.0 MB",
		"解压 0.30 秒，解析 0.30 秒（读取 − 解压），其余 1.90 秒", "导入速度 400000 行/秒；导入 / 基准（unzip -p）= 2.50 倍（目标 ≤ 3 倍：达到）；峰值内存 250.0 MB（目标 < 300 MB：达到）"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	r.Import = 3200 * time.Millisecond
	b.Reset()
	r.Print(&b)
	if !strings.Contains(b.String(), "= 3.20 倍（目标 ≤ 3 倍：未达到）") {
		t.Errorf("3.2 s over 1 s not reported as missed:\n%s", b.String())
	}
	r.Rows, r.Import = 100000, 357*time.Millisecond // 0.357 s over 0.1 s: 3.57 倍, not judged against the 1M-row target
	r.Unzip = 100 * time.Millisecond
	b.Reset()
	r.Print(&b)
	if out := b.String(); !strings.Contains(out, "= 3.57 倍（目标 ≤ 3 倍是对 100 万行说的") || strings.Contains(out, "未达到") {
		t.Errorf("100,000 rows judged against the 1,000,000-row target:\n%s", out)
	}
	r.Inline = true
	b.Reset()
	r.Print(&b)
	if !strings.Contains(b.String(), "20000 名党员，文字为内联字符串；") || !strings.Contains(b.String(), "基准：unzip -p 工作表 ") {
		t.Errorf("an inline-string sheet not reported as one:\n%s", b.String())
	}
}
