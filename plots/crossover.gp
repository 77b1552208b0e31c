# crossover.gp - the crossover: speedup vs seq against the CPU fraction of the
# tasks (mixed workload), a line per model, from the crossover table of ptc-report.
#
#   ./build/release/ptc-report --chart crossover --csv /tmp/mixed-crossover.tsv mixed.csv
#   gnuplot -c plots/crossover.gp in=/tmp/mixed-crossover.tsv out=/tmp/crossover 'machine=host vm, Intel(R) Xeon(R) Processor, 2 CPUs, kernel 6.18.44' cpus=2
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-crossover" in place of ".tsv". The table
# has no machine columns: `machine` (optional) is the machine text for the
# title, without it the title gives the host column; `cpus` (optional) is the
# CPU count, drawn as a dotted reference line only when given.
#
# x = cpu_fraction (each task computes for that fraction of its task_ms and
# waits for the rest: 0 = all waiting, 1 = all computing); y = speedup vs seq
# (log scale) = the speedup column: median wall time of seq / median wall time
# of the model, with seq at the same cpu_fraction and task count; the error
# bars run from speedup_lo to speedup_hi, the speedup the ends of the 95 %
# confidence interval of the model's median give (ptc-report writes the speedup
# at both ends without a 95 % CI: fewer than 6 runs; no bar then). The rows
# need not be sorted by cpu_fraction.
# One line per (model, W) found in the file (in file order; nothing is
# hard-coded, so new models show up by themselves), seq excepted: seq is the
# grey line at 1x. Each line is nudged a little left or right (under 1% of the
# x axis) so that lines on top of each other (the pools and the per-task
# models when every task computes) do not hide each other's points and bars.
# The file is meant to hold one task count and one task length (a cpu_fraction
# sweep); several of them are not told apart (a warning says so).

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/crossover.gp in=mixed-crossover.tsv out=prefix machine=... cpus=N"
}
if (!exists("out")) {
    out = table_stem(in)."-crossover"
}

# ---------------------------------------------------------------- first pass
# Distinct models, (cpu_fraction, tasks) pairs, task counts, task lengths,
# workloads, waits, runs (space-separated words, in file order).
models = " "; fklist = " "; tasklist = " "; tmslist = " "; workloads = " "
waitlist = " "; runlist = " "; nrows = 0; nfrac = 0
host = ""
fkey(d) = sprintf("%.6g@%d", column("cpu_fraction"), column("tasks"))
validf(d) = column("cpu_fraction") == column("cpu_fraction")
stats in using ( nrows = nrows + 1, \
    models    = addword(models, strcol("model")), \
    fklist    = (validf(0) ? addword(fklist, fkey(0)) : fklist), \
    nfrac     = nfrac + (validf(0) ? 1 : 0), \
    tasklist  = addword(tasklist, sprintf("%d", column("tasks"))), \
    tmslist   = addword(tmslist, strcol("task_ms") eq "" ? "-" : strcol("task_ms")), \
    workloads = addword(workloads, strcol("workload")), \
    waitlist  = addword(waitlist, strcol("mixed_wait") eq "" ? "-" : strcol("mixed_wait")), \
    runlist   = addword(runlist, strcol("runs")), \
    host = strcol("host"), \
    1) nooutput
if (nrows == 0 || words(models) == 0) {
    exit error sprintf("crossover.gp: no data rows in %s", in)
}
if (nfrac == 0) {
    exit error sprintf("crossover.gp: no cpu_fraction in %s (not a mixed workload?)", in)
}
if (words(tasklist) > 1 || words(tmslist) > 1 || words(workloads) > 1) {
    print sprintf("crossover.gp: warning: %s holds several workloads (%s), task counts (%s) or task lengths (%s); they are not told apart", \
                  in, workloads, tasklist, tmslist)
}

# ------------------------------------------------- (cpu_fraction, tasks) pairs
nf = words(fklist)
array FK[nf]                         # "fraction@tasks"
do for [k = 1:nf] { FK[k] = word(fklist, k) }
# The speedup of the current row and the ends of its 95 % CI, as ptc-report wrote them.
sp_med(d) = column("speedup")
sp_lo(d)  = column("speedup_lo")
sp_hi(d)  = column("speedup_hi")

# ------------------------------------------------------------------ series
# One series per (model, W), seq left out (it is the line at 1x).
nm = words(models)
array MW[nm]                         # distinct W of each model (word list)
array MP[nm]                         # 1: every row of the model has W = tasks
do for [i = 1:nm] {
    m = word(models, i)
    wl = " "; pt = 1
    stats in using ((strcol("model") eq m ? \
        (wl = addword(wl, sprintf("%d", column("workers"))), \
         pt = pt && column("workers") == column("tasks")) : 0), 1) nooutput
    MW[i] = wl
    MP[i] = (pt && m ne "seq" && strstrt(m, "pool") == 0) ? 1 : 0
}
nsmax = 1
do for [i = 1:nm] { nsmax = nsmax + words(MW[i]) }
array SM[nsmax]                      # model name
array SW[nsmax]                      # W
array SI[nsmax]                      # model index (colour, point type)
array SK[nsmax]                      # 1 for the first W of a model, 2 for the second, ...
array SP[nsmax]                      # 1: one worker per task
ns = 0
do for [i = 1:nm] {
    m = word(models, i)
    if (m ne "seq") {
        do for [j = 1:words(MW[i])] {
            ns = ns + 1
            SM[ns] = m; SW[ns] = int(word(MW[i], j)); SI[ns] = mo(m, i); SK[ns] = j; SP[ns] = MP[i]
        }
    }
}
if (ns == 0) {
    exit error sprintf("crossover.gp: only seq in %s, nothing to compare", in)
}
# x nudge of each series, centred on 0.
NUDGE = 0.006
xn(s) = NUDGE * (s - (ns + 1) / 2.0)

label(s) = SP[s] ? (unit(SM[s]) ne "" ? sprintf("%s (one %s per task%s)", SM[s], unit(SM[s]), over(SM[s])) \
                                      : sprintf("%s (one worker per task)", SM[s])) : \
           unit(SM[s]) ne "" ? sprintf("%s (pool of %d %s%s)", SM[s], SW[s], \
                                       SW[s] == 1 ? unit(SM[s]) : plural(unit(SM[s])), over(SM[s])) : \
           sprintf("%s (W = %d)", SM[s], SW[s])

# ------------------------------------------------------ series data blocks
# Each series' rows as a data block $S<s>: x (nudged cpu_fraction), speedup,
# low, high. (Filtering the CSV in the plot command with NaN for the other
# rows would break the line at every row of another series.)
sel(s) = strcol("model") eq SM[s] && column("workers") == SW[s] && validf(0) && sp_med(0) > 0
do for [s = 1:ns] {
    eval sprintf("set table $S%d", s)
    plot in using (column("cpu_fraction") + xn(s)):(sp_med(0)):(sp_lo(0)):(sp_hi(0)) with table if (sel(s))
    unset table
}
set datafile separator whitespace
set datafile nocolumnheaders

# y range: every point and bar, seq (1) and the CPU count.
have_cpus = exists("cpus") ? (cpus + 0 > 0) : 0
ymin = 1; ymax = 1
do for [s = 1:ns] {
    eval sprintf("stats $S%d using (ymin = ($3 > 0 && $3 < ymin ? $3 : ymin), ymax = ($4 > ymax ? $4 : ymax), " \
                 . "ymin = ($2 > 0 && $2 < ymin ? $2 : ymin), ymax = ($2 > ymax ? $2 : ymax), 1) nooutput", s)
}
if (have_cpus && cpus + 0 > ymax) { ymax = cpus + 0 }
if (have_cpus && cpus + 0 < ymin) { ymin = cpus + 0 }

# x range and ticks: the fractions in the file.
fmin = 1e300; fmax = -1e300
fracs = " "
do for [k = 1:nf] {
    f = FK[k][1:strstrt(FK[k], "@")-1] + 0.0
    fracs = addword(fracs, sprintf("%.6g", f))
    if (f < fmin) { fmin = f }
    if (f > fmax) { fmax = f }
}
if (fmax - fmin < 0.1) { fmin = fmin - 0.05; fmax = fmax + 0.05 }

# ----------------------------------------------------------------- title
ntk = words(tasklist)
tasks_txt = ntk == 1 ? sprintf("%s tasks", word(tasklist, 1)) : "several task counts"
tms_w = words(tmslist) == 1 ? word(tmslist, 1) : ""
ms_txt = ms_text(tms_w)
wl_txt = words(workloads) == 1 ? word(workloads, 1) : "several workloads"
machine_txt = machine_text(host)
title_txt = sprintf("%s: %s%s, speedup vs seq against CPU fraction\n%s", wl_txt, tasks_txt, ms_txt, machine_txt)
runs_txt = words(runlist) == 1 ? sprintf("%s runs", word(runlist, 1)) : "the runs"
wait_w = words(waitlist) == 1 ? word(waitlist, 1) : ""
wait_txt = wait_w eq "" || wait_w eq "-" ? "waiting" : sprintf("waiting (%s)", wait_w)
task_txt = tms_w eq "" || tms_w eq "-" || strstrt(tms_w, ":") > 0 ? "each task" : sprintf("each task's %s ms", tms_w)

# ----------------------------------------------------------------- style
set termoption noenhanced           # names like my_host stay as they are
set title title_txt font ",15"
set xlabel sprintf("CPU fraction of %s (0 = all %s, 1 = all computing)", task_txt, wait_txt) font ",13"
# The y label as a label at a fixed place: gnuplot makes room for one line
# only, so a two-line ylabel runs into the tick labels.
unset ylabel
set lmargin 12
set label 2 sprintf("speedup vs seq (×, log scale)\nseq median / median of %s; bars: 95 %% CI (none under 6 runs)", runs_txt) \
    at screen 0.028, graph 0.5 center rotate by 90 font ",13"
set tics font ",12"
# Key under the plot, two columns, so it never covers data.
nkeys = ns + 1 + (have_cpus ? 1 : 0)
eval KEY_BELOW
set grid xtics ytics mytics lc rgb "#d0d0d0" lw 1 dt 1
set border lw 1.2

span = fmax - fmin
set xrange [fmin - 0.05 * span : fmax + 0.05 * span]
if (words(fracs) <= 11) {
    set xtics () nomirror
    do for [f in fracs] { set xtics add (sprintf("%.3g", f + 0.0) f + 0.0) }
} else {
    set xtics nomirror
    set format x "%.2f"
}

set logscale y 2
ylo = ymin / 1.3
yhi = ymax * 1.3
set yrange [ylo : yhi]
# Ticks at powers of two, with 3, 6, 12, ... between them when the range is
# small enough for them to fit.
set ytics () nomirror
do for [e = floor(log(ylo)/log(2)) : ceil(log(yhi)/log(2))] {
    v = 2.0 ** e
    if (v >= ylo && v <= yhi) { set ytics add (sprintf("%g", v) v) }
    v = 1.5 * 2.0 ** e
    if (log(yhi / ylo) / log(2) <= 6 && v >= ylo && v <= yhi) { set ytics add (sprintf("%g", v) v) }
}
set mytics 2

# -------------------------------------------------------------- plot command
# Built as text: the reference lines, then per series the bars (no key entry)
# and the speedups as a line through its points, sorted by cpu_fraction
# (smooth unique).
cmd = "plot 1 with lines dt (14,8) lw 2 lc rgb \"#606060\" title \"seq (tasks one after another): 1×\""
if (have_cpus) {
    cmd = cmd . sprintf(", (%g) with lines dt (2,4) lw 2.2 lc rgb \"black\" title \"CPU count (%g CPUs)\"", cpus + 0, cpus + 0)
}
do for [s = 1:ns] {
    cmd = cmd . sprintf(", $S%d using 1:2:3:4 with yerrorbars pt 0 lw 1.6 lc rgb \"%s\" notitle", s, col(SI[s]))
    cmd = cmd . sprintf(", $S%d using 1:2 smooth unique with linespoints lw 2.2 dt %s pt %d ps (1.6 * PSC) " \
        . "lc rgb \"%s\" title label(%d)", s, sdt(s), spt(s), col(SI[s]), s)
}

eval DRAW
