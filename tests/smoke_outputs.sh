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

# A reader that has gone, SIGPIPE ignored (as under some supervisors): EPIPE, said as such.
REPORT="$(dirname "$PROG")/ptc-report"
rc=0
(
    trap '' PIPE
    "$REPORT" --md - "$(dirname "$0")/data/runs-small.csv" 2>"$SCRATCH/pipe.stderr" | {
        exec <&-
        sleep 0.5
    }
    exit "${PIPESTATUS[0]}"
) || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "Broken pipe" "$SCRATCH/pipe.stderr"; then
    fail "closed pipe: status $rc, expected 1 and 'Broken pipe': $(cat "$SCRATCH/pipe.stderr")"
else
    pass "closed pipe: $(cat "$SCRATCH/pipe.stderr")"
fi

# ptc-switch --out -: stdout is the CSV alone (each line as wide as the header), the table
# goes to stderr.
"$(dirname "$PROG")/ptc-switch" --only pipe --n 1 --repeat 1 --placement unpinned --out - \
    >"$SCRATCH/micro.csv" 2>"$SCRATCH/micro.stderr" || fail "ptc-switch --out - failed"
if [ "$(csv_widths "$SCRATCH/micro.csv" | sort -u | wc -l)" -ne 1 ] ||
    [ "$(wc -l <"$SCRATCH/micro.csv")" -ne 2 ] || ! grep -q "ns_per_round_trip" "$SCRATCH/micro.stderr"; then
    fail "ptc-switch --out - mixed its table into the CSV:"
    sed 's/^/    | /' "$SCRATCH/micro.csv" >&2
else
    pass "ptc-switch --out -: the CSV on stdout, the table on stderr"
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
