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
from engine.i18n import T, current
from engine.model.bootstrap import BUNDLED, HISTORY_SHEET, US_CPI
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    column_series,
    line_series,
    open_sheet,
    place_chart,
    text,
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
PERCENTILES_NOTE = "mc.percentiles_over_paths_at_each"


SURVIVAL_HEADERS = {
    "year": "mc.year",
    "age": "mc.age",
    "survival": "mc.still_solvent",
    "failures": "mc.futures_failing_that_year",
    "share": "mc.share_failing_that_year",
}
LTV_HEADERS = {
    "bin": "mc.highest_ltv_of_the_path",
    "paths": "mc.futures",
    "share": "mc.share_of_futures",
}


def _money(ctx: ReportContext, value) -> str:
    """An amount in a sentence or a heading: ¥322K, ¥8M (``money_words``)."""
    return money_words(value, ctx.currency)


def _se(p: float | None, paths: int) -> str:
    """The standard error of a probability, in percentage points."""
    return "" if p is None else T("mc.value_2f_pt_s_e", value=100 * standard_error(p, paths))


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
        return (label, _probability(p), "pct", f"{_se(p, n)} · {text(note)}")

    rows = [
        prob("mc.success_probability", r.success_probability,
             T("mc.share_of_paths_that_never", failures=failures_text(r.failures, n))),
        prob("mc.income_covers_costs_every_year", r.income_covered_probability,
             "mc.dividends_income_all_costs_every"),
        ("mc.95_interval_low", r.ci95[0], "pct", "mc.wilson_score_interval"),
        ("mc.95_interval_high", r.ci95[1], "pct", ""),
        ("mc.target", r.target_success_probability, "pct", "mc.settings_target_success_probability"),
        prob("mc.success_without_secured_leverage", r.success_probability_unlevered,
             "mc.loans_repaid_from_their_collateral"),
    ]  # fmt: skip
    if r.has_secured_loans:
        rows += [
            prob("mc.p_margin_call_ever", r.p_margin_call, "mc.some_loan_reached_its_call"),
            prob("mc.p_sale_under_a_call", r.p_sale_under_call, "mc.a_call_met_by_selling"),
            prob("mc.p_liquidation", r.p_liquidation, "mc.some_lender_sold_the_collateral"),
            prob("mc.p_forced_sale_ever", r.p_forced_sale, "mc.a_sale_under_a_call"),
            (
                "mc.average_forced_sale",
                r.mean_forced_sale_amount,
                "money",
                "mc.over_paths_with_one",
            ),
            ("mc.median_of_max_ltv", r.max_ltv_median, "pct", "mc.each_path_s_highest_ltv"),
            ("mc.95th_pct_of_max_ltv", r.max_ltv_p95, "pct", ""),
        ]
    if r.has_lines:
        rows += [
            prob("mc.p_standby_line_drawn", r.p_line_drawn, "mc.some_unsecured_line_drawn"),
            prob("mc.p_lines_fully_drawn", r.p_lines_fully_drawn, "mc.every_line_at_its_limit"),
        ]
    lo, hi = r.max_safe_interval
    rows += [
        (
            "mc.monthly_living_costs_today",
            r.monthly_living_expenses,
            "money",
            T("mc.monthly_expense_rows") + (current().join(r.living_rows) or T("mc.none")),
        ),
        (
            "mc.max_safe_monthly_living_costs",
            r.max_safe_monthly_spending,
            "money",
            T(
                "mc.at_target_success_probability_0",
                target_success_probability=r.target_success_probability,
                n=n,
                max_safe_status=T("mc.status_found")
                if r.max_safe_status == "found"
                else r.max_safe_status,
            ),
        ),
        ("mc.90_interval_low", lo, "money", "mc.success_1_645_s_e"),
        ("mc.90_interval_high", hi, "money", "mc.success_1_645_s_e_2"),
        ("mc.as_a_multiple_of_today", r.max_safe_multiplier, "ratio", "mc.of_the_monthly_rows"),
    ]
    return rows


def _write_key_figures(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, "mc.key_figures")
    row = write_headers(ctx, ws, row, ("mc.figure", "mc.value", "mc.how_to_read_it"))
    figures = []
    for figure, value, fmt, note in key_figures(r):
        shown = (T("common.n_a"), None) if value is None else (value, ctx.fmt.by_name(fmt))
        figures.append((figure, *shown, note))
    return write_figures(ctx, ws, row, figures) + 1


def _write_grid(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    note = T("mc.success_probability_on_all_paths", paths=r.paths)
    row = write_section(ctx, ws, row, "mc.sensitivity_spending_unsecured_line", note)
    scales = sorted(r.grid["line_scale"].unique())
    spends = sorted(r.grid["spending_multiplier"].unique())
    grid_format = ctx.fmt.probability
    ws.set_row(row, 30)
    ws.write_string(row, 0, T("mc.monthly_living_costs"), ctx.fmt.header)
    for j, g in enumerate(scales):
        limit = float(r.grid.loc[r.grid["line_scale"] == g, "line_limit"].iloc[0])
        label = T("mc.no_line") if g == 0 else T("mc.g_g_line_ctx", g=g, ctx=_money(ctx, limit))
        ws.write_string(row, 1 + j, label, ctx.fmt.header)
        ws.write_string(row, 2 + len(scales) + j, T("mc.s_e_pt_label", label=label), ctx.fmt.header)
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
        T("mc.real_net_worth_today_s", paths=r.paths),
        "mc.year",
        ctx.axis_money_title,
        ctx.axis_money_format,
        subtype="stacked",
    )
    bands = [c for c in r.fan.columns if c not in ("year", "p5")]
    year = refs["year"].ref
    chart.add_series(
        {
            "name": T("mc.5th_percentile"),
            "categories": year,
            "values": refs["p5"].ref,
            "fill": {"none": True},
        }
    )
    names = {
        f"p{a}_p{b}": T("mc.a_th_b_th_percentile", a=a, b=b)
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
    subtitle = T("mc.paths_paths_years_years_seed", paths=r.paths, years=r.years, seed=r.seed)
    row = open_sheet(ctx, ws, "mc.monte_carlo_fire", subtitle, widths=COLUMN_WIDTHS, frozen_cols=0)
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
    title = "mc.real_net_worth_and_real"
    row = write_section(ctx, ws, row, title, PERCENTILES_NOTE)
    names = {"year": "mc.year", "calendar_year": "mc.calendar_year"}
    for q in PERCENTILES:
        names[f"real_net_worth_p{q}"] = T("mc.net_worth_p_q", q=q)
        names[f"real_passive_income_p{q}"] = T("mc.passive_income_p_q", q=q)
    debt_columns = [f"debt_p{q}" for q in PERCENTILES]
    pct = r.percentiles.drop(columns=debt_columns).rename(columns=names)
    fmt = {names[c]: "money" for c in names if c.startswith(("real_net", "real_passive"))}
    ws.set_row(row, 30)
    pct_refs = write_table(ctx, ws, row, 0, pct, formats=fmt)
    fan = (("year", "mc.year"), *((f"p{q}", names[f"real_net_worth_p{q}"]) for q in (10, 50)))
    for key, col in (*fan, ("p90", names["real_net_worth_p90"])):
        ctx.refs[f"monte_carlo.fan.{key}"] = pct_refs[col]
    row += len(pct) + 2

    refs = {"percentiles": pct_refs}
    title = "mc.total_debt_by_year_every"
    note = "mc.percentiles_over_paths_at_each_2"
    row = write_section(ctx, ws, row, title, note)
    debt = r.percentiles[["year", "calendar_year", *debt_columns]].rename(
        columns={**names, **{f"debt_p{q}": T("mc.debt_p_q", q=q) for q in PERCENTILES}}
    )
    ws.set_row(row, 30)
    refs["debt"] = write_table(
        ctx, ws, row, 0, debt, formats={T("mc.debt_p_q", q=q): "money" for q in PERCENTILES}
    )
    row += len(debt) + 2
    row = write_section(ctx, ws, row, "mc.survival_and_failures_by_year")
    surv = r.survival.merge(r.failure_histogram, on="year").rename(columns=SURVIVAL_HEADERS)
    surv_formats = {"mc.still_solvent": "pct", "mc.share_failing_that_year": "pct2",
                    "mc.futures_failing_that_year": "integer"}  # fmt: skip
    ws.set_row(row, 30)
    refs["survival"] = write_table(ctx, ws, row, 0, surv, formats=surv_formats)
    row += len(surv) + 2
    refs["ltv"] = None
    if r.has_secured_loans and not r.max_ltv_histogram.empty:
        title = "mc.distribution_of_each_path_s"
        row = write_section(ctx, ws, row, title)
        ltv = r.max_ltv_histogram[list(LTV_HEADERS)].rename(columns=LTV_HEADERS)
        refs["ltv"] = write_table(
            ctx, ws, row, 0, ltv, formats={"mc.futures": "integer", "mc.share_of_futures": "pct"}
        )
        row += len(r.max_ltv_histogram) + 2
    note = T("mc.on_all_paths_paths_each", paths=r.paths)
    title = "mc.success_probability_by_monthly_living"
    row = write_section(ctx, ws, row, title, note)
    curve = r.spending_curve.rename(columns={
        "multiplier": "mc.multiple_of_today", "monthly_spending": "mc.monthly_living_costs",
        "success": "mc.success", "standard_error": "mc.standard_error"})  # fmt: skip
    curve_formats = {"mc.multiple_of_today": "ratio", "mc.monthly_living_costs": "money",
                     "mc.success": "pct", "mc.standard_error": "pct2"}  # fmt: skip
    refs["curve"] = write_table(ctx, ws, row, 0, curve, formats=curve_formats)
    row += len(r.spending_curve) + 2
    lev = pd.DataFrame(
        {
            "mc.structure": [T("mc.as_planned_with_loans"), T("mc.unlevered")],
            "mc.success": [
                r.success_probability_levered_same_paths,
                r.success_probability_unlevered,
            ],
        }
    )
    note = T("mc.on_all_comparison_paths_paths", comparison_paths=r.comparison_paths)
    row = write_section(ctx, ws, row, "mc.with_and_without_secured_leverage", note)
    refs["leverage"] = write_table(ctx, ws, row, 0, lev, formats={"mc.success": "pct"})
    return refs


def _charts(ctx: ReportContext, r: MonteCarloResult, refs: dict) -> list:
    """The sheet's charts in reading order (two to a row beside the key figures)."""
    fan_refs = ctx.data_block(r.fan, "mc.monte_carlo_fan_chart_bands")
    charts = [_fan_chart(ctx, r, fan_refs)]
    surv, lev, ltv, curve = refs["survival"], refs["leverage"], refs["ltv"], refs["curve"]
    years = surv["mc.year"].ref
    chart = ctx.chart(
        "line", "mc.share_of_futures_still_solvent", "mc.year", "mc.paths_solvent", PCT
    )
    chart.add_series(
        line_series("mc.solvent", years, surv["mc.still_solvent"].ref, PALETTE["blue"])
    )
    chart.set_y_axis({"name": T("mc.paths_solvent"), "num_format": PCT, "min": 0, "max": 1,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
    chart.set_legend({"none": True})
    charts.append(chart)
    none_fail = int(r.failure_histogram["failures"].max() or 0) == 0
    # with no failure the bars are all zero: the title says so, the chart is not "empty"
    title = (
        T("mc.when_futures_fail_none_of", paths=r.paths) if none_fail else "mc.when_futures_fail"
    )
    fail = _column_chart(ctx, title, "mc.year", "mc.paths_failing_that_year", "#,##0",
                         years, surv["mc.futures_failing_that_year"].ref, PALETTE["red"],
                         "mc.failures")  # fmt: skip
    if none_fail:  # a clean 0–1 axis
        fail.set_y_axis({"name": T("mc.paths_failing_that_year"), "num_format": "#,##0", "min": 0,
                         "max": 1, "major_unit": 1})  # fmt: skip
    charts.append(fail)
    bar = _column_chart(ctx, "mc.success_with_and_without_leverage", "mc.structure", "mc.success_probability",
                        "0.0%", lev["mc.structure"].ref, lev["mc.success"].ref, PALETTE["blue"], "mc.success")  # fmt: skip
    bar.set_y_axis({"name": T("mc.success_probability"), "num_format": PCT, "min": 0, "max": 1})
    charts.append(bar)
    if ltv is not None:
        charts.append(_column_chart(ctx, "mc.highest_ltv_reached_per_path", "mc.max_ltv", "mc.share_of_paths",
                                    PCT, ltv["mc.highest_ltv_of_the_path"].ref,
                                    ltv["mc.share_of_futures"].ref, PALETTE["orange"], "mc.paths"))  # fmt: skip
    charts.append(_passive_chart(ctx, refs["percentiles"]))
    if r.has_secured_loans or r.has_lines:
        charts.append(_debt_chart(ctx, refs["debt"]))
    if len(r.spending_curve):
        sc = ctx.chart("scatter", "mc.success_by_monthly_living_costs",
                       T("mc.monthly_living_costs_currency", currency=ctx.currency),
                       "mc.success_probability", PCT, subtype="straight_with_markers",
                       x_format=ctx.fmt.money_code)  # fmt: skip
        sc.add_series({"name": T("mc.success"), "categories": curve["mc.monthly_living_costs"].ref,
                       "values": curve["mc.success"].ref, "line": {"color": PALETTE["green"]},
                       "marker": {"type": "circle", "size": 4}})  # fmt: skip
        sc.set_legend({"none": True})
        sc.set_y_axis({"name": T("mc.success_probability"), "num_format": PCT, "min": 0, "max": 1,
                       "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
        charts.append(sc)
    return charts


def _passive_chart(ctx: ReportContext, pct: dict):
    """Real net passive income by year: 10th, 50th and 90th percentile over paths (the
    dividends follow markets and the crisis cut; interest follows inflation)."""
    title = "mc.real_net_passive_income_a"
    chart = ctx.money_chart("line", title, "mc.year")
    for q, color in ((10, PALETTE["red"]), (50, PALETTE["blue"]), (90, PALETTE["green"])):
        name = {10: "10th", 50: "mc.median", 90: "90th"}[q]
        years = pct["mc.year"].ref
        chart.add_series(line_series(name, years, pct[T("mc.passive_income_p_q", q=q)].ref, color))
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _debt_chart(ctx: ReportContext, pct: dict):
    """Total debt at each year end: the 10th, 50th and 90th percentile over paths (nominal)."""
    chart = ctx.money_chart("line", "mc.total_debt_by_year_percentiles", "mc.year")
    for q, color in ((10, PALETTE["green"]), (50, PALETTE["blue"]), (90, PALETTE["red"])):
        name = {10: "10th", 50: "mc.median", 90: "90th"}[q]
        chart.add_series(
            line_series(name, pct["mc.year"].ref, pct[T("mc.debt_p_q", q=q)].ref, color)
        )
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _lines(r: MonteCarloResult, ctx: ReportContext) -> list[str]:
    out = [
        T(
            "mc.without_secured_leverage_the_securities",
            success_probability_unlevered=share_text(r.success_probability_unlevered),
            comparison_paths=r.comparison_paths,
            success_probability_levered_same_paths=share_text(
                r.success_probability_levered_same_paths
            ),
        )
    ]
    if r.max_safe_monthly_spending is not None:
        lo, hi = r.max_safe_interval
        interval = "" if lo is None or hi is None else (
            T("mc.90_interval_ctx_ctx2", ctx=_money(ctx, lo), ctx2=_money(ctx, hi)))  # fmt: skip
        out.append(
            T(
                "mc.max_safe_monthly_living_costs_2",
                target_success_probability=r.target_success_probability,
                ctx=_money(ctx, r.max_safe_monthly_spending),
                interval=interval,
                max_safe_multiplier=r.max_safe_multiplier,
                ctx2=_money(ctx, r.monthly_living_expenses),
            )
        )
    out.extend(T("mc.note_n", n=n) for n in r.notes)
    return out


# --------------------------------------------------------------------------- return model
LOGNORMAL_NOTE = "mc.return_model_lognormal_each_asset"
HISTORICAL_NOTE = "mc.return_model_historical_a_stationary"
SEQUENCES_NOTE = "mc.the_plan_run_through_every"


def write_return_model(ws, r: MonteCarloResult, ctx: ReportContext, row: int) -> int:
    """Which return model ran; with Historical: the series and their dates, what the
    bootstrap implies per factor, the historical sequences (success, worst starts) and a
    chart of success by starting year. Returns the row below."""
    row = write_section(ctx, ws, row, "mc.return_model")
    h = r.historical
    if h is None:
        ws.write_string(row, 0, T(LOGNORMAL_NOTE), ctx.fmt.text)
        return row + 2
    ws.write_string(
        row,
        0,
        T(
            HISTORICAL_NOTE,
            block=h.mean_block,
            first=h.first_month,
            last=h.last_month,
            count=h.n_months,
        ),
        ctx.fmt.text,
    )
    row += 2
    implied = h.implied.rename(
        columns={
            "factor": "mc.factor",
            "series": "mc.series",
            "origin": "mc.source",
            "series_first": "mc.series_starts",
            "series_last": "mc.series_ends",
            "annual_mean": "mc.implied_yearly_mean",
            "annual_volatility": "mc.implied_yearly_volatility",
            "median_growth": "mc.median_path_a_year",
        }
    )
    for col in ("mc.series_starts", "mc.series_ends"):
        implied[col] = [None if d is None else f"{d:%Y-%m}" for d in implied[col]]
    # the JSON keeps the sources' English names; the sheet says them in its language
    words = {BUNDLED: T("mc.origin_bundled"), HISTORY_SHEET: T("mc.origin_history_sheet"),
             US_CPI: T("mc.series_us_cpi")}  # fmt: skip
    for col in ("mc.source", "mc.series"):
        implied[col] = [words.get(v, v) if isinstance(v, str) else v for v in implied[col]]
    note = "mc.implied_the_mean_and_volatility"
    row = write_section(ctx, ws, row, "mc.series_behind_each_factor", note)
    ws.set_row(row, 30)
    pct = ("mc.implied_yearly_mean", "mc.implied_yearly_volatility", "mc.median_path_a_year")
    write_table(ctx, ws, row, 0, implied, formats={c: "pct" for c in pct})
    row += len(implied) + 2

    seq = h.sequences
    row = write_section(ctx, ws, row, "mc.historical_sequences", T(SEQUENCES_NOTE, years=r.years))
    if not seq.windows:
        ws.write_string(row, 0, "mc.the_history_is_shorter_than", ctx.fmt.note)
        return row + 2
    figures = [
        ("mc.bootstrap_success", r.success_probability, ctx.fmt.pct, T("mc.paths_paths", paths=r.paths)),
        ("mc.historical_sequence_success", h.sequence_success, ctx.fmt.pct,
         T("mc.windows_starts_first_start_to", windows=seq.windows, first_start=h.first_start, last_start=h.last_start)),
        ("mc.sequences_that_fail", seq.failures, ctx.fmt.integer, ""),
    ]  # fmt: skip
    for k, w in enumerate(h.worst_starts, start=1):
        outcome = (
            "mc.survives_with_the_least_left"
            if w["survived"]
            else T("mc.fails_in_year_value", value=w["failure_year"])
        )
        figures.append((T("mc.worst_start_k", k=k), w["start"], None, outcome))
    if r.has_secured_loans:
        figures += [
            ("mc.p_margin_call_bootstrap", r.p_margin_call, ctx.fmt.pct, ""),
            ("mc.p_margin_call_sequences", h.p_margin_call, ctx.fmt.pct, ""),
            ("mc.p_forced_sale_sequences", h.p_forced_sale, ctx.fmt.pct, ""),
        ]
    row = write_headers(ctx, ws, row, ("mc.figure", "mc.value", "mc.how_to_read_it"))
    row = write_figures(ctx, ws, row, figures) + 1

    by_year = h.success_by_start_year.rename(
        columns={"start_year": "mc.start_year", "windows": "mc.starts", "success": "mc.success"}
    )
    table_top = row
    row = write_section(ctx, ws, row, "mc.success_by_starting_year")
    refs = write_table(
        ctx, ws, row, 0, by_year, formats={"mc.starts": "integer", "mc.success": "pct"}
    )
    chart = _column_chart(ctx, "mc.historical_sequences_success_by_starting", "mc.start_year",
                          "mc.starts_that_succeed", PCT, refs["mc.start_year"].ref, refs["mc.success"].ref,
                          PALETTE["blue"], "mc.success")  # fmt: skip
    chart.set_x_axis(axis("mc.start_year", interval_unit=10, interval_tick=10))  # a label a decade
    chart.set_y_axis(axis("mc.starts_that_succeed", PCT, gridlines=True, min=0, max=1))
    place_chart(ws, (table_top, LEFT_COL), chart, 2 * CHART_W, CHART_H)
    return row + len(by_year) + 2
