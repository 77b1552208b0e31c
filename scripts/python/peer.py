#!/usr/bin/python3
"""ptc-peer-python: ptc-run's grid with Python's models (multiprocessing.Process per task,
multiprocessing.Pool, threading.Thread per task, ThreadPoolExecutor, gevent greenlets and
gevent.pool.Pool, asyncio tasks and asyncio tasks under a Semaphore), on the C workloads' work
and checks (ptcpeer/workloads.py), writing ptc-run's CSV columns plus `runtime`. Run with
Debian's /usr/bin/python3, which has python3-gevent. --help says how."""
import argparse
import datetime
import gc
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptcpeer import cleanup, condition, csvout, ideal, machine, models, workloads  # noqa: E402
from ptcpeer.cleanup import PROG  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_TASKS = 100_000
WATCHDOG_FACTOR, WATCHDOG_SLACK_S, WATCHDOG_PER_TASK_S = 10, 5.0, 50e-6  # src/runner/watchdog.h


class Usage(Exception):
    """Bad input: one line, exit status 2, nothing written."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


def whole(lo, hi):
    def parse(s):
        if not s.isdigit() or not lo <= int(s) <= hi:
            raise argparse.ArgumentTypeError(f"'{s}' is not a whole number from {lo} to {hi}")
        return int(s)
    return parse


def listof(item):
    def parse(s):
        return [item(v) for v in s.split(",")]
    return parse


def task_ms(s):
    lo, sep, hi = s.partition(":")
    a, b = whole(1, 86_400_000)(lo), whole(1, 86_400_000)(hi) if sep else None
    if b is not None and b < a:
        raise argparse.ArgumentTypeError(f"'{s}': LO is above HI")
    return (a, b if b is not None else a, s)


def fraction(s):
    try:
        v = float(s)
    except ValueError:
        v = -1
    if not 0 <= v <= 1:
        raise argparse.ArgumentTypeError(f"'{s}' is not a number from 0 to 1")
    return v


def only(s):
    if s not in ("processes", "threads", "greenlets", "tasks"):
        raise argparse.ArgumentTypeError(f"'{s}' is not one of processes, threads, greenlets, tasks")
    return s


def parse_args(argv):
    names = ", ".join(models.REGISTRY)
    p = Parser(prog=PROG, description="Runs every combination of Python's models, workers, task "
               "counts and workload settings on one workload; wall time, CPU time, memory, "
               "speedup against Python's own seq. The work and its checks are the C workloads' "
               "(ptc-aid); the CSV has ptc-run's columns plus runtime.",
               epilog="Exit status: 0 ok, 1 a run failed, 2 bad usage, 128+N stopped by signal N.")
    p.add_argument("--workload", choices=list(workloads.REGISTRY), help="the workload")
    p.add_argument("--model", default="all", help=f"models, or 'all' (default): {names}")
    p.add_argument("--workers", type=listof(whole(1, 4096)), default=[4], metavar="N[,N...]",
                   help="pool sizes W (default 4); seq runs with 1, py-process, py-thread, "
                   "py-gevent and py-asyncio with one worker per task")
    p.add_argument("--tasks", type=listof(whole(1, MAX_TASKS)), default=[8], metavar="N[,N...]",
                   help=f"tasks per run, 1..{MAX_TASKS} (default 8)")
    p.add_argument("--task-ms", type=listof(task_ms), metavar="MS|LO:HI[,...]",
                   help="sleep, cpu, mixed: task duration in ms (or a seeded random LO:HI)")
    p.add_argument("--iterations", type=whole(1, 1 << 40), help="cpu: chain steps per task, instead of --task-ms")
    p.add_argument("--seed", type=whole(0, (1 << 64) - 1), default=1, help="seed (default 1)")
    p.add_argument("--file-kib", type=listof(whole(1, 1048576)), default=[1024], metavar="N[,N...]",
                   help="file: KiB per file (default 1024)")
    p.add_argument("--fsync", action="store_true", help="file: fsync each copy")
    p.add_argument("--tmp-dir", help="file: where the private folder goes (default $TMPDIR, else /tmp)")
    p.add_argument("--net-latency-ms", type=listof(whole(0, 86_400_000)), default=[100], metavar="MS[,...]",
                   help="net: the server's delay per request (default 100)")
    p.add_argument("--net-kib", type=listof(whole(0, 65536)), default=[64], metavar="N[,...]",
                   help="net: KiB per response (default 64)")
    p.add_argument("--cpu-fraction", type=listof(fraction), default=[0.5], metavar="F[,...]",
                   help="mixed: the share of --task-ms spent computing (default 0.5)")
    p.add_argument("--mixed-wait", choices=["sleep"], default="sleep", help="mixed: the wait (sleep only)")
    p.add_argument("--repeat", type=whole(1, 10000), default=3, help="recorded runs per configuration (default 3)")
    p.add_argument("--warmup", type=whole(0, 10000), default=1, help="unrecorded rounds first (default 1)")
    p.add_argument("--out", help="one CSV row per recorded run ('-' for stdout)")
    p.add_argument("--quiet", action="store_true", help="no summary table, no progress line")
    p.add_argument("--timeout", type=whole(0, 86400), metavar="SECONDS",
                   help="end the program (status 1) when a run outlasts this; 0: never (default "
                   "10 x the run's ideal time + 5 s + 50 us per task)")
    p.add_argument("--bin", default=os.path.join(ROOT, "build", "release"),
                   help="the folder of ptc-run and ptc-aid (default build/release)")
    p.add_argument("--mem", type=listof(whole(1, MAX_TASKS)), metavar="N[,N...]",
                   help="instead of the grid: resident KiB per sleeping unit with N alive, in "
                   "ptc-mem's CSV (mechanisms: python processes, python threads, gevent "
                   "greenlets, asyncio tasks)")
    p.add_argument("--only", type=listof(only), metavar="NAME[,NAME...]",
                   help="with --mem: only these: processes, threads, greenlets, tasks")
    p.add_argument("--mem-one", nargs=2, help=argparse.SUPPRESS)
    p.add_argument("--list", action="store_true", help="list models and workloads, then exit")
    a = p.parse_args(argv)
    if a.list or a.mem_one:
        return a
    for prog in ("ptc-run", "ptc-aid"):
        if not os.access(os.path.join(a.bin, prog), os.X_OK):
            raise Usage(f"--bin: no {prog} in '{a.bin}'")
    if a.out is None:
        raise Usage("--out FILE is required ('-' for stdout)")
    if a.mem is not None:
        return a
    if a.only is not None:
        raise Usage("--only is for --mem")
    if a.workload is None:
        raise Usage("--workload is required: one of " + ", ".join(workloads.REGISTRY))
    a.models = list(models.REGISTRY) if a.model == "all" else a.model.split(",")
    for m in a.models:
        if m not in models.REGISTRY:
            raise Usage(f"--model: unknown model '{m}' (known: {names})")
    wl = workloads.REGISTRY[a.workload]
    if a.workload in ("sleep", "mixed") and a.task_ms is None:
        raise Usage(f"the {a.workload} workload needs --task-ms MS|LO:HI")
    if a.workload == "cpu" and a.task_ms is None and a.iterations is None:
        raise Usage("the cpu workload needs --iterations N or --task-ms MS|LO:HI")
    if "task_ms" not in wl.settings and a.task_ms is not None:
        raise Usage(f"--task-ms: the {a.workload} workload takes no task duration")
    if a.iterations is not None and a.workload != "cpu":
        raise Usage("--iterations is for the cpu workload")
    return a


class Params:
    """One size of the workload: the settings of one workload instance."""

    def __init__(self, a, tasks, tms, file_kib, lat, kib, frac):
        self.tasks, self.seed, self.iterations = tasks, a.seed, a.iterations or 0
        self.task_lo_ms, self.task_hi_ms, self.task_ms_text = tms if tms else (0, 0, "")
        self.file_kib, self.fsync, self.tmp_dir = file_kib, a.fsync, a.tmp_dir
        self.net_latency_ms, self.net_kib = lat, kib
        self.cpu_fraction, self.mixed_wait = frac, a.mixed_wait
        self.aid = os.path.join(a.bin, "ptc-aid")


def sizes(a):
    wl = workloads.REGISTRY[a.workload]
    s = wl.settings
    for tasks in a.tasks:
        for tms in (a.task_ms if "task_ms" in s and a.task_ms else [None]):
            for fk in (a.file_kib if "file_kib" in s else [None]):
                for lat in (a.net_latency_ms if "net_latency_ms" in s else [None]):
                    for kib in (a.net_kib if "net_kib" in s else [None]):
                        for frac in (a.cpu_fraction if "cpu_fraction" in s else [None]):
                            yield Params(a, tasks, tms, fk, lat, kib, frac)


def deadline_s(a, ideal_ns, tasks):
    if a.timeout is not None:
        return a.timeout
    return WATCHDOG_FACTOR * ideal_ns / 1e9 + WATCHDOG_SLACK_S + WATCHDOG_PER_TASK_S * tasks


def one_run(a, wl, model, n, w, ideal_ns, what, cond):
    """A run of n tasks: the model's own start and end inside the clock, checks after it; the
    machine's condition across it into cond (its figures, not yet judged)."""
    models.WL = wl
    model.prepare()
    gc.collect()
    cond.begin()
    before = machine.Usage()
    cleanup.watchdog(deadline_s(a, ideal_ns, n) if a.timeout != 0 else 0,
                     f"{what}: no end within the watchdog's deadline (--timeout)")
    t0 = time.perf_counter_ns()
    results = model.run(n, w)
    wall_ns = time.perf_counter_ns() - t0
    cleanup.watchdog(0, "")
    usage = machine.Usage().since(before)
    cond.wall_ns, cond.own_cpu_s = wall_ns, usage["ru_utime"] + usage["ru_stime"]
    model.release()
    ok = [bool(r and r[0]) for r in results]
    errors = [r[1] if r else "no result" for r in results]
    for t in range(n):
        if ok[t] and results[t][1] != wl.expected(t):
            ok[t], errors[t] = False, "wrong checksum"
    wl.run_end(ok)
    for t in range(n):
        if not ok[t]:
            cleanup.die(1, f"{what}: task {t} failed: {errors[t] if not results[t] or not results[t][0] else 'its result differs from the expected one'}")
    return wall_ns, usage


def run_grid(a, out, m):
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    runtime = machine.runtime()
    cpus = int(m.get("cpus", "0") or 0)
    chosen = [models.REGISTRY[x] for x in a.models]
    summary = []
    t_start = time.monotonic()
    for p in sizes(a):
        wl = workloads.REGISTRY[a.workload](p)
        undo = cleanup.on_exit(wl.teardown)
        try:
            wl.setup()
        except workloads.SetupError as e:
            cleanup.die(1, f"{a.workload}: {e}")
        configs = []
        for model in chosen:
            for w in (a.workers if model.pooled else [1]):
                par = model.parallelism(w, p.tasks)
                configs.append((model, w, model.workers(w, p.tasks),
                                ideal.ideal_ns(wl.task_ns, wl.cpu_ns, par, model.pooled or model.name == "seq", cpus),
                                par, []))
        # Repetitions interleaved across configurations, as ptc-run does: a slow moment of the
        # machine falls on every model alike.
        for r in range(a.warmup + a.repeat):
            # ptc-run's probe before each recorded round: a round run while the machine could
            # not deliver its CPUs is marked disturbed.
            cap = condition.capacity(p.aid) if r >= a.warmup else float("nan")
            for model, w, wcol, ideal_ns, par, walls in configs:
                what = f"{a.workload} {model.name} W={wcol} tasks={p.tasks}"
                if not a.quiet and sys.stderr.isatty():
                    sys.stderr.write(f"\r{PROG}: {what} round {r + 1}/{a.warmup + a.repeat}, "
                                     f"{time.monotonic() - t_start:.0f} s\033[K")
                cond = condition.Condition()
                wall_ns, u = one_run(a, wl, model, p.tasks, w, ideal_ns, what, cond)
                if r < a.warmup:
                    continue
                walls.append(wall_ns)
                cond.end(cond.wall_ns, cond.own_cpu_s, cpus, cap, p.aid)
                csvout.write_row(out, m, started, runtime, a, p, wl, model, wcol, r - a.warmup,
                                 wall_ns, u, ideal_ns, par, cpus, cond)
        cleanup.done(undo)
        seq = next((statistics.median(c[5]) for c in configs if c[0].name == "seq"), None)
        for model, w, wcol, ideal_ns, par, walls in configs:
            med = statistics.median(walls)
            summary.append((p, model.name, wcol, med, seq / med if seq else None, len(walls)))
    if not a.quiet and sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    return summary


def print_summary(a, summary):
    # On stderr when the CSV goes to stdout (--out -), as ptc-run does.
    out = sys.stderr if a.out == "-" else sys.stdout
    print(f"{'workload':8} {'model':15} {'W':>5} {'tasks':>6} {'size':>14} {'median ms':>10} "
          f"{'speedup':>8} {'runs':>5}", file=out)
    for p, name, w, med, sp, runs in summary:
        size = p.task_ms_text or (f"{p.file_kib} KiB" if p.file_kib else
                                  f"{p.net_kib} KiB/{p.net_latency_ms} ms" if p.net_kib is not None else "")
        if p.cpu_fraction is not None:
            size += f" F={p.cpu_fraction:g}"
        print(f"{a.workload:8} {name:15} {w:>5} {p.tasks:>6} {size:>14} {med / 1e6:>10.3f} "
              f"{(f'{sp:.3f}x' if sp else '-'):>8} {runs:>5}", file=out)


def open_out(path):
    """The output's temporary file beside it (renamed at the end), or stdout for '-'."""
    if path == "-":
        return sys.stdout, None
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".partial", dir=folder)
    except OSError as e:
        raise Usage(f"--out: cannot write into '{folder}': {e.strerror}")
    cleanup.on_exit(lambda: os.path.exists(tmp) and os.unlink(tmp))
    return os.fdopen(fd, "w", newline=""), tmp


def main(argv):
    cleanup.install()
    try:
        a = parse_args(argv)
    except Usage as e:
        sys.stderr.write(f"{PROG}: {e}\n")
        return 2
    if a.mem_one:
        from ptcpeer import mem
        mem.one(a.mem_one[0], int(a.mem_one[1]))
        return 0
    if a.list:
        print("models:\n" + "".join(f"  {k:15} {v.unit}\n" for k, v in models.REGISTRY.items()) +
              "workloads:\n" + "".join(f"  {k}\n" for k in workloads.REGISTRY))
        return 0
    try:
        m = machine.describe(os.path.join(a.bin, "ptc-run"))
        f, tmp = open_out(a.out)
    except Usage as e:
        sys.stderr.write(f"{PROG}: {e}\n")
        return 2
    except OSError as e:
        cleanup.die(1, str(e))
    if a.mem is not None:
        from ptcpeer import mem
        mem.run(a, f, m)
        summary = None
    else:
        out = csvout.writer(f)
        summary = run_grid(a, out, m)
    f.flush()
    if tmp is not None:
        f.close()
        os.rename(tmp, a.out)
    if summary and not a.quiet:
        print_summary(a, summary)
    cleanup.run_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
