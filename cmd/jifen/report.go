package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newReportCmd(g *globals) *cobra.Command {
	var template, out string
	var year int
	c := &cobra.Command{
		Use:   "report",
		Short: "用指标填写年度报告模板",
		Long: `把报告模板中的占位符换成数据库中一个年度的指标，写到 --out。占位符：
  {{支委会次数}}                全单位全年的指标（指标名见 config.yaml 的 indicators）
  {{第一党支部.出勤率}}          某支部的指标
  {{第1季度.支委会次数}}、{{3月.主题党日次数}}   某季度、某月的指标
  {{第一党支部.第1季度.支委会次数}}             某支部某季度的指标
  {{年度}}、{{党支部数}}
  {{#每个支部}} … {{支部}} … {{.出勤率}} … {{/每个支部}}   每个支部重复一遍
写错的占位符会报错，并列出最接近的有效名称。需要先运行 jifen run 或 jifen score。`,
		Example: `  jifen report --template datasets/report_template.md --out out/报告.md`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
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
			if err := j.Report(c.Context(), template, out); err != nil {
				return err
			}
			fmt.Fprintln(c.ErrOrStderr(), "输出：", out)
			return nil
		},
	}
	c.Flags().StringVar(&template, "template", "datasets/report_template.md", "报告模板")
	c.Flags().StringVar(&out, "out", "out/报告.md", "填好的报告")
	c.Flags().IntVar(&year, "year", 0, "年度（默认为最近一次计分的年度）")
	return c
}
