"""What the runner leaves behind, undone however it ends: on an error, on SIGINT, SIGTERM or
SIGHUP (exit 128+N), and when the watchdog fires (SIGALRM: no run may outlast its deadline).
Only the runner's own process cleans up; forked children reset the handlers (models.child_init)."""
import multiprocessing
import os
import signal
import sys

PROG = "ptc-peer-python"
_main_pid = os.getpid()
_undo = []
_watchdog_text = ""


def on_exit(fn):
    """fn runs at the end, latest registered first; returns a handle for done()."""
    _undo.append(fn)
    return fn


def done(fn):
    if fn in _undo:
        _undo.remove(fn)
        fn()


def run_all():
    if os.getpid() != _main_pid:
        return
    for p in multiprocessing.active_children():
        p.kill()
    for p in multiprocessing.active_children():
        p.join(1)
    while _undo:
        try:
            _undo.pop()()
        except Exception:
            pass


def die(status, text):
    """One line on stderr, everything undone, exit now (threads stuck in a task included)."""
    if os.getpid() != _main_pid:
        os._exit(status)
    sys.stderr.write(f"{PROG}: {text}\n")
    sys.stderr.flush()
    run_all()
    sys.stdout.flush()
    os._exit(status)


def _on_signal(sig, frame):
    die(128 + sig, f"stopped by {signal.Signals(sig).name}")


def _on_alarm(sig, frame):
    die(1, _watchdog_text)


def install():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _on_signal)
    signal.signal(signal.SIGALRM, _on_alarm)


def watchdog(seconds, text):
    """Arms (seconds > 0) or disarms (0) the deadline of the run under way."""
    global _watchdog_text
    _watchdog_text = text
    signal.setitimer(signal.ITIMER_REAL, seconds)
