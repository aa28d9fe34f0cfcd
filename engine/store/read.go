package store

import (
	"database/sql"
	"sync"
)

// OpenRead opens an existing database for the commands that only read it (explain, export,
// report, history, check's roster): read-only, so that several may run at once and nothing
// is written — not even on a full disk. A database of an earlier version of jifen is first
// brought up to date by Open (once: that writes), then opened read-only.
func OpenRead(path string) (*Store, error) {
	s, err := OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	current, err := upToDate(s.DB)
	if err == nil && current {
		return s, nil
	}
	s.Close()
	if err != nil {
		return nil, err
	}
	w, err := Open(path)
	if err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return OpenReadOnly(path)
}

// columns lists every table.column of jifen's schema, as a new database has them.
var columns = sync.OnceValues(func() (map[string]bool, error) {
	db, err := connect("", "?"+noNetwork)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := migrate(db); err != nil {
		return nil, err
	}
	return tableColumns(db)
})

func tableColumns(db *sql.DB) (map[string]bool, error) {
	rows, err := db.Query("SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// upToDate says whether db has jifen's schema as Open leaves it: every table and column of a
// new database, no point_ledger table of before the compact ledger (it is a view now) and no
// rules in point_moves (they are in point_notes).
func upToDate(db *sql.DB) (bool, error) {
	want, err := columns()
	if err != nil {
		return false, err
	}
	var old bool
	if err := db.QueryRow("SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'point_ledger'").Scan(&old); err != nil || old {
		return false, err
	}
	have, err := tableColumns(db)
	if err != nil {
		return false, err
	}
	if have["point_moves.rule"] {
		return false, nil
	}
	for c := range want {
		if !have[c] {
			return false, nil
		}
	}
	return true, nil
}
