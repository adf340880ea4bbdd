"""Work spread over processes on this machine: one function over many arguments, results in order.

``concurrent.futures.ProcessPoolExecutor`` with the ``forkserver`` start method (``spawn`` where
there is none): workers start from a clean process, not from a copy of a big parent. Arguments are
submitted a window at a time, so only a few are in flight (and in memory) at once. Used by the
build for reading documents and for the comparisons of stable ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def in_order(fn: Callable[..., R], calls: Iterable[Sequence[Any]], jobs: int, window: int = 8) -> Iterator[R]:
    """``fn(*args)`` for each ``args`` of ``calls``, in ``jobs`` processes, yielded in the order of ``calls``.

    ``fn`` must be importable by the workers (a module-level function); ``window`` × ``jobs`` calls
    are in flight at most. An exception raised by ``fn`` is raised here, at its place in the order.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    it = iter(calls)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        while batch := list(islice(it, window * jobs)):
            futures = [pool.submit(fn, *args) for args in batch]
            for f in futures:
                yield f.result()
