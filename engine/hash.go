package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// HashFile is the SHA-256 of a file's content, in hex: how an imported file is known (its
// content, not its name) and how a backup's files are checked against its manifest.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
