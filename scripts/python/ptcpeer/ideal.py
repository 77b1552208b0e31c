"""The zero-overhead makespan of a model's discipline (src/runner/ideal.c), for the ideal_ns and
efficiency columns and the charts' ideal lines."""
import heapq


def list_schedule_ns(durations, workers):
    """Each next task goes to the worker that frees first."""
    if not durations:
        return 0
    heap = [0] * max(1, min(workers, len(durations)))
    makespan = 0
    for d in durations:
        t = heapq.heappop(heap) + d
        makespan = max(makespan, t)
        heapq.heappush(heap, t)
    return makespan


def ideal_ns(task_ns, cpu_ns, parallelism, pooled, cpus):
    par = max(1, parallelism)
    n = len(task_ns)
    if pooled or par == 1:
        bound = list_schedule_ns(task_ns, par)
    else:
        bound = max(sum(task_ns) // par, max(task_ns) if n else 0)
    cpu_par = min(par, cpus) if cpus > 0 else par
    return max(bound, sum(cpu_ns) // cpu_par)
