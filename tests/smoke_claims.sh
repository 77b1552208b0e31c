#!/usr/bin/env bash
# Smoke test of ptc-claims (beside the given ptc-run): bad input exits 2 with one line and no
# ledger; the whole ledger at a small time scale writes claims.csv, claims.md and the timeline,
# one row per claim, with the behaviours (not the timings) the tutorials describe.
. "$(dirname "$0")/smoke_lib.bash" "$@"
CLAIMS=$(dirname "$PROG")/ptc-claims
[ -x "$CLAIMS" ] || { fail "$CLAIMS is missing"; finish; }

bad() { # bad NAME ARGS...
    local name=$1 dir="$SCRATCH/bad-$1"
    shift
    "$CLAIMS" "$@" --out "$dir" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" </dev/null
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$name: exit status $rc, expected 2"
    [ "$(wc -l <"$SCRATCH/$name.err")" -eq 1 ] || fail "$name: stderr is not one line"
    [ ! -e "$dir/claims.csv" ] || fail "$name: a ledger was written"
    pass "$name"
}
bad zero-scale --time-scale 0
bad negative-scale --time-scale -1
bad word-scale --time-scale fast
bad zero-untimed-scale --untimed-scale 0
bad word-untimed-scale --untimed-scale fast
bad unknown-claim --only 99
bad unknown-option --bogus
"$CLAIMS" --list >/dev/null || fail "--list"
"$CLAIMS" --help >/dev/null || fail "--help"

out="$SCRATCH/ledger"
"$CLAIMS" --time-scale 0.02 --out "$out" --quiet || fail "ledger run failed"
for f in claims.csv claims.md claims-timeline.csv; do
    [ -s "$out/$f" ] || fail "$f missing or empty"
done
ids=$("$CLAIMS" --list | grep -cE '^[0-9]{2} ')
rows=$(($(wc -l <"$out/claims.csv") - 1))
[ "$rows" -eq "$ids" ] || fail "claims.csv: $rows rows for $ids claims"
[ "$(grep -c '^| [0-9]' "$out/claims.md")" -eq "$ids" ] || fail "claims.md: not one table row per claim"
# Every row has one of the four verdicts; "not judged" gives its figures (src/claims/verdict.h).
[ "$(grep -cE ',(reproduced|refuted|not applicable here|not judged at this scale),' "$out/claims.csv")" -eq "$ids" ] ||
    fail "a row has no verdict among reproduced, refuted, not applicable here, not judged at this scale"
grep ',not judged at this scale,' "$out/claims.csv" |
    grep -vq 'at time scale 0.02 a fixed overhead can account for the figure: .* overhead [0-9.]* s, tolerance [0-9.]* s, off by [-+][0-9.]* s' &&
    fail "a row not judged without its overhead, tolerance and scale"
# The timing claims give their fixed overheads beside what they measured.
[ "$(grep -cE ',(01|04|05|12),.*fixed overhead \(empty tasks\):' "$out/claims.csv")" -eq 4 ] ||
    fail "01, 04, 05, 12: no fixed overhead in the measured text"
# 04: the pool's results come back in input order.
grep -q '1, 4, 9, 16, 25, 36' "$out/claims.csv" || fail "04: results not [1, 4, 9, 16, 25, 36]"
# 02: from the timeline, task 4 starts after the first of tasks 0-3 ends: at most 4 run at once.
# (Not that tasks 0-3 start first: a worker that takes task 3 from the counter can be descheduled
# before it records its start, while one that finished task 0 starts task 4; under ASan at time
# scale 0.02 that happened.)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["claim"] == "02" { s[$col["task"]] = $col["start_ns"]; e[$col["task"]] = $col["end_ns"] }
    END { first = e[0]; for (i = 1; i < 4; i++) if (e[i] < first) first = e[i];
          exit !(s[4] >= first) }' "$out/claims-timeline.csv" ||
    fail "02: task 4 did not wait for a free worker"
# 03: not applicable in C, with a reason.
grep -q ',03,.*not applicable here' "$out/claims.csv" || fail "03: not marked not applicable"
ls "$out" | grep -q '\.tmp\.' && fail "temporary files left in $out"
pass "ledger at time scale 0.02"

# The Python reference beside C, where Debian's python3 with gevent is installed.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import gevent' 2>/dev/null; then
    out="$SCRATCH/python"
    "$CLAIMS" --time-scale 0.02 --untimed-scale 0.01 --only 03,04,12 --python --out "$out" \
        >"$SCRATCH/py.out" 2>"$SCRATCH/py.err" || fail "--python run failed: $(cat "$SCRATCH/py.err")"
    # On the terminal, both languages' verdicts per claim (stdout), and a line per claim as
    # Python finishes it (stderr), in no CSV.
    for id in 03 04 12; do
        py=$(python3 -c 'import csv, sys
print(*[r["verdict"] for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["language"] == "Python" and r["id"] == sys.argv[2]])' "$out/claims.csv" "$id")
        grep -A3 "^$id " "$SCRATCH/py.out" | grep -q "^    Python: $py: " ||
            fail "--python: stdout lacks claim $id's Python verdict '$py': $(cat "$SCRATCH/py.out")"
        grep -qE "^claims.py: claim $id \([0-9] of 3\): $py in [0-9.]+ s$" "$SCRATCH/py.err" ||
            fail "--python: no progress line for claim $id: $(cat "$SCRATCH/py.err")"
    done
    grep -q 'claims.py:' "$out"/*.csv && fail "--python: a progress line reached a CSV"
    # claims.md names each tutorial by title and date (src/claims/seeds.c), not by number only.
    grep -qF '| 04 | untitled notes opening I. 进程 (004, no date) |' "$out/claims.md" &&
        grep -qF '| 12 | Python入门系列(5)：进程、线程和协程 (002, 2017-08-17) |' "$out/claims.md" ||
        fail "--python: claims.md does not name the tutorials: $(grep '^| [0-9]' "$out/claims.md" | cut -c1-80)"
    # Timing claims (04, 12) at --time-scale, the others at --untimed-scale, in both languages.
    for lang in C Python; do
        [ "$(grep -cE ",$lang,0\.0200,[0-9]+,(04|12)," "$out/claims.csv")" -eq 2 ] &&
            [ "$(grep -cE ",$lang,0\.0100,[0-9]+,03," "$out/claims.csv")" -eq 1 ] ||
            fail "--untimed-scale: $lang rows not at 0.02 (04, 12) and 0.01 (03)"
    done
    [ "$(grep -c ',Python,' "$out/claims.csv")" -eq 3 ] || fail "--python: not 3 Python rows"
    grep -q ',Python,.*,03,.*Pool() has [0-9]* workers; [0-9]* CPUs' "$out/claims.csv" ||
        fail "--python: claim 03 has no Python figures"
    grep -q '1, 4, 9, 16, 25, 36' <(grep ',Python,' "$out/claims.csv") ||
        fail "--python: Pool(5).map results missing"
    grep -q 'verdict (Python)' "$out/claims.md" || fail "--python: no Python columns in claims.md"
    pass "Python reference"
else
    echo "skipped: no /usr/bin/python3 with gevent"
fi
finish
