package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// The machine columns, copied from `ptc-run --machine` so that these rows group with ptc-run's
// rows of the same machine.
var machineKeys = []string{"host", "cpu_model", "cpus", "kernel", "compiler", "git_rev",
	"governor", "idle_driver", "smt"}

// machine is the description every row carries.
type machine struct {
	fields map[string]string
	cpus   int // online CPUs: the CPU bound of the ideal
}

// readMachine runs BIN/ptc-run --machine and reads its "key: value" lines.
func readMachine(bin string) (*machine, error) {
	out, err := exec.Command(bin+"/ptc-run", "--machine").Output()
	if err != nil {
		return nil, usagef("--bin: %s/ptc-run --machine failed: %v", bin, err)
	}
	m := &machine{fields: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if key, value, ok := strings.Cut(sc.Text(), ": "); ok {
			m.fields[key] = value
		}
	}
	for _, k := range machineKeys {
		if _, ok := m.fields[k]; !ok {
			return nil, usagef("--bin: %s/ptc-run --machine does not say its %s", bin, k)
		}
	}
	m.cpus, _ = strconv.Atoi(m.fields["cpus"])
	return m, nil
}

// procKiB reads a "Key:   123 kB" line of a /proc status file; -1 when it is not there.
func procKiB(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := cutPrefix(sc.Text(), key+":"); ok {
			var kib int64
			if _, err := fmt.Sscanf(rest, "%d", &kib); err == nil {
				return kib
			}
		}
	}
	return -1
}

func vmRSSKiB() int64 { return procKiB("/proc/self/status", "VmRSS") }

// peakRSSKiB is the high-water mark of resident memory since resetPeakRSS.
func peakRSSKiB() int64 { return procKiB("/proc/self/status", "VmHWM") }

// resetPeakRSS restarts the high-water mark (Linux >= 4.0), so that each run reports its own
// peak rather than the process's; best effort.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// load1m is the 1-minute load average, "" when unreadable.
func load1m() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%.2f", v)
}

func cutPrefix(s, prefix string) (string, bool) {
	if !strings.HasPrefix(s, prefix) {
		return s, false
	}
	return s[len(prefix):], true
}
