package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine/pipeline"
)

// version is jifen's version, shown by --version.
const version = jifen.Version

// globals are the flags every command takes.
type globals struct {
	config string
	db     string
}

const usageTemplate = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} 命令 [参数]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

参数：
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

通用参数：
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

用 “{{.CommandPath}} 命令 --help” 查看命令的说明。{{end}}
`

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "jifen",
		Short: "党员积分管理的分析与计分引擎",
		Long: `jifen（积分）读入一个单位一年的月度表格（党员名册、三会一课和主题党日签到表、测试成绩、
承诺践诺、加扣分台账），导入 DuckDB 数据库，按 config.yaml 的积分规则计分、评星、定格，
写出党员积分表（members.csv）、支部指标（indicators.csv）和可打印的附件（附件.xlsx）。`,
		Example: `  jifen run                                  # 用演示数据 datasets/demo/ 跑完整流程，输出到 ./out/
  jifen run --input 2022台账/ --out 输出/      # 导入目录下全部表格，计分，写出结果
  jifen import 2022台账/3月/*.xlsx              # 分步：只导入
  jifen score --year 2022                       # 分步：计分、评星、定格
  jifen export --out 输出/                      # 分步：写出结果
  jifen check 2022台账/                         # 只检查表格，列出全部问题，不写入
  jifen explain 张伟                            # 一名党员的积分明细和评星定格的理由
  jifen report --out out/报告.docx              # 用指标填写年度报告（内置公文模板）`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpCommand(&cobra.Command{Use: "help [命令]", Short: "显示命令的帮助", Run: func(c *cobra.Command, args []string) {
		cmd, _, err := c.Root().Find(args)
		if cmd == nil || err != nil {
			cmd = c.Root()
		}
		cmd.Help()
	}})
	root.PersistentFlags().BoolP("help", "h", false, "显示帮助")
	root.PersistentFlags().StringVar(&g.config, "config", "config.yaml", "积分规则文件（不存在时使用内置的参考方案）")
	root.PersistentFlags().StringVar(&g.db, "db", "jifen.duckdb", "DuckDB 数据库文件")
	root.AddCommand(newRunCmd(g), newImportCmd(g), newScoreCmd(g), newExportCmd(g), newCheckCmd(g), newExplainCmd(g), newReportCmd(g))
	root.AddCommand(newBackupCmd(g), newRestoreCmd(g), newHistoryCmd(g), newBenchCmd())
	chineseDefaults(root)
	root.Version = version
	root.SetVersionTemplate("jifen {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "显示版本")
	for _, c := range append(root.Commands(), root) {
		c.DisableFlagsInUseLine = true
	}
	return root
}

// options turns the global flags into pipeline options. The default ./config.yaml may be
// missing: then the built-in reference scheme is used and stderr says so (unless quiet: the
// commands that only read stored results).
func (g *globals) options(c *cobra.Command, quiet ...bool) pipeline.Options {
	opt := pipeline.Options{ConfigPath: g.config, DBPath: g.db, Log: c.ErrOrStderr()}
	if !c.Flags().Changed("config") {
		if _, err := os.Stat(g.config); errors.Is(err, os.ErrNotExist) {
			if len(quiet) == 0 || !quiet[0] {
				fmt.Fprintln(c.ErrOrStderr(), "提示：当前目录没有 config.yaml，使用内置的参考方案。")
			}
			opt.ConfigPath = ""
		}
	}
	return opt
}

// needDB refuses to go on when the database does not exist yet (rather than creating an empty
// one and failing later).
func (g *globals) needDB() error {
	if _, err := os.Stat(g.db); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("数据库 %s 不存在：请先运行 jifen run（或 jifen import 再 jifen score），或用 --db 指定数据库", g.db)
	}
	return nil
}

// progress shows a bar on a terminal, and a line every 2 seconds (and at the end) otherwise;
// while a large file is loaded, it says how many of its records are read.
func progress(w io.Writer, opt *pipeline.Options) {
	var mu sync.Mutex
	done, total, name, records := 0, 0, "", 0
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		show := func() {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("导入"),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
			}
			if records > 0 {
				bar.Describe(fmt.Sprintf("导入 %s（已读 %d 条记录）", name, records))
			} else {
				bar.Describe("导入 " + name)
			}
			bar.Set(done)
		}
		opt.OnFile = func(d, t int, n string) {
			mu.Lock()
			defer mu.Unlock()
			done, total, name, records = d, t, oneLine(n), 0
			show()
		}
		opt.OnRecords = func(n string, r int) {
			mu.Lock()
			defer mu.Unlock()
			if total > 0 {
				name, records = oneLine(n), r
				show()
			}
		}
		return
	}
	last := time.Now()
	opt.OnFile = func(d, t int, n string) {
		mu.Lock()
		defer mu.Unlock()
		done, total = d, t
		if done == total || time.Since(last) >= 2*time.Second {
			fmt.Fprintf(w, "已处理 %d/%d 个文件\n", done, total)
			last = time.Now()
		}
	}
	opt.OnRecords = func(n string, r int) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) >= 2*time.Second {
			fmt.Fprintf(w, "已处理 %d 个文件，正在导入 %s：已读 %d 条记录\n", done, oneLine(n), r)
			last = time.Now()
		}
	}
}

// report prints the problems and the closing summary of a job; the time taken only when it
// did not fail (failed), since the error follows.
func report(w io.Writer, s *pipeline.Summary, start time.Time, failed error) {
	if s == nil {
		return
	}
	for _, warn := range s.Warnings {
		fmt.Fprintln(w, "注意：", warn)
	}
	printProblems(w, s)
	for _, e := range s.Errors {
		fmt.Fprintln(w, e)
	}
	for _, r := range s.Replacements {
		fmt.Fprintln(w, r)
	}
	if s.Files > 0 {
		line := fmt.Sprintf("导入：%d 个文件，新导入 %d 个（%d 条记录）", s.Files, s.Imported, s.Rows)
		if s.Removed > 0 {
			line += fmt.Sprintf("，替换旧版本记录 %d 条", s.Removed)
		}
		if s.Dropped > 0 {
			line += fmt.Sprintf("，移除 %d 个已不在输入中的文件", s.Dropped)
		}
		if s.Unchanged > 0 {
			line += fmt.Sprintf("，%d 个已导入过（内容相同，跳过）", s.Unchanged)
		}
		if s.Ignored > 0 {
			line += fmt.Sprintf("，%d 个没有党员记录表，已跳过", s.Ignored)
		}
		if s.Rejected > 0 {
			line += fmt.Sprintf("，%d 个有错误未导入", s.Rejected)
		}
		if s.IgnoredByConfig > 0 {
			line += fmt.Sprintf("，%d 个按配置忽略", s.IgnoredByConfig)
		}
		if len(s.Problems) > 0 {
			line += fmt.Sprintf("，%d 个读表问题（结果可能不完整，用 jifen check 查看每张表是怎么读的）", len(s.Problems))
		}
		fmt.Fprintln(w, line)
	}
	if s.Scored > 0 {
		fmt.Fprintf(w, "计分：%d 年，%d 名党员\n", s.Year, s.Scored)
	}
	for _, o := range s.Outputs {
		fmt.Fprintln(w, "输出：", o)
	}
	if failed == nil {
		fmt.Fprintf(w, "用时 %.1f 秒\n", time.Since(start).Seconds())
	}
}

// chineseDefaults moves each flag's default into its Chinese usage text, since pflag would
// print it as “(default …)”.
func chineseDefaults(c *cobra.Command) {
	fix := func(f *pflag.Flag) {
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			f.Usage += "（默认 " + strings.Trim(f.DefValue, "[]") + "）"
		}
		switch f.Value.Type() {
		case "stringSlice", "stringArray", "intSlice":
			f.DefValue = "[]"
		case "int", "int64", "float64", "duration":
			f.DefValue = "0"
		case "bool":
			f.DefValue = "false"
		default:
			f.DefValue = ""
		}
	}
	c.PersistentFlags().VisitAll(fix)
	c.Flags().VisitAll(fix)
	for _, sub := range c.Commands() {
		chineseDefaults(sub)
	}
}

// noArgs refuses positional arguments, in Chinese.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s 不接受参数 “%s”（输入目录用 --input 指定；用 --help 查看用法）", c.CommandPath(), strings.Join(args, " "))
	}
	return nil
}

// needFiles wants at least one file or folder.
func needFiles(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("请给出要导入的文件或目录，例如：%s 2022台账/", c.CommandPath())
	}
	return nil
}
