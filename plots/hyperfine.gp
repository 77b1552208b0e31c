# hyperfine.gp - in-process wall time against hyperfine's whole-process time, per
# model, from the hyperfine table of ptc-report.
#
#   scripts/hyperfine-sweep --out-dir /tmp/hf
#   ./build/release/ptc-report --chart hyperfine --csv /tmp/hf/hyperfine-wall.tsv /tmp/hf/hyperfine.csv /tmp/hf/hyperfine-inproc.csv
#   gnuplot -c plots/hyperfine.gp in=/tmp/hf/hyperfine-wall.tsv out=/tmp/hf/hyperfine 'machine=host vm, Intel(R) Xeon(R) Processor, 2 CPUs, kernel 6.18.44'
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-chart" in place of ".tsv" (hyperfine-wall.tsv
# gives hyperfine-wall-chart.png). The table has no machine columns:
# `machine` (optional) is the machine text for the title; without it the title
# gives the host column.
#
# One group per row of the file (one row per model, in file order; nothing is
# hard-coded, so new models show up by themselves), x tick "model / W=workers":
#   top panel, wall time in ms from 0:
#     - in process (ptc-run): bar = inproc_median_ms, error bar = inproc_min_ms
#       to inproc_max_ms (the wall time of the run itself),
#     - whole process (hyperfine -N): bar = hf_mean_ms, error bar = mean ± σ
#       (hf_sigma_lo_ms to hf_sigma_hi_ms); a black dash across the bar marks
#       hf_median_ms (exec, start-up, machine probe, the run, teardown),
#     - above each pair, diff_label: the difference of the medians
#       (diff_median_ms, hyperfine median - in process median): what process
#       start-up and teardown cost;
#   bottom panel, the same differences on their own scale (a bar per model),
#     since a few ms cannot be told apart next to a long run such as seq's;
#     the diamond is the difference of the minimums (diff_min_ms: hyperfine min
#     - in process min), a check that the median difference is not noise.
# A row without hyperfine numbers (empty fields) keeps its in-process bar and
# is labelled "no hyperfine" in place of a difference.

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/hyperfine.gp in=hyperfine-wall.tsv out=prefix machine=..."
}
if (!exists("out")) {
    out = table_stem(in)."-chart"
}

# ---------------------------------------------------------------- first pass
# Rows, distinct workloads / task counts / task lengths / in-process run counts
# (space-separated words, in file order), the y ranges of both panels.
max2(a, b) = (b > a ? b : a)        # NaN b leaves a
min2(a, b) = (b < a ? b : a)
# Difference of the medians and of the minimums, in ms (NaN without hyperfine).
dmed(d) = column("diff_median_ms")
dmin(d) = column("diff_min_ms")
# Top of a pair of bars (with its error bars and median dash), in ms.
ptop(d) = max2(max2(max2(max2(column("inproc_median_ms"), column("inproc_max_ms")), \
          column("hf_sigma_hi_ms")), column("hf_mean_ms")), column("hf_median_ms"))
nrows = 0; nhf = 0
host = ""; workloads = " "; tasklist = " "; tmslist = " "; runlist = " "
ymax = 0; dlo = 0; dhi = 0
stats in using ( nrows = nrows + 1, \
    host = strcol("host"), \
    workloads = addword(workloads, strcol("workload")), \
    tasklist  = addword(tasklist, strcol("tasks")), \
    tmslist   = addword(tmslist, strcol("task_ms") eq "" ? "-" : strcol("task_ms")), \
    runlist   = addword(runlist, strcol("inproc_runs")), \
    nhf = nhf + (dmed(0) == dmed(0) ? 1 : 0), \
    ymax = max2(ymax, ptop(0)), \
    dlo = min2(min2(dlo, dmed(0)), dmin(0)), \
    dhi = max2(max2(dhi, dmed(0)), dmin(0)), \
    1) nooutput
if (nrows == 0) {
    exit error sprintf("hyperfine.gp: no data rows in %s", in)
}
if (!(ymax > 0)) {
    exit error sprintf("hyperfine.gp: no wall times (inproc_median_ms, hf_mean_ms) in %s", in)
}
if (words(workloads) > 1 || words(tasklist) > 1 || words(tmslist) > 1) {
    print sprintf("hyperfine.gp: warning: %s holds several workloads (%s), task counts (%s) or task lengths (%s)", \
                  in, workloads, tasklist, tmslist)
}
if (nhf == 0) {
    print sprintf("hyperfine.gp: warning: no hyperfine numbers in %s; only the in-process bars are drawn", in)
}
if (!(dhi > dlo)) { dhi = dlo + 1 }
# y range of the difference panel (0 always in it) and a step of 1, 2 or 5 x
# 10^e giving about four ticks (autofreq crowds the short panel).
DLO = dlo < 0 ? dlo * 1.25 : 0
DHI = dhi > 0 ? dhi * 1.25 : 0
dspan = (DHI - DLO) / 4.0
dmag = 10 ** floor(log10(dspan))
DSTEP = dmag * (dspan / dmag < 1.5 ? 1 : dspan / dmag < 3.5 ? 2 : dspan / dmag < 7.5 ? 5 : 10)

# ----------------------------------------------------------------- title
wl_txt = words(workloads) == 1 ? word(workloads, 1) : "several workloads"
tasks_txt = words(tasklist) == 1 ? sprintf("%s tasks", word(tasklist, 1)) : "several task counts"
tms_w = words(tmslist) == 1 ? word(tmslist, 1) : ""
ms_txt = ms_text(tms_w)
machine_txt = machine_text(host)
title_txt = sprintf("%s: %s%s, W = pool size; in process against whole process\n%s", \
                    wl_txt, tasks_txt, ms_txt, machine_txt)
runs_txt = words(runlist) == 1 ? sprintf("%s runs", word(runlist, 1)) : "its runs"

xtic_txt(d) = sprintf("%s\nW=%s", strcol("model"), strcol("workers"))

# ----------------------------------------------------------------- style
# Colours of lib.gp; black is kept for the median dash and the difference of the minimums.
C_IN = COL[1]; C_HF = COL[2]; C_D = COL[3]

BW = 0.36                            # width of one bar (x units: one group = 1)
OFF = 0.19                           # bar centre from the group centre
CAP = 0.006                          # half width of the error bar ends (screen)
set boxwidth BW absolute
set style fill solid 0.85 border rgb "#303030"
set xrange [-0.6 : nrows - 0.4]

set termoption noenhanced           # names like my_host stay as they are
set tics font ",12"
set border lw 1.2
set grid ytics lc rgb "#d0d0d0" lw 1 dt 1
set ytics nomirror
set xtics nomirror scale 0

# Panels (screen fractions), the same left and right margins so groups line up.
L = 0.095; R = 0.985
TOP_T = 0.875; TOP_B = 0.43         # wall time panel; x tick labels under it
BOT_T = 0.335; BOT_B = 0.145        # difference panel
KEY_Y = 0.012

# -------------------------------------------------------------- plot commands
# Top: the two bars, their error bars, the median dash and the differences.
# The key (under both panels) lists the entries of both panels, with keyentry.
yt = ymax * 1.14
top_cmd = "plot " . \
    "in using ($0 - OFF):\"inproc_median_ms\" with boxes lc rgb C_IN notitle, " . \
    "in using ($0 - OFF):\"inproc_min_ms\":(0):(column(\"inproc_max_ms\") - column(\"inproc_min_ms\")) " . \
        "with vectors heads size screen CAP,90 lw 1.6 lc rgb \"black\" notitle, " . \
    "in using ($0 + OFF):\"hf_mean_ms\" with boxes lc rgb C_HF notitle, " . \
    "in using ($0 + OFF):\"hf_sigma_lo_ms\":(0):(column(\"hf_sigma_hi_ms\") - column(\"hf_sigma_lo_ms\")) " . \
        "with vectors heads size screen CAP,90 lw 1.6 lc rgb \"black\" notitle, " . \
    "in using ($0 + OFF - BW / 2):\"hf_median_ms\":(BW):(0) with vectors nohead lw 3 lc rgb \"black\" notitle, " . \
    "in using ($0):(ptop(0)):\"diff_label\":xtic(xtic_txt(0)) with labels center offset 0, char 1.1 font \",13\" tc rgb \"black\" notitle, " . \
    "keyentry with boxes lc rgb C_IN title sprintf(\"in process (ptc-run, %s): median, min–max\", runs_txt), " . \
    "keyentry with boxes lc rgb C_HF title \"whole process (hyperfine -N): mean ± σ\", " . \
    "keyentry with lines lw 3 lc rgb \"black\" title \"whole process (hyperfine -N): median\", " . \
    "keyentry with boxes lc rgb C_D title \"whole − in process, medians (the labels above)\", " . \
    "keyentry with points pt 13 ps (1.8 * PSC) lc rgb \"black\" title \"whole − in process, minimums\""

# Bottom: the differences on their own scale.
bot_cmd = "plot " . \
    "0 with lines lw 1.2 lc rgb \"#606060\" notitle, " . \
    "in using ($0):(dmed(0)) with boxes lc rgb C_D notitle, " . \
    "in using ($0):(dmin(0)) with points pt 13 ps (1.8 * PSC) lc rgb \"black\" notitle"

# Both panels into the current terminal.
panels = \
    "set multiplot title title_txt font \",15\"; " . \
    "set lmargin at screen L; set rmargin at screen R; " . \
    "set tmargin at screen TOP_T; set bmargin at screen TOP_B; " . \
    "set yrange [0 : yt]; set format y \"%g\"; set ytics autofreq; set mytics 2; " . \
    "set label 2 \"wall time (ms)\" at screen 0.025, screen (TOP_T + TOP_B) / 2 center rotate by 90 font \",13\"; " . \
    "set key at screen 0.5, screen KEY_Y center bottom vertical maxrows 3 " . \
        "Left reverse samplen 2.5 spacing 1.2 width KW font \",12\" box; " . \
    "set xtics () format \"%g\"; " . \
    top_cmd . "; " . \
    "unset key; unset label 2; " . \
    "set tmargin at screen BOT_T; set bmargin at screen BOT_B; " . \
    "set boxwidth 0.5 absolute; set style fill solid 0.75 border rgb \"#303030\"; " . \
    "set yrange [DLO : DHI]; set ytics DSTEP; set mytics 2; " . \
    "set xtics format \"\"; " . \
    "set label 3 \"whole − in process\\n(ms)\" at screen 0.025, screen (BOT_T + BOT_B) / 2 center rotate by 90 font \",13\"; " . \
    bot_cmd . "; " . \
    "unset label 3; set boxwidth BW absolute; set style fill solid 0.85 border rgb \"#303030\"; " . \
    "unset multiplot"

# The key's column width: its text is narrower than gnuplot thinks in png, wider in svg.
png_setup = "KW = -3"
svg_setup = "KW = 1"
cmd = panels
eval DRAW
