package export

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// create writes path through a temporary file in the same folder, renamed into place once
// complete: a killed export leaves the previous file whole; the new file is the owner's only
// (0600) whatever the old one's mode; a symbolic link at path is replaced, not followed.
func create(path string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("无法写入 %s：%v", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // gone after the rename; removes what a failure leaves
	w := bufio.NewWriter(tmp)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		return fmt.Errorf("无法写入 %s：%v", path, err)
	}
	return nil
}

// WriteFile writes data to path as create does (a filled report, for instance).
func WriteFile(path string, data []byte) error {
	return create(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}
