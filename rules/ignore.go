package rules

import (
	"fmt"
	"path"
	"strings"
)

// IgnoreEntry is one entry of import.ignore: the files (a glob on the file's name below the
// input folder, or on its base name), and within them a sheet (empty: every sheet) and columns
// (headers as written; empty: the whole sheet, or the whole file when Sheet is empty too) that
// the user wants jifen to leave alone. What is ignored is listed in the reading as ignored by
// config and is not a problem.
type IgnoreEntry struct {
	File    string   `mapstructure:"file"`
	Sheet   string   `mapstructure:"sheet"`
	Columns []string `mapstructure:"columns"`
}

// matchFile reports whether the entry's glob matches the file name (below the input folder,
// with /) or its base name.
func (e IgnoreEntry) matchFile(name string) bool {
	name = strings.ReplaceAll(name, "\\", "/")
	if ok, _ := path.Match(e.File, name); ok {
		return true
	}
	ok, _ := path.Match(e.File, path.Base(name))
	return ok
}

// IgnoresFile reports whether import.ignore leaves the whole file alone.
func (im Import) IgnoresFile(name string) bool {
	for _, e := range im.Ignore {
		if e.Sheet == "" && len(e.Columns) == 0 && e.matchFile(name) {
			return true
		}
	}
	return false
}

// IgnoresSheet reports whether import.ignore leaves the sheet (or its whole file) alone.
func (im Import) IgnoresSheet(name, sheet string) bool {
	for _, e := range im.Ignore {
		if len(e.Columns) == 0 && (e.Sheet == "" || e.Sheet == strings.TrimSpace(sheet)) && e.matchFile(name) {
			return true
		}
	}
	return false
}

// IgnoresColumn reports whether import.ignore names the column headed header (as written,
// spaces aside) of the sheet.
func (im Import) IgnoresColumn(name, sheet, header string) bool {
	h := Normalize(header)
	if h == "" {
		return false
	}
	for _, e := range im.Ignore {
		if (e.Sheet != "" && e.Sheet != strings.TrimSpace(sheet)) || !e.matchFile(name) {
			continue
		}
		for _, c := range e.Columns {
			if Normalize(c) == h {
				return true
			}
		}
	}
	return false
}

// validateIgnore checks import.ignore: every entry names files by a valid glob.
func (c *Config) validateIgnore(add func(string, string, ...any)) {
	for i, e := range c.Import.Ignore {
		p := fmt.Sprintf("import.ignore[%d]", i)
		if strings.TrimSpace(e.File) == "" {
			add(p+".file", "不能为空（文件名或通配符，如 \"*填表说明*\" 或 \"3月/工作台账.xlsx\"）")
			continue
		}
		if _, err := path.Match(e.File, ""); err != nil {
			add(p+".file", "通配符 “%s” 无效", e.File)
		}
		for j, col := range e.Columns {
			if strings.TrimSpace(col) == "" {
				add(fmt.Sprintf("%s.columns[%d]", p, j), "不能为空")
			}
		}
	}
}
