package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jifen/jifen/datasets"
)

// BuiltinTemplate is the name the built-in report template (datasets.ReportTemplateDocx) is
// told by in messages: `jifen report` fills it when no --template is given.
const BuiltinTemplate = "report_template.docx"

// templateName is a template's name in messages: its file's, or BuiltinTemplate's.
func templateName(path string) string {
	if path == "" {
		return BuiltinTemplate
	}
	return filepath.Base(path)
}

// readTemplate reads a report template: the file at path, or the built-in .docx when path is ""
// (a file an office named report_template.docx is its own, read as any other).
func readTemplate(path string) ([]byte, error) {
	if path == "" {
		return datasets.ReportTemplateDocx, nil
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("找不到报告模板 %s（不写 --template 时用内置的公文模板；用 jifen report --write-template 模板.docx 可以写出内置模板再修改）", path)
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取报告模板 %s：%v", path, err)
	}
	return text, nil
}

// WriteTemplate writes the built-in report template of path's kind (.docx, else Markdown) to
// path, for an office to make its own; an existing file is never overwritten.
func WriteTemplate(path string) error {
	var text []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".docx":
		text = datasets.ReportTemplateDocx
	case ".md", ".txt":
		text = datasets.ReportTemplateMarkdown
	default:
		return fmt.Errorf("--write-template %s：文件名应以 .docx（Word 模板）或 .md（文本模板）结尾", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s 已经存在，没有覆盖：请换一个文件名，或先移走它", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("无法创建目录 %s：%v", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("无法写出 %s：%v", path, err)
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("无法写出 %s：%v", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("无法写出 %s：%v", path, err)
	}
	return nil
}

// reportKind tells whether a report template is a Word document (.docx) rather than text,
// and refuses an output of the other kind, or a template Word writes in a format jifen cannot
// fill (.doc, .wps, .dotx and the like).
func reportKind(templatePath, outPath string) (docx bool, err error) {
	if templatePath == "" {
		templatePath = BuiltinTemplate
	} else if sameFile(templatePath, outPath) {
		return false, fmt.Errorf("--out %s 就是报告模板本身：填好的报告会覆盖模板，请换一个文件名（如 报告.docx）", outPath)
	}
	tx, ox := strings.ToLower(filepath.Ext(templatePath)), strings.ToLower(filepath.Ext(outPath))
	switch tx {
	case ".doc", ".wps", ".dot", ".dotx", ".docm", ".odt", ".rtf":
		return false, fmt.Errorf("报告模板 %s 是 %s 格式，jifen 只能填写 .docx：请在 Word 或 WPS 中打开，“另存为” Word 文档（*.docx）", templatePath, tx)
	case ".docx":
		if ox != ".docx" {
			return false, fmt.Errorf("报告模板 %s 是 Word 文档，填好的报告也是 Word 文档：--out 应以 .docx 结尾（现在是 %s）", templatePath, outPath)
		}
		return true, nil
	}
	if ox == ".docx" || ox == ".doc" {
		return false, fmt.Errorf("报告模板 %s 是文本（Markdown）模板，填好的报告是文本，不能写成 Word 文档 %s：要得到 Word 文档，请用 .docx 模板（如 datasets/report_template.docx）；要文本，请把 --out 改为 .md", templatePath, outPath)
	}
	return false, nil
}

// sameFile says whether a and b name the same file (the same path, or the same existing file).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
