# shellcheck shell=bash
# Sourced by scripts/ptcbench: runs the steps of a sweep plan in a results folder, one program
# call per step, with a progress line and resumption.
#
# A plan is an array of lines "name|estimated seconds|program|arguments". A step that ends well
# appends its name to WORK/.steps-done; a later call with the same folder skips those steps, so
# an interrupted sweep resumes where it stopped, after checking the files of the steps done
# (ptc_steps_check: a step with a missing, empty or truncated file runs again). Every output
# file is written under a temporary name and renamed when its program ends well: a step that
# fails leaves nothing behind.
#
# The programs write these files into WORK (NAME is the step's name):
#   ptc-run           NAME.csv (one row per run), NAME-summary.csv, NAME-summary.txt (table)
#   ptc-<micro>       NAME.csv, NAME-summary.txt
#   ptc-claims        claims.csv, claims.md, claims-timeline.csv, claims-python.csv, claims-summary.txt
#   hyperfine-sweep   hyperfine*.csv, hyperfine.json, hyperfine-summary.md, hyperfine-findings.md
#   peer-python       NAME.csv (ptc-run's columns plus runtime, or with --mem ptc-mem's),
#   peer-go           NAME-summary.txt: scripts/python/peer.py and ptc-peer-go, the peer runners

# ptc_step_done WORK NAME: true when NAME is recorded as done in WORK.
ptc_step_done() {
    [ -f "$1/.steps-done" ] && grep -qxF -- "$2" "$1/.steps-done"
}

# The files a step that ended well has left in the folder, the ones the later steps and the
# charts read, by program (NAME: the step's name; "micro": every ptc-<micro>).
declare -gA PTC_STEP_FILES=(
    [ptc-run]="NAME.csv NAME-summary.csv NAME-summary.txt"
    [ptc-claims]="claims.csv claims-timeline.csv claims.md NAME-summary.txt"
    [hyperfine-sweep]="hyperfine.csv hyperfine-inproc.csv hyperfine-summary.md NAME-summary.txt"
    [micro]="NAME.csv NAME-summary.txt"
    [peer-python]="NAME.csv NAME-summary.txt"
    [peer-go]="NAME.csv NAME-summary.txt"
)

# ptc_step_files NAME PROGRAM: the files of step NAME, which runs PROGRAM.
ptc_step_files() {
    local files=${PTC_STEP_FILES[$2]:-${PTC_STEP_FILES[micro]}}
    echo "${files//NAME/$1}"
}

# ptc_file_damage FILE: what is wrong with a step's file, or nothing: missing, empty, or for a
# CSV truncated (no header and row, or no newline at its end, as a write cut short leaves it).
ptc_file_damage() {
    if [ ! -f "$1" ]; then
        echo "$1 is missing"
    elif [ ! -s "$1" ]; then
        echo "$1 is empty"
    elif [ "${1%.csv}" != "$1" ]; then
        if [ -n "$(tail -c 1 "$1")" ]; then
            echo "$1 is truncated (its last line has no end)"
        elif [ "$(head -n 2 "$1" | wc -l)" -lt 2 ]; then
            echo "$1 has no row"
        fi
    fi
}

# ptc_steps_check WORK PLAN...: keeps in WORK/.steps-done only the plan's steps whose files are
# all whole; each step dropped is named with the reason, and runs again.
ptc_steps_check() {
    local work=$1 entry name prog f why keep=""
    shift
    [ -f "$work/.steps-done" ] || return 0
    for entry in "$@"; do
        IFS='|' read -r name _ prog _ <<<"$entry"
        ptc_step_done "$work" "$name" || continue
        why=""
        for f in $(ptc_step_files "$name" "$prog"); do
            why=$(cd "$work" && ptc_file_damage "$f")
            [ -z "$why" ] || break
        done
        if [ -n "$why" ]; then
            echo "$PROG: step '$name' runs again: $why" >&2
        else
            keep+="$name"$'\n'
        fi
    done
    printf '%s' "$keep" >"$work/.steps-done.partial" && mv "$work/.steps-done.partial" "$work/.steps-done"
}

# ptc_step_command NAME PROGRAM ARGS: the command line a step runs, as the report shows it: run
# from inside the results folder, with PTC_REL_ROOT and PTC_REL_BIN the paths from there to the
# source tree and to the programs (both "." until ptcbench sets them).
ptc_step_command() {
    local name=$1 prog=$2 args=$3 root=${PTC_REL_ROOT:-.} bin=${PTC_REL_BIN:-.}
    case $prog in
    ptc-run) echo "$bin/ptc-run $args --out $name.csv --summary $name-summary.csv" ;;
    ptc-claims) echo "$bin/ptc-claims $args --out ." ;;
    hyperfine-sweep) echo "$root/scripts/hyperfine-sweep --bin $bin --out-dir . $args" ;;
    peer-python) echo "$PTC_PYTHON $root/scripts/python/peer.py --bin $bin $args --out $name.csv" ;;
    peer-go) echo "$bin/ptc-peer-go --bin $bin $args --out $name.csv" ;;
    *) echo "$bin/$prog ${args:+$args }--out $name.csv" ;;
    esac
}

# ptc_step_run WORK BIN NAME PROGRAM ARGS: runs one step; its table goes to stdout and to
# WORK/NAME-summary.txt.
ptc_step_run() {
    local work=$1 bin=$2 name=$3 prog=$4 args=$5 rc=0
    local txt="$work/.$name-summary.txt.partial"
    # shellcheck disable=SC2086
    case $prog in
    ptc-run)
        (cd "$work" && "$bin/ptc-run" $args --out "$name.csv" --summary "$name-summary.csv") ;;
    ptc-claims)
        (cd "$work" && "$bin/ptc-claims" $args --out .) ;;
    hyperfine-sweep)
        "$PTC_ROOT/scripts/hyperfine-sweep" --bin "$bin" --out-dir "$work" $args &&
            cat "$work/hyperfine-summary.md" ;;
    peer-python)
        (cd "$work" && "$PTC_PYTHON" "$PTC_ROOT/scripts/python/peer.py" --bin "$bin" $args --out "$name.csv") ;;
    peer-go)
        (cd "$work" && "$bin/ptc-peer-go" --bin "$bin" $args --out "$name.csv") ;;
    *)
        (cd "$work" && "$bin/$prog" $args --out "$name.csv") ;;
    esac >"$txt" || rc=$?
    cat "$txt"
    if [ "$rc" -ne 0 ]; then
        rm -f "$txt"
        return "$rc"
    fi
    mv "$txt" "$work/$name-summary.txt"
}

# ptc_fmt_secs S: "42 s", "3 min 05 s".
ptc_fmt_secs() {
    local s=$1
    if [ "$s" -lt 60 ]; then echo "$s s"; else printf '%d min %02d s\n' $((s / 60)) $((s % 60)); fi
}

# ptc_steps_run WORK BIN PLAN...: runs every step of the plan not yet done in WORK. Before each
# step, on a terminal, a progress line: step k of n, time elapsed, an estimate of the time left
# (the plan's estimates of the steps left, scaled by how the steps so far compared with theirs).
ptc_steps_run() {
    local work=$1 bin=$2
    shift 2
    local n=$# k=0 t0=$SECONDS est_done=0 est_left=0 entry name est prog args
    ptc_steps_check "$work" "$@" || return 1
    for entry in "$@"; do
        IFS='|' read -r name est prog args <<<"$entry"
        ptc_step_done "$work" "$name" || est_left=$((est_left + est))
    done
    for entry in "$@"; do
        k=$((k + 1))
        IFS='|' read -r name est prog args <<<"$entry"
        if ptc_step_done "$work" "$name"; then
            echo "$PROG: [$k/$n] $name: done in an earlier call, skipped" >&2
            continue
        fi
        if [ -t 2 ]; then
            local spent=$((SECONDS - t0)) left=$est_left
            [ "$est_done" -gt 0 ] && [ "$spent" -gt 0 ] && left=$((est_left * spent / est_done))
            printf '%s: [%d/%d] %s; elapsed %s, about %s left\n' "$PROG" "$k" "$n" "$name" \
                "$(ptc_fmt_secs "$spent")" "$(ptc_fmt_secs "$left")" >&2
        fi
        echo "$PROG: $(ptc_step_command "$name" "$prog" "$args")" >&2
        local rc=0
        ptc_step_run "$work" "$bin" "$name" "$prog" "$args" || rc=$?
        if [ "$rc" -gt 128 ]; then # the program died of a signal (Ctrl-C reaches the whole group)
            echo "$PROG: step '$name' stopped by SIG$(kill -l "$rc"); the steps done so far are kept: $PROG --resume $work" >&2
            return "$rc"
        elif [ "$rc" -ne 0 ]; then
            echo "$PROG: step '$name' failed; the steps done so far are kept: $PROG --resume $work" >&2
            return 1
        fi
        echo "$name" >>"$work/.steps-done"
        est_done=$((est_done + est))
        est_left=$((est_left - est))
    done
}
