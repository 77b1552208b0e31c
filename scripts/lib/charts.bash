# shellcheck shell=bash
# Sourced by scripts/ptcbench: aggregates a results folder with ptc-report, which also writes each
# chart's table (NAME.tsv, every value computed), and draws the charts from those tables with the
# gnuplot scripts in plots/. Each chart's commands are recorded in AGG_CMDS[name] (its table) and
# CHART_CMDS[name] (the drawing), run from inside the folder, for the report's "reproduce" lines.

# shellcheck disable=SC2034 # read by report.bash
declare -gA CHART_CMDS=() AGG_CMDS=()

# ptc_report WORK BIN KEY ARGS: BIN/ptc-report ARGS in WORK, recorded as AGG_CMDS[KEY].
ptc_report() {
    local work=$1 bin=$2 key=$3 args=$4
    # shellcheck disable=SC2086 # ARGS are words
    (cd "$work" && "$bin/ptc-report" $args) || {
        echo "$PROG: ptc-report $args failed" >&2
        return 1
    }
    AGG_CMDS[$key]="${PTC_REL_BIN:-.}/ptc-report $args"
}

# ptc_chart WORK NAME SCRIPT VARS: gnuplot -e "VARS; out='NAME'" plots/SCRIPT, in WORK.
ptc_chart() {
    local work=$1 name=$2 script=$3 vars=$4
    (cd "$work" && gnuplot -e "$vars; out='$name'" "$PTC_ROOT/plots/$script") || {
        echo "$PROG: plots/$script failed on $vars" >&2
        return 1
    }
    CHART_CMDS[$name]="gnuplot -e \"$vars; out='$name'\" ${PTC_REL_ROOT:-.}/plots/$script"
}

# ptc_table_chart WORK BIN NAME CHART INPUTS VARS: ptc-report --chart CHART writes NAME.tsv from
# INPUTS, then plots/CHART.gp draws it with VARS.
ptc_table_chart() {
    local work=$1 bin=$2 name=$3 chart=$4 inputs=${5% } vars=$6
    ptc_report "$work" "$bin" "$name" "--chart $chart --csv $name.tsv $inputs" &&
        ptc_chart "$work" "$name" "$chart.gp" "in='$name.tsv'${vars:+; $vars}"
}

# ptc_step_names WORK PREFIX: the done steps whose names start with PREFIX, in plan order.
ptc_step_names() {
    grep -- "^$2" "$1/.steps-done" || true
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
    machine="host $(sed -n 's/^host: //p' <<<"$m"), $(sed -n 's/^cpu_model: //p' <<<"$m" | tr -d "'"), $cpus CPUs, kernel $(sed -n 's/^kernel: //p' <<<"$m")"
    order=$("$bin/ptc-run" --list | sed -n '/^models:/,/^workloads:/s/^  \([a-z0-9_]*\) .*/\1/p' | paste -sd' ' -)
    for w in sleep cpu file net; do
        case $w in
        file) size="$(ptc_step_arg file --file-kib) KiB per file" ;;
        net) size="$(ptc_step_arg net --net-kib) KiB answered after $(ptc_step_arg net --net-latency-ms) ms" ;;
        *) size= ;;
        esac
        ptc_table_chart "$work" "$bin" "$w-speedup" speedup "$w.csv" "machine='$machine'; model_order='$order'${size:+; size='$size'}" || return 1
    done
    ptc_table_chart "$work" "$bin" tasks-wall tasks "$(ptc_csvs "$work" tasks-)" "machine='$machine'; model_order='$order'" &&
        ptc_table_chart "$work" "$bin" mixed-crossover crossover "$(ptc_csvs "$work" mixed)" "machine='$machine'; cpus=$cpus; model_order='$order'" &&
        ptc_table_chart "$work" "$bin" spawn-cost cost spawn.csv "" &&
        ptc_table_chart "$work" "$bin" switch-cost cost switch.csv "" &&
        ptc_table_chart "$work" "$bin" mem-per-unit memory mem.csv "" &&
        ptc_chart "$work" claims-pool-gantt gantt.gp "in='claims-timeline.csv'; claim='02'; machine='$machine'" &&
        ptc_table_chart "$work" "$bin" claims-ledger claims claims.csv "" &&
        ptc_table_chart "$work" "$bin" hyperfine-wall hyperfine "hyperfine.csv hyperfine-inproc.csv" "machine='$machine'"
}
