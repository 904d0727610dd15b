"""The blank input template, written with xlsxwriter from the one schema (SPEC §2).

Every sheet, column, format, dropdown and help text comes from ``engine.schema``;
the example workbooks (``engine.io.example``) are the same template with rows filled
in. Required columns are headed ``Name *`` (the reader ignores the mark). A table left
empty gets the schema's greyed example row (``Table.example``), whose Notes cell says
it is an example: the reader skips it while it is unchanged. The *Start here* sheet and
the *Column guide* are written by ``engine.io.template_guide``.

    python -m engine.io.template PATH
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from engine import schema
from engine.i18n import ENGLISH, JAPANESE, Language
from engine.io.template_guide import (
    GUIDE_SHEET,
    header_width,
    help_with_default,
    wrapped_height,
    write_column_guide,
    write_start_here,
)
from engine.schema import Column, Table, japanese

#: The input sheets, in workbook order ("Start here" before, the Column guide after).
SHEET_ORDER = (
    "Settings",
    "Holdings",
    "FX",
    "AssetClasses",
    "Correlations",
    "Loans",
    "Cashflows",
    "Scenarios",
    "History",
)
VALIDATION_ROWS = 1000  # dropdowns and messages reach this far below the header
HISTORY_ROWS = 2000  # a History sheet holds long series (1871-2023 is 1,836 months)
LIST_ROWS = 200  # how far a dropdown looks for asset class / loan names
CURRENCIES = ("JPY", "USD", "EUR", "GBP", "AUD", "CAD", "CHF", "HKD", "SGD", "CNY", "KRW")
#: Columns whose numbers read better without forced decimals / with thousands.
GENERAL_NUMBERS = {"Stress beta", "Cash buffer months", "Dividend beta"}
THOUSANDS = {"Quantity", "Monte Carlo paths"}
TABLE_STYLE = "Table Style Medium 2"
SETTINGS_NOTES_WIDTH = 80
CREATED = datetime(2026, 1, 1)
EXAMPLE_FONT = {"font_color": "#808080", "italic": True}
EXAMPLE_COMMENT = (
    "Example row (grey): the engine does not read it while it is unchanged. Type over "
    "it with your own data, or delete the row."
)


def write_template(path: Path, lang: Language = ENGLISH) -> None:
    """Write the blank input template to ``path`` (AssetClasses, Correlations and
    Scenarios pre-filled with the SPEC defaults; the other tables hold only their
    greyed example row), in ``lang``: a Japanese template has Japanese sheet, column and
    setting names, help and choice lists, and its Language preset to 日本語."""
    build_workbook(Path(path), lang=lang)


def build_workbook(
    path: Path,
    *,
    settings: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    notes: Sequence[str] = (),
    title: str | None = None,
    lang: Language = ENGLISH,
) -> None:
    """Write an input workbook: the template's sheets, plus ``settings`` values and
    table ``rows`` (dicts keyed by column name, per sheet name; History rows are keyed
    by Month, each series' name and optionally Inflation and Notes).

    AssetClasses and Scenarios default to the schema's defaults when not given; a
    table without rows gets its greyed example row; Correlations always cover every
    asset class and ``FX:<CCY>`` of the FX rows (plus the template's default factors).
    The file is written atomically, with the permissions of any new file (0o666 less
    the umask). ``settings`` and ``rows`` are keyed by the English names and hold the
    English choice values whatever ``lang``: the template writes them in ``lang``.
    """
    ja = lang.japanese
    title = lang.t("tp.title") if title is None else title
    rows = dict(rows or {})
    rows.setdefault("AssetClasses", schema.default_asset_classes(ja))
    rows.setdefault("Scenarios", schema.default_scenarios(ja))
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
        book.set_properties({"title": title, "comments": lang.t("tp.comments"), "created": CREATED})
        fmt = _Formats(book, ja)
        write_start_here(book, fmt, title, notes, SHEET_ORDER)
        _write_settings(book, fmt, settings or {})
        tables = {t.sheet: t for t in schema.TABLES}
        for sheet in SHEET_ORDER[1:]:
            if sheet == schema.CORRELATIONS_SHEET:
                _write_correlations(book, fmt, rows)
            elif sheet == schema.HISTORY_SHEET:
                history = rows.get(sheet, ())
                _write_table(book, fmt, history_table(history), history, HISTORY_ROWS)
            else:
                _write_table(book, fmt, tables[sheet], rows.get(sheet, ()))
        write_column_guide(book, fmt)
        book.close()
        _set_new_file_permissions(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _set_new_file_permissions(path: str) -> None:
    """mkstemp creates 0o600; a template is an ordinary document (0o666 & ~umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def history_table(data: Sequence[Mapping[str, Any]]) -> Table:
    """The History table to write: Month, the series of ``data`` (else the schema's
    example series), then Inflation and Notes."""
    month, example_series, inflation, notes = schema.HISTORY.columns
    names: list[str] = []
    for record in data:
        for key in record:
            if key not in schema.HISTORY_NOT_SERIES and key not in names:
                names.append(key)
    series = [replace(example_series, name=n, help=schema.HISTORY_RETURN.help) for n in names]
    columns = (month, *(series or [example_series]), inflation, notes)
    return replace(schema.HISTORY, columns=tuple(columns))


# --------------------------------------------------------------------------- formats
class _Formats:
    """Cell formats shared by the sheets, one per column kind (and greyed twins for
    the example rows)."""

    def __init__(self, book, ja: bool = False):
        self.book = book
        self.ja = ja  # the template's language is Japanese
        self.lang = JAPANESE if ja else ENGLISH
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.link = book.add_format({"font_color": "#0563C1", "underline": 1, "bold": True})
        self.label = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.centre = book.add_format({"align": "center", "valign": "top"})
        self.percent_centre = book.add_format(
            {"num_format": "0%", "align": "center", "valign": "top"}
        )
        number_formats = {
            "percent": "0.0##%",
            "money": "#,##0",
            "number": "#,##0.00",
            "integer": "0",
            "date": "yyyy-mm-dd",
        }
        top = {"valign": "top"}  # Settings rows are as tall as their Notes
        self.by_kind = {
            k: book.add_format({"num_format": v, **top}) for k, v in number_formats.items()
        }
        self.by_kind["corr"] = book.add_format({"num_format": "0.00", "border": 1})
        self.general = book.add_format(top)
        self.example = {k: book.add_format({**EXAMPLE_FONT, "num_format": v}) for k, v in
                        number_formats.items()}  # fmt: skip
        self.example["money"] = book.add_format({**EXAMPLE_FONT, "num_format": "#,##0"})
        self.example[None] = book.add_format(EXAMPLE_FONT)

    def for_column(self, column: Column):
        if column.name in GENERAL_NUMBERS:
            return self.general
        if column.name in THOUSANDS:
            return self.by_kind["money"]
        return self.by_kind.get(column.kind)

    def example_for(self, column: Column):
        if column.name in GENERAL_NUMBERS:
            return self.example[None]
        if column.name in THOUSANDS:
            return self.example["money"]
        return self.example.get(column.kind, self.example[None])


# --------------------------------------------------------------------------- validation
def _validation(column: Column, sheet: str, lang: Language = ENGLISH) -> dict[str, Any]:
    """The data-validation dict of a column: dropdown or range, plus its input message."""
    ja = lang.japanese
    dv: dict[str, Any] = {
        "input_title": japanese.column_name(sheet, column.name, ja)[:32],
        "input_message": help_with_default(column, sheet, lang)[:255],
    }
    if column.kind == "choice":
        choices = [japanese.choice_name(c, ja) for c in column.choices or ()]
        dv.update(validate="list", source=choices)
        if column.aliases:  # other spellings are accepted: warn, do not refuse
            dv["error_type"] = "warning"
    elif column.kind == "yesno":
        dv.update(validate="list", source=[japanese.choice_name(v, ja) for v in schema.YES_NO])
    elif column.kind == "currency":
        dv.update(validate="list", source=list(CURRENCIES), error_type="warning")
        dv["error_message"] = lang.t("tp.currency_error")
    elif column.kind == "ref" and column.ref in ("AssetClasses", "Loans"):
        ref = f"'{japanese.sheet_name(column.ref, True)}'" if ja else column.ref
        dv.update(validate="list", source=f"={ref}!$A$2:$A${LIST_ROWS}")
    elif column.is_numeric and (column.lo is not None or column.hi is not None):
        lo = -1e15 if column.lo is None else column.lo
        hi = 1e15 if column.hi is None else column.hi
        dv.update(
            validate="integer" if column.kind == "integer" else "decimal",
            criteria="between",
            minimum=lo,
            maximum=hi,
            error_type="warning",
            error_title=japanese.column_name(sheet, column.name, ja)[:32],
            error_message=_range_words(column, lang)[:255],
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


def _range_words(column: Column, lang: Language = ENGLISH) -> str:
    def show(x: float) -> str:
        return f"{x * 100:g}%" if column.kind == "percent" else f"{x:,g}"

    if column.lo is not None and column.hi is not None:
        text = lang.t("tp.range_between", lo=show(column.lo), hi=show(column.hi))
    elif column.lo is not None:
        key = "tp.range_above" if column.lo_open else "tp.range_at_least"
        text = lang.t(key, lo=show(column.lo))
    else:
        text = lang.t("tp.range_at_most", hi=show(column.hi))
    if column.kind == "percent":
        text += lang.t("tp.percent_hint")
    return text


# --------------------------------------------------------------------------- sheets
def _write_settings(book, fmt: _Formats, values: Mapping[str, Any]) -> None:
    ja, sheet = fmt.ja, schema.SETTINGS_SHEET
    ws = book.add_worksheet(japanese.sheet_name(sheet, ja))
    n = len(schema.SETTINGS)
    heads = [japanese.column_name(sheet, h, ja) for h in ("Setting", "Value", "Notes")]
    ws.add_table(
        0,
        0,
        n,
        2,
        {
            "name": "tblSettings",
            "style": TABLE_STYLE,
            "columns": [{"header": h} for h in heads],
        },
    )
    for i, column in enumerate(schema.SETTINGS, start=1):
        ws.write_string(i, 0, japanese.column_name(sheet, column.name, ja), fmt.general)
        value = values.get(column.name, column.default)
        if ja and column.attr == "language" and column.name not in values:
            value = "日本語"  # a Japanese template makes Japanese results
        value = _in_language(column, value, ja)
        _write_value(ws, i, 1, column, value, fmt.for_column(column) or fmt.general, fmt)
        notes = help_with_default(column, sheet, fmt.lang)
        ws.set_row(i, wrapped_height(notes, SETTINGS_NOTES_WIDTH))
        ws.write_string(i, 2, notes, fmt.wrap)
        ws.data_validation(i, 1, i, 1, _validation(column, sheet, fmt.lang))
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, SETTINGS_NOTES_WIDTH)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _in_language(column: Column, value: Any, ja: bool) -> Any:
    """A choice or Yes/No value as a template of that language writes it."""
    if not ja or column.kind not in ("choice", "yesno"):
        return value
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    return japanese.choice_name(value, True) if isinstance(value, str) else value


def _write_value(ws, row: int, col: int, column: Column, value: Any, cell_format, fmt) -> None:
    """Write one typed value (user text always as a string, never a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif column.kind == "yesno" and isinstance(value, bool):
        ws.write_string(row, col, "Yes" if value else "No", cell_format)
    elif isinstance(value, (date, datetime)):
        date_format = cell_format if cell_format is not None else fmt.by_kind["date"]
        ws.write_datetime(row, col, value, date_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


def _write_table(
    book,
    fmt: _Formats,
    table: Table,
    data: Sequence[Mapping[str, Any]],
    validation_rows: int = VALIDATION_ROWS,
) -> None:
    ja = fmt.ja
    ws = book.add_worksheet(japanese.sheet_name(table.sheet, ja))
    cols = table.columns
    example = not data and table.example is not None
    records = [japanese.example_row(table.example, ja)] if example else data
    headers = [_header(table.sheet, c, ja) for c in cols]
    ws.add_table(
        0,
        0,
        max(1, len(records)),  # an Excel Table needs one (blank) data row
        len(cols) - 1,
        {
            "name": f"tbl{table.sheet}",
            "style": TABLE_STYLE,
            "columns": [
                {"header": h, "format": fmt.for_column(c)}
                for h, c in zip(headers, cols, strict=True)
            ],
        },
    )
    ws.set_row(0, 30, fmt.header)
    for j, column in enumerate(cols):
        ws.write_string(0, j, headers[j], fmt.header)
        ws.set_column(j, j, header_width(headers[j], column.width), fmt.for_column(column))
        ws.data_validation(1, j, validation_rows, j, _validation(column, table.sheet, fmt.lang))
    for i, record in enumerate(records, start=1):
        for j, column in enumerate(cols):
            cell_format = fmt.example_for(column) if example else fmt.for_column(column)
            value = _in_language(column, record.get(column.name), ja)
            _write_value(ws, i, j, column, value, cell_format, fmt)
    if example:
        comment = fmt.lang.t("tp.example_comment") if ja else EXAMPLE_COMMENT
        ws.write_comment(1, 0, comment, {"x_scale": 1.6, "y_scale": 1.2})
    ws.freeze_panes(1, 1)
    _print_setup(ws)


def _header(sheet: str, column: Column, ja: bool) -> str:
    """A column's header in the template: its name (in the language), marked if required."""
    if not ja:
        return column.header
    name = japanese.column_name(sheet, column.name, True)
    return f"{name} {schema.REQUIRED_MARK}" if column.required else name


def _print_setup(ws) -> None:
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def correlation_labels(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """Asset classes, then FX:<CCY> for each FX row and each default FX factor, then
    the template's other factors (Inflation)."""
    labels = [r["Asset class"] for r in rows.get("AssetClasses", ())]
    for r in rows.get("FX", ()):
        label = f"{schema.FX_PREFIX}{str(r['Currency']).upper()}"
        if label not in labels:
            labels.append(label)
    for label in (*schema.DEFAULT_FX_FACTORS, *schema.DEFAULT_EXTRA_FACTORS):
        if label not in labels:
            labels.append(label)
    return labels


def _write_correlations(book, fmt: _Formats, rows) -> None:
    ws = book.add_worksheet(japanese.sheet_name(schema.CORRELATIONS_SHEET, fmt.ja))
    labels = correlation_labels(rows)
    given = rows.get("Correlations")  # optional {(a, b): value} override
    ws.write_string(0, 0, fmt.lang.t("tp.correlation"), fmt.label)
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
            "input_title": fmt.lang.t("tp.correlation"),
            "input_message": fmt.lang.t("tp.correlation_help"),
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
    lang = ENGLISH
    if args[:1] == ["--lang"] and len(args) > 1:
        lang = JAPANESE if args[1] == "ja" else ENGLISH
        args = args[2:]
    if len(args) != 1:
        print("usage: python -m engine.io.template [--lang ja] PATH", file=sys.stderr)
        return 2
    write_template(Path(args[0]), lang)
    print(lang.t("tp.written", path=args[0]))
    return 0


__all__ = ["GUIDE_SHEET", "SHEET_ORDER", "build_workbook", "write_template"]

if __name__ == "__main__":
    raise SystemExit(main())
