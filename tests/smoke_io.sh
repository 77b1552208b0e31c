#!/usr/bin/env bash
# ptc-run's I/O workloads (file, net, mixed) from the outside: bad values of their options are
# usage errors; tiny runs of every model verify every task and fill the CSV columns that apply
# (file_io, poller, bytes, mb_per_s, cpu_fraction); and whatever happens (success, a failed
# setup, a failed run, Ctrl-C during setup or during a run) no temporary folder, output file,
# process or listening socket is left behind.
# Usage: smoke_io.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

MODELS="coro coromn coromnpool coropool fork procpool seq thread threadpool" # sorted
N_MODELS=$(wc -w <<<"$MODELS")
HAVE_SS=0
if command -v ss >/dev/null; then
    HAVE_SS=1
fi

# one_line NAME FILE: FILE holds exactly one line, starting with "ptc-run: ".
one_line() {
    local name=$1 file=$2 lines records
    lines=$(wc -l <"$file")
    records=$(awk 'END { print NR }' "$file")
    if [ "$lines" -ne 1 ] || [ "$records" -ne 1 ]; then
        fail "$name: $records line(s) on stderr, expected exactly 1:"
        sed 's/^/    | /' "$file" >&2
        return 1
    fi
    if ! grep -q '^ptc-run: ' "$file"; then
        fail "$name: stderr does not start with 'ptc-run: ': $(cat "$file")"
        return 1
    fi
    return 0
}

# empty_dir NAME DIR: DIR exists and holds nothing.
empty_dir() {
    if [ ! -d "$2" ]; then
        fail "$1: $2 is gone"
        return 1
    fi
    if [ -n "$(entries "$2")" ]; then
        fail "$1: left in $2: $(entries "$2" | tr '\n' ' ')"
        return 1
    fi
    return 0
}

# ---- bad values of the I/O options: status 2, one line, nothing written ----

N=0
# expect_bad NAME WANT_RC NEEDLE ARGS...: ARGS may use @DIR@ for a fresh directory (used as the
# output folder and as --tmp-dir) that must still be empty afterwards.
expect_bad() {
    local name=$1 want=$2 needle=$3 a args=() rc=0
    shift 3
    N=$((N + 1))
    local dir="$SCRATCH/bad$N" out="$SCRATCH/bad$N.stdout" err="$SCRATCH/bad$N.stderr"
    mkdir "$dir"
    for a in "$@"; do
        args+=("${a//@DIR@/$dir}")
    done
    "$PROG" "${args[@]}" --out "$dir/x.csv" >"$out" 2>"$err" </dev/null || rc=$?
    local ok=1
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit status $rc, expected $want"
        ok=0
    fi
    one_line "$name" "$err" || ok=0
    if [ -n "$needle" ] && ! grep -qF -- "$needle" "$err"; then
        fail "$name: the message does not mention '$needle': $(cat "$err")"
        ok=0
    fi
    if [ -s "$out" ]; then
        fail "$name: output on stdout: $(head -c 200 "$out")"
        ok=0
    fi
    empty_dir "$name" "$dir" || ok=0
    if [ "$ok" -eq 1 ]; then
        pass "$name (status $rc): $(cat "$err")"
    fi
}

expect_bad "--file-kib 0" 2 --file-kib --workload file --tmp-dir @DIR@ --file-kib 0
expect_bad "--file-kib abc" 2 --file-kib --workload file --tmp-dir @DIR@ --file-kib abc
expect_bad "--file-kib too big" 2 --file-kib --workload file --tmp-dir @DIR@ --file-kib 1048577
expect_bad "--net-kib -1" 2 --net-kib --workload net --net-kib -1
expect_bad "--net-kib 70000" 2 --net-kib --workload net --net-kib 70000
expect_bad "--cpu-fraction 1.5" 2 --cpu-fraction --workload mixed --task-ms 5 --cpu-fraction 1.5
expect_bad "--cpu-fraction -0.1" 2 --cpu-fraction --workload mixed --task-ms 5 --cpu-fraction -0.1
expect_bad "--cpu-fraction x" 2 --cpu-fraction --workload mixed --task-ms 5 --cpu-fraction x
expect_bad "--cpu-fraction nan" 2 --cpu-fraction --workload mixed --task-ms 5 --cpu-fraction nan
expect_bad "--mixed-wait tcp" 2 --mixed-wait --workload mixed --task-ms 5 --mixed-wait tcp
expect_bad "--net-latency-ms abc" 2 --net-latency-ms --workload net --net-latency-ms abc
expect_bad "--net-latency-ms 1.5" 2 --net-latency-ms --workload net --net-latency-ms 1.5
# Refused by the workload's setup, after the output file was opened: still status 2.
expect_bad "mixed net with a LO:HI range" 2 "--mixed-wait net" \
    --workload mixed --mixed-wait net --task-ms 2:6 --tasks 2
expect_bad "mixed without --task-ms" 2 --task-ms --workload mixed --tasks 2
# A --tmp-dir that does not exist: bad usage, refused before any work (smoke_usage.sh has the
# other unusable folders).
expect_bad "--tmp-dir /nonexistent/dir" 2 /nonexistent/dir \
    --workload file --tasks 2 --file-kib 4 --tmp-dir /nonexistent/dir

# ---- tiny valid runs of every model ----

# column_is NAME FILE COLUMN VALUE: every row of COLUMN is VALUE.
column_is() {
    local got
    got=$(csv_column "$2" "$3" | sort -u | tr '\n' '|')
    if [ "$got" != "$4|" ]; then
        fail "$1: column $3 is '$got', expected '$4' in every row"
        return 1
    fi
    return 0
}

# check_exec_columns NAME FILE: file_io and poller as the model and the poller it used imply.
check_exec_columns() {
    local name=$1 file=$2 bad
    bad=$(paste -d '\t' <(csv_column "$file" model) <(csv_column "$file" poller) \
        <(csv_column "$file" file_io) | awk -F'\t' '
        $1 ~ /^coro/ {
            if ($2 == "io_uring" && $3 ~ /^(page cache|async)/) next
            if ($2 == "epoll" && $3 == "blocks the thread") next
            print; next }
        $2 != "" || $3 != "blocking" { print }')
    if [ -n "$bad" ]; then
        fail "$name: model / poller / file_io rows that do not fit: $(tr '\t\n' '/ ' <<<"$bad")"
        return 1
    fi
    return 0
}

# check_throughput NAME FILE BYTES: bytes is BYTES everywhere; mb_per_s a positive number when
# BYTES > 0, empty otherwise.
check_throughput() {
    local name=$1 file=$2 bytes=$3
    column_is "$name" "$file" bytes "$bytes" || return 1
    if [ "$bytes" -gt 0 ]; then
        if csv_column "$file" mb_per_s | grep -qvE '^[0-9]+\.[0-9]{2}$'; then
            fail "$name: an mb_per_s is not a number: $(csv_column "$file" mb_per_s | tr '\n' ' ')"
            return 1
        fi
        if csv_column "$file" mb_per_s | grep -qxE '0\.00'; then
            fail "$name: an mb_per_s is 0"
            return 1
        fi
    else
        column_is "$name" "$file" mb_per_s "" || return 1
    fi
    return 0
}

# check_run NAME FILE TASKS ROWS: the common checks of a tiny run's CSV.
check_run() {
    local name=$1 file=$2 tasks=$3 rows=$4 got
    got=$(($(wc -l <"$file") - 1))
    [ "$got" -eq "$rows" ] || fail "$name: $got rows, expected $rows"
    column_is "$name" "$file" tasks "$tasks"
    column_is "$name" "$file" tasks_ok "$tasks"
    check_exec_columns "$name" "$file"
}

TMP="$SCRATCH/tmpdir" # --tmp-dir of every file run: empty after each
OUT="$SCRATCH/out"
mkdir "$TMP" "$OUT"
UNIQ=$(unique_seed)
seed=$UNIQ

# file, 100 KiB (not a multiple of the 64 KiB chunk), every model, the default poller.
X="$OUT/file.csv"
uring=0
if run_ok file --workload file --tasks 4 --file-kib 100 --workers 2 --repeat 1 --warmup 0 \
    --quiet --tmp-dir "$TMP" --seed "$seed" --out "$X"; then
    check_run file "$X" 4 "$N_MODELS"
    check_throughput file "$X" $((4 * 100 * 1024))
    column_is file "$X" file_kib 100
    column_is file "$X" cpu_fraction ""
    column_is file "$X" net_kib ""
    if csv_column "$X" poller | grep -qx io_uring; then
        uring=1
    fi
    empty_dir file "$TMP"
    pass "file run of every model (coroutine poller: $(csv_column "$X" poller | grep . | sort -u | tr '\n' ' '))"
fi

# The coroutine models under each poller: epoll blocks the thread, io_uring is asynchronous.
for poller in epoll io_uring; do
    if [ "$poller" = io_uring ] && [ "$uring" -eq 0 ]; then
        pass "file under io_uring skipped: the default poller was not io_uring here"
        continue
    fi
    X="$OUT/file-$poller.csv"
    if run_ok "file-$poller" --workload file --tasks 3 --file-kib 64 --model coro,coropool,coromn,coromnpool \
        --workers 2 --poller "$poller" --fsync --repeat 1 --warmup 0 --quiet --tmp-dir "$TMP" \
        --seed "$seed" --out "$X"; then
        check_run "file-$poller" "$X" 3 4
        column_is "file-$poller" "$X" poller "$poller"
        column_is "file-$poller" "$X" fsync 1
        check_throughput "file-$poller" "$X" $((3 * 64 * 1024))
        empty_dir "file-$poller" "$TMP"
        pass "file under $poller"
    fi
done

X="$OUT/net.csv"
if run_ok net --workload net --tasks 4 --net-latency-ms 5 --net-kib 4 --workers 2 --repeat 1 \
    --warmup 0 --quiet --seed "$seed" --out "$X"; then
    check_run net "$X" 4 "$N_MODELS"
    check_throughput net "$X" $((4 * 4 * 1024))
    column_is net "$X" net_kib 4
    column_is net "$X" net_latency_ms 5
    column_is net "$X" cpu_fraction ""
    column_is net "$X" file_kib ""
    pass "net run of every model"
fi

X="$OUT/net0.csv"
if run_ok net0 --workload net --tasks 3 --net-latency-ms 1 --net-kib 0 --workers 2 --repeat 1 \
    --warmup 0 --quiet --seed "$seed" --out "$X"; then
    check_run net0 "$X" 3 "$N_MODELS"
    check_throughput net0 "$X" 0
    pass "net run with empty answers"
fi

for wait in sleep net; do
    X="$OUT/mixed-$wait.csv"
    if run_ok "mixed-$wait" --workload mixed --mixed-wait "$wait" --tasks 4 --task-ms 5 \
        --cpu-fraction 0.5 --workers 2 --repeat 1 --warmup 0 --quiet --seed "$seed" --out "$X"; then
        check_run "mixed-$wait" "$X" 4 "$N_MODELS"
        check_throughput "mixed-$wait" "$X" 0
        column_is "mixed-$wait" "$X" cpu_fraction 0.500
        column_is "mixed-$wait" "$X" mixed_wait "$wait"
        column_is "mixed-$wait" "$X" file_kib ""
        pass "mixed run of every model, waiting with $wait"
    fi
done

if ! wait_until 2 marker_gone "$seed"; then
    fail "tiny runs: processes left: $(marked_pids "$seed" | tr '\n' ' ')"
fi
if entries "$OUT" | grep -qF '.tmp.'; then
    fail "tiny runs: temporary output files left: $(entries "$OUT" | tr '\n' ' ')"
fi

# More task counts than private folders can exist at once (tmpdir.c keeps 4 slots): whether it
# runs or fails, nothing may stay behind (a failure tears down the folders already made).
rc=0
"$PROG" --workload file --tasks 1,2,3,4,5 --file-kib 4 --model seq --repeat 1 --warmup 0 \
    --quiet --tmp-dir "$TMP" --out "$OUT/five.csv" >"$SCRATCH/five.stdout" \
    2>"$SCRATCH/five.stderr" </dev/null || rc=$?
if [ "$rc" -eq 0 ]; then
    empty_dir "five task counts" "$TMP" && pass "file with five task counts"
else
    ok=1
    empty_dir "five task counts (status $rc)" "$TMP" || ok=0
    [ -e "$OUT/five.csv" ] && fail "five task counts failed but wrote its output" && ok=0
    [ "$ok" -eq 1 ] && pass "file with five task counts failed cleanly (status $rc, known limit): $(cat "$SCRATCH/five.stderr")"
fi

# ---- a run that fails after setup: nothing left ----

# The file tasks open two files at once, setup only one: with the descriptor limit one above
# the second free descriptor, setup and the output file fit, and every task fails (EMFILE).
# nth_free_fd N: the N-th descriptor number not open in this shell process.
nth_free_fd() {
    local fd=0 found=0
    while :; do
        if [ ! -L "/proc/$BASHPID/fd/$fd" ]; then
            found=$((found + 1))
            if [ "$found" -eq "$1" ]; then
                echo "$fd"
                return
            fi
        fi
        fd=$((fd + 1))
    done
}

X="$OUT/failed.csv"
rc=0
(
    ulimit -n "$(($(nth_free_fd 2) + 1))" || exit 99
    exec "$PROG" --workload file --tasks 4 --file-kib 64 --model seq --repeat 2 --warmup 0 \
        --quiet --tmp-dir "$TMP" --out "$X" --seed "$seed"
) >"$SCRATCH/failed.stdout" 2>"$SCRATCH/failed.stderr" </dev/null || rc=$?
if [ "$rc" -eq 99 ]; then
    pass "failed file run skipped: cannot lower the descriptor limit"
elif [ "$rc" -eq 0 ]; then
    pass "failed file run skipped: the run did not fail under the lowered descriptor limit"
else
    ok=1
    [ "$rc" -eq 1 ] || {
        fail "failed file run: exit status $rc, expected 1"
        ok=0
    }
    one_line "failed file run" "$SCRATCH/failed.stderr" || ok=0
    grep -q "tasks failed" "$SCRATCH/failed.stderr" ||
        { fail "failed file run: not a task failure: $(cat "$SCRATCH/failed.stderr")" && ok=0; }
    [ -e "$X" ] && fail "failed file run: the output file exists" && ok=0
    [ -n "$(compgen -G "$X.tmp.*")" ] && fail "failed file run: a temporary output file is left" && ok=0
    empty_dir "failed file run" "$TMP" || ok=0
    [ "$ok" -eq 1 ] && pass "failed file run leaves nothing: $(cat "$SCRATCH/failed.stderr")"
fi

# listening_ports: the loopback TCP ports listened on now, one a line.
listening_ports() {
    ss -ltnH 2>/dev/null | awk '{ print $4 }' | grep -E '^(127\.[0-9.]+|\[::1\]):[0-9]+$' |
        sed 's/.*://' | sort -u
}

# ports_of_marker SEED: loopback ports listened on by processes carrying the marker.
# shellcheck disable=SC2317 # called through server_port, itself called through wait_until
ports_of_marker() {
    local pid
    for pid in $(marked_pids "$1"); do
        ss -ltnpH 2>/dev/null | grep -F "pid=$pid," | awk '{ print $4 }' | sed 's/.*://'
    done | sort -u
}

# server_port SEED: true (and the port in SERVER_PORT) once the server of the run listens.
# shellcheck disable=SC2317 # called through wait_until
server_port() {
    SERVER_PORT=$(ports_of_marker "$1" | head -n 1)
    [ -n "$SERVER_PORT" ]
}

# foreign_port SEED PORT: PORT no longer listens, or a live process without SEED on its command
# line holds it (another test running at the same time, e.g. test_net_server under ctest -j).
# shellcheck disable=SC2317 # called through wait_until
foreign_port() {
    local line owner
    line=$(ss -ltnpH "sport = :$2" 2>/dev/null)
    [ -z "$line" ] && return 0
    owner=$(grep -o 'pid=[0-9]*' <<<"$line" | head -n 1)
    [ -n "$owner" ] && ! marked_pids "$1" | grep -qx "${owner#pid=}"
}

# check_ports NAME SEED BEFORE PORT: PORT (the run's server, if known) no longer listens, and
# every loopback port new since BEFORE is foreign (see foreign_port) within a second.
check_ports() {
    local name=$1 seed=$2 before=$3 port=$4 p ok=1
    [ "$HAVE_SS" -eq 1 ] || return 0
    if [ -n "$port" ] && listening_ports | grep -qx "$port"; then
        fail "$name: the server's port $port still listens"
        ok=0
    fi
    for p in $(comm -13 <(echo "$before") <(listening_ports)); do
        if ! wait_until 1 foreign_port "$seed" "$p"; then
            fail "$name: a new loopback port listens: $(ss -ltnpH "sport = :$p" 2>/dev/null)"
            ok=0
        fi
    done
    return $((1 - ok))
}

# A net run whose server dies mid-run: every later task fails; ptc-run reports it and leaves
# neither a process nor an output file.
seed=$((UNIQ + 1))
X="$OUT/killed.csv"
before=$(listening_ports)
"$PROG" --workload net --tasks 4 --net-latency-ms 100 --model thread --repeat 50 --warmup 0 \
    --quiet --seed "$seed" --out "$X" >"$SCRATCH/killed.stdout" 2>"$SCRATCH/killed.stderr" \
    </dev/null &
pid=$!
SERVER_PORT=
# has_child PID: PID has a child process. With the thread model the only child of ptc-run is
# its server.
# shellcheck disable=SC2317 # called through wait_until
has_child() {
    [ -n "$(pgrep -P "$1")" ]
}
server=""
if wait_until 5 has_child "$pid"; then
    server=$(pgrep -P "$pid" | head -n 1)
    [ "$HAVE_SS" -eq 1 ] && wait_until 2 server_port "$seed"
    sleep "$(scaled 0.15)"
    kill -KILL "$server" 2>/dev/null
fi
rc=0
wait "$pid" || rc=$?
if [ -z "$server" ]; then
    fail "server killed: no server process appeared (status $rc)"
else
    ok=1
    [ "$rc" -eq 1 ] || {
        fail "server killed: exit status $rc, expected 1"
        ok=0
    }
    one_line "server killed" "$SCRATCH/killed.stderr" || ok=0
    [ -e "$X" ] && fail "server killed: the output file exists" && ok=0
    [ -n "$(compgen -G "$X.tmp.*")" ] && fail "server killed: a temporary output file is left" && ok=0
    wait_until 2 marker_gone "$seed" || {
        fail "server killed: processes left: $(marked_pids "$seed" | tr '\n' ' ')"
        ok=0
    }
    check_ports "server killed" "$seed" "$before" "$SERVER_PORT" || ok=0
    [ "$ok" -eq 1 ] && pass "net run whose server died: $(cat "$SCRATCH/killed.stderr")"
fi
marked_pids "$seed" | xargs -r kill -KILL

# ---- Ctrl-C: nothing left ----

# private_folder_ready: the file workload's folder exists under $TMP.
# shellcheck disable=SC2317 # called through wait_until
private_folder_ready() {
    [ -n "$(compgen -G "$TMP/ptc-file.*")" ]
}

# copies_started: the first run has begun writing copies (setup is over).
# shellcheck disable=SC2317 # called through wait_until
copies_started() {
    [ -n "$(compgen -G "$TMP/ptc-file.*/d0")" ]
}

# workers_running SEED: copies are being made and ptc-run has pool workers (3+ processes).
# shellcheck disable=SC2317 # called through wait_until
workers_running() {
    copies_started && [ "$(marked_pids "$1" | wc -l)" -ge 3 ]
}

# interrupt_file NAME MODELS TARGET CONDITION...: starts a long file run of MODELS, waits for
# CONDITION (called with the run's seed as its last argument; the folder conditions ignore it), and sends SIGINT to ptc-run (TARGET=pid) or to its
# whole process group, its workers included, as a terminal's Ctrl-C does (TARGET=group).
interrupt_file() {
    local name=$1 models=$2 target=$3 pid rc=0
    shift 3
    local s=$((UNIQ + 2 + N))
    N=$((N + 1))
    local X="$OUT/$N.csv"
    if [ "$target" = group ]; then
        set -m # job control: the background job gets a process group of its own
    fi
    "$PROG" --workload file --tasks 64 --file-kib 2048 --model "$models" --repeat 50 \
        --tmp-dir "$TMP" --out "$X" --seed "$s" --quiet >"$SCRATCH/$N.stdout" \
        2>"$SCRATCH/$N.stderr" </dev/null &
    pid=$!
    set +m
    if ! wait_until 20 "$@" "$s"; then
        fail "$name: $* never became true"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        return
    fi
    if [ "$target" = group ]; then
        kill -INT -- "-$pid"
    else
        kill -INT "$pid"
    fi
    wait "$pid" || rc=$?
    local ok=1
    [ "$rc" -eq 130 ] || {
        fail "$name: exit status $rc, expected 130 (death by SIGINT)"
        ok=0
    }
    if ! wait_until 2 marker_gone "$s"; then
        fail "$name: processes survived: $(marked_pids "$s" | tr '\n' ' ')"
        marked_pids "$s" | xargs -r kill -KILL
        ok=0
    fi
    empty_dir "$name" "$TMP" || ok=0
    [ -e "$X" ] && fail "$name: the output file exists" && ok=0
    [ -n "$(compgen -G "$X.tmp.*")" ] && fail "$name: a temporary output file is left" && ok=0
    [ -s "$SCRATCH/$N.stdout" ] && fail "$name: output on stdout" && ok=0
    [ "$ok" -eq 1 ] && pass "$name"
}

interrupt_file "SIGINT during file setup" seq pid private_folder_ready
interrupt_file "SIGINT during file runs" seq pid copies_started
interrupt_file "Ctrl-C during file runs of a process pool" procpool group workers_running

# SIGINT while a net run of fork, thread and coro waits on its server: no process carrying the
# run's seed (ptc-run, its server, its forked workers) survives, and the server's port is closed.
seed=$((UNIQ + 99))
X="$OUT/net-int.csv"
before=$(listening_ports)
"$PROG" --workload net --tasks 20 --net-latency-ms 500 --model fork,thread,coro --repeat 20 \
    --seed "$seed" --quiet --out "$X" >"$SCRATCH/net-int.stdout" 2>"$SCRATCH/net-int.stderr" \
    </dev/null &
pid=$!
SERVER_PORT=
[ "$HAVE_SS" -eq 1 ] && wait_until 5 server_port "$seed"
sleep "$(scaled 0.7)"
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
ok=1
[ "$rc" -eq 130 ] || {
    fail "SIGINT during net: exit status $rc, expected 130"
    ok=0
}
if ! wait_until 2 marker_gone "$seed"; then
    fail "SIGINT during net: processes survived: $(marked_pids "$seed" | tr '\n' ' ')"
    marked_pids "$seed" | xargs -r kill -KILL
    ok=0
fi
[ -e "$X" ] && fail "SIGINT during net: the output file exists" && ok=0
[ -n "$(compgen -G "$X.tmp.*")" ] && fail "SIGINT during net: a temporary output file is left" && ok=0
if [ "$HAVE_SS" -eq 1 ]; then
    [ -n "$SERVER_PORT" ] || {
        fail "SIGINT during net: the server's listening port was never seen"
        ok=0
    }
    check_ports "SIGINT during net" "$seed" "$before" "$SERVER_PORT" || ok=0
fi
[ "$ok" -eq 1 ] && pass "SIGINT during net (server port ${SERVER_PORT:-not checked: no ss})"

finish
