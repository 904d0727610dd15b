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
)

ZONE_COLORS = {
    "Safe": PALETTE["light_green"],
    "Frozen": PALETTE["light_amber"],
    "Margin call": "#FFD8A8",
    "Liquidation": PALETTE["light_red"],
}
CLAIM_COLORS = {
    "Loans": PALETTE["red"],
    "PV of net future expenses": PALETTE["amber"],
    "Net worth after future costs": PALETTE["green"],
    "Funding gap": PALETTE["light_red"],
    "PV of net future income": PALETTE["light_green"],
}
#: A group's columns (asset class, currency, account): sums over its holdings.
GROUP_HEADERS = {
    "market_value": "Market value",
    "weight": "Weight",
    "dividend_gross": "Gross dividends a year",
    "dividend_net": "Net dividends a year",
    "yield_net": "Net yield",
}
#: The same figures of one holding.
HOLDING_HEADERS = {
    **GROUP_HEADERS,
    "dividend_gross": "Gross dividend a year",
    "dividend_net": "Net dividend a year",
}
FORMATS = {
    "Market value": "money",
    "Weight": "pct",
    "Gross dividends a year": "money",
    "Net dividends a year": "money",
    "Gross dividend a year": "money",
    "Net dividend a year": "money",
    "Net yield": "pct2",
}
#: Section title and first column of each group table.
GROUPS = (
    ("by_class", "Assets by asset class", "Asset class"),
    ("by_currency", "Assets by currency", "Currency"),
    ("by_account", "Assets by account", "Account"),
)
SIDE = "Side of the balance sheet"
COLUMN_WIDTHS = ((0, 0, 38), (1, 3, 20), (4, 4, 22), (5, 11, 14))
CHART_HEIGHT = 330


def _months(value: float | None) -> Any:
    return "Unlimited" if value is None else value


def _right_text(ctx: ReportContext):
    return ctx.book.add_format({"font_name": "Arial", "font_size": 10, "align": "right"})


def _key_figures(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    funded, funded_note = r.funded_ratio, "net worth ÷ hidden liability; above 1 = funded"
    if r.funded_words is not None:  # the number would mislead: words, the ratio beside them
        funded = r.funded_words
        funded_note = (
            "future income covers every future cost: no hidden liability"
            if r.funded_ratio is None
            else f"net worth covers the rest {r.funded_ratio:,.1f}×"
        )
    buffer = money_words(r.cash_buffer, r.currency)
    items = (
        ("Total assets", r.total_assets, f.money, "market value at the valuation date"),
        ("  of which cash", r.cash, f.money, f"buffer {buffer} kept aside"),
        ("Loans drawn", r.total_loans, f.money, ""),
        ("Net worth", r.net_worth, f.money_bold, "assets − loans"),
        ("Unrealised gains", r.unrealised_gains, f.money, "market value − cost basis"),
        ("Tax if everything were sold", r.tax_on_full_sale, f.money, "capital-gains tax, Taxable"),
        ("Undrawn unsecured lines", r.undrawn_lines, f.money, "standby, not a liability"),
        ("Secured headroom", r.secured_headroom, f.money, "below freeze, limit and capacity"),
        ("PV of future expenses", r.pv_future_expenses, f.money, "over the horizon"),
        ("PV of future income", r.pv_future_income, f.money, "salary, pension, …"),
        ("Hidden liability (PV of net expenses)", r.pv_future_net_expenses, f.money_bold, ""),
        ("Net worth after future costs", r.economic_net_worth, f.money, ""),
        ("Funded ratio", funded, f.ratio, funded_note),
        ("Net dividend yield on assets", r.net_dividend_yield, f.pct2, ""),
        ("Weighted borrowing rate", r.borrowing_rate, f.pct2, ""),
        ("Spread", r.spread, f.pct2, "net dividend yield − borrowing rate"),
        ("Monthly net burn", r.monthly_net_burn, f.money, "expenses + interest + fees − income"),
        (
            "Runway, months",
            _months(r.runway_months),
            f.number,
            "(cash above buffer + lines) ÷ burn",
        ),
        (
            "Runway with secured headroom, months",
            _months(r.runway_months_with_secured),
            f.number,
            "",
        ),
    )
    right = _right_text(ctx)
    figures = []
    for label, value, cell_format, note in items:
        if value is None:
            value = "n/a"
        if isinstance(value, str):  # words, right-aligned where the figures stand
            cell_format = right
        figures.append((label, value, cell_format, note or None))
    return write_figures(ctx, ws, row, figures)


def _income_statement(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    items = (
        ("Dividends (gross)", r.dividends_gross, f.money),
        ("Tax and withholding", r.dividends_net - r.dividends_gross, f.money),
        ("Dividends (net)", r.dividends_net, f.money),
        ("Income", r.income, f.money),
        ("Living expenses", -r.expenses, f.money),
        ("Interest", -r.interest, f.money),
        ("Commitment fees", -r.commitment_fees, f.money),
        ("Net (per year)", r.net_income, f.money_bold),
    )
    for label, value, cell_format in items:
        ws.write_string(row, 0, label, f.bold if label.startswith("Net") else None)
        write_value(ws, row, 1, value, cell_format)
        row += 1
    return row


LOAN_ROWS = (
    ("Type", "type", None),
    ("Balance (drawn)", "balance", "money"),
    ("Limit", "limit", "money"),
    ("Interest rate", "interest_rate", "pct2"),
    ("Rate type", "rate_type", None),
    ("Interest per year", "annual_interest", "money"),
    ("Commitment fee per year", "annual_commitment_fee", "money"),
    ("Collateral value", "collateral_value", "money"),
    ("Borrowing capacity", "capacity", "money"),
    ("Available to draw", "available_to_draw", "money"),
    ("LTV", "ltv", "pct"),
    ("Freeze LTV", "freeze_ltv", "pct"),
    ("Margin call LTV", "call_ltv", "pct"),
    ("Liquidation LTV", "liquidation_ltv", "pct"),
    ("Market fall to freeze", "drawdown_to_freeze", "pct"),
    ("Market fall to margin call", "drawdown_to_call", "pct"),
    ("Market fall to liquidation", "drawdown_to_liquidation", "pct"),
    ("Cure at freeze (0 unless already past it)", "cure_at_freeze", "money"),
    ("Cure at margin call (back to freeze)", "cure_at_call", "money"),
    ("Cure at liquidation (back to freeze)", "cure_at_liquidation", "money"),
)


def _loans(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    """One column per loan, one row per figure (loans are few, figures many)."""
    row = write_headers(ctx, ws, row, ["Loan", *map(str, r.loans["name"].tolist())])
    for label, key, fmt_name in LOAN_ROWS:
        ws.write_string(row, 0, label)
        cell_format = ctx.fmt.by_name(fmt_name) if fmt_name else None
        for j, value in enumerate(r.loans[key].tolist()):
            write_value(ws, row, 1 + j, value, cell_format)
        row += 1
    ws.write_string(
        row,
        0,
        "Market fall: the uniform drop in every asset class (× its stress beta) that lifts "
        "the LTV to the threshold. Blank: not applicable or never reached.",
        ctx.fmt.note,
    )
    return row + 1


def _group_table(ws, ctx, frame: pd.DataFrame, title: str, first: str, row: int):
    row = write_section(ctx, ws, row, title)
    table = frame.rename(columns={"group": first, **GROUP_HEADERS})
    refs = write_table(ctx, ws, row, 0, table, FORMATS)
    return row + len(table) + 2, refs


def _holdings(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, "Assets by holding")
    table = r.holdings.rename(
        columns={
            "name": "Holding",
            "asset_class": "Asset class",
            "currency": "Currency",
            "account": "Account",
            "pledged_to": "Pledged to",
            "yield_gross": "Gross yield",
            "unrealised_gain": "Unrealised gain",
            "tax_on_sale": "Tax if sold",
            **HOLDING_HEADERS,
        }
    )
    formats = {**FORMATS, "Gross yield": "pct2", "Unrealised gain": "money",
               "Tax if sold": "money"}  # fmt: skip
    write_table(ctx, ws, row, 0, table, formats)
    return row + len(table) + 2


def _picture_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    sides = ["Assets", "Claims"]
    data = {SIDE: ["Assets", "Loans, future costs, net worth"]}
    for item, side, amount in r.picture[["item", "side", "amount"]].itertuples(index=False):
        data[item] = [amount if s == side else 0.0 for s in sides]
    refs = ctx.data_block(pd.DataFrame(data), "Balance Sheet: assets vs liabilities")
    title = "Assets vs liabilities (incl. future costs)"
    chart = ctx.money_chart("column", title, "", subtype="stacked")
    chart.set_x_axis({"name": "Balance sheet", "name_font": {"size": 9}, "num_font": {"size": 8}})
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
    refs = ctx.data_block(r.by_class[["group", "market_value"]], "Balance Sheet: allocation")
    chart = ctx.book.add_chart({"type": "doughnut"})
    chart.set_title({"name": "Allocation by asset class", "name_font": {"size": 11, "bold": True}})
    chart.add_series(
        {
            "name": "Market value",
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
    refs = ctx.data_block(r.ltv_zones, "Balance Sheet: LTV vs thresholds")
    chart = ctx.chart(
        "column", "LTV against its thresholds", "Secured loan", "LTV", PCT, subtype="stacked"
    )
    for zone, color in ZONE_COLORS.items():
        zone_name, loans, values = f"{zone} zone", refs["loan"].ref, refs[zone].ref
        chart.add_series(column_series(zone_name, loans, values, color, 80, "#FFFFFF"))
    line = ctx.book.add_chart({"type": "line"})
    line.add_series(
        {
            "name": "LTV today",
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
    subtitle = (
        f"{r.portfolio} at {r.valuation_date.isoformat()}, in {r.currency}. What you own and "
        "owe, including future living costs (the hidden liability)."
    )
    row = open_sheet(ctx, ws, "Balance Sheet", subtitle, widths=COLUMN_WIDTHS, frozen_cols=1)
    row = write_section(ctx, ws, row, "Key figures")
    row = _key_figures(ws, r, ctx, row) + 1
    row = write_section(ctx, ws, row, "Income statement (run rate, per year)")
    row = _income_statement(ws, r, ctx, row) + 1
    row = max(row, 40)  # below the charts
    row = write_section(ctx, ws, row, "Loans")
    row = _loans(ws, r, ctx, row) + 1
    row = _holdings(ws, r, ctx, row)
    for attr, title, first in GROUPS:
        row, _ = _group_table(ws, ctx, getattr(r, attr), title, first, row)

    _picture_chart(ws, r, ctx, "E4")
    _ltv_chart(ws, r, ctx, "J4")
    _allocation_chart(ws, r, ctx, "E22")
