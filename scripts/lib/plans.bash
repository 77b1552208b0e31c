# shellcheck shell=bash
# Sourced by scripts/ptcbench: the sweep plans, as arrays of steps "name|estimated seconds|
# program|arguments" (see steps.bash). Step names say which chart reads them:
#   noop sleep cpu file net   speedup against workers (plots/speedup.gp), one per workload
#   tasks-*                   wall time against task count (plots/tasks.gp)
#   mixed                     speedup against CPU fraction (plots/crossover.gp)
#   spawn switch mem          cost and memory per unit (plots/cost.gp, plots/memory.gp)
#   claims                    the ledger (plots/claims.gp) and Pool(4) with 5 tasks (plots/gantt.gp)
#   hyperfine                 whole process against in process (plots/hyperfine.gp)

# ptc_plan_mixed R TASKS TASK_MS WORKERS F...: one mixed step over every CPU fraction F (one
# ptc-run, its grid the product of the fractions and the models).
ptc_plan_mixed() {
    local r=$1 tasks=$2 ms=$3 w=$4 fractions
    shift 4
    fractions=$(IFS=,; echo "$*")
    PLAN+=("mixed|$(($# * (tasks * ms * 3 * (r + 1) / 1000 + 1)))|ptc-run|--workload mixed --tasks $tasks --task-ms $ms --cpu-fraction $fractions --workers $w --repeat $r --warmup 1")
}

# The quick suite: every model on every workload at small sizes, the microbenchmarks at small N,
# the claims at time scale 1, a short hyperfine sweep. About 4-5 minutes on 2 cores. Every
# ptc-run step records R runs (default 6, the fewest with a 95 % CI of the median), the task-count
# and CPU-fraction sweeps too, so that no table of the quick job is left without an interval.
# The timing claims run at 0.3 of the tutorials' durations: every one of the 32 verdicts (C and
# Python) came out the same as at scale 1 here (Dec 2), in 40 s instead of 91 (0.5: 58 s); at smaller
# scales the fixed overheads (Pool start-up) exceed the tolerance and the timing claims come out
# "not judged at this scale" (src/claims/verdict.h). The claims judged on orders, counts or ratios
# run at 0.05, as any scale shows them (--untimed-scale). The cpu tasks last 25 ms, the mixed
# ones 10 ms, the net server answers after 10 ms, the pools of the task-count sweep hold 64 and
# hyperfine times 6 runs: room for the peer runtimes in the 5 minutes (the full plan has the long
# sizes).
ptc_plan_quick() {
    local r=$1 rw="--repeat $1 --warmup 1"
    PLAN=(
        "noop|8|ptc-run|--workload noop --tasks 1000 --workers 1,2,4,8 $rw"
        # 25 ms, not hyperfine-sweep's 20: ptc-report would pool its in-process rows with these.
        "sleep|12|ptc-run|--workload sleep --tasks 8 --task-ms 25 --workers 1,2,4,8 $rw"
        "cpu|22|ptc-run|--workload cpu --tasks 8 --task-ms 25 --workers 1,2,4,8 $rw"
        "file|5|ptc-run|--workload file --tasks 16 --file-kib 1024 --workers 1,2,4,8 $rw"
        "net|15|ptc-run|--workload net --tasks 16 --net-latency-ms 10 --net-kib 16 --workers 1,2,4,8 $rw"
        "tasks-seq|8|ptc-run|--workload sleep --task-ms 10 --tasks 1,10,100 --model seq --repeat $r --warmup 0"
        "tasks-par|25|ptc-run|--workload sleep --task-ms 10 --tasks 1,10,100,1000 --model fork,procpool,thread,threadpool,coro,coropool,coromn,coromnpool --workers 64 $rw"
    )
    ptc_plan_mixed "$r" 8 10 4 0 0.25 0.5 0.75 1
    PLAN+=(
        "spawn|10|ptc-spawn|--n 200 --repeat 3"
        "switch|10|ptc-switch|--n 2000 --repeat 3"
        "mem|10|ptc-mem|--n 1,100,1000 --repeat 1"
        "skynet|3|ptc-skynet|--repeat 3"
        "lock|5|ptc-lock|--n 20000 --repeat 3"
        "ipc|8|ptc-ipc|--n 8,4096,65536 --repeat 3"
        "claims|40|ptc-claims|--time-scale 0.3 --untimed-scale 0.05 --python"
        "hyperfine|8|hyperfine-sweep|--runs 6 --warmup 1"
    )
}

# The real sweep: workers 1..64, tasks up to 10^4 for processes and threads and 10^6 for
# coroutines, the microbenchmarks at their default sizes (each mechanism up to its limit), the
# claims at time scale 1. About 24 minutes on 2 cores here, and 17 more for the peers.
ptc_plan_full() {
    local r=$1 rw="--repeat $1 --warmup 1" w=1,2,4,8,16,32,64
    PLAN=(
        "noop|40|ptc-run|--workload noop --tasks 10000 --workers $w $rw"
        "sleep|70|ptc-run|--workload sleep --tasks 64 --task-ms 20 --workers $w $rw"
        "cpu|150|ptc-run|--workload cpu --tasks 64 --task-ms 20 --workers $w $rw"
        "file|40|ptc-run|--workload file --tasks 64 --file-kib 1024 --workers $w $rw"
        "net|70|ptc-run|--workload net --tasks 64 --net-latency-ms 20 --net-kib 16 --workers $w $rw"
        "tasks-seq|8|ptc-run|--workload sleep --task-ms 10 --tasks 1,10,100 --model seq $rw"
        "tasks-par|70|ptc-run|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000 --model fork,procpool,thread,threadpool,coropool,coromnpool --workers 64 $rw"
        "tasks-coro|30|ptc-run|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000,100000,1000000 --model coro,coromn $rw"
    )
    ptc_plan_mixed "$r" 32 20 8 0 0.125 0.25 0.375 0.5 0.625 0.75 0.875 1
    PLAN+=(
        "spawn|60|ptc-spawn|"
        "switch|60|ptc-switch|"
        "mem|120|ptc-mem|"
        "skynet|10|ptc-skynet|"
        "lock|30|ptc-lock|"
        "ipc|40|ptc-ipc|"
        "claims|120|ptc-claims|--time-scale 1 --python"
        "hyperfine|40|hyperfine-sweep|--runs 30 --warmup 3"
    )
}

# The smallest plan that still draws every chart, for the tests: about half a minute.
ptc_plan_smoke() {
    local rw="--repeat 2 --warmup 0"
    PLAN=(
        "noop|1|ptc-run|--workload noop --tasks 20 --workers 1,2 $rw"
        "sleep|1|ptc-run|--workload sleep --tasks 4 --task-ms 5 --workers 1,2 $rw"
        "cpu|1|ptc-run|--workload cpu --tasks 4 --task-ms 5 --workers 1,2 $rw"
        "file|1|ptc-run|--workload file --tasks 4 --file-kib 64 --workers 1,2 $rw"
        "net|1|ptc-run|--workload net --tasks 4 --net-latency-ms 5 --net-kib 4 --workers 1,2 $rw"
        "tasks-seq|1|ptc-run|--workload sleep --task-ms 2 --tasks 1,10 --model seq $rw"
        "tasks-par|1|ptc-run|--workload sleep --task-ms 2 --tasks 1,10,100 --model fork,procpool,thread,threadpool,coro,coropool --workers 4 $rw"
    )
    ptc_plan_mixed 2 4 5 2 0 0.5 1
    PLAN+=(
        "spawn|1|ptc-spawn|--n 20 --repeat 1"
        "switch|1|ptc-switch|--n 200 --repeat 1"
        "mem|1|ptc-mem|--n 1,10 --repeat 1"
        "skynet|1|ptc-skynet|--n 1000 --repeat 1"
        "lock|1|ptc-lock|--n 1000 --repeat 1"
        "ipc|1|ptc-ipc|--n 8 --repeat 1"
        "claims|5|ptc-claims|--time-scale 0.02 --python"
        "hyperfine|1|hyperfine-sweep|--runs 2 --warmup 0 -- --workload sleep --tasks 2 --task-ms 2 --workers 2"
    )
}

# ptc_plan_peers MODE R PEERS SKIPPED: the peer runtimes' steps, appended after the C workload
# steps: the same workloads at the same sizes and W as the C steps of the mode (the speedup
# charts draw them beside the C models), a task-count sweep of their cheap units (the tasks
# chart) and memory per sleeping unit (the runtimes' memory chart). Step names start with the
# C step's name, so the charts and the aggregate that read a C step read its peers too. Python
# records 3 runs per configuration in the quick and smoke plans (its interpreter makes each run
# cost ten times C's: the quick job must stay under 5 minutes), R in the full plan; its cpu
# models are the ones the GIL question needs. PEERS lists python and/or go; SKIPPED the ones
# that cannot run here (left out).
ptc_plan_peers() {
    local mode=$1 r=$2 peers=",$3," skipped=" $4"
    PEER_NOTES=()
    [[ $skipped == *" python "* ]] && peers=${peers//,python,/,}
    [[ $skipped == *" go "* ]] && peers=${peers//,go,/,}
    if [[ $peers == *,python,* ]]; then
        "ptc_plan_python_$mode" "$r"
    fi
    if [[ $peers == *,go,* ]]; then
        "ptc_plan_go_$mode" "$r"
    fi
}

PY_CPU_MODELS=seq,py-process,py-pool,py-thread,py-threadpool
PY_TASK_MODELS=py-thread,py-threadpool,py-gevent,py-geventpool,py-asyncio,py-asynciopool

ptc_plan_python_quick() {
    local rw="--repeat 3 --warmup 0"
    PEER_NOTES+=(
        "Python records 3 runs per configuration without a warm-up round, not $1 after one: a Python run costs up to ten times a C run and the quick job stays under 5 minutes; its tables say \"n too small\" for a 95 % CI. The single-thread speed of this machine's CPUs has been seen to change by 1.5x within a minute (the pure-Python loop ran 8 x 150 ms of work in 870 ms and in 1310 ms, both on one CPU): the findings give each configuration's CPUs busy ((user + sys) / wall), which such a change does not move."
        "Python's cpu tasks last 150 ms, not C's 25: creating a multiprocessing.Pool(2) took 36-64 ms here (forking the interpreter), so at 25 ms tasks that fixed cost, not the parallelism, would decide py-pool's speedup; the step runs seq, py-process, py-pool, py-thread and py-threadpool, the models the GIL question needs (greenlets and asyncio tasks share one thread: they run the other workloads), at W = 1, 2, 8."
        "Python's task-count sweep leaves out its processes (py-process, py-pool): a forked interpreter costs about 13 ms here, 1000 of them 13 s; its memory sweep takes processes to N = 10 (10 forked interpreters), the other units to N = 1000."
    )
    PLAN+=(
        "sleep-py|6|peer-python|--workload sleep --tasks 8 --task-ms 25 --workers 1,2,4,8 $rw"
        "cpu-py|35|peer-python|--workload cpu --tasks 8 --task-ms 150 --workers 1,2,8 --model $PY_CPU_MODELS $rw"
        "file-py|6|peer-python|--workload file --tasks 16 --file-kib 1024 --workers 1,2,4,8 $rw"
        "net-py|8|peer-python|--workload net --tasks 16 --net-latency-ms 10 --net-kib 16 --workers 1,2,4,8 $rw"
        "tasks-py|10|peer-python|--workload sleep --task-ms 10 --tasks 1,10,100,1000 --model $PY_TASK_MODELS --workers 64 $rw"
        "mem-py|4|peer-python|--mem 1,100,1000 --only threads,greenlets,tasks --repeat 1"
        "mem-py-proc|2|peer-python|--mem 1,10 --only processes --repeat 1"
    )
}

ptc_plan_python_full() {
    local r=$1 rw="--repeat $1 --warmup 1" w=1,2,4,8,16,32,64
    PEER_NOTES+=(
        "Python's task-count sweep takes threads and the pools to 10^4 tasks and greenlets and asyncio tasks to 10^5; not processes (about 13 ms per forked interpreter here: 10^4 would take minutes per run), not 10^6 (a Python object per task and the interpreter's scheduling make a 10^6 run last minutes)."
        "Python's memory sweep takes processes to N = 100, threads to 10^4 (as ptc-mem takes C's: pid_max and the stacks' address space bound them), greenlets and asyncio tasks to 10^5."
    )
    PLAN+=(
        "sleep-py|60|peer-python|--workload sleep --tasks 64 --task-ms 20 --workers $w $rw"
        "cpu-py|200|peer-python|--workload cpu --tasks 64 --task-ms 20 --workers $w --model $PY_CPU_MODELS $rw"
        "file-py|60|peer-python|--workload file --tasks 64 --file-kib 1024 --workers $w $rw"
        "net-py|80|peer-python|--workload net --tasks 64 --net-latency-ms 20 --net-kib 16 --workers $w $rw"
        "tasks-py|120|peer-python|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000 --model py-thread,py-threadpool,py-geventpool,py-asynciopool --workers 64 $rw"
        "tasks-py-coro|120|peer-python|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000,100000 --model py-gevent,py-asyncio $rw"
        "mem-py|60|peer-python|--mem 1,10,100,1000,10000,100000 --only greenlets,tasks"
        "mem-py-threads|30|peer-python|--mem 1,10,100,1000,10000 --only threads"
        "mem-py-proc|60|peer-python|--mem 1,10,100 --only processes"
    )
}

ptc_plan_python_smoke() {
    local rw="--repeat 2 --warmup 0"
    PLAN+=(
        "sleep-py|2|peer-python|--workload sleep --tasks 4 --task-ms 5 --workers 1,2 $rw"
        "cpu-py|2|peer-python|--workload cpu --tasks 4 --task-ms 5 --workers 1,2 --model $PY_CPU_MODELS $rw"
        "tasks-py|2|peer-python|--workload sleep --task-ms 2 --tasks 1,10 --model $PY_TASK_MODELS --workers 4 $rw"
        "mem-py|2|peer-python|--mem 1,10 --repeat 1"
    )
}

ptc_plan_go_quick() {
    local rw="--repeat 3 --warmup 1"
    PEER_NOTES+=("Go runs the C steps' sizes with 3 runs per configuration after a warm-up round; its memory sweep takes goroutines to N = 1000.")
    PLAN+=(
        "sleep-go|3|peer-go|--workload sleep --tasks 8 --task-ms 25 --workers 1,2,4,8 $rw"
        "cpu-go|4|peer-go|--workload cpu --tasks 8 --task-ms 25 --workers 1,2,4,8 $rw"
        "file-go|3|peer-go|--workload file --tasks 16 --file-kib 1024 --workers 1,2,4,8 $rw"
        "net-go|5|peer-go|--workload net --tasks 16 --net-latency-ms 10 --net-kib 16 --workers 1,2,4,8 $rw"
        "tasks-go|5|peer-go|--workload sleep --task-ms 10 --tasks 1,10,100,1000 --model go-goroutine,go-pool --workers 64 $rw"
        "mem-go|2|peer-go|--mem 1,100,1000 --repeat 1"
    )
}

ptc_plan_go_full() {
    local r=$1 rw="--repeat $1 --warmup 1" w=1,2,4,8,16,32,64
    PEER_NOTES+=("Go's pool runs the task-count sweep to 10^4 tasks as C's pools do (10^6 tasks of 10 ms on 64 goroutines would take 156 s a run), a goroutine per task to 10^6 as C's coroutines; its memory sweep stops at 10^5 goroutines (a fresh goroutine's first stack pages cost about 7-20 us here: 10^6 would take minutes per sample).")
    PLAN+=(
        "sleep-go|30|peer-go|--workload sleep --tasks 64 --task-ms 20 --workers $w $rw"
        "cpu-go|60|peer-go|--workload cpu --tasks 64 --task-ms 20 --workers $w $rw"
        "file-go|30|peer-go|--workload file --tasks 64 --file-kib 1024 --workers $w $rw"
        "net-go|40|peer-go|--workload net --tasks 64 --net-latency-ms 20 --net-kib 16 --workers $w $rw"
        "tasks-go|30|peer-go|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000 --model go-pool --workers 64 $rw"
        "tasks-go-coro|90|peer-go|--workload sleep --task-ms 10 --tasks 1,10,100,1000,10000,100000,1000000 --model go-goroutine $rw"
        "mem-go|30|peer-go|--mem 1,10,100,1000,10000,100000"
    )
}

ptc_plan_go_smoke() {
    local rw="--repeat 2 --warmup 0"
    PLAN+=(
        "sleep-go|1|peer-go|--workload sleep --tasks 4 --task-ms 5 --workers 1,2 $rw"
        "cpu-go|1|peer-go|--workload cpu --tasks 4 --task-ms 5 --workers 1,2 $rw"
        "tasks-go|1|peer-go|--workload sleep --task-ms 2 --tasks 1,10 --model go-goroutine,go-pool --workers 4 $rw"
        "mem-go|1|peer-go|--mem 1,10 --repeat 1"
    )
}
