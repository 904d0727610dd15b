"""The Dashboard prints on exactly one landscape page in LibreOffice (SPEC §4 A6, §5).

Like ``test_libreoffice``, these skip locally without ``soffice`` but fail in CI.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLE, reader_available, small_inputs
from test_dashboard import BLOCKS, SBL, household, write_dashboard_only
from test_libreoffice import _tool, convert_to_pdf, pdf_pages

from engine.analyses.dashboard import from_blocks
from engine.analyses.options import RunOptions
from engine.app import cli
from engine.app.pipeline import run_analyses, write_workbook
from engine.report.workbook import RunInfo

pytestmark = pytest.mark.libreoffice


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def many_loans_blocks(n: int = 8) -> dict:
    loans = [
        {**SBL, "name": f"Loan {i}", "ltv": 0.3 + 0.06 * i, "drawdown_to_freeze": None}
        for i in range(n)
    ]
    return {**BLOCKS, "balance_sheet": {**BLOCKS["balance_sheet"], "loans": loans}}


@pytest.fixture(scope="module")
def printed(soffice, tmp_path_factory) -> dict[str, Path]:
    """name → PDF of: two dashboard-only workbooks, a full results workbook, the example."""
    root = tmp_path_factory.mktemp("dashboard_print")
    history = [
        {"valuation_date": date(2025, 7, 1), "net_worth": 80e6, "max_ltv": 0.45},
        {"valuation_date": date(2025, 10, 1), "net_worth": 90e6, "max_ltv": 0.42},
    ]
    books = {
        "one_run": write_dashboard_only(from_blocks(household(), BLOCKS), root / "one_run.xlsx"),
        "busy": write_dashboard_only(
            from_blocks(household(), many_loans_blocks(), history), root / "busy.xlsx"
        ),
    }
    run = run_analyses(small_inputs(), RunOptions(paths=200))
    books["full"], _ = write_workbook(
        run, root / "full", RunInfo(input_path=root / "household.xlsx", seed=42, paths=200)
    )
    if EXAMPLE.exists() and reader_available():
        argv = ["--out", str(root / "ex"), "--no-history", "--paths", "200", "--quiet"]
        assert cli.main([*argv, str(EXAMPLE)]) == 0
        books["example"] = next((root / "ex").glob("example results *.xlsx"))
    pdfs = convert_to_pdf(soffice, list(books.values()), root / "pdf", root / "profile")
    return dict(zip(books, pdfs, strict=True))


def test_dashboard_alone_is_one_page(printed):
    for name in ("one_run", "busy"):
        assert pdf_pages(printed[name]) == 1, name
    text = page_text(printed["busy"], 1)
    assert "Trend over past runs" in text and "Loan 7" in text
    assert "The trend appears after your second run" in page_text(printed["one_run"], 1)


@pytest.mark.parametrize("name", ["full", "example"])
def test_dashboard_is_the_first_page_and_only_one(printed, name):
    if name not in printed:
        pytest.skip("the example workbook or the reader has not landed yet")
    first, second = page_text(printed[name], 1), page_text(printed[name], 2)
    assert first.lstrip().startswith("Dashboard")  # the page header names its sheet
    assert "Traffic-light rules" in first  # the bottom of the Dashboard is on page 1
    assert second.lstrip().startswith("Balance Sheet")
