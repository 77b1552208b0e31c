package main

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
)

// runColumns are ptc-run's run-row columns in its order, then runtime.
var runColumns = strings.Split("started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,"+
	"workload,model,workers,tasks,task_ms,iterations,seed,rep,wall_ns,user_ns,sys_ns,max_rss_kib,"+
	"vol_ctxsw,invol_ctxsw,tasks_ok,ideal_ns,efficiency,parallelism,exec,coro_switch,poller,"+
	"sched_threads,steals,file_io,ns_per_iter,timer_slack_ns,file_kib,fsync,net_latency_ms,"+
	"net_kib,cpu_fraction,mixed_wait,bytes,mb_per_s,parent_maps,load_1m,steal_cpus,"+
	"other_busy_cpus,margin_cpus,capacity,disturbed,disturbed_why,net_refused,governor,"+
	"idle_driver,smt,runtime", ",")

// memColumns are ptc-mem's columns in its order.
var memColumns = strings.Split("started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,"+
	"benchmark,mechanism,variant,n,metric,unit,value,samples,min,max,note,placement,cpus_seen", ",")

// row is a CSV record by column name; a column it lacks is written empty.
type row map[string]string

// writeRow writes r's values in the order of columns.
func writeRow(w io.Writer, columns []string, r row) error {
	fields := make([]string, len(columns))
	for i, c := range columns {
		fields[i] = csvField(r[c], i == 0)
	}
	_, err := io.WriteString(w, strings.Join(fields, ",")+"\n")
	return err
}

// writeHeader writes the column names.
func writeHeader(w io.Writer, columns []string) error {
	r := row{}
	for _, c := range columns {
		r[c] = c
	}
	return writeRow(w, columns, r)
}

// csvField quotes s as ptc-run's writer does (core/csv.c): when it holds a comma, quote or line
// break, starts or ends with a space or tab (a reader would trim those), or is an empty first
// field (a one-field row would vanish).
func csvField(s string, first bool) string {
	quote := strings.ContainsAny(s, ",\"\r\n") || s == "" && first ||
		s != "" && (strings.ContainsAny(s[:1], " \t") || strings.ContainsAny(s[len(s)-1:], " \t"))
	if !quote {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// runtimeVersion is the runtime column: "go 1.19.8".
func runtimeVersion() string {
	return "go " + strings.TrimPrefix(runtime.Version(), "go")
}

// machineRow starts a row with started_at and the machine columns.
func machineRow(startedAt string, m *machine) row {
	r := row{"started_at": startedAt, "program": program}
	for _, k := range machineKeys {
		r[k] = m.fields[k]
	}
	return r
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// runRow is one recorded run's row.
func runRow(base row, c *config, rep int, rec runRecord) row {
	st, cd := c.st, rec.cond
	r := row{}
	for k, v := range base {
		r[k] = v
	}
	for k, v := range map[string]string{
		"workload": st.workload, "model": c.model.name, "workers": itoa(int64(c.workers)),
		"tasks": itoa(int64(st.tasks)), "iterations": st.meanSteps(),
		"seed": strconv.FormatUint(st.set.seed, 10), "rep": itoa(int64(rep)),
		"wall_ns": itoa(rec.wallNs), "user_ns": itoa(rec.userNs), "sys_ns": itoa(rec.sysNs),
		"max_rss_kib": itoa(rec.maxRSSKiB), "vol_ctxsw": itoa(rec.volCtxsw),
		"invol_ctxsw": itoa(rec.involCtxsw), "tasks_ok": itoa(int64(rec.tasksOK)),
		"ideal_ns": itoa(c.idealNs), "parallelism": itoa(int64(c.par)), "exec": "goroutines",
		"sched_threads": itoa(int64(runtime.GOMAXPROCS(0))), "load_1m": rec.load1m,
		"steal_cpus": cpusText(cd.stealCPUs), "other_busy_cpus": cpusText(cd.otherBusyCPUs),
		"margin_cpus": cpusText(cd.marginCPUs), "capacity": cpusText(cd.capacity),
		"disturbed": map[bool]string{false: "0", true: "1"}[cd.disturbed], "disturbed_why": cd.why,
		"runtime": runtimeVersion(),
	} {
		r[k] = v
	}
	if c.idealNs > 0 && rec.wallNs > 0 {
		r["efficiency"] = fmt.Sprintf("%.4f", float64(c.idealNs)/float64(rec.wallNs))
	}
	workloadFields(r, st, rec.wallNs)
	return r
}

// workloadFields fills the columns of the settings and figures only some workloads have.
func workloadFields(r row, st *state, wallNs int64) {
	switch st.workload {
	case "sleep", "cpu", "mixed":
		r["task_ms"] = st.set.taskMsText()
	}
	if st.steps != nil {
		r["ns_per_iter"] = fmt.Sprintf("%.4f", st.nsPerIter)
	}
	switch st.workload {
	case "file":
		r["file_io"] = "blocking"
		r["file_kib"] = strconv.FormatUint(st.set.fileKiB, 10)
		r["fsync"] = map[bool]string{false: "0", true: "1"}[st.set.fsync]
	case "net":
		r["net_latency_ms"] = strconv.FormatUint(st.set.netLatencyMs, 10)
		r["net_kib"] = strconv.FormatUint(st.set.netKiB, 10)
		r["net_refused"] = "0"
	case "mixed":
		r["cpu_fraction"] = fmt.Sprintf("%.3f", st.set.cpuFraction)
		r["mixed_wait"] = st.set.mixedWait
	}
	if st.workload == "file" || st.workload == "net" {
		r["bytes"] = strconv.FormatUint(st.bytesPerRun, 10)
		if st.bytesPerRun > 0 && wallNs > 0 {
			r["mb_per_s"] = fmt.Sprintf("%.2f", float64(st.bytesPerRun)/float64(wallNs)*1e3)
		}
	}
}
