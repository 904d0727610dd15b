"""Assemble the results workbook (SPEC §5): sheets in order, writers in computation order.

The sheets are created first in ``SHEET_ORDER`` (Dashboard first), then the hidden
``_chart_data`` sheet; the writers then run in *computation* order (A1 … A6, the order
of ``sheets``) so a writer can publish cell ranges in ``ctx.refs`` that a later one
charts (the Dashboard is written last although it is the first sheet). Inputs and
About close. The file is written atomically (``engine.fsio.atomic_write``); when the
target is locked (open in Excel), the result goes to ``… (2).xlsx``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from engine import __version__
from engine.fsio import atomic_write
from engine.i18n import T, current, date_words, sheet_title
from engine.model import Inputs
from engine.report.common import DATA_SHEET, Formats, ReportContext

#: Output sheet order (SPEC §5); Inputs and About are written here, the others by the
#: writer of their analysis.
SHEET_ORDER: tuple[str, ...] = (
    "Dashboard",
    "Balance Sheet",
    "Stress Test",
    "Defense",
    "Snowball",
    "Monte Carlo",
    "Inputs",
    "About",
)
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class RunInfo:
    """Facts about this run that the results record (About sheet, JSON, history)."""

    input_path: Path
    run_time: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    seed: int | None = None  # effective Monte Carlo seed
    paths: int | None = None  # effective Monte Carlo paths
    input_sha256: str = ""
    #: A fixed document "created" date (and About run time) for byte-identical output.
    pinned_created: datetime | None = None
    warnings: tuple[str, ...] = ()  # run-level warnings (history, …) beside the input's own
    history_path: Path | None = None

    @property
    def input_name(self) -> str:
        return Path(self.input_path).name

    @property
    def created(self) -> datetime:
        return self.pinned_created or self.run_time


def results_file_name(input_path: Path, valuation_date) -> str:
    """``<input stem> results <valuation date YYYY-MM-DD>.xlsx`` (SPEC §5)."""
    return f"{Path(input_path).stem} results {valuation_date.isoformat()}.xlsx"


@dataclass(frozen=True)
class Sheet:
    """One analysis's sheet: its name, its writer (``write(ws, result, ctx)``), its result."""

    name: str
    writer: Any
    result: Any


def build_workbook(
    path: Path,
    inputs: Inputs,
    sheets: Sequence[Sheet],
    results: Mapping[str, Any],
    run_info: RunInfo,
) -> None:
    """Write the whole results workbook to ``path`` (not atomic: see ``write_results``).

    ``sheets``: the analyses' sheets in computation order; ``results``: every result by
    analysis key (a writer may read another's, e.g. the Dashboard's charts).
    """
    # Imported here so the two own-sheet modules stay off the import path of the CLI.
    from engine.report import about, inputs_sheet

    settings = inputs.settings
    writers = {sheet.name: sheet for sheet in sheets}
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        present = [s for s in SHEET_ORDER if s in writers or s in ("Inputs", "About")]
        worksheets = {name: book.add_worksheet(sheet_title(name)) for name in present}
        data_ws = book.add_worksheet(DATA_SHEET)
        data_ws.hide()
        ctx = ReportContext(
            book=book,
            fmt=Formats(book, settings.base_currency),
            currency=settings.base_currency,
            results=results,
            data_ws=data_ws,
            lang=current(),
        )
        for sheet in sheets:  # computation order
            sheet.writer.write(worksheets[sheet.name], sheet.result, ctx)
        inputs_sheet.write(worksheets["Inputs"], inputs, ctx)
        about.write(worksheets["About"], inputs, run_info, ctx, present, [s.name for s in sheets])
        for ws in worksheets.values():
            _default_header_footer(ws, settings.valuation_date)
        worksheets[present[0]].activate()
        worksheets[present[0]].set_first_sheet()
        book.set_properties(
            {
                "title": T(
                    "wb.title", portfolio=settings.portfolio_name, date=settings.valuation_date
                ),
                "subject": T("wb.subject"),
                "author": T("wb.author"),
                "company": "",
                "keywords": T("wb.keywords"),
                "comments": T(
                    "wb.comments",
                    version=__version__,
                    input=run_info.input_name,
                    date=settings.valuation_date,
                    seed=run_info.seed,
                    paths=run_info.paths,
                ),
                "created": run_info.created,
            }
        )
    finally:
        book.close()


def page_header(valuation_date: date) -> str:
    """The printed header: the sheet's name left, the valuation date right.

    The date the figures are at, never the printing date (``&D``): a page printed next
    month still says which day it describes.
    """
    return "&L&A&R" + T("wb.valuation_date", date=date_words(valuation_date))


def _default_header_footer(ws, valuation_date: date) -> None:
    """Every printed page names its sheet and valuation date and numbers itself, unless a
    writer chose otherwise."""
    if not ws.header:
        ws.set_header(page_header(valuation_date))
    if not ws.footer:
        ws.set_footer("&C" + T("wb.page_of"))


def write_results(
    inputs: Inputs,
    sheets: Sequence[Sheet],
    results: Mapping[str, Any],
    out_dir: Path,
    run_info: RunInfo,
) -> tuple[Path, str | None]:
    """Write the results workbook into ``out_dir``; return its path and a message or None
    (the target was locked, so another name was used). The input is only ever read."""
    target = Path(out_dir) / results_file_name(run_info.input_path, inputs.settings.valuation_date)
    return atomic_write(target, lambda tmp: build_workbook(tmp, inputs, sheets, results, run_info))
