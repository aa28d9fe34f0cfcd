package sheet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/richardlehane/mscfb"
)

// Workbooks that the .xls library used before (github.com/pbnjay/grate) dropped text from,
// garbled, or refused, and encrypted workbooks Excel opens without asking. The hand-made ones
// come from testdata/gen/biff.go; LibreOffice reads each of them with the same cells as below
// (checked with `soffice --convert-to csv`).

// biff8_label.xls: text in LABEL records, as older BIFF writers store it (grate gave every
// such cell empty, with no error), next to shared strings, numbers and formulas.
var labelBookRows = []Table{{
	File: "biff8_label.xls", Sheet: "名单",
	Rows: [][]string{
		{"姓名", "支部", "备注"},                   // LABEL, 2 bytes a character
		{"张伟", "第一党支部", "café ±0.5°"},        // the last one LABEL with 1 byte a character (Latin-1)
		{"王芳", "No.2 第二党支部", "25°C"},         // shared strings ("No." then "2 第二党支部" after a CONTINUE); ="25°C"
		{"李强", "85.5", "1\u00a0000", "张伟同志"}, // RK 8550/100; formulas with Latin-1 (a no-break space) and Chinese results
		{},
		{"合计", "3"}, // NUMBER 3.0
	},
}}

func TestLabelRecords(t *testing.T) {
	checkRead(t, filepath.Join(td, "biff8_label.xls"), labelBookRows, nil)
}

// Formula results of Latin-1 characters, written by LibreOffice: a BIFF8 STRING record stores
// them one byte a character (grate turned each into "�").
func TestLatin1FormulaResults(t *testing.T) {
	checkRead(t, filepath.Join(td, "libreoffice_latin1_formulas.xls"), []Table{{
		File: "libreoffice_latin1_formulas.xls", Sheet: "设备",
		Rows: [][]string{
			{"设备", "温度", "误差", "备注"},
			{"冷库", "-18°C", "±0.5", "café"},    // ="-18"&"°C", ="±"&"0.5", ="caf"&"é"
			{"仓库", "1\u00a0000", "12.5", "正常"}, // ="1"&UNICHAR(160)&"000"
		},
	}}, nil)
}

// Excel 5.0/95 workbooks (BIFF5, a stream named Book or BOOK): text in the workbook's code
// page, GBK (936) or Windows-1252; the sheet name too.
func TestBIFF5(t *testing.T) {
	checkRead(t, filepath.Join(td, "biff5_book_gbk.xls"), []Table{{
		File: "biff5_book_gbk.xls", Sheet: "考勤",
		Rows: [][]string{{"姓名", "成绩"}, {"张伟", "85.5", "第一党支部"}}, // the last a formula's text
	}}, nil)
	checkRead(t, filepath.Join(td, "biff5_upper_book_1252.xls"), []Table{{
		File: "biff5_upper_book_1252.xls", Sheet: "Relevé",
		Rows: [][]string{{"Température", "Note"}, {"Café ±0,5 °C", "85.5", "25\u00a0°C"}},
	}}, nil)
}

// LibreOffice's .xls of chineseDates, its workbook stream renamed WORKBOOK, in a compound file
// whose header and root entry carry Excel's class id (as WPS writes them): the same cells.
func TestWPSContainer(t *testing.T) {
	checkRead(t, filepath.Join(td, "wps_workbook_upper_clsid.xls"),
		withFile(chineseDates, "wps_workbook_upper_clsid.xls"), hiddenSkipped)
}

// Workbooks encrypted with Excel's default password open like any other: .xls by RC4
// (LibreOffice), RC4 CryptoAPI (as Excel 2003+ writes) and XOR obfuscation (Excel 95); .xlsx
// by ECMA-376 standard encryption (excelize; LibreOffice 7.4 saves an .xlsx unencrypted even
// when given a password through UNO).
func TestDefaultPassword(t *testing.T) {
	formulas := [][]string{{"设备", "温度", "误差", "备注"}, {"冷库", "-18°C", "±0.5", "café"}, {"仓库", "1\u00a0000", "12.5", "正常"}}
	for _, name := range []string{"velvet_libreoffice.xls", "velvet_excelize.xlsx"} {
		t.Run(name, func(t *testing.T) {
			checkRead(t, filepath.Join(td, name), []Table{{File: name, Sheet: "设备", Rows: formulas}}, nil)
		})
	}
	t.Run("velvet_cryptoapi.xls", func(t *testing.T) {
		want := withFile(labelBookRows, "velvet_cryptoapi.xls")
		checkRead(t, filepath.Join(td, "velvet_cryptoapi.xls"), want, nil)
	})
	t.Run("velvet_xor_biff5.xls", func(t *testing.T) {
		checkRead(t, filepath.Join(td, "velvet_xor_biff5.xls"), []Table{{
			File: "velvet_xor_biff5.xls", Sheet: "考勤",
			Rows: [][]string{{"姓名", "成绩"}, {"张伟", "85.5", "第一党支部"}},
		}}, nil)
	})
}

// A password of its own stays refused, in every encryption.
func TestOwnPasswordRefused(t *testing.T) {
	for _, name := range []string{"password_cryptoapi.xls", "password_xor_biff5.xls", "encrypted_xls.xls", "encrypted.xlsx"} {
		t.Run(name, func(t *testing.T) {
			err := checkErr(t, filepath.Join(td, name), name+": 工作簿设有打开密码（已加密）：请在 Excel/WPS 中取消密码后另存为 .xlsx")
			// The .xls child reports its cause as text.
			if c := errors.Unwrap(err); name != "encrypted.xlsx" && (c == nil || c.Error() != errWrongPassword.Error()) {
				t.Errorf("cause %v, want %v", c, errWrongPassword)
			}
		})
	}
}

// The decrypted size of an encrypted .xlsx comes from its stream's first 8 bytes: more than the
// stream holds is damaged (excelize would allocate it); a file over the limit is refused unread.
func TestEncryptedPackageSize(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(td, "velvet_excelize.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := mscfb.New(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	size := make([]byte, 8)
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if e.Name == "EncryptedPackage" {
			if _, err := io.ReadFull(e, size); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := binary.LittleEndian.Uint64(size); n == 0 || bytes.Count(raw, size) != 1 {
		t.Fatalf("the declared size %d is not found once in the file", n)
	}
	at := bytes.Index(raw, size)
	write := func(name string, n uint64) string {
		bad := bytes.Clone(raw)
		binary.LittleEndian.PutUint64(bad[at:], n)
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	checkErr(t, write("absurd.xlsx", 1<<40), "absurd.xlsx: 无法打开工作簿（文件可能已损坏）：请用 Excel/WPS 打开后另存为 .xlsx")
	defer func(n int64) { maxEncryptedXLSX = n }(maxEncryptedXLSX)
	maxEncryptedXLSX = int64(len(raw)) - 1
	checkErr(t, filepath.Join(td, "velvet_excelize.xlsx"), "velvet_excelize.xlsx: 加密的工作簿太大（0 MB，最多 0 MB）：请在 Excel/WPS 中取消密码后另存为 .xlsx")
}

// decodeCodePage: BIFF5 text in the workbook's code page.
func TestDecodeCodePage(t *testing.T) {
	for _, c := range []struct {
		cp   uint16
		in   []byte
		want string
	}{
		{1252, []byte{0xB0, 0xB1, 0xE9, 0xA0, 0x80}, "°±é\u00a0€"}, // 0x80 is € in 1252, not in Latin-1
		{1251, []byte{0xCF, 0xF0, 0xE8}, "При"},
		{936, []byte{0xD5, 0xC5, 0xCE, 0xB0}, "张伟"},
		{1200, []byte{0xE9}, "é"},  // UTF-16 declared in BIFF5: Latin-1
		{4242, []byte{0xE9}, "é"},  // unknown: Windows-1252
		{32769, []byte{0x80}, "€"}, // Excel's number for 1252
	} {
		if got := decodeCodePage(c.cp, c.in); got != c.want {
			t.Errorf("decodeCodePage(%d, % x) = %q, want %q", c.cp, c.in, got, c.want)
		}
	}
}

// FuzzBIFF: no workbook stream makes the reader panic or loop (it runs in a child process that
// would turn either into the damaged-file message, but only after the time limit).
func FuzzBIFF(f *testing.F) {
	for _, name := range []string{"biff8_label.xls", "biff5_book_gbk.xls", "velvet_cryptoapi.xls",
		"velvet_xor_biff5.xls", "libreoffice_chinese_dates.xls", "velvet_libreoffice.xls"} {
		s, err := workbookStream(filepath.Join(td, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		b, err := scanGlobals(s, false)
		if err != nil {
			return
		}
		if b.filePass != nil {
			if s, err = decryptBIFF(s, b.filePass, b.biff5); err != nil {
				return
			}
			if b, err = scanGlobals(s, true); err != nil {
				return
			}
		}
		for _, sh := range b.sheets {
			scanSheet(s, b, sh.pos)
		}
	})
}
