# shellcheck shell=bash
# Sourced by scripts/ptcbench: aggregates a results folder with ptc-report and draws every chart
# with the gnuplot scripts in plots/. Each chart's command is recorded in CHART_CMDS[name], run
# from inside the folder, for the report's "reproduce" lines.

declare -gA CHART_CMDS=()

# ptc_chart WORK NAME SCRIPT VARS: gnuplot -e "VARS; out='NAME'" plots/SCRIPT, in WORK.
ptc_chart() {
    local work=$1 name=$2 script=$3 vars=$4
    (cd "$work" && gnuplot -e "$vars; out='$name'" "$PTC_ROOT/plots/$script") || {
        echo "$PROG: plots/$script failed on $vars" >&2
        return 1
    }
    CHART_CMDS[$name]="gnuplot -e \"$vars; out='$name'\" plots/$script"
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
    local work=$1 bin=$2 runs=""
    local n
    for n in noop sleep cpu file net tasks- mixed-; do runs+=$(ptc_csvs "$work" "$n"); done
    # shellcheck disable=SC2086
    (cd "$work" &&
        "$bin/ptc-report" --csv aggregate.csv --md aggregate.md --findings findings.md \
            $runs claims.csv spawn.csv switch.csv mem.csv skynet.csv lock.csv ipc.csv &&
        "$bin/ptc-report" --csv tasks-agg.csv $(ptc_csvs "$work" tasks-) &&
        "$bin/ptc-report" --csv mixed-agg.csv $(ptc_csvs "$work" mixed-))
}

# ptc_draw_charts WORK BIN: every chart, PNG and SVG.
ptc_draw_charts() {
    local work=$1 bin=$2 m cpus machine w
    m=$("$bin/ptc-run" --machine)
    cpus=$(sed -n 's/^cpus: //p' <<<"$m")
    machine="host $(sed -n 's/^host: //p' <<<"$m"), $(sed -n 's/^cpu_model: //p' <<<"$m" | tr -d "'"), $cpus CPUs, kernel $(sed -n 's/^kernel: //p' <<<"$m")"
    for w in sleep cpu file net; do
        ptc_chart "$work" "$w-speedup" speedup.gp "in='$w-summary.csv'" || return 1
    done
    ptc_chart "$work" tasks-wall tasks.gp "in='tasks-agg.csv'; machine='$machine'" &&
        ptc_chart "$work" mixed-crossover crossover.gp "in='mixed-agg.csv'; machine='$machine'; cpus=$cpus" &&
        ptc_chart "$work" spawn-cost cost.gp "in='spawn.csv'" &&
        ptc_chart "$work" switch-cost cost.gp "in='switch.csv'" &&
        ptc_chart "$work" mem-per-unit memory.gp "in='mem.csv'" &&
        ptc_chart "$work" claims-pool-gantt gantt.gp "in='claims-timeline.csv'; claim='02'" &&
        ptc_chart "$work" claims-ledger claims.gp "in='claims.csv'" &&
        ptc_chart "$work" hyperfine-wall hyperfine.gp "in='hyperfine-compare.csv'; machine='$machine'"
}
