# gantt.gp - Gantt timeline of tasks on workers, from a timeline CSV.
#
#   ./build/ptc-run --workload sleep --model procpool --workers 4 --tasks 5 \
#       --task-ms 100:300 --repeat 1 --warmup 0 --timeline /tmp/tl.csv --quiet
#   gnuplot -c plots/gantt.gp in=/tmp/tl.csv out=/tmp/tl-gantt
#   ./build/ptc-claims --time-scale 0.05 --quiet --out /tmp/claims
#   gnuplot -c plots/gantt.gp in=/tmp/claims/claims-timeline.csv claim=02 out=/tmp/claim02-gantt
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the CSV's name with "-gantt" in place of ".csv".
#
# The timeline CSV of runner/timeline.h, which ptc-run --timeline and ptc-claims both write:
#   claim,workload,model,workers,tasks,rep,task,worker,start_ns,end_ns
# (claim "-" for ptc-run's runs). One run is drawn: the first (claim, model, rep) in the file,
# or the one chosen with -e "claim='02'; model='procpool'; rep=0". Times are from the run's
# start, as recorded.
# y = worker, x = time (ms); one bar per task, labelled with its task number.
# The dotted line marks the first end of a task: in a pool with more tasks than
# workers, that is when the next waiting task can start.
# Timeline CSVs carry no machine columns: the title says so rather than guess.

# What the charts share (colours, output): plots/lib.gp, beside this script. Its tables are
# tab-separated; the timeline is a CSV.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/gantt.gp in=timeline.csv out=prefix [claim=02 model=procpool rep=0]"
}
if (!exists("out")) {
    out = (strlen(in) > 4 && in[strlen(in)-3:] eq ".csv" ? in[1:strlen(in)-4] : in)."-gantt"
}

set datafile separator comma
set datafile columnheaders

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
okc(d) = strcol("claim") eq claim
if (!exists("model")) {
    model = ""
    stats in using ((okc(0) && model eq "" ? model = strcol("model") : 0), 1) nooutput
}
if (!exists("rep")) {
    rep = -1
    stats in using ((okc(0) && strcol("model") eq model && rep < 0 ? rep = column("rep") : 0), 1) nooutput
} else {
    rep = rep + 0
}
workers = -1; workload = ""; ntasks = 0
okr(d) = okc(0) && strcol("model") eq model && column("rep") == rep
stats in using ((okr(0) && workers < 0 ? (workers = column("workers"), \
    workload = strcol("workload"), ntasks = column("tasks")) : 0), 1) nooutput
sel(d) = okr(0) && column("workers") == workers
n = 0; tmax = 0; wmax = 0; firstend = 1e300; firsttask = -1; maxtask = 0
stats in using (sel(0) ? (n = n + 1, tmax = (column("end_ns") > tmax ? column("end_ns") : tmax), \
    wmax = (column("worker") > wmax ? column("worker") : wmax), \
    maxtask = (column("task") > maxtask ? column("task") : maxtask), \
    (column("end_ns") < firstend ? (firstend = column("end_ns"), firsttask = column("task")) : 0)) : 0, 1) nooutput
if (n == 0) {
    exit error sprintf("gantt.gp: no rows for %s%s in %s", \
        claim ne "-" ? "claim ".claim.", " : "", model eq "" ? "any model" : "model ".model, in)
}
# Task(s) starting at or after the first end (waited for a free worker).
late = ""
stats in using ((sel(0) && column("start_ns") >= firstend - 1e3 ? late = late . sprintf(" %d", column("task")) : 0), 1) nooutput

# ----------------------------------------------------------------- style
what = (claim ne "-" ? sprintf("claim %s, ", claim) : "") . \
       sprintf("%s: %s, W = %d, %d tasks, rep %d", workload, model, workers, ntasks, rep)
# The machine, when the caller gives it as `machine`.
title_txt = exists("machine") && machine ne "" ? \
    sprintf("Timeline of tasks on workers - %s\n%s", what, machine) : \
    sprintf("Timeline of tasks on workers - %s\n(%s; the timeline CSV records no machine)", what, in)
set termoption noenhanced
set title title_txt font ",15"
set xlabel "time from the run's start (ms)" font ",13"
set ylabel "worker (slot in the pool)" font ",13"
set tics font ",12"
set yrange [wmax + 0.7 : -0.7]       # worker 0 at the top
set ytics 1 nomirror
set xrange [0 : tmax / 1e6 * 1.04]
set xtics nomirror
set mxtics 5
set grid xtics mxtics lc rgb "#d0d0d0" lw 1 dt 1, lc rgb "#eeeeee"
set border lw 1.2
set arrow 1 from first firstend / 1e6, graph 0 to first firstend / 1e6, graph 1 nohead dt (4,4) lw 2 lc rgb "#404040" back
set label 2 sprintf("first task ends (task %d, %.1f ms)%s", firsttask, firstend / 1e6, \
    late ne "" ? "; task".(words(late) > 1 ? "s" : "").late." start".(words(late) > 1 ? "" : "s")." here" : "") \
    at first firstend / 1e6, graph 1.0 left offset 0.5, -1 font ",12" textcolor rgb "#202020" front
set bmargin 7
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 \
    spacing 1.25 width 1 font ",12" box maxrows 2

# One series per task (its own colour and key entry), then the labels.
cmd = "plot"
sep = " "
do for [t = 0:maxtask] {
    cmd = cmd . sep . sprintf("in using (sel(0) && column(\"task\") == %d ? (column(\"start_ns\") + column(\"end_ns\")) / 2e6 : NaN):(column(\"worker\")):(column(\"start_ns\") / 1e6):(column(\"end_ns\") / 1e6):(column(\"worker\") - 0.35):(column(\"worker\") + 0.35) with boxxyerror fs solid 0.8 border lc rgb \"black\" lc rgb \"%s\" title sprintf(\"task %d\")", t, col(t + 1), t)
    sep = ", "
}
cmd = cmd . ", in using (sel(0) ? (column(\"start_ns\") + column(\"end_ns\")) / 2e6 : NaN):(column(\"worker\")):(sprintf(\"task %d  (%.1f-%.1f ms)\", column(\"task\"), column(\"start_ns\") / 1e6, column(\"end_ns\") / 1e6)) with labels font \",12\" tc rgb \"white\" notitle"

eval DRAW
