"""Uncertain assumptions: any numeric key of [simulation] may be given as a distribution instead
of a number, e.g. `tech_info = { mu = { dist = "uniform", low = 0.06, high = 0.14 }, sigma = 0.3 }`.

    uniform     { low, high }            centre: the midpoint
    normal      { mean, sd }             centre: the mean
    lognormal   { median, sigma }        centre: the median (sigma: sd of the log)
    triangular  { low, mode, high }      centre: the mode

The scenario check sees the centre (so every key keeps its declared type and range); the
distributions are kept beside it (`split`). Each replication draws every uncertain key once,
from a stream of its own keyed by (seed, replication, key name), through the inverse CDF of a
uniform: adding or removing one uncertain key never moves another's draws, and the sensitivity
analysis (sensitivity.py) feeds its own quantiles through the same `value_at`. Normal and
log-normal draws are truncated at their 0.1 % and 99.9 % quantiles, and the check makes sure
those ends (and both ends of the others) lie in the key's declared range.
"""

from __future__ import annotations

import copy
import math
import zlib
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

from fundalloc.core.i18n import pick, tr
from fundalloc.core.schema import dict_value_model, expectation, submodel

DISTS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
}
TAIL = 0.001  # normal / lognormal truncated at these quantiles
ASSUMPTION_STREAM = 2_000_014  # spawn-key prefix of the assumption draws (cf. shocks.py)


class Invalid(ValueError):
    """A distribution that cannot stand for its key; `key` is relative to [simulation]."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Assumption:
    key: str  # dotted, relative to [simulation], e.g. "growth.tech_info.mu"
    dist: str
    args: tuple[float, ...]
    integer: bool = False  # an int key (a count): draws are rounded

    def value_at(self, u: float) -> float:
        """The key's value at quantile u ∈ [0, 1] (tails truncated, see module doc)."""
        a = self.args
        if self.dist == "uniform":
            v = a[0] + u * (a[1] - a[0])
        elif self.dist == "triangular":
            lo, mode, hi = a
            cut = (mode - lo) / (hi - lo) if hi > lo else 0.5
            if u < cut:
                v = lo + math.sqrt(u * (hi - lo) * (mode - lo))
            else:
                v = hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))
        else:
            from scipy.stats import norm  # here: scipy.stats costs a second to import

            z = float(norm.ppf(min(max(u, TAIL), 1 - TAIL)))
            v = a[0] + a[1] * z if self.dist == "normal" else a[0] * math.exp(a[1] * z)
        return int(round(v)) if self.integer else v

    @property
    def centre(self) -> float:
        c = {"uniform": (self.args[0] + self.args[-1]) / 2, "triangular": self.args[1]}
        v = c.get(self.dist, self.args[0])
        return int(round(v)) if self.integer else float(v)

    @property
    def ends(self) -> tuple[float, float]:
        return self.value_at(0.0), self.value_at(1.0)

    def describe(self) -> str:
        return (
            f"{self.dist}("
            + ", ".join(f"{n}={v:g}" for n, v in zip(DISTS[self.dist], self.args, strict=True))
            + ")"
        )


def centre_of(value: Any) -> Any:
    """A scenario value as a form shows it: the centre of a distribution, else the value."""
    if isinstance(value, dict) and value.get("dist") in DISTS:
        try:
            args = tuple(float(value[n]) for n in DISTS[value["dist"]])
        except (KeyError, TypeError, ValueError):
            return value
        return Assumption("", value["dist"], args).centre
    return value


def split(data: Any, model: type[BaseModel], prefix: str = "") -> tuple[Any, list[Assumption]]:
    """(the table with each distribution replaced by its centre, the distributions)."""
    if not isinstance(data, dict):
        return data, []
    out, found = {}, []
    for name, value in data.items():
        key = f"{prefix}.{name}" if prefix else str(name)
        info = model.model_fields.get(str(name))
        if info is None:  # unknown keys: the declaration's own check names them
            out[name] = value
            continue
        sub, entry = submodel(info.annotation), dict_value_model(info.annotation)
        if isinstance(value, dict) and "dist" in value:
            a = parse(key, value, info)
            out[name] = a.centre
            found.append(a)
        elif sub is not None and isinstance(value, dict):
            out[name], more = split(value, sub, key)
            found += more
        elif entry is not None and isinstance(value, dict):
            out[name] = {}
            for k, v in value.items():
                out[name][k], more = split(v, entry, f"{key}.{k}")
                found += more
        else:
            out[name] = value
    return out, found


def parse(key: str, table: dict, info) -> Assumption:
    extra = info.json_schema_extra or {}
    numeric = info.annotation in (float, int, float | None, int | None)
    if not numeric or extra.get("sweep") is False:
        raise Invalid(key, tr("check.not_distribution_key"))
    dist = table.get("dist")
    if dist not in DISTS:
        raise Invalid(key, tr("check.unknown_dist", value=repr(dist), dists=", ".join(DISTS)))
    names = DISTS[dist]
    given = {k for k in table if k != "dist"}
    if given != set(names):
        got = ", ".join(sorted(given)) or "—"
        raise Invalid(
            key, tr("check.dist_parameters", dist=dist, names=", ".join(names), given=got)
        )
    args = []
    for n in names:
        v = table[n]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise Invalid(key, tr("check.dist_not_finite", name=n, value=repr(v)))
        args.append(float(v))
    _check_shape(key, dist, args)
    a = Assumption(key, dist, tuple(args), integer=info.annotation in (int, int | None))
    check = TypeAdapter(Annotated[(float, *info.metadata)])  # the key's range
    ends = zip((pick("最低抽样值", "lowest draw"), pick("最高抽样值", "highest draw")), a.ends)
    for label, v in ((pick("中心值", "centre"), a.centre), *ends):
        try:
            check.validate_python(v)
        except ValidationError:
            why = expectation(info)
            raise Invalid(
                key,
                tr(
                    "check.dist_out_of_range",
                    dist=a.describe(),
                    label=label,
                    value=f"{v:g}",
                    why=why,
                ),
            ) from None
    return a


def _check_shape(key: str, dist: str, a: list[float]) -> None:
    if dist == "uniform" and not a[0] < a[1]:
        raise Invalid(key, tr("check.uniform"))
    if dist == "triangular" and not (a[0] <= a[1] <= a[2] and a[0] < a[2]):
        raise Invalid(key, tr("check.triangular"))
    if dist == "normal" and a[1] <= 0:
        raise Invalid(key, tr("check.normal"))
    if dist == "lognormal" and (a[0] <= 0 or a[1] <= 0):
        raise Invalid(key, tr("check.lognormal"))


def quantiles(assumptions, seed: int, run: int) -> np.ndarray:
    """One uniform per assumption for replication `run`, each from its own stream."""
    return np.array(
        [
            np.random.default_rng(
                np.random.SeedSequence(
                    seed, spawn_key=(ASSUMPTION_STREAM, zlib.crc32(a.key.encode()), run)
                )
            ).random()
            for a in assumptions
        ]
    )


def with_values(data: dict, values: dict[str, float]) -> dict:
    """A copy of the [simulation] table with the dotted keys set."""
    out = copy.deepcopy(data)
    for key, v in values.items():
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = v
    return out
