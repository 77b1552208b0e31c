package main

// The ideal wall time of a run (runner/ideal.h): the makespan a zero-overhead implementation of
// the model's discipline would reach, and within it the computing part spread over at most
// min(parallelism, CPUs) CPUs.

// listScheduleNs is the makespan of list scheduling: the tasks in index order, each to the
// worker that frees first.
func listScheduleNs(taskNs []int64, workers int) int64 {
	if len(taskNs) == 0 {
		return 0
	}
	free := make([]int64, max(1, min(workers, len(taskNs)))) // a min-heap of finish times
	var makespan int64
	for _, d := range taskNs {
		free[0] += d
		if free[0] > makespan {
			makespan = free[0]
		}
		siftDown(free)
	}
	return makespan
}

// siftDown moves the root of the min-heap h down to its place.
func siftDown(h []int64) {
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// idealNs is the ideal of model m with parallelism par on st, with cpus CPUs.
func idealNs(m *model, par int, st *state, cpus int) int64 {
	par = max(par, 1)
	var longest, total, totalCPU int64
	for i, d := range st.taskNs {
		longest = max64(longest, d)
		total += d
		totalCPU += st.cpuNs[i]
	}
	var bound int64
	if m.usesWorkers || par == 1 {
		bound = listScheduleNs(st.taskNs, par)
	} else {
		bound = max64(total/int64(par), longest) // every task started at once
	}
	cpuPar := par
	if cpus > 0 && cpuPar > cpus {
		cpuPar = cpus
	}
	return max64(bound, totalCPU/int64(cpuPar))
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
