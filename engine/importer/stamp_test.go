package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jifen/jifen/engine/sheet"
)

// A file rewritten after Load hashed it and before its sheets were read (the read function is
// wrapped: it waits for the hash, of the original, to be done, then writes the edit) is refused
// with what changed, or, had the hash seen the edit, hashed as the bytes read: never the hash of
// one version with the tables of another.
func TestLoadFileChangedWhileRead(t *testing.T) {
	c := config(t)
	const head = "党员编号,姓名,所在支部,党员类别\n"
	original := head + "B1,甲,一支部,正式党员\n"
	for _, edit := range []string{
		head + "B1,甲,一支部,正式党员\nB2,乙,一支部,正式党员\n", // another size
		head + "B1,乙,一支部,正式党员\n",                // the same size (甲, 乙: 3 bytes each)
	} {
		path := filepath.Join(t.TempDir(), "名册.csv")
		if err := os.WriteFile(path, []byte(original), 0o644); err != nil {
			t.Fatal(err)
		}
		read := func(p string) ([]sheet.Table, []sheet.Skipped, error) {
			time.Sleep(50 * time.Millisecond) // the hash of a small file is done by then
			if err := os.WriteFile(p, []byte(edit), 0o644); err != nil {
				t.Fatal(err)
			}
			return sheet.Read(p)
		}
		f, err := loadWith(path, "名册.csv", c, read)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "名册.csv: 读取时文件被修改了（") || !strings.HasSuffix(msg, "变了），请关闭正在编辑它的程序后重试") {
				t.Errorf("error = %q, want 名册.csv: 读取时文件被修改了（…变了），请关闭正在编辑它的程序后重试", msg)
			}
			continue
		}
		sum := sha256.Sum256([]byte(edit))
		if f.Hash != hex.EncodeToString(sum[:]) {
			t.Errorf("edit %q read and not refused, but hashed %s: not the bytes read", edit, f.Hash)
		}
	}
}
