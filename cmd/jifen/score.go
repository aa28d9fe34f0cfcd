package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newScoreCmd(g *globals) *cobra.Command {
	var year int
	c := &cobra.Command{
		Use:   "score",
		Short: "按规则计分、评星、定格，计算支部指标",
		Long: `对数据库中已导入的记录计算一个年度的积分（含积分明细）、星级、等次和支部指标，
结果存入数据库（覆盖该年度以前的结果），用 jifen export 写出。`,
		Example: `  jifen score --year 2022`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			if err := g.needDB(); err != nil {
				return err
			}
			opt := g.options(c)
			opt.Year = year
			j, err := pipeline.Open(opt)
			if err != nil {
				return err
			}
			defer j.Close()
			sum := &pipeline.Summary{}
			err = j.Score(c.Context(), sum)
			report(c.ErrOrStderr(), sum, start, err)
			return err
		},
	}
	c.Flags().IntVar(&year, "year", 0, "计分年度（默认取 config.yaml 的 year，再不然按数据推断）")
	return c
}
