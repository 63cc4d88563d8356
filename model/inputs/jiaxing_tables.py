"""The firm, recognition and platform tables of DESIGN.md (Jiaxing reward schedule), declared
column by column (type, unit, range or choices, Chinese headers, clause) for the one reader of
fundalloc.core.columns; fundalloc.inputs.firms reads them into the arrays the rules work on."""

from __future__ import annotations

from fundalloc.core.columns import Column, Table, Unique
from fundalloc.rules.jiaxing import (
    KIND_ALIASES,
    KINDS,
    LEVEL_ALIASES,
    LEVELS,
    PAYER_ALIASES,
    PAYERS,
    SECTOR_ALIASES,
    SECTORS,
)

TEXT = "嘉政发〔2024〕14号 三.(一)"
PAYER_TEXT = "嘉政发〔2024〕14号 五 各县(市)参照执行"
PAYER_HEADERS = ("支付主体", "出资方", "兑付主体", "资金承担主体", "所属地区", "属地")


def payer_column(help_text: str) -> Column:
    """The optional `payer` column: whose budget pays (市本级 or a county / district)."""
    return Column(
        "payer",
        "choice",
        "支付主体",
        "Payer",
        choices=PAYERS,
        aliases=PAYER_ALIASES,
        aliases_header=PAYER_HEADERS,
        required=False,
        optional=True,
        clause=PAYER_TEXT,
        help=help_text,
    )


FIRM_HEADERS = ("企业代码", "统一社会信用代码")
GROWTH_MAX = 10.0  # trade_growth is a fraction: 18 (for 18 %) would read as +1800 %

FIRMS = Table(
    "firms",
    "企业营业收入",
    "Firms",
    "long format: one row per firm and revenue year; `awards.firms` / `--firms`, "
    "`simulation.firms`",
    columns=(
        Column(
            "firm_id",
            "id",
            "企业编号",
            "Firm id",
            aliases_header=FIRM_HEADERS,
            help="the same id on every year's row",
        ),
        Column(
            "sector",
            "choice",
            "行业",
            "Sector",
            choices=SECTORS,
            aliases=SECTOR_ALIASES,
            aliases_header=("行业类别", "所属行业", "行业类型"),
            clause=TEXT,
            help="one sector per firm; manufacturing earns no revenue-tier award",
        ),
        Column(
            "year",
            "year",
            "营业收入年度",
            "Revenue year",
            aliases_header=("年度", "年份"),
            help='give earlier years too: they decide "first exceeds" and the base of growth',
        ),
        Column(
            "revenue_wan",
            "number",
            "年主营业务收入",
            "Main-business revenue",
            unit="万元",
            min=0,
            # 1 万亿元: no firm of a city's schedule comes near it; a larger figure is a typo
            # (or 元 typed as 万元), not a firm to pay
            max=1e8,
            aliases_header=("主营业务收入", "营业收入", "年主营业务收入(万元)"),
            clause=TEXT,
            help="annual main-business revenue (年主营业务收入), at most 1 万亿元 (1e8 万)",
        ),
        payer_column(
            "市本级 or 南湖区, 秀洲区, 嘉善县, 平湖市, 海盐县, 海宁市, 桐乡市: whose budget pays the "
            "firm (one per firm; empty: 市本级)"
        ),
    ),
    unique=(
        Unique(("firm_id", "year"), "duplicate firm-year {firm_id} {year} (first on row {first})"),
    ),
)
RECOGNITIONS = Table(
    "recognitions",
    "示范认定",
    "Recognitions",
    "one row per recognition; every firm_id must be in the firm file; `awards.recognitions` / "
    "`--recognitions`",
    columns=(
        Column(
            "firm_id",
            "id",
            "企业编号",
            "Firm id",
            aliases_header=FIRM_HEADERS,
            help="a firm_id of the firm file",
        ),
        Column(
            "year",
            "year",
            "认定年度",
            "Year recognised",
            aliases_header=("年度", "年份", "认定年份"),
            help="the year of the recognition",
        ),
        Column(
            "kind",
            "choice",
            "认定类别",
            "Kind",
            choices=KINDS,
            aliases=KIND_ALIASES,
            aliases_header=("类别", "认定类型"),
            clause=TEXT,
            help="服务型制造示范 or 工业设计",
        ),
        Column(
            "level",
            "choice",
            "认定级别",
            "Level",
            choices=LEVELS,
            aliases=LEVEL_ALIASES,
            aliases_header=("级别",),
            clause=TEXT,
            help="国家级 / 省级 / 市级",
        ),
        Column(
            "matter_id",
            "id",
            "认定事项编号",
            "Matter id",
            aliases_header=("事项编号", "项目编号", "平台或项目编号"),
            required=False,
            optional=True,
            clause=TEXT + " 示范企业(平台、项目)",
            help="the recognised firm, platform or project the row is for; read under "
            "awards.recognitions_per_firm = each_matter (rows of one matter settle against "
            "each other; an empty cell is a matter of its own)",
        ),
        payer_column("whose budget pays this recognition (empty: the firm's payer)"),
    ),
    unique=(
        Unique(
            ("firm_id", "year", "kind", "level", "matter_id"),
            "duplicate recognition {firm_id} {year} {kind} {level} {matter_id} "
            "(first on row {first}; give each matter its matter_id)",
            column="firm_id",
        ),
    ),
)
PLATFORMS = Table(
    "platforms",
    "跨境电商平台研发升级",
    "Platforms",
    "cross-border e-commerce platform upgrades, one row per platform and year; "
    "`awards.platforms` / `--platforms`",
    columns=(
        Column(
            "platform_id",
            "id",
            "平台编号",
            "Platform id",
            aliases_header=("平台代码",),
            help="the same id every year",
        ),
        Column(
            "year",
            "year",
            "年度",
            "Year",
            aliases_header=("年份",),
            help="the year of the upgrade claim",
        ),
        Column(
            "firms_served",
            "whole number",
            "服务企业数",
            "Firms served",
            unit="家",
            min=0,
            aliases_header=("服务企业数量", "服务企业"),
            clause=TEXT,
            help="firms the platform serves (超过300家)",
        ),
        Column(
            "trade_growth",
            "number",
            "进出口额增速",
            "Trade growth",
            min=-1,
            max=GROWTH_MAX,
            share="fraction",
            aliases_header=("进出口增速", "进出口额增长率"),
            clause=TEXT,
            hint="give growth as a fraction (0.18 for 18 %)",
            help="growth of imports and exports, a fraction (0.18 for 18 %)",
        ),
        Column(
            "upgrade_cost_wan",
            "number",
            "研发升级费用",
            "Upgrade cost",
            unit="万元",
            min=0,
            aliases_header=("研发升级费用(万元)", "升级费用"),
            clause=TEXT,
            help="the platform's research and upgrade cost (研发升级费用)",
        ),
        payer_column("whose budget pays the platform (one per platform; empty: 市本级)"),
    ),
    unique=(
        Unique(
            ("platform_id", "year"),
            "duplicate platform-year (one upgrade claim per "
            "platform and year) {platform_id} {year} (first on row {first})",
        ),
    ),
)
