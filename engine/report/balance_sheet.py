"""The Balance Sheet sheet (SPEC §4 A1, §5): key figures, income statement, loans, assets.

Every number comes from ``BalanceSheetResult``; this module only lays it out. Charts:
the balance-sheet picture (assets by class against loans, the hidden liability and
what is left), allocation by class, and each secured loan's LTV against its zones.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from engine.analyses.balance_sheet import BalanceSheetResult
from engine.analyses.words import money_words
from engine.i18n import T, choice_words, date_words
from engine.report.common import (
    CLASS_COLORS,
    PALETTE,
    PCT,
    ReportContext,
    axis,
    class_points,
    column_series,
    open_sheet,
    place_chart,
    write_figures,
    write_headers,
    write_section,
    write_table,
    write_value,
    zone_label,
)

ZONE_COLORS = {
    "Safe": PALETTE["light_green"],
    "Frozen": PALETTE["light_amber"],
    "Margin call": "#FFD8A8",
    "Liquidation": PALETTE["light_red"],
}
CLAIM_COLORS = {
    "bs.loans": PALETTE["red"],
    "bs.pv_of_net_future_expenses": PALETTE["amber"],
    "bs.net_worth_after_future_costs": PALETTE["green"],
    "bs.funding_gap": PALETTE["light_red"],
    "bs.pv_of_net_future_income": PALETTE["light_green"],
}
#: A group's columns (asset class, currency, account): sums over its holdings.
GROUP_HEADERS = {
    "market_value": "bs.market_value",
    "weight": "bs.weight",
    "dividend_gross": "bs.gross_dividends_a_year",
    "dividend_net": "bs.net_dividends_a_year",
    "yield_net": "bs.net_yield",
}
#: The same figures of one holding.
HOLDING_HEADERS = {
    **GROUP_HEADERS,
    "dividend_gross": "bs.gross_dividend_a_year",
    "dividend_net": "bs.net_dividend_a_year",
}
FORMATS = {
    "bs.market_value": "money",
    "bs.weight": "pct",
    "bs.gross_dividends_a_year": "money",
    "bs.net_dividends_a_year": "money",
    "bs.gross_dividend_a_year": "money",
    "bs.net_dividend_a_year": "money",
    "bs.net_yield": "pct2",
}
#: Section title and first column of each group table.
GROUPS = (
    ("by_class", "bs.assets_by_asset_class", "bs.asset_class"),
    ("by_currency", "bs.assets_by_currency", "bs.currency"),
    ("by_account", "bs.assets_by_account", "bs.account"),
)
SIDE = "bs.side_of_the_balance_sheet"
COLUMN_WIDTHS = ((0, 0, 38), (1, 3, 20), (4, 4, 22), (5, 11, 14))
CHART_HEIGHT = 330


def _months(value: float | None) -> Any:
    return T("bs.unlimited") if value is None else value


def _right_text(ctx: ReportContext):
    return ctx.book.add_format({"font_name": "Arial", "font_size": 10, "align": "right"})


def _key_figures(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    funded, funded_note = r.funded_ratio, T("bs.net_worth_hidden_liability_above")
    if r.funded_words is not None:  # the number would mislead: words, the ratio beside them
        funded = r.funded_words
        funded_note = (
            T("bs.future_income_covers_every_future")
            if r.funded_ratio is None
            else T("bs.net_worth_covers_the_rest", funded_ratio=r.funded_ratio)
        )
    buffer = money_words(r.cash_buffer, r.currency)
    items = (
        (T("bs.total_assets"), r.total_assets, f.money, T("bs.market_value_at_the_valuation")),
        (T("bs.of_which_cash"), r.cash, f.money, T("bs.buffer_buffer_kept_aside", buffer=buffer)),
        (T("bs.loans_drawn"), r.total_loans, f.money, ""),
        (T("bs.net_worth"), r.net_worth, f.money_bold, T("bs.assets_loans")),
        (T("bs.unrealised_gains"), r.unrealised_gains, f.money, T("bs.market_value_cost_basis")),
        (
            T("bs.tax_if_everything_were_sold"),
            r.tax_on_full_sale,
            f.money,
            T("bs.capital_gains_tax_taxable"),
        ),
        (
            T("bs.undrawn_unsecured_lines"),
            r.undrawn_lines,
            f.money,
            T("bs.standby_not_a_liability"),
        ),
        (
            T("bs.secured_headroom"),
            r.secured_headroom,
            f.money,
            T("bs.below_freeze_limit_and_capacity"),
        ),
        (T("bs.pv_of_future_expenses"), r.pv_future_expenses, f.money, T("bs.over_the_horizon")),
        (T("bs.pv_of_future_income"), r.pv_future_income, f.money, T("bs.salary_pension")),
        (T("bs.hidden_liability_pv_of_net"), r.pv_future_net_expenses, f.money_bold, ""),
        (T("bs.net_worth_after_future_costs"), r.economic_net_worth, f.money, ""),
        (T("bs.funded_ratio"), funded, f.ratio, funded_note),
        (T("bs.net_dividend_yield_on_assets"), r.net_dividend_yield, f.pct2, ""),
        (T("bs.weighted_borrowing_rate"), r.borrowing_rate, f.pct2, ""),
        (T("bs.spread"), r.spread, f.pct2, T("bs.net_dividend_yield_borrowing_rate")),
        (
            T("bs.monthly_net_burn"),
            r.monthly_net_burn,
            f.money,
            T("bs.expenses_interest_fees_income"),
        ),
        (
            T("bs.runway_months"),
            _months(r.runway_months),
            f.number,
            T("bs.cash_above_buffer_lines_burn"),
        ),
        (
            T("bs.runway_with_secured_headroom_months"),
            _months(r.runway_months_with_secured),
            f.number,
            "",
        ),
    )
    right = _right_text(ctx)
    figures = []
    for label, value, cell_format, note in items:
        if value is None:
            value = T("common.n_a")
        if isinstance(value, str):  # words, right-aligned where the figures stand
            cell_format = right
        figures.append((label, value, cell_format, note or None))
    return write_figures(ctx, ws, row, figures)


def _income_statement(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    items = (
        (T("bs.dividends_gross"), r.dividends_gross, f.money),
        (T("bs.tax_and_withholding"), r.dividends_net - r.dividends_gross, f.money),
        (T("bs.dividends_net"), r.dividends_net, f.money),
        (T("bs.income"), r.income, f.money),
        (T("bs.living_expenses"), -r.expenses, f.money),
        (T("bs.interest"), -r.interest, f.money),
        (T("bs.commitment_fees"), -r.commitment_fees, f.money),
        (T("bs.net_per_year"), r.net_income, f.money_bold),
    )
    for label, value, cell_format in items:
        ws.write_string(row, 0, label, f.bold if label.startswith("Net") else None)
        write_value(ws, row, 1, value, cell_format)
        row += 1
    return row


LOAN_ROWS = (
    ("bs.type", "type", None),
    ("bs.balance_drawn", "balance", "money"),
    ("bs.limit", "limit", "money"),
    ("bs.interest_rate", "interest_rate", "pct2"),
    ("bs.rate_type", "rate_type", None),
    ("bs.interest_per_year", "annual_interest", "money"),
    ("bs.commitment_fee_per_year", "annual_commitment_fee", "money"),
    ("bs.collateral_value", "collateral_value", "money"),
    ("bs.borrowing_capacity", "capacity", "money"),
    ("bs.available_to_draw", "available_to_draw", "money"),
    ("LTV", "ltv", "pct"),
    ("bs.freeze_ltv", "freeze_ltv", "pct"),
    ("bs.margin_call_ltv", "call_ltv", "pct"),
    ("bs.liquidation_ltv", "liquidation_ltv", "pct"),
    ("bs.market_fall_to_freeze", "drawdown_to_freeze", "pct"),
    ("bs.market_fall_to_margin_call", "drawdown_to_call", "pct"),
    ("bs.market_fall_to_liquidation", "drawdown_to_liquidation", "pct"),
    ("bs.cure_at_freeze_0_unless", "cure_at_freeze", "money"),
    ("bs.cure_at_margin_call_back", "cure_at_call", "money"),
    ("bs.cure_at_liquidation_back_to", "cure_at_liquidation", "money"),
)


def _loans(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    """One column per loan, one row per figure (loans are few, figures many)."""
    row = write_headers(ctx, ws, row, [T("bs.loan"), *map(str, r.loans["name"].tolist())])
    for label, key, fmt_name in LOAN_ROWS:
        ws.write_string(row, 0, T(label) if label != "LTV" else label)
        cell_format = ctx.fmt.by_name(fmt_name) if fmt_name else None
        for j, value in enumerate(r.loans[key].tolist()):
            write_value(ws, row, 1 + j, choice_words(value), cell_format)
        row += 1
    ws.write_string(
        row,
        0,
        T("bs.market_fall_the_uniform_drop"),
        ctx.fmt.note,
    )
    return row + 1


def _group_table(ws, ctx, frame: pd.DataFrame, title: str, first: str, row: int):
    row = write_section(ctx, ws, row, title)
    table = frame.rename(columns={"group": first, **GROUP_HEADERS})
    refs = write_table(ctx, ws, row, 0, table, FORMATS)
    return row + len(table) + 2, refs


def _holdings(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, T("bs.assets_by_holding"))
    table = r.holdings.rename(
        columns={
            "name": T("bs.holding"),
            "asset_class": T("bs.asset_class"),
            "currency": T("bs.currency"),
            "account": T("bs.account"),
            "pledged_to": T("bs.pledged_to"),
            "yield_gross": T("bs.gross_yield"),
            "unrealised_gain": T("bs.unrealised_gain"),
            "tax_on_sale": T("bs.tax_if_sold"),
            **HOLDING_HEADERS,
        }
    )
    formats = {**FORMATS, T("bs.gross_yield"): "pct2", T("bs.unrealised_gain"): "money",
               T("bs.tax_if_sold"): "money"}  # fmt: skip
    write_table(ctx, ws, row, 0, table, formats)
    return row + len(table) + 2


def _picture_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    sides = ["Assets", "Claims"]
    data = {SIDE: [T("bs.assets"), T("bs.loans_future_costs_net_worth")]}
    for item, side, amount in r.picture[["item", "side", "amount"]].itertuples(index=False):
        data[item] = [amount if s == side else 0.0 for s in sides]
    refs = ctx.data_block(pd.DataFrame(data), T("bs.balance_sheet_assets_vs_liabilities"))
    title = T("bs.assets_vs_liabilities_incl_future")
    chart = ctx.money_chart("column", title, "", subtype="stacked")
    chart.set_x_axis(
        {"name": T("bs.balance_sheet"), "name_font": {"size": 9}, "num_font": {"size": 8}}
    )
    classes = 0
    for item in data:
        if item == SIDE:
            continue
        color = CLAIM_COLORS.get(item)
        if color is None:
            color, classes = CLASS_COLORS[classes % len(CLASS_COLORS)], classes + 1
        # the name is a cell: user text never parsed as a formula
        name, values = refs[item].header, refs[item].ref
        chart.add_series(column_series(name, refs[SIDE].ref, values, color, 60, "#FFFFFF"))
    chart.set_legend({"position": "right", "font": {"size": 8}})
    place_chart(ws, anchor, chart, 500, CHART_HEIGHT)


def _allocation_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    refs = ctx.data_block(r.by_class[["group", "market_value"]], T("bs.balance_sheet_allocation"))
    chart = ctx.book.add_chart({"type": "doughnut"})
    chart.set_title(
        {"name": T("bs.allocation_by_asset_class"), "name_font": {"size": 11, "bold": True}}
    )
    chart.add_series(
        {
            "name": T("bs.market_value"),
            "categories": refs["group"].ref,
            "values": refs["market_value"].ref,
            "data_labels": {"percentage": True, "num_format": "0.0%"},
            "points": class_points(len(r.by_class)),
        }
    )
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    place_chart(ws, anchor, chart, 420, CHART_HEIGHT)


def _ltv_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    if r.ltv_zones.empty:
        return
    refs = ctx.data_block(r.ltv_zones, T("bs.balance_sheet_ltv_vs_thresholds"))
    chart = ctx.chart(
        "column",
        T("bs.ltv_against_its_thresholds"),
        T("bs.secured_loan"),
        "LTV",
        PCT,
        subtype="stacked",
    )
    for zone, color in ZONE_COLORS.items():
        zone_name, loans, values = (
            T("bs.zone_zone", zone=zone_label(zone)),
            refs["loan"].ref,
            refs[zone].ref,
        )
        chart.add_series(column_series(zone_name, loans, values, color, 80, "#FFFFFF"))
    line = ctx.book.add_chart({"type": "line"})
    line.add_series(
        {
            "name": T("bs.ltv_today"),
            "categories": refs["loan"].ref,
            "values": refs["ltv"].ref,
            "line": {"none": True},
            "marker": {
                "type": "diamond",
                "size": 12,
                "fill": {"color": PALETTE["blue"]},
                "border": {"color": "#FFFFFF"},
            },
            "data_labels": {"value": True, "num_format": "0.0%", "position": "right"},
        }
    )
    chart.combine(line)
    chart.set_y_axis(axis("LTV", PCT, min=0, max=float(r.ltv_zones["top"].max())))
    place_chart(ws, anchor, chart, 420, CHART_HEIGHT)


def write(ws, result: BalanceSheetResult, ctx: ReportContext) -> None:
    """Write the Balance Sheet sheet."""
    r = result
    subtitle = T(
        "bs.portfolio_at_isoformat_in_currency",
        portfolio=r.portfolio,
        isoformat=date_words(r.valuation_date),
        currency=r.currency,
    )
    row = open_sheet(
        ctx, ws, T("bs.balance_sheet_2"), subtitle, widths=COLUMN_WIDTHS, frozen_cols=1
    )
    row = write_section(ctx, ws, row, T("bs.key_figures"))
    row = _key_figures(ws, r, ctx, row) + 1
    row = write_section(ctx, ws, row, T("bs.income_statement_run_rate_per"))
    row = _income_statement(ws, r, ctx, row) + 1
    row = max(row, 40)  # below the charts
    row = write_section(ctx, ws, row, T("bs.loans"))
    row = _loans(ws, r, ctx, row) + 1
    row = _holdings(ws, r, ctx, row)
    for attr, title, first in GROUPS:
        row, _ = _group_table(ws, ctx, getattr(r, attr), title, first, row)

    _picture_chart(ws, r, ctx, "E4")
    _ltv_chart(ws, r, ctx, "J4")
    _allocation_chart(ws, r, ctx, "E22")
