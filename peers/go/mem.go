package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	memMechanism = "go goroutines"
	memVariant   = "sleeping in time.Sleep"
)

// memSample is one measurement of n goroutines.
type memSample struct {
	kibPerUnit float64
	up         time.Duration // until all n were running
}

// The goroutines sleep until a common wake-up time after the memory is read: time.Sleep cannot
// be cut short, so every sample waits for that time before its goroutines are gone. The first
// (unrecorded) round of each N, which has no estimate yet, sleeps a generous per-goroutine
// allowance; the samples sleep a little longer than that round took to start them all.
const (
	napSlack             = 100 * time.Millisecond
	firstNapPerGoroutine = 20 * time.Microsecond
	napOverFirstRound    = 1.2
)

// measureGoroutines starts n goroutines that each sleep in time.Sleep until nap after the
// start (again for nap, should they wake before they are released), and measures the resident
// memory they added and the time until all n were running.
func measureGoroutines(n int, nap time.Duration) memSample {
	// Memory freed by the previous round (its goroutines' stacks) goes back to the system
	// first: otherwise this round would reuse it without growing the resident set.
	debug.FreeOSMemory()
	before := vmRSSKiB()
	var up, done sync.WaitGroup
	var released atomic.Bool
	up.Add(n)
	done.Add(n)
	start := time.Now()
	wake := start.Add(nap)
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			up.Done()
			for until := wake; !released.Load(); until = time.Now().Add(nap) {
				time.Sleep(time.Until(until))
			}
		}()
	}
	up.Wait()
	s := memSample{up: time.Since(start)}
	s.kibPerUnit = float64(vmRSSKiB()-before) / float64(n)
	released.Store(true)
	done.Wait()
	return s
}

// runMem measures each N: one untimed round (the first touch of memory the host has not backed
// yet is slow), then --repeat samples, two rows per N.
func runMem(o *options, m *machine, startedAt string) {
	var out *outFile
	if o.out != "" {
		var err error
		if out, err = openOut(o.out); err == nil {
			err = writeHeader(out.w, memColumns)
		}
		if err == nil {
			err = out.w.Flush()
		}
		if err != nil {
			die(2, "--out: cannot write '%s': %v", o.out, err)
		}
	}
	table := os.Stdout
	if o.out == "-" {
		table = os.Stderr
	}
	base := machineRow(startedAt, m)
	for _, n := range o.mem {
		first := measureGoroutines(int(n), napSlack+time.Duration(n)*firstNapPerGoroutine)
		nap := napSlack + time.Duration(napOverFirstRound*float64(first.up))
		kib := make([]float64, o.repeat)
		upMs := make([]float64, o.repeat)
		for r := range kib {
			s := measureGoroutines(int(n), nap)
			kib[r], upMs[r] = s.kibPerUnit, float64(s.up.Nanoseconds())/1e6
		}
		for _, fig := range []struct {
			metric, unit string
			samples      []float64
		}{{"rss_kib_per_unit", "KiB", kib}, {"up_ms", "ms", upMs}} {
			r := memRow(base, n, fig.metric, fig.unit, fig.samples)
			if out != nil {
				if err := writeRow(out.w, memColumns, r); err != nil {
					die(1, "--out: writing '%s' failed: %v", o.out, err)
				}
			}
			if !o.quiet {
				fmt.Fprintf(table, "%-8s %-14s %-23s n=%-8d %-17s %10s %-3s [%s - %s]\n",
					"mem", memMechanism, memVariant, n, fig.metric, r["value"], fig.unit,
					r["min"], r["max"])
			}
		}
	}
	if out != nil {
		if err := out.commit(); err != nil {
			die(1, "--out: writing '%s' failed: %v", o.out, err)
		}
	}
}

// memRow is one figure's row: the median of its samples, their count, min and max.
func memRow(base row, n uint64, metric, unit string, samples []float64) row {
	s := append([]float64(nil), samples...)
	sort.Float64s(s)
	r := row{}
	for k, v := range base {
		r[k] = v
	}
	r["benchmark"], r["mechanism"], r["variant"] = "mem", memMechanism, memVariant
	r["n"], r["metric"], r["unit"] = strconv.FormatUint(n, 10), metric, unit
	r["value"] = fmt.Sprintf("%.3f", median(s))
	r["samples"] = strconv.Itoa(len(s))
	r["min"], r["max"] = fmt.Sprintf("%.3f", s[0]), fmt.Sprintf("%.3f", s[len(s)-1])
	return r
}

// median of samples (the mean of the middle two for an even count).
func median(samples []float64) float64 {
	s := append([]float64(nil), samples...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
