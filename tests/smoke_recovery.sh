#!/usr/bin/env bash
# What scripts/ptcbench leaves when a write fails, and what --resume finds, without a sweep:
# report.md is whole or absent (a full disk, here /dev/full, leaves no .report.md.partial and
# names ENOSPC); ptc_steps_check keeps in .steps-done only the plan's steps whose files are whole
# and names each step it drops with its file and why (missing, empty, truncated, no row).
# tests/smoke_ptcbench.sh does the same on a real sweep.
# shellcheck disable=SC2034,SC2154 # PLAN, AGG_CMDS, CHART_CMDS are read by the sourced scripts
. "$(dirname "$0")/smoke_lib.bash" "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$(dirname "$PROG")" && pwd)
PTC_ROOT=$ROOT
PROG=ptcbench
# shellcheck source=scripts/lib/steps.bash
. "$ROOT/scripts/lib/steps.bash"
# shellcheck source=scripts/lib/charts.bash
. "$ROOT/scripts/lib/charts.bash"
# shellcheck source=scripts/lib/report.bash
. "$ROOT/scripts/lib/report.bash"

# --- report.md on a full disk.
W="$SCRATCH/w"
mkdir "$W"
echo "- a finding" >"$W/findings.md"
echo "## a table" >"$W/aggregate.md"
echo "whole process against in process" >"$W/hyperfine-summary.md"
echo "its table" >"$W/noop-summary.txt"
PLAN=("noop|1|ptc-run|--workload noop")
AGG_CMDS[findings]="ptc-report ..."
for entry in "${PTC_CHARTS[@]}"; do
    IFS='|' read -r _ _ _ charts _ <<<"$entry"
    for c in $charts; do CHART_CMDS[$c]="gnuplot -c plots/$c.gp"; done
done
ptc_write_report "$W" smoke 2 2>"$SCRATCH/err" || fail "report.md not written: $(cat "$SCRATCH/err")"
grep -qF -- "- a finding" "$W/report.md" || fail "report.md lacks the findings"
rm "$W/report.md"
ln -s /dev/full "$W/.report.md.partial"
ptc_write_report "$W" smoke 2 2>"$SCRATCH/err" && fail "report.md onto a full disk ended well"
[ ! -e "$W/report.md" ] && [ ! -L "$W/.report.md.partial" ] || fail "a full disk left report.md or .report.md.partial"
[ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF "cannot write $W/report.md: No space left on device" "$SCRATCH/err" ||
    fail "not one line naming report.md and ENOSPC: $(cat "$SCRATCH/err")"
pass "report.md on a full disk: one line naming ENOSPC, nothing left"

# --- the steps done, checked.
S="$SCRATCH/s"
mkdir "$S"
csv() { printf 'a,b\n1,2\n' >"$S/$1"; }
csv noop.csv && csv noop-summary.csv && echo t >"$S/noop-summary.txt"
printf 'a,b\n1,2' >"$S/sleep.csv" && csv sleep-summary.csv && echo t >"$S/sleep-summary.txt"
csv cpu-summary.csv && echo t >"$S/cpu-summary.txt"
printf 'a,b\n' >"$S/spawn.csv" && echo t >"$S/spawn-summary.txt"
csv mem.csv && : >"$S/mem-summary.txt"
csv claims.csv && csv claims-timeline.csv && echo t >"$S/claims.md" && echo t >"$S/claims-summary.txt"
printf '%s\n' noop sleep cpu spawn mem claims 'x; rm -rf /' >"$S/.steps-done"
ptc_steps_check "$S" "noop|1|ptc-run|" "sleep|1|ptc-run|" "cpu|1|ptc-run|" "spawn|1|ptc-spawn|" \
    "mem|1|ptc-mem|" "claims|1|ptc-claims|" 2>"$SCRATCH/err"
[ "$(tr '\n' ' ' <"$S/.steps-done")" = "noop claims " ] ||
    fail "steps kept: $(tr '\n' ' ' <"$S/.steps-done"), expected noop claims"
for why in "step 'sleep' runs again: sleep.csv is truncated" "step 'cpu' runs again: cpu.csv is missing" \
    "step 'spawn' runs again: spawn.csv has no row" "step 'mem' runs again: mem-summary.txt is empty"; do
    grep -qF "$why" "$SCRATCH/err" || fail "no \"$why\": $(cat "$SCRATCH/err")"
done
pass "steps with a truncated, missing, row-less or empty file are named and run again; unknown names dropped"
finish
