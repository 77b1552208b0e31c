"""ptc-run's CSV columns (src/runner/rows.c), in its order, then `runtime`: Python rows read
like C rows in ptc-report, the findings and every chart. A column Python cannot fill (the
coroutine switch, the poller) is empty, which ptc-report reads as absent. The machine's condition
(steal, other processes, the parallel capacity, disturbed) is ptc-run's, by its own rule."""
import csv

from . import machine as mach

COLUMNS = (
    "started_at,host,cpu_model,cpus,kernel,compiler,git_rev,program,workload,model,workers,tasks,"
    "task_ms,iterations,seed,rep,wall_ns,user_ns,sys_ns,max_rss_kib,vol_ctxsw,invol_ctxsw,tasks_ok,"
    "ideal_ns,efficiency,parallelism,exec,coro_switch,poller,sched_threads,steals,file_io,"
    "ns_per_iter,timer_slack_ns,file_kib,fsync,net_latency_ms,net_kib,cpu_fraction,mixed_wait,"
    "bytes,mb_per_s,parent_maps,load_1m,steal_cpus,other_busy_cpus,margin_cpus,capacity,"
    "disturbed,disturbed_why,net_refused,governor,idle_driver,smt,runtime").split(",")
MACHINE = ("host", "cpu_model", "cpus", "kernel", "compiler", "git_rev", "governor", "idle_driver", "smt")
PROGRAM = "ptc-peer-python"


def writer(f):
    w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
    w.writeheader()
    return w


def num(x, fmt="{:.3f}"):
    return fmt.format(x) if x == x else ""


def write_row(w, m, started, runtime, a, p, wl, model, workers, rep, wall_ns, u, ideal_ns, par, cpus,
              cond):
    row = {k: m.get(k, "") for k in MACHINE}
    moves = wl.bytes_per_run
    row.update(
        started_at=started, program=PROGRAM, workload=wl.name, model=model.name, workers=workers,
        tasks=p.tasks, task_ms=p.task_ms_text,
        iterations=(sum(wl.iters) // len(wl.iters)) if wl.iters else "",
        seed=p.seed, rep=rep, wall_ns=wall_ns,
        user_ns=int(u["ru_utime"] * 1e9), sys_ns=int(u["ru_stime"] * 1e9),
        max_rss_kib=u["max_rss_kib"], vol_ctxsw=u["ru_nvcsw"], invol_ctxsw=u["ru_nivcsw"],
        tasks_ok=p.tasks, ideal_ns=ideal_ns,
        efficiency=f"{ideal_ns / wall_ns:.4f}" if ideal_ns > 0 else "",
        parallelism=par, exec=model.exec,
        file_io="blocking" if wl.name == "file" else "",
        ns_per_iter=f"{wl.ns_per_iter:.4f}" if wl.ns_per_iter else "",
        file_kib=p.file_kib if wl.name == "file" else "",
        fsync=int(p.fsync) if wl.name == "file" else "",
        net_latency_ms=p.net_latency_ms if wl.name == "net" else "",
        net_kib=p.net_kib if wl.name == "net" else "",
        cpu_fraction=f"{p.cpu_fraction:g}" if wl.name == "mixed" else "",
        mixed_wait=p.mixed_wait if wl.name == "mixed" else "",
        bytes=moves if moves else 0,
        mb_per_s=f"{moves / (wall_ns / 1e9) / 1e6:.2f}" if moves else "",
        load_1m=f"{mach.load_1m():.2f}", steal_cpus=num(cond.steal), other_busy_cpus=num(cond.other),
        margin_cpus=num(cond.margin), capacity=num(cond.capacity), disturbed=int(cond.disturbed),
        disturbed_why=cond.why,
        net_refused=0 if wl.name == "net" else "",
        runtime=runtime)
    w.writerow(row)
