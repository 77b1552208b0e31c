# lib.gp - what the charts of plots/ share, loaded by each script from beside itself:
#
#   dirname(p) = strstrt(p, "/") == 0 ? "" : p[1:strstrt(p, "/")] . dirname(p[strstrt(p, "/") + 1:])
#   load dirname(ARG0)."lib.gp"
#   eval TAKE_ARGS
#
# It defines functions and settings only; it reads no data and draws nothing until a script
# runs `eval DRAW`.

# The arguments: `gnuplot -c plots/NAME.gp in=TABLE out=PREFIX machine=TEXT ...`, at most 9,
# each NAME=VALUE with NAME one of ARG_NAMES. A value is a string and stays one: take_arg
# assigns it, nothing pastes it into a command, so quotes, backquotes, `$()` or `system(...)`
# in a host name or a file name are text (scripts/lib/charts.bash passes every value this way).
# A script runs `eval TAKE_ARGS` after loading this file (`load` hides the script's ARGV from
# the file it loads; TAKE_ARGS is fixed text that reads ARGV, never holds it). Variables set
# before the script (`gnuplot -e "in='t.tsv'" plots/NAME.gp`) work as well. A table whose name
# starts with "<" would be a shell command to gnuplot, and an output starting with "|" a pipe
# into one: both are refused (write ./<name for such a file).
ARG_NAMES = "in out machine model_order size cpus claim model rep runtimes"
take_arg(a) = (arg_eq = strstrt(a, "="), arg_k = arg_eq > 1 ? a[1:arg_eq - 1] : "", \
    arg_v = a[arg_eq + 1:], \
    arg_k eq "in" ? (in = arg_v, 1) : arg_k eq "out" ? (out = arg_v, 1) : \
    arg_k eq "machine" ? (machine = arg_v, 1) : arg_k eq "model_order" ? (model_order = arg_v, 1) : \
    arg_k eq "size" ? (size = arg_v, 1) : arg_k eq "cpus" ? (cpus = arg_v, 1) : \
    arg_k eq "claim" ? (claim = arg_v, 1) : arg_k eq "model" ? (model = arg_v, 1) : \
    arg_k eq "rep" ? (rep = arg_v, 1) : arg_k eq "runtimes" ? (runtimes = arg_v, 1) : 0)
TAKE_ARGS = "do for [i = 1:ARGC] { if (!take_arg(ARGV[i])) { " . \
    "exit error sprintf(\"%s: argument %d is not NAME=VALUE with NAME one of: %s\", ARG0, i, ARG_NAMES) } }; " . \
    "if (exists(\"in\") && in[1:1] eq \"<\") { " . \
    "exit error sprintf(\"%s: in: a file name starting with '<' is a command to gnuplot; write ./%s\", ARG0, in) }"

# The tables of ptc-report --chart: UTF-8, tab-separated, a header row that names the columns.
set encoding utf8
set datafile separator "\t"
set datafile columnheaders

# Colours (colour-blind safe first) and point types, by series index i (1, 2, ...); black and
# grey are kept for reference lines.
array COL[10] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", \
                 "#7f7f7f", "#6a3d9a", "#999933"]
array PTS[10] = [7, 5, 9, 13, 11, 15, 6, 4, 12, 14]
col(i) = COL[(i - 1) % 10 + 1]
pts(i) = PTS[(i - 1) % 10 + 1]

# Colour and point type index of model m, the i-th in the file: its place in model_order
# (scripts/lib/charts.bash passes the models `ptc-run --list` names, so that a model looks the
# same on every chart), else after those, in the order of the file.
mo(m, i) = exists("model_order") && strstrt(" ".model_order." ", " ".m." ") > 0 ? \
    words((" ".model_order." ")[1:strstrt(" ".model_order." ", " ".m." ")]) + 1 : \
    (exists("model_order") ? words(model_order) : 0) + i

# The peer runtimes' models (scripts/python/peer.py, peers/go) take the colour of the C model of
# their family (processes per task, process pool, threads, thread pool, coroutines on one thread,
# their pool, M:N for goroutines) and the dash of their runtime, with hollow points.
family(m) = m eq "py-process" ? "fork" : m eq "py-pool" ? "procpool" : \
    m eq "py-thread" ? "thread" : m eq "py-threadpool" ? "threadpool" : \
    (m eq "py-gevent" || m eq "py-asyncio") ? "coro" : \
    (m eq "py-geventpool" || m eq "py-asynciopool") ? "coropool" : \
    m eq "go-goroutine" ? "coromn" : m eq "go-pool" ? "coromnpool" : m
# The runtime of model m: 1 C, 2 Python (multiprocessing, threading), 3 Python gevent,
# 4 Python asyncio, 5 Go.
runtime_of(m) = strstrt(m, "py-gevent") == 1 ? 3 : strstrt(m, "py-asyncio") == 1 ? 4 : \
    strstrt(m, "py-") == 1 ? 2 : strstrt(m, "go-") == 1 ? 5 : 1
array RT_DASH[5] = ["1", "(8,5)", "(2,4)", "(12,4,2,4)", "(18,6)"]
# What a peer model's unit is, for its key entry.
peer_text(m) = m eq "py-process" ? "a Process per task" : \
    m eq "py-pool" ? "multiprocessing Pool(W)" : \
    m eq "py-thread" ? "a Thread per task" : \
    m eq "py-threadpool" ? "ThreadPoolExecutor(W)" : \
    m eq "py-gevent" ? "gevent greenlet per task" : \
    m eq "py-geventpool" ? "gevent Pool(W)" : \
    m eq "py-asyncio" ? "asyncio task per task" : \
    m eq "py-asynciopool" ? "asyncio, Semaphore(W)" : \
    m eq "go-goroutine" ? "Go, goroutine per task" : \
    m eq "go-pool" ? "Go, W goroutines" : "a peer runtime"
is_peer(m) = runtime_of(m) > 1

# Series s of a chart of models, with the script's arrays SI (its model's index) and SK (1 for
# the first series of the model, 2 for its second, ...): the second, fourth, ... series of the
# same model gets hollow points, and each after the first a dashed or dotted line.
# A peer runtime's series: hollow points, its runtime's dash.
spt(s) = pts(SI[s]) - (((SK[s] % 2 == 0 || is_peer(SM[s])) && pts(SI[s]) % 2 == 1) ? 1 : 0)
sdt(s) = is_peer(SM[s]) ? RT_DASH[runtime_of(SM[s])] : \
    SK[s] == 1 ? "1" : SK[s] == 2 ? "(6,4)" : SK[s] == 3 ? "(2,3)" : "(10,3,2,3)"

# What one worker of a model is, from its name (for the legend only).
unit(m) = (m eq "fork" || strstrt(m, "proc") == 1) ? "process" : \
          strstrt(m, "thread") == 1 ? "thread" : \
          strstrt(m, "coro") == 1 ? "coroutine" : ""
plural(u) = u eq "process" ? "processes" : u."s"
# After "one coroutine per task" or "pool of W coroutines": ", M:N" for the models that run
# theirs over N scheduler threads (coromn, coromnpool; short, so that the key keeps two columns).
over(m) = strstrt(m, "coromn") == 1 ? ", M:N" : ""

# list with the word w added at its end, unless it holds it: space-separated words, in order.
addword(list, w) = strstrt(list, " ".w." ") == 0 ? list.w." " : list

# A task_ms field as title text: " × 20 ms", " × 5–15 ms (random)" for "5:15", "" when empty
# or "-".
ms_text(t) = t eq "" || t eq "-" ? "" : \
    strstrt(t, ":") > 0 ? sprintf(" × %s–%s ms (random)", t[1:strstrt(t, ":")-1], t[strstrt(t, ":")+1:]) : \
    sprintf(" × %s ms", t)

# A table's path without its ".tsv": what the charts drawn from it are named after.
table_stem(in) = strlen(in) > 4 && in[strlen(in)-3:] eq ".tsv" ? in[1:strlen(in)-4] : in

# The machine for a title: the `machine` text the caller gave, else "host " and the host column.
machine_text(host) = (exists("machine") && machine ne "") ? machine : "host ".host

# `eval KEY_BELOW` puts the key under the plot, in two columns from 7 entries and three (in a
# smaller font, so that three fit the width) from 17 (nkeys, set by the script: the peer
# runtimes double the series), so that it never covers data.
KEY_BELOW = "keyrows = nkeys > 16 ? ceil(nkeys / 3.0) : nkeys > 6 ? ceil(nkeys / 2.0) : 3; " . \
    "set bmargin keyrows * 1.25 + 4.5; " . \
    "set key at screen 0.5, screen 0.012 center bottom horizontal maxrows keyrows " . \
    "Left reverse samplen 3 spacing 1.25 width 0 font \",11\" box; " . \
    "if (nkeys > 16) { set key font \",9\" }"

# `eval DRAW` runs the plot command in `cmd` twice: into out.".png" (pngcairo) and out.".svg"
# (svg), both 1200x800. PSC is the point size scale for `ps` (svg draws points bigger and text
# smaller than pngcairo: 1 and 0.62); png_setup and svg_setup, commands a script may set, run
# before each.
png_setup = ""
svg_setup = ""
DRAW = "if (out[1:1] eq \"|\") { exit error \"out: a name starting with '|' is a pipe to gnuplot\" }; " . \
    "PSC = 1; " . \
    "eval png_setup; " . \
    "set terminal pngcairo size 1200,800 enhanced font \"DejaVu Sans,12\" linewidth 1; " . \
    "set termoption noenhanced; set output out.\".png\"; eval cmd; " . \
    "set terminal svg size 1200,800 fixed font \"DejaVu Sans,12\" fontscale 1.3 linewidth 1 background \"white\"; " . \
    "PSC = 0.62; eval svg_setup; " . \
    "set termoption noenhanced; set output out.\".svg\"; eval cmd; set output"
