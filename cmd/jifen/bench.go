package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/datasets/big/bench"
)

func newBenchCmd() *cobra.Command {
	var o bench.Options
	c := &cobra.Command{
		Use:   "bench",
		Short: "测量导入速度：生成一张大签到表，对比解压用时、导入用时和峰值内存",
		Long: `生成一张 --rows 行的签到表（考勤.xlsx，带合并的标题行、共享字符串、日期序列号）和
--members 人的党员名册，在同一次运行中计时：
  基准    unzip -p 解压工作表和共享字符串（没有 unzip 时用 Go 的 archive/zip）
  解压    Go 的 inflate（jifen 读表所用）
  读取    jifen 的流式读表器读完每一行（解压 + 解析）
  导入    jifen import 把这张表导入已有名册的数据库（读取、校验每个单元格、写入 DuckDB、提交），
          在子进程中运行，峰值内存是操作系统统计的子进程最大常驻内存
每项运行 --runs 次取中位数，打印导入 / 解压的倍数（目标 ≤ 3 倍）、每秒行数和峰值内存（目标 < 300 MB）。
倍数的目标是对 100 万行说的：行数少时，启动、打开数据库、读名册等固定开销（约 0.2 秒）占大头，
10 万行约为 3.4–3.6 倍。测试文件写在临时目录中，结束后删除；用 --dir 指定目录则保留。
计分和导出的速度用 go test 的基准测试测量（需要源代码），命令见 README 的“性能”一节。`,
		Example: `  jifen bench                           # 100 万行，约半分钟
  jifen bench --rows 100000 --runs 5    # 10 万行
  jifen bench --inline                  # 文字写成内联字符串的同一张表
  jifen bench --dir /tmp/jifen-bench    # 保留生成的表格和数据库`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.Check(); err != nil {
				return err
			}
			exe, err := os.Executable()
			if err != nil {
				return fmt.Errorf("找不到 jifen 可执行文件：%v", err)
			}
			o.Jifen = exe
			o.Log = c.ErrOrStderr()
			res, err := bench.Run(c.Context(), o)
			if err != nil {
				return err
			}
			res.Print(c.OutOrStdout())
			return nil
		},
	}
	c.Flags().IntVar(&o.Rows, "rows", 1000000, "签到表的数据行数（1 到 1048574）")
	c.Flags().IntVar(&o.Members, "members", 20000, "党员名册的人数")
	c.Flags().IntVar(&o.Runs, "runs", 3, "每项测量的次数，取中位数（至少 1）")
	c.Flags().BoolVar(&o.Inline, "inline", false, "签到表的文字写成内联字符串（t=\"inlineStr\"，excelize 的 StreamWriter 和许多导出工具这样写），不用共享字符串")
	c.Flags().StringVar(&o.Dir, "dir", "", "生成的文件写到这个目录并保留（默认写到临时目录，结束后删除）")
	return c
}
