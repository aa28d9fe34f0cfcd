#!/usr/bin/env bash
# `jifen import` of the same 200 000 sign-in rows written by excelize and by openpyxl
# (write-only mode, as pandas writes too), alternating, N rounds (default 7): median wall and
# CPU time of each, peak memory, and the ratio openpyxl / excelize (issue 15: at most 1.2, and
# under 300 MB). The two workbooks are the ones BenchmarkWriters makes once into its cache
# ($JIFEN_BENCH_CACHE, default jifen-bench-cache in the temporary folder); the roster is
# datasets/big's. Needs /usr/bin/python3 with openpyxl and GNU time (/usr/bin/time).
#
#	datasets/big/writers/ratio.sh 7
set -euo pipefail
cd "$(dirname "$0")/../../.."
cache=${JIFEN_BENCH_CACHE:-${TMPDIR:-/tmp}/jifen-bench-cache}
go test -run XXX -bench 'Writers/excelize' -benchtime 1x ./engine/sheet/ >/dev/null # makes both workbooks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/jifen" ./cmd/jifen
go run ./datasets/big -rows 1 -members 2000 -out "$work/roster" >/dev/null
for k in excelize openpyxl; do
  mkdir "$work/$k"
  cp "$work/roster/党员名册.xlsx" "$work/$k/"
  cp "$cache/$k-200000.xlsx" "$work/$k/考勤.xlsx"
done
for i in $(seq 1 "${1:-7}"); do
  for k in excelize openpyxl; do
    rm -f "$work/$k.duckdb"*
    /usr/bin/time -f "$k %e %U %S %M" "$work/jifen" import --db "$work/$k.duckdb" "$work/$k" 2>&1 >/dev/null | tail -1
  done
done | python3 -c '
import sys, statistics as st
d = {"excelize": [], "openpyxl": []}
for line in sys.stdin:
    k, wall, user, sys_, rss = line.split()
    d[k].append((float(wall), float(user) + float(sys_), int(rss)))
for k, v in d.items():
    print("%-8s  wall %.2f s  cpu %.2f s  peak %d MB" % (k, st.median(x[0] for x in v), st.median(x[1] for x in v), max(x[2] for x in v) // 1024))
r = lambda i: st.median(x[i] for x in d["openpyxl"]) / st.median(x[i] for x in d["excelize"])
print("openpyxl / excelize: wall %.2f×, cpu %.2f×" % (r(0), r(1)))
'
