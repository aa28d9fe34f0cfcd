package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/store"
)

func newRestoreCmd(g *globals) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "restore 备份目录",
		Short: "从 jifen backup 写出的目录重建数据库",
		Long: `从 jifen backup 写出的目录重建 --db 数据库：全部记录、导入记录和计分结果都与备份时相同。
--db 已存在时不会覆盖，除非加 --force（正被另一个 jifen 进程使用的数据库不会被覆盖）。
恢复前先按备份清单（manifest.json）核对每个文件的大小和 SHA-256，恢复后核对每张表的行数；
不完整或被改动的备份不会被使用。恢复期间数据库被锁住，其他 jifen 命令会被拒绝，不会丢失它们的导入。
新数据库先在旁边建好，完整之后才替换原来的，中途出错原数据库不变。`,
		Example: `  jifen restore 备份/2022-12-31 --db 恢复.duckdb
  jifen restore 备份/2022-12-31 --force`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("请给出一个备份目录，例如：jifen restore 备份/2022-12-31")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			res, err := store.Restore(c.Context(), args[0], g.db, force)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(c.ErrOrStderr(), "注意：", w)
			}
			checked := ""
			if res.Checked {
				checked = "，与备份清单核对无误"
			}
			fmt.Fprintf(c.ErrOrStderr(), "已从 %s 恢复数据库 %s（%d 行%s）\n", args[0], g.db, res.Rows, checked)
			return nil
		},
	}
	c.Flags().BoolVar(&force, "force", false, "覆盖已存在的数据库")
	return c
}
