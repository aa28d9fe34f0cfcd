package export

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The module graph builds github.com/klauspost/compress (附件.xlsx's deflate) at v1.18.7 or
// later (GO-2026-5841). A test binary carries no module versions (runtime/debug.ReadBuildInfo
// lists none of its dependencies), so the go command says which version the build selects.
func TestKlauspostCompressVersion(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("没有 go 命令，无法查看依赖的版本")
	}
	out, err := exec.Command(goCmd, "list", "-m", "-f", "{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}", "github.com/klauspost/compress").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	v := strings.TrimSpace(string(out))
	if !atLeast(v, 1, 18, 7) {
		t.Errorf("github.com/klauspost/compress %s, want v1.18.7 or later (GO-2026-5841)", v)
	}
}

// atLeast reports whether the version vMAJOR.MINOR.PATCH[-…] is at least major.minor.patch.
func atLeast(v string, want ...int) bool {
	core, pre, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return false
		}
		if n != want[i] {
			return n > want[i]
		}
	}
	return pre == "" // a prerelease (or a pseudo-version) of it comes before it
}

func TestAtLeast(t *testing.T) {
	for v, want := range map[string]bool{"v1.18.7": true, "v1.18.6": false, "v1.19.0": true, "v1.9.9": false, "v2.0.0": true, "v1.18.10": true, "": false, "v1.18.7-0.20260101000000-abcdef": false, "v1.18.8-0.20260101000000-abcdef": true} {
		if atLeast(v, 1, 18, 7) != want {
			t.Errorf("atLeast(%q, 1.18.7) = %v, want %v", v, !want, want)
		}
	}
}
