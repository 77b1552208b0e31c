package main

import (
	"fmt"
	"strconv"
)

const (
	maxTaskMs       = 86400000 // a day, as in ptc-run
	maxCombinations = 100000
)

// settings is one combination of the workload settings (src/workload/settings.def).
type settings struct {
	taskLoMs, taskHiMs uint64 // both 0: --task-ms not given
	iterations         uint64 // 0: calibrated to --task-ms
	seed               uint64
	fileKiB            uint64
	fsync              bool
	tmpDir             string // "": $TMPDIR, else /tmp
	netLatencyMs       uint64
	netKiB             uint64
	cpuFraction        float64
	mixedWait          string
}

// settingLists holds the values given for each setting (nil: the default). The grid runs every
// combination.
type settingLists struct {
	taskMs       [][2]uint64
	iterations   []uint64
	seed         []uint64
	fileKiB      []uint64
	netLatencyMs []uint64
	netKiB       []uint64
	cpuFraction  []float64
	mixedWait    []string
}

func defaultSettings() settings {
	return settings{seed: 1, fileKiB: 1024, netLatencyMs: 100, netKiB: 64, cpuFraction: 0.5,
		mixedWait: "sleep"}
}

// axis is one setting's list in the product: its length and how item i sets it.
type axis struct {
	n   int
	set func(s *settings, i int)
}

// axes lists the settings given, in ptc-run's order (the last varies fastest).
func (l *settingLists) axes() []axis {
	var out []axis
	add := func(n int, set func(s *settings, i int)) {
		if n > 0 {
			out = append(out, axis{n, set})
		}
	}
	add(len(l.taskMs), func(s *settings, i int) { s.taskLoMs, s.taskHiMs = l.taskMs[i][0], l.taskMs[i][1] })
	add(len(l.iterations), func(s *settings, i int) { s.iterations = l.iterations[i] })
	add(len(l.seed), func(s *settings, i int) { s.seed = l.seed[i] })
	add(len(l.fileKiB), func(s *settings, i int) { s.fileKiB = l.fileKiB[i] })
	add(len(l.netLatencyMs), func(s *settings, i int) { s.netLatencyMs = l.netLatencyMs[i] })
	add(len(l.netKiB), func(s *settings, i int) { s.netKiB = l.netKiB[i] })
	add(len(l.cpuFraction), func(s *settings, i int) { s.cpuFraction = l.cpuFraction[i] })
	add(len(l.mixedWait), func(s *settings, i int) { s.mixedWait = l.mixedWait[i] })
	return out
}

// product is every combination of the lists over base, or an error past maxCombinations.
func (l *settingLists) product(base settings) ([]settings, error) {
	axes := l.axes()
	total := 1
	for _, a := range axes {
		if total *= a.n; total > maxCombinations {
			return nil, fmt.Errorf("the workload settings' lists make more than %d combinations",
				maxCombinations)
		}
	}
	pick := make([]int, len(axes))
	out := make([]settings, 0, total)
	for k := 0; k < total; k++ {
		s := base
		for i, a := range axes {
			a.set(&s, pick[i])
		}
		out = append(out, s)
		for i := len(axes) - 1; i >= 0; i-- {
			if pick[i]++; pick[i] < axes[i].n {
				break
			}
			pick[i] = 0
		}
	}
	return out, nil
}

// taskMsText is the task_ms column: "25", "5:15", or "" when not given.
func (s settings) taskMsText() string {
	if s.taskHiMs == 0 {
		return ""
	}
	if s.taskLoMs == s.taskHiMs {
		return strconv.FormatUint(s.taskLoMs, 10)
	}
	return fmt.Sprintf("%d:%d", s.taskLoMs, s.taskHiMs)
}
