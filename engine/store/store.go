// Package store keeps jifen's records and results in DuckDB: one table per kind of record, each
// row with its provenance (file, sheet, row), a table of imported files (content hash for
// idempotent imports), a log of every import and removal (who, when, what: History), and the
// scoring results per year, read whole (Scores, Ledger, Indicators) or, for the outputs of a
// unit of any size, streamed: one query per table, each row handed on as it is read (EachScore,
// EachPledge, EachPeriodTotals, EachMovement, EachLedgerSum). The point ledger is stored as
// integer codes (point_moves; the rare rule or note of a movement in point_notes; the codes'
// names in point_codes) and read through the view point_ledger (ledger.go).
// Rows are loaded with DuckDB's Appender, each file in one transaction: a process killed at any
// point leaves the database as it was before that file.
//
// The database holds members' personal data: Open makes the database file (and its .wal)
// readable by the owner only (0600), and PrivateUmask makes every file the process creates so.
// A database used by another process gives a *LockedError (数据库正被另一个 jifen 进程使用…);
// OpenWait waits for it. Backup and Restore write and read a snapshot as Parquet files.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/jifen/jifen/engine"
)

// Store is an open jifen database.
type Store struct {
	DB *sql.DB
	// OnStage, when set, is called at each stage of Import's transaction: "begin", "file" (the
	// files row inserted), "append" (the records loaded), "replace" (an earlier version's rows
	// deleted), "check" (duplicates checked), "commit" (just before COMMIT) and "committed".
	// It is for fault-injection tests that kill the process at a known point.
	OnStage func(stage string)
	onDisk  bool   // a database file, not in memory
	path    string // the database file ("" in memory)
}

// importMemory is the memory DuckDB may use while a file is imported into a database file
// (its memory_limit; DuckDB's default is 80% of RAM): loading needs little, since full row
// groups are written to the file as they fill, so the process stays well under 300 MB
// whatever the size of the file. Scoring then gets the default back. An in-memory database
// (jifen check) is not limited: its data is its memory.
const importMemory = "64MB"

// ExportMemory is the memory DuckDB may use while the results of a year are written out
// (LimitMemory): the tables of members are read a member at a time, and what is sorted or
// grouped (the point ledger's categories in ledger order, its sums per member) spills to disk
// past it, so that exporting 10M movements peaks at some 500 MB instead of 1 GB.
const ExportMemory = "256MB"

// LimitMemory sets the memory DuckDB may use (its memory_limit; DuckDB's default is 80% of RAM)
// for what follows, on a database file (an in-memory one, whose data is its memory, is not
// limited), and returns what sets it back.
func (s *Store) LimitMemory(ctx context.Context, limit string) (restore func(), err error) {
	return limitMemory(ctx, s.DB, s.onDisk, limit)
}

// execer is a database or one of its connections.
type execer interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// limitMemory is LimitMemory on conn (the setting is the database's, not the connection's).
func limitMemory(ctx context.Context, conn execer, onDisk bool, limit string) (func(), error) {
	if !onDisk {
		return func() {}, nil
	}
	// Restored by setting the value back: RESET changes the setting but leaves DuckDB's buffer
	// pool at the lower limit (scoring then runs out of memory at 64 MB).
	var was string
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&was); err != nil {
		return func() {}, err
	}
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '"+limit+"'"); err != nil {
		return func() {}, err
	}
	set := "SET memory_limit = '" + strings.ReplaceAll(was, "'", "") + "'"
	return func() { conn.ExecContext(context.Background(), set) }, nil
}

func (s *Store) stage(name string) {
	if s.OnStage != nil {
		s.OnStage(name)
	}
}

// schema creates the record tables. Dates are DATE; points and marks DECIMAL(18,2) points.
const schema = `
CREATE SEQUENCE IF NOT EXISTS file_ids START 1;
CREATE TABLE IF NOT EXISTS files (
	file_id     INTEGER NOT NULL,
	path        VARCHAR NOT NULL,
	name        VARCHAR NOT NULL,
	sha256      VARCHAR NOT NULL,
	rows        INTEGER NOT NULL,
	imported_at TIMESTAMP NOT NULL,
	imported_by VARCHAR DEFAULT ''
);
CREATE TABLE IF NOT EXISTS members (
	member_id    VARCHAR NOT NULL,
	name         VARCHAR NOT NULL,
	branch       VARCHAR NOT NULL,
	grp          VARCHAR NOT NULL,
	category     VARCHAR NOT NULL,
	position     VARCHAR NOT NULL,
	join_date    DATE,
	transfer_in  DATE,
	transfer_out DATE,
	birth_date   DATE,
	mobile       BOOLEAN NOT NULL,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL,
	id_card      VARCHAR DEFAULT '',
	phone        VARCHAR DEFAULT ''
);
CREATE TABLE IF NOT EXISTS attendance (
	member_id VARCHAR NOT NULL,
	activity  VARCHAR NOT NULL,
	date      DATE NOT NULL,
	status    VARCHAR NOT NULL,
	note      VARCHAR NOT NULL,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tests (
	member_id VARCHAR NOT NULL,
	test      VARCHAR NOT NULL,
	date      DATE NOT NULL,
	score     DOUBLE,
	full_mark DOUBLE NOT NULL,
	status    VARCHAR NOT NULL,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pledges (
	member_id VARCHAR NOT NULL,
	year      INTEGER NOT NULL,
	signed    BOOLEAN NOT NULL,
	rating    VARCHAR NOT NULL,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
	member_id VARCHAR NOT NULL,
	date      DATE NOT NULL,
	category  VARCHAR NOT NULL,
	level     VARCHAR NOT NULL,
	note      VARCHAR NOT NULL,
	count     DOUBLE NOT NULL,
	points    DOUBLE,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS assessments (
	member_id VARCHAR NOT NULL,
	item      VARCHAR NOT NULL,
	date      DATE NOT NULL,
	result    VARCHAR NOT NULL,
	value     DOUBLE,
	file_id INTEGER NOT NULL, sheet VARCHAR NOT NULL, row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS period_scores (
	year      INTEGER NOT NULL,
	period    INTEGER NOT NULL,
	member_id VARCHAR NOT NULL,
	total     DECIMAL(18,2) NOT NULL
);
CREATE TABLE IF NOT EXISTS scores (
	year      INTEGER NOT NULL,
	member_id VARCHAR NOT NULL,
	name      VARCHAR NOT NULL,
	branch    VARCHAR NOT NULL,
	category  VARCHAR NOT NULL,
	ord       BIGINT NOT NULL,
	total     DECIMAL(18,2) NOT NULL,
	stars     INTEGER NOT NULL,
	grade     VARCHAR NOT NULL,
	reason    VARCHAR NOT NULL,
	star_reason VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS indicators (
	year     INTEGER NOT NULL,
	branch   VARCHAR NOT NULL,
	ord      INTEGER NOT NULL,
	name     VARCHAR NOT NULL,
	value    BIGINT,
	decimals INTEGER NOT NULL
);
`

// recordTables are the tables whose rows come from an imported file.
var recordTables = []string{"members", "attendance", "tests", "pledges", "entries", "assessments"}

// noNetwork are the DSN options every database is opened with: DuckDB never installs or loads
// extensions (nothing reaches a network); Parquet, used by Backup, is built in.
const noNetwork = "autoinstall_known_extensions=false&autoload_known_extensions=false"

// OpenReadOnly opens an existing database for reading only. Several processes may read a
// database at once, but not while one writes it (then the error is a *LockedError).
func OpenReadOnly(path string) (*Store, error) {
	if info, err := os.Stat(path); err == nil && info.Size() == 0 {
		return nil, fmt.Errorf("数据库 %s 是空文件（创建时被中断或磁盘已满，没有任何数据）：请先运行 jifen run 或 jifen import 导入", path)
	}
	db, err := connect(path, path+"?access_mode=read_only&"+noNetwork)
	if err != nil {
		return nil, err
	}
	return &Store{DB: db, onDisk: path != "", path: path}, nil
}

// connect opens the DuckDB database of dsn with one connection (an in-memory database lives
// per connector, and DuckDB serialises writes) and checks it answers.
func connect(path, dsn string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", dsn)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, openError(path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Open opens (creating if needed) the database at path; "" opens a private in-memory one.
// DuckDB never installs or loads extensions from the network. A database another process has
// open gives a *LockedError at once (see OpenWait). A database made by an earlier version of
// jifen is brought up to date (new columns and tables are added; no record is removed, but the
// results of a database from before the compact point ledger must be scored again). The
// database file is made readable by the owner only (0600).
func Open(path string) (*Store, error) {
	dsn := path + "?" + noNetwork
	if path != "" {
		if dir := filepath.Dir(path); dir != "." {
			if info, err := os.Stat(dir); err != nil || !info.IsDir() {
				return nil, fmt.Errorf("无法打开数据库 %s：目录 %s 不存在", path, dir)
			}
		}
	}
	// A database file is created by this Open when there is none, or only an empty one (its
	// creation was cut short: see emptyFile); if creating it fails, nothing is left.
	creating := false
	if path != "" {
		creating = emptyFile(path)
	}
	db, err := connect(path, dsn)
	if err != nil {
		if creating && !errors.Is(err, ErrLocked) {
			removeDB(path)
		}
		return nil, diskFull(err, path)
	}
	if err := migrate(db); err != nil {
		if creating {
			removeDB(path) // still ours: DuckDB's lock is held until Close
		}
		db.Close()
		return nil, diskFull(fmt.Errorf("无法打开数据库 %s：%v", path, err), path)
	}
	if path != "" {
		if err := restrict(path); err != nil {
			db.Close()
			return nil, fmt.Errorf("无法设置数据库 %s 的权限：%v", path, err)
		}
	}
	return &Store{DB: db, onDisk: path != "", path: path}, nil
}

// migrate creates the tables a database lacks and adds the columns earlier versions of jifen
// did not have; it removes nothing of the records, so earlier databases keep working (an
// earlier point_ledger table gives way to the compact ledger, and its results must be scored
// again: migrateLedger; the rules and notes of an earlier point_moves move to point_notes:
// migrateNotes).
func migrate(db *sql.DB) error {
	var hadLog bool
	if err := db.QueryRow("SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'imports'").Scan(&hadLog); err != nil {
		return err
	}
	if err := migrateLedger(db); err != nil {
		return err
	}
	if err := migrateNotes(db); err != nil {
		return err
	}
	if _, err := db.Exec(schema + ledgerSchema + migrations + importsSchema + excludedSchema); err != nil {
		return err
	}
	if err := widenPoints(db); err != nil {
		return err
	}
	if !hadLog {
		// A database from before the import log: its files are the history known.
		if _, err := db.Exec(backfillImports); err != nil {
			return err
		}
	}
	return nil
}

// migrations bring a database written by an earlier version of jifen up to date.
const migrations = `
ALTER TABLE files ADD COLUMN IF NOT EXISTS imported_by VARCHAR DEFAULT '';
ALTER TABLE members ADD COLUMN IF NOT EXISTS id_card VARCHAR DEFAULT '';
ALTER TABLE members ADD COLUMN IF NOT EXISTS phone VARCHAR DEFAULT '';
`

// widenPoints gives the points columns of a database written before DECIMAL(18,2) their
// width (DECIMAL(9,2) held at most 9,999,999.99: 3,400 rows of 通报批评 ×1000 overflowed a
// member's total and stopped scoring for everyone). A column already wide is left alone: an
// ALTER rewrites the table.
func widenPoints(db *sql.DB) error {
	rows, err := db.Query(`SELECT table_name, column_name FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND data_type = 'DECIMAL(9,2)'
		AND (table_name, column_name) IN (('scores', 'total'), ('period_scores', 'total'), ('point_moves', 'raw_points'),
			('point_moves', 'points'), ('point_packed', 'raw_points'), ('point_packed', 'points'))`)
	if err != nil {
		return err
	}
	var alters []string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		alters = append(alters, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE DECIMAL(18,2)", t, c))
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(alters) == 0 {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, a := range alters {
		if _, err := tx.Exec(a); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// restrict makes the database file and its write-ahead log readable by the owner only.
func restrict(path string) error {
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.DB.Close() }

// ImportedFile describes a file already in the database.
type ImportedFile struct {
	ID   int
	Path string
	Hash string
	Rows int
}

// FileByHash finds an imported file with the same content; ok is false if there is none.
func (s *Store) FileByHash(ctx context.Context, hash string) (ImportedFile, bool, error) {
	return s.file(ctx, "sha256", hash)
}

// FileByPath finds the imported file last imported from path.
func (s *Store) FileByPath(ctx context.Context, path string) (ImportedFile, bool, error) {
	return s.file(ctx, "path", path)
}

func (s *Store) file(ctx context.Context, col, v string) (ImportedFile, bool, error) {
	return fileBy(ctx, s.DB, col, v)
}

// querier is a database or one of its connections (inside a transaction).
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// fileBy finds the latest imported file whose col (sha256 or path, fixed by the caller) is v.
func fileBy(ctx context.Context, q querier, col, v string) (ImportedFile, bool, error) {
	var f ImportedFile
	err := q.QueryRowContext(ctx, "SELECT file_id, path, sha256, rows FROM files WHERE "+col+" = ? ORDER BY file_id DESC LIMIT 1", v).
		Scan(&f.ID, &f.Path, &f.Hash, &f.Rows)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	return f, err == nil, err
}

// Members loads the roster.
func (s *Store) Members(ctx context.Context) ([]engine.Member, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT count(*) FROM members").Scan(&n); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT m.member_id, m.name, m.branch, m.grp, m.category, m.position,
		m.join_date, m.transfer_in, m.transfer_out, m.birth_date, m.mobile, f.name, m.sheet, m.row
		FROM members m JOIN files f USING (file_id) ORDER BY m.file_id, m.sheet, m.row`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]engine.Member, 0, n)
	// The branches, groups, categories, positions, files and sheets repeat: each is kept once.
	intern := interner()
	var branch, grp, category, position, file, sheet sql.RawBytes
	for rows.Next() {
		var m engine.Member
		var jd, ti, to, bd sql.NullTime
		if err := rows.Scan(&m.ID, &m.Name, &branch, &grp, &category, &position, &jd, &ti, &to, &bd, &m.Mobile, &file, &sheet, &m.Src.Row); err != nil {
			return nil, err
		}
		m.Branch, m.Group, m.Category, m.Position = intern(branch), intern(grp), intern(category), intern(position)
		m.Src.File, m.Src.Sheet = intern(file), intern(sheet)
		m.JoinDate, m.TransferIn, m.TransferOut, m.BirthDate = jd.Time, ti.Time, to.Time, bd.Time
		out = append(out, m)
	}
	return out, rows.Err()
}

// interner gives a text read from the store as a string, the same string for the same text:
// texts that repeat over many rows (branches, files) are kept once.
func interner() func(b sql.RawBytes) string {
	seen := map[string]string{}
	return func(b sql.RawBytes) string {
		if s, ok := seen[string(b)]; ok {
			return s
		}
		s := string(b)
		seen[s] = s
		return s
	}
}

// EachMember puts the roster's members in the order of Members, each with only what matching
// records against the roster needs: ID, Name, Branch, Group, Position, JoinDate, TransferIn,
// TransferOut, IDCard and Src (the other fields are zero), read without the other columns (a
// register's expected members are the branch's roll on a day, the committee or a 党小组). size, when not nil, is first told how many members
// there are. m is reused, but its strings are not: put may keep them. ID and Name share one
// string, and the branches, files and sheets are each one string for all the members.
func (s *Store) EachMember(ctx context.Context, size func(n int), put func(m *engine.Member) error) error {
	if size != nil {
		var n int
		if err := s.DB.QueryRowContext(ctx, "SELECT count(*) FROM members").Scan(&n); err != nil {
			return err
		}
		size(n)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT m.member_id, m.name, m.branch, m.transfer_out, f.name, m.sheet, m.row, coalesce(m.id_card, ''),
		coalesce(m.grp, ''), coalesce(m.position, ''), m.join_date, m.transfer_in
		FROM members m JOIN files f USING (file_id) ORDER BY m.file_id, m.sheet, m.row`)
	if err != nil {
		return err
	}
	defer rows.Close()
	intern := interner()
	var m engine.Member
	var id, name, branch, file, sheet, card, group, position sql.RawBytes
	var out, join, in sql.NullTime
	var both []byte
	for rows.Next() {
		if err := rows.Scan(&id, &name, &branch, &out, &file, &sheet, &m.Src.Row, &card, &group, &position, &join, &in); err != nil {
			return err
		}
		both = append(append(both[:0], id...), name...)
		idName := string(both)
		m.ID, m.Name = idName[:len(id)], idName[len(id):]
		m.Branch, m.Src.File, m.Src.Sheet = intern(branch), intern(file), intern(sheet)
		m.TransferOut = out.Time
		m.IDCard = string(card) // the roster keeps it only to find members by 身份证号
		m.Group, m.Position = intern(group), intern(position)
		m.JoinDate, m.TransferIn = join.Time, in.Time
		if err := put(&m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ImportResult says what an import did.
type ImportResult struct {
	FileID   int
	Rows     int     // records stored
	Replaced int     // records of an earlier version of the same path removed
	Changes  Changes // against that earlier version
	Skipped  bool    // the same content was already imported; nothing changed
}

// Changes compares a corrected file with the version it replaces, record by record: a record
// is the same when its key is (member and activity and date for a sign-in, member and test and
// date for a test, member and year for a pledge, 党员编号 for a roster row; a ledger row is its
// whole content), and changed when its key stays but a value (status, score, …) does not.
type Changes struct {
	Added, Removed, Changed int
}

// recordKeys are each record table's key and value columns, for Changes.
var recordKeys = []struct{ table, key, value string }{
	{"members", "member_id", "name, branch, grp, category, position, join_date, transfer_in, transfer_out"},
	{"attendance", "member_id, activity, date", "status, note"},
	{"tests", "member_id, test, date", "score, full_mark, status"},
	{"pledges", "member_id, year", "signed, rating"},
	{"entries", "member_id, date, category, level, note, count, points", ""},
	{"assessments", "member_id, item, date", "result, value"},
}

// diff counts the records added, removed and changed from file old to file new.
func diff(ctx context.Context, conn *sql.Conn, oldID, newID int) (Changes, error) {
	var c Changes
	for _, t := range recordKeys {
		var q string
		if t.value == "" {
			q = "SELECT (SELECT count(*) FROM (SELECT " + t.key + " FROM " + t.table + " WHERE file_id = $2 EXCEPT ALL SELECT " + t.key + " FROM " + t.table + " WHERE file_id = $1)), " +
				"(SELECT count(*) FROM (SELECT " + t.key + " FROM " + t.table + " WHERE file_id = $1 EXCEPT ALL SELECT " + t.key + " FROM " + t.table + " WHERE file_id = $2)), 0"
		} else {
			q = "WITH o AS (SELECT " + t.key + ", row(" + t.value + ") AS v FROM " + t.table + " WHERE file_id = $1), " +
				"n AS (SELECT " + t.key + ", row(" + t.value + ") AS v FROM " + t.table + " WHERE file_id = $2) " +
				"SELECT count(*) FILTER (WHERE o.v IS NULL), count(*) FILTER (WHERE n.v IS NULL), count(*) FILTER (WHERE o.v IS NOT NULL AND n.v IS NOT NULL AND o.v IS DISTINCT FROM n.v) " +
				"FROM o FULL OUTER JOIN n USING (" + t.key + ")"
		}
		var a, r, ch int
		if err := conn.QueryRowContext(ctx, q, oldID, newID).Scan(&a, &r, &ch); err != nil {
			return c, err
		}
		c.Added, c.Removed, c.Changed = c.Added+a, c.Removed+r, c.Changed+ch
	}
	return c, nil
}

// Import stores one file's records in one transaction. A file whose content (hash) is already
// imported is skipped. A new version of a file already imported from the same path replaces
// that version's records. On any error nothing of the file is stored.
func (s *Store) Import(ctx context.Context, path, name, hash string, b *engine.Batch) (ImportResult, error) {
	return s.ImportStream(ctx, path, name, hash, func(emit func(*engine.Batch) error) error { return emit(b) })
}

// ImportStream is Import for records that arrive in batches: fill reads the file and calls
// emit with each batch (which the store may keep), while the store loads the batches already
// given through DuckDB's Appender in parallel (fill runs in its own goroutine), so a sheet of
// millions of rows is loaded as it is read, in bounded memory. An error from fill (the file's
// problems, *engine.FileErrors) or from loading rolls everything back and is returned; emit
// returns an error when loading has failed or ctx is done, and fill should then return it.
// A full disk is a *DiskFullError: before loading, when the disk holding the database has
// less room than twice the file's size (and a reserve); while loading, when a write fails.
func (s *Store) ImportStream(ctx context.Context, path, name, hash string, fill func(emit func(*engine.Batch) error) error) (ImportResult, error) {
	var res ImportResult
	if _, ok, err := s.FileByHash(ctx, hash); err != nil || ok {
		res.Skipped = ok
		return res, err
	}
	if s.path != "" {
		if err := CheckSpace(s.path, 2*sizeOf(path)); err != nil {
			return res, err
		}
	}
	res, err := s.importStream(ctx, path, name, hash, fill)
	return res, diskFull(err, s.path)
}

func (s *Store) importStream(ctx context.Context, path, name, hash string, fill func(emit func(*engine.Batch) error) error) (ImportResult, error) {
	var res ImportResult
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	restore, err := limitMemory(ctx, conn, s.onDisk, importMemory)
	if err != nil {
		return res, err
	}
	defer restore()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return res, err
	}
	s.stage("begin")
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	old, replacing, err := s.FileByPathConn(ctx, conn, path)
	if err != nil {
		return res, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT nextval('file_ids')").Scan(&res.FileID); err != nil {
		return res, err
	}
	now, user := time.Now().UTC(), CurrentUser()
	if _, err := conn.ExecContext(ctx, "INSERT INTO files (file_id, path, name, sha256, rows, imported_at, imported_by) VALUES (?, ?, ?, ?, 0, ?, ?)",
		res.FileID, path, name, hash, now, user); err != nil {
		return res, err
	}
	s.stage("file")
	var fillErr error
	var checks []string
	err = conn.Raw(func(dc any) error {
		var n int
		n, checks, fillErr = loadBatches(ctx, dc.(driver.Conn), int32(res.FileID), fill)
		res.Rows = n
		return nil
	})
	var le *loadError
	switch {
	case errors.As(fillErr, &le):
		return res, fmt.Errorf("%s: 写入数据库失败：%v", name, le.err)
	case fillErr != nil:
		return res, fillErr
	case err != nil:
		return res, err
	}
	if _, err := conn.ExecContext(ctx, "UPDATE files SET rows = ? WHERE file_id = ?", res.Rows, res.FileID); err != nil {
		return res, err
	}
	s.stage("append")
	action := ActionImport
	if replacing {
		action = ActionReplace
		// A corrected version: say what changed, then drop the old version's rows.
		res.Replaced = old.Rows
		if res.Changes, err = diff(ctx, conn, old.ID, res.FileID); err != nil {
			return res, err
		}
		for _, t := range append(recordTables, "files") {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+t+" WHERE file_id = ?", old.ID); err != nil {
				return res, err
			}
		}
		s.stage("replace")
	}
	repeats, err := repeated(ctx, conn, res.FileID, name, checks)
	if err != nil {
		return res, err
	}
	if errs, more, err := duplicates(ctx, conn, res.FileID, name); err != nil {
		return res, err
	} else if errs = append(repeats, errs...); len(errs) > 0 {
		return res, &engine.FileErrors{File: name, Errs: errs, More: more}
	}
	s.stage("check")
	if err := logImport(ctx, conn, Import{FileID: res.FileID, Action: action, Path: path, Name: name, Hash: hash, Rows: res.Rows, Time: now, User: user}); err != nil {
		return res, err
	}
	s.stage("commit")
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return res, err
	}
	committed = true
	s.stage("committed")
	return res, nil
}

// loadError is a failure of the database while loading (not of the file).
type loadError struct{ err error }

func (e *loadError) Error() string { return e.err.Error() }

// errLoadStopped tells fill that loading has stopped (the database failed).
var errLoadStopped = errors.New("写入数据库已中止")

// loadBatches runs fill in a goroutine and appends the batches it emits, as they come, on c. It
// returns the records loaded, the sheets whose repeated sign-ins are to be found
// (Batch.CheckRepeats) and fill's error, or a *loadError.
func loadBatches(ctx context.Context, c driver.Conn, fileID int32, fill func(emit func(*engine.Batch) error) error) (n int, checks []string, err error) {
	ap := &appenders{c: c, fileID: fileID}
	ch := make(chan *engine.Batch, 4)
	stop := make(chan struct{})
	fillDone := make(chan error, 1)
	go func() {
		defer close(ch)
		fillDone <- fill(func(b *engine.Batch) error {
			select {
			case ch <- b:
				return nil
			case <-stop:
				return errLoadStopped
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var appendErr error
	for b := range ch {
		if appendErr != nil {
			continue // drain: fill stops at its next emit
		}
		n += b.Rows()
		checks = append(checks, b.CheckRepeats...)
		if appendErr = ap.add(b); appendErr != nil {
			close(stop)
		}
	}
	fillErr := <-fillDone
	closeErr := ap.close()
	switch {
	case appendErr != nil:
		return n, nil, &loadError{appendErr}
	case fillErr != nil:
		return n, nil, fillErr
	case closeErr != nil:
		return n, nil, &loadError{closeErr}
	}
	return n, checks, ctx.Err()
}

// sqlRepeated finds the sign-in rows of a sheet that repeat an earlier row of that sheet (the
// same member at the same activity on the same date), for sheets too long for the importer to
// check in bounded memory; DuckDB's grouping spills to disk instead.
const sqlRepeated = `
WITH d AS (SELECT member_id, activity, date, min(row) AS first FROM attendance
	WHERE file_id = $1 AND sheet = $2 GROUP BY ALL HAVING count(*) > 1)
SELECT a.row, d.first FROM attendance a JOIN d USING (member_id, activity, date)
WHERE a.file_id = $1 AND a.sheet = $2 AND a.row <> d.first ORDER BY 1 LIMIT 1000`

// repeated lists the repeated sign-ins of the file's sheets named, as the importer words them.
func repeated(ctx context.Context, conn *sql.Conn, fileID int, name string, sheets []string) ([]error, error) {
	var errs []error
	for _, sh := range sheets {
		rows, err := conn.QueryContext(ctx, sqlRepeated, fileID, sh)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var row, first int
			if err := rows.Scan(&row, &first); err != nil {
				rows.Close()
				return nil, err
			}
			errs = append(errs, &engine.CellError{Src: engine.Source{File: name, Sheet: sh, Row: row}, Col: -1,
				Msg: fmt.Sprintf("与第 %d 行重复（同一党员、同一活动、同一日期）", first)})
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// dupParts find records of the new file that another file already holds: the same member at
// the same activity on the same date, the same test, or the same year's pledge. A revised copy
// saved under a new name must not count twice. duplicates runs them together (UNION ALL).
var dupParts = []struct{ when, find string }{
	{
		// other files' sign-ins within the new file's dates: none, when it is the first of its year
		`SELECT EXISTS (SELECT 1 FROM attendance WHERE file_id <> $1
			AND date BETWEEN (SELECT min(date) FROM attendance WHERE file_id = $1) AND (SELECT max(date) FROM attendance WHERE file_id = $1))`,
		`SELECT a.sheet, a.row, '同一党员、同一活动、同一日期', f.name, b.sheet, b.row
FROM attendance a JOIN (
	SELECT * FROM attendance WHERE file_id <> $1
	AND date BETWEEN (SELECT min(date) FROM attendance WHERE file_id = $1) AND (SELECT max(date) FROM attendance WHERE file_id = $1)
) b ON a.member_id = b.member_id AND a.activity = b.activity AND a.date = b.date
JOIN files f ON f.file_id = b.file_id WHERE a.file_id = $1`,
	},
	{
		`SELECT EXISTS (SELECT 1 FROM tests WHERE file_id = $1) AND EXISTS (SELECT 1 FROM tests WHERE file_id <> $1)`,
		`SELECT a.sheet, a.row, '同一党员、同一测试、同一日期', f.name, b.sheet, b.row
FROM tests a JOIN tests b ON a.member_id = b.member_id AND a.test = b.test AND a.date = b.date AND b.file_id <> a.file_id
JOIN files f ON f.file_id = b.file_id WHERE a.file_id = $1`,
	},
	{
		`SELECT EXISTS (SELECT 1 FROM pledges WHERE file_id = $1) AND EXISTS (SELECT 1 FROM pledges WHERE file_id <> $1)`,
		`SELECT a.sheet, a.row, '同一党员、同一年度的承诺书', f.name, b.sheet, b.row
FROM pledges a JOIN pledges b ON a.member_id = b.member_id AND a.year = b.year AND b.file_id <> a.file_id
JOIN files f ON f.file_id = b.file_id WHERE a.file_id = $1`,
	},
}

// duplicates lists the new file's records that another file already holds (dupParts), the
// first 100 by sheet and row, and counts the others (more). A part runs only when it may find something (its when): the new
// file's rows are not committed yet and have no statistics, so DuckDB builds its hash table of
// them, and a sheet of a million sign-ins took 50 MB to be compared with nothing.
func duplicates(ctx context.Context, conn *sql.Conn, fileID int, name string) (errs []error, more int, err error) {
	var parts []string
	for _, p := range dupParts {
		var may bool
		if err := conn.QueryRowContext(ctx, p.when, fileID).Scan(&may); err != nil {
			return nil, 0, err
		}
		if may {
			parts = append(parts, p.find)
		}
	}
	if len(parts) == 0 {
		return nil, 0, nil
	}
	rows, err := conn.QueryContext(ctx, "SELECT *, count(*) OVER () FROM ("+strings.Join(parts, "\nUNION ALL\n")+")\nORDER BY 1, 2 LIMIT 100", fileID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var sheet, what, other, otherSheet string
		var row, otherRow, n int
		if err := rows.Scan(&sheet, &row, &what, &other, &otherSheet, &otherRow, &n); err != nil {
			return nil, 0, err
		}
		more = n - 100
		where := engine.Source{File: other, Sheet: otherSheet, Row: otherRow}
		errs = append(errs, &engine.CellError{Src: engine.Source{File: name, Sheet: sheet, Row: row}, Col: -1,
			Msg: "与已导入的 " + where.String() + " 重复（" + what + "）：同一记录只能导入一次：如果这个文件是原文件的修订版，请用它替换原文件（用原来的文件名）；如果两个文件登记的是同一件事（如签到表和登记簿都记了这次会议），请核对两处写的是否一致，只在一处登记它（另一处独有的记录要保留）"})
	}
	return errs, max(more, 0), rows.Err()
}

// Files lists the imported files.
func (s *Store) Files(ctx context.Context) ([]ImportedFile, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT file_id, path, sha256, rows FROM files ORDER BY file_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportedFile
	for rows.Next() {
		var f ImportedFile
		if err := rows.Scan(&f.ID, &f.Path, &f.Hash, &f.Rows); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Remove deletes an imported file and all its records, in one transaction; the import log
// records the removal.
func (s *Store) Remove(ctx context.Context, fileID int) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, logRemoval, fileID, ActionRemove, time.Now().UTC(), CurrentUser()); err != nil {
		tx.Rollback()
		return err
	}
	for _, t := range append(recordTables, "files") {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE file_id = ?", fileID); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// Years lists the years that have sign-in, test, pledge or ledger records.
func (s *Store) Years(ctx context.Context) ([]int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT y FROM (
		SELECT year(date) AS y FROM attendance UNION ALL SELECT year(date) FROM tests
		UNION ALL SELECT year FROM pledges UNION ALL SELECT year(date) FROM entries
		UNION ALL SELECT year(date) FROM assessments) ORDER BY y`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// FileByPathConn is FileByPath on a given connection (inside its transaction).
func (s *Store) FileByPathConn(ctx context.Context, conn *sql.Conn, path string) (ImportedFile, bool, error) {
	return fileBy(ctx, conn, "path", path)
}

// appenders load batches of records through one DuckDB Appender per table, opened when the
// table's first row comes, on the transaction's connection.
type appenders struct {
	c      driver.Conn
	fileID int32
	open   map[string]*duckdb.Appender
	order  []string
	vals   []driver.Value
}

// rows appends n rows of table, each given by row into the reused slice of values, and
// flushes them into the table.
func (ap *appenders) rows(table string, n int, row func(i int, v []driver.Value) []driver.Value) error {
	if n == 0 {
		return nil
	}
	a, ok := ap.open[table]
	if !ok {
		var err error
		if a, err = duckdb.NewAppenderFromConn(ap.c, "", table); err != nil {
			return err
		}
		if ap.open == nil {
			ap.open = map[string]*duckdb.Appender{}
		}
		ap.open[table] = a
		ap.order = append(ap.order, table)
	}
	for i := 0; i < n; i++ {
		ap.vals = row(i, ap.vals[:0])
		if err := a.AppendRow(ap.vals...); err != nil {
			return err
		}
	}
	// DuckDB's appender gathers 204,800 rows in memory of its own, outside its memory_limit,
	// before it adds them to the table: flushed after each batch it holds a few thousand (a
	// sheet of a million sign-ins peaks 30 MB lower, and loads no slower).
	return a.Flush()
}

// close flushes and closes every appender; the first error is returned.
func (ap *appenders) close() error {
	var first error
	for _, t := range ap.order {
		if err := ap.open[t].Close(); err != nil && first == nil {
			first = err
		}
	}
	ap.open, ap.order = nil, nil
	return first
}

// add appends a batch's records.
func (ap *appenders) add(b *engine.Batch) error {
	fileID := ap.fileID
	src := func(v []driver.Value, s engine.Source) []driver.Value {
		return append(v, fileID, s.Sheet, int32(s.Row))
	}
	if err := ap.rows("members", len(b.Members), func(i int, v []driver.Value) []driver.Value {
		m := &b.Members[i]
		v = append(v, m.ID, m.Name, m.Branch, m.Group, m.Category, m.Position, date(m.JoinDate), date(m.TransferIn), date(m.TransferOut), date(m.BirthDate), m.Mobile)
		return append(src(v, m.Src), m.IDCard, m.Phone)
	}); err != nil {
		return err
	}
	if err := ap.rows("attendance", len(b.Attendance), func(i int, v []driver.Value) []driver.Value {
		a := &b.Attendance[i]
		return src(append(v, a.MemberID, a.Activity, a.Date, a.Status, a.Note), a.Src)
	}); err != nil {
		return err
	}
	if err := ap.rows("tests", len(b.Tests), func(i int, v []driver.Value) []driver.Value {
		t := &b.Tests[i]
		var score driver.Value
		if t.Score != nil {
			score = *t.Score
		}
		return src(append(v, t.MemberID, t.Test, t.Date, score, t.FullMark, t.Status), t.Src)
	}); err != nil {
		return err
	}
	if err := ap.rows("pledges", len(b.Pledges), func(i int, v []driver.Value) []driver.Value {
		p := &b.Pledges[i]
		return src(append(v, p.MemberID, int32(p.Year), p.Signed, p.Rating), p.Src)
	}); err != nil {
		return err
	}
	if err := ap.rows("entries", len(b.Ledger), func(i int, v []driver.Value) []driver.Value {
		e := &b.Ledger[i]
		var pts driver.Value
		if e.Points != nil {
			pts = *e.Points
		}
		return src(append(v, e.MemberID, e.Date, e.Category, e.Level, e.Note, e.Count, pts), e.Src)
	}); err != nil {
		return err
	}
	return ap.rows("assessments", len(b.Assessments), func(i int, v []driver.Value) []driver.Value {
		a := &b.Assessments[i]
		var v2 driver.Value
		if a.Value != nil {
			v2 = *a.Value
		}
		return src(append(v, a.MemberID, a.Item, a.Date, a.Result, v2), a.Src)
	})
}

// date is NULL for a zero time.
func date(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	return t
}
