"""The Monte Carlo sheet (SPEC §4 A5, §5): the headline, key figures, grid, charts, tables.

Lays out ``MonteCarloResult``; computes nothing. Publishes for the Dashboard's small fan
chart ``ctx.refs["monte_carlo.fan.year"]``, ``["monte_carlo.fan.p10"]``,
``["monte_carlo.fan.p50"]`` and ``["monte_carlo.fan.p90"]`` (the percentile table on
this sheet).
"""

from __future__ import annotations

import pandas as pd

from engine.analyses.mc_stats import PERCENTILES, failures_text, share_text, standard_error
from engine.analyses.monte_carlo import MonteCarloResult
from engine.analyses.words import money_words
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    column_series,
    line_series,
    open_sheet,
    place_chart,
    write_figures,
    write_headers,
    write_section,
    write_table,
    write_value,
)

CHART_W, CHART_H = 560, 300
LEFT_COL, RIGHT_COL = 3, 9  # chart anchors (D and J): six 14-wide columns per chart
BAND_COLORS = ("#DCE6F1", "#B4C7E7", "#8FAADC", "#8FAADC", "#B4C7E7", "#DCE6F1")
COLUMN_WIDTHS = ((0, 0, 30), (1, 1, 16), (2, 2, 40), (3, 16, 14))
PERCENTILES_NOTE = (
    "Percentiles over paths at each year end, deflated by expense inflation; "
    "a failed path keeps its net worth at failure."
)


SURVIVAL_HEADERS = {
    "year": "Year",
    "age": "Age",
    "survival": "Still solvent",
    "failures": "Futures failing that year",
    "share": "Share failing that year",
}
LTV_HEADERS = {"bin": "Highest LTV of the path", "paths": "Futures", "share": "Share of futures"}


def _money(ctx: ReportContext, value) -> str:
    """An amount in a sentence or a heading: ¥322K, ¥8M (``money_words``)."""
    return money_words(value, ctx.currency)


def _se(p: float | None, paths: int) -> str:
    """The standard error of a probability, in percentage points."""
    return "" if p is None else f"± {100 * standard_error(p, paths):.2f} pt (s.e.)"


def _probability(p: float | None):
    """A probability for its cell: the number, or the words when one decimal would show
    100.0% or 0.0% for a share some path differs from (``share_text``)."""
    if p is None:
        return None
    text = share_text(p)
    return p if text == f"{p:.1%}" or text in ("100%", "0%") else text


def key_figures(r: MonteCarloResult) -> list[tuple]:
    """(figure, value, format, note) rows of the key-figures table; every probability with
    its standard error."""
    n = r.paths

    def prob(label, p, note):
        return (label, _probability(p), "pct", f"{_se(p, n)} · {note}")

    rows = [
        prob("Success probability", r.success_probability,
             f"share of paths that never fail; {failures_text(r.failures, n)}"),
        prob("Income covers costs every year", r.income_covered_probability,
             "dividends + income ≥ all costs, every year"),
        ("95% interval, low", r.ci95[0], "pct", "Wilson score interval"),
        ("95% interval, high", r.ci95[1], "pct", ""),
        ("Target", r.target_success_probability, "pct", "Settings › Target success probability"),
        prob("Success without secured leverage", r.success_probability_unlevered,
             "loans repaid from their collateral at month 0, lines kept; same paths"),
    ]  # fmt: skip
    if r.has_secured_loans:
        rows += [
            prob("P(margin call ever)", r.p_margin_call, "some loan reached its call LTV"),
            prob("P(sale under a call)", r.p_sale_under_call, "a call met by selling"),
            prob("P(liquidation)", r.p_liquidation, "some lender sold the collateral"),
            prob("P(forced sale ever)", r.p_forced_sale, "a sale under a call or liquidation"),
            ("Average forced sale", r.mean_forced_sale_amount, "money", "over paths with one"),
            ("Median of max LTV", r.max_ltv_median, "pct", "each path's highest LTV"),
            ("95th pct of max LTV", r.max_ltv_p95, "pct", ""),
        ]
    if r.has_lines:
        rows += [
            prob("P(standby line drawn)", r.p_line_drawn, "some unsecured line drawn"),
            prob("P(lines fully drawn)", r.p_lines_fully_drawn, "every line at its limit"),
        ]
    lo, hi = r.max_safe_interval
    rows += [
        (
            "Monthly living costs today",
            r.monthly_living_expenses,
            "money",
            "Monthly expense rows: " + (", ".join(r.living_rows) or "none"),
        ),
        (
            "Max safe monthly living costs",
            r.max_safe_monthly_spending,
            "money",
            f"at {r.target_success_probability:.0%} success, on all {n:,} paths; "
            f"{r.max_safe_status}",
        ),
        ("  90% interval, low", lo, "money", "success − 1.645 s.e. still meets the target"),
        ("  90% interval, high", hi, "money", "success + 1.645 s.e. meets it"),
        ("  as a multiple of today", r.max_safe_multiplier, "ratio", "of the Monthly rows"),
    ]
    return rows


def _write_key_figures(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, "Key figures")
    row = write_headers(ctx, ws, row, ("Figure", "Value", "How to read it"))
    figures = []
    for figure, value, fmt, note in key_figures(r):
        shown = ("n/a", None) if value is None else (value, ctx.fmt.by_name(fmt))
        figures.append((figure, *shown, note))
    return write_figures(ctx, ws, row, figures) + 1


def _write_grid(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    note = (
        f"Success probability on all {r.paths:,} paths (the same random numbers in every "
        "cell). Rows: monthly living costs (Monthly expense rows) × 80 … 120%; columns: the "
        "unsecured line limit. Beside it, each cell's standard error in points."
    )
    row = write_section(ctx, ws, row, "Sensitivity: spending × unsecured line", note)
    scales = sorted(r.grid["line_scale"].unique())
    spends = sorted(r.grid["spending_multiplier"].unique())
    grid_format = ctx.fmt.probability
    ws.set_row(row, 30)
    ws.write_string(row, 0, "Monthly living costs", ctx.fmt.header)
    for j, g in enumerate(scales):
        limit = float(r.grid.loc[r.grid["line_scale"] == g, "line_limit"].iloc[0])
        label = "No line" if g == 0 else f"{g:g} × line ({_money(ctx, limit)})"
        ws.write_string(row, 1 + j, label, ctx.fmt.header)
        ws.write_string(row, 2 + len(scales) + j, f"s.e. (pt): {label}", ctx.fmt.header)
    for i, sm in enumerate(spends):
        cells = r.grid[r.grid["spending_multiplier"] == sm]
        spend = float(cells["monthly_spending"].iloc[0])
        ws.write_string(row + 1 + i, 0, f"{sm:.0%}: {_money(ctx, spend)}", ctx.fmt.bold)
        for j, g in enumerate(scales):
            cell = cells[cells["line_scale"] == g]
            write_value(ws, row + 1 + i, 1 + j, float(cell["success"].iloc[0]), grid_format)
            se = 100 * float(cell["standard_error"].iloc[0])
            write_value(ws, row + 1 + i, 2 + len(scales) + j, se, ctx.fmt.number)
    target = r.target_success_probability
    ws.conditional_format(
        row + 1,
        1,
        row + len(spends),
        len(scales),
        {
            "type": "3_color_scale",
            "min_type": "num",
            "min_value": max(0.0, target - 0.2),
            "min_color": PALETTE["light_red"],
            "mid_type": "num",
            "mid_value": target,
            "mid_color": PALETTE["light_amber"],
            "max_type": "num",
            "max_value": 1.0,
            "max_color": PALETTE["light_green"],
        },
    )
    return row + len(spends) + 2


def _fan_chart(ctx: ReportContext, r: MonteCarloResult, refs):
    chart = ctx.chart(
        "area",
        f"Real net worth (today's money), {r.paths:,} paths",
        "Year",
        ctx.axis_money_title,
        ctx.axis_money_format,
        subtype="stacked",
    )
    bands = [c for c in r.fan.columns if c not in ("year", "p5")]
    year = refs["year"].ref
    chart.add_series(
        {
            "name": "5th percentile",
            "categories": year,
            "values": refs["p5"].ref,
            "fill": {"none": True},
        }
    )
    names = {
        f"p{a}_p{b}": f"{a}th–{b}th percentile"
        for a, b in zip(PERCENTILES, PERCENTILES[1:], strict=False)
    }
    for k, band in enumerate(bands):
        chart.add_series(
            {
                "name": names.get(band, band),
                "categories": year,
                "values": refs[band].ref,
                "fill": {"color": BAND_COLORS[k % len(BAND_COLORS)]},
                "border": {"none": True},
            }
        )
    chart.set_legend({"position": "bottom", "font": {"size": 8}, "delete_series": [0]})
    return chart


def _column_chart(ctx, title, x_title, y_title, y_format, cats, values, color, name):
    chart = ctx.chart("column", title, x_title, y_title, y_format)
    chart.add_series(column_series(name, cats, values, color, 40))
    chart.set_legend({"none": True})
    return chart


def write(ws, r: MonteCarloResult, ctx: ReportContext) -> None:
    """Lay out the Monte Carlo sheet."""
    subtitle = (
        f"{r.paths:,} paths × {r.years} years, seed {r.seed}; the lenders' freeze, margin call "
        "and forced sale act inside every path. Amounts in today's money where marked real."
    )
    row = open_sheet(ctx, ws, "Monte Carlo FIRE", subtitle, widths=COLUMN_WIDTHS, frozen_cols=0)
    ws.write_string(row, 0, r.headline, ctx.fmt.section)
    row += 1
    for note in _lines(r, ctx):
        ws.write_string(row, 0, note, ctx.fmt.text)
        row += 1
    charts_top = row + 1  # beside the key figures, below the headline lines
    row = _write_key_figures(ws, r, ctx, row + 1)
    row = max(row, charts_top + 64)
    row = _write_grid(ws, r, ctx, row)
    refs = _write_tables(ws, r, ctx, row)

    anchors = [(charts_top + 16 * band, col) for band in range(4) for col in (LEFT_COL, RIGHT_COL)]
    for anchor, chart in zip(anchors, _charts(ctx, r, refs), strict=False):
        place_chart(ws, anchor, chart, CHART_W, CHART_H)
    write_return_model(ws, r, ctx, (ws.dim_rowmax or row) + 3)


def _write_tables(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> dict:
    """The tables below the grid (and the chart data they hold); their ranges by table."""
    title = "Real net worth and real net passive income by year"
    row = write_section(ctx, ws, row, title, PERCENTILES_NOTE)
    names = {"year": "Year", "calendar_year": "Calendar year"}
    for q in PERCENTILES:
        names[f"real_net_worth_p{q}"] = f"Net worth p{q}"
        names[f"real_passive_income_p{q}"] = f"Passive income p{q}"
    debt_columns = [f"debt_p{q}" for q in PERCENTILES]
    pct = r.percentiles.drop(columns=debt_columns).rename(columns=names)
    fmt = {c: "money" for c in pct.columns if c.startswith(("Net", "Passive"))}
    ws.set_row(row, 30)
    pct_refs = write_table(ctx, ws, row, 0, pct, formats=fmt)
    fan = (("year", "Year"), ("p10", "Net worth p10"), ("p50", "Net worth p50"))
    for key, col in (*fan, ("p90", "Net worth p90")):
        ctx.refs[f"monte_carlo.fan.{key}"] = pct_refs[col]
    row += len(pct) + 2

    refs = {"percentiles": pct_refs}
    title = "Total debt by year (every loan and line, in money of the day)"
    note = "Percentiles over paths at each year end; a failed path's debt is 0."
    row = write_section(ctx, ws, row, title, note)
    debt = r.percentiles[["year", "calendar_year", *debt_columns]].rename(
        columns={**names, **{f"debt_p{q}": f"Debt p{q}" for q in PERCENTILES}}
    )
    ws.set_row(row, 30)
    refs["debt"] = write_table(
        ctx, ws, row, 0, debt, formats={c: "money" for c in debt.columns if c.startswith("Debt")}
    )
    row += len(debt) + 2
    row = write_section(ctx, ws, row, "Survival and failures by year")
    surv = r.survival.merge(r.failure_histogram, on="year").rename(columns=SURVIVAL_HEADERS)
    surv_formats = {"Still solvent": "pct", "Share failing that year": "pct2",
                    "Futures failing that year": "integer"}  # fmt: skip
    ws.set_row(row, 30)
    refs["survival"] = write_table(ctx, ws, row, 0, surv, formats=surv_formats)
    row += len(surv) + 2
    refs["ltv"] = None
    if r.has_secured_loans and not r.max_ltv_histogram.empty:
        title = "Distribution of each path's highest LTV (worst secured loan)"
        row = write_section(ctx, ws, row, title)
        ltv = r.max_ltv_histogram[list(LTV_HEADERS)].rename(columns=LTV_HEADERS)
        refs["ltv"] = write_table(
            ctx, ws, row, 0, ltv, formats={"Futures": "integer", "Share of futures": "pct"}
        )
        row += len(r.max_ltv_histogram) + 2
    note = (
        f"On all {r.paths:,} paths: each path is classified at every level (a path that "
        "survives a level survives every lower one); the max safe spending is where "
        "success crosses the target, interpolated between the two levels around it."
    )
    title = "Success probability by monthly living costs (Monthly expense rows)"
    row = write_section(ctx, ws, row, title, note)
    curve = r.spending_curve.rename(columns={
        "multiplier": "Multiple of today", "monthly_spending": "Monthly living costs",
        "success": "Success", "standard_error": "Standard error"})  # fmt: skip
    curve_formats = {"Multiple of today": "ratio", "Monthly living costs": "money",
                     "Success": "pct", "Standard error": "pct2"}  # fmt: skip
    refs["curve"] = write_table(ctx, ws, row, 0, curve, formats=curve_formats)
    row += len(r.spending_curve) + 2
    lev = pd.DataFrame(
        {
            "Structure": ["As planned (with loans)", "Unlevered"],
            "Success": [r.success_probability_levered_same_paths, r.success_probability_unlevered],
        }
    )
    note = f"On all {r.comparison_paths:,} paths (the same random numbers for both)."
    row = write_section(ctx, ws, row, "With and without secured leverage", note)
    refs["leverage"] = write_table(ctx, ws, row, 0, lev, formats={"Success": "pct"})
    return refs


def _charts(ctx: ReportContext, r: MonteCarloResult, refs: dict) -> list:
    """The sheet's charts in reading order (two to a row beside the key figures)."""
    fan_refs = ctx.data_block(r.fan, "Monte Carlo: fan chart bands")
    charts = [_fan_chart(ctx, r, fan_refs)]
    surv, lev, ltv, curve = refs["survival"], refs["leverage"], refs["ltv"], refs["curve"]
    years = surv["Year"].ref
    chart = ctx.chart("line", "Share of futures still solvent", "Year", "Paths solvent", PCT)
    chart.add_series(line_series("Solvent", years, surv["Still solvent"].ref, PALETTE["blue"]))
    chart.set_y_axis({"name": "Paths solvent", "num_format": PCT, "min": 0, "max": 1,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
    chart.set_legend({"none": True})
    charts.append(chart)
    none_fail = int(r.failure_histogram["failures"].max() or 0) == 0
    # with no failure the bars are all zero: the title says so, the chart is not "empty"
    title = f"When futures fail: none of the {r.paths:,} fail" if none_fail else "When futures fail"
    fail = _column_chart(ctx, title, "Year", "Paths failing that year", "#,##0",
                         years, surv["Futures failing that year"].ref, PALETTE["red"],
                         "Failures")  # fmt: skip
    if none_fail:  # a clean 0–1 axis
        fail.set_y_axis({"name": "Paths failing that year", "num_format": "#,##0", "min": 0,
                         "max": 1, "major_unit": 1})  # fmt: skip
    charts.append(fail)
    bar = _column_chart(ctx, "Success with and without leverage", "Structure", "Success probability",
                        "0.0%", lev["Structure"].ref, lev["Success"].ref, PALETTE["blue"], "Success")  # fmt: skip
    bar.set_y_axis({"name": "Success probability", "num_format": PCT, "min": 0, "max": 1})
    charts.append(bar)
    if ltv is not None:
        charts.append(_column_chart(ctx, "Highest LTV reached per path", "Max LTV", "Share of paths",
                                    PCT, ltv["Highest LTV of the path"].ref,
                                    ltv["Share of futures"].ref, PALETTE["orange"], "Paths"))  # fmt: skip
    charts.append(_passive_chart(ctx, refs["percentiles"]))
    if r.has_secured_loans or r.has_lines:
        charts.append(_debt_chart(ctx, refs["debt"]))
    if len(r.spending_curve):
        sc = ctx.chart("scatter", "Success by monthly living costs",
                       f"Monthly living costs ({ctx.currency})",
                       "Success probability", PCT, subtype="straight_with_markers",
                       x_format=ctx.fmt.money_code)  # fmt: skip
        sc.add_series({"name": "Success", "categories": curve["Monthly living costs"].ref,
                       "values": curve["Success"].ref, "line": {"color": PALETTE["green"]},
                       "marker": {"type": "circle", "size": 4}})  # fmt: skip
        sc.set_legend({"none": True})
        sc.set_y_axis({"name": "Success probability", "num_format": PCT, "min": 0, "max": 1,
                       "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
        charts.append(sc)
    return charts


def _passive_chart(ctx: ReportContext, pct: dict):
    """Real net passive income by year: 10th, 50th and 90th percentile over paths (the
    dividends follow markets and the crisis cut; interest follows inflation)."""
    title = "Real net passive income a year (dividends − interest − fees)"
    chart = ctx.money_chart("line", title, "Year")
    for q, color in ((10, PALETTE["red"]), (50, PALETTE["blue"]), (90, PALETTE["green"])):
        name = {10: "10th", 50: "Median", 90: "90th"}[q]
        years = pct["Year"].ref
        chart.add_series(line_series(name, years, pct[f"Passive income p{q}"].ref, color))
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _debt_chart(ctx: ReportContext, pct: dict):
    """Total debt at each year end: the 10th, 50th and 90th percentile over paths (nominal)."""
    chart = ctx.money_chart("line", "Total debt by year (percentiles over paths)", "Year")
    for q, color in ((10, PALETTE["green"]), (50, PALETTE["blue"]), (90, PALETTE["red"])):
        name = {10: "10th", 50: "Median", 90: "90th"}[q]
        chart.add_series(line_series(name, pct["Year"].ref, pct[f"Debt p{q}"].ref, color))
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _lines(r: MonteCarloResult, ctx: ReportContext) -> list[str]:
    out = [
        f"Without secured leverage (the securities-backed loans repaid today by selling their "
        f"collateral; the standby lines kept) {share_text(r.success_probability_unlevered)} "
        f"of the same {r.comparison_paths:,} futures succeed, against "
        f"{share_text(r.success_probability_levered_same_paths)} with the loans."
    ]
    if r.max_safe_monthly_spending is not None:
        lo, hi = r.max_safe_interval
        interval = "" if lo is None or hi is None else (
            f"; 90% interval {_money(ctx, lo)}–{_money(ctx, hi)}")  # fmt: skip
        out.append(
            f"Max safe monthly living costs (Monthly expense rows) at "
            f"{r.target_success_probability:.0%} success: "
            f"{_money(ctx, r.max_safe_monthly_spending)}{interval} "
            f"({r.max_safe_multiplier:.2f} × today's {_money(ctx, r.monthly_living_expenses)})."
        )
    out.extend(f"Note: {n}" for n in r.notes)
    return out


# --------------------------------------------------------------------------- return model
LOGNORMAL_NOTE = (
    "Return model: Lognormal — each asset class's Expected return and Volatility "
    "(AssetClasses) and each currency's (FX) define correlated monthly lognormal returns "
    "(Correlations); inflation is a mean-reverting path around Expense inflation."
)
HISTORICAL_NOTE = (
    "Return model: Historical — a stationary bootstrap (Politis–Romano): each path strings "
    "together blocks of consecutive actual months, {block:g} months long on average, the same "
    "calendar months for every series (their joint moves kept); inflation from the history "
    "(its 12-month rate). "
    "Months used: {first:%Y-%m} to {last:%Y-%m} ({count:,}), the months every series covers."
)
SEQUENCES_NOTE = (
    "The plan run through every actual {years}-year run of consecutive months of that history "
    "(one path per starting month, as cFIREsim and FIRECalc do), with the same rules as the "
    "paths above. A start is named by its first month."
)


def write_return_model(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    """Which return model ran; with Historical: the series and their dates, what the
    bootstrap implies per factor, the historical sequences (success, worst starts) and a
    chart of success by starting year. Returns the row below."""
    row = write_section(ctx, ws, row, "Return model")
    h = r.historical
    if h is None:
        ws.write_string(row, 0, LOGNORMAL_NOTE, ctx.fmt.text)
        return row + 2
    ws.write_string(
        row,
        0,
        HISTORICAL_NOTE.format(
            block=h.mean_block, first=h.first_month, last=h.last_month, count=h.n_months
        ),
        ctx.fmt.text,
    )
    row += 2
    implied = h.implied.rename(
        columns={
            "factor": "Factor",
            "series": "Series",
            "origin": "Source",
            "series_first": "Series starts",
            "series_last": "Series ends",
            "annual_mean": "Implied yearly mean",
            "annual_volatility": "Implied yearly volatility",
            "median_growth": "Median path a year",
        }
    )
    for col in ("Series starts", "Series ends"):
        implied[col] = [None if d is None else f"{d:%Y-%m}" for d in implied[col]]
    note = (
        "Implied: the mean and volatility of a year's return over 10,000 bootstrapped years "
        "(12 months each; for Inflation, the year's inflation). Median path: exp(12 × mean "
        "monthly log-return) − 1, which dividends follow."
    )
    row = write_section(ctx, ws, row, "Series behind each factor", note)
    ws.set_row(row, 30)
    pct = ("Implied yearly mean", "Implied yearly volatility", "Median path a year")
    write_table(ctx, ws, row, 0, implied, formats={c: "pct" for c in pct})
    row += len(implied) + 2

    seq = h.sequences
    row = write_section(ctx, ws, row, "Historical sequences", SEQUENCES_NOTE.format(years=r.years))
    if not seq.windows:
        ws.write_string(row, 0, "The history is shorter than the horizon.", ctx.fmt.note)
        return row + 2
    figures = [
        ("Bootstrap success", r.success_probability, ctx.fmt.pct, f"{r.paths:,} paths"),
        ("Historical-sequence success", h.sequence_success, ctx.fmt.pct,
         f"{seq.windows:,} starts, {h.first_start} to {h.last_start}"),
        ("Sequences that fail", seq.failures, ctx.fmt.integer, ""),
    ]  # fmt: skip
    for k, w in enumerate(h.worst_starts, start=1):
        outcome = (
            "survives, with the least left"
            if w["survived"]
            else f"fails in year {w['failure_year']}"
        )
        figures.append((f"Worst start {k}", w["start"], None, outcome))
    if r.has_secured_loans:
        figures += [
            ("P(margin call), bootstrap", r.p_margin_call, ctx.fmt.pct, ""),
            ("P(margin call), sequences", h.p_margin_call, ctx.fmt.pct, ""),
            ("P(forced sale), sequences", h.p_forced_sale, ctx.fmt.pct, ""),
        ]
    row = write_headers(ctx, ws, row, ("Figure", "Value", "How to read it"))
    row = write_figures(ctx, ws, row, figures) + 1

    by_year = h.success_by_start_year.rename(
        columns={"start_year": "Start year", "windows": "Starts", "success": "Success"}
    )
    table_top = row
    row = write_section(ctx, ws, row, "Success by starting year")
    refs = write_table(ctx, ws, row, 0, by_year, formats={"Starts": "integer", "Success": "pct"})
    chart = _column_chart(ctx, "Historical sequences: success by starting year", "Start year",
                          "Starts that succeed", PCT, refs["Start year"].ref, refs["Success"].ref,
                          PALETTE["blue"], "Success")  # fmt: skip
    chart.set_x_axis(axis("Start year", interval_unit=10, interval_tick=10))  # a label a decade
    chart.set_y_axis(axis("Starts that succeed", PCT, gridlines=True, min=0, max=1))
    place_chart(ws, (table_top, LEFT_COL), chart, 2 * CHART_W, CHART_H)
    return row + len(by_year) + 2
