#!/usr/bin/python3
"""The Python reference of the claims ledger: the tutorials' own scenarios, in Python, with the
tutorials' tools (multiprocessing Process/Pool, threading, gevent). Run by `ptc-claims --python`
with Debian's /usr/bin/python3 (which has python3-gevent); writes one CSV row per claim it covers
with the columns: id, expected, measured, verdict, reason, expected_value, measured_value, unit.
Every figure comes from the run it makes; a refuted claim is a result."""

import argparse
import csv
import multiprocessing
import os
import random
import sys
import threading
import time

TOL = 0.05        # relative tolerance of the timing claims, as in the C ledger
SLACK = 0.005     # seconds: interpreter and process start-up, whatever the scale


def within(measured, expected):
    return abs(measured - expected) <= TOL * expected + SLACK


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


def c01(s, rng):
    d = [rng.randint(5, 10) * s for _ in range(2)]
    out = []
    for kind in (multiprocessing.Process, threading.Thread):
        units = [kind(target=sleeper, args=(x,)) for x in d]
        t = time.time()
        for u in units:
            u.start()
        for u in units:
            u.join()
        out.append(time.time() - t)
    ok = all(within(w, max(d)) for w in out)
    return (f"about the longest download ({max(d):.3f} s), not the sum ({sum(d):.3f} s)",
            f"two processes {out[0]:.3f} s, two threads {out[1]:.3f} s",
            ok, "both overlap" if ok else "a wall time is off the longest download",
            max(d), max(out), "s")


def c02(s, rng):
    d = [rng.uniform(0.5, 3.0) * s for _ in range(5)]
    t0 = time.time()
    with multiprocessing.Pool(4) as p:
        res = p.map(stamped, [(i, d[i], t0) for i in range(5)], chunksize=1)
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


def c04(s, rng):
    t = time.time()
    seq = [square((x, s)) for x in range(1, 7)]
    t_seq = time.time() - t
    t = time.time()
    with multiprocessing.Pool(5) as p:
        res = p.map(square, [(x, s) for x in range(1, 7)])
    t_pool = time.time() - t
    ok = res == [1, 4, 9, 16, 25, 36] and within(t_seq, 6 * s) and within(t_pool, 2 * s)
    return (f"{6 * s:.3f} s in sequence, {2 * s:.3f} s in Pool(5), [1, 4, 9, 16, 25, 36] in order",
            f"sequence {t_seq:.3f} s, Pool(5) {t_pool:.3f} s (creation included), results {res}",
            ok, "two rounds" if ok else "a time or the order differs", 2 * s, t_pool, "s")


def c05(s, rng):
    ts = [threading.Thread(target=sleeper, args=(s,)) for _ in range(5)]
    t = time.time()
    for x in ts:
        x.start()
    unjoined = time.time() - t
    for x in ts:
        x.join()
    joined = time.time() - t
    t = time.time()
    for _ in range(5):
        sleeper(s)
    seq = time.time() - t
    ok = unjoined < TOL * s and within(joined, s) and within(seq, 5 * s)
    return (f"not joined ~0 s, joined {s:.3f} s, in sequence {5 * s:.3f} s",
            f"not joined {unjoined:.6f} s, joined {joined:.3f} s, in sequence {seq:.3f} s",
            ok, "the '0 s' only times start()" if ok else "a time differs", s, joined, "s")


def c12(s, rng):
    try:
        import gevent
        import gevent.pool
    except ImportError:
        return None
    d = [rng.uniform(1, 3) * s for _ in range(3)]
    t = time.time()
    gevent.joinall([gevent.spawn(gevent.sleep, x) for x in d])
    all3 = time.time() - t
    t = time.time()
    gevent.pool.Pool(2).map(gevent.sleep, d)
    pool2 = time.time() - t
    free = [0.0, 0.0]
    for x in d:
        i = free.index(min(free))
        free[i] += x
    ok = within(all3, max(d)) and within(pool2, max(free))
    return (f"joinall: the slowest ({max(d):.3f} s), not the sum ({sum(d):.3f} s); Pool(2) "
            f"{max(free):.3f} s", f"joinall {all3:.3f} s, Pool(2) {pool2:.3f} s",
            ok, "greenlets overlap on one thread" if ok else "a time differs",
            max(d), all3, "s")


def c15(s, rng):
    n = 1
    while True:  # size the work to ~max(0.2, s) s on one thread
        t = time.time()
        burn(n)
        if time.time() - t > max(0.2, s) / 4:
            break
        n *= 2
    n *= 4
    t = time.time()
    burn(n)
    burn(n)
    one = time.time() - t
    ts = [threading.Thread(target=burn, args=(n,)) for _ in range(2)]
    t = time.time()
    for x in ts:
        x.start()
    for x in ts:
        x.join()
    two = time.time() - t
    speedup = one / two
    holds = speedup <= 1.10
    return ("2 threads on CPU work no faster than 1 (speedup <= 1.10x)",
            f"Python: one thread {one:.3f} s, two threads {two:.3f} s: speedup {speedup:.2f}x",
            holds, "the GIL lets one thread run Python code at a time" if holds
            else "two Python threads ran faster than one", 1.0, speedup, "x")


CLAIMS = {"01": c01, "02": c02, "03": c03, "04": c04, "05": c05, "12": c12, "15": c15}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not 0.001 <= a.time_scale <= 10:
        ap.error("--time-scale must be from 0.001 to 10")
    only = [x for x in a.only.split(",") if x]
    rows = []
    for cid, fn in CLAIMS.items():
        if only and cid not in only:
            continue
        r = fn(a.time_scale, random.Random(a.seed * 100 + int(cid)))
        if r is None:
            continue
        expected, measured, ok, reason, ev, mv, unit = r
        rows.append([cid, expected, measured, "reproduced" if ok else "refuted", reason,
                     f"{ev:.6f}", f"{mv:.6f}", unit])
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
