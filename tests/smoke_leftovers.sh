#!/usr/bin/env bash
# What SIGKILL (the OOM killer) leaves, removed by the next run: a temporary output file
# "<out>.tmp.<pid>.XXXXXX" beside the same output and a private folder "ptc-file.<pid>.XXXXXX"
# in --tmp-dir go when their pid is dead, each said in one line on stderr; those of a live pid,
# of another output name or of another pattern stay.
# Usage: smoke_leftovers.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

OUT="$SCRATCH/out"
TMP="$SCRATCH/tmp"
mkdir "$OUT" "$TMP"

# A pid that was ours and is dead now.
sleep 0 &
DEAD=$!
wait "$DEAD"
kill -0 "$DEAD" 2>/dev/null && { echo "pid $DEAD is alive again: skipped" >&2; exit 77; }
LIVE=$$

run_file() {
    "$PROG" --workload file --tasks 2 --file-kib 4 --model seq --repeat 1 --warmup 0 --quiet \
        --tmp-dir "$TMP" --out "$OUT/x.csv"
}

# ---- made-up leftovers of a dead and of a live pid ----
echo partial >"$OUT/x.csv.tmp.$DEAD.aB3xYz"
echo partial >"$OUT/x.csv.tmp.$LIVE.aB3xYz"
echo other >"$OUT/y.csv.tmp.$DEAD.aB3xYz"
echo old >"$OUT/x.csv.tmp.aB3xYz"
mkdir "$TMP/ptc-file.$DEAD.Qw3rty" "$TMP/ptc-file.$DEAD.Qw3rty/sub" "$TMP/ptc-file.$LIVE.Qw3rty"
echo s >"$TMP/ptc-file.$DEAD.Qw3rty/s0"
echo d >"$TMP/ptc-file.$DEAD.Qw3rty/sub/d0"
# A link inside a leftover is removed, never followed.
echo keep >"$SCRATCH/target"
ln -s "$SCRATCH" "$TMP/ptc-file.$DEAD.Qw3rty/link"
mkdir "$TMP/other.$DEAD.Qw3rty"

before=$FAILURES
if ! run_file 2>"$SCRATCH/err"; then
    fail "the run beside leftovers failed: $(cat "$SCRATCH/err")"
fi
[ -e "$OUT/x.csv.tmp.$DEAD.aB3xYz" ] && fail "the dead pid's temporary output is left"
[ -e "$TMP/ptc-file.$DEAD.Qw3rty" ] && fail "the dead pid's private folder is left"
[ -e "$OUT/x.csv.tmp.$LIVE.aB3xYz" ] || fail "a live pid's temporary output was removed"
[ -e "$TMP/ptc-file.$LIVE.Qw3rty" ] || fail "a live pid's private folder was removed"
[ -e "$OUT/y.csv.tmp.$DEAD.aB3xYz" ] || fail "another output's temporary file was removed"
[ -e "$OUT/x.csv.tmp.aB3xYz" ] || fail "a file without a pid was removed"
[ -e "$TMP/other.$DEAD.Qw3rty" ] || fail "a folder of another pattern was removed"
[ -e "$SCRATCH/target" ] || fail "a link inside a leftover folder was followed"
grep -qxF "ptc-run: removed leftover $OUT/x.csv.tmp.$DEAD.aB3xYz of a killed run (pid $DEAD)" \
    "$SCRATCH/err" || fail "the removed output is not said: $(cat "$SCRATCH/err")"
grep -qxF "ptc-run: removed leftover $TMP/ptc-file.$DEAD.Qw3rty of a killed run (pid $DEAD)" \
    "$SCRATCH/err" || fail "the removed folder is not said: $(cat "$SCRATCH/err")"
[ "$(wc -l <"$SCRATCH/err")" -eq 2 ] || fail "stderr is not the two removals: $(cat "$SCRATCH/err")"
[ "$FAILURES" -eq "$before" ] && pass "made-up leftovers: the dead pid's removed, the rest kept"
rm -rf "${OUT:?}"/* "${TMP:?}"/*

# ---- a real run killed by SIGKILL mid-run ----

# started: the run has its temporary output and its private folder with copies in it.
# shellcheck disable=SC2317 # called through wait_until
started() {
    [ -n "$(compgen -G "$OUT/x.csv.tmp.*")" ] && [ -n "$(compgen -G "$TMP/ptc-file.*/d0")" ]
}

before=$FAILURES
"$PROG" --workload file --tasks 8 --file-kib 64 --model seq --repeat 100000 --warmup 0 --quiet \
    --tmp-dir "$TMP" --out "$OUT/x.csv" 2>"$SCRATCH/killed.err" &
pid=$!
if ! wait_until 10 started; then
    fail "the run to kill did not start: $(cat "$SCRATCH/killed.err")"
fi
kill -KILL "$pid"
wait "$pid" 2>/dev/null
left="$(entries "$OUT") $(entries "$TMP")"
if [ -z "$(compgen -G "$OUT/x.csv.tmp.$pid.*")" ] || [ -z "$(compgen -G "$TMP/ptc-file.$pid.*")" ]; then
    fail "SIGKILL did not leave the temporary output and folder named by its pid: $left"
fi
if ! run_file 2>"$SCRATCH/err"; then
    fail "the run after the killed one failed: $(cat "$SCRATCH/err")"
fi
[ "$(entries "$OUT")" = x.csv ] || fail "beside the output after the next run: $(entries "$OUT")"
[ -z "$(entries "$TMP")" ] || fail "in --tmp-dir after the next run: $(entries "$TMP")"
[ "$(grep -c "removed leftover .* of a killed run (pid $pid)\$" "$SCRATCH/err")" -eq 2 ] ||
    fail "the two removals are not said: $(cat "$SCRATCH/err")"
[ "$FAILURES" -eq "$before" ] && pass "a run killed by SIGKILL: its leftovers removed by the next run ($left)"

finish
