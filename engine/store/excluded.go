package store

import (
	"context"
	"time"
)

// excludedSchema holds what the figures leave out: the files (or sheets, or columns) read but
// not imported, with why — a file with errors, a table jifen could not read, a column used for
// nothing. import and run keep it for the files they read (a file later imported whole loses
// its rows; run drops the rows of files no longer among its inputs), so that export and report,
// run later on their own, can say at the top of what they write which files the figures
// exclude.
const excludedSchema = `
CREATE TABLE IF NOT EXISTS excluded (
	path     VARCHAR NOT NULL,
	name     VARCHAR NOT NULL,
	sheet    VARCHAR NOT NULL,
	reason   VARCHAR NOT NULL,
	noted_at TIMESTAMP NOT NULL
);
`

// Excluded is a file, or a sheet of it, whose data (all or some) the figures leave out.
type Excluded struct {
	Path   string // absolute path of the file
	Name   string // the name messages give it (path below the input folder)
	Sheet  string // "" for the whole file
	Reason string // 有错误，未导入; 认不出的表格; 列 D “践诺评定” 没有使用 …
}

// SetExcluded replaces what is noted as left out of the file at path with items (none: the
// file is wholly in the figures).
func (s *Store) SetExcluded(ctx context.Context, path string, items []Excluded) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM excluded WHERE path = ?", path); err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, it := range items {
		if _, err := tx.ExecContext(ctx, "INSERT INTO excluded VALUES (?, ?, ?, ?, ?)", path, it.Name, it.Sheet, it.Reason, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// KeepExcluded forgets what is noted of the files whose path keep does not hold (no longer
// among jifen run's inputs).
func (s *Store) KeepExcluded(ctx context.Context, keep map[string]bool) error {
	rows, err := s.DB.QueryContext(ctx, "SELECT DISTINCT path FROM excluded")
	if err != nil {
		return err
	}
	var drop []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		if !keep[p] {
			drop = append(drop, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range drop {
		if _, err := s.DB.ExecContext(ctx, "DELETE FROM excluded WHERE path = ?", p); err != nil {
			return err
		}
	}
	return nil
}

// ExcludedOf lists what is noted as left out of the file at path.
func (s *Store) ExcludedOf(ctx context.Context, path string) ([]Excluded, error) {
	return s.excluded(ctx, "WHERE path = ?", path)
}

// ExcludedFiles lists what the figures leave out, by file name and sheet. A database of an
// earlier version opened read-only (no such table) leaves out nothing known.
func (s *Store) ExcludedFiles(ctx context.Context) ([]Excluded, error) {
	return s.excluded(ctx, "")
}

// excluded reads the rows of the excluded table that where (a SQL condition on its args) keeps.
func (s *Store) excluded(ctx context.Context, where string, args ...any) ([]Excluded, error) {
	var has bool
	if err := s.DB.QueryRowContext(ctx, "SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'excluded'").Scan(&has); err != nil || !has {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT path, name, sheet, reason FROM excluded "+where+" ORDER BY name, sheet, reason", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Excluded
	for rows.Next() {
		var e Excluded
		if err := rows.Scan(&e.Path, &e.Name, &e.Sheet, &e.Reason); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
