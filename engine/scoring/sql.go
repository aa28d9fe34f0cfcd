package scoring

// The scoring SQL, step by step. Parameters are named ($year, …) and bound from the config;
// rule figures come from the r_* tables of rules.go.

// sqlPeriods: each member's period in the year, max(1 Jan, 入党时间, 转入时间) to
// min(31 Dec, 转出时间), both days included (DOMAIN.md, reference scheme); members whose period
// is empty are not scored that year.
const sqlPeriods = `
CREATE OR REPLACE TEMP TABLE sm AS
SELECT * FROM (
	SELECT m.*,
		greatest(make_date($year, 1, 1), coalesce(m.join_date, DATE '0001-01-01'), coalesce(m.transfer_in, DATE '0001-01-01')) AS p_start,
		least(make_date($year, 12, 31), coalesce(m.transfer_out, DATE '9999-12-31')) AS p_end,
		EXISTS (SELECT 1 FROM r_committee c WHERE m.position <> '' AND contains(m.position, c.position)) AS is_committee,
		m.file_id::BIGINT * 10000000 + m.row AS ord
	FROM members m
) WHERE p_start <= p_end`

// sqlMovements: one raw movement per record dated in its member's period.
const sqlMovements = `
CREATE OR REPLACE TEMP TABLE mv AS
SELECT * FROM (
	-- 出勤：每条签到按出勤情况计分；支委会只对支委计分。
	SELECT a.member_id, $cat_att AS category,
		a.activity || '·' || a.status AS rule, a.date,
		CASE WHEN r.activity IS NULL THEN 0
		     WHEN r.only_committee AND NOT s.is_committee THEN 0
		     ELSE r.points END::DECIMAL(9,2) AS raw,
		CASE WHEN r.activity IS NULL THEN '该活动类型不计分'
		     WHEN r.only_committee AND NOT s.is_committee THEN '非支委列席，不计分'
		     ELSE '' END AS note,
		a.file_id, a.sheet, a.row
	FROM attendance a JOIN sm s USING (member_id)
	LEFT JOIN r_att r ON r.activity = a.activity AND r.status = a.status
	WHERE a.date BETWEEN s.p_start AND s.p_end
	UNION ALL
	-- 测试：按得分占满分的比例分档；缺考、请假另计。
	SELECT t.member_id, $cat_tests,
		t.test || '·' || CASE WHEN t.status <> '' THEN t.status ELSE fmt_points(t.score) || '/' || fmt_points(t.full_mark) || '分' END,
		t.date,
		CASE WHEN t.status = $test_absent THEN $absent
		     WHEN t.status = $test_excused THEN $excused
		     ELSE coalesce((SELECT arg_max(b.points, b.min_percent) FROM r_band b WHERE t.score * 100 >= b.min_percent * t.full_mark), 0)
		END::DECIMAL(9,2),
		'', t.file_id, t.sheet, t.row
	FROM tests t JOIN sm s USING (member_id)
	WHERE t.date BETWEEN s.p_start AND s.p_end
	UNION ALL
	-- 承诺书签订。
	SELECT p.member_id, $cat_pledges, CASE WHEN p.signed THEN '签订承诺书' ELSE '未签订承诺书' END, NULL,
		CASE WHEN p.signed THEN $signed ELSE 0 END::DECIMAL(9,2), '', p.file_id, p.sheet, p.row
	FROM pledges p JOIN sm s USING (member_id)
	WHERE p.year = $year
	UNION ALL
	-- 践诺评价（空白不计）。
	SELECT p.member_id, $cat_pledges, '践诺评价·' || p.rating, NULL,
		coalesce(r.points, 0)::DECIMAL(9,2), '', p.file_id, p.sheet, p.row
	FROM pledges p JOIN sm s USING (member_id) LEFT JOIN r_rating r ON r.rating = p.rating
	WHERE p.year = $year AND p.rating <> ''
	UNION ALL
	-- 台账：表彰、其他加分、扣分、党纪处分，其余类别不计分。
	SELECT e.member_id, coalesce(r.kind, $cat_none),
		e.category || CASE WHEN e.level <> '' THEN '·' || e.level ELSE '' END
			|| CASE WHEN e.count <> 1 THEN ' ×' || fmt_points(e.count) ELSE '' END, e.date,
		CASE WHEN r.kind IS NULL THEN 0
		     WHEN e.points IS NOT NULL THEN e.points
		     ELSE r.points * e.count END::DECIMAL(9,2),
		CASE WHEN r.kind IS NULL THEN '不计分' WHEN r.kind = $cat_veto THEN '见一票否决' ELSE '' END,
		e.file_id, e.sheet, e.row
	FROM entries e JOIN sm s USING (member_id)
	LEFT JOIN r_ledger r ON r.category = e.category AND (r.level = '' OR r.level = e.level)
	WHERE e.date BETWEEN s.p_start AND s.p_end
)`

// sqlCaps: the point ledger. Gains of a capped category count in date order until the cap;
// the movement that crosses it counts in part. Of the highest-only category only the best row
// counts. Deductions are never capped.
const sqlCaps = `
INSERT INTO point_ledger
SELECT $year, member_id,
	row_number() OVER (PARTITION BY member_id ORDER BY date NULLS FIRST, category, file_id, sheet, row)::INTEGER,
	category, rule, date, raw, points,
	CASE WHEN points = raw THEN note
	     WHEN category = $cat_highest THEN '表彰只取最高一项，本项不计'
	     WHEN points = 0 THEN '已达' || category || '加分上限 ' || cap_text || ' 分，不再计分'
	     ELSE '达到' || category || '加分上限 ' || cap_text || ' 分，只计 ' || fmt_points(points) || ' 分' END,
	f.name || CASE WHEN m.sheet = '' THEN '' ELSE '[' || m.sheet || ']' END || '!' || m.row || '行'
FROM (
	SELECT mv.*, c.cap_text,
		CASE WHEN mv.category = $cat_highest AND rn > 1 THEN 0
		     WHEN c.cap IS NOT NULL AND raw > 0 THEN greatest(0, least(raw, c.cap - (cum - raw)))
		     ELSE raw END::DECIMAL(9,2) AS points
	FROM (
		SELECT mv.*,
			sum(CASE WHEN raw > 0 THEN raw ELSE 0 END) OVER (PARTITION BY member_id, category
				ORDER BY date NULLS FIRST, file_id, sheet, row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
			row_number() OVER (PARTITION BY member_id, category ORDER BY raw DESC, date, file_id, sheet, row) AS rn
		FROM mv
	) mv LEFT JOIN r_cap c USING (category)
) m JOIN files f USING (file_id)`

// sqlBase: the base points of every scored member, first in the ledger (seq 0).
const sqlBase = `
INSERT INTO point_ledger
SELECT $year, member_id, 0, $cat_base, '基础分', NULL, $base::DECIMAL(9,2), $base::DECIMAL(9,2), '', '规则'
FROM sm`

// sqlVetoes: each member's heaviest veto in the period: zeroing beats a cap, the lowest cap wins.
const sqlVetoes = `
CREATE OR REPLACE TEMP TABLE vt AS
SELECT e.member_id,
	bool_or(v.zero_total) AS zero_total,
	min(v.cap_total) AS cap_total,
	bool_or(v.no_stars) AS no_stars,
	arg_max(v.grade, v.zero_total::INTEGER * 1000000 - coalesce(v.cap_total, 0)) FILTER (WHERE v.grade IS NOT NULL) AS grade,
	string_agg(DISTINCT e.level, '、' ORDER BY e.level) AS levels
FROM entries e JOIN sm s USING (member_id) JOIN r_veto v ON v.level = e.level
WHERE e.category = $veto_category AND e.date BETWEEN s.p_start AND s.p_end
GROUP BY e.member_id`

// sqlVetoAdjust: a ledger movement that brings the total down to what the veto allows.
const sqlVetoAdjust = `
INSERT INTO point_ledger
SELECT $year, t.member_id, t.last_seq + 1, $cat_veto, '一票否决·' || vt.levels, NULL,
	(fin - pre)::DECIMAL(9,2), (fin - pre)::DECIMAL(9,2),
	CASE WHEN vt.zero_total THEN '一票否决（' || vt.levels || '）：总分清零'
	     ELSE '一票否决（' || vt.levels || '）：总分不超过 ' || fmt_points(vt.cap_total) || ' 分' END,
	'规则'
FROM (
	SELECT l.member_id, max(l.seq) AS last_seq, sum(l.points) AS pre,
		CASE WHEN any_value(vt.zero_total) THEN 0
		     WHEN any_value(vt.cap_total) IS NOT NULL THEN least(sum(l.points), any_value(vt.cap_total))
		     ELSE sum(l.points) END AS fin
	FROM point_ledger l JOIN vt USING (member_id)
	WHERE l.year = $year
	GROUP BY l.member_id
) t JOIN vt USING (member_id)
WHERE fin <> pre`

// sqlScores: totals, stars and grades. 优秀 needs at least the minimum and at most
// ⌊n × num / den⌋ of the branch's n 正式党员 with as many points or more, so a tie that would
// overflow the quota is wholly 合格 (DOMAIN.md, reference scheme).
const sqlScores = `
INSERT INTO scores
WITH t AS (
	SELECT s.member_id, s.name, s.branch, s.category, s.ord, sum(l.points) AS total,
		coalesce(any_value(vt.no_stars), false) AS no_stars, any_value(vt.grade) AS forced, any_value(vt.levels) AS levels
	FROM sm s JOIN point_ledger l ON l.member_id = s.member_id AND l.year = $year
	LEFT JOIN vt ON vt.member_id = s.member_id
	GROUP BY s.member_id, s.name, s.branch, s.category, s.ord
), q AS (
	SELECT t.*,
		CASE WHEN no_stars THEN 0 ELSE coalesce((SELECT max(r.stars) FROM r_star r WHERE t.total >= r.min), 0) END AS stars,
		count(*) FILTER (WHERE category = $full) OVER (PARTITION BY branch) AS n,
		count(*) OVER (PARTITION BY branch, category = $full ORDER BY total DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ge,
		(SELECT r.name FROM r_grade r WHERE r.min IS NULL OR t.total >= r.min ORDER BY r.ord LIMIT 1) AS by_points
	FROM t
), g AS (
	SELECT q.*, (n * $quota_num) // $quota_den AS quota FROM q
)
SELECT $year, member_id, name, branch, category, ord, total, stars,
	CASE WHEN category = $probationary THEN $probationary_grade
	     WHEN forced IS NOT NULL THEN forced
	     WHEN total >= $excellent_min AND ge <= quota THEN $excellent
	     ELSE by_points END,
	CASE WHEN category = $probationary THEN '预备党员参加评议，不定等次'
	     WHEN forced IS NOT NULL THEN '一票否决（' || levels || '），定为' || forced
	     WHEN total >= $excellent_min AND ge <= quota THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，同分及以上 ' || ge || ' 人，定为' || $excellent
	     WHEN total >= $excellent_min THEN
	         '总分 ' || fmt_points(total) || ' 分，支部正式党员 ' || n || ' 人，优秀名额 ' || quota || ' 人，同分及以上 ' || ge || ' 人，超出名额，定为' || by_points
	     ELSE '总分 ' || fmt_points(total) || ' 分，定为' || by_points END
FROM g`

// sqlMacros: formatting helpers. fmt_points writes points with no trailing zeros (72.5, 60).
const sqlMacros = `
CREATE OR REPLACE TEMP MACRO fmt_points(x) AS
	CASE WHEN contains(CAST(x::DECIMAL(18,2) AS VARCHAR), '.')
	     THEN rtrim(rtrim(CAST(x::DECIMAL(18,2) AS VARCHAR), '0'), '.')
	     ELSE CAST(x::DECIMAL(18,2) AS VARCHAR) END`
