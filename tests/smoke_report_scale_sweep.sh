#!/usr/bin/env bash
# Smoke test of ptc-report's scale on a CSV shaped as a real sweep makes it (issue 12): the
# header and every model's row come from tiny runs of the built ptc-run (5 workloads, some
# settings lists, every model, W = 1..3), copied for tasks 1..400 and 5 repetitions: 41,600
# configurations in 208,000 rows, every column of today's schema, keys that differ in a few
# digits. ptc-report must finish within 15 s (x PTC_TEST_TIME_MULTIPLIER; about 1.5 s on a
# shared 2-CPU machine), and is ended there: the lookup that compared every configuration with
# every other took over 60 s on it. The aggregate has one row per configuration.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT=$(dirname "$PROG")/ptc-report
[ -x "$REPORT" ] || { fail "$REPORT is missing"; finish; }

TASKS=400
REPEAT=5
# One tiny run per workload, with its own settings (some of them lists, as the sweeps of
# scripts/lib/plans.bash give), as a sweep would start it: 104 configurations per task count.
# With 4 tasks and W = 1,2,3, the models that run one worker per task (fork, thread, coro) show
# workers = 4.
templates="$SCRATCH/templates.csv"
n=0
for workload in "noop" "sleep --task-ms 1,2" "cpu --iterations 1000,2000" "file --file-kib 4" \
    "mixed --task-ms 1 --cpu-fraction 0.25,0.5"; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the workload's name and settings, split on purpose
    if ! run_ok "template$n" --workload $workload --model all --tasks 4 --workers 1,2,3 \
        --repeat 1 --warmup 0 --no-capacity --quiet --out "$SCRATCH/t$n.csv"; then
        finish
    fi
    if [ "$n" -eq 1 ]; then
        csv_to_tsv "$SCRATCH/t$n.csv" >"$templates"
    else
        csv_to_tsv "$SCRATCH/t$n.csv" | tail -n +2 >>"$templates"
    fi
done
per_size=$(($(wc -l <"$templates") - 1))
configs=$((per_size * TASKS))

# Each template row for tasks 1..TASKS, REPEAT times: tasks, workers (of the per-task models),
# rep, tasks_ok and the times follow the size; every other cell (machine, settings, schema) is
# the real run's. Each template row becomes a printf format with %s at the cells that vary (in
# column order, the order of var[]); cells with a comma or a quote are quoted again.
in="$SCRATCH/runs.csv"
awk -F'\t' -v tasks="$TASKS" -v repeat="$REPEAT" '
    function cell(s) {
        if (s ~ /[",]/) {
            gsub(/"/, "\"\"", s)
            s = "\"" s "\""
        }
        gsub(/%/, "%%", s)
        return s
    }
    NR == 1 {
        header = $0
        gsub(/\t/, ",", header)
        print header
        n_var = 0
        for (i = 1; i <= NF; i++)
            if ($i ~ /^(tasks|tasks_ok|workers|rep|wall_ns|ideal_ns)$/) {
                var[++n_var] = $i
                varies[i] = 1
                if ($i == "workers")
                    workers_col = i
            }
        if (n_var != 6) {
            print "the header lacks a column the generator sets" > "/dev/stderr"
            exit 3
        }
        next
    }
    {
        fmt[NR] = ""
        for (i = 1; i <= NF; i++)
            fmt[NR] = fmt[NR] (i > 1 ? "," : "") (i in varies ? "%s" : cell($i))
        fmt[NR] = fmt[NR] "\n"
        workers[NR] = $workers_col
    }
    END {
        for (t = 1; t <= tasks; t++)
            for (row = 2; row <= NR; row++)
                for (r = 0; r < repeat; r++) {
                    v["tasks"] = v["tasks_ok"] = t
                    v["workers"] = workers[row] == 4 ? t : workers[row]
                    v["rep"] = r
                    v["wall_ns"] = 1000000 + 1000 * t + 7 * r + 13 * row
                    v["ideal_ns"] = 1000 * t
                    printf fmt[row], v[var[1]], v[var[2]], v[var[3]], v[var[4]], v[var[5]], v[var[6]]
                }
    }' "$templates" >"$in"
rows=$(($(wc -l <"$in") - 1))
if [ "$rows" -ne $((configs * REPEAT)) ] || [ "$configs" -lt 40000 ]; then
    fail "generated $rows rows of $configs configurations, not $((configs * REPEAT)) of >= 40000"
    finish
fi

limit=$(scaled 15)
start=$(date +%s.%N)
rc=0
timeout "$limit" "$REPORT" "$in" --csv "$SCRATCH/agg.csv" --md "$SCRATCH/agg.md" \
    --findings "$SCRATCH/f.md" 2>"$SCRATCH/report.stderr" || rc=$?
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", e - s }')
if [ "$rc" -eq 124 ]; then
    fail "$configs configurations ($rows rows) not done in $limit s: ended"
    finish
elif [ "$rc" -ne 0 ]; then
    fail "ptc-report failed (status $rc) on $rows rows: $(head -1 "$SCRATCH/report.stderr")"
    finish
fi
pass "$configs configurations ($rows rows) in $elapsed s (limit $limit s)"
agg=$(($(wc -l <"$SCRATCH/agg.csv") - 1))
if [ "$agg" -eq "$configs" ]; then
    pass "one aggregate row per configuration"
else
    fail "$agg aggregate rows, not $configs"
fi
finish
