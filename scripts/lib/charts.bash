# shellcheck shell=bash
# Sourced by scripts/ptcbench: aggregates a results folder with ptc-report, which also writes each
# chart's table (NAME.tsv, every value computed), and draws the charts from those tables with the
# gnuplot scripts in plots/. Each chart's commands are recorded in AGG_CMDS[name] (its table) and
# CHART_CMDS[name] (the drawing), run from inside the folder, for the report's "reproduce" lines.

# shellcheck disable=SC2034 # read by report.bash
declare -gA CHART_CMDS=() AGG_CMDS=()

# ptc_report WORK BIN KEY ARGS: BIN/ptc-report ARGS in WORK, recorded as AGG_CMDS[KEY].
ptc_report() {
    local work=$1 bin=$2 key=$3 args=$4 words
    read -ra words <<<"$args" # words split at blanks, no glob expanded
    (cd "$work" && "$bin/ptc-report" "${words[@]}") || {
        echo "$PROG: ptc-report $args failed" >&2
        return 1
    }
    AGG_CMDS[$key]="${PTC_REL_BIN:-.}/ptc-report $args"
}

# ptc_shell_word S: S as one shell word, quoted only when it needs it (for the report's lines).
ptc_shell_word() {
    if [[ $1 =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# ptc_chart WORK NAME SCRIPT ARG...: gnuplot -c plots/SCRIPT in WORK with the arguments ARG
# (each NAME=VALUE, see plots/lib.gp) and out=NAME. Every value reaches gnuplot as a string
# argument, never as gnuplot code: a host name or a file name with quotes, backquotes or
# system(...) is drawn as text. A chart whose PNG or SVG is missing or empty (a full disk) fails.
ptc_chart() {
    local work=$1 name=$2 script=$3 a cmd
    shift 3
    if ! (cd "$work" && gnuplot -c "$PTC_ROOT/plots/$script" "$@" "out=$name") ||
        [ ! -s "$work/$name.png" ] || [ ! -s "$work/$name.svg" ]; then
        echo "$PROG: plots/$script failed on $name ($work/$name.png or .svg missing or empty)" >&2
        rm -f "$work/$name.png" "$work/$name.svg"
        return 1
    fi
    cmd="gnuplot -c ${PTC_REL_ROOT:-.}/plots/$script"
    for a in "$@" "out=$name"; do cmd+=" $(ptc_shell_word "$a")"; done
    CHART_CMDS[$name]=$cmd
}

# ptc_table_chart WORK BIN NAME CHART INPUTS ARG...: ptc-report --chart CHART writes NAME.tsv
# from INPUTS, then plots/CHART.gp draws it with in=NAME.tsv and the ARGs.
ptc_table_chart() {
    local work=$1 bin=$2 name=$3 chart=$4 inputs=${5% }
    shift 5
    ptc_report "$work" "$bin" "$name" "--chart $chart --csv $name.tsv $inputs" &&
        ptc_chart "$work" "$name" "$chart.gp" "in=$name.tsv" "$@"
}

# ptc_step_names WORK PREFIX: the done steps of the plan whose names start with PREFIX, in plan
# order. Only the plan's names: a name in .steps-done that the plan has not is no file name.
ptc_step_names() {
    local entry
    for entry in "${PLAN[@]}"; do
        case ${entry%%|*} in
        "$2"*) ! ptc_step_done "$1" "${entry%%|*}" || echo "${entry%%|*}" ;;
        esac
    done
}

# ptc_csvs WORK PREFIX: their run CSVs, as words relative to WORK.
ptc_csvs() {
    local n
    for n in $(ptc_step_names "$1" "$2"); do printf '%s.csv ' "$n"; done
}

# ptc_aggregate WORK BIN: the aggregate of every ptc-run step (aggregate.csv, aggregate.md) and
# the findings of all of them with the claims (findings.md).
ptc_aggregate() {
    local work=$1 bin=$2 runs="" n
    for n in noop sleep cpu file net tasks- mixed; do runs+=$(ptc_csvs "$work" "$n"); done
    ptc_report "$work" "$bin" findings "--csv aggregate.csv --md aggregate.md --findings findings.md ${runs}claims.csv spawn.csv switch.csv mem.csv skynet.csv lock.csv ipc.csv"
}

# ptc_step_arg NAME FLAG: the value of FLAG in the plan's arguments of step NAME.
ptc_step_arg() {
    local entry
    for entry in "${PLAN[@]}"; do
        [ "${entry%%|*}" = "$1" ] || continue
        sed -n "s/.*$2 \([^ ]*\).*/\1/p" <<<"$entry"
    done
}

# ptc_draw_charts WORK BIN: every chart's table, and the chart from it, PNG and SVG. Every chart
# of models gets the order of the models ptc-run lists, so that a model has the same colour on
# all of them.
ptc_draw_charts() {
    local work=$1 bin=$2 m cpus machine w order size
    m=$("$bin/ptc-run" --machine)
    cpus=$(sed -n 's/^cpus: //p' <<<"$m")
    machine="host $(sed -n 's/^host: //p' <<<"$m"), $(sed -n 's/^cpu_model: //p' <<<"$m"), $cpus CPUs, kernel $(sed -n 's/^kernel: //p' <<<"$m")"
    order=$("$bin/ptc-run" --list | sed -n '/^models:/,/^workloads:/s/^  \([a-z0-9_]*\) .*/\1/p' | paste -sd' ' -)
    for w in sleep cpu file net; do
        case $w in
        file) size="$(ptc_step_arg file --file-kib) KiB per file" ;;
        net) size="$(ptc_step_arg net --net-kib) KiB answered after $(ptc_step_arg net --net-latency-ms) ms" ;;
        *) size= ;;
        esac
        ptc_table_chart "$work" "$bin" "$w-speedup" speedup "$(ptc_csvs "$work" "$w")" "machine=$machine" "model_order=$order" ${size:+"size=$size"} || return 1
    done
    ptc_table_chart "$work" "$bin" tasks-wall tasks "$(ptc_csvs "$work" tasks-)" "machine=$machine" "model_order=$order" &&
        ptc_table_chart "$work" "$bin" mixed-crossover crossover "$(ptc_csvs "$work" mixed)" "machine=$machine" "cpus=$cpus" "model_order=$order" &&
        ptc_table_chart "$work" "$bin" spawn-cost cost spawn.csv &&
        ptc_table_chart "$work" "$bin" switch-cost cost switch.csv &&
        ptc_table_chart "$work" "$bin" mem-per-unit memory mem.csv &&
        ptc_table_chart "$work" "$bin" mem-runtimes memory "$(ptc_csvs "$work" mem)" runtimes=1 &&
        ptc_table_chart "$work" "$bin" claims-pool-gantt gantt claims-timeline.csv claim=02 &&
        ptc_table_chart "$work" "$bin" claims-ledger claims claims.csv &&
        ptc_table_chart "$work" "$bin" hyperfine-wall hyperfine "hyperfine.csv hyperfine-inproc.csv" "machine=$machine"
}
