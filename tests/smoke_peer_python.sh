#!/usr/bin/env bash
# The Python peer runner (scripts/python/peer.py): every workload under every model writes
# ptc-run's columns plus runtime with every task verified; bad input is one line, exit 2 and no
# file; and no child process, loopback server (ptc-aid) or temporary folder outlives a run, a
# run the watchdog ends, or a run stopped by SIGTERM.
# Usage: smoke_peer_python.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

PY=/usr/bin/python3
PEER="$(cd "$(dirname "$0")/.." && pwd)/scripts/python/peer.py"
BIN=$(dirname "$PROG")
if ! "$PY" -c 'import gevent' 2>/dev/null || ! command -v pgrep >/dev/null; then
    echo "$PY with gevent, or pgrep, is not installed: skipped" >&2
    exit 77
fi
export TMPDIR="$SCRATCH/tmp"
mkdir "$TMPDIR"
peer() { "$PY" "$PEER" --bin "$BIN" "$@"; }

# Nothing of a run left: no process with its seed on the command line (forked children keep
# it), no ptc-aid serving its latency, no temporary folder, no partial output.
no_leftovers() {
    local name=$1 seed=$2 latency=${3:-}
    wait_until 3 marker_gone "$seed" || fail "$name: processes left: $(marked_pids "$seed")"
    if [ -n "$latency" ] && pgrep -f -- "ptc-aid serve --latency-ms $latency\$" >/dev/null; then
        fail "$name: a ptc-aid server is left"
    fi
    [ -z "$(entries "$TMPDIR")" ] || fail "$name: left in TMPDIR: $(entries "$TMPDIR")"
    [ -z "$(find "$SCRATCH" -maxdepth 1 -name '.*.partial')" ] || fail "$name: a partial output is left"
}

want_header="$("$PROG" --workload noop --tasks 1 --model seq --repeat 1 --warmup 0 --quiet --no-capacity --out - | head -1),runtime"

# Every workload, every model: tasks_ok = tasks in every row, the same columns as ptc-run.
for w in noop sleep cpu file net mixed; do
    case $w in
    sleep) args=(--task-ms 3) ;;
    cpu) args=(--task-ms 3) ;;
    file) args=(--file-kib 64) ;;
    net) args=(--net-latency-ms 5 --net-kib 4) ;;
    mixed) args=(--task-ms 4 --cpu-fraction "0,0.5") ;;
    *) args=() ;;
    esac
    seed=$(unique_seed)
    out="$SCRATCH/$w.csv"
    if peer --workload "$w" --tasks 3 --workers 1,2 --repeat 1 --warmup 0 --seed "$seed" --quiet \
        --out "$out" "${args[@]}" 2>"$SCRATCH/$w.stderr"; then
        [ "$(head -1 "$out")" = "$want_header" ] || fail "$w: the header is not ptc-run's plus runtime"
        models=$(csv_column "$out" model | sort -u | wc -l)
        [ "$models" -eq 9 ] || fail "$w: $models models, expected 9"
        bad=$(paste -d' ' <(csv_column "$out" tasks) <(csv_column "$out" tasks_ok) | awk '$1 != $2' | wc -l)
        [ "$bad" -eq 0 ] || fail "$w: $bad rows with tasks_ok != tasks"
        csv_column "$out" runtime | grep -qv '^python 3' && fail "$w: a runtime that is not python 3"
        pass "$w: 9 models, every task verified"
    else
        fail "$w: exit status not 0: $(cat "$SCRATCH/$w.stderr")"
    fi
    no_leftovers "$w" "$seed" 5
done

# Bad input: one line on stderr, status 2, no file.
bad() {
    local name=$1 rc=0
    shift
    peer "$@" --out "$SCRATCH/bad.csv" >/dev/null 2>"$SCRATCH/bad.stderr" || rc=$?
    [ "$rc" -eq 2 ] || fail "$name: exit status $rc, expected 2"
    [ "$(wc -l <"$SCRATCH/bad.stderr")" -eq 1 ] || fail "$name: not one line: $(cat "$SCRATCH/bad.stderr")"
    [ ! -e "$SCRATCH/bad.csv" ] || fail "$name: an output file was written"
    rm -f "$SCRATCH/bad.csv"
}
bad unknown-model --workload noop --model py-nope
bad tasks-zero --workload noop --tasks 0
bad tasks-negative --workload noop --tasks -1
bad workers-word --workload noop --workers x
bad no-workload --tasks 2
bad sleep-no-ms --workload sleep
bad unknown-option --workload noop --frobnicate
bad bad-fraction --workload mixed --task-ms 5 --cpu-fraction 2
rc=0
peer --workload noop --out /nonexistent/dir/x.csv >/dev/null 2>"$SCRATCH/bad.stderr" || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/bad.stderr")" -eq 1 ] || fail "unwritable --out: status $rc"
rc=0
"$PY" "$PEER" --bin /nonexistent --workload noop --out "$SCRATCH/bad.csv" 2>"$SCRATCH/bad.stderr" || rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$SCRATCH/bad.csv" ] || fail "--bin /nonexistent: status $rc"
pass "bad input: one line, status 2, no file"

# SIGTERM in the middle of a net run with a process per task: status 143, nothing left.
seed=$(unique_seed)
latency=$((3000 + RANDOM % 1000))
peer --workload net --net-latency-ms "$latency" --net-kib 1 --tasks 3 --model py-process \
    --repeat 1 --warmup 0 --seed "$seed" --quiet --out "$SCRATCH/term.csv" 2>"$SCRATCH/term.stderr" &
pid=$!
children() { [ "$(marked_pids "$seed" | wc -l)" -ge 4 ]; }
if wait_until 10 children; then
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 143 ] || fail "SIGTERM: exit status $rc, expected 143"
    [ ! -e "$SCRATCH/term.csv" ] || fail "SIGTERM: an output file was written"
    no_leftovers SIGTERM "$seed" "$latency"
    pass "SIGTERM mid-run: status 143, no process, server or file left"
else
    fail "SIGTERM: the run's processes never started"
    kill -KILL "$pid"
fi

# The watchdog: a sleep longer than --timeout ends the run with status 1 and one line.
seed=$(unique_seed)
rc=0
peer --workload sleep --task-ms 20000 --tasks 2 --model py-thread --repeat 1 --warmup 0 \
    --timeout 1 --seed "$seed" --quiet --out "$SCRATCH/wd.csv" 2>"$SCRATCH/wd.stderr" || rc=$?
[ "$rc" -eq 1 ] || fail "watchdog: exit status $rc, expected 1"
grep -q "watchdog" "$SCRATCH/wd.stderr" || fail "watchdog: the message does not say so: $(cat "$SCRATCH/wd.stderr")"
no_leftovers watchdog "$seed"
pass "watchdog: status 1, named"

# --mem: a row per mechanism, metric and N, in ptc-mem's columns.
if peer --mem 1,3 --repeat 1 --quiet --out "$SCRATCH/mem.csv" 2>"$SCRATCH/mem.stderr"; then
    n=$(csv_column "$SCRATCH/mem.csv" metric | grep -c '_kib_per_unit')
    [ "$n" -eq 8 ] || fail "--mem: $n memory rows, expected 8 (4 units x 2 N)"
    pass "--mem: ptc-mem's rows"
else
    fail "--mem: $(cat "$SCRATCH/mem.stderr")"
fi
finish
