#!/usr/bin/env bash
# The main job end to end on its smallest plan (scripts/ptcbench --smoke, with the programs beside
# the given ptc-run): interrupted by SIGINT after a few steps, it keeps its .partial folder and
# leaves no process behind; --resume skips the steps done and finishes; the report embeds all
# nine charts (PNG 1200x800, and SVG), and every number in its findings is what the CSVs say
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
# A plan file that names programs (as ptcbench wrote it before): refused, nothing of it runs.
mkdir -p "$SCRATCH/evil" "$SCRATCH/planbin.partial"
for p in ptc-run ptc-report ptc-claims; do printf '#!/bin/sh\ntouch "%s"\n' "$SCRATCH/PWNED" >"$SCRATCH/evil/$p"; done
chmod +x "$SCRATCH"/evil/*
printf 'smoke 2\n%s\n' "$SCRATCH/evil" >"$SCRATCH/planbin.partial/.ptcbench-plan"
usage_bad "names more than its plan ('$SCRATCH/evil')" --resume "$SCRATCH/planbin"
"$MAIN" --resume "$SCRATCH/planbin" >/dev/null 2>&1
[ ! -e "$SCRATCH/PWNED" ] || fail "--resume ran a program the folder's plan file names"
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

"$MAIN" --resume "$out" --bin "$BIN" >"$SCRATCH/log2" 2>&1 || fail "--resume failed: $(tail -3 "$SCRATCH/log2")"
grep -q "building" "$SCRATCH/log2" && fail "--resume --bin built instead of using the programs of --bin"
skipped=$(grep -c "done in an earlier call, skipped" "$SCRATCH/log2")
[ "$skipped" -eq "$done_before" ] || fail "--resume skipped $skipped steps, $done_before were done"
[ -f "$out/report.md" ] && [ ! -e "$out.partial" ] || fail "--resume did not finish the folder"
pass "--resume skipped the $skipped steps done and finished"

report="$out/report.md"
[ "$(grep -c '^### [1-9]\. ' "$report")" -eq 9 ] || fail "the report has not 9 chart sections"
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
[ "$n" -eq 13 ] || fail "the report embeds $n PNGs, expected the 13 of the nine charts"
pass "report.md embeds $n charts (PNG 1200x800 and SVG)"

python3 "$ROOT/tests/check_findings.py" "$out" >"$SCRATCH/check" 2>&1 ||
    fail "findings differ from the CSVs: $(cat "$SCRATCH/check")"
pass "findings match the CSVs: $(tail -1 "$SCRATCH/check")"

# --- The reproduce lines write into a new folder beside this one: every block starts by making
# it, and the findings' block, run as shown, leaves this folder as it was and writes the same
# findings there.
blocks=$(grep -c '^Reproduce' "$report")
made=$(grep -A2 '^Reproduce' "$report" | grep -cxF "    d=\$(mktemp -d ../$(basename "$out")-repro.XXXXXX) && cd \"\$d\"")
[ "$blocks" -eq 10 ] && [ "$made" -eq "$blocks" ] ||
    fail "$made of $blocks reproduce blocks start in a new folder: $(grep -A2 '^Reproduce' "$report")"
before=$(cd "$out" && find . -type f -exec md5sum {} + | sort)
sed -n "/^Reproduce from this folder's CSVs/,/^## /{s/^    //p}" "$report" >"$SCRATCH/repro.sh"
echo 'pwd' >>"$SCRATCH/repro.sh" # the folder the lines went into
(cd "$out" && bash -e "$SCRATCH/repro.sh") >"$SCRATCH/repro.log" 2>&1 ||
    fail "the findings' reproduce lines failed: $(cat "$SCRATCH/repro.sh" "$SCRATCH/repro.log")"
repro=$(tail -1 "$SCRATCH/repro.log")
[ "$before" = "$(cd "$out" && find . -type f -exec md5sum {} + | sort)" ] ||
    fail "the findings' reproduce lines changed the results folder"
[ "$(dirname "$repro")" = "$(dirname "$out")" ] && cmp -s "$repro/findings.md" "$out/findings.md" ||
    fail "the findings' reproduce lines did not write the same findings beside it, in '$repro'"
case $repro in "$out"-repro.??????) rm -rf -- "$repro" ;; esac
pass "the reproduce lines write into a new folder; the findings' leave this one as it was"

# --- Recovery: a finished step whose CSV was cut short or lost runs again, named; the others not.
again="$SCRATCH/again"
cp -r "$out" "$again.partial"
rm -f "$again.partial"/report.md "$again.partial"/*.png "$again.partial"/*.svg
head -c 300 "$out/noop.csv" >"$again.partial/noop.csv"
rm "$again.partial/skynet.csv"
: >"$again.partial/lock-summary.txt"
"$MAIN" --resume "$again" --bin "$BIN" >"$SCRATCH/log3" 2>&1 || fail "--resume of damaged steps failed: $(tail -3 "$SCRATCH/log3")"
for why in "step 'noop' runs again: noop.csv is truncated" "step 'skynet' runs again: skynet.csv is missing" \
    "step 'lock' runs again: lock-summary.txt is empty"; do
    grep -qF "$why" "$SCRATCH/log3" || fail "--resume did not say \"$why\": $(grep -F 'runs again' "$SCRATCH/log3")"
done
ran=$(grep -c "done in an earlier call, skipped" "$SCRATCH/log3")
[ "$ran" -eq $(($(wc -l <"$out/.steps-done") - 3)) ] || fail "--resume skipped $ran steps, not all but the 3 damaged"
[ -f "$again/report.md" ] || fail "--resume of damaged steps did not finish the folder"
pass "--resume runs again, and names, the steps whose files are truncated, missing or empty"

# --- Data is never code, end to end: a host name and a CPU model with quotes, backquotes, $()
# and system() (from a ptc-run whose --machine says so), claim texts alike: every chart drawn,
# nothing run; an unknown verdict is refused by ptc-report, naming the file, line and column.
fake="$SCRATCH/fakebin"
mkdir "$fake"
for p in "$BIN"/ptc-*; do ln -s "$p" "$fake/"; done
rm "$fake/ptc-run"
cat >"$fake/ptc-run" <<SH
#!/usr/bin/env bash
if [ "\$1" = --machine ]; then
    "$BIN/ptc-run" --machine | sed -e "s|^host: .*|host: x';system('touch $SCRATCH/PWNED1');y='|" \\
        -e 's/^cpu_model: .*/cpu_model: \`touch PWNED2\` \$(touch PWNED3) "x";system("touch PWNED4")/'
else
    exec "$BIN/ptc-run" "\$@"
fi
SH
chmod +x "$fake/ptc-run"
evil="$SCRATCH/evil-host"
cp -r "$again" "$evil.partial"
rm -f "$evil.partial"/report.md "$evil.partial"/*.png "$evil.partial"/*.svg
python3 - "$evil.partial/claims.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]
for i, r in enumerate(rows[1:]):
    r[h.index("claim")] = "`touch PWNED5` $(touch PWNED6) x';system('touch PWNED7');y=' " + r[h.index("claim")]
    r[h.index("id")] = r[h.index("id")] + "`touch PWNED8`"
csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n").writerows(rows)
PY
"$MAIN" --resume "$evil" --bin "$fake" >"$SCRATCH/log4" 2>&1 || fail "--resume with a hostile host name failed: $(tail -3 "$SCRATCH/log4")"
[ "$(find "$evil" "$evil.partial" -name '*.png' -size +0 2>/dev/null | wc -l)" -eq 13 ] ||
    fail "--resume with a hostile host name did not draw the 13 charts"
grep -qF "x';system('touch $SCRATCH/PWNED1');y='" "$evil/report.md" || fail "the hostile host name is not in report.md as text"
left=$(find "$SCRATCH" "$PWD" "$ROOT/plots" -maxdepth 3 -name 'PWNED*' 2>/dev/null)
[ -z "$left" ] || fail "a host name, CPU model or claim text ran as a command: $left"
pass "hostile host name, CPU model and claim texts: every chart drawn, nothing run"

bad="$SCRATCH/bad-verdict"
cp -r "$again" "$bad.partial"
rm -f "$bad.partial"/report.md "$bad.partial"/*.png "$bad.partial"/*.svg
sed -i '2s/,\(reproduced\|refuted\|not judged at this scale\|not applicable here\),/,refuted `touch PWNED9`,/' "$bad.partial/claims.csv"
grep -q 'touch PWNED9' "$bad.partial/claims.csv" || fail "test set-up: no verdict replaced in claims.csv"
(cd "$bad.partial" && "$MAIN" --resume "$bad" --bin "$BIN") >"$SCRATCH/log5" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "--resume with an unknown verdict exited $rc, not 1"
grep -qF "claims.csv:2: column 18 (verdict): 'refuted \`touch PWNED9\`' is not a verdict" "$SCRATCH/log5" ||
    fail "no line naming claims.csv, its line and column: $(tail -3 "$SCRATCH/log5")"
left=$(find "$SCRATCH" "$PWD" "$ROOT/plots" -maxdepth 3 -name 'PWNED*' 2>/dev/null)
[ -z "$left" ] || fail "an unknown verdict ran as a command: $left"
pass "an unknown verdict: refused by ptc-report with file, line and column, nothing run"
finish
