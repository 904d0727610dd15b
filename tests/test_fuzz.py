"""Fuzzed workbooks (issue #8; SPEC §5, §8): the example, edited the ways people edit it.

Each case starts from workbooks/example.xlsx and applies one to five random edits
(``tests/fuzzing.py``): cells set to wrong types, blanks, negatives, zero, 1e300,
NaN-like text, dates in number columns, 32,767-character, Japanese and emoji text,
formula-like text, formulas without a saved value; rows deleted, duplicated or blank in
the middle; sheets renamed or deleted; columns shuffled. The case then goes through the
command line's own per-workbook function, in-process (read → analyses → results workbook
→ summary JSON → history), with 100 Monte Carlo paths and, unless an edit changes it, a
10-year horizon (both for speed). It must end in either

- a results workbook, complete, where no cell holds a NaN, an infinity or an error
  value and no user text became a formula, with a strict-JSON summary; or
- a validation report naming sheets, and no file written at all;

never an internal error, and the input file is never modified.

The CI budget is ``ALM_FUZZ_EXAMPLES`` cases (default 100). A long run, e.g.:

    ALM_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_fuzz.py -q -s

prints how many cases ended each way.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import EXAMPLE, REPO
from fuzzing import (
    FORMULA_LIKE,
    LONG_JAPANESE,
    LONG_TEXT,
    Edit,
    edit_lists,
    load_sheets,
    mutate,
    save_sheets,
    scan_results,
    user_strings,
)
from hypothesis import HealthCheck, given, settings

from engine.app.workflow import Job, Outcome, process_workbook

EXAMPLES = int(os.environ.get("ALM_FUZZ_EXAMPLES", "100"))
PATHS = 100
HORIZON = 10
TALLY: Counter = Counter()


@pytest.fixture(scope="module")
def base():
    """The example's cells, with a 10-year horizon (for speed; edits may change it)."""
    sheets = load_sheets(EXAMPLE)
    for row in sheets["Settings"]:
        if row[0] == "Horizon years":
            row[1] = HORIZON
    return sheets


def run_case(sheets, folder: Path) -> Outcome:
    """Run one mutated workbook in-process and check how it ended (done or invalid)."""
    source = save_sheets(sheets, folder / "fuzzed.xlsx")
    before = source.read_bytes()
    out, history = folder / "results", folder / "history.sqlite"
    job = Job(source, out, history, paths=PATHS, write_json=True, quiet=True)
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
        outcome = process_workbook(job)
    report = printed.getvalue()
    assert outcome.status in ("done", "invalid"), "\n".join(outcome.log)
    assert "Traceback" not in report
    assert source.read_bytes() == before  # the input is never modified
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if outcome.status == "invalid":
        assert written == [] and not history.exists(), written  # nothing, not even a temp
        problems = [line for line in report.splitlines() if line.startswith("  ")]
        assert problems and all(":" in p for p in problems), report
        return outcome
    assert written == sorted([outcome.results.name, outcome.summary.name]), written
    bad = scan_results(outcome.results, user_strings(sheets))
    assert not bad, bad[:10]
    summary = json.loads(outcome.summary.read_text("utf-8"), parse_constant=_no_constant)
    assert summary["paths"] == PATHS
    return outcome


def _no_constant(name: str):
    raise AssertionError(f"{name} in the summary JSON")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edit_list=edit_lists)
def test_fuzzed_workbook_ends_in_results_or_a_report(base, tmp_path, edit_list):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        TALLY[run_case(mutate(base, edit_list), Path(folder)).status] += 1
    if sum(TALLY.values()) % 500 == 0:  # progress of a long run (shown with -s)
        print(f"fuzz: {sum(TALLY.values())} cases so far: {dict(TALLY)}", file=sys.__stderr__)


def test_fuzz_tally():
    """Print the tally of the run above (a long run quotes it); both endings occur."""
    if not TALLY:
        pytest.skip("the fuzz test did not run in this session")
    print(f"\nfuzz: {sum(TALLY.values())} cases: {dict(TALLY)}")
    if sum(TALLY.values()) >= 30:
        assert TALLY["done"] and TALLY["invalid"], TALLY


# ----------------------------------------------------------------------------- fixed cases
def titled(base, name: str) -> int:
    return list(base).index(name)


def nasty_but_valid(base) -> list[Edit]:
    """Edits a valid workbook survives: long, Japanese, emoji and formula-like names, a
    huge line limit, a zero price, shuffled columns, a renamed sheet, a duplicated row
    renamed (no duplicate names), a blank row under the tables."""
    h, loans = titled(base, "Holdings"), titled(base, "Loans")
    return [
        Edit("set", h, 1, 0, LONG_JAPANESE),
        Edit("set", h, 2, 0, FORMULA_LIKE[0]),
        Edit("set", h, 3, 0, "📈💴🚀 growth"),
        Edit("set", h, 4, 1, LONG_TEXT),
        Edit("set", h, 5, 5, 0),
        Edit("set", loans, 2, 3, 1e300),
        Edit("shuffle", h, value=7),
        Edit("shuffle", titled(base, "Cashflows"), value=3),
        Edit("rename", titled(base, "Scenarios"), value=" scenarios "),
        Edit("blank_row", titled(base, "FX"), 3),
    ]


def test_nasty_but_valid_workbook_gives_sound_results(base, tmp_path):
    outcome = run_case(mutate(base, nasty_but_valid(base)), tmp_path)
    assert outcome.status == "done"
    book = openpyxl.load_workbook(outcome.results, read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    shown = {c.value: c.data_type for c in cells if isinstance(c.value, str)}
    assert shown[FORMULA_LIKE[0]] == "s"  # the formula-like name is there, as text
    assert any(v.startswith("📈💴🚀") for v in shown)
    assert LONG_JAPANESE in shown  # 32,767 characters, Excel's limit, kept whole
    book.close()


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The checks above cannot pass for want of looking: the scan flags each fault."""
    path = tmp_path / "faulty.xlsx"
    book = xlsxwriter.Workbook(path, {"nan_inf_to_errors": True})
    ws = book.add_worksheet("Sheet")
    ws.write_formula("A1", "=1+1", None, 2)  # user text '=1+1' stored as a formula
    ws.write_number("A2", float("nan"))  # becomes #NUM!
    ws.write_string("A3", "LTV nan%")
    ws.write_formula("A4", "=SUM(B1:B2)", None, 0)  # the engine's own formulas are fine
    ws.write_string("A5", "=1+1")  # and so is user text kept as text
    ws.write_formula("A6", "=B1/B2", None, "inf")  # a formula's stored value
    book.close()
    bad = scan_results(path, {"=1+1"})
    where = [b.split(":")[0] for b in bad]
    assert where == ["Sheet!A1", "Sheet!A2", "Sheet!A3", "xl/worksheets/sheet1.xml"], bad


def test_a_handful_through_the_command_line(base, tmp_path):
    """Real processes: exit 1 (some invalid), no traceback, results only for the valid."""
    folder = tmp_path / "workbooks"
    folder.mkdir()
    h = titled(base, "Holdings")
    cases = {
        "valid": nasty_but_valid(base),
        "nan text": [Edit("set", h, 2, 4, "NaN"), Edit("set", h, 3, 5, "inf")],
        "no sheets left": [Edit("delete_sheet", 0)] * len(base),
        "date and formula": [Edit("set", h, 1, 4, base["Settings"][3][1]),
                             Edit("formula", h, 2, 5, "=1/0")],
    }  # fmt: skip
    for name, edits in cases.items():
        save_sheets(mutate(base, edits), folder / f"{name}.xlsx")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "engine", str(folder), "--out", str(out), "--paths", str(PATHS),
         "--history", str(tmp_path / "h.sqlite"), "--json", "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "1 done, 3 with problems" in done.stderr, done.stderr
    results = sorted(p.name for p in out.glob("*.xlsx"))
    assert [r.split(" results ")[0] for r in results] == ["valid"]
    assert not scan_results(out / results[0], user_strings(mutate(base, cases["valid"])))
