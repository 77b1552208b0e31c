#!/usr/bin/env bash
# The net workload's server stopped or killed in the middle of a run: blocking requests give up
# after their own time limit, coroutines are ended by the watchdog, and the error names the
# server and its signal (a killed server used to read "Protocol error", a stopped one hung
# thread and coro). No process or file is left.
# Usage: smoke_net_watchdog.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

if ! command -v pgrep >/dev/null; then
    echo "pgrep is not installed: skipped" >&2
    exit 77
fi

# The run proper has begun: PID holds the 4 tasks' sockets (the set-up's test request holds one).
# shellcheck disable=SC2317 # called through wait_until
tasks_connected() {
    [ -n "$(pgrep -P "$1")" ] && [ "$(find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l)" -ge 4 ]
}

# hit_server NAME SIGNAL MODEL WANT [ARGS...]: a net run of 4 tasks under MODEL; once its tasks
# are connected, SIGNAL goes to its server (its only child: thread and coro fork nothing else). The run
# must end with status 1 and one line matching WANT (PID: the server's pid).
hit_server() {
    local name=$1 sig=$2 model=$3 want=$4 dir="$SCRATCH/$1" seed pid rc=0 line
    shift 4
    mkdir "$dir"
    seed=$(unique_seed)
    "$PROG" --workload net --net-latency-ms 300 --model "$model" --tasks 4 --repeat 3 --warmup 0 \
        --seed "$seed" --quiet --no-capacity --out "$dir/x.csv" "$@" \
        >/dev/null 2>"$SCRATCH/$name.stderr" &
    pid=$!
    signal_worker_when "$name" "$pid" "$sig" tasks_connected "$pid" || return
    wait_until 15 gone "$pid" || { fail "$name: still running"; kill -KILL "$pid"; }
    wait "$pid" || rc=$?
    [ "$rc" -eq 1 ] || fail "$name: exit status $rc, expected 1"
    line=$(cat "$SCRATCH/$name.stderr")
    [[ $line =~ ${want//PID/$VICTIM} ]] || fail "$name: '$line' does not match '${want//PID/$VICTIM}'"
    [ "$(wc -l <"$SCRATCH/$name.stderr")" -eq 1 ] || fail "$name: more than one line"
    if ! wait_until 2 marker_gone "$seed"; then
        fail "$name: processes survived: $(marked_pids "$seed" | tr '\n' ' ')"
        marked_pids "$seed" | xargs -r kill -KILL
    fi
    [ -n "$(entries "$dir")" ] && fail "$name: files left: $(entries "$dir" | tr '\n' ' ')"
    pass "$name"
}

hit_server thread_server_stopped STOP thread \
    'tasks failed \(task [0-3]: Connection timed out; the net server \(pid PID\) stopped by SIGSTOP\)$'
hit_server coro_server_stopped STOP coro \
    'no task finished for .*: the net server \(pid PID\) stopped by SIGSTOP; task [0-3] unfinished' \
    --timeout "$(scaled 1)"
hit_server thread_server_killed KILL thread \
    'tasks failed \(task [0-3]: .*; the net server \(pid PID\) killed by SIGKILL\)$'

finish
