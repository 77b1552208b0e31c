#!/usr/bin/env bash
# Smoke test of --json: a tiny run of ptc-run writes a document that validates against
# docs/json-schema.json (tests/check_json.py), and ptc-report reads it back with the same
# aggregate as from the CSV of the same runs; bad --json paths are refused with exit 2, one line,
# and no file left.
. "$(dirname "$0")/smoke_lib.bash" "$@"
BIN=$(cd "$(dirname "$PROG")" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCHEMA="$ROOT/docs/json-schema.json"
python3 -c 'import jsonschema' 2>/dev/null || {
    echo "skip: python3-jsonschema is not installed" >&2
    exit 77
}

# valid WHAT FILE: the document is validated against the schema at the end, with the others (one
# python3 for all: it starts slowly on a busy machine)
DOCS=()
valid() {
    if [ -s "$2" ]; then
        DOCS+=("$2")
    else
        fail "$1: no document"
    fi
}

expect_bad() { # expect_bad NAME PROGRAM ARGS...: exit 2, one line on stderr, no file in the dir
    local name=$1 prog=$2
    shift 2
    local dir="$SCRATCH/bad-$name" left
    mkdir -p "$dir"
    (cd "$dir" && "$BIN/$prog" "$@" >stdout 2>stderr </dev/null)
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$prog $name: exit status $rc, expected 2"
    [ "$(wc -l <"$dir/stderr")" -eq 1 ] || fail "$prog $name: stderr is not one line: $(cat "$dir/stderr")"
    left=$(find "$dir" -mindepth 1 ! -name stdout ! -name stderr)
    [ -z "$left" ] || fail "$prog $name: files left: $left"
    pass "$prog $name"
}

# ptc-run: the runs and the summary of each configuration in one document.
runs="$SCRATCH/runs"
"$BIN/ptc-run" --workload cpu --model seq,threadpool --workers 2 --tasks 4 --task-ms 1 --repeat 3 \
    --warmup 0 --no-capacity --quiet --out "$runs.csv" --summary "$runs-summary.csv" \
    --json "$runs.json" || fail "ptc-run --json failed"
valid ptc-run "$runs.json"
python3 - "$runs.json" <<'PY' || fail "ptc-run's document does not hold 2 configurations of 3 runs with a summary"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["configurations"]
assert [x["configuration"]["model"] for x in c] == ["seq", "threadpool"], c
assert all(len(x["samples"]) == 3 and isinstance(x["samples"][0]["wall_ns"], int) for x in c)
assert all(x["summary"]["runs"] == 3 for x in c)
assert d["machine"]["cpus"] >= 1 and d["schema_version"] == 1
PY
# --json alone: the same document without any CSV
"$BIN/ptc-run" --workload cpu --model seq --workers 1 --tasks 2 --task-ms 1 --repeat 1 \
    --warmup 0 --no-capacity --quiet --json "$SCRATCH/alone.json" || fail "ptc-run --json alone failed"
valid "ptc-run --json alone" "$SCRATCH/alone.json"

# ptc-report reads the JSON as it reads the CSV: the same aggregate, the same Markdown.
"$BIN/ptc-report" --csv "$SCRATCH/from-csv.csv" --md "$SCRATCH/from-csv.md" "$runs.csv" ||
    fail "ptc-report of the CSV failed"
"$BIN/ptc-report" --csv "$SCRATCH/from-json.csv" --md "$SCRATCH/from-json.md" "$runs.json" ||
    fail "ptc-report of the JSON failed"
if cmp -s "$SCRATCH/from-csv.csv" "$SCRATCH/from-json.csv" &&
    cmp -s "$SCRATCH/from-csv.md" "$SCRATCH/from-json.md"; then
    pass "ptc-report: the same aggregate from the JSON as from the CSV"
else
    fail "ptc-report: the aggregate from the JSON differs: $(diff "$SCRATCH/from-csv.csv" "$SCRATCH/from-json.csv" | head -5)"
fi

# A broken or foreign document: exit 2, one line naming the file.
printf '{"schema_version": 1, "program": "ptc-run", "machine": {' >"$SCRATCH/cut.json"
printf '{"schema_version": 99}\n' >"$SCRATCH/newer.json"
for bad in cut newer; do
    "$BIN/ptc-report" --csv "$SCRATCH/agg-$bad.csv" "$SCRATCH/$bad.json" 2>"$SCRATCH/err" >/dev/null
    rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -q "$bad.json" "$SCRATCH/err" &&
        [ ! -e "$SCRATCH/agg-$bad.csv" ]; then
        pass "ptc-report refuses $bad.json: $(cat "$SCRATCH/err")"
    else
        fail "ptc-report on $bad.json: status $rc, $(cat "$SCRATCH/err")"
    fi
done

# ptc-report --json: the aggregate, a summary per configuration, the same figures as --csv.
"$BIN/ptc-report" --csv "$SCRATCH/agg.csv" --json "$SCRATCH/agg.json" "$runs.json" ||
    fail "ptc-report --json failed"
valid ptc-report "$SCRATCH/agg.json"
python3 - "$SCRATCH/agg.json" "$SCRATCH/agg.csv" <<'PY' || fail "ptc-report's document differs from its --csv"
import csv, json, sys
d = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
got = sorted((c["configuration"]["model"], c["summary"]["runs"], c["summary"]["wall_median_ns"])
             for c in d["configurations"])
want = sorted((r["model"], int(r["runs"]), float(r["wall_median_ns"])) for r in rows)
assert got == want, (got, want)
PY

# same_md WHAT CSV JSON: ptc-report's Markdown of the JSON is that of the CSV but for the file's
# name in its headings.
same_md() {
    local what=$1 csv=$2 json=$3
    "$BIN/ptc-report" --md "$SCRATCH/from-csv.md" "$csv" || fail "ptc-report of $csv"
    "$BIN/ptc-report" --md "$SCRATCH/from-json.md" "$json" || fail "ptc-report of $json"
    if diff <(sed "s|$csv|FILE|" "$SCRATCH/from-csv.md") <(sed "s|$json|FILE|" "$SCRATCH/from-json.md") \
        >/dev/null; then
        pass "ptc-report: the same $what table from the JSON as from the CSV"
    else
        fail "ptc-report: the $what table from the JSON differs"
    fi
}

# The microbenchmarks: one document per program, its rows as samples; ptc-report reads ptc-spawn's
# JSON as its CSV (the same Markdown but for the file's name).
micro() { # micro NAME PROGRAM ARGS...
    local name=$1 prog=$2
    shift 2
    "$BIN/$prog" "$@" --repeat 1 --quiet --json "$SCRATCH/$name.json" || fail "$prog --json failed"
    valid "$prog" "$SCRATCH/$name.json"
}
"$BIN/ptc-spawn" --n 5 --repeat 2 --quiet --out "$SCRATCH/spawn.csv" --json "$SCRATCH/spawn.json" ||
    fail "ptc-spawn --json failed"
valid ptc-spawn "$SCRATCH/spawn.json"
micro switch ptc-switch --n 20 --only pipe,futex
micro mem ptc-mem --n 1,10
micro skynet ptc-skynet --n 1000
micro lock ptc-lock --n 1000 --only balance,atomic
micro ipc ptc-ipc --n 8 --only pipe,condvar-queue
same_md microbenchmark "$SCRATCH/spawn.csv" "$SCRATCH/spawn.json"

# ptc-claims: claims.csv's rows; ptc-report reads the JSON as the CSV.
"$BIN/ptc-claims" --only 02,05 --time-scale 0.01 --quiet --out "$SCRATCH/claims" \
    --json "$SCRATCH/claims.json" || fail "ptc-claims --json failed"
valid ptc-claims "$SCRATCH/claims.json"
same_md claims "$SCRATCH/claims/claims.csv" "$SCRATCH/claims.json"

# Bad --json paths: a missing folder, the same file as --out, empty, '-' twice.
run_args=(--workload cpu --model seq --workers 1 --tasks 1 --task-ms 1 --repeat 1 --warmup 0
    --no-capacity --quiet)
expect_bad run-missing-dir ptc-run "${run_args[@]}" --json nosuch/r.json
expect_bad run-same-as-out ptc-run "${run_args[@]}" --out r.csv --json r.csv
expect_bad run-empty ptc-run "${run_args[@]}" --json ''
expect_bad run-stdout-twice ptc-run "${run_args[@]}" --out - --json -
expect_bad spawn-missing-dir ptc-spawn --n 1 --repeat 1 --json nosuch/s.json
expect_bad spawn-same-as-out ptc-spawn --n 1 --repeat 1 --out s.csv --json s.csv
expect_bad report-missing-dir ptc-report --json nosuch/a.json "$runs.csv"
expect_bad report-same-as-input ptc-report --json "$runs.json" "$runs.json"
expect_bad report-compare ptc-report --compare --json a.json "$runs.csv" "$runs.csv"
expect_bad claims-missing-dir ptc-claims --only 02 --time-scale 0.01 --out . --json nosuch/c.json

if python3 "$ROOT/tests/check_json.py" "$SCHEMA" "${DOCS[@]}" 2>"$SCRATCH/why"; then
    pass "${#DOCS[@]} documents valid against docs/json-schema.json"
else
    fail "$(cat "$SCRATCH/why")"
fi
[ "${#DOCS[@]}" -eq 10 ] || fail "${#DOCS[@]} documents validated, expected 10"

finish
