package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed demo data is exactly what the generator writes: regenerate into a temporary
// folder and compare every file byte for byte. If this fails after a change to the generator,
// run `go run ./datasets/gen` and commit datasets/demo and datasets/demo_expected.csv.
func TestCommittedDemoIsGenerated(t *testing.T) {
	dir := t.TempDir()
	d := generate(20221231)
	results := score(d)
	if err := check(results); err != nil {
		t.Fatal(err)
	}
	files, err := writeFiles(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeReadme(dir, d, results, files); err != nil {
		t.Fatal(err)
	}
	var exp bytes.Buffer
	printAll(&exp, results)
	if want, _ := os.ReadFile("../demo_expected.csv"); !bytes.Equal(exp.Bytes(), want) {
		t.Error("datasets/demo_expected.csv differs from the generator's calculator: regenerate it")
	}
	n := 0
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		got, _ := os.ReadFile(p)
		want, err := os.ReadFile(filepath.Join("..", "demo", rel))
		if err != nil {
			t.Errorf("%s: generated but not committed", rel)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s: committed file differs from the generator's", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 25 {
		t.Errorf("generator wrote only %d files", n)
	}
}
