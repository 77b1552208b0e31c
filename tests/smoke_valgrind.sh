#!/usr/bin/env bash
# Smoke test of ptc-run under Valgrind's memcheck (issue 12): every model on every workload, with
# the capacity probe, reports no error, in ptc-run and in every process it forks (the fork and
# procpool workers, the net server, the probe). Each workload runs all seven models in one
# process, which also puts the fork models after the coroutine ones as a default grid does; the
# two context switches and the two pollers (auto: io_uring where the kernel allows it) are split
# across the workloads. Errors it catches:
# unregistered coroutine stacks ("client switching stacks?", 101-191 errors for coro and
# coropool: coro/stack_vg.h); bytes io_uring read taken for uninitialised (the net checksum); the
# probe's child that never ended after a coroutine run (MADV_DONTFORK stacks under Valgrind).
# Skipped (77) without valgrind and in sanitizer builds, which cannot run under it.
. "$(dirname "$0")/smoke_lib.bash" "$@"
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
if nm "$PROG" 2>/dev/null | grep -q -E '__(asan|tsan)_init'; then
    echo "a sanitizer build: skipped"
    exit 77
fi

# Tiny sizes: each run takes 2-3 s under Valgrind. The watchdog's default deadline assumes native
# speed: widened.
watchdog_s=$(awk -v m="$MULT" 'BEGIN { printf "%d\n", 60 * m }')
runs=(
    "sleep --task-ms 1 --coro-switch fcontext"
    "cpu --iterations 2000 --coro-switch ucontext"
    "file --file-kib 4"
    "net --net-latency-ms 0 --net-kib 1"
    "mixed --task-ms 2 --mixed-wait net --coro-switch ucontext --poller epoll"
)
for run in "${runs[@]}"; do
    read -r -a args <<<"$run"
    workload=${args[0]}
    log="$SCRATCH/$workload.log"
    # --trace-children: nothing ptc-run starts is exec'd today; should it be, it is checked too.
    if timeout "$(scaled 60)" valgrind -q --error-exitcode=3 --trace-children=yes "$PROG" \
        --workload "${args[@]}" --model all --workers 2 --tasks 3 --repeat 1 --warmup 0 --quiet \
        --timeout "$watchdog_s" --out "$SCRATCH/$workload.csv" >/dev/null 2>"$log" &&
        ! grep -q -E '^==[0-9]+== ' "$log"; then
        pass "$run, every model: no Valgrind error"
    else
        fail "$run under Valgrind (status $?): $(grep -m1 -E '^==[0-9]+== [A-Z]|^ptc-run' "$log")"
    fi
done
finish
