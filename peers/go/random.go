package main

// The random streams of the C workloads (src/workload/*.c): every draw is
// taskRandom(seed, task, stream), so that a task's duration, content and checksum are the same
// numbers in ptc-run and here.
const (
	streamDuration = 1 // --task-ms LO:HI draws
	streamNoop     = 2
	streamSleep    = 3
	streamCPUStart = 4 // the chain's starting value
	streamCPUTask  = 5 // folded into each cpu task's checksum
	streamFile     = 6 // the source files' words
	streamFileCopy = 7 // folded into each file task's checksum
)

const splitmixGamma = 0x9e3779b97f4a7c15

// mix64 is splitmix64's output function (core/rand.h): every output bit depends on every input
// bit. It adds the gamma itself.
func mix64(x uint64) uint64 {
	x += splitmixGamma
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// taskRandom is ptc_task_random: the number of task in stream for seed.
func taskRandom(seed uint64, task int, stream uint32) uint64 {
	return mix64(mix64(seed^(uint64(stream)<<32)) ^ uint64(uint32(task)))
}

// taskDurationsNs draws each task's duration as ptc_durations_fill does: exactly loMs when
// loMs == hiMs, else a whole number of ms uniform in [loMs, hiMs].
func taskDurationsNs(seed uint64, tasks int, loMs, hiMs uint64) []int64 {
	spanMs := hiMs - loMs + 1
	out := make([]int64, tasks)
	for i := range out {
		ms := loMs
		if loMs != hiMs {
			ms += taskRandom(seed, i, streamDuration) % spanMs
		}
		out[i] = int64(ms) * 1e6
	}
	return out
}
