package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine/store"
)

// Every file and folder jifen creates — the database and its .wal, which DuckDB creates
// itself, the outputs, backups — is readable by the owner only (umask 077): they hold members'
// personal data. (An init function so that it runs before any command.)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "backup --out 目录",
		Short: "备份数据库：把全部记录、导入记录和计分结果写到一个新目录（Parquet 文件）",
		Long: `把 --db 数据库的快照写到 --out 目录：每张表一个 Parquet 文件（DuckDB 的 EXPORT DATABASE）。
目录必须是新的或空的。备份先写到旁边的临时目录，连同备份清单 manifest.json（每个文件的大小和
SHA-256、jifen 版本、每张表的行数），全部写入磁盘后才改名为 --out：中断的备份不会留下看似完整的目录。
备份含党员的个人信息，只有本人可读（文件 0600，目录 0700）。
用 jifen restore 目录 从备份重建数据库。`,
		Example: `  jifen backup --out 备份/2022-12-31
  jifen restore 备份/2022-12-31 --db 新.duckdb`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("请用 --out 指定备份目录，例如：jifen backup --out 备份/2022-12-31")
			}
			st, err := openExisting(g.db)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(c.Context(), out); err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "已备份数据库 %s 到 %s\n", g.db, out)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "备份目录（新的或空的目录）")
	return c
}

// openExisting opens the database read-only, saying so plainly if there is none yet.
func openExisting(path string) (*store.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("数据库 %s 不存在：还没有导入过任何文件（用 --db 指定数据库）", path)
	}
	return store.OpenRead(path)
}
