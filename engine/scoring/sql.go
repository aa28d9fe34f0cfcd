package scoring

// The scoring SQL, step by step. Parameters are named ($year, …) and bound from the config;
// rule figures come from the r_* tables of rules.go.
//
// The records are read once. What a record scores depends only on its key (the fields the rules
// and indicators look at: activity and status, test and score, …) and on its member's profile
// (committee, category, mobile, age): so the rules are matched once per key and profile (mk),
// and the records carry small integer codes (member mno, key kid, file and sheet fs) from then
// on. mv holds every point movement of the year, one row each, until it is written out as the
// point ledger.

// sqlMacros: helpers. fmt_points writes points with no trailing zeros (72.5, 60, 100, 0: a
// DECIMAL(18,2) is written with its two decimals, 72.50, 100.00, 0.00);
// cap_of names a category's cap (出勤 → 出勤加分, 其他加分 → 其他加分, not 其他加分加分); period_of
// gives the period (0 for the year, else the quarter or month) of a date.
const sqlMacros = `
CREATE OR REPLACE TEMP MACRO fmt_points(x) AS rtrim(rtrim(CAST(x::DECIMAL(18,2) AS VARCHAR), '0'), '.');
CREATE OR REPLACE TEMP MACRO cap_of(name, kind) AS CASE WHEN suffix(name, kind) THEN name ELSE name || kind END;
CREATE OR REPLACE TEMP MACRO period_of(kind, d) AS
	CASE kind WHEN 'quarter' THEN quarter(d) WHEN 'month' THEN month(d) ELSE 0 END;
CREATE OR REPLACE TEMP MACRO mv_date(fl, day) AS CASE WHEN fl & 16 = 0 THEN day END`

// sqlPeriods: each member's period in the year, max(1 Jan, 入党时间, 转入时间) to
// min(31 Dec, 转出时间), both days included (DOMAIN.md, reference scheme); members whose period
// is empty are not scored that year. Each scored member gets a number (mno), the numbers of its
// branch (bno) and 党小组 (gno), and of its profile (prof: what member conditions look at; age
// only when a condition uses it). Then the scoring periods (the year, its quarters or its
// months) and each member's part of each.
const sqlPeriods = `
CREATE OR REPLACE TEMP TABLE sm AS
SELECT *,
	row_number() OVER (ORDER BY ord, member_id)::INTEGER AS mno,
	dense_rank() OVER (ORDER BY branch)::INTEGER AS bno,
	dense_rank() OVER (ORDER BY branch, grp)::INTEGER AS gno,
	dense_rank() OVER (ORDER BY is_committee, category, mobile, CASE WHEN $ages THEN age END)::INTEGER AS prof
FROM (
	SELECT m.*,
		greatest(make_date($year, 1, 1), coalesce(m.join_date, DATE '0001-01-01'), coalesce(m.transfer_in, DATE '0001-01-01')) AS p_start,
		least(make_date($year, 12, 31), coalesce(m.transfer_out, DATE '9999-12-31')) AS p_end,
		EXISTS (SELECT 1 FROM r_committee c WHERE m.position <> '' AND contains(m.position, c.position)) AS is_committee,
		CASE WHEN m.birth_date IS NULL THEN NULL ELSE date_sub('year', m.birth_date, make_date($year, 12, 31)) END AS age,
		m.file_id::BIGINT * 10000000 + m.row AS ord
	FROM members m
) WHERE p_start <= p_end;
CREATE OR REPLACE TEMP TABLE pf AS
SELECT prof, any_value(is_committee) AS is_committee, any_value(category) AS category, any_value(mobile) AS mobile,
	any_value(CASE WHEN $ages THEN age END) AS age
FROM sm GROUP BY prof;
CREATE OR REPLACE TEMP TABLE pr AS
SELECT 0 AS period, make_date($year, 1, 1) AS p0, make_date($year, 12, 31) AS p1 WHERE $period = 'year'
UNION ALL
SELECT q::INTEGER, make_date($year, (3 * q - 2)::INTEGER, 1), last_day(make_date($year, (3 * q)::INTEGER, 1)) FROM range(1, 5) t(q) WHERE $period = 'quarter'
UNION ALL
SELECT m::INTEGER, make_date($year, m::INTEGER, 1), last_day(make_date($year, m::INTEGER, 1)) FROM range(1, 13) t(m) WHERE $period = 'month';
CREATE OR REPLACE TEMP TABLE smp AS
SELECT s.member_id, s.mno, pr.period, greatest(s.p_start, pr.p0) AS ps, least(s.p_end, pr.p1) AS pe
FROM sm s JOIN pr ON s.p_start <= pr.p1 AND s.p_end >= pr.p0`

// sqlKeys: the keys of the year's records, per source, as they are stored (rj: with the file
// and sheet they occur in), numbered (rk.kid), with what scoring and the indicators read of
// them: the fields items match (a test's status 参考 when it has a score; a blank rating or
// level is NULL), bykey (the value points_by looks up: the status, the rating, the level or the
// result), label (the ledger's rule; label_out for a record outside its member's period), ename
// (what an event is: the activity, test, ledger category or assessment item) and value (a test's
// score, a ledger row's quantity, an assessment's value). fsh numbers the files and sheets in
// (file, sheet) order and holds the start of their rows' source (文件[工作表]!). rjk gives each
// stored key and file and sheet its kid and fs. (Each source's DISTINCT is on its own columns:
// DuckDB would hash the constant columns of every row too.) A record with a value outside its
// range ({tests_ok} …: ranges.go) has no key: no movement is made of it.
const sqlKeys = `
CREATE OR REPLACE TEMP TABLE rj AS
SELECT 'attendance' AS source, activity, status AS astatus, NULL::VARCHAR AS tstatus, NULL::VARCHAR AS test,
	NULL::DOUBLE AS score, NULL::DOUBLE AS full_mark, NULL::BOOLEAN AS signed, NULL::VARCHAR AS prating,
	NULL::VARCHAR AS lcategory, NULL::VARCHAR AS llevel, NULL::VARCHAR AS aitem, NULL::DOUBLE AS qty, NULL::DOUBLE AS fixed,
	NULL::VARCHAR AS result, file_id, sheet
FROM (SELECT DISTINCT activity, status, file_id, sheet FROM attendance WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31))
UNION ALL
SELECT 'tests', NULL, NULL, status, test, score, full_mark, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, file_id, sheet
FROM (SELECT DISTINCT status, test, score, full_mark, file_id, sheet FROM tests WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31) AND {tests_ok})
UNION ALL
SELECT 'pledges', NULL, NULL, NULL, NULL, NULL, NULL, signed, rating, NULL, NULL, NULL, NULL, NULL, NULL, file_id, sheet
FROM (SELECT DISTINCT signed, rating, file_id, sheet FROM pledges WHERE year = $year)
UNION ALL
SELECT 'ledger', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, category, level, NULL, count, points, NULL, file_id, sheet
FROM (SELECT DISTINCT category, level, count, points, file_id, sheet FROM entries WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31) AND {entries_ok})
UNION ALL
SELECT 'assessments', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, item, value, NULL, result, file_id, sheet
FROM (SELECT DISTINCT item, value, result, file_id, sheet FROM assessments WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31) AND {assessments_ok});
CREATE OR REPLACE TEMP TABLE rk AS
SELECT row_number() OVER (ORDER BY source, activity, astatus, tstatus, test, score, full_mark, signed, prating, lcategory, llevel,
		aitem, qty, fixed, result)::INTEGER AS kid, *,
	coalesce(astatus, CASE WHEN tstatus = '' THEN $taken ELSE tstatus END) AS status,
	nullif(prating, '') AS rating,
	nullif(llevel, '') AS level,
	CASE source WHEN 'attendance' THEN astatus WHEN 'tests' THEN CASE WHEN tstatus = '' THEN $taken ELSE tstatus END
		WHEN 'pledges' THEN nullif(prating, '') WHEN 'ledger' THEN nullif(llevel, '') ELSE result END AS bykey,
	CASE source WHEN 'attendance' THEN activity || '·' || astatus
		WHEN 'tests' THEN test || '·' || CASE WHEN tstatus <> '' THEN tstatus ELSE fmt_points(score) || '/' || fmt_points(full_mark) || '分' END
		WHEN 'pledges' THEN '承诺书·' || CASE WHEN signed THEN '已签订' ELSE '未签订' END || CASE WHEN prating <> '' THEN '，践诺' || prating ELSE '' END
		WHEN 'ledger' THEN lcategory || CASE WHEN llevel <> '' THEN '·' || llevel ELSE '' END || CASE WHEN qty <> 1 THEN ' ×' || fmt_points(qty) ELSE '' END
		ELSE aitem || '·' || result END AS label,
	CASE source WHEN 'ledger' THEN lcategory || CASE WHEN llevel <> '' THEN '·' || llevel ELSE '' END
		WHEN 'attendance' THEN activity || '·' || astatus
		WHEN 'tests' THEN test || '·' || CASE WHEN tstatus <> '' THEN tstatus ELSE fmt_points(score) || '/' || fmt_points(full_mark) || '分' END
		ELSE aitem || '·' || result END AS label_out,
	CASE source WHEN 'tests' THEN test WHEN 'ledger' THEN lcategory WHEN 'assessments' THEN aitem ELSE activity END AS ename,
	CASE source WHEN 'tests' THEN score * 100 / full_mark WHEN 'ledger' THEN qty WHEN 'assessments' THEN qty END AS value
FROM (SELECT DISTINCT * EXCLUDE (file_id, sheet) FROM rj);
CREATE OR REPLACE TEMP TABLE fsh AS
SELECT row_number() OVER (ORDER BY x.file_id, x.sheet)::INTEGER AS fs, x.file_id, x.sheet,
	f.name || CASE WHEN x.sheet = '' THEN '' ELSE '[' || x.sheet || ']' END || '!' AS prefix
FROM (SELECT DISTINCT file_id, sheet FROM rj) x LEFT JOIN files f USING (file_id);
CREATE OR REPLACE TEMP TABLE rjk AS
SELECT j.*, k.kid, f.fs FROM rj j
JOIN rk k ON k.source = j.source AND k.activity IS NOT DISTINCT FROM j.activity AND k.astatus IS NOT DISTINCT FROM j.astatus
	AND k.tstatus IS NOT DISTINCT FROM j.tstatus AND k.test IS NOT DISTINCT FROM j.test AND k.score IS NOT DISTINCT FROM j.score
	AND k.full_mark IS NOT DISTINCT FROM j.full_mark AND k.signed IS NOT DISTINCT FROM j.signed AND k.prating IS NOT DISTINCT FROM j.prating
	AND k.lcategory IS NOT DISTINCT FROM j.lcategory AND k.llevel IS NOT DISTINCT FROM j.llevel AND k.aitem IS NOT DISTINCT FROM j.aitem
	AND k.qty IS NOT DISTINCT FROM j.qty AND k.fixed IS NOT DISTINCT FROM j.fixed AND k.result IS NOT DISTINCT FROM j.result
JOIN fsh f ON f.file_id = j.file_id AND f.sheet = j.sheet`

// sqlMatches: for each key and profile, and each category, the first item (config order) that
// matches the key's fields and the profile, unless the profile is exempt from the category; its
// raw points (bands by the test's share of the full mark, per_unit by the quantity, or the
// points a wide ledger gives, deducted when positive under a rule that deducts); and a
// zero movement (category 1000000) for a key and profile no item takes, so that the ledger
// accounts for every record. first marks the movement a record's other facts go with.
const sqlMatches = `
CREATE OR REPLACE TEMP TABLE mk AS
WITH m AS (
	SELECT k.kid, p.prof, i.cat_ord, arg_min(i.row_id, i.item_ord::BIGINT * 100000000 + i.row_id) AS row_id
	FROM rk k CROSS JOIN pf p
	JOIN r_item i ON i.source = k.source
	JOIN r_cat c ON c.cat_ord = i.cat_ord
	WHERE (i.activity IS NULL OR i.activity = k.activity)
	  AND (i.status IS NULL OR i.status = k.status)
	  AND (i.test IS NULL OR i.test = k.test)
	  AND (i.signed IS NULL OR i.signed = k.signed)
	  AND (i.rating IS NULL OR i.rating = k.rating)
	  AND (i.lcategory IS NULL OR i.lcategory = k.lcategory)
	  AND (i.level IS NULL OR i.level = k.level)
	  AND (i.aitem IS NULL OR i.aitem = k.aitem)
	  AND (i.kind <> 'by' OR lower(i.bykey) = lower(k.bykey)) -- viper lowercases keys: A, a
	  AND (i.kind <> 'bands' OR k.score IS NOT NULL)
	  AND (i.kind <> 'unit' OR k.qty IS NOT NULL OR k.fixed IS NOT NULL)
	  AND (i.m_committee IS NULL OR i.m_committee = p.is_committee)
	  AND (i.m_category IS NULL OR i.m_category = p.category)
	  AND (i.m_mobile IS NULL OR i.m_mobile = p.mobile)
	  AND (i.m_min_age IS NULL OR p.age >= i.m_min_age)
	  AND (i.m_max_age IS NULL OR p.age <= i.m_max_age)
	  AND NOT coalesce(c.has_exempt
	      AND (c.ex_committee IS NULL OR c.ex_committee = p.is_committee)
	      AND (c.ex_category IS NULL OR c.ex_category = p.category)
	      AND (c.ex_mobile IS NULL OR c.ex_mobile = p.mobile)
	      AND (c.ex_min_age IS NULL OR p.age >= c.ex_min_age)
	      AND (c.ex_max_age IS NULL OR p.age <= c.ex_max_age), false)
	GROUP BY k.kid, p.prof, i.cat_ord
)
SELECT *, cat_ord = min(cat_ord) OVER (PARTITION BY kid, prof) AS first FROM (
	SELECT m.kid, m.prof, m.cat_ord, m.row_id,
		CASE i.kind
			WHEN 'bands' THEN coalesce((SELECT arg_max(b.points, b.min_percent) FROM r_band b
				WHERE b.cat_ord = i.cat_ord AND b.item_ord = i.item_ord AND k.score * 100 >= b.min_percent * k.full_mark), 0)
			WHEN 'unit' THEN coalesce(CASE WHEN k.fixed > 0 AND i.points < 0 THEN -k.fixed ELSE k.fixed END, i.points * k.qty)
			ELSE i.points END::DECIMAL(18,2) AS raw
	FROM m JOIN r_item i USING (row_id) JOIN rk k USING (kid)
	UNION ALL
	SELECT k.kid, p.prof, 1000000, NULL, 0 FROM rk k CROSS JOIN pf p
	WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.kid = k.kid AND m.prof = p.prof)
)`

// sqlMovements: every record of the year of a scored member, read once. A record in its
// member's period (st 0) gives one movement per category it scores in (or the zero movement);
// a pledge (dated by its year) is placed in the period of the member's last day, undated. A
// record of the year outside its member's period (before 入党 or 转入, after 转出) is listed at
// 0 points (category 1000001, st 1) when the member was scored in its period, else kept only
// for the meeting counts (st 2). points start as raw; the caps change them. A movement's flags
// (fl) are its st (fl & 3), first (4), whether highest-only set it to 0 (8, by the caps) and
// whether it is undated (16: a pledge); its day is its date, or the member's last day when
// undated (mv_date gives back the date or NULL): its month and period are its day's. (Five
// columns fewer than st, first, hi, date, month and period apart: writing a column of 12M
// movements costs some 0.05 s.) ifc counts the records in their members' periods by branch,
// month and key (and profile, {ifc_prof}, when an indicator counting records asks for members'
// categories), for the indicators.
const sqlMovements = `
CREATE OR REPLACE TEMP TABLE mv AS
SELECT r.mno, r.bno, r.prof, r.kid, r.fs, r.row,
	CASE WHEN r.inside THEN m.cat_ord ELSE 1000001 END AS cat_ord,
	((CASE WHEN r.inside THEN 0
	      WHEN period_of($period, r.date) BETWEEN period_of($period, r.p_start) AND period_of($period, r.p_end) THEN 1
	      ELSE 2 END) | CASE WHEN m.first THEN 4 ELSE 0 END | CASE WHEN r.date IS NULL THEN 16 ELSE 0 END)::UTINYINT AS fl,
	coalesce(r.date, r.p_end) AS day,
	CASE WHEN r.inside THEN m.raw ELSE 0 END::DECIMAL(18,2) AS raw,
	CASE WHEN r.inside THEN m.raw ELSE 0 END::DECIMAL(18,2) AS points
FROM (
	SELECT x.*, s.mno, s.bno, s.prof, s.p_start, s.p_end, x.date IS NULL OR x.date BETWEEN s.p_start AND s.p_end AS inside
	FROM (
		SELECT a.member_id, a.date, a.row, k.kid, k.fs FROM attendance a
		JOIN rjk k ON k.source = 'attendance' AND k.activity = a.activity AND k.astatus = a.status AND k.file_id = a.file_id AND k.sheet = a.sheet
		WHERE a.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)
		UNION ALL
		SELECT t.member_id, t.date, t.row, k.kid, k.fs FROM tests t
		JOIN rjk k ON k.source = 'tests' AND k.test = t.test AND k.tstatus = t.status AND k.score IS NOT DISTINCT FROM t.score
			AND k.full_mark = t.full_mark AND k.file_id = t.file_id AND k.sheet = t.sheet
		WHERE t.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)
		UNION ALL
		SELECT p.member_id, NULL, p.row, k.kid, k.fs FROM pledges p
		JOIN rjk k ON k.source = 'pledges' AND k.signed = p.signed AND k.prating = p.rating AND k.file_id = p.file_id AND k.sheet = p.sheet
		WHERE p.year = $year
		UNION ALL
		SELECT e.member_id, e.date, e.row, k.kid, k.fs FROM entries e
		JOIN rjk k ON k.source = 'ledger' AND k.lcategory = e.category AND k.llevel = e.level AND k.qty = e.count
			AND k.fixed IS NOT DISTINCT FROM e.points AND k.file_id = e.file_id AND k.sheet = e.sheet
		WHERE e.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)
		UNION ALL
		SELECT x.member_id, x.date, x.row, k.kid, k.fs FROM assessments x
		JOIN rjk k ON k.source = 'assessments' AND k.aitem = x.item AND k.result = x.result AND k.qty IS NOT DISTINCT FROM x.value
			AND k.file_id = x.file_id AND k.sheet = x.sheet
		WHERE x.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)
	) x JOIN sm s USING (member_id)
) r JOIN mk m ON m.kid = r.kid AND m.prof = r.prof AND (r.inside OR m.first);
CREATE OR REPLACE TEMP TABLE ifc AS
SELECT bno{ifc_prof}, month(day)::UTINYINT AS mon, kid, count(*) AS n FROM mv WHERE fl & 7 = 4 GROUP BY ALL`

// sqlCapped: caps and highest-only. Gains of a capped category count in date order until the
// cap of their cap period; the movement that crosses it counts in part; likewise deductions
// with a loss cap. Of a highest-only category only the best movement of the period counts (hi),
// whatever the caps. Only the members' category and cap periods over a cap (cp) are ordered,
// their gains or their deductions; elsewhere every movement counts in full. {cap_order} and
// {best_order} are the orders of the records (movementOrder).
const sqlCapped = `
CREATE OR REPLACE TEMP TABLE cp AS
SELECT * FROM (
	SELECT x.mno, x.cat_ord, x.cper, coalesce(x.gain > c.gain_cap, false) AS over_gain, coalesce(-x.loss > c.loss_cap, false) AS over_loss
	FROM (
		SELECT l.mno, l.cat_ord, period_of(c.cap_period, mv_date(l.fl, l.day)) AS cper,
			sum(l.raw) FILTER (WHERE l.raw > 0) AS gain, sum(l.raw) FILTER (WHERE l.raw < 0) AS loss
		FROM mv l JOIN r_cat c USING (cat_ord)
		WHERE l.fl & 3 = 0 AND (c.gain_cap IS NOT NULL OR c.loss_cap IS NOT NULL)
		GROUP BY l.mno, l.cat_ord, cper
	) x JOIN r_cat c USING (cat_ord)
) WHERE over_gain OR over_loss;
UPDATE mv SET points = x.points FROM (
	SELECT rid, points FROM (
		SELECT l.rowid AS rid, l.raw, greatest(0, least(l.raw, c.gain_cap - (sum(l.raw) OVER w - l.raw)))::DECIMAL(18,2) AS points
		FROM mv l JOIN r_cat c USING (cat_ord)
		JOIN cp ON cp.mno = l.mno AND cp.cat_ord = l.cat_ord AND cp.cper IS NOT DISTINCT FROM period_of(c.cap_period, mv_date(l.fl, l.day)) AND cp.over_gain
		WHERE l.fl & 3 = 0 AND l.raw > 0
		WINDOW w AS (PARTITION BY l.mno, l.cat_ord, period_of(c.cap_period, mv_date(l.fl, l.day))
			ORDER BY {cap_order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
	) WHERE points <> raw
) x WHERE mv.rowid = x.rid;
UPDATE mv SET points = x.points FROM (
	SELECT rid, points FROM (
		SELECT l.rowid AS rid, l.raw, least(0, greatest(l.raw, -(c.loss_cap - (-sum(l.raw) OVER w + l.raw))))::DECIMAL(18,2) AS points
		FROM mv l JOIN r_cat c USING (cat_ord)
		JOIN cp ON cp.mno = l.mno AND cp.cat_ord = l.cat_ord AND cp.cper IS NOT DISTINCT FROM period_of(c.cap_period, mv_date(l.fl, l.day)) AND cp.over_loss
		WHERE l.fl & 3 = 0 AND l.raw < 0
		WINDOW w AS (PARTITION BY l.mno, l.cat_ord, period_of(c.cap_period, mv_date(l.fl, l.day))
			ORDER BY {cap_order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
	) WHERE points <> raw
) x WHERE mv.rowid = x.rid;
UPDATE mv SET points = 0, fl = fl | 8 FROM (
	SELECT rid FROM (
		SELECT l.rowid AS rid, l.raw, row_number() OVER (PARTITION BY l.mno, l.cat_ord, period_of($period, l.day) ORDER BY l.raw DESC, {best_order}) AS rn
		FROM mv l JOIN r_cat c USING (cat_ord)
		WHERE l.fl & 3 = 0 AND c.highest_only
	) WHERE rn > 1 AND raw <> 0
) x WHERE mv.rowid = x.rid`

// sqlBases: the ledger's movements that are not records (sx), by phase: 0 the base points of
// every member in every period, 1 each category's own base.
const sqlBases = `
CREATE OR REPLACE TEMP TABLE sx AS
SELECT mno, period::UTINYINT AS period, 0::UTINYINT AS phase, -1 AS cat_ord, $base::DECIMAL(18,2) AS points, '基础分' AS rule, '' AS note
FROM smp WHERE $base <> 0
UNION ALL
SELECT p.mno, p.period, 1, c.cat_ord, c.base, c.name || '基础分', ''
FROM smp p JOIN r_cat c ON c.base IS NOT NULL JOIN sm s USING (mno)
WHERE NOT coalesce(c.has_exempt
      AND (c.ex_committee IS NULL OR c.ex_committee = s.is_committee)
      AND (c.ex_category IS NULL OR c.ex_category = s.category)
      AND (c.ex_mobile IS NULL OR c.ex_mobile = s.mobile)
      AND (c.ex_min_age IS NULL OR s.age >= c.ex_min_age)
      AND (c.ex_max_age IS NULL OR s.age <= c.ex_max_age), false)`

// sqlBounds: phase 3, a category's total (its base included) kept within its min and max, by a
// movement.
const sqlBounds = `
INSERT INTO sx
SELECT mno, period, 3, cat_ord, (fin - total)::DECIMAL(18,2), name || '合计调整',
	CASE WHEN fin < total THEN name || '合计不超过 ' || fmt_points(max) || ' 分' ELSE name || '合计不低于 ' || fmt_points(min) || ' 分' END
FROM (
	SELECT l.mno, l.period, c.cat_ord, c.name, c.min, c.max, sum(l.points) AS total,
		least(coalesce(c.max, sum(l.points)), greatest(coalesce(c.min, sum(l.points)), sum(l.points))) AS fin
	FROM (SELECT mno, period_of($period, day)::UTINYINT AS period, cat_ord, points FROM mv WHERE fl & 2 = 0 UNION ALL SELECT mno, period, cat_ord, points FROM sx) l
	JOIN r_cat c ON c.cat_ord = l.cat_ord
	WHERE c.min IS NOT NULL OR c.max IS NOT NULL
	GROUP BY l.mno, l.period, c.cat_ord, c.name, c.min, c.max
) WHERE fin <> total`

// sqlVetoes: phase 4, each member's heaviest veto per period (a 党纪处分 dated in the period):
// zeroing beats a cap, the lowest cap wins; then a movement brings the period's total down to it.
const sqlVetoes = `
CREATE OR REPLACE TEMP TABLE vt AS
SELECT p.member_id, p.mno, p.period,
	bool_or(v.zero_total) AS zero_total,
	min(v.cap_total) AS cap_total,
	min(v.max_stars) AS max_stars,
	arg_max(v.grade, v.zero_total::INTEGER * 1000000 - coalesce(v.cap_total, 0)) FILTER (WHERE v.grade IS NOT NULL) AS grade,
	string_agg(DISTINCT e.level, '、' ORDER BY e.level) AS levels
FROM entries e JOIN smp p ON p.member_id = e.member_id AND e.date BETWEEN p.ps AND p.pe
JOIN r_veto v ON v.category = e.category AND (v.level IS NULL OR v.level = e.level)
GROUP BY p.member_id, p.mno, p.period;
INSERT INTO sx
SELECT t.mno, t.period, 4, 2000000, (fin - pre)::DECIMAL(18,2), '一票否决·' || vt.levels,
	CASE WHEN vt.zero_total THEN '一票否决（' || vt.levels || '）：总分清零'
	     ELSE '一票否决（' || vt.levels || '）：总分不超过 ' || fmt_points(vt.cap_total) || ' 分' END
FROM (
	SELECT l.mno, l.period, sum(l.points) AS pre,
		CASE WHEN any_value(vt.zero_total) THEN 0
		     WHEN any_value(vt.cap_total) IS NOT NULL THEN least(sum(l.points), any_value(vt.cap_total))
		     ELSE sum(l.points) END AS fin
	FROM (SELECT mno, period_of($period, day)::UTINYINT AS period, points FROM mv WHERE fl & 2 = 0 UNION ALL SELECT mno, period, points FROM sx) l
	JOIN vt USING (mno, period)
	GROUP BY l.mno, l.period
) t JOIN vt USING (mno, period)
WHERE fin <> pre`

// sqlPeriodScores: each member's total per period; and the names of the ledger's categories
// (cn: the config's, and the ledger's own).
const sqlPeriodScores = `
CREATE OR REPLACE TEMP TABLE ps AS
SELECT t.period, s.member_id, t.total
FROM (
	SELECT mno, period, sum(points)::DECIMAL(18,2) AS total
	FROM (SELECT mno, period_of($period, day)::UTINYINT AS period, points FROM mv WHERE fl & 2 = 0 UNION ALL SELECT mno, period, points FROM sx)
	GROUP BY mno, period
) t JOIN sm s USING (mno);
CREATE OR REPLACE TEMP TABLE cn AS
SELECT cat_ord, name, gain_cap, loss_cap FROM r_cat
UNION ALL SELECT * FROM (VALUES (-1, $cat_base, NULL::DECIMAL(18,2), NULL::DECIMAL(18,2)), (1000000, $cat_none, NULL, NULL),
	(1000001, $cat_none, NULL, NULL), (2000000, $cat_veto, NULL, NULL))`

// sqlScores: the year's totals, stars and grades. The year's total is the period's (period:
// year), or the sum or the mean (rounded to 2 decimals) of the periods a member was scored in.
// 优秀 needs at least the minimum and at most the quota of the branch's n 正式党员 with as many
// points or more (ties: exclude) or with more (include) (DOMAIN.md, reference scheme).
const sqlScores = `
CREATE OR REPLACE TEMP TABLE sc AS
WITH yt AS (
	SELECT member_id,
		CASE WHEN $period = 'year' OR $year_total = 'sum' THEN sum(total) ELSE round(avg(total), 2) END::DECIMAL(18,2) AS total,
		count(*) AS periods
	FROM ps GROUP BY member_id
), yv AS (
	SELECT member_id, bool_or(zero_total) AS zero_total, min(cap_total) AS cap_total, min(max_stars) AS max_stars,
		arg_max(grade, zero_total::INTEGER * 1000000 - coalesce(cap_total, 0)) FILTER (WHERE grade IS NOT NULL) AS forced,
		string_agg(DISTINCT levels, '、') AS levels
	FROM vt GROUP BY member_id
), t AS (
	SELECT s.member_id, s.name, s.branch, s.category, s.ord, yt.total, yv.max_stars, yv.forced, yv.levels,
		(SELECT max(r.stars) FROM r_star r WHERE yt.total >= r.min) AS star_by_points,
		(SELECT min(r.min) FROM r_star r) AS lowest_star,
		rank() OVER (PARTITION BY CASE WHEN $star_scope = 'unit' THEN '' ELSE s.branch END ORDER BY yt.total DESC) AS star_rank,
		count(*) OVER (PARTITION BY CASE WHEN $star_scope = 'unit' THEN '' ELSE s.branch END) AS star_n
	FROM sm s JOIN yt USING (member_id) LEFT JOIN yv USING (member_id)
), s2 AS (
	SELECT t.*,
		CASE WHEN $star_ranked THEN coalesce((SELECT max(r.stars) FROM r_star_rank r WHERE t.star_rank <= round(t.star_n * r.cum_percent / 100)), 0)
		     ELSE coalesce(star_by_points, 0) END AS stars0
	FROM t
), q AS (
	SELECT s2.*, CASE WHEN max_stars IS NOT NULL THEN least(stars0, max_stars) ELSE stars0 END AS stars,
		count(*) FILTER (WHERE category = $full) OVER (PARTITION BY branch) AS n,
		count(*) OVER (PARTITION BY branch, category = $full ORDER BY total DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ge,
		rank() OVER (PARTITION BY branch, category = $full ORDER BY total DESC) AS rk,
		(SELECT r.name FROM r_grade r WHERE r.min IS NULL OR s2.total >= r.min ORDER BY r.ord LIMIT 1) AS by_points
	FROM s2
), g AS (
	SELECT q.*,
		CASE $rounding WHEN 'ceil' THEN (n * $quota_num + $quota_den - 1) // $quota_den
		               WHEN 'round' THEN (2 * n * $quota_num + $quota_den) // (2 * $quota_den)
		               ELSE (n * $quota_num) // $quota_den END AS quota,
		CASE WHEN $ties = 'include' THEN rk ELSE ge END AS place
	FROM q
)
SELECT $year AS year, member_id, name, branch, category, ord, total, stars,
	CASE WHEN category = $probationary THEN $probationary_grade
	     WHEN forced IS NOT NULL THEN forced
	     WHEN total >= $excellent_min AND place <= quota THEN $excellent
	     ELSE by_points END AS grade,
	CASE WHEN category = $probationary THEN '预备党员参加评议，不定等次'
	     WHEN forced IS NOT NULL THEN '一票否决（' || levels || '），定为' || forced
	     WHEN total >= $excellent_min AND place <= quota THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，' ||
	         CASE WHEN $ties = 'include' THEN '排名第 ' || rk ELSE '同分及以上 ' || ge || ' 人' END || '，定为' || $excellent
	     WHEN total >= $excellent_min THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，' ||
	         CASE WHEN $ties = 'include' THEN '排名第 ' || rk ELSE '同分及以上 ' || ge || ' 人' END || '，超出名额，定为' || by_points
	     ELSE '总分 ' || fmt_points(total) || ' 分，定为' || by_points END AS reason,
	CASE WHEN max_stars IS NOT NULL AND (stars0 > max_stars OR max_stars = 0) THEN
	         '一票否决（' || levels || '），' || CASE WHEN max_stars = 0 THEN '不评星' ELSE '星级不超过 ' || max_stars END
	     WHEN $star_ranked THEN
	         CASE WHEN $star_scope = 'unit' THEN '全单位' ELSE '支部内' END || '排名第 ' || star_rank || '（共 ' || star_n || ' 人），' ||
	         CASE WHEN stars = 0 THEN '无星' ELSE stars || ' 星' END
	     WHEN stars = 0 THEN '总分 ' || fmt_points(total) || ' 分，低于最低一档 ' || fmt_points(lowest_star) || ' 分，无星'
	     ELSE '总分 ' || fmt_points(total) || ' 分 ≥ ' || fmt_points((SELECT r.min FROM r_star r WHERE r.stars = stars0)) || ' 分，' || stars || ' 星' END AS star_reason
FROM g`

// sqlWriteScores writes the year's results, replacing the earlier ones: the point ledger
// (积分明细: store's point_moves, point_notes and point_codes, read through the view
// point_ledger), unsorted, and the names of its codes (point_codes: 党员编号, category, the key's
// label, 文件[工作表]!); the totals per period; the totals, stars and grades. The few movements
// with a rule or note of their own (a record outside its member's period, one a cap or
// highest-only changed, and the movements that are no record, sx, but the base points, whose
// rule the ledger gives from their category: 基础分, or the category's name and 基础分) have it
// written to point_notes under xid, a number unique in the year: the record's rowid in mv, or
// −1 − the movement's rowid in sx (both tables were written before the transaction, so their rowids count from 0; a row
// written within it would have one too large for an INTEGER: an error, not a clash). Then every
// movement, records (mv) and others (sx), goes to the ledger in one INSERT with its order within
// the member ({ledger_key}) and its xid (NULL for the others): to point_packed, the codes in the
// packed order, when they fit in it (their widths in point_layout), else to point_moves with its
// integer codes and its number in the listed order ({moves}, {layout}: movementOrder). No text
// there, since a VARCHAR column is slow to write even when NULL, as it is on almost every movement.
const sqlWriteScores = `
CREATE TABLE IF NOT EXISTS score_runs (year INTEGER, scored_at TIMESTAMP);
DELETE FROM point_moves WHERE year = $year;
DELETE FROM point_packed WHERE year = $year;
DELETE FROM point_layout WHERE year = $year;
INSERT INTO point_layout SELECT $year, {layout};
DELETE FROM point_notes WHERE year = $year;
DELETE FROM point_codes WHERE year = $year;
DELETE FROM period_scores WHERE year = $year;
DELETE FROM scores WHERE year = $year;
INSERT INTO point_codes
SELECT $year, 0, mno, member_id FROM sm
UNION ALL SELECT $year, 1, cat_ord, name FROM cn
UNION ALL SELECT $year, 2, kid, label FROM rk WHERE label IS NOT NULL
UNION ALL SELECT $year, 3, fs, prefix FROM fsh WHERE prefix IS NOT NULL;
INSERT INTO point_notes
SELECT * FROM (
	SELECT $year, l.rowid::INTEGER AS xid, CASE WHEN l.fl & 3 = 1 THEN k.label_out END AS rule,
		CASE WHEN l.fl & 3 = 1 THEN '不在在册期间（' || strftime(s.p_start, '%Y-%m-%d') || ' 至 ' || strftime(s.p_end, '%Y-%m-%d') || '），不计分'
		     WHEN l.fl & 8 <> 0 THEN '只取最高一项，本项不计'
		     WHEN l.raw > 0 AND l.points = 0 THEN '已达' || cap_of(n.name, '加分') || '上限 ' || fmt_points(n.gain_cap) || ' 分，不再计分'
		     WHEN l.raw > 0 THEN '达到' || cap_of(n.name, '加分') || '上限 ' || fmt_points(n.gain_cap) || ' 分，只计 ' || fmt_points(l.points) || ' 分'
		     WHEN l.points = 0 THEN '已达' || cap_of(n.name, '扣分') || '上限 ' || fmt_points(n.loss_cap) || ' 分，不再扣分'
		     ELSE '达到' || cap_of(n.name, '扣分') || '上限 ' || fmt_points(n.loss_cap) || ' 分，只扣 ' || fmt_points(-l.points) || ' 分' END AS note
	FROM mv l JOIN sm s USING (mno) JOIN cn n USING (cat_ord) LEFT JOIN rk k USING (kid)
	WHERE l.fl & 3 = 1 OR (l.fl & 3 = 0 AND l.points <> l.raw)
	UNION ALL
	SELECT $year, (-1 - rowid)::INTEGER, rule, nullif(note, '') FROM sx WHERE phase > 1
) WHERE rule IS NOT NULL OR note IS NOT NULL;
INSERT INTO {moves} FROM (
	SELECT mno, period_of($period, day)::UTINYINT AS period, 2::UTINYINT AS phase, mv_date(fl, day) AS date, cat_ord, fs, row, kid, raw, points,
		CASE WHEN fl & 3 = 1 OR points <> raw THEN rowid::INTEGER END AS xid
	FROM mv WHERE fl & 2 = 0
	UNION ALL
	SELECT mno, period, phase, NULL, cat_ord, NULL, NULL, NULL, points, points, CASE WHEN phase > 1 THEN (-1 - rowid)::INTEGER END FROM sx
);
INSERT INTO period_scores SELECT $year, period, member_id, total FROM ps;
INSERT INTO scores SELECT * FROM sc`

// sqlDropWork drops the working tables of a scoring run, which would otherwise hold their
// memory as long as the connection lives.
const sqlDropWork = `
DROP TABLE IF EXISTS mv;
DROP TABLE IF EXISTS ifc;
DROP TABLE IF EXISTS cp;
DROP TABLE IF EXISTS sx;
DROP TABLE IF EXISTS mk;
DROP TABLE IF EXISTS rjk;
DROP TABLE IF EXISTS rj;
DROP TABLE IF EXISTS rk;
DROP TABLE IF EXISTS fsh;
DROP TABLE IF EXISTS cn;
DROP TABLE IF EXISTS ps;
DROP TABLE IF EXISTS sc;
DROP TABLE IF EXISTS vt;
DROP TABLE IF EXISTS smp;
DROP TABLE IF EXISTS sm;
DROP TABLE IF EXISTS pf;
DROP TABLE IF EXISTS pr;
DROP TABLE IF EXISTS iperiods;
DROP TABLE IF EXISTS ipm;
DROP TABLE IF EXISTS imc;
DROP TABLE IF EXISTS imeet;
DROP TABLE IF EXISTS imeetings;
DROP TABLE IF EXISTS ilevel;
DROP TABLE IF EXISTS iv;
DROP TABLE IF EXISTS ib;
DROP TABLE IF EXISTS io;
DROP TABLE IF EXISTS ts;
DROP TABLE IF EXISTS r_norm;
DROP TABLE IF EXISTS mg;
DROP TABLE IF EXISTS ma`
