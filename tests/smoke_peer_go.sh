#!/usr/bin/env bash
# ptc-peer-go, the Go peer runner (peers/go): a tiny run of every workload under its three models
# whose CSV has ptc-run's columns plus runtime, every task verified and the machine's condition
# (the capacity probed before the round, disturbed judged by ptc-aid); --mem's rows in ptc-mem's
# columns; bad input refused with status 2, one line and no file; and neither the net server nor
# the private temporary folder left behind, after a normal run or a SIGTERM in the middle of one.
# Usage: smoke_peer_go.sh /path/to/ptc-run   (ptc-peer-go is looked for beside it)
. "$(dirname "$0")/smoke_lib.bash" "$@"

BIN=$(dirname "$PROG")
PEER="$BIN/ptc-peer-go"
if [ ! -x "$PEER" ]; then
    echo "$PEER is not built: skipped" >&2
    exit 77
fi
MODELS="go-goroutine go-pool seq" # sorted
# The peer's private folders go here, where nothing else writes: a leftover is then certain.
TMP_BASE="$SCRATCH/tmp"
mkdir "$TMP_BASE"
# Every process the peer starts (the net server) inherits this variable: how they are found.
MARK="PTC_SMOKE_PEER_GO=$$.$RANDOM"

# PIDs of live processes carrying $MARK in their environment.
marked_env_pids() {
    grep -lsxzF -- "$MARK" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true
}

# shellcheck disable=SC2317 # called through wait_until
env_marker_gone() {
    [ -z "$(marked_env_pids)" ]
}

# peer NAME ARGS...: runs the peer with the marker and the private folders' base; stdout and
# stderr in $SCRATCH/NAME.*; sets RC.
peer() {
    local name=$1
    shift
    RC=0
    env "$MARK" TMPDIR="$TMP_BASE" "$PEER" --bin "$BIN" "$@" \
        >"$SCRATCH/$name.stdout" 2>"$SCRATCH/$name.stderr" </dev/null || RC=$?
}

# Nothing the peer started or made is left: no marked process, no ptc-go.* folder.
check_nothing_left() {
    local name=$1
    if ! wait_until 2 env_marker_gone; then
        fail "$name: processes left: $(marked_env_pids | tr '\n' ' ')"
        marked_env_pids | xargs -r kill -KILL
    fi
    [ -n "$(entries "$TMP_BASE")" ] && fail "$name: left in the temporary folder: $(entries "$TMP_BASE" | tr '\n' ' ')"
}

# ptc-run's header, which the peer's must repeat before its runtime column.
ref="$SCRATCH/ref.csv"
if ! "$PROG" --workload noop --model seq --tasks 1 --repeat 1 --warmup 0 --no-capacity --quiet \
    --out "$ref" >/dev/null 2>&1; then
    fail "ptc-run did not write a reference CSV"
fi
WANT_HEADER="$(head -n 1 "$ref"),runtime"

# --help and --list
peer help --help
if [ "$RC" -ne 0 ] || ! grep -q '^usage: ptc-peer-go' "$SCRATCH/help.stdout" ||
    [ -s "$SCRATCH/help.stderr" ]; then
    fail "--help: status $RC, or no usage line on stdout, or output on stderr"
fi
peer list --list
if [ "$RC" -ne 0 ] || ! grep -q '^  go-pool ' "$SCRATCH/list.stdout"; then
    fail "--list: status $RC or no go-pool line"
fi

# A tiny run of each workload: 3 tasks of a few ms, the three models, one recorded run each.
dir="$SCRATCH/runs"
mkdir "$dir"
run_workload() {
    local wl=$1 out="$dir/$1.csv"
    shift
    peer "$wl" --workload "$wl" --tasks 3 --workers 2 --repeat 1 --warmup 0 --out "$out" "$@"
    if [ "$RC" -ne 0 ]; then
        fail "$wl: exit status $RC; stderr:"
        sed 's/^/    | /' "$SCRATCH/$wl.stderr" >&2
        return
    fi
    [ "$(head -n 1 "$out")" = "$WANT_HEADER" ] || fail "$wl: the header is not ptc-run's plus runtime"
    [ "$(($(wc -l <"$out") - 1))" -eq 3 ] || fail "$wl: $(($(wc -l <"$out") - 1)) rows, expected 3"
    csv_widths "$out" | sort -u | awk 'END { exit NR != 1 }' || fail "$wl: rows as wide as the header"
    [ "$(csv_column "$out" model | sort | tr '\n' ' ')" = "$MODELS " ] || fail "$wl: models"
    [ "$(csv_column "$out" tasks_ok | sort -u)" = "3" ] || fail "$wl: tasks_ok is not 3 everywhere"
    [ "$(csv_column "$out" program | sort -u)" = "ptc-peer-go" ] || fail "$wl: program"
    [ "$(csv_column "$out" workload | sort -u)" = "$wl" ] || fail "$wl: workload"
    csv_column "$out" runtime | grep -qvE '^go [0-9]+\.[0-9]+' && fail "$wl: a runtime is not 'go X.Y'"
    csv_column "$out" capacity | grep -qvE '^[0-9]+\.[0-9]{3}$' &&
        fail "$wl: a capacity is empty or not a number with 3 decimals"
    csv_column "$out" disturbed | grep -qvx '[01]' && fail "$wl: a disturbed is not 0 or 1"
    workers=$(paste -d: <(csv_column "$out" model) <(csv_column "$out" workers) | sort | tr '\n' ' ')
    [ "$workers" = "go-goroutine:3 go-pool:2 seq:1 " ] || fail "$wl: workers per model '$workers'"
    check_nothing_left "$wl"
    [ "$(entries "$dir" | grep -vc '\.csv$')" -eq 0 ] || fail "$wl: temporary output left: $(entries "$dir")"
    pass "$wl run"
}
run_workload noop
run_workload sleep --task-ms 2:4
run_workload cpu --task-ms 2
run_workload mixed --task-ms 3 --cpu-fraction 0.5
run_workload file --file-kib 16 --fsync
run_workload net --net-latency-ms 3 --net-kib 8
[ "$(csv_column "$dir/file.csv" bytes | sort -u)" = "$((3 * 16 * 1024))" ] || fail "file: bytes column"
[ "$(csv_column "$dir/net.csv" net_kib | sort -u)" = "8" ] || fail "net: net_kib column"

# --mem: ptc-mem's columns, two figures per N.
ref_mem="$SCRATCH/ref-mem.csv"
"$BIN/ptc-mem" --n 1 --repeat 1 --only threads --quiet --out "$ref_mem" >/dev/null 2>&1 ||
    fail "ptc-mem did not write a reference CSV"
peer mem --mem 1,10 --repeat 1 --quiet --out "$dir/mem.out"
if [ "$RC" -ne 0 ]; then
    fail "--mem: exit status $RC: $(cat "$SCRATCH/mem.stderr")"
else
    [ "$(head -n 1 "$dir/mem.out")" = "$(head -n 1 "$ref_mem")" ] || fail "--mem: the header is not ptc-mem's"
    [ "$(csv_column "$dir/mem.out" metric | sort | uniq -c | awk '{ print $1 $2 }' | tr '\n' ' ')" = \
        "2rss_kib_per_unit 2up_ms " ] || fail "--mem: not two figures per N"
    pass "--mem"
fi

# Bad input: status 2, one line on stderr, no output file (nor its temporary file).
bad() {
    local name=$1 out="$SCRATCH/bad/x.csv"
    shift
    rm -rf "$SCRATCH/bad"
    mkdir "$SCRATCH/bad"
    RC=0
    env "$MARK" TMPDIR="$TMP_BASE" "$PEER" --workload sleep --task-ms 2 --tasks 2 --repeat 1 \
        --warmup 0 --out "$out" --bin "$BIN" "$@" \
        >"$SCRATCH/bad.stdout" 2>"$SCRATCH/bad.stderr" </dev/null || RC=$?
    [ "$RC" -eq 2 ] || fail "$name: exit status $RC, expected 2"
    [ "$(wc -l <"$SCRATCH/bad.stderr")" -eq 1 ] ||
        fail "$name: $(wc -l <"$SCRATCH/bad.stderr") lines on stderr, expected 1"
    grep -q '^ptc-peer-go: ' "$SCRATCH/bad.stderr" || fail "$name: the line does not start with 'ptc-peer-go: '"
    [ -n "$(entries "$SCRATCH/bad")" ] && fail "$name: files made: $(entries "$SCRATCH/bad" | tr '\n' ' ')"
    check_nothing_left "$name"
    pass "$name refused"
}
bad "unknown model" --model nope
bad "--tasks 0" --tasks 0
bad "--tasks -1" --tasks -1
bad "--workers x" --workers x
bad "unwritable --out" --out /nonexistent/dir/x.csv
bad "--bin /nonexistent" --bin /nonexistent
bad "--mixed-wait net" --workload mixed --mixed-wait net

# SIGTERM in the middle of a net run: the peer dies of it, its server and files go with it.
dir="$SCRATCH/term"
mkdir "$dir"
env "$MARK" TMPDIR="$TMP_BASE" "$PEER" --workload net --net-latency-ms 2000 --tasks 3 \
    --model go-goroutine --repeat 1 --warmup 0 --quiet --bin "$BIN" --out "$dir/x.csv" \
    >"$SCRATCH/term.stdout" 2>"$SCRATCH/term.stderr" </dev/null &
pid=$!
# The run proper: the temporary output file is there and the 3 tasks' sockets are open (the
# server answers a test request of its own first, which takes the latency).
# shellcheck disable=SC2317 # called through wait_until
tasks_connected() {
    [ -n "$(compgen -G "$dir/x.csv.tmp.*")" ] &&
        [ "$(find "/proc/$pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)" -ge 3 ]
}
if wait_until 10 tasks_connected; then
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 143 ] || fail "SIGTERM: exit status $rc, expected 143"
    [ -s "$SCRATCH/term.stderr" ] && fail "SIGTERM: said something: $(cat "$SCRATCH/term.stderr")"
    [ -n "$(entries "$dir")" ] && fail "SIGTERM: files left: $(entries "$dir" | tr '\n' ' ')"
    check_nothing_left "SIGTERM"
    pass "SIGTERM in a net run"
else
    fail "SIGTERM: the net run did not connect its tasks"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
fi

finish
