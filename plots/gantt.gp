# gantt.gp - Gantt timeline of tasks on workers: one panel per run, from the table of
# `ptc-report --chart gantt`, which reads any timeline CSV (ptc-run --timeline, ptc-claims'
# claims-timeline.csv) and computes every value drawn here (src/report/chart_gantt.c).
#
#   ./build/ptc-run --workload cpu --model seq,procpool --workers 4 --tasks 16 --task-ms 10 \
#       --timeline /tmp/tl.csv --quiet
#   ./build/ptc-report --chart gantt --csv /tmp/tl.tsv /tmp/tl.csv
#   gnuplot -c plots/gantt.gp in=/tmp/tl.tsv out=/tmp/tl-gantt [model=procpool] [rep=2]
#   ./build/ptc-report --chart gantt --csv /tmp/claims.tsv /tmp/claims/claims-timeline.csv
#   gnuplot -c plots/gantt.gp in=/tmp/claims.tsv claim=02 out=/tmp/claim02-gantt
#
# Writes out.'.png' and out.'.svg' (1200x800); without `out`, the table's name with "-gantt".
# The runs drawn: those of one claim (`claim`, else the first row's; "-" for ptc-run's runs), of
# the model named (`model`, else every model), of repetition `rep` (else the first repetition of
# each configuration): one panel each, at most MAXP, in the table's order. The title says which.
# A panel: y = worker (lane 0 at the top), x = time from the run's start (ms, the axis the table
# gives, shared by the runs of one command), one bar per task coloured by its worker; its title
# holds the table's annotations (when all was done, which tasks waited for a free worker).
# A bar's label is the table's (the longest that fits the bar's width); a panel whose lanes are
# too low for a line of text (LABEL_PX) draws none. The machine in the title is the table's
# (recorded in the timeline CSV), or the `machine` text given.

# What the charts share (argument parsing, output): plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/gantt.gp in=TABLE.tsv out=prefix [claim=02 model=procpool rep=0]"
}
if (!exists("out")) {
    out = table_stem(in)."-gantt"
}

MAXP = 8        # panels at most
LABEL_PX = 15   # the lane height (px) a label needs

# ---------------------------------------------------------------- selection
nrows = 0
stats in using (nrows = nrows + 1, 1) nooutput
if (nrows == 0) {
    exit error sprintf("gantt.gp: no data rows in %s", in)
}
if (!exists("claim")) {
    stats in every ::0::0 using (claim = strcol("claim"), 1) nooutput
}
# Claim ids are two-digit strings ("02"); claim=2 given as a number works too.
claim = "".claim
if (strlen(claim) == 1 && claim ne "-") { claim = "0".claim }
model_named = exists("model") ? "".model : ""
rep_named = exists("rep") ? rep + 0 : -1
sel(d) = strcol("claim") eq claim && (model_named eq "" || strcol("model") eq model_named) && \
    (rep_named < 0 ? column("first_rep") == 1 : column("rep") == rep_named)
runs = " "
stats in using ((sel(0) ? runs = addword(runs, sprintf("%d", column("run"))) : 0), 1) nooutput
nruns = words(runs)
if (nruns == 0) {
    exit error sprintf("gantt.gp: no run of %s%s%s in %s", claim ne "-" ? "claim ".claim : "ptc-run", \
        model_named ne "" ? ", model ".model_named : "", rep_named >= 0 ? sprintf(", rep %d", rep_named) : "", in)
}
NP = nruns < MAXP ? nruns : MAXP

# Per panel: its run, lanes, axis end and title; the machine and what the runs share.
array P_RUN[NP]
array P_LANES[NP]
array P_X[NP]
array P_TITLE[NP]
machine_t = ""; workload = " "; ntasks = " "
do for [p = 1:NP] {
    P_RUN[p] = word(runs, p) + 0
    stats in using ((column("run") == P_RUN[p] ? (lanes_p = column("lanes"), x_p = column("xmax_ms"), \
        title_p = strcol("title"), machine_t = strcol("machine"), \
        workload = addword(workload, strcol("workload")), ntasks = addword(ntasks, strcol("tasks"))) : 0), 1) nooutput
    P_LANES[p] = lanes_p
    P_X[p] = x_p
    P_TITLE[p] = title_p
}

# ----------------------------------------------------------------- layout
# Panels stacked from TOP to BOTTOM, each as high as its lanes (unit_h of the screen each, at
# most 0.09) plus PAD for its title above and its time axis below, so that a run on one worker
# gets a thin panel; the stack centred in what it leaves.
TOP = 0.91; BOTTOM = 0.05; PAD = 0.1
lanes_sum = 0
do for [p = 1:NP] { lanes_sum = lanes_sum + P_LANES[p] }
unit_h = (TOP - BOTTOM - NP * PAD) / lanes_sum
unit_h = unit_h > 0.09 ? 0.09 : unit_h
array P_TOP[NP]
y = TOP - (TOP - BOTTOM - NP * PAD - lanes_sum * unit_h) / 2
do for [p = 1:NP] { P_TOP[p] = y; y = y - P_LANES[p] * unit_h - PAD }

# Colours by worker (lane): 12 distinct colours, drawn half-strength under black labels.
array GCOL[12] = [0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00, 0x56b4e9, \
                  0x8c564b, 0x7f7f7f, 0xbcbd22, 0x9467bd, 0xf0e442, 0x17becf]
gcol(l) = GCOL[int(l) % 12 + 1]

# ----------------------------------------------------------------- style
shown = (claim ne "-" ? "claim ".claim.", " : "") . \
    (model_named ne "" ? "model ".model_named." only" : "every model") . \
    (rep_named >= 0 ? sprintf(", rep %d", rep_named) : ", first rep of each") . \
    (nruns > NP ? sprintf(" (the first %d of %d runs: choose with model= or rep=)", NP, nruns) : "")
machine_line = exists("machine") && machine ne "" ? machine : machine_t
title_txt = sprintf("Timeline of tasks on workers - %s, %s tasks; %s\n%s", \
    workload[2:strlen(workload) - 1], ntasks[2:strlen(ntasks) - 1], shown, machine_line)
set termoption noenhanced
unset key
set border lw 1.2
set tics font ",11"
set xtics nomirror out
set mxtics 5
set ytics nomirror out
set grid xtics mxtics lc rgb "#d0d0d0" lw 1 dt 1, lc rgb "#eeeeee"
set lmargin at screen 0.07
set rmargin at screen 0.98

# One panel, p: its margins, axes and title, then its bars and the labels that fit.
PANEL = "set tmargin at screen P_TOP[p] - PAD * 0.4; " . \
    "set bmargin at screen P_TOP[p] - PAD * 0.4 - P_LANES[p] * unit_h; " . \
    "set title P_TITLE[p] font \",12\" offset 0, -0.3; " . \
    "set xrange [0 : P_X[p]]; set yrange [P_LANES[p] - 0.5 : -0.5]; " . \
    "if (P_LANES[p] <= 16) { set ytics 1 } else { set ytics autofreq }; " . \
    "set ylabel (P_LANES[p] > 1 ? \"worker\" : \"\") font \",11\" offset 1, 0; " . \
    "set xlabel (p == NP ? \"time from the run's start (ms)\" : \"\") font \",12\" offset 0, 0.5; " . \
    "lane_px = unit_h * 800; " . \
    "plot in using (column(\"run\") == P_RUN[p] ? column(\"mid_ms\") : NaN):(column(\"lane\")):" . \
    "(column(\"start_ms\")):(column(\"end_ms\")):(column(\"lane\") - 0.38):(column(\"lane\") + 0.38):" . \
    "(gcol(column(\"lane\"))) with boxxyerror fs solid 0.55 border lc rgb \"#303030\" lc rgb variable, " . \
    "in using (column(\"run\") == P_RUN[p] && lane_px >= LABEL_PX ? column(\"mid_ms\") : NaN):" . \
    "(column(\"lane\")):(strcol(\"label\")) with labels font \",10\" tc rgb \"black\""

set label 1 title_txt at screen 0.5, screen 0.985 center font ",14" front
cmd = "set multiplot; do for [p = 1:NP] { eval PANEL }; unset multiplot"

eval DRAW
