"""What every benchmark script shares: the repository root on sys.path and one timing function.

Scripts run as ``python benchmarks/bench_x.py``: this folder is then on sys.path, so they import
``harness`` directly. Benchmarks print tables and assert nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median seconds over ``repeat`` runs, peak MiB of Python allocations on a first, warm-up run)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), peak
