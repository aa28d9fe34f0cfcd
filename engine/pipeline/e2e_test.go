package pipeline_test

// End-to-end test on the hand-worked fixture testdata/e2e_small (year 2022, rules ../../config.yaml,
// i.e. the reference scheme of DOMAIN.md). Every expected value below is worked out by hand from the
// fixture files; nothing here was copied from program output.
//
// ## Fixture files (testdata/e2e_small/)
//
//	党员名册.csv                roster, 14 members (dates ISO, one "2022/6/30", one "2022年4月1日")
//	第一党支部考勤.csv           第一党支部 sign-ins outside March; by 党员编号 (no 所在支部 column)
//	第二党支部考勤.csv           第二党支部 sign-ins outside March; UTF-8 BOM; by 姓名 + 所在支部
//	第二党支部集中学习签到.csv    26 集中学习 sessions of 周婷; headers 日期/签到情况 (synonyms)
//	2022年3月考勤表.xlsx         all March sign-ins; merged title row A1:G1 "2022年3月考勤表";
//	                            by 姓名 + 所在支部; text dates "2022年3月8日"; √ = 出席, × = 缺席
//	2022年测试成绩.xlsx          four tests; real Excel date cells; by 姓名 + 所在支部; one score
//	                            stored as text; 满分 blank for 党史知识测试 (default 100)
//	承诺践诺.csv                pledges; by 党员编号 only
//	加扣分台账.csv              ledger; by 姓名 + 所在支部 ("刘 洋" written with a space)
//
// The xlsx files and the three attendance CSVs are written by testdata/e2e_small_gen (run
// `go run ./engine/pipeline/testdata/e2e_small_gen` from the module root), which lists every row.
//
// ## Roster and periods (max(2022-01-01, 入党, 转入) .. min(2022-12-31, 转出), inclusive)
//
//	id     name  branch   post      category  period
//	DY001  张伟  第一党支部 支部书记   正式      full year
//	DY002  王芳  第一党支部 支部委员   正式      full year
//	DY003  李娜  第一党支部 -          正式      full year   (same name as DY012)
//	DY004  刘洋  第一党支部 -          正式      full year
//	DY005  陈静  第一党支部 -          正式      full year
//	DY006  杨磊  第一党支部 -          正式      01-01..06-30 (转出 2022-06-30)
//	DY007  赵敏  第一党支部 -          预备      07-01..12-31 (入党 2022-07-01)
//	DY008  黄强  第二党支部 支部书记   正式      full year
//	DY009  周婷  第二党支部 -          正式      full year
//	DY010  吴刚  第二党支部 -          正式      full year
//	DY011  徐丽  第二党支部 支部委员   正式      full year
//	DY012  李娜  第二党支部 -          正式      full year   (same name as DY003)
//	DY013  孙浩  第二党支部 -          预备      full year   (入党 2021-12-28)
//	DY014  何军  第二党支部 -          正式      04-01..12-31 (转入 2022-04-01)
//
// 党员数: 第一党支部 7 (杨磊 and 赵敏 included), 第二党支部 7, 合计 14.
// 正式党员 per branch (quota base n): 第一 6 (incl. 杨磊) → ⌊6/3⌋ = 2; 第二 6 → 2.
//
// ## Meetings of 第一党支部 (a row for every listed member; "all" = 出席 unless noted)
//
//	#   date        type          rows
//	-   2021-12-17  主题党日       张伟 缺席 — dated 2021: no meeting, no points
//	1   01-10       支委会         张伟 出席, 王芳 出席, 李娜 出席 (列席)
//	2   02-18       主题党日       early all
//	3   03-08       支委会         张伟 出席, 王芳 迟到                       [xlsx]
//	4   03-15       支部党员大会   early all, 杨磊 缺席; + 赵敏 出席 (before 入党, ignored) [xlsx]
//	5   03-25       党课           early all, 刘洋 请假                       [xlsx]
//	6   04-12       党小组会       early all, 王芳 请假
//	7   05-20       主题党日       early all, 李娜 缺席, 杨磊 迟到; + 赵敏 缺席 (ignored)
//	8   06-10       集中学习       early all
//	9   06-30       支部党员大会   early all (杨磊's last day: counted)
//	10  07-01       主题党日       late all (赵敏's first day: counted); + 杨磊 缺席 (ignored)
//	11  07-11       支委会         张伟 出席, 王芳 出席, 李娜 出席 (列席)
//	12  08-16       党小组会       late all; + 杨磊 出席 (ignored)
//	13  09-20       支部党员大会   late all, 王芳 迟到
//	14  10-11       支委会         张伟 出席, 王芳 出席
//	15  10-25       党课           late all, 李娜 早退
//	16  11-18       主题党日       late all, 赵敏 早退
//	17  12-20       支部党员大会   late all
//	18  12-22       组织生活会     late all, 李娜 请假 (0 points whatever the status)
//
//	early = 张伟 王芳 李娜 刘洋 陈静 杨磊; late = 张伟 王芳 李娜 刘洋 陈静 赵敏.
//	Counts: 支委会 4 (#1 3 11 14), 支部党员大会 4 (#4 9 13 17), 党小组会 2 (#6 12), 党课 2 (#5 15),
//	主题党日 4 (#2 7 10 16), 集中学习 1 (#8), 组织生活会 1 (#18).
//	Scoring meetings (the five +1 types): #2 4 5 6 7 8 9 10 12 13 15 16 17 = 13.
//
// ## Meetings of 第二党支部
//
//	#   date        type          rows
//	1   02-11       支委会         黄强 出席, 徐丽 出席
//	2   02-25       主题党日       early all, 李娜 缺席
//	3   03-18       支部党员大会   early all, 李娜 缺席; + 何军 缺席 (before 转入, ignored) [xlsx]
//	4   03-29       党课           early all, 孙浩 迟到                       [xlsx]
//	5   04-22       主题党日       late all, 李娜 缺席
//	6   06-10       支委会         黄强 出席, 徐丽 出席
//	7   06-17       党小组会       late all
//	8   08-26       主题党日       late all, 李娜 迟到
//	9   09-23       支部党员大会   late all, 徐丽 请假
//	10  10-14       支委会         黄强 出席, 徐丽 缺席
//	11  11-25       党课           late all, 李娜 早退
//	12  12-16       支部党员大会   late all
//	13  12-23       组织生活会     late all, 李娜 缺席 (0 points)
//	S   集中学习 every other Friday 2022-01-07 .. 2022-12-23 (26 sessions): 周婷 only, 出席 except
//	    迟到 on 2022-09-16.
//
//	early = 黄强 周婷 吴刚 徐丽 李娜 孙浩; late = early + 何军.
//	Counts: 支委会 3, 支部党员大会 3 (#3 9 12), 党小组会 1, 党课 2 (#4 11), 主题党日 3 (#2 5 8),
//	集中学习 26, 组织生活会 1. Scoring meetings: #2 3 4 5 7 8 9 11 12 = 9 (+ the 26 集中学习).
//	合计 meeting counts are branch sums (a meeting is (branch, type, date)): note 06-10 has a
//	集中学习 in both branches — two meetings, so 集中学习 合计 = 1 + 26 = 27.
//
// ## Tests (2022年测试成绩.xlsx)
//
//	T1 党纪党规知识测试 2022-03-30 /100; T2 德廉知识测试 06-28 /100; T3 党史知识测试 09-15 /100 (满分
//	blank); T4 党的二十大精神知识测试 11-10 /50.  Bands: ≥90% +3, ≥60% +1, <60% −2, 缺考 −2, 请假 0
//	(not taken). Gains capped at +10.
//
// ## Per-member derivations
//
// Notation: att = attendance (+1s capped at 30, minus deductions), tst = tests, plg = pledge
// (是 +2; 优秀 +5, 良好 +3, 一般 0, 未践诺 −3, blank 0), hon = 表彰 highest only, oth = 志愿服务/讲党课/
// 心得体会 (cap +10), ded = 党费未按时缴纳 −0.5 / 通报批评 −3.
// rows = attendance rows in period (attended = 出席+迟到+早退); taken/passed for tests.
//
//	DY001 张伟: att 13 scoring 出席 + 4 支委会 出席 (支部书记) = +17 (2021-12-17 缺席 outside the year);
//	  tst T1 95 +3, T2 88 +1, T3 请假 0, T4 46/50=92% +3 = +7; plg 是 优秀 +7;
//	  hon max(本单位 2, 市厅级 6) = 6; oth 讲党课 +3.
//	  60+17+7+7+6+3 = 100 → ★5; rows 18/18; tests 3 taken, 3 passed.
//	DY002 王芳: att scoring 11 出席 + #6 请假 0 + #13 迟到 −0.5; 支委会 (支部委员) 3 出席 + #3 迟到 −0.5
//	  → 14 − 1 = +13; tst T1 72 +1, T2 请假, T3 85 +1, T4 30/50=60% +1 = +3; plg 是 良好 +5;
//	  oth 志愿服务×3 +3, 心得体会 +0.5 = 3.5.
//	  60+13+3+5+3.5 = 84.5 → ★3; rows 18 (13+4+1), attended 17; tests 3/3.
//	DY003 李娜(一): att scoring 11 出席, #7 缺席 −2, #15 早退 −0.5 → 11 − 2.5 = 8.5; 支委会 ×2 列席 0;
//	  组织生活会 请假 0; tst T1 58 −2, T2 60 +1, T3 75 +1, T4 缺考 −2 = −2; plg 是 一般 +2;
//	  oth 心得体会 +0.5; ded 党费×2 −1.
//	  60+8.5−2+2+0.5−1 = 68 → ★1; rows 16 (13+2+1), attended 14; tests 3 taken (+1 缺考), 2 passed.
//	DY004 刘洋: att 12 出席, #5 请假 → +12; tst T1 98, T2 92, T3 90 (exactly 90%), T4 48/50 → 4×3
//	  = 12 → capped +10; plg 是 优秀 +7; hon 县处级 4.
//	  60+12+10+7+4 = 93 → ★4; rows 14, attended 13; tests 4/4.
//	DY005 陈静: att 13 出席 → +13; tst 80 +1, 91 +3, 66 +1, 40/50=80% +1 = +6; plg 是 良好 +5;
//	  oth 志愿服务×2 +2; 党纪处分 警告 → min(86, 60).
//	  60+13+6+5+2 = 86 → 60, no stars (★0); rows 14/14; tests 4/4.
//	DY006 杨磊 (转出 06-30): att rows #2 4 5 6 7 8 9: 5 出席, #4 缺席 −2, #7 迟到 −0.5 → 5 − 2.5
//	  = 2.5 (#10 缺席 and #12 出席 after 转出: ignored); tst T1 65 +1, T2 55 −2 = −1 (T3 缺考,
//	  T4 20/50 after 转出: ignored); plg 是 blank +2; oth 志愿服务 05-21 +1 (08-06 志愿服务 and
//	  09-01 通报批评 after 转出: ignored).
//	  60+2.5−1+2+1 = 64.5 → ★1; rows 7, attended 6; tests 2 taken, 1 passed.
//	DY007 赵敏 (预备, 入党 07-01): att rows #10 12 13 15 16 + #18: 5 出席, #16 早退 −0.5 → 4.5
//	  (#4 出席, #7 缺席 before 入党: ignored); tst T3 89 +1, T4 45/50=90% +3 = +4 (T1 50 before:
//	  ignored); plg 是 良好 +5; oth 心得体会 +0.5, 志愿服务 09-17 +1 = 1.5 (05-14 ignored).
//	  60+4.5+4+5+1.5 = 75 → ★2; rows 7/7; tests 2/2.
//	DY008 黄强: att 9 scoring 出席 + 3 支委会 出席 = +12; tst 100 +3, 94 +3, 58 −2, 44/50=88% +1 = +5;
//	  plg 是 优秀 +7; oth 讲党课×2 +6, 志愿服务×4 +4, 心得体会×2 +1 = 11 → capped 10.
//	  60+12+5+7+10 = 94 → ★4; rows 13/13; tests 4 taken, 3 passed.
//	DY009 周婷: att 9 scoring 出席 + 25 集中学习 出席 = 34 +1s → capped 30; 集中学习 迟到 −0.5
//	  (deductions are not capped: 30 − 0.5 = 29.5, not min(30, 33.5)); tst 81 +1, 73 +1, 90 +3,
//	  35/50=70% +1 = +6; plg 是 良好 +5; oth 心得体会×2 +1.
//	  60+29.5+6+5+1 = 101.5 → ★5; rows 36 (9+26+1), attended 36; tests 4/4.
//	DY010 吴刚: att +9; tst 90 +3, 85 +1, 70 +1, 45/50 +3 = +8; plg 是 一般 +2; hon 本单位 2;
//	  党纪处分 留党察看 → total 0, no stars, 不合格.
//	  (60+9+8+2+2 = 81) → 0 → ★0; rows 10/10; tests 4/4.
//	DY011 徐丽: att scoring 8 出席 + #9 请假; 支委会 (支部委员) 2 出席 + #10 缺席 −2 → 10 − 2 = +8;
//	  tst 92 +3, 缺考 −2, 91 +3, 42/50=84% +1 = +5; plg 是 优秀 +7; hon max(本单位 2, 市厅级 6) = 6;
//	  oth 志愿服务×5 +5, 讲党课 +3 = 8.
//	  60+8+5+7+6+8 = 94 → ★4; rows 13, attended 11; tests 3 taken (+1 缺考), 3 passed.
//	DY012 李娜(二): att 4 出席 (#4 7 9 12), 缺席×3 (#2 3 5) −6, #8 迟到 −0.5, #11 早退 −0.5
//	  → 4 − 7 = −3; 组织生活会 缺席 0; tst 45 −2, 59.5 −2, 62 +1, 缺考 −2 = −5;
//	  plg 2022 否 未践诺 −3 (the 2021 row 是 优秀 is another year: ignored); ded 党费×3 −1.5,
//	  通报批评 −3 = −4.5.
//	  60−3−5−3−4.5 = 44.5 → ★0; rows 10, attended 6; tests 3 taken (+1 缺考), 1 passed.
//	DY013 孙浩 (预备): att 8 出席 + #4 迟到 −0.5 = 7.5; tst "88" (text) +1, 90 +3, 请假 0,
//	  38/50=76% +1 = +5; plg 是 良好 +5; oth 志愿服务×2 +2, 心得体会 +0.5 = 2.5; 慰问 0.
//	  60+7.5+5+5+2.5 = 80 → ★3; rows 10/10; tests 3/3.
//	DY014 何军 (转入 04-01): att rows #5 7 8 9 11 12 + #13: 6 出席 → +6 (#3 缺席 03-18: ignored);
//	  tst T2 77 +1, T3 86 +1, T4 28/50=56% −2 = 0 (T1 30 on 03-30: ignored); plg 否 blank 0;
//	  oth 志愿服务 +1 (02-28 党费 before 转入: ignored).
//	  60+6+0+0+1 = 67 → ★1; rows 7/7; tests 3 taken, 2 passed.
//
// ## Grades (正式党员 only; 优秀 if ≥ 90 and at most ⌊n/3⌋ = 2 have at least as many points)
//
//	第一党支部: 张伟 100 (1 with ≥100) 优秀; 刘洋 93 (2 with ≥93) 优秀 — only because 杨磊 counts
//	  in n (without him ⌊5/3⌋ = 1); 王芳 84.5 合格; 李娜 68, 杨磊 64.5, 陈静 60 (capped) 基本合格.
//	第二党支部: 周婷 101.5 (1) 优秀; 黄强 94 and 徐丽 94: 3 with ≥94 > 2, so the tied pair is wholly
//	  合格; 何军 67 基本合格; 李娜 44.5 不合格; 吴刚 0 (留党察看) 不合格.
//
// ## Indicators
//
//	出勤率: 第一 rows 18+18+16+14+14+7+7 = 94, attended 18+17+14+13+14+6+7 = 89 → 94.68 → 94.7;
//	        第二 rows 13+36+10+13+10+10+7 = 99, attended 13+36+10+11+6+10+7 = 93 → 93.94 → 93.9;
//	        合计 182/193 = 94.30 → 94.3.
//	测试:   参考 means sat the test; 缺考 is counted apart (缺考人次) and is not in the pass rate's
//	        denominator (issue 14 item 9: it used to count as taken, giving 22/26/48 and 86.4/76.9/81.3).
//	        缺考 in period: 第一 李娜(一) T4 = 1 (杨磊's T3 缺考 is after 转出); 第二 徐丽 T2, 李娜(二) T4 = 2.
//	        第一 taken 3+3+3+4+4+2+2 = 21, passed 3+3+2+4+4+1+2 = 19 → 90.48 → 90.5;
//	        第二 taken 4+4+4+3+3+3+3 = 24, passed 3+4+4+3+1+3+2 = 20 → 83.33 → 83.3;
//	        合计 39/45 = 86.67 → 86.7; 缺考人次 1, 2, 3.
//	承诺书签订率: 第一 7/7 → 100.0; 第二 5/7 (李娜 否, 何军 否) → 71.4; 合计 12/14 → 85.7.
//	Stars:  第一 ★5 张伟, ★4 刘洋, ★3 王芳, ★2 赵敏, ★1 李娜 杨磊, none 陈静;
//	        第二 ★5 周婷, ★4 黄强 徐丽, ★3 孙浩, ★1 何军, none 吴刚 李娜.
//	Grades: 第一 优秀 2, 合格 1, 基本合格 3, 不合格 0; 第二 优秀 1, 合格 2, 基本合格 1, 不合格 2.

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jifen/jifen/engine/pipeline"
)

type e2eMember struct {
	id, name, branch, category, total, stars, grade string
}

// wantE2EMembers: see the derivations above.
var wantE2EMembers = []e2eMember{
	{"DY001", "张伟", "第一党支部", "正式党员", "100", "5", "优秀"},
	{"DY002", "王芳", "第一党支部", "正式党员", "84.5", "3", "合格"},
	{"DY003", "李娜", "第一党支部", "正式党员", "68", "1", "基本合格"},
	{"DY004", "刘洋", "第一党支部", "正式党员", "93", "4", "优秀"},
	{"DY005", "陈静", "第一党支部", "正式党员", "60", "0", "基本合格"},
	{"DY006", "杨磊", "第一党支部", "正式党员", "64.5", "1", "基本合格"},
	{"DY007", "赵敏", "第一党支部", "预备党员", "75", "2", "不定等次（预备党员）"},
	{"DY008", "黄强", "第二党支部", "正式党员", "94", "4", "合格"},
	{"DY009", "周婷", "第二党支部", "正式党员", "101.5", "5", "优秀"},
	{"DY010", "吴刚", "第二党支部", "正式党员", "0", "0", "不合格"},
	{"DY011", "徐丽", "第二党支部", "正式党员", "94", "4", "合格"},
	{"DY012", "李娜", "第二党支部", "正式党员", "44.5", "0", "不合格"},
	{"DY013", "孙浩", "第二党支部", "预备党员", "80", "3", "不定等次（预备党员）"},
	{"DY014", "何军", "第二党支部", "正式党员", "67", "1", "基本合格"},
}

// wantE2EIndicators: one row per indicator, values for 第一党支部, 第二党支部 and 合计; see
// "Indicators" above. Counts are integers; rates are percent with one decimal, rounded half up.
var wantE2EIndicators = []struct{ name, b1, b2, all string }{
	{"党员数", "7", "7", "14"},
	{"支委会次数", "4", "3", "7"},
	{"支部党员大会次数", "4", "3", "7"},
	{"党小组会次数", "2", "1", "3"},
	{"党课次数", "2", "2", "4"},
	{"主题党日次数", "4", "3", "7"},
	{"集中学习次数", "1", "26", "27"},
	{"出勤率", "94.7", "93.9", "94.3"},
	{"测试参考人次", "21", "24", "45"},
	{"缺考人次", "1", "2", "3"},
	{"测试及格率", "90.5", "83.3", "86.7"},
	{"承诺书签订率", "100.0", "71.4", "85.7"},
	{"五星党员数", "1", "1", "2"},
	{"四星党员数", "1", "2", "3"},
	{"三星党员数", "1", "1", "2"},
	{"二星党员数", "1", "0", "1"},
	{"一星党员数", "2", "1", "3"},
	{"无星党员数", "1", "2", "3"},
	{"优秀人数", "2", "1", "3"},
	{"合格人数", "1", "2", "3"},
	{"基本合格人数", "3", "1", "4"},
	{"不合格人数", "0", "2", "2"},
}

func TestE2ESmall(t *testing.T) {
	out := t.TempDir()
	_, err := pipeline.Run(t.Context(), pipeline.Options{
		Inputs:     []string{"testdata/e2e_small"},
		OutDir:     out,
		ConfigPath: "../../config.yaml",
		DBPath:     filepath.Join(t.TempDir(), "t.duckdb"),
	})
	if err != nil {
		t.Fatalf("pipeline.Run: %v", err)
	}

	t.Run("members", func(t *testing.T) {
		rows := readBOMCSV(t, filepath.Join(out, "members.csv"))
		wantHeader := []string{"党员编号", "姓名", "党支部", "党员类别", "总积分", "星级", "等次"}
		if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(wantHeader, ",") {
			t.Fatalf("members.csv header: got %q, want %q", first(rows), wantHeader)
		}
		got := map[string][]string{}
		for i, r := range rows[1:] {
			if len(r) != len(wantHeader) {
				t.Errorf("members.csv line %d: %d fields, want %d: %q", i+2, len(r), len(wantHeader), r)
				continue
			}
			if _, dup := got[r[0]]; dup {
				t.Errorf("members.csv line %d: 党员编号 %s appears twice", i+2, r[0])
			}
			got[r[0]] = r
		}
		for _, w := range wantE2EMembers {
			r, ok := got[w.id]
			if !ok {
				t.Errorf("%s %s: missing from members.csv", w.id, w.name)
				continue
			}
			want := []string{w.id, w.name, w.branch, w.category, w.total, w.stars, w.grade}
			for c := 1; c < len(want); c++ {
				if r[c] != want[c] {
					t.Errorf("%s %s: %s = %q, want %q", w.id, w.name, wantHeader[c], r[c], want[c])
				}
			}
			delete(got, w.id)
		}
		for id, r := range got {
			t.Errorf("members.csv: unexpected member %s: %q", id, r)
		}
	})

	t.Run("indicators", func(t *testing.T) {
		rows := readBOMCSV(t, filepath.Join(out, "indicators.csv"))
		wantHeader := []string{"党支部", "指标", "数值"}
		if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(wantHeader, ",") {
			t.Fatalf("indicators.csv header: got %q, want %q", first(rows), wantHeader)
		}
		got := map[[2]string]string{}
		for i, r := range rows[1:] {
			if len(r) != 3 {
				t.Errorf("indicators.csv line %d: %d fields, want 3: %q", i+2, len(r), r)
				continue
			}
			k := [2]string{r[0], r[1]}
			if _, dup := got[k]; dup {
				t.Errorf("indicators.csv line %d: %s/%s appears twice", i+2, r[0], r[1])
			}
			got[k] = r[2]
		}
		for _, w := range wantE2EIndicators {
			for _, bv := range [][2]string{{"第一党支部", w.b1}, {"第二党支部", w.b2}, {"合计", w.all}} {
				branch, want := bv[0], bv[1]
				v, ok := got[[2]string{branch, w.name}]
				switch {
				case !ok:
					t.Errorf("%s %s: missing from indicators.csv (want %q)", branch, w.name, want)
				case v != want:
					t.Errorf("%s %s = %q, want %q", branch, w.name, v, want)
				}
			}
		}
	})
}

// readBOMCSV reads a UTF-8 CSV that must start with a byte-order mark and returns its records
// (the BOM stripped).
func readBOMCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	bom := []byte("\uFEFF")
	if !bytes.HasPrefix(b, bom) {
		t.Errorf("%s: no UTF-8 byte-order mark", filepath.Base(path))
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, bom)))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return recs
}

func first(rows [][]string) []string {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// runFixture runs the whole job on the hand-worked fixture (testdata/e2e_small) into a new
// folder and returns the job opened on its database (closed with the test) and that folder,
// which holds the outputs.
func runFixture(t *testing.T) (*pipeline.Job, string) {
	t.Helper()
	dir := t.TempDir()
	opt := pipeline.Options{Inputs: []string{"testdata/e2e_small"}, OutDir: dir, ConfigPath: "../../config.yaml", DBPath: filepath.Join(dir, "t.duckdb")}
	if _, err := pipeline.Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	j, err := pipeline.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, dir
}
