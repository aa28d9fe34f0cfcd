package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
)

// An .xlsx with an opening password is an ECMA-376 encrypted package: a compound file with an
// EncryptionInfo and an EncryptedPackage stream (the ZIP, encrypted). One encrypted with
// Excel's default password (VelvetSweatshop: Excel opens it without asking; see crypt.go) is
// decrypted in memory, never written to disk, and read by the streaming reader; one with a
// password of its own is refused.

// maxEncryptedXLSX bounds the size of an encrypted .xlsx (bytes), and so of its decrypted ZIP:
// both are held in memory, with excelize's copies while it decrypts (some 3 times the file). A
// compressed .xlsx of a large unit's year stays far below it.
var maxEncryptedXLSX int64 = 100 << 20

func readEncryptedXLSX(path, name string, size int64, mergesFirst bool) ([]Table, []Skipped, error) {
	if size > maxEncryptedXLSX {
		return nil, nil, &LimitError{fmt.Sprintf("%s: 加密的工作簿太大（%d MB，最多 %d MB）：请在 Excel/WPS 中取消密码后另存为 .xlsx",
			name, (size+1<<19)>>20, maxEncryptedXLSX>>20)}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: 无法读取：%v", name, err)
	}
	plain, err := decryptPackage(raw)
	switch {
	case errors.Is(err, errPackageDamaged):
		return nil, nil, damaged(name, err)
	case err != nil:
		return nil, nil, &xlsError{msg: errEncrypted(name), cause: err}
	}
	zr, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil { // a wrong key gives bytes that are no ZIP
		return nil, nil, &xlsError{msg: errEncrypted(name), cause: fmt.Errorf("decrypted package: %w", err)}
	}
	if fastInflate {
		zr.RegisterDecompressor(zip.Deflate, newKlauspostReader)
	}
	if err := checkUnzipped(name, zr); err != nil {
		return nil, nil, err
	}
	wb, err := openWorkbook(zr, nil)
	if err != nil {
		return nil, nil, damaged(name, err)
	}
	defer wb.Close()
	tables, skipped, err := workbookTables(wb, "", name, mergesFirst)
	if err != nil {
		var limit *LimitError
		if errors.As(err, &limit) {
			return nil, nil, err
		}
		return nil, nil, damaged(name, err)
	}
	return tables, skipped, nil
}

// errPackageDamaged: the encrypted package declares more bytes than its stream holds.
var errPackageDamaged = errors.New("EncryptedPackage declares more bytes than it holds")

// decryptPackage decrypts an encrypted package with the default password. The decrypted size
// (the first 8 bytes of EncryptedPackage) is checked against the stream before excelize
// allocates for it.
func decryptPackage(raw []byte) (plain []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			plain, err = nil, fmt.Errorf("decrypt: panic: %v", r)
		}
	}()
	doc, err := mscfb.New(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	var declared int64 = -1
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if len(e.Path) == 0 && strings.EqualFold(e.Name, "EncryptedPackage") {
			var h [8]byte
			if _, err := io.ReadFull(e, h[:]); err != nil {
				return nil, fmt.Errorf("EncryptedPackage: %w", err)
			}
			n := binary.LittleEndian.Uint64(h[:])
			if n > uint64(e.Size) { // so it is bounded by the file's size, itself bounded
				return nil, errPackageDamaged
			}
			declared = int64(n)
		}
	}
	if declared < 0 {
		return nil, errors.New("no EncryptedPackage stream")
	}
	plain, err = excelize.Decrypt(raw, &excelize.Options{Password: defaultPassword})
	if err != nil {
		return nil, err
	}
	if plain == nil {
		return nil, errors.New("decrypt: unsupported encryption (extensible)")
	}
	return plain, nil
}
