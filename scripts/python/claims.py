#!/usr/bin/python3
"""The Python reference of the claims ledger: the tutorials' own scenarios, in Python, with the
tutorials' tools (multiprocessing Process/Pool, threading, gevent). Run by `ptc-claims --python`
with Debian's /usr/bin/python3 (which has python3-gevent); writes one CSV row per claim it covers
with the columns: id, expected, measured, verdict, reason, expected_value, measured_value, unit.
Every figure comes from the run it makes; a refuted claim is a result."""

import argparse
import contextlib
import csv
import multiprocessing
import multiprocessing.pool
import os
import queue
import random
import signal
import statistics
import sys
import threading
import time

TOL = 0.05        # relative tolerance of the timing claims, as in the C ledger
SLACK = 0.005     # seconds: interpreter and process start-up, whatever the scale
INSTANT = 0.001   # seconds: "at once", "immediately"
# How long the parent waits for a child (process or thread) to reach a state before it gives up.
# Only a broken run gets there; the scenario then raises, and the run fails (ptc-claims says so)
# rather than give a verdict.
GUARD = 5.0
# The deadline of a Pool's map, as ptc-run's watchdog (src/runner/watchdog.h): this many times the
# ideal time plus this many seconds.
WATCHDOG_FACTOR = 10
WATCHDOG_SLACK = 5.0
RUNNING = ""  # the claim whose scenario runs, for end_run's message


OVERHEAD_RUNS = 3  # as PTC_OVERHEAD_RUNS in src/claims/scenario.h
NOT_JUDGED = "not judged at this scale"


def within(measured, expected):
    return abs(measured - expected) <= TOL * expected + SLACK


def judge_duration(measured, expected, overhead, tol=TOL, slack=SLACK):
    """One duration by the rule of src/claims/verdict.h (ptc_judge_duration), in seconds:
    "reproduced" a hit, "refuted" a miss, NOT_JUDGED when a fixed overhead can account for it."""
    band, off = tol * expected + slack, measured - expected
    if overhead > band:
        return NOT_JUDGED
    if off < -band or off > band + overhead:  # an overhead only ever adds time
        return "refuted"
    return NOT_JUDGED if off > band else "reproduced"


def judge(others_hold, checks, tol=TOL, slack=SLACK):
    """The verdict rule of a claim about durations, written down in src/claims/verdict.h and
    mirrored here: checks are (what, measured, expected, overhead) in seconds, the overhead being
    the same scenario with empty tasks in the same run. Returns the verdict and the checks not
    judged (tests/data/verdicts.csv: C and Python decide alike)."""
    each = [judge_duration(m, e, o, tol, slack) for _, m, e, o in checks]
    unjudged = [c for c, v in zip(checks, each) if v == NOT_JUDGED]
    if not others_hold or "refuted" in each:
        return "refuted", unjudged
    return (NOT_JUDGED if unjudged else "reproduced"), unjudged


def judged(s, others_hold, checks, why_ok, why_not):
    """judge() with the C ledger's texts (ptc_claim_judge): the verdict, its reason, and the
    overheads to append to the measured text."""
    verdict, unjudged = judge(others_hold, checks)
    overheads = "; fixed overhead (empty tasks): " + ", ".join(
        f"{w} {o:.4f} s" for w, _, _, o in checks)
    if verdict != NOT_JUDGED:
        return verdict, why_ok if verdict == "reproduced" else why_not, overheads
    return verdict, (f"at time scale {s:g} a fixed overhead can account for the figure: "
                     + "; ".join(f"{w} overhead {o:.4f} s, tolerance {TOL * e + SLACK:.4f} s, "
                                 f"off by {m - e:+.4f} s" for w, m, e, o in unjudged)), overheads


def overhead(scenario):
    """The fixed cost of a scenario, scenario() being its run with empty tasks that returns its
    wall time: after one run not counted, the largest of OVERHEAD_RUNS runs, as in the C ledger."""
    scenario()
    return max(scenario() for _ in range(OVERHEAD_RUNS))


def sleeper(seconds):
    time.sleep(seconds)


def square(args):
    x, seconds = args
    time.sleep(seconds)
    return x * x


def stamped(args):
    i, seconds, t0 = args
    start = time.time() - t0
    time.sleep(seconds)
    return i, start, time.time() - t0


def burn(n):
    x = 1
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
    return x


def start_join(threads):
    """Starts every thread, then joins every one that started, also when a start fails."""
    try:
        for t in threads:
            t.start()
    finally:
        for t in threads:
            if t.ident is not None:
                t.join()


def start_join_units(kind, durations):
    """Wall time of starting one kind(target=sleeper) per duration and joining them all."""
    units = [kind(target=sleeper, args=(x,)) for x in durations]
    t = time.time()
    for u in units:
        u.start()
    for u in units:
        u.join()
    return time.time() - t


def c01(s, rng):
    d = [rng.randint(5, 10) * s for _ in range(2)]
    checks = []
    for what, kind in (("two processes", multiprocessing.Process),
                       ("two threads", threading.Thread)):
        o = overhead(lambda: start_join_units(kind, [0, 0]))
        checks.append((what, start_join_units(kind, d), max(d), o))
    verdict, why, overheads = judged(s, True, checks, "both overlap",
                                     "a wall time is off the longest download")
    return (f"about the longest download ({max(d):.3f} s), not the sum ({sum(d):.3f} s)",
            f"two processes {checks[0][1]:.3f} s, two threads {checks[1][1]:.3f} s" + overheads,
            verdict, why, max(d), max(c[1] for c in checks), "s")


def c02(s, rng):
    d = [rng.uniform(0.5, 3.0) * s for _ in range(5)]
    t0 = time.time()
    with multiprocessing.Pool(4) as p:
        res = pool_map(p, stamped, [(i, d[i], t0) for i in range(5)], sum(d), chunksize=1)
    starts = {i: st for i, st, _ in res}
    ends = {i: en for i, _, en in res}
    pool_up = min(starts.values())  # Pool start-up is not the claim: time from the first start
    first_end = min(ends[i] for i in range(4))
    window = TOL * min(d[:4]) + SLACK
    together = max(starts[i] for i in range(4)) - pool_up <= window
    waits = starts[4] >= first_end - 0.001 and starts[4] - first_end <= window
    return ("tasks 0-3 start at once; task 4 when the first of them ends",
            f"tasks 0-3 started within {max(starts[i] for i in range(4)) - pool_up:.4f} s; "
            f"first end {first_end - pool_up:.4f} s; task 4 started {starts[4] - pool_up:.4f} s",
            together and waits, "four workers, the fifth task waits" if together and waits
            else "the order differs", first_end - pool_up, starts[4] - pool_up, "s")


def c03(s, rng):
    with multiprocessing.Pool() as p:
        size = p._processes
    n = os.cpu_count()
    return ("Pool() has os.cpu_count() workers", f"Pool() has {size} workers; {n} CPUs",
            size == n, "multiprocessing's default" if size == n else "the default differs",
            n, size, "workers")


def squares(pool, s):
    """The tutorial's run(x) over 1..6 with s-second sleeps, in sequence or in Pool(5) (its
    creation and teardown included): (wall time, results)."""
    t = time.time()
    if pool:
        with multiprocessing.Pool(5) as p:
            res = pool_map(p, square, [(x, s) for x in range(1, 7)], 6 * s)
    else:
        res = [square((x, s)) for x in range(1, 7)]
    return time.time() - t, res


def c04(s, rng):
    o_seq = overhead(lambda: squares(False, 0)[0])
    o_pool = overhead(lambda: squares(True, 0)[0])
    t_seq, seq = squares(False, s)
    t_pool, res = squares(True, s)
    in_order = res == [1, 4, 9, 16, 25, 36] and seq == res
    verdict, why, overheads = judged(
        s, in_order, [("sequence", t_seq, 6 * s, o_seq), ("Pool(5)", t_pool, 2 * s, o_pool)],
        "two rounds", "a time differs" if in_order else "the results are not in input order")
    return (f"{6 * s:.3f} s in sequence, {2 * s:.3f} s in Pool(5), [1, 4, 9, 16, 25, 36] in order",
            f"sequence {t_seq:.3f} s, Pool(5) {t_pool:.3f} s (creation included), results {res}"
            + overheads, verdict, why, 2 * s, t_pool, "s")


def five_threads(s):
    """Five threads sleeping s: (time to start them, time to start and join them)."""
    ts = [threading.Thread(target=sleeper, args=(s,)) for _ in range(5)]
    t = time.time()
    for x in ts:
        x.start()
    unjoined = time.time() - t
    for x in ts:
        x.join()
    return unjoined, time.time() - t


def five_sleeps(s):
    t = time.time()
    for _ in range(5):
        sleeper(s)
    return time.time() - t


def c05(s, rng):
    o_joined = overhead(lambda: five_threads(0)[1])
    o_seq = overhead(lambda: five_sleeps(0))
    unjoined, joined = five_threads(s)
    seq = five_sleeps(s)
    zero = unjoined < TOL * s
    verdict, why, overheads = judged(
        s, zero, [("joined", joined, s, o_joined), ("in sequence", seq, 5 * s, o_seq)],
        "the '0 s' only times start()",
        "a time differs" if zero else "starting the threads took 5 % of a task or more")
    return (f"not joined ~0 s, joined {s:.3f} s, in sequence {5 * s:.3f} s",
            f"not joined {unjoined:.6f} s, joined {joined:.3f} s, in sequence {seq:.3f} s"
            + overheads, verdict, why, s, joined, "s")


def c12(s, rng):
    try:
        import gevent
        import gevent.pool
    except ImportError:
        return None
    d = [rng.uniform(1, 3) * s for _ in range(3)]

    def all3(durations):
        t = time.time()
        gevent.joinall([gevent.spawn(gevent.sleep, x) for x in durations])
        return time.time() - t

    def pool2(durations):
        t = time.time()
        gevent.pool.Pool(2).map(gevent.sleep, durations)
        return time.time() - t

    o_all, o_pool = overhead(lambda: all3([0] * 3)), overhead(lambda: pool2([0] * 3))
    t_all, t_pool = all3(d), pool2(d)
    free = [0.0, 0.0]
    for x in d:
        i = free.index(min(free))
        free[i] += x
    verdict, why, overheads = judged(
        s, True, [("joinall", t_all, max(d), o_all), ("Pool(2)", t_pool, max(free), o_pool)],
        "greenlets overlap on one thread", "a time differs")
    return (f"joinall: the slowest ({max(d):.3f} s), not the sum ({sum(d):.3f} s); Pool(2) "
            f"{max(free):.3f} s", f"joinall {t_all:.3f} s, Pool(2) {t_pool:.3f} s" + overheads,
            verdict, why, max(d), t_all, "s")


def c15(s, rng):
    n = 1
    while True:  # size the work to ~max(0.2, s) s on one thread
        t = time.time()
        burn(n)
        if time.time() - t > max(0.2, s) / 4:
            break
        n *= 2
    n *= 4
    # One thread against two, alternated three times: on a shared VM a single pair can catch a
    # slow moment on one side only. The medians decide.
    ones, twos = [], []
    for _ in range(3):
        t = time.time()
        burn(n)
        burn(n)
        ones.append(time.time() - t)
        ts = [threading.Thread(target=burn, args=(n,)) for _ in range(2)]
        t = time.time()
        for x in ts:
            x.start()
        for x in ts:
            x.join()
        twos.append(time.time() - t)
    one, two = sorted(ones)[1], sorted(twos)[1]
    speedup = one / two
    holds = speedup <= 1.10
    return ("2 threads on CPU work no faster than 1 (speedup <= 1.10x)",
            f"Python: one thread {one:.3f} s, two threads {two:.3f} s (medians of 3 alternated "
            f"pairs): speedup {speedup:.2f}x",
            holds, "the GIL lets one thread run Python code at a time" if holds
            else "two Python threads ran faster than one", 1.0, speedup, "x")


# ---- helpers for the scenarios with children ----

def worker_fault(workers):
    """'Pool worker 1 (pid 42) killed by SIGKILL' for the first of the Pool's workers that died
    or stopped, else ''."""
    for i, w in enumerate(workers):
        name = f"Pool worker {i} (pid {w.pid})"
        try:  # WNOWAIT: look without reaping, so that the Pool still joins it
            r = os.waitid(os.P_PID, w.pid, os.WEXITED | os.WSTOPPED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:  # the Pool's handler thread has reaped it already
            r = None
        if r is not None and r.si_code in (os.CLD_STOPPED, os.CLD_TRAPPED):
            return f"{name} stopped by {signal.Signals(r.si_status).name}"
        if r is not None and r.si_code in (os.CLD_KILLED, os.CLD_DUMPED):
            return f"{name} killed by {signal.Signals(r.si_status).name}"
        if r is not None and r.si_code == os.CLD_EXITED:
            return f"{name} exited with status {r.si_status}"
        code = w.exitcode if r is None else None
        if code is not None and code < 0:
            return f"{name} killed by {signal.Signals(-code).name}"
        if code is not None and code > 0:
            return f"{name} exited with status {code}"
    return ""


def end_run(p, workers, why):
    """Ends the program (status 1) with one line saying why, after killing and reaping every
    worker of the Pool p. Pool.terminate() is no way out: it waits for a killed worker's task
    and for a stopped worker, forever; so its worker handler is stopped first (else it would
    start new workers), then every worker is killed with SIGKILL, which a stopped one obeys."""
    handler = p._worker_handler
    handler._state = multiprocessing.pool.TERMINATE
    p._change_notifier.put(None)
    handler.join(GUARD)
    for w in workers + list(p._pool) + multiprocessing.active_children():
        with contextlib.suppress(OSError):
            os.kill(w.pid, signal.SIGKILL)
    for w in workers + list(p._pool) + multiprocessing.active_children():
        w.join(GUARD)
    print(f"claims.py: claim {RUNNING}: {why}; the run is ended", file=sys.stderr, flush=True)
    os._exit(1)


def pool_map(p, fn, items, ideal, **kw):
    """p.map(fn, items), ended by end_run when a worker dies or stops (multiprocessing.Pool
    would replace it and wait for its task forever, where concurrent.futures raises
    BrokenProcessPool) or after WATCHDOG_FACTOR x ideal + WATCHDOG_SLACK seconds."""
    workers = list(p._pool)
    result = p.map_async(fn, items, **kw)
    limit = WATCHDOG_FACTOR * ideal + WATCHDOG_SLACK
    end = time.monotonic() + limit
    while not result.ready():
        result.wait(0.05)
        fault = worker_fault(workers)
        if fault or (not result.ready() and time.monotonic() >= end):
            end_run(p, workers, fault or f"no Pool result within {limit:.1f} s (the deadline)")
    return result.get()


def kill_all(procs):
    """The error path: a started child still running is killed; every started child is reaped.
    A child already joined is left as it is."""
    for p in procs:
        if p is not None and p.pid is not None and p.exitcode is None:
            p.kill()
    for p in procs:
        if p is not None and p.pid is not None:
            p.join()


def join_all(procs):
    for p in procs:
        p.join(GUARD)
        if p.exitcode is None:
            raise RuntimeError(f"child {p.pid} did not end within {GUARD} s")


def proc_state(pid):
    """The state letter of /proc/<pid>/stat (R, S, Z, ...), or '' when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return ""
    return stat[stat.rfind(")") + 2:][:1]  # "pid (comm) S ...": comm may hold ')'


def proc_kib(path, field):
    """One "Field:  N kB" line of a /proc file, summed over the file, in KiB; None if absent."""
    total = None
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    total = (total or 0) + int(line.split()[1])
    except OSError:
        return None
    return total


def wait_until(pred, guard=GUARD, what="a state"):
    deadline = time.monotonic() + guard
    while not pred():
        if time.monotonic() >= deadline:
            raise RuntimeError(f"{what} not reached within {guard} s")
        time.sleep(0.0002)


def nan():
    return float("nan")


# ---- 06: 100 threads deposit 1 each, pausing inside the critical section (000) ----

account_balance = 0
account_lock = threading.Lock()


def deposit(money, pause, use_lock, gate):
    """The tutorial's Account.deposit: new_balance = balance + money; sleep(0.01); write it back."""
    global account_balance
    if not gate.wait(GUARD):
        return
    if use_lock:
        account_lock.acquire()
    try:
        new_balance = account_balance + money
        time.sleep(pause)
        account_balance = new_balance
    finally:
        if use_lock:
            account_lock.release()


def deposit_run(pause, use_lock, n=100):
    global account_balance
    account_balance = 0
    # The tutorial's threads all start within a fraction of its 10 ms pause; scaled down, the
    # pause can become shorter than starting a thread, which would serialise the unlocked run by
    # accident: a gate starts them together whatever the scale, as in the C ledger.
    gate = threading.Event()
    ts = [threading.Thread(target=deposit, args=(1, pause, use_lock, gate)) for _ in range(n)]
    try:
        for t in ts:
            t.start()
        t0 = time.time()
        gate.set()
        for t in ts:
            t.join()
        return account_balance, time.time() - t0
    finally:
        gate.set()
        for t in ts:
            if t.ident is not None:
                t.join()


def c06(s, rng):
    n, pause = 100, 0.01 * s
    locked, t_locked = deposit_run(pause, True, n)
    unlocked, t_unlocked = deposit_run(pause, False, n)
    lost = n - unlocked
    ok = locked == n and lost > 0
    return (f"with the lock: balance {n}, serialised in about {n} x {pause * 1e3:g} ms = "
            f"{n * pause:.3f} s; without it: updates lost (at least 1)",
            f"with the lock: balance {locked} in {t_locked:.3f} s; without it: balance {unlocked} "
            f"({lost} updates lost) in {t_unlocked:.3f} s",
            ok, "the lock serialises the deposits; without it, threads read the same balance "
            "during the pause and overwrite each other" if ok
            else "the balance under the lock is wrong" if locked != n
            else "no update was lost without the lock", 1.0, lost, "updates")


# ---- 07: two threads run balance += n; balance -= n 100,000 times each (003) ----

balance = 0
lock = threading.Lock()


def change_it(n):
    global balance
    balance = balance + n
    balance = balance - n


def run_thread(n, use_lock):
    for i in range(100000):
        if use_lock:
            lock.acquire()
            try:
                change_it(n)
            finally:
                lock.release()
        else:
            change_it(n)


def balance_run(use_lock):
    global balance
    balance = 0
    ts = [threading.Thread(target=run_thread, args=(n, use_lock)) for n in (5, 8)]
    t0 = time.time()
    start_join(ts)
    return balance, time.time() - t0


def listed(values, n=10):
    return ", ".join(str(v) for v in values[:n]) + (", ..." if len(values) > n else "")


def c07(s, rng):
    attempts, max_attempts = 5, 20  # with and without the lock; without it, up to 20 while none drifted
    locked = [balance_run(True) for _ in range(attempts)]
    unlocked = []
    while len(unlocked) < attempts or (len(unlocked) < max_attempts
                                       and all(b == 0 for b, _ in unlocked)):
        unlocked.append(balance_run(False))
    drifted = sum(b != 0 for b, _ in unlocked)
    zero = sum(b == 0 for b, _ in locked)
    ok = zero == attempts and drifted > 0
    v = sys.version_info
    return (f"without a lock the final balance drifts from 0 (in at least 1 of {attempts} "
            f"attempts, up to {max_attempts} while none has); with it, 0 in every attempt",
            f"without the lock: {drifted} of {len(unlocked)} attempts drifted, final balances "
            f"[{listed([b for b, _ in unlocked])}], "
            f"{statistics.mean(t for _, t in unlocked) * 1e3:.1f} ms each; with the lock: {zero} "
            f"of {attempts} at 0, final balances [{listed([b for b, _ in locked])}], "
            f"{statistics.mean(t for _, t in locked) * 1e3:.1f} ms each; CPython "
            f"{v.major}.{v.minor}.{v.micro}, switch interval {sys.getswitchinterval() * 1e3:g} ms",
            ok, "a thread wrote between the other's read and write: its change was lost" if ok
            else "the balance under the lock is not 0" if zero != attempts
            else f"the race window did not open in {len(unlocked)} attempts with CPython's GIL",
            1.0, drifted, "attempts")


# ---- 08: processes do not share globals (000, 004) ----

g_nums = [11, 22, 33]


def work1(report):
    g_nums.append(44)
    report.send(list(g_nums))


def work2(report):
    seen = list(g_nums)
    g_nums.append(55)
    report.send((seen, list(g_nums)))


def child_report(target):
    """p = Process(target); p.start(); p.join(), with what the child saw sent back on a pipe."""
    r, w = multiprocessing.Pipe(duplex=False)
    p = multiprocessing.Process(target=target, args=(w,))
    try:
        p.start()
        w.close()  # the child's end: once it exits, a recv here reads end-of-file
        if not r.poll(GUARD):
            raise RuntimeError(f"{target.__name__} sent nothing within {GUARD} s")
        seen = r.recv()
        join_all([p])
        return seen
    finally:
        kill_all([p])
        r.close()
        w.close()


def c08(s, rng):
    g_nums[:] = [11, 22, 33]
    try:
        seen1 = child_report(work1)
        seen2, after55 = child_report(work2)  # p1 was joined before p2 starts, as in the tutorial
        parent = list(g_nums)
        # The control: the same append from a thread, which shares the parent's memory, is seen.
        t = threading.Thread(target=g_nums.append, args=(66,))
        t.start()
        t.join()
        after_thread = list(g_nums)
    finally:
        g_nums[:] = [11, 22, 33]
    control = after_thread == [11, 22, 33, 66]
    ok = (seen1 == [11, 22, 33, 44] and seen2 == [11, 22, 33] and after55 == [11, 22, 33, 55]
          and parent == [11, 22, 33] and control)
    return ("g_nums = [11, 22, 33]; a child that appends 44 sees [11, 22, 33, 44]; the next child "
            "sees [11, 22, 33] and, after appending 55, [11, 22, 33, 55]; the parent still sees "
            "[11, 22, 33]",
            f"multiprocessing.Process, fork: child 1 after append(44): {seen1}; child 2 (started "
            f"after child 1 was joined): {seen2}, after its append(55): {after55}; parent after "
            f"both: {parent}; control, a thread's append(66): the parent sees {after_thread}",
            ok, "each child has its own copy of the parent's memory: a change stays in the "
            "process that made it (a thread's change is shared)" if ok
            else "the thread control failed: the scenario cannot tell sharing apart"
            if not control else "a child's change reached another process",
            3, len(parent), "elements")


# ---- 09: a thread-local variable holds a separate value per thread (001) ----

local_school = threading.local()
global_student = None


def process_thread(name, barrier, out, i):
    global global_student
    local_school.student = name
    global_student = name
    barrier.wait(GUARD)  # every thread has written both before any reads them back
    out[i] = (local_school.student, global_student)


def c09(s, rng):
    names = ["anakin", "hahha", "student 3", "student 4"]
    n = len(names)
    local_school.student = "main"
    barrier = threading.Barrier(n)
    out = [None] * n
    ts = [threading.Thread(target=process_thread, args=(names[i], barrier, out, i))
          for i in range(n)]
    start_join(ts)
    if None in out:
        raise RuntimeError("a thread-local thread did not finish")
    own = sum(out[i][0] == names[i] for i in range(n))
    globals_read = {g for _, g in out}
    main_kept = local_school.student == "main"
    ok = own == n and main_kept
    return (f"each of {n} threads reads back the value it wrote, after all have written; the main "
            "thread's copy unchanged",
            f"threading.local(): {own} of {n} threads read their own value "
            f"({', '.join(repr(v) for v, _ in out)}); main thread's copy "
            f"{'unchanged' if main_kept else 'overwritten'} ({local_school.student!r}); through a "
            + (f"plain global, all read the last writer's value ({next(iter(globals_read))!r})"
               if len(globals_read) == 1 else "plain global, threads read different values"),
            ok, "every thread has its own copy of the variable" if ok
            else "a thread saw another thread's value", n, own, "threads")


# ---- 10: a bounded Queue(3) between processes (002, 004) ----

def put4(q, report):
    """The 4th put, blocking, from a child: it waits until the parent's get frees a place. It
    reports on a pipe that it is about to put, then when the put returned (CLOCK_MONOTONIC, which
    all processes share)."""
    report.send("ready")
    q.put("消息 4")
    report.send(time.monotonic())


def try_op(op, exc, timeout, attempts=3):
    """One of the four operations that must fail. An attempt off the tolerance is made again, up
    to `attempts` times (a virtual CPU preempted for a few ms is not a late timeout); one that
    does not fail is not retried: that is a result. Returns (raised, took, attempt, first)."""
    first = None
    for attempt in range(1, attempts + 1):
        t0 = time.monotonic()
        try:
            op()
            raised = False
        except exc:
            raised = True
        took = time.monotonic() - t0
        first = took if first is None else first
        if not raised or try_ok((raised, took), timeout):
            break
    return raised, took, attempt, first


def try_ok(t, timeout):
    raised, took = t[0], t[1]
    if timeout == 0:
        return raised and took < INSTANT
    return raised and took >= timeout and within(took, timeout)


def try_text(t, what, failed, went):
    raised, took, attempt, first = t
    timed = "timeout" in what
    f, unit = (1, "s") if timed else (1e3, "ms")
    text = f"{what} {failed if raised else went} after {took * f:.4f} {unit}"
    if attempt > 1:
        text += f" (attempt {attempt}; 1st {first * f:.4f} {unit})"
    return text


def c10(s, rng):
    timeout, hold = 2 * s, 0.1 * s
    q = multiprocessing.Queue(3)
    r, w = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(target=put4, args=(q, w))
    try:
        q.put("消息 1")
        q.put("消息 2")
        full2 = q.full()
        q.put("消息 3")
        full3 = q.full()
        child.start()
        w.close()
        if not r.poll(GUARD) or r.recv() != "ready":
            raise RuntimeError("the child did not reach its put")
        blocked_at = time.monotonic()
        # The tutorial's two tries on the full queue: put(.., True, 2) and put_nowait.
        put_timed = try_op(lambda: q.put("消息 4", True, timeout), queue.Full, timeout)
        put_now = try_op(lambda: q.put_nowait("消息 4"), queue.Full, 0)
        time.sleep(hold)
        blocked_for = time.monotonic() - blocked_at
        still_blocked = not r.poll(0) and child.is_alive()
        get_at = time.monotonic()
        order = [q.get(True, GUARD)]  # frees a place: the child's put goes through
        if not r.poll(GUARD):
            raise RuntimeError("the child's put did not go through after a get")
        unblock = r.recv() - get_at
        join_all([child])
        unblocked = child.exitcode == 0
        order += [q.get(True, GUARD) for _ in range(3)]
        # Now empty: get(True, 2) and get_nowait.
        get_timed = try_op(lambda: q.get(True, timeout), queue.Empty, timeout)
        get_now = try_op(q.get_nowait, queue.Empty, 0)
    finally:
        kill_all([child])
        r.close()
        w.close()
        q.close()
        q.join_thread()
    blocks = not full2 and full3 and still_blocked and unblocked
    timed_ok = try_ok(put_timed, timeout) and try_ok(get_timed, timeout)
    now_ok = try_ok(put_now, 0) and try_ok(get_now, 0)
    fifo = order == ["消息 1", "消息 2", "消息 3", "消息 4"]
    ok = blocks and timed_ok and now_ok and fifo
    return (f"full() False after 2 puts, True after 3; the 4th put blocks until a get; put and get "
            f"with timeout={timeout:.3f} s raise Full and Empty after it (5 % + 5 ms, not early), "
            "put_nowait and get_nowait at once (< 1 ms); up to 3 attempts each",
            f"multiprocessing.Queue(3): full() {full2}, {full3}; a child's 4th put "
            f"{'still blocked' if still_blocked else 'NOT blocked'} after {blocked_for:.3f} s, "
            f"went through {unblock * 1e3:.3f} ms after a get; "
            f"{try_text(put_timed, 'put(timeout)', 'Full', 'went through')}; "
            f"{try_text(put_now, 'put_nowait', 'Full', 'went through')}; "
            f"{try_text(get_timed, 'get(timeout)', 'Empty', 'got one')}; "
            f"{try_text(get_now, 'get_nowait', 'Empty', 'got one')}; gets in order: "
            + ("消息 1-4" if fifo else ", ".join(order)),
            ok, "a bounded queue: block waits for room, a timeout waits that long, no block "
            "fails at once" if ok
            else "the 4th put did not block until a get" if not blocks
            else "a timed put or get did not fail after its timeout" if not timed_ok
            else "a non-blocking put or get did not fail at once" if not now_ok
            else "the messages did not come out in order", timeout, put_timed[1], "s")


# ---- 11: a duplex Pipe; recv on a closed pipe raises EOFError (002) ----

def echo_proc(pipe, other, n):
    """Receives n messages and sends each back on the same end, then closes it."""
    other.close()  # the parent's end, inherited by fork
    for _ in range(n):
        if not pipe.poll(GUARD):
            sys.exit(100)
        pipe.send(pipe.recv())
    pipe.close()


def recv_proc(pipe, other):
    """The tutorial's recv_proc: while True: url = pipe.recv(). Its exit status is the number of
    messages it had received when recv raised EOFError."""
    other.close()  # while this process held the parent's end too, recv could never see EOF
    n = 0
    while True:
        if not pipe.poll(GUARD):
            sys.exit(100)
        try:
            pipe.recv()
        except EOFError:
            sys.exit(n)
        n += 1


def c11(s, rng):
    urls = ["url1", "url2", "url3"]
    # conn1 and conn2 both send and receive; the child closes its end: the parent's recv raises.
    conn1, conn2 = multiprocessing.Pipe(duplex=True)
    p = multiprocessing.Process(target=echo_proc, args=(conn2, conn1, len(urls)))
    back, parent_eof = [], False
    try:
        p.start()
        conn2.close()
        for u in urls:
            conn1.send(u)
            if not conn1.poll(GUARD):
                raise RuntimeError("the echo child did not answer")
            back.append(conn1.recv())
        if not conn1.poll(GUARD):
            raise RuntimeError("no end-of-file on the parent's end")
        try:
            conn1.recv()
        except EOFError:
            parent_eof = True
        join_all([p])
    finally:
        kill_all([p])
        conn1.close()
        conn2.close()
    # The tutorial's recv_proc on the other end: the parent sends, then closes its end.
    conn1, conn2 = multiprocessing.Pipe(duplex=True)
    r = multiprocessing.Process(target=recv_proc, args=(conn2, conn1))
    try:
        r.start()
        conn2.close()
        for u in urls:
            conn1.send(u)
        conn1.close()
        join_all([r])
    finally:
        kill_all([r])
        conn1.close()
        conn2.close()
    echoed = sum(b == u for b, u in zip(back, urls))
    child_eof = r.exitcode == len(urls)
    ok = echoed == len(urls) and parent_eof and child_eof and p.exitcode == 0
    return ("conn1 and conn2 both send and receive: the parent's url1-url3 come back from the "
            "child unchanged; recv on a closed pipe raises EOFError",
            f"Pipe(duplex=True): {echoed} of {len(urls)} messages echoed back intact "
            f"({', '.join(map(str, back))}); the parent's recv "
            f"{'raised EOFError' if parent_eof else 'did NOT raise EOFError'} once the child had "
            "closed its end; the tutorial's recv_proc loop "
            + (f"ended in EOFError after {r.exitcode} messages" if child_eof
               else f"did NOT end in EOFError (exit status {r.exitcode})")
            + " once the parent had closed its end (the child closed the copy fork gave it)",
            ok, "a Pipe is full duplex; recv raises EOFError once every copy of the other end "
            "is closed" if ok else "messages did not come back intact"
            if echoed != len(urls) else "a closed end did not raise EOFError",
            len(urls), echoed, "messages")


# ---- 13: the cost to create and to switch: process > thread > greenlet (002, 004) ----

def noop():
    pass


@contextlib.contextmanager
def one_cpu():
    """Pins the calling thread, and the threads and processes it starts meanwhile, to one CPU: a
    wake-up across CPUs would measure the hypervisor, not the mechanism (the C ledger pins too).
    The calling thread's CPU set is restored on the way out."""
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(old)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, old)


def create_processes(n):
    t0 = time.perf_counter()
    ps = [multiprocessing.Process(target=noop) for _ in range(n)]
    try:
        for p in ps:
            p.start()
        join_all(ps)
    finally:
        kill_all(ps)
    return time.perf_counter() - t0


def create_threads(n):
    t0 = time.perf_counter()
    ts = [threading.Thread(target=noop) for _ in range(n)]
    start_join(ts)
    return time.perf_counter() - t0


def create_greenlets(n, gevent):
    t0 = time.perf_counter()
    gevent.joinall([gevent.spawn(noop) for _ in range(n)])
    return time.perf_counter() - t0


def echo_bytes(conn, other, n):
    other.close()
    for _ in range(n):
        conn.send_bytes(conn.recv_bytes())


def switch_processes(n):
    """n round trips of a byte over a multiprocessing.Pipe, parent and child on one CPU."""
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo_bytes, args=(b, a, n))
    try:
        with one_cpu():
            p.start()
            b.close()  # the child's end: if it dies, recv_bytes here raises EOFError
            t0 = time.perf_counter()
            for _ in range(n):
                a.send_bytes(b"x")
                a.recv_bytes()
            took = time.perf_counter() - t0
        join_all([p])
    finally:
        kill_all([p])
        a.close()
        b.close()
    return took


def switch_threads(n, kind):
    """n round trips between two threads on one CPU, through two threading.Locks (the tutorials'
    tool, a C semaphore) or two threading.Events (built on Condition, in Python)."""
    if kind == "Lock":
        ping, pong = threading.Lock(), threading.Lock()
        ping.acquire()
        pong.acquire()

        def give(x):
            x.release()

        def take(x):
            return x.acquire(timeout=GUARD)
    else:
        ping, pong = threading.Event(), threading.Event()

        def give(x):
            x.set()

        def take(x):
            got = x.wait(GUARD)
            x.clear()
            return got

    def other():
        for _ in range(n):
            if not take(ping):
                return
            give(pong)

    t = threading.Thread(target=other)
    try:
        with one_cpu():
            t.start()
            t0 = time.perf_counter()
            for _ in range(n):
                give(ping)
                if not take(pong):
                    raise RuntimeError("the other thread did not answer")
            took = time.perf_counter() - t0
    finally:
        t.join()
    return took


def switch_greenlets(n, gevent):
    """n round trips between two greenlets, each yielding with gevent.sleep(0) (through the hub)."""
    def loop():
        for _ in range(n):
            gevent.sleep(0)

    t0 = time.perf_counter()
    gevent.joinall([gevent.spawn(loop), gevent.spawn(loop)])
    return time.perf_counter() - t0


def switch_bare_greenlet(n, greenlet):
    """n round trips of greenlet.switch(), the stack switch under gevent, without its hub."""
    main = greenlet.getcurrent()

    def other():
        while True:
            main.switch()

    g = greenlet.greenlet(other)
    t0 = time.perf_counter()
    for _ in range(n):
        g.switch()
    took = time.perf_counter() - t0
    g.throw(greenlet.GreenletExit)  # ends it: nothing left suspended
    return took


def median_ns(fn, n, *args, samples=3):
    return statistics.median(fn(n, *args) for _ in range(samples)) / n * 1e9


def c13(s, rng):
    try:
        import gevent
        import greenlet
    except ImportError:
        return None
    c_proc = median_ns(create_processes, 50)
    c_thr = median_ns(create_threads, 200)
    c_gr = median_ns(create_greenlets, 2000, gevent)
    s_proc = median_ns(switch_processes, 1000, samples=5)
    s_thr = median_ns(switch_threads, 1000, "Lock", samples=5)
    s_ev = median_ns(switch_threads, 1000, "Event")
    s_gr = median_ns(switch_greenlets, 1000, gevent, samples=5)
    s_bare = median_ns(switch_bare_greenlet, 1000, greenlet)
    create = c_proc > c_thr > c_gr
    switch = s_proc > s_thr > s_gr
    ok = create and switch
    return ("create and switch: process > thread > coroutine (an ordering; ratios measured)",
            f"create (start and join, 50/200/2000 of them): Process {c_proc:.0f} ns, Thread "
            f"{c_thr:.0f} ns, gevent.spawn {c_gr:.0f} ns ({c_proc / c_thr:.1f}x, "
            f"{c_thr / c_gr:.1f}x); switch round trip, one CPU: Pipe between processes "
            f"{s_proc:.0f} ns, Lock between threads {s_thr:.0f} ns, gevent.sleep(0) between "
            f"greenlets {s_gr:.0f} ns ({s_proc / s_thr:.1f}x, {s_thr / s_gr:.1f}x); for "
            f"reference, Event between threads {s_ev:.0f} ns, a bare greenlet.switch round trip "
            f"{s_bare:.0f} ns",
            ok, "the ordering holds for both creating and switching" if ok
            else "the ordering breaks for switching" if create
            else "the ordering breaks for creating" if switch
            else "the ordering breaks for creating and switching",
            nan(), c_thr / c_gr, "x")


# ---- 14: threads use less memory than processes (004) ----

def blocked_child(q, ready):
    ready.release()
    q.get()


def c14(s, rng):
    n_proc, n_thr = 20, 50
    # Processes: PSS of each child, blocked on a Queue.
    q = multiprocessing.Queue()
    ready = multiprocessing.Semaphore(0)
    ps = [multiprocessing.Process(target=blocked_child, args=(q, ready)) for _ in range(n_proc)]
    try:
        for p in ps:
            p.start()
        for _ in ps:
            if not ready.acquire(timeout=GUARD):
                raise RuntimeError("a child did not start")
        wait_until(lambda: all(proc_state(p.pid) == "S" for p in ps), what="children asleep")
        pss = []
        for p in ps:
            kib = proc_kib(f"/proc/{p.pid}/smaps_rollup", "Pss:")
            pss.append(kib if kib is not None else proc_kib(f"/proc/{p.pid}/smaps", "Pss:"))
        for _ in ps:
            q.put(None)
        join_all(ps)
    finally:
        kill_all(ps)
        q.close()
        q.join_thread()
    if None in pss:
        raise RuntimeError("no Pss in /proc/<pid>/smaps_rollup")
    proc_each = sum(pss) / n_proc
    # Threads: the growth of this process's VmRSS, and of the kernel's thread stacks.
    release, started = threading.Event(), threading.Semaphore(0)

    def body():
        started.release()
        release.wait(GUARD)

    rss0 = proc_kib("/proc/self/status", "VmRSS:")
    kstack0 = proc_kib("/proc/meminfo", "KernelStack:")
    ts = [threading.Thread(target=body) for _ in range(n_thr)]
    try:
        for t in ts:
            t.start()
        for _ in ts:
            if not started.acquire(timeout=GUARD):
                raise RuntimeError("a thread did not start")
        rss1 = proc_kib("/proc/self/status", "VmRSS:")
        kstack1 = proc_kib("/proc/meminfo", "KernelStack:")
    finally:
        release.set()
        for t in ts:
            if t.ident is not None:
                t.join()
    rss_each = (rss1 - rss0) / n_thr
    if kstack0 is not None and kstack1 is not None and kstack1 > kstack0:
        kstack_each, kstack_note = (kstack1 - kstack0) / n_thr, "KernelStack growth"
    else:  # system-wide and noisy; when it says nothing, x86-64's 16 KiB per thread
        kstack_each, kstack_note = 16.0, "assumed, KernelStack did not grow"
    thr_each = rss_each + kstack_each
    ok = thr_each < proc_each
    return (f"a thread costs less memory than a process ({n_proc} processes, {n_thr} threads, "
            "blocked)",
            f"Process {proc_each:.1f} KiB PSS each ({n_proc} blocked on a Queue); Thread "
            f"{rss_each:.1f} KiB VmRSS + {kstack_each:.1f} KiB kernel stack ({kstack_note}) each "
            f"({n_thr} blocked on an Event): {proc_each / thr_each:.0f}x",
            ok, "a process carries its own page tables and private pages" if ok
            else "a thread cost as much as a process here", proc_each, thr_each, "KiB")


# ---- 16: the endless reader must be terminated (001, 003) ----

def write_data(q, values, sleeps):
    for value, pause in zip(values, sleeps):
        q.put(value)
        time.sleep(pause)


def read_data(q, report):
    """The tutorial's read_data: while True: value = q.get(True). Each value read is reported at
    once on a pipe (send is synchronous), so that what it had read when terminated is known."""
    while True:
        value = q.get(True)
        report.send(value)


def c16(s, rng):
    values = "qwer"
    sleeps = [rng.random() * s for _ in values]  # time.sleep(random.random()), scaled
    q = multiprocessing.Queue()
    r, w = multiprocessing.Pipe(duplex=False)
    pw = multiprocessing.Process(target=write_data, args=(q, values, sleeps))
    pr = multiprocessing.Process(target=read_data, args=(q, w))
    got = []
    try:
        t0 = time.monotonic()
        pw.start()
        pr.start()
        join_all([pw])  # pw.join()
        writer = time.monotonic() - t0
        done = time.monotonic()
        time.sleep(0.1 * s)
        alive = pr.is_alive()  # it cannot be waited for: still running after the writer is done
        waited = time.monotonic() - done
        # Terminate it once it is idle: everything read (and reported), the queue empty, the reader
        # asleep in its get.
        deadline = time.monotonic() + GUARD
        while len(got) < len(values) and r.poll(max(0.0, deadline - time.monotonic())):
            got.append(r.recv())
        unread = q.qsize()
        wait_until(lambda: proc_state(pr.pid) in ("S", ""), what="the reader asleep")
        pid = pr.pid
        pr.terminate()  # pr.terminate()
        # Killed and not reaped yet it is a zombie: terminate() does not reap, join() does.
        zombie = False
        deadline = time.monotonic() + GUARD
        while not zombie and os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            zombie = proc_state(pid) == "Z"
            if not zombie:
                time.sleep(0.0002)
        pr.join(GUARD)
        exitcode = pr.exitcode
        proc_gone = not os.path.exists(f"/proc/{pid}")
        active = multiprocessing.active_children()
        late = 0
        while r.poll(0):
            r.recv()
            late += 1
    finally:
        kill_all([pw, pr])
        r.close()
        w.close()
        q.close()
        q.join_thread()
    read = "".join(got)
    nothing_lost = read == values and unread == 0 and late == 0
    no_zombie = exitcode == -signal.SIGTERM and proc_gone and not active
    ok = alive and nothing_lost and no_zombie and pw.exitcode == 0
    return ("the reader is still running after the writer is done; terminate() ends it; it had "
            "read all of q, w, e, r; once joined no zombie is left",
            f"writer done after {writer:.3f} s; the reader "
            f"{'still running' if alive else 'HAD EXITED'} {waited:.4f} s later; when terminated "
            f"it had read {read!r} ({len(read)} of {len(values)}, {unread} left in the queue); "
            f"{'a zombie (state Z) until join()' if zombie else 'no zombie state seen'}; exitcode "
            f"{exitcode}{' (SIGTERM)' if exitcode == -signal.SIGTERM else ''}; after join(): "
            f"active_children() {active}, /proc/<pid> {'gone' if proc_gone else 'still there'}",
            ok, "a get on a queue someone still holds open never ends; terminate() sends SIGTERM, "
            "join() reaps it" if ok
            else "the reader ended by itself" if not alive
            else "messages were lost" if not nothing_lost
            else "the reader was not cleanly reaped", len(values), len(read), "messages")


CLAIMS = {"01": c01, "02": c02, "03": c03, "04": c04, "05": c05, "06": c06, "07": c07, "08": c08,
          "09": c09, "10": c10, "11": c11, "12": c12, "13": c13, "14": c14, "15": c15, "16": c16}


def figure(v):
    """A CSV figure: six decimals, or empty when there is none (NaN), as the C ledger writes it."""
    return "" if v != v else f"{v:.6f}"


def progress(cid, k, n, what, start):
    """The line --progress prints on stderr when claim cid (k of n) has finished."""
    print(f"claims.py: claim {cid} ({k} of {n}): {what} in {time.monotonic() - start:.1f} s",
          file=sys.stderr, flush=True)


def main():
    global RUNNING
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-scale", type=float, default=1.0)
    # The claims judged on durations run at --time-scale, the others at --untimed-scale; ptc-claims
    # passes the ids of the timing claims from its registry (struct ptc_claim.timing).
    ap.add_argument("--untimed-scale", type=float, default=None)
    ap.add_argument("--timed", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", required=True)
    # One line on stderr per claim as it finishes: the whole run takes minutes at scale 1.
    ap.add_argument("--progress", action="store_true")
    a = ap.parse_args()
    untimed = a.time_scale if a.untimed_scale is None else a.untimed_scale
    if not (0.001 <= a.time_scale <= 10 and 0.001 <= untimed <= 10):
        ap.error("--time-scale and --untimed-scale must be from 0.001 to 10")
    timed = {x for x in a.timed.split(",") if x}
    only = [x for x in a.only.split(",") if x]
    rows = []
    todo = [cid for cid in CLAIMS if not only or cid in only]
    for k, cid in enumerate(todo, 1):
        fn = CLAIMS[cid]
        scale = a.time_scale if cid in timed or a.untimed_scale is None else untimed
        RUNNING = cid
        start = time.monotonic()
        r = fn(scale, random.Random(a.seed * 100 + int(cid)))
        if r is None:
            if a.progress:
                progress(cid, k, len(todo), "no Python scenario", start)
            continue
        expected, measured, ok, reason, ev, mv, unit = r  # ok: a bool, or the verdict itself
        verdict = ok if isinstance(ok, str) else "reproduced" if ok else "refuted"
        if a.progress:
            progress(cid, k, len(todo), verdict, start)
        rows.append([cid, expected, measured, verdict, reason,
                     figure(ev), figure(mv), unit])
    tmp = a.out + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "expected", "measured", "verdict", "reason", "expected_value",
                    "measured_value", "unit"])
        w.writerows(rows)
    os.replace(tmp, a.out)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
