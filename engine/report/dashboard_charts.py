"""The Dashboard's band of five small native charts (SPEC §4 A6).

Allocation by class (doughnut), LTV against thresholds (a column per secured loan with
threshold markers), Monte Carlo (the fan published by the Monte Carlo sheet in
``ctx.refs``, else the survival curve from the JSON), snowball (the ranges published by
the Snowball sheet, else the dashboard's copy of the JSON years) and the trend over past
runs (from the history store). Where a chart has nothing to show, its slot holds a
sentence saying why — never an empty chart.
"""

from __future__ import annotations

import pandas as pd

from engine.analyses.dashboard import DashboardResult
from engine.i18n import T
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    class_points,
    column_series,
    line_series,
    place_chart,
    text,
)

CHART_ROWS = 14  # rows of default height (20 px) the band occupies
CHART_HEIGHT = CHART_ROWS * 20 - 4
SLOTS = 5
FAN_KEYS = ("monte_carlo.fan.year", "monte_carlo.fan.p10", "monte_carlo.fan.p50")
FAN_KEYS += ("monte_carlo.fan.p90",)
SNOWBALL_KEYS = ("snowball.year", "snowball.dividends_net", "snowball.outgo")


def _column_px(width: float) -> int:
    """Pixel width of a column of ``width`` characters (Excel's default font)."""
    return int(width * 7 + 0.5) + 5


def _small(chart, title: str) -> None:
    """Small fonts for a chart in the band (the title is set again: set_title replaces)."""
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_title({"name": text(title), "name_font": {"size": 9, "bold": True}})


def _axis(name: str, fmt: str | None = None, **kw) -> dict:
    """Axis options in the band's smaller fonts (``kw`` may replace them)."""
    small = {"name_font": {"size": 8, "bold": False}, "num_font": {"size": 7}}
    return axis(name, fmt, **{**small, **kw})


def allocation_chart(ctx: ReportContext, r: DashboardResult):
    if r.allocation.empty:
        return T("db.no_holdings_to_allocate")
    frame = r.allocation.rename(
        columns={"asset_class": "db.asset_class", "market_value": "db.value"}
    )
    refs = ctx.data_block(frame[["db.asset_class", "db.value"]], "db.dashboard_allocation")
    chart = ctx.book.add_chart({"type": "doughnut"})
    chart.set_title({"name": T("db.allocation_by_class"), "name_font": {"size": 9, "bold": True}})
    chart.add_series(
        {
            "name": T("db.market_value_currency", currency=r.currency),
            "categories": refs["db.asset_class"].ref,
            "values": refs["db.value"].ref,
            "data_labels": {"percentage": True, "num_format": PCT, "font": {"size": 7}},
            "points": class_points(len(frame)),
        }
    )
    chart.set_hole_size(45)
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    return chart


def ltv_chart(ctx: ReportContext, r: DashboardResult):
    if r.loans.empty:
        return T("db.no_loans_against_your_holdings_2")
    frame = pd.DataFrame(
        {
            "db.loan": [str(n) for n in r.loans["name"]],
            "db.ltv_today": r.loans["ltv"].tolist(),
            "db.freeze": r.loans["freeze_ltv"].tolist(),
            "db.margin_call": r.loans["call_ltv"].tolist(),
            "db.liquidation": r.loans["liquidation_ltv"].tolist(),
        }
    )
    refs = ctx.data_block(frame, "db.dashboard_ltv_vs_thresholds")
    chart = ctx.chart("column", "db.ltv_vs_thresholds", "db.secured_loan", "LTV", PCT)
    labels = {"value": True, "num_format": "0.0%", "font": {"size": 7}}
    loans, ltv = refs["db.loan"].ref, refs["db.ltv_today"].ref
    chart.add_series(
        column_series("db.ltv_today", loans, ltv, PALETTE["blue"], 120, data_labels=labels)
    )
    markers = ctx.book.add_chart({"type": "line"})
    for name, color, shape in (
        ("db.freeze", PALETTE["amber"], "diamond"),
        ("db.margin_call", PALETTE["orange"], "triangle"),
        ("db.liquidation", PALETTE["red"], "square"),
    ):
        markers.add_series(
            {
                "name": T(name),
                "categories": refs["db.loan"].ref,
                "values": refs[name].ref,
                "line": {"none": True},
                "marker": {
                    "type": shape,
                    "size": 8,
                    "fill": {"color": color},
                    "border": {"color": color},
                },
            }
        )
    chart.combine(markers)
    top = r.loans[["ltv", "liquidation_ltv"]].max().max()
    limits = {"min": 0, "max": 1} if top <= 1 else {"min": 0}
    chart.set_y_axis(_axis("LTV", PCT, **limits))
    chart.set_x_axis(_axis(T("db.secured_loan")))
    _small(chart, T("db.ltv_vs_thresholds"))
    return chart


def _line(chart, name, categories, values, color, width: float = 1.5, **options) -> None:
    """A thin line for the band (``options``: series keys such as ``marker``, ``y2_axis``)."""
    chart.add_series(line_series(name, categories, values, color, width, **options))


def _fan_refs(ctx: ReportContext, r: DashboardResult) -> list | None:
    """Year, p10, p50 and p90 ranges: the Monte Carlo sheet's, else the JSON's on the data sheet."""
    if all(k in ctx.refs for k in FAN_KEYS):
        return [ctx.refs[k].ref for k in FAN_KEYS]
    if r.fan.empty or not r.fan["p50"].notna().any():
        return None
    refs = ctx.data_block(
        r.fan.rename(columns={"year": "db.year"}), "db.dashboard_monte_carlo_real_net"
    )
    return [refs[k].ref for k in ("db.year", "p10", "p50", "p90")]


def monte_carlo_chart(ctx: ReportContext, r: DashboardResult):
    title = "db.monte_carlo_real_net_worth"
    fan = _fan_refs(ctx, r)
    if fan is not None:
        year, p10, p50, p90 = fan
        chart = ctx.money_chart("line", title, "db.year")
        _line(chart, "db.90th_percentile", year, p90, PALETTE["green"])
        _line(chart, "db.median", year, p50, PALETTE["blue"], 2.25)
        _line(chart, "db.10th_percentile", year, p10, PALETTE["red"])
    elif not r.survival.empty and r.survival["survival"].notna().any():
        refs = ctx.data_block(
            r.survival.rename(columns={"year": "db.year", "survival": "db.plan_survives"}),
            "db.dashboard_monte_carlo_survival",
        )
        title = "db.monte_carlo_plan_survives"
        chart = ctx.chart("line", title, "db.year", "db.share_of_paths", PCT)
        _line(
            chart,
            "db.plan_survives",
            refs["db.year"].ref,
            refs["db.plan_survives"].ref,
            PALETTE["blue"],
        )
        chart.set_y_axis(_axis("db.share_of_paths", PCT, min=0, max=1))
    else:
        return "db.the_monte_carlo_simulation_did"
    chart.set_x_axis(_axis("db.year", interval_unit=10, interval_tick=10))
    if title.endswith("net worth"):
        chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    _small(chart, title)
    return chart


def snowball_chart(ctx: ReportContext, r: DashboardResult):
    if all(k in ctx.refs for k in SNOWBALL_KEYS):
        year, dividends, outgo = (ctx.refs[k].ref for k in SNOWBALL_KEYS)
    elif not r.snowball.empty:
        frame = r.snowball.rename(
            columns={"year": "db.year", "dividends_net": "db.net_dividends", "outgo": "db.outgo"}
        )[["db.year", "db.net_dividends", "db.outgo"]]
        refs = ctx.data_block(frame, "db.dashboard_snowball")
        year, dividends, outgo = (refs[k].ref for k in ("db.year", "db.net_dividends", "db.outgo"))
    else:
        return "db.the_dividend_snowball_did_not"
    chart = ctx.money_chart("column", "db.dividend_snowball", "db.year")
    chart.add_series(column_series("db.net_dividends", year, dividends, PALETTE["green"], 40))
    costs = ctx.book.add_chart({"type": "line"})
    _line(costs, "db.expenses_interest_income", year, outgo, PALETTE["red"])
    chart.combine(costs)
    # labels at the bottom: the outgo line goes below zero when income exceeds the costs
    chart.set_x_axis(_axis("db.year", interval_unit=10, interval_tick=10, label_position="low"))
    chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    _small(chart, "db.dividend_snowball")
    return chart


def trend_chart(ctx: ReportContext, r: DashboardResult):
    if r.trend_sentence:
        return r.trend_sentence
    frame = trend_frame(r)
    refs = ctx.data_block(frame, "db.dashboard_trend_over_past_runs")
    chart = ctx.money_chart("line", "db.trend_over_past_runs", "db.valuation_date")
    marker = {"type": "circle", "size": 5}
    dates = refs["db.valuation_date"].ref
    if frame["db.net_worth"].notna().any():
        dots = {**marker, "fill": {"color": PALETTE["blue"]}}
        _line(chart, "db.net_worth", dates, refs["db.net_worth"].ref, PALETTE["blue"], marker=dots)
    for name, color in (("db.max_ltv", PALETTE["orange"]), ("db.fire_success", PALETTE["green"])):
        if frame[name].notna().any():
            dots = {**marker, "fill": {"color": color}}
            _line(chart, name, dates, refs[name].ref, color, y2_axis=True, marker=dots)
    chart.set_x_axis(_axis("db.valuation_date", num_font={"size": 7, "rotation": -45}))
    chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    chart.set_y2_axis(_axis("db.ltv_fire_success", PCT, min=0, max=1))
    _small(chart, "db.trend_over_past_runs")
    return chart


def trend_frame(result: DashboardResult) -> pd.DataFrame:
    """The trend chart's data: ISO dates as category text, figures as numbers."""
    t = result.trend
    return pd.DataFrame(
        {
            "db.valuation_date": [d.isoformat() for d in t["valuation_date"]],
            "db.net_worth": t["net_worth"].tolist(),
            "db.max_ltv": t["max_ltv"].tolist(),
            "db.fire_success": t["fire_probability"].tolist(),
        }
    )


def chart_band(ws, ctx: ReportContext, slot_format, r, row: int, columns: int, width: float):
    """Five charts side by side from ``row``; a sentence in a slot with nothing to chart."""
    cols = columns // SLOTS
    slot_px = cols * _column_px(width)
    makers = (allocation_chart, ltv_chart, monte_carlo_chart, snowball_chart, trend_chart)
    for i, make in enumerate(makers):
        made = make(ctx, r)
        col = i * cols
        if isinstance(made, str):
            ws.merge_range(row + 1, col, row + CHART_ROWS - 2, col + cols - 1, made, slot_format)
            continue
        made.set_chartarea({"border": {"color": "#BFBFBF"}})
        offsets = {"x_offset": 3, "y_offset": 2, "object_position": 1}
        place_chart(ws, (row, col), made, slot_px - 6, CHART_HEIGHT, **offsets)
