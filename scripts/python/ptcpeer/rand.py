"""The C workloads' random numbers (src/core/rand.h, src/workload/workload.c), bit for bit."""

M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix64(x):
    x = (x + GAMMA) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def task_random(seed, task, stream):
    return mix64(mix64(seed ^ (stream << 32)) ^ task)


DURATION_STREAM = 1


def durations_ns(seed, tasks, lo_ms, hi_ms):
    """Each task's duration: lo, or a seeded whole number of ms in [lo, hi] (durations.c)."""
    if lo_ms == hi_ms:
        return [lo_ms * 1_000_000] * tasks
    span = hi_ms - lo_ms + 1
    return [(lo_ms + task_random(seed, i, DURATION_STREAM) % span) * 1_000_000 for i in range(tasks)]
