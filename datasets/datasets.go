// Package datasets holds what jifen ships besides the code: the report templates, embedded so
// that `jifen report` works outside the source tree. The demo data and the generators live in
// the folders below (datasets/demo, datasets/gen, …) and are not embedded.
package datasets

import _ "embed"

// ReportTemplateMarkdown is datasets/report_template.md: the annual report with {{占位符}}.
//
//go:embed report_template.md
var ReportTemplateMarkdown []byte

// ReportTemplateDocx is datasets/report_template.docx: the same report as a Word document in
// 公文 style (GB/T 9704-2012), made from reportdocx/report_template.fodt by
// `go run ./datasets/reportdocx`.
//
//go:embed report_template.docx
var ReportTemplateDocx []byte
