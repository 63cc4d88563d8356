"""What `simulate` and `stress` share: their options as scenario overrides, and the checkpointed
run (the finished chunks of an interrupted run are kept for --resume, see
simulation/checkpoint.py)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import Scenario
from fundalloc.simulation.checkpoint import Partial, fingerprint
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import chunk_jobs


def option_overrides(sets, runs, seed, workers, budget_wan) -> list[str]:
    """The options that stand for scenario keys, as `--set` overrides after the user's own."""
    out = list(sets or [])
    if runs is not None:
        out.append(f"simulation.runs={runs}")
    if seed is not None:
        out.append(f"simulation.seed={seed}")
    if workers is not None:
        out.append(f"simulation.workers={workers}")
    if budget_wan is not None:
        out.append(f"awards.budget_wan={budget_wan}")
    return out


def _checkpoint_meta(
    command: str, base: Scenario, worlds: list[World], scenarios: list[Scenario]
) -> dict:
    p = worlds[0].params
    return {
        "command": command,
        "scenario": str(base.path),
        "scenario_sha256": base.sha256,
        "overrides": base.overrides,
        "fingerprint": fingerprint(scenarios),
        "seed": p.seed,
        "runs": p.runs,
        "chunk": p.chunk,
        "chunks": sum(len(chunk_jobs(w.params.runs, w.params.chunk)) for w in worlds),
    }


@contextmanager
def checkpointed(command, base, worlds, scenarios, out, resume):
    """The `.incomplete` folder of a run: kept (and named in the message) if the run is
    interrupted or fails after some chunks, removed once the run folder is in place."""
    meta = _checkpoint_meta(command, base, worlds, scenarios)
    partial = Partial.resume(resume, meta) if resume else Partial.start(out, meta)
    with partial.running(bool(resume), meta["chunks"]):
        if resume and out and Path(out).resolve() != partial.final.resolve():
            raise FundallocError(tr("resume.out", out=out, final=partial.final))
        yield partial
