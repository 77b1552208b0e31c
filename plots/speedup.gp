# speedup.gp - speedup against workers W, from the speedup table of ptc-report.
#
#   ./build/release/ptc-report --chart speedup --csv /tmp/cpu-speedup.tsv cpu.csv
#   gnuplot -c plots/speedup.gp in=/tmp/cpu-speedup.tsv out=/tmp/cpu-speedup 'machine=host vm, Intel(R) Xeon(R) Processor, 2 CPUs, kernel 6.18.44'
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-speedup" in place of ".tsv". The table has no
# machine columns: `machine` (optional) is the machine text for the title;
# without it the title gives the host column.
#
# One series per model found in the file (in file order; nothing is hard-coded,
# so new models show up by themselves):
#   - models with several W (the pools) are lines through their points,
#   - models with a single row (seq at W = 1; fork, thread: one worker per task,
#     W = task count) are single points. Per-task points are nudged a little
#     to the right of W = tasks (x 1.05, x 1.10, ...) so that they do not hide
#     each other or the pools at that W.
# y is the speedup column (median wall time of seq / median wall time of the
# config); the error bars run from speedup_lo to speedup_hi, the speedup the
# ends of the 95 % confidence interval of the config's median give (ptc-report
# writes the speedup itself at both ends when there is no 95 % CI: fewer than
# 6 runs, whose min-max is no 95 % interval).
# The dashed line is the ideal_speedup column (total task time / the ideal: the
# zero-overhead makespan of the model's discipline at that W, src/runner/ideal.h);
# it is left out when the column is empty (noop).
# Columns are read by name, so new columns do not break the script. If the file
# holds several task counts, each (model, task count) is its own series, with
# its own ideal line, and speedups are against seq at the same task count.

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/speedup.gp in=cpu-speedup.tsv out=prefix machine=..."
}
if (!exists("out")) {
    out = table_stem(in)."-speedup"
}

# ---------------------------------------------------------------- first pass
# Distinct models, task counts and worker counts (space-separated words, in
# file order), the W range, whether there is an ideal.
models = " "; tasklist = " "; wlist = " "
wmin = 1e300; wmax = 0; have_ideal = 0; nrows = 0
host = ""; workload = ""; task_ms = ""; tmslist = " "; c_task_ms = "?"
stats in using ( nrows = nrows + 1, \
    models   = addword(models, strcol("model")), \
    tasklist = addword(tasklist, sprintf("%d", column("tasks"))), \
    wlist    = addword(wlist, sprintf("%d", column("workers"))), \
    wmin = column("workers") < wmin ? column("workers") : wmin, \
    wmax = column("workers") > wmax ? column("workers") : wmax, \
    have_ideal = have_ideal || column("ideal_speedup") > 0, \
    host = strcol("host"), workload = strcol("workload"), \
    task_ms = strcol("task_ms"), \
    tmslist = addword(tmslist, strcol("task_ms") eq "" ? "-" : strcol("task_ms")), \
    c_task_ms = (c_task_ms eq "?" && !is_peer(strcol("model")) ? strcol("task_ms") : c_task_ms), \
    1) nooutput
if (nrows == 0 || words(models) == 0) {
    exit error sprintf("speedup.gp: no data rows in %s", in)
}

# Task counts, in file order.
nt = words(tasklist)
array TK[nt]                         # task counts
do for [k = 1:nt] { TK[k] = int(word(tasklist, k)) }
# The speedup of the current row and the ends of its 95 % CI, as ptc-report wrote them.
sp_med(d) = column("speedup")
sp_lo(d)  = column("speedup_lo")
sp_hi(d)  = column("speedup_hi")

# ------------------------------------------------------------------ series
# One series per (model, task count) present in the file.
nm = words(models)
array SM[nm * nt]                    # model name
array ST[nm * nt]                    # task count
array SI[nm * nt]                    # model index (colour, point type)
array SN[nm * nt]                    # rows
array SP[nm * nt]                    # 1: every row has W = tasks (per-task model)
array SK[nm * nt]                    # index of its task count in TK
array SD[nm * nt]                    # x nudge of a per-task point, in octaves
array STM[nm * nt]                   # its task_ms (the peers may run longer cpu tasks than C)
ns = 0
do for [i = 1:nm] {
    do for [k = 1:nt] {
        m = word(models, i)
        n = 0; pertask = 1; tms = ""
        stats in using ((strcol("model") eq m && column("tasks") == TK[k]) ? \
            (n = n + 1, pertask = pertask && column("workers") == column("tasks"), tms = strcol("task_ms")) : 0, \
            1) nooutput
        if (n > 0) {
            ns = ns + 1
            SM[ns] = m; ST[ns] = TK[k]; SK[ns] = k; SI[ns] = mo(family(m), i); SN[ns] = n; STM[ns] = tms
            # A pool run with a single W = tasks looks the same in the data;
            # its name says it is a pool.
            SP[ns] = (pertask && m ne "seq" && strstrt(m, "pool") == 0) ? 1 : 0
            # Per-task points all sit at W = tasks, on top of the pools at that W
            # and of each other: nudge each one a little to the right (the k-th
            # per-task model by k x 0.07 of an octave, i.e. x 1.05, x 1.10, ...).
            SD[ns] = 0
            if (SP[ns]) {
                npt = 0
                do for [q = 1:ns] { npt = npt + (SP[q] && ST[q] == TK[k] ? 1 : 0) }
                SD[ns] = 0.07 * npt
            }
        }
    }
}

label(s) = (is_peer(SM[s]) ? sprintf("%s (%s)", SM[s], peer_text(SM[s])) : \
            SM[s] eq "seq" ? "seq (tasks one after another, W = 1)" : \
            SP[s] ? (unit(SM[s]) ne "" ? sprintf("%s (one %s per task%s, W = tasks)", SM[s], unit(SM[s]), over(SM[s])) \
                                       : sprintf("%s (one per task, W = tasks)", SM[s])) : \
            strstrt(SM[s], "pool") > 0 ? (unit(SM[s]) ne "" ? sprintf("%s (pool of W %s%s)", SM[s], plural(unit(SM[s])), over(SM[s])) \
                                                             : sprintf("%s (pool of W workers)", SM[s])) : \
            SM[s]) . (nt > 1 ? sprintf(", %d tasks", ST[s]) : "") \
                   . (is_peer(SM[s]) && STM[s] ne c_task_ms && c_task_ms ne "?" ? sprintf(", %s ms", STM[s]) : "")

# --------------------------------------------------------------- y range
ymax = 0
# Also the range of the medians of the models other than seq: when they all
# sit near 0 (noop: overhead only), a note gives their values.
omin = 1e300; omax = -1
stats in using (y = sp_hi(0), ymax = (y > ymax ? y : ymax), \
                y = column("ideal_speedup"), ymax = (y > ymax ? y : ymax), \
                y = (strcol("model") ne "seq" ? sp_med(0) : NaN), \
                omin = (y < omin ? y : omin), omax = (y > omax ? y : omax), 1) nooutput
if (!(ymax > 0)) { ymax = 1 }

# ----------------------------------------------------------------- title
tmin = TK[1]; tmax = TK[1]
do for [k = 1:nt] {
    if (TK[k] < tmin) { tmin = TK[k] }
    if (TK[k] > tmax) { tmax = TK[k] }
}
tasks_txt = tmin == tmax ? sprintf("%d tasks", tmin) : sprintf("%d to %d tasks", tmin, tmax)
# The task length of the C models; a peer runtime whose tasks are longer (Python's cpu tasks
# outlast the start of its processes) says so in its key entry.
if (c_task_ms eq "?") { c_task_ms = task_ms }
ms_txt = ms_text(c_task_ms) . (words(tmslist) > 1 ? " (C; a peer's own in its key entry)" : "")
# The table has no file or response size: the caller may give it as `size`.
if (exists("size") && size ne "") { ms_txt = ms_txt . ", " . size }
machine_txt = machine_text(host)
title_txt = sprintf("%s: %s%s, speedup vs seq\n%s", workload, tasks_txt, ms_txt, machine_txt)

# ----------------------------------------------------------------- style
set termoption noenhanced           # names like my_host stay as they are
set title title_txt font ",15"
set xlabel "workers W (tasks that can run at once)" font ",13"
# The y label as a label at a fixed place: gnuplot makes room for one line
# only, so a two-line ylabel runs into the tick labels.
unset ylabel
set lmargin 12
set label 2 "speedup vs seq (×)\nmedian wall time of seq / median wall time\nbars: 95 % CI of the median (none under 6 runs)" \
    at screen 0.028, graph 0.5 center rotate by 90 font ",13"
set tics font ",12"
# Key under the plot, two columns, so it never covers data.
nkeys = ns + (have_ideal ? nt : 0)
eval KEY_BELOW
set grid xtics ytics mxtics lc rgb "#d0d0d0" lw 1 dt 1
set border lw 1.2

set logscale x 2
set xrange [wmin / 1.4 : wmax * 1.4]
set xtics () nomirror
do for [e = floor(log(wmin)/log(2) + 1e-9) : ceil(log(wmax)/log(2) - 1e-9)] {
    set xtics add (sprintf("%d", 2**e) 2**e)
}
# W that are not powers of two get a tick too, unless there are many.
if (words(wlist) <= 8) {
    do for [w in wlist] {
        set xtics add (w int(w))
    }
}
set yrange [0 : ymax * 1.1]
set ytics nomirror
set mytics 2
set format y "%g"
# The level of seq: below it a model is slower than running the tasks in order.
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#909090" lw 1 dt 3 back
if (omax > 0 && omax < 0.03 * ymax) {
    set label 1 sprintf("all models but seq: %.2g× to %.2g× (too small to tell apart on this linear axis)", omin, omax) \
        at graph 0.5, graph 0.1 center font ",12" textcolor rgb "#404040" front
}

# -------------------------------------------------------------- plot command
# Built as text: lines for models with several W, bare points for the others.
sel(s) = strcol("model") eq SM[s] && column("tasks") == ST[s]
cmd = "plot"
sep = " "
if (have_ideal) {
    do for [k = 1:nt] {
        cmd = cmd . sep . sprintf("in using (column(\"tasks\") == TK[%d] ? column(\"workers\") : NaN):" \
            . "(column(\"tasks\") == TK[%d] ? column(\"ideal_speedup\") : NaN) smooth unique " \
            . "with lines dt (14,8) lw 2.2 lc rgb \"black\" title \"%s\"", k, k, \
            nt > 1 ? sprintf("ideal, %d tasks (zero-overhead makespan)", TK[k]) \
                   : "ideal (zero-overhead makespan of the model)")
        sep = ", "
    }
}
do for [s = 1:ns] {
    # The spread as bare error bars (no key entry), then the medians as lines
    # with points or as lone points, which give the key a clean sample.
    xy = sprintf("in using (sel(%d) ? column(\"workers\") * 2**SD[%d] : NaN):(sel(%d) ? sp_med(0) : NaN)", s, s, s)
    cmd = cmd . sep . xy . sprintf(":(sp_lo(0)):(sp_hi(0)) with yerrorbars pt 0 lw 1.6 lc rgb \"%s\" notitle", col(SI[s]))
    sep = ", "
    cmd = cmd . sep . xy . (SN[s] > 1 ? \
        sprintf(" with linespoints lw 2.2 dt %s pt %d ps (1.6 * PSC) lc rgb \"%s\"", sdt(s), spt(s), col(SI[s])) : \
        sprintf(" with points pt %d ps (2.6 * PSC) lc rgb \"%s\"", spt(s), col(SI[s]))) \
        . sprintf(" title label(%d)", s)
}

eval DRAW
