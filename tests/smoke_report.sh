#!/usr/bin/env bash
# Smoke test of ptc-report (beside the given ptc-run): on the sample CSVs in tests/data/ its
# aggregates equal hand-computed ones, and so do the chart tables of --chart (tab-separated, text
# with commas in one field); malformed inputs fail with exit 2, one line naming the file and line
# (and the column for a bad number), and no output file.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT=$(dirname "$PROG")/ptc-report
DATA=$(cd "$(dirname "$0")/data" && pwd)
[ -x "$REPORT" ] || { fail "$REPORT is missing"; finish; }

out="$SCRATCH/agg.csv"
"$REPORT" "$DATA/runs-small.csv" --csv "$out" --md "$SCRATCH/agg.md" || fail "report of runs-small.csv failed"
# host,model,workers -> runs median min max iqr outliers speedup efficiency ci_lo ci_hi coverage,
# computed by hand:
#   hostA seq {100,110,120}: median 110, IQR 115 - 105 = 10, speedup 1, efficiency 100/110;
#     outliers not counted below 5 runs; min-max of 3 covers the median 1 - 2/8 = 75 %
#   hostA threadpool {50,55,60}: median 55, speedup 110/55 = 2
#   hostA thread {10,11,12,13,100}: median 12, MAD 1, z(100) = 0.6745 * 88 = 59 > 3.5: 1 outlier;
#     min-max of 5: 1 - 2/32 = 93.75 %
#   hostB (another machine, merged): seq 200, threadpool 80: speedup 2.5 against hostB's seq only;
#     a single run covers nothing
#   hostA seq, 8 tasks, 101..109: median 105, IQR 107 - 103; 9 runs support a 95 % CI: ranks 2
#     and 8 (102, 108), coverage 1 - 2 (1 + 9) / 512 = 96.09 %
want='hostA,seq,1,3,110,100,120,10,,1.0000,0.9091,100,120,0.7500
hostA,threadpool,2,3,55,50,60,5,,2.0000,0.9091,50,60,0.7500
hostA,thread,4,5,12,10,100,2,1,9.1667,2.0833,10,100,0.9375
hostB,seq,1,1,200,200,200,0,,1.0000,0.5000,200,200,0.0000
hostB,threadpool,2,1,80,80,80,0,,2.5000,0.6250,80,80,0.0000
hostA,seq,1,9,105,101,109,4,0,1.0000,0.9524,102,108,0.9609'
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["host"] "," $c["model"] "," $c["workers"] "," $c["runs"] "," $c["wall_median_ns"] \
      "," $c["wall_min_ns"] "," $c["wall_max_ns"] "," $c["wall_iqr_ns"] "," $c["outliers"] "," \
      $c["speedup"] "," $c["efficiency"] "," $c["ci_lo_ns"] "," $c["ci_hi_ns"] "," $c["ci_coverage"] }' "$out")
[ "$got" = "$want" ] || fail "aggregates differ from the hand-computed ones:
$got"
grep -q '| hostB | sleep | 4 tasks × 100 ms | threadpool | 2 | 1 |' "$SCRATCH/agg.md" || fail "markdown lacks hostB's row"
grep -qF '| sleep | 4 tasks × 100 ms | seq | 1 | hostA 110 ns (1.00x); hostB 200 ns (1.82x) |' "$SCRATCH/agg.md" ||
    fail "markdown lacks the comparison of hostA and hostB"
# The Markdown never prints a min-max as a CI: below 6 runs it says so.
grep -qF '| hostA | sleep | 4 tasks × 100 ms | seq | 1 | 3 | 110 ns | n = 3 too small for a 95 % CI |' "$SCRATCH/agg.md" ||
    fail "markdown does not refuse the CI of 3 runs"
grep -qF '| hostA | sleep | 8 tasks × 100 ms | seq | 1 | 9 | 105 ns | 102 ns - 108 ns (96.1 %) | 4 ns | 0 |' "$SCRATCH/agg.md" ||
    fail "markdown lacks the CI of 9 runs with its coverage"
pass "aggregates of runs-small.csv"

bad() { # bad FILE NEEDLE
    local f=$1 needle=$2
    rm -f "$SCRATCH/x.csv"
    "$REPORT" "$DATA/$f" --csv "$SCRATCH/x.csv" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$f: exit status $rc, expected 2"
    [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] || fail "$f: stderr is not one line"
    grep -qF -- "$needle" "$SCRATCH/err" || fail "$f: message lacks '$needle': $(cat "$SCRATCH/err")"
    [ ! -e "$SCRATCH/x.csv" ] || fail "$f: an output file was written"
    pass "$f"
}
bad bad-fields.csv "bad-fields.csv:2: column 8: 7 fields, the header has 8"
bad bad-number.csv "bad-number.csv:2: column 7 (wall_ns): 'abc' is not a number"
bad truncated.csv "truncated.csv:2:"
bad not-ptcbench.csv "not-ptcbench.csv:1: column 1 ('a'): not a CSV ptc-report knows"
bad nosuch.csv "nosuch.csv"

# What only looks like a number, or a count of 0, refused with file, line and column; and a NUL
# byte, which would cut "42\0" to 42.
MADE="$SCRATCH/made"
mkdir "$MADE"
runs_row() { # runs_row FILE TASKS WORKERS WALL
    printf 'host,workload,tasks,task_ms,model,workers,wall_ns,ideal_ns\nh,sleep,%s,100,seq,%s,%b,100\n' \
        "$2" "$3" "$4" >"$MADE/$1"
}
runs_row hex.csv 4 1 0x10
runs_row space.csv 4 1 '" 42"'
runs_row tasks0.csv 0 1 42
runs_row workers0.csv 4 0 42
runs_row nul.csv 4 1 '42\0'
DATA=$MADE bad hex.csv "hex.csv:2: column 7 (wall_ns): '0x10' is not a number"
DATA=$MADE bad space.csv "space.csv:2: column 7 (wall_ns): ' 42' is not a number"
DATA=$MADE bad tasks0.csv "tasks0.csv:2: column 3 (tasks): '0'"
DATA=$MADE bad workers0.csv "workers0.csv:2: column 6 (workers): '0'"
DATA=$MADE bad nul.csv "nul.csv:2: column 7: a NUL byte"

# A file cut off (inside its header, after its header, inside its last row), empty, with a row
# of too few or too many fields, or of a kind no reader has: file, line and column, status 2.
H=host,workload,tasks,task_ms,model,workers,wall_ns,ideal_ns
printf 'host,workload,tas' >"$MADE/cut-header.csv"
printf '%s' "$H" >"$MADE/header-only.csv"
printf '%s\nh,sleep,4,100,seq,1,42,1' "$H" >"$MADE/cut-row.csv"
: >"$MADE/empty.csv"
printf '%s\nh,sleep,4,100,seq,1,42\n' "$H" >"$MADE/few.csv"
printf '%s\nh,sleep,4,100,seq,1,42,100,7\n' "$H" >"$MADE/many.csv"
printf 'host,workload,mod\n' >"$MADE/short-header.csv"
DATA=$MADE bad cut-header.csv "cut-header.csv:1: column 3: cut off: the header has no newline"
DATA=$MADE bad header-only.csv "header-only.csv:1: column 8: cut off: the header has no newline"
DATA=$MADE bad cut-row.csv "cut-row.csv:2: column 8: cut off: the last row has no newline"
DATA=$MADE bad empty.csv "empty.csv:1: column 1: empty: no header"
DATA=$MADE bad few.csv "few.csv:2: column 8: 7 fields, the header has 8"
DATA=$MADE bad many.csv "many.csv:2: column 9: 9 fields, the header has 8"
DATA=$MADE bad short-header.csv "short-header.csv:1: not a CSV ptc-report knows: no column"

# A '|' or a line break in a field (host, workload, model, a claim's text) neither ends a
# Markdown table cell nor its row: every row of a table has the cells of its head.
{
    echo 'host,workload,tasks,task_ms,model,workers,wall_ns,ideal_ns'
    echo '"a|b",sleep,4,100,seq,1,100,100'
    printf '"a|b","sl\neep|x",4,100,"th|read",2,60,50\n'
    printf '"c\nd",sleep,4,100,seq,1,90,100\n'
} >"$MADE/pipes.csv"
"$REPORT" --md "$SCRATCH/pipes.md" "$MADE/pipes.csv" "$DATA/claims-small.csv" 2>"$SCRATCH/err" ||
    fail "pipes.csv: ptc-report failed: $(cat "$SCRATCH/err")"
# Each table: lines starting with '|', as many unescaped bars as its head, then a blank line.
if ! awk '
    function bars(line,   n, i) {
        n = 0
        for (i = 1; i <= length(line); i++)
            if (substr(line, i, 1) == "|" && substr(line, i - 1, 1) != "\\") n++
        return n
    }
    /^\|/ { if (!in_table) { want = bars($0); in_table = 1 }
             else if (bars($0) != want) { print "row " NR " has " bars($0) " bars, its head " want; bad = 1 }
             next }
    in_table && $0 != "" { print "line " NR " continues a table: " $0; bad = 1 }
    { in_table = 0 }
    END { exit bad }' "$SCRATCH/pipes.md" >"$SCRATCH/tables.err"; then
    fail "a '|' or a line break broke a Markdown table: $(cat "$SCRATCH/tables.err")"
else
    pass "'|' and line breaks in fields keep the Markdown tables whole"
fi

# Findings state the aggregate: hostA seq 110 ns = 0.000110 ms; thread median 12 ns, 9.17x.
"$REPORT" "$DATA/runs-small.csv" --findings "$SCRATCH/findings.md" || fail "--findings failed"
grep -qF -- '- **sleep**, 4 tasks × 100 ms (host hostA): seq 0.000 ms; each at its best W: threadpool W=2 2.00x (0.000 ms), thread W=4 9.17x (0.000 ms); fastest: thread W=4' \
    "$SCRATCH/findings.md" || fail "findings of runs-small.csv: $(cat "$SCRATCH/findings.md")"
pass "findings of runs-small.csv"

# Like with like (runs-likewise.csv, CPUs 2): the models side by side at each W that more than
# one ran (threadpool ran W=4 alone), each model at its lowest median's W (coro's W=8, not its
# largest W=16), never a pool at W = the CPU count beside the others at W = the tasks; two
# revisions of one host are two bullets, each naming its git_rev (the only build key that varies).
"$REPORT" "$DATA/runs-likewise.csv" --findings "$SCRATCH/likewise.md" || fail "--findings of runs-likewise.csv failed"
grep -qxF -- '- **sleep**, 8 tasks × 50 ms (host h, git_rev aaa): seq 400.0 ms; at W=2: procpool 1.99x (201.0 ms), thread 2.00x (200.0 ms); at W=8: procpool 7.77x (51.50 ms), fork 7.74x (51.70 ms), thread 7.69x (52.00 ms), coro 6.67x (60.00 ms); each at its best W: procpool W=8 7.77x (51.50 ms), fork W=8 7.74x (51.70 ms), thread W=8 7.69x (52.00 ms), coro W=8 6.67x (60.00 ms), threadpool W=4 4.00x (100.0 ms); fastest: procpool W=8, 51.50 ms.' \
    "$SCRATCH/likewise.md" || fail "findings do not compare like with like: $(cat "$SCRATCH/likewise.md")"
grep -qxF -- '- **sleep**, 8 tasks × 50 ms (host h, git_rev bbb): seq 400.0 ms; each at its best W: thread W=8 8.00x (50.00 ms); fastest: thread W=8, 50.00 ms.' \
    "$SCRATCH/likewise.md" || fail "findings of the second revision: $(cat "$SCRATCH/likewise.md")"
pass "findings compare models at the same W, name each model's best W and each revision"

# hyperfine beside the in-process runs: seq median 20 ms in process, 22 ms whole: +2 ms;
# threadpool 6 ms against 7.5 ms: +1.5 ms.
"$REPORT" --hyperfine-pairs "$SCRATCH/cmp.csv" --findings "$SCRATCH/hf.md" "$DATA/hyperfine-small.csv" \
    "$DATA/hyperfine-inproc.csv" || fail "--hyperfine-pairs failed"
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["model"] "," $c["inproc_median_ns"] "," $c["hyperfine_mean_ns"] "," \
      $c["hyperfine_stddev_ns"] "," $c["overhead_median_ns"] }' "$SCRATCH/cmp.csv")
[ "$got" = "seq,20000000,22500000,1000000,2000000
threadpool,6000000,8000000,500000,1500000" ] || fail "--hyperfine-pairs pairs differ: $got"
grep -qF 'seq W=1 2.000 ms, threadpool W=2 1.500 ms' "$SCRATCH/hf.md" ||
    fail "hyperfine finding: $(cat "$SCRATCH/hf.md")"
pass "hyperfine against in process"

compare_bad() { # compare_bad NEEDLE INPUT...
    local needle=$1
    shift
    rm -f "$SCRATCH/x.csv"
    "$REPORT" --hyperfine-pairs "$SCRATCH/x.csv" "$@" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$needle" "$SCRATCH/err" &&
        [ ! -e "$SCRATCH/x.csv" ] || fail "--hyperfine-pairs $*: status $rc, $(cat "$SCRATCH/err")"
}
compare_bad "model 'seq' has 3 in-process configurations" "$DATA/hyperfine-small.csv" "$DATA/runs-small.csv"
compare_bad "needs exactly one hyperfine CSV" "$DATA/hyperfine-inproc.csv"
printf 'command,mean,stddev,median,user,system,min,max,parameter_model,parameter_workers\nx,0.01,0.001,0.01,0,0,0.01,0.01,seq,1\n' >"$SCRATCH/hf-workers.csv"
compare_bad "only -L model can be paired" "$SCRATCH/hf-workers.csv" "$DATA/hyperfine-inproc.csv"
# An error found while pairing comes before any output, on stdout too.
"$REPORT" "$DATA/hyperfine-small.csv" "$DATA/runs-small.csv" >"$SCRATCH/stdout" 2>/dev/null
[ ! -s "$SCRATCH/stdout" ] || fail "a failed report wrote $(wc -l <"$SCRATCH/stdout") lines to stdout"
pass "--hyperfine-pairs refuses ambiguous or missing input"

# The claims' verdicts, the one that says a fixed overhead exceeded the tolerance included: one
# bullet per language with each verdict's count and ids.
"$REPORT" "$DATA/claims-small.csv" --md "$SCRATCH/claims.md" --findings "$SCRATCH/findings.md" ||
    fail "report of claims-small.csv failed"
grep -qxF -- "- Claims ledger, C ($DATA/claims-small.csv): 1 not judged at this scale (01), 1 refuted (02), 1 not applicable here (03), 1 reproduced (06)." "$SCRATCH/findings.md" ||
    fail "findings lack C's verdict counts: $(cat "$SCRATCH/findings.md")"
grep -qxF -- "- Claims ledger, Python ($DATA/claims-small.csv): 1 not judged at this scale (04), 1 reproduced (06)." "$SCRATCH/findings.md" ||
    fail "findings lack Python's verdict counts: $(cat "$SCRATCH/findings.md")"
pass "claims' verdict counts"

# The chart tables: every value the chart draws, computed. hostA seq at 8 tasks: 9 runs, a 95 % CI
# of ranks 2 and 8 (102, 108): speedup 1 from 105/108 to 105/102; 3 runs have no CI: both ends
# the speedup (hostB threadpool: 200/80 = 2.5). ideal_speedup = seq's ideal / the model's: 100/50,
# 100/25.
"$REPORT" --chart speedup --csv "$SCRATCH/speedup.tsv" "$DATA/runs-small.csv" || fail "--chart speedup failed"
got=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["host"] "," $c["model"] "," $c["tasks"] "," $c["speedup"] "," $c["speedup_lo"] "," \
      $c["speedup_hi"] "," $c["ideal_speedup"] }' "$SCRATCH/speedup.tsv")
[ "$got" = "hostA,seq,4,1.000000000,1.000000000,1.000000000,1.000000000
hostA,threadpool,4,2.000000000,2.000000000,2.000000000,2.000000000
hostA,thread,4,9.166666667,9.166666667,9.166666667,4.000000000
hostB,seq,4,1.000000000,1.000000000,1.000000000,1.000000000
hostB,threadpool,4,2.500000000,2.500000000,2.500000000,2.000000000
hostA,seq,8,1.000000000,0.972222222,1.029411765,1.000000000" ] || fail "--chart speedup: $got"
# The claims' table: a claim with commas is one field; the ratio is measured / expected, empty
# without a measured value.
"$REPORT" --chart claims --csv "$SCRATCH/claims.tsv" "$DATA/claims-small.csv" || fail "--chart claims failed"
got=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["id"] "," $c["language"] "," $c["ratio"] "," substr($c["claim"], 1, 24) }' "$SCRATCH/claims.tsv")
[ "$got" = "01,C,1.061525714,Two downloads of 5-10 s 
02,C,1.864058012,Pool(4) with 5 tasks: ta
03,C,,The pool's default size 
04,Python,20.733775000,Pool(5).map over [1..6] 
06,C,99.000000000,100 threads each deposit
06,Python,97.000000000,100 threads each deposit" ] || fail "--chart claims: $got"
# hyperfine against in process, in ms: seq 20 ms in process, 22.5 +- 1 ms whole, medians +2 ms.
"$REPORT" --chart hyperfine --csv "$SCRATCH/hf.tsv" "$DATA/hyperfine-small.csv" "$DATA/hyperfine-inproc.csv" ||
    fail "--chart hyperfine failed"
got=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["model"] "," $c["inproc_median_ms"] "," $c["hf_sigma_lo_ms"] "," $c["hf_sigma_hi_ms"] "," \
      $c["diff_label"] }' "$SCRATCH/hf.tsv")
[ "$got" = "seq,20.000000,21.500000,23.500000,+2.0 ms
threadpool,6.000000,7.500000,8.500000,+1.5 ms" ] || fail "--chart hyperfine: $got"
chart_bad() { # chart_bad NEEDLE ARGS...
    local needle=$1
    shift
    rm -f "$SCRATCH/x.tsv"
    "$REPORT" "$@" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$needle" "$SCRATCH/err" &&
        [ ! -e "$SCRATCH/x.tsv" ] || fail "$*: status $rc, $(cat "$SCRATCH/err")"
}
chart_bad "unknown chart 'pie'" --chart pie --csv "$SCRATCH/x.tsv" "$DATA/runs-small.csv"
chart_bad "no --csv FILE" --chart speedup "$DATA/runs-small.csv"
chart_bad "--chart cost: no microbenchmark CSV" --chart cost --csv "$SCRATCH/x.tsv" "$DATA/runs-small.csv"
chart_bad "--chart speedup: no ptc-run runs" --chart speedup --csv "$SCRATCH/x.tsv" "$DATA/claims-small.csv"
pass "chart tables (--chart)"

# plots/claims.gp draws every ledger: the sample (no measured <= 0 row: gnuplot 5.4 crashed on
# labels whose every x is NaN), one without an n/a row, one with n/a rows only (--only 03).
if command -v gnuplot >/dev/null; then
    GP="$(cd "$(dirname "$0")/.." && pwd)/plots/claims.gp"
    head -1 "$SCRATCH/claims.tsv" >"$SCRATCH/only03.tsv"
    awk -F'\t' '$7 == "03"' "$SCRATCH/claims.tsv" >>"$SCRATCH/only03.tsv"
    awk -F'\t' '$7 != "03"' "$SCRATCH/claims.tsv" >"$SCRATCH/no-na.tsv"
    for t in claims only03 no-na; do
        gnuplot -c "$GP" "in=$SCRATCH/$t.tsv" "out=$SCRATCH/$t" >/dev/null 2>"$SCRATCH/err" &&
            [ -s "$SCRATCH/$t.png" ] && [ -s "$SCRATCH/$t.svg" ] ||
            fail "claims.gp on $t.tsv drew nothing: $(tail -2 "$SCRATCH/err")"
    done
    pass "claims.gp draws ledgers without a measured <= 0 row, without n/a rows, with n/a rows only"
fi
# plots/cost.gp draws rows whose value is empty or 0 (ptc-spawn writes them when a mechanism
# fails, e.g. under ulimit -u): a label at such a row once parsed as a function call.
SPAWN=$(dirname "$PROG")/ptc-spawn
if command -v gnuplot >/dev/null && [ -x "$SPAWN" ]; then
    "$SPAWN" --only fork,pthread --n 5 --repeat 3 --out "$SCRATCH/spawn.csv" >/dev/null 2>&1 ||
        fail "ptc-spawn --only fork,pthread failed"
    # the first data row's value, min and max emptied, the second's set to 0
    python3 - "$SCRATCH/spawn.csv" "$SCRATCH/spawn-bad.csv" <<'PY' || fail "cannot edit spawn.csv"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
cols = [rows[0].index(c) for c in ("value", "min", "max")]
for r, text in ((rows[1], ""), (rows[2], "0")):
    for c in cols:
        r[c] = text
csv.writer(open(sys.argv[2], "w"), lineterminator="\n").writerows(rows)
PY
    "$REPORT" --chart cost --csv "$SCRATCH/cost.tsv" "$SCRATCH/spawn-bad.csv" &&
        gnuplot -c "$(cd "$(dirname "$0")/.." && pwd)/plots/cost.gp" "in=$SCRATCH/cost.tsv" \
            "out=$SCRATCH/cost" >/dev/null 2>"$SCRATCH/err" &&
        [ -s "$SCRATCH/cost.png" ] && [ -s "$SCRATCH/cost.svg" ] ||
        fail "cost.gp on rows with an empty and a 0 value drew nothing: $(tail -2 "$SCRATCH/err")"
    pass "cost.gp draws rows whose value is empty or 0"
fi
finish
