#!/usr/bin/env bash
# Smoke tests of the microbenchmarks (ptc-spawn, ptc-switch, ptc-mem, ptc-skynet, ptc-lock,
# ptc-ipc), given the path of one of them (the others sit beside it): bad input exits 2 with one
# line and no file; a tiny run of each writes a CSV whose rows carry the machine and a value per
# metric; the programs with two sides to place write one row per --placement, with the CPUs each
# side was seen on.
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
for prog in ptc-spawn ptc-switch ptc-ipc; do
    expect_bad unknown-placement "$prog" --placement nowhere
    expect_bad empty-placement "$prog" --placement same-cpu,
    expect_bad mixed-placement "$prog" --placement same-cpu,elsewhere
done
expect_bad placement-without-sides ptc-mem --placement same-cpu

# Tiny runs: every row has the machine, a metric, a unit and a number (or a note saying why not).
check_csv() { # check_csv FILE MIN_ROWS
    local file=$1 min=$2
    [ -f "$file" ] || { fail "$file was not written"; return; }
    local rows
    rows=$(($(wc -l <"$file") - 1))
    [ "$rows" -ge "$min" ] || fail "$(basename "$file"): $rows rows, expected at least $min"
    head -n 1 "$file" | grep -q '^started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,benchmark,mechanism,variant,n,metric,unit,value' ||
        fail "$(basename "$file"): header is $(head -n 1 "$file")"
    awk -F, 'NR > 1 && $15 == "" && !/skipped: / { bad = 1 } END { exit bad }' "$file" ||
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
# The M:N tree over 3 threads, sizes below and at the two levels it deals out: the sums right.
"$BIN/ptc-skynet" --n 1,10,100,10000 --repeat 2 --quiet --only skynet-mn --mn-threads 3 \
    --out "$out/skynet-mn.csv" || fail "ptc-skynet --only skynet-mn run"
for sum in 'sum 0 ok, 3 threads' 'sum 45 ok, 3 threads' 'sum 4950 ok, 3 threads' 'sum 49995000 ok, 3 threads'; do
    grep -q "skynet-mn,.*$sum" "$out/skynet-mn.csv" || fail "skynet-mn: no row with '$sum': $(cat "$out/skynet-mn.csv")"
done
grep -q '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,skynet,' "$out/skynet-mn.csv" &&
    fail "skynet-mn: --only skynet-mn ran the one-thread tree too"
expect_bad mn-threads-zero ptc-skynet --mn-threads 0

# check_placement FILE PLACEMENTS MECHANISMS: the rows of MECHANISMS (comma-separated) come once
# per placement in PLACEMENTS for each variant, size and metric, with that placement in the
# `placement` column and "S0/S1" per sample in `cpus_seen` (the CPUs each side noted: one and the
# same on same-cpu, one each and different on cross-cpu; "-" where a side does not note); other
# rows have no placement. A cross-cpu row may only be missing its value when its note says it
# was skipped (a machine with one usable CPU).
check_placement() {
    python3 - "$@" <<'PY' || fail "$(basename "$1"): placement columns (see above)"
import csv, re, sys
path, want, mechs = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
rows = list(csv.DictReader(open(path)))
bad = []
seen = {}
if list(rows[0].keys())[-2:] != ["placement", "cpus_seen"]:
    bad.append("the last columns are not placement, cpus_seen")
for r in rows:
    key = (r["mechanism"], r["variant"], r["n"], r["metric"])
    p, cpus = r["placement"], r["cpus_seen"]
    if r["mechanism"] not in mechs:
        if p or cpus:
            bad.append(f"{key}: placement '{p}' on a row with nothing to place")
        continue
    if p not in want:
        bad.append(f"{key}: placement '{p}', expected one of {want}")
        continue
    seen.setdefault(key, []).append(p)
    if r["note"].startswith("skipped:"):
        if p != "cross-cpu" or r["value"]:
            bad.append(f"{key}: skipped {p} row with value '{r['value']}'")
        continue
    if not r["value"] or r["note"]:
        bad.append(f"{key} {p}: value '{r['value']}', note '{r['note']}'")
    samples = cpus.split(" ")
    if len(samples) != int(r["samples"]):
        bad.append(f"{key} {p}: cpus_seen '{cpus}' is not one entry per sample")
    for s in samples:
        m = re.fullmatch(r"([0-9,]+|-)/([0-9,]+|-)", s)
        if not m:
            bad.append(f"{key} {p}: cpus_seen entry '{s}'")
            continue
        a, b = m.group(1), m.group(2)
        if p == "same-cpu" and not ("," not in a and b in (a, "-")):
            bad.append(f"{key} same-cpu: sides seen on {s}")
        if p == "cross-cpu" and not ("," not in a and "," not in b and a != b):
            if b != "-":
                bad.append(f"{key} cross-cpu: sides seen on {s}")
for key, ps in seen.items():
    if sorted(ps) != sorted(want):
        bad.append(f"{key}: placements {ps}, expected {want}")
if not seen:
    bad.append(f"no rows of {mechs}")
for b in bad:
    print("   ", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
check_placement "$out/switch.csv" same-cpu,cross-cpu processes,threads
check_placement "$out/spawn.csv" same-cpu,cross-cpu fork+wait,pthread_create+join
"$BIN/ptc-switch" --n 20 --repeat 3 --only pipe,futex,coro-fcontext --placement unpinned,same-cpu \
    --quiet --out "$out/switch-unpinned.csv" || fail "ptc-switch --placement unpinned,same-cpu"
check_placement "$out/switch-unpinned.csv" unpinned,same-cpu processes,threads
# one process and one thread channel: a cross-cpu round trip costs 1 ms on a busy machine
"$BIN/ptc-ipc" --n 8 --repeat 1 --only pipe,condvar-queue,coro-channel \
    --placement same-cpu,cross-cpu,unpinned --quiet --out "$out/ipc.csv" || fail "ptc-ipc tiny run"
check_csv "$out/ipc.csv" 21
check_placement "$out/ipc.csv" same-cpu,cross-cpu,unpinned processes,threads
if command -v taskset >/dev/null; then # one usable CPU: cross-cpu is skipped, not failed
    taskset -c 0 "$BIN/ptc-switch" --n 20 --repeat 1 --only futex --quiet --out "$out/one-cpu.csv" ||
        fail "ptc-switch on one CPU: exit status $?"
    check_placement "$out/one-cpu.csv" same-cpu,cross-cpu threads
    grep -q ',skipped: cross-cpu needs two CPUs[^,]*,cross-cpu,$' "$out/one-cpu.csv" ||
        fail "ptc-switch on one CPU: no skipped cross-cpu row: $(cat "$out/one-cpu.csv")"
fi
pass "placement rows of ptc-switch, ptc-spawn and ptc-ipc"
ls "$out" | grep -q '\.tmp\.' && fail "temporary files left in $out"
pass "tiny runs of every microbenchmark"
finish
