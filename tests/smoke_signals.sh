#!/usr/bin/env bash
# ptc-run interrupted in the middle of a run: it dies of the signal it got, its output file and
# the temporary file behind it are gone, and none of its worker processes survives it.
# Usage: smoke_signals.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

if ! command -v pgrep >/dev/null; then
    echo "pgrep is not installed: skipped" >&2
    exit 77
fi

# run_started DIR SEED MIN_PROCS: the temporary output file exists in DIR and at least
# MIN_PROCS processes carry the marker.
# shellcheck disable=SC2317 # called through wait_until
run_started() {
    [ -n "$(compgen -G "$1/x.csv.tmp.*")" ] && [ "$(marked_pids "$2" | wc -l)" -ge "$3" ]
}

# interrupt NAME SIGNAL TARGET MIN_PROCS MODELS: starts a long sleep run, waits until its
# temporary output file exists and MIN_PROCS processes (the program and its workers) carry the
# run's marker, then sends SIGNAL to the program (TARGET=pid) or to its whole process group as a
# terminal's Ctrl-C would (TARGET=group).
interrupt() {
    local name=$1 sig=$2 target=$3 min_procs=$4 models=$5
    local dir="$SCRATCH/$name" seed pid rc=0
    mkdir "$dir"
    seed=$(unique_seed)
    if [ "$target" = group ]; then
        set -m # job control: the background job gets a process group of its own
    fi
    "$PROG" --workload sleep --model "$models" --tasks 4 --task-ms 60000 --seed "$seed" \
        --quiet --out "$dir/x.csv" >"$SCRATCH/$name.stdout" 2>"$SCRATCH/$name.stderr" &
    pid=$!
    set +m

    sleep 0.5
    if ! wait_until 10 run_started "$dir" "$seed" "$min_procs"; then
        fail "$name: the run did not start its workers (processes: $(marked_pids "$seed" | wc -l))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        return
    fi
    if [ "$target" = group ]; then
        kill "-$sig" -- "-$pid"
    else
        kill "-$sig" "$pid"
    fi
    wait "$pid" || rc=$?
    local want=$((128 + $(kill -l "$sig")))
    [ "$rc" -eq "$want" ] || fail "$name: exit status $rc, expected $want (death by SIG$sig)"
    # The tasks sleep a minute: a worker still there after 2 s has outlived its parent.
    if ! wait_until 2 marker_gone "$seed"; then
        fail "$name: worker processes survived: $(marked_pids "$seed" | tr '\n' ' ')"
        marked_pids "$seed" | xargs -r kill -KILL
    fi
    [ -e "$dir/x.csv" ] && fail "$name: the output file exists"
    [ -n "$(compgen -G "$dir/x.csv.tmp.*")" ] && fail "$name: a temporary file is left: $(entries "$dir")"
    [ -n "$(entries "$dir")" ] && fail "$name: files left: $(entries "$dir" | tr '\n' ' ')"
    [ -s "$SCRATCH/$name.stdout" ] && fail "$name: output on stdout"
    pass "$name"
}

# SIGINT to the program alone, while a process pool (4 workers) runs: the workers must follow
# their parent (parent-death signal).
interrupt sigint-procpool INT pid 5 procpool,fork
# SIGTERM while one process per task runs.
interrupt sigterm-fork TERM pid 5 fork
# SIGHUP while threads run (no child processes).
interrupt sighup-thread HUP pid 1 thread
# Ctrl-C: SIGINT to the whole process group, the workers included.
interrupt ctrl-c-procpool INT group 5 procpool

finish
