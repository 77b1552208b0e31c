// ptc-peer-go runs Go's execution models (seq, go-goroutine, go-pool) on ptc-run's workloads,
// with the same work, the same checks and the same CSV columns (plus runtime), so that its rows
// sit beside ptc-run's in one report. With --mem it measures sleeping goroutines' memory in
// ptc-mem's rows instead.
package main

import (
	"os"
	"time"
)

func main() {
	startedAt := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	cleanUpOnSignals()
	o, err := parseArgs(os.Args[1:])
	if err != nil {
		die(2, "%v", err)
	}
	m, err := readMachine(o.bin)
	if err != nil {
		die(2, "%v", err)
	}
	if o.mem != nil {
		runMem(o, m, startedAt)
	} else {
		runGrid(o, m, startedAt)
	}
	exit(0)
}

// runGrid sets the workload up, runs the grid, writes its rows and prints the summary.
func runGrid(o *options, m *machine, startedAt string) {
	combos, err := o.lists.product(o.base)
	if err != nil {
		die(2, "%v", err)
	}
	out, err := openOut(o.out)
	if err == nil {
		// The header written through now: a full disk fails before the grid runs.
		if err = writeHeader(out.w, runColumns); err == nil {
			err = out.w.Flush()
		}
	}
	if err != nil {
		die(2, "--out: cannot write '%s': %v", o.out, err)
	}
	base, _ := tmpBase(o.base.tmpDir)
	e := &env{bin: o.bin, tmp: &privateDir{base: base}}
	if o.workload == "cpu" || o.workload == "mixed" {
		e.nsPerIter = calibrateNsPerIter(combos[0].seed)
	}
	g, err := buildGrid(o, combos, e, m.cpus)
	if err != nil {
		die(1, "%v", err)
	}
	rowBase := machineRow(startedAt, m)
	g.run(o, func(c *config, rep int, rec runRecord) error {
		return writeRow(out.w, runColumns, runRow(rowBase, c, rep, rec))
	})
	g.close()
	if err := out.commit(); err != nil {
		die(1, "--out: writing '%s' failed: %v", o.out, err)
	}
	if !o.quiet {
		table := os.Stdout
		if o.out == "-" {
			table = os.Stderr
		}
		g.printSummary(table)
	}
}
