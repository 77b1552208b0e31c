"""The machine's condition during a peer's run, as ptc-run records it (src/core/condition.h): the
CPUs the hypervisor took (steal) and other processes kept busy, from /proc/stat against this
process's own CPU time, the parallel capacity probed before each recorded round, and ptc-run's
own rule for a disturbed run (`ptc-aid judge`), so that a Python row on a busy machine is marked
as a C row would be."""
import os
import subprocess

HZ = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """/proc/stat's "cpu" line: busy (user + nice + system) and steal ticks, or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        return v[0] + v[1] + v[2], v[7]
    except (OSError, ValueError, IndexError):
        return None


def capacity(aid):
    out = subprocess.run([aid, "capacity"], capture_output=True, text=True)
    return float(out.stdout) if out.returncode == 0 and out.stdout.strip() else float("nan")


class Condition:
    """Of one run: begin() before the clock, end() after it."""

    def begin(self):
        self.ticks = cpu_ticks()

    def end(self, wall_ns, own_cpu_s, cpus, cap, aid):
        self.capacity = cap
        self.steal = self.other = self.margin = float("nan")
        after = cpu_ticks()
        if self.ticks and after and wall_ns > 0:
            tick_ns, wall = 1e9 / HZ, float(wall_ns)
            others = (after[0] - self.ticks[0]) * tick_ns - own_cpu_s * 1e9
            self.other = max(others, 0) / wall
            self.steal = (after[1] - self.ticks[1]) * tick_ns / wall
            # Each CPU's counters advance in whole ticks: off by up to one per CPU at each end.
            self.margin = 2.0 * max(cpus, 1) * tick_ns / wall
        fig = [f"{x:.3f}" if x == x else "nan" for x in (self.other, self.steal, self.margin, cap)]
        out = subprocess.run([aid, "judge", *fig, str(max(cpus, 1))], capture_output=True, text=True)
        flag, _, why = out.stdout.rstrip("\n").partition("\t")
        self.disturbed, self.why = (flag == "1", why) if out.returncode == 0 else (False, "")
