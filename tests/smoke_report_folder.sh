#!/usr/bin/env bash
# Smoke test of ptc-report over a folder shaped like a results folder: ptc-run's runs, --summary
# and --timeline, a microbenchmark's CSV, claims.csv and the Python tutorials' raw verdicts, a
# hyperfine export beside its in-process runs, and ptc-report's own outputs (the aggregate, a
# chart's .tsv, a --compare CSV, --hyperfine-pairs). Given the folder, or its *.csv as the
# README's command does, it reads the kinds it reads, skips every other with one line naming it
# and what it is, and aggregates the same as from the inputs alone; an unknown CSV or a broken
# file in the folder is status 2, one line naming the file, line and column, and no output.
. "$(dirname "$0")/smoke_lib.bash" "$@"
BIN=$(dirname "$PROG")
REPORT=$BIN/ptc-report
DATA=$(cd "$(dirname "$0")/data" && pwd)
if [ ! -x "$REPORT" ] || [ ! -x "$BIN/ptc-switch" ]; then
    fail "ptc-report or ptc-switch is missing"
    finish
fi

# The folder, from the built programs at tiny sizes.
R=$SCRATCH/results/run
mkdir -p "$R"
ln -s run "$SCRATCH/results/latest"
tiny=(--workers 2 --repeat 2 --warmup 0 --quiet --no-capacity)
"$PROG" --workload sleep --model seq,thread --tasks 2 --task-ms 1 "${tiny[@]}" --out "$R/sleep.csv" \
    --summary "$R/sleep-summary.csv" --timeline "$R/sleep-timeline.csv" || fail "ptc-run (sleep) failed"
"$PROG" --workload noop --model seq,threadpool --tasks 4 "${tiny[@]}" --out "$R/hyperfine-inproc.csv" ||
    fail "ptc-run (noop) failed"
"$BIN/ptc-switch" --n 8 --repeat 1 --only pipe --quiet --out "$R/switch.csv" || fail "ptc-switch failed"
cp "$DATA/claims-small.csv" "$R/claims.csv"
printf 'id,expected,measured,verdict,reason,expected_value,measured_value,unit\n01,x,y,reproduced,,1,1,ms\n' \
    >"$R/claims-python.csv"
{
    echo 'command,mean,stddev,median,user,system,min,max,parameter_model'
    for m in seq threadpool; do
        echo "ptc-run --workload noop --tasks 4 --workers 2 --model $m --quiet,0.002,0.0001,0.002,0,0,0.0019,0.0021,$m"
    done
} >"$R/hyperfine.csv"
# in name order, as the folder's files are read
inputs=("$R/claims.csv" "$R/hyperfine-inproc.csv" "$R/hyperfine.csv" "$R/sleep.csv" "$R/switch.csv")
"$REPORT" --csv "$R/aggregate.csv" --md "$R/aggregate.md" --findings "$R/findings.md" "${inputs[@]}" &&
    "$REPORT" --chart speedup --csv "$R/sleep-speedup.tsv" "$R/sleep.csv" &&
    "$REPORT" --hyperfine-pairs "$R/hyperfine-compare.csv" "$R/hyperfine.csv" "$R/hyperfine-inproc.csv" &&
    "$REPORT" --compare --csv "$R/compare.csv" "$R/sleep.csv" "$R/sleep.csv" >/dev/null ||
    fail "ptc-report's own outputs could not be made from the inputs: set-up"

# skipped ERR NAME...: ERR holds one "skipped" line per NAME (FILE=WHAT), and no other line.
skipped() {
    local err=$1 entry
    shift
    for entry in "$@"; do
        grep -qxF "ptc-report: $R/${entry%%=*}: skipped: ${entry#*=}" "$err" ||
            fail "no line skipping ${entry%%=*} as ${entry#*=}: $(cat "$err")"
    done
    [ "$(wc -l <"$err")" -eq $# ] || fail "stderr has other lines than the $# skipped: $(cat "$err")"
}
own=("aggregate.csv=ptc-report's aggregate (--csv)" "compare.csv=ptc-report's --compare CSV"
    "hyperfine-compare.csv=ptc-report's --hyperfine-pairs CSV"
    "claims-python.csv=the Python tutorials' verdicts (claims.csv holds them)"
    "sleep-summary.csv=ptc-run's --summary" "sleep-timeline.csv=a --timeline CSV")

# The README's command, from where results/latest is, on the folder as it is.
(cd "$SCRATCH" && "$REPORT" --csv agg.csv --md agg.md --findings findings.md results/latest/*.csv) \
    2>"$SCRATCH/err" || fail "the README's command failed: $(cat "$SCRATCH/err")"
# the paths as given: results/latest/ is $R/
sed -i "s|results/latest/|$R/|" "$SCRATCH/err" "$SCRATCH/findings.md"
skipped "$SCRATCH/err" "${own[@]}"
cmp -s "$SCRATCH/agg.csv" "$R/aggregate.csv" || fail "the folder's aggregate differs from its inputs'"
cmp -s "$SCRATCH/findings.md" "$R/findings.md" || fail "the folder's findings differ from its inputs'"
grep -q 'Whole process (hyperfine median)' "$SCRATCH/findings.md" ||
    fail "hyperfine's export was not paired with its in-process runs"
pass "the README's command on a results folder: its own outputs and summaries skipped, one line each"

# The folder itself as the argument, and a chart's .tsv named: the same.
"$REPORT" --csv "$SCRATCH/dir.csv" "$R" "$R/sleep-speedup.tsv" 2>"$SCRATCH/err" ||
    fail "ptc-report FOLDER failed: $(cat "$SCRATCH/err")"
skipped "$SCRATCH/err" "${own[@]}" "sleep-speedup.tsv=a chart's table (tab-separated, ptc-report --chart)"
cmp -s "$SCRATCH/dir.csv" "$R/aggregate.csv" || fail "ptc-report FOLDER: the aggregate differs"
pass "a folder as the input: its *.csv read, a chart's table skipped"

# --compare recognises the kinds by the same registry.
"$REPORT" --compare --md /dev/null "$R" "$R" 2>"$SCRATCH/err" || fail "--compare of the folder failed: $(cat "$SCRATCH/err")"
grep -qF "$R/switch.csv: skipped: not a ptc-run run CSV (a microbenchmark's CSV)" "$SCRATCH/err" ||
    fail "--compare does not name the micro CSV's kind: $(cat "$SCRATCH/err")"
pass "--compare skips by the same kinds"

# refused NEEDLE: ptc-report on a copy of the folder ($B) exits 2, its last line naming NEEDLE,
# writing nothing.
refused() {
    "$REPORT" --csv "$SCRATCH/x.csv" --md "$SCRATCH/x.md" "$B" 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && tail -n 1 "$SCRATCH/err" | grep -qF -- "$1" &&
        [ "$(grep -vc ': skipped: ' "$SCRATCH/err")" -eq 1 ] || fail "status $rc, not 2 naming '$1': $(cat "$SCRATCH/err")"
    [ ! -e "$SCRATCH/x.csv" ] && [ ! -e "$SCRATCH/x.md" ] || fail "an output was written beside '$1'"
}
B=$SCRATCH/bad
cp -r "$R" "$B"
printf 'when,what\n1,2\n' >"$B/notes.csv"
refused "$B/notes.csv:1: column 1 ('when'): not a CSV ptc-report knows"
rm "$B/notes.csv"
head -c "$(($(wc -c <"$R/sleep.csv") - 3))" "$R/sleep.csv" >"$B/sleep.csv"
refused "$B/sleep.csv:$(wc -l <"$R/sleep.csv"): column"
head -c 30 "$R/sleep.csv" >"$B/sleep.csv"
refused "$B/sleep.csv:1: column"
: >"$B/sleep.csv"
refused "$B/sleep.csv:1: column 1: empty"
pass "an unknown, cut off or empty CSV in a folder: status 2, file, line and column, no output"
finish
