// Command jifen is the CLI of the jifen scoring engine: cobra wiring only; the work is done by
// engine/pipeline.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(1)
	}
}
