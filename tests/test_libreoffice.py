"""A real spreadsheet application opens every output: LibreOffice headless → PDF (SPEC §5).

These tests must run in CI: without ``soffice`` they skip locally but FAIL when the
``CI`` environment variable is set (``.ci/run`` installs LibreOffice).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, reader_available, small_inputs

from engine.analyses.options import RunOptions
from engine.app import cli
from engine.app.pipeline import run_analyses, write_workbook
from engine.report.workbook import RunInfo

pytestmark = pytest.mark.libreoffice
TIMEOUT_S = 180


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (poppler-utils) is required in CI")
        pytest.skip(f"{name} is not installed")
    return exe


def convert_to_pdf(soffice: str, files: list[Path], out_dir: Path, profile: Path) -> list[Path]:
    """Convert with LibreOffice headless in a private profile; return the PDFs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout}{result.stderr}"
    return pdfs


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory) -> list[tuple[Path, Path]]:
    """(workbook, pdf) pairs: a hand-made run and, when it exists, the example via the CLI."""
    root = tmp_path_factory.mktemp("libreoffice")
    run = run_analyses(small_inputs(), RunOptions(paths=200))
    made, _ = write_workbook(
        run, root / "out", RunInfo(input_path=root / "household.xlsx", seed=42, paths=200)
    )
    books = [made]
    if EXAMPLE.exists() and reader_available():
        code = cli.main(
            ["--out", str(root / "out"), "--no-history", "--paths", "200", "--quiet", str(EXAMPLE)]
        )
        assert code == 0
        books += sorted((root / "out").glob("example results *.xlsx"))
    elif os.environ.get("CI"):
        pytest.fail("the example workbook and the reader must exist in CI")
    pdfs = convert_to_pdf(soffice, books, root / "pdf", root / "profile")
    return list(zip(books, pdfs, strict=True))


def test_results_reload_in_openpyxl(converted):
    for book_path, _ in converted:
        book = openpyxl.load_workbook(book_path)
        assert "Inputs" in book.sheetnames and "About" in book.sheetnames


def test_every_visible_sheet_renders_in_libreoffice(converted):
    for book_path, pdf in converted:
        book = openpyxl.load_workbook(book_path)
        visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
        text = pdf_text(pdf)
        assert pdf_pages(pdf) >= len(visible)
        # Every printed page is headed by its sheet name (unless a writer chose its own
        # header, in which case it must still name the sheet somewhere on the page).
        missing = [name for name in visible if name not in text]
        assert not missing, f"{book_path.name}: sheets missing from the PDF: {missing}"
        assert "Capital-gains tax: each Taxable position keeps its average cost" in " ".join(
            text.split()
        )
