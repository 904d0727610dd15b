"""The Stress Test sheet (SPEC §4 A2, §5): breaking points, the ladder, the scenario replay.

Lays out ``StressResult``; computes nothing. Publishes for later sheets (the A3 Defense
sheet draws the same liquidity picture): ``ctx.refs["stress.drawdown"]``,
``["stress.liquidity_correlated"]``, ``["stress.liquidity_orthogonal"]`` and
``["stress.ltv.<loan name>"]`` — the ladder columns on this sheet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.analyses.stress import StressResult, no_secured_headroom
from engine.i18n import T
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    line_series,
    open_sheet,
    place_chart,
    series_color,
    text,
    write_section,
    write_table,
    write_value,
    zone_formats,
)

THRESHOLD_STYLE = {
    "freeze": ("st.freeze", PALETTE["amber"]),
    "call": ("st.margin_call", PALETTE["orange"]),
    "liquidation": ("st.liquidation", PALETTE["red"]),
}
#: The LTV axis ends just above the highest LTV charted, but never above this: past it
#: every lender has long since sold, and the thresholds (60–100%) would shrink to a sliver.
#: A capped chart says so in its title.
LTV_AXIS_CAP = 5.0
HEADER_HEIGHT = 42
COLUMN_WIDTHS = ((0, 0, 26), (1, 20, 13))
CHART_W, CHART_H = 560, 330
BREAKING_POINTS_NOTE = "st.solved_exactly_on_the_collateral"
LADDER_NOTE = "st.defense_sources_cash_above_the"
REPLAY_NOTE = "st.each_row_falls_log_linearly"


def headline(r: StressResult) -> tuple[str, str]:
    """The defended breaking point in one sentence, and how to read it."""
    d = r.defended_breaking_point
    if not r.loan_names:
        return (
            T("st.no_securities_backed_loan_no"),
            "",
        )
    if d >= 1.0:
        return (
            T("st.defended_breaking_point_none_every"),
            T("st.cash_above_the_buffer_unsecured"),
        )
    return (
        T("st.defended_breaking_point_d_1", d=d),
        T("st.cures_are_paid_from_cash"),
    )


def liquidity_note(r: StressResult) -> str:
    """Why the correlated line of the liquidity chart lies flat on zero, when it does."""
    if not r.loan_names or not no_secured_headroom(r.liquidity):
        return ""
    return T("st.secured_headroom_is_0_at")


def _breaking_points(ws, r: StressResult, ctx: ReportContext, row: int) -> int:
    table = r.breaking_points.rename(
        columns={
            "loan": "st.secured_loan",
            "ltv": "st.ltv_today",
            "freeze_ltv": "st.freeze_ltv",
            "drawdown_to_freeze": "st.fall_to_freeze",
            "cure_at_freeze": "st.cure_at_freeze",
            "call_ltv": "st.margin_call_ltv",
            "drawdown_to_call": "st.fall_to_margin_call",
            "cure_at_call": "st.cure_at_margin_call",
            "liquidation_ltv": "st.liquidation_ltv",
            "drawdown_to_liquidation": "st.fall_to_liquidation",
            "cure_at_liquidation": "st.cure_at_liquidation",
        }
    )
    formats = {c: "pct" for c in table.columns if "ltv" in c or c.startswith("st.fall_")}
    formats.update({c: "money" for c in table.columns if c.startswith("st.cure_")})
    ws.set_row(row, HEADER_HEIGHT)
    write_table(ctx, ws, row, 0, table, formats)
    return row + len(table) + 1


def _ladder(ws, r: StressResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    wide = r.ladder_wide()
    columns = {"drawdown": "st.market_fall"}
    for name in r.loan_names:
        columns.update(
            {
                f"LTV {name}": T("st.ltv_name", name=name),
                f"Zone {name}": T("st.zone_name", name=name),
            }
        )
        columns[f"Cure {name}"] = T("st.cure_needed_name", name=name)
    columns.update(
        {
            "required_cure": "st.cure_needed_all_loans",
            "orthogonal": "st.cash_lines_after_cut_orthogonal",
            "unpledged_sales": "st.unpledged_assets_sold_net",
            "defense_sources": "st.defense_sources_total",
            "shortfall": "st.shortfall",
            "net_worth": "st.net_worth",
            "correlated": "st.secured_headroom_correlated",
        }
    )
    table = wide[list(columns)].rename(columns=columns)
    formats = {"st.market_fall": "pct"}
    for name, header in columns.items():
        if name.startswith("LTV"):
            formats[header] = "pct"
        elif not name.startswith("Zone") and name != "drawdown":
            formats[header] = "money"
    ws.set_row(row, HEADER_HEIGHT)
    refs = write_table(ctx, ws, row, 0, table, formats)
    zone_cols = [list(columns).index(f"Zone {n}") for n in r.loan_names]
    zone_formats(ws, ctx, row + 1, row + len(table), zone_cols)
    named = {key: refs[header] for key, header in columns.items()}
    return row + len(table) + 1, named


def _scenarios(ws, r: StressResult, ctx: ReportContext, row: int) -> int:
    headers = {
        "name": "st.scenario",
        "equity_drawdown": "st.equity_fall",
        "fx_change": "st.fx_change",
        "dividend_cut": "st.dividend_cut",
        "months_to_trough": "st.months_to_trough",
        "months_to_recover": "st.months_to_recover",
        "max_ltv": "st.max_ltv",
        "months_safe": "st.months_safe",
        "months_frozen": "st.months_frozen",
        "months_margin_call": "st.months_in_margin_call",
        "months_liquidation": "st.months_in_liquidation",
        "margin_call": "st.margin_call",
        "sale_under_call_amount": "st.sales_under_a_call",
        "liquidation_amount": "st.liquidations",
        "first_event_month": "st.first_call_or_liquidation_month",
        "forced_sale_amount": "st.forced_sales_both",
        "forced_sale_loss": "st.loss_crystallised",
        "min_liquidity": "st.lowest_liquidity",
        "survived": "st.survived",
        "net_worth_trough": "st.net_worth_at_trough",
        "net_worth_end": "st.net_worth_at_end",
    }
    table = r.replays[list(headers)].rename(columns=headers)
    pct = ("st.equity_fall", "st.fx_change", "st.dividend_cut", "st.max_ltv")
    money = ("st.sales_under_a_call", "st.liquidations", "st.forced_sales_both", "st.loss_crystallised",
             "st.lowest_liquidity")  # fmt: skip
    formats = {c: "pct" for c in pct} | {c: "money" for c in money}
    formats |= {"st.net_worth_at_trough": "money", "st.net_worth_at_end": "money"}
    formats |= {c: "integer" for c in table.columns if c.startswith("st.months_")}
    formats["st.first_call_or_liquidation_month"] = "integer"
    ws.set_row(row, HEADER_HEIGHT)
    write_table(ctx, ws, row, 0, table, formats)
    last = row + max(len(table), 1)
    col = list(table.columns).index("st.survived")
    good, bad = ctx.fmt.good, ctx.fmt.bad
    for value, fmt in ((T("common.yes"), good), (T("common.no"), bad)):
        ws.conditional_format(
            row + 1,
            col,
            last,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt},
        )
    return last + 1


def ltv_axis(highest: float, cap: float = LTV_AXIS_CAP) -> tuple[float, float, bool]:
    """``(axis maximum, major unit, capped)`` for an LTV axis whose highest value is
    ``highest`` (a fraction; thresholds included).

    The maximum is the next round step above it — 10% steps up to 100%, 50% steps up to
    300%, then 100% — and at least 100%; ``capped`` when ``highest`` is above ``cap`` and
    the axis ends there instead.
    """
    top = max(float(highest), 1.0) if np.isfinite(highest) else cap
    if top > cap:
        return cap, (0.5 if cap <= 3 else 1.0), True
    step = 0.1 if top <= 1.0 else 0.5 if top <= 3.0 else 1.0
    maximum = step * np.ceil(round(top / step, 9))
    unit = 0.2 if maximum <= 1.0 else 0.5 if maximum <= 3.0 else 1.0
    return float(maximum), unit, False


def _threshold_series(chart, refs_x, data_refs, key: str, label: str, color: str) -> None:
    chart.add_series(line_series(label, refs_x.ref, data_refs[key].ref, color, 1.25, "dash"))


def _ltv_chart(ws, r: StressResult, ctx: ReportContext, refs: dict, anchor: str) -> None:
    charted = [r.ladder_wide()[f"LTV {name}"] for name in r.loan_names]
    charted += [r.breaking_points[f"{key}_ltv"] for key in THRESHOLD_STYLE]
    values = pd.to_numeric(pd.concat(charted), errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    maximum, unit, capped = ltv_axis(float(values.max()) if values.size else 1.0)
    title = T("st.ltv_as_markets_fall")
    if capped:
        title += T("st.axis_cut_at_maximum_0", maximum=maximum)
    chart = ctx.chart("line", title, T("st.market_fall"), "LTV", PCT, x_format=PCT)
    thresholds = {}
    points = r.breaking_points.set_index("loan")
    for i, name in enumerate(r.loan_names):
        color, ltv = series_color(i), refs[f"LTV {name}"].ref
        dots = {"type": "circle", "size": 4, "fill": {"color": color}}
        chart.add_series(
            line_series(T("st.ltv_name", name=name), refs["drawdown"].ref, ltv, color, marker=dots)
        )
        for key in THRESHOLD_STYLE:
            level = points.loc[name, f"{key}_ltv"]
            if np.isfinite(level):
                thresholds[f"{T(THRESHOLD_STYLE[key][0])} {name}"] = (key, level)
    if thresholds:
        frame = pd.DataFrame({label: [lv] * len(r.ladder) for label, (_, lv) in thresholds.items()})
        data = ctx.data_block(frame, T("st.stress_test_thresholds"))
        for label, (key, _) in thresholds.items():
            text = label if len(r.loan_names) > 1 else THRESHOLD_STYLE[key][0]
            _threshold_series(chart, refs["drawdown"], data, label, text, THRESHOLD_STYLE[key][1])
    chart.set_y_axis(axis("LTV", PCT, gridlines=True, min=0, max=maximum, major_unit=unit))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _liquidity_chart(ws, r: StressResult, ctx: ReportContext, refs: dict, anchor: str) -> None:
    title = T("st.available_liquidity_as_markets_fall")
    chart = ctx.money_chart("line", title, T("st.market_fall"), x_format=PCT)
    for key, label, color in (
        ("orthogonal", T("st.orthogonal_cash_above_buffer_unsecured"), PALETTE["blue"]),
        ("correlated", T("st.correlated_secured_headroom"), PALETTE["orange"]),
    ):
        chart.add_series(line_series(label, refs["drawdown"].ref, refs[key].ref, color))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _scenario_frame(r: StressResult, column: str) -> pd.DataFrame:
    """Month by scenario (wide); months after a scenario's end stay blank."""
    wide = r.scenario_paths.pivot(index="month", columns="scenario", values=column)
    names = [n for n in r.replays["name"].tolist() if n in wide.columns]
    wide = wide.reindex(columns=names)
    wide.insert(0, "st.month", wide.index.to_numpy())
    return wide.reset_index(drop=True)


def _threshold_lines(chart, r: StressResult, ctx: ReportContext, last_month: int) -> None:
    """Dashed freeze / call / liquidation lines across a month-axis scatter chart."""
    point = r.breaking_points.iloc[0]
    frame = pd.DataFrame({"st.month": [0, last_month]})
    for key, (label, _) in THRESHOLD_STYLE.items():
        if np.isfinite(point[f"{key}_ltv"]):
            frame[label] = [point[f"{key}_ltv"]] * 2
    data = ctx.data_block(frame, "st.stress_test_thresholds_by_month")
    for label, color in THRESHOLD_STYLE.values():
        if label in data:
            _threshold_series(chart, data["st.month"], data, label, label, color)


def _scenario_chart(ws, r, ctx, column: str, title: str, y_title: str, y_format, anchor: str):
    frame = _scenario_frame(r, column)
    if frame.shape[1] <= 1:
        return
    data = ctx.data_block(frame, T("st.stress_test_title", title=text(title)))
    chart = ctx.chart(
        "scatter", title, "st.months_from_today", y_title, y_format, subtype="straight"
    )
    for i, name in enumerate(frame.columns[1:]):
        scenario = data[str(name)]  # its header cell holds the (user) name
        months = data["st.month"].ref
        chart.add_series(line_series(scenario.header, months, scenario.ref, series_color(i), 1.75))
    last_month = int(frame["st.month"].max())
    chart.set_x_axis(axis("st.months_from_today", "0", min=0, max=last_month, major_unit=12))
    if column == "ltv":
        if len(r.loan_names) == 1:  # one loan: its thresholds are the lines to watch
            _threshold_lines(chart, r, ctx, last_month)
        chart.set_y_axis({"name": y_title, "num_format": PCT, "min": 0, "name_font": {"size": 9}})
    chart.show_blanks_as("gap")
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


HISTORICAL_CRASHES_NOTE = "st.return_model_historical_after_the"

RATE_RISE_NOTE = "st.a_year_s_interest_on"


def _rate_rise(ws, r: StressResult, ctx: ReportContext, row: int) -> int:
    """Interest now and with rates 1 and 2 points higher, per loan and in total."""
    row = write_section(ctx, ws, row, T("st.if_interest_rates_rise"), RATE_RISE_NOTE)
    headers = {
        "name": T("st.loan"),
        "rate_type": T("st.rate_type"),
        "balance": T("st.drawn"),
        "interest": T("st.interest_a_year_now"),
        "interest_plus_1": T("st.interest_at_1_point"),
        "interest_plus_2": T("st.interest_at_2_points"),
    }
    table = r.rate_rise.rename(columns=headers)
    total = {headers["name"]: T("st.total"), headers["rate_type"]: ""}
    total |= {c: float(table[c].sum()) for c in list(headers.values())[2:]}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    money = {c: "money" for c in list(headers.values())[2:]}
    write_table(ctx, ws, row, 0, table, money)
    return row + len(table) + 2


def _first_column_width(r: StressResult) -> float:
    """Column A wide enough for the longest replay name (a historical crash is named by
    its series and dates, "US stocks 1929-09 → 1932-06 (−85%)"): 26 to 40 characters."""
    names = r.replays["name"] if "name" in r.replays else ()
    longest = max((len(str(name)) for name in names), default=0)
    return float(min(40, max(COLUMN_WIDTHS[0][2], longest + 2)))


def write(ws, result: StressResult, ctx: ReportContext) -> None:
    """Write the Stress Test sheet and publish the ladder columns in ``ctx.refs``."""
    r = result
    subtitle = T("st.how_far_can_markets_fall", currency=r.currency)
    widths = ((0, 0, _first_column_width(r)), *COLUMN_WIDTHS[1:])
    row = open_sheet(ctx, ws, T("st.stress_test"), subtitle, widths=widths, frozen_cols=1)
    sentence, reading = headline(r)
    ws.write_string(row, 0, sentence, ctx.book.add_format({"bold": True, "font_size": 12}))
    if reading:
        ws.write_string(row + 1, 0, reading, ctx.fmt.note)
    row += 3
    if r.loan_names:
        row = write_section(ctx, ws, row, T("st.breaking_points"), BREAKING_POINTS_NOTE)
        row = _breaking_points(ws, r, ctx, row) + 1
    row = write_section(ctx, ws, row, T("st.drawdown_ladder_step_step_0", step=r.step), LADDER_NOTE)
    row, refs = _ladder(ws, r, ctx, row)
    note = liquidity_note(r)
    if note:
        ws.write_string(row, 0, note, ctx.fmt.note)
    ctx.refs["stress.drawdown"] = refs["drawdown"]
    ctx.refs["stress.liquidity_correlated"] = refs["correlated"]
    ctx.refs["stress.liquidity_orthogonal"] = refs["orthogonal"]
    for name in r.loan_names:
        ctx.refs[f"stress.ltv.{name}"] = refs[f"LTV {name}"]

    row += 1
    if r.loan_names:
        _ltv_chart(ws, r, ctx, refs, f"A{row + 1}")
    _liquidity_chart(ws, r, ctx, refs, f"{'F' if r.loan_names else 'A'}{row + 1}")
    row += 19
    ws.set_h_pagebreaks([row])  # the replay starts a printed page
    if not r.rate_rise.empty:
        row = _rate_rise(ws, r, ctx, row)
    row = write_section(ctx, ws, row, T("st.historical_scenarios_replayed_month_by"), REPLAY_NOTE)
    if not r.historical_crashes.empty:
        ws.write_string(row, 0, T(HISTORICAL_CRASHES_NOTE), ctx.fmt.note)
        row += 1
    if r.replays.empty:
        write_value(ws, row, 0, T("st.no_scenarios_in_the_input"), ctx.fmt.note)
        row += 2
    else:
        row = _scenarios(ws, r, ctx, row) + 1
        if r.loan_names:
            _scenario_chart(
                ws,
                r,
                ctx,
                "ltv",
                T("st.ltv_path_per_scenario"),
                T("st.ltv_highest_loan"),
                PCT,
                f"A{row + 1}",
            )
        _scenario_chart(
            ws,
            r,
            ctx,
            "net_worth",
            T("st.net_worth_per_scenario"),
            ctx.axis_money_title,
            ctx.axis_money_format,
            f"{'F' if r.loan_names else 'A'}{row + 1}",
        )
