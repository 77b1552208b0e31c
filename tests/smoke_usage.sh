#!/usr/bin/env bash
# ptc-run's bad usage: every bad input exits with status 2, prints exactly one line on stderr
# ("ptc-run: ..."), nothing on stdout, and creates no output file (nor any temporary file) in
# the target directory, including when it fails after opening some outputs. The same for the
# output checks every program shares (empty paths, two outputs on one file or on stdout, an
# output over an input, a full device, an unusable --tmp-dir), run on the programs beside it.
# Usage: smoke_usage.sh /path/to/ptc-run
. "$(dirname "$0")/smoke_lib.bash" "$@"

N=0

# expect_usage NAME [--needle TEXT]... [--prog PROGRAM] -- ARGS...
# ARGS may use @DIR@ for a fresh empty directory that must still be empty afterwards. --prog
# runs PROGRAM, the program of that name beside ptc-run (or at that path), in place of ptc-run.
expect_usage() {
    local name=$1 needles=() args=() a exe=$PROG
    shift
    while [ "$1" != "--" ]; do
        if [ "$1" = --prog ] && [[ $2 == */* ]]; then
            exe=$2
        elif [ "$1" = --prog ]; then
            exe="$(dirname "$PROG")/$2"
        else
            needles+=("$2")
        fi
        shift 2
    done
    shift
    N=$((N + 1))
    local dir="$SCRATCH/case$N" out="$SCRATCH/case$N.stdout" err="$SCRATCH/case$N.stderr"
    mkdir "$dir"
    for a in "$@"; do
        args+=("${a//@DIR@/$dir}")
    done
    local rc=0
    "$exe" "${args[@]}" >"$out" 2>"$err" </dev/null || rc=$?
    local ok=1
    if [ "$rc" -ne 2 ]; then
        fail "$name: exit status $rc, expected 2"
        ok=0
    fi
    # Exactly one line: one newline, and nothing after it.
    local lines records
    lines=$(wc -l <"$err")
    records=$(awk 'END { print NR }' "$err")
    if [ "$lines" -ne 1 ] || [ "$records" -ne 1 ]; then
        fail "$name: $records line(s) on stderr, expected exactly 1:"
        sed 's/^/    | /' "$err" >&2
        ok=0
    elif ! grep -q "^${exe##*/}: " "$err"; then
        fail "$name: stderr does not start with '${exe##*/}: ': $(cat "$err")"
        ok=0
    fi
    if [ -s "$out" ]; then
        fail "$name: unexpected output on stdout: $(head -c 200 "$out")"
        ok=0
    fi
    local n
    for n in "${needles[@]}"; do
        if ! grep -qF -- "$n" "$err"; then
            fail "$name: the message does not mention '$n': $(cat "$err")"
            ok=0
        fi
    done
    if [ -n "$(entries "$dir")" ]; then
        fail "$name: files left in the target directory: $(entries "$dir" | tr '\n' ' ')"
        ok=0
    fi
    if [ "$ok" -eq 1 ]; then
        pass "$name: $(cat "$err")"
    fi
}

expect_usage "negative task count" --needle "--tasks" --needle "-3" -- \
    --workload noop --tasks -3 --out @DIR@/out.csv
expect_usage "zero tasks" --needle "--tasks" -- \
    --workload noop --tasks 0 --out @DIR@/out.csv
expect_usage "task count overflowing 64 bits" --needle "--tasks" -- \
    --workload noop --tasks 99999999999999999999999 --out @DIR@/out.csv
expect_usage "empty item in a list" --needle "--tasks" -- \
    --workload noop --tasks 1,,2 --out @DIR@/out.csv
expect_usage "workers not a number" --needle "--workers" --needle "abc" -- \
    --workload noop --workers abc --out @DIR@/out.csv
expect_usage "zero workers" --needle "--workers" -- \
    --workload noop --workers 0 --out @DIR@/out.csv
expect_usage "unknown model" --needle "nosuch" --needle "seq" --needle "fork" \
    --needle "procpool" --needle "thread" --needle "threadpool" -- \
    --workload noop --model nosuch --out @DIR@/out.csv
expect_usage "unknown model in a list" --needle "nosuch" --needle "threadpool" -- \
    --workload noop --model seq,nosuch --out @DIR@/out.csv
expect_usage "empty model list" --needle "--model" -- \
    --workload noop --model "" --out @DIR@/out.csv
expect_usage "task-ms LO > HI" --needle "--task-ms" --needle "5:2" -- \
    --workload sleep --task-ms 5:2 --out @DIR@/out.csv
expect_usage "task-ms zero" --needle "--task-ms" -- \
    --workload sleep --task-ms 0 --out @DIR@/out.csv
expect_usage "task-ms open range" --needle "--task-ms" -- \
    --workload sleep --task-ms 2: --out @DIR@/out.csv
expect_usage "zero iterations" --needle "--iterations" -- \
    --workload cpu --iterations 0 --out @DIR@/out.csv
expect_usage "negative seed" --needle "--seed" -- \
    --workload noop --seed -1 --out @DIR@/out.csv
expect_usage "zero repeat" --needle "--repeat" -- \
    --workload noop --repeat 0 --out @DIR@/out.csv
expect_usage "output in a missing directory" --needle "/nonexistent/dir/x.csv" -- \
    --workload noop --out /nonexistent/dir/x.csv
expect_usage "timeline in a missing directory after --out was opened" \
    --needle "/nonexistent/dir/t.csv" -- \
    --workload noop --out @DIR@/out.csv --timeline /nonexistent/dir/t.csv
expect_usage "summary in a missing directory after two outputs were opened" \
    --needle "/nonexistent/dir/s.csv" -- \
    --workload noop --out @DIR@/out.csv --timeline @DIR@/t.csv --summary /nonexistent/dir/s.csv
expect_usage "missing --workload" --needle "--workload" -- \
    --tasks 3 --out @DIR@/out.csv
expect_usage "unknown workload" --needle "nosuch" --needle "noop" --needle "sleep" \
    --needle "cpu" -- \
    --workload nosuch --out @DIR@/out.csv
expect_usage "unknown long option" --needle "--bogus" -- \
    --workload noop --bogus --out @DIR@/out.csv
expect_usage "unknown short option" --needle "-x" -- \
    --workload noop -x --out @DIR@/out.csv
expect_usage "unexpected argument" --needle "stray" -- \
    --workload noop --out @DIR@/out.csv stray
expect_usage "--repeat without a value" --needle "--repeat" -- \
    --workload noop --out @DIR@/out.csv --repeat
expect_usage "sleep without --task-ms (fails after the outputs are opened)" \
    --needle "task-ms" -- \
    --workload sleep --out @DIR@/out.csv --timeline @DIR@/t.csv --summary @DIR@/s.csv
expect_usage "cpu without --iterations or --task-ms" --needle "cpu" -- \
    --workload cpu --out @DIR@/out.csv

# Every output path, the temporary folder and the outputs against each other and against the
# inputs, checked before any work (each of these used to run the grid first, or lose rows).
expect_usage "empty --out" --needle "--out" --needle "empty" -- \
    --workload noop --out ""
expect_usage "--summary is --out's file" --needle "--summary" --needle "--out" -- \
    --workload noop --out @DIR@/x.csv --summary @DIR@/x.csv
expect_usage "--timeline is --out's file by another name" --needle "--timeline" -- \
    --workload noop --out @DIR@/x.csv --timeline @DIR@/../"case$((N + 1))"/x.csv
expect_usage "two outputs to stdout" --needle "--out" --needle "--summary" --needle "stdout" -- \
    --workload noop --out - --summary -
expect_usage "--out on a full device" --needle "No space left on device" -- \
    --workload noop --out /dev/full
expect_usage "--tmp-dir missing" --needle "--tmp-dir" --needle "No such file" -- \
    --workload file --file-kib 1 --tmp-dir /nonexistent/dir
touch "$SCRATCH/a-file"
expect_usage "--tmp-dir a file" --needle "--tmp-dir" --needle "Not a directory" -- \
    --workload file --file-kib 1 --tmp-dir "$SCRATCH/a-file"
if [ "$(id -u)" -ne 0 ]; then # root writes into a read-only folder
    mkdir "$SCRATCH/read-only" && chmod 555 "$SCRATCH/read-only"
    expect_usage "--tmp-dir read-only" --needle "--tmp-dir" --needle "Permission denied" -- \
        --workload file --file-kib 1 --tmp-dir "$SCRATCH/read-only"
fi
for micro in ptc-spawn ptc-switch ptc-mem ptc-skynet ptc-lock ptc-ipc; do
    expect_usage "$micro: empty --out" --prog "$micro" --needle "--out" --needle "empty" -- \
        --repeat 1 --n 1 --quiet --out ""
done
expect_usage "ptc-claims: empty --out" --prog ptc-claims --needle "--out" --needle "empty" -- \
    --only 03 --quiet --out ""
expect_usage "ptc-switch: --out on a full device" --prog ptc-switch \
    --needle "No space left on device" -- --only pipe --n 1 --repeat 1 --out /dev/full
REPORT_IN="$(dirname "$0")/data/runs-small.csv"
cp "$REPORT_IN" "$SCRATCH/in.csv"
expect_usage "ptc-report: empty --md" --prog ptc-report --needle "--md" --needle "empty" -- \
    --md "" "$REPORT_IN"
expect_usage "ptc-report: --csv over its input" --prog ptc-report --needle "--csv" \
    --needle "in.csv" -- --csv "$SCRATCH/in.csv" "$SCRATCH/in.csv"
if ! cmp -s "$REPORT_IN" "$SCRATCH/in.csv"; then
    fail "ptc-report --csv in.csv in.csv changed its input"
fi
expect_usage "ptc-report: two outputs to stdout" --prog ptc-report --needle "stdout" -- \
    --md - --findings - "$REPORT_IN"

# scripts/ptcbench: contradicting or empty options refused before anything is built or made
# (--bin last, so that a missed check fails on it rather than starting a sweep).
PTCBENCH="$(cd "$(dirname "$0")/.." && pwd)/scripts/ptcbench"
expect_usage "ptcbench --smoke --full" --prog "$PTCBENCH" --needle "--full and --smoke" -- \
    --smoke --full --out-dir @DIR@/r --bin /nonexistent/bin
expect_usage "ptcbench --full --repeat 2 --smoke" --prog "$PTCBENCH" --needle "--full and --smoke" -- \
    --full --repeat 2 --smoke --out-dir @DIR@/r --bin /nonexistent/bin
expect_usage "ptcbench --repeat twice" --prog "$PTCBENCH" --needle "--repeat" --needle "twice" -- \
    --repeat 2 --repeat 3 --out-dir @DIR@/r --bin /nonexistent/bin
expect_usage "ptcbench empty --out-dir" --prog "$PTCBENCH" --needle "--out-dir" --needle "empty" -- \
    --out-dir "" --bin /nonexistent/bin
expect_usage "ptcbench empty --bin" --prog "$PTCBENCH" --needle "--bin" --needle "empty" -- \
    --out-dir @DIR@/r --bin ""

if [ -e /nonexistent ]; then
    fail "/nonexistent was created"
fi

# Regression: a value given to an option that takes none must not be reported as "needs a value".
if true; then
    expect_usage "value given to a flag" --needle "--quiet" -- \
        --workload noop --quiet=1 --out @DIR@/out.csv
    if grep -q "needs a value" "$SCRATCH/case$N.stderr"; then
        fail "--quiet=1: the message says the flag needs a value: $(cat "$SCRATCH/case$N.stderr")"
    fi
fi

finish
