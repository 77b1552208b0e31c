package main

import (
	"errors"
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	errNeverRan = errors.New("never ran")
	errRanTwice = errors.New("ran more than once")
	errWrongSum = errors.New("wrong checksum")
)

// runRecord is what one run measured.
type runRecord struct {
	wallNs, userNs, sysNs int64
	maxRSSKiB             int64
	volCtxsw, involCtxsw  int64
	tasksOK               int
	load1m                string
	cond                  condition
	firstFailed           int // the first failed task, -1 when none
}

// measureRun runs c once: the model and its tasks inside the clock and the resource counters,
// set-up and verification outside, and the machine's condition around them on a machine of cpus
// CPUs. A task that never finishes ends the program (the watchdog).
func measureRun(c *config, results []taskResult, timeoutS float64, cpus int) runRecord {
	st := c.st
	results = results[:st.tasks]
	for i := range results {
		results[i] = taskResult{}
	}
	limit := deadline(timeoutS, c.idealNs, st.tasks)
	w := startWatchdog(limit, st.tasks, func(finished int64) {
		die(1, "%s: no task finished for %v (the deadline; see --timeout): %d of %d tasks finished",
			c.name(), limit, finished, st.tasks)
	})
	do := func(task int) {
		r := &results[task]
		r.checksum, r.err = st.work.runTask(task)
		atomic.AddInt32(&r.runs, 1)
		w.taskDone()
	}
	var rec runRecord
	resetPeakRSS()
	rec.load1m = load1m()
	var before, after syscall.Rusage
	ticksBefore := readCPUTicks()
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	c.model.run(st.tasks, c.workers, do)
	rec.wallNs = time.Since(start).Nanoseconds()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	ticksAfter := readCPUTicks()
	w.end()

	rec.userNs = timevalNs(after.Utime) - timevalNs(before.Utime)
	rec.sysNs = timevalNs(after.Stime) - timevalNs(before.Stime)
	rec.volCtxsw = after.Nvcsw - before.Nvcsw
	rec.involCtxsw = after.Nivcsw - before.Nivcsw
	rec.cond = newCondition(ticksBefore, ticksAfter, rec.wallNs, rec.userNs+rec.sysNs, cpus)
	if rec.maxRSSKiB = peakRSSKiB(); rec.maxRSSKiB < 0 {
		rec.maxRSSKiB = after.Maxrss // ru_maxrss is in KiB on Linux
	}
	st.work.check(results)
	rec.tasksOK, rec.firstFailed = verify(st.work, results)
	return rec
}

// verify counts the tasks that ran once, without error, with the expected checksum, and gives
// the first that did not (-1 when none).
func verify(wk work, results []taskResult) (ok, firstFailed int) {
	firstFailed = -1
	for i := range results {
		r := &results[i]
		switch {
		case r.err != nil:
		case r.runs == 0:
			r.err = errNeverRan
		case r.runs > 1:
			r.err = errRanTwice
		case r.checksum != wk.expected(i):
			r.err = errWrongSum
		}
		if r.err == nil {
			ok++
		} else if firstFailed < 0 {
			firstFailed = i
		}
	}
	return ok, firstFailed
}

func timevalNs(tv syscall.Timeval) int64 {
	return tv.Sec*1e9 + tv.Usec*1e3
}

// failure describes a run whose tasks did not all pass, for the one-line message.
func failure(c *config, rec runRecord, results []taskResult) string {
	first := rec.firstFailed
	return fmt.Sprintf("%s: %d of %d tasks failed (task %d: %v)", c.name(),
		c.st.tasks-rec.tasksOK, c.st.tasks, first, results[first].err)
}
