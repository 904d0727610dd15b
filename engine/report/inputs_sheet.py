"""The Inputs sheet: everything as parsed, so the results file stands alone (SPEC §5).

Columns come from ``engine.schema`` (each ``Column.attr`` names the model field it
fills), so a new input column appears here without touching this file. Values are
the resolved ones the engine used: blanks in the input show their default (for
example the freeze LTV computed from the collateral's advance rates).
"""

from __future__ import annotations

from typing import Any

from engine.model import Inputs, cashflows
from engine.report.common import ReportContext, setup_print, write_title, write_value
from engine.schema import (
    ASSET_CLASSES,
    CASHFLOWS,
    CORRELATIONS_SHEET,
    FX,
    HISTORY,
    HOLDINGS,
    LOANS,
    SCENARIOS,
    SETTINGS,
    SETTINGS_SHEET,
    US_STOCKS,
    Column,
    Table,
)

#: Schema table → the ``Inputs`` field holding its rows.
TABLE_RECORDS: tuple[tuple[Table, str], ...] = (
    (HOLDINGS, "holdings"),
    (FX, "fx"),
    (ASSET_CLASSES, "asset_classes"),
    (LOANS, "loans"),
    (CASHFLOWS, "cashflows"),
    (SCENARIOS, "scenarios"),
)
MAX_WIDTH = 40


class _Formats:
    """Input-fidelity formats (more decimals than the result sheets show)."""

    def __init__(self, ctx: ReportContext):
        book, fmt = ctx.book, ctx.fmt
        base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}
        self.percent = book.add_format({**base, "num_format": "0.0##%"})
        self.number = book.add_format({**base, "num_format": "#,##0.00####"})
        self.plain_int = book.add_format({**base, "num_format": "0"})
        self.corr = book.add_format({**base, "num_format": "0.00", "align": "center"})
        self.fmt = fmt

    def for_column(self, column: Column):
        kind = column.kind
        if kind == "percent":
            return self.percent
        if kind == "money":
            return self.fmt.money
        if kind == "number":
            return self.number
        if kind == "integer":
            plain = "year" in column.attr or column.attr == "random_seed"
            return self.plain_int if plain else self.fmt.integer
        if kind == "date":
            return self.fmt.date
        return None


def _value(record: Any, column: Column) -> Any:
    value = getattr(record, column.attr, None)
    return None if value == "" else value


def write(ws, inputs: Inputs, ctx: ReportContext) -> None:
    """Write the Inputs sheet."""
    f = _Formats(ctx)
    widths: dict[int, float] = {0: 26.0, 1: 16.0}
    source = inputs.source_name or "the input workbook"
    row = write_title(
        ctx,
        ws,
        "Inputs",
        f"Everything read from {source}, after defaults were applied, so this file stands alone.",
    )
    ws.write_string(
        row - 1, 0, f"SHA-256 of the input: {inputs.source_sha256 or 'n/a'}", f.fmt.note
    )

    row = _write_settings(ws, inputs, ctx, f, row + 1)
    row = _write_derived(ws, inputs, ctx, row + 1)
    for table, field_name in TABLE_RECORDS:
        row = _write_table(ws, table, getattr(inputs, field_name), ctx, f, row + 1, widths)
        if table is HOLDINGS:
            row = _write_holdings_values(ws, inputs, ctx, row)
    row = _write_correlations(ws, inputs, ctx, f, row + 1, widths)
    row = _write_history(ws, inputs, ctx, row + 1)
    row = _write_warnings(ws, inputs, ctx, row + 1)

    for col, width in widths.items():
        ws.set_column(col, col, min(width, MAX_WIDTH))
    ws.freeze_panes(3, 1)
    setup_print(ws, landscape=True)
    ws.repeat_rows(0, 1)


def _section(ws, ctx: ReportContext, row: int, title: str, note: str = "") -> int:
    ws.write_string(row, 0, title, ctx.fmt.section)
    if note:
        ws.write_string(row + 1, 0, note, ctx.fmt.note)
        return row + 2
    return row + 1


def _write_settings(ws, inputs: Inputs, ctx: ReportContext, f: _Formats, row: int) -> int:
    row = _section(ws, ctx, row, SETTINGS_SHEET)
    for j, header in enumerate(("Setting", "Value", "Notes")):
        ws.write_string(row, j, header, ctx.fmt.header)
    row += 1
    for column in SETTINGS:
        ws.write_string(row, 0, column.name)
        write_value(ws, row, 1, _value(inputs.settings, column), f.for_column(column))
        ws.write_string(row, 2, column.help, ctx.fmt.note)
        row += 1
    return row


def _write_derived(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """Defaults the engine resolved from other inputs."""
    row = _section(ws, ctx, row, "Resolved from your inputs")
    s = inputs.settings
    money, count = ctx.fmt.money, ctx.fmt.integer
    items = (
        (
            "Month-0 living expenses",
            cashflows.living_expenses_month0(inputs),
            money,
            "Recurring Expense rows in the first month (Once rows excluded).",
        ),
        (
            "Cash buffer",
            cashflows.cash_buffer(inputs),
            money,
            f"Cash buffer months ({s.cash_buffer_months:g}) × month-0 living expenses.",
        ),
        ("Projection months", s.months, count, "12 × Horizon years."),
        ("FIRE month", s.fire_month, count, "Month from which 'Stops at FIRE' income has ended."),
    )
    for name, value, cell_format, note in items:
        ws.write_string(row, 0, name)
        write_value(ws, row, 1, value, cell_format)
        ws.write_string(row, 2, note, ctx.fmt.note)
        row += 1
    return row


def _write_table(
    ws, table: Table, records, ctx: ReportContext, f: _Formats, row: int, widths: dict
) -> int:
    row = _section(ws, ctx, row, table.sheet, table.help)
    for j, column in enumerate(table.columns):
        ws.write_string(row, j, column.name, ctx.fmt.header)
        widths[j] = max(widths.get(j, 8.0), column.width)
    row += 1
    if not records:
        ws.write_string(row, 0, "(no rows)", ctx.fmt.note)
        return row + 1
    columns = [(j, column, f.for_column(column)) for j, column in enumerate(table.columns)]
    for record in records:
        for j, column, cell_format in columns:
            write_value(ws, row, j, _value(record, column), cell_format)
        row += 1
    return row


def _write_holdings_values(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """The FX rate and base-currency value the engine used for each holding."""
    if not inputs.holdings:
        return row
    row = _section(
        ws,
        ctx,
        row + 1,
        "Holdings in base currency",
        f"Quantity × Price × FX rate, in {ctx.currency}.",
    )
    headers = ("Name", "Currency", "FX rate", f"Market value ({ctx.currency})")
    for j, header in enumerate(headers):
        ws.write_string(row, j, header, ctx.fmt.header)
    row += 1
    for holding in inputs.holdings:
        write_value(ws, row, 0, holding.name)
        write_value(ws, row, 1, holding.currency)
        write_value(ws, row, 2, holding.fx_rate, ctx.fmt.number)
        write_value(ws, row, 3, holding.market_value, ctx.fmt.money)
        row += 1
    return row


def _write_correlations(
    ws, inputs: Inputs, ctx: ReportContext, f: _Formats, row: int, widths: dict
) -> int:
    corr = inputs.correlations
    row = _section(
        ws,
        ctx,
        row,
        CORRELATIONS_SHEET,
        "Correlations of monthly returns between asset classes, FX factors and (optionally) "
        "inflation surprises.",
    )
    ws.write_string(row, 0, "", ctx.fmt.header)
    for j, label in enumerate(corr.labels):
        ws.write_string(row, 1 + j, label, ctx.fmt.header)
        widths[1 + j] = max(widths.get(1 + j, 8.0), min(len(label) + 2, 18))
    row += 1
    for i, label in enumerate(corr.labels):
        ws.write_string(row, 0, label, ctx.fmt.bold)
        for j in range(len(corr.labels)):
            write_value(ws, row, 1 + j, corr.matrix[i][j], f.corr)
        row += 1
    return row


def _write_history(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """The History sheet in brief: its months and series, and which classes use each."""
    history = inputs.history
    row = _section(ws, ctx, row, HISTORY.sheet, HISTORY.help)
    if history is None:
        ws.write_string(row, 0, "(no History sheet, or no rows in it)", ctx.fmt.note)
        row += 1
    else:
        first, last = history.months[0], history.months[-1]
        span = f"{history.n_months:,} months, {first:%Y-%m} to {last:%Y-%m}"
        names = [*history.names, *(["Inflation"] if history.inflation is not None else [])]
        for label, value in (("Months", span), ("Columns", ", ".join(names))):
            ws.write_string(row, 0, label)
            write_value(ws, row, 1, value)
            row += 1
    used = [(c.name, c.history_series) for c in inputs.asset_classes if c.history_series]
    for name, series in used:
        bundled = series == US_STOCKS and (history is None or series not in history.series)
        note = " (bundled S&P Composite series)" if bundled else ""
        ws.write_string(row, 0, name)
        write_value(ws, row, 1, f"{series}{note}")
        row += 1
    return row


def _write_warnings(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    row = _section(ws, ctx, row, "Warnings from reading the workbook")
    if not inputs.warnings:
        ws.write_string(row, 0, "None.", ctx.fmt.note)
        return row + 1
    for warning in inputs.warnings:
        ws.write_string(row, 0, str(warning))
        row += 1
    return row
