"""Thin adapters from a built Pyomo model to a solver. HiGHS is the default (and only) one."""

from fundalloc.solvers.highs import SolveResult, solve  # noqa: F401
