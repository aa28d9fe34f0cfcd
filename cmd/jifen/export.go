package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newExportCmd(g *globals) *cobra.Command {
	var out string
	var year int
	var unmask bool
	c := &cobra.Command{
		Use:   "export",
		Short: "写出 members.csv、indicators.csv、附件.xlsx",
		Long: `把数据库中一个年度的计分结果写到 --out：members.csv（党员积分、星级、等次）、
indicators.csv（支部指标和合计）、附件.xlsx（可打印的附件）。CSV 为带 BOM 的 UTF-8，Excel/WPS 可直接打开。`,
		Example: `  jifen export --out 输出/
  jifen export --out 输出/ --year 2022`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			if err := g.needDB(); err != nil {
				return err
			}
			opt := g.options(c)
			opt.OutDir, opt.Year, opt.Unmask = out, year, unmask
			j, err := pipeline.OpenRead(opt)
			if err != nil {
				return err
			}
			defer j.Close()
			sum := &pipeline.Summary{}
			err = j.Export(c.Context(), sum)
			report(c.ErrOrStderr(), sum, start, err)
			return err
		},
	}
	c.Flags().StringVar(&out, "out", "out", "输出目录")
	c.Flags().BoolVar(&unmask, "unmask", false, "输出中显示完整的身份证号、手机号（默认打码，如 110101********1234）")
	c.Flags().IntVar(&year, "year", 0, "年度（默认为最近一次计分的年度）")
	return c
}
