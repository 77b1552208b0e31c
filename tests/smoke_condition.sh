#!/usr/bin/env bash
# The machine's condition: with busy loops beside it (one per CPU), ptc-run marks its runs
# disturbed, warns under its table, and ptc-report's findings and tables say the machine was
# busy; on a quiet machine neither does. The quiet half checks the machine itself around each
# attempt (others' CPU use from /proc/stat, minus ptc-run's own): when something outside the
# test kept the machine busy, that attempt does not count, and the half is skipped if none was
# quiet. Short runs: this checks the rule end to end, not any speed.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT="$(dirname "$PROG")/ptc-report"
CPUS=$(getconf _NPROCESSORS_ONLN)
HZ=$(getconf CLK_TCK)
ARGS=(--workload cpu --model seq,threadpool --workers "$CPUS" --tasks 4 --task-ms 50 --repeat 2 --warmup 0)

busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }
# utime + stime + cutime + cstime of this shell: ptc-run's CPU once it has been waited for.
own_ticks() { sed 's/.*) //' /proc/$$/stat | awk '{ print $12 + $13 + $14 + $15 }'; }
now_ms() { date +%s%3N; }

# run_judged NAME: runs ptc-run into NAME.csv; sets OTHERS to the CPUs that others than
# ptc-run and this shell used meanwhile, on average.
run_judged() {
    local b0 o0 t0 b1 o1 t1
    b0=$(busy_ticks) o0=$(own_ticks) t0=$(now_ms)
    run_ok "$1" "${ARGS[@]}" --out "$SCRATCH/$1.csv" --summary "$SCRATCH/$1-summary.csv" || return 1
    b1=$(busy_ticks) o1=$(own_ticks) t1=$(now_ms)
    OTHERS=$(awk -v b="$((b1 - b0))" -v o="$((o1 - o0))" -v hz="$HZ" -v ms="$((t1 - t0))" \
        'BEGIN { x = (b - o) / hz / (ms / 1000); printf "%.2f\n", (x > 0 ? x : 0) }')
}

disturbed_rows() { csv_column "$SCRATCH/$1.csv" disturbed | grep -c '^1$'; }

report() { # report NAME: findings and Markdown of NAME.csv
    "$REPORT" --findings "$SCRATCH/$1.findings" --md "$SCRATCH/$1.md" --csv "$SCRATCH/$1-agg.csv" \
        "$SCRATCH/$1.csv" || fail "$1: ptc-report failed"
}

# ---- quiet: up to three attempts, each judged by the machine's own state ----
quiet_seen=0 quiet_ok=0 outside=""
for attempt in 1 2 3; do
    run_judged "quiet$attempt" || break
    if awk -v x="$OTHERS" 'BEGIN { exit !(x > 0.25) }'; then
        outside+=" $OTHERS"
        continue
    fi
    quiet_seen=1
    if [ "$(disturbed_rows "quiet$attempt")" -eq 0 ] &&
        ! grep -q 'DISTURBED\|^warning: the machine was busy' "$SCRATCH/quiet$attempt.stdout"; then
        quiet_ok=$attempt
        break
    fi
done
if [ "$quiet_ok" -gt 0 ]; then
    q="quiet$quiet_ok"
    grep -q '^machine: .*parallel capacity' "$SCRATCH/$q.stdout" || fail "quiet: no machine line"
    for col in load_1m steal_cpus other_busy_cpus margin_cpus capacity disturbed governor idle_driver smt; do
        [ -n "$(csv_column "$SCRATCH/$q.csv" "$col" | head -1)" ] || fail "quiet: column $col is empty"
    done
    [ -n "$(csv_column "$SCRATCH/$q-summary.csv" capacity | head -1)" ] || fail "quiet: summary has no capacity"
    report "$q"
    grep -q '^- Machine condition (host .*): 0 of 4 runs disturbed; parallel capacity' "$SCRATCH/$q.findings" ||
        fail "quiet: findings do not say 0 of 4 runs disturbed: $(head -1 "$SCRATCH/$q.findings")"
    grep -q 'Against the parallel capacity' "$SCRATCH/$q.findings" || fail "quiet: no speedup against the capacity"
    grep -qi 'busy\|disturbed [0-9]' "$SCRATCH/$q.md" "$SCRATCH/$q.findings" && fail "quiet: the report says busy"
    pass "quiet machine: not disturbed (attempt $quiet_ok; others busy $OTHERS CPUs)"
elif [ "$quiet_seen" -eq 0 ]; then
    echo "skip quiet half: the machine was busy from outside the test (others:$outside CPUs)"
else
    fail "quiet machine (others within 0.25 CPUs) called disturbed: $(grep '^warning' "$SCRATCH"/quiet*.stdout | head -2)"
fi

# ---- a busy loop per CPU beside ptc-run ----
hogs=()
for _ in $(seq "$CPUS"); do
    bash -c 'while :; do :; done' &
    hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
sleep 0.2
run_ok hog "${ARGS[@]}" --out "$SCRATCH/hog.csv" --summary "$SCRATCH/hog-summary.csv"
kill "${hogs[@]}" 2>/dev/null
wait "${hogs[@]}" 2>/dev/null
n=$(disturbed_rows hog)
[ "$n" -ge 1 ] || fail "hog: no run row says disturbed"
grep -q '^warning: the machine was busy' "$SCRATCH/hog.stdout" || fail "hog: no warning under the table"
grep -q 'DISTURBED [0-9]*/2 runs' "$SCRATCH/hog.stdout" || fail "hog: no configuration marked in the table"
[ "$(csv_column "$SCRATCH/hog-summary.csv" disturbed_runs | sort -n | tail -1)" -ge 1 ] ||
    fail "hog: summary.csv says no run was disturbed"
report hog
grep -q "^- Machine condition (host .*): \*\*the machine was busy: $n of 4 runs disturbed" "$SCRATCH/hog.findings" ||
    fail "hog: findings do not say $n of 4 runs disturbed: $(head -1 "$SCRATCH/hog.findings")"
grep -q '\*\*Disturbed runs\*\*' "$SCRATCH/hog.findings" || fail "hog: findings mark no configuration"
grep -q '^\*\*Warning: [0-9]* of 4 runs were disturbed' "$SCRATCH/hog.md" || fail "hog: no warning in the Markdown"
grep -q '| \*\*disturbed [0-9]/2\*\* |' "$SCRATCH/hog.md" || fail "hog: no configuration marked in the Markdown"
pass "busy loops beside it: $n of 4 runs disturbed ($(csv_column "$SCRATCH/hog.csv" disturbed_why | head -1))"
finish
