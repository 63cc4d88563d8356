"""Jiaxing 2024–2026 reward schedule (嘉政发〔2024〕14号, docs/sources/jiaxing-2024-14.txt
三.(一) and 五) as code.

Pure functions over numpy arrays, vectorised over firms: `earned_awards` says what each firm
earns for each revenue year under one reading of the text (`Interpretation`, scenario table
[awards]), `pay` turns that into payments by pay year under a budget. The numbers live in a
policy file (scenarios/policies/jiaxing-2024-14.toml, read by `load_policy`), so a revised
schedule is a new file, not new code. The Monte Carlo calls `earned_awards` once per chunk on
the stacked candidate rows of all its replications and `pay` with the replication as group key
(simulation/chunk_awards.py); `settle` one replication at a time where it must interleave.
One module per job, as the text is organised:

    codes         sectors, levels, kinds, award ids and their Chinese input names
    readings      [awards]: the readings of the text (Interpretation, interpretation_from)
    policy        the policy file (Policy, load_policy)
    revenue_tier  首次超过 … 分别给予50万元、20万元、10万元奖励
    growth        从获奖次年开始 … 增速超过15% … 连续奖励三年
    recognition   服务型制造示范 / 工业设计 at three levels, 就高不重复
    platform      跨境电商公共服务平台 upgrade subsidy
    earned        earned_awards: the four awards together, in first-come order
    payment       pay: pay years, budget (one, or one per payer) and its exhaustion; totals_by
    settle        settle: earned and paid together (growth windows opened by what was paid)

Readings fixed in code (RULES.md C "whole-scenario facts", docs/awards.md) are stated in the
module of their award.
"""

from fundalloc.rules.jiaxing.codes import (
    AWARDS,
    GROWTH,
    INDUSTRIAL_DESIGN,
    KIND_ALIASES,
    KINDS,
    LEVEL_ALIASES,
    LEVELS,
    PAYER_ALIASES,
    PAYERS,
    PLATFORM,
    REVENUE_TIER,
    SECTOR_ALIASES,
    SECTORS,
    SERVICE_MFG_DEMO,
)
from fundalloc.rules.jiaxing.earned import Earned, earned_awards
from fundalloc.rules.jiaxing.payment import Paid, pay, totals_by
from fundalloc.rules.jiaxing.policy import Policy, load_policy
from fundalloc.rules.jiaxing.readings import (
    AWARDS_PATH_KEYS,
    CHOICES,
    Interpretation,
    interpretation_from,
)
from fundalloc.rules.jiaxing.settle import settle

__all__ = [
    "AWARDS",
    "AWARDS_PATH_KEYS",
    "CHOICES",
    "GROWTH",
    "INDUSTRIAL_DESIGN",
    "KIND_ALIASES",
    "KINDS",
    "LEVEL_ALIASES",
    "LEVELS",
    "PAYER_ALIASES",
    "PAYERS",
    "PLATFORM",
    "REVENUE_TIER",
    "SECTOR_ALIASES",
    "SECTORS",
    "SERVICE_MFG_DEMO",
    "Earned",
    "Interpretation",
    "Paid",
    "Policy",
    "earned_awards",
    "interpretation_from",
    "load_policy",
    "pay",
    "settle",
    "totals_by",
]
