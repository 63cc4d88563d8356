"""One-page HTML reports with charts, and the XLSX workbooks budget officers open.

Charts are PNG files beside the report and embedded in it, so the HTML is a single file that
can be mailed. Charts can show Chinese on any machine: the pip dependency `mplfonts` ships
Noto Sans CJK SC as a file, which `register_cjk_font()` adds to matplotlib's font manager once
(no download, no copying into matplotlib's folders) and puts first in `font.sans-serif`.
"""

from __future__ import annotations

import base64
import html
import logging
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import importlib.util  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONT = "Noto Sans CJK SC"


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK SC file shipped by mplfonts (found without importing mplfonts)."""
    spec = importlib.util.find_spec("mplfonts")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return path
    return None


def register_cjk_font() -> str | None:
    """Add the CJK font to matplotlib once and make it the first sans-serif font."""
    path = cjk_font_path()
    if path is None:
        return None
    if CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    families = list(matplotlib.rcParams["font.sans-serif"])
    if families[:1] != [CJK_FONT]:
        matplotlib.rcParams["font.sans-serif"] = [CJK_FONT, *[f for f in families if f != CJK_FONT]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    # the font ships one weight: bold titles are drawn in it, which is fine, but matplotlib
    # would say so on stderr for every chart
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return CJK_FONT


register_cjk_font()


def bar_chart(
    path: Path,
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
) -> Path:
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(labels), 3) + 1.2))
    ax.barh(list(labels)[::-1], list(values)[::-1], color="#2f6f9f")
    for y, v in enumerate(list(values)[::-1]):
        ax.text(v, y, f" {v:,.0f}", va="center", fontsize=8)
    if reference is not None:
        ax.axvline(reference, color="#c0392b", linestyle="--", label=reference_label)
        ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def html_report(path: Path, title: str, blocks: Sequence[tuple[str, object]]) -> Path:
    """blocks: (heading, content) with content a str (paragraph HTML), DataFrame, or PNG Path."""
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        "</title><style>body{font-family:sans-serif;max-width:980px;margin:1em auto;"
        "font-size:14px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid"
        " #ccc;padding:2px 6px}th{background:#eef}img{max-width:48%;vertical-align:top}"
        ".ok{color:#1a7f37}.bad{color:#b42318}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, content in blocks:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(content, pd.DataFrame):
            parts.append(content.to_html(index=False, border=0, na_rep=""))
        elif isinstance(content, Path):
            parts.append(_img(content))
        elif isinstance(content, (list, tuple)):
            parts.append("".join(_img(c) if isinstance(c, Path) else str(c) for c in content))
        else:
            parts.append(str(content))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


# Chinese headers of output columns that are not input columns (those come from the input
# declarations, core/columns.py); a name in neither shows as it is.
HEADERS_ZH = {
    "margin_points": "得分余量(分)",
    "margin_kind": "余量类型",
    "p_designated": "入选概率",
    "award_mean_wan": "奖励均值(万元)",
    "award_p05_wan": "奖励5%分位(万元)",
    "award_p95_wan": "奖励95%分位(万元)",
    "id": "编号",
    "name": "名称",
    "city": "所在市",
    "region": "区域",
    "score": "得分",
    "factor_index": "因素指数",
    "award_wan": "奖励(万元)",
    "designated": "认定",
    "eligible": "是否符合条件",
    "reasons": "不符合原因",
    "item": "项目",
    "value": "数值",
    "key": "参数",
    "stage": "阶段",
    "status": "状态",
    "amount_wan": "金额(万元)",
    "year": "年度",
    "firm_id": "企业编号",
    "award": "奖项",
    "total_award_wan": "奖励合计(万元)",
    "total_score": "总得分",
    "budget_wan": "预算(万元)",
    "count": "数量",
    # compare, plan, sweep, tradeoff
    "batch": "批次名称",
    "size": "认定数",
    "follows_rules": "是否符合全部规则",
    "rules_broken": "违反的规则",
    "score_lost": "比最优少的分数",
    "awards_given": "是否给定奖励",
    "budget_left_wan": "预算结余(万元)",
    "n_ineligible": "不符合条件数",
    "regions_covered": "覆盖区域数",
    "deviation_wan": "偏离按比例分配(万元)",
    "off_proportional": "偏离按比例的单位",
    "in_optimum": "是否在最优名单",
    "proportional_wan": "按比例测算(万元)",
    "optimum_award_wan": "最优方案奖励(万元)",
    "cheapest_swap": "代价最小的替换",
    "city_match_wan": "市级配套(万元)",
    "total_support_wan": "支持合计(万元)",
    "n_designated": "认定数",
    "groups_covered": "覆盖区域数",
    "n_tied_batches": "同样好的批次数",
    "ties_complete": "是否列全",
    "tied_batches": "同样好的批次",
    "change": "名单变化",
    "mip_gap": "MIP 间隙",
    "why_no_batch": "无可行批次的原因",
    "pareto": "是否在帕累托前沿",
    "objective": "目标值",
    "bound": "界",
    "seconds": "用时(秒)",
    "min": "至少",
    "max": "至多",
    "label": "名称",
    "reading": "解读项",
    "meaning": "含义",
    "clause": "条款",
    "code": "设置代码(--set)",
    "n_applicants": "申报数",
    "n_eligible": "符合条件数",
    # evaluate
    "track": "类别",
    "unit_type": "单位类型",
    "designated_year": "认定年度",
    "performance_score": "绩效评价得分",
    "new_models": "是否有新模式",
    "demonstration": "是否示范",
    "meets_conditions": "是否仍符合条件",
    "outcome": "评价结果",
    "delisted": "是否摘牌",
    "commended": "表彰",
    "kept": "保留",
    # awards, simulate, stress
    "pay_year": "兑付年度",
    "revenue_year": "营收年度",
    "sector": "行业",
    "owed_wan": "应付(万元)",
    "paid_wan": "已付(万元)",
    "total_wan": "合计(万元)",
    "explanation": "测算说明",
    "revenue_years": "营收年度范围",
    "revenue_tier": "营收跨档奖励",
    "growth": "增长奖励",
    "service_mfg_demo": "服务型制造示范奖励",
    "industrial_design": "工业设计奖励",
    "platform": "平台奖励",
    "scenario": "情景",
    "mean_wan": "平均(万元)",
    "p95_wan": "第95百分位(万元)",
    "prob_over_budget": "超支概率",
    "mean_paid_wan": "平均实付(万元)",
    "mean_unpaid_wan": "平均当年未付(万元)",
    "smallest_budget_wan": "当年最小预算(万元)",
    "smallest_flat_budget_wan": "最小固定年预算(万元)",
    "deadweight_share": "无激励效应占比",
    "run": "模拟序号",
    "pay year": "兑付年度",
    "budget 万": "预算(万元)",
    "mean 万": "平均(万元)",
    "P50 万": "中位数(万元)",
    "P95 万": "第95百分位(万元)",
    "P99 万": "第99百分位(万元)",
    "overrun chance": "超支概率",
    "mean paid 万": "平均实付(万元)",
    # fundalloc design (issue 18)
    "line": "奖励项",
    "line_label": "奖励项名称",
    "rank": "排序",
    "assumption": "假设(键名)",
    "output": "输出",
    "ST": "总效应",
    "ST_conf": "总效应置信半宽",
    "S1": "一阶效应",
    "S1_conf": "一阶效应置信半宽",
    "decided": "是否待定",
    "published_wan": "现行金额(万元)",
    "designed_wan": "设计金额(万元)",
    "change_wan": "变化(万元)",
    "change_share": "变化比例",
    "binding": "是否起约束",
    "raised_in_sample_share": "提高一步后样本内超支概率",
    "raised_out_of_sample_share": "提高一步后样本外超支概率",
    "mean_claims_wan": "平均申领额(万元)",
    "p95_claims_wan": "95%分位申领额(万元)",
    "payer": "出资方",
    "in_sample_share": "样本内超支概率",
    "out_of_sample_share": "样本外超支概率",
    "ci_low_share": "置信区间下限",
    "ci_high_share": "置信区间上限",
    "within": "是否在区间内",
    "gap": "差距",
}
SHEETS_ZH = {
    "Designated": "认定名单",
    "All applicants": "全部申报单位",
    "By region": "分区域",
    "Award modes": "各奖励口径",
    "Solver": "求解过程",
    "Summary": "运行信息",
    "Parameters": "参数",
    "Payments": "兑现明细",
    "Compare": "方案比较",
    "By applicant": "分单位",
    "Awards grid": "奖励网格",
    "Awards": "奖励",
    "Trade-off": "权衡",
    "Pareto frontier": "帕累托前沿",
    "Batches": "各批次",
    "Applicants": "申报单位明细",
    "Plan": "规划名单",
    "By year": "分年度",
    "Sweep": "扫描结果",
    "Run": "运行信息",
    "Evaluation": "评价结果",
    "Delisted": "摘牌",
    "Commended": "表彰",
    "Readings": "条款解读",
    "By pay year": "分兑付年度",
    "By award": "分奖项",
    "By recipient": "分受奖单位",
    "Interpretations": "条款解读",
    "Policy": "政策条款",
    "Outlay": "模拟支出",
    "Stress": "压力情景",
    "p95 by pay year": "第95百分位",
    "Budgets": "最小预算",
    "Assumptions": "假设不确定性",
    "By payer": "分支付主体",
    "By budget": "不同预算",
    "Ranking": "敏感度排序",
    "All outputs": "全部输出",
    "Points": "抽样点",
}
HEAD_ROWS = 4  # title, meta line, Chinese header, machine-name header (hidden)


def header_label(name: str) -> str:
    """A column's Chinese (or English) header: the input declarations, else HEADERS_ZH."""
    from fundalloc.core.i18n import lang

    if lang() == "en":
        return name
    if name in HEADERS_ZH:
        return HEADERS_ZH[name]
    if name.startswith("budget for ≤") and name.endswith(" 万"):  # simulation's year table
        return f"超支≤{name[len('budget for ≤') : -2]}所需预算(万元)"
    if name.startswith("n_") and name[2:] in _GROUP_NAMES():
        return f"{_GROUP_NAMES()[name[2:]]}认定数"
    try:
        from fundalloc.core.columns import tables

        for t in tables().values():
            for c in t.columns:
                if c.name == name and c.zh:
                    return c.zh
    except Exception:  # the declarations are optional here
        pass
    return name


def _GROUP_NAMES() -> dict[str, str]:
    """Regional groups' Chinese names of every rule set (for n_<group> columns)."""
    try:
        from fundalloc.selection.rulesets import RULESETS

        out = {}
        for rs in RULESETS.values():
            for g, name in getattr(rs, "region_names", {}).items():
                out[g] = name.split(" ")[0]
        return out
    except Exception:  # the rule sets are optional here
        return {}


def sheet_title(name: str) -> str:
    from fundalloc.core.i18n import lang

    return (SHEETS_ZH.get(name, name) if lang() == "zh" else name)[:31]


def _money(name: str) -> bool:
    # "mean 万": the simulation's year table names its columns for people already
    return name.endswith("_wan") or name.endswith("_yuan") or name.endswith(" 万")


def _percent(name: str) -> bool:
    return name.endswith("_share") or name.startswith("share") or name.endswith("_rate")


def _cell(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    return v


def _width(v) -> int:
    text = str(v if v is not None else "")
    return len(text) + sum(ord(ch) > 0x2E80 for ch in text)


def write_workbook(
    path: Path,
    sheets: dict[str, pd.DataFrame],
    *,
    title: str | None = None,
    scenario: str = "",
    summary: Sequence[str] = (),
    unit: str | None = None,
    totals: Sequence[str] | None = None,
) -> Path:
    """The one writer of every command's workbook: a first sheet 摘要 with the answer in words,
    then each table under a title, a meta line (scenario, date, unit), bold Chinese headers with
    the machine names in a hidden row below (`read_workbook` reads by them), `#,##0` money,
    percentages as percentages, a totals row for money columns (on the sheets named in
    `totals`, where sums make sense; None: every sheet), frozen header, autofilter,
    fitted widths and a landscape fit-to-width A4 print set-up."""
    import datetime as dt

    from fundalloc.core import report_xlsx
    from fundalloc.core.i18n import tr

    title = title or tr("wb_title")
    unit = unit or tr("wb_unit")
    meta = tr("wb_meta", scenario=scenario or "-", date=dt.date.today().isoformat(), unit=unit)
    return report_xlsx.write_workbook(
        path, sheets, title=title, meta=meta, summary=summary, totals=totals
    )


def _words(frame: pd.DataFrame) -> pd.DataFrame:
    """In Chinese, the code words of a table as a person reads them: yes/no columns as 是/否,
    statuses, outcomes, award types, regional groups and the coded input values (county → 县,
    national → 国家级 …) in Chinese. Numbers and ids are left alone; in English nothing changes."""
    from fundalloc.core.display import value_word
    from fundalloc.core.i18n import lang, tr

    if lang() == "en":
        return frame
    out = frame.copy()
    for j, c in enumerate(frame.columns):
        series = frame.iloc[:, j]
        if pd.api.types.is_bool_dtype(series):
            yes, no = tr("report.yes"), tr("report.no")
            out.isetitem(j, series.map({True: yes, False: no}).astype(object))
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            words = {
                v: value_word(str(c), v) for v in series.dropna().unique() if isinstance(v, str)
            }
            if any(k != v for k, v in words.items()):
                out.isetitem(j, series.astype(object).map(words).where(series.notna(), None))
    return out


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """The tables of a workbook written by `write_workbook`, by their machine column names,
    keyed by sheet name, without the title rows, the summary sheet and the totals row."""
    from fundalloc.core.i18n import tr

    out = {}
    for name, frame in pd.read_excel(path, sheet_name=None, header=HEAD_ROWS - 1).items():
        if name == tr("wb_summary_sheet") or name in ("摘要", "Summary sheet"):
            continue
        if len(frame) and str(frame.iloc[-1, 0]) in ("合计", "Total"):
            frame = frame.iloc[:-1]
        out[name] = frame
    return out


A4_INCHES = (8.27, 11.69)


def pdf_report(path: Path, title: str, lines: Sequence[str], charts: Sequence[Path] = ()) -> Path:
    """report.pdf with matplotlib's PDF backend (no browser): page 1 (A4) the answer in words
    and the first chart, then one A4 page per further chart. Text is set in the CJK font."""
    import textwrap

    from matplotlib.backends.backend_pdf import PdfPages

    def page(pdf, top_text: Sequence[str], image: Path | None, heading: str) -> None:
        fig = plt.figure(figsize=A4_INCHES)
        fig.text(0.08, 0.95, heading, fontsize=16, weight="bold", va="top")
        y = 0.91
        for line in top_text:
            for part in textwrap.wrap(line, 44) or [""]:
                fig.text(0.08, y, part, fontsize=10.5, va="top")
                y -= 0.022
            y -= 0.008
        if image is not None:
            img = plt.imread(str(image))
            ratio = img.shape[0] / img.shape[1] * A4_INCHES[0] / A4_INCHES[1]
            h = min(0.84 * ratio, max(y - 0.06, 0.2))
            ax = fig.add_axes((0.08, max(y - 0.02 - h, 0.04), 0.84, h))
            ax.imshow(img)
            ax.axis("off")
        pdf.savefig(fig)
        plt.close(fig)

    with PdfPages(path) as pdf:
        page(pdf, lines, charts[0] if charts else None, title)
        for chart in charts[1:]:
            page(pdf, [], chart, title)
    return path
