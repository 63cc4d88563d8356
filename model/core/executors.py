"""Where replications (and sweeps) run: every engine behind `concurrent.futures.Executor`.

    with open_executor("local", workers=2) as ex:            # processes on this machine
    with open_executor("dask", address="tcp://host:8786") as ex:   # an existing Dask cluster
    with open_executor("dask", workers=2) as ex:             # a Dask cluster started for the run

Callers submit picklable top-level functions and merge results in their own (chunk) order, so
the output never depends on the engine or the number of workers. `run_jobs` adds what a long
run needs on any engine: a job whose worker died is submitted again (a bounded number of
times), and each result is handed over as soon as it exists (for checkpoints). Another engine
(MPI's `MPIPoolExecutor`, Ray's, …) plugs in by yielding its Executor from `open_executor`.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import pickle
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from typing import Any, Callable, Iterator, Sequence

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr

KINDS = ("local", "dask")
MAX_ATTEMPTS = 3  # a job is tried at most this often when its worker dies under it
CONNECT_TIMEOUT = "10s"  # to reach a Dask scheduler before saying it is unreachable


class InlineExecutor(Executor):
    """One worker: run each job in this process as it is submitted (no pickling, no pool).
    run_jobs hands it one job at a time, so results (and checkpoints) come as each ends."""

    max_in_flight = 1

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            fut.set_exception(exc)
        return fut


class LocalPool(Executor):
    """A ProcessPoolExecutor that can be restarted after a worker died (a broken pool refuses
    all further work). Fork where available: workers start fast and inherit imported modules."""

    def __init__(self, workers: int, clean: bool = False):
        self.workers = workers
        methods = mp.get_all_start_methods()
        self._ctx: BaseContext | None
        if clean and "forkserver" in methods:
            # Workers that solve with HiGHS must not be forked from a process whose HiGHS has
            # started its thread scheduler: the child inherits the scheduler but not its
            # threads, and its first parallel solve spins forever (seen in CI under
            # pytest-xdist). A fork server is started fresh and forks clean workers.
            self._ctx = mp.get_context("forkserver")
        else:
            self._ctx = mp.get_context("fork") if "fork" in methods else None
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=self._ctx,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_S = 0.5  # how often a worker checks that its parent is still there


def die_with_parent(parent: int) -> None:
    """Worker initializer: the worker ends when the process that started it dies, even by
    SIGKILL (which runs no clean-up in the parent, so the pool cannot stop its workers). Linux
    sends the worker SIGKILL at once (prctl PR_SET_PDEATHSIG); elsewhere, and should the parent
    die before prctl took effect, a watchdog thread sees the worker re-parented and exits.
    (PDEATHSIG follows the *thread* that forked the worker: a pool lives inside one
    `open_executor` block, whose thread outlives it — also in the app's task threads.)"""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    watch_parent(parent)


def watch_parent(parent: int) -> None:
    """Exit this process as soon as `parent` is gone: re-parented (forked by it), or, for a
    worker a fork server started, `parent` no longer running."""
    forked = os.getppid() == parent

    def alive() -> bool:
        if forked:
            return os.getppid() == parent
        try:
            os.kill(parent, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid reused by another user
            return False
        return True

    if not alive():
        os._exit(1)  # the parent is already gone

    def watch() -> None:
        while alive():
            time.sleep(WATCH_S)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def cpu_count() -> int:
    """Cores this process may use (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def open_executor(
    kind: str = "local", address: str | None = None, workers: int = 0, clean: bool = False
) -> Iterator[Executor]:
    """Yield an Executor; everything it started is stopped on exit (also on Ctrl-C).

    kind "local": `workers` processes (0 = all cores; 1 = in this process); `clean`: workers
    from a fork server rather than forked from this process (for jobs that solve with HiGHS).
    kind "dask": the cluster at `address`, or a LocalCluster of `workers` single-threaded
    worker processes started for the run and closed after it."""
    if kind not in KINDS:
        raise FundallocError(f"unknown executor '{kind}'; choose one of: {', '.join(KINDS)}")
    if kind == "local":
        if address:
            raise FundallocError("--address is for --executor dask; a local run needs none")
        n = workers or cpu_count()
        ex: Executor = InlineExecutor() if n == 1 else LocalPool(n, clean)
        try:
            yield ex
        finally:
            ex.shutdown(wait=False, cancel_futures=True)
        return
    with _dask_client(address, workers) as client:
        # pure=False: a resubmitted job must run again, not return the failed key's error.
        ex = client.get_executor(pure=False)
        try:
            yield ex
        finally:
            ex.shutdown(wait=False)


@contextmanager
def _dask_client(address: str | None, workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise FundallocError(
            "--executor dask needs dask[distributed]: pip install 'dask[distributed]'"
        ) from exc
    if address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise FundallocError(tr("dask.unreachable", address=address, error=exc)) from None
        try:
            yield client
        finally:
            client.close()
        return
    # Workers die with this process: distributed's AsyncProcess gives each worker a pipe from
    # its parent and a thread that exits the worker when the pipe closes (the parent died, even
    # by SIGKILL); daemon workers are also stopped on a normal exit (tests/reliability/).
    # One thread per worker: the kernel is numpy-bound and holds the GIL between calls.
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also freezes glibc's mmap
    # threshold: every large numpy temporary is then mmapped and page-faulted afresh, and the
    # kernel runs 2–2.5× slower (measured, benchmarks/). Unset it for the workers we start.
    import dask

    with (
        dask.config.set(
            {
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                "distributed.worker.daemon": True,
                # and each worker watches its parent itself (the pipe's thread was seen to
                # lag behind on a loaded machine): model/core/dask_preload.py
                "distributed.worker.preload": ["fundalloc.core.dask_preload"],
            }
        ),
        _sigint_ignored(),
    ):
        cluster = LocalCluster(
            n_workers=workers or cpu_count(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@contextmanager
def _sigint_ignored():
    """Worker processes started meanwhile inherit an ignored SIGINT: on Ctrl-C only this
    process stops (keeping the finished chunks) and closes the cluster, instead of every
    worker printing its own KeyboardInterrupt traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Shared:
    """A large read-only argument (e.g. the simulation World) shipped as one pickled blob and
    unpickled at most once per worker process, whatever the engine: cheaper than unpickling
    the object for every job, and no engine-specific broadcast needed."""

    _cache: dict[str, Any] = {}

    def __init__(self, value: Any):
        self.blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.key = hashlib.sha256(self.blob).hexdigest()
        Shared._cache.clear()
        Shared._cache[self.key] = value  # forked local workers inherit it: nothing to unpickle

    def get(self) -> Any:
        if self.key not in Shared._cache:
            Shared._cache.clear()  # one shared value at a time per worker
            Shared._cache[self.key] = pickle.loads(self.blob)
        return Shared._cache[self.key]


def _worker_died(exc: BaseException) -> bool:
    if isinstance(exc, BrokenProcessPool):
        return True
    name = type(exc).__name__
    return name in ("KilledWorker", "CommClosedError", "WorkerCrashedError")  # Dask, Ray


def run_jobs(
    executor: Executor,
    fn: Callable,
    jobs: Sequence[tuple],
    *,
    on_result: Callable[[int, Any], None],
    max_attempts: int = MAX_ATTEMPTS,
) -> None:
    """Run fn(*job) for every job; `on_result(index, result)` as each finishes (any order).
    A job whose worker died is submitted again, up to `max_attempts` tries in all."""
    attempts = [0] * len(jobs)
    pending: dict[Future, int] = {}
    queue = list(range(len(jobs)))[::-1]  # next job at the end
    limit = getattr(executor, "max_in_flight", None) or len(jobs)

    def submit(i: int) -> None:
        attempts[i] += 1
        pending[executor.submit(fn, *jobs[i])] = i

    def top_up() -> None:
        while queue and len(pending) < limit:
            submit(queue.pop())

    try:
        top_up()
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            retry, broken = [], False
            for fut in done:
                i = pending.pop(fut)
                exc = fut.exception()
                if exc is None:
                    on_result(i, fut.result())
                elif not _worker_died(exc):
                    raise exc
                elif attempts[i] >= max_attempts:
                    raise FundallocError(
                        f"job {i} failed {attempts[i]} times: its worker died "
                        f"each time (out of memory?) — {exc}"
                    ) from None
                else:
                    retry.append(i)
                    broken |= isinstance(exc, BrokenProcessPool)
            if broken and hasattr(executor, "restart"):
                # A broken local pool fails every job it held: restart it and resubmit them.
                for i in pending.values():
                    attempts[i] -= 1  # not their fault: a restart is not a try
                    retry.append(i)
                pending.clear()
                executor.restart()
            queue.extend(sorted(retry, reverse=True))
            top_up()
    finally:
        for fut in pending:
            fut.cancel()
