package main

import (
	"fmt"
	"strconv"
	"time"
)

// taskResult is what one task left: its checksum, its error, and how many times it ran (each
// task has one slot and must run exactly once).
type taskResult struct {
	checksum uint64
	err      error
	runs     int32
}

// work is a workload set up for one state: its tasks' work and what they must report.
type work interface {
	// runTask does task's work and returns its checksum.
	runTask(task int) (uint64, error)
	// expected is the checksum task must report.
	expected(task int) uint64
	// check looks at what a run left, outside the timed region (the file copies), marking the
	// tasks whose output is wrong.
	check(results []taskResult)
	// close releases what set-up made (idempotent).
	close()
}

// noChecks is for workloads whose checksums say everything and that hold nothing.
type noChecks struct{}

func (noChecks) check([]taskResult) {}
func (noChecks) close()             {}

// state is a workload set up for one combination of settings and one task count: what every
// configuration of the grid that runs it shares.
type state struct {
	index       int // in the grid, for naming its files
	workload    string
	set         settings
	tasks       int
	taskNs      []int64  // each task's duration: what the ideal is made of
	cpuNs       []int64  // the part of each task that computes
	steps       []uint64 // cpu, mixed: each task's chain steps
	nsPerIter   float64  // cpu, mixed: the calibration
	bytesPerRun uint64   // file, net: what a run moves
	work        work
}

// env is what set-up needs beyond the settings.
type env struct {
	nsPerIter float64
	bin       string
	tmp       *privateDir // the file workload's folder, made on first use
}

// newState sets up workload for set and tasks. The errors are failures (exit status 1): every
// usage error was refused before.
func newState(index int, workload string, set settings, tasks int, e *env) (*state, error) {
	st := &state{index: index, workload: workload, set: set, tasks: tasks,
		taskNs: make([]int64, tasks), cpuNs: make([]int64, tasks)}
	var err error
	switch workload {
	case "noop":
		st.work = noopWork{seed: set.seed}
	case "sleep":
		st.taskNs = taskDurationsNs(set.seed, tasks, set.taskLoMs, set.taskHiMs)
		st.work = sleepWork{seed: set.seed, taskNs: st.taskNs}
	case "cpu":
		st.setUpCPU(e.nsPerIter)
	case "mixed":
		st.setUpMixed(e.nsPerIter)
	case "file":
		err = st.setUpFile(e)
	case "net":
		err = st.setUpNet(e.bin)
	default:
		err = fmt.Errorf("unknown workload %s", workload)
	}
	return st, err
}

type noopWork struct {
	noChecks
	seed uint64
}

func (w noopWork) runTask(task int) (uint64, error) { return w.expected(task), nil }
func (w noopWork) expected(task int) uint64         { return taskRandom(w.seed, task, streamNoop) }

type sleepWork struct {
	noChecks
	seed   uint64
	taskNs []int64
}

func (w sleepWork) runTask(task int) (uint64, error) {
	time.Sleep(time.Duration(w.taskNs[task]))
	return w.expected(task), nil
}

func (w sleepWork) expected(task int) uint64 { return taskRandom(w.seed, task, streamSleep) }

// cpuWork runs each task's chain; mixed also sleeps waitNs after it.
type cpuWork struct {
	noChecks
	seed   uint64
	steps  []uint64
	waitNs []int64 // mixed: the sleep after the chain; nil for cpu
	want   []uint64
}

func (w *cpuWork) runTask(task int) (uint64, error) {
	sum := cpuChecksum(w.seed, task, w.steps[task])
	if w.waitNs != nil {
		time.Sleep(time.Duration(w.waitNs[task]))
	}
	return sum, nil
}

func (w *cpuWork) expected(task int) uint64 { return w.want[task] }

// setUpCPU gives each task --iterations steps, or as many as its duration takes at the
// calibrated speed; its duration is then all computing.
func (st *state) setUpCPU(nsPerIter float64) {
	st.nsPerIter = nsPerIter
	st.steps = make([]uint64, st.tasks)
	if st.set.iterations == 0 {
		st.taskNs = taskDurationsNs(st.set.seed, st.tasks, st.set.taskLoMs, st.set.taskHiMs)
	}
	for i := range st.steps {
		if st.set.iterations != 0 {
			st.steps[i] = st.set.iterations
			st.taskNs[i] = int64(float64(st.set.iterations) * nsPerIter)
		} else {
			st.steps[i] = uint64(float64(st.taskNs[i]) / nsPerIter)
		}
	}
	copy(st.cpuNs, st.taskNs)
	st.work = &cpuWork{seed: st.set.seed, steps: st.steps, want: cpuExpected(st.set.seed, st.steps)}
}

// setUpMixed splits each task's duration: --cpu-fraction of it computed, the rest slept (as
// workload/mixed.c does, the computing part counted as the steps it buys).
func (st *state) setUpMixed(nsPerIter float64) {
	st.nsPerIter = nsPerIter
	st.taskNs = taskDurationsNs(st.set.seed, st.tasks, st.set.taskLoMs, st.set.taskHiMs)
	st.steps = make([]uint64, st.tasks)
	waitNs := make([]int64, st.tasks)
	for i, taskNs := range st.taskNs {
		computeNs := st.set.cpuFraction * float64(taskNs)
		st.steps[i] = uint64(computeNs / nsPerIter)
		waitNs[i] = taskNs - int64(computeNs)
		st.cpuNs[i] = int64(float64(st.steps[i]) * nsPerIter)
	}
	st.work = &cpuWork{seed: st.set.seed, steps: st.steps, waitNs: waitNs,
		want: cpuExpected(st.set.seed, st.steps)}
}

// meanSteps is the iterations column: the mean steps per task, "" without a chain.
func (st *state) meanSteps() string {
	if st.steps == nil {
		return ""
	}
	var sum uint64 // at most 2^40 steps x 10^6 tasks: no overflow
	for _, s := range st.steps {
		sum += s
	}
	return strconv.FormatUint(sum/uint64(len(st.steps)), 10)
}
