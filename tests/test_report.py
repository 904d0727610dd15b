"""The results workbook: sheets, Inputs and About content, atomic write, locked target, JSON."""

from __future__ import annotations

import json
import math
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from conftest import HYPERLINK_NAME

from engine import __version__, fsio
from engine.app.pipeline import TIMING_KEYS, build_summary, write_workbook
from engine.i18n import T
from engine.jsonable import jsonable
from engine.report import about
from engine.report.common import DATA_SHEET
from engine.report.summary import dumps, write_summary
from engine.report.workbook import SHEET_ORDER, RunInfo, results_file_name
from engine.schema import HOLDINGS, LOANS, SETTINGS

PINNED = datetime(2026, 1, 1)


def info(tmp_path: Path, **kw) -> RunInfo:
    kw.setdefault("input_path", tmp_path / "household.xlsx")
    kw.setdefault("seed", 42)
    kw.setdefault("paths", 200)
    kw.setdefault("input_sha256", "ab" * 32)
    return RunInfo(**kw)


def cells(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def header_row(ws, first: str, second: str) -> tuple[int, list]:
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[0] == first and row[1] == second:
            return i, [v for v in row if v is not None]
    raise AssertionError(f"no header row starting {first}, {second}")


@pytest.fixture
def written(run, tmp_path):
    path, message = write_workbook(run, tmp_path / "results", info(tmp_path))
    return path, message


def test_file_name_and_location(written, tmp_path):
    path, message = written
    assert message is None
    assert path == tmp_path / "results" / "household results 2026-01-01.xlsx"
    assert results_file_name(Path("a/b/my plan.xlsm"), PINNED.date()) == (
        "my plan results 2026-01-01.xlsx"
    )


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_results_file_has_ordinary_permissions(written):
    path, _ = written
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_sheets_in_order_with_hidden_chart_data(written, run):
    path, _ = written
    book = openpyxl.load_workbook(path)
    present = {a.sheet for a in run.analyses}
    expected = [s for s in SHEET_ORDER if s in present or s in ("Inputs", "About")]
    assert book.sheetnames == expected + [DATA_SHEET]
    assert book[DATA_SHEET].sheet_state == "hidden"
    assert book.active.title == expected[0]
    assert book.properties.creator == "ALM engine"
    assert "Test" in book.properties.title


def test_every_sheet_prints_landscape_fitted_with_its_title_rows_and_frozen_panes(written):
    """SPEC §5: freeze panes, print setup (landscape, fit to width)."""
    book = openpyxl.load_workbook(written[0])
    for ws in book.worksheets:
        if ws.title == DATA_SHEET:
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 page wide (1 = omitted)
        if ws.title != "Dashboard":  # one page: nothing to repeat or freeze
            assert ws.print_title_rows == "$1:$2", ws.title
            assert ws.freeze_panes is not None, ws.title


def test_chart_percentages_have_one_decimal(written):
    """SPEC §5: percentages as 0.0%, in the charts' axes and labels too."""
    import re
    import zipfile

    with zipfile.ZipFile(written[0]) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    codes = {c for xml in charts for c in re.findall(r'formatCode="([^"]*%[^"]*)"', xml)}
    assert charts and codes == {"0.0%"}


def test_formula_like_holding_name_is_text(written):
    path, _ = written
    ws = openpyxl.load_workbook(path)["Inputs"]
    hits = [c for row in ws.iter_rows() for c in row if c.value == HYPERLINK_NAME]
    assert hits, "the holding name must appear in the Inputs sheet"
    assert all(c.data_type == "s" for c in hits)  # a string, never a formula ("f")
    book = openpyxl.load_workbook(path)
    assert not any(
        c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row
    ), "no sheet of this run should contain a formula made from user text"


def test_inputs_sheet_columns_come_from_the_schema(written, inputs):
    path, _ = written
    ws = openpyxl.load_workbook(path)["Inputs"]
    row, header = header_row(ws, "Name", "Ticker")
    assert header == [c.name for c in HOLDINGS.columns]
    first = [c.value for c in ws[row + 1]][: len(HOLDINGS.columns)]
    assert first[0] == "Core equity" and first[2] == "Domestic equity"
    assert first[4] == pytest.approx(100e6 / 1000)

    row, header = header_row(ws, "Name", "Type")
    assert header[: len(LOANS.columns)] == [c.name for c in LOANS.columns]
    loan = dict(zip(header, [c.value for c in ws[row + 1]], strict=False))
    assert loan["Name"] == "SBL" and loan["Freeze LTV"] == pytest.approx(0.60)
    assert loan["Liquidation LTV"] == pytest.approx(0.85)


def test_inputs_sheet_settings_correlations_and_resolved_values(written, inputs):
    path, _ = written
    rows = cells(openpyxl.load_workbook(path)["Inputs"])
    by_name = {r[0]: r[1] for r in rows if r[0] is not None}
    for column in SETTINGS:
        assert column.name in by_name
    assert by_name["Base currency"] == "JPY"
    assert by_name["Dividend tax rate"] == pytest.approx(0.20315)
    assert by_name["Month-0 living expenses"] == pytest.approx(80_000)
    labels = inputs.correlations.labels
    corr_header = next(r for r in rows if r[1] == labels[0] and r[2] == labels[1])
    assert [v for v in corr_header[1:] if v is not None] == list(labels)
    assert by_name["FX:USD"] == pytest.approx(inputs.correlations.get("FX:USD", labels[0]))


def test_about_sheet(written, inputs):
    path, _ = written
    text = "\n".join(
        str(v) for r in cells(openpyxl.load_workbook(path)["About"]) for v in r if v is not None
    )
    assert f"ALM engine {__version__}" in text
    assert "ab" * 32 in text and "household.xlsx" in text
    assert "a month's gains and losses are netted" in text
    assert "s² = ln(1 + σ²/(1+μ)²)" in text
    conventions = about.cashflow_conventions()
    assert len(conventions) >= 4 and all(c in text for c in conventions)
    assert "Annual rows are spread evenly" in text
    for sheet in ("Inputs", "About"):
        assert T(about.SHEET_GUIDE[sheet]) in text  # a catalogue key, in English here


def test_pinned_created_gives_byte_identical_files(run, tmp_path):
    a, _ = write_workbook(run, tmp_path / "a", info(tmp_path, pinned_created=PINNED))
    b, _ = write_workbook(run, tmp_path / "b", info(tmp_path, pinned_created=PINNED))
    assert a.read_bytes() == b.read_bytes()
    assert openpyxl.load_workbook(a).properties.created == PINNED


def test_failed_write_leaves_no_file_and_no_temp(run, tmp_path, monkeypatch):
    out = tmp_path / "results"

    def explode(*args, **kwargs):
        raise RuntimeError("writer failed half way")

    monkeypatch.setattr(about, "write", explode)
    with pytest.raises(RuntimeError, match="half way"):
        write_workbook(run, out, info(tmp_path))
    assert list(out.iterdir()) == []


def test_failed_write_keeps_the_previous_results(run, tmp_path, monkeypatch):
    out = tmp_path / "results"
    first, _ = write_workbook(run, out, info(tmp_path))
    before = first.read_bytes()
    monkeypatch.setattr(about, "write", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_workbook(run, out, info(tmp_path))
    assert first.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [first.name]


def test_locked_target_goes_to_numbered_file(run, tmp_path, monkeypatch):
    out = tmp_path / "results"
    target = out / "household results 2026-01-01.xlsx"
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(fsio.os, "replace", replace)
    path, message = write_workbook(run, out, info(tmp_path))
    assert path == out / "household results 2026-01-01 (2).xlsx"
    assert "locked" in message and path.name in message
    assert sorted(p.name for p in out.iterdir()) == [path.name]
    openpyxl.load_workbook(path)

    # (2) exists and is locked too → (3)
    def replace_again(src, dst):
        if Path(dst) in (target, path):
            raise PermissionError(13, "locked", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(fsio.os, "replace", replace_again)
    path3, message3 = write_workbook(run, out, info(tmp_path))
    assert path3.name == "household results 2026-01-01 (3).xlsx" and message3


@pytest.fixture(scope="module")
def module_run():
    from conftest import small_inputs

    from engine.analyses.options import RunOptions
    from engine.app.pipeline import run_analyses

    return run_analyses(small_inputs(), RunOptions(paths=200))


def _previous_results(run, tmp_path) -> tuple[Path, Path, bytes]:
    out = tmp_path / "results"
    target, _ = write_workbook(run, out, info(tmp_path))
    return out, target, target.read_bytes()


def _assert_went_to_2(out: Path, target: Path, before: bytes, path: Path, message) -> None:
    assert path == out / "household results 2026-01-01 (2).xlsx"
    assert "is open in another program (locked)" in message and path.name in message
    assert target.read_bytes() == before  # the locked file is left as it was
    openpyxl.load_workbook(path)
    assert not [p for p in out.iterdir() if p.name.startswith(".~tmp")]


def test_read_only_target_goes_to_numbered_file(module_run, tmp_path):
    out, target, before = _previous_results(module_run, tmp_path)
    os.chmod(target, 0o444)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("file modes do not bind this user (root); see the held-handle test")
        _assert_went_to_2(out, target, before, *write_workbook(module_run, out, info(tmp_path)))
    finally:
        os.chmod(target, 0o644)


def test_target_held_open_as_excel_does_on_windows(module_run, tmp_path, monkeypatch):
    """Windows: a file open in Excel cannot be opened for writing by anyone else."""
    out, target, before = _previous_results(module_run, tmp_path)

    def held_open(file, mode="r", *args, **kwargs):
        if Path(file) == target and mode != "rb":
            raise PermissionError(13, "The process cannot access the file because it is "
                                  "being used by another process", str(file))  # fmt: skip
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(fsio, "open", held_open, raising=False)
    _assert_went_to_2(out, target, before, *write_workbook(module_run, out, info(tmp_path)))


@pytest.mark.skipif(os.name != "nt", reason="a Windows share-mode lock")
def test_target_locked_by_a_real_windows_handle(module_run, tmp_path):  # pragma: no cover
    import ctypes
    from ctypes import wintypes

    out, target, before = _previous_results(module_run, tmp_path)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    generic_read, no_sharing, open_existing = 0x80000000, 0, 3
    handle = kernel32.CreateFileW(
        str(target), generic_read, no_sharing, None, open_existing, 0, None
    )
    assert handle not in (None, wintypes.HANDLE(-1).value), ctypes.get_last_error()
    try:
        _assert_went_to_2(out, target, before, *write_workbook(module_run, out, info(tmp_path)))
    finally:
        kernel32.CloseHandle(handle)


def test_locked_target_message_reaches_the_user_and_the_log(
    tmp_path, fake_reader, capsys, monkeypatch
):
    from engine.app import cli

    source = tmp_path / "in" / "household.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"read by the fake reader")
    argv = ["--out", str(tmp_path / "out"), "--no-history", "--quiet", str(source)]
    assert cli.main(argv) == 0
    target = tmp_path / "out" / "household results 2026-01-01.xlsx"
    monkeypatch.setattr(fsio, "_writable", lambda path: path != target)
    assert cli.main(argv) == 0  # the results were written, under another name
    err = capsys.readouterr().err
    assert "household results 2026-01-01.xlsx is open in another program (locked)" in err
    assert "household results 2026-01-01 (2).xlsx instead" in err
    assert "(2).xlsx instead" in (tmp_path / "out" / "run.log").read_text("utf-8")


def test_summary_keys_and_strict_json(run, tmp_path):
    summary = build_summary(run, info(tmp_path), {"read": 0.25, "write": 0.5, "total": 1.0})
    for key in ("engine_version", "portfolio", "valuation_date", "base_currency", "paths",
                "seed", "warnings", "timings_s"):  # fmt: skip
        assert key in summary
    assert summary["valuation_date"] == "2026-01-01" and summary["paths"] == 200
    for a in run.analyses:
        assert a.key in summary
    assert list(summary["timings_s"]) == list(TIMING_KEYS)
    assert summary["timings_s"]["read"] == 0.25
    assert json.loads(dumps(summary)) == summary

    path = tmp_path / "x results 2026-01-01.xlsx"
    written = write_summary(summary, path)
    assert written == tmp_path / "x results 2026-01-01.json"
    assert json.loads(written.read_text(encoding="utf-8"))["portfolio"] == "Test"


def test_jsonable_removes_nan_and_numpy():
    value = {"a": np.float64("nan"), "b": np.int64(3), "c": [np.inf, 1.5], "d": np.array([1, 2])}
    out = jsonable(value)
    assert out == {"a": None, "b": 3, "c": [None, 1.5], "d": [1, 2]}
    with pytest.raises(ValueError):
        dumps({"x": math.nan})
