package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/store"
)

// oldNotes makes a database as jifen wrote it before point_notes: point_moves with a rule and a
// note column (NULL but where a movement has its own), read by the view of that time. Two
// years; in each the first movement with a text is the member's base points.
func oldNotes(t *testing.T, path string) {
	t.Helper()
	db := schemaOnly(t, path)
	defer db.Close()
	if _, err := db.Exec(`DROP VIEW point_ledger; DROP TABLE point_moves; DROP TABLE point_notes;
		CREATE TABLE point_moves (year INTEGER NOT NULL, mno INTEGER NOT NULL, period INTEGER NOT NULL, ord BIGINT NOT NULL,
			cat_ord INTEGER NOT NULL, kid INTEGER, fs INTEGER, row INTEGER, date DATE, raw_points DECIMAL(9,2) NOT NULL,
			points DECIMAL(9,2) NOT NULL, rule VARCHAR, note VARCHAR);
		CREATE VIEW point_ledger AS SELECT p.year, p.period, m.text AS member_id,
			row_number() OVER (PARTITION BY p.year, p.mno ORDER BY p.ord)::INTEGER AS seq,
			c.text AS category, coalesce(p.rule, r.text) AS rule, p.date, p.raw_points, p.points,
			coalesce(p.note, '') AS note,
			CASE WHEN p.fs IS NULL THEN '规则' ELSE s.text || coalesce(p.row || '行', '') END AS source
		FROM point_moves p
		JOIN point_codes m ON m.year = p.year AND m.kind = 0 AND m.code = p.mno
		JOIN point_codes c ON c.year = p.year AND c.kind = 1 AND c.code = p.cat_ord
		LEFT JOIN point_codes r ON r.year = p.year AND r.kind = 2 AND r.code = p.kid
		LEFT JOIN point_codes s ON s.year = p.year AND s.kind = 3 AND s.code = p.fs;
		INSERT INTO point_codes VALUES
			(2022, 0, 1, 'A1'), (2022, 0, 2, 'A2'),
			(2022, 1, -1, '基础分'), (2022, 1, 0, '出勤'), (2022, 1, 1, '其他加分'), (2022, 1, 1000001, '不计分'), (2022, 1, 2000000, '一票否决'),
			(2022, 2, 1, '主题党日·出席'), (2022, 2, 2, '党课·出席'), (2022, 2, 3, '志愿服务 ×2'),
			(2022, 3, 1, '考勤.csv!'), (2022, 3, 2, '台账.xlsx[加分]!'),
			(2021, 0, 1, 'C1'), (2021, 1, -1, '基础分'), (2021, 1, 0, '出勤'), (2021, 2, 1, '主题党日·出席'), (2021, 3, 1, '考勤.csv!');
		INSERT INTO point_moves VALUES
			(2022, 1, 0, 10, -1, NULL, NULL, NULL, NULL, 60, 60, '基础分', NULL),
			(2022, 1, 0, 20, 0, 1, 1, 2, '2022-03-15', 1, 1, NULL, NULL),
			(2022, 1, 0, 30, 0, 2, 1, 5, '2022-04-20', 1, 0.5, NULL, '达到出勤加分上限 1.5 分，只计 0.5 分'),
			(2022, 1, 0, 35, 1, 3, 2, 4, '2022-05-04', 2, 2, NULL, NULL),
			(2022, 1, 0, 40, 2000000, NULL, NULL, NULL, NULL, -63.5, -63.5, '一票否决·开除党籍', '一票否决（开除党籍）：总分清零'),
			(2022, 2, 0, 10, -1, NULL, NULL, NULL, NULL, 60, 60, '基础分', NULL),
			(2022, 2, 0, 20, 1000001, 3, 2, 9, '2022-03-20', 0, 0, '志愿服务', '不在在册期间（2022-04-01 至 2022-12-31），不计分'),
			(2021, 1, 0, 10, -1, NULL, NULL, NULL, NULL, 60, 60, '基础分', NULL),
			(2021, 1, 0, 20, 0, 1, 1, 7, '2021-01-10', 1, 1, NULL, NULL);
		INSERT INTO scores VALUES (2022, 'A1', '张伟', '一支部', '正式党员', 0, 0, 0, '不合格', '', ''),
			(2022, 'A2', '王芳', '一支部', '正式党员', 1, 60, 1, '基本合格', '', ''),
			(2021, 'C1', '赵敏', '二支部', '正式党员', 0, 61, 1, '基本合格', '', '')`); err != nil {
		t.Fatal(err)
	}
}

// wantNotesLedger is the view point_ledger of oldNotes's database, row by row.
var wantNotesLedger = []string{
	"2021|0|C1|1|基础分|基础分|-|60.00|60.00||规则",
	"2021|0|C1|2|出勤|主题党日·出席|2021-01-10|1.00|1.00||考勤.csv!7行",
	"2022|0|A1|1|基础分|基础分|-|60.00|60.00||规则",
	"2022|0|A1|2|出勤|主题党日·出席|2022-03-15|1.00|1.00||考勤.csv!2行",
	"2022|0|A1|3|出勤|党课·出席|2022-04-20|1.00|0.50|达到出勤加分上限 1.5 分，只计 0.5 分|考勤.csv!5行",
	"2022|0|A1|4|其他加分|志愿服务 ×2|2022-05-04|2.00|2.00||台账.xlsx[加分]!4行",
	"2022|0|A1|5|一票否决|一票否决·开除党籍|-|-63.50|-63.50|一票否决（开除党籍）：总分清零|规则",
	"2022|0|A2|1|基础分|基础分|-|60.00|60.00||规则",
	"2022|0|A2|2|不计分|志愿服务|2022-03-20|0.00|0.00|不在在册期间（2022-04-01 至 2022-12-31），不计分|台账.xlsx[加分]!9行",
}

// The view's columns, as the view of oldNotes's time has them, points widened to DECIMAL(18,2)
// (widenPoints).
const ledgerColumns = "year INTEGER, period INTEGER, member_id VARCHAR, seq INTEGER, category VARCHAR, rule VARCHAR, date DATE, " +
	"raw_points DECIMAL(18,2), points DECIMAL(18,2), note VARCHAR, source VARCHAR"

// oldLedgerColumns are the old view's, before the database is opened by this version.
var oldLedgerColumns = strings.ReplaceAll(ledgerColumns, "DECIMAL(18,2)", "DECIMAL(9,2)")

// ledgerShape gives the view point_ledger's columns, its rows (as wantNotesLedger), and the
// columns of point_moves.
func ledgerShape(t *testing.T, db *sql.DB) (view string, rows []string, moves string) {
	t.Helper()
	if err := db.QueryRow(`SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM duckdb_columns()
		WHERE schema_name = 'main' AND table_name = 'point_ledger'`).Scan(&view); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT string_agg(column_name, ' ' ORDER BY column_index) FROM duckdb_columns()
		WHERE schema_name = 'main' AND table_name = 'point_moves'`).Scan(&moves); err != nil {
		t.Fatal(err)
	}
	r, err := db.Query(`SELECT concat_ws('|', year, period, member_id, seq, category, rule, coalesce(date::VARCHAR, '-'), raw_points, points, note, source)
		FROM point_ledger ORDER BY year, member_id, seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var s string
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, s)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return view, rows, moves
}

// checkNotes checks that the database at path holds oldNotes's ledger in the present shape
// (point_moves without text, the texts in point_notes, six of them, numbered in their year).
func checkNotes(t *testing.T, path string) {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view, rows, moves := ledgerShape(t, s.DB)
	if view != ledgerColumns {
		t.Errorf("point_ledger's columns: %s\nwant %s", view, ledgerColumns)
	}
	if want := "year mno period ord cat_ord kid fs row date raw_points points xid"; moves != want {
		t.Errorf("point_moves's columns: %s, want %s", moves, want)
	}
	if strings.Join(rows, "\n") != strings.Join(wantNotesLedger, "\n") {
		t.Errorf("point_ledger:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantNotesLedger, "\n"))
	}
	var notes, noted, years int
	if err := s.DB.QueryRow(`SELECT (SELECT count(*) FROM point_notes), (SELECT count(xid) FROM point_moves),
		(SELECT count(DISTINCT year) FROM point_notes WHERE xid = 1)`).Scan(&notes, &noted, &years); err != nil {
		t.Fatal(err)
	}
	if notes != 6 || noted != 6 || years != 2 {
		t.Errorf("%d rows in point_notes, %d movements with an xid, xid 1 in %d years; want 6, 6 and 2", notes, noted, years)
	}
	// One member's ledger (memberLedger) and the year's.
	one, err := s.Ledger(context.Background(), 2022, "A2")
	if err != nil || len(one) != 2 || one[1].Rule != "志愿服务" || one[1].Note != "不在在册期间（2022-04-01 至 2022-12-31），不计分" || one[1].Source != "台账.xlsx[加分]!9行" {
		t.Errorf("Ledger(2022, A2) = %+v, %v", one, err)
	}
	all, err := s.Ledger(context.Background(), 2022, "")
	if err != nil || len(all) != 7 || all[2].Note != "达到出勤加分上限 1.5 分，只计 0.5 分" || all[3].Note != "" || all[3].Rule != "志愿服务 ×2" {
		t.Errorf("Ledger(2022) = %+v, %v", all, err)
	}
}

// A database whose point_moves holds the rules and notes (written before point_notes) is moved
// over when opened: the same ledger, the texts in point_notes; opened again, it stays so.
func TestOldNotesMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.duckdb")
	oldNotes(t, path)
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	view, rows, _ := ledgerShape(t, db)
	db.Close()
	if view != oldLedgerColumns || strings.Join(rows, "\n") != strings.Join(wantNotesLedger, "\n") {
		t.Fatalf("the old view gives %s:\n%s\nwant the same as wantNotesLedger", view, strings.Join(rows, "\n"))
	}
	checkNotes(t, path)
	checkNotes(t, path)
}

// A migration that fails leaves the database as it was: the rules and notes in point_moves,
// read by the old view.
func TestOldNotesMigrateAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.duckdb")
	oldNotes(t, path)
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	// A point_notes the texts cannot go into.
	if _, err := db.Exec("CREATE TABLE point_notes (year INTEGER NOT NULL, xid INTEGER NOT NULL, rule VARCHAR, note VARCHAR, other INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := store.Open(path); err == nil {
		s.Close()
		t.Fatal("Open moved the texts into a point_notes of another shape")
	}
	db, err = sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	view, rows, moves := ledgerShape(t, db)
	if view != oldLedgerColumns || strings.Join(rows, "\n") != strings.Join(wantNotesLedger, "\n") ||
		moves != "year mno period ord cat_ord kid fs row date raw_points points rule note" {
		t.Errorf("after a failed migration: point_moves %s, point_ledger %s:\n%s", moves, view, strings.Join(rows, "\n"))
	}
	if _, err := db.Exec("DROP TABLE point_notes"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	checkNotes(t, path)
}

// A backup of a database written before point_notes (point_moves.parquet with the texts)
// restores into the present shape; a backup of the present shape holds point_notes and
// restores the same ledger.
func TestOldNotesRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	path := filepath.Join(dir, "old.duckdb")
	oldNotes(t, path)
	old := filepath.Join(dir, "old backup")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("EXPORT DATABASE '" + old + "' (FORMAT parquet)")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(old, "point_notes.parquet")); err == nil {
		t.Fatal("the old backup has point_notes")
	}
	restored := filepath.Join(dir, "restored.duckdb")
	if _, err := store.Restore(ctx, old, restored, false); err != nil {
		t.Fatal(err)
	}
	checkNotes(t, restored)

	s, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(dir, "backup")
	err = s.Backup(ctx, bk)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(bk, "point_notes.parquet")); err != nil {
		t.Errorf("the backup lacks point_notes: %v", err)
	}
	again := filepath.Join(dir, "again.duckdb")
	if _, err := store.Restore(ctx, bk, again, false); err != nil {
		t.Fatal(err)
	}
	checkNotes(t, again)
}
