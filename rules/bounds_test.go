package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jifen/jifen"
)

// A config file over 1 MB is refused before it is parsed, naming the file and the limit: 50 MB
// of one value (once accepted, and echoed whole) and 1 MB + 1 byte of comments alike. The
// built-in scheme (about 30 KB) is far under the limit.
func TestConfigSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "config.yaml")
	os.WriteFile(big, []byte(`year: "`+strings.Repeat("x", 50<<20)+`"`), 0o600)
	_, err := LoadFile(big)
	if want := "规则文件 " + big + " 太大（50.0 MB，上限 1 MB）：规则文件只写积分规则，通常只有几十 KB，请检查是否选错了文件"; err == nil || err.Error() != want {
		t.Errorf("50 MB: %v\nwant %s", err, want)
	}
	over := append([]byte("year: 2022\n"), []byte(strings.Repeat("#", MaxSize-len("year: 2022\n")+1))...)
	if _, err := Parse("大.yaml", over); err == nil || !strings.Contains(err.Error(), "规则文件 大.yaml 太大（1.0 MB，上限 1 MB）") {
		t.Errorf("1 MB + 1 byte: %v", err)
	}
	if _, err := Parse("刚好.yaml", over[:MaxSize]); err != nil && strings.Contains(err.Error(), "太大") {
		t.Errorf("1 MB exactly: %v", err)
	}
}

// A wrong value is echoed by its first 40 characters and its length, never whole: a year of
// 100,000 x, a key of 1,000 characters (its path clipped at 120).
func TestConfigEchoesClipped(t *testing.T) {
	_, err := Parse("config.yaml", []byte(`year: "`+strings.Repeat("x", 100000)+`"`))
	want := "config.yaml:1 year: 应为数字，实际为 “" + strings.Repeat("x", 40) + "…（共 100000 字）”"
	if err == nil || err.Error() != want {
		t.Errorf("long value: %v\nwant %s", err, want)
	}
	_, err = Parse("config.yaml", []byte(`"`+strings.Repeat("k", 1000)+`": 1`+"\n")) // YAML keys stop at 1024
	want = "config.yaml:1 " + strings.Repeat("k", 120) + "…（共 1000 字）: 未知的键（拼写错误？）"
	if err == nil || err.Error() != want {
		t.Errorf("long key: %.300v\nwant %s", err, want)
	}
}

// A “billion laughs” file (nine aliases of nine, 9⁹ values) is refused in Chinese only, naming
// the file; so is an alias to nothing.
func TestConfigAliasMessages(t *testing.T) {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i, c := range "bcdefghi" {
		p := string("abcdefgh"[i])
		b.WriteString(string(c) + ": &" + string(c) + " [" + strings.Repeat("*"+p+",", 8) + "*" + p + "]\n")
	}
	var msgs []string
	_, err := Parse("炸弹.yaml", []byte(b.String()))
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	want := "炸弹.yaml: 不是有效的 YAML：别名（&名称 和 *名称）引用过多，展开后过大，jifen 不读这样的文件（规则文件不需要别名）"
	if err == nil || err.Error() != want {
		t.Errorf("billion laughs: %v\nwant %s", err, want)
	}
	_, err = Parse("别名.yaml", []byte("year: *x\n"))
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	want = "别名.yaml: 不是有效的 YAML：引用了没有定义的别名 “*x”（前面应有 “&x”）"
	if err == nil || err.Error() != want {
		t.Errorf("unknown alias: %v\nwant %s", err, want)
	}
	english := regexp.MustCompile(`[A-Za-z]{3,}`)
	for _, msg := range msgs {
		for _, m := range english.FindAllString(msg, -1) {
			if m != "YAML" && m != "yaml" && m != "jifen" {
				t.Errorf("English %q in %s", m, msg)
			}
		}
	}
}

// A figure of the rules that no scheme has — 99999999 points for a test band (a typo for 9),
// a base of 1e6 — is refused at its key path before any data is touched; before, the run
// imported everything and then scoring stopped for everyone with DuckDB's English "Conversion
// Error: Could not cast value 99999999.000000 to DECIMAL(9,2)". The built-in scheme passes.
func TestConfigFiguresBounded(t *testing.T) {
	text := string(jifen.DefaultConfig)
	band := "- {min_percent: 90, points: 3}"
	if !strings.Contains(text, band) {
		t.Fatalf("config.yaml has no %q: update the test", band)
	}
	bad := strings.Replace(text, band, "- {min_percent: 90, points: 99999999}", 1)
	bad = strings.Replace(bad, "  base: 60", "  base: 1e300", 1) // echoed short, not as 301 digits
	_, err := Parse("config.yaml", []byte(bad))
	if err == nil {
		t.Fatal("99999999 points accepted")
	}
	for _, want := range []string{
		"bands[0].points: 数值 99999999 超出范围（允许 −10000 到 10000）",
		"base: 数值 1e+300 超出范围（允许 −10000 到 10000）",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no %q in:\n%v", want, err)
		}
	}
	if _, err := Parse("config.yaml", jifen.DefaultConfig); err != nil {
		t.Errorf("the built-in scheme: %v", err)
	}
	// The bounds themselves are allowed, as the message says (a 2nd trial: 10000 was refused).
	if _, err := Parse("config.yaml", []byte(strings.Replace(text, band, "- {min_percent: 90, points: 10000}", 1))); err != nil {
		t.Errorf("10000 points: %v", err)
	}
}
