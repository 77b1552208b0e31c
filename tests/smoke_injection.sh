#!/usr/bin/env bash
# Data is never code: backquotes, quotes, $() and system("touch ...") in every field and name that
# reaches a chart (verdict, language, claim text, model names, host, cpu_model, the machine text,
# file names) make neither gnuplot nor a shell run anything. ptc-report refuses a claims CSV whose
# verdict or language ptc-claims never writes (status 2, one line naming file, line and column);
# the charts draw everything else, the hostile texts as text; the "reproduce" line
# scripts/lib/charts.bash records for a chart runs the same drawing when pasted into a shell.
. "$(dirname "$0")/smoke_lib.bash" "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$(dirname "$PROG")" && pwd)
DATA="$ROOT/tests/data"
command -v gnuplot >/dev/null || { echo "skip: gnuplot is not installed (scripts/test installs it)"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is not installed"; exit 77; }

W="$SCRATCH/w"
mkdir "$W"
cd "$W" || exit 1
# Each hostile text creates a file named PWNED* when anything runs it.
# shellcheck disable=SC2016 # the texts are meant literally
EVIL=('`touch PWNED1`' '$(touch PWNED2)' "x';system('touch PWNED3');y='" 'x";system("touch PWNED4");y="'
    'system("touch PWNED5")' "@PWNED6 \`touch PWNED7\`" "x' . system('touch PWNED8') . '")
no_pwned() { # no_pwned WHAT
    local left
    left=$(find "$SCRATCH" "$ROOT/plots" -name 'PWNED*' 2>/dev/null)
    [ -z "$left" ] || fail "$1 ran a command from the data: $left"
    find "$SCRATCH" "$ROOT/plots" -name 'PWNED*' -delete 2>/dev/null
}
drawn() { # drawn PREFIX WHAT: PREFIX.png and PREFIX.svg are there and not empty
    [ -s "$1.png" ] && [ -s "$1.svg" ] || fail "$2: no chart drawn ($1.png / .svg missing or empty)"
}

# evil_csv IN OUT COLUMN...: IN with every row's COLUMNs replaced by the hostile texts.
evil_csv() {
    local in=$1 out=$2
    shift 2
    python3 - "$in" "$out" "$@" "${EVIL[@]}" <<'PY'
import csv, sys
src, dst, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
evil = [a for a in rest if not a.replace("_", "").isalnum()]
cols = [a for a in rest if a.replace("_", "").isalnum()]
rows = list(csv.reader(open(src, newline="")))
head = rows[0]
for i, r in enumerate(rows[1:]):
    for k, c in enumerate(cols):
        r[head.index(c)] = evil[(i + k) % len(evil)] + " " + c
csv.writer(open(dst, "w", newline=""), lineterminator="\n").writerows(rows)
PY
}

# --- ptc-report refuses unknown verdicts and languages: status 2, one line, file:line: column.
refused() { # refused NEEDLE FILE
    "$BIN/ptc-report" --chart claims --csv "$W/x.tsv" "$2" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$1" "$SCRATCH/err" ||
        fail "ptc-report on $2: status $rc, not 2 with one line naming '$1': $(cat "$SCRATCH/err")"
    [ ! -e "$W/x.tsv" ] || fail "ptc-report wrote x.tsv from a refused claims CSV"
}
python3 - "$DATA/claims-small.csv" "$W" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
def write(name, col, text):
    out = [list(r) for r in rows]
    out[2][head.index(col)] = text
    csv.writer(open(sys.argv[2] + "/" + name, "w", newline=""), lineterminator="\n").writerows(out)
write("verdict.csv", "verdict", "refuted `touch PWNED0`")
write("language.csv", "language", "C$(touch PWNED0)")
write("newline.csv", "verdict", "refuted\nx")
PY
refused "verdict.csv:3: column 18 (verdict): 'refuted \`touch PWNED0\`' is not a verdict" verdict.csv
refused "language.csv:3: column 9 (language): 'C\$(touch PWNED0)' is not a language" language.csv
refused "(verdict): 'refuted?x' is not a verdict" newline.csv
no_pwned "ptc-report on refused claims"
pass "unknown verdicts and languages refused: status 2, one line naming file, line and column"

# --- every other field of the ledger hostile, and its file names: drawn, nothing run.
# Names without spaces: ptc_table_chart's INPUTS are words (ptcbench's are its step names).
evil_csv "$DATA/claims-small.csv" "claims'q\`touch\${IFS}PWNED9\`.csv" host cpu_model kernel id claim unit \
    compiler git_rev program reason expected measured original
# shellcheck disable=SC2034 # read by charts.bash
PTC_ROOT=$ROOT
PROG=smoke_injection
# shellcheck source=scripts/lib/charts.bash
. "$ROOT/scripts/lib/charts.bash"
machine="host ${EVIL[2]}, ${EVIL[0]} ${EVIL[1]}, 2 CPUs, kernel ${EVIL[3]} ${EVIL[4]}"
ptc_table_chart "$W" "$BIN" "ledger'x\$(touch\${IFS}PWNED10)" claims "claims'q\`touch\${IFS}PWNED9\`.csv" ||
    fail "the claims ledger with hostile texts was not drawn"
drawn "ledger'x\$(touch\${IFS}PWNED10)" "claims.gp"
no_pwned "claims.gp"

# The table itself hostile (as if ptc-report let anything through): gnuplot still runs nothing.
python3 - "$W/ledger'x\$(touch\${IFS}PWNED10).tsv" "$W/raw.tsv" "${EVIL[@]}" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
head = lines[0].split("\t")
evil = sys.argv[3:]
out = [lines[0]]
for i, l in enumerate(lines[1:]):
    f = l.split("\t")
    for c in ("verdict", "language"):
        f[head.index(c)] = evil[i % len(evil)] + " " + c
    out.append("\t".join(f))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
gnuplot -c "$ROOT/plots/claims.gp" in=raw.tsv "out=raw ${EVIL[0]}" >/dev/null 2>&1 ||
    fail "claims.gp on a table with hostile verdicts and languages failed"
drawn "raw ${EVIL[0]}" "claims.gp on hostile verdicts"
no_pwned "claims.gp on hostile verdicts and languages"
pass "claims ledger: hostile claim texts, hosts, ids, units, verdicts, languages, file names drawn as text"

# --- models, hosts and the machine text of the other charts, and a timeline with quotes in its name.
evil_csv "$DATA/runs-small.csv" "runs\"r'.csv" host model
ptc_table_chart "$W" "$BIN" sp speedup "runs\"r'.csv" "machine=$machine" "model_order=${EVIL[5]}" "size=${EVIL[6]}" ||
    fail "speedup with a hostile machine text was not drawn"
drawn sp "speedup.gp"
evil_csv "$DATA/hyperfine-small.csv" hf.csv command
ptc_table_chart "$W" "$BIN" hf hyperfine "hf.csv $DATA/hyperfine-inproc.csv" "machine=$machine" ||
    fail "hyperfine with hostile commands was not drawn"
drawn hf "hyperfine.gp"
"$BIN/ptc-run" --workload sleep --model procpool --workers 2 --tasks 3 --task-ms 1 --repeat 1 \
    --warmup 0 --quiet --out run.csv --timeline tl.csv >/dev/null || fail "ptc-run --timeline failed"
evil_csv tl.csv "t'l\`touch\${IFS}PWNED11\`.csv" model host cpu_model kernel compiler
ptc_table_chart "$W" "$BIN" "gantt'\$(touch\${IFS}PWNED12)" gantt "t'l\`touch\${IFS}PWNED11\`.csv" ||
    fail "gantt with hostile model names and file names was not drawn"
drawn "gantt'\$(touch\${IFS}PWNED12)" "gantt.gp"
no_pwned "speedup.gp, hyperfine.gp, gantt.gp"
pass "speedup, hyperfine, gantt: hostile host, machine text, model names, commands, file names drawn as text"

# --- the reproduce line of a chart, pasted into a shell, draws the same chart and runs nothing.
rm -f "gantt'\$(touch\${IFS}PWNED12)".png "gantt'\$(touch\${IFS}PWNED12)".svg
bash -c "${CHART_CMDS["gantt'\$(touch\${IFS}PWNED12)"]//${PTC_REL_ROOT:-.}\/plots/$ROOT/plots}" >/dev/null 2>&1 ||
    fail "the recorded command failed: ${CHART_CMDS["gantt'\$(touch\${IFS}PWNED12)"]}"
drawn "gantt'\$(touch\${IFS}PWNED12)" "the recorded gantt command"
no_pwned "the recorded command"
pass "the recorded reproduce line is one shell word per argument"

# --- names gnuplot would run: a table starting with '<', an output starting with '|'.
gnuplot -c "$ROOT/plots/cost.gp" "in=<touch PWNED13" out=c >/dev/null 2>"$SCRATCH/err" &&
    fail "cost.gp accepted in='<touch ...'"
gnuplot -c "$ROOT/plots/claims.gp" in=raw.tsv "out=|touch PWNED14" >/dev/null 2>&1 &&
    fail "claims.gp accepted out='|touch ...'"
gnuplot -c "$ROOT/plots/claims.gp" in=raw.tsv "x=\`touch PWNED15\`" >/dev/null 2>&1 &&
    fail "claims.gp accepted an argument it does not know"
no_pwned "in='<...', out='|...', an unknown argument"
pass "in='<...', out='|...' and unknown arguments refused"

# --- a chart left empty (a full disk: gnuplot ends well, the PNG has 0 bytes) is an error.
mkdir "$SCRATCH/fake"
printf '#!/bin/sh\nfor a; do case $a in out=*) : >"${a#out=}.png"; : >"${a#out=}.svg" ;; esac; done\n' >"$SCRATCH/fake/gnuplot"
chmod +x "$SCRATCH/fake/gnuplot"
PATH="$SCRATCH/fake:$PATH" ptc_chart "$W" empty cost.gp in=sp.tsv 2>"$SCRATCH/err" &&
    fail "ptc_chart accepted a 0-byte chart"
grep -qF "empty.png or .svg missing or empty" "$SCRATCH/err" || fail "no line naming the empty chart: $(cat "$SCRATCH/err")"
[ ! -e empty.png ] && [ ! -e empty.svg ] || fail "the 0-byte chart files were left behind"
pass "a 0-byte PNG or SVG is an error, and removed"

finish
