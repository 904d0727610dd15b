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
from engine.i18n import T
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
    zone_label,
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
    "name": "df.structure",
    "line_limit": "df.unsecured_line_limit",
    "secured_limit": "df.secured_loan_limits",
    "survivable_drawdown": "df.survivable_drawdown",
    "annual_standby_cost": "df.standby_cost_per_year",
    "note": "df.note",
}
STRUCTURE_FORMATS = {
    "df.unsecured_line_limit": "money",
    "df.secured_loan_limits": "money",
    "df.survivable_drawdown": "pct",
    "df.standby_cost_per_year": "money",
    "df.note": "aside",
}
CHART_ROW = 12  # charts sit between the structure table and the plan table
CHART_HEIGHT = 320
PLAN_NOTE = "df.amounts_used_at_each_uniform"


def _recommendation(ws, r: DefenseResult, ctx: ReportContext, row: int) -> int:
    row = write_section(ctx, ws, row, T("df.recommended_standby_line"))
    ws.write_string(row, 0, r.recommendation, ctx.fmt.bold)
    facts = [T("df.target_survive_a_target_drawdown", target_drawdown=r.target_drawdown)]
    if r.current_line_limit > 0:
        facts.append(
            T(
                "df.your_unsecured_lines_today_current",
                current_line_limit=money_words(r.current_line_limit, r.currency),
            )
        )
    if r.fee_assumed and r.recommended_line_limit:
        facts.append(T("df.no_line_in_the_workbook", recommended_fee=r.recommended_fee))
    ws.write_string(row + 1, 0, " ".join(facts), ctx.fmt.note)
    return row + 3


def _structures(ws, r: DefenseResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    row = write_section(ctx, ws, row, T("df.structure_comparison"))
    table = r.structures.copy()
    table["name"] = [T(STRUCTURE_KEYS[k]) if k in STRUCTURE_KEYS else n
                     for k, n in zip(table["key"], table["name"], strict=True)]  # fmt: skip
    table = table[list(STRUCTURE_HEADERS)].rename(columns=STRUCTURE_HEADERS)
    refs = write_table(ctx, ws, row, 0, table, STRUCTURE_FORMATS)
    ws.set_row(row, 28)  # wrapped headers
    return row + len(table) + 2, refs


#: The cure-plan table's columns (``engine.analyses.defense.plan_table``) and the key of
#: each one's header; a column named after a loan or line has the prefix and that name.
PLAN_COLUMNS = {
    "Drawdown": "df.col_drawdown",
    "Status": "df.col_status",
    "Cash": "df.col_cash",
    "Unpledged sales": "df.col_unpledged_sales",
    "Annual cost": "df.col_annual_cost",
    "Shortfall": "df.col_shortfall",
}
PLAN_PREFIXES = {
    "Draw: ": "df.col_draw",
    "Pledged sales: ": "df.col_pledged_sales",
    "Zone after: ": "df.col_zone_after",
    "Zone: ": "df.col_zone",
    "LTV after: ": "df.col_ltv_after",
}
#: A plan's status (``engine.analyses.cure_plan.STATUSES``) and the key of its words.
STATUS_KEYS = {
    SAFE: "df.status_safe",
    DEFENDED: "df.status_defended",
    STANDING: "df.status_standing",
    PLEDGED: "df.status_pledged",
    UNAVOIDABLE: "df.status_unavoidable",
}
#: A structure (``key`` of ``DefenseResult.structures``) and the key of its name.
STRUCTURE_KEYS = {
    "current": "df.structure_current",
    "no_line": "df.structure_no_line",
    "correlated": "df.structure_correlated",
    "recommended": "df.structure_recommended",
}


def plan_header(column: str) -> str:
    """The header of a cure-plan column in the language in force."""
    if column in PLAN_COLUMNS:
        return T(PLAN_COLUMNS[column])
    for prefix, key in PLAN_PREFIXES.items():
        if column.startswith(prefix):
            return T(key, name=column[len(prefix) :])
    return column


def status_words(status: str) -> str:
    return T(STATUS_KEYS[status]) if status in STATUS_KEYS else status


def _plan_table(ws, r: DefenseResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    row = write_section(ctx, ws, row, T("df.cheapest_cure_plan_by_drawdown"), PLAN_NOTE)
    table = r.plan_table.copy()
    zones = [name for name in table.columns if name.startswith("Zone")]
    for name in zones:
        table[name] = [zone_label(z) if isinstance(z, str) else z for z in table[name]]
    if "Status" in table:
        table["Status"] = [status_words(s) for s in table["Status"]]
    formats: dict[str, str] = {}
    for name in table.columns:
        if name == "Drawdown" or name.startswith("LTV after"):
            formats[plan_header(name)] = "pct"
        elif name != "Status" and not name.startswith("Zone"):
            formats[plan_header(name)] = "money"
    shown = table.rename(columns={name: plan_header(name) for name in table.columns})
    written = write_table(ctx, ws, row, 0, shown, formats)
    refs = {name: written[plan_header(name)] for name in table.columns}
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
                "criteria": f'=${status_col}{first + 1}="{status_words(status)}"',
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
        "bar",
        T("df.survivable_drawdown_by_structure"),
        T("df.survivable_market_fall"),
        T("df.structure"),
    )
    keys = r.structures["key"].tolist()
    chart.add_series(
        {
            "name": T("df.survivable_drawdown"),
            "categories": refs["df.structure"].ref,
            "values": refs["df.survivable_drawdown"].ref,
            "points": [{"fill": {"color": STRUCTURE_COLORS.get(k, PALETTE["blue"])}} for k in keys],
            "data_labels": {"value": True, "num_format": "0.0%"},
            "gap": 60,
        }
    )
    fall = axis(T("df.survivable_market_fall"), PCT, gridlines=True, min=0, max=1, major_unit=0.2)
    chart.set_x_axis(fall)
    chart.set_y_axis(
        {
            "name": T("df.structure"),
            "reverse": True,
            "crossing": "max",  # keeps the value axis at the bottom
            "name_font": {"size": 9, "bold": False},
        }
    )
    chart.set_legend({"none": True})
    _place(ws, chart, anchor, 400)


def _plan_chart(ws, r: DefenseResult, ctx: ReportContext, refs: dict, anchor) -> None:
    title = T("df.cheapest_cure_plan_by_source")
    chart = ctx.money_chart("column", title, T("df.market_fall"), subtype="stacked", x_format=PCT)
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
        label = plan_header(name)
        chart.add_series(column_series(label, falls, refs[name].ref, color, 40, "#FFFFFF"))
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
    return ctx.data_block(frame[columns], T("df.defense_liquidity_by_drawdown_from"))


def _no_secured_headroom(r: DefenseResult) -> bool:
    return r.liquidity is not None and no_secured_headroom(r.liquidity)


def _liquidity_chart(ws, r: DefenseResult, ctx: ReportContext, anchor) -> bool:
    refs = _liquidity_refs(r, ctx)
    if refs is None:
        return False
    flat = _no_secured_headroom(r)
    title = T("df.liquidity_when_you_need_it")
    chart = ctx.money_chart("line", title, T("df.market_fall"), x_format=PCT)
    for key, name, color in (
        ("orthogonal", T("df.orthogonal_cash_unsecured_lines"), PALETTE["green"]),
        (
            "correlated",
            T("df.correlated_secured_headroom") + (T("df.zero_at_every_fall") if flat else ""),
            PALETTE["red"],
        ),
    ):
        chart.add_series(line_series(name, refs["drawdown"].ref, refs[key].ref, color))
    _place(ws, chart, anchor, 520)
    return True


def write(ws, result: DefenseResult, ctx: ReportContext) -> None:
    """Write the Defense sheet."""
    r = result
    subtitle = T("df.the_cheapest_way_to_defend", currency=r.currency)
    widths = (
        (0, 0, 40),
        (1, max(8, len(r.plan_table.columns)), 17),
        (1, 1, 22),  # structure limits / plan status
        (5, 5, 22),
    )
    row = open_sheet(ctx, ws, T("df.layered_defense"), subtitle, widths=widths, frozen_cols=0)
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
        T("df.the_liquidity_chart_is_the")
        if has_liquidity
        else T("df.liquidity_by_drawdown_correlated_vs")
    )
    if has_liquidity and _no_secured_headroom(r):
        notes.append(T("df.here_the_secured_headroom_is"))
    notes.append(T("df.costs_leave_out_the_price"))
    notes_row = write_section(ctx, ws, notes_row, T("df.how_to_read_this_sheet"))
    for i, note in enumerate(notes):
        ws.write_string(notes_row + i, 0, note, ctx.fmt.note)
