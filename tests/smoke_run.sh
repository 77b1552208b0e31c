#!/usr/bin/env bash
# ptc-run's good paths: --help, --list, and tiny runs whose CSV files (run rows, timeline,
# summary) have the rows and columns they should, with nothing left behind.
# Usage: smoke_run.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

MODELS="coro coromn coromnpool coropool fork procpool seq thread threadpool" # sorted
N_MODELS=$(wc -w <<<"$MODELS")
REQUIRED_COLUMNS="started_at host cpu_model cpus kernel compiler git_rev program workload model
workers tasks task_ms iterations seed rep wall_ns user_ns sys_ns max_rss_kib vol_ctxsw
invol_ctxsw tasks_ok ideal_ns efficiency"

# Every record of a CSV file is as wide as its header.
check_widths() {
    local file=$1 bad
    bad=$(csv_widths "$file" | awk 'NR == 1 { w = $1 } $1 != w { n++ } END { print n + 0 }')
    if [ "$bad" -ne 0 ]; then
        fail "$file: $bad record(s) not as wide as the header"
    fi
}

check_rows() {
    local file=$1 want=$2 got
    got=$(($(wc -l <"$file") - 1))
    if [ "$got" -ne "$want" ]; then
        fail "$(basename "$file"): $got data rows, expected $want"
    fi
}

# --help and --list
if run_ok help --help; then
    grep -q '^usage: ptc-run' "$SCRATCH/help.stdout" || fail "--help: no usage line on stdout"
    [ -s "$SCRATCH/help.stderr" ] && fail "--help: output on stderr"
    pass "--help"
fi
if run_ok list --list; then
    for m in $MODELS noop sleep cpu; do
        grep -qE "^  $m " "$SCRATCH/list.stdout" || fail "--list does not list $m"
    done
    pass "--list"
fi

# A tiny run of every model: 5 configurations (procpool and threadpool with W=2; seq, fork and
# thread once), repeated twice.
dir="$SCRATCH/run"
mkdir "$dir"
seed=$(unique_seed)
X="$dir/runs.csv" Y="$dir/summary.csv" Z="$dir/timeline.csv"
if run_ok tiny --workload noop --tasks 5 --workers 2 --repeat 2 --warmup 0 --seed "$seed" \
    --out "$X" --summary "$Y" --timeline "$Z"; then
    [ -s "$SCRATCH/tiny.stderr" ] && fail "tiny run: output on stderr: $(cat "$SCRATCH/tiny.stderr")"
    for f in "$X" "$Y" "$Z"; do
        [ -f "$f" ] || fail "tiny run: $f was not written"
    done
    if [ "$(entries "$dir" | wc -l)" -ne 3 ]; then
        fail "tiny run: the directory holds more than the three outputs: $(entries "$dir" | tr '\n' ' ')"
    fi

    # Run rows: header + configurations x repeat, the required columns, sane values.
    header=$(head -n 1 "$X" | tr ',' '\n')
    for col in $REQUIRED_COLUMNS; do
        grep -qx "$col" <<<"$header" || fail "runs.csv: no column '$col'"
    done
    check_rows "$X" $((N_MODELS * 2))
    check_widths "$X"
    got_models=$(csv_column "$X" model | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')
    want_models=$(for m in $MODELS; do printf '%s:2 ' "$m"; done)
    [ "$got_models" = "$want_models" ] || fail "runs.csv: models '$got_models', expected '$want_models'"
    [ "$(csv_column "$X" tasks_ok | sort -u)" = "5" ] || fail "runs.csv: tasks_ok is not 5 everywhere"
    [ "$(csv_column "$X" tasks | sort -u)" = "5" ] || fail "runs.csv: tasks is not 5 everywhere"
    [ "$(csv_column "$X" workload | sort -u)" = "noop" ] || fail "runs.csv: workload is not noop"
    [ "$(csv_column "$X" program | sort -u)" = "ptc-run" ] || fail "runs.csv: program is not ptc-run"
    [ "$(csv_column "$X" seed | sort -u)" = "$seed" ] || fail "runs.csv: seed is not $seed"
    [ "$(csv_column "$X" rep | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')" = "0:$N_MODELS 1:$N_MODELS " ] ||
        fail "runs.csv: rep is not 0 and 1 once per model each"
    workers=$(paste -d: <(csv_column "$X" model) <(csv_column "$X" workers) | sort -u | tr '\n' ' ')
    [ "$workers" = "coro:5 coromn:5 coromnpool:2 coropool:2 fork:5 procpool:2 seq:1 thread:5 threadpool:2 " ] ||
        fail "runs.csv: workers per model '$workers'"
    csv_column "$X" wall_ns | grep -qvE '^[0-9]+$' && fail "runs.csv: a wall_ns is not a number"
    csv_column "$X" cpus | grep -qvE '^[1-9][0-9]*$' && fail "runs.csv: a cpus is not positive"

    # Timeline: one row per task per recorded run; each (model, rep) has tasks 0-4 once.
    check_rows "$Z" $((N_MODELS * 2 * 5))
    check_widths "$Z"
    dup=$(paste -d: <(csv_column "$Z" model) <(csv_column "$Z" rep) <(csv_column "$Z" task) |
        sort | uniq -d)
    [ -z "$dup" ] || fail "timeline.csv: tasks recorded twice: $dup"
    [ "$(csv_column "$Z" task | sort -u | tr '\n' ' ')" = "0 1 2 3 4 " ] ||
        fail "timeline.csv: task numbers are not 0-4"
    paste <(csv_column "$Z" start_ns) <(csv_column "$Z" end_ns) |
        awk '$1 > $2 { bad = 1 } END { exit bad }' || fail "timeline.csv: a task ends before it starts"

    # Summary: one row per configuration, 2 runs each.
    check_rows "$Y" "$N_MODELS"
    check_widths "$Y"
    [ "$(csv_column "$Y" runs | sort -u)" = "2" ] || fail "summary.csv: runs is not 2 everywhere"
    [ "$(csv_column "$Y" speedup | sed -n 1p)" != "" ] || fail "summary.csv: no speedup for seq"

    # The table for people on stdout: a header and one line per configuration, then the
    # machine's condition (and a warning when the machine was busy).
    grep -q '^machine: .*parallel capacity' "$SCRATCH/tiny.stdout" || fail "tiny run: no machine condition line"
    [ "$(grep -cv '^machine: \|^warning: ' "$SCRATCH/tiny.stdout")" -eq $((N_MODELS + 1)) ] ||
        fail "tiny run: the summary table is not $((N_MODELS + 1)) lines"
    marker_gone "$seed" || fail "tiny run: processes left: $(marked_pids "$seed" | tr '\n' ' ')"
    pass "tiny run of every model"
fi

# --out - writes the run rows to stdout (and the table, if any, would go to stderr).
if run_ok stdout --workload noop --model seq,threadpool --tasks 2 --repeat 1 --warmup 0 \
    --quiet --out -; then
    head -n 1 "$SCRATCH/stdout.stdout" | grep -q '^started_at,host,' || fail "--out -: no header on stdout"
    check_rows "$SCRATCH/stdout.stdout" 2
    [ -s "$SCRATCH/stdout.stderr" ] && fail "--out - --quiet: output on stderr"
    pass "--out -"
fi

# The other workloads, briefly: a random sleep range and a fixed cpu size.
dir="$SCRATCH/other"
mkdir "$dir"
if run_ok sleep --workload sleep --task-ms 1:3 --tasks 3 --model seq,threadpool,procpool \
    --workers 2 --repeat 1 --warmup 0 --quiet --out "$dir/sleep.csv"; then
    [ "$(csv_column "$dir/sleep.csv" task_ms | sort -u)" = "1:3" ] || fail "sleep: task_ms column"
    [ "$(csv_column "$dir/sleep.csv" tasks_ok | sort -u)" = "3" ] || fail "sleep: tasks_ok"
    csv_column "$dir/sleep.csv" efficiency | grep -qvE '^[0-9]+\.[0-9]{4}$' &&
        fail "sleep: an efficiency is not a number with 4 decimals"
    pass "sleep run"
fi
if run_ok cpu --workload cpu --iterations 1000 --tasks 3 --repeat 1 --warmup 1 --quiet \
    --out "$dir/cpu.csv"; then
    [ "$(csv_column "$dir/cpu.csv" iterations | sort -u)" = "1000" ] || fail "cpu: iterations column"
    [ "$(csv_column "$dir/cpu.csv" tasks_ok | sort -u)" = "3" ] || fail "cpu: tasks_ok"
    check_rows "$dir/cpu.csv" "$N_MODELS"
    pass "cpu run"
fi
# Every workload setting takes a list and the grid is the product: 3 CPU fractions x 2 task
# lengths x 3 models, each configuration twice, interleaved (all of rep 0 before rep 1), and each
# configuration's speedup against seq of the same settings.
if run_ok product --workload mixed --cpu-fraction 0,0.5,1 --task-ms 2,4 --model seq,thread,coro \
    --tasks 4 --workers 2 --repeat 2 --warmup 0 --no-capacity --quiet --out "$dir/product.csv" \
    --summary "$dir/product-summary.csv"; then
    check_rows "$dir/product.csv" $((3 * 2 * 3 * 2))
    check_widths "$dir/product.csv"
    combos=$(paste -d: <(csv_column "$dir/product.csv" cpu_fraction) \
        <(csv_column "$dir/product.csv" task_ms) <(csv_column "$dir/product.csv" model) |
        sort | uniq -c | awk '{ print $1 }' | sort -u)
    [ "$combos" = "2" ] || fail "product: not every (fraction, task-ms, model) twice: $combos"
    [ "$(csv_column "$dir/product.csv" rep | head -n 18 | sort -u)" = "0" ] ||
        fail "product: the runs are not interleaved (rep 0 of every configuration first)"
    check_rows "$dir/product-summary.csv" 18
    seq_speedups=$(paste -d: <(csv_column "$dir/product-summary.csv" model) \
        <(csv_column "$dir/product-summary.csv" speedup) | grep '^seq:' | sort -u)
    [ "$seq_speedups" = "seq:1.0000" ] || fail "product: seq's speedups are '$seq_speedups'"
    [ "$(csv_column "$dir/product-summary.csv" speedup | grep -c '^$')" -eq 0 ] ||
        fail "product: a configuration has no seq of the same settings"
    pass "a list per setting runs their product"
fi
rc=0
"$PROG" --workload mixed --task-ms 2 --cpu-fraction 0,2 --out "$dir/bad.csv" \
    >"$SCRATCH/badlist.stdout" 2>"$SCRATCH/badlist.stderr" </dev/null || rc=$?
if [ "$rc" -eq 2 ] && grep -q "^ptc-run: --cpu-fraction: '2'" "$SCRATCH/badlist.stderr" &&
    [ ! -e "$dir/bad.csv" ]; then
    pass "a bad item of a list is a usage error naming it"
else
    fail "--cpu-fraction 0,2: status $rc, stderr: $(cat "$SCRATCH/badlist.stderr")"
fi
if entries "$dir" | grep -qF '.tmp.'; then
    fail "temporary files left: $(entries "$dir" | tr '\n' ' ')"
fi

# Regression (where valgrind is installed): the models that fork must not do so with CSV rows in
# stdio buffers; a child whose exit flushes stdio (as valgrind's exit path does) would write
# them again, duplicating rows. Not with a sanitizer build: valgrind cannot run one.
if grep -qaE '__(asan|tsan)_init' "$PROG"; then
    pass "valgrind check skipped: $PROG is built with a sanitizer"
elif command -v valgrind >/dev/null; then
    dir="$SCRATCH/valgrind"
    mkdir "$dir"
    if valgrind -q "$PROG" --workload noop --tasks 2 --model seq,fork --repeat 2 --warmup 0 \
        --quiet --out "$dir/x.csv" </dev/null; then
        check_rows "$dir/x.csv" 4
    else
        fail "ptc-run under valgrind failed"
    fi
fi

# An output path that is not a regular file (/dev/null, a FIFO) is written to, never replaced by
# a renamed temporary file: as root that would turn /dev/null into a file.
fifo="$SCRATCH/out.fifo"
mkfifo "$fifo"
cat "$fifo" >"$SCRATCH/fifo.csv" &
reader=$!
wait_until 5 fifo_attached "$reader" "$fifo" || fail "the FIFO's reader did not open it"
"$PROG" --workload noop --tasks 2 --model seq --repeat 1 --warmup 0 --quiet --out "$fifo" ||
    fail "--out to a FIFO failed"
if [ -p "$fifo" ]; then
    wait "$reader"
else
    fail "the FIFO was replaced by a regular file"
    kill "$reader" 2>/dev/null # it still waits on the FIFO's old inode
fi
head -1 "$SCRATCH/fifo.csv" | grep -q ',host,' || fail "nothing came through the FIFO"
[ -z "$(compgen -G "$fifo.tmp.*")" ] || fail "a temporary file was left beside the FIFO"
pass "--out to a FIFO writes through it"

finish
