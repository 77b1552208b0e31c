#!/usr/bin/env bash
# The main job end to end on its smallest plan (scripts/ptcbench --smoke, with the programs beside
# the given ptc-run): interrupted by SIGINT after a few steps, it keeps its .partial folder and
# leaves no process behind; --resume skips the steps done and finishes; the report embeds all
# eight charts (PNG 1200x800, and SVG), and every number in its findings is what the CSVs say
# (tests/check_findings.py recomputes them). Bad usage: one line, exit 2.
. "$(dirname "$0")/smoke_lib.bash" "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(dirname "$PROG")
MAIN="$ROOT/scripts/ptcbench"
for p in gnuplot hyperfine python3 pgrep; do
    command -v $p >/dev/null || { echo "skip: $p is not installed (scripts/test installs it)"; exit 77; }
done

usage_bad() { # usage_bad NEEDLE ARGS...
    local needle=$1
    shift
    "$MAIN" --bin "$BIN" "$@" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$needle" "$SCRATCH/err" ||
        fail "ptcbench $*: status $rc, $(cat "$SCRATCH/err")"
}
usage_bad "--repeat: '-1'" --repeat -1
usage_bad "unknown argument '--fast'" --fast
usage_bad "--resume: no folder" --resume "$SCRATCH/nothing"
mkdir "$SCRATCH/exists"
usage_bad "exists already" --out-dir "$SCRATCH/exists"
usage_bad "cannot write into" --out-dir /proc/ptcbench/x
mkdir -p "$SCRATCH/done" && echo "smoke 1" >"$SCRATCH/done/.ptcbench-plan" && touch "$SCRATCH/done/report.md"
usage_bad "is complete" --resume "$SCRATCH/done"
usage_bad "cannot change it" --resume "$SCRATCH/done" --full
mkdir -p "$SCRATCH/damaged.partial" && : >"$SCRATCH/damaged.partial/.ptcbench-plan"
usage_bad "is damaged" --resume "$SCRATCH/damaged"
pass "bad usage"

out="$SCRATCH/run"
set -m # job control: the background job gets a process group of its own, as under a terminal
"$MAIN" --smoke --bin "$BIN" --out-dir "$out" >"$SCRATCH/log1" 2>&1 &
pid=$!
set +m
deadline=$((SECONDS + $(scaled 120 | cut -d. -f1)))
while [ "$(wc -l 2>/dev/null <"$out.partial/.steps-done" || echo 0)" -lt 3 ] && [ $SECONDS -lt $deadline ] &&
    kill -0 $pid 2>/dev/null; do
    sleep 0.1
done
# Ctrl-C as a terminal sends it: to the whole process group. Sent again every half second
# until the sweep ends, as a user would press it again; the first one normally suffices.
sent=0
while kill -0 $pid 2>/dev/null && [ $sent -lt 20 ]; do
    kill -INT -- -$pid 2>/dev/null && sent=$((sent + 1))
    sleep 0.5
done
wait $pid
rc=$?
[ $sent -le 2 ] || fail "ptcbench needed $sent SIGINTs to stop"
[ "$rc" -eq 130 ] || fail "an interrupted ptcbench exited $rc, not 130 (SIGINT)"
grep -q "stopped by SIGINT.*--resume" "$SCRATCH/log1" || fail "no 'stopped ... --resume' line: $(tail -2 "$SCRATCH/log1")"
[ -d "$out.partial" ] && [ ! -e "$out" ] || fail "after SIGINT: no $out.partial, or $out exists"
sleep 0.2
pgrep -g $pid >/dev/null && fail "processes of the interrupted ptcbench are left: $(pgrep -g $pid -a)"
[ -z "$(compgen -G "$out.partial/.*.partial")$(compgen -G "$out.partial/*.tmp.*")$(compgen -G "$out.partial/.hyperfine-sweep.*")" ] ||
    fail "a temporary file is left in the folder: $(ls -a "$out.partial" | grep -E 'partial|tmp|hyperfine-sweep')"
done_before=$(wc -l <"$out.partial/.steps-done")
pass "SIGINT after $done_before steps: folder kept as .partial, nothing left running"

"$MAIN" --resume "$out" >"$SCRATCH/log2" 2>&1 || fail "--resume failed: $(tail -3 "$SCRATCH/log2")"
grep -q "building" "$SCRATCH/log2" && fail "--resume built instead of using the programs the sweep started with"
skipped=$(grep -c "done in an earlier call, skipped" "$SCRATCH/log2")
[ "$skipped" -eq "$done_before" ] || fail "--resume skipped $skipped steps, $done_before were done"
[ -f "$out/report.md" ] && [ ! -e "$out.partial" ] || fail "--resume did not finish the folder"
pass "--resume skipped the $skipped steps done and finished"

report="$out/report.md"
[ "$(grep -c '^### [1-8]\. ' "$report")" -eq 8 ] || fail "the report has not 8 chart sections"
n=0
for png in $(sed -n 's/^!\[[^]]*\](\(.*\.png\))$/\1/p' "$report"); do
    n=$((n + 1))
    python3 - "$out/$png" <<'PY' || fail "$png is not a 1200x800 PNG"
import struct, sys
b = open(sys.argv[1], "rb").read(24)
sys.exit(not (b[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", b[16:24]) == (1200, 800)))
PY
    [ -s "$out/${png%.png}.svg" ] || fail "no SVG beside $png"
done
[ "$n" -eq 12 ] || fail "the report embeds $n PNGs, expected the 12 of the eight charts"
pass "report.md embeds $n charts (PNG 1200x800 and SVG)"

python3 "$ROOT/tests/check_findings.py" "$out" >"$SCRATCH/check" 2>&1 ||
    fail "findings differ from the CSVs: $(cat "$SCRATCH/check")"
pass "findings match the CSVs: $(tail -1 "$SCRATCH/check")"
finish
