package sheet

import (
	"archive/zip"
	"net/url"
	"path"
	"strings"
)

// The package (OPC, ECMA-376 part 2) side of an .xlsx file: part names are found whatever
// their case and whether the writer used '/' or '\' in the ZIP entry names, the workbook is the
// part the package relationships (/_rels/.rels) name as the office document, wherever it is,
// and relationship targets are resolved against the folder of the part that holds them.

// opcPackage is the parts of a ZIP file by normalised name.
type opcPackage struct {
	files map[string]*zip.File // by name with '/' separators, no leading '/'
	fold  map[string]*zip.File // by the same name in lower case (part names ignore case)
}

func newPackage(zr *zip.Reader) *opcPackage {
	p := &opcPackage{files: map[string]*zip.File{}, fold: map[string]*zip.File{}}
	for _, f := range zr.File {
		n := partName(f.Name)
		p.files[n] = f // the last of equal names, as excelize
		p.fold[strings.ToLower(n)] = f
	}
	return p
}

// partName normalises a ZIP entry name or a part name: '/' separators, no leading '/'.
func partName(n string) string {
	return strings.TrimPrefix(strings.ReplaceAll(n, "\\", "/"), "/")
}

// file finds a part by name: exactly, else ignoring case.
func (p *opcPackage) file(name string) *zip.File {
	if f := p.files[name]; f != nil {
		return f
	}
	return p.fold[strings.ToLower(name)]
}

// relsPath is the relationships part of a part ("" for the package itself).
func relsPath(part string) string {
	dir, base := path.Split(part)
	return dir + "_rels/" + base + ".rels"
}

// resolveTarget resolves a relationship's target against the part that holds it ("" for the
// package): an absolute target from the package root, a relative one from the part's folder;
// backslashes are separators and %XX escapes are decoded, as in a URI.
func resolveTarget(source, target string) string {
	t := strings.ReplaceAll(target, "\\", "/")
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	if strings.HasPrefix(t, "/") {
		return strings.TrimPrefix(path.Clean(t), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir("/"+source)+"/"+t), "/")
}

// The kinds of sheet a workbook lists, by the type of its relationship.
type sheetKind int

const (
	kindWorksheet sheetKind = iota
	kindChartsheet
	kindMacrosheet // an Excel 4.0 (XLM) macro sheet
	kindDialogsheet
)

func sheetKindOf(relType, part string) sheetKind {
	t := relType[strings.LastIndexByte(relType, '/')+1:]
	switch {
	case t == "chartsheet" || t == "" && strings.Contains(part, "chartsheets/"):
		return kindChartsheet
	case t == "xlMacrosheet" || t == "macrosheet" || t == "xlIntlMacrosheet" || t == "" && strings.Contains(part, "macrosheets/"):
		return kindMacrosheet
	case t == "dialogsheet" || t == "" && strings.Contains(part, "dialogsheets/"):
		return kindDialogsheet
	}
	return kindWorksheet
}

// skipReason is what Read says of a sheet that is not a worksheet (as the .xls reader says).
func (k sheetKind) skipReason() string {
	switch k {
	case kindChartsheet:
		return "不是工作表（图表），已跳过"
	case kindMacrosheet:
		return "不是工作表（宏表），已跳过"
	case kindDialogsheet:
		return "不是工作表（对话框），已跳过"
	}
	return ""
}
