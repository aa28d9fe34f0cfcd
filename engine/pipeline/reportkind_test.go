package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A clerk's slips with the report's files (found by a fresh-user trial): --out naming the
// template itself would overwrite the office's draft; --write-template 模板.doc would write
// Markdown text into a file Word opens as a document. Both are refused, and nothing is written.
func TestReportFileSlips(t *testing.T) {
	dir := t.TempDir()
	draft := filepath.Join(dir, "我的报告稿.docx")
	if err := os.WriteFile(draft, []byte("草稿"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{draft, filepath.Join(dir, ".", "我的报告稿.docx")} {
		if _, err := reportKind(draft, out); err == nil || !strings.Contains(err.Error(), "就是报告模板本身") {
			t.Errorf("reportKind(%q, %q) = %v, want the template refused as --out", draft, out, err)
		}
	}
	// The same file through a hard link is the same file too.
	link := filepath.Join(dir, "另一个名字.docx")
	if err := os.Link(draft, link); err == nil {
		if _, err := reportKind(draft, link); err == nil {
			t.Errorf("reportKind through a hard link: nil error, want the template refused")
		}
	}
	if _, err := reportKind(draft, filepath.Join(dir, "报告.docx")); err != nil {
		t.Errorf("reportKind to another file: %v", err)
	}
	for _, name := range []string{"模板.doc", "模板.wps", "模板"} {
		p := filepath.Join(dir, name)
		if err := WriteTemplate(p); err == nil || !strings.Contains(err.Error(), "应以 .docx（Word 模板）或 .md（文本模板）结尾") {
			t.Errorf("WriteTemplate(%s) = %v, want refused", name, err)
		}
		if _, err := os.Stat(p); err == nil {
			t.Errorf("WriteTemplate(%s) wrote a file", name)
		}
	}
	for _, name := range []string{"模板.docx", "模板.md"} {
		if err := WriteTemplate(filepath.Join(dir, name)); err != nil {
			t.Errorf("WriteTemplate(%s): %v", name, err)
		}
	}
	// An office's own file named as the built-in template is read, not the built-in (review).
	own := filepath.Join(dir, BuiltinTemplate)
	if err := os.WriteFile(own, []byte("本单位的模板"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := readTemplate(own); err != nil || string(b) != "本单位的模板" {
		t.Errorf("readTemplate(%s) = %q, %v; want the file's own text", own, b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "模板.docx")); !strings.HasPrefix(string(b), "PK") {
		t.Errorf("模板.docx is not a zip package")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "模板.md")); !strings.Contains(string(b), "{{支委会次数}}") {
		t.Errorf("模板.md has no placeholders")
	}
}
