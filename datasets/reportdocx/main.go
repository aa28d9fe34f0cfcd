// Command reportdocx makes datasets/report_template.docx, the report template jifen ships in
// 公文 style, from its readable source report_template.fodt (a flat ODT written by hand):
// LibreOffice converts it to .docx, then the font table is given the fonts Word and WPS fall
// back to when the 公文 fonts are not installed (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体,
// 方正小标宋简体 → 宋体) and the GB2312 character set, and the file is made the same at every run
// (fixed dates in the properties and the ZIP). Run from the source root:
//
//	go run ./datasets/reportdocx
package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"
)

// fallbacks are the fonts the 公文 fonts fall back to (w:altName): those Windows, WPS and most
// Chinese systems have.
var fallbacks = map[string]string{
	"方正小标宋简体":   "宋体",
	"仿宋_GB2312": "仿宋",
	"楷体_GB2312": "楷体",
	"黑体":        "SimHei",
	"宋体":        "SimSun",
}

// fixed is the date the template's properties and ZIP entries carry.
var fixed = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	src := flag.String("src", "datasets/reportdocx/report_template.fodt", "模板的源文件（平面 ODT）")
	out := flag.String("out", "datasets/report_template.docx", "生成的 .docx 模板")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "reportdocx:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	tmp, err := os.MkdirTemp("", "reportdocx")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(tmp, "profile"),
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("soffice 转换失败（需要 LibreOffice Writer）：%v\n%s", err, b)
	}
	name := filepath.Join(tmp, filepath.Base(src[:len(src)-len(filepath.Ext(src))])+".docx")
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	b, err = rewrite(b)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

var (
	fontElem  = regexp.MustCompile(`<w:font w:name="([^"]+)">(.*?)</w:font>`)
	charset   = regexp.MustCompile(`<w:charset w:val="[0-9A-Fa-f]+"/>`)
	dcDates   = regexp.MustCompile(`(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)`)
	appParts  = regexp.MustCompile(`<(TotalTime|Application|AppVersion)>[^<]*</(TotalTime|Application|AppVersion)>`)
	revisions = regexp.MustCompile(`<cp:revision>[^<]*</cp:revision>`)
)

// rewrite copies the .docx in b entry by entry, patching the font table and the properties.
func rewrite(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		switch f.Name {
		case "word/fontTable.xml":
			data = fontElem.ReplaceAllFunc(data, func(m []byte) []byte {
				sub := fontElem.FindSubmatch(m)
				alt, ok := fallbacks[string(sub[1])]
				if !ok {
					return m
				}
				body := charset.ReplaceAll(sub[2], []byte(`<w:charset w:val="86"/>`))
				return []byte(`<w:font w:name="` + string(sub[1]) + `"><w:altName w:val="` + alt + `"/>` + string(body) + `</w:font>`)
			})
		case "docProps/core.xml":
			data = dcDates.ReplaceAll(data, []byte("${1}"+fixed.Format(time.RFC3339)+"${2}"))
			data = revisions.ReplaceAll(data, []byte("<cp:revision>1</cp:revision>"))
		case "docProps/app.xml":
			data = appParts.ReplaceAll(data, nil)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: fixed})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
