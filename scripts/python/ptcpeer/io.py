"""How a task waits, by runtime flavour: the blocking calls (seq, processes, threads), gevent's
cooperative ones (greenlets; imported only when a gevent model runs, and nothing is
monkey-patched, so the other models keep the blocking calls). asyncio tasks await instead
(Workload.run_async)."""
import socket
import time


class Io:
    def __init__(self, name, sleep, create_connection):
        self.name = name
        self.sleep = sleep
        self.create_connection = create_connection


BLOCKING = Io("blocking", time.sleep, socket.create_connection)
_gevent_io = None


def gevent_io():
    global _gevent_io
    if _gevent_io is None:
        import gevent
        import gevent.socket
        _gevent_io = Io("gevent", gevent.sleep, gevent.socket.create_connection)
    return _gevent_io
