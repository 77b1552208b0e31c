# shellcheck shell=bash
# Sourced by scripts/ptcbench: aggregates a results folder with ptc-report and draws every chart
# with the gnuplot scripts in plots/. Each chart's command is recorded in CHART_CMDS[name], run
# from inside the folder, for the report's "reproduce" lines.

# shellcheck disable=SC2034 # read by report.bash
declare -gA CHART_CMDS=() AGG_CMDS=()

# ptc_chart WORK NAME SCRIPT VARS: gnuplot -e "VARS; out='NAME'" plots/SCRIPT, in WORK.
ptc_chart() {
    local work=$1 name=$2 script=$3 vars=$4
    (cd "$work" && gnuplot -e "$vars; out='$name'" "$PTC_ROOT/plots/$script") || {
        echo "$PROG: plots/$script failed on $vars" >&2
        return 1
    }
    CHART_CMDS[$name]="gnuplot -e \"$vars; out='$name'\" ${PTC_REL_ROOT:-.}/plots/$script"
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
# of the task-count and CPU-fraction sweeps on their own (tasks-agg.csv, mixed-agg.csv), and
# the findings of all of them with the claims (findings.md).
ptc_aggregate() {
    local work=$1 bin=$2 runs="" n
    for n in noop sleep cpu file net tasks- mixed; do runs+=$(ptc_csvs "$work" "$n"); done
    AGG_CMDS[findings]="--csv aggregate.csv --md aggregate.md --findings findings.md ${runs}claims.csv spawn.csv switch.csv mem.csv skynet.csv lock.csv ipc.csv"
    AGG_CMDS[tasks-wall]="--csv tasks-agg.csv $(ptc_csvs "$work" tasks-)"
    AGG_CMDS[mixed-crossover]="--csv mixed-agg.csv $(ptc_csvs "$work" mixed)"
    for n in findings tasks-wall mixed-crossover; do
        # shellcheck disable=SC2086
        (cd "$work" && "$bin/ptc-report" ${AGG_CMDS[$n]}) || return 1
        AGG_CMDS[$n]="${PTC_REL_BIN:-.}/ptc-report ${AGG_CMDS[$n]}"
    done
}

# ptc_step_arg NAME FLAG: the value of FLAG in the plan's arguments of step NAME.
ptc_step_arg() {
    local entry
    for entry in "${PLAN[@]}"; do
        [ "${entry%%|*}" = "$1" ] || continue
        sed -n "s/.*$2 \([^ ]*\).*/\1/p" <<<"$entry"
    done
}

# ptc_draw_charts WORK BIN: every chart, PNG and SVG. Every chart of models gets the order of
# the models ptc-run lists, so that a model has the same colour on all of them.
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
        ptc_chart "$work" "$w-speedup" speedup.gp "in='$w-summary.csv'; model_order='$order'${size:+; size='$size'}" || return 1
    done
    ptc_chart "$work" tasks-wall tasks.gp "in='tasks-agg.csv'; machine='$machine'; model_order='$order'" &&
        ptc_chart "$work" mixed-crossover crossover.gp "in='mixed-agg.csv'; machine='$machine'; cpus=$cpus; model_order='$order'" &&
        ptc_chart "$work" spawn-cost cost.gp "in='spawn.csv'" &&
        ptc_chart "$work" switch-cost cost.gp "in='switch.csv'" &&
        ptc_chart "$work" mem-per-unit memory.gp "in='mem.csv'" &&
        ptc_chart "$work" claims-pool-gantt gantt.gp "in='claims-timeline.csv'; claim='02'; machine='$machine'" &&
        ptc_chart "$work" claims-ledger claims.gp "in='claims.csv'" &&
        ptc_chart "$work" hyperfine-wall hyperfine.gp "in='hyperfine-compare.csv'; machine='$machine'"
}
