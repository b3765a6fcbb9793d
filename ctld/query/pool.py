"""Worker processes that run queries on the embedded store, so a time limit can stop one.

pyoxigraph evaluates a query in Rust without returning to Python, so a thread cannot
interrupt it: the only way to really stop a runaway query is to end the process that
runs it. Each worker is forked from the server process, which holds the store (an
in-memory store is shared copy-on-write; a persisted one is opened read-only by every
worker). A worker past its deadline is killed and replaced; the others go on.
"""

from __future__ import annotations

import asyncio
import ctypes
import mmap
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

import pyoxigraph as ox

from ctld.core.errors import CtldError, QueryRefusedError, QueryTimeoutError, StoreError
from ctld.query.engine import QueryRequest, evaluate
from ctld.query.planner import JoinPlanner
from ctld.query.results import Payload

# The store, and the union-only store that answers queries reading no named graph (or
# None: ctld.query.engine.evaluate).
Opener = Callable[[], tuple[ox.Store, ox.Store | None]]


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    shared: mmap.mmap

    def stop(self) -> None:
        if self.process.is_alive() and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(5)
        self.conn.close()
        self.shared.close()


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


def _serve(opener: Opener, conn: Connection, shared: mmap.mmap,
           planner_factory: Callable[[], JoinPlanner] | None) -> None:  # fmt: skip
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn.send(isolate_network())
    store, union = opener()
    # each worker plans for itself: its decisions are its own, and die with it
    planner = planner_factory() if planner_factory else None
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        # Errors cross the pipe as (message, status): exceptions with their own
        # constructor arguments do not survive pickling intact.
        try:
            payload = evaluate(store, request, union, planner)
            # the body crosses in memory shared with the server, which reads it before
            # it sends this worker another query; through the pipe it was copied four
            # times more, with a switch between the processes every 200 kB
            size = len(payload.body)
            if size <= len(shared):
                shared[:size] = payload.body
            conn.send(("ok", replace(payload, body=b""), size))
            if size > len(shared):
                conn.send_bytes(payload.body)
            continue
        except QueryRefusedError as exc:
            reply: tuple = ("refused", str(exc), exc.status)
        except CtldError as exc:
            reply = ("store", str(exc), 500)
        except Exception as exc:  # reported to the client as a server error
            reply = ("store", f"{type(exc).__name__}: {exc}", 500)
        conn.send(reply)


class WorkerPool:
    """A fixed number of query workers, for threads (`run`) and for the event loop
    (`run_async`, which waits on the worker's pipe in the loop itself: handing each
    request to a thread that blocks on the pipe cost the server a fifth of a
    millisecond per request in thread switches, a third of its own work on a lookup).

    Callers wait for an idle worker first come, first served, whichever way they ask.
    """

    def __init__(
        self, opener: Opener, size: int, timeout: float, shared: int = 64 << 20,
        planner: Callable[[], JoinPlanner] | None = JoinPlanner,
    ) -> None:  # fmt: skip
        self.opener = opener
        self.size = size
        self.timeout = timeout
        # makes each worker's planner (large joins by hashing: ctld.query.planner); None runs
        # every query as sent
        self.planner = planner
        # bytes of answer that cross in memory shared with each worker (address space:
        # pages are taken as answers touch them); a larger answer takes the pipe
        self.shared = shared
        self._idle: list[_Worker] = []
        self._waiting: deque[Future[_Worker] | asyncio.Future[_Worker]] = deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._context = mp.get_context("fork")
        self.isolated = True  # until a worker could not leave the host's network

    def start(self) -> None:
        for _ in range(self.size):
            self._release(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        shared = mmap.mmap(-1, self.shared)  # anonymous, and shared with the child
        process = self._context.Process(
            target=_serve, args=(self.opener, child, shared, self.planner), daemon=True,
            name="ctld-query",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, shared)
        if not parent.poll(30) or not parent.recv():
            self.isolated = False
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Ends a worker that is past its time or broken, and makes another idle."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        self._release(self._spawn())

    def _acquire(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            waiter: Future[_Worker] = Future()
            self._waiting.append(waiter)
        return waiter.result()

    async def _acquire_async(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed over as it was cancelled
                self._release(waiter.result())
            raise

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            while self._waiting:
                waiter = self._waiting.popleft()
                if isinstance(waiter, Future):
                    waiter.set_result(worker)
                    return
                if not waiter.done():
                    waiter.get_loop().call_soon_threadsafe(self._hand, waiter, worker)
                    return
            self._idle.append(worker)

    def _hand(self, waiter: asyncio.Future[_Worker], worker: _Worker) -> None:
        if waiter.done():  # cancelled on the way
            self._release(worker)
        else:
            waiter.set_result(worker)

    def run(self, request: QueryRequest, timeout: float | None = None) -> Payload:
        """Blocking and thread-safe."""
        limit = self.timeout if timeout is None else timeout
        worker = self._acquire()
        try:
            worker.conn.send(request)
            reply = _receive(worker) if worker.conn.poll(limit) else None
        except BaseException as exc:
            self._replace(worker)
            raise _stopped() if isinstance(exc, EOFError | OSError) else exc from None
        if reply is None:
            self._replace(worker)
            raise QueryTimeoutError(limit)
        return self._answer(worker, reply)

    async def run_async(self, request: QueryRequest, timeout: float | None = None) -> Payload:
        """In the event loop: the loop watches the worker's pipe until it answers."""
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        worker = await self._acquire_async()
        answered = loop.create_future()
        reply = None
        try:
            worker.conn.send(request)
            loop.add_reader(worker.conn.fileno(), _set_once, answered)
            try:
                await asyncio.wait_for(answered, limit)
                reply = _receive(worker)
            except TimeoutError:
                pass
            finally:
                loop.remove_reader(worker.conn.fileno())
        except BaseException as exc:
            # a cancelled caller's worker may still answer, and that answer must not
            # reach the next caller: it is replaced too
            replacing = loop.run_in_executor(None, self._replace, worker)
            if isinstance(exc, EOFError | OSError):
                await replacing
                raise _stopped() from None
            raise
        if reply is None:  # past its time: the worker is ended, with its query
            await loop.run_in_executor(None, self._replace, worker)
            raise QueryTimeoutError(limit)
        return self._answer(worker, reply)

    def _answer(self, worker: _Worker, reply: tuple) -> Payload:
        """The worker goes back to the idle ones; its reply becomes a Payload or an error."""
        self._release(worker)
        kind, value, status = reply
        if kind == "refused":
            raise QueryRefusedError(value, status)
        if kind == "store":
            raise StoreError(value)
        return value

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        for worker in workers:
            worker.stop()


def _receive(worker: _Worker) -> tuple:
    reply = worker.conn.recv()
    if reply[0] != "ok":
        return reply
    size = reply[2]
    body = worker.shared[:size] if size <= len(worker.shared) else worker.conn.recv_bytes()
    return ("ok", replace(reply[1], body=body), 0)


def _set_once(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _stopped() -> StoreError:
    return StoreError("the query worker stopped unexpectedly; the query was not run")


class PoolEngine:
    """The Engine interface over a WorkerPool."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    def run(self, request: QueryRequest) -> Payload:
        return self.pool.run(request)

    async def run_async(self, request: QueryRequest) -> Payload:
        return await self.pool.run_async(request)

    def close(self) -> None:
        self.pool.close()
