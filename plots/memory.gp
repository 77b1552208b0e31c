# memory.gp - memory per unit against N units alive (log-log), from the memory
# table of ptc-report over ptc-mem's CSV.
#
#   ./build/release/ptc-mem --n 1,10,100,1000,10000 --repeat 1 --quiet --out /tmp/mem.csv
#   ./build/release/ptc-report --chart memory --csv /tmp/mem-per-unit.tsv /tmp/mem.csv
#   gnuplot -c plots/memory.gp in=/tmp/mem-per-unit.tsv out=/tmp/mem
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-memory" in place of ".tsv".
#
# One line per (mechanism, metric) found in the file, for the metrics
# pss_kib_per_unit (processes), rss_kib_per_unit (threads, coroutines) and
# kernel_stack_kib_per_unit (threads): x = N units alive at once, y = KiB per
# unit (median). Zero values (nothing measurable at N = 1) cannot sit on a log
# axis and are left out. A row whose note says a limit was hit ("limit: ...")
# ends its line: a cross at the last N that fitted, labelled with the note.
# The table is tab-separated, so variants and notes with commas are one field.
#
# With runtimes=1 (the runtimes' chart: ptc-mem's CSV with the peer runners' --mem CSVs), the C
# units are processes (PSS), threads and coroutines (RSS growth) only, and each peer runtime's
# unit takes the colour of the C unit of its family (Python processes: processes; Python
# threads: threads; greenlets, asyncio tasks, goroutines: coroutines) with its runtime's dash
# and hollow points.

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/memory.gp in=mem-per-unit.tsv out=prefix"
}
if (!exists("out")) {
    out = table_stem(in)."-memory"
}
ismem(m) = m eq "pss_kib_per_unit" || m eq "rss_kib_per_unit" || m eq "kernel_stack_kib_per_unit"
RT = exists("runtimes") && runtimes eq "1"
# A peer runner's mechanism (its runtime 2..5 as in lib.gp's RT_DASH), else 1.
mech_runtime(m) = strstrt(m, "gevent ") == 1 ? 3 : strstrt(m, "asyncio ") == 1 ? 4 : \
    strstrt(m, "python ") == 1 ? 2 : strstrt(m, "go ") == 1 ? 5 : 1
mech_family(m) = m eq "python processes" ? "processes" : m eq "python threads" ? "threads" : \
    mech_runtime(m) > 1 ? "coroutines" : m
# The series the chart draws: all of them, or for the runtimes' chart each runtime's unit.
keep(m, k) = ismem(k) && (!RT || mech_runtime(m) > 1 || \
    (m eq "processes" && k eq "pss_kib_per_unit") || \
    ((m eq "threads" || m eq "coroutines") && k eq "rss_kib_per_unit"))

# ---------------------------------------------------------------- series
host = ""; cpu = ""; cpus = ""; kernel = ""
series = "|"
addw(list, w) = strstrt(list, "|".w."|") == 0 ? list.w."|" : list
nmin = 1e300; nmax = 0; ymin = 1e300; ymax = 0
stats in using (host = strcol("host"), cpu = strcol("cpu_model"), cpus = strcol("cpus"), kernel = strcol("kernel"), \
    keep(strcol("mechanism"), strcol("metric")) ? (series = addw(series, strcol("mechanism")."/".strcol("metric")), \
      nmin = (column("n") < nmin ? column("n") : nmin), nmax = (column("n") > nmax ? column("n") : nmax), \
      ymin = (column("value") > 0 && column("value") < ymin ? column("value") : ymin), \
      ymax = (column("value") > ymax ? column("value") : ymax)) : 0, 1) nooutput
ns = 0
do for [i = 2:strlen(series)] { ns = ns + (series[i:i] eq "|" ? 1 : 0) }
if (ns == 0 || !(ymax > 0)) {
    exit error sprintf("memory.gp: no memory rows in %s", in)
}
array SM[ns]; array SK[ns]; array SL[ns]
rest = series[2:]
do for [i = 1:ns] {
    p = strstrt(rest, "|"); w = rest[1:p-1]; rest = rest[p+1:]
    q = strstrt(w, "/")
    SM[i] = w[1:q-1]; SK[i] = w[q+1:]
    v = ""
    stats in using ((strcol("mechanism") eq SM[i] && v eq "" ? v = strcol("variant") : 0), 1) nooutput
    SL[i] = sprintf("%s, %s (%s)", SM[i], \
        SK[i] eq "pss_kib_per_unit" ? "PSS" : SK[i] eq "rss_kib_per_unit" ? "RSS growth" : "kernel stack", v)
}
sel(i) = strcol("mechanism") eq SM[i] && strcol("metric") eq SK[i]

# Limits: the row with a "limit:" note ends the line; mark the last N that fitted.
do for [i = 1:ns] {
    lastn = NaN; lastv = NaN; limn = NaN; limnote = ""
    stats in using ((sel(i) ? ((strstrt(strcol("note"), "limit") == 1) ? \
        (limn = (limn == limn ? limn : column("n")), limnote = (limnote eq "" ? strcol("note") : limnote)) : \
        (column("value") > 0 && !(limn == limn) ? (lastn = column("n"), lastv = column("value")) : 0)) : 0), 1) nooutput
    if (limnote ne "" && lastn == lastn) {
        lt = sprintf("%s: %s at N = %d (%s)", SM[i], "limit hit", limn, limnote[strstrt(limnote, ":") + 2:])
        if (log(lastn) - log(nmin / 2) > 0.5 * (log(nmax * 3) - log(nmin / 2))) {
            set label 100 + i lt at first lastn, first lastv point pt 2 ps 2.5 lw 2 lc rgb "#b00000" \
                offset -1, 1.2 right font ",11" textcolor rgb "#b00000" front
        } else {
            set label 100 + i lt at first lastn, first lastv point pt 2 ps 2.5 lw 2 lc rgb "#b00000" \
                offset 1, 1.2 left font ",11" textcolor rgb "#b00000" front
        }
    }
}

# ----------------------------------------------------------------- style
title_txt = sprintf("%s against N units alive at once, each blocked (log-log)\nhost %s, %s, %s CPUs, kernel %s", \
                    RT ? "memory per sleeping unit of each runtime" : "memory per unit", host, cpu, cpus, kernel)
set termoption noenhanced
set title title_txt font ",15"
set xlabel "N units alive at once (log scale)" font ",13"
set ylabel "memory per unit (KiB, log scale)" font ",13"
set tics font ",12"
set logscale xy 10
set xrange [nmin / 2 : nmax * 3]
set yrange [10 ** floor(log10(ymin) - 0.2) : 10 ** ceil(log10(ymax) + 0.2)]
set format x "%.0f"
set format y "%g"
set xtics nomirror
set ytics nomirror
set grid xtics ytics mxtics mytics lc rgb "#d0d0d0" lw 1 dt 1, lc rgb "#eeeeee"
set border lw 1.2
keyrows = ns
set bmargin keyrows * 1.25 + 5
set key at screen 0.5, screen 0.012 center bottom horizontal maxrows keyrows \
    Left reverse samplen 3 spacing 1.25 width 2 font ",12" box

# Each series into its own datablock first (rows of the other series would
# otherwise break its line), sorted by N.
do for [i = 1:ns] {
    eval sprintf("set table $S%d", i)
    plot in using (column("n")):(column("value")) with table if (sel(i) && column("value") > 0)
    unset table
}
# The datablocks have no header line and are space-separated.
set datafile nocolumnheaders
set datafile separator whitespace
cmd = "plot"
sep = " "
# The colour of each series: its own, or for a peer's unit that of the C unit of its family.
array SC[ns]
do for [i = 1:ns] {
    SC[i] = i
    if (RT && mech_runtime(SM[i]) > 1) {
        do for [q = 1:ns] {
            if (SM[q] eq mech_family(SM[i]) && mech_runtime(SM[q]) == 1) { SC[i] = q }
        }
    }
}
do for [i = 1:ns] {
    # The r-th series of a metric is dashed (r = 2) or dotted (r >= 3) with hollow points: lines
    # that coincide (fresh and pooled coroutine stacks take the same memory once touched) show
    # both colours instead of one hiding the other.
    r = 0
    do for [q = 1:i] { r = r + (SK[q] eq SK[i] ? 1 : 0) }
    dts = r == 2 ? "dt (6,4)" : r >= 3 ? "dt (2,3)" : SK[i] eq "kernel_stack_kib_per_unit" ? "dt (8,4)" : ""
    hollow = r >= 3
    if (RT) {
        dts = "dt ".RT_DASH[mech_runtime(SM[i])]
        hollow = mech_runtime(SM[i]) > 1
    }
    cmd = cmd . sep . sprintf("$S%d using 1:2 smooth unique with linespoints lw 2.2 pt %d ps (1.6 * PSC) lc rgb \"%s\" %s title SL[%d]", \
        i, pts(SC[i]) - (hollow && pts(SC[i]) % 2 == 1 ? 1 : 0), col(SC[i]), dts, i)
    sep = ", "
}

eval DRAW
