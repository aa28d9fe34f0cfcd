// Package bigdb fills a jifen store with a large synthetic year, straight in DuckDB, for
// benchmarking scoring (issue 6): set-based INSERT … SELECT … FROM range(n), with every value
// derived from hash(seed, row), so the same Options give the same rows, and ten million
// sign-ins take seconds rather than an import.
//
// Fill writes into the record tables of a store opened with store.Open (which must hold no
// members yet):
//
//	files        five rows, one per imaginary workbook (党员名册, 考勤, 测试成绩, 承诺践诺,
//	             加扣分台账), file_id from the store's sequence; every record names its file, a
//	             sheet and a row, as an import would
//	members      Members members D0000001…, names from common surnames and given-name
//	             characters (not unique); Branches branches 第1党支部… of consecutive members,
//	             each with three 党小组 (第一党小组…); the first four members of a branch are
//	             支部书记, 组织委员, 宣传委员, 纪检委员; about 7% 预备党员 (joined the year
//	             before); about 2% joined, 1% transferred in and 1% out during the year, so some
//	             records fall outside their member's period; 1% 流动党员
//	attendance   exactly Records rows: row k is member k mod Members at its member's slot
//	             j = k div Members; the slot gives the activity (cycling through 主题党日,
//	             党小组会, 支委会, 集中学习, 党课, 支部党员大会, 交流研讨, 组织生活会), the month
//	             and the day, the same for the whole branch (so meetings are shared), distinct for
//	             a member up to 2688 slots; status 出席 82%, 请假 7%, 缺席 4%, 迟到 4%, 早退 3%
//	tests        four tests a member (党纪党规及德廉知识测试… in March, June (满分 50), September,
//	             November): 3% 缺考, 3% 请假, else a score of 40–100% of the full mark
//	pledges      one a member for the year: 96% signed; 践诺 优秀, 良好, 一般, 未践诺 or blank
//	entries      three ledger rows a member on days of the year: 志愿服务, 心得体会 (1–3 篇),
//	             党费未按时缴纳, 表彰 (国家级 … 本单位), 讲党课, 慰问, 通报批评, and 0.5% 党纪处分
//	             (警告 … 开除党籍: about 1.5% of members)
//
// Every scoring category and veto of the reference scheme (config.yaml) thus has data.
package bigdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Options say what to generate. Zero fields take the defaults.
type Options struct {
	Members  int   // members (default 2000)
	Records  int   // sign-in rows (default 100000)
	Year     int   // the year (default 2022)
	Branches int   // branches (default one per 40 members, at least 1; at most Members)
	Seed     int64 // varies every hashed value
}

// Defaults gives the options Fill uses for o: zero fields set to their defaults.
func (o Options) Defaults() Options {
	if o.Members <= 0 {
		o.Members = 2000
	}
	if o.Records <= 0 {
		o.Records = 100000
	}
	if o.Year == 0 {
		o.Year = 2022
	}
	if o.Branches <= 0 {
		o.Branches = max(1, o.Members/40)
	}
	o.Branches = min(o.Branches, o.Members)
	return o
}

// Rows per member of tests and of entries (pledges: one).
const (
	TestsPerMember  = 4
	LedgerPerMember = 3
)

// sqlFill: the statements, with the named parameters $year, $members, $branches, $records and
// the file ids $f_members … $f_entries; bigdb_h(k, salt) (sqlHash) is a hash in [0, 1000) of a
// row number and a salt (one per value drawn).
const sqlFill = `
INSERT INTO files (file_id, path, name, sha256, rows, imported_at, imported_by)
SELECT id, 'bigdb/' || name, name, sha256(name || $members::VARCHAR || '·' || $records::VARCHAR), n, make_timestamp($year, 1, 1, 0, 0, 0), 'bigdb'
FROM (VALUES ($f_members, '党员名册.xlsx', $members), ($f_attendance, '考勤.xlsx', $records),
	($f_tests, '测试成绩.xlsx', $members * 4), ($f_pledges, '承诺践诺.xlsx', $members),
	($f_entries, '加扣分台账.xlsx', $members * 3)) t(id, name, n);
INSERT INTO members (member_id, name, branch, grp, category, position, join_date, transfer_in, transfer_out,
	birth_date, mobile, file_id, sheet, row)
SELECT printf('D%07d', i + 1),
	substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤', 1 + bigdb_h(i, 1) % 100, 1)
		|| substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力林斌宇浩凯鹏飞云峰琳晶婷雪慧颖倩佳欣怡晨阳博瑞鑫成康宁志国', 1 + bigdb_h(i, 2) % 60, 1)
		|| CASE WHEN bigdb_h(i, 3) < 700 THEN substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力林斌宇浩凯鹏飞云峰琳晶婷雪慧颖倩佳欣怡晨阳博瑞鑫成康宁志国', 1 + bigdb_h(i, 4) % 60, 1) ELSE '' END,
	'第' || (b + 1) || '党支部',
	'第' || ['一', '二', '三'][1 + w % 3] || '党小组',
	CASE WHEN w >= 4 AND bigdb_h(i, 5) < 70 THEN '预备党员' ELSE '正式党员' END,
	CASE w WHEN 0 THEN '支部书记' WHEN 1 THEN '组织委员' WHEN 2 THEN '宣传委员' WHEN 3 THEN '纪检委员' ELSE '' END,
	CASE WHEN w >= 4 AND bigdb_h(i, 5) < 70 THEN make_date($year - 1, 1 + bigdb_h(i, 6) % 12, 1 + bigdb_h(i, 7) % 28)
	     WHEN bigdb_h(i, 5) < 90 THEN make_date($year, 2 + bigdb_h(i, 6) % 10, 1 + bigdb_h(i, 7) % 28)
	     ELSE make_date($year - 2 - bigdb_h(i, 6) % 40, 1 + bigdb_h(i, 7) % 12, 1 + bigdb_h(i, 8) % 28) END,
	CASE WHEN bigdb_h(i, 9) < 10 THEN make_date($year, 2 + bigdb_h(i, 10) % 10, 1 + bigdb_h(i, 11) % 28) END,
	CASE WHEN bigdb_h(i, 9) BETWEEN 10 AND 19 THEN make_date($year, 2 + bigdb_h(i, 10) % 10, 1 + bigdb_h(i, 11) % 28) END,
	make_date($year - 22 - bigdb_h(i, 12) % 50, 1 + bigdb_h(i, 13) % 12, 1 + bigdb_h(i, 14) % 28),
	bigdb_h(i, 15) < 10,
	$f_members, '党员名册', i + 3
FROM (SELECT i, b, i - min(i) OVER (PARTITION BY b) AS w
	FROM (SELECT range AS i, range * $branches // $members AS b FROM range($members)));
INSERT INTO attendance (member_id, activity, date, status, note, file_id, sheet, row)
SELECT printf('D%07d', i + 1),
	['主题党日', '党小组会', '支委会', '集中学习', '党课', '支部党员大会', '交流研讨', '组织生活会'][1 + j % 8],
	make_date($year, 1 + (j // 8) % 12, 1 + (j // 96 + i * $branches // $members + 3 * (j % 8)) % 28),
	CASE WHEN s < 820 THEN '出席' WHEN s < 890 THEN '请假' WHEN s < 930 THEN '缺席' WHEN s < 970 THEN '迟到' ELSE '早退' END,
	CASE WHEN s BETWEEN 820 AND 889 THEN ['病假', '事假', '因公请假'][1 + s % 3] ELSE '' END,
	$f_attendance, '考勤', k + 3
FROM (SELECT range AS k, range % $members AS i, range // $members AS j, bigdb_h(range, 20) AS s FROM range($records));
INSERT INTO tests (member_id, test, date, score, full_mark, status, file_id, sheet, row)
SELECT printf('D%07d', i + 1),
	['党纪党规及德廉知识测试（第一季度）', '党章党规知识测试', '党纪党规及德廉知识测试（第三季度）', '学习贯彻党的二十大精神应知应会测试'][1 + t],
	make_date($year, [3, 6, 9, 11][1 + t], 25),
	CASE WHEN s >= 60 THEN round(fm * (40 + s % 61) / 100) END,
	fm,
	CASE WHEN s < 30 THEN '缺考' WHEN s < 60 THEN '请假' ELSE '' END,
	$f_tests, '测试' || (t + 1), i + 3
FROM (SELECT range // 4 AS i, range % 4 AS t, bigdb_h(range, 30) AS s, CASE WHEN range % 4 = 1 THEN 50.0 ELSE 100.0 END AS fm
	FROM range($members * 4));
INSERT INTO pledges (member_id, year, signed, rating, file_id, sheet, row)
SELECT printf('D%07d', range + 1), $year, bigdb_h(range, 40) >= 40,
	CASE WHEN s < 300 THEN '优秀' WHEN s < 750 THEN '良好' WHEN s < 900 THEN '一般' WHEN s < 940 THEN '未践诺' ELSE '' END,
	$f_pledges, '承诺践诺', range + 3
FROM (SELECT range, bigdb_h(range, 41) AS s FROM range($members));
INSERT INTO entries (member_id, date, category, level, note, count, points, file_id, sheet, row)
SELECT printf('D%07d', k % $members + 1),
	make_date($year, 1 + bigdb_h(k, 51) % 12, 1 + bigdb_h(k, 52) % 28),
	c, l,
	CASE c WHEN '志愿服务' THEN '文明交通劝导志愿服务' WHEN '慰问' THEN '走访慰问' ELSE '' END,
	CASE WHEN c = '心得体会' THEN 1 + bigdb_h(k, 53) % 3 ELSE 1 END, NULL,
	$f_entries, '台账', k + 3
FROM (SELECT k,
	CASE WHEN s < 400 THEN '志愿服务' WHEN s < 650 THEN '心得体会' WHEN s < 750 THEN '党费未按时缴纳' WHEN s < 850 THEN '表彰'
	     WHEN s < 900 THEN '讲党课' WHEN s < 950 THEN '慰问' WHEN s < 995 THEN '通报批评' ELSE '党纪处分' END AS c,
	CASE WHEN s BETWEEN 750 AND 849 THEN ['国家级', '省部级', '市厅级', '县处级', '本单位', '本单位', '本单位', '县处级'][1 + s % 8]
	     WHEN s >= 995 THEN ['警告', '警告', '严重警告', '撤销党内职务', '留党察看', '开除党籍'][1 + s % 6]
	     ELSE '' END AS l
	FROM (SELECT range AS k, bigdb_h(range, 50) AS s FROM range($members * 3)));
DROP MACRO bigdb_h`

// sqlHash defines bigdb_h for a seed (an integer, formatted into the statement).
const sqlHash = "CREATE OR REPLACE TEMP MACRO bigdb_h(k, salt) AS (hash(%d, k, salt) %% 1000)::INTEGER"

// Fill writes a synthetic year into the empty store db (see the package doc), in one
// transaction, and returns the options it used, defaults filled in.
func Fill(ctx context.Context, db *sql.DB, o Options) (Options, error) {
	o = o.Defaults()
	conn, err := db.Conn(ctx)
	if err != nil {
		return o, err
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM members").Scan(&n); err != nil {
		return o, err
	}
	if n > 0 {
		return o, fmt.Errorf("数据库中已有 %d 名党员：bigdb.Fill 只能写入空的数据库", n)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return o, err
	}
	ok := false
	defer func() {
		if !ok {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	args := []any{sql.Named("year", o.Year), sql.Named("members", o.Members), sql.Named("branches", o.Branches),
		sql.Named("records", o.Records)}
	for _, f := range []string{"f_members", "f_attendance", "f_tests", "f_pledges", "f_entries"} {
		var id int
		if err := conn.QueryRowContext(ctx, "SELECT nextval('file_ids')").Scan(&id); err != nil {
			return o, err
		}
		args = append(args, sql.Named(f, id))
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(sqlHash, o.Seed)); err != nil {
		return o, err
	}
	for _, q := range strings.Split(sqlFill, ";\n") {
		var used []any
		for _, a := range args {
			if strings.Contains(q, "$"+a.(sql.NamedArg).Name) {
				used = append(used, a)
			}
		}
		if _, err := conn.ExecContext(ctx, q, used...); err != nil {
			return o, fmt.Errorf("生成数据失败：%w", err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return o, err
	}
	ok = true
	return o, nil
}
