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
from engine.report.common import PALETTE, PCT, ReportContext

CHART_ROWS = 14  # rows of default height (20 px) the band occupies
CHART_HEIGHT = CHART_ROWS * 20 - 4
SLOTS = 5
CLASS_COLORS = ("#1F4E79", "#00838F", "#6A3D9A", "#8D6E63", "#5B9BD5", "#9E9D24", "#AD1457")
FAN_KEYS = ("monte_carlo.fan.year", "monte_carlo.fan.p10", "monte_carlo.fan.p50")
FAN_KEYS += ("monte_carlo.fan.p90",)
SNOWBALL_KEYS = ("snowball.year", "snowball.dividends_net", "snowball.outgo")
SMALL = {"size": 8}


def _column_px(width: float) -> int:
    """Pixel width of a column of ``width`` characters (Excel's default font)."""
    return int(width * 7 + 0.5) + 5


def _small(chart, title: str) -> None:
    """Small fonts for a chart in the band (the title is set again: set_title replaces)."""
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_title({"name": title, "name_font": {"size": 9, "bold": True}})


def _axis(name: str, fmt: str | None = None, **kw) -> dict:
    axis = {"name": name, "name_font": {"size": 8, "bold": False}, "num_font": {"size": 7}}
    if fmt:
        axis["num_format"] = fmt
    axis.update(kw)
    return axis


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
            "points": [
                {"fill": {"color": CLASS_COLORS[i % len(CLASS_COLORS)]}} for i in range(len(frame))
            ],
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
    chart.add_series(
        {
            "name": "LTV today",
            "categories": refs["Loan"].ref,
            "values": refs["LTV today"].ref,
            "fill": {"color": PALETTE["blue"]},
            "gap": 120,
            "data_labels": {"value": True, "num_format": "0.0%", "font": {"size": 7}},
        }
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


def _line(chart, name, categories, values, color, **kw) -> None:
    chart.add_series(
        {
            "name": name,
            "categories": categories,
            "values": values,
            "line": {"color": color, "width": 1.5, **kw.pop("line", {})},
            "marker": kw.pop("marker", {"type": "none"}),
            **kw,
        }
    )


def monte_carlo_chart(ctx: ReportContext, r: DashboardResult):
    title = "Monte Carlo: real net worth"
    if all(k in ctx.refs for k in FAN_KEYS):
        year, p10, p50, p90 = (ctx.refs[k] for k in FAN_KEYS)
        chart = ctx.chart(
            "line",
            title,
            "Year",
            ctx.axis_money_title,
            ctx.axis_money_format,
        )
        _line(chart, "90th percentile", year.ref, p90.ref, PALETTE["green"])
        _line(chart, "Median", year.ref, p50.ref, PALETTE["blue"], line={"width": 2.25})
        _line(chart, "10th percentile", year.ref, p10.ref, PALETTE["red"])
    elif not r.fan.empty and r.fan["p50"].notna().any():
        refs = ctx.data_block(
            r.fan.rename(columns={"year": "Year"}), "Dashboard: Monte Carlo real net worth"
        )
        chart = ctx.chart("line", title, "Year", ctx.axis_money_title, ctx.axis_money_format)
        _line(chart, "90th percentile", refs["Year"].ref, refs["p90"].ref, PALETTE["green"])
        _line(
            chart,
            "Median",
            refs["Year"].ref,
            refs["p50"].ref,
            PALETTE["blue"],
            line={"width": 2.25},
        )
        _line(chart, "10th percentile", refs["Year"].ref, refs["p10"].ref, PALETTE["red"])
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
    chart = ctx.chart(
        "column", "Dividend snowball", "Year", ctx.axis_money_title, ctx.axis_money_format
    )
    chart.add_series(
        {
            "name": "Net dividends",
            "categories": year,
            "values": dividends,
            "fill": {"color": PALETTE["green"]},
            "gap": 40,
        }
    )
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
    chart = ctx.chart(
        "line",
        "Trend over past runs",
        "Valuation date",
        ctx.axis_money_title,
        ctx.axis_money_format,
    )
    marker = {"type": "circle", "size": 5}
    dates = refs["Valuation date"].ref
    if frame["Net worth"].notna().any():
        _line(
            chart,
            "Net worth",
            dates,
            refs["Net worth"].ref,
            PALETTE["blue"],
            marker={**marker, "fill": {"color": PALETTE["blue"]}},
        )
    for name, color in (("Max LTV", PALETTE["orange"]), ("FIRE success", PALETTE["green"])):
        if frame[name].notna().any():
            _line(
                chart,
                name,
                dates,
                refs[name].ref,
                color,
                y2_axis=True,
                marker={**marker, "fill": {"color": color}},
            )
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
        made.set_size({"width": slot_px - 6, "height": CHART_HEIGHT})
        made.set_chartarea({"border": {"color": "#BFBFBF"}})
        ws.insert_chart(row, col, made, {"x_offset": 3, "y_offset": 2, "object_position": 1})
