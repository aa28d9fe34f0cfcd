package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/export"
	"github.com/jifen/jifen/engine/pipeline"
)

func newExplainCmd(g *globals) *cobra.Command {
	var year int
	c := &cobra.Command{
		Use:   "explain 党员编号、姓名或“支部/姓名”",
		Short: "解释一名党员的积分：逐条积分明细、总分、星级和等次的理由",
		Long: `列出一名党员在一个年度的积分明细（每一条：日期、类别、规则、分值，被上限或一票否决改变时
说明原因，以及来源 文件[工作表]!行），然后是总积分、星级和等次，各附理由
（如“优秀名额 3 人，同分及以上 4 人，超出名额，定为合格”）。需要先运行 jifen run 或 jifen score。
重名的党员（或没有党员编号的单位）用“支部/姓名”指定，支部可写简称。`,
		Example: `  jifen explain GL101
  jifen explain 张伟 --year 2022
  jifen explain "机关第二党支部/刘洋"`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("请给出一名党员的党员编号或姓名，例如：jifen explain 张伟")
			}
			return nil
		},
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
			y, m, ledger, err := j.Explain(c.Context(), args[0])
			if err != nil {
				return err
			}
			return export.WriteExplanation(c.OutOrStdout(), y, j.Cfg.Period, m, ledger)
		},
	}
	c.Flags().IntVar(&year, "year", 0, "年度（默认为最近一次计分的年度）")
	return c
}
