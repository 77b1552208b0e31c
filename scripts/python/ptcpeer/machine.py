"""The machine every row carries, as ptc-run describes it (`ptc-run --machine`), so that Python
rows group with the C rows of the same machine; the runtime; the resource counters of a run."""
import importlib.metadata
import os
import platform
import resource
import subprocess


def describe(ptc_run):
    out = subprocess.run([ptc_run, "--machine"], capture_output=True, text=True)
    if out.returncode != 0:
        raise OSError(f"{ptc_run} --machine: exit {out.returncode}")
    m = {}
    for line in out.stdout.splitlines():
        k, sep, v = line.partition(": ")
        if sep:
            m[k] = v
    return m


def runtime():
    """'python 3.11.2 + gevent 22.10.2' (gevent's version when it is installed)."""
    text = f"python {platform.python_version()}"
    try:  # not imported: its modules would enlarge every forked child
        text += f" + gevent {importlib.metadata.version('gevent')}"
    except importlib.metadata.PackageNotFoundError:
        pass
    return text


def load_1m():
    return os.getloadavg()[0]


class Usage:
    """getrusage of this process and its reaped children: CPU time, context switches, peak RSS."""

    def __init__(self):
        self.s = resource.getrusage(resource.RUSAGE_SELF)
        self.c = resource.getrusage(resource.RUSAGE_CHILDREN)

    def since(self, before):
        d = {}
        for k in ("ru_utime", "ru_stime"):
            d[k] = (getattr(self.s, k) - getattr(before.s, k)) + (getattr(self.c, k) - getattr(before.c, k))
        for k in ("ru_nvcsw", "ru_nivcsw"):
            d[k] = (getattr(self.s, k) - getattr(before.s, k)) + (getattr(self.c, k) - getattr(before.c, k))
        d["max_rss_kib"] = max(self.s.ru_maxrss, self.c.ru_maxrss)
        return d
