#!/usr/bin/env bash
# The net workload's server stopped or killed in the middle of a run: requests give up after
# their own time limit under every model (coroutines too, with the watchdog off), a short
# watchdog ends a coroutine run first, and the error names the server and its signal (a killed
# server used to read "Protocol error", a stopped one hung thread and coro, and coroutines
# waited for the watchdog). No process or file is left.
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

# The coroutine models under both pollers, the watchdog off: each request's own limit (5 x 20 ms
# + 4 s, a user-space timer per wait) fails it, and the run ends with the blocking models' error
# after that limit and the server's 2 s stop grace. The runs go at once: each mostly waits.
# shellcheck disable=SC2317 # called through wait_until
all_gone() {
    local pid
    for pid in "$@"; do
        gone "$pid" || return 1
    done
}

stopped_limited() {
    local cases=() name model poller dir pid rc line want failures
    local pollers=(epoll io_uring)
    declare -A pids seeds victims
    if ! "$PROG" --workload noop --model coro --poller io_uring --tasks 1 --repeat 1 --warmup 0 \
        --quiet --no-capacity --out "$SCRATCH/uring-probe.csv" >/dev/null 2>&1; then
        pass "coroutines under io_uring skipped: io_uring cannot run here"
        pollers=(epoll)
    fi
    for model in coro coropool coromn; do
        for poller in "${pollers[@]}"; do
            name="${model}_${poller}_limit"
            dir="$SCRATCH/$name"
            mkdir "$dir"
            seeds[$name]=$(unique_seed)
            "$PROG" --workload net --net-latency-ms 20 --model "$model" --poller "$poller" \
                --tasks 4 --repeat 100000 --warmup 0 --timeout 0 --seed "${seeds[$name]}" --quiet \
                --no-capacity --out "$dir/x.csv" >/dev/null 2>"$SCRATCH/$name.stderr" &
            pids[$name]=$!
            cases+=("$name")
        done
    done
    for name in "${cases[@]}"; do
        if signal_worker_when "$name" "${pids[$name]}" STOP tasks_connected "${pids[$name]}"; then
            victims[$name]=$VICTIM
        else
            unset "pids[$name]"
        fi
    done
    wait_until 10 all_gone "${pids[@]}"
    for name in "${cases[@]}"; do
        [ -n "${pids[$name]:-}" ] || continue
        pid=${pids[$name]}
        rc=0
        failures=$FAILURES
        if ! gone "$pid"; then
            fail "$name: still running 10 s after its server stopped: no request limit"
            kill -KILL "$pid"
            kill -CONT "${victims[$name]}"
        fi
        wait "$pid" || rc=$?
        [ "$rc" -eq 1 ] || fail "$name: exit status $rc, expected 1"
        line=$(cat "$SCRATCH/$name.stderr")
        want="tasks failed \\(task [0-3]: Connection timed out; the net server "
        want+="\\(pid ${victims[$name]}\\) stopped by SIGSTOP\\)$"
        [[ $line =~ $want ]] || fail "$name: '$line' does not match '$want'"
        [ "$(wc -l <"$SCRATCH/$name.stderr")" -eq 1 ] || fail "$name: not one line"
        if ! wait_until 2 marker_gone "${seeds[$name]}"; then
            fail "$name: processes survived: $(marked_pids "${seeds[$name]}" | tr '\n' ' ')"
            marked_pids "${seeds[$name]}" | xargs -r kill -KILL
        fi
        [ -n "$(entries "$SCRATCH/$name")" ] &&
            fail "$name: files left: $(entries "$SCRATCH/$name" | tr '\n' ' ')"
        [ "$FAILURES" -eq "$failures" ] && pass "$name"
    done
}
stopped_limited

# A foreign client (no token, a wrong token) gets no body during a run, and the run's row counts it.
# The run lasts 2 s after its tasks connect: the server must see both foreign requests before the
# run's count is taken (1 s was too short once with the machine at load 15).
if command -v ss >/dev/null; then
    dir="$SCRATCH/foreign"
    mkdir "$dir"
    "$PROG" --workload net --net-latency-ms 2000 --model thread --tasks 4 --repeat 1 --warmup 0 \
        --quiet --no-capacity --out "$dir/x.csv" 2>"$SCRATCH/foreign.stderr" &
    pid=$!
    if wait_until 10 tasks_connected "$pid"; then
        server=$(pgrep -P "$pid" | head -1)
        port=$(ss -Hltnp | grep "pid=$server," | awk '{ print $4 }' | sed 's/.*://' | head -1)
        for req in 'GET 1 1' 'GET 1 1 0123456789abcdef'; do
            got=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf '%s\n' "$req" >&3 && cat <&3) | wc -c)
            [ "$got" -eq 0 ] || fail "foreign request '$req' got $got bytes"
        done
    else
        fail "foreign: the run did not start"
    fi
    wait "$pid" || fail "foreign: the run failed: $(cat "$SCRATCH/foreign.stderr")"
    refused=$(csv_column "$dir/x.csv" net_refused)
    [ "$refused" = 2 ] || fail "foreign: net_refused is '$refused', expected 2"
    pass "foreign requests refused and counted"
else
    echo "skipped the foreign client: no ss"
fi

finish
