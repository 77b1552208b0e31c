# claims.gp - the claims ledger: measured against expected per claim, coloured
# by verdict, one bar per language (C and Python side by side), from the
# claims.csv of ptc-claims.
#
#   ./build/release/ptc-claims --time-scale 0.05 --python --quiet --out /tmp/claims
#   ./build/release/ptc-report --chart claims --csv /tmp/claims/claims-ledger.tsv /tmp/claims/claims.csv
#   gnuplot -c plots/claims.gp in=/tmp/claims/claims-ledger.tsv out=/tmp/claims/claims
#
# Writes out.'.png' (pngcairo, 1200x800) and out.'.svg' (svg, 1200x800); without
# `out`, the table's name with "-ledger" in place of ".tsv".
#
# x: one slot per claim id (in file order), labelled with the id and the first
# words of the claim; in each slot one bar per language found in the file
# (file order: the first language solid, the others hatched). y (log scale):
# the ratio column (measured_value / expected_value of the row, as ptc-report
# wrote it); the dashed line at 1 is
# "measured = expected" (as the tutorial expects). The colour is the row's verdict as ptc-claims wrote it
# (reproduced green, refuted vermillion, not judged at this scale blue, not
# applicable grey, any other verdict another colour of the palette; "not
# judged" is src/claims/verdict.h's: a fixed overhead such as Pool start-up,
# measured in the same run, exceeds the tolerance at the time scale, so the
# bar says what was measured but nothing is concluded from it): the verdict comes from the tutorial's
# tolerance or bound, not from this ratio, so a claim of a bound ("at least 1
# lost update") is reproduced far from 1. Nothing is hard-coded: ids,
# languages, verdicts and values all come from the file.
# Rows without a ratio are shown, not dropped:
#   - no expected_value or no measured_value, or expected_value <= 0: no bar, an
#     "n/a" in the verdict's colour in the bar's place, and the reason under
#     the plot;
#   - measured_value <= 0 (e.g. 0 of 20 attempts): a down triangle on the
#     bottom of the axis with the measured value above it, listed under the
#     plot too.
# Several rows for the same id and language (files put together): the last is
# drawn, and a note says so.
# The table is tab-separated, so a claim with commas is one field; verdict
# colours and the layout are worked out here.

# What the charts share (table format, colours, model order, legend words, output):
# plots/lib.gp, beside this script.
dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
load dirname(ARG0)."lib.gp"
eval TAKE_ARGS
if (!exists("in")) {
    exit error "usage: gnuplot -c plots/claims.gp in=claims-ledger.tsv out=prefix"
}
if (!exists("out")) {
    out = table_stem(in)."-ledger"
}
nrows = 0
stats in using (nrows = nrows + 1, 1) nooutput

# ------------------------------------------------------------------- rows
# Every field of every row, into arrays (one stats pass per row), and the
# distinct ids, languages, hosts and time scales in file order.
array RID[nrows]; array RLANG[nrows]; array RVER[nrows]; array RCLAIM[nrows]
array RUNIT[nrows]; array RE[nrows]; array RM[nrows]; array RR[nrows]
host = ""; cpu = ""; cpus = ""; kernel = ""
ids = "|"; langs = "|"; hosts = "|"; scales = "|"
addw(list, w) = strstrt(list, "|".w."|") > 0 ? list : list.w."|"
do for [r = 1:nrows] {
    stats in every ::(r-1)::(r-1) using (t_id = strcol("id"), t_lang = strcol("language"), \
        t_ver = strcol("verdict"), t_claim = strcol("claim"), t_unit = strcol("unit"), \
        t_e = column("expected_value"), t_m = column("measured_value"), t_ratio = column("ratio"), \
        t_host = strcol("host"), \
        t_cpu = strcol("cpu_model"), t_cpus = strcol("cpus"), t_kernel = strcol("kernel"), \
        t_scale = strcol("time_scale"), 1) nooutput
    RID[r] = t_id; RLANG[r] = t_lang; RVER[r] = t_ver; RCLAIM[r] = t_claim
    RUNIT[r] = t_unit; RE[r] = t_e; RM[r] = t_m; RR[r] = t_ratio
    ids = addw(ids, t_id); langs = addw(langs, t_lang)
    if (t_host ne "") { hosts = addw(hosts, t_host) }
    if (t_scale ne "") { scales = addw(scales, sprintf("%g", real(t_scale))) }
    if (r == 1) { host = t_host; cpu = t_cpu; cpus = t_cpus; kernel = t_kernel }
}

# '|'-separated list (items may hold spaces) -> count and k-th item.
nitems(list) = (sum [i = 1:strlen(list)] (list[i:i] eq "|" ? 1 : 0)) - 1
nid = nitems(ids); nl = nitems(langs)
array ID[nid]; array IDCLAIM[nid]; array LANG[nl]
rest = ids[2:]
do for [i = 1:nid] { p = strstrt(rest, "|"); ID[i] = rest[1:p-1]; rest = rest[p+1:]; IDCLAIM[i] = "" }
rest = langs[2:]
do for [i = 1:nl] { p = strstrt(rest, "|"); LANG[i] = rest[1:p-1]; rest = rest[p+1:] }
idx_id(s) = sum [i = 1:nid] (ID[i] eq s ? i : 0)
idx_lang(s) = sum [i = 1:nl] (LANG[i] eq s ? i : 0)
do for [r = 1:nrows] {
    k = idx_id(RID[r])
    if (IDCLAIM[k] eq "") { IDCLAIM[k] = RCLAIM[r] }
}

# ---------------------------------------------------------------- verdicts
# In a fixed order when known (reproduced, refuted, not judged, not applicable ...), then
# any other verdict in file order; colour-blind safe colours.
verdicts = "|"
do for [r = 1:nrows] { if (RVER[r] eq "reproduced") { verdicts = addw(verdicts, RVER[r]) } }
do for [r = 1:nrows] { if (RVER[r] eq "refuted") { verdicts = addw(verdicts, RVER[r]) } }
do for [r = 1:nrows] { if (strstrt(RVER[r], "not judged") == 1) { verdicts = addw(verdicts, RVER[r]) } }
do for [r = 1:nrows] { if (strstrt(RVER[r], "not applicable") == 1) { verdicts = addw(verdicts, RVER[r]) } }
do for [r = 1:nrows] { verdicts = addw(verdicts, RVER[r] eq "" ? "(no verdict)" : RVER[r]) }
nv = nitems(verdicts)
array VER[nv]; array VCOL[nv]
array OTHER[5] = [0xcc79a7, 0xe69f00, 0x56b4e9, 0x8c564b, 0xf0e442]
rest = verdicts[2:]; no = 0
do for [i = 1:nv] {
    p = strstrt(rest, "|"); VER[i] = rest[1:p-1]; rest = rest[p+1:]
    if (VER[i] eq "reproduced") {
        VCOL[i] = 0x009e73
    } else {
        if (VER[i] eq "refuted") {
            VCOL[i] = 0xd55e00
        } else {
            if (strstrt(VER[i], "not applicable") == 1) {
                VCOL[i] = 0x999999
            } else {
                if (strstrt(VER[i], "not judged") == 1) {
                    VCOL[i] = 0x0072b2
                } else {
                    no = no + 1; VCOL[i] = OTHER[(no - 1) % 5 + 1]
                }
            }
        }
    }
}
idx_ver(s) = sum [i = 1:nv] (VER[i] eq (s eq "" ? "(no verdict)" : s) ? i : 0)
hex(c) = sprintf("#%06x", c)

# -------------------------------------------------------------- bar geometry
# Slot k (claim id) at x = k; language j of nl side by side within it.
bw = 0.8 / nl
xc(k, j) = k + (j - (nl + 1) / 2.0) * bw
hw = bw * 0.42
ratio_txt(x) = x == 1 ? "1" : abs(x - 1) < 0.1 ? sprintf("%.3f", x) : x >= 1000 ? sprintf("%.0f", x) : sprintf("%.3g", x)
val_txt(x) = sprintf("%.4g", x)

# What each row shows: 1 a bar, 2 measured <= 0 (clamped), 3 n/a; 0 superseded
# by a later row of the same id and language.
array KIND[nrows]; array RATIO[nrows]; array WHY[nrows]
rmin = 1e300; rmax = 0; ndup = 0; dups = ""
do for [r = 1:nrows] {
    later = 0
    do for [r2 = r + 1:nrows] { later = later || (RID[r2] eq RID[r] && RLANG[r2] eq RLANG[r]) }
    e = RE[r]; m = RM[r]; RATIO[r] = NaN; WHY[r] = ""
    if (later) {
        KIND[r] = 0; ndup = ndup + 1
        dups = dups . (strstrt(dups, " ".RID[r]." ".RLANG[r].",") > 0 ? "" : " ".RID[r]." ".RLANG[r].",")
    } else {
        if (e != e || m != m) {
            KIND[r] = 3
            WHY[r] = (e != e && m != m) ? "no expected or measured value" : \
                     e != e ? sprintf("no expected value; measured %s %s", val_txt(m), RUNIT[r]) : \
                     sprintf("no measured value; expected %s %s", val_txt(e), RUNIT[r])
        } else {
            if (e <= 0) {
                KIND[r] = 3
                WHY[r] = sprintf("expected %s %s, measured %s", val_txt(e), RUNIT[r], val_txt(m))
            } else {
                RATIO[r] = RR[r]
                if (RATIO[r] > 0) {
                    KIND[r] = 1
                    rmin = RATIO[r] < rmin ? RATIO[r] : rmin
                    rmax = RATIO[r] > rmax ? RATIO[r] : rmax
                } else {
                    KIND[r] = 2
                    WHY[r] = sprintf("measured %s, expected %s %s", val_txt(m), val_txt(e), RUNIT[r])
                }
            }
        }
    }
}
if (!(rmax > 0)) { rmin = 1.0; rmax = 1.0 }
# Rows drawn per verdict and language, for the key.
array VN[nv * nl]
do for [i = 1:nv * nl] { VN[i] = 0 }
do for [r = 1:nrows] {
    if (KIND[r] > 0) {
        q = (idx_ver(RVER[r]) - 1) * nl + idx_lang(RLANG[r])
        VN[q] = VN[q] + 1
    }
}
# y range: whole decades, room below the smallest bar for the markers and
# above the largest for its value; 1 always well inside.
ylo = 10.0 ** floor(log10(rmin / 3))
yhi = 10.0 ** ceil(log10(rmax * 6))
ylo = ylo > 0.1 ? 0.1 : ylo
yhi = yhi < 10 ? 10 : yhi

# Datablocks for the plot (whitespace-separated; text quoted).
set print $BARS
do for [r = 1:nrows] {
    if (KIND[r] == 1) {
        k = idx_id(RID[r]); j = idx_lang(RLANG[r])
        print sprintf("%.6f %.9g %.6f %.6f %.9g %d %d \"%s\"", xc(k, j), RATIO[r], \
            xc(k, j) - hw, xc(k, j) + hw, ylo, j, VCOL[idx_ver(RVER[r])], ratio_txt(RATIO[r]))
    }
}
unset print
nzero = 0; nna = 0; zero_txt = ""; na_txt = ""
set print $MARK
do for [r = 1:nrows] {
    if (KIND[r] >= 2) {
        k = idx_id(RID[r]); j = idx_lang(RLANG[r])
        print sprintf("%.6f %d %d \"%s\"", xc(k, j), KIND[r], VCOL[idx_ver(RVER[r])], \
            KIND[r] == 2 ? val_txt(RM[r]) : "n/a")
        if (KIND[r] == 2) {
            nzero = nzero + 1
            zero_txt = zero_txt . (nzero > 1 ? "; " : "") . sprintf("%s %s (%s, %s)", RID[r], RLANG[r], WHY[r], RVER[r])
        } else {
            nna = nna + 1
            na_txt = na_txt . (nna > 1 ? "; " : "") . sprintf("%s %s (%s, %s)", RID[r], RLANG[r], WHY[r], RVER[r])
        }
    }
}
unset print

# ----------------------------------------------------------------- text
lang_txt = ""
do for [j = 1:nl] { lang_txt = lang_txt . (j == 1 ? "" : j == nl ? " and " : ", ") . LANG[j] }
scale_txt = nitems(scales) == 0 ? "(no time scale in the file)" : \
            nitems(scales) == 1 ? "time scale ".scales[2:strlen(scales)-1] : \
            "time scales ".scales[2:strlen(scales)-1]
nhosts = nitems(hosts)
title_txt = sprintf("Tutorial claims ledger at %s: measured / expected per claim, %s\nhost %s, %s, %s CPUs, kernel %s%s", \
    scale_txt, lang_txt, host, cpu, cpus, kernel, nhosts > 1 ? sprintf(" (and %d other hosts)", nhosts - 1) : "")

# Notes under the plot, wrapped at about wrapw characters a line.
wrapw = 172
nnotes = 0
notes = ""
addnote(s) = notes . (notes eq "" ? "" : "\n") . s
if (nna > 0) { notes = addnote("n/a = no ratio to draw: ".na_txt); nnotes = nnotes + 1 }
if (nzero > 0) { notes = addnote("▼ = measured ≤ 0, cannot sit on a log axis: drawn at its bottom with the measured value: ".zero_txt); nnotes = nnotes + 1 }
if (ndup > 0) { notes = addnote(sprintf("%d %s of the same id and language %s again later in the file (%s): the last one is drawn", ndup, ndup == 1 ? "row" : "rows", ndup == 1 ? "appears" : "appear", dups[2:strlen(dups)-1])); nnotes = nnotes + 1 }
notes = addnote("The colour is the verdict of ptc-claims (the tutorial's tolerance or bound, see claims.md), not this ratio: a claim of a bound or an ordering can hold far from 1.")
nnotes = nnotes + 1
njudged = 0
do for [r = 1:nrows] { if (strstrt(RVER[r], "not judged") == 1) { njudged = njudged + 1 } }
if (njudged > 0) { notes = addnote(sprintf("Not judged at this scale (%d %s): a fixed overhead measured in the same run (the scenario with empty tasks, e.g. Pool start-up) exceeds the tolerance at this time scale; the bar shows what was measured, no verdict is drawn from it (claims.md gives the figures).", njudged, njudged == 1 ? "row" : "rows")); nnotes = nnotes + 1 }
# Hard wrap: break any note line longer than wrapw at its last space before it.
wrapped = ""; line = ""
do for [i = 1:strlen(notes)] {
    c = notes[i:i]
    if (c eq "\n") {
        wrapped = wrapped . line . "\n"; line = ""
    } else {
        line = line . c
        if (strlen(line) > wrapw) {
            sp = 0
            do for [q = strlen(line):1:-1] { if (sp == 0 && line[q:q] eq " ") { sp = q } }
            if (sp == 0) { sp = strlen(line) }
            wrapped = wrapped . line[1:sp-1] . "\n"; line = line[sp+1:]
            nnotes = nnotes + 1
        }
    }
}
wrapped = wrapped . line

# x tick labels: the id and the first words of the claim (fewer words when
# there are many claims, the id alone beyond 32).
tickw = nid <= 20 ? 24 : nid <= 32 ? 14 : 0
tickang = 40
set xtics () nomirror scale 0 rotate by tickang right font ",11" offset 0.6, 0
maxtick = 0
do for [k = 1:nid] {
    c = IDCLAIM[k]
    if (tickw > 0 && strlen(c) > tickw) {
        sp = 0
        do for [q = tickw:1:-1] { if (sp == 0 && c[q:q] eq " ") { sp = q } }
        c = sp > 1 ? c[1:sp-1] : c[1:tickw]
        # no dangling punctuation before the ellipsis
        e1 = c[strlen(c):strlen(c)]
        if (e1 eq "," || e1 eq ";" || e1 eq ":" || e1 eq "(") { c = c[1:strlen(c)-1] }
        c = c . "…"
    }
    lab = tickw > 0 && c ne "" ? ID[k]." ".c : ID[k]
    maxtick = strlen(lab) > maxtick ? strlen(lab) : maxtick
    set xtics add (lab k)
}

# ----------------------------------------------------------------- style
set termoption noenhanced           # ids and verdicts stay as they are
set title title_txt font ",15"
unset xlabel
set ylabel "measured / expected (×, log scale)" font ",13"
set tics font ",12"
set xtics font ",11"
set logscale y 10
set yrange [ylo : yhi]
set xrange [0.4 : nid + 0.6]
set format y "%g"
set ytics nomirror
set mytics 10
set grid ytics lc rgb "#d0d0d0" lw 1 dt 1
set border lw 1.2
# Room on the left for the first rotated tick label, which ends at the first
# slot (about 7.8 px a character at 11 pt; the plot about 1060 px wide).
chpx = 7.8
tick_dx = maxtick * chpx * cos(tickang * pi / 180)
lm_px = tick_dx - 0.6 * 1060.0 / (nid + 0.2) + 10
set lmargin at screen (lm_px > 95 ? lm_px : 95) / 1200.0
set rmargin 3
# Slots apart: light separators between the claims.
do for [k = 1:nid - 1] {
    set arrow 100 + k from first k + 0.5, graph 0 to first k + 0.5, graph 1 nohead lc rgb "#e4e4e4" lw 1 back
}
# The level where measured = expected.
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#303030" lw 1.6 dt (6, 4) front

# From the bottom up (in pixels of 800): the key, the notes, the tick labels.
nkeys = nv + nl + 1 + (nzero > 0 ? 1 : 0)
# As many columns as the widest entry (a verdict and its counts, about 9 px a character at this
# font) lets fit in 1100 px, at most 4: gnuplot narrows a key that does not fit, and the rows
# it adds would run over the notes.
keychars = 30
do for [i = 1:nv] { keychars = strlen(VER[i]) + 20 > keychars ? strlen(VER[i]) + 20 : keychars }
keycols = floor(1100.0 / (keychars * 9))
keycols = keycols > 4 ? 4 : keycols < 1 ? 1 : keycols
keyrows = ceil(nkeys * 1.0 / keycols)
set key at screen 0.5, screen 0.008 center bottom horizontal maxcols keycols maxrows keyrows \
    Left reverse samplen 2 spacing 1.15 width -1 font ",11" box
key_px = keyrows * 19 + 14
notes_px = nnotes * 16
tick_px = maxtick * chpx * sin(tickang * pi / 180) + 28
set label 2 wrapped at screen 0.012, screen (key_px + notes_px + 14) / 800.0 left front font ",10" textcolor rgb "#303030"
set bmargin at screen (key_px + notes_px + 14 + tick_px) / 800.0

array FS[5] = ["pattern 4", "pattern 5", "pattern 1", "pattern 6", "pattern 7"]
fsl(j) = j == 1 ? "solid 0.85" : FS[(j - 2) % 5 + 1]

# -------------------------------------------------------------- plot command
# (lc before fs: "fs ... border lc" would colour the border only)
# Each part only when it has points: gnuplot 5.4 crashes on `with labels` whose every x is NaN,
# and stops on a datablock with no line.
nbars = 0
do for [r = 1:nrows] { nbars = nbars + (KIND[r] == 1 ? 1 : 0) }
cmd = "plot"
sep = " "
do for [j = 1:nl] {
    if (nbars > 0 && sum [r = 1:nrows] (KIND[r] == 1 && idx_lang(RLANG[r]) == j ? 1 : 0) > 0) {
        cmd = cmd . sep . sprintf("$BARS using ($6 == %d ? $1 : NaN):2:3:4:5:2:7 with boxxyerror lc rgb variable lw 1.2 fs %s border notitle", j, fsl(j))
        sep = ", "
    }
}
if (nbars > 0) {
    cmd = cmd . sep . "$BARS using 1:($2 * 1.15):8 with labels rotate by 90 left font \",9\" textcolor rgb \"#202020\" notitle"
    sep = ", "
}
if (nzero > 0) {
    cmd = cmd . sep . "$MARK using ($2 == 2 ? $1 : NaN):(ylo * 1.35):3 with points pt 11 ps (1.8 * PSC) lc rgb variable notitle"
    cmd = cmd . ", $MARK using ($2 == 2 ? $1 : NaN):(ylo * 2.2):4 with labels rotate by 90 left font \",10\" textcolor rgb \"#202020\" notitle"
    sep = ", "
}
if (nna > 0) {
    cmd = cmd . sep . "$MARK using ($2 == 3 ? $1 : NaN):(ylo * 1.3):4:3 with labels rotate by 90 left font \",11\" textcolor rgb variable notitle"
    sep = ", "
}
# The key's texts come from the file: the command names them (VT[i], LT[j]), never holds them.
array VT[nv]; array LT[nl]
do for [i = 1:nv] {
    vt = ""
    do for [j = 1:nl] {
        if (VN[(i - 1) * nl + j] > 0) { vt = vt . (vt eq "" ? "" : ", ") . sprintf("%s %d", LANG[j], VN[(i - 1) * nl + j]) }
    }
    VT[i] = VER[i] . ": " . vt
    cmd = cmd . sep . sprintf("keyentry with boxes lc rgb \"%s\" fs solid 0.85 border title VT[%d]", hex(VCOL[i]), i)
    sep = ", "
}
do for [j = 1:nl] {
    LT[j] = LANG[j] . (j == 1 ? " (solid)" : " (hatched)")
    cmd = cmd . sprintf(", keyentry with boxes lc rgb \"#505050\" fs %s border title LT[%d]", fsl(j), j)
}
cmd = cmd . ", keyentry with lines lc rgb \"#303030\" lw 1.6 dt (6, 4) title \"1 = as the tutorial expects\""
if (nzero > 0) {
    cmd = cmd . ", keyentry with points pt 11 ps (1.6 * PSC) lc rgb \"#505050\" title \"measured ≤ 0 (at the bottom)\""
}
set datafile separator whitespace
set datafile nocolumnheaders

# svg underestimates the width of its text.
svg_setup = "set key width 1.5"
eval DRAW
