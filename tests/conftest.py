"""Shared fixtures: hand-made inputs, a fake reader, the example workbook, LibreOffice."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbooks" / "example.xlsx"
HYPERLINK_NAME = '=HYPERLINK("http://example.com","x")'

sys.path.insert(0, str(Path(__file__).resolve().parent))

import factories  # noqa: E402


def small_inputs(**settings_kw):
    """A small household: pledged equity, cash, a secured loan, a line, living costs.

    One holding is named like a formula, to prove user text stays text.
    """
    settings_kw.setdefault("mc_paths", 200)
    return factories.make_inputs(
        holdings=(
            factories.equity("Core equity", 100e6, pledged_to="SBL"),
            factories.equity(HYPERLINK_NAME, 25e6, pledged_to="SBL"),
            factories.cash(10e6),
        ),
        loans=(factories.secured_loan(), factories.line()),
        cashflows=(factories.expense(),),
        **settings_kw,
    )


@pytest.fixture
def inputs():
    return small_inputs()


@pytest.fixture
def run(inputs):
    from engine.analyses.options import RunOptions
    from engine.app.pipeline import run_analyses

    return run_analyses(inputs, RunOptions(paths=200))


@pytest.fixture
def fake_reader(monkeypatch):
    """Replace ``engine.io.reader`` by one that returns ``small_inputs`` for any path.

    Lets the CLI be tested end to end whatever state the real reader is in. Set
    ``fake_reader.error`` to an exception to raise it for every file, or
    ``fake_reader.errors[file name]`` for one file.
    """
    module = types.ModuleType("engine.io.reader")
    state = types.SimpleNamespace(error=None, errors={}, calls=[], inputs=None)

    def read_workbook(path):
        state.calls.append(Path(path))
        error = state.errors.get(Path(path).name, state.error)
        if error is not None:
            raise error
        base = state.inputs or small_inputs()
        from dataclasses import replace

        return replace(
            base,
            source_name=Path(path).name,
            settings=replace(base.settings, portfolio_name=Path(path).stem),
        )

    module.read_workbook = read_workbook
    monkeypatch.setitem(sys.modules, "engine.io.reader", module)
    import engine.io

    monkeypatch.setattr(engine.io, "reader", module, raising=False)
    return state


def reader_available() -> bool:
    return importlib.util.find_spec("engine.io.reader") is not None


@pytest.fixture
def example_workbook(tmp_path) -> Path:
    """A copy of workbooks/example.xlsx in a temp folder (the original is never touched)."""
    if not EXAMPLE.exists() or not reader_available():
        if os.environ.get("CI"):
            pytest.fail("workbooks/example.xlsx and engine.io.reader must exist in CI")
        pytest.skip("the example workbook or the reader has not landed yet")
    target = tmp_path / "in" / "example.xlsx"
    target.parent.mkdir()
    shutil.copy2(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice executable. Missing: skip locally, fail in CI (CI env set)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


@pytest.fixture(autouse=True)
def _no_console_wait(monkeypatch):
    """Tests never wait for Enter, and default folders never depend on the caller's cwd."""
    monkeypatch.setenv("ALM_NO_WAIT", "1")
    monkeypatch.delenv("ALM_INVOKED_FROM", raising=False)


def raw_catalogue_keys(results: Path) -> list[tuple[str, str]]:
    """(part, key) for every catalogue key written as it is, not in words, in any XML part
    of a results workbook (cells, charts, sheet names)."""
    import re
    import zipfile

    from engine.i18n import CATALOGUE

    found = []
    with zipfile.ZipFile(results) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                found += [(name, k) for k in re.findall(r">([a-z]{2,6}\.[a-z0-9_]+)<", xml)
                          if k in CATALOGUE]  # fmt: skip
    return found
