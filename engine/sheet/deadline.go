package sheet

import (
	"fmt"
	"time"
)

// xlsxTimeLimit bounds the reading of one .xlsx workbook by Read (every sheet, the streaming
// reader or excelize's), as xlsTimeout bounds an .xls: the streaming reader takes about 1 s
// for 200 000 rows, so only a damaged or crafted file (or the excelize fallback on a very
// large one) comes near it. A variable so that tests can shorten it.
var xlsxTimeLimit = 60 * time.Second

// errTimeLimit is the error of a read past its deadline.
func errTimeLimit() error {
	return &sheetLimitError{LimitError{fmt.Sprintf("读取超过 %d 秒仍未完成（文件可能已损坏或是恶意构造的）：请用 Excel/WPS 打开后另存为 .xlsx", int(xlsxTimeLimit/time.Second))}}
}

// pastDeadline reports whether a deadline (zero: none) has passed.
func pastDeadline(d time.Time) bool { return !d.IsZero() && time.Now().After(d) }
