#!/usr/bin/env bash
# Smoke test of ptc-report --compare BASE NEW and of never pooling: on a synthetic pair where NEW
# is BASE's times x2 for some configurations and equal for the others, exactly the doubled ones
# are significant with a ratio near 2, the others "~"; work that differs and the machine's
# condition are shown; a side against itself changes nothing; a
# folder side skips what is not a run CSV and reads a repeated file once; hostile sides (a
# truncated file, a row of other columns, a bad number, one configuration of two revisions) are
# refused with status 2 and one line naming file, line and column or the two values; two small
# result sets of the built ptc-run compare. The plain report keeps two revisions apart and reads
# a file given twice once.
. "$(dirname "$0")/smoke_lib.bash" "$@"
REPORT=$(dirname "$PROG")/ptc-report
[ -x "$REPORT" ] || { fail "$REPORT is missing"; finish; }

HEAD='host,cpu_model,kernel,compiler,git_rev,workload,tasks,task_ms,iterations,model,workers,wall_ns'
# sides FILE REV FACTOR_SEQ FACTOR_THREAD: 8 runs of 4 configurations (seq and thread at 4 and 8
# tasks); the iterations differ per side, as ptc-run calibrates them per machine.
side() {
    local file=$1 rev=$2 fseq=$3 fthread=$4
    {
        echo "$HEAD"
        for i in 1 2 3 4 5 6 7 8; do
            for tasks in 4 8; do
                echo "h,CPU X,6.1,gcc 12,$rev,cpu,$tasks,10,$((1000 + ${#rev})),seq,1,$(((1000 + 10 * i) * fseq))"
                echo "h,CPU X,6.1,gcc 12,$rev,cpu,$tasks,10,$((1000 + ${#rev})),thread,4,$(((300 + 7 * i) * fthread))"
            done
        done
    } >"$file"
}
side "$SCRATCH/base.csv" aaa 1 1
side "$SCRATCH/new.csv" bbbb 2 1 # seq twice as slow, thread unchanged

# col FILE NAME...: the named columns of a CSV, comma-separated, header skipped
col() {
    local file=$1
    shift
    awk -F, -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split(want, w, " "); next }
        { line = ""; for (k = 1; k <= n; k++) line = line (k > 1 ? "," : "") $c[w[k]]; print line }' "$file"
}

"$REPORT" --compare --csv "$SCRATCH/cmp.csv" --md "$SCRATCH/cmp.md" "$SCRATCH/base.csv" "$SCRATCH/new.csv" \
    2>"$SCRATCH/err" || fail "--compare failed: $(cat "$SCRATCH/err")"
got=$(col "$SCRATCH/cmp.csv" tasks model workers base_runs new_runs significant)
[ "$got" = "4,seq,1,8,8,1
4,thread,4,8,8,0
8,seq,1,8,8,1
8,thread,4,8,8,0" ] || fail "--compare: not exactly the doubled ones significant: $got"
col "$SCRATCH/cmp.csv" model ratio_new_over_base ratio_ci_lo ratio_ci_hi ratio_ci_supported p_value |
    awk -F, '$1 == "seq" && !($2 > 1.9 && $2 < 2.1 && $3 > 1.8 && $4 < 2.2 && $5 == 1 && $6 < 0.001) { bad = 1 }
        $1 == "thread" && !($2 == 1 && $6 == 1) { bad = 1 } END { exit bad }' ||
    fail "--compare ratios: $(cat "$SCRATCH/cmp.csv")"
head -1 "$SCRATCH/cmp.csv" | grep -q '^workload,tasks,.*base_median_ns,new_runs,new_median_ns,' ||
    fail "--compare CSV header: $(head -1 "$SCRATCH/cmp.csv")"
grep -qF '| git_rev | aaa | bbbb |' "$SCRATCH/cmp.md" || fail "--compare header lacks git_rev: $(cat "$SCRATCH/cmp.md")"
grep -qF '| host |' "$SCRATCH/cmp.md" && fail "--compare header lists host, which does not differ"
grep -qE '^\| cpu \| 4 tasks × 10 ms \| thread \| 4 \| 8 \| .* \| ~ \| 1 \|$' "$SCRATCH/cmp.md" ||
    fail "--compare: no '~' for thread: $(cat "$SCRATCH/cmp.md")"
grep -qE '^\| cpu \| 8 tasks × 10 ms \| seq \| 1 \| 8 \| .* \| \+[0-9.]+ % \| ' "$SCRATCH/cmp.md" ||
    fail "--compare: no delta for seq: $(cat "$SCRATCH/cmp.md")"
grep -qF -- '- **cpu**: 1.4' "$SCRATCH/cmp.md" || fail "--compare: geometric mean of sqrt(2 x 2 x 1 x 1): $(grep cpu "$SCRATCH/cmp.md")"
grep -qxF 'Only in BASE: 0 configurations.' "$SCRATCH/cmp.md" || fail "--compare: one-sided count"
pass "--compare marks exactly the doubled configurations, ratio near 2"

# The context: calibrated work that differs by more than 1 % gets a line and CSV columns; the
# machine's condition (here capacity, on BASE only) a table.
sed 's/,1004,/,1100,/' "$SCRATCH/new.csv" >"$SCRATCH/more-work.csv"
awk -F, -v OFS=, 'NR == 1 { print $0, "capacity"; next } { print $0, (NR % 2 ? 1.8 : 2) }' \
    "$SCRATCH/base.csv" >"$SCRATCH/base-cap.csv"
"$REPORT" --compare --csv "$SCRATCH/work.csv" --md "$SCRATCH/work.md" "$SCRATCH/base-cap.csv" \
    "$SCRATCH/more-work.csv" 2>"$SCRATCH/err" || fail "--compare with work and capacity: $(cat "$SCRATCH/err")"
[ "$(col "$SCRATCH/work.csv" tasks base_iterations_mean new_iterations_mean | sort -u)" = "4,1003,1100
8,1003,1100" ] || fail "iterations columns: $(cat "$SCRATCH/work.csv")"
[ "$(grep -c 'iterations per task (NEW/BASE 1.097)' "$SCRATCH/work.md")" -eq 2 ] ||
    fail "no work line per size: $(cat "$SCRATCH/work.md")"
grep -qF '| capacity | 1.9 x (1.8–2, 32 runs) | (not recorded) |' "$SCRATCH/work.md" ||
    fail "no condition table: $(cat "$SCRATCH/work.md")"
grep -q 'work differs\|iterations per task\|^| capacity' "$SCRATCH/cmp.md" &&
    fail "work or condition lines where nothing differs or was recorded: $(cat "$SCRATCH/cmp.md")"
pass "calibrated work that differs and the machine's condition are shown"

# The same side against itself: nothing significant, every ratio 1; the Markdown to stdout.
"$REPORT" --compare --csv "$SCRATCH/self.csv" "$SCRATCH/base.csv" "$SCRATCH/base.csv" >/dev/null ||
    fail "--compare of a side with itself failed"
[ "$(col "$SCRATCH/self.csv" significant ratio_new_over_base | sort -u)" = "0,1.0000" ] ||
    fail "a side against itself: $(cat "$SCRATCH/self.csv")"
"$REPORT" --compare "$SCRATCH/base.csv" "$SCRATCH/base.csv" | grep -qF 'The sides do not differ' ||
    fail "--compare to stdout: no header"
pass "a side against itself: no significant change"

# A folder side: ptc-report's aggregate and a non-run CSV skipped, one line each; a copy of a
# run CSV read once; configurations of NEW only counted.
mkdir "$SCRATCH/B" "$SCRATCH/N"
cp "$SCRATCH/base.csv" "$SCRATCH/B/runs.csv"
cp "$SCRATCH/base.csv" "$SCRATCH/B/runs-copy.csv"
"$REPORT" --csv "$SCRATCH/B/aggregate.csv" "$SCRATCH/base.csv" || fail "aggregate for the folder"
printf 'benchmark,metric,value,min,max\nx,ns,1,1,1\n' >"$SCRATCH/B/micro.csv"
cp "$SCRATCH/new.csv" "$SCRATCH/N/new.csv"
{
    echo "$HEAD"
    grep ',seq,1,' "$SCRATCH/new.csv" | sed 's/,seq,1,/,fork,2,/'
} >"$SCRATCH/N/more.csv"
"$REPORT" --compare --csv "$SCRATCH/dir.csv" --md "$SCRATCH/dir.md" "$SCRATCH/B" "$SCRATCH/N" 2>"$SCRATCH/err" ||
    fail "--compare of folders failed: $(cat "$SCRATCH/err")"
grep -qF "$SCRATCH/B/aggregate.csv: skipped: not a ptc-run run CSV (ptc-report's aggregate" "$SCRATCH/err" ||
    fail "the aggregate is not skipped with a line: $(cat "$SCRATCH/err")"
grep -qF "$SCRATCH/B/micro.csv: skipped: not a ptc-run run CSV (a microbenchmark's CSV)" "$SCRATCH/err" ||
    fail "the micro CSV is not skipped with a line: $(cat "$SCRATCH/err")"
grep -qF "$SCRATCH/B/runs.csv: the same file as $SCRATCH/B/runs-copy.csv, read once" "$SCRATCH/err" ||
    fail "the copy is not read once: $(cat "$SCRATCH/err")"
[ "$(wc -l <"$SCRATCH/err")" -eq 3 ] || fail "folder notes: $(cat "$SCRATCH/err")"
[ "$(col "$SCRATCH/dir.csv" base_runs new_runs | sort -u)" = "8,8" ] || fail "folder runs: $(cat "$SCRATCH/dir.csv")"
grep -qxF 'Only in NEW: 2 configurations.' "$SCRATCH/dir.md" || fail "NEW's fork not counted: $(cat "$SCRATCH/dir.md")"
pass "folder sides: own outputs skipped, a copy read once, one-sided configurations counted"

# Hostile sides: status 2, one line naming file, line and column (or both values), no output.
refused() { # refused NEEDLE BASE NEW
    local needle=$1
    rm -f "$SCRATCH/x.csv"
    "$REPORT" --compare --csv "$SCRATCH/x.csv" "$2" "$3" >/dev/null 2>"$SCRATCH/err"
    local rc=$?
    [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -qF -- "$needle" "$SCRATCH/err" &&
        [ ! -e "$SCRATCH/x.csv" ] || fail "--compare $2 $3: status $rc, $(cat "$SCRATCH/err")"
}
head -c -9 "$SCRATCH/new.csv" >"$SCRATCH/cut.csv" # the last row cut inside its fields
refused "cut.csv:33: column 11: 10 fields, the header has 12" "$SCRATCH/base.csv" "$SCRATCH/cut.csv"
sed '5s/$/,7/' "$SCRATCH/new.csv" >"$SCRATCH/wide.csv"
refused "wide.csv:5: column 13: 13 fields, the header has 12" "$SCRATCH/base.csv" "$SCRATCH/wide.csv"
sed '3s/,[0-9]*$/,12ms/' "$SCRATCH/new.csv" >"$SCRATCH/word.csv"
refused "word.csv:3: column 12 (wall_ns): '12ms' is not a number" "$SCRATCH/word.csv" "$SCRATCH/base.csv"
sed '7s/,-[0-9]*$//; 7s/,[0-9]*$/,0/' "$SCRATCH/new.csv" >"$SCRATCH/zero.csv"
refused "zero.csv:7: column 12 (wall_ns): '0' is not a positive time" "$SCRATCH/base.csv" "$SCRATCH/zero.csv"
sed '10s/,bbbb,/,cccc,/' "$SCRATCH/new.csv" >"$SCRATCH/mixed.csv"
refused "ambiguous: configuration cpu, 4 tasks × 10 ms, seq W=1 has git_rev 'bbbb' ($SCRATCH/mixed.csv:2) and 'cccc' ($SCRATCH/mixed.csv:10)" \
    "$SCRATCH/base.csv" "$SCRATCH/mixed.csv"
mkdir "$SCRATCH/two-hosts"
cp "$SCRATCH/base.csv" "$SCRATCH/two-hosts/a.csv"
sed 's/^h,/h2,/' "$SCRATCH/base.csv" >"$SCRATCH/two-hosts/b.csv"
refused "has host 'h' ($SCRATCH/two-hosts/a.csv:2) and 'h2' ($SCRATCH/two-hosts/b.csv:2)" \
    "$SCRATCH/two-hosts" "$SCRATCH/new.csv"
refused "micro.csv: not a ptc-run run CSV (a microbenchmark's CSV)" "$SCRATCH/B/micro.csv" "$SCRATCH/new.csv"
refused "$SCRATCH/none: No such file or directory" "$SCRATCH/base.csv" "$SCRATCH/none"
mkdir "$SCRATCH/empty"
refused "$SCRATCH/empty: no ptc-run run CSV in it" "$SCRATCH/empty" "$SCRATCH/base.csv"
"$REPORT" --compare "$SCRATCH/base.csv" >/dev/null 2>"$SCRATCH/err"
[ $? -eq 2 ] && grep -qF -- '--compare: needs BASE and NEW, not 1 input' "$SCRATCH/err" || fail "--compare with one side"
"$REPORT" --compare --findings "$SCRATCH/f.md" "$SCRATCH/base.csv" "$SCRATCH/new.csv" >/dev/null 2>"$SCRATCH/err"
[ $? -eq 2 ] && [ ! -e "$SCRATCH/f.md" ] || fail "--compare with --findings: $(cat "$SCRATCH/err")"
pass "hostile sides refused with file, line and column"

# Never pooled: the plain report keeps two revisions of one host apart and shows git_rev; a file
# given twice (by its path, and by a copy) is read once.
"$REPORT" --csv "$SCRATCH/agg.csv" --md "$SCRATCH/agg.md" "$SCRATCH/base.csv" "$SCRATCH/new.csv" \
    "$SCRATCH/base.csv" "$SCRATCH/B/runs-copy.csv" 2>"$SCRATCH/err" || fail "report of two revisions failed"
got=$(col "$SCRATCH/agg.csv" git_rev tasks model runs | sort)
[ "$got" = "aaa,4,seq,8
aaa,4,thread,8
aaa,8,seq,8
aaa,8,thread,8
bbbb,4,seq,8
bbbb,4,thread,8
bbbb,8,seq,8
bbbb,8,thread,8" ] || fail "two revisions pooled or a file read twice: $got"
[ "$(grep -c 'read once' "$SCRATCH/err")" -eq 2 ] || fail "no note for each repeated file: $(cat "$SCRATCH/err")"
grep -qF '| host | git_rev | workload |' "$SCRATCH/agg.md" || fail "the Markdown does not show git_rev"
# seq's speedup is against seq of the same revision: thread at 8 tasks of bbbb 2x slower seq.
col "$SCRATCH/agg.csv" git_rev tasks model speedup | grep -q '^bbbb,8,thread,6\.' ||
    fail "speedup not within a revision: $(col "$SCRATCH/agg.csv" git_rev tasks model speedup)"
"$REPORT" --md "$SCRATCH/one.md" "$SCRATCH/base.csv" || fail "report of one revision"
grep -qF 'git_rev' "$SCRATCH/one.md" && fail "the Markdown shows git_rev though it does not vary"
pass "two revisions are not pooled; a repeated file is read once"

# Two small result sets of the built ptc-run: they compare (significance is left to the noise).
for d in r1 r2; do
    mkdir "$SCRATCH/$d"
    "$PROG" --workload cpu --model seq,thread --workers 2 --tasks 2 --task-ms 1 --repeat 4 \
        --out "$SCRATCH/$d/cpu.csv" >/dev/null 2>"$SCRATCH/err" || fail "ptc-run $d: $(cat "$SCRATCH/err")"
done
"$REPORT" --compare --csv "$SCRATCH/runs.csv" --md "$SCRATCH/runs.md" "$SCRATCH/r1" "$SCRATCH/r2" 2>"$SCRATCH/err" ||
    fail "--compare of two ptc-run sets: $(cat "$SCRATCH/err")"
[ "$(col "$SCRATCH/runs.csv" model base_runs new_runs | sort)" = "seq,4,4
thread,4,4" ] || fail "ptc-run sets: $(cat "$SCRATCH/runs.csv")"
grep -qF 'The sides do not differ' "$SCRATCH/runs.md" || fail "two runs of one build differ: $(cat "$SCRATCH/runs.md")"
pass "two ptc-run result sets compare"
finish
