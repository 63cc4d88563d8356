"""Freed memory kept for the next chunk instead of handed back to the system.

A chunk allocates and frees the same large arrays (replications × firm slots × years) again
and again. glibc's malloc serves such arrays with fresh mmap()s and unmaps them when freed,
so every chunk pays the page faults of touching new memory (15 % of the Monte Carlo's time at
10,000 firms, benchmarks/bench_limit.py); it only stops once a freed block raises its dynamic
threshold, so a process's speed depended on what it had run before. With a fixed threshold
above the arrays' size they come from the heap and freed memory is reused. The peak memory
is what is live at once, as before (memory is kept up to that peak, not beyond it).
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # malloc.h
MMAP_THRESHOLD = 1 << 30  # 1 GiB: larger blocks are still mapped and unmapped alone
TRIM_THRESHOLD = 1 << 31  # keep up to 2 GiB of freed heap for reuse


@cache
def keep_freed_memory() -> bool:
    """Set glibc's malloc thresholds once in this process (each worker calls it before its
    first chunk); False where the C library is not glibc's, and in a Dask worker, whose
    nanny sets its own trimming (MALLOC_TRIM_THRESHOLD_) so that the cluster sees memory
    handed back: nothing changes there."""
    if _in_dask_worker():
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


def _in_dask_worker() -> bool:
    if "distributed" not in sys.modules:  # a Dask worker has imported it
        return False
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:  # not in a worker
        return False
    return True
