#!/usr/bin/env bash
# Smoke test of the Gantt chart: the command of issue 13 at tiny size (ptc-run --workload cpu
# --model seq,procpool --workers 4 --timeline) records the machine in its timeline CSV;
# ptc-report --chart gantt turns it into a table whose lanes, times, waits, "all done" times,
# labels and machine text match what this test computes from the CSV itself (python3); a
# synthetic timeline whose tasks start late on workers of their own waits for nothing, and one
# with gaps lists its waiting tasks as ranges; a broken timeline is refused with status 2 and
# no table; gnuplot draws one panel per model (or the model named) into a non-empty PNG.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT=$(dirname "$PROG")/ptc-report
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$REPORT" ] || { fail "$REPORT is missing"; finish; }
command -v python3 >/dev/null || { echo "skip: python3 is not installed"; exit 77; }
cd "$SCRATCH" || exit 1

# check TIMELINE TABLE: the table's columns recomputed from the timeline CSV, independently.
check() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
from collections import defaultdict
tl = list(csv.DictReader(open(sys.argv[1], newline="")))
tab = list(csv.DictReader(open(sys.argv[2], newline=""), delimiter="\t"))
errors = []
def err(m):
    errors.append(m)
key = lambda r: (r["claim"], r["workload"], r["model"], r["workers"], r["tasks"], r["rep"])
runs = defaultdict(list)
for r in tl:
    runs[key(r)].append(r)
group_end = defaultdict(float)
for k, rows in runs.items():
    g = (k[0], k[1], k[4])
    group_end[g] = max(group_end[g], max(int(r["end_ns"]) for r in rows))
def ranges(ts):
    out, i = [], 0
    while i < len(ts):
        j = i
        while j + 1 < len(ts) and ts[j + 1] == ts[j] + 1:
            j += 1
        out.append(f"{ts[i]}-{ts[j]}" if j > i else f"{ts[i]}")
        i = j + 1
    return ", ".join(out[:8]) + (", ..." if len(out) > 8 else "")
got = defaultdict(dict)
for r in tab:
    got[(r["claim"], r["workload"], r["model"], r["workers"], r["tasks"], r["rep"])][int(r["task"])] = r
if set(got) != set(runs):
    err(f"runs in the table {sorted(got)} are not the CSV's {sorted(runs)}")
for k, rows in runs.items():
    t = got.get(k, {})
    workers = sorted({int(r["worker"]) for r in rows})
    first = {}
    for r in sorted(rows, key=lambda r: (int(r["start_ns"]), int(r["task"]))):
        first.setdefault(int(r["worker"]), int(r["task"]))
    waited = sorted(int(r["task"]) for r in rows if first[int(r["worker"])] != int(r["task"]))
    end_ms = max(int(r["end_ns"]) for r in rows) / 1e6
    xmax = group_end[(k[0], k[1], k[4])] * 1.04 / 1e6
    tail = (f"task{'s' if len(waited) > 1 else ''} {ranges(waited)} wait{'' if len(waited) > 1 else 's'}"
            " for a free worker") if waited else "no task waits for a free worker"
    claim = f"claim {k[0]}, " if k[0] != "-" else ""
    title = f"{claim}{k[1]}: {k[2]}, W = {k[3]}, {k[4]} tasks, rep {k[5]}: all done at {end_ms:.1f} ms; {tail}"
    m = rows[0]
    machine = (f"host {m['host']}, {m['cpu_model']}, {m['cpus']} CPUs, kernel {m['kernel']}, "
               f"{m['compiler']}")
    for r in rows:
        n = int(r["task"])
        g = t.get(n)
        if g is None:
            err(f"{k} task {n} is missing from the table")
            continue
        s, e = int(r["start_ns"]) / 1e6, int(r["end_ns"]) / 1e6
        if g["title"] != title:
            err(f"{k}: title '{g['title']}', expected '{title}'")
        if g["machine"] != machine:
            err(f"{k}: machine '{g['machine']}', expected '{machine}'")
        if int(g["waited"]) != (n in waited):
            err(f"{k} task {n}: waited {g['waited']}")
        if int(g["lane"]) != workers.index(int(r["worker"])) or int(g["lanes"]) != len(workers):
            err(f"{k} task {n}: lane {g['lane']} of {g['lanes']}")
        if abs(float(g["start_ms"]) - s) > 1e-6 or abs(float(g["end_ms"]) - e) > 1e-6:
            err(f"{k} task {n}: {g['start_ms']}-{g['end_ms']} ms, expected {s}-{e}")
        if abs(float(g["xmax_ms"]) - xmax) > 1e-5:
            err(f"{k}: axis to {g['xmax_ms']} ms, expected {xmax}")
        # the longest candidate whose characters (+1) fit the bar, at 110 characters per axis
        cands = [f"task {n} ({s:.1f}-{e:.1f} ms)", f"task {n}", f"{n}"]
        fit = [c for c in cands if e - s >= (len(c) + 1) * xmax / 110]
        if g["label"] != (fit[0] if fit else ""):
            err(f"{k} task {n}: label '{g['label']}', expected '{fit[0] if fit else ''}'")
for e in errors[:20]:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

# --- the issue's command, tiny: 8 tasks of 1 ms
f0=$FAILURES
"$PROG" --workload cpu --model seq,procpool --workers 4 --tasks 8 --task-ms 1 --repeat 2 \
    --warmup 0 --quiet --timeline t.csv >/dev/null || fail "ptc-run --timeline failed"
host=$("$PROG" --machine | sed -n 's/^host: //p')
head -1 t.csv | grep -q ',start_ns,end_ns,host,cpu_model,cpus,kernel,compiler,git_rev$' ||
    fail "the timeline's header lacks the machine: $(head -1 t.csv)"
python3 -c 'import csv,sys; sys.exit(any(r["host"] != sys.argv[2] for r in csv.DictReader(open(sys.argv[1]))))' \
    t.csv "$host" || fail "the timeline's host is not $host"
[ "$FAILURES" -eq "$f0" ] && pass "the timeline CSV records the machine"
if ! "$REPORT" --chart gantt --csv g.tsv t.csv; then
    fail "ptc-report --chart gantt failed"
elif ! check t.csv g.tsv; then
    fail "the gantt table of seq,procpool does not match the CSV"
else
    pass "gantt table of seq,procpool: lanes, times, waits, all-done, labels, machine match the CSV"
fi

# --- late starts on workers of their own wait for nothing; waits with gaps are ranges
M=host,cpu_model,cpus,kernel,compiler,git_rev
{
    echo "claim,workload,model,workers,tasks,rep,task,worker,start_ns,end_ns,$M"
    for i in 0 1 2 3; do echo "-,sleep,fork,4,4,0,$i,$i,$((i * 5000000)),$((i * 5000000 + 20000000)),h,C,2,6.1,gcc,r"; done
    echo "-,sleep,procpool,2,6,0,0,0,0,1000000,h,C,2,6.1,gcc,r"
    echo "-,sleep,procpool,2,6,0,1,1,0,3000000,h,C,2,6.1,gcc,r"
    echo "-,sleep,procpool,2,6,0,2,0,1000000,2000000,h,C,2,6.1,gcc,r"
    echo "-,sleep,procpool,2,6,0,3,1,3000000,9000000,h,C,2,6.1,gcc,r"
    echo "-,sleep,procpool,2,6,0,4,0,2000000,5000000,h,C,2,6.1,gcc,r"
    echo "-,sleep,procpool,2,6,0,5,0,5000000,6000000,h,C,2,6.1,gcc,r"
} >late.csv
"$REPORT" --chart gantt --csv late.tsv late.csv || fail "ptc-report --chart gantt on late.csv failed"
f0=$FAILURES
check late.csv late.tsv || fail "synthetic timeline: the table does not match"
grep -q "fork, W = 4, 4 tasks, rep 0: all done at 35.0 ms; no task waits for a free worker" late.tsv ||
    fail "late starts on workers of their own were taken for waits"
grep -q "procpool, W = 2, 6 tasks, rep 0: all done at 9.0 ms; tasks 2-5 wait for a free worker" late.tsv ||
    fail "the pool's waits are not 'tasks 2-5'"
[ "$FAILURES" -eq "$f0" ] && pass "late starts without a wait, and waits as ranges"

# --- broken timelines: status 2, one line naming the file and line, no table left
sed '3s/,5000000,25000000,/,25000000,5000000,/' late.csv >back.csv
f0=$FAILURES
out=$("$REPORT" --chart gantt --csv back.tsv back.csv 2>&1)
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q 'back.csv:3: end_ns is before start_ns' <<<"$out" || [ -e back.tsv ]; then
    fail "an end before its start: status $rc, '$out'"
fi
head -1 late.csv >empty.csv
out=$("$REPORT" --chart gantt --csv empty.tsv empty.csv 2>&1)
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q 'no task of a timeline' <<<"$out" || [ -e empty.tsv ]; then
    fail "a timeline without tasks: status $rc, '$out'"
fi
[ "$FAILURES" -eq "$f0" ] && pass "broken timelines refused with status 2 and no table"

# --- the chart
if ! command -v gnuplot >/dev/null; then
    [ "$FAILURES" -eq 0 ] || finish
    echo "skip: gnuplot is not installed (scripts/test installs it)"
    exit 77
fi
f0=$FAILURES
if ! gnuplot -c "$ROOT/plots/gantt.gp" in=g.tsv out=g || [ ! -s g.png ] || [ ! -s g.svg ]; then
    fail "gantt.gp drew no PNG or SVG"
elif ! grep -q 'seq, W = 1' g.svg || ! grep -q 'procpool, W = 4' g.svg || ! grep -q "host $host" g.svg; then
    fail "the chart lacks a panel per model or the machine"
fi
if ! gnuplot -c "$ROOT/plots/gantt.gp" in=g.tsv out=p model=procpool || [ ! -s p.png ] ||
    ! grep -q 'model procpool only' p.svg || grep -q 'seq, W = 1' p.svg; then
    fail "model=procpool did not draw procpool alone, saying so"
fi
if gnuplot -c "$ROOT/plots/gantt.gp" in=g.tsv out=n model=nosuch 2>/dev/null; then
    fail "model=nosuch drew a chart"
fi
[ "$FAILURES" -eq "$f0" ] && pass "gantt.gp: a panel per model, the model named alone, the machine in the title"
finish
