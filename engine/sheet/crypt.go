package sheet

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Decryption of an .xls encrypted with Excel's default password. Excel encrypts a workbook
// whose structure or windows are protected, or that is saved "write-protected", with the
// password "VelvetSweatshop" and opens it without asking; such a workbook is no secret and is
// read like any other. One with a password of its own is refused (errEncrypted).
//
// [MS-XLS] 2.2.10 and [MS-OFFCRYPTO] 2.3.5–2.3.7: a FILEPASS record in the globals says how the
// stream is encrypted: XOR obfuscation (BIFF5, and BIFF8 type 0), RC4 (BIFF8, version 1.1) or
// RC4 CryptoAPI (versions 2–4.2). Record headers are never encrypted, nor the data of BOF,
// FILEPASS, USREXCL, FILELOCK, INTERFACEHDR, RRDINFO and RRDHEAD, nor the first 4 bytes of
// BOUNDSHEET (the sheet's position); RC4 still counts them in the key stream, which starts
// again with a new key every 1024 bytes of the stream.

const defaultPassword = "VelvetSweatshop"

// errWrongPassword: the workbook has a password of its own.
var errWrongPassword = errors.New("biff: the default password does not open the workbook")

// decryptBIFF returns the stream decrypted with the default password.
func decryptBIFF(s, filePass []byte, biff5 bool) ([]byte, error) {
	if biff5 {
		return decryptXOR(s, filePass)
	}
	if len(filePass) < 2 {
		return nil, fmt.Errorf("%w: FILEPASS of %d bytes", errFilePass, len(filePass))
	}
	switch binary.LittleEndian.Uint16(filePass) {
	case 0:
		return decryptXOR(s, filePass[2:])
	case 1:
		return decryptRC4(s, filePass[2:])
	}
	return nil, fmt.Errorf("%w: unknown encryption type %d", errFilePass, binary.LittleEndian.Uint16(filePass))
}

// passwordUTF16 is the password as UTF-16LE bytes.
func passwordUTF16(p string) []byte {
	u := utf16.Encode([]rune(p))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// decryptRC4 handles RC4 ([MS-OFFCRYPTO] 2.3.6: MD5 keys) and RC4 CryptoAPI (2.3.5: SHA-1 keys).
func decryptRC4(s, info []byte) ([]byte, error) {
	if len(info) < 4 {
		return nil, fmt.Errorf("%w: short RC4 header", errFilePass)
	}
	major, minor := binary.LittleEndian.Uint16(info), binary.LittleEndian.Uint16(info[2:])
	var key func(block uint32) []byte
	var verifier, verifierHash []byte
	var hash func([]byte) []byte
	switch {
	case major == 1 && minor == 1: // RC4: salt, encrypted verifier, encrypted verifier hash (16 each)
		if len(info) < 4+48 {
			return nil, fmt.Errorf("%w: short RC4 header", errFilePass)
		}
		salt := info[4:20]
		verifier, verifierHash = info[20:36], info[36:52]
		h0 := md5.Sum(passwordUTF16(defaultPassword))
		buf := make([]byte, 0, 16*21)
		for range 16 {
			buf = append(buf, h0[:5]...)
			buf = append(buf, salt...)
		}
		h1 := md5.Sum(buf)
		key = func(block uint32) []byte {
			k := md5.Sum(binary.LittleEndian.AppendUint32(bytes.Clone(h1[:5]), block))
			return k[:]
		}
		hash = func(b []byte) []byte { h := md5.Sum(b); return h[:] }
	case (major == 2 || major == 3 || major == 4) && minor == 2: // RC4 CryptoAPI
		// flags (4), header size (4), header (AlgID at 8, KeySize at 16), verifier: salt size
		// (4), salt (16), encrypted verifier (16), verifier hash size (4), its hash (20).
		p := info[4:]
		if len(p) < 8 {
			return nil, fmt.Errorf("%w: short CryptoAPI header", errFilePass)
		}
		hsize := int(binary.LittleEndian.Uint32(p[4:]))
		if hsize < 32 || hsize > len(p)-8 {
			return nil, fmt.Errorf("%w: CryptoAPI header of %d bytes", errFilePass, hsize)
		}
		header, v := p[8:8+hsize], p[8+hsize:]
		if alg := binary.LittleEndian.Uint32(header[8:]); alg != 0x6801 && alg != 0 { // CALG_RC4
			return nil, fmt.Errorf("%w: CryptoAPI algorithm %#x", errFilePass, alg)
		}
		bits := int(binary.LittleEndian.Uint32(header[16:]))
		if bits == 0 {
			bits = 40
		}
		if bits < 40 || bits > 128 || bits%8 != 0 {
			return nil, fmt.Errorf("%w: CryptoAPI key of %d bits", errFilePass, bits)
		}
		if len(v) < 4+16+16+4+20 || binary.LittleEndian.Uint32(v) != 16 {
			return nil, fmt.Errorf("%w: short CryptoAPI verifier", errFilePass)
		}
		salt := v[4:20]
		verifier, verifierHash = v[20:36], v[40:60]
		h0 := sha1.Sum(append(bytes.Clone(salt), passwordUTF16(defaultPassword)...))
		key = func(block uint32) []byte {
			k := sha1.Sum(binary.LittleEndian.AppendUint32(bytes.Clone(h0[:]), block))
			if bits == 40 { // a 40-bit key is used as 128 bits with 11 zero bytes
				return append(k[:5:5], make([]byte, 11)...)
			}
			return k[:bits/8]
		}
		hash = func(b []byte) []byte { h := sha1.Sum(b); return h[:] }
	default:
		return nil, fmt.Errorf("%w: RC4 version %d.%d", errFilePass, major, minor)
	}
	c, _ := rc4.NewCipher(key(0))
	v := make([]byte, len(verifier))
	c.XORKeyStream(v, verifier)
	vh := make([]byte, len(verifierHash))
	c.XORKeyStream(vh, verifierHash)
	if !bytes.Equal(hash(v), vh) {
		return nil, errWrongPassword
	}
	out := make([]byte, len(s))
	for start := 0; start < len(s); start += 1024 {
		end := min(start+1024, len(s))
		c, _ := rc4.NewCipher(key(uint32(start / 1024)))
		c.XORKeyStream(out[start:end], s[start:end])
	}
	return restoreClear(s, out), nil
}

// restoreClear copies back from the original stream what is not encrypted: record headers,
// the data of the records listed above, BOUNDSHEET positions.
func restoreClear(s, out []byte) []byte {
	for off := 0; off+4 <= len(s); {
		copy(out[off:off+4], s[off:off+4])
		typ := binary.LittleEndian.Uint16(s[off:])
		n := int(binary.LittleEndian.Uint16(s[off+2:]))
		data := off + 4
		end := min(data+n, len(s))
		switch typ {
		case recBOF, recFilePass, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138: // USREXCL, FILELOCK, INTERFACEHDR, RRDINFO, RRDHEAD
			copy(out[data:end], s[data:end])
		case recBoundSheet:
			copy(out[data:min(data+4, end)], s[data:min(data+4, end)])
		}
		off = end
	}
	return out
}

// XOR obfuscation ([MS-OFFCRYPTO] 2.3.7.1–2.3.7.4, method 1).
var (
	xorInitialCode = [15]uint16{0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E,
		0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3}
	xorMatrix = [105]uint16{
		0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B,
		0xC6F7, 0x9DCF, 0x2BBF, 0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375,
		0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40, 0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D,
		0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A, 0xEB23, 0xC667,
		0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68,
		0xF6D0, 0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1,
		0x0D42, 0x1A84, 0x3508, 0x6A10, 0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168,
		0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C, 0x3730, 0x6E60, 0xDCC0, 0xA9A1,
		0x4363, 0x86C6, 0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC, 0x1021,
		0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4}
	xorPad = [15]byte{0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00}
)

// xorVerifier is the 16-bit password verifier (CreatePasswordVerifier_Method1).
func xorVerifier(p []byte) uint16 {
	var v uint16
	for i := len(p) - 1; i >= 0; i-- {
		v = (v>>14)&1 | (v<<1)&0x7FFF
		v ^= uint16(p[i])
	}
	v = (v>>14)&1 | (v<<1)&0x7FFF
	return v ^ uint16(len(p)) ^ 0xCE4B
}

// xorKey is the 16-bit key (CreateXorKey_Method1).
func xorKey(p []byte) uint16 {
	k := xorInitialCode[len(p)-1]
	m := len(xorMatrix) - 1
	for i := len(p) - 1; i >= 0; i-- {
		for b := 6; b >= 0; b-- {
			if p[i]>>b&1 != 0 {
				k ^= xorMatrix[m]
			}
			m--
		}
	}
	return k
}

// xorArray is the 16-byte obfuscation array as BIFF uses it (CreateXorArray_Method1, each byte
// rotated left by 2).
func xorArray(p []byte) [16]byte {
	k := xorKey(p)
	var a [16]byte
	n := copy(a[:], p)
	copy(a[n:], xorPad[:])
	for i := range a {
		a[i] ^= byte(k >> (8 * (i % 2)))
		a[i] = a[i]<<2 | a[i]>>6
	}
	return a
}

// decryptXOR: info is the key and the verifier (2 bytes each). A byte b at stream offset i in
// the data of a record of n data bytes is stored as rotr3(b) ^ array[(i+n) % 16] (so the index
// starts at (start of the data + n) % 16, as LibreOffice's reader has it).
func decryptXOR(s, info []byte) ([]byte, error) {
	if len(info) < 4 {
		return nil, fmt.Errorf("%w: short XOR header", errFilePass)
	}
	p := []byte(defaultPassword)
	if binary.LittleEndian.Uint16(info[2:]) != xorVerifier(p) {
		return nil, errWrongPassword
	}
	a := xorArray(p)
	out := bytes.Clone(s)
	for off := 0; off+4 <= len(s); {
		n := int(binary.LittleEndian.Uint16(s[off+2:]))
		data, end := off+4, min(off+4+n, len(s))
		for i := data; i < end; i++ {
			b := s[i]<<3 | s[i]>>5
			out[i] = b ^ a[(i+n)%16]
		}
		off = end
	}
	return restoreClear(s, out), nil
}
