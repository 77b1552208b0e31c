#!/usr/bin/env bash
# Smoke test of the coroutine stacks under Valgrind (issue 12): memcheck on ptc-run's coroutine
# models, with both switches, reports no error. Without the stacks registered with Valgrind
# (coro/stack_vg.h) each switch looked like a huge frame ("client switching stacks?") and coro
# and coropool gave 101-191 errors. Skipped (77) without valgrind and in sanitizer builds, which
# cannot run under it. --no-capacity: the capacity probe's child does not end under Valgrind
# with the coroutine models (reported in issue 12's notes).
. "$(dirname "$0")/smoke_lib.bash" "$@"
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
if nm "$PROG" 2>/dev/null | grep -q -E '__(asan|tsan)_init'; then
    echo "a sanitizer build: skipped"
    exit 77
fi

# Each model with one switch: the two switches and the two models, in half the time of all four.
for run in coro:fcontext coropool:ucontext; do
    model=${run%:*} switch=${run#*:}
    log="$SCRATCH/$model-$switch.log"
    if timeout "$(scaled 60)" valgrind -q --error-exitcode=3 "$PROG" --workload sleep \
        --task-ms 1 --tasks 8 --model "$model" --coro-switch "$switch" --repeat 1 \
        --no-capacity --out "$SCRATCH/$model-$switch.csv" >/dev/null 2>"$log"; then
        pass "$model with $switch: no Valgrind error"
    else
        fail "$model with $switch under Valgrind (status $?): $(grep -m1 -E '==[0-9]+== [A-Z]' "$log")"
    fi
done
finish
