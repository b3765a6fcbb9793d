"""Worker processes that run queries on the embedded store, so a time limit can stop one.

pyoxigraph evaluates a query in Rust without returning to Python, so a thread cannot
interrupt it: the only way to really stop a runaway query is to end the process that
runs it. Each worker is forked from the server process, which holds the store (an
in-memory store is shared copy-on-write; a persisted one is opened read-only by every
worker). A worker past its deadline is killed and replaced; the others go on.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from ctld.engine import QueryRequest, evaluate
from ctld.errors import CtldError, QueryRefusedError, QueryTimeoutError, StoreError
from ctld.results import Payload

Opener = Callable[[], ox.Store]


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive() and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(5)
        self.conn.close()


_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Moves this process into a network namespace of its own, with no interfaces.

    pyoxigraph runs SERVICE over HTTP. The query inspector refuses SERVICE before a query
    reaches a worker; this is the second wall: a worker that has no network cannot
    fetch anything, whatever a query says. Needs root or unprivileged user namespaces;
    returns False where neither is allowed (the inspector still stands).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) == 0:
            return True
        return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _serve(opener: Opener, conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn.send(isolate_network())
    store = opener()
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        # Errors cross the pipe as (message, status): exceptions with their own
        # constructor arguments do not survive pickling intact.
        try:
            reply: tuple = ("ok", evaluate(store, request), 0)
        except QueryRefusedError as exc:
            reply = ("refused", str(exc), exc.status)
        except CtldError as exc:
            reply = ("store", str(exc), 500)
        except Exception as exc:  # reported to the client as a server error
            reply = ("store", f"{type(exc).__name__}: {exc}", 500)
        conn.send(reply)


class WorkerPool:
    """A fixed number of query workers; `run` is blocking and thread-safe."""

    def __init__(self, opener: Opener, size: int, timeout: float) -> None:
        self.opener = opener
        self.size = size
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._context = mp.get_context("fork")
        self.isolated = True  # until a worker could not leave the host's network

    def start(self) -> None:
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(self.opener, child), daemon=True, name="ctld-query"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(30) or not parent.recv():
            self.isolated = False
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def run(self, request: QueryRequest, timeout: float | None = None) -> Payload:
        limit = self.timeout if timeout is None else timeout
        worker = self._idle.get()
        try:
            worker.conn.send(request)
            if not worker.conn.poll(limit):
                self._retire(worker)
                worker = self._spawn()
                raise QueryTimeoutError(limit)
            kind, value, status = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            worker = self._spawn()
            raise StoreError("the query worker stopped unexpectedly; the query was not run") \
                from None  # fmt: skip
        finally:
            self._idle.put(worker)
        if kind == "refused":
            raise QueryRefusedError(value, status)
        if kind == "store":
            raise StoreError(value)
        return value

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


class PoolEngine:
    """The Engine interface over a WorkerPool."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    def run(self, request: QueryRequest) -> Payload:
        return self.pool.run(request)

    def close(self) -> None:
        self.pool.close()
