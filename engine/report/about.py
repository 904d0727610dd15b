"""The About sheet: provenance, assumptions, limitations, warnings, a reading guide (SPEC §5)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from engine import __version__
from engine.i18n import T, current, sheet_title
from engine.model import Inputs, cashflows, history_data
from engine.report.common import ReportContext, setup_print, text, write_title, write_value

TEXT_WIDTH = 110  # column B, in character widths
CHARS_PER_LINE = 135  # what fits in TEXT_WIDTH at Arial 10 (measured in LibreOffice)
LINE_HEIGHT = 13.0  # points per line at Arial 10

#: One line per sheet, shown for the sheets present in the workbook.
SHEET_GUIDE: dict[str, str] = {
    "Dashboard": "ab.the_morning_check_on_one",
    "Balance Sheet": "ab.what_you_own_and_owe",
    "Stress Test": "ab.the_drawdown_ladder_what_each",
    "Defense": "ab.the_cheapest_way_to_defend",
    "Snowball": "ab.dividends_year_by_year_under",
    "Monte Carlo": "ab.thousands_of_simulated_futures_with",
    "Inputs": "ab.everything_the_engine_read_from",
    "About": "ab.this_sheet_where_the_numbers",
}

RETURN_MODEL = "ab.returns_each_asset_class_s"

ASSUMPTIONS: tuple[str, ...] = (
    "ab.all_money_is_in_the",
    "ab.time_runs_in_monthly_steps",
    RETURN_MODEL,
    "ab.dividends_accrue_monthly_annual_dividend",
    "ab.dividends_move_with_the_economy",
    "ab.inflation_in_the_monte_carlo",
    "ab.capital_gains_tax_each_taxable",
    "ab.each_simulated_month_one_month",
    "ab.stress_ladder_figures_are_static",
)

LIMITATIONS: tuple[str, ...] = (
    "ab.cost_basis_is_converted_at",
    "ab.lognormal_monthly_returns_with_constant",
    "ab.lenders_are_modelled_by_their",
    "ab.income_tax_social_insurance_and",
    "ab.this_is_a_planning_tool",
)


HISTORICAL_MODEL = "ab.return_model_historical_monthly_returns"


def historical_data_notes() -> list[str]:
    """The bundled data's credit and caveats (shown when Return model = Historical)."""
    if current().japanese:  # the data module's notes are English: their Japanese is here
        return [T(HISTORICAL_MODEL), *T("ab.history_data_notes_ja").split("\n")]
    return [HISTORICAL_MODEL, history_data.SOURCE, *history_data.CAVEATS]


def household_rules(settings) -> list[str]:
    """The household's choices this run assumed (Settings), in plain words."""
    keep = settings.loan_policy == "Keep"
    crises = settings.standby_line_use == "Crises only"
    daily = settings.lender_monitoring == "Daily"
    return [
        (
            T("ab.loan_policy_keep_the_borrowing")
            if keep
            else T("ab.loan_policy_repay_surplus_above")
        ),
        T("ab.surplus_above_the_cash_buffer")
        + (T("ab.secured_draws_above_today_s") if keep else T("ab.secured_loans"))
        + T("ab.the_rest_is_invested_pro"),
        (
            T("ab.standby_line_use_crises_only")
            if crises
            else T("ab.standby_line_use_any_shortfall")
        ),
        T("ab.margin_call_ltv_at_or"),
        T("ab.liquidation_ltv_at_or_above"),
        (
            T("ab.lender_monitoring_daily_lenders_watch")
            if daily
            else T("ab.lender_monitoring_month_end_the")
        ),
    ]


def cashflow_conventions() -> list[str]:
    """The bullet list under 'Conventions' in ``engine.model.cashflows``' docstring, one per item."""
    doc = cashflows.__doc__ or ""
    items: list[str] = []
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:])
        elif items and stripped and line.startswith("  "):
            items[-1] += " " + stripped
    return [re.sub(r"``([^`]*)``", r"\1", item) for item in items]


def write(
    ws,
    inputs: Inputs,
    run_info,
    ctx: ReportContext,
    sheets: Sequence[str],
    analysed: Sequence[str],
) -> None:
    """Write the About sheet. ``sheets``: the sheets of this workbook, in order;
    ``analysed``: the analyses' sheets, in computation order."""
    settings = inputs.settings
    fmt = ctx.fmt
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, TEXT_WIDTH)
    left = {"font_name": "Arial", "font_size": 10, "valign": "vcenter", "align": "left"}
    left_date = ctx.book.add_format({**left, "num_format": "yyyy-mm-dd"})
    left_int = ctx.book.add_format({**left, "num_format": "#,##0"})
    left_text = ctx.book.add_format(left)
    row = write_title(ctx, ws, T("ab.about"), T("ab.how_these_results_were_made"))

    run_time = (
        T("ab.pinned_for_reproducible_output_pin")
        if run_info.pinned_created is not None
        else run_info.run_time.strftime("%Y-%m-%d %H:%M:%S")
    )
    facts = (
        (T("ab.engine_version"), T("ab.alm_engine_version", version=__version__), None),
        (T("ab.run_time"), run_time, None),
        (T("ab.portfolio"), settings.portfolio_name, None),
        (T("ab.valuation_date"), settings.valuation_date, left_date),
        (T("ab.base_currency"), settings.base_currency, None),
        (T("ab.input_file"), run_info.input_name, None),
        (
            T("ab.input_sha_256"),
            run_info.input_sha256 or inputs.source_sha256 or T("common.n_a"),
            None,
        ),
        (T("ab.monte_carlo_paths"), run_info.paths, left_int),
        (T("ab.random_seed"), run_info.seed, None),
        (T("ab.analyses_included"), current().join(map(sheet_title, analysed)) or "—", None),
    )
    for label, value, cell_format in facts:
        ws.write_string(row, 0, label, fmt.bold)
        write_value(ws, row, 1, value, cell_format or left_text)
        row += 1
    ws.write_string(
        row,
        0,
        T("ab.same_input_file_and_seed"),
        fmt.note,
    )
    row += 2

    row = _bullets(ws, ctx, row, T("ab.assumptions"), ASSUMPTIONS)
    row = _bullets(
        ws, ctx, row, T("ab.the_household_this_run_simulated"), household_rules(settings)
    )
    if settings.return_model == "Historical":
        row = _bullets(ws, ctx, row, T("ab.historical_returns_and_data"), historical_data_notes())
    conventions = cashflow_conventions()
    if current().japanese:  # the model's docstring is English: its Japanese is in the catalogue
        conventions = T("ab.cashflow_conventions_ja").split("\n")
    row = _bullets(ws, ctx, row, T("ab.cash_flow_conventions"), conventions)
    row = _bullets(ws, ctx, row, T("ab.limitations"), LIMITATIONS)
    warnings = list(inputs.warnings) + list(run_info.warnings)
    row = _bullets(ws, ctx, row, T("ab.warnings"), warnings or [T("ab.none")])

    ws.write_string(row, 0, T("ab.how_to_read_each_sheet"), fmt.section)
    row += 1
    for sheet in sheets:
        ws.write_string(row, 0, sheet_title(sheet), fmt.bold)
        _wrapped(ws, row, text(SHEET_GUIDE.get(sheet, "")), fmt.wrap)
        row += 1

    ws.freeze_panes(3, 0)
    setup_print(ws, landscape=True)
    ws.repeat_rows(0, 1)


def _bullets(ws, ctx: ReportContext, row: int, title: str, items: Sequence[str]) -> int:
    bullet = ctx.book.add_format(
        {"font_name": "Arial", "font_size": 10, "align": "right", "valign": "top"}
    )
    ws.write_string(row, 0, text(title), ctx.fmt.section)
    row += 1
    for item in items:
        ws.write_string(row, 0, "•", bullet)
        _wrapped(ws, row, str(text(item)), ctx.fmt.wrap)
        row += 1
    return row + 1


def _width(words: str) -> int:
    """Printed width in Latin letters: a Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in words)


def _wrapped(ws, row: int, words: str, cell_format) -> None:
    """Wrapped text with a row height to fit it (LibreOffice does not grow rows on open)."""
    ws.write_string(row, 1, words, cell_format)
    lines = max(1, math.ceil(_width(words) / CHARS_PER_LINE))
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines + 2)
