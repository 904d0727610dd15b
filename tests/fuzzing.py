"""Workbook mutations for the fuzz suite (issue #8): the example, edited the ways people do.

A workbook is held as ``{sheet title: [row, ...]}`` (cell values, openpyxl types),
mutated by a list of ``Edit``s that Hypothesis draws, and saved with openpyxl in
write-only mode (fast). ``scan_results`` opens a results workbook and reports every
cell that breaks SPEC §5/§8: a NaN or infinity, an Excel error value, or a
formula-like user string that ended up stored as a formula.
"""

from __future__ import annotations

import math
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st
from openpyxl.cell import WriteOnlyCell

Sheets = dict[str, list[list[Any]]]

#: Strings a spreadsheet would run as a formula (or DDE) if written as one.
FORMULA_LIKE = (
    '=HYPERLINK("http://example.com/steal","click me")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "{=1+1}",
    "=cmd|' /C notepad'!'A1'",
)
NAN_LIKE = ("NaN", "nan", "inf", "-inf", "Infinity", "-Infinity", "#N/A", "#DIV/0!", "#NUM!")
LONG_TEXT = "x" * 32_767
LONG_JAPANESE = ("三菱商事株式会社の配当" * 3300)[:32_767]
TEXTS = (
    "三菱商事",
    "トヨタ自動車（株）",
    "📈💴🚀",
    "👨‍👩‍👧 family fund",
    "Ｃａｓｈ",  # full-width letters
    "  Cash  ",
    "cash",
    "NISA",
    "nisa",
    "Taxable",
    "USD",
    "usd",
    "EUR",
    "Yes",
    "No",
    "Monthly",
    "Once",
    "Securities-backed loan",
    "Standby credit line",
    "Domestic equity",
    "5%",
    "1,000",
    " 12.5 ",
    "abc",
    "",
    " ",
)
NUMBERS = (
    0,
    0.0,
    -1,
    -0.05,
    -1e6,
    1,
    5,
    0.05,
    100,
    0.999,
    1e-12,
    1e12,
    1e15,
    1e300,
    -1e300,
    2**63,
    32_767,
    1_000_000,
)
DATES = (
    datetime(2026, 1, 1),
    datetime(1900, 1, 1),
    datetime(2100, 12, 31),
    date(1970, 1, 1),
    datetime(2026, 6, 30, 13, 45),
)

values = st.one_of(
    st.none(),
    st.sampled_from(NUMBERS),
    st.sampled_from(NAN_LIKE),
    st.sampled_from(DATES),
    st.sampled_from(FORMULA_LIKE),
    st.sampled_from(TEXTS),
    st.sampled_from((LONG_TEXT, LONG_JAPANESE)),
    st.booleans(),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(-(10**6), 10**9),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20),
)


@dataclass(frozen=True)
class Formula:
    """A real formula cell (no cached value: the reader must ask to open and save)."""

    text: str


@dataclass(frozen=True)
class Edit:
    kind: str  # set, formula, delete_row, duplicate_row, blank_row, rename, delete_sheet, shuffle
    sheet: int  # index into the sheet titles (taken modulo)
    row: int = 0  # taken modulo the sheet's rows (+2: past the end)
    col: int = 0
    value: Any = None


_index = st.integers(0, 40)
SHEET_RENAMES = (" holdings ", "SETTINGS", "Loans ", "Sheet9", "保有資産", "Holdings (2)", "fx")

edits = st.one_of(
    st.builds(Edit, st.just("set"), _index, _index, _index, values),
    st.builds(Edit, st.just("set"), _index, _index, _index, values),  # the commonest edit
    st.builds(Edit, st.just("formula"), _index, _index, _index, st.sampled_from(FORMULA_LIKE)),
    st.builds(Edit, st.just("delete_row"), _index, _index),
    st.builds(Edit, st.just("duplicate_row"), _index, _index),
    st.builds(Edit, st.just("blank_row"), _index, _index),
    st.builds(Edit, st.just("rename"), _index, value=st.sampled_from(SHEET_RENAMES)),
    st.builds(Edit, st.just("delete_sheet"), _index),
    st.builds(Edit, st.just("shuffle"), _index, value=st.integers(0, 2**16)),
)
edit_lists = st.lists(edits, min_size=1, max_size=5)


def load_sheets(path: Path) -> Sheets:
    """Every sheet's cell values, as lists of rows."""
    book = openpyxl.load_workbook(path)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()


def apply(sheets: Sheets, edit: Edit) -> Sheets:
    """A copy of ``sheets`` with ``edit`` applied (edits that do not apply do nothing)."""
    out = {title: [list(r) for r in rows] for title, rows in sheets.items()}
    if not out:
        return out
    titles = list(out)
    title = titles[edit.sheet % len(titles)]
    rows = out[title]
    width = max((len(r) for r in rows), default=1) or 1
    at = edit.row % (len(rows) + 2)  # occasionally just past the end of the table
    if edit.kind in ("set", "formula"):
        while len(rows) <= at:
            rows.append([None] * width)
        row = rows[at]
        col = edit.col % (width + 1)
        row.extend([None] * (col + 1 - len(row)))
        row[col] = Formula(edit.value) if edit.kind == "formula" else edit.value
    elif edit.kind == "delete_row" and at < len(rows):
        del rows[at]
    elif edit.kind == "duplicate_row" and at < len(rows):
        rows.insert(at, list(rows[at]))
    elif edit.kind == "blank_row":
        rows.insert(min(at, len(rows)), [None] * width)
    elif edit.kind == "rename":
        new = edit.value if edit.value not in out else edit.value + "_"
        out = {(new if t == title else t): r for t, r in out.items()}
    elif edit.kind == "delete_sheet" and len(out) > 1:
        del out[title]
    elif edit.kind == "shuffle":
        order = list(range(width))
        random.Random(edit.value).shuffle(order)
        for i, row in enumerate(rows):
            row = row + [None] * (width - len(row))
            rows[i] = [row[j] for j in order]
    return out


def save_sheets(sheets: Sheets, path: Path) -> Path:
    """Save with openpyxl (write-only): strings stay strings, ``Formula`` cells are formulas."""
    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append([_cell(ws, v) for v in row])
    book.save(path)
    return path


def _cell(ws, value: Any) -> Any:
    if isinstance(value, Formula):
        return value.text if value.text.startswith("=") else f"={value.text}"
    if isinstance(value, str) and value.startswith(("=", "{=")):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text that looks like a formula, as Excel keeps '=… typed text
        return cell
    return value


def mutate(base: Sheets, edit_list: list[Edit]) -> Sheets:
    for edit in edit_list:
        base = apply(base, edit)
    return base


# ----------------------------------------------------------------------------- checks
_NON_FINITE_TEXT = re.compile(r"(?<![A-Za-z])(nan|-?inf(inity)?)(?![A-Za-z])", re.I)
_NON_FINITE_XML = re.compile(rb"<v>\s*[-+]?(nan|inf)[^<]*</v>", re.I)
_ERROR_VALUES = {"#NUM!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#REF!", "#NULL!"}


def user_strings(sheets: Sheets) -> set[str]:
    """Every text the user typed (results may show them verbatim)."""
    return {v for rows in sheets.values() for r in rows for v in r if isinstance(v, str)}


def scan_results(path: Path, typed: set[str]) -> list[str]:
    """Every cell of the results workbook that breaks SPEC §5/§8, as 'Sheet!A1: why'."""
    bad = []
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    why = _cell_problem(cell, typed)
                    if why:
                        bad.append(f"{ws.title}!{cell.coordinate}: {why}")
    finally:
        book.close()
    with zipfile.ZipFile(path) as archive:  # cached values of formulas, as stored
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for m in _NON_FINITE_XML.finditer(archive.read(name)):
                    bad.append(f"{name}: non-finite stored value {m.group(0)[:40]!r}")
    return bad


def _cell_problem(cell, typed: set[str]) -> str | None:
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f":
        if any(error in str(value) for error in _ERROR_VALUES):
            return f"error value {value!r}"
        body = str(getattr(value, "text", value)).lstrip("{=").rstrip("}")
        if body and any(body == t.lstrip("{=+-@").rstrip("}") for t in typed):
            return f"user text stored as a formula: {str(value)[:60]!r}"
        return None
    if cell.data_type == "e" or (isinstance(value, str) and value in _ERROR_VALUES):
        return f"error value {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"non-finite number {value!r}"
    if isinstance(value, str) and _NON_FINITE_TEXT.search(value):
        if not any(t and t in value for t in typed if _NON_FINITE_TEXT.search(t)):
            return f"non-finite number in text {value[:60]!r}"
    return None
