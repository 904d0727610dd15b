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
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    class_points,
    column_series,
    line_series,
    place_chart,
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
    chart.set_title({"name": title, "name_font": {"size": 9, "bold": True}})


def _axis(name: str, fmt: str | None = None, **kw) -> dict:
    """Axis options in the band's smaller fonts (``kw`` may replace them)."""
    small = {"name_font": {"size": 8, "bold": False}, "num_font": {"size": 7}}
    return axis(name, fmt, **{**small, **kw})


def allocation_chart(ctx: ReportContext, r: DashboardResult):
    if r.allocation.empty:
        return "No holdings to allocate."
    frame = r.allocation.rename(columns={"asset_class": "Asset class", "market_value": "Value"})
    refs = ctx.data_block(frame[["Asset class", "Value"]], "Dashboard: allocation")
    chart = ctx.book.add_chart({"type": "doughnut"})
    chart.set_title({"name": "Allocation by class", "name_font": {"size": 9, "bold": True}})
    chart.add_series(
        {
            "name": f"Market value ({r.currency})",
            "categories": refs["Asset class"].ref,
            "values": refs["Value"].ref,
            "data_labels": {"percentage": True, "num_format": PCT, "font": {"size": 7}},
            "points": class_points(len(frame)),
        }
    )
    chart.set_hole_size(45)
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    return chart


def ltv_chart(ctx: ReportContext, r: DashboardResult):
    if r.loans.empty:
        return "No loans against your holdings: no LTV to watch."
    frame = pd.DataFrame(
        {
            "Loan": [str(n) for n in r.loans["name"]],
            "LTV today": r.loans["ltv"].tolist(),
            "Freeze": r.loans["freeze_ltv"].tolist(),
            "Margin call": r.loans["call_ltv"].tolist(),
            "Liquidation": r.loans["liquidation_ltv"].tolist(),
        }
    )
    refs = ctx.data_block(frame, "Dashboard: LTV vs thresholds")
    chart = ctx.chart("column", "LTV vs thresholds", "Secured loan", "LTV", PCT)
    labels = {"value": True, "num_format": "0.0%", "font": {"size": 7}}
    loans, ltv = refs["Loan"].ref, refs["LTV today"].ref
    chart.add_series(
        column_series("LTV today", loans, ltv, PALETTE["blue"], 120, data_labels=labels)
    )
    markers = ctx.book.add_chart({"type": "line"})
    for name, color, shape in (
        ("Freeze", PALETTE["amber"], "diamond"),
        ("Margin call", PALETTE["orange"], "triangle"),
        ("Liquidation", PALETTE["red"], "square"),
    ):
        markers.add_series(
            {
                "name": name,
                "categories": refs["Loan"].ref,
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
    chart.set_x_axis(_axis("Secured loan"))
    _small(chart, "LTV vs thresholds")
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
        r.fan.rename(columns={"year": "Year"}), "Dashboard: Monte Carlo real net worth"
    )
    return [refs[k].ref for k in ("Year", "p10", "p50", "p90")]


def monte_carlo_chart(ctx: ReportContext, r: DashboardResult):
    title = "Monte Carlo: real net worth"
    fan = _fan_refs(ctx, r)
    if fan is not None:
        year, p10, p50, p90 = fan
        chart = ctx.money_chart("line", title, "Year")
        _line(chart, "90th percentile", year, p90, PALETTE["green"])
        _line(chart, "Median", year, p50, PALETTE["blue"], 2.25)
        _line(chart, "10th percentile", year, p10, PALETTE["red"])
    elif not r.survival.empty and r.survival["survival"].notna().any():
        refs = ctx.data_block(
            r.survival.rename(columns={"year": "Year", "survival": "Plan survives"}),
            "Dashboard: Monte Carlo survival",
        )
        title = "Monte Carlo: plan survives"
        chart = ctx.chart("line", title, "Year", "Share of paths", PCT)
        _line(chart, "Plan survives", refs["Year"].ref, refs["Plan survives"].ref, PALETTE["blue"])
        chart.set_y_axis(_axis("Share of paths", PCT, min=0, max=1))
    else:
        return "The Monte Carlo simulation did not run."
    chart.set_x_axis(_axis("Year", interval_unit=10, interval_tick=10))
    if title.endswith("net worth"):
        chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    _small(chart, title)
    return chart


def snowball_chart(ctx: ReportContext, r: DashboardResult):
    if all(k in ctx.refs for k in SNOWBALL_KEYS):
        year, dividends, outgo = (ctx.refs[k].ref for k in SNOWBALL_KEYS)
    elif not r.snowball.empty:
        frame = r.snowball.rename(
            columns={"year": "Year", "dividends_net": "Net dividends", "outgo": "Outgo"}
        )[["Year", "Net dividends", "Outgo"]]
        refs = ctx.data_block(frame, "Dashboard: snowball")
        year, dividends, outgo = (refs[k].ref for k in ("Year", "Net dividends", "Outgo"))
    else:
        return "The dividend snowball did not run."
    chart = ctx.money_chart("column", "Dividend snowball", "Year")
    chart.add_series(column_series("Net dividends", year, dividends, PALETTE["green"], 40))
    costs = ctx.book.add_chart({"type": "line"})
    _line(costs, "Expenses + interest − income", year, outgo, PALETTE["red"])
    chart.combine(costs)
    # labels at the bottom: the outgo line goes below zero when income exceeds the costs
    chart.set_x_axis(_axis("Year", interval_unit=10, interval_tick=10, label_position="low"))
    chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    _small(chart, "Dividend snowball")
    return chart


def trend_chart(ctx: ReportContext, r: DashboardResult):
    if r.trend_sentence:
        return r.trend_sentence
    frame = trend_frame(r)
    refs = ctx.data_block(frame, "Dashboard: trend over past runs")
    chart = ctx.money_chart("line", "Trend over past runs", "Valuation date")
    marker = {"type": "circle", "size": 5}
    dates = refs["Valuation date"].ref
    if frame["Net worth"].notna().any():
        dots = {**marker, "fill": {"color": PALETTE["blue"]}}
        _line(chart, "Net worth", dates, refs["Net worth"].ref, PALETTE["blue"], marker=dots)
    for name, color in (("Max LTV", PALETTE["orange"]), ("FIRE success", PALETTE["green"])):
        if frame[name].notna().any():
            dots = {**marker, "fill": {"color": color}}
            _line(chart, name, dates, refs[name].ref, color, y2_axis=True, marker=dots)
    chart.set_x_axis(_axis("Valuation date", num_font={"size": 7, "rotation": -45}))
    chart.set_y_axis(_axis(ctx.axis_money_title, ctx.axis_money_format))
    chart.set_y2_axis(_axis("LTV, FIRE success", PCT, min=0, max=1))
    _small(chart, "Trend over past runs")
    return chart


def trend_frame(result: DashboardResult) -> pd.DataFrame:
    """The trend chart's data: ISO dates as category text, figures as numbers."""
    t = result.trend
    return pd.DataFrame(
        {
            "Valuation date": [d.isoformat() for d in t["valuation_date"]],
            "Net worth": t["net_worth"].tolist(),
            "Max LTV": t["max_ltv"].tolist(),
            "FIRE success": t["fire_probability"].tolist(),
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
