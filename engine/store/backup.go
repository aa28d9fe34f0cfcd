package store

import (
	"context"
	"database/sql"
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
				return loadFailed(dir, t, path, err)
			}
			if old {
				q = "CREATE TEMP TABLE point_moves_old AS SELECT * FROM read_parquet(" + quote(f) + ");" + splitNotes
			}
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return loadFailed(dir, t, path, err)
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
			return loadFailed(dir, t, path, err)
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
		return diskFull(err, path)
	}
	_, err = db.ExecContext(ctx, "CHECKPOINT")
	return diskFull(err, path)
}

// removeDB removes a database file and its write-ahead log.
func removeDB(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
}
