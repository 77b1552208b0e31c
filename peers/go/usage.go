package main

import (
	"fmt"
	"strings"
)

const program = "ptc-peer-go"

// workloadNames are ptc-run's workloads, in its order.
var workloadNames = []string{"noop", "sleep", "cpu", "file", "net", "mixed"}

var workloadSummaries = map[string]string{
	"noop":  "does nothing: measures each model's per-task overhead",
	"sleep": "waits --task-ms MS (or a seeded random LO:HI ms) in time.Sleep",
	"cpu":   "xorshift chain of --iterations N steps (or calibrated to --task-ms), checksummed",
	"file":  "copies one --file-kib KiB file per task in 64 KiB chunks (--fsync), verified",
	"net":   "one loopback request per task: --net-kib KiB after --net-latency-ms, verified",
	"mixed": "computes --cpu-fraction F of --task-ms, then sleeps the rest",
}

func isWorkload(name string) bool {
	_, ok := workloadSummaries[name]
	return ok
}

func usageText() string {
	return fmt.Sprintf(`usage: %[1]s --workload W --bin DIR --out FILE [options]
       %[1]s --mem N[,N...] --bin DIR [--out FILE] [--repeat R] [--quiet]
Go's execution models on ptc-run's workloads, with the same work, checks and CSV
columns (plus runtime), so that its rows sit beside ptc-run's in one report.

  --workload W          one of: %[2]s
  --model M[,M...]      models, or 'all' (default): %[3]s
  --workers N[,N...]    pool sizes W of go-pool, 1..%[4]d (default 4); seq
                        runs with 1, go-goroutine with one goroutine per task
  --tasks N[,N...]      tasks per run, 1..%[5]d (default 8)
workload settings (each takes a comma-separated list, --fsync and --tmp-dir
aside; the grid runs every combination, each against seq with the same
settings):
  --task-ms MS|LO:HI    sleep, cpu, mixed: task duration in ms, or a seeded
                        uniform random whole number of ms in [LO, HI] per task,
                        1..%[6]d
  --iterations N        cpu: steps per task, instead of calibrating to
                        --task-ms, 1..1099511627776
  --seed S              seed of every random choice, 0..18446744073709551615
                        (default 1)
  --file-kib N          file: KiB per file, 1..1048576 (default 1024)
  --fsync               file: fsync each copy
  --tmp-dir DIR         file: where the private temporary folder goes (default
                        $TMPDIR, else /tmp)
  --net-latency-ms MS   net: the server's delay per request, 0..%[6]d
                        (default 100)
  --net-kib N           net: KiB per response, 0..65536 (default 64)
  --cpu-fraction F      mixed: share of --task-ms spent computing, 0..1
                        (default 0.5)
  --mixed-wait W        mixed: sleep (the only wait here; ptc-run also has net)
runs and output:
  --repeat R            recorded runs per configuration, or samples per --mem
                        figure (default 3)
  --warmup K            unrecorded rounds first (default 1)
  --out FILE            one CSV row per recorded run ('-' for stdout); written
                        to a temporary file and renamed at the end
  --quiet               no summary table, no progress line
  --timeout SECONDS     end the program (status 1) when no task of a run
                        finishes for this long; 0 turns the watchdog off
                        (default: 10 x the run's ideal time + 5 s + 50 us per
                        task)
  --bin DIR             the folder of ptc-run (the machine columns) and ptc-aid
                        (the net workload's server); required
  --mem N[,N...]        instead of the grid: resident KiB per goroutine with N
                        of them sleeping in time.Sleep, and the ms to start them
                        all (ptc-mem's rows), 1..%[7]d
  --list                list models and workloads, then exit
  --help                this text

Repetitions are interleaved across configurations. GOMAXPROCS stays the
runtime's default (the CSV's sched_threads).
Exit status: 0 ok, 1 a run failed, 2 bad usage.
`, program, strings.Join(workloadNames, ", "), strings.Join(modelNames(), ", "), maxWorkers,
		maxTasks, maxTaskMs, maxMemN)
}

func listText() string {
	var b strings.Builder
	b.WriteString("models:\n")
	for _, m := range allModels {
		fmt.Fprintf(&b, "  %-13s %s\n", m.name, m.summary)
	}
	b.WriteString("workloads:\n")
	for _, w := range workloadNames {
		fmt.Fprintf(&b, "  %-13s %s\n", w, workloadSummaries[w])
	}
	return b.String()
}
