"""Return model = Historical end to end: a filled History sheet, and the example with one
setting changed, through run.py's pipeline to the results workbook and the JSON (SPEC §3,
§5, §6); the lognormal JSON keeps the new keys null."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, raw_catalogue_keys
from test_historical_sequences import history_workbook
from test_libreoffice import convert_to_pdf, pdf_text

from engine.app import cli

PATHS = "1000"


def run_cli(source: Path, out: Path) -> tuple[dict, Path]:
    argv = [str(source), "--out", str(out), "--no-history", "--json", "--quiet", "--paths", PATHS]
    assert cli.main(argv) == 0
    (results,) = out.glob("*.xlsx")
    return json.loads(results.with_suffix(".json").read_text("utf-8")), results


def sheet_text(results: Path, sheet: str) -> str:
    book = openpyxl.load_workbook(results, read_only=True)
    try:
        return "\n".join(
            str(v) for row in book[sheet].iter_rows(values_only=True) for v in row if v is not None
        )
    finally:
        book.close()


def historical_copy(source: Path, target: Path) -> Path:
    """``source`` with Settings › Return model = Historical (the only change)."""
    book = openpyxl.load_workbook(source)
    changed = 0
    for row in book["Settings"].iter_rows():
        if row[0].value == "Return model":
            row[1].value = "Historical"
            changed += 1
    assert changed == 1
    book.save(target)
    return target


@pytest.fixture(scope="module")
def example_historical(tmp_path_factory) -> tuple[dict, Path]:
    if not EXAMPLE.exists():
        pytest.skip("no example workbook")
    root = tmp_path_factory.mktemp("historical")
    source = historical_copy(EXAMPLE, root / "example-historical.xlsx")
    return run_cli(source, root / "out")


def test_a_filled_history_sheet_runs_end_to_end(tmp_path):
    summary, results = run_cli(history_workbook(tmp_path / "history.xlsx"), tmp_path / "out")
    mc = summary["monte_carlo"]
    assert mc["return_model"] == "Historical" == summary["assumptions"]["return_model"]
    assert mc["historical_sequence_success"] == 1.0
    hist = mc["historical"]
    assert hist["windows"] == 25 and hist["window_months"] == 12
    assert (hist["first_start"], hist["last_start"]) == ("2020-01", "2022-01")
    assert hist["months_used"] == {"first": "2020-01", "last": "2022-12", "count": 36}
    assert hist["worst_starts"][0]["start"] == "2021-01"
    assert [r["start_year"] for r in hist["success_by_start_year"]] == [2020, 2021, 2022]
    series = {s["factor"]: s for s in hist["series"]}
    assert series["Domestic equity"]["series"] == "S"
    assert series["Domestic equity"]["origin"] == "History sheet"
    assert series["Inflation"]["series"] == "Inflation"
    # the mapped index falls 2021-01 … 2021-12 (−2% a month) and recovers in 2022
    (crash,) = [c for c in summary["stress"]["historical_crashes"] if "2020-12" in c["name"]]
    assert crash["name"] == "S 2020-12 → 2021-12 (−22%)" and crash["survived"]
    text = sheet_text(results, "Monte Carlo")
    assert "Historical sequences" in text and "Success by starting year" in text
    assert "S 2020-12 → 2021-12 (−22%)" in sheet_text(results, "Stress Test")


def test_the_example_runs_historical_by_changing_one_setting(example_historical):
    summary, results = example_historical
    mc = summary["monte_carlo"]
    assert mc["return_model"] == "Historical"
    assert 0 < mc["success_probability"] <= 1 and 0 < mc["historical_sequence_success"] <= 1
    hist = mc["historical"]
    assert hist["windows"] == 1829 - 480 + 1
    assert hist["months_used"] == {"first": "1871-02", "last": "2023-06", "count": 1829}
    assert len(hist["worst_starts"]) == 3
    assert {s["series"] for s in hist["series"] if s["factor"].endswith("equity")} == {"US stocks"}
    crashes = [c["name"] for c in summary["stress"]["historical_crashes"]]
    assert crashes[0] == "US stocks 1929-09 → 1932-06 (−85%)" and len(crashes) == 3
    assert len(summary["stress"]["scenarios"]) == 6  # the Scenarios rows are still there
    about = sheet_text(results, "About")
    assert "Shiller" in about and "PDDL 1.0" in about and "monthly average" in about


def test_the_lognormal_json_keeps_the_historical_keys_null(tmp_path):
    if not EXAMPLE.exists():
        pytest.skip("no example workbook")
    source = tmp_path / "example.xlsx"
    shutil.copy(EXAMPLE, source)
    summary, results = run_cli(source, tmp_path / "out")
    mc = summary["monte_carlo"]
    assert mc["return_model"] == "Lognormal"
    assert mc["historical_sequence_success"] is None and mc["historical"] is None
    assert summary["stress"]["historical_crashes"] == []
    assert "Return model: Lognormal" in sheet_text(results, "Monte Carlo")
    assert "Shiller" not in sheet_text(results, "About")


@pytest.mark.libreoffice
def test_libreoffice_renders_the_historical_sheets(example_historical, soffice, tmp_path):
    _, results = example_historical
    (pdf,) = convert_to_pdf(soffice, [results], tmp_path / "pdf", tmp_path / "profile")
    text = pdf_text(pdf)
    for words in ("Historical sequences", "Success by starting year", "1929-09", "Shiller"):
        assert words in text


def test_no_raw_catalogue_key_and_the_crash_names_fit(example_historical):
    """Every string the Historical run writes is words, not a catalogue key (the Stress
    sheet's note on the historical crashes once came out as its key); column A of the
    Stress sheet is as wide as the longest crash name."""
    _, results = example_historical
    assert raw_catalogue_keys(results) == []
    book = openpyxl.load_workbook(results)
    stress = book["Stress Test"]
    names = [
        c.value
        for c in stress["A"]
        if isinstance(c.value, str) and c.value.startswith("US stocks ")
    ]
    assert names and stress.column_dimensions["A"].width >= max(map(len, names))
