package store

import "database/sql"

// ledgerSchema stores the point ledger (积分明细) compactly, as scoring writes it: point_moves
// (or, for a year whose codes fit in the order, point_packed: ledgerMoves) holds one row per
// movement of integer codes (member mno, category cat_ord, rule key kid, file
// and sheet fs, row), its date and points, its order within the member's ledger (ord: any
// increasing number), and xid: NULL, or for a movement with a rule or note of its own (a record
// outside its member's period, one a cap or highest-only changed, one that is no record but
// base points: category bounds, vetoes) its number in the year, under which point_notes holds
// that rule (NULL: the key's label) and note (NULL: none); base points (no key, no source, no
// xid) have the rule 基础分 (category −1, itself named 基础分) or their category's name and
// 基础分 (a year scored before this has them in point_notes: the same text). The text is kept apart because a VARCHAR
// column is slow to write even when NULL, as it is on almost every movement. point_codes names
// the codes of each year (kind 0 member → 党员编号, 1 category, 2 rule, 3 file and sheet →
// 文件[工作表]!). The view point_ledger gives the ledger as readers see it: one row per movement
// with its number (seq, from 1 per member in ord), category, rule, note (empty when none) and
// source (文件[工作表]!N行, or 规则). Writing codes instead of text, unsorted, is several times
// faster for a ledger of millions of rows; the view numbers them when read.
const ledgerSchema = `
CREATE TABLE IF NOT EXISTS point_moves (
	year       INTEGER NOT NULL,
	mno        INTEGER NOT NULL,
	period     INTEGER NOT NULL,
	ord        BIGINT NOT NULL,
	cat_ord    INTEGER NOT NULL,
	kid        INTEGER,
	fs         INTEGER,
	row        INTEGER,
	date       DATE,
	raw_points DECIMAL(18,2) NOT NULL,
	points     DECIMAL(18,2) NOT NULL,
	xid        INTEGER
);
CREATE TABLE IF NOT EXISTS point_notes (
	year INTEGER NOT NULL,
	xid  INTEGER NOT NULL,
	rule VARCHAR,
	note VARCHAR
);
CREATE TABLE IF NOT EXISTS point_codes (
	year INTEGER NOT NULL,
	kind INTEGER NOT NULL,
	code INTEGER NOT NULL,
	text VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS point_packed (
	year       INTEGER NOT NULL,
	mno        INTEGER NOT NULL,
	ord        BIGINT NOT NULL,
	raw_points DECIMAL(18,2) NOT NULL,
	points     DECIMAL(18,2) NOT NULL,
	xid        INTEGER
);
CREATE TABLE IF NOT EXISTS point_layout (
	year       INTEGER NOT NULL,
	fb         INTEGER NOT NULL,
	rb         INTEGER NOT NULL,
	kb         INTEGER NOT NULL,
	cb         INTEGER NOT NULL,
	categories INTEGER NOT NULL
);
CREATE OR REPLACE VIEW point_ledger AS ` + ledgerRows + `;
`

// ledgerMoves gives the movements of point_moves and point_packed alike, as point_moves holds
// them. A movement of point_packed has its codes in its order (ord), as scoring packs them when
// they fit in 63 bits (engine/scoring movementOrder): from the top, the period, the phase (3 bits),
// the day of the year (9 bits, 0 for none), the category (cb bits: 0 the base points, 1 … n the
// config's categories, n + 1 不计分, n + 2 outside the member's period, n + 3 一票否决), the file
// and sheet (fb bits), the row (rb) and the rule key (kb), each all ones for none; point_layout
// gives the widths and n of each year. Seven columns fewer to write for a ledger of millions of
// movements.
const ledgerMoves = `(SELECT year, mno, period, ord, cat_ord, kid, fs, row, date, raw_points, points, xid FROM point_moves
UNION ALL
SELECT year, mno, period, ord,
	CASE c WHEN 0 THEN -1 WHEN n + 1 THEN 1000000 WHEN n + 2 THEN 1000001 WHEN n + 3 THEN 2000000 ELSE c - 1 END,
	nullif(k, kmax), nullif(f, fmax), nullif(r, rmax),
	CASE WHEN doy > 0 THEN make_date(year, 1, 1) + (doy - 1) END, raw_points, points, xid
FROM (
	SELECT p.*, l.categories AS n,
		(p.ord >> (l.kb + l.rb + l.fb + l.cb + 12))::INTEGER AS period,
		((p.ord >> (l.kb + l.rb + l.fb + l.cb)) & 511)::INTEGER AS doy,
		((p.ord >> (l.kb + l.rb + l.fb)) & ((1::BIGINT << l.cb) - 1))::INTEGER AS c,
		((p.ord >> (l.kb + l.rb)) & ((1::BIGINT << l.fb) - 1))::INTEGER AS f, ((1::BIGINT << l.fb) - 1)::INTEGER AS fmax,
		((p.ord >> l.kb) & ((1::BIGINT << l.rb) - 1))::INTEGER AS r, ((1::BIGINT << l.rb) - 1)::INTEGER AS rmax,
		(p.ord & ((1::BIGINT << l.kb) - 1))::INTEGER AS k, ((1::BIGINT << l.kb) - 1)::INTEGER AS kmax
	FROM point_packed p JOIN point_layout l USING (year)
))`

// ledgerRows is the view point_ledger's query. A WHERE on the movements p added to it must keep
// every movement of a member of a year or none: the movements are numbered among the member's.
const ledgerRows = `SELECT p.year, p.period, m.text AS member_id,
	row_number() OVER (PARTITION BY p.year, p.mno ORDER BY p.ord)::INTEGER AS seq,
	c.text AS category,
	coalesce(x.rule, r.text, CASE WHEN p.kid IS NULL AND p.fs IS NULL THEN CASE WHEN p.cat_ord = -1 THEN c.text ELSE c.text || '基础分' END END) AS rule,
	p.date, p.raw_points, p.points,
	coalesce(x.note, '') AS note,
	CASE WHEN p.fs IS NULL THEN '规则' ELSE s.text || coalesce(p.row || '行', '') END AS source
FROM ` + ledgerMoves + ` p
JOIN point_codes m ON m.year = p.year AND m.kind = 0 AND m.code = p.mno
JOIN point_codes c ON c.year = p.year AND c.kind = 1 AND c.code = p.cat_ord
LEFT JOIN point_codes r ON r.year = p.year AND r.kind = 2 AND r.code = p.kid
LEFT JOIN point_codes s ON s.year = p.year AND s.kind = 3 AND s.code = p.fs
LEFT JOIN point_notes x ON x.year = p.year AND x.xid = p.xid`

// memberLedger is the point ledger of one member of a year (parameters: the year, 党员编号):
// the view's rows, numbered among that member's movements alone, which DuckDB does not do for
// a filter on the view's member_id (it numbers every movement of the year first).
const memberLedger = ledgerRows + `
WHERE p.year = $1 AND p.mno IN (SELECT code FROM point_codes WHERE year = $1 AND kind = 0 AND text = $2)`

// migrateLedger replaces the point_ledger table of a database written by an earlier version of
// jifen with point_moves and the view. The ledger is derived data and cannot be converted
// (it lacks the codes): the earlier results (scores, period totals) are removed with it, so the
// outputs ask for the year to be scored again (数据库中没有 … 年的计分结果：请先运行 jifen score)
// instead of showing results without their ledger.
func migrateLedger(db *sql.DB) error {
	var table, runs bool
	if err := db.QueryRow(`SELECT
		count(*) FILTER (WHERE table_name = 'point_ledger') > 0, count(*) FILTER (WHERE table_name = 'score_runs') > 0
		FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`).Scan(&table, &runs); err != nil {
		return err
	}
	if !table {
		return nil
	}
	q := "DROP TABLE point_ledger; DELETE FROM scores; DELETE FROM period_scores"
	if runs {
		q += "; DELETE FROM score_runs"
	}
	tx, err := db.Begin() // all or nothing: results are never left without their ledger
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(q); err != nil {
		return err
	}
	return tx.Commit()
}

// migrateNotes brings a point_moves written before point_notes, with a rule and a note column
// (NULL on almost every row), to its present shape: the movements that have a rule or a note
// get their xid and their text goes to point_notes (splitNotes). All in one transaction; the
// view point_ledger, which reads those columns, is dropped first and made again.
func migrateNotes(db *sql.DB) error {
	var old bool
	if err := db.QueryRow(`SELECT count(*) > 0 FROM duckdb_columns() WHERE database_name = current_database()
		AND schema_name = 'main' AND table_name = 'point_moves' AND column_name = 'rule'`).Scan(&old); err != nil {
		return err
	}
	if !old {
		return nil
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("DROP VIEW IF EXISTS point_ledger;\nALTER TABLE point_moves RENAME TO point_moves_old;" + ledgerSchema + splitNotes); err != nil {
		return err
	}
	return tx.Commit()
}

// splitNotes moves the rows of point_moves_old, movements of point_moves's earlier shape (its
// columns with rule and note instead of xid: a table of a database being migrated, or a backup's
// rows), into point_moves and point_notes, numbering those with a rule or a note in their year
// (xid), and drops point_moves_old.
const splitNotes = `
CREATE OR REPLACE TEMP TABLE notes_split AS
SELECT rowid AS rid, year, row_number() OVER (PARTITION BY year ORDER BY rowid)::INTEGER AS xid, rule, note
FROM point_moves_old WHERE rule IS NOT NULL OR note IS NOT NULL;
INSERT INTO point_notes SELECT year, xid, rule, note FROM notes_split;
INSERT INTO point_moves BY NAME
SELECT p.* EXCLUDE (rule, note), x.xid FROM point_moves_old p LEFT JOIN notes_split x ON x.rid = p.rowid;
DROP TABLE point_moves_old;
DROP TABLE notes_split`

// LedgerFromRows is SQL that stores the rows of a table ledger_rows, of point_ledger's columns,
// as the point ledger (point_moves, point_notes and point_codes; a source 文件[工作表]!N行 as its
// file and sheet and its row, another kept whole; a note in point_notes), numbered by their seq:
// for tests and benchmarks of the readers, which fill a ledger without scoring.
const LedgerFromRows = `
CREATE OR REPLACE TEMP TABLE ledger_split AS
SELECT *, CASE WHEN source = '规则' THEN NULL WHEN regexp_matches(source, '^.*!\d+行$') THEN regexp_extract(source, '^(.*!)\d+行$', 1) ELSE source END AS prefix,
	CASE WHEN source <> '规则' AND regexp_matches(source, '^.*!\d+行$') THEN regexp_extract(source, '^.*!(\d+)行$', 1)::INTEGER END AS srow,
	CASE WHEN coalesce(note, '') <> '' THEN row_number() OVER (PARTITION BY year, coalesce(note, '') <> '' ORDER BY member_id, seq) END::INTEGER AS xid
FROM ledger_rows;
INSERT INTO point_codes
SELECT year, 0, dense_rank() OVER (PARTITION BY year ORDER BY member_id), member_id FROM (SELECT DISTINCT year, member_id FROM ledger_split)
UNION ALL
SELECT year, 1, dense_rank() OVER (PARTITION BY year ORDER BY category), category FROM (SELECT DISTINCT year, category FROM ledger_split)
UNION ALL
SELECT year, 2, dense_rank() OVER (PARTITION BY year ORDER BY rule), rule FROM (SELECT DISTINCT year, rule FROM ledger_split)
UNION ALL
SELECT year, 3, dense_rank() OVER (PARTITION BY year ORDER BY prefix), prefix FROM (SELECT DISTINCT year, prefix FROM ledger_split WHERE prefix IS NOT NULL);
INSERT INTO point_notes SELECT year, xid, NULL, note FROM ledger_split WHERE xid IS NOT NULL;
INSERT INTO point_moves
SELECT l.year, m.code, l.period, l.seq, c.code, r.code, s.code, l.srow, l.date, l.raw_points, l.points, l.xid
FROM ledger_split l
JOIN point_codes m ON m.year = l.year AND m.kind = 0 AND m.text = l.member_id
JOIN point_codes c ON c.year = l.year AND c.kind = 1 AND c.text = l.category
JOIN point_codes r ON r.year = l.year AND r.kind = 2 AND r.text = l.rule
LEFT JOIN point_codes s ON s.year = l.year AND s.kind = 3 AND s.text = l.prefix;
DROP TABLE ledger_split
`
