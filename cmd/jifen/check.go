package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check 文件或目录...",
		Short: "检查表格，列出全部问题（不写入数据库）",
		Long: `读取并校验表格，不写入任何东西：逐个文件列出全部问题，每个问题都指明 文件[工作表]!单元格。
党员按 --db 数据库中已导入的名册（如果有）和本次给出的名册匹配。没有问题时退出码为 0，否则为 1。`,
		Example: `  jifen check 2022台账/
  jifen check 2022台账/3月/考勤.xlsx`,
		Args: needFiles,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			opt := g.options(c)
			opt.Inputs = args
			sum, err := pipeline.Check(c.Context(), opt)
			if sum != nil {
				for _, w := range sum.Warnings {
					fmt.Fprintln(c.ErrOrStderr(), "注意：", w)
				}
				for _, e := range sum.Errors {
					fmt.Fprintln(c.ErrOrStderr(), e)
				}
				fmt.Fprintf(c.ErrOrStderr(), "检查：%d 个文件，%d 个有问题，%d 个没有问题（%d 条记录）；没有写入数据库。用时 %.1f 秒\n",
					sum.Files, sum.Rejected, sum.Files-sum.Rejected, sum.Rows, time.Since(start).Seconds())
			}
			return err
		},
	}
}
