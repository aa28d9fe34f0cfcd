// Command gen writes datasets/forms/: one small unit's year (2023) in the forms party offices
// really keep, each file named for its family and quirk. With -plain DIR it writes the same year
// in the README's plain layouts into DIR instead. Run from the module root:
//
//	go run ./datasets/formsgen/gen
//	go run ./datasets/formsgen/gen -plain /tmp/plain
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/jifen/jifen/datasets/formsgen"
)

func main() {
	dir := flag.String("dir", "datasets/forms", "写入办公室表格的目录")
	plain := flag.String("plain", "", "改为把同一年写成 README 的普通格式，写到这个目录")
	flag.Parse()
	if *plain != "" {
		if err := formsgen.WritePlain(*plain); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("已写入", *plain)
		return
	}
	notes, err := formsgen.Write(*dir, true)
	for _, n := range notes {
		fmt.Println(n)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("已写入 %s：%d 个表格\n", *dir, len(formsgen.Files()))
}
