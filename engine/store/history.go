package store

import (
	"context"
	"database/sql"
	"os"
	"os/user"
	"strings"
	"time"
)

// The actions of the import log.
const (
	ActionImport  = "导入" // a new file
	ActionReplace = "替换" // a new version of a file imported before from the same path
	ActionRemove  = "移除" // a file removed (no longer among jifen run's inputs)
)

// importsSchema is the import log: one row per import, replacement and removal, never deleted
// (the files table holds only the files now in the database).
const importsSchema = `
CREATE TABLE IF NOT EXISTS imports (
	file_id     INTEGER NOT NULL,
	action      VARCHAR NOT NULL,
	path        VARCHAR NOT NULL,
	name        VARCHAR NOT NULL,
	sha256      VARCHAR NOT NULL,
	rows        INTEGER NOT NULL,
	imported_at TIMESTAMP NOT NULL,
	os_user     VARCHAR NOT NULL
);
`

// backfillImports starts the log of a database from before it with the files it holds.
const backfillImports = `
INSERT INTO imports SELECT file_id, '` + ActionImport + `', path, name, sha256, rows, imported_at, coalesce(imported_by, '') FROM files ORDER BY file_id`

// logRemoval logs the removal of file $1 from the files row, before it is deleted.
const logRemoval = `
INSERT INTO imports SELECT file_id, $2, path, name, sha256, rows, $3, $4 FROM files WHERE file_id = $1`

// Import is one entry of the import log.
type Import struct {
	FileID int
	Action string // ActionImport, ActionReplace or ActionRemove
	Path   string // absolute path of the file
	Name   string // the name messages gave it (path below the input folder)
	Hash   string // SHA-256 of the file's bytes, hex
	Rows   int    // records stored (of a removal: removed)
	Time   time.Time
	User   string // the operating-system user who ran jifen; "" if unknown
}

func logImport(ctx context.Context, conn *sql.Conn, im Import) error {
	_, err := conn.ExecContext(ctx, "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		im.FileID, im.Action, im.Path, im.Name, im.Hash, im.Rows, im.Time.UTC(), im.User)
	return err
}

// History lists the import log, newest first. A database opened read-only that an earlier
// version of jifen wrote (no log yet) gives its files, as Open would log them.
func (s *Store) History(ctx context.Context) ([]Import, error) {
	var hasLog bool
	if err := s.DB.QueryRowContext(ctx, "SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'imports'").Scan(&hasLog); err != nil {
		return nil, err
	}
	q := "SELECT file_id, action, path, name, sha256, rows, imported_at, os_user FROM imports ORDER BY imported_at DESC, file_id DESC, action DESC"
	if !hasLog {
		q = "SELECT file_id, '" + ActionImport + "', path, name, sha256, rows, imported_at, '' FROM files ORDER BY imported_at DESC, file_id DESC"
	}
	rows, err := s.DB.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Import
	for rows.Next() {
		var im Import
		if err := rows.Scan(&im.FileID, &im.Action, &im.Path, &im.Name, &im.Hash, &im.Rows, &im.Time, &im.User); err != nil {
			return nil, err
		}
		im.Time = im.Time.Local()
		out = append(out, im)
	}
	return out, rows.Err()
}

// CurrentUser is the operating-system user running jifen, for the import log: the account's
// name (os/user), else $USER or $USERNAME; "" if none is known.
func CurrentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if s := strings.TrimSpace(os.Getenv(v)); s != "" {
			return s
		}
	}
	return ""
}
