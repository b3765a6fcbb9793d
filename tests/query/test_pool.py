"""Query workers: a query past its time limit is stopped by ending its process."""

from __future__ import annotations

import asyncio
import os
import socket
import time

import pyoxigraph as ox
import pytest

from ctld.core.errors import QueryRefusedError, QueryTimeoutError
from ctld.query.engine import QueryRequest, StoreEngine
from ctld.query.pool import WorkerPool, isolate_network

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def pool():
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/{i}"), p, ox.Literal(str(i)))
                 for i in range(2000))  # fmt: skip
    workers = WorkerPool(lambda: (store, None), size=2, timeout=30)
    workers.start()
    yield workers
    workers.close()


def _pids(pool: WorkerPool) -> set[int]:
    return {w.process.pid for w in pool._all}


def test_answers(pool: WorkerPool) -> None:
    payload = pool.run(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv"))
    assert payload.body == b"n\r\n2000\r\n"


def test_timeout_kills_the_worker(pool: WorkerPool) -> None:
    before = _pids(pool)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        pool.run(QueryRequest(HEAVY), timeout=0.5)
    assert time.monotonic() - started < 5
    after = _pids(pool)
    gone = before - after
    assert len(gone) == 1 and len(after) == 2
    (pid,) = gone
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the runaway query's process no longer exists
    assert pool.run(QueryRequest("ASK { ?s ?p ?o }")).body.endswith(b"true}")


def test_errors_keep_their_status(pool: WorkerPool) -> None:
    with pytest.raises(QueryRefusedError) as caught:
        pool.run(QueryRequest("SELECT * WHERE { ?s ?p }"))
    assert caught.value.status == 400 and "line 1, column" in str(caught.value)
    with pytest.raises(QueryRefusedError) as caught:
        pool.run(QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv"))
    assert caught.value.status == 406



def test_workers_have_no_network(pool: WorkerPool) -> None:
    """The second wall behind the query inspector: pyoxigraph would run a SERVICE that
    slipped past it, but a worker's process has no network to run it with (CI runs as
    root, where network namespaces are allowed)."""
    assert pool.isolated
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen(1)
    canary.settimeout(1)
    port = canary.getsockname()[1]
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # what a worker does first, then a SERVICE straight into pyoxigraph
        try:
            isolate_network()
            query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
            list(ox.Store().query(query))
            os.write(writer, b"ran")
        except OSError as exc:
            os.write(writer, str(exc).encode()[:200])
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    message = os.read(reader, 300).decode()
    with pytest.raises(TimeoutError):
        canary.accept()  # nothing ever connected
    canary.close()
    assert "unreachable" in message.lower()


def _echo(i: int) -> QueryRequest:
    return QueryRequest(f'SELECT ?x WHERE {{ BIND("{i}" AS ?x) }}', "text/csv")


def test_async_callers_get_their_own_answers(pool: WorkerPool) -> None:
    """More callers than workers, from the event loop and from threads at once: each
    answer is the one its caller asked for."""

    async def main() -> list[bytes]:
        loop = asyncio.get_running_loop()
        tasks = [pool.run_async(_echo(i)) for i in range(40)]
        threads = [loop.run_in_executor(None, pool.run, _echo(i)) for i in range(40, 60)]
        return [p.body for p in await asyncio.gather(*tasks, *threads)]

    bodies = asyncio.run(main())
    assert bodies == [f"x\r\n{i}\r\n".encode() for i in range(60)]
    assert len(pool._idle) == len(pool._all) == 2


def test_async_timeout_kills_the_worker(pool: WorkerPool) -> None:
    before = _pids(pool)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        asyncio.run(pool.run_async(QueryRequest(HEAVY), timeout=0.5))
    assert time.monotonic() - started < 5
    gone = before - _pids(pool)
    assert len(gone) == 1 and len(pool._all) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pop(), 0)
    assert asyncio.run(pool.run_async(_echo(7))).body == b"x\r\n7\r\n"


def test_a_cancelled_callers_worker_is_replaced(pool: WorkerPool) -> None:
    """A caller that goes away (a client that disconnects) leaves a worker that may
    still answer it: that answer must never reach the next caller."""

    async def main() -> bytes:
        heavy = asyncio.ensure_future(pool.run_async(QueryRequest(HEAVY)))
        await asyncio.sleep(0.3)
        heavy.cancel()
        with pytest.raises(asyncio.CancelledError):
            await heavy
        answers = await asyncio.gather(*(pool.run_async(_echo(i)) for i in range(4)))
        return b"".join(a.body for a in answers)

    before = _pids(pool)
    assert asyncio.run(main()) == b"".join(f"x\r\n{i}\r\n".encode() for i in range(4))
    deadline = time.monotonic() + 10
    while len(pool._all) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(before - _pids(pool)) == 1 and len(pool._all) == 2


def test_async_errors_keep_their_status(pool: WorkerPool) -> None:
    with pytest.raises(QueryRefusedError) as caught:
        asyncio.run(pool.run_async(QueryRequest("SELECT * WHERE { ?s ?p }")))
    assert caught.value.status == 400
    assert asyncio.run(pool.run_async(_echo(1))).body == b"x\r\n1\r\n"


def test_answers_cross_in_shared_memory_or_the_pipe() -> None:
    """An answer crosses from the worker in memory shared with the server, or through
    the pipe when it is larger than that memory: the bytes are the same either way."""
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/{i}"), p, ox.Literal("x" * 50))
                 for i in range(500))  # fmt: skip
    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    expected = StoreEngine(store).run(QueryRequest(text, "text/csv")).body
    assert 10_000 < len(expected) < 100_000
    workers = WorkerPool(lambda: (store, None), size=1, timeout=30, shared=4096)
    workers.start()
    try:
        for _ in range(2):  # large, small, large, small: the pipe and the memory in turn
            assert workers.run(QueryRequest(text, "text/csv")).body == expected
            small = asyncio.run(workers.run_async(_echo(3)))
            assert small.body == b"x\r\n3\r\n"
            assert asyncio.run(workers.run_async(QueryRequest(text, "text/csv"))).body \
                == expected  # fmt: skip
    finally:
        workers.close()
