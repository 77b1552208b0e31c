# tasks.gp - wall time against task count (log-log), a line per model, from an
# tasks table of ptc-report.
#
#   ./build/release/ptc-report --chart tasks --csv /tmp/tasks-wall.tsv tasks-seq.csv tasks-par.csv
#   gnuplot -c plots/tasks.gp in=/tmp/tasks-wall.tsv out=/tmp/tasks 'machine=host vm, Intel(R) Xeon(R) Processor, 2 CPUs, kernel 6.18.44'
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-tasks" in place of ".tsv". The table has
# no machine columns: `machine` (optional) is the machine text for the title;
# without it the title gives the host column.
#
# x = task count (log), y = median wall time in ms (log); the error bars are the
# 95 % confidence interval of the median (wall_ci_lo_ms to wall_ci_hi_ms, which
# ptc-report sets to the median without a 95 % CI: fewer than 6 runs, whose
# min-max is no 95 % interval; no bar then). One series per model found in
# the file (in file order; nothing is hard-coded, so new models show up by
# themselves):
#   - seq, and models whose every row has W = tasks (fork, thread, coro: one
#     worker per task) are one series each,
#   - the other models (the pools) are one series per W in the file, e.g.
#     "procpool (pool of 8 processes)"; a second W of the same model keeps its
#     colour, with hollow points and a dashed line.
# Each series but seq is nudged a little left or right (a few hundredths of a
# decade) so that series with the same wall time at a task count (all of them
# at 1 task, the pools at every count) do not hide each other's points and bars.
# When task_ms is a number, two dashed reference lines: the ideal of a fully
# concurrent run (every task at once: wall = task_ms, flat) and the ideal of
# seq (one task after another: wall = tasks x task_ms).
# The file is meant to hold one workload and one task length (a task count
# sweep); several of them are not told apart (a warning says so).

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/tasks.gp in=tasks-wall.tsv out=prefix machine=..."
}
if (!exists("out")) {
    out = table_stem(in)."-tasks"
}

# ---------------------------------------------------------------- first pass
# Distinct models, task counts, workloads, task lengths, runs (space-separated
# words, in file order); models with a row where W != tasks; the y range.
models = " "; tasklist = " "; workloads = " "; tmslist = " "; runlist = " "
notpertask = " "; nrows = 0
host = ""; workload = ""; task_ms = ""
ymin = 1e300; ymax = 0
stats in using ( nrows = nrows + 1, \
    models    = addword(models, strcol("model")), \
    tasklist  = addword(tasklist, sprintf("%d", column("tasks"))), \
    workloads = addword(workloads, strcol("workload")), \
    tmslist   = addword(tmslist, strcol("task_ms") eq "" ? "-" : strcol("task_ms")), \
    runlist   = addword(runlist, strcol("runs")), \
    notpertask = (column("workers") != column("tasks") ? addword(notpertask, strcol("model")) : notpertask), \
    ymin = (column("wall_min_ms") > 0 && column("wall_min_ms") < ymin ? column("wall_min_ms") : ymin), \
    ymin = (column("wall_median_ms") > 0 && column("wall_median_ms") < ymin ? column("wall_median_ms") : ymin), \
    ymax = (column("wall_max_ms") > ymax ? column("wall_max_ms") : ymax), \
    ymax = (column("wall_median_ms") > ymax ? column("wall_median_ms") : ymax), \
    host = strcol("host"), workload = strcol("workload"), task_ms = strcol("task_ms"), \
    1) nooutput
if (nrows == 0 || words(models) == 0) {
    exit error sprintf("tasks.gp: no data rows in %s", in)
}
if (!(ymax > 0)) {
    exit error sprintf("tasks.gp: no wall times (wall_median_ms) in %s", in)
}
if (words(workloads) > 1 || words(tmslist) > 1) {
    print sprintf("tasks.gp: warning: %s holds several workloads (%s) or task lengths (%s); they are not told apart", \
                  in, workloads, tmslist)
}

# task_ms as a number (NaN when empty or a random range such as "5:15").
TMS = (task_ms ne "" && strstrt(task_ms, ":") == 0 && task_ms + 0 > 0) ? task_ms + 0.0 : NaN
have_ideal = TMS == TMS

# ------------------------------------------------------------- task counts
nt = words(tasklist)
array TK[nt]
tmin = 1e300; tmax = 0
do for [k = 1:nt] {
    TK[k] = int(word(tasklist, k))
    if (TK[k] < tmin) { tmin = TK[k] }
    if (TK[k] > tmax) { tmax = TK[k] }
}
# The flat ideal sits in the y range; the ideal of seq may leave it at the top
# (10 s at 1000 tasks of 10 ms would squash the data into a corner).
if (have_ideal && TMS < ymin) { ymin = TMS }

# ------------------------------------------------------------------ series
# One series per model, or per (model, W) for the pools: SW = -1 for "any W".
ismodel_pertask(m) = m ne "seq" && strstrt(m, "pool") == 0 && strstrt(notpertask, " ".m." ") == 0
nm = words(models)
array MW[nm]                         # distinct W of each model (word list)
do for [i = 1:nm] {
    m = word(models, i)
    wl = " "
    stats in using ((strcol("model") eq m ? (wl = addword(wl, sprintf("%d", column("workers")))) : 0), 1) nooutput
    MW[i] = wl
}
nsmax = 0
do for [i = 1:nm] { nsmax = nsmax + words(MW[i]) }
array SM[nsmax]                      # model name
array SW[nsmax]                      # W of a pool series, -1: every row of the model
array SI[nsmax]                      # model index (colour, point type)
array SK[nsmax]                      # 1 for the first W of a model, 2 for the second, ...
array SP[nsmax]                      # 1: one worker per task
ns = 0
do for [i = 1:nm] {
    m = word(models, i)
    if (m eq "seq" || ismodel_pertask(m)) {
        ns = ns + 1
        SM[ns] = m; SW[ns] = -1; SI[ns] = mo(family(m), i); SK[ns] = 1; SP[ns] = ismodel_pertask(m)
    } else {
        do for [j = 1:words(MW[i])] {
            ns = ns + 1
            SM[ns] = m; SW[ns] = int(word(MW[i], j)); SI[ns] = mo(family(m), i); SK[ns] = j; SP[ns] = 0
        }
    }
}
# x nudge of each series, in decades, centred on 0. seq is not nudged, so that
# it sits where it should against the (slope 1) ideal of seq.
array SX[ns]
nn = 0
do for [s = 1:ns] { if (SM[s] ne "seq") { nn = nn + 1 } }
q = 0
do for [s = 1:ns] {
    SX[s] = 0
    if (SM[s] ne "seq") { q = q + 1; SX[s] = q - (nn + 1) / 2.0 }
}
NUDGE = 0.014
xn(s) = 10 ** (NUDGE * SX[s])

label(s) = is_peer(SM[s]) ? sprintf("%s (%s%s)", SM[s], peer_text(SM[s]), \
                                     SW[s] > 0 ? sprintf(", W = %d", SW[s]) : "") : \
           SM[s] eq "seq" ? "seq (tasks one after another)" : \
           SP[s] ? (unit(SM[s]) ne "" ? sprintf("%s (one %s per task%s)", SM[s], unit(SM[s]), over(SM[s])) \
                                      : sprintf("%s (one worker per task)", SM[s])) : \
           SW[s] > 0 ? (unit(SM[s]) ne "" ? sprintf("%s (pool of %d %s%s)", SM[s], SW[s], \
                                                    SW[s] == 1 ? unit(SM[s]) : plural(unit(SM[s])), over(SM[s])) \
                                          : sprintf("%s (W = %d)", SM[s], SW[s])) : \
           SM[s]

# ----------------------------------------------------------------- title
tasks_txt = tmin == tmax ? sprintf("%d tasks", tmin) : sprintf("%d to %d tasks", tmin, tmax)
tms_w = words(tmslist) == 1 ? word(tmslist, 1) : ""
ms_txt = ms_text(tms_w)
wl_txt = words(workloads) == 1 ? word(workloads, 1) : "several workloads"
machine_txt = machine_text(host)
title_txt = sprintf("%s: %s%s, wall time against task count\n%s", wl_txt, tasks_txt, ms_txt, machine_txt)
runs_txt = words(runlist) == 1 ? sprintf("%s runs", word(runlist, 1)) : "the runs"

# ----------------------------------------------------------------- style
set termoption noenhanced           # names like my_host stay as they are
set title title_txt font ",15"
set xlabel "tasks in the run (count, log scale)" font ",13"
# The y label as a label at a fixed place: gnuplot makes room for one line
# only, so a two-line ylabel runs into the tick labels.
unset ylabel
set lmargin 12
set label 2 sprintf("wall time (ms, log scale)\nmedian of %s; bars: its 95 %% CI (none under 6 runs)", runs_txt) \
    at screen 0.028, graph 0.5 center rotate by 90 font ",13"
set tics font ",12"
# Key under the plot, two columns, so it never covers data.
nkeys = ns + (have_ideal ? 2 : 0)
eval KEY_BELOW
set grid xtics ytics mxtics mytics lc rgb "#d0d0d0" lw 1 dt 1
set border lw 1.2

set logscale x 10
set xrange [tmin / 10 ** 0.12 : tmax * 10 ** 0.12]
set xtics () nomirror
do for [e = floor(log10(tmin) + 1e-9) : ceil(log10(tmax) - 1e-9)] {
    set xtics add (sprintf("%d", 10**e) 10**e)
}
# Task counts that are not powers of ten get a tick too, unless there are many.
if (nt <= 8) {
    do for [t in tasklist] {
        set xtics add (t int(t))
    }
}
set mxtics 10

set logscale y 10
ylo = ymin / 10 ** 0.12
yhi = ymax * 10 ** 0.12
set yrange [ylo : yhi]
# Ticks at 1, 2, 5 x 10^e (1 and 10^e only when the range spans many decades).
set ytics () nomirror
do for [e = floor(log10(ylo)) : ceil(log10(yhi))] {
    do for [f in (log10(yhi / ylo) > 4 ? "1" : "1 2 5")] {
        v = int(f) * 10.0 ** e
        if (v >= ylo && v <= yhi) { set ytics add (sprintf("%g", v) v) }
    }
}
set mytics 10
set samples 400

# ------------------------------------------------------ series data blocks
# Each series' rows as a data block $S<s>: x (nudged task count), median wall
# time in ms and the ends of its bar. (Filtering the CSV in the plot command with NaN for the
# other rows would break the line at every row of another series.)
sel(s) = strcol("model") eq SM[s] && (SW[s] < 0 || column("workers") == SW[s]) && column("wall_median_ms") > 0
do for [s = 1:ns] {
    eval sprintf("set table $S%d", s)
    plot in using (column("tasks") * xn(s)):(column("wall_median_ms")): \
        (column("wall_ci_lo_ms")):(column("wall_ci_hi_ms")) with table if (sel(s))
    unset table
}
set datafile separator whitespace
set datafile nocolumnheaders

# -------------------------------------------------------------- plot command
# Built as text: the ideals, then per series the bars (no key entry) and the
# medians as a line through its points, sorted by task count (smooth unique).
cmd = "plot"
sep = " "
if (have_ideal) {
    cmd = cmd . sep . sprintf("TMS with lines dt (14,8) lw 2 lc rgb \"black\" " \
        . "title \"ideal: all tasks at once (%g ms)\"", TMS)
    cmd = cmd . ", " . sprintf("x * TMS with lines dt (3,5) lw 2 lc rgb \"black\" " \
        . "title \"ideal of seq: tasks × %g ms\"", TMS)
    sep = ", "
}
do for [s = 1:ns] {
    cmd = cmd . sep . sprintf("$S%d using 1:2:3:4 with yerrorbars pt 0 lw 1.6 lc rgb \"%s\" notitle", s, col(SI[s]))
    sep = ", "
    cmd = cmd . sep . sprintf("$S%d using 1:2 smooth unique with linespoints lw 2.2 dt %s pt %d ps (1.6 * PSC) " \
        . "lc rgb \"%s\" title label(%d)", s, sdt(s), spt(s), col(SI[s]), s)
}

eval DRAW
