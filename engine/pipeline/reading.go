package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/importer"
	"github.com/jifen/jifen/engine/scoring"
	"github.com/jifen/jifen/engine/store"
	"github.com/jifen/jifen/rules"
)

// FileReading is how one input file was read: what became of it and each sheet's reading
// (importer.Reading). `jifen check` prints it; `jifen check --json` gives it as is.
type FileReading struct {
	File   string              `json:"file"`
	Status string              `json:"status"`
	Sheets []*importer.Reading `json:"sheets,omitempty"`
	at     int                 // its place among the inputs
}

// What became of a file (FileReading.Status).
const (
	StatusImported  = "已导入"
	StatusChecked   = "读取无误，可以导入"
	StatusUnchanged = "与已导入的内容相同，未重新读取（表内记录数见上次导入）"
	StatusRejected  = "有错误，未导入"
	StatusNoRecords = "没有记录表，已跳过"
	StatusUnread    = "有认不出的表格，未计入"
	StatusIgnored   = importer.IgnoredByConfig
)

// ErrProblems is returned (wrapped) when the readings have problems (a table read into
// nothing, a column used for nothing, a rule item matching nothing while a column was left
// unused): the rest was imported, but the results may be incomplete.
var ErrProblems = errors.New("有读表问题，结果可能不完整")

// noteReading adds a file's reading to the summary, in input order (at), and its problems.
func (sum *Summary) noteReading(at int, name, status string, f *importer.File) {
	fr := FileReading{File: name, Status: status, at: at}
	if f != nil {
		f.Finish()
		fr.Sheets = f.Readings()
		sum.Problems = append(sum.Problems, f.Problems()...)
	}
	sum.Readings = append(sum.Readings, fr)
}

// sortReadings puts the readings in input order (rosters are imported first). Two inputs may
// have the same name (a/2022台账/x.csv and b/2022台账/x.csv): the order is by place, not name.
func (sum *Summary) sortReadings() {
	slices.SortStableFunc(sum.Readings, func(a, b FileReading) int { return a.at - b.at })
}

// excluded is what of a file read the figures leave out: the whole file when it was rejected,
// else its sheets not read (a table jifen could not read, one read into nothing) and its
// columns used for nothing that are problems.
func excluded(abs, name string, rejected bool, f *importer.File) []store.Excluded {
	if rejected {
		return []store.Excluded{{Path: abs, Name: name, Reason: StatusRejected}}
	}
	if f == nil {
		return nil
	}
	var out []store.Excluded
	for _, r := range f.Readings() {
		if r.Unread != "" {
			out = append(out, store.Excluded{Path: abs, Name: name, Sheet: r.Sheet, Reason: r.Unread + "，整张表未计入"})
			continue
		}
		var cols []string
		for _, c := range r.Unused {
			if c.IsProblem() {
				cols = append(cols, c.Col+" “"+c.Header+"”")
			}
		}
		if len(cols) > 0 {
			out = append(out, store.Excluded{Path: abs, Name: name, Sheet: r.Sheet, Reason: unusedReason(few(cols))})
		}
	}
	return out
}

// noteExcluded keeps in the store what of the file the figures leave out (nothing: the file
// is wholly in them). A check keeps nothing (its store is private).
func (j *Job) noteExcluded(ctx context.Context, path, name string, rejected bool, f *importer.File) error {
	if j.checking {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	items := excluded(abs, name, rejected, f)
	if rejected {
		// An earlier version of the file may still be in the figures.
		if _, ok, err := j.Store.FileByPath(ctx, abs); err == nil && ok {
			items[0].Reason = "有错误，新版本未导入（结果用的是上次导入的版本）"
		}
	}
	return j.Store.SetExcluded(ctx, abs, items)
}

// ExcludedNote is the note the outputs open with when the figures leave out files or parts
// of them: 注意：以下文件（或其中部分）未计入本文件中的数字：a.xlsx（有错误，未导入）；…. "" when
// nothing is left out (what config's import.ignore names is never listed).
func ExcludedNote(ctx context.Context, st *store.Store, year int) (string, error) {
	ex, err := st.ExcludedFiles(ctx)
	if err != nil {
		return "", err
	}
	// Values outside their range, stored by an earlier version: scoring leaves them out.
	n, err := scoring.OutOfRange(ctx, st.DB, year)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, e := range ex {
		parts = append(parts, engine.Location(e.Name, e.Sheet)+"（"+e.Reason+"）")
	}
	var notes []string
	if len(parts) > 0 {
		notes = append(notes, fmt.Sprintf("注意：以下 %d 处文件或表格未计入（或未完全计入）本文件中的数字：%s。请用 jifen check 查看原因，改正后重新运行 jifen run。",
			len(parts), strings.Join(parts, "；")))
	}
	if n > 0 {
		notes = append(notes, fmt.Sprintf("注意：数据库中有 %d 处数值超出范围（早先的版本导入的），这些记录未计入本文件中的数字：jifen score 逐条列出文件、工作表和行，请改正原表格后重新运行 jifen run。", n))
	}
	return strings.Join(notes, ""), nil
}

// sourceKinds are the kinds of sheet (importer.Reading.Kind) whose records each source of
// the scoring rules reads.
var sourceKinds = map[string][]string{
	rules.SourceAttendance:  {"签到", "登记簿"},
	rules.SourceTests:       {"测试"},
	rules.SourcePledges:     {"承诺"},
	rules.SourceLedger:      {"台账"},
	rules.SourceAssessments: {"评价"},
}

// ruleProblems are the problems of rule items that matched nothing (scoring's warnings, which
// is the item of each) while a column of a sheet of the item's source was used for nothing
// (not a running number, not ignored by config): the column may well be what the item should
// read — an unread 践诺评定 column and a 践诺 item matching nothing. The other warnings are
// returned as they are.
func ruleProblems(cfg *rules.Config, warnings []string, which [][2]int, readings []FileReading) (problems, rest []string) {
	for i, w := range warnings {
		var cols []string
		if i < len(which) {
			src := cfg.Scoring.Categories[which[i][0]].Items[which[i][1]].Source
			for _, fr := range readings {
				for _, r := range fr.Sheets {
					if !slices.Contains(sourceKinds[src], r.Kind) {
						continue
					}
					for _, c := range r.Unused {
						if c.IsProblem() {
							cols = append(cols, engine.Location(r.File, r.Sheet)+" 列 "+c.Col+" “"+c.Header+"”")
						}
					}
				}
			}
		}
		if len(cols) == 0 {
			rest = append(rest, w)
			continue
		}
		ci, ii := which[i][0], which[i][1]
		problems = append(problems, fmt.Sprintf("scoring.categories[%d].items[%d]（%s）今年没有匹配到任何记录，而这些列有内容却没有使用，可能正是它该读的：%s。"+
			"请把该读的列的表头改成 config.yaml 的 import.headers 中的写法，或核对这一项的条件；这些列确实不需要的，请在 config.yaml 的 import.ignore 中写明（不要改动或删除原表格）",
			ci, ii, scoring.DescribeItem(cfg.Scoring.Categories[ci].Name, cfg.Scoring.Categories[ci].Items[ii]), few(cols)))
	}
	return problems, rest
}

// few joins the first five of a list, and counts the rest: A、B、C、D、E 等 9 列.
func few(cols []string) string {
	if len(cols) <= 5 {
		return strings.Join(cols, "、")
	}
	return fmt.Sprintf("%s 等 %d 列", strings.Join(cols[:5], "、"), len(cols))
}

// unchangedProblems adds the problems of a file not read again (its content was imported
// before) that only reading it finds — a table read into nothing — from what its import noted
// as left out; the problems its sheets' readings show without reading (unused columns) are
// already in the summary.
func (j *Job) unchangedProblems(ctx context.Context, f *importer.File, sum *Summary) error {
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		abs = f.Path
	}
	items, err := j.Store.ExcludedOf(ctx, abs)
	if err != nil {
		return err
	}
	for _, e := range items {
		if isUnusedReason(e.Reason) {
			continue // an unused column: its reading says so again
		}
		sum.Problems = append(sum.Problems, engine.Location(e.Name, e.Sheet)+": "+e.Reason+"（上次导入时发现；文件内容没有变，未重新读取）")
	}
	return nil
}

// unusedReason is the stored reason of columns used for nothing (列 G “入党介绍人” 没有使用), and
// isUnusedReason tells it from the reasons of whole files and sheets: one place knows its form.
func unusedReason(cols string) string { return "列 " + cols + " 没有使用" }

func isUnusedReason(reason string) bool {
	return strings.HasPrefix(reason, "列 ") && strings.HasSuffix(reason, " 没有使用")
}
