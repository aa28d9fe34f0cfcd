package scoring

// The scoring SQL, step by step. Parameters are named ($year, …) and bound from the config;
// rule figures come from the r_* tables of rules.go.

// sqlMacros: helpers. fmt_points writes points with no trailing zeros (72.5, 60);
// period_of gives the period (0 for the year, else the quarter or month) of a date.
const sqlMacros = `
CREATE OR REPLACE TEMP MACRO fmt_points(x) AS
	CASE WHEN contains(CAST(x::DECIMAL(18,2) AS VARCHAR), '.')
	     THEN rtrim(rtrim(CAST(x::DECIMAL(18,2) AS VARCHAR), '0'), '.')
	     ELSE CAST(x::DECIMAL(18,2) AS VARCHAR) END;
CREATE OR REPLACE TEMP MACRO period_of(kind, d) AS
	CASE kind WHEN 'quarter' THEN quarter(d) WHEN 'month' THEN month(d) ELSE 0 END;
CREATE OR REPLACE TEMP MACRO period_name(kind, p) AS
	CASE kind WHEN 'quarter' THEN '第' || p || '季度' WHEN 'month' THEN p || '月' ELSE '全年' END`

// sqlPeriods: each member's period in the year, max(1 Jan, 入党时间, 转入时间) to
// min(31 Dec, 转出时间), both days included (DOMAIN.md, reference scheme); members whose period
// is empty are not scored that year. Then the scoring periods (the year, its quarters or its
// months) and each member's part of each.
const sqlPeriods = `
CREATE OR REPLACE TEMP TABLE sm AS
SELECT * FROM (
	SELECT m.*,
		greatest(make_date($year, 1, 1), coalesce(m.join_date, DATE '0001-01-01'), coalesce(m.transfer_in, DATE '0001-01-01')) AS p_start,
		least(make_date($year, 12, 31), coalesce(m.transfer_out, DATE '9999-12-31')) AS p_end,
		EXISTS (SELECT 1 FROM r_committee c WHERE m.position <> '' AND contains(m.position, c.position)) AS is_committee,
		CASE WHEN m.birth_date IS NULL THEN NULL ELSE date_sub('year', m.birth_date, make_date($year, 12, 31)) END AS age,
		m.file_id::BIGINT * 10000000 + m.row AS ord
	FROM members m
) WHERE p_start <= p_end;
CREATE OR REPLACE TEMP TABLE pr AS
SELECT 0 AS period, make_date($year, 1, 1) AS p0, make_date($year, 12, 31) AS p1 WHERE $period = 'year'
UNION ALL
SELECT q::INTEGER, make_date($year, (3 * q - 2)::INTEGER, 1), last_day(make_date($year, (3 * q)::INTEGER, 1)) FROM range(1, 5) t(q) WHERE $period = 'quarter'
UNION ALL
SELECT m::INTEGER, make_date($year, m::INTEGER, 1), last_day(make_date($year, m::INTEGER, 1)) FROM range(1, 13) t(m) WHERE $period = 'month';
CREATE OR REPLACE TEMP TABLE smp AS
SELECT s.member_id, pr.period, greatest(s.p_start, pr.p0) AS ps, least(s.p_end, pr.p1) AS pe
FROM sm s JOIN pr ON s.p_start <= pr.p1 AND s.p_end >= pr.p0`

// sqlRecords: every record dated in its member's period, in one shape. A pledge (dated by its
// year) is placed on the last day of the member's period. bykey is the value points_by looks
// up: the status, the rating, the level or the result.
const sqlRecords = `
CREATE OR REPLACE TEMP TABLE rec AS
SELECT row_number() OVER () AS rec_id, * FROM (
	SELECT 'attendance' AS source, a.member_id, a.date, a.activity, a.status,
		NULL::VARCHAR AS test, NULL::DOUBLE AS score, NULL::DOUBLE AS full_mark, NULL::BOOLEAN AS signed,
		NULL::VARCHAR AS rating, NULL::VARCHAR AS lcategory, NULL::VARCHAR AS level, NULL::VARCHAR AS aitem,
		NULL::DOUBLE AS qty, NULL::DOUBLE AS fixed, a.status AS bykey,
		a.activity || '·' || a.status AS label, a.file_id, a.sheet, a.row
	FROM attendance a JOIN sm s USING (member_id) WHERE a.date BETWEEN s.p_start AND s.p_end
	UNION ALL
	SELECT 'tests', t.member_id, t.date, NULL, CASE WHEN t.status = '' THEN $taken ELSE t.status END,
		t.test, t.score, t.full_mark, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		CASE WHEN t.status = '' THEN $taken ELSE t.status END,
		t.test || '·' || CASE WHEN t.status <> '' THEN t.status ELSE fmt_points(t.score) || '/' || fmt_points(t.full_mark) || '分' END,
		t.file_id, t.sheet, t.row
	FROM tests t JOIN sm s USING (member_id) WHERE t.date BETWEEN s.p_start AND s.p_end
	UNION ALL
	SELECT 'pledges', p.member_id, s.p_end, NULL, NULL, NULL, NULL, NULL, p.signed,
		nullif(p.rating, ''), NULL, NULL, NULL, NULL, NULL, nullif(p.rating, ''),
		'承诺书·' || CASE WHEN p.signed THEN '已签订' ELSE '未签订' END || CASE WHEN p.rating <> '' THEN '，践诺' || p.rating ELSE '' END,
		p.file_id, p.sheet, p.row
	FROM pledges p JOIN sm s USING (member_id) WHERE p.year = $year
	UNION ALL
	SELECT 'ledger', e.member_id, e.date, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		e.category, nullif(e.level, ''), NULL, e.count, e.points, nullif(e.level, ''),
		e.category || CASE WHEN e.level <> '' THEN '·' || e.level ELSE '' END
			|| CASE WHEN e.count <> 1 THEN ' ×' || fmt_points(e.count) ELSE '' END,
		e.file_id, e.sheet, e.row
	FROM entries e JOIN sm s USING (member_id) WHERE e.date BETWEEN s.p_start AND s.p_end
	UNION ALL
	SELECT 'assessments', x.member_id, x.date, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, x.item, x.value, NULL, x.result, x.item || '·' || x.result,
		x.file_id, x.sheet, x.row
	FROM assessments x JOIN sm s USING (member_id) WHERE x.date BETWEEN s.p_start AND s.p_end
)`

// sqlMatches: for each record and category, the first item (config order) that matches the
// record's fields and its member, unless the member is exempt from the category.
const sqlMatches = `
CREATE OR REPLACE TEMP TABLE mt AS
SELECT r.rec_id, i.cat_ord, arg_min(i.row_id, i.item_ord::BIGINT * 100000000 + i.row_id) AS row_id
FROM rec r JOIN sm s USING (member_id)
JOIN r_item i ON i.source = r.source
JOIN r_cat c ON c.cat_ord = i.cat_ord
WHERE (i.activity IS NULL OR i.activity = r.activity)
  AND (i.status IS NULL OR i.status = r.status)
  AND (i.test IS NULL OR i.test = r.test)
  AND (i.signed IS NULL OR i.signed = r.signed)
  AND (i.rating IS NULL OR i.rating = r.rating)
  AND (i.lcategory IS NULL OR i.lcategory = r.lcategory)
  AND (i.level IS NULL OR i.level = r.level)
  AND (i.aitem IS NULL OR i.aitem = r.aitem)
  AND (i.kind <> 'by' OR lower(i.bykey) = lower(r.bykey)) -- viper lowercases keys: A, a
  AND (i.kind <> 'bands' OR r.score IS NOT NULL)
  AND (i.kind <> 'unit' OR r.qty IS NOT NULL OR r.fixed IS NOT NULL)
  AND (i.m_committee IS NULL OR i.m_committee = s.is_committee)
  AND (i.m_category IS NULL OR i.m_category = s.category)
  AND (i.m_mobile IS NULL OR i.m_mobile = s.mobile)
  AND (i.m_min_age IS NULL OR s.age >= i.m_min_age)
  AND (i.m_max_age IS NULL OR s.age <= i.m_max_age)
  AND NOT coalesce(c.has_exempt
      AND (c.ex_committee IS NULL OR c.ex_committee = s.is_committee)
      AND (c.ex_category IS NULL OR c.ex_category = s.category)
      AND (c.ex_mobile IS NULL OR c.ex_mobile = s.mobile)
      AND (c.ex_min_age IS NULL OR s.age >= c.ex_min_age)
      AND (c.ex_max_age IS NULL OR s.age <= c.ex_max_age), false)
GROUP BY r.rec_id, i.cat_ord`

// sqlMovements: the raw point movements, and a zero movement for each record no item takes,
// so that the ledger accounts for every record.
const sqlMovements = `
CREATE OR REPLACE TEMP TABLE mv AS
SELECT r.member_id, period_of($period, r.date) AS period, CASE WHEN r.source = 'pledges' THEN NULL ELSE r.date END AS date,
	c.cat_ord, c.name AS category, r.label AS rule,
	CASE i.kind
		WHEN 'bands' THEN coalesce((SELECT arg_max(b.points, b.min_percent) FROM r_band b
			WHERE b.cat_ord = i.cat_ord AND b.item_ord = i.item_ord AND r.score * 100 >= b.min_percent * r.full_mark), 0)
		WHEN 'unit' THEN coalesce(r.fixed, i.points * r.qty)
		ELSE i.points END::DECIMAL(9,2) AS raw,
	r.file_id, r.sheet, r.row
FROM mt JOIN r_item i USING (row_id) JOIN rec r USING (rec_id) JOIN r_cat c ON c.cat_ord = mt.cat_ord
UNION ALL
SELECT r.member_id, period_of($period, r.date), CASE WHEN r.source = 'pledges' THEN NULL ELSE r.date END,
	1000000, $cat_none, r.label, 0::DECIMAL(9,2), r.file_id, r.sheet, r.row
FROM rec r WHERE NOT EXISTS (SELECT 1 FROM mt WHERE mt.rec_id = r.rec_id)`

// sqlCapped: caps and highest-only. Gains of a capped category count in date order until the
// cap of their cap period; the movement that crosses it counts in part; likewise deductions
// with a loss cap. Of a highest-only category only the best movement of the period counts.
const sqlCapped = `
CREATE OR REPLACE TEMP TABLE lg AS
SELECT member_id, period, 2 AS phase, date, cat_ord, file_id, sheet, row, category, rule, raw, points,
	CASE WHEN points = raw THEN ''
	     WHEN highest_only THEN '只取最高一项，本项不计'
	     WHEN raw > 0 AND points = 0 THEN '已达' || category || '加分上限 ' || fmt_points(gain_cap) || ' 分，不再计分'
	     WHEN raw > 0 THEN '达到' || category || '加分上限 ' || fmt_points(gain_cap) || ' 分，只计 ' || fmt_points(points) || ' 分'
	     WHEN points = 0 THEN '已达' || category || '扣分上限 ' || fmt_points(loss_cap) || ' 分，不再扣分'
	     ELSE '达到' || category || '扣分上限 ' || fmt_points(loss_cap) || ' 分，只扣 ' || fmt_points(-points) || ' 分' END AS note
FROM (
	SELECT m.*, c.gain_cap, c.loss_cap, coalesce(c.highest_only, false) AND rn > 1 AS highest_only,
		CASE WHEN coalesce(c.highest_only, false) AND rn > 1 THEN 0
		     WHEN c.gain_cap IS NOT NULL AND raw > 0 THEN greatest(0, least(raw, c.gain_cap - (cum_gain - raw)))
		     WHEN c.loss_cap IS NOT NULL AND raw < 0 THEN least(0, greatest(raw, -(c.loss_cap - (cum_loss + raw))))
		     ELSE raw END::DECIMAL(9,2) AS points
	FROM (
		SELECT mv.*,
			sum(CASE WHEN raw > 0 THEN raw ELSE 0 END) OVER w AS cum_gain,
			-sum(CASE WHEN raw < 0 THEN raw ELSE 0 END) OVER w AS cum_loss,
			row_number() OVER (PARTITION BY member_id, cat_ord, period ORDER BY raw DESC, date, file_id, sheet, row) AS rn
		FROM mv LEFT JOIN r_cat c USING (cat_ord)
		WINDOW w AS (PARTITION BY member_id, cat_ord, period_of(coalesce(c.cap_period, $period), date)
			ORDER BY date NULLS FIRST, file_id, sheet, row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
	) m LEFT JOIN r_cat c USING (cat_ord)
) x`

// sqlOutside: records of the year dated outside their member's period (before 入党 or 转入,
// after 转出) are listed in the ledger at 0 points with why, in a period the member was scored.
const sqlOutside = `
INSERT INTO lg
SELECT x.member_id, p.period, 2, x.date, 1000001, x.file_id, x.sheet, x.row, $cat_none, x.label, 0, 0,
	'不在在册期间（' || strftime(s.p_start, '%Y-%m-%d') || ' 至 ' || strftime(s.p_end, '%Y-%m-%d') || '），不计分'
FROM (
	SELECT member_id, date, activity || '·' || status AS label, file_id, sheet, row FROM attendance
	UNION ALL SELECT member_id, date, test || '·' || CASE WHEN status <> '' THEN status ELSE fmt_points(score) || '/' || fmt_points(full_mark) || '分' END, file_id, sheet, row FROM tests
	UNION ALL SELECT member_id, date, category || CASE WHEN level <> '' THEN '·' || level ELSE '' END, file_id, sheet, row FROM entries
	UNION ALL SELECT member_id, date, item || '·' || result, file_id, sheet, row FROM assessments
) x JOIN sm s USING (member_id)
JOIN smp p ON p.member_id = x.member_id AND p.period = period_of($period, x.date)
WHERE year(x.date) = $year AND (x.date < s.p_start OR x.date > s.p_end)`

// sqlBases: the base points of every member in every period, and each category's own base.
const sqlBases = `
INSERT INTO lg
SELECT member_id, period, 0, NULL, -1, NULL, NULL, NULL, $cat_base, '基础分', $base::DECIMAL(9,2), $base::DECIMAL(9,2), ''
FROM smp WHERE $base <> 0
UNION ALL
SELECT p.member_id, p.period, 1, NULL, c.cat_ord, NULL, NULL, NULL, c.name, c.name || '基础分', c.base, c.base, ''
FROM smp p JOIN r_cat c ON c.base IS NOT NULL JOIN sm s USING (member_id)
WHERE NOT coalesce(c.has_exempt
      AND (c.ex_committee IS NULL OR c.ex_committee = s.is_committee)
      AND (c.ex_category IS NULL OR c.ex_category = s.category)
      AND (c.ex_mobile IS NULL OR c.ex_mobile = s.mobile)
      AND (c.ex_min_age IS NULL OR s.age >= c.ex_min_age)
      AND (c.ex_max_age IS NULL OR s.age <= c.ex_max_age), false)`

// sqlBounds: a category's total (its base included) kept within its min and max, by a movement.
const sqlBounds = `
INSERT INTO lg
SELECT member_id, period, 3, NULL, cat_ord, NULL, NULL, NULL, name, name || '合计调整',
	(fin - total)::DECIMAL(9,2), (fin - total)::DECIMAL(9,2),
	CASE WHEN fin < total THEN name || '合计不超过 ' || fmt_points(max) || ' 分' ELSE name || '合计不低于 ' || fmt_points(min) || ' 分' END
FROM (
	SELECT l.member_id, l.period, c.cat_ord, c.name, c.min, c.max, sum(l.points) AS total,
		least(coalesce(c.max, sum(l.points)), greatest(coalesce(c.min, sum(l.points)), sum(l.points))) AS fin
	FROM lg l JOIN r_cat c ON c.cat_ord = l.cat_ord
	WHERE c.min IS NOT NULL OR c.max IS NOT NULL
	GROUP BY l.member_id, l.period, c.cat_ord, c.name, c.min, c.max
) WHERE fin <> total`

// sqlVetoes: each member's heaviest veto per period (a 党纪处分 dated in the period): zeroing
// beats a cap, the lowest cap wins; then a movement brings the period's total down to it.
const sqlVetoes = `
CREATE OR REPLACE TEMP TABLE vt AS
SELECT p.member_id, p.period,
	bool_or(v.zero_total) AS zero_total,
	min(v.cap_total) AS cap_total,
	min(v.max_stars) AS max_stars,
	arg_max(v.grade, v.zero_total::INTEGER * 1000000 - coalesce(v.cap_total, 0)) FILTER (WHERE v.grade IS NOT NULL) AS grade,
	string_agg(DISTINCT e.level, '、' ORDER BY e.level) AS levels
FROM entries e JOIN smp p ON p.member_id = e.member_id AND e.date BETWEEN p.ps AND p.pe
JOIN r_veto v ON v.category = e.category AND (v.level IS NULL OR v.level = e.level)
GROUP BY p.member_id, p.period;
INSERT INTO lg
SELECT t.member_id, t.period, 4, NULL, 2000000, NULL, NULL, NULL, $cat_veto, '一票否决·' || vt.levels,
	(fin - pre)::DECIMAL(9,2), (fin - pre)::DECIMAL(9,2),
	CASE WHEN vt.zero_total THEN '一票否决（' || vt.levels || '）：总分清零'
	     ELSE '一票否决（' || vt.levels || '）：总分不超过 ' || fmt_points(vt.cap_total) || ' 分' END
FROM (
	SELECT l.member_id, l.period, sum(l.points) AS pre,
		CASE WHEN any_value(vt.zero_total) THEN 0
		     WHEN any_value(vt.cap_total) IS NOT NULL THEN least(sum(l.points), any_value(vt.cap_total))
		     ELSE sum(l.points) END AS fin
	FROM lg l JOIN vt USING (member_id, period)
	GROUP BY l.member_id, l.period
) t JOIN vt USING (member_id, period)
WHERE fin <> pre`

// sqlLedger: the point ledger (积分明细) of the year, numbered per member.
const sqlLedger = `
INSERT INTO point_ledger
SELECT $year, l.period, l.member_id,
	row_number() OVER (PARTITION BY l.member_id ORDER BY l.period, l.phase, l.date NULLS FIRST, l.cat_ord, l.file_id, l.sheet, l.row)::INTEGER,
	l.category, l.rule, l.date, l.raw, l.points, l.note,
	CASE WHEN l.file_id IS NULL THEN '规则'
	     ELSE f.name || CASE WHEN l.sheet = '' THEN '' ELSE '[' || l.sheet || ']' END || '!' || l.row || '行' END
FROM lg l LEFT JOIN files f ON f.file_id = l.file_id`

// sqlPeriodScores: each member's total per period.
const sqlPeriodScores = `
INSERT INTO period_scores
SELECT $year, period, member_id, sum(points)::DECIMAL(9,2) FROM point_ledger WHERE year = $year GROUP BY period, member_id`

// sqlScores: the year's totals, stars and grades. The year's total is the period's (period:
// year), or the sum or the mean (rounded to 2 decimals) of the periods a member was scored in.
// 优秀 needs at least the minimum and at most the quota of the branch's n 正式党员 with as many
// points or more (ties: exclude) or with more (include) (DOMAIN.md, reference scheme).
const sqlScores = `
INSERT INTO scores
WITH yt AS (
	SELECT member_id,
		CASE WHEN $period = 'year' OR $year_total = 'sum' THEN sum(total) ELSE round(avg(total), 2) END::DECIMAL(9,2) AS total,
		count(*) AS periods
	FROM period_scores WHERE year = $year GROUP BY member_id
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
SELECT $year, member_id, name, branch, category, ord, total, stars,
	CASE WHEN category = $probationary THEN $probationary_grade
	     WHEN forced IS NOT NULL THEN forced
	     WHEN total >= $excellent_min AND place <= quota THEN $excellent
	     ELSE by_points END,
	CASE WHEN category = $probationary THEN '预备党员参加评议，不定等次'
	     WHEN forced IS NOT NULL THEN '一票否决（' || levels || '），定为' || forced
	     WHEN total >= $excellent_min AND place <= quota THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，' ||
	         CASE WHEN $ties = 'include' THEN '排名第 ' || rk ELSE '同分及以上 ' || ge || ' 人' END || '，定为' || $excellent
	     WHEN total >= $excellent_min THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，' ||
	         CASE WHEN $ties = 'include' THEN '排名第 ' || rk ELSE '同分及以上 ' || ge || ' 人' END || '，超出名额，定为' || by_points
	     ELSE '总分 ' || fmt_points(total) || ' 分，定为' || by_points END,
	CASE WHEN max_stars IS NOT NULL AND (stars0 > max_stars OR max_stars = 0) THEN
	         '一票否决（' || levels || '），' || CASE WHEN max_stars = 0 THEN '不评星' ELSE '星级不超过 ' || max_stars END
	     WHEN $star_ranked THEN
	         CASE WHEN $star_scope = 'unit' THEN '全单位' ELSE '支部内' END || '排名第 ' || star_rank || '（共 ' || star_n || ' 人），' ||
	         CASE WHEN stars = 0 THEN '无星' ELSE stars || ' 星' END
	     WHEN stars = 0 THEN '总分 ' || fmt_points(total) || ' 分，低于最低一档 ' || fmt_points(lowest_star) || ' 分，无星'
	     ELSE '总分 ' || fmt_points(total) || ' 分 ≥ ' || fmt_points((SELECT r.min FROM r_star r WHERE r.stars = stars0)) || ' 分，' || stars || ' 星' END
FROM g`
