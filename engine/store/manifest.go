package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jifen/jifen"
	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/internal/proc"
)

// manifestName is the file of a backup that lists its files and rows (Manifest).
const manifestName = "manifest.json"

// manifestFormat is the format of the backups this version writes and the newest it reads.
const manifestFormat = 1

// Manifest describes a backup: every file with its size and SHA-256, the version of jifen that
// wrote it, and the rows of every table, so that Restore can tell a whole backup from one
// cut short or changed, before and after loading it.
type Manifest struct {
	Format  int              `json:"format"`
	Version string           `json:"jifen_version"`
	Created time.Time        `json:"created"`
	Files   []ManifestFile   `json:"files"`
	Rows    map[string]int64 `json:"rows"`
	// DBBytes is the size of the database backed up (with its write-ahead log): about the
	// room a restore needs.
	DBBytes int64 `json:"db_bytes,omitempty"`
}

// ManifestFile is a file of a backup.
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BackupStage, when set, is called by Backup at each stage: "exported" (the files written into
// the temporary folder), "manifest" (the manifest written and every file synced), "renamed"
// (the folder in place); and by Restore: "locked" (the database held: no other process can
// open it until the restore ends), "loaded" (the new database complete beside it), "renamed".
// It is for fault-injection tests that stop or kill the process at a known point.
var BackupStage func(stage string)

func backupStage(name string) {
	if BackupStage != nil {
		BackupStage(name)
	}
}

// Backup writes a snapshot of the database to the folder dir with DuckDB's EXPORT DATABASE:
// one Parquet file per table, plus DuckDB's schema.sql and load.sql, and manifest.json
// (Manifest). dir must not exist or be empty. The snapshot is written into a temporary folder
// beside dir (.名称.jifen-backup-PID), every file and the folder synced to disk, then renamed
// to dir: a backup cut short (a kill, a full disk) leaves no dir, only the temporary folder,
// which the next backup beside it removes. The snapshot is consistent (one transaction) and,
// like the database, readable by the owner only: files 0600, the folder 0700. Parquet is
// built into DuckDB: nothing is downloaded.
func (s *Store) Backup(ctx context.Context, dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("备份目录 %s 已存在且不是空的：请换一个新目录", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("无法使用备份目录 %s：%v", dir, err)
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return fmt.Errorf("无法创建备份目录 %s：%v", parent, err)
	}
	if s.path != "" {
		// Measured where the backup will be, and naming it (CheckSpace walks up to a folder).
		if err := CheckSpace(dir, sizeOf(s.path)+sizeOf(s.path+".wal")); err != nil {
			return err
		}
	}
	prefix := "." + filepath.Base(dir) + ".jifen-backup-"
	removeStale(parent)
	tmp := filepath.Join(parent, prefix+strconv.Itoa(os.Getpid()))
	os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return diskFull(fmt.Errorf("无法创建备份目录 %s：%v", tmp, err), tmp)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	m := Manifest{Format: manifestFormat, Version: jifen.Version, Created: time.Now().UTC().Truncate(time.Second), Rows: map[string]int64{}}
	if s.path != "" {
		m.DBBytes = sizeOf(s.path) + sizeOf(s.path+".wal")
	}
	// The rows are counted on the connection, in the transaction, that exports them.
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	tables, err := conn.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1")
	if err != nil {
		return err
	}
	var names []string
	for tables.Next() {
		var t string
		if err := tables.Scan(&t); err != nil {
			tables.Close()
			return err
		}
		names = append(names, t)
	}
	if err := tables.Close(); err != nil {
		return err
	}
	for _, t := range names {
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return err
		}
		m.Rows[t] = n
	}
	if _, err := conn.ExecContext(ctx, "EXPORT DATABASE "+quote(tmp)+" (FORMAT parquet)"); err != nil {
		return diskFull(fmt.Errorf("备份失败：%v", err), tmp)
	}
	backupStage("exported")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	for _, e := range entries {
		f, err := fileOf(filepath.Join(tmp, e.Name()))
		if err != nil {
			return diskFull(fmt.Errorf("备份失败：%v", err), tmp)
		}
		m.Files = append(m.Files, f)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(tmp, manifestName), append(b, '\n')); err != nil {
		return diskFull(fmt.Errorf("备份失败：无法写入 %s：%v", filepath.Join(tmp, manifestName), err), tmp)
	}
	if err := restrictTree(tmp); err != nil {
		return err
	}
	if err := syncDir(tmp); err != nil {
		return diskFull(fmt.Errorf("备份失败：%v", err), tmp)
	}
	backupStage("manifest")
	os.Remove(dir) // an empty folder given as dir (Windows does not rename over it)
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("备份失败：无法把 %s 改名为 %s：%v", tmp, dir, err)
	}
	done = true
	backupStage("renamed")
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("备份失败：%v", err)
	}
	return nil
}

// quoteIdent is a SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// fileOf reads a file of a backup, syncs it to disk and gives its size and SHA-256.
func fileOf(path string) (ManifestFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return ManifestFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return ManifestFile{}, err
	}
	if err := f.Sync(); err != nil {
		return ManifestFile{}, err
	}
	return ManifestFile{Name: filepath.Base(path), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// writeSynced writes a new file and syncs it to disk.
func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir syncs a folder's entries to disk (where the system can: not on Windows).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !isUnsupported(err) {
		return err
	}
	return nil
}

// reStaleBackup is the name of a backup's temporary folder: "." + the backup's name +
// ".jifen-backup-" + the process id.
var reStaleBackup = regexp.MustCompile(`^\..*\.jifen-backup-(\d+)$`)

// removeStale removes the temporary folders in parent of backups that were cut short: those
// whose process no longer runs.
func removeStale(parent string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		m := reStaleBackup.FindStringSubmatch(e.Name())
		if !e.IsDir() || m == nil {
			continue
		}
		if pid, err := strconv.Atoi(m[1]); err != nil || (pid != os.Getpid() && proc.Alive(pid)) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// readManifest reads the manifest of the backup in dir; ok is false when it has none (a
// backup of a version before manifests).
func readManifest(dir string) (m Manifest, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("无法读取备份清单 %s：%v", filepath.Join(dir, manifestName), err)
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Format == 0 || m.Rows == nil {
		return m, false, fmt.Errorf("备份清单 %s 已损坏（不是 jifen backup 写出的清单）：这个备份不能使用", filepath.Join(dir, manifestName))
	}
	return m, true, nil
}

// verify checks the backup in dir against its manifest before anything is loaded: the format
// is one this version reads, every file listed is there with its size and SHA-256, and there
// is no Parquet file the manifest does not list. It says in Chinese what is wrong.
func (m Manifest) verify(dir string) error {
	if m.Format > manifestFormat {
		return fmt.Errorf("备份 %s 由较新版本的 jifen（%s）写出，本版本（%s）读不了：请用 jifen %s 或更新的版本恢复",
			dir, m.Version, jifen.Version, m.Version)
	}
	listed := map[string]bool{manifestName: true}
	for _, f := range m.Files {
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." {
			return fmt.Errorf("备份清单 %s 已损坏（文件名 “%s” 无效）：这个备份不能使用", filepath.Join(dir, manifestName), f.Name)
		}
		listed[f.Name] = true
		got, err := os.Stat(filepath.Join(dir, f.Name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("备份 %s 不完整：缺少 %s（备份清单中有它）：这个备份不能使用，请用另一个备份", dir, f.Name)
		case err != nil:
			return fmt.Errorf("无法读取备份文件 %s：%v", filepath.Join(dir, f.Name), err)
		case got.Size() != f.Size:
			return fmt.Errorf("备份 %s 已损坏：%s 有 %d 字节，备份清单记录的是 %d 字节（备份被中断或文件被改动）：这个备份不能使用，请用另一个备份", dir, f.Name, got.Size(), f.Size)
		}
		sum, err := engine.HashFile(filepath.Join(dir, f.Name))
		if err != nil {
			return fmt.Errorf("无法读取备份文件 %s：%v", filepath.Join(dir, f.Name), err)
		}
		if sum != f.SHA256 {
			return fmt.Errorf("备份 %s 已损坏：%s 的内容与备份清单记录的不同（SHA-256 不符，文件被改动或损坏）：这个备份不能使用，请用另一个备份", dir, f.Name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("无法读取备份目录 %s：%v", dir, err)
	}
	var extra []string
	for _, e := range entries {
		if !listed[e.Name()] && strings.HasSuffix(e.Name(), ".parquet") {
			extra = append(extra, e.Name())
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("备份 %s 中有备份清单没有的文件 %s（不是 jifen backup 写出的）：请移走它们，或用另一个备份", dir, strings.Join(extra, "、"))
	}
	return nil
}

// VerifyBackup checks the backup in dir against its manifest, as Restore does before loading
// it: nil when every file it lists is there, whole and unchanged. A folder without a manifest
// is an error saying so.
func VerifyBackup(dir string) error {
	m, ok, err := readManifest(dir)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s 没有备份清单（manifest.json）：不是本版本 jifen backup 写出的完整备份", dir)
	}
	return m.verify(dir)
}
