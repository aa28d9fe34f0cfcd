package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/spf13/cobra"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/pipeline"
	"github.com/jifen/jifen/engine/privacy"
)

func newCheckCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "check 文件或目录...",
		Short: "检查表格，说明每张表是怎么读的，列出全部错误和问题（不写入数据库）",
		Long: `读取并校验表格，不写入任何东西。先逐个文件、逐张工作表说明 jifen 是怎么理解它的
（“我这样理解这张表：签到 第一党支部 主题党日 2023-03-15，应到 12，出席 10，请假 1，缺席 1”，
以及哪一列读成了哪个字段、哪些列没有用），再列出全部错误和问题，每条都指明 文件[工作表]!单元格。
错误：文件无法导入（如出勤情况无法识别）。问题：文件能导入，但结果可能不完整——有表头和数据却没有
读出记录的表、认不出的表、有内容却没有用上的列。确实不需要的文件、工作表或列，请在 config.yaml 的
import.ignore 中写明，不要改动原表格。党员按 --db 数据库中已导入的名册（如果有）和本次给出的名册匹配。
--json 把同样的内容（files → sheets → 读表说明，以及 errors、problems、warnings；error_cells 是带文件、工作表、行、列的错误）以 JSON 写到标准输出，
供其他程序使用；这时不再在标准错误输出上打印读表说明。
退出码：0 没有错误也没有问题；1 有错误或问题（或无法运行）。`,
		Example: `  jifen check 2022台账/
  jifen check 2022台账/3月/考勤.xlsx
  jifen check --json 2022台账/ > 读表说明.json`,
		Args: needFiles,
		RunE: func(c *cobra.Command, args []string) error {
			start := time.Now()
			opt := g.options(c)
			opt.Inputs = args
			sum, err := pipeline.Check(c.Context(), opt)
			if sum == nil {
				return err
			}
			if asJSON {
				if jerr := writeCheckJSON(c.OutOrStdout(), sum, err); jerr != nil {
					return jerr
				}
				return err
			}
			w := c.ErrOrStderr()
			printReadings(w, sum)
			for _, wn := range sum.Warnings {
				fmt.Fprintln(w, "注意：", wn)
			}
			printProblems(w, sum)
			for _, e := range sum.Errors {
				fmt.Fprintln(w, e)
			}
			line := fmt.Sprintf("检查：%d 个文件，%d 个有错误，%d 个没有错误（%d 条记录）", sum.Files, sum.Rejected, sum.Files-sum.Rejected, sum.Rows)
			if len(sum.Problems) > 0 {
				line += fmt.Sprintf("；%d 个读表问题", len(sum.Problems))
			}
			if sum.IgnoredByConfig > 0 {
				line += fmt.Sprintf("；%d 个文件按配置忽略", sum.IgnoredByConfig)
			}
			fmt.Fprintf(w, "%s；没有写入数据库。用时 %.1f 秒\n", line, time.Since(start).Seconds())
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "以 JSON 把读表说明、错误、问题和注意事项写到标准输出（供程序使用）")
	return c
}

// printReadings prints how each file and sheet was read: the file and what became of it, then
// one line per sheet, its columns and unused columns indented under it.
func printReadings(w io.Writer, sum *pipeline.Summary) {
	if len(sum.Readings) == 0 {
		return
	}
	fmt.Fprintln(w, "读表说明：")
	mask := func(s string) string { return engine.Printable(privacy.MaskText(s)) }
	for _, fr := range sum.Readings {
		fmt.Fprintf(w, "%s（%s）\n", mask(fr.File), fr.Status)
		for _, r := range fr.Sheets {
			if r.Sheet != "" {
				fmt.Fprintf(w, "  [%s] %s\n", mask(r.Sheet), mask(r.Understood()))
			} else {
				fmt.Fprintf(w, "  %s\n", mask(r.Understood()))
			}
			if s := r.ColumnsLine(); s != "" {
				fmt.Fprintln(w, "      列："+mask(s))
			}
			if s := r.UnusedLine(); s != "" {
				fmt.Fprintln(w, "      "+mask(s))
			}
		}
	}
}

// printProblems lists the problems of the readings (and of rule items), before the summary.
func printProblems(w io.Writer, sum *pipeline.Summary) {
	if len(sum.Problems) == 0 {
		return
	}
	fmt.Fprintf(w, "问题（%d 个，结果可能不完整）：\n", len(sum.Problems))
	for _, p := range sum.Problems {
		fmt.Fprintln(w, "问题：", p)
	}
}

// checkJSON is what `jifen check --json` writes: the readings, and every message as text
// (masked like the messages on the terminal).
type checkJSON struct {
	Files    []pipeline.FileReading `json:"files"`
	Errors   []string               `json:"errors"`
	Problems []string               `json:"problems"`
	Warnings []string               `json:"warnings"`
	// ErrorCells are the errors located at a cell, row or sheet, in fields (for a page that
	// marks the cell): the same messages as in errors.
	ErrorCells []errorCell `json:"error_cells"`
	Records    int         `json:"records"`
	OK         bool        `json:"ok"`
	// Failure is why check could not run, or its closing error ("" when there is none).
	Failure string `json:"failure,omitempty"`
}

// errorCell is one error with its place: the file, the sheet ("" for CSV), the 1-based row (0:
// the whole sheet), the column's letters ("" for a whole row) and the message (masked).
type errorCell struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Col     string `json:"col,omitempty"`
	Message string `json:"message"`
}

func writeCheckJSON(w io.Writer, sum *pipeline.Summary, err error) error {
	out := checkJSON{Files: sum.Readings, Errors: []string{}, Problems: []string{}, Warnings: []string{}, ErrorCells: []errorCell{},
		Records: sum.Rows, OK: err == nil}
	if out.Files == nil {
		out.Files = []pipeline.FileReading{}
	}
	for _, e := range sum.Errors {
		out.Errors = append(out.Errors, e.Error())
		var fe *engine.FileErrors
		if !errors.As(e, &fe) {
			continue
		}
		for _, x := range fe.Errs {
			var ce *engine.CellError
			if !errors.As(x, &ce) {
				continue
			}
			c := errorCell{File: ce.Src.File, Sheet: ce.Src.Sheet, Row: ce.Src.Row, Message: privacy.MaskText(engine.Printable(ce.Msg))}
			if ce.Src.Row > 0 && ce.Col >= 0 {
				c.Col = engine.ColumnName(ce.Col)
			}
			out.ErrorCells = append(out.ErrorCells, c)
		}
	}
	out.Problems = append(out.Problems, sum.Problems...)
	out.Warnings = append(out.Warnings, sum.Warnings...)
	if err != nil {
		out.Failure = err.Error()
	}
	maskAll(reflect.ValueOf(&out))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err = w.Write(jsonSafe(b.Bytes()))
	return err
}
