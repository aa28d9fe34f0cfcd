package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/pipeline"
)

func newRunCmd(g *globals) *cobra.Command {
	var inputs []string
	var out string
	var year int
	var unmask bool
	c := &cobra.Command{
		Use:   "run",
		Short: "一步完成：导入、计分、评星定格、写出结果",
		Long: `导入 --input 下（递归）的全部表格（.xlsx、.xls、.csv），计算该年度的积分、星级、等次和支部指标，
把 members.csv、indicators.csv、附件.xlsx 写到 --out。不带参数时使用演示数据 datasets/demo/，写到 ./out/。
run 之后数据库中正好是 --input 中的文件：以前导入、现在已不在输入中的文件会被移除。
有错误的文件整个不导入并列出错误（文件[工作表]!单元格），其余文件照常计分输出，退出码为 1。
有读表问题时（有数据却没有读出记录的表、认不出的表、有内容却没有用上的列、没有匹配任何记录而又有列
没用上的计分项目），其余照常导入、计分、输出，问题列在汇总之前，附件.xlsx 每张表和 jifen report 填好的报告
开头都注明哪些文件未计入，退出码也为 1。确实不需要的内容请在 config.yaml 的 import.ignore 中写明。
每张表是怎么读的，用 jifen check 查看。退出码：0 全部导入且没有问题；1 有错误或问题（或无法运行）。`,
		Example: `  jifen run
  jifen run --input 2022台账/ --out 输出/ --year 2022`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			opt := g.options(c)
			opt.Inputs, opt.OutDir, opt.Year, opt.Unmask = inputs, out, year, unmask
			if !c.Flags().Changed("input") {
				if _, err := os.Stat(inputs[0]); err != nil {
					return fmt.Errorf("没有 --input 时使用演示数据 %s，但当前目录下没有：请在 jifen 源码根目录运行，或用 --input 指定表格目录", inputs[0])
				}
			}
			progress(os.Stderr, &opt)
			sum, err := pipeline.Run(c.Context(), opt)
			report(c.ErrOrStderr(), sum, start, err)
			return err
		},
	}
	c.Flags().StringSliceVar(&inputs, "input", []string{"datasets/demo"}, "输入的目录或文件，可重复或用逗号分隔")
	c.Flags().StringVar(&out, "out", "out", "输出目录")
	c.Flags().BoolVar(&unmask, "unmask", false, "输出中显示完整的身份证号、手机号（默认打码，如 110101********1234）")
	c.Flags().IntVar(&year, "year", 0, "计分年度（默认取 config.yaml 的 year，再不然按数据推断）")
	return c
}
