package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import 文件或目录...",
		Short: "导入表格到数据库（不计分）",
		Long: `把表格导入 --db 数据库。目录会递归查找 .xlsx、.xls 和 .csv；名册总是最先导入。
内容相同的文件再导入不会重复；同一路径的文件内容改了，再导入会替换旧的记录。
有错误的文件整个不导入，并一次列出它的全部错误；其他文件照常导入。
有读表问题（有数据却没有读出记录的表、认不出的表、有内容却没有用上的列）时照常导入其余内容，列出问题；
数据库记下哪些文件未计入，jifen export 和 jifen report 会在输出开头注明。
退出码：0 全部导入且没有问题；1 有错误或问题（或无法运行）。`,
		Example: `  jifen import 2022台账/3月/*.xlsx
  jifen import 2022台账/`,
		Args: needFiles,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			opt := g.options(c)
			opt.Inputs = args
			progress(os.Stderr, &opt)
			j, err := pipeline.Open(opt)
			if err != nil {
				return err
			}
			defer j.Close()
			sum, err := j.Import(c.Context())
			report(c.ErrOrStderr(), sum, start, err)
			return err
		},
	}
}
