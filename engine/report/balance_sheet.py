"""The Balance Sheet sheet (SPEC §4 A1, §5): key figures, income statement, loans, assets.

Every number comes from ``BalanceSheetResult``; this module only lays it out. Charts:
the balance-sheet picture (assets by class against loans, the hidden liability and
what is left), allocation by class, and each secured loan's LTV against its zones.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from engine.analyses.balance_sheet import BalanceSheetResult
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    setup_print,
    write_table,
    write_title,
    write_value,
)

ZONE_COLORS = {
    "Safe": PALETTE["light_green"],
    "Frozen": PALETTE["light_amber"],
    "Margin call": "#FFD8A8",
    "Liquidation": PALETTE["light_red"],
}
#: Asset classes avoid the green/red/amber kept for net worth, loans and future costs.
CLASS_COLORS = ("#1F4E79", "#00838F", "#6A3D9A", "#8D6E63", "#5B9BD5", "#9E9D24", "#AD1457")
CLAIM_COLORS = {
    "Loans": PALETTE["red"],
    "PV of net future expenses": PALETTE["amber"],
    "Net worth after future costs": PALETTE["green"],
    "Funding gap": PALETTE["light_red"],
    "PV of net future income": PALETTE["light_green"],
}
GROUP_HEADERS = {
    "market_value": "Market value",
    "weight": "Weight",
    "dividend_gross": "Gross dividend/yr",
    "dividend_net": "Net dividend/yr",
    "yield_net": "Net yield",
}
GROUP_FORMATS = {
    "Market value": "money",
    "Weight": "pct",
    "Gross dividend/yr": "money",
    "Net dividend/yr": "money",
    "Net yield": "pct2",
}
SIDE = "Side of the balance sheet"


def _section(ws, ctx: ReportContext, row: int, title: str, note: str = "") -> int:
    ws.write_string(row, 0, title, ctx.fmt.section)
    if note:
        ws.write_string(row + 1, 0, note, ctx.fmt.note)
        return row + 2
    return row + 1


def _months(value: float | None) -> Any:
    return "Unlimited" if value is None else value


def _right_text(ctx: ReportContext):
    return ctx.book.add_format({"font_name": "Arial", "font_size": 10, "align": "right"})


def _key_figures(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    funded_note = "net worth ÷ hidden liability; above 1 = funded"
    items = (
        ("Total assets", r.total_assets, f.money, "market value at the valuation date"),
        ("  of which cash", r.cash, f.money, f"buffer {r.cash_buffer:,.0f} kept aside"),
        ("Loans drawn", r.total_loans, f.money, ""),
        ("Net worth", r.net_worth, f.money_bold, "assets − loans"),
        ("Undrawn unsecured lines", r.undrawn_lines, f.money, "standby, not a liability"),
        ("Secured headroom", r.secured_headroom, f.money, "below freeze, limit and capacity"),
        ("PV of future expenses", r.pv_future_expenses, f.money, "over the horizon"),
        ("PV of future income", r.pv_future_income, f.money, "salary, pension, …"),
        ("Hidden liability (PV of net expenses)", r.pv_future_net_expenses, f.money_bold, ""),
        ("Net worth after future costs", r.economic_net_worth, f.money, ""),
        ("Funded ratio", r.funded_ratio, f.ratio, funded_note),
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
    for label, value, cell_format, note in items:
        ws.write_string(row, 0, label)
        if value is None:
            text = "n/a (income covers future costs)" if label == "Funded ratio" else "n/a"
            ws.write_string(row, 1, text, right)
        elif isinstance(value, str):
            ws.write_string(row, 1, value, right)
        else:
            write_value(ws, row, 1, value, cell_format)
        if note:
            ws.write_string(row, 2, note, f.note)
        row += 1
    return row


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
    ws.write_string(row, 0, "Loan", ctx.fmt.header)
    for j, name in enumerate(r.loans["name"].tolist()):
        ws.write_string(row, 1 + j, str(name), ctx.fmt.header)
    row += 1
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


def _group_table(ws, ctx, frame: pd.DataFrame, title: str, row: int):
    row = _section(ws, ctx, row, title)
    table = frame.rename(columns={"group": title, **GROUP_HEADERS})
    refs = write_table(ctx, ws, row, 0, table, GROUP_FORMATS)
    return row + len(table) + 2, refs


def _holdings(ws, r: BalanceSheetResult, ctx: ReportContext, row: int) -> int:
    row = _section(ws, ctx, row, "Assets by holding")
    table = r.holdings.rename(
        columns={
            "name": "Holding",
            "asset_class": "Asset class",
            "currency": "Currency",
            "account": "Account",
            "pledged_to": "Pledged to",
            "yield_gross": "Gross yield",
            **GROUP_HEADERS,
        }
    )
    formats = {**GROUP_FORMATS, "Gross yield": "pct2"}
    write_table(ctx, ws, row, 0, table, formats)
    return row + len(table) + 2


def _picture_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    sides = ["Assets", "Claims"]
    data = {SIDE: ["Assets", "Loans, future costs, net worth"]}
    for item, side, amount in r.picture[["item", "side", "amount"]].itertuples(index=False):
        data[item] = [amount if s == side else 0.0 for s in sides]
    refs = ctx.data_block(pd.DataFrame(data), "Balance Sheet: assets vs liabilities")
    chart = ctx.chart(
        "column",
        "Assets vs liabilities (incl. future costs)",
        "",
        ctx.axis_money_title,
        ctx.axis_money_format,
        subtype="stacked",
    )
    chart.set_x_axis({"name": "Balance sheet", "name_font": {"size": 9}, "num_font": {"size": 8}})
    classes = 0
    for item in data:
        if item == SIDE:
            continue
        color = CLAIM_COLORS.get(item)
        if color is None:
            color, classes = CLASS_COLORS[classes % len(CLASS_COLORS)], classes + 1
        chart.add_series(
            {
                "name": refs[item].header,  # a cell: user text never parsed as a formula
                "categories": refs[SIDE].ref,
                "values": refs[item].ref,
                "fill": {"color": color},
                "border": {"color": "#FFFFFF"},
                "gap": 60,
            }
        )
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_size({"width": 500, "height": 330})
    ws.insert_chart(anchor, chart)


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
            "points": [
                {"fill": {"color": CLASS_COLORS[i % len(CLASS_COLORS)]}}
                for i in range(len(r.by_class))
            ],
        }
    )
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    chart.set_size({"width": 420, "height": 330})
    ws.insert_chart(anchor, chart)


def _ltv_chart(ws, r: BalanceSheetResult, ctx: ReportContext, anchor: str) -> None:
    if r.ltv_zones.empty:
        return
    refs = ctx.data_block(r.ltv_zones, "Balance Sheet: LTV vs thresholds")
    chart = ctx.chart(
        "column", "LTV against its thresholds", "Secured loan", "LTV", PCT, subtype="stacked"
    )
    for zone, color in ZONE_COLORS.items():
        chart.add_series(
            {
                "name": f"{zone} zone",
                "categories": refs["loan"].ref,
                "values": refs[zone].ref,
                "fill": {"color": color},
                "border": {"color": "#FFFFFF"},
                "gap": 80,
            }
        )
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
    chart.set_y_axis(
        {
            "name": "LTV",
            "num_format": PCT,
            "min": 0,
            "max": float(r.ltv_zones["top"].max()),
            "name_font": {"size": 9, "bold": False},
            "num_font": {"size": 8},
        }
    )
    chart.set_size({"width": 420, "height": 330})
    ws.insert_chart(anchor, chart)


def write(ws, result: BalanceSheetResult, ctx: ReportContext) -> None:
    """Write the Balance Sheet sheet."""
    r = result
    row = write_title(
        ctx,
        ws,
        "Balance Sheet",
        f"{r.portfolio} at {r.valuation_date.isoformat()}, in {r.currency}. What you own and "
        "owe, including future living costs (the hidden liability).",
    )
    row = _section(ws, ctx, row, "Key figures")
    row = _key_figures(ws, r, ctx, row) + 1
    row = _section(ws, ctx, row, "Income statement (run rate, per year)")
    row = _income_statement(ws, r, ctx, row) + 1
    row = max(row, 40)  # below the charts
    row = _section(ws, ctx, row, "Loans")
    row = _loans(ws, r, ctx, row) + 1
    row = _holdings(ws, r, ctx, row)
    for frame, title in (
        (r.by_class, "Asset class"),
        (r.by_currency, "Currency"),
        (r.by_account, "Account"),
    ):
        row, _ = _group_table(ws, ctx, frame, title, row)

    _picture_chart(ws, r, ctx, "E4")
    _ltv_chart(ws, r, ctx, "J4")
    _allocation_chart(ws, r, ctx, "E22")

    ws.set_column(0, 0, 38)
    ws.set_column(1, 3, 20)
    ws.set_column(4, 4, 22)
    ws.set_column(5, 11, 14)
    ws.freeze_panes(3, 1)
    setup_print(ws, landscape=True)
    ws.repeat_rows(0, 1)
