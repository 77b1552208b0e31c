package main

import (
	"sort"
	"time"
)

const (
	calibrationSteps  = 2000000
	calibrationTrials = 7
)

// calibrationSink keeps the calibration's chain alive, so that its loops are not dead code.
var calibrationSink uint64

// chain advances a xorshift64 chain steps times (workload/cpu_chain.c). Each step depends on the
// one before, so the time is proportional to steps, and chain(chain(x, a), b) == chain(x, a+b).
// Not inlined, so that the calibrated loop is the loop the tasks run.
//
//go:noinline
func chain(x, steps uint64) uint64 {
	for ; steps > 0; steps-- {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// chainStart is where every task's chain starts: never 0, which xorshift cannot leave.
func chainStart(seed uint64) uint64 {
	if x := taskRandom(seed, 0, streamCPUStart); x != 0 {
		return x
	}
	return 1
}

// cpuChecksum is what a task that ran steps steps reports: the chain folded with the task's
// index, so that a task run under another index is caught.
func cpuChecksum(seed uint64, task int, steps uint64) uint64 {
	return chain(chainStart(seed), steps) ^ taskRandom(seed, task, streamCPUTask)
}

// calibrateNsPerIter times a step: the fastest of several trials, the estimate least disturbed
// by other load on a shared machine.
func calibrateNsPerIter(seed uint64) float64 {
	x := chainStart(seed)
	best := 0.0
	for t := 0; t < calibrationTrials; t++ {
		start := time.Now()
		x = chain(x, calibrationSteps)
		ns := float64(time.Since(start).Nanoseconds()) / calibrationSteps
		if t == 0 || ns < best {
			best = ns
		}
	}
	calibrationSink = x
	return best
}

// cpuExpected gives every task's checksum in one pass along the chain to the longest task (not
// one chain per task): the tasks in order of their steps, the chain extended from one to the next.
func cpuExpected(seed uint64, steps []uint64) []uint64 {
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return steps[order[a]] < steps[order[b]] })
	out := make([]uint64, len(steps))
	x, done := chainStart(seed), uint64(0)
	for _, task := range order {
		x = chain(x, steps[task]-done)
		done = steps[task]
		out[task] = x ^ taskRandom(seed, task, streamCPUTask)
	}
	return out
}
