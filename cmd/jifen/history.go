package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"

	"github.com/jifen/jifen/engine/store"
)

func newHistoryCmd(g *globals) *cobra.Command {
	var limit int
	c := &cobra.Command{
		Use:   "history",
		Short: "列出导入记录：何时、谁、导入（替换、移除）了哪个文件、多少条记录",
		Long: `列出 --db 数据库的导入记录，最新的在前：时间、操作系统用户、操作（导入、替换为新版本、
移除已不在输入中的文件）、记录数、文件内容 SHA-256 的前 12 位和文件。`,
		Example: `  jifen history
  jifen history -n 20`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			st, err := openExisting(g.db)
			if err != nil {
				return err
			}
			defer st.Close()
			h, err := st.History(c.Context())
			if err != nil {
				return err
			}
			if limit > 0 && len(h) > limit {
				h = h[:limit]
			}
			writeHistory(c.OutOrStdout(), h)
			return nil
		},
	}
	c.Flags().IntVarP(&limit, "number", "n", 0, "只列出最近的 N 条")
	return c
}

// writeHistory prints the import log as aligned columns, the file last.
func writeHistory(w io.Writer, h []store.Import) {
	if len(h) == 0 {
		fmt.Fprintln(w, "还没有导入记录")
		return
	}
	userW := displayWidth("用户")
	rowsW := displayWidth("记录数")
	for _, im := range h {
		userW = max(userW, displayWidth(user(im)))
		rowsW = max(rowsW, len(strconv.Itoa(im.Rows)))
	}
	fmt.Fprintf(w, "%s  %s  操作  %s  %s  文件\n", pad("时间", 19), pad("用户", userW), padLeft("记录数", rowsW), pad("SHA-256", 12))
	for _, im := range h {
		hash := im.Hash
		if len(hash) > 12 {
			hash = hash[:12]
		}
		fmt.Fprintf(w, "%s  %s  %s  %s  %s  %s\n", im.Time.Format("2006-01-02 15:04:05"), pad(user(im), userW), pad(im.Action, 4),
			padLeft(strconv.Itoa(im.Rows), rowsW), pad(hash, 12), im.Name)
	}
}

func user(im store.Import) string {
	if im.User == "" {
		return "—"
	}
	return im.User
}

// displayWidth is the width of s on a terminal: East Asian wide and full-width characters
// take two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-displayWidth(s))) }

func padLeft(s string, w int) string { return strings.Repeat(" ", max(0, w-displayWidth(s))) + s }
