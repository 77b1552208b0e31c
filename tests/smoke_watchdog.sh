#!/usr/bin/env bash
# ptc-run's watchdog: a run in which no task finishes within --timeout is ended with status 1
# and one line naming the stuck worker (a stopped or killed worker process with its signal),
# leaving no worker process, no output and no temporary file. A worker killed in the middle of
# a run is named with its signal and the task that never ran.
# Usage: smoke_watchdog.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

if ! command -v pgrep >/dev/null; then
    echo "pgrep is not installed: skipped" >&2
    exit 77
fi

# shellcheck disable=SC2317 # called through wait_until
children_at_least() {
    [ "$(pgrep -P "$1" | wc -l)" -ge "$2" ]
}

# ended NAME PID SEED DIR: waits (bounded) for the program, checks status 1, one line on stderr,
# no process of the run left and nothing in DIR. Sets LINE to that line.
ended() {
    local name=$1 pid=$2 seed=$3 dir=$4 rc=0
    LINE=
    if ! wait_until 15 gone "$pid"; then
        fail "$name: still running after its deadline"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" || rc=$?
    [ "$rc" -eq 1 ] || fail "$name: exit status $rc, expected 1"
    [ "$(wc -l <"$SCRATCH/$name.stderr")" -eq 1 ] ||
        fail "$name: expected one line on stderr: $(cat "$SCRATCH/$name.stderr")"
    LINE=$(head -1 "$SCRATCH/$name.stderr")
    if ! wait_until 2 marker_gone "$seed"; then
        fail "$name: processes survived: $(marked_pids "$seed" | tr '\n' ' ')"
        marked_pids "$seed" | xargs -r kill -KILL
    fi
    [ -n "$(entries "$dir")" ] && fail "$name: files left: $(entries "$dir" | tr '\n' ' ')"
}

# signal_worker NAME SIGNAL TIMEOUT ARGS...: starts a sleep run, sends SIGNAL to its last worker
# once every worker is up, and checks the ending; the pattern the line must match is in WANT.
signal_worker() {
    local name=$1 sig=$2 timeout=$3 workers=$4 dir="$SCRATCH/$1" seed pid
    shift 4
    mkdir "$dir"
    seed=$(unique_seed)
    "$PROG" --workload sleep --seed "$seed" --repeat 1 --warmup 0 --quiet --no-capacity \
        --timeout "$timeout" --out "$dir/x.csv" "$@" >/dev/null 2>"$SCRATCH/$name.stderr" &
    pid=$!
    signal_worker_when "$name" "$pid" "$sig" children_at_least "$pid" "$workers" || return
    ended "$name" "$pid" "$seed" "$dir"
    [[ $LINE =~ ${WANT//PID/$VICTIM} ]] || fail "$name: '$LINE' does not match '${WANT//PID/$VICTIM}'"
    pass "$name"
}

timeout=$(scaled 1)

WANT='^ptc-run: procpool W=4 tasks=40: no task finished for .*: worker [0-3] \(pid PID\) stopped by SIGSTOP while running task [0-9]+; 3[0-9] of 40 tasks finished'
signal_worker procpool_stopped STOP "$timeout" 4 --model procpool --workers 4 --tasks 40 --task-ms 200

WANT='^ptc-run: fork W=8 tasks=8: no task finished for .*: worker 7 \(pid PID\) stopped by SIGSTOP while running task 7; [0-7] of 8 tasks finished'
signal_worker fork_stopped STOP "$timeout" 8 --model fork --tasks 8 --task-ms 2000

# A killed worker does not hang the pool (the others take the remaining tasks): its task never
# ran, and the error says why.
WANT='^ptc-run: procpool W=4 tasks=16: 1 of 16 tasks failed \(task ([0-9]+): never ran; worker 3 \(pid PID\) killed by SIGKILL while running task ([0-9]+)\)$'
signal_worker procpool_killed KILL 0 4 --model procpool --workers 4 --tasks 16 --task-ms 500

# Threads and coroutines cannot be killed: a task stuck in them ends the program by the
# deadline all the same.
for model in seq thread threadpool coro coropool; do
    dir="$SCRATCH/$model"
    mkdir "$dir"
    seed=$(unique_seed)
    started=$(date +%s)
    "$PROG" --workload sleep --model "$model" --workers 2 --tasks 3 --task-ms 60000 --seed "$seed" \
        --repeat 1 --warmup 0 --quiet --no-capacity --timeout "$(scaled 0.5)" \
        --out "$dir/x.csv" >/dev/null 2>"$SCRATCH/$model.stderr" &
    ended "$model" $! "$seed" "$dir"
    [[ $LINE =~ ^ptc-run:\ $model\ W=[0-9]+\ tasks=3:\ no\ task\ finished\ for\ [0-9.]+\ m?s ]] ||
        fail "$model: unexpected message '$LINE'"
    [ $(($(date +%s) - started)) -le "$(awk -v m="$MULT" 'BEGIN { printf "%d", 5 * m }')" ] ||
        fail "$model: took longer than 5 s to end"
    pass "$model stuck"
done

# Threads still writing their files when the watchdog ends the run leave none behind: they are
# parked before the cleanups remove the run's temporary folder.
for model in thread coro; do
    mkdir "$SCRATCH/tmp-$model"
    rc=0
    "$PROG" --workload file --file-kib 4096 --tmp-dir "$SCRATCH/tmp-$model" --model "$model" \
        --tasks 8 --repeat 1 --warmup 0 --quiet --no-capacity --timeout 0.0005 \
        --out "$SCRATCH/tmp-$model.csv" 2>/dev/null || rc=$?
    [ "$rc" -eq 1 ] || fail "file under $model with a 0.5 ms deadline: status $rc, expected 1"
    if [ -n "$(entries "$SCRATCH/tmp-$model")" ] || [ -e "$SCRATCH/tmp-$model.csv" ]; then
        fail "file under $model: left $(entries "$SCRATCH/tmp-$model")"
    fi
    pass "file under $model: nothing left"
done

for bad in abc -1 1e9 ''; do
    rc=0
    "$PROG" --workload noop --timeout "$bad" --quiet >/dev/null 2>"$SCRATCH/bad.stderr" || rc=$?
    [ "$rc" -eq 2 ] || fail "--timeout '$bad': status $rc, expected 2"
    grep -q -- '--timeout' "$SCRATCH/bad.stderr" || fail "--timeout '$bad': the error does not name it"
done
pass "--timeout validated"

# --out to a FIFO that nobody reads is refused at once (it used to block before the first run);
# one with a reader gets the rows.
if command -v mkfifo >/dev/null && command -v timeout >/dev/null; then
    mkfifo "$SCRATCH/fifo"
    rc=0
    timeout 10 "$PROG" --workload noop --tasks 2 --model seq --repeat 1 --quiet \
        --out "$SCRATCH/fifo" 2>"$SCRATCH/fifo.stderr" || rc=$?
    [ "$rc" -eq 2 ] || fail "--out FIFO without a reader: status $rc, expected 2"
    grep -q "FIFO that no process reads" "$SCRATCH/fifo.stderr" ||
        fail "--out FIFO without a reader: $(cat "$SCRATCH/fifo.stderr")"
    cat "$SCRATCH/fifo" >"$SCRATCH/fifo.rows" &
    reader=$!
    wait_until 5 fifo_attached "$reader" "$SCRATCH/fifo" || fail "the FIFO's reader did not open it"
    timeout 10 "$PROG" --workload noop --tasks 2 --model seq --repeat 1 --warmup 0 --quiet \
        --no-capacity --out "$SCRATCH/fifo" || fail "--out FIFO with a reader failed"
    wait "$reader"
    [ "$(wc -l <"$SCRATCH/fifo.rows")" -eq 2 ] || fail "--out FIFO with a reader: not header + 1 row"
    [ -p "$SCRATCH/fifo" ] || fail "--out FIFO: the FIFO was replaced"
    pass "--out FIFO"
fi

# The default deadline does not end a healthy run, and --timeout 0 turns the watchdog off.
"$PROG" --workload sleep --task-ms 5 --tasks 4 --model all --repeat 1 --warmup 0 --quiet \
    --no-capacity --out "$SCRATCH/ok.csv" || fail "a healthy run failed"
"$PROG" --workload noop --tasks 4 --model all --repeat 1 --warmup 0 --quiet --no-capacity \
    --timeout 0 --out "$SCRATCH/ok0.csv" || fail "a run with --timeout 0 failed"
pass "healthy runs"

finish
