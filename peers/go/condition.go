package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// tickNs is the length of a /proc/stat tick, 1e9 / sysconf(_SC_CLK_TCK). Go has no sysconf
// without cgo: the tick is USER_HZ, 100 on Linux (x86, arm and most other architectures).
const tickNs = 1e9 / 100

// condition is the machine's condition across one run, as ptc-run records it
// (src/core/condition.h): the CPUs other processes kept busy and the hypervisor took, the tick
// margin of both, the parallel capacity probed before the round, and ptc-run's verdict on them
// (`ptc-aid judge`, so that the rule stays in one place). NaN is a figure not read.
type condition struct {
	otherBusyCPUs, stealCPUs, marginCPUs, capacity float64
	disturbed                                      bool
	why                                            string
}

// cpuTicks is /proc/stat's aggregate "cpu" line: busy (user + nice + system) and steal ticks.
type cpuTicks struct{ busy, steal int64 }

// readCPUTicks reads them; nil when /proc/stat cannot be read.
func readCPUTicks() *cpuTicks {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return nil
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return nil
	}
	var v [8]int64
	for i := range v {
		if v[i], err = strconv.ParseInt(fields[i+1], 10, 64); err != nil {
			return nil
		}
	}
	return &cpuTicks{busy: v[0] + v[1] + v[2], steal: v[7]}
}

// newCondition works out the figures of a run of wallNs, of which this process spent ownCPUNs
// on the CPUs, from the ticks read just before and after it; not yet probed nor judged.
func newCondition(before, after *cpuTicks, wallNs, ownCPUNs int64, cpus int) condition {
	nan := math.NaN()
	c := condition{otherBusyCPUs: nan, stealCPUs: nan, marginCPUs: nan, capacity: nan}
	if before == nil || after == nil || wallNs <= 0 {
		return c
	}
	othersNs := float64(after.busy-before.busy)*tickNs - float64(ownCPUNs)
	c.otherBusyCPUs = math.Max(othersNs, 0) / float64(wallNs)
	c.stealCPUs = float64(after.steal-before.steal) * tickNs / float64(wallNs)
	// Each CPU's counters advance in whole ticks: off by up to one per CPU at each end.
	c.marginCPUs = 2 * float64(max(cpus, 1)) * tickNs / float64(wallNs)
	return c
}

// probeCapacity runs ptc-run's parallel capacity probe once (`ptc-aid capacity`: N spinning
// threads' speedup over one); NaN when it fails.
func probeCapacity(bin string) float64 {
	out, err := exec.Command(bin+"/ptc-aid", "capacity").Output()
	if err != nil {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// judge applies ptc-run's rule for a disturbed run to the figures (`ptc-aid judge`); a judge
// that fails leaves the run undisturbed.
func (c *condition) judge(bin string, cpus int) {
	args := []string{"judge"}
	for _, x := range []float64{c.otherBusyCPUs, c.stealCPUs, c.marginCPUs, c.capacity} {
		if math.IsNaN(x) {
			args = append(args, "nan")
		} else {
			args = append(args, fmt.Sprintf("%.3f", x))
		}
	}
	args = append(args, strconv.Itoa(max(cpus, 1)))
	out, err := exec.Command(bin+"/ptc-aid", args...).Output()
	if err != nil {
		return
	}
	flag, why, _ := strings.Cut(strings.TrimSuffix(string(out), "\n"), "\t")
	c.disturbed, c.why = flag == "1", why
}

// cpusText is a figure of CPUs (or the capacity) for the CSV: 3 decimals, "" when not read.
func cpusText(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return fmt.Sprintf("%.3f", x)
}
