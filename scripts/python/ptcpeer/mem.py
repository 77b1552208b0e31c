"""--mem: resident memory per sleeping unit of each Python runtime, N units alive at once, in
ptc-mem's CSV (so the memory chart reads it beside the C units): PSS per process for
multiprocessing.Process children (what each adds to the machine, shared pages split), VmRSS
growth per unit for threads, greenlets and asyncio tasks. Each sample runs in a fresh
interpreter (`peer.py --mem-one MECHANISM N`): in a process that had units before, the heap they
freed holds the next ones and the growth reads zero. The value is the median of --repeat
samples (default 3)."""
import asyncio
import csv
import datetime
import gc
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time

from . import cleanup, models

COLUMNS = ("started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,benchmark,mechanism,"
           "variant,n,metric,unit,value,samples,min,max,note,placement,cpus_seen").split(",")
MACHINE = ("host", "cpu_model", "cpus", "kernel", "compiler", "git_rev")
HOLD_S = 3600  # a unit sleeps this long: far beyond a measurement


def rss_kib(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _child(ready):
    models.child_init()
    ready.release()
    time.sleep(HOLD_S)


def processes(n):
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Semaphore(0)
    t0 = time.perf_counter_ns()
    procs = [ctx.Process(target=_child, args=(ready,)) for _ in range(n)]
    for p in procs:
        p.start()
    for _ in range(n):
        ready.acquire()
    up_ns = time.perf_counter_ns() - t0
    kib = sum(pss_kib(p.pid) for p in procs) / n
    for p in procs:
        p.kill()
    for p in procs:
        p.join()
    return kib, up_ns


def threads(n):
    stop, started = threading.Event(), threading.Semaphore(0)

    def body():
        started.release()
        stop.wait(HOLD_S)
    before = rss_kib()
    t0 = time.perf_counter_ns()
    ts = [threading.Thread(target=body) for _ in range(n)]
    for t in ts:
        t.start()
    for _ in range(n):
        started.acquire()
    up_ns = time.perf_counter_ns() - t0
    kib = (rss_kib() - before) / n
    stop.set()
    for t in ts:
        t.join()
    return kib, up_ns


def greenlets(n):
    import gevent
    gevent.sleep(0)  # the hub, before the measurement
    before = rss_kib()
    t0 = time.perf_counter_ns()
    gs = [gevent.spawn(gevent.sleep, HOLD_S) for _ in range(n)]
    gevent.sleep(0)  # every greenlet runs to its sleep
    up_ns = time.perf_counter_ns() - t0
    kib = (rss_kib() - before) / n
    gevent.killall(gs)
    return kib, up_ns


def tasks(n):
    loop = asyncio.new_event_loop()

    async def main():
        before = rss_kib()
        t0 = time.perf_counter_ns()
        ts = [asyncio.create_task(asyncio.sleep(HOLD_S)) for _ in range(n)]
        await asyncio.sleep(0)  # every task runs to its sleep
        up_ns = time.perf_counter_ns() - t0
        kib = (rss_kib() - before) / n
        for t in ts:
            t.cancel()
        await asyncio.gather(*ts, return_exceptions=True)
        return kib, up_ns
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


# mechanism (its last word is its --only name), variant, metric, function
MECHANISMS = (
    ("python processes", "multiprocessing.Process (fork), in time.sleep", "pss_kib_per_unit", processes),
    ("python threads", "threading.Thread, blocked on an Event", "rss_kib_per_unit", threads),
    ("gevent greenlets", "gevent.spawn, in gevent.sleep", "rss_kib_per_unit", greenlets),
    ("asyncio tasks", "asyncio.create_task, in asyncio.sleep", "rss_kib_per_unit", tasks),
)


BY_NAME = {m[0].split()[-1]: m[3] for m in MECHANISMS}


def sample(a, name, n):
    """One figure of a fresh interpreter: (KiB per unit, ns to bring all n up)."""
    out = subprocess.run([sys.executable, os.path.abspath(sys.argv[0]), "--mem-one", name, str(n)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        cleanup.die(1, f"--mem: {name} at N = {n}: " + (out.stderr.strip().splitlines() or
                                                         [f"exit {out.returncode}"])[-1])
    kib, up_ns = out.stdout.split()
    return float(kib), int(up_ns)


def one(name, n):
    """--mem-one NAME N: the measurement itself, printed as 'KiB ns'."""
    gc.collect()
    kib, up_ns = BY_NAME[name](n)
    print(f"{kib:.3f} {up_ns}")


def run(a, f, m):
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
    w.writeheader()
    base = {k: m.get(k, "") for k in MACHINE}
    base.update(started_at=started, program="ptc-peer-python", benchmark="mem")
    repeat = a.repeat
    for mech, variant, metric, fn in MECHANISMS:
        if a.only and mech.split()[-1] not in a.only:
            continue
        for n in a.mem:
            cleanup.watchdog(60 + n * 0.05 if a.timeout is None else a.timeout,
                             f"--mem: {mech} at N = {n} did not come up within the deadline")
            kib, up = [], []
            for _ in range(repeat):
                k, u = sample(a, mech.split()[-1], n)
                kib.append(k)
                up.append(u / 1e6)
            cleanup.watchdog(0, "")
            for met, unit, vals in ((metric, "KiB", kib), ("up_ms", "ms", up)):
                w.writerow(dict(base, mechanism=mech, variant=variant, n=n, metric=met, unit=unit,
                                value=f"{statistics.median(vals):.3f}", samples=len(vals),
                                min=f"{min(vals):.3f}", max=f"{max(vals):.3f}"))
            if not a.quiet:
                print(f"{mech:18} N = {n:>7}: {statistics.median(kib):10.2f} KiB per unit "
                      f"({metric.split('_')[0].upper()}), up in {statistics.median(up):.2f} ms",
                      file=sys.stderr if a.out == "-" else sys.stdout)
