"""Finding sheets and tables in a loaded workbook, and turning rows into typed values.

Rules (SPEC §2): a sheet is found by name, case-insensitively, ignoring surrounding
spaces; a table's header row is the first row within the sheet's first 10 rows that
holds all its required column names (case-insensitive, any order, extra columns
ignored); data rows run until the first fully blank row. Plain ranges and Excel
Tables read the same way: only the cells matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from engine.errors import Problem
from engine.io.cells import CellIssue, convert, is_blank
from engine.schema import HEADER_SEARCH_ROWS, Column, Table

TOTAL_LABELS = {"total", "totals", "grand total"}
#: How far below the blank row that ends a table to look for rows that are not read.
LOOK_BELOW_ROWS = 100


class Issues:
    """Collects every problem (errors) and warning found while reading."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def error(self, sheet, cell, column, message, found="", fix="") -> None:
        self.problems.append(Problem(sheet, cell, column, message, found, fix))

    def warn(self, sheet, cell, column, message, found="", fix="") -> None:
        self.warnings.append(str(Problem(sheet, cell, column, message, found, fix)))


def normalise(text: Any) -> str:
    """Header / name comparison key: case-folded, inner whitespace collapsed."""
    return " ".join(str(text).split()).casefold()


def find_sheet(sheetnames: list[str], wanted: str) -> str | None:
    """The workbook's title of sheet ``wanted`` (case-insensitive, spaces ignored)."""
    key = normalise(wanted)
    for title in sheetnames:
        if normalise(title) == key:
            return title
    return None


class SheetRows:
    """The rows of one worksheet, read lazily (values only), 1-based like Excel.

    ``uncached`` maps cell coordinates to formulas that have no saved value.
    """

    def __init__(self, title: str, rows: Iterator[tuple], uncached: dict[str, str] | None = None):
        self.title = title
        self.uncached = uncached or {}
        self._uncached_rows = {int("".join(ch for ch in c if ch.isdigit())) for c in self.uncached}
        self._iter = rows
        self._rows: list[tuple] = []
        self._done = False

    def row(self, number: int) -> tuple:
        while len(self._rows) < number and not self._done:
            nxt = next(self._iter, None)
            if nxt is None:
                self._done = True
            else:
                self._rows.append(tuple(nxt))
        return self._rows[number - 1] if number <= len(self._rows) else ()

    def is_blank_row(self, number: int) -> bool:
        return number not in self._uncached_rows and all(is_blank(v) for v in self.row(number))


@dataclass
class Row:
    """One data row: typed values by attribute, the cell of each, which were bad."""

    number: int
    values: dict[str, Any]
    cells: dict[str, str]
    key_cell: str
    invalid: set[str] = field(default_factory=set)

    def cell(self, attr: str) -> str:
        """The cell of ``attr`` (the row's name cell if the column is absent)."""
        return self.cells.get(attr, self.key_cell)

    def get(self, attr: str, default: Any = None) -> Any:
        value = self.values.get(attr)
        return default if value is None else value


@dataclass
class TableRows:
    sheet: str
    table: Table
    header_row: int
    columns: dict[str, int]  # attr -> 0-based column index
    rows: list[Row]

    def has(self, attr: str) -> bool:
        return attr in self.columns


def find_header(sheet: SheetRows, names: list[str]) -> tuple[int | None, dict[str, int], list[str]]:
    """(header row, {normalised name: 0-based index}, missing names of the best row)."""
    wanted = {normalise(n) for n in names}
    best_missing = sorted(wanted)
    for r in range(1, HEADER_SEARCH_ROWS + 1):
        index: dict[str, int] = {}
        for j, v in enumerate(sheet.row(r)):
            if isinstance(v, str) and not is_blank(v):
                index.setdefault(normalise(v), j)
        missing = [n for n in names if normalise(n) not in index]
        if not missing:
            return r, index, []
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, {}, best_missing


def read_table(
    sheet: SheetRows, table: Table, issues: Issues, defer_required: frozenset[str] = frozenset()
) -> TableRows | None:
    """Find ``table`` on ``sheet`` and convert its data rows; problems go to ``issues``.

    Required columns left blank are errors, except attributes in ``defer_required``
    (the reader decides those, e.g. Price may be blank for Cash).
    """
    names = list(table.header_names)
    header_row, index, missing = find_header(sheet, names)
    if header_row is None:
        issues.error(
            sheet.title,
            "",
            "",
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows",
            "no row holding " + ", ".join(f"'{m}'" for m in missing),
            "add a header row holding " + ", ".join(names) + " (see the template)",
        )
        return None
    absent = [c for c in table.required if normalise(c.name) not in index]
    for column in absent:  # found by the others, but a column every row needs is not there
        issues.error(
            sheet.title,
            f"{header_row}:{header_row}",
            column.name,
            "the column is missing",
            f"no '{column.name}' in the header row {header_row}",
            f"add a column headed '{column.name}' and fill it in for every row",
        )
    if absent:
        return None
    columns = {
        c.attr: index[normalise(c.name)] for c in table.columns if normalise(c.name) in index
    }
    key_attr = table.column(table.key).attr
    rows: list[Row] = []
    r = header_row + 1
    key_j = columns.get(key_attr)
    while not sheet.is_blank_row(r):
        if _is_totals_row(sheet, r, key_j, issues):
            break
        rows.append(_read_row(sheet, table, columns, r, key_attr, issues, defer_required))
        r += 1
    else:
        warn_rows_below(sheet, r, issues)
    return TableRows(sheet.title, table, header_row, columns, rows)


def warn_rows_below(sheet: SheetRows, blank_row: int, issues: Issues) -> None:
    """The blank row ``blank_row`` ends a table: warn if rows like data lie below it.

    A blank row inserted in the middle of a table would otherwise drop the rows under it
    without a word (SPEC §2: data rows end at the first fully blank row). A row with a
    single filled cell is taken for a note, not data.
    """
    below = range(blank_row + 1, blank_row + 1 + LOOK_BELOW_ROWS)
    filled = [r for r in below if sum(not is_blank(v) for v in sheet.row(r)) >= 2]
    if filled:
        issues.warn(
            sheet.title,
            f"A{blank_row}",
            "",
            "this blank row ends the table; the rows below it are not read",
            f"{len(filled)} filled row{'s' * (len(filled) != 1)} below, from row {filled[0]}",
            "delete the blank row if those rows belong to the table",
        )


def _is_totals_row(sheet: SheetRows, r: int, key_j: int | None, issues: Issues) -> bool:
    """An Excel Table's Total Row ends the data (with a warning, in case it is a name)."""
    raw = sheet.row(r)
    if key_j is None or key_j >= len(raw) or normalise(raw[key_j] or "") not in TOTAL_LABELS:
        return False
    issues.warn(
        sheet.title,
        f"{get_column_letter(key_j + 1)}{r}",
        "",
        "looks like a totals row; it and the rows below it are not read",
        f"'{raw[key_j]}'",
        "rename it if it is a real row",
    )
    return True


def _read_row(sheet, table, columns, r, key_attr, issues, defer_required) -> Row:
    raw_row = sheet.row(r)
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    invalid: set[str] = set()
    for column in table.columns:
        j = columns.get(column.attr)
        if j is None:
            values[column.attr] = None
            continue
        coord = f"{get_column_letter(j + 1)}{r}"
        cells[column.attr] = coord
        raw = raw_row[j] if j < len(raw_row) else None
        value = read_cell(sheet, coord, column, raw, issues, column.name)
        if isinstance(value, CellIssue):
            invalid.add(column.attr)
            value = None
        elif value is None and column.required and column.attr not in defer_required:
            issues.error(
                sheet.title,
                coord,
                column.name,
                "is required but blank",
                "an empty cell",
                f"enter the {column.name.lower()}",
            )
            invalid.add(column.attr)
        values[column.attr] = value
    key_cell = cells.get(key_attr, f"A{r}")
    return Row(r, values, cells, key_cell, invalid)


def read_cell(sheet: SheetRows, coord: str, column: Column, raw: Any, issues: Issues, label: str):
    """Convert one cell, reporting a formula without a saved value or a bad value.

    Returns the typed value, ``None`` for blank, or the ``CellIssue`` already reported.
    """
    if is_blank(raw) and coord in sheet.uncached:
        issue = CellIssue(
            "holds a formula with no saved result",
            f"the formula {sheet.uncached[coord]}",
            "open and save the file in Excel (or LibreOffice) so the result is stored",
        )
    else:
        value = convert(column, raw)
        if not isinstance(value, CellIssue):
            return value
        issue = value
    issues.error(sheet.title, coord, label, issue.message, issue.found, issue.fix)
    return issue
