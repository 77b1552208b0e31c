# cost.gp - cost per unit (log scale) of each mechanism+variant, from the cost
# table of ptc-report over one CSV of ptc-spawn (ns_per_unit) or ptc-switch
# (ns_per_round_trip).
#
#   ./build/release/ptc-spawn --n 100 --repeat 3 --quiet --out /tmp/spawn.csv
#   ./build/release/ptc-report --chart cost --csv /tmp/spawn-cost.tsv /tmp/spawn.csv
#   gnuplot -c plots/cost.gp in=/tmp/spawn-cost.tsv out=/tmp/spawn-cost
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-cost" in place of ".tsv".
#
# One horizontal bar per row (mechanism + variant, in file order, top to bottom;
# " @ same-cpu", " @ cross-cpu" or " @ unpinned" after the variant: where the two
# sides ran, from the placement column, absent in older CSVs),
# of the first metric in the file; the bar is the median (value), the error bar
# runs from min to max. Colour per mechanism (found in the data, not hard-coded).
# Rows without a value (note "failed: ...") get their note instead of a bar.
# The table is tab-separated, so a variant with commas is one field.

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/cost.gp in=spawn-cost.tsv out=prefix"
}
if (!exists("out")) {
    out = table_stem(in)."-cost"
}

# ---------------------------------------------------------------- first pass
# The machine, the benchmark, the first metric and its unit; the mechanisms in
# file order; the value range (min/max included).
host = ""; cpu = ""; cpus = ""; kernel = ""; bench = ""; metric = ""; unit = ""
mechs = "|"
addm(list, w) = strstrt(list, "|".w."|") == 0 ? list.w."|" : list
vmin = 1e300; vmax = 0
stats in using (host = strcol("host"), cpu = strcol("cpu_model"), cpus = strcol("cpus"), \
    kernel = strcol("kernel"), bench = strcol("benchmark"), \
    metric = (metric eq "" ? strcol("metric") : metric), \
    unit = (unit eq "" ? strcol("unit") : unit), 1) nooutput
sel(d) = strcol("metric") eq metric
nb = 0
stats in using (sel(0) ? (nb = nb + 1, mechs = addm(mechs, strcol("mechanism")), \
    v = column("min") > 0 ? column("min") : column("value"), vmin = (v > 0 && v < vmin ? v : vmin), \
    v = column("max") > 0 ? column("max") : column("value"), vmax = (v > vmax ? v : vmax)) : 0, 1) nooutput
if (nb == 0 || !(vmax > 0)) {
    exit error sprintf("cost.gp: no values of %s in %s", metric, in)
}
# Mechanisms as an array (names may hold spaces: '|'-separated list).
nm = 0
do for [i = 2:strlen(mechs)] { nm = nm + (mechs[i:i] eq "|" ? 1 : 0) }
array MN[nm]
rest = mechs[2:]
do for [i = 1:nm] {
    p = strstrt(rest, "|")
    MN[i] = rest[1:p-1]
    rest = rest[p+1:]
}
midx(m) = sum [i = 1:nm] (MN[i] eq m ? i : 0)

# Bar labels (y tics) and value labels, one per row, top to bottom.
set ytics () nomirror scale 0
fmtns(v) = v >= 1e6 ? sprintf("%.3g ms", v / 1e6) : v >= 1e3 ? sprintf("%.3g µs", v / 1e3) : sprintf("%.3g ns", v)
# gnuplot cannot "set" inside a using expression: a second pass per row instead.
maxlab = 0
do for [r = 1:nb] {
    k = 0; lab = ""; val = NaN; mx = NaN; note = ""
    stats in using (sel(0) ? (k = k + 1, (k == r ? (\
        lab = strcol("mechanism") . (strcol("variant") ne "" ? ": ".strcol("variant") : "") . \
              (strcol("placement") ne "" ? " @ ".strcol("placement") : "") . sprintf("  (n = %s)", strcol("n")), \
        val = column("value"), mx = column("max"), note = strcol("note")) : 0)) : 0, 1) nooutput
    set ytics add (lab -r)
    maxlab = strlen(lab) > maxlab ? strlen(lab) : maxlab
    if (val > 0) {
        set label 100 + r fmtns(val) at first (mx > val ? mx : val) * 1.25, first -r left font ",11" textcolor rgb "#303030" front
    } else {
        set label (100 + r) (note ne "" ? note : "no value") at first vmin / 2.5, first -r left font ",11" textcolor rgb "#b00000" front
    }
}

# ----------------------------------------------------------------- style
what = metric eq "ns_per_round_trip" ? "cost of one round trip between two units" : \
       metric eq "ns_per_unit" ? "cost to create, run and reap one unit" : metric
title_txt = sprintf("%s: %s, median (log scale)\nhost %s, %s, %s CPUs, kernel %s", \
                    bench, what, host, cpu, cpus, kernel)
set termoption noenhanced
# The title centred on the page (the tick labels make the plot sit to the right).
set label 1 title_txt at screen 0.5, screen 0.975 center font ",15" front
set tmargin 5
set xlabel sprintf("%s (%s, log scale): bar = median, error bar = min to max", \
    metric eq "ns_per_round_trip" ? "time per round trip" : metric eq "ns_per_unit" ? "time per unit" : metric, unit) font ",13"
set tics font ",12"
set logscale x 10
xlo = 10 ** floor(log10(vmin / 2.5))
xhi = 10 ** ceil(log10(vmax * 8))
set xrange [xlo / 1.001 : xhi * 1.001]   # a tick on the edge would be dropped
# Ticks at the powers of ten, labelled in ns and in the unit a reader knows.
set xtics () nomirror
do for [e = int(log10(xlo) + 0.5) : int(log10(xhi) + 0.5)] {
    set xtics add (e < 3 ? sprintf("%d ns", 10**e) : e < 6 ? sprintf("%d µs", 10**(e-3)) : \
        e < 9 ? sprintf("%d ms", 10**(e-6)) : sprintf("%d s", 10**(e-9)) 10.0**e)
}
set mxtics 10
set yrange [-nb - 0.7 : -0.3]
set grid xtics mxtics lc rgb "#d8d8d8" lw 1 dt 1, lc rgb "#eeeeee"
set border lw 1.2
set lmargin (maxlab * 0.85 + 3 > 20 ? maxlab * 0.85 + 3 : 20)
set rmargin 4
nkeys = nm
keycols = nkeys <= 5 ? nkeys : 4
# gnuplot fits a horizontal key into the plot's width, which long bar labels narrow: ask for no
# more columns than fit (one, with labels this long), or the key runs over the axis label.
if (maxlab > 50) { keycols = 1 }
keyrows = ceil(nkeys * 1.0 / keycols)
set bmargin keyrows * 1.25 + 6.5
set key at screen 0.5, screen 0.012 center bottom horizontal maxcols keycols maxrows keyrows \
    Left reverse samplen 2 spacing 1.25 width 2 font ",12" box title "mechanism"

# y of the current row: -k for the k-th row of the metric. Evaluated once per
# row, in the first using column; rn restarts at the file's first row.
rn = 0
yrow(d) = (rn = ($0 == 0 ? 0 : rn), sel(0) ? (rn = rn + 1, -rn) : NaN)
cmd = "plot"
sep = " "
do for [i = 1:nm] {
    cmd = cmd . sep . sprintf("in using (yy = yrow(0), strcol(\"mechanism\") eq MN[%d] ? sqrt(xlo * column(\"value\")) : NaN):(yy):(xlo):(column(\"value\")):(yy - 0.35):(yy + 0.35) with boxxyerror fs solid 0.85 noborder lc rgb \"%s\" title MN[%d]", i, col(i), i)
    sep = ", "
}
cmd = cmd . ", in using (yy = yrow(0), column(\"value\")):(yy):(column(\"min\") > 0 ? column(\"min\") : column(\"value\")):(column(\"max\") > 0 ? column(\"max\") : column(\"value\")) with xerrorbars pt 7 ps 0.8 lw 1.6 lc rgb \"black\" notitle"

eval DRAW
