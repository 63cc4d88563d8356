"""What every command's report says first: the answer, on one A4 page.

A command builds one `Answer` (a title, a one-sentence headline, the key figures, a few
sentences more, one chart and the main table) plus the details for later pages; `write_reports`
turns it into `report.html` (print CSS: page 1 is the answer, details after a page break) and
`report.pdf` (matplotlib's PDF backend, no browser), and `summary_lines` gives the workbook's
摘要 sheet the same words, so the three never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

# rows of the main table shown on page 1 (the rest is on the later pages and in the workbook)
MAIN_ROWS = 12


@dataclass
class Answer:
    title: str
    headline: str
    figures: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()
    chart: Path | None = None
    table: pd.DataFrame | None = None
    table_title: str = ""
    scenario: str = ""
    # later pages: (heading, content) with content a DataFrame, a PNG Path, a list of them,
    # or a sentence
    details: list[tuple[str, object]] = field(default_factory=list)
    date: str = field(default_factory=lambda: dt.date.today().isoformat())

    def summary_lines(self) -> list[str]:
        """The answer in words, as the workbook's 摘要 sheet shows it."""
        from fundalloc.core.i18n import tr

        sep = tr("report.colon")
        return [
            self.headline,
            *(f"{k}{sep}{v}" for k, v in self.figures),
            *self.notes,
        ]

    def meta(self) -> str:
        from fundalloc.core.i18n import tr

        return tr("report.meta", scenario=self.scenario or "-", date=self.date)

    def main_rows(self) -> pd.DataFrame | None:
        return None if self.table is None else self.table.head(MAIN_ROWS)

    def charts(self) -> list[Path]:
        """Every chart: the answer's, then those among the details."""
        out = [self.chart] if self.chart is not None else []
        for _, content in self.details:
            items = content if isinstance(content, (list, tuple)) else [content]
            out += [c for c in items if isinstance(c, Path)]
        return out


def write_reports(folder: Path, answer: Answer) -> tuple[Path, Path]:
    """report.html and report.pdf of one answer."""
    from fundalloc.core.report_html import answer_html
    from fundalloc.core.report_pdf import answer_pdf

    return (
        answer_html(folder / "report.html", answer),
        answer_pdf(folder / "report.pdf", answer),
    )


def write_workbook_of(
    path: Path,
    answer: Answer,
    sheets: dict[str, pd.DataFrame],
    *,
    totals: Sequence[str] = (),
    unit: str | None = None,
) -> Path:
    """The command's workbook, its title and 摘要 sheet taken from the answer; a totals row on
    the sheets named in `totals` (those whose money columns add up to something)."""
    from fundalloc.core.report import write_workbook

    return write_workbook(
        path,
        sheets,
        title=answer.title,
        scenario=answer.scenario,
        summary=answer.summary_lines(),
        unit=unit,
        totals=totals,
    )
