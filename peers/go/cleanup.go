package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// What must not outlive the program (the temporary output file, the private folder, the
// server): registered as made, undone at any end: success, failure, SIGINT or SIGTERM.
var cleanups struct {
	sync.Mutex
	fns []func()
	ran bool // what is made after the cleanups ran is undone at once
}

// atExit registers f to run at the end; f must be safe to call after its resource is gone.
func atExit(f func()) {
	cleanups.Lock()
	defer cleanups.Unlock()
	if cleanups.ran {
		f()
		return
	}
	cleanups.fns = append(cleanups.fns, f)
}

// runCleanups undoes everything registered, newest first.
func runCleanups() {
	cleanups.Lock()
	defer cleanups.Unlock()
	for i := len(cleanups.fns) - 1; i >= 0; i-- {
		cleanups.fns[i]()
	}
	cleanups.fns, cleanups.ran = nil, true
}

// ending is set by the first of the ways the program ends (the main path, a failure, the
// watchdog, a signal): the cleanups it runs make the others fail (a stopped server fails the
// tasks), and their messages would be wrong.
var ending atomic.Bool

// beginEnd returns to the first caller only; the others wait for the end it makes.
func beginEnd() {
	if !ending.CompareAndSwap(false, true) {
		for {
			time.Sleep(time.Hour)
		}
	}
}

// exit cleans up and ends the program with status code.
func exit(code int) {
	beginEnd()
	runCleanups()
	os.Exit(code)
}

// die prints one line, "ptc-peer-go: <what is wrong>", and exits with code.
func die(code int, format string, args ...any) {
	beginEnd()
	fmt.Fprintf(os.Stderr, "%s: %s\n", program, fmt.Sprintf(format, args...))
	runCleanups()
	os.Exit(code)
}

// cleanUpOnSignals makes SIGINT and SIGTERM clean up, then end the program by that same signal,
// so that its parent sees it killed (status 128 + the signal in a shell).
func cleanUpOnSignals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := (<-ch).(syscall.Signal)
		beginEnd()
		runCleanups()
		signal.Reset(sig)
		syscall.Kill(os.Getpid(), sig)
		os.Exit(128 + int(sig)) // only if the signal did not end the program
	}()
}
