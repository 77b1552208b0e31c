#!/usr/bin/env bash
# scripts/hyperfine-sweep hands ptc-run's arguments over as they were given: each one whole and
# never glob-expanded ('--out *.csv' once overwrote a file of the folder), in the check, under
# hyperfine and in process. ptc-run and ptc-report are stubs that record their arguments.
# Usage: smoke_sweep_args.sh /path/to/ptc-run (unused: the stubs stand in for it)
. "$(dirname "$0")/smoke_lib.bash" "$@"
SWEEP="$(cd "$(dirname "$0")/.." && pwd)/scripts/hyperfine-sweep"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: skipped"; exit 77; }

stubs="$SCRATCH/bin"
mkdir "$stubs"
cat >"$stubs/ptc-run" <<'STUB'
#!/usr/bin/env bash
{ echo "--- run"; printf '%s\n' "$@"; } >>"${PTC_STUB_LOG:?}"
STUB
cat >"$stubs/ptc-report" <<'STUB'
#!/usr/bin/env bash
exit 0
STUB
chmod +x "$stubs/ptc-run" "$stubs/ptc-report"

work="$SCRATCH/work"
mkdir "$work"
echo "keep me" >"$work/victim.csv"
export PTC_STUB_LOG="$SCRATCH/args.log"
if ! (cd "$work" && "$SWEEP" --bin "$stubs" --out-dir "$SCRATCH/out" --models seq --runs 2 \
    --warmup 0 -- --workload noop --out '*.csv' --tag 'two words') \
    >"$SCRATCH/sweep.out" 2>"$SCRATCH/sweep.err"; then
    fail "hyperfine-sweep failed: $(cat "$SCRATCH/sweep.err")"
fi
runs=$(grep -c '^--- run$' "$PTC_STUB_LOG" || true)
globs=$(grep -cx '\*\.csv' "$PTC_STUB_LOG" || true)
words=$(grep -cx 'two words' "$PTC_STUB_LOG" || true)
# the check, 2 hyperfine runs, the in-process run
if [ "$runs" -lt 4 ] || [ "$globs" -ne "$runs" ] || [ "$words" -ne "$runs" ]; then
    fail "ptc-run ran $runs times, got '*.csv' $globs times and 'two words' $words times:"
    sed 's/^/    | /' "$PTC_STUB_LOG" >&2
else
    pass "each of $runs ptc-run commands got '*.csv' and 'two words' as given"
fi
if grep -qx 'victim.csv' "$PTC_STUB_LOG" || [ "$(cat "$work/victim.csv")" != "keep me" ]; then
    fail "'*.csv' was expanded to the folder's files"
fi
finish
