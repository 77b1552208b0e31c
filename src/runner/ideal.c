#include "runner/ideal.h"

#include <stdlib.h>

/* Sifts the root of a min-heap of finish times down to its place. */
static void sift_down(ptc_ns *heap, uint32_t n) {
    uint32_t i = 0;
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && heap[l] < heap[m])
            m = l;
        if (r < n && heap[r] < heap[m])
            m = r;
        if (m == i)
            return;
        ptc_ns t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
}

ptc_ns ptc_list_schedule_ns(const ptc_ns *durations_ns, uint32_t n, uint32_t workers) {
    if (n == 0)
        return 0;
    uint32_t w = workers == 0 ? 1 : workers < n ? workers : n;
    /* Finish time of each worker; all free at 0, so any order is a heap. The earliest free
     * worker (the root) takes the next task: O(n log W). */
    ptc_ns *heap = calloc(w, sizeof *heap), makespan = 0;
    if (heap == NULL)
        return (ptc_ns)-1;
    for (uint32_t i = 0; i < n; i++) {
        heap[0] += durations_ns[i];
        makespan = heap[0] > makespan ? heap[0] : makespan;
        sift_down(heap, w);
    }
    free(heap);
    return makespan;
}

ptc_ns ptc_ideal_ns(const struct ptc_model *m, const struct ptc_workload_state *st,
                    uint32_t workers, long cpus) {
    uint32_t n = st->p.tasks, par = m->parallelism(workers, n);
    par = par ? par : 1;
    ptc_ns longest = 0, total = 0, total_cpu = 0;
    for (uint32_t i = 0; i < n; i++) {
        longest = st->task_ns[i] > longest ? st->task_ns[i] : longest;
        total += st->task_ns[i];
        total_cpu += ptc_workload_cpu_ns(st, i);
    }
    ptc_ns bound;
    if (ptc_model_uses_workers(m) || par == 1)
        bound = ptc_list_schedule_ns(st->task_ns, n, par);
    else
        bound = total / par > longest ? total / par : longest;
    uint32_t cpu_par = cpus > 0 && (long)par > cpus ? (uint32_t)cpus : par;
    if (total_cpu / cpu_par > bound)
        bound = total_cpu / cpu_par;
    return bound;
}
