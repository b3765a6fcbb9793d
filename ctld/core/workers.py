"""Worker processes for the build's per-graph and per-chunk work, and an ordered map over
them that keeps only a few tasks in flight.

Workers are forked when the first task is submitted, which the build does before its
store grows (the assembling of the article graphs is the first use), so they carry
little of the parent's memory; a fork server or spawned interpreters would import the
caller's main module again, which a script without a main guard does not survive.
Results come back in submission order,
and the parent asks for the next task only as it takes a result, so what waits in
memory is bounded by the window, not by the corpus.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_pool(jobs: int) -> Executor | None:
    """`jobs` worker processes, or None for one job (the work then runs in-process)."""
    if jobs <= 1:
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))


def ordered_map(
    pool: Executor | None,
    function: Callable[..., Result],
    items: Iterable[Item],
    window: int = 8,
    args: tuple[Any, ...] = (),
) -> Iterator[tuple[Item, Result]]:
    """(item, function(item, *args)) for each item, in order; at most `window` tasks
    are submitted and not yet taken."""
    if pool is None:
        for item in items:
            yield item, function(item, *args)
        return
    pending: deque[tuple[Item, Future[Result]]] = deque()
    try:
        for item in items:
            pending.append((item, pool.submit(function, item, *args)))
            if len(pending) >= window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        for _, future in pending:
            future.cancel()
