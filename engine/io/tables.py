"""Finding sheets and tables in a loaded workbook, and turning rows into typed values.

Rules (SPEC §2): a sheet is found by name, case-insensitively, ignoring surrounding
spaces; a table's header row is the first row within the sheet's first 10 rows that
holds all its required column names (case-insensitive, any order, extra columns
ignored, a trailing ``*`` — the template's mark of a required column — ignored). If no
row holds them all, the first row holding the table's identifying columns is the
header, and each required column it lacks is reported by name. Data rows run to the
sheet's last non-blank row; fully blank rows (blank in every column of the table) are
skipped, so a gap left to group rows drops nothing. Plain ranges and Excel Tables read
the same way: only the cells matter.

The template's example row: each table's ``Table.example`` is the greyed row the
template writes, its Notes cell saying it is an example (``schema.EXAMPLE_NOTE``). A
row whose every cell, in every column of the table the sheet has, equals that example —
blank where the example is blank, the Notes marker included — is the untouched example
and is skipped; edit any cell (or clear the note) and it is read as data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from engine.errors import Problem
from engine.io.cells import CellIssue, convert, is_blank
from engine.io.messages import Words
from engine.schema import HEADER_SEARCH_ROWS, REQUIRED_MARK, Column, Table, japanese

TOTAL_LABELS = {"total", "totals", "grand total"}


class Issues:
    """Collects every problem (errors) and warning found while reading, worded in the
    workbook's language with its sheet and column names as it spells them (``words``)."""

    def __init__(self, words: Words | None = None) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.words = words or Words()

    def _problem(self, sheet, cell, column, message, found, fix) -> Problem:
        w = self.words
        return Problem(
            w.sheet(sheet),
            cell,
            w.column(sheet, column),
            w.text(message, sheet),
            w.text(found, sheet),
            w.text(fix, sheet),
            japanese=w.japanese,
        )

    def error(self, sheet, cell, column, message, found="", fix="") -> None:
        self.problems.append(self._problem(sheet, cell, column, message, found, fix))

    def warn(self, sheet, cell, column, message, found="", fix="") -> None:
        self.warnings.append(str(self._problem(sheet, cell, column, message, found, fix)))


def normalise(text: Any) -> str:
    """Header / name comparison key: case-folded, inner whitespace collapsed."""
    return " ".join(str(text).split()).casefold()


def header_key(text: Any) -> str:
    """Header comparison key: as ``normalise``, without the required mark ("Name *")."""
    key = normalise(text)
    return key[: -len(REQUIRED_MARK)].rstrip() if key.endswith(REQUIRED_MARK) else key


def find_sheet(sheetnames: list[str], wanted: str) -> str | None:
    """The workbook's title of sheet ``wanted`` (case-insensitive, spaces ignored), by
    its English or its Japanese name."""
    keys = (normalise(wanted), normalise(japanese.sheet_name(wanted, True)))
    for key in keys:
        for title in sheetnames:
            if normalise(title) == key:
                return title
    return None


def header_aliases(sheet: str, columns) -> dict[str, str]:
    """{header key of a column's Japanese name: header key of its English name}."""
    out = {}
    for column in columns:
        name = column if isinstance(column, str) else column.name
        ja = japanese.column_name(sheet, name, True)
        if ja != name:
            out.setdefault(header_key(ja), header_key(name))
    return out


def written_headers(sheet: SheetRows, header_row: int, aliases: dict[str, str]) -> dict:
    """{header key of the English name: the header as the workbook writes it}."""
    out: dict[str, str] = {}
    for v in sheet.row(header_row):
        if isinstance(v, str) and not is_blank(v):
            key = header_key(v)
            text = " ".join(v.split())
            text = text[: -len(REQUIRED_MARK)].rstrip() if text.endswith(REQUIRED_MARK) else text
            out.setdefault(aliases.get(key, key), text)
    return out


class SheetRows:
    """The rows of one worksheet, read lazily (values only), 1-based like Excel.

    ``uncached`` maps cell coordinates to formulas that have no saved value.
    """

    def __init__(self, title: str, rows: Iterator[tuple], uncached: dict[str, str] | None = None):
        self.title = title
        self.uncached = uncached or {}
        self._uncached_at: dict[int, set[int]] = {}  # row -> 0-based columns
        for coord in self.uncached:
            letters = "".join(ch for ch in coord if ch.isalpha())
            number = int("".join(ch for ch in coord if ch.isdigit()))
            self._uncached_at.setdefault(number, set()).add(column_index_from_string(letters) - 1)
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

    def last_row(self) -> int:
        """The number of the sheet's last row holding anything (0 if none)."""
        self.row(2**31)  # read to the end
        for number in range(len(self._rows), 0, -1):
            if not self.is_blank_row(number):
                return number
        return 0

    def is_blank_row(self, number: int, columns: set[int] | None = None) -> bool:
        """No value and no formula in the row (in ``columns``, 0-based, when given)."""
        values = self.row(number)
        uncached = self._uncached_at.get(number, set())
        if columns is None:
            return not uncached and all(is_blank(v) for v in values)
        return not uncached & columns and all(
            is_blank(values[j]) for j in columns if j < len(values)
        )


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
    example_rows: list[int] = field(default_factory=list)  # untouched example rows skipped

    def has(self, attr: str) -> bool:
        return attr in self.columns

    @property
    def example_name(self) -> str | None:
        """The key of the untouched example row, if the sheet still has it."""
        if not self.example_rows or self.table.example is None:
            return None
        return self.table.example.get(self.table.key)


def find_header(
    sheet: SheetRows,
    names: list[str],
    identifying: list[str] | None = None,
    aliases: dict[str, str] | None = None,
) -> tuple[int | None, dict[str, int], list[str]]:
    """(header row, {header key: 0-based index}, the ``names`` it lacks).

    The first row (of the first 10) holding every name in ``names``; failing that, the
    first holding every ``identifying`` name (its missing ``names`` are returned);
    failing that ``None`` and the identifying names missing from the closest row.
    A header matching one of ``aliases`` (a Japanese name) counts as its English name.
    """
    aliases = aliases or {}
    identifying = names if identifying is None else identifying
    best_missing = list(identifying)
    fallback: tuple[int, dict[str, int], list[str]] | None = None
    for r in range(1, HEADER_SEARCH_ROWS + 1):
        index: dict[str, int] = {}
        for j, v in enumerate(sheet.row(r)):
            if isinstance(v, str) and not is_blank(v):
                key = header_key(v)
                index.setdefault(aliases.get(key, key), j)
        missing = [n for n in names if header_key(n) not in index]
        if not missing:
            return r, index, []
        lacking = [n for n in identifying if header_key(n) not in index]
        if not lacking and fallback is None:
            fallback = (r, index, missing)
        if len(lacking) < len(best_missing):
            best_missing = lacking
    if fallback is not None:
        return fallback
    return None, {}, best_missing


def read_table(
    sheet: SheetRows, table: Table, issues: Issues, defer_required: frozenset[str] = frozenset()
) -> TableRows | None:
    """Find ``table`` on ``sheet`` and convert its data rows; problems go to ``issues``.

    Required columns left blank are errors, except attributes in ``defer_required``
    (the reader decides those, e.g. Price may be blank for Cash).
    """
    header_row, index = locate_header(sheet, table, issues)
    if header_row is None:
        return None
    columns = {
        c.attr: index[header_key(c.name)] for c in table.columns if header_key(c.name) in index
    }
    key_attr = table.column(table.key).attr
    key_j = columns.get(key_attr)
    by_index = {columns[c.attr]: c for c in table.columns if c.attr in columns}
    known = set(by_index)  # cells in other columns are ignored, so a note there is no row
    rows: list[Row] = []
    examples: list[int] = []
    for r in range(header_row + 1, sheet.last_row() + 1):
        if sheet.is_blank_row(r, known):
            continue  # a gap left to group rows (SPEC §2)
        if _is_totals_row(sheet, r, key_j, issues):
            break
        if table.example is not None and is_untouched_example(
            sheet.row(r), by_index, table.example
        ):
            examples.append(r)
            continue
        rows.append(_read_row(sheet, table, columns, r, key_attr, issues, defer_required))
    out = TableRows(sheet.title, table, header_row, columns, rows, examples)
    if not rows and not table.may_be_empty:
        report_empty(out, issues)
    return out


def locate_header(sheet: SheetRows, table: Table, issues: Issues) -> tuple[int | None, dict]:
    """The header row of ``table`` and its {header key: index}; ``None`` after reporting
    that no row holds the identifying columns, or that required columns are missing."""
    names = [c.name for c in table.required]
    aliases = header_aliases(table.sheet, table.columns)
    header_row, index, missing = find_header(sheet, names, list(table.header_names), aliases)
    if header_row is None:
        issues.error(
            sheet.title,
            "",
            "",
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows",
            "no row holding " + ", ".join(f"'{m}'" for m in missing),
            "add a header row holding " + ", ".join(names) + " (see the template)",
        )
        return None, {}
    if header_row is not None:
        written = written_headers(sheet, header_row, aliases)
        for column in table.columns:
            if header_key(column.name) in written:
                text = written[header_key(column.name)]
                issues.words.found_header(sheet.title, column.name, text)
    for name in missing:  # the header is there, but a column every row needs is not
        issues.error(
            sheet.title,
            f"{header_row}:{header_row}",
            name,
            "the column is missing",
            f"no '{name}' in the header row {header_row}",
            f"add a column headed '{name}' and fill it in for every row",
        )
    return (None, {}) if missing else (header_row, index)


def report_empty(tr: TableRows, issues: Issues) -> None:
    """A table that must have rows has none (SPEC §2): say what to fill in."""
    key_j = tr.columns.get(tr.table.column(tr.table.key).attr, 0)
    found = "only the header row"
    if tr.example_rows:
        found += " and the template's greyed example row (not read while unchanged)"
    issues.error(
        tr.sheet,
        f"{get_column_letter(key_j + 1)}{tr.header_row + 1}",
        "",
        "the table has no data row",
        found,
        tr.table.empty_fix or "fill in at least one row",
    )


def is_untouched_example(raw_row: tuple, by_index: dict[int, Column], example) -> bool:
    """Whether a row is exactly ``example`` in every column of ``by_index`` ({0-based
    index: column}): equal typed values, blank where the example has none. The sheet
    must have every column the example fills (its Notes marker included), so a row of
    a workbook made before the template had example rows is never taken for one."""
    if not set(example) <= {column.name for column in by_index.values()}:
        return False
    return _is_example(raw_row, by_index, example) or _is_example(
        raw_row, by_index, japanese.example_row(example, True)
    )


def _is_example(raw_row: tuple, by_index: dict[int, Column], example) -> bool:
    for j, column in by_index.items():
        raw = raw_row[j] if j < len(raw_row) else None
        expected = example.get(column.name)
        if expected is None:
            if not is_blank(raw):
                return False
        elif not _same(convert(column, raw), convert(column, expected)):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, CellIssue) or isinstance(b, CellIssue):
        return False
    if _is_number(a) and _is_number(b):
        return abs(a - b) <= 1e-9 * max(1.0, abs(b))
    return a == b


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


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
