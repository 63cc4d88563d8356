"""A chunk's replications as one table for the rules engine.

The rules engine (rules.jiaxing.earned_awards) judges each firm on its own rows: tiers and
growth per firm, recognitions per firm and matter, platforms per platform. So the candidate
firms of a chunk's replications can be stacked into one table (replication i's firms after
those of replications 0 … i−1, platform codes kept apart the same way) and the engine run once
per chunk instead of once per replication. Each replication's rows keep their relative order in
the engine's first-come order, so sums by replication add the same numbers in the same order as
one call per replication would. Used by the Monte Carlo (chunk_awards.py) and by
fundalloc.design (costs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from fundalloc.simulation.kernel import World, candidate_rows


@dataclass
class Inputs:
    """Firms as the rules engine takes them, for c replications stacked: only the firms that
    can earn something (kernel.candidate_rows, as kernel.awards: firms crossing a still-open
    tier, firms whose history opened a growth window, recognised firms)."""

    revenue: np.ndarray  # (rows, years) history then reported revenue
    sector: np.ndarray  # (rows,)
    recs: tuple  # (stacked row, year, kind, level)
    plats: tuple  # (year, served, growth, cost, platform code kept apart by replication)
    payer: np.ndarray  # (rows,) code into PAYERS, as kernel.awards passes it
    rep: np.ndarray  # (rows,) the replication of each row, 0 … c−1
    plat_rep: np.ndarray  # (platform rows,) the replication of each platform row
    c: int
    firm: np.ndarray | None = None  # (rows,) each row's firm in its replication's population


class Block(NamedTuple):
    """One replication's firms as block() finds them; stack() joins blocks into Inputs."""

    revenue: np.ndarray
    sector: np.ndarray
    recs: tuple  # (row in the block, year, kind, level)
    plats: tuple  # (year, served, growth, cost[, platform code])
    payer: np.ndarray
    codes: int  # platform codes the block uses (the next block's start)
    rows: np.ndarray | None = None  # the block's rows in the population


def block(world: World, reported: np.ndarray, recs, plats, crossed=None) -> Block:
    """One replication's candidate firms (kernel.candidate_rows) as the engine takes them."""
    rows = candidate_rows(world, reported, recs, crossed)
    revenue = np.hstack([world.pop.history[rows], reported[rows]])
    local = (np.searchsorted(rows, recs[0]),) + tuple(recs[1:])
    codes = int(np.max(plats[4], initial=-1)) + 1 if len(plats) > 4 else len(plats[0])
    return Block(
        revenue, world.pop.sector[rows], local, plats, world.pop.payers()[rows], codes, rows
    )


def _joined(parts: list[tuple], shift: np.ndarray, field: int) -> tuple:
    """The blocks' arrays field by field, `shift` of each block added to array `field`."""
    return tuple(
        np.concatenate([np.asarray(t[f]) + (d if f == field else 0) for t, d in zip(parts, shift)])
        for f in range(len(parts[0]))
    )


def starts(sizes) -> np.ndarray:
    """Where each of consecutive blocks of these sizes starts."""
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def stack(blocks: list[Block]) -> Inputs:
    """One Inputs for the blocks, in replication order: each block's rows after the earlier
    blocks' rows, its platform codes after theirs."""
    sizes = [len(b.revenue) for b in blocks]
    rows = [b.rows for b in blocks if b.rows is not None]
    return Inputs(
        revenue=np.vstack([b.revenue for b in blocks]),
        sector=np.concatenate([b.sector for b in blocks]),
        recs=_joined([b.recs for b in blocks], starts(sizes), 0),
        plats=_joined([b.plats for b in blocks], starts([b.codes for b in blocks]), 4),
        payer=np.concatenate([b.payer for b in blocks]),
        rep=np.repeat(np.arange(len(blocks)), sizes),
        plat_rep=np.repeat(np.arange(len(blocks)), [len(b.plats[0]) for b in blocks]),
        c=len(blocks),
        firm=np.concatenate(rows).astype(np.int64) if len(rows) == len(blocks) else None,
    )


def stack_one_world(world: World, reported: np.ndarray, recs: list, plats: list, crossed):
    """stack([block(world, reported[i], recs[i], plats[i], crossed[i]) …]) for replications
    all in one world, without a loop over replications for the firms: the same rows in the
    same order (replication, then firm)."""
    c, n = reported.shape[:2]
    mask = np.array(crossed, dtype=bool)  # (c, n), as candidate_rows, for all at once
    rec_rep = np.repeat(np.arange(c), [len(r[0]) for r in recs])
    rec_firm = np.concatenate([np.asarray(r[0], np.int64) for r in recs])
    mask[rec_rep, rec_firm] = True
    mask[:, world.history_awarded] = True
    rep, firm = np.nonzero(mask)
    revenue = np.concatenate(
        [world.pop.history[firm], reported[rep, firm]], axis=1
    )  # hstack of the two
    key = rep * n + firm  # ascending: replication, then firm
    local = (np.searchsorted(key, rec_rep * n + rec_firm),) + tuple(
        np.concatenate([np.asarray(r[f]) for r in recs]) for f in range(1, len(recs[0]))
    )
    codes = [int(np.max(p[4], initial=-1)) + 1 if len(p) > 4 else len(p[0]) for p in plats]
    return Inputs(
        revenue=revenue,
        sector=world.pop.sector[firm],
        recs=local,
        plats=_joined(list(plats), starts(codes), 4),
        payer=world.pop.payers()[firm],
        rep=rep,
        plat_rep=np.repeat(np.arange(c), [len(p[0]) for p in plats]),
        c=c,
        firm=firm,
    )
