"""Checks shared by [selection] and [programme]: the regional-group tables (a count for every
group, or a table by group) and the error that names the key to fix."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo

from fundalloc.core.i18n import pick, tr

REGION_TABLE = (
    "每个区域组一个 ≥ 0 的整数,或按区域组的表,如 { zhengzhou = 1, west = 1 }",
    "a whole number ≥ 0 for every regional group, or a table by group, "
    "e.g. { zhengzhou = 1, west = 1 }",
)


class Invalid(ValueError):
    """A cross-key check that failed, naming the key to fix."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def region_table(value: Any, info: ValidationInfo) -> Any:
    """A number for every regional group of the rule set (`context["regions"]`), or a table
    by group; counts are whole numbers ≥ 0."""
    regions = (info.context or {}).get("regions")
    if isinstance(value, int) and not isinstance(value, bool):
        if regions is None:
            raise ValueError(tr("check.region_table_needed"))
        return {r: value for r in regions}
    if isinstance(value, dict) and regions is not None:
        unknown = [k for k in value if k not in regions]
        if unknown:
            raise ValueError(tr("check.unknown_groups", unknown=unknown, groups=", ".join(regions)))
    if not isinstance(value, dict):
        raise ValueError(tr("check.not_expected", value=repr(value), expected=pick(*REGION_TABLE)))
    bad = [k for k, v in value.items() if isinstance(v, bool) or not isinstance(v, int) or v < 0]
    if bad:
        raise ValueError(tr("check.not_whole", name=bad[0], value=repr(value[bad[0]])))
    return value
