package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Restored says what Restore did.
type Restored struct {
	Rows     int64    // rows restored, in all tables
	Checked  bool     // the backup had a manifest: its files were verified before loading, its rows after
	Warnings []string // e.g. a backup without a manifest
}

// Restore rebuilds the database at dbPath from a folder Backup wrote. The backup is verified
// first against its manifest (Manifest.verify: every file there, of its size and SHA-256, in a
// format this version reads), and the rows of every table after loading; a backup without a
// manifest (written by a version before them) is restored with a warning, each of its files
// read whole. An existing database is replaced only with force. The database is held — opened,
// so that DuckDB's lock keeps every other jifen out — from before anything is checked until
// the new one has replaced it: a run or import at the same time either finishes before the
// restore begins or is refused with a *LockedError, never lost. The backup's Parquet files are
// read into jifen's own schema, and any other table (those scoring creates) as its Parquet file
// describes it; DuckDB's load.sql and schema.sql are not run, so a tampered backup cannot run
// SQL; the new database is built beside dbPath and moved into place only when complete, so a
// failed restore leaves dbPath as it was.
func Restore(ctx context.Context, dir, dbPath string, force bool) (Restored, error) {
	var res Restored
	if info, err := os.Stat(dir); err != nil {
		return res, fmt.Errorf("找不到备份目录 %s", dir)
	} else if !info.IsDir() {
		return res, fmt.Errorf("%s 不是备份目录，是一个文件：请给出 jifen backup --out 写出的目录", dir)
	}
	m, ok, err := readManifest(dir)
	if err != nil {
		return res, err
	}
	if ok {
		if err := m.verify(dir); err != nil {
			return res, err
		}
		res.Checked = true
	} else {
		for _, t := range backupTables {
			if optionalBackup(t) {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, t+".parquet")); err != nil {
				return res, fmt.Errorf("%s 不是完整的 jifen 备份（缺少 %s.parquet）：请用 jifen backup 写出的目录", dir, t)
			}
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("备份 %s 没有备份清单（manifest.json，较早版本的 jifen 写出的备份没有）：无法核对它是否完整，只检查了其中每个文件都能完整读出。恢复后请用 jifen history 核对导入记录", dir))
	}
	existed := false
	if info, err := os.Stat(dbPath); err == nil && info.Size() > 0 {
		existed = true
		if !force {
			return res, fmt.Errorf("数据库 %s 已存在：恢复会覆盖它，确认覆盖请加 --force", dbPath)
		}
	}
	// The room the new database takes beside the old one: the size of the database backed up,
	// or, for a backup without a manifest, some three times the backup's.
	need := 3 * sizeOf(dir)
	if m.DBBytes > 0 {
		need = m.DBBytes
	}
	if err := CheckSpace(dbPath, need); err != nil {
		return res, err
	}
	hold, created, err := holdDB(dbPath)
	if err != nil {
		return res, err
	}
	replaced := false
	defer func() {
		if created && !replaced {
			removeDB(dbPath) // the empty database made to hold the name
		}
		hold.Close()
	}()
	if !existed && !force {
		// Created by another process since it was looked at?
		var n int
		if err := hold.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()").Scan(&n); err != nil {
			return res, err
		}
		if n > 0 {
			return res, fmt.Errorf("数据库 %s 已存在：恢复会覆盖它，确认覆盖请加 --force", dbPath)
		}
	}
	backupStage("locked")
	tmp := dbPath + ".restoring"
	removeDB(tmp)
	defer removeDB(tmp)
	if err := load(ctx, dir, tmp); err != nil {
		return res, diskFull(err, tmp)
	}
	// Bring the restored database up to date (a backup of an earlier version) and check it.
	st, err := Open(tmp)
	if err != nil {
		return res, err
	}
	res.Rows, err = checkRows(ctx, st.DB, dir, m, ok)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	backupStage("loaded")
	if err := os.Remove(dbPath + ".wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("无法替换数据库 %s：%v", dbPath, err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return res, fmt.Errorf("无法替换数据库 %s：%v", dbPath, err)
	}
	replaced = true
	backupStage("renamed")
	if err := syncDir(filepath.Dir(dbPath)); err != nil {
		return res, fmt.Errorf("无法替换数据库 %s：%v", dbPath, err)
	}
	return res, restrict(dbPath)
}

// holdDB opens the database at path, creating an empty one when there is none (created), and
// checkpoints it: its connection holds DuckDB's lock, so no other jifen can open the database
// until it is closed, and it has nothing left to write, so that closing it after another file
// took its name changes nothing of that file or its write-ahead log.
func holdDB(path string) (db *sql.DB, created bool, err error) {
	if dir := filepath.Dir(path); dir != "." {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, false, fmt.Errorf("无法打开数据库 %s：目录 %s 不存在", path, dir)
		}
	}
	created = emptyFile(path)
	db, err = connect(path, path+"?"+noNetwork)
	if err != nil {
		if created && !errors.Is(err, ErrLocked) {
			removeDB(path)
		}
		return nil, false, diskFull(err, path)
	}
	if _, err := db.Exec("CHECKPOINT"); err != nil {
		if created {
			removeDB(path)
		}
		db.Close()
		return nil, false, diskFull(fmt.Errorf("无法打开数据库 %s：%v", path, err), path)
	}
	return db, created, nil
}

// checkRows counts the rows of every table of the restored database and, when the backup has
// a manifest, compares them with the rows it lists; it returns the rows in all.
func checkRows(ctx context.Context, db *sql.DB, dir string, m Manifest, checked bool) (int64, error) {
	have, err := rowCounts(ctx, db)
	if err != nil {
		return 0, err
	}
	var all int64
	for _, n := range have {
		all += n
	}
	if !checked {
		return all, nil
	}
	var wrong []string
	for t, want := range m.Rows {
		if got, ok := have[t]; !ok {
			wrong = append(wrong, fmt.Sprintf("%s 没有恢复（备份清单中有 %d 行）", t, want))
		} else if got != want {
			wrong = append(wrong, fmt.Sprintf("%s 恢复了 %d 行，备份清单记录的是 %d 行", t, got, want))
		}
	}
	if len(wrong) > 0 {
		sort.Strings(wrong)
		return all, fmt.Errorf("备份 %s 恢复后的记录与备份清单不符：%s：原数据库没有改动；这个备份不能使用，请用另一个备份", dir, strings.Join(wrong, "；"))
	}
	return all, nil
}

// rowCounts counts the rows of every table of db.
func rowCounts(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, t)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, t := range names {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// loadFailed says in Chinese why a table of a backup could not be loaded into the database
// being built at path: a full disk, or a Parquet file that cannot be read whole.
func loadFailed(dir, table, path string, err error) error {
	if de := diskFull(err, path); de != err {
		return de
	}
	f := filepath.Join(dir, table+".parquet")
	if info, serr := os.Stat(f); serr == nil && info.Size() == 0 {
		return fmt.Errorf("备份 %s 不完整：%s.parquet 是空文件（备份被中断）：这个备份不能使用，请用另一个备份；原数据库没有改动", dir, table)
	}
	return fmt.Errorf("备份 %s 已损坏：无法读出 %s.parquet（不是完整的 Parquet 文件，或与 jifen 的表不符；备份可能被中断或被改动）：这个备份不能使用，请用另一个备份；原数据库没有改动", dir, table)
}
