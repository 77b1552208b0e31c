#!/usr/bin/env python3
"""Checks that every number in the Findings of a ptcbench report.md is what the CSVs in the
same folder say: recomputes medians, speedups, the models side by side at each W that more than
one ran, each model's best W, the fastest configuration, the machine's condition (disturbed
runs, the parallel capacity, cpu speedups against it), the claims' verdict counts, hyperfine's
differences and the coverage of the intervals of the median from the raw rows, independently of
ptc-report.

usage: check_findings.py RESULTS_DIR     exit 0 when all match, 1 with one line per mismatch."""
import csv
import glob
import math
import os
import re
import statistics
import sys

KEYS = ["host", "runtime", "workload", "tasks", "task_ms", "iterations", "file_kib", "net_kib",
        "net_latency_ms", "cpu_fraction", "mixed_wait", "model", "workers", "poller",
        "coro_switch"]
N_SIZE = 11  # the keys up to mixed_wait: the same runtime, workload and size
HOST, RUNTIME, WORKLOAD, TASKS, TASK_MS, ITERATIONS = 0, 1, 2, 3, 4, 5
MODEL, WORKERS = KEYS.index("model"), KEYS.index("workers")
# What each model runs its tasks on (src/report/findings_runtimes.c).
KINDS = {"threads": {"thread", "threadpool", "py-thread", "py-threadpool"},
         "processes": {"fork", "procpool", "py-process", "py-pool"},
         "coroutines": {"coro", "coropool", "coromn", "coromnpool", "py-gevent", "py-geventpool",
                        "py-asyncio", "py-asynciopool", "go-goroutine", "go-pool"}}


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def run_rows(paths):
    """{key tuple: [row, ...]} over ptc-run --out files."""
    groups = {}
    for p in paths:
        for r in rows(p):
            groups.setdefault(tuple(r.get(k, "") for k in KEYS), []).append(r)
    return groups


def run_groups(paths):
    """{key tuple: median wall_ns} over ptc-run --out files."""
    return {k: statistics.median(float(r["wall_ns"]) for r in v)
            for k, v in run_rows(paths).items()}


def coverage(n, j):
    """P(j-th smallest <= median <= j-th largest of n samples) = 1 - 2 P(Binomial(n, 1/2) < j)."""
    return 1 - 2 * sum(math.comb(n, i) for i in range(j)) / 2 ** n


def capacities(groups):
    """The parallel capacities the rows of groups ({key: [row]}) record."""
    return [float(r["capacity"]) for v in groups.values() for r in v if r.get("capacity")]


def disturbed(row):
    return float(row.get("disturbed") or 0) > 0


def close(text, value):
    """True when the printed number text is value rounded to as many decimals as it shows."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(float(text) - value) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12


def check_condition(line, raw, errors):
    """The machine-condition bullet of one host: disturbed runs and the capacity's range."""
    m = re.match(r"- Machine condition \(host (\S+)\): (?:\*\*the machine was busy: )?(\d+) of "
                 r"(\d+) runs disturbed(?:\*\*)?; parallel capacity (?:([\d.]+)x to ([\d.]+)x, "
                 r"median ([\d.]+)x over (\d+) runs|not measured)\.$", line)
    if not m:
        errors.append(f"cannot read: {line}")
        return
    host = m.group(1)
    g = {k: v for k, v in raw.items() if k[0] == host}
    runs = [r for v in g.values() for r in v]
    n_dist = sum(disturbed(r) for r in runs)
    if int(m.group(2)) != n_dist or int(m.group(3)) != len(runs):
        errors.append(f"condition {host}: report says {m.group(2)} of {m.group(3)} disturbed, "
                      f"the CSVs {n_dist} of {len(runs)}")
    if ("the machine was busy" in line) != (n_dist > 0):
        errors.append(f"condition {host}: the busy warning does not match {n_dist} disturbed")
    caps = capacities(g)
    if m.group(4) is None:
        if caps:
            errors.append(f"condition {host}: capacity 'not measured', the CSVs have {len(caps)}")
    elif not (caps and close(m.group(4), min(caps)) and close(m.group(5), max(caps))
              and close(m.group(6), statistics.median(caps)) and int(m.group(7)) == len(caps)):
        errors.append(f"condition {host}: capacity does not match the CSVs: {line}")


def check_capacity(tail, g, by, errors, line):
    """The sentences after the fastest configuration: speedups against the capacity of the
    size's runs, and the configurations with disturbed runs ({(model, W): [row]} in by)."""
    cap_m = re.search(r" Against the parallel capacity ([\d.]+)x \(median of (\d+) runs' "
                      r"probes\):(.*?)\.(?: |$)", tail)
    caps = capacities(g)
    if cap_m:
        seq = statistics.median(float(r["wall_ns"]) for r in by[("seq", "1")])
        cap = statistics.median(caps) if caps else None
        ok = cap is not None and close(cap_m.group(1), cap) and int(cap_m.group(2)) == len(caps)
        for model, w, sp, frac in re.findall(r"([\w-]+) W=(\d+) ([\d.]+)x = ([\d.]+) of it",
                                             cap_m.group(3)):
            v = statistics.median(float(r["wall_ns"]) for r in by[(model, w)])
            ok = ok and close(sp, seq / v) and close(frac, seq / v / cap)
        if not ok:
            errors.append(f"capacity does not match the CSVs: {line}")
    dist_m = re.search(r" \*\*Disturbed runs\*\* \(the machine was busy\): (.*)\.$", tail)
    said = {(mo, w): (int(d), int(n)) for mo, w, d, n in
            re.findall(r"([\w-]+) W=(\d+) (\d+)/(\d+)", dist_m.group(1) if dist_m else "")}
    want = {k: (sum(disturbed(r) for r in v), len(v)) for k, v in by.items()
            if any(disturbed(r) for r in v)}
    if said != want:
        errors.append(f"disturbed runs: report says {said}, the CSVs {want}: {line}")


def ms_match(sp, ms, seq, v):
    """True when a printed result (speedup and ms, or ms alone without a seq) is median v."""
    if sp:
        return seq is not None and close(sp, seq / v) and close(ms, v / 1e6)
    return seq is None and close(ms, v / 1e6)


RESULT = r"(?:([\d.e+-]+)x \(([\d.]+) ms\)|([\d.]+) ms)"


def check_size(segments, fast, by):
    """True when the same-W and best-W sentences are what the medians of one size ({(model, W):
    median}) give: every W that more than one model (seq aside) ran, with exactly those models,
    and each model at the W of its lowest median."""
    seq = by.get(("seq", "1"))
    same, best = {}, None
    for seg in segments:
        m = re.match(r"at W=(\d+): (.*)$", seg)
        if m:
            same[m.group(1)] = re.findall(r"([\w-]+) " + RESULT + r"(?:, |$)", m.group(2))
        elif seg.startswith("each at its best W: "):
            best = re.findall(r"([\w-]+) W=(\d+) " + RESULT + r"(?:, |$)", seg)
    models = {}
    for (model, w), v in by.items():
        if model != "seq":
            models.setdefault(model, {})[w] = v
    want_w = {}
    for model, ws in models.items():
        for w in ws:
            want_w.setdefault(w, set()).add(model)
    want_w = {w: ms for w, ms in want_w.items() if len(ms) > 1}
    if set(same) != set(want_w) or best is None:
        return False
    for w, items in same.items():
        if {i[0] for i in items} != want_w[w] or len(items) != len(want_w[w]):
            return False
        if not all(ms_match(sp, a or b, seq, by[(mo, w)]) for mo, sp, a, b in items):
            return False
    if {i[0] for i in best} != set(models) or len(best) != len(models):
        return False
    for mo, w, sp, a, b in best:
        if w not in models[mo] or models[mo][w] != min(models[mo].values()) or \
                not ms_match(sp, a or b, seq, models[mo][w]):
            return False
    fastest = min(by.values())
    return close(fast.group(3), fastest / 1e6) and by.get((fast.group(1), fast.group(2))) == fastest


def check_runs(line, med, raw, errors):
    m = re.match(r"- \*\*(\w+)\*\*, (\d+) tasks?\b.* \(host ([^,)]+)([^)]*)\): (.*)$", line)
    workload, tasks, host, label, body = m.groups()
    # The label's last key, when the runs hold several runtimes (findings.c, machine_label).
    rt_m = re.search(r", runtime (.*)$", label)
    runtime = rt_m.group(1) if rt_m else None
    # No runtime named: the runs of that ptc-report were C's alone (hyperfine's in-process runs).
    runtime = "" if runtime in (None, "C") else runtime
    split = re.search(r"fastest: [\w-]+ W=\d+, [\d.]+ ms\.", body)
    tail = body[split.end():] if split else ""
    body = body[:split.end()] if split else body
    segments = body.split("; ")
    seq_m = re.match(r"seq ([\d.]+) ms$", segments[0])
    fast = re.match(r"fastest: ([\w-]+) W=(\d+), ([\d.]+) ms\.$", segments[-1])
    if not fast or not (seq_m or segments[0] == "no seq run at this size"):
        errors.append(f"cannot read: {line}")
        return
    sizes = {k[:N_SIZE] for k in med if k[HOST] == host and k[WORKLOAD] == workload
             and k[TASKS] == tasks and k[RUNTIME] == runtime}
    for size in sizes:
        g = {k: v for k, v in med.items() if k[:N_SIZE] == size}
        by = {(k[MODEL], k[WORKERS]): v for k, v in g.items()}
        seq = by.get(("seq", "1"))
        ok = (seq is not None) == (seq_m is not None)
        ok = ok and (seq_m is None or close(seq_m.group(1), seq / 1e6))
        if ok and check_size(segments[1:-1], fast, by):
            by_rows = {(k[MODEL], k[WORKERS]): v for k, v in raw.items() if k[:N_SIZE] == size}
            check_capacity(tail, {k: v for k, v in raw.items() if k[:N_SIZE] == size}, by_rows,
                           errors, line)
            return
    errors.append(f"no configuration in the CSVs gives: {line}")


def runtime_name(runtime):
    return runtime.split(" ")[0] if runtime else "C"


def check_across(line, med, raw, errors):
    """An "Across runtimes" bullet: for the runs of one workload and size in several runtimes
    (the iterations of work calibrated to --task-ms aside), the best speedup against its own
    seq that each runtime's threads, processes and coroutines reach, and the capacity the C
    runs probed (the median of their runs)."""
    m = re.match(r"- \*\*Across runtimes\*\*, (\w+), (\d+) tasks?\b[^:]*: (.*)\.$", line)
    if not m:
        errors.append(f"cannot read: {line}")
        return
    workload, tasks, body = m.groups()
    said, cap_said = {}, None
    for seg in body.split("; "):
        c = re.match(r"the parallel capacity ([\d.]+)x \(median of (\d+) runs' probes\)$", seg)
        if c:
            cap_said = c.groups()
            continue
        kind, _, rest = seg.partition(": ")
        said[kind] = re.findall(r"(\S+) ([\d.]+)x \(([\w-]+) W=(\d+)(?:, ([\d:]+) ms tasks)?"
                                r"(?:, ([\d.]+) CPUs busy)?\)(?:, |$)", rest)

    def work(k):  # a size's key without the runtime (and for timed work its length, iterations)
        w = list(k[:N_SIZE])
        w[RUNTIME] = ""
        if k[TASK_MS]:
            w[ITERATIONS] = w[TASK_MS] = "timed"
        return tuple(w)
    for size in {work(k) for k in med if k[WORKLOAD] == workload and k[TASKS] == tasks}:
        g = {k: v for k, v in med.items() if work(k) == size}
        want = {}
        for kind, names in KINDS.items():
            for rt in dict.fromkeys(k[RUNTIME] for k in g):
                seq = g.get(next((k for k in g if k[RUNTIME] == rt and k[MODEL] == "seq"), None))
                sp = {(k[MODEL], k[WORKERS]): seq / v for k, v in g.items()
                      if seq and k[RUNTIME] == rt and k[MODEL] in names}
                if sp:
                    want.setdefault(kind, {})[runtime_name(rt)] = sp
        caps = capacities({k: v for k, v in raw.items() if work(k) == size})
        ok = set(said) == set(want) and (cap_said is None) == (not caps)
        for kind, items in said.items():
            ok = ok and {i[0] for i in items} == set(want.get(kind, {})) and \
                len(items) == len(want.get(kind, {}))
            for rt, sp, model, w, tms, busy in items if ok else []:
                best = max(want[kind][rt].values())
                ok = ok and close(sp, best) and (model, w) in want[kind][rt] and \
                    close(sp, want[kind][rt][(model, w)])
                rows = [r for k, v in raw.items() if work(k) == size and runtime_name(k[RUNTIME]) == rt
                        and k[MODEL] == model and k[WORKERS] == w for r in v]
                if ok and busy:
                    cpu = [(float(r["user_ns"]) + float(r["sys_ns"]), float(r["wall_ns"]))
                           for r in rows if r.get("user_ns") and r.get("sys_ns")]
                    ok = bool(cpu) and close(busy, sum(c for c, _ in cpu) / sum(x for _, x in cpu))
                # A task length named is the model's own (one that differs from the line's).
                ok = ok and bool(rows) and (not tms or tms == rows[0].get("task_ms", ""))
        if ok and caps:
            ok = close(cap_said[0], statistics.median(caps)) and int(cap_said[1]) == len(caps)
        if ok:
            return
    errors.append(f"no runs in the CSVs give: {line}")


def check_claims(line, folder, errors):
    m = re.match(r"- Claims ledger, (\w+) \((.+)\): (.*)\.$", line)
    lang, path, body = m.groups()
    claims = [r for r in rows(os.path.join(folder, path)) if r["language"] == lang]
    for count, verdict, ids in re.findall(r"(\d+) ([a-z ]+?) \(([\d ]+)\)", body):
        want = [r["id"] for r in claims if r["verdict"] == verdict]
        if int(count) != len(want) or ids.split() != want:
            errors.append(f"claims {lang} {verdict}: report says {count} ({ids}), "
                          f"claims.csv has {len(want)} ({' '.join(want)})")
    if sum(int(c) for c in re.findall(r"(\d+) [a-z ]+? \(", body)) != len(claims):
        errors.append(f"claims {lang}: the counts do not add up to {len(claims)}")


def check_hyperfine(line, folder, errors):
    inproc = run_groups([os.path.join(folder, "hyperfine-inproc.csv")])
    hf = {r["parameter_model"]: float(r["median"]) * 1e9
          for r in rows(os.path.join(folder, "hyperfine.csv"))}
    items = re.findall(r"(\w+) W=(\d+) (-?[\d.]+) ms", line)
    if len(items) != len(hf):
        errors.append(f"hyperfine: {len(items)} models in the report, {len(hf)} in hyperfine.csv")
    for model, w, ms in items:
        v = [x for k, x in inproc.items() if k[MODEL] == model and k[WORKERS] == w]
        if len(v) != 1 or not close(ms, (hf[model] - v[0]) / 1e6):
            errors.append(f"hyperfine {model}: report says {ms} ms")


def check_stats(line, count_sets, errors):
    """count_sets: for each ptc-report whose findings the report quotes (all runs; hyperfine's
    in-process runs), the number of runs of each configuration it aggregated."""
    wrong = [stats_mismatch(line, counts) for counts in count_sets]
    if all(wrong):
        errors.append(wrong[0])


def stats_mismatch(line, counts):
    """None when line is what counts give, else the error."""
    m = re.match(r"- Statistics: (\d+) of (\d+) configurations have (\d+) or more runs and a 95 % "
                 r"CI of the median from order statistics(?: \(exact coverage ([\d.]+)(?:-([\d.]+))? "
                 r"%\))?(?:; (\d+) have (\d+)(?:-(\d+))? runs, too few for one: their min-max "
                 r"holds the median only ([\d.]+)(?:-([\d.]+))? % of the time)?\.$", line)
    if not m:
        return f"cannot read: {line}"
    ok_n, total, min_n, ok_lo, ok_hi, few_n, few_lo_n, few_hi_n, few_lo, few_hi = m.groups()
    want_min = next(n for n in range(1, 100) if coverage(n, 1) >= 0.95)
    ok = [n for n in counts if n >= want_min]
    few = [n for n in counts if n < want_min]
    # The largest j whose interval still reaches 95 %, for each configuration with enough runs.
    ok_cov = [coverage(n, max(j for j in range(1, n // 2 + 1) if coverage(n, j) >= 0.95))
              for n in ok]
    few_cov = [coverage(n, 1) for n in few]
    good = int(min_n) == want_min and int(total) == len(counts) and int(ok_n) == len(ok)
    if ok:
        good = good and ok_lo is not None and close(ok_lo, 100 * min(ok_cov)) and \
            close(ok_hi or ok_lo, 100 * max(ok_cov))
    if few:
        good = good and few_n is not None and int(few_n) == len(few) and \
            int(few_lo_n) == min(few) and int(few_hi_n or few_lo_n) == max(few) and \
            close(few_lo, 100 * min(few_cov)) and close(few_hi or few_lo, 100 * max(few_cov))
    else:
        good = good and few_n is None
    return None if good else f"no run counts in the CSVs give: {line}"


def main():
    folder = sys.argv[1]
    text = open(os.path.join(folder, "report.md")).read()
    findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
    bullets = [l for l in findings.splitlines() if l.startswith("- ")]
    run_files = [p for p in glob.glob(os.path.join(folder, "*.csv"))
                 if os.path.basename(p) != "hyperfine-inproc.csv" and rows(p)
                 and {"wall_ns", "model", "workers"} <= rows(p)[0].keys()]
    raw_runs = run_rows(run_files)  # what ptc-report's findings read
    raw = dict(raw_runs)
    inproc = run_rows([os.path.join(folder, "hyperfine-inproc.csv")])
    raw.update(inproc)
    count_sets = [[len(v) for v in raw_runs.values()], [len(v) for v in inproc.values()]]
    med = {k: statistics.median(float(r["wall_ns"]) for r in v) for k, v in raw.items()}
    errors, kinds = [], set()
    for line in bullets:
        if line.startswith("- **Across runtimes**"):
            kinds.add("runtimes")
            # Over the sweep's runs only: hyperfine's in-process runs are another ptc-report's.
            check_across(line, {k: med[k] for k in raw_runs}, raw_runs, errors)
        elif line.startswith("- **"):
            kinds.add("runs")
            check_runs(line, med, raw, errors)
        elif line.startswith("- Machine condition"):
            kinds.add("condition")
            # The main findings' line is over the sweep's runs, hyperfine's over its own.
            tries = [[], []]
            check_condition(line, raw_runs, tries[0])
            check_condition(line, run_rows([os.path.join(folder, "hyperfine-inproc.csv")]),
                            tries[1])
            errors.extend(min(tries, key=len))
        elif line.startswith("- Claims ledger"):
            kinds.add("claims")
            check_claims(line, folder, errors)
        elif line.startswith("- Whole process"):
            kinds.add("hyperfine")
            check_hyperfine(line, folder, errors)
        elif line.startswith("- Statistics:"):
            kinds.add("stats")
            check_stats(line, count_sets, errors)
        else:
            errors.append(f"a finding of no known kind: {line}")
    if kinds - {"runtimes"} != {"runs", "condition", "claims", "hyperfine", "stats"}:
        errors.append(f"findings of these kinds only: {sorted(kinds)}")
    for e in errors:
        print(e)
    print(f"{len(bullets)} findings checked, {len(errors)} mismatches", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
