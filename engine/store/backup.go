package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// backupTables are the tables a backup holds, in the order Restore loads them (the view
// point_ledger is no data: the schema makes it again). imports and the tables of the ledger are
// optional: a backup of a database from before the import log has no imports,
// one from before the compact ledger has a point_ledger table instead, not restored (its
// results must be scored again: see migrateLedger), one from before point_notes has the
// rules and notes in point_moves, split off as it is restored (splitNotes), and one from before
// point_packed has every movement in point_moves.
var backupTables = append(append([]string{"files"}, recordTables...), "point_moves", "point_notes", "point_codes", "point_packed", "point_layout", "period_scores", "scores", "indicators", "imports", "excluded")

// optionalBackup says whether a backup may lack the table t.
func optionalBackup(t string) bool {
	switch t {
	case "imports", "excluded", "point_moves", "point_notes", "point_codes", "point_packed", "point_layout":
		return true
	}
	return false
}

// Backup writes a snapshot of the database to the folder dir with DuckDB's EXPORT DATABASE:
// one Parquet file per table, plus DuckDB's schema.sql and load.sql. dir must not exist or be
// empty. The snapshot is consistent (one transaction) and, like the database, readable by the
// owner only: files 0600, the folder 0700. Parquet is built into DuckDB: nothing is
// downloaded.
func (s *Store) Backup(ctx context.Context, dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("备份目录 %s 已存在且不是空的：请换一个新目录", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("无法使用备份目录 %s：%v", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("无法创建备份目录 %s：%v", dir, err)
	}
	if _, err := s.DB.ExecContext(ctx, "EXPORT DATABASE "+quote(dir)+" (FORMAT parquet)"); err != nil {
		return fmt.Errorf("备份失败：%v", err)
	}
	return restrictTree(dir)
}

// restrictTree makes dir 0700 and every file in it 0600.
func restrictTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		return os.Chmod(p, mode)
	})
}

// reIdent is a table name Restore creates from a Parquet file of the backup.
var reIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// quote is a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Restore rebuilds the database at dbPath from a folder Backup wrote. An existing database is
// replaced only with force, and only if no other process has it open (else a *LockedError).
// The backup's Parquet files are read into jifen's own schema, and any other table (those
// scoring creates) as its Parquet file describes it; DuckDB's load.sql and schema.sql are not
// run, so a tampered backup cannot run SQL; the new database is built beside dbPath
// and moved into place only when complete, so a failed restore leaves dbPath as it was.
func Restore(ctx context.Context, dir, dbPath string, force bool) error {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("找不到备份目录 %s", dir)
	}
	for _, t := range backupTables {
		if optionalBackup(t) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, t+".parquet")); err != nil {
			return fmt.Errorf("%s 不是完整的 jifen 备份（缺少 %s.parquet）：请用 jifen backup 写出的目录", dir, t)
		}
	}
	if _, err := os.Stat(dbPath); err == nil {
		if !force {
			return fmt.Errorf("数据库 %s 已存在：恢复会覆盖它，确认覆盖请加 --force", dbPath)
		}
		// It must not be in use; Open's lock says so.
		old, err := Open(dbPath)
		if err != nil {
			return err
		}
		if err := old.Close(); err != nil {
			return err
		}
	}
	tmp := dbPath + ".restoring"
	removeDB(tmp)
	defer removeDB(tmp)
	if err := load(ctx, dir, tmp); err != nil {
		return err
	}
	// Bring the restored database up to date (a backup of an earlier version) and check it.
	st, err := Open(tmp)
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	if err := os.Remove(dbPath + ".wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("无法替换数据库 %s：%v", dbPath, err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return fmt.Errorf("无法替换数据库 %s：%v", dbPath, err)
	}
	return restrict(dbPath)
}

// load creates a database at path with jifen's schema and the backup's rows.
func load(ctx context.Context, dir, path string) error {
	db, err := sql.Open("duckdb", path+"?"+noNetwork)
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		return openError(path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := restrict(path); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema+ledgerSchema+migrations+importsSchema+excludedSchema); err != nil {
		return err
	}
	// jifen's own tables, into their schema (a backup of an earlier version may lack columns:
	// they take their defaults) …
	known := map[string]bool{"point_ledger": true}
	hasLog := false
	for _, t := range backupTables {
		known[t] = true
		f := filepath.Join(dir, t+".parquet")
		if _, err := os.Stat(f); err != nil && optionalBackup(t) {
			continue
		}
		hasLog = hasLog || t == "imports"
		q := "INSERT INTO " + t + " BY NAME SELECT * FROM read_parquet(" + quote(f) + ")"
		if t == "point_moves" {
			// point_moves of an earlier version, with its rules and notes: split them off.
			var old bool
			if err := tx.QueryRowContext(ctx, "SELECT count(*) > 0 FROM parquet_schema("+quote(f)+") WHERE name = 'rule'").Scan(&old); err != nil {
				return fmt.Errorf("无法从备份恢复 %s：%v", t, err)
			}
			if old {
				q = "CREATE TEMP TABLE point_moves_old AS SELECT * FROM read_parquet(" + quote(f) + ");" + splitNotes
			}
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("无法从备份恢复 %s：%v", t, err)
		}
	}
	// … and the tables other parts of jifen create (scoring's compliance, ranking, …) as the
	// Parquet files describe them.
	others, err := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if err != nil {
		return err
	}
	for _, f := range others {
		t := strings.TrimSuffix(filepath.Base(f), ".parquet")
		if known[t] || !reIdent.MatchString(t) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE "+t+" AS SELECT * FROM read_parquet("+quote(f)+")"); err != nil {
			return fmt.Errorf("无法从备份恢复 %s：%v", t, err)
		}
	}
	if !hasLog {
		if _, err := tx.ExecContext(ctx, backfillImports); err != nil {
			return err
		}
	}
	// A backup from before the compact ledger: its results, without their ledger, must be
	// scored again.
	if _, err := os.Stat(filepath.Join(dir, "point_moves.parquet")); err != nil {
		q := "DELETE FROM scores; DELETE FROM period_scores"
		if _, err := os.Stat(filepath.Join(dir, "score_runs.parquet")); err == nil {
			q += "; DELETE FROM score_runs"
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	// The file ids go on after the largest restored one.
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(greatest((SELECT max(file_id) FROM files), (SELECT max(file_id) FROM imports)), 0) + 1").Scan(&next); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP SEQUENCE file_ids; CREATE SEQUENCE file_ids START %d", next)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "CHECKPOINT")
	return err
}

// removeDB removes a database file and its write-ahead log.
func removeDB(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
}
