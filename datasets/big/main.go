// Command big writes a large long-layout attendance workbook and its roster, for measuring
// import speed (issue 6). The output is deterministic: the same flags give the same cells.
//
// Usage, from the module root:
//
//	go run ./datasets/big                         # 100000 rows, 2000 members, into ./big/
//	go run ./datasets/big -rows 1000000 -members 50000 -out /tmp/big
//
// It writes two files into -out:
//
//	考勤.xlsx      sheet 考勤: a title merged over A1:G1, the header 党员编号, 姓名, 所在支部,
//	               活动类型, 活动日期, 出勤情况, 备注 in row 2, then -rows rows, one per member per
//	               activity (each activity lists every member in turn); strings are shared
//	               (-inline: inline, as excelize's StreamWriter writes them), dates are
//	               serial numbers with a yyyy-mm-dd style
//	党员名册.xlsx  sheet 党员名册: 党员编号, 姓名, 所在支部, 党员类别, 党内职务, 入党时间 for the
//	               -members members
//
// Memory stays bounded whatever -rows is (excelize's StreamWriter); it grows with -members.
// The generator is datasets/big/bigxlsx, which benchmarks call directly.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/jifen/jifen/datasets/big/bigxlsx"
)

func main() {
	rows := flag.Int("rows", 100000, "data rows of the attendance sheet")
	members := flag.Int("members", 2000, "distinct members")
	year := flag.Int("year", 2022, "year of the activities")
	out := flag.String("out", "big", "output folder")
	inline := flag.Bool("inline", false, "write the attendance sheet's strings inline (t=\"inlineStr\"), not shared")
	flag.Parse()
	if *rows < 1 || *members < 1 {
		log.Fatal("-rows and -members must be at least 1")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	o := bigxlsx.Options{Rows: *rows, Members: *members, Year: *year, Inline: *inline}
	start := time.Now()
	att := filepath.Join(*out, "考勤.xlsx")
	if err := bigxlsx.WriteAttendance(att, o); err != nil {
		log.Fatal(err)
	}
	roster := filepath.Join(*out, "党员名册.xlsx")
	if err := bigxlsx.WriteRoster(roster, o); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s（%d 行）、%s（%d 人），用时 %.1f 秒\n", att, *rows, roster, *members, time.Since(start).Seconds())
}
