"""The optional History sheet → ``History`` (SPEC §2 History, §3 Historical return model).

A table with a ``Month`` column (a date, any day of the month; or text such as
``2024-01``) and one column per series, named by its header: each cell the month's
price return as a fraction (5% = 0.05). ``Inflation`` (the month's CPI change) and
``Notes`` are not series. Rules:

- months are consecutive calendar months, oldest first or newest first (newest-first
  tables, as many sites publish them, are turned round); a repeated month or a gap is
  an error at the Month cell;
- a value that is not a number, or a whole-number percent (5 for 5%), is an error at
  its cell; so is a blank cell between two values of a series;
- series may start and end in different months (leading and trailing blanks): the
  months every column covers are kept, with a warning naming the span;
- a sheet with no data row (only the header, or the template's untouched example row)
  means no History: ``None``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter

from engine.io.cells import CellIssue, is_blank
from engine.io.tables import (
    Issues,
    SheetRows,
    header_key,
    is_untouched_example,
    locate_header,
    read_cell,
)
from engine.model import History
from engine.schema import HISTORY, HISTORY_NOT_SERIES, HISTORY_RETURN, INFLATION_FACTOR, japanese

_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def read_history(sheet: SheetRows | None, issues: Issues) -> History | None:
    """The History sheet's months and series (``None`` if absent or without data)."""
    if sheet is None:
        return None
    header_row, index = locate_header(sheet, HISTORY, issues)
    if header_row is None:
        return None
    month_j = index[header_key("Month")]
    columns = _columns(sheet, header_row, month_j, issues)
    if columns is None:
        return None
    by_index = {j: column for j, (_, column) in columns.items()}
    by_index[month_j] = HISTORY.column("Month")
    rows: list[tuple[int, tuple[int, int] | None, dict[str, float | None]]] = []
    for r in range(header_row + 1, sheet.last_row() + 1):
        if sheet.is_blank_row(r, set(by_index)):
            continue
        raw = sheet.row(r)
        if HISTORY.example is not None and is_untouched_example(raw, by_index, HISTORY.example):
            continue
        month = _month(sheet, r, month_j, issues)
        values: dict[str, float | None] = {}
        for j, (name, column) in columns.items():
            if name == "Notes":
                continue
            coord = f"{get_column_letter(j + 1)}{r}"
            cell = raw[j] if j < len(raw) else None
            value = read_cell(sheet, coord, column, cell, issues, name)
            values[name] = None if isinstance(value, CellIssue) else value
        rows.append((r, month, values))
    if not rows:
        return None
    names = [name for name, _ in columns.values() if name != "Notes"]
    if not names:
        issues.error(
            sheet.title,
            f"{header_row}:{header_row}",
            "",
            "the table has months but no series column",
            "only 'Month'",
            "add a column per series, headed by its name (e.g. TOPIX), with monthly returns",
        )
        return None
    errors_before = len(issues.problems)
    rows = _in_order(sheet.title, rows, month_j, issues)
    if len(issues.problems) > errors_before:
        return None
    return _assemble(sheet, rows, columns, names, issues)


def _columns(sheet: SheetRows, header_row: int, month_j: int, issues: Issues):
    """{0-based index: (name, column)} of every headed column but Month; None on error."""
    out: dict[int, tuple[str, Any]] = {}
    seen: dict[str, str] = {}
    fixed = {header_key(n): n for n in HISTORY_NOT_SERIES}
    fixed.update({header_key(japanese.column_name("History", n, True)): n for n in fixed.values()})
    bad = False
    for j, raw in enumerate(sheet.row(header_row)):
        if j == month_j or is_blank(raw):
            continue
        text = " ".join(str(raw).split()).rstrip("*").strip()
        key = header_key(text)
        coord = f"{get_column_letter(j + 1)}{header_row}"
        if key in seen:
            issues.error(
                sheet.title,
                coord,
                text,
                "the column header appears twice",
                f"'{text}' (also '{seen[key]}')",
                "give each series column a different header",
            )
            bad = True
            continue
        seen[key] = text
        if key in fixed:
            name = fixed[key]
            out[j] = (name, HISTORY.column(name))
        else:
            out[j] = (text, replace(HISTORY_RETURN, name=text))
    return None if bad else out


def _month(sheet: SheetRows, r: int, month_j: int, issues: Issues) -> tuple[int, int] | None:
    """(year, month) of the Month cell of row ``r``; None after reporting a problem."""
    raw_row = sheet.row(r)
    raw = raw_row[month_j] if month_j < len(raw_row) else None
    coord = f"{get_column_letter(month_j + 1)}{r}"
    if isinstance(raw, str) and (m := _YEAR_MONTH.match(raw)) and 1 <= int(m[2]) <= 12:
        return int(m[1]), int(m[2])
    if is_blank(raw) and coord not in sheet.uncached:
        issues.error(
            sheet.title,
            coord,
            "Month",
            "is blank but the row holds values",
            "an empty cell",
            "enter the month (a date, e.g. 2024-01-31)",
        )
        return None
    value = read_cell(sheet, coord, HISTORY.column("Month"), raw, issues, "Month")
    if isinstance(value, CellIssue):
        return None
    return value.year, value.month


def _in_order(title: str, rows, month_j: int, issues: Issues):
    """The rows oldest first; a repeated month or a gap is an error at its Month cell."""
    dated = [row for row in rows if row[1] is not None]
    if len(dated) < len(rows):
        return rows  # a bad Month cell is already reported
    step = 1
    if len(dated) >= 2 and _index(dated[1][1]) < _index(dated[0][1]):
        step = -1  # newest first
    letter = get_column_letter(month_j + 1)
    for (r0, m0, _), (r1, m1, _) in zip(dated, dated[1:], strict=False):
        gap = _index(m1) - _index(m0)
        if gap == step:
            continue
        coord = f"{letter}{r1}"
        if gap == 0:
            issues.error(
                title,
                coord,
                "Month",
                "the month appears twice",
                f"{_text(m1)} (also in row {r0})",
                "keep one row per month",
            )
        else:
            word = "after" if step == 1 else "before"
            want = _from_index(_index(m0) + step)
            issues.error(
                title,
                coord,
                "Month",
                f"months must be consecutive: this is not the month {word} row {r0}'s {_text(m0)}",
                f"{_text(m1)} where {_text(want)} was expected",
                "add the missing month(s), or sort the table by Month",
            )
    return rows if step == 1 else rows[::-1]


def _assemble(sheet: SheetRows, rows, columns, names: list[str], issues: Issues):
    """Trim to the months every column covers; a blank inside a column is an error."""
    spans = {}
    for name in names:
        filled = [i for i, (_, _, values) in enumerate(rows) if values.get(name) is not None]
        if not filled:
            j = next(j for j, (n, _) in columns.items() if n == name)
            issues.error(
                sheet.title,
                f"{get_column_letter(j + 1)}{rows[0][0]}",
                name,
                "the column has no values",
                "only blank cells",
                "fill it in, or delete the column",
            )
            continue
        first, last = filled[0], filled[-1]
        for i in range(first, last + 1):
            r, _, values = rows[i]
            if values.get(name) is None and not _reported(sheet, columns, name, r, issues):
                j = next(j for j, (n, _) in columns.items() if n == name)
                issues.error(
                    sheet.title,
                    f"{get_column_letter(j + 1)}{r}",
                    name,
                    "is blank inside the series: every month needs a value",
                    "an empty cell",
                    "enter the month's return (0 if it did not move)",
                )
        spans[name] = (first, last)
    if len(spans) < len(names) or _has_errors_in(sheet.title, issues):
        return None
    start = max(first for first, _ in spans.values())
    end = min(last for _, last in spans.values())
    if start > end:
        issues.error(
            sheet.title,
            "",
            "",
            "the series share no month: each column covers months the others do not",
            ", ".join(
                f"{n} {_text(rows[a][1])}–{_text(rows[b][1])}" for n, (a, b) in spans.items()
            ),
            "give every column values for a common run of months",
        )
        return None
    kept = rows[start : end + 1]
    if start > 0 or end < len(rows) - 1:
        issues.warn(
            sheet.title,
            "",
            "",
            f"the columns cover different months; the {len(kept)} months all of them cover "
            f"are used, {_text(kept[0][1])} to {_text(kept[-1][1])}",
            ", ".join(
                f"{n} {_text(rows[a][1])}–{_text(rows[b][1])}" for n, (a, b) in spans.items()
            ),
            "trim the table to the common months to silence this",
        )
    months = tuple(date(m[0], m[1], 1) for _, m, _ in kept)
    series = {n: tuple(float(v[n]) for _, _, v in kept) for n in names if n != INFLATION_FACTOR}
    inflation = None
    if INFLATION_FACTOR in names:
        inflation = tuple(float(v[INFLATION_FACTOR]) for _, _, v in kept)
    return History(months=months, series=series, inflation=inflation)


def _reported(sheet: SheetRows, columns, name: str, r: int, issues: Issues) -> bool:
    """Whether the cell of series ``name`` in row ``r`` already has a problem."""
    j = next(j for j, (n, _) in columns.items() if n == name)
    coord = f"{get_column_letter(j + 1)}{r}"
    return any(p.sheet == sheet.title and p.cell == coord for p in issues.problems)


def _has_errors_in(title: str, issues: Issues) -> bool:
    return any(p.sheet == title for p in issues.problems)


def _index(month: tuple[int, int]) -> int:
    return month[0] * 12 + month[1] - 1


def _from_index(k: int) -> tuple[int, int]:
    return k // 12, k % 12 + 1


def _text(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"
