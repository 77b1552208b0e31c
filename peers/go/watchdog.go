package main

import (
	"sync/atomic"
	"time"
)

// The default deadline, as ptc-run's (runner/watchdog.h): 10 x the run's ideal + 5 s + 50 us
// per task (making a million goroutines' stacks takes a while before any task ends).
const (
	watchdogIdealFactor = 10
	watchdogSlack       = 5 * time.Second
	watchdogPerTask     = 50 * time.Microsecond
)

// watchdog ends the program when no task of a run finishes for the deadline: a stuck task
// would otherwise hang the whole grid.
type watchdog struct {
	finished atomic.Int64 // tasks finished in this run
	stop     chan struct{}
	ended    chan struct{}
}

// deadline is --timeout when given (0: none), else the default for the run.
func deadline(timeoutS float64, idealNs int64, tasks int) time.Duration {
	if timeoutS >= 0 {
		return time.Duration(timeoutS * 1e9)
	}
	return watchdogIdealFactor*time.Duration(idealNs) + watchdogSlack +
		time.Duration(tasks)*watchdogPerTask
}

// startWatchdog watches a run of tasks tasks; fire is called (from its goroutine) when no task
// has finished for limit. limit 0: no watching.
func startWatchdog(limit time.Duration, tasks int, fire func(finished int64)) *watchdog {
	w := &watchdog{stop: make(chan struct{}), ended: make(chan struct{})}
	if limit <= 0 {
		close(w.ended)
		return w
	}
	go w.watch(limit, tasks, fire)
	return w
}

// watch looks four times per deadline, so that a stuck run ends at most a quarter late.
func (w *watchdog) watch(limit time.Duration, tasks int, fire func(finished int64)) {
	defer close(w.ended)
	period := limit / 4
	if period < time.Millisecond {
		period = time.Millisecond
	}
	tick := time.NewTicker(period)
	defer tick.Stop()
	seen, progressAt := int64(0), time.Now()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			if n := w.finished.Load(); n != seen {
				seen, progressAt = n, now
			} else if now.Sub(progressAt) >= limit && n < int64(tasks) {
				fire(n)
				return
			}
		}
	}
}

// taskDone counts a finished task.
func (w *watchdog) taskDone() { w.finished.Add(1) }

// end stops watching.
func (w *watchdog) end() {
	close(w.stop)
	<-w.ended
}
