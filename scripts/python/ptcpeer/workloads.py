"""The workloads, each the C one's work and check (src/workload/*.c): the same task durations,
the same seeded source files and loopback server (through ptc-aid, src/runner/aid.h), the same
checksums. A workload has setup(params), run(task, io) -> checksum, run_async(task) (asyncio),
expected(task), run_end(ok) (checks made after the run, outside the timed region), teardown()."""
import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time

from . import rand

NOOP_STREAM, SLEEP_STREAM, CPU_STREAM, FILE_STREAM = 2, 3, 4, 6
CHUNK_BYTES = 64 * 1024
M64 = rand.M64
CAL_ITERS, CAL_TRIALS = 100_000, 7
PATTERN_BYTES = 1 << 20
NET_TIMEOUT_FACTOR, NET_TIMEOUT_SLACK_S = 5, 4.0  # as src/workload/net_server.h


class SetupError(Exception):
    """The workload cannot start: exit status 1 with this one-line reason."""


def chain(x, n):
    """The C cpu workload's xorshift chain (src/workload/cpu_chain.c), in pure Python."""
    for _ in range(n):
        x ^= (x << 13) & M64
        x ^= x >> 7
        x ^= (x << 17) & M64
    return x


def calibrate_ns_per_iter(seed):
    """The best of 7 timings of the pure-Python chain, as the C workload calibrates its own."""
    x, best = chain_start(seed), None
    for _ in range(CAL_TRIALS):
        t0 = time.perf_counter_ns()
        x = chain(x, CAL_ITERS)
        ns = (time.perf_counter_ns() - t0) / CAL_ITERS
        best = ns if best is None or ns < best else best
    return best


def chain_start(seed):
    x = rand.task_random(seed, 0, CPU_STREAM)
    return x if x else 1


class Workload:
    name = ""
    cpu_bound = False
    settings = ()

    def __init__(self, p):
        self.p = p
        self.tasks = p.tasks
        self.task_ns = [0] * p.tasks
        self.cpu_ns = [0] * p.tasks
        self.iters = None
        self.ns_per_iter = None
        self.bytes_per_run = 0

    def setup(self):
        pass

    def expected(self, task):
        raise NotImplementedError

    def run(self, task, io):
        raise NotImplementedError

    async def run_async(self, task):
        return self.run(task, None)  # no await: blocks the event loop, as in a tutorial

    def run_end(self, ok):
        pass

    def teardown(self):
        pass


class Noop(Workload):
    name = "noop"

    def run(self, task, io):
        return rand.task_random(self.p.seed, task, NOOP_STREAM)

    def expected(self, task):
        return rand.task_random(self.p.seed, task, NOOP_STREAM)


class Sleep(Workload):
    name = "sleep"
    settings = ("task_ms",)

    def setup(self):
        self.task_ns = rand.durations_ns(self.p.seed, self.tasks, self.p.task_lo_ms, self.p.task_hi_ms)

    def run(self, task, io):
        io.sleep(self.task_ns[task] / 1e9)
        return rand.task_random(self.p.seed, task, SLEEP_STREAM)

    async def run_async(self, task):
        await asyncio.sleep(self.task_ns[task] / 1e9)
        return rand.task_random(self.p.seed, task, SLEEP_STREAM)

    def expected(self, task):
        return rand.task_random(self.p.seed, task, SLEEP_STREAM)


def aid_cpu_expected(p, iters):
    """Every task's chain checksum, computed by the C chain (ptc-aid cpu-expected): the same
    numbers at a hundredth of the pure-Python cost, outside the timed region."""
    out = subprocess.run([p.aid, "cpu-expected", "--seed", str(p.seed)],
                         input="\n".join(map(str, iters)) + "\n", capture_output=True, text=True)
    if out.returncode != 0:
        raise SetupError("ptc-aid cpu-expected: " + (out.stderr.strip() or f"exit {out.returncode}"))
    return [int(v) for v in out.stdout.split()]


class Cpu(Workload):
    name = "cpu"
    cpu_bound = True
    settings = ("task_ms", "iterations")

    def setup(self):
        self.ns_per_iter = calibrate_ns_per_iter(self.p.seed)
        if self.p.iterations:
            self.iters = [self.p.iterations] * self.tasks
            self.task_ns = [int(self.p.iterations * self.ns_per_iter)] * self.tasks
        else:
            self.task_ns = rand.durations_ns(self.p.seed, self.tasks, self.p.task_lo_ms, self.p.task_hi_ms)
            self.iters = [int(t / self.ns_per_iter) for t in self.task_ns]
        self.cpu_ns = list(self.task_ns)
        self._expected = None
        self._start = chain_start(self.p.seed)

    def run(self, task, io):
        return chain(self._start, self.iters[task]) ^ rand.task_random(self.p.seed, task, CPU_STREAM + 1)

    def expected(self, task):
        if self._expected is None:
            self._expected = aid_cpu_expected(self.p, self.iters)
        return self._expected[task]


class Mixed(Cpu):
    """Computes --cpu-fraction F of each task, then sleeps the rest (--mixed-wait sleep only)."""
    name = "mixed"
    cpu_bound = False
    settings = ("task_ms", "cpu_fraction", "mixed_wait")

    def setup(self):
        self.ns_per_iter = calibrate_ns_per_iter(self.p.seed)
        self.task_ns = rand.durations_ns(self.p.seed, self.tasks, self.p.task_lo_ms, self.p.task_hi_ms)
        cpu = [self.p.cpu_fraction * t for t in self.task_ns]
        self.iters = [int(c / self.ns_per_iter) for c in cpu]
        self.cpu_ns = [int(i * self.ns_per_iter) for i in self.iters]
        self.wait_s = [(t - int(c)) / 1e9 for t, c in zip(self.task_ns, cpu)]
        self._expected = None
        self._start = chain_start(self.p.seed)

    def run(self, task, io):
        cs = Cpu.run(self, task, io)
        io.sleep(self.wait_s[task])
        return cs

    async def run_async(self, task):
        cs = Cpu.run(self, task, None)
        await asyncio.sleep(self.wait_s[task])
        return cs


class File(Workload):
    """Copies one source file per task in 64 KiB chunks (os.read/os.write: Python has no
    asynchronous file I/O, so greenlets and asyncio tasks block their thread here, as the
    tutorials' code does); the parent compares each copy with its source after the run."""
    name = "file"
    settings = ("file_kib", "fsync")

    def setup(self):
        base = self.p.tmp_dir or os.environ.get("TMPDIR") or "/tmp"
        try:
            self.dir = tempfile.mkdtemp(prefix=f"ptc-py.{os.getpid()}.", dir=base)
        except OSError as e:
            raise SetupError(f"cannot create a folder in {base}: {e.strerror}")
        out = subprocess.run([self.p.aid, "files", "--dir", self.dir, "--tasks", str(self.tasks),
                              "--file-kib", str(self.p.file_kib), "--seed", str(self.p.seed)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            self.teardown()
            raise SetupError(out.stderr.strip() or f"ptc-aid files: exit {out.returncode}")
        self.bytes_per_run = self.tasks * self.p.file_kib * 1024
        self.buf_bytes = min(CHUNK_BYTES, self.p.file_kib * 1024)
        # The sources read once, and one buffer the copies are read into after each run: a
        # fresh 1 MiB buffer per read costs 256 first-touch page faults (about 5 ms here).
        self.sources = []
        for t in range(self.tasks):
            with open(self.path("s", t), "rb") as f:
                self.sources.append(f.read())
        self.check_buf = bytearray(self.p.file_kib * 1024 + 1)

    def path(self, kind, task):
        return os.path.join(self.dir, f"{kind}{task}")

    def run(self, task, io):
        fin = os.open(self.path("s", task), os.O_RDONLY | os.O_CLOEXEC)
        try:
            fout = os.open(self.path("d", task), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            try:
                copied = 0
                while True:
                    b = os.read(fin, self.buf_bytes)
                    if not b:
                        break
                    view = memoryview(b)
                    while view:
                        view = view[os.write(fout, view):]
                    copied += len(b)
                if self.p.fsync:
                    os.fsync(fout)
            finally:
                os.close(fout)
        finally:
            os.close(fin)
        return copied ^ rand.task_random(self.p.seed, task, FILE_STREAM + 1)

    def expected(self, task):
        return (self.p.file_kib * 1024) ^ rand.task_random(self.p.seed, task, FILE_STREAM + 1)

    def run_end(self, ok):
        view = memoryview(self.check_buf)
        for t in range(self.tasks):
            if ok[t]:
                with open(self.path("d", t), "rb", buffering=0) as f:
                    n = 0
                    while (k := f.readinto(view[n:])) > 0:
                        n += k
                ok[t] = n == len(self.sources[t]) and view[:n] == self.sources[t]

    def teardown(self):
        if getattr(self, "dir", None):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def net_pattern():
    """The net bodies' 1 MiB pattern (src/workload/net_body.c), stored twice so that any window
    of a period is one slice."""
    x, words = 0x6A09E667F3BCC908, []
    for _ in range(PATTERN_BYTES // 8):
        words.append(rand.mix64(x))
        x = (x + rand.GAMMA) & M64
    one = b"".join(w.to_bytes(8, "little") for w in words)
    return one + one


def body_start(task):
    return ((task * 2654435761) & 0xFFFFFFFF) % PATTERN_BYTES


class Net(Workload):
    """One request per task to the C runs' loopback server (ptc-aid serve); the parent checks
    each body against the pattern window of its task, in the task."""
    name = "net"
    settings = ("net_latency_ms", "net_kib")

    def setup(self):
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        self.task_ns = [self.p.net_latency_ms * 1_000_000] * self.tasks
        self.bytes_per_run = self.tasks * self.p.net_kib * 1024
        self.pattern = net_pattern()
        self.timeout_s = NET_TIMEOUT_FACTOR * self.p.net_latency_ms / 1e3 + NET_TIMEOUT_SLACK_S
        self.server = subprocess.Popen([self.p.aid, "serve", "--latency-ms", str(self.p.net_latency_ms)],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.server.stdout.readline().split()
        if len(line) != 3:
            self.teardown()
            raise SetupError("the net server (ptc-aid serve) did not start")
        self.addr, self.port, self.token = line[0], int(line[1]), line[2]

    def request(self, task):
        return f"GET {task} {self.p.net_kib} {self.token}\n".encode()

    def check(self, task, body):
        want, start = self.p.net_kib * 1024, body_start(task)
        if len(body) != want:
            raise IOError(f"task {task}: {len(body)} body bytes, expected {want}")
        for off in range(0, want, PATTERN_BYTES):
            n = min(PATTERN_BYTES, want - off)
            if body[off:off + n] != self.pattern[start:start + n]:
                raise IOError(f"task {task}: the body differs from the server's")
        return task ^ want

    def run(self, task, io):
        s = io.create_connection((self.addr, self.port), timeout=self.timeout_s)
        try:
            s.sendall(self.request(task))
            s.shutdown(socket.SHUT_WR)
            parts = []
            while True:
                b = s.recv(1 << 16)
                if not b:
                    break
                parts.append(b)
        finally:
            s.close()
        return self.check(task, b"".join(parts))

    async def run_async(self, task):
        reader, writer = await asyncio.wait_for(asyncio.open_connection(self.addr, self.port), self.timeout_s)
        try:
            writer.write(self.request(task))
            writer.write_eof()
            body = await asyncio.wait_for(reader.read(), self.timeout_s)
        finally:
            writer.close()
        return self.check(task, body)

    def expected(self, task):
        return task ^ (self.p.net_kib * 1024)

    def teardown(self):
        srv = getattr(self, "server", None)
        if srv is not None:
            self.server = None
            srv.stdin.close()  # EOF: ptc-aid stops the server and exits
            try:
                srv.wait(timeout=5)
            except subprocess.TimeoutExpired:
                srv.kill()
                srv.wait()
            srv.stdout.close()


REGISTRY = {w.name: w for w in (Noop, Sleep, Cpu, File, Net, Mixed)}
