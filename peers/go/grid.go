package main

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"
)

// config is one cell of the grid: a model at one W on one state.
type config struct {
	st      *state
	model   *model
	workers int // the workers column: 1 for seq, tasks for go-goroutine, W for go-pool
	par     int
	idealNs int64
	label   string  // the settings that tell it apart, "" when there is one combination
	wallsNs []int64 // the recorded runs
}

func (c *config) name() string {
	s := fmt.Sprintf("%s W=%d tasks=%d", c.model.name, c.workers, c.st.tasks)
	if c.label != "" {
		s += " " + c.label
	}
	return s
}

// grid is every configuration, in the order they run in each round.
type grid struct {
	states  []*state
	configs []*config
	cpus    int // the machine's, for the condition of its runs
}

// buildGrid sets up one state per combination of settings and task count, then its
// configurations: each model, at each W when the model uses one. What a failed set-up made is
// undone at exit.
func buildGrid(o *options, combos []settings, e *env, cpus int) (*grid, error) {
	g := &grid{cpus: cpus}
	labels := comboLabels(combos)
	for ci, set := range combos {
		for _, tasks := range o.tasks {
			st, err := newState(len(g.states), o.workload, set, int(tasks), e)
			if err != nil {
				return nil, err
			}
			g.states = append(g.states, st)
			g.addConfigs(o, st, labels[ci], cpus)
		}
	}
	return g, nil
}

func (g *grid) addConfigs(o *options, st *state, label string, cpus int) {
	for _, m := range o.models {
		ws := []uint64{uint64(m.parallelism(1, st.tasks))}
		if m.usesWorkers {
			ws = o.workers
		}
		for _, w := range ws {
			c := &config{st: st, model: m, workers: int(w), label: label}
			c.par = m.parallelism(c.workers, st.tasks)
			c.idealNs = idealNs(m, c.par, st, cpus)
			g.configs = append(g.configs, c)
		}
	}
}

// close ends what the states hold (the servers); the private folder goes at exit.
func (g *grid) close() {
	for _, st := range g.states {
		st.work.close()
	}
}

// comboLabels names each combination by the settings that differ between them ("" for all
// when there is one).
func comboLabels(combos []settings) []string {
	texts := make([][]string, len(combos))
	for i, s := range combos {
		texts[i] = []string{"task-ms=" + s.taskMsText(), fmt.Sprintf("iterations=%d", s.iterations),
			fmt.Sprintf("seed=%d", s.seed), fmt.Sprintf("file-kib=%d", s.fileKiB),
			fmt.Sprintf("net-latency-ms=%d", s.netLatencyMs), fmt.Sprintf("net-kib=%d", s.netKiB),
			fmt.Sprintf("cpu-fraction=%.3f", s.cpuFraction), "mixed-wait=" + s.mixedWait}
	}
	varies := make([]bool, len(texts[0]))
	for _, t := range texts {
		for k := range t {
			varies[k] = varies[k] || t[k] != texts[0][k]
		}
	}
	labels := make([]string, len(combos))
	for i, t := range texts {
		var parts []string
		for k, v := range t {
			if varies[k] {
				parts = append(parts, v)
			}
		}
		labels[i] = strings.Join(parts, " ")
	}
	return labels
}

// run does warmup + repeat rounds, each running every configuration once (repetitions
// interleaved, so that a slow spell of the machine spreads over all of them), and hands each
// recorded run, its condition judged, to record. A failed run ends the program.
func (g *grid) run(o *options, record func(c *config, rep int, rec runRecord) error) {
	maxTasks := 0
	for _, st := range g.states {
		maxTasks = max(maxTasks, st.tasks)
	}
	results := make([]taskResult, maxTasks)
	rounds := int(o.warmup + o.repeat)
	total, started := rounds*len(g.configs), time.Now()
	p := newProgress(!o.quiet)
	for round := 0; round < rounds; round++ {
		warm := round < int(o.warmup)
		// ptc-run's probe before each recorded round (runner/grid.c): a run of a round in which
		// the machine could not deliver its CPUs is marked disturbed.
		capacity := math.NaN()
		if !warm {
			capacity = probeCapacity(o.bin)
		}
		for i, c := range g.configs {
			p.show(round*len(g.configs)+i, total, started, c, warm)
			rec := measureRun(c, results, o.timeoutS, g.cpus)
			if rec.tasksOK != c.st.tasks {
				p.clear()
				die(1, "%s", failure(c, rec, results[:c.st.tasks]))
			}
			if warm {
				continue
			}
			c.wallsNs = append(c.wallsNs, rec.wallNs)
			rec.cond.capacity = capacity
			rec.cond.judge(o.bin, g.cpus)
			if err := record(c, round-int(o.warmup), rec); err != nil {
				p.clear()
				die(1, "--out: writing '%s' failed: %v", o.out, err)
			}
		}
	}
	p.clear()
}

// medianNs is the median of the recorded runs.
func medianNs(walls []int64) float64 {
	if len(walls) == 0 {
		return 0
	}
	s := make([]float64, len(walls))
	for i, w := range walls {
		s[i] = float64(w)
	}
	return median(s)
}

// printSummary prints one line per configuration: its median and its speedup against seq on
// the same state (same settings and task count).
func (g *grid) printSummary(f *os.File) {
	seq := map[*state]float64{}
	for _, c := range g.configs {
		if c.model.name == "seq" {
			seq[c.st] = medianNs(c.wallsNs)
		}
	}
	fmt.Fprintf(f, "%-8s %-13s %6s %7s %13s %9s %9s\n", "workload", "model", "W", "tasks",
		"wall median", "speedup", "tasks ok")
	for _, c := range g.configs {
		med := medianNs(c.wallsNs)
		speedup := "-"
		if base, ok := seq[c.st]; ok && med > 0 {
			speedup = fmt.Sprintf("%.2fx", base/med)
		}
		fmt.Fprintf(f, "%-8s %-13s %6d %7d %10.3f ms %9s %5d/%d", c.st.workload, c.model.name,
			c.workers, c.st.tasks, med/1e6, speedup, c.st.tasks, c.st.tasks)
		if c.label != "" {
			fmt.Fprintf(f, "  %s", c.label)
		}
		fmt.Fprintln(f)
	}
}
