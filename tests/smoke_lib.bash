# Shared by the smoke_*.sh scripts (sourced, not run). Usage in a script:
#   . "$(dirname "$0")/smoke_lib.bash" "$@"     # $1: the program under test
# Sets PROG, SCRATCH (a scratch directory removed on exit) and MULT (PTC_TEST_TIME_MULTIPLIER,
# default 1). fail records a failure and goes on; finish exits 1 if anything failed.
set -u

PROG=${1:?usage: $0 /path/to/program}
if [ ! -x "$PROG" ]; then
    echo "smoke: $PROG is not an executable program" >&2
    exit 1
fi
MULT=${PTC_TEST_TIME_MULTIPLIER:-1}
if ! awk -v m="$MULT" 'BEGIN { exit !(m + 0 >= 1) }'; then
    MULT=1
fi
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ptc-smoke.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
FAILURES=0

fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

pass() {
    echo "ok: $*"
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

# Seconds scaled by MULT, for sleeps and deadlines.
scaled() {
    awk -v s="$1" -v m="$MULT" 'BEGIN { printf "%.3f\n", s * m }'
}

# A number unlikely to appear on any other command line: passed as --seed, it marks the
# processes of one run (forked workers keep the parent's command line) for pgrep.
unique_seed() {
    echo "$((900000000 + ($$ % 10000) * 10000 + RANDOM % 10000))"
}

# PIDs of live processes whose command line carries --seed SEED.
marked_pids() {
    pgrep -f -- "--seed $1( |\$)" || true
}

# Polls every 50 ms, for up to SECONDS (scaled by MULT), until the command given succeeds.
wait_until() {
    local seconds=$1 tries
    shift
    tries=$(awk -v s="$(scaled "$seconds")" 'BEGIN { printf "%d\n", s / 0.05 + 1 }')
    while ! "$@"; do
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then
            return 1
        fi
        sleep 0.05
    done
}

# True when no process carries the marker.
marker_gone() {
    [ -z "$(marked_pids "$1")" ]
}

# Entries of a directory, one a line ('' when empty).
entries() {
    ls -A "$1"
}

# CSV to tab-separated values, one record a line. Handles quoted fields with commas and
# doubled quotes (the rows ptc-run writes have no newlines inside fields). Tabs inside fields
# become spaces.
csv_to_tsv() {
    awk '
    function emit(line,   n, i, c, field, inq, out) {
        n = 0; field = ""; inq = 0; out = ""
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (inq) {
                if (c == "\"") {
                    if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
                    else inq = 0
                } else field = field (c == "\t" ? " " : c)
            } else if (c == "\"") inq = 1
            else if (c == ",") { out = out (n++ ? "\t" : "") field; field = "" }
            else field = field (c == "\t" ? " " : c)
        }
        if (inq) { print "UNTERMINATED QUOTE" > "/dev/stderr"; exit 3 }
        print out (n ? "\t" : "") field
    }
    { emit($0) }' "$1"
}

# Values of column NAME (by header) of a CSV file, one a line, header excluded.
csv_column() {
    csv_to_tsv "$1" | awk -F'\t' -v name="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) col = i
                  if (!col) { print "no column " name > "/dev/stderr"; exit 3 }
                  next }
        { print $col }'
}

# Number of fields of each record, one a line (header first).
csv_widths() {
    csv_to_tsv "$1" | awk -F'\t' '{ print NF }'
}

# run_ok NAME ARGS...: runs the program, which must exit 0; stdout/stderr in $SCRATCH/NAME.*
run_ok() {
    local name=$1 rc=0
    shift
    "$PROG" "$@" >"$SCRATCH/$name.stdout" 2>"$SCRATCH/$name.stderr" </dev/null || rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name: exit status $rc, expected 0; stderr:"
        sed 's/^/    | /' "$SCRATCH/$name.stderr" >&2
        return 1
    fi
    return 0
}

# True when process $1 has ended (or is a zombie its parent has not reaped: not for children).
gone() {
    ! kill -0 "$1" 2>/dev/null
}

# signal_worker_when NAME PID SIGNAL PREDICATE ARGS...: polls PREDICATE ARGS... for up to 10 s,
# then sends SIGNAL to the newest child of $WORKER_PARENT (which the predicate may set; PID when
# empty) and sets VICTIM to it. When the predicate never holds: records a failure, kills and
# reaps PID, returns 1.
signal_worker_when() {
    local name=$1 pid=$2 sig=$3
    shift 3
    WORKER_PARENT=
    if ! wait_until 10 "$@"; then
        fail "$name: the workers did not start"
        kill -KILL "$pid"
        wait "$pid"
        return 1
    fi
    VICTIM=$(pgrep -P "${WORKER_PARENT:-$pid}" | tail -1)
    kill "-$sig" "$VICTIM"
}

# True when process $1 (a reader started in the background) has opened the FIFO $2 or waits in
# that open for a writer: a program opening the FIFO then finds a reader and is not refused.
fifo_attached() {
    local fd
    [ "$(cat "/proc/$1/wchan" 2>/dev/null)" = wait_for_partner ] && return 0
    for fd in "/proc/$1/fd/"*; do
        [ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
    done
    return 1
}
