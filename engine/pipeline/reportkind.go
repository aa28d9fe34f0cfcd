package pipeline

import (
	"fmt"
	"path/filepath"
	"strings"
)

// reportKind tells whether a report template is a Word document (.docx) rather than text,
// and refuses an output of the other kind, or a template Word writes in a format jifen cannot
// fill (.doc, .wps, .dotx and the like).
func reportKind(templatePath, outPath string) (docx bool, err error) {
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
