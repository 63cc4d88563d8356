"""The budget of [awards] (`awards.budget_wan`), read and checked: a number, a table by pay
year, or a table by payer (五 各县(市)参照执行), each payer a number or a table by pay year.
Declared in awards_params.py; this module holds only the checks, each error naming the part of
the key that is wrong (`Invalid.key`)."""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, cast

from fundalloc.core.i18n import pick, tr
from fundalloc.rules.jiaxing.codes import PAYER_ALIASES, PAYERS

BUDGET_EXPECT = (
    "不带引号的 ≥ 0 的数、按支付年度的表(如 { 2025 = 800, 2026 = 900 }),或按支付主体的表,如 "
    '{ "市本级" = 3000, "嘉善县" = { 2025 = 500 } }(不填:不设上限)',
    "a number ≥ 0 without quotes, a table by pay year, e.g. "
    "{ 2025 = 800, 2026 = 900 }, or a table by payer, e.g. "
    '{ "市本级" = 3000, "嘉善县" = { 2025 = 500 } } (absent: unlimited)',
)


class Invalid(ValueError):
    """A check that failed on a part of a key (e.g. one year of a budget table), naming it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a table"
    return repr(value)


def _amount(value: Any) -> float | None:
    """A budget amount in 万元, or None when the value is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return float(value)


def budget_value(value: Any) -> Any:
    """The checked budget: None, a float, {year: float} or {payer: float | {year: float}}."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        amount = _amount(value)
        if amount is None:
            raise ValueError(
                tr("check.not_budget", value=_show(value), expected=pick(*BUDGET_EXPECT))
            )
        return amount
    if value and all(_payer(k) is not None for k in value):
        out: dict[str, Any] = {}
        for name, v in value.items():
            payer = cast(str, _payer(name))
            if payer in out:
                raise Invalid(str(name), tr("check.payer_twice", payer=payer))
            if isinstance(v, Mapping):
                try:
                    out[payer] = _by_year(v)
                except Invalid as exc:
                    raise Invalid(f"{name}.{exc.key}", str(exc)) from None
            else:
                amount = _amount(v)
                if amount is None:
                    raise Invalid(
                        str(name),
                        tr(
                            "check.not_budget",
                            value=_show(v),
                            expected=tr("check.budget_number_or_years"),
                        ),
                    )
                out[payer] = amount
        return out
    return _by_year(value)


def _payer(name: Any) -> str | None:
    """The payer a budget-table key names (市本级 or a county / district, aliases accepted)."""
    if not isinstance(name, str):
        return None
    name = name.strip()
    name = PAYER_ALIASES.get(name, name)
    return name if name in PAYERS else None


def _by_year(value: Mapping) -> dict[int, float]:
    out: dict[int, float] = {}
    for year, v in value.items():  # TOML tables have text keys: "2025" -> 2025
        if isinstance(year, bool) or not (
            isinstance(year, int)
            or (isinstance(year, str) and re.fullmatch(r"\d{1,4}", year.strip()))
        ):
            raise Invalid(
                str(year),
                tr("check.budget_keys", payers="、".join(PAYERS)),
            )
        amount = _amount(v)
        if amount is None:
            raise Invalid(
                str(year),
                tr("check.not_budget", value=_show(v), expected=tr("check.budget_number")),
            )
        out[int(year)] = amount
    return out
