"""The Snowball sheet (SPEC §4 A4, §5): the crossover year, the yearly table, per holding.

Lays out ``SnowballResult``; computes nothing. Charts: net dividends by holding
(stacked columns) against expenses + interest − income (a line, same money axis);
coverage over time with the 1.0 line; book value against dividend per share for the
largest DOE holding (DPS on the secondary axis).

Publishes for the Dashboard's small snowball chart: ``ctx.refs["snowball.year"]``,
``["snowball.dividends_net"]`` and ``["snowball.outgo"]`` — columns of the yearly table.
"""

from __future__ import annotations

import pandas as pd

from engine.analyses.snowball import OTHERS, SnowballResult
from engine.i18n import T, choice_words, date_words
from engine.report.common import (
    PALETTE,
    ReportContext,
    axis,
    column_series,
    line_series,
    open_sheet,
    place_chart,
    series_color,
    write_figures,
    write_section,
    write_table,
)

OUTGO = "sn.expenses_interest_income"
YEAR_COLUMNS = {
    "year": ("sn.year", None),
    "calendar_year": ("sn.calendar_year", None),
    "dividends_gross": ("sn.dividends_gross", "money"),
    "tax": ("sn.tax_and_withholding", "money"),
    "dividends_net": ("sn.dividends_net", "money"),
    "expenses": ("sn.expenses", "money"),
    "income": ("sn.income", "money"),
    "interest": ("sn.interest_and_fees", "money"),
    "outgo": (OUTGO, "money"),
    "coverage": ("sn.coverage", "ratio"),
    "yield_on_cost": ("sn.yield_on_cost", "pct2"),
    "principal": ("sn.loan_principal_repaid", "money"),
    "reinvested": ("sn.reinvested", "money"),
    "line_draws": ("sn.line_draws", "money"),
    "sales": ("sn.sales", "money"),
    "shortfall": ("sn.shortfall", "money"),
    "cash": ("sn.cash_year_end", "money"),
    "debt": ("sn.loans_year_end", "money"),
    "portfolio_value": ("sn.portfolio_value", "money"),
    "net_worth": ("sn.net_worth", "money"),
}
PER_HOLDING_BLOCKS = (
    ("dps", "sn.dividend_per_share_holding_currency", "number"),
    ("bvps", "sn.book_value_per_share_doe", "number"),
    ("shares", "sn.shares_held_at_year_end", "integer"),
)
COVERAGE_AXIS_CAP = 5.0
MAX_HOLDING_COLUMNS = 60  # per-holding blocks stay readable (and quick) for big portfolios
TABLES_ROW = 43  # below the charts
CHART_W, CHART_H = 520, 320
YEARLY_NOTE = "sn.yearly_note"


def _net_in_year(r: SnowballResult, year: int) -> float | None:
    return float(r.years["dividends_net"].iloc[year - 1]) if year <= r.horizon_years else None


def _key_figures(ws, r: SnowballResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    ws.write_string(row, 0, r.crossover_sentence, f.bold)
    row += 2
    last = r.horizon_years
    items = [
        (T("sn.net_dividends_year_1"), _net_in_year(r, 1), f.money, None),
        (T("sn.net_dividends_year_10"), _net_in_year(r, 10), f.money, None),
        (T("sn.net_dividends_year_last", last=last), _net_in_year(r, last), f.money, None),
        (T("sn.crossover_year"), r.crossover_year, f.integer, T("sn.first_year_coverage_1")),
        (T("sn.crossover_calendar_year"), r.crossover_calendar_year, None, None),
        (
            T("sn.crossover_without_income"),
            r.crossover_year_without_income,
            f.integer,
            T("sn.dividends_expenses_interest"),
        ),
        (
            T("sn.reinvest_surplus"),
            T("common.yes") if r.reinvest else T("common.no"),
            None,
            T("sn.above_the_cash_buffer"),
        ),
        (T("sn.cash_buffer"), r.cash_buffer, f.money, T("sn.kept_in_cash_not_reinvested")),
    ]
    if r.first_shortfall_year is not None:
        items.append(
            (
                T("sn.first_year_with_a_shortfall"),
                r.first_shortfall_year,
                f.integer,
                T("sn.sources_ran_out"),
            )
        )
    net_labels = {label for label, *_ in items[:3]}
    figures = []
    for label, value, cell_format, note in items:
        if value is None:
            net = label in net_labels
            value, cell_format = (T("common.n_a") if net else T("sn.not_reached")), None
        figures.append((label, value, cell_format, note))
    return write_figures(ctx, ws, row, figures)


def _yearly_table(ws, r: SnowballResult, ctx: ReportContext, row: int) -> dict:
    row = write_section(ctx, ws, row, T("sn.year_by_year"), YEARLY_NOTE)
    table = r.years[list(YEAR_COLUMNS)].copy()
    table["coverage"] = [(T("common.n_a") if c is None else c) for c in table["coverage"]]
    table = table.rename(columns={k: v[0] for k, v in YEAR_COLUMNS.items()})
    formats = {name: fmt for name, fmt in YEAR_COLUMNS.values() if fmt}
    refs = write_table(ctx, ws, row, 0, table, formats)
    ws.set_row(row, 42)
    first, last = row + 1, row + len(table)
    col = list(YEAR_COLUMNS).index("coverage")
    for criteria, value, cell_format in ((">=", 1, ctx.fmt.good), ("<", 1, ctx.fmt.warn)):
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": criteria, "value": value, "format": cell_format},
        )
    covered_text = {"type": "text", "criteria": "containing", "value": T("common.n_a")}
    ws.conditional_format(first, col, last, col, {**covered_text, "format": ctx.fmt.good})
    return refs


def _by_holding_table(ws, r: SnowballResult, ctx: ReportContext, row: int) -> dict:
    note = T("sn.the_eight_largest_payers_over", others=T("sn.others"))
    row = write_section(ctx, ws, row, T("sn.net_dividends_by_holding"), note)
    others = {OTHERS: T("sn.others")}  # the column of the smaller payers, in words
    table = r.by_holding.rename(
        columns={"year": "sn.year", "calendar_year": "sn.calendar_year", **others}
    )
    formats = {c: "money" for c in table.columns if c not in ("sn.year", "sn.calendar_year")}
    refs = write_table(ctx, ws, row, 0, table, formats)
    ws.set_row(row, 42)
    return refs


def _shown_holdings(r: SnowballResult) -> tuple[list[str], int]:
    """Non-cash holdings in sheet order; beyond MAX_HOLDING_COLUMNS only the largest payers."""
    h = r.holdings[~r.holdings["is_cash"]]
    if len(h) > MAX_HOLDING_COLUMNS:
        keep = h.sort_values(["total_net", "market_value"], ascending=False, kind="stable")
        keep_names = set(keep["name"].iloc[:MAX_HOLDING_COLUMNS])
        h = h[h["name"].isin(keep_names)]
    hidden = int((~r.holdings["is_cash"]).sum()) - len(h)
    return h["name"].tolist(), hidden


def _per_holding_blocks(ws, r: SnowballResult, ctx: ReportContext, row: int) -> int:
    """One block per measure: years as rows (0 = today), holdings as columns."""
    if r.per_holding.empty:
        return row
    names, hidden = _shown_holdings(r)
    info = r.holdings.set_index("name")
    labels = {
        n: f"{n} ({info.at[n, 'currency']}, {choice_words(info.at[n, 'policy'])})" for n in names
    }
    calendar = [r.valuation_date.year, *r.years["calendar_year"].tolist()]
    note = T("sn.year_0_today_isoformat", isoformat=date_words(r.valuation_date)) + (
        T("sn.the_names_largest_payers_hidden", names=len(names), hidden=hidden) if hidden else ""
    )
    for key, title, fmt_name in PER_HOLDING_BLOCKS:
        wide = r.per_holding.pivot(index="year", columns="holding", values=key)[names]
        if key == "bvps":
            wide = wide.loc[:, wide.notna().any(axis=0)]
        if wide.shape[1] == 0:
            continue
        block = pd.concat(
            [
                pd.DataFrame({"sn.year": wide.index.to_numpy(), "sn.calendar_year": calendar}),
                wide.rename(columns=labels).reset_index(drop=True),
            ],
            axis=1,
        )
        row = write_section(ctx, ws, row, title, note)
        write_table(ctx, ws, row, 0, block, {c: fmt_name for c in block.columns[2:]})
        ws.set_row(row, 42)
        row += len(block) + 2
    return row


def _dividends_chart(ws, r: SnowballResult, ctx: ReportContext, refs, year_refs, anchor: str):
    title = T("sn.net_dividends_by_holding_vs")
    chart = ctx.money_chart("column", title, T("sn.calendar_year"), subtype="stacked")
    categories = year_refs["sn.calendar_year"].ref
    holders = [c for c in refs if c not in ("sn.year", "sn.calendar_year")]
    if not holders:  # nothing pays: one (zero) series of the total keeps the chart valid
        refs = {"sn.dividends_net": year_refs["sn.dividends_net"]}
        holders = list(refs)
    for i, name in enumerate(holders):
        color = PALETTE["grey"] if name == T("sn.others") else series_color(i)
        # the name is a cell: user text never parsed as a formula
        holder = column_series(refs[name].header, categories, refs[name].ref, color, 30, "none")
        chart.add_series(holder)
    line = ctx.book.add_chart({"type": "line"})
    line.add_series(line_series(OUTGO, categories, year_refs[OUTGO].ref, PALETTE["red"]))
    chart.combine(line)
    # year labels at the bottom, not on the zero line the outgo crosses when income
    # exceeds expenses and interest
    chart.set_x_axis(axis("sn.calendar_year", label_position="low"))
    chart.set_legend({"position": "right", "font": {"size": 8}})
    place_chart(ws, anchor, chart, 760, 340)


def _coverage_chart(ws, r: SnowballResult, ctx: ReportContext, anchor: str) -> None:
    coverage = [c for c in r.years["coverage"] if c is not None]
    frame = pd.DataFrame(
        {
            "sn.calendar_year": r.years["calendar_year"],
            "sn.coverage": r.years["coverage"],  # None stays blank: a gap, not a zero
            "sn.fully_covered_1_0": 1.0,
        }
    )
    refs = ctx.data_block(frame, "sn.snowball_coverage")
    top = max(coverage, default=1.0)
    capped = top > COVERAGE_AXIS_CAP
    chart = ctx.chart(
        "line",
        T("sn.dividend_coverage")
        + (
            T("sn.axis_capped_at_coverage_axis", coverage_axis_cap=COVERAGE_AXIS_CAP)
            if capped
            else ""
        ),
        "sn.calendar_year",
        "sn.net_dividends_outgo",
        "0.0",
    )
    for name, color, dash in (
        ("sn.coverage", PALETTE["blue"], "solid"),
        ("sn.fully_covered_1_0", PALETTE["green"], "dash"),
    ):
        years, values = refs["sn.calendar_year"].ref, refs[name].ref
        chart.add_series(line_series(name, years, values, color, 2, dash))
    scale = {"min": 0, "max": COVERAGE_AXIS_CAP} if capped else {"min": 0}
    chart.set_y_axis(axis("sn.net_dividends_outgo", "0.0", gridlines=True, **scale))
    chart.show_blanks_as("gap")
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _book_chart(ws, r: SnowballResult, ctx: ReportContext, anchor: str) -> None:
    if r.book_holding is None:
        ws.write_string(anchor_row(anchor), 4, T("sn.no_doe_or_payout_holding"), ctx.fmt.note)
        return
    rows = r.per_holding[r.per_holding["holding"] == r.book_holding]
    currency = r.holdings.set_index("name").loc[r.book_holding, "currency"]
    frame = pd.DataFrame(
        {
            "sn.year": rows["year"].to_numpy(),
            "sn.book_value_per_share": rows["bvps"].to_numpy(),
            "sn.dividend_per_share": rows["dps"].to_numpy(),
        }
    )
    refs = ctx.data_block(frame, T("sn.snowball_book_value_vs_dps", book_holding=r.book_holding))
    policy = r.holdings.set_index("name").loc[r.book_holding, "policy"]
    # DPS_t = DOE × BVPS_{t−1}: on two auto-scaled axes the two lines would coincide and
    # hide each other, so the dividend is drawn as columns (left axis) and book value as a
    # line (right axis).
    chart = ctx.chart(
        "column",
        T("sn.book_value_vs_dividend_per", policy=choice_words(policy)),
        T("sn.year_0_today_book_holding", book_holding=r.book_holding),
        T("sn.dividend_per_share_currency", currency=currency),
        "#,##0.0",
    )
    years, dps, bvps = (
        refs["sn.year"],
        refs["sn.dividend_per_share"],
        refs["sn.book_value_per_share"],
    )
    chart.add_series(column_series(dps.header, years.ref, dps.ref, PALETTE["orange"], 40, "none"))
    book_line = ctx.book.add_chart({"type": "line"})
    book_line.add_series(
        line_series(bvps.header, years.ref, bvps.ref, PALETTE["blue"], y2_axis=True)
    )
    book_line.set_y2_axis(axis(T("sn.book_value_per_share_currency", currency=currency), "#,##0"))
    chart.combine(book_line)
    x_title = T("sn.year_0_today_book_holding", book_holding=r.book_holding)
    chart.set_x_axis(axis(x_title, interval_unit=5, interval_tick=5))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def anchor_row(anchor: str) -> int:
    """0-based row of an A1-style anchor such as ``"E22"``."""
    return int("".join(ch for ch in anchor if ch.isdigit())) - 1


def write(ws, result: SnowballResult, ctx: ReportContext) -> None:
    """Write the Snowball sheet."""
    r = result
    subtitle = T(
        "sn.portfolio_from_isoformat_in_currency",
        portfolio=r.portfolio,
        isoformat=date_words(r.valuation_date),
        currency=r.currency,
        horizon_years=r.horizon_years,
    ) + (T("sn.reinvested_2") if r.reinvest else T("sn.kept_in_cash"))
    last_col = max(len(YEAR_COLUMNS), min(len(r.holdings), MAX_HOLDING_COLUMNS) + 2)
    widths = ((0, 0, 34), (1, 1, 14), (2, 2, 26), (3, last_col, 13))
    row = open_sheet(ctx, ws, T("sn.dividend_snowball"), subtitle, widths=widths, frozen_cols=1)
    row = write_section(ctx, ws, row, T("sn.when_dividends_cover_the_outgo"))
    _key_figures(ws, r, ctx, row)

    row = TABLES_ROW
    year_refs = _yearly_table(ws, r, ctx, row)
    ctx.refs["snowball.year"] = year_refs["sn.year"]
    ctx.refs["snowball.dividends_net"] = year_refs["sn.dividends_net"]
    ctx.refs["snowball.outgo"] = year_refs[OUTGO]
    row += 2 + len(r.years) + 2
    holder_refs = _by_holding_table(ws, r, ctx, row)
    row += 2 + len(r.by_holding) + 2
    _per_holding_blocks(ws, r, ctx, row)

    _dividends_chart(ws, r, ctx, holder_refs, year_refs, "E6")
    _coverage_chart(ws, r, ctx, "A26")
    _book_chart(ws, r, ctx, "E26")
