// Command jifen is the CLI of the jifen scoring engine: cobra wiring only; the work is done by
// engine/pipeline.
package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/jifen/jifen/datasets/big/bench"
	"github.com/jifen/jifen/engine/sheet"
	"github.com/jifen/jifen/engine/store"
)

func main() {
	sheet.ServeChild()   // when this process is an .xls parsing child: parse, print, exit
	store.PrivateUmask() // every file jifen creates is the owner's only (0600, folders 0700)

	sheet.CleanStaleTemp() // excelize's temporary folders left by a killed jifen
	root := newRoot()
	stderr := terminalWriter{os.Stderr}
	root.SetOut(terminalWriter{os.Stdout})
	root.SetErr(stderr)
	err := root.Execute()
	bench.RecordPeak() // when jifen bench runs this process: its peak memory
	if err != nil {
		fmt.Fprintln(stderr, "错误：", chinese(err.Error()))
		os.Exit(1)
	}
}

// cobraMessages are the English messages cobra and pflag give for a mistyped command line.
var cobraMessages = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"`), `未知的命令 “$1”（用 “$2 --help” 查看可用的命令）`},
	{regexp.MustCompile(`^unknown flag: (.*)`), `未知的参数 $1（用 --help 查看可用的参数）`},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (.*)`), `未知的参数 -$1（用 --help 查看可用的参数）`},
	{regexp.MustCompile(`^flag needs an argument: (.*)`), `参数 $1 需要一个值`},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: .*`), `参数 $2 的值 “$1” 无效`},
	{regexp.MustCompile(`^unknown command "(.*)"`), `未知的命令 “$1”`},
}

// chinese translates cobra's English command-line errors, and DuckDB's running out of memory
// (its English advice on settings dropped); jifen's own errors are Chinese.
func chinese(msg string) string {
	if text, ok := store.DiskFullText(msg); ok {
		return text
	}
	if i := strings.Index(msg, "Out of Memory Error"); i >= 0 {
		return msg[:i] + "内存不足：这台电脑的可用内存不够完成这一步。请关闭其他程序后重试，或换一台内存更大的电脑"
	}
	for _, m := range cobraMessages {
		if m.re.MatchString(msg) {
			msg = m.re.ReplaceAllString(msg, m.repl)
			break
		}
	}
	return strings.TrimSpace(strings.SplitN(msg, "\nRun '", 2)[0])
}
