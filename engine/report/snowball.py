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

OUTGO = "Expenses + interest − income"
YEAR_COLUMNS = {
    "year": ("Year", None),
    "calendar_year": ("Calendar year", None),
    "dividends_gross": ("Dividends (gross)", "money"),
    "tax": ("Tax and withholding", "money"),
    "dividends_net": ("Dividends (net)", "money"),
    "expenses": ("Expenses", "money"),
    "income": ("Income", "money"),
    "interest": ("Interest and fees", "money"),
    "outgo": (OUTGO, "money"),
    "coverage": ("Coverage", "ratio"),
    "yield_on_cost": ("Yield on cost", "pct2"),
    "principal": ("Loan principal repaid", "money"),
    "reinvested": ("Reinvested", "money"),
    "line_draws": ("Line draws", "money"),
    "sales": ("Sales", "money"),
    "shortfall": ("Shortfall", "money"),
    "cash": ("Cash (year end)", "money"),
    "debt": ("Loans (year end)", "money"),
    "portfolio_value": ("Portfolio value", "money"),
    "net_worth": ("Net worth", "money"),
}
PER_HOLDING_BLOCKS = (
    ("dps", "Dividend per share (holding currency)", "number"),
    ("bvps", "Book value per share (DOE and Payout holdings)", "number"),
    ("shares", "Shares held at year end", "integer"),
)
COVERAGE_AXIS_CAP = 5.0
MAX_HOLDING_COLUMNS = 60  # per-holding blocks stay readable (and quick) for big portfolios
TABLES_ROW = 43  # below the charts
CHART_W, CHART_H = 520, 320
YEARLY_NOTE = (
    "Year 1 = the first 12 months from the valuation date. Coverage = net dividends ÷ "
    f"({OUTGO.lower()}); n/a when income alone covers expenses and interest (counts "
    "as covered)."
)


def _net_in_year(r: SnowballResult, year: int) -> float | None:
    return float(r.years["dividends_net"].iloc[year - 1]) if year <= r.horizon_years else None


def _key_figures(ws, r: SnowballResult, ctx: ReportContext, row: int) -> int:
    f = ctx.fmt
    ws.write_string(row, 0, r.crossover_sentence, f.bold)
    row += 2
    last = r.horizon_years
    items = [
        ("Net dividends, year 1", _net_in_year(r, 1), f.money, None),
        ("Net dividends, year 10", _net_in_year(r, 10), f.money, None),
        (f"Net dividends, year {last}", _net_in_year(r, last), f.money, None),
        ("Crossover year", r.crossover_year, f.integer, "first year coverage ≥ 1"),
        ("Crossover, calendar year", r.crossover_calendar_year, None, None),
        (
            "Crossover without income",
            r.crossover_year_without_income,
            f.integer,
            "dividends ≥ expenses + interest",
        ),
        ("Reinvest surplus", "Yes" if r.reinvest else "No", None, "above the cash buffer"),
        ("Cash buffer", r.cash_buffer, f.money, "kept in cash, not reinvested"),
    ]
    if r.first_shortfall_year is not None:
        items.append(
            ("First year with a shortfall", r.first_shortfall_year, f.integer, "sources ran out")
        )
    figures = []
    for label, value, cell_format, note in items:
        if value is None:
            value, cell_format = ("n/a" if label.startswith("Net") else "not reached"), None
        figures.append((label, value, cell_format, note))
    return write_figures(ctx, ws, row, figures)


def _yearly_table(ws, r: SnowballResult, ctx: ReportContext, row: int) -> dict:
    row = write_section(ctx, ws, row, "Year by year", YEARLY_NOTE)
    table = r.years[list(YEAR_COLUMNS)].copy()
    table["coverage"] = [("n/a" if c is None else c) for c in table["coverage"]]
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
    covered_text = {"type": "text", "criteria": "containing", "value": "n/a"}
    ws.conditional_format(first, col, last, col, {**covered_text, "format": ctx.fmt.good})
    return refs


def _by_holding_table(ws, r: SnowballResult, ctx: ReportContext, row: int) -> dict:
    note = f"The eight largest payers over the horizon; the rest in {OTHERS}. In base currency."
    row = write_section(ctx, ws, row, "Net dividends by holding", note)
    table = r.by_holding.rename(columns={"year": "Year", "calendar_year": "Calendar year"})
    formats = {c: "money" for c in table.columns if c not in ("Year", "Calendar year")}
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
    labels = {n: f"{n} ({info.at[n, 'currency']}, {info.at[n, 'policy']})" for n in names}
    calendar = [r.valuation_date.year, *r.years["calendar_year"].tolist()]
    note = f"Year 0 = today ({r.valuation_date.isoformat()})." + (
        f" The {len(names)} largest payers; {hidden} smaller holdings not shown." if hidden else ""
    )
    for key, title, fmt_name in PER_HOLDING_BLOCKS:
        wide = r.per_holding.pivot(index="year", columns="holding", values=key)[names]
        if key == "bvps":
            wide = wide.loc[:, wide.notna().any(axis=0)]
        if wide.shape[1] == 0:
            continue
        block = pd.concat(
            [
                pd.DataFrame({"Year": wide.index.to_numpy(), "Calendar year": calendar}),
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
    title = "Net dividends by holding vs expenses + interest − income"
    chart = ctx.money_chart("column", title, "Calendar year", subtype="stacked")
    categories = year_refs["Calendar year"].ref
    holders = [c for c in refs if c not in ("Year", "Calendar year")]
    if not holders:  # nothing pays: one (zero) series of the total keeps the chart valid
        refs = {"Dividends (net)": year_refs["Dividends (net)"]}
        holders = list(refs)
    for i, name in enumerate(holders):
        color = PALETTE["grey"] if name == OTHERS else series_color(i)
        # the name is a cell: user text never parsed as a formula
        holder = column_series(refs[name].header, categories, refs[name].ref, color, 30, "none")
        chart.add_series(holder)
    line = ctx.book.add_chart({"type": "line"})
    line.add_series(line_series(OUTGO, categories, year_refs[OUTGO].ref, PALETTE["red"]))
    chart.combine(line)
    # year labels at the bottom, not on the zero line the outgo crosses when income
    # exceeds expenses and interest
    chart.set_x_axis(axis("Calendar year", label_position="low"))
    chart.set_legend({"position": "right", "font": {"size": 8}})
    place_chart(ws, anchor, chart, 760, 340)


def _coverage_chart(ws, r: SnowballResult, ctx: ReportContext, anchor: str) -> None:
    coverage = [c for c in r.years["coverage"] if c is not None]
    frame = pd.DataFrame(
        {
            "Calendar year": r.years["calendar_year"],
            "Coverage": r.years["coverage"],  # None stays blank: a gap, not a zero
            "Fully covered (1.0)": 1.0,
        }
    )
    refs = ctx.data_block(frame, "Snowball: coverage")
    top = max(coverage, default=1.0)
    capped = top > COVERAGE_AXIS_CAP
    chart = ctx.chart(
        "line",
        "Dividend coverage" + (f" (axis capped at {COVERAGE_AXIS_CAP:.0f}×)" if capped else ""),
        "Calendar year",
        "Net dividends ÷ outgo",
        "0.0",
    )
    for name, color, dash in (
        ("Coverage", PALETTE["blue"], "solid"),
        ("Fully covered (1.0)", PALETTE["green"], "dash"),
    ):
        years, values = refs["Calendar year"].ref, refs[name].ref
        chart.add_series(line_series(name, years, values, color, 2, dash))
    scale = {"min": 0, "max": COVERAGE_AXIS_CAP} if capped else {"min": 0}
    chart.set_y_axis(axis("Net dividends ÷ outgo", "0.0", gridlines=True, **scale))
    chart.show_blanks_as("gap")
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _book_chart(ws, r: SnowballResult, ctx: ReportContext, anchor: str) -> None:
    if r.book_holding is None:
        ws.write_string(
            anchor_row(anchor), 4, "No DOE or Payout holding: no book-value chart.", ctx.fmt.note
        )
        return
    rows = r.per_holding[r.per_holding["holding"] == r.book_holding]
    currency = r.holdings.set_index("name").loc[r.book_holding, "currency"]
    frame = pd.DataFrame(
        {
            "Year": rows["year"].to_numpy(),
            "Book value per share": rows["bvps"].to_numpy(),
            "Dividend per share": rows["dps"].to_numpy(),
        }
    )
    refs = ctx.data_block(frame, f"Snowball: book value vs DPS ({r.book_holding})")
    policy = r.holdings.set_index("name").loc[r.book_holding, "policy"]
    # DPS_t = DOE × BVPS_{t−1}: on two auto-scaled axes the two lines would coincide and
    # hide each other, so the dividend is drawn as columns (left axis) and book value as a
    # line (right axis).
    chart = ctx.chart(
        "column",
        f"Book value vs dividend per share ({policy})",
        f"Year (0 = today) — {r.book_holding}",
        f"Dividend per share ({currency})",
        "#,##0.0",
    )
    years, dps, bvps = refs["Year"], refs["Dividend per share"], refs["Book value per share"]
    chart.add_series(column_series(dps.header, years.ref, dps.ref, PALETTE["orange"], 40, "none"))
    book_line = ctx.book.add_chart({"type": "line"})
    book_line.add_series(
        line_series(bvps.header, years.ref, bvps.ref, PALETTE["blue"], y2_axis=True)
    )
    book_line.set_y2_axis(axis(f"Book value per share ({currency})", "#,##0"))
    chart.combine(book_line)
    x_title = f"Year (0 = today) — {r.book_holding}"
    chart.set_x_axis(axis(x_title, interval_unit=5, interval_tick=5))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def anchor_row(anchor: str) -> int:
    """0-based row of an A1-style anchor such as ``"E22"``."""
    return int("".join(ch for ch in anchor if ch.isdigit())) - 1


def write(ws, result: SnowballResult, ctx: ReportContext) -> None:
    """Write the Snowball sheet."""
    r = result
    subtitle = (
        f"{r.portfolio} from {r.valuation_date.isoformat()}, in {r.currency}, over "
        f"{r.horizon_years} years. One deterministic path — the household of the Monte Carlo "
        "with every price at its expected return and inflation at its mean — so dividends "
        "are the policy's, never cut; the Monte Carlo sheet shows how they spread with "
        "markets. Surplus " + ("reinvested." if r.reinvest else "kept in cash.")
    )
    last_col = max(len(YEAR_COLUMNS), min(len(r.holdings), MAX_HOLDING_COLUMNS) + 2)
    widths = ((0, 0, 34), (1, 1, 14), (2, 2, 26), (3, last_col, 13))
    row = open_sheet(ctx, ws, "Dividend snowball", subtitle, widths=widths, frozen_cols=1)
    row = write_section(ctx, ws, row, "When dividends cover the outgo")
    _key_figures(ws, r, ctx, row)

    row = TABLES_ROW
    year_refs = _yearly_table(ws, r, ctx, row)
    ctx.refs["snowball.year"] = year_refs["Year"]
    ctx.refs["snowball.dividends_net"] = year_refs["Dividends (net)"]
    ctx.refs["snowball.outgo"] = year_refs[OUTGO]
    row += 2 + len(r.years) + 2
    holder_refs = _by_holding_table(ws, r, ctx, row)
    row += 2 + len(r.by_holding) + 2
    _per_holding_blocks(ws, r, ctx, row)

    _dividends_chart(ws, r, ctx, holder_refs, year_refs, "E6")
    _coverage_chart(ws, r, ctx, "A26")
    _book_chart(ws, r, ctx, "E26")
