"""The blank input template, written with xlsxwriter from the one schema (SPEC §2).

Every sheet, column, format, dropdown and help text comes from ``engine.schema``;
the example workbook (``engine.io.example``) is the same template with rows filled in.

    python -m engine.io.template PATH
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from engine import schema
from engine.schema import Column, Table

#: Sheet order of the workbook ("Start here" first, then the inputs).
SHEET_ORDER = (
    "Settings",
    "Holdings",
    "FX",
    "AssetClasses",
    "Correlations",
    "Loans",
    "Cashflows",
    "Scenarios",
)
VALIDATION_ROWS = 1000  # dropdowns and messages reach this far below the header
LIST_ROWS = 200  # how far a dropdown looks for asset class / loan names
CURRENCIES = ("JPY", "USD", "EUR", "GBP", "AUD", "CAD", "CHF", "HKD", "SGD", "CNY", "KRW")
#: Columns whose numbers read better without forced decimals / with thousands.
GENERAL_NUMBERS = {"Stress beta", "Cash buffer months"}
THOUSANDS = {"Quantity", "Monte Carlo paths"}
TABLE_STYLE = "Table Style Medium 2"
CREATED = datetime(2026, 1, 1)


def write_template(path: Path) -> None:
    """Write the blank input template to ``path`` (AssetClasses, Correlations and
    Scenarios pre-filled with the SPEC defaults; Holdings, Loans, Cashflows empty)."""
    build_workbook(
        Path(path),
        notes=(
            "Fill in Holdings, Loans and Cashflows; check Settings, AssetClasses, "
            "Correlations and Scenarios (pre-filled defaults, editable).",
        ),
    )


def build_workbook(
    path: Path,
    *,
    settings: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    notes: Sequence[str] = (),
    title: str = "Personal ALM input workbook",
) -> None:
    """Write an input workbook: the template's sheets, plus ``settings`` values and
    table ``rows`` (dicts keyed by column name, per sheet name).

    AssetClasses and Scenarios default to the schema's defaults when not given;
    Correlations always cover every asset class and ``FX:<CCY>`` of the FX rows
    (plus the template's default FX factors). The file is written atomically.
    """
    rows = dict(rows or {})
    rows.setdefault("AssetClasses", schema.DEFAULT_ASSET_CLASSES)
    rows.setdefault("Scenarios", schema.DEFAULT_SCENARIOS)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", prefix=".~tmp", dir=path.parent)
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(
            tmp,
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        # A fixed creation date keeps regenerated files byte-identical.
        book.set_properties(
            {"title": title, "comments": "Generated from engine/schema.py", "created": CREATED}
        )
        fmt = _Formats(book)
        _write_start_here(book, fmt, title, notes)
        _write_settings(book, fmt, settings or {})
        tables = {t.sheet: t for t in schema.TABLES}
        for sheet in SHEET_ORDER[1:]:
            if sheet == schema.CORRELATIONS_SHEET:
                _write_correlations(book, fmt, rows)
            else:
                _write_table(book, fmt, tables[sheet], rows.get(sheet, ()))
        book.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# --------------------------------------------------------------------------- formats
class _Formats:
    """Cell formats shared by the sheets, one per column kind."""

    def __init__(self, book):
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.by_kind = {
            "percent": book.add_format({"num_format": "0.0##%"}),
            "money": book.add_format({"num_format": "#,##0"}),
            "number": book.add_format({"num_format": "#,##0.00"}),
            "integer": book.add_format({"num_format": "0"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "corr": book.add_format({"num_format": "0.00", "border": 1}),
        }
        self.general = book.add_format({})

    def for_column(self, column: Column):
        if column.name in GENERAL_NUMBERS:
            return self.general
        if column.name in THOUSANDS:
            return self.by_kind["money"]
        return self.by_kind.get(column.kind)


def _default_text(column: Column) -> str:
    """The default of a column in words, for Notes and input messages."""
    d = column.default
    if d is None or d == "" or "default" in column.help.lower():
        return ""
    if column.kind == "yesno":
        return "Yes" if d else "No"
    if column.kind == "percent":
        return f"{d * 100:g}%"
    if isinstance(d, (int, float)):
        return f"{d:,g}" if isinstance(d, float) else f"{d:,}"
    return str(d)


def _help_with_default(column: Column) -> str:
    text = column.help
    default = _default_text(column)
    return f"{text} Default: {default}." if default else text


# --------------------------------------------------------------------------- validation
def _validation(column: Column) -> dict[str, Any]:
    """The data-validation dict of a column: dropdown or range, plus its input message."""
    dv: dict[str, Any] = {
        "input_title": column.name[:32],
        "input_message": _help_with_default(column)[:255],
    }
    if column.kind == "choice":
        dv.update(validate="list", source=list(column.choices or ()))
    elif column.kind == "yesno":
        dv.update(validate="list", source=list(schema.YES_NO))
    elif column.kind == "currency":
        dv.update(validate="list", source=list(CURRENCIES), error_type="warning")
        dv["error_message"] = "Not in the list: any 3-letter ISO code with an FX row works."
    elif column.kind == "ref" and column.ref in ("AssetClasses", "Loans"):
        dv.update(validate="list", source=f"={column.ref}!$A$2:$A${LIST_ROWS}")
    elif column.is_numeric and (column.lo is not None or column.hi is not None):
        lo = -1e15 if column.lo is None else column.lo
        hi = 1e15 if column.hi is None else column.hi
        dv.update(
            validate="integer" if column.kind == "integer" else "decimal",
            criteria="between",
            minimum=lo,
            maximum=hi,
            error_type="warning",
            error_title=column.name[:32],
            error_message=_range_words(column)[:255],
        )
    elif column.kind == "date":
        dv.update(
            validate="date",
            criteria="between",
            minimum=date(1900, 1, 1),
            maximum=date(2300, 12, 31),
            error_type="warning",
        )
    else:
        dv["validate"] = "any"
    return dv


def _range_words(column: Column) -> str:
    def show(x: float) -> str:
        return f"{x * 100:g}%" if column.kind == "percent" else f"{x:,g}"

    if column.lo is not None and column.hi is not None:
        text = f"Enter a value between {show(column.lo)} and {show(column.hi)}."
    elif column.lo is not None:
        text = f"Enter a value {'above' if column.lo_open else 'of at least'} {show(column.lo)}."
    else:
        text = f"Enter a value of at most {show(column.hi)}."
    if column.kind == "percent":
        text += " Type 5% (or 0.05) for five percent."
    return text


# --------------------------------------------------------------------------- sheets
def _write_start_here(book, fmt: _Formats, title: str, notes: Sequence[str]) -> None:
    ws = book.add_worksheet("Start here")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 14)
    ws.set_column(4, 4, 90)
    ws.write_string(0, 0, title, fmt.title)
    lines = [
        "Fill in the sheets below, save, and run the engine on this file. "
        "Sheets and columns are found by name; extra columns are ignored.",
        "Percent columns hold fractions: type 5% (the cell holds 0.05). "
        "Blank optional cells take the default shown.",
        *notes,
    ]
    row = 2
    for line in lines:
        ws.write_string(row, 0, line)
        row += 1
    row += 1
    ws.write_string(row, 0, "Sheet", fmt.header)
    ws.write_string(row, 1, "What it holds", fmt.header)
    row += 1
    for sheet in SHEET_ORDER:
        ws.write_string(row, 0, sheet, fmt.bold)
        ws.write_string(row, 1, schema.SHEET_HELP.get(sheet, ""))
        row += 1
    row += 1
    for i, head in enumerate(("Sheet", "Column", "Required", "Default", "What to enter")):
        ws.write_string(row, i, head, fmt.header)
    row += 1
    entries = [(schema.SETTINGS_SHEET, c) for c in schema.SETTINGS]
    entries += [(t.sheet, c) for t in schema.TABLES for c in t.columns]
    for sheet, column in entries:
        ws.write_string(row, 0, sheet)
        ws.write_string(row, 1, column.name)
        ws.write_string(row, 2, "Yes" if column.required else "")
        ws.write_string(row, 3, _default_text(column))
        ws.write_string(row, 4, column.help)
        row += 1
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _write_settings(book, fmt: _Formats, values: Mapping[str, Any]) -> None:
    ws = book.add_worksheet(schema.SETTINGS_SHEET)
    n = len(schema.SETTINGS)
    ws.add_table(
        0,
        0,
        n,
        2,
        {
            "name": "tblSettings",
            "style": TABLE_STYLE,
            "columns": [{"header": "Setting"}, {"header": "Value"}, {"header": "Notes"}],
        },
    )
    for i, column in enumerate(schema.SETTINGS, start=1):
        ws.write_string(i, 0, column.name)
        value = values.get(column.name, column.default)
        _write_value(ws, i, 1, column, value, fmt)
        ws.write_string(i, 2, _help_with_default(column), fmt.wrap)
        ws.data_validation(i, 1, i, 1, _validation(column))
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 80)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _write_value(ws, row: int, col: int, column: Column, value: Any, fmt: _Formats) -> None:
    """Write one typed value (user text always as a string, never a formula)."""
    cell_format = fmt.for_column(column)
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif column.kind == "yesno" and isinstance(value, bool):
        ws.write_string(row, col, "Yes" if value else "No")
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(row, col, value, fmt.by_kind["date"])
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    else:
        ws.write_string(row, col, str(value))


def _write_table(book, fmt: _Formats, table: Table, data: Sequence[Mapping[str, Any]]) -> None:
    ws = book.add_worksheet(table.sheet)
    cols = table.columns
    last_row = max(1, len(data))  # an Excel Table needs one (blank) data row
    ws.add_table(
        0,
        0,
        last_row,
        len(cols) - 1,
        {
            "name": f"tbl{table.sheet}",
            "style": TABLE_STYLE,
            "columns": [{"header": c.name, "format": fmt.for_column(c)} for c in cols],
        },
    )
    ws.set_row(0, 30, fmt.header)
    for j, column in enumerate(cols):
        ws.write_string(0, j, column.name, fmt.header)
        ws.set_column(j, j, column.width, fmt.for_column(column))
        ws.data_validation(1, j, VALIDATION_ROWS, j, _validation(column))
    for i, record in enumerate(data, start=1):
        for j, column in enumerate(cols):
            _write_value(ws, i, j, column, record.get(column.name), fmt)
    ws.freeze_panes(1, 1)
    _print_setup(ws)


def _print_setup(ws) -> None:
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def correlation_labels(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """Asset classes, then FX:<CCY> for each FX row and each default FX factor."""
    labels = [r["Asset class"] for r in rows.get("AssetClasses", ())]
    for r in rows.get("FX", ()):
        label = f"FX:{str(r['Currency']).upper()}"
        if label not in labels:
            labels.append(label)
    for label in schema.DEFAULT_FX_FACTORS:
        if label not in labels:
            labels.append(label)
    return labels


def _write_correlations(book, fmt: _Formats, rows) -> None:
    ws = book.add_worksheet(schema.CORRELATIONS_SHEET)
    labels = correlation_labels(rows)
    given = rows.get("Correlations")  # optional {(a, b): value} override
    ws.write_string(0, 0, "Correlation", fmt.label)
    for k, label in enumerate(labels, start=1):
        ws.write_string(0, k, label, fmt.label)
        ws.write_string(k, 0, label, fmt.label)
    for i, a in enumerate(labels, start=1):
        for j, b in enumerate(labels, start=1):
            value = schema.default_correlation(a, b)
            if given and (a, b) in given:
                value = given[(a, b)]
            ws.write_number(i, j, value, fmt.by_kind["corr"])
    n = len(labels)
    ws.data_validation(
        1,
        1,
        n,
        n,
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1,
            "maximum": 1,
            "input_title": "Correlation",
            "input_message": "Between -1 and 1; the matrix must be symmetric with 1 on "
            "the diagonal. Blank counts as 0.",
            "error_type": "warning",
        },
    )
    scale = {"type": "3_color_scale", "min_color": "#5B9BD5", "mid_color": "#FFFFFF"}
    scale.update(max_color="#F8696B", min_type="num", mid_type="num", max_type="num")
    ws.conditional_format(1, 1, n, n, {**scale, "min_value": -1, "mid_value": 0, "max_value": 1})
    ws.set_column(0, 0, 18)
    ws.set_column(1, n, 14)
    ws.freeze_panes(1, 1)
    _print_setup(ws)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m engine.io.template PATH", file=sys.stderr)
        return 2
    write_template(Path(args[0]))
    print(f"Template written to {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
