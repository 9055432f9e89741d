"""Running one function over many notes, on every core when there are many.

Parsing Markdown is CPU-bound pure Python, so threads would not help; a process pool does. Small
batches run in this process: starting workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

PARALLEL_FROM = 64
"""A pool is used from this many jobs on."""
MAX_WORKERS = 8

T = TypeVar("T")
Progress = Callable[[int, int], None]


def map_jobs(function: Callable[..., T], jobs: Sequence[tuple[Any, ...]], progress: Progress | None = None) -> list[T]:
    """``[function(*job) for job in jobs]``, in order; ``progress(done, total)`` as they finish."""
    results: list[T] = []
    for result in each_result(function, jobs):
        results.append(result)
        if progress:
            progress(len(results), len(jobs))
    return results


def _workers() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def in_process(count: int) -> bool:
    """Whether ``count`` jobs run in this process (so what they return need not be sent back)."""
    return count < PARALLEL_FROM or _workers() < 2


def each_result(function: Callable[..., T], jobs: Sequence[tuple[Any, ...]]) -> Iterator[T]:
    """``function(*job)`` for each job, in order, each as soon as it is done (so a caller can let
    go of what a job needed once its result is in)."""
    workers = _workers()
    if in_process(len(jobs)):
        for job in jobs:
            yield function(*job)
        return

    chunk = max(1, min(64, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent) as pool:
        yield from pool.map(function, *zip(*jobs, strict=True), chunksize=chunk)


def _exit_with_parent() -> None:
    """In each worker: end this process as soon as the parent is gone (killed with ``kill -9``,
    say), instead of waiting forever for work that will never come."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
