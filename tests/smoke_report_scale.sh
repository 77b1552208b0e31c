#!/usr/bin/env bash
# Smoke test of ptc-report's scale (issue 12): 50,000 configurations of 2 runs each over two
# hosts are aggregated (CSV, Markdown with the hosts compared, findings) in a generous 20 s; the
# quadratic lookup it replaced took more than a minute. The aggregate has one row per
# configuration, and seq's speedup reaches every model of its size.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT=$(dirname "$PROG")/ptc-report
[ -x "$REPORT" ] || { fail "$REPORT is missing"; finish; }

in="$SCRATCH/runs.csv"
# Per host 5,000 sizes (the task count) × 5 models: 2 × 25,000 configurations, 2 runs each.
awk 'BEGIN {
    print "host,workload,tasks,task_ms,model,workers,wall_ns,ideal_ns"
    split("seq thread threadpool coro coropool", m, " ")
    for (h = 0; h < 2; h++)
        for (t = 1; t <= 5000; t++)
            for (k = 1; k <= 5; k++)
                for (r = 0; r < 2; r++)
                    printf "host%d,sleep,%d,1,%s,%d,%d,%d\n", h, t, m[k], k, (k == 1 ? 4000 : 1000) + r, 1000
}' >"$in"

limit=$(scaled 20)
start=$(date +%s.%N)
if "$REPORT" "$in" --csv "$SCRATCH/agg.csv" --md "$SCRATCH/agg.md" --findings "$SCRATCH/f.md"; then
    elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", e - s }')
    if awk -v e="$elapsed" -v l="$limit" 'BEGIN { exit !(e <= l) }'; then
        pass "50,000 configurations in $elapsed s (limit $limit s)"
    else
        fail "50,000 configurations took $elapsed s, more than $limit s"
    fi
else
    fail "ptc-report failed on 100,000 rows"
fi
rows=$(($(wc -l <"$SCRATCH/agg.csv") - 1))
if [ "$rows" -eq 50000 ]; then
    pass "one aggregate row per configuration"
else
    fail "$rows aggregate rows, not 50000"
fi
# seq's median is 4000.5, the others' 1000.5: every non-seq group has speedup 3.9985.
bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["model"] != "seq" && $c["speedup"] != "3.9985" { n++ } END { print n + 0 }' "$SCRATCH/agg.csv")
if [ "$bad" -eq 0 ]; then
    pass "every model's speedup against its size's seq"
else
    fail "$bad configurations without the speedup against their seq"
fi
if grep -q '^| sleep | 5000 tasks × 1 ms | coropool | 5 | host0 ' "$SCRATCH/agg.md"; then
    pass "the hosts compared"
else
    fail "no comparison of the hosts in the Markdown"
fi
finish
