"""The Inputs sheet: everything as parsed, so the results file stands alone (SPEC §5).

Columns come from ``engine.schema`` (each ``Column.attr`` names the model field it
fills), so a new input column appears here without touching this file. Values are
the resolved ones the engine used: blanks in the input show their default (for
example the freeze LTV computed from the collateral's advance rates).
"""

from __future__ import annotations

from typing import Any

from engine.i18n import T, choice_words, current
from engine.model import Inputs, cashflows
from engine.report.common import (
    ReportContext,
    open_sheet,
    set_widths,
    write_figures,
    write_headers,
    write_section,
    write_value,
)
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
    japanese,
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
    if column.kind == "choice" and isinstance(value, str) and current().japanese:
        return choice_words(value)  # 課税, 証券担保ローン…: as a Japanese workbook has them
    return None if value == "" else value


def _name(sheet: str, column: Column) -> str:
    """A setting's or column's name as the input workbook of the language calls it."""
    return japanese.column_name(sheet, column.name, current().japanese)


def _help(sheet: str, column: Column) -> str:
    return japanese.column_help(sheet, column.name, column.help, current().japanese)


def _section(sheet: str) -> str:
    return japanese.sheet_name(sheet, current().japanese)


def _sheet_help(table: Table) -> str:
    return japanese.SHEET_HELP.get(table.sheet, table.help) if current().japanese else table.help


def write(ws, inputs: Inputs, ctx: ReportContext) -> None:
    """Write the Inputs sheet."""
    f = _Formats(ctx)
    widths: dict[int, float] = {0: 26.0, 1: 16.0}
    source = inputs.source_name or T("in.the_input_workbook")
    subtitle = T("in.everything_read_from_source_after", source=source)
    row = open_sheet(ctx, ws, T("in.inputs"), subtitle, frozen_cols=1)  # widths follow the tables
    ws.write_string(
        row - 1, 0, T("in.sha_256_of_the_input", value=inputs.source_sha256 or "n/a"), f.fmt.note
    )

    row = _write_settings(ws, inputs, ctx, f, row + 1)
    row = _write_derived(ws, inputs, ctx, row + 1)
    for table, field_name in TABLE_RECORDS:
        row = _write_table(ws, table, getattr(inputs, field_name), ctx, f, row + 1, widths)
        if table is HOLDINGS:
            row = _write_holdings_values(ws, inputs, ctx, row)
    row = _write_correlations(ws, inputs, ctx, f, row + 1, widths)
    row = _write_history(ws, inputs, ctx, row + 1)
    _write_warnings(ws, inputs, ctx, row + 1)
    set_widths(ws, ((col, col, min(width, MAX_WIDTH)) for col, width in widths.items()))


def _write_settings(ws, inputs: Inputs, ctx: ReportContext, f: _Formats, row: int) -> int:
    row = write_section(ctx, ws, row, _section(SETTINGS_SHEET))
    row = write_headers(ctx, ws, row, (T("in.setting"), T("in.value"), T("in.notes")))
    settings = inputs.settings
    figures = [
        (_name(SETTINGS_SHEET, c), _value(settings, c), f.for_column(c), _help(SETTINGS_SHEET, c))
        for c in SETTINGS
    ]
    return write_figures(ctx, ws, row, figures)


def _write_derived(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """Defaults the engine resolved from other inputs."""
    row = write_section(ctx, ws, row, T("in.resolved_from_your_inputs"))
    s = inputs.settings
    money, count = ctx.fmt.money, ctx.fmt.integer
    items = (
        (
            T("in.month_0_living_expenses"),
            cashflows.living_expenses_month0(inputs),
            money,
            T("in.recurring_expense_rows_in_the"),
        ),
        (
            T("in.cash_buffer"),
            cashflows.cash_buffer(inputs),
            money,
            T("in.cash_buffer_months_cash_buffer", cash_buffer_months=s.cash_buffer_months),
        ),
        (T("in.projection_months"), s.months, count, T("in.12_horizon_years")),
        (T("in.fire_month"), s.fire_month, count, T("in.month_from_which_stops_at")),
    )
    return write_figures(ctx, ws, row, items)


def _write_table(
    ws, table: Table, records, ctx: ReportContext, f: _Formats, row: int, widths: dict
) -> int:
    row = write_section(ctx, ws, row, _section(table.sheet), _sheet_help(table))
    row = write_headers(ctx, ws, row, (_name(table.sheet, column) for column in table.columns))
    for j, column in enumerate(table.columns):
        widths[j] = max(widths.get(j, 8.0), column.width)
    if not records:
        ws.write_string(row, 0, T("in.no_rows"), ctx.fmt.note)
        return row + 1
    columns = [(j, column, f.for_column(column)) for j, column in enumerate(table.columns)]
    # words right of the first column are indented: they never touch a figure on their left
    columns = [(j, c, ctx.fmt.cell_text if fmt is None and j else fmt) for j, c, fmt in columns]
    for record in records:
        for j, column, cell_format in columns:
            write_value(ws, row, j, _value(record, column), cell_format)
        row += 1
    return row


def _write_holdings_values(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """The FX rate and base-currency value the engine used for each holding."""
    if not inputs.holdings:
        return row
    note = T("in.quantity_price_fx_rate_in", currency=ctx.currency)
    row = write_section(ctx, ws, row + 1, T("in.holdings_in_base_currency"), note)
    headers = (
        T("in.name"),
        T("in.currency"),
        T("in.fx_rate"),
        T("in.market_value_currency", currency=ctx.currency),
    )
    row = write_headers(ctx, ws, row, headers)
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
    note = T("in.correlations_of_monthly_returns_between")
    row = write_section(ctx, ws, row, _section(CORRELATIONS_SHEET), note)
    row = write_headers(ctx, ws, row, ("", *corr.labels))
    for j, label in enumerate(corr.labels):
        widths[1 + j] = max(widths.get(1 + j, 8.0), min(len(label) + 2, 18))
    for i, label in enumerate(corr.labels):
        ws.write_string(row, 0, label, ctx.fmt.bold)
        for j in range(len(corr.labels)):
            write_value(ws, row, 1 + j, corr.matrix[i][j], f.corr)
        row += 1
    return row


def _write_history(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    """The History sheet in brief: its months and series, and which classes use each."""
    history = inputs.history
    row = write_section(ctx, ws, row, _section(HISTORY.sheet), _sheet_help(HISTORY))
    if history is None:
        ws.write_string(row, 0, T("in.no_history_sheet_or_no"), ctx.fmt.note)
        row += 1
    else:
        first, last = history.months[0], history.months[-1]
        span = T("in.n_months_months_first_y", n_months=history.n_months, first=first, last=last)
        names = [*history.names, *([T("in.inflation")] if history.inflation is not None else [])]
        for label, value in ((T("in.months"), span), (T("in.columns"), ", ".join(names))):
            ws.write_string(row, 0, label)
            write_value(ws, row, 1, value)
            row += 1
    used = [(c.name, c.history_series) for c in inputs.asset_classes if c.history_series]
    for name, series in used:
        bundled = series == US_STOCKS and (history is None or series not in history.series)
        note = T("in.bundled_s_p_composite_series") if bundled else ""
        ws.write_string(row, 0, name)
        write_value(ws, row, 1, f"{series}{note}")
        row += 1
    return row


def _write_warnings(ws, inputs: Inputs, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, T("in.warnings_from_reading_the_workbook"))
    if not inputs.warnings:
        ws.write_string(row, 0, T("in.none"), ctx.fmt.note)
        return row + 1
    for warning in inputs.warnings:
        ws.write_string(row, 0, str(warning))
        row += 1
    return row
