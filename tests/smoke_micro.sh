#!/usr/bin/env bash
# Smoke tests of the microbenchmarks (ptc-spawn, ptc-switch, ptc-mem, ptc-skynet), given the
# path of one of them (the others sit beside it): bad input exits 2 with one line and no file;
# a tiny run of each writes a CSV whose rows carry the machine and a value per metric.
. "$(dirname "$0")/smoke_lib.bash" "$@"
BIN=$(dirname "$PROG")

expect_bad() { # expect_bad NAME PROGRAM ARGS... : exit 2, one line on stderr, no out.csv
    local name=$1 prog=$2
    shift 2
    local dir="$SCRATCH/bad-$name"
    mkdir -p "$dir"
    "$BIN/$prog" "$@" --out "$dir/out.csv" >"$dir/stdout" 2>"$dir/stderr" </dev/null
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$prog $name: exit status $rc, expected 2"
    [ "$(wc -l <"$dir/stderr")" -eq 1 ] || fail "$prog $name: stderr is not one line: $(cat "$dir/stderr")"
    [ -z "$(ls -A "$dir" | grep -v -e '^stdout$' -e '^stderr$')" ] ||
        fail "$prog $name: files left: $(ls -A "$dir" | tr '\n' ' ')"
    pass "$prog $name"
}

for prog in ptc-spawn ptc-switch ptc-mem ptc-skynet ptc-lock ptc-ipc; do
    [ -x "$BIN/$prog" ] || { fail "$BIN/$prog is missing"; continue; }
    "$BIN/$prog" --help >/dev/null || fail "$prog --help"
    expect_bad negative-n "$prog" --n -3
    expect_bad zero-repeat "$prog" --repeat 0
    expect_bad unknown-only "$prog" --only nosuch
    expect_bad unknown-option "$prog" --bogus
    expect_bad bad-stack "$prog" --stack-kib 1
    expect_bad bad-poller "$prog" --poller kqueue
done
dir="$SCRATCH/nodir"
"$BIN/ptc-spawn" --out /nonexistent/dir/x.csv >/dev/null 2>"$SCRATCH/nodir.err"
[ $? -eq 2 ] || fail "ptc-spawn --out /nonexistent/dir/x.csv: exit status is not 2"
expect_bad not-power-of-10 ptc-skynet --n 50

# Tiny runs: every row has the machine, a metric, a unit and a number (or a note saying why not).
check_csv() { # check_csv FILE MIN_ROWS
    local file=$1 min=$2
    [ -f "$file" ] || { fail "$file was not written"; return; }
    local rows
    rows=$(($(wc -l <"$file") - 1))
    [ "$rows" -ge "$min" ] || fail "$(basename "$file"): $rows rows, expected at least $min"
    head -n 1 "$file" | grep -q '^started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,benchmark,mechanism,variant,n,metric,unit,value' ||
        fail "$(basename "$file"): header is $(head -n 1 "$file")"
    awk -F, 'NR > 1 && $15 == "" { bad = 1 } END { exit bad }' "$file" ||
        fail "$(basename "$file"): a row without a value"
}
out="$SCRATCH/tiny"
mkdir "$out"
"$BIN/ptc-spawn" --n 5 --repeat 2 --quiet --out "$out/spawn.csv" || fail "ptc-spawn tiny run"
check_csv "$out/spawn.csv" 9
"$BIN/ptc-switch" --n 20 --repeat 2 --quiet --out "$out/switch.csv" || fail "ptc-switch tiny run"
check_csv "$out/switch.csv" 10
"$BIN/ptc-mem" --n 1,10 --repeat 1 --quiet --out "$out/mem.csv" || fail "ptc-mem tiny run"
check_csv "$out/mem.csv" 8
"$BIN/ptc-skynet" --n 1000 --repeat 2 --quiet --out "$out/skynet.csv" || fail "ptc-skynet tiny run"
check_csv "$out/skynet.csv" 2
grep -q 'sum 499500 ok' "$out/skynet.csv" || fail "skynet: the sum of 0..999 is not reported as 499500"
ls "$out" | grep -q '\.tmp\.' && fail "temporary files left in $out"
pass "tiny runs of every microbenchmark"
finish
