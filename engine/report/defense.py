"""The Defense sheet (SPEC §4 A3, §5): the recommended line, structures, cure plans.

Every number comes from ``DefenseResult``; this module only lays it out. Charts:
survivable drawdown by structure (bar), the cure plan by source per drawdown
(stacked columns) and the key insight — liquidity by drawdown, correlated versus
orthogonal — drawn from the Stress Test sheet's own cells when it published them
(``ctx.refs["stress.*"]``), else from A2's result through the chart-data sheet.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from engine.analyses.cure_plan import DEFENDED, PLEDGED, SAFE, STANDING, UNAVOIDABLE
from engine.analyses.defense import DefenseResult
from engine.analyses.stress import no_secured_headroom
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
    write_section,
    write_table,
    zone_formats,
)

STATUS_COLORS = {
    SAFE: (PALETTE["light_green"], "#1B5E20"),
    DEFENDED: (PALETTE["light_blue"], "#1F3864"),
    STANDING: (PALETTE["light_amber"], "#7A5C00"),
    PLEDGED: ("#FFD8A8", "#7A3E00"),
    UNAVOIDABLE: (PALETTE["light_red"], "#8B0000"),
}
STRUCTURE_COLORS = {
    "current": PALETTE["blue"],
    "no_line": PALETTE["grey"],
    "correlated": PALETTE["red"],
    "recommended": PALETTE["green"],
}
STRUCTURE_HEADERS = {
    "name": "Structure",
    "line_limit": "Unsecured line limit",
    "secured_limit": "Secured loan limits",
    "survivable_drawdown": "Survivable drawdown",
    "annual_standby_cost": "Standby cost per year",
    "note": "Note",
}
STRUCTURE_FORMATS = {
    "Unsecured line limit": "money",
    "Secured loan limits": "money",
    "Survivable drawdown": "pct",
    "Standby cost per year": "money",
    "Note": "aside",
}
CHART_ROW = 12  # charts sit between the structure table and the plan table
CHART_HEIGHT = 320
PLAN_NOTE = (
    "Amounts used at each uniform fall to bring every secured loan back to its freeze LTV "
    "(or keep it below liquidation). Annual cost = line interest + forgone net dividends "
    "+ the one-off selling cost and capital-gains tax of the sales."
)


def _recommendation(ws, r: DefenseResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, "Recommended standby line")
    ws.write_string(row, 0, r.recommendation, ctx.fmt.bold)
    facts = [
        f"Target: survive a {r.target_drawdown:.0%} fall in every asset class (× stress beta)."
    ]
    if r.current_line_limit > 0:
        facts.append(
            f"Your unsecured lines today: {money_words(r.current_line_limit, r.currency)}."
        )
    if r.fee_assumed and r.recommended_line_limit:
        facts.append(
            f"No line in the workbook: fee assumed at {r.recommended_fee:.2%} a year of the "
            "undrawn limit."
        )
    ws.write_string(row + 1, 0, " ".join(facts), ctx.fmt.note)
    return row + 3


def _structures(ws, r: DefenseResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    row = write_section(ctx, ws, row, "Structure comparison")
    table = r.structures[list(STRUCTURE_HEADERS)].rename(columns=STRUCTURE_HEADERS)
    refs = write_table(ctx, ws, row, 0, table, STRUCTURE_FORMATS)
    ws.set_row(row, 28)  # wrapped headers
    return row + len(table) + 2, refs


def _plan_table(ws, r: DefenseResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    row = write_section(ctx, ws, row, "Cheapest cure plan by drawdown", PLAN_NOTE)
    table = r.plan_table
    formats: dict[str, str] = {}
    for name in table.columns:
        if name == "Drawdown" or name.startswith("LTV after"):
            formats[name] = "pct"
        elif name != "Status" and not name.startswith("Zone"):
            formats[name] = "money"
    refs = write_table(ctx, ws, row, 0, table, formats)
    ws.set_row(row, 42)  # headers wrapped on up to three lines ("Zone after: <loan>")
    first, last = row + 1, row + max(len(table), 1)
    zone_cols = [k for k, name in enumerate(table.columns) if name.startswith("Zone")]
    zone_formats(ws, ctx, first, last, zone_cols)  # before the status rows' colour
    status_col = _col_letter(list(table.columns).index("Status"))
    for status, (fill, font) in STATUS_COLORS.items():
        ws.conditional_format(
            first,
            0,
            last,
            len(table.columns) - 1,
            {
                "type": "formula",
                "criteria": f'=${status_col}{first + 1}="{status}"',
                "format": ctx.book.add_format({"bg_color": fill, "font_color": font}),
            },
        )
    return last + 2, refs


def _place(ws, chart, anchor: tuple[int, int, int], width: int) -> None:
    """Charts in a row: ``anchor`` is (row, col, x offset), a little below the row's top."""
    row, col, x_offset = anchor
    place_chart(ws, (row, col), chart, width, CHART_HEIGHT, x_offset=x_offset, y_offset=4)


def _col_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _structure_chart(ws, r: DefenseResult, ctx: ReportContext, refs: dict, anchor) -> None:
    # In a bar chart the x axis is the horizontal value axis, y the category axis.
    chart = ctx.chart(
        "bar", "Survivable drawdown by structure", "Survivable market fall", "Structure"
    )
    keys = r.structures["key"].tolist()
    chart.add_series(
        {
            "name": "Survivable drawdown",
            "categories": refs["Structure"].ref,
            "values": refs["Survivable drawdown"].ref,
            "points": [{"fill": {"color": STRUCTURE_COLORS.get(k, PALETTE["blue"])}} for k in keys],
            "data_labels": {"value": True, "num_format": "0.0%"},
            "gap": 60,
        }
    )
    fall = axis("Survivable market fall", PCT, gridlines=True, min=0, max=1, major_unit=0.2)
    chart.set_x_axis(fall)
    chart.set_y_axis(
        {
            "name": "Structure",
            "reverse": True,
            "crossing": "max",  # keeps the value axis at the bottom
            "name_font": {"size": 9, "bold": False},
        }
    )
    chart.set_legend({"none": True})
    _place(ws, chart, anchor, 400)


def _plan_chart(ws, r: DefenseResult, ctx: ReportContext, refs: dict, anchor) -> None:
    title = "Cheapest cure plan by source"
    chart = ctx.money_chart("column", title, "Market fall", subtype="stacked", x_format=PCT)
    sources = ["Cash"] + [c for c in r.plan_table.columns if c.startswith("Draw: ")]
    sources += ["Unpledged sales"]
    sources += [c for c in r.plan_table.columns if c.startswith("Pledged sales: ")]
    colors = [PALETTE["green"], PALETTE["blue"], "#5B9BD5", "#00838F", PALETTE["purple"]]
    falls = refs["Drawdown"].ref
    for i, name in enumerate(sources):
        if name.startswith("Pledged sales"):
            color = PALETTE["red"] if i % 2 else PALETTE["orange"]
        else:
            color = colors[min(i, len(colors) - 1)] if name != "Unpledged sales" else "#8D6E63"
        chart.add_series(column_series(name, falls, refs[name].ref, color, 40, "#FFFFFF"))
    _place(ws, chart, anchor, 520)


def _liquidity_refs(r: DefenseResult, ctx: ReportContext) -> dict[str, Any] | None:
    """The Stress Test sheet's cells when published; else A2's data on the chart sheet."""
    keys = ("stress.drawdown", "stress.liquidity_correlated", "stress.liquidity_orthogonal")
    if all(k in ctx.refs for k in keys):
        return dict(
            zip(("drawdown", "correlated", "orthogonal"), (ctx.refs[k] for k in keys), strict=True)
        )
    frame = r.liquidity
    if frame is None:
        stress = ctx.results.get("stress") if ctx.results else None
        frame = getattr(stress, "liquidity", None)
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return None
    columns = ["drawdown", "correlated", "orthogonal"]
    return ctx.data_block(frame[columns], "Defense: liquidity by drawdown (from the stress test)")


def _no_secured_headroom(r: DefenseResult) -> bool:
    return r.liquidity is not None and no_secured_headroom(r.liquidity)


def _liquidity_chart(ws, r: DefenseResult, ctx: ReportContext, anchor) -> bool:
    refs = _liquidity_refs(r, ctx)
    if refs is None:
        return False
    flat = _no_secured_headroom(r)
    title = "Liquidity when you need it: correlated vs orthogonal"
    chart = ctx.money_chart("line", title, "Market fall", x_format=PCT)
    for key, name, color in (
        ("orthogonal", "Orthogonal: cash + unsecured lines", PALETTE["green"]),
        (
            "correlated",
            "Correlated: secured headroom" + (" (zero at every fall)" if flat else ""),
            PALETTE["red"],
        ),
    ):
        chart.add_series(line_series(name, refs["drawdown"].ref, refs[key].ref, color))
    _place(ws, chart, anchor, 520)
    return True


def write(ws, result: DefenseResult, ctx: ReportContext) -> None:
    """Write the Defense sheet."""
    r = result
    subtitle = (
        f"The cheapest way to defend each market fall, and the standby line to hold. "
        f"In {r.currency}."
    )
    widths = (
        (0, 0, 40),
        (1, max(8, len(r.plan_table.columns)), 17),
        (1, 1, 22),  # structure limits / plan status
        (5, 5, 22),
    )
    row = open_sheet(ctx, ws, "Layered defense", subtitle, widths=widths, frozen_cols=0)
    row = _recommendation(ws, r, ctx, row)
    row, structure_refs = _structures(ws, r, ctx, row)
    chart_row = max(row, CHART_ROW)
    plan_row = chart_row + 17
    _, plan_refs = _plan_table(ws, r, ctx, plan_row)
    _structure_chart(ws, r, ctx, structure_refs, (chart_row, 0, 0))
    _plan_chart(ws, r, ctx, plan_refs, (chart_row, 2, 10))
    has_liquidity = _liquidity_chart(ws, r, ctx, (chart_row, 6, 10))

    notes_row = plan_row + len(r.plan_table) + 3
    notes = list(r.notes)
    notes.append(
        "The liquidity chart is the idea in one picture: secured headroom shrinks as prices "
        "fall, exactly when it is needed; cash and an unsecured line stay put."
        if has_liquidity
        else "Liquidity by drawdown (correlated vs orthogonal) needs the stress test, which did not run."
    )
    if has_liquidity and _no_secured_headroom(r):
        notes.append(
            "Here the secured headroom is zero at every fall (the secured loans are drawn to "
            "their limit, or already at freeze), so the red line lies on the axis and only "
            "cash and the unsecured lines are left to draw."
        )
    notes.append("Costs leave out the price growth the sold assets would have had (not modelled).")
    notes_row = write_section(ctx, ws, notes_row, "How to read this sheet")
    for i, note in enumerate(notes):
        ws.write_string(notes_row + i, 0, note, ctx.fmt.note)
