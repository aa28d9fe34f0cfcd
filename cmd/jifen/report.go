package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newReportCmd(g *globals) *cobra.Command {
	var template, out, writeTemplate string
	var year int
	c := &cobra.Command{
		Use:   "report",
		Short: "用指标填写年度报告模板（Word .docx 或 Markdown）",
		Long: `把报告模板中的占位符换成数据库中一个年度的指标，写到 --out。
模板是 Word 文档（.docx，用 Word 或 WPS 写好的报告稿，在要填数字的地方写占位符）时，
填好的报告也是 .docx：字体、段落、表格、页眉页脚都保持原样，占位符中间改了格式也能填，
填入的数字用占位符第一个字（“{{”）的格式；其他扩展名的模板按文本（Markdown）填写。
--out 的扩展名须与模板一致。占位符：
  {{支委会次数}}                全单位全年的指标（指标名见 config.yaml 的 indicators）
  {{第一党支部.出勤率}}          某支部的指标
  {{第1季度.支委会次数}}、{{3月.主题党日次数}}   某季度、某月的指标
  {{第一党支部.第1季度.支委会次数}}             某支部某季度的指标
  {{年度}}、{{党支部数}}
  {{#每个支部}} … {{支部}} … {{.出勤率}} … {{/每个支部}}   每个支部重复一遍
    （Word 模板中：从写 {{#每个支部}} 的表格行到写 {{/每个支部}} 的表格行，每个支部
     重复一遍，适合“各党支部主要指标”表；也可以用单独成段的 {{#每个支部}}、{{/每个支部}}
     把几段文字括起来）
写错的占位符会全部报错，写明位置（第N段、表N第R行、页眉第N段）并列出最接近的有效名称，
不写出任何文件。数字有未计入的文件时，报告开头有一段加粗的说明。
不写 --template 时用内置的公文模板（GB/T 9704 格式，章节取自年度全面从严治党工作报告）。
要在它的基础上改成本单位的报告稿，先用 --write-template 写出一份，在 Word/WPS 中修改后用
--template 指定（写 .md 文件名则写出 Markdown 模板）。
需要先运行 jifen run 或 jifen score（--write-template 不需要）。`,
		Example: `  jifen report                                         # 内置公文模板，写到 out/报告.docx
  jifen report --write-template 本单位报告模板.docx      # 写出内置模板，改好后：
  jifen report --template 本单位报告模板.docx --out 输出/报告.docx
  jifen report --template datasets/report_template.md --out out/报告.md`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if writeTemplate != "" {
				if err := pipeline.WriteTemplate(writeTemplate); err != nil {
					return err
				}
				fmt.Fprintln(c.ErrOrStderr(), "输出：", writeTemplate)
				return nil
			}
			if err := g.needDB(); err != nil {
				return err
			}
			opt := g.options(c, true)
			opt.Year = year
			j, err := pipeline.OpenRead(opt)
			if err != nil {
				return err
			}
			defer j.Close()
			if out == "" {
				ext := filepath.Ext(template)
				if template == "" {
					ext = ".docx"
				}
				out = filepath.Join("out", "报告"+ext)
			}
			if err := j.Report(c.Context(), template, out); err != nil {
				return err
			}
			fmt.Fprintln(c.ErrOrStderr(), "输出：", out)
			return nil
		},
	}
	c.Flags().StringVar(&template, "template", "", "报告模板（.docx 或 .md；默认用内置的公文模板）")
	c.Flags().StringVar(&writeTemplate, "write-template", "", "把内置模板写到这个文件（.docx 或 .md）后退出，供修改成本单位的模板")
	c.Flags().StringVar(&out, "out", "", "填好的报告，扩展名与模板相同（默认 out/报告.docx 或 out/报告.md）")
	c.Flags().IntVar(&year, "year", 0, "年度（默认为最近一次计分的年度）")
	return c
}
