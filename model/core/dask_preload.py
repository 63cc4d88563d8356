"""Preloaded into every Dask worker of a LocalCluster started for a run
(`distributed.worker.preload`, model/core/executors.py): the worker exits as soon as the process
that started it is gone, even after `kill -9` of that process."""

from __future__ import annotations

import os

from fundalloc.core.executors import watch_parent


def dask_setup(worker) -> None:  # the hook distributed calls in the worker process
    watch_parent(os.getppid())
