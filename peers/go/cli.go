package main

import (
	"fmt"
	"os"
	"strings"
)

const (
	maxTasks    = 1000000
	maxWorkers  = 100000
	maxRepeat   = 100000
	maxTimeoutS = 1000000
	maxMemN     = 10000000
)

// options is the command line, checked.
type options struct {
	workload string
	models   []*model
	workers  []uint64
	tasks    []uint64
	lists    settingLists
	base     settings // the defaults, with --fsync and --tmp-dir
	repeat   uint64
	warmup   uint64
	out      string // "" when not given
	quiet    bool
	timeoutS float64 // negative: the default deadline
	bin      string
	mem      []uint64 // --mem: N values; nil for the grid
}

// usageError is bad input: one line on stderr and exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// optionSpec is one long option: whether it takes a value, and what it does with it.
type optionSpec struct {
	takesValue bool
	apply      func(o *options, v string) error
}

func listOption(flag string, lo, hi uint64, dst func(o *options) *[]uint64) optionSpec {
	return optionSpec{true, func(o *options, v string) error {
		vals, err := parseU64List(v, lo, hi)
		if err != nil {
			return usagef("%s: '%s': each item must be a whole number from %d to %d (%v)", flag, v,
				lo, hi, err)
		}
		*dst(o) = vals
		return nil
	}}
}

func numberOption(flag string, lo, hi uint64, dst func(o *options) *uint64) optionSpec {
	return optionSpec{true, func(o *options, v string) error {
		n, err := parseU64(v, lo, hi)
		if err != nil {
			return usagef("%s: '%s' must be a whole number from %d to %d (%v)", flag, v, lo, hi, err)
		}
		*dst(o) = n
		return nil
	}}
}

// settingOption is a workload setting's comma-separated list, each item parsed by item (which
// words its own error, as ptc-run's settings table does).
func settingOption(flag string, item func(o *options, v string, first bool) error) optionSpec {
	return optionSpec{true, func(o *options, v string) error {
		items, err := splitList(v)
		if err != nil {
			return usagef("%s: '%s' is not a comma-separated list of values (%v)", flag, v, err)
		}
		for i, it := range items {
			if err := item(o, it, i == 0); err != nil {
				return err
			}
		}
		return nil
	}}
}

func u64Setting(flag string, lo, hi uint64, dst func(o *options) *[]uint64) optionSpec {
	return settingOption(flag, func(o *options, v string, first bool) error {
		n, err := parseU64(v, lo, hi)
		if err != nil {
			return usagef("%s: '%s' must be a whole number from %d to %d (%v)", flag, v, lo, hi, err)
		}
		if first {
			*dst(o) = nil
		}
		*dst(o) = append(*dst(o), n)
		return nil
	})
}

var optionSpecs = map[string]optionSpec{
	"--workload": {true, func(o *options, v string) error {
		if !isWorkload(v) {
			return usagef("--workload: unknown workload '%s' (valid: %s)", v,
				strings.Join(workloadNames, ", "))
		}
		o.workload = v
		return nil
	}},
	"--model": {true, func(o *options, v string) (err error) {
		o.models, err = parseModels(v)
		return err
	}},
	"--workers": listOption("--workers", 1, maxWorkers, func(o *options) *[]uint64 { return &o.workers }),
	"--tasks":   listOption("--tasks", 1, maxTasks, func(o *options) *[]uint64 { return &o.tasks }),
	"--mem":     listOption("--mem", 1, maxMemN, func(o *options) *[]uint64 { return &o.mem }),
	"--task-ms": settingOption("--task-ms", func(o *options, v string, first bool) error {
		lo, hi, err := parseRange(v, 1, maxTaskMs)
		if err != nil {
			return usagef("--task-ms: '%s' must be MS or LO:HI, whole ms from 1 to %d (%v)", v,
				maxTaskMs, err)
		}
		if first {
			o.lists.taskMs = nil
		}
		o.lists.taskMs = append(o.lists.taskMs, [2]uint64{lo, hi})
		return nil
	}),
	"--iterations": u64Setting("--iterations", 1, 1<<40,
		func(o *options) *[]uint64 { return &o.lists.iterations }),
	"--seed": u64Setting("--seed", 0, ^uint64(0), func(o *options) *[]uint64 { return &o.lists.seed }),
	"--file-kib": u64Setting("--file-kib", 1, 1048576,
		func(o *options) *[]uint64 { return &o.lists.fileKiB }),
	"--net-latency-ms": u64Setting("--net-latency-ms", 0, maxTaskMs,
		func(o *options) *[]uint64 { return &o.lists.netLatencyMs }),
	"--net-kib": u64Setting("--net-kib", 0, 65536, func(o *options) *[]uint64 { return &o.lists.netKiB }),
	"--cpu-fraction": settingOption("--cpu-fraction", func(o *options, v string, first bool) error {
		f, err := parseF64(v, 0, 1)
		if err != nil {
			return usagef("--cpu-fraction: '%s' must be a number from 0 to 1 (%v)", v, err)
		}
		if first {
			o.lists.cpuFraction = nil
		}
		o.lists.cpuFraction = append(o.lists.cpuFraction, f)
		return nil
	}),
	"--mixed-wait": settingOption("--mixed-wait", func(o *options, v string, first bool) error {
		switch v {
		case "sleep":
		case "net":
			return usagef("--mixed-wait: '%s': ptc-peer-go waits with a sleep only", v)
		default:
			return usagef("--mixed-wait: '%s' must be sleep or net", v)
		}
		if first {
			o.lists.mixedWait = nil
		}
		o.lists.mixedWait = append(o.lists.mixedWait, v)
		return nil
	}),
	"--fsync":   {false, func(o *options, _ string) error { o.base.fsync = true; return nil }},
	"--tmp-dir": {true, func(o *options, v string) error { o.base.tmpDir = v; return nil }},
	"--repeat":  numberOption("--repeat", 1, maxRepeat, func(o *options) *uint64 { return &o.repeat }),
	"--warmup":  numberOption("--warmup", 0, maxRepeat, func(o *options) *uint64 { return &o.warmup }),
	"--out": {true, func(o *options, v string) error {
		if v == "" {
			return usagef("--out: the path is empty")
		}
		o.out = v
		return nil
	}},
	"--quiet": {false, func(o *options, _ string) error { o.quiet = true; return nil }},
	"--timeout": {true, func(o *options, v string) (err error) {
		if o.timeoutS, err = parseF64(v, 0, maxTimeoutS); err != nil {
			return usagef("--timeout: '%s' must be a number of seconds from 0 to %d", v, maxTimeoutS)
		}
		return nil
	}},
	"--bin": {true, func(o *options, v string) error { o.bin = v; return nil }},
	"--help": {false, func(o *options, _ string) error {
		fmt.Print(usageText())
		os.Exit(0)
		return nil
	}},
	"--list": {false, func(o *options, _ string) error {
		fmt.Print(listText())
		os.Exit(0)
		return nil
	}},
}

// parseArgs reads the command line as getopt_long does for ptc-run: "--name value" or
// "--name=value", options in any order, the last of a repeated option winning.
func parseArgs(args []string) (*options, error) {
	o := &options{repeat: 3, warmup: 1, timeoutS: -1, base: defaultSettings()}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			if i+1 < len(args) {
				return nil, usagef("unexpected argument '%s' (see --help)", args[i+1])
			}
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			return nil, usagef("unexpected argument '%s' (see --help)", arg)
		}
		name, value, hasValue := strings.Cut(arg, "=")
		spec, known := optionSpecs[name]
		switch {
		case !known || !strings.HasPrefix(arg, "--"):
			return nil, usagef("unknown option '%s' (see --help)", arg)
		case !spec.takesValue && hasValue:
			return nil, usagef("'%s': this option takes no value (see --help)", arg)
		case spec.takesValue && !hasValue:
			if i+1 >= len(args) {
				return nil, usagef("%s needs a value (see --help)", arg)
			}
			i++
			value = args[i]
		}
		if err := spec.apply(o, value); err != nil {
			return nil, err
		}
	}
	return o, o.check()
}

// check refuses what the options cannot mean together, before any file is made.
func (o *options) check() error {
	if o.bin == "" {
		return usagef("--bin DIR is required: the folder of ptc-run and ptc-aid")
	}
	// ptc-run describes the machine; ptc-aid serves the net workload and probes and judges the
	// machine's condition for every workload.
	for _, prog := range []string{"ptc-run", "ptc-aid"} {
		if err := checkProgram(o.bin, prog); err != nil {
			return err
		}
	}
	if o.out == "" && o.mem == nil {
		return usagef("--out is required (see --help)")
	}
	if o.mem != nil {
		if o.workload != "" {
			return usagef("--mem measures goroutines instead of running a workload: leave out --workload")
		}
		return nil
	}
	if o.workload == "" {
		return usagef("--workload is required (see --help)")
	}
	if o.models == nil {
		o.models = allModels
	}
	if o.workers == nil {
		o.workers = []uint64{4}
	}
	if o.tasks == nil {
		o.tasks = []uint64{8}
	}
	return o.checkWorkload()
}

// checkWorkload refuses a workload without the settings it needs (ptc-run refuses them at set-up).
func (o *options) checkWorkload() error {
	taskMs := o.lists.taskMs != nil
	switch o.workload {
	case "sleep":
		if !taskMs {
			return usagef("the sleep workload needs --task-ms MS or LO:HI")
		}
	case "cpu":
		if !taskMs && o.lists.iterations == nil {
			return usagef("the cpu workload needs --iterations N or --task-ms MS|LO:HI")
		}
	case "mixed":
		if !taskMs {
			return usagef("the mixed workload needs --task-ms MS|LO:HI")
		}
	case "file":
		return checkTmpBase(o.base.tmpDir)
	}
	return nil
}

// checkProgram refuses a --bin folder without an executable name in it.
func checkProgram(dir, name string) error {
	path := dir + "/" + name
	st, err := os.Stat(path)
	if err != nil {
		return usagef("--bin: no program %s (%v)", path, unwrapPathError(err))
	}
	if st.IsDir() || st.Mode().Perm()&0o111 == 0 {
		return usagef("--bin: %s is not an executable program", path)
	}
	return nil
}

// checkTmpBase makes and removes a folder where the file workload will make its own.
func checkTmpBase(dir string) error {
	base, flag := tmpBase(dir)
	probe, err := os.MkdirTemp(base, "ptc-go.probe.")
	if err != nil {
		return usagef("%s: cannot make a folder in %s: %v", flag, base, unwrapPathError(err))
	}
	os.Remove(probe)
	return nil
}

// unwrapPathError keeps the cause of an *os.PathError: the message names the path itself.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
