#!/usr/bin/env bash
# ptc-claims --python (beside the given ptc-run) when the Python reference cannot run: a missing
# script, or a worker of a multiprocessing.Pool killed or stopped in the middle of a map (which
# multiprocessing.Pool alone waits for forever). The run ends, names the worker and its signal,
# leaves no process behind and exits 1.
. "$(dirname "$0")/smoke_lib.bash" "$@"
CLAIMS=$(dirname "$PROG")/ptc-claims
SCRIPT=$(dirname "$0")/../scripts/python/claims.py
[ -x "$CLAIMS" ] || { fail "$CLAIMS is missing"; finish; }

rc=0
PTC_PYTHON_SCRIPT=/nonexistent/claims.py "$CLAIMS" --python --only 03 --quiet \
    --out "$SCRATCH/missing" >/dev/null 2>"$SCRATCH/missing.err" || rc=$?
[ "$rc" -eq 1 ] || fail "missing Python reference: exit status $rc, expected 1"
grep -q 'The Python reference did not run' "$SCRATCH/missing/claims.md" ||
    fail "missing Python reference: claims.md does not say so"
pass "missing Python reference"

if [ ! -x /usr/bin/python3 ] || ! command -v pgrep >/dev/null; then
    echo "skipped the Pool cases: no /usr/bin/python3 or no pgrep"
    finish
fi

# shellcheck disable=SC2317 # called through wait_until
pool_up() { # pool_up PID: PID, or the Python process under it, has 4 children
    local py=$1
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = python3 ] || py=$(pgrep -P "$1" | head -1)
    [ -n "$py" ] || return 1
    [ "$(pgrep -P "$py" | wc -l)" -ge 4 ] && WORKER_PARENT=$py
}

# hit NAME SIGNAL COMMAND...: starts COMMAND (claim 02 at --time-scale 1: Pool(4), five tasks of
# 0.5 to 3 s), sends SIGNAL to a Pool worker, and checks the ending.
hit() {
    local name=$1 sig=$2 pid rc=0
    shift 2
    "$@" >/dev/null 2>"$SCRATCH/$name.err" &
    pid=$!
    signal_worker_when "$name" "$pid" "$sig" pool_up "$pid" || return
    local victim=$VICTIM parent=$WORKER_PARENT
    wait_until 20 gone "$pid" || { fail "$name: still running"; kill -KILL "$pid"; }
    wait "$pid" || rc=$?
    [ "$rc" -eq 1 ] || fail "$name: exit status $rc, expected 1"
    grep -Eq "^claims.py: claim 02: Pool worker [0-9] \(pid $victim\) (killed|stopped) by SIG$sig" \
        "$SCRATCH/$name.err" || fail "$name: the worker is not named: $(cat "$SCRATCH/$name.err")"
    if [ -n "$(pgrep -P "$parent")" ] || kill -0 "$victim" 2>/dev/null; then
        fail "$name: Pool workers survived"
        kill -KILL "$victim" 2>/dev/null
    fi
    pass "$name"
}

hit python_stopped STOP /usr/bin/python3 "$SCRIPT" --only 02 --time-scale 1 \
    --out "$SCRATCH/py.csv"
[ -e "$SCRATCH/py.csv" ] && fail "python_stopped: a CSV was written"
hit claims_killed KILL env PTC_PYTHON_SCRIPT="$SCRIPT" "$CLAIMS" --python --time-scale 1 \
    --only 02,03 --quiet --out "$SCRATCH/killed"
grep -q 'Python reference' "$SCRATCH/killed/claims.md" ||
    fail "claims_killed: claims.md does not say the Python reference failed"

finish
