#!/usr/bin/env bash
# Smoke test of ptc-report (beside the given ptc-run): on the sample CSVs in tests/data/ its
# aggregates equal hand-computed ones; malformed inputs fail with exit 2, one line naming the
# file and line (and the column for a bad number), and no output file.
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
bad bad-fields.csv "bad-fields.csv:2: 7 fields, the header has 8"
bad bad-number.csv "bad-number.csv:2: column 7 (wall_ns): 'abc' is not a number"
bad truncated.csv "truncated.csv:2:"
bad not-ptcbench.csv "not a ptcbench CSV"
bad nosuch.csv "nosuch.csv"

# Findings state the aggregate: hostA seq 110 ns = 0.000110 ms; thread median 12 ns, 9.17x.
"$REPORT" "$DATA/runs-small.csv" --findings "$SCRATCH/findings.md" || fail "--findings failed"
grep -qF -- '- **sleep**, 4 tasks × 100 ms (host hostA): seq 0.000 ms; threadpool W=2 2.00x (0.000 ms), thread W=4 9.17x (0.000 ms); fastest: thread W=4' \
    "$SCRATCH/findings.md" || fail "findings of runs-small.csv: $(cat "$SCRATCH/findings.md")"
pass "findings of runs-small.csv"

# hyperfine beside the in-process runs: seq median 20 ms in process, 22 ms whole: +2 ms;
# threadpool 6 ms against 7.5 ms: +1.5 ms.
"$REPORT" --compare "$SCRATCH/cmp.csv" --findings "$SCRATCH/hf.md" "$DATA/hyperfine-small.csv" \
    "$DATA/hyperfine-inproc.csv" || fail "--compare failed"
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["model"] "," $c["inproc_median_ns"] "," $c["hyperfine_mean_ns"] "," \
      $c["hyperfine_stddev_ns"] "," $c["overhead_median_ns"] }' "$SCRATCH/cmp.csv")
[ "$got" = "seq,20000000,22500000,1000000,2000000
threadpool,6000000,8000000,500000,1500000" ] || fail "--compare pairs differ: $got"
grep -qF 'seq W=1 2.000 ms, threadpool W=2 1.500 ms' "$SCRATCH/hf.md" ||
    fail "hyperfine finding: $(cat "$SCRATCH/hf.md")"
pass "hyperfine against in process"

compare_bad() { # compare_bad NEEDLE INPUT...
    local needle=$1
    shift
    rm -f "$SCRATCH/x.csv"
    "$REPORT" --compare "$SCRATCH/x.csv" "$@" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$needle" "$SCRATCH/err" &&
        [ ! -e "$SCRATCH/x.csv" ] || fail "--compare $*: status $rc, $(cat "$SCRATCH/err")"
}
compare_bad "model 'seq' has 3 in-process configurations" "$DATA/hyperfine-small.csv" "$DATA/runs-small.csv"
compare_bad "needs exactly one hyperfine CSV" "$DATA/hyperfine-inproc.csv"
printf 'command,mean,stddev,median,user,system,min,max,parameter_model,parameter_workers\nx,0.01,0.001,0.01,0,0,0.01,0.01,seq,1\n' >"$SCRATCH/hf-workers.csv"
compare_bad "only -L model can be paired" "$SCRATCH/hf-workers.csv" "$DATA/hyperfine-inproc.csv"
# An error found while pairing comes before any output, on stdout too.
"$REPORT" "$DATA/hyperfine-small.csv" "$DATA/runs-small.csv" >"$SCRATCH/stdout" 2>/dev/null
[ ! -s "$SCRATCH/stdout" ] || fail "a failed report wrote $(wc -l <"$SCRATCH/stdout") lines to stdout"
pass "--compare refuses ambiguous or missing input"

# The claims' verdicts, the one that says a fixed overhead exceeded the tolerance included: one
# bullet per language with each verdict's count and ids.
"$REPORT" "$DATA/claims-small.csv" --md "$SCRATCH/claims.md" --findings "$SCRATCH/findings.md" ||
    fail "report of claims-small.csv failed"
grep -qxF -- "- Claims ledger, C ($DATA/claims-small.csv): 1 not judged at this scale (01), 1 refuted (02), 1 not applicable here (03), 1 reproduced (06)." "$SCRATCH/findings.md" ||
    fail "findings lack C's verdict counts: $(cat "$SCRATCH/findings.md")"
grep -qxF -- "- Claims ledger, Python ($DATA/claims-small.csv): 1 not judged at this scale (04), 1 reproduced (06)." "$SCRATCH/findings.md" ||
    fail "findings lack Python's verdict counts: $(cat "$SCRATCH/findings.md")"
pass "claims' verdict counts"
finish
