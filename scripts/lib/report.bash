# shellcheck shell=bash
# Sourced by scripts/ptcbench: writes WORK/report.md from the folder's CSVs, the aggregates and
# findings ptc-report made (charts.bash) and the charts.

# The nine charts: "number|title|step-name prefixes|chart names|how to read it".
PTC_CHARTS=(
    "1|Speedup against workers|sleep cpu file net|sleep-speedup cpu-speedup file-speedup net-speedup|One chart per workload. x: workers W (pool size; the per-task models sit at W = task count, seq at 1). y: median wall time of seq / median wall time of the model, error bars from the 95 % confidence interval of the model's median (seq median / its upper end to seq median / its lower end; no bar with fewer than 6 runs, whose min-max is no 95 % interval). The dashed black line is the ideal: total task time / the zero-overhead makespan of the model's discipline at that W (pools: tasks in submission order on W workers) (for cpu, no more than the CPU count at once); file has none, since a copy's lower bound depends on the machine's memory and disk. A model on the ideal wastes nothing; below 1 it is slower than running the tasks in order. The peer runtimes (Python's py-*, Go's go-*) have the colour of the C model of their family (py-process: fork, py-pool: procpool, py-thread and py-threadpool: thread and threadpool, py-gevent and py-asyncio: coro, their pools: coropool, Go: coromn and coromnpool, since goroutines are M:N), hollow points and their runtime's dash (Python dashed, gevent dotted, asyncio dash-dot, Go long dashes); each runtime's speedup is against its own seq at the same size, so the chart compares what each runtime's concurrency buys, not the runtimes' speed."
    "2|Wall time against task count|tasks-|tasks-wall|Log-log. x: tasks in the run; y: median wall time in ms (bars: the 95 % confidence interval of the median, from order statistics; none with fewer than 6 runs). Every task sleeps the same time, so a model that runs them all at once stays on the flat dashed line (one task's time) and seq sits on the dotted line (tasks x task time). Pools of W climb once tasks exceed W (tasks / W rounds); the per-task models leave the flat line where creating a process, thread or coroutine per task starts to cost more than the sleep. The peer runtimes' units (threads, greenlets, asyncio tasks, goroutines) are drawn in their C family's colour with their runtime's dash and hollow points."
    "3|The crossover: speedup against CPU fraction|mixed|mixed-crossover|Mixed workload: each task computes for a fraction F of its time and sleeps the rest. x: F; y: speedup against seq at the same F (log scale; bars from the 95 % confidence interval of the model's median, none with fewer than 6 runs). Where waiting dominates (F near 0), coroutines on one thread match threads and processes; as F grows they fall to seq (one CPU), while threads and processes level off at the CPU count (dotted line). Where the lines cross is the workload at which one thread of coroutines stops being enough."
    "4|Cost per unit|spawn switch|spawn-cost switch-cost|Log scale. One bar per mechanism and variant: the median cost to create, run and finish one unit (spawn), or of one switch there and back (switch), with min-max bars. Processes, threads and coroutines; fcontext against ucontext; processes and threads per placement (@ same-cpu: both sides on one CPU, @ cross-cpu: one CPU each)."
    "5|Memory per unit against N|mem|mem-per-unit|Log-log. x: units alive at once (each blocked); y: KiB per unit: PSS for processes, RSS growth for threads and coroutines, and a thread's kernel stack as its own dashed line. The sweep stops where the plan's N does (or where a mechanism hit a limit, which the CSV's note column then says); a value of 0 (a thread at N = 1 adds no page the kernel counts) cannot sit on the log axis and is left out. Lines that coincide (fresh and pooled coroutine stacks, once touched) are drawn dashed and dotted over each other."
    "6|A Gantt timeline of Pool(4) with five tasks|claims|claims-pool-gantt|Claim 02 of the ledger: one bar per task on the worker that ran it, from its start to its end. Tasks 0-3 start together; task 4 starts on the worker that finished first."
    "7|The claims ledger|claims|claims-ledger|One pair of bars per tutorial claim, C (solid) and Python (hatched): measured / expected, log scale; 1 is what the tutorial says. The colour is ptc-claims' verdict (reproduced, refuted, not judged at this scale when a fixed overhead measured in the same run exceeds the tolerance, not applicable here), which applies the claim's own tolerance or bound: a claim of a bound (\"at least one lost update\") can hold far from 1. Claims without a ratio are marked n/a, a measured 0 sits at the bottom."
    "8|In process against whole process|hyperfine|hyperfine-wall|The same ptc-run configuration, per model: the wall time ptc-run measures around the run (median, min-max) beside hyperfine -N's time of the whole process (mean +- sigma), which adds exec, start-up, the machine probe and teardown. The label is the difference of the medians."
    "9|Memory per sleeping unit of each runtime|mem|mem-runtimes|Log-log, as chart 5, for the unit of each runtime: C's processes (PSS), threads and coroutines (RSS growth) in solid lines, and in the colour of their C family with their runtime's dash: Python's forked multiprocessing processes (PSS: what each adds, shared pages split), its threads, gevent's greenlets, asyncio's tasks and Go's goroutines (RSS growth of the process with N alive, each asleep). Each peer sample comes from a fresh process, so no heap freed earlier hides the growth."
)

# ptc_report_steps WORK PREFIXES: the reproduce lines of the steps behind a chart.
ptc_report_steps() {
    local work=$1 prefix name entry
    for prefix in $2; do
        for name in $(ptc_step_names "$work" "$prefix"); do
            for entry in "${PLAN[@]}"; do
                IFS='|' read -r n _ prog args <<<"$entry"
                if [ "$n" = "$name" ]; then echo "    $(ptc_step_command "$name" "$prog" "$args")"; fi
            done
        done
    done
}

# ptc_report_new_folder NAME: the line that makes a new folder beside the results folder NAME and
# goes into it, which every block of reproduce lines starts with, so that running them never
# overwrites the files the report was made from (the paths to the programs stay right: a sibling).
ptc_report_new_folder() {
    local name=$1
    echo "    d=\$(mktemp -d $(ptc_shell_word "../$name-repro.XXXXXX")) && cd \"\$d\""
}

# ptc_write_report WORK MODE REPEAT: WORK/report.md, whole or not at all: a write that fails (a
# full disk) stops it, removes what was written and returns 1.
ptc_write_report() {
    local work=$1 mode=$2 repeat=$3 m entry num title prefixes charts text c report
    local name
    name=$(basename "${work%.partial}")
    m=$("$BIN/ptc-run" --machine)
    field() { sed -n "s/^$1: //p" <<<"$m"; }
    # Composed first, written by one printf whose status says whether all of it was written.
    report=$(
        echo "# ptcbench $mode sweep on $(field host)"
        echo
        local call="scripts/ptcbench --repeat $repeat --peers ${peers:-none}"
        [ "$mode" = quick ] || call="scripts/ptcbench --$mode --repeat $repeat --peers ${peers:-none}"
        echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) from revision \`$(field git_rev)\` with \`$call\`."
        echo
        echo "| machine | |"
        echo "|---|---|"
        echo "| host | $(field host) |"
        echo "| CPU | $(field cpu_model), $(field cpus) CPUs online |"
        echo "| kernel | $(field kernel) |"
        echo "| compiler | $(field compiler) |"
        echo "| power | frequency governor $(field governor), idle driver $(field idle_driver), SMT $(field smt) |"
        echo
        if grep -q 'the machine was busy' "$work/findings.md"; then
            echo "> **Warning: the machine was busy during this sweep.** Some runs were disturbed (other"
            echo "> processes, steal, or a parallel capacity below the rule's threshold: see README,"
            echo "> \"The machine's condition\"); their times include other work. The Machine condition"
            echo "> finding counts them, and the tables mark their configurations."
            echo
        fi
        echo "Every number here comes from this run, read back from the CSVs in this folder by"
        echo "\`ptc-report\`. Wall times are medians of the recorded runs (repetitions interleaved"
        echo "across configurations, after a warm-up round); speedup is the median wall time of"
        echo "\`seq\` at the same workload and size divided by the configuration's. Every block of"
        echo "commands shown first makes a new folder beside this one and goes into it, so that"
        echo "running them never overwrites this run's files."
        echo
        echo "## Peer runtimes"
        echo
        echo "Beside the C models, the same grid in the runtimes the tutorials teach and their readers"
        echo "reach for next (\`--peers ${peers:-none}\`): Python (scripts/python/peer.py; the unit of"
        echo "py-process and py-pool is a forked interpreter, of py-thread and py-threadpool an OS"
        echo "thread under the GIL, of py-gevent and py-geventpool a greenlet on gevent's hub, of"
        echo "py-asyncio and py-asynciopool an asyncio task on one event loop) and Go (peers/go; the"
        echo "unit of go-goroutine and go-pool is a goroutine, M:N over GOMAXPROCS threads). They do"
        echo "the C workloads' work with the same checks (ptc-aid: the same loopback server, source"
        echo "files and cpu checksums; the cpu task is the same xorshift chain in each language,"
        echo "calibrated to --task-ms in it). Their rows carry a runtime column; each runtime's"
        echo "speedups are against its own seq."
        echo
        if [ -n "${PEERS_SKIPPED:-}" ]; then echo "- Not run here: ${PEERS_SKIPPED% }."; fi
        for entry in "${PEER_NOTES[@]}"; do echo "- $entry"; done
        echo
        echo "## Findings"
        echo
        echo "Per workload and size: seq's median, then the models side by side at each W that more"
        echo "than one of them ran, then each model at its best W (its lowest median), with speedups"
        echo "against seq and medians, and the fastest configuration of all; for cpu, the best-W"
        echo "speedups against the parallel capacity measured"
        echo "beside the same runs; then how many configurations had enough runs for a 95 % CI of"
        echo "the median; then the claims' verdicts and what a whole process adds. The first line"
        echo "says how many runs were disturbed and what capacity the machine delivered."
        echo
        cat "$work/findings.md"
        if [ -f "$work/hyperfine-findings.md" ]; then cat "$work/hyperfine-findings.md"; fi
        echo
        echo "Reproduce from this folder's CSVs, copied into a new folder (the last line is chart 8's):"
        echo
        ptc_report_new_folder "$name"
        echo "    cp $(ptc_shell_word "../$name")/*.csv ."
        echo "    ${AGG_CMDS[findings]}"
        echo "    ${PTC_REL_BIN:-.}/ptc-report --hyperfine-pairs hyperfine-compare.csv --md hyperfine-summary.md --findings hyperfine-findings.md hyperfine.csv hyperfine-inproc.csv"
        echo
        echo "## Charts"
        for entry in "${PTC_CHARTS[@]}"; do
            IFS='|' read -r num title prefixes charts text <<<"$entry"
            echo
            echo "### $num. $title"
            echo
            echo "$text"
            for c in $charts; do
                echo
                echo "![$c]($c.png)"
            done
            echo
            echo "Reproduce, in a new folder (the steps run again there):"
            echo
            ptc_report_new_folder "$name"
            ptc_report_steps "$work" "$prefixes"
            for c in $charts; do
                if [ -n "${AGG_CMDS[$c]:-}" ]; then echo "    ${AGG_CMDS[$c]}"; fi
                echo "    ${CHART_CMDS[$c]}"
            done
        done
        echo
        echo "## Tables"
        echo
        sed 's/^## /### /' "$work/aggregate.md"
        echo
        echo "### hyperfine"
        echo
        sed -n '/whole process against in process/,$p' "$work/hyperfine-summary.md" | tail -n +2
        echo
        echo "## Each step's own output"
        for entry in "${PLAN[@]}"; do
            IFS='|' read -r n _ prog args <<<"$entry"
            echo
            echo "<details><summary>$n: <code>$(ptc_step_command "$n" "$prog" "$args")</code></summary>"
            echo
            echo '```'
            cat "$work/$n-summary.txt"
            echo '```'
            echo "</details>"
        done
        echo
        echo "## Files"
        echo
        echo "- \`<step>.csv\`: ptc-run's runs, one row per recorded run (the machine, the configuration, wall/user/sys ns, peak RSS, context switches, the ideal); \`<step>-summary.csv\` one row per configuration; microbenchmarks one row per figure."
        echo "- \`aggregate.csv\` / \`aggregate.md\`: ptc-report over every run (median, min, max, quartiles, outliers from 5 runs on, speedup, efficiency, and the interval of the median from order statistics with its exact coverage: a 95 % CI from 6 runs on, \"n too small\" below); \`findings.md\`."
        echo "- \`<chart>.tsv\`: the table each chart draws, from \`ptc-report --chart\` (tab-separated; every value computed: speedups and their 95 % CI, ideals, times in ms)."
        echo "- \`claims.csv\`, \`claims.md\`, \`claims-timeline.csv\`: the tutorial claims ledger, C and Python."
        echo "- \`hyperfine.csv\`, \`hyperfine.json\` (hyperfine's exports), \`hyperfine-inproc.csv\`, \`hyperfine-compare.csv\`."
        echo "- \`<step>-py.csv\`, \`<step>-go.csv\`: the peer runners' runs (ptc-run's columns plus \`runtime\`); \`mem-py*.csv\`, \`mem-go.csv\`: their memory per unit, in ptc-mem's columns."
        echo "- \`*.png\`, \`*.svg\`: the charts, 1200x800."
    )
    local err
    if ! err=$(printf '%s\n' "$report" 2>&1 >"$work/.report.md.partial") ||
        ! err=$(mv "$work/.report.md.partial" "$work/report.md" 2>&1); then
        rm -f "$work/.report.md.partial"
        echo "$PROG: cannot write $work/report.md: ${err##*: }" >&2
        return 1
    fi
}
