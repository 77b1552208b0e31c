"""Python's models, the ones the tutorials teach and the ones their readers reach for next. Each
runs n tasks of a workload with W workers and returns per task (ok, checksum or error text).
What a model creates (processes, a Pool, threads, an executor, greenlets, tasks) is created and
ended inside the timed region, as ptc-run's C models create and end theirs."""
import asyncio
import ctypes
import multiprocessing
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from .io import BLOCKING, gevent_io

WL = None  # the workload of the run; forked children inherit it (the fork start method)
_libc = None


def attempt(fn, *args):
    try:
        return (True, fn(*args))
    except Exception as e:  # a task's failure is a result, reported by the runner
        return (False, f"{type(e).__name__}: {e}")


async def attempt_async(coro):
    try:
        return (True, await coro)
    except Exception as e:
        return (False, f"{type(e).__name__}: {e}")


def child_init():
    """In a forked child: the parent's cleanup handlers are not its own, and it dies with the
    parent (PR_SET_PDEATHSIG), so that a killed runner leaves no process behind."""
    global _libc
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, signal.SIG_DFL)
    try:
        _libc = _libc or ctypes.CDLL(None, use_errno=True)
        _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _pool_task(task):
    return attempt(WL.run, task, BLOCKING)


def _process_main(task, q):
    child_init()
    q.put((task, attempt(WL.run, task, BLOCKING)))


class Model:
    name = ""
    unit = ""
    pooled = False
    exec = "blocking"

    def parallelism(self, w, n):
        return min(w, n) if self.pooled else n

    def workers(self, w, n):
        """The W column: the pool size, or one worker per task."""
        return w if self.pooled else n

    def prepare(self):
        """Before the clock starts: what the model needs that is not part of a run."""

    def release(self):
        """After the clock stops."""


class Seq(Model):
    name = "seq"
    unit = "the main thread"

    def parallelism(self, w, n):
        return 1

    def workers(self, w, n):
        return 1

    def run(self, n, w):
        return [attempt(WL.run, t, BLOCKING) for t in range(n)]


class Process(Model):
    name = "py-process"
    unit = "multiprocessing.Process"

    def run(self, n, w):
        ctx = multiprocessing.get_context("fork")
        q = ctx.SimpleQueue()
        procs = [ctx.Process(target=_process_main, args=(t, q)) for t in range(n)]
        for p in procs:
            p.start()
        out = [None] * n
        for _ in range(n):
            t, r = q.get()
            out[t] = r
        for p in procs:
            p.join()
        q.close()
        return out


class Pool(Model):
    name = "py-pool"
    unit = "multiprocessing.Pool"
    pooled = True

    def run(self, n, w):
        with multiprocessing.get_context("fork").Pool(w, initializer=child_init) as pool:
            out = pool.map(_pool_task, range(n))
            pool.close()
            pool.join()
        return out


class Thread(Model):
    name = "py-thread"
    unit = "threading.Thread"

    def run(self, n, w):
        out = [None] * n

        def body(t):
            out[t] = attempt(WL.run, t, BLOCKING)
        threads = [threading.Thread(target=body, args=(t,)) for t in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return out


class ThreadPool(Model):
    name = "py-threadpool"
    unit = "ThreadPoolExecutor"
    pooled = True

    def run(self, n, w):
        with ThreadPoolExecutor(max_workers=w) as ex:
            return list(ex.map(lambda t: attempt(WL.run, t, BLOCKING), range(n)))


class Gevent(Model):
    name = "py-gevent"
    unit = "gevent greenlet"
    exec = "gevent"

    def run(self, n, w):
        import gevent
        io = gevent_io()
        gs = [gevent.spawn(attempt, WL.run, t, io) for t in range(n)]
        gevent.joinall(gs)
        return [g.value for g in gs]


class GeventPool(Gevent):
    name = "py-geventpool"
    unit = "gevent.pool.Pool"
    pooled = True

    def run(self, n, w):
        import gevent.pool
        io = gevent_io()
        return gevent.pool.Pool(w).map(lambda t: attempt(WL.run, t, io), range(n))


class Asyncio(Model):
    """Tasks on an event loop made before the clock starts (asyncio.run would time the loop's
    creation too)."""
    name = "py-asyncio"
    unit = "asyncio task"
    exec = "asyncio"

    async def main(self, n, w):
        return await asyncio.gather(*(attempt_async(WL.run_async(t)) for t in range(n)))

    def prepare(self):
        self.loop = asyncio.new_event_loop()

    def run(self, n, w):
        return self.loop.run_until_complete(self.main(n, w))

    def release(self):
        self.loop.close()


class AsyncioPool(Asyncio):
    name = "py-asynciopool"
    unit = "asyncio tasks under a Semaphore"
    pooled = True

    async def main(self, n, w):
        sem = asyncio.Semaphore(w)

        async def one(t):
            async with sem:
                return await attempt_async(WL.run_async(t))
        return await asyncio.gather(*(one(t) for t in range(n)))


REGISTRY = {m.name: m() for m in (Seq, Process, Pool, Thread, ThreadPool, Gevent, GeventPool,
                                   Asyncio, AsyncioPool)}
