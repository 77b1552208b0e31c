#!/usr/bin/env bash
# Faults met while writing, named by their real cause, and what an interrupted program made
# removed: a short write during the file workload's set-up says why the next write failed (not a
# stale errno); an interrupted ptc-claims removes the --out folder it created.
# Usage: smoke_outputs.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

# A file size limit below one 64 KiB chunk: the first write of a source file is short, the next
# fails with EFBIG (SIGXFSZ ignored, as a full disk gives ENOSPC).
rc=0
(
    trap '' XFSZ
    ulimit -f 40
    exec "$PROG" --workload file --file-kib 64 --model seq --tasks 1 --repeat 1 --warmup 0 \
        --no-capacity --quiet --tmp-dir "$SCRATCH"
) >"$SCRATCH/short.stdout" 2>"$SCRATCH/short.stderr" </dev/null || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "File too large" "$SCRATCH/short.stderr"; then
    fail "short write in set-up: status $rc, expected 1 and 'File too large': $(cat "$SCRATCH/short.stderr")"
else
    pass "short write in set-up: $(cat "$SCRATCH/short.stderr")"
fi
if [ -n "$(find "$SCRATCH" -maxdepth 1 -name 'ptc-file.*')" ]; then
    fail "short write in set-up: the temporary folder was left behind"
fi

# ptc-claims interrupted while it runs a claim: the folder it made for --out goes with it.
CLAIMS="$(dirname "$PROG")/ptc-claims"
out="$SCRATCH/claims-new"
"$CLAIMS" --only 04 --time-scale 1 --quiet --out "$out" >/dev/null 2>"$SCRATCH/claims.stderr" &
pid=$!
ledger_open() {
    compgen -G "$out/claims.csv.tmp.*" >/dev/null
}
if ! wait_until 10 ledger_open; then
    fail "ptc-claims did not open its ledger in $out within 10 s"
fi
kill -INT "$pid"
wait "$pid" 2>/dev/null
if [ -e "$out" ]; then
    fail "interrupted ptc-claims left its --out folder: $(entries "$out" | tr '\n' ' ')"
else
    pass "interrupted ptc-claims removed the --out folder it made"
fi

finish
