// Package sharedtest finds what some tests read beside the repository: ../shared (the real
// templates of the field, read in place, never copied in) and Debian tools. Where one is
// absent the test is skipped and says why, unless JIFEN_REQUIRE_SHARED=1 (set by .ci/run),
// when it fails: in CI nothing is skipped.
package sharedtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Required reports whether the environment asks that nothing be skipped.
func Required() bool { return os.Getenv("JIFEN_REQUIRE_SHARED") == "1" }

// Dir is ../shared beside the repository: the folder the tests read the field's templates from.
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("sharedtest: cannot locate the repository")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "real")); err != nil {
		missing(t, "../shared/real（仓库旁边的真实模板目录）不存在："+err.Error())
	}
	return dir
}

// Real is ../shared/real.
func Real(t testing.TB) string { return filepath.Join(Dir(t), "real") }

// Tool finds a program on PATH (or at an absolute path), skipping the test without it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" 不可用（Debian 软件包 "+pkg+"，.ci/run 会安装）："+err.Error())
	}
	return p
}

func missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatal("JIFEN_REQUIRE_SHARED=1，但 " + why)
	}
	t.Skip("跳过：" + why)
}
