#!/usr/bin/env bash
# Smoke test of the capacity probe's time limit (issue 12): the probe runs in a child process
# before recorded rounds; a probe child stopped with SIGSTOP used to hang ptc-run in its read
# forever. Now the run goes on: one warning names the probe, its pid and "stopped by SIGSTOP",
# the child is killed and reaped, every run is recorded and ptc-run exits 0.
. "$(dirname "$0")/smoke_lib.bash" "$@"

# seq has no children of its own: any child of ptc-run is the probe (about 40 ms, due about
# once a second between rounds). /proc's list of children is read in a tight loop: pgrep at
# 50 ms steps missed it.
log="$SCRATCH/err" out="$SCRATCH/runs.csv"
"$PROG" --workload sleep --task-ms 20 --tasks 1 --model seq --repeat 100 --warmup 0 --quiet \
    --out "$out" 2>"$log" &
pid=$!
PROBE=
while [ -z "$PROBE" ] && [ -e "/proc/$pid/task/$pid/children" ]; do
    read -r PROBE _ <"/proc/$pid/task/$pid/children" 2>/dev/null
done
if [ -z "$PROBE" ]; then
    fail "no capacity probe child seen before ptc-run ended"
    wait "$pid"
    finish
fi
kill -STOP "$PROBE"
# The probe's limit is 2 s; the rounds take about 2 s more.
if wait_until 10 gone "$pid"; then
    wait "$pid"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pass "ptc-run went on past the stopped probe"
    else
        fail "ptc-run exited $rc: $(head -1 "$log")"
    fi
else
    fail "ptc-run still waits for its stopped probe (pid $PROBE)"
    kill -KILL "$pid" "$PROBE"
    wait "$pid"
fi
if grep -q -E "^ptc-run: warning: the capacity probe \(pid $PROBE, stopped by SIGSTOP\) gave no answer within [0-9]+ s" "$log" &&
    [ "$(wc -l <"$log")" -eq 1 ]; then
    pass "one warning names the stopped probe"
else
    fail "warning: $(cat "$log")"
fi
if gone "$PROBE"; then
    pass "the stopped probe was killed and reaped"
else
    fail "the stopped probe $PROBE is still there"
    kill -KILL "$PROBE"
fi
rows=$(($(wc -l 2>/dev/null <"$out" || echo 1) - 1))
if [ "$rows" -eq 100 ]; then
    pass "all 100 runs recorded"
else
    fail "$rows runs recorded, not 100"
fi
finish
