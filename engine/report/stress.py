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
from engine.report.common import (
    PALETTE,
    PCT,
    ReportContext,
    axis,
    line_series,
    open_sheet,
    place_chart,
    series_color,
    write_section,
    write_table,
    write_value,
    zone_formats,
)

THRESHOLD_STYLE = {
    "freeze": ("Freeze", PALETTE["amber"]),
    "call": ("Margin call", PALETTE["orange"]),
    "liquidation": ("Liquidation", PALETTE["red"]),
}
#: The LTV axis ends just above the highest LTV charted, but never above this: past it
#: every lender has long since sold, and the thresholds (60–100%) would shrink to a sliver.
#: A capped chart says so in its title.
LTV_AXIS_CAP = 5.0
HEADER_HEIGHT = 42
COLUMN_WIDTHS = ((0, 0, 26), (1, 20, 13))
CHART_W, CHART_H = 560, 330
BREAKING_POINTS_NOTE = (
    "Solved exactly on the collateral. Cure: cash that brings the LTV back to freeze."
)
LADDER_NOTE = (
    "Defense sources = cash above the buffer + unsecured lines after their crisis cut "
    "(orthogonal) + unpledged assets sold at that fall, less the selling cost. "
    "Shortfall = cure needed − sources."
)
REPLAY_NOTE = (
    "Each row falls log-linearly to its trough and recovers, through the same month step "
    "as the Monte Carlo. Loss crystallised: what the force-sold assets would be worth at "
    "the end minus what the sale raised (negative: prices kept falling after the sale)."
)


def headline(r: StressResult) -> tuple[str, str]:
    """The defended breaking point in one sentence, and how to read it."""
    d = r.defended_breaking_point
    if not r.loan_names:
        return (
            "No securities-backed loan: no lender can freeze, call or liquidate anything.",
            "",
        )
    if d >= 1.0:
        return (
            "Defended breaking point: none — every secured loan stays defended or standing "
            "even if markets fall to zero.",
            "Cash above the buffer, unsecured lines and unpledged assets cover every cure.",
        )
    return (
        f"Defended breaking point: {d:.1%} — your structure survives any market fall smaller "
        f"than {d:.1%} without selling pledged collateral.",
        "Cures are paid from cash above the buffer, unsecured lines after their crisis cut and "
        "unpledged assets; a loan without a call stage may instead stand frozen below "
        "liquidation.",
    )


def liquidity_note(r: StressResult) -> str:
    """Why the correlated line of the liquidity chart lies flat on zero, when it does."""
    if not r.loan_names or not no_secured_headroom(r.liquidity):
        return ""
    return (
        "Secured headroom is 0 at every market fall: the securities-backed loans are drawn to "
        "their limit (or past freeze) today, so the collateral lends nothing more as markets "
        "fall; only cash and unsecured lines (orthogonal) are there when needed."
    )


def _breaking_points(ws, r: StressResult, ctx: ReportContext, row: int) -> int:
    table = r.breaking_points.rename(
        columns={
            "loan": "Secured loan",
            "ltv": "LTV today",
            "freeze_ltv": "Freeze LTV",
            "drawdown_to_freeze": "Fall to freeze",
            "cure_at_freeze": "Cure at freeze",
            "call_ltv": "Margin call LTV",
            "drawdown_to_call": "Fall to margin call",
            "cure_at_call": "Cure at margin call",
            "liquidation_ltv": "Liquidation LTV",
            "drawdown_to_liquidation": "Fall to liquidation",
            "cure_at_liquidation": "Cure at liquidation",
        }
    )
    formats = {c: "pct" for c in table.columns if "LTV" in c or c.startswith("Fall")}
    formats.update({c: "money" for c in table.columns if c.startswith("Cure")})
    ws.set_row(row, HEADER_HEIGHT)
    write_table(ctx, ws, row, 0, table, formats)
    return row + len(table) + 1


def _ladder(ws, r: StressResult, ctx: ReportContext, row: int) -> tuple[int, dict]:
    wide = r.ladder_wide()
    columns = {"drawdown": "Market fall"}
    for name in r.loan_names:
        columns.update({f"LTV {name}": f"LTV: {name}", f"Zone {name}": f"Zone: {name}"})
        columns[f"Cure {name}"] = f"Cure needed: {name}"
    columns.update(
        {
            "required_cure": "Cure needed (all loans)",
            "orthogonal": "Cash + lines after cut (orthogonal)",
            "unpledged_sales": "Unpledged assets sold (net)",
            "defense_sources": "Defense sources (total)",
            "shortfall": "Shortfall",
            "net_worth": "Net worth",
            "correlated": "Secured headroom (correlated)",
        }
    )
    table = wide[list(columns)].rename(columns=columns)
    formats = {"Market fall": "pct"}
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
        "name": "Scenario",
        "equity_drawdown": "Equity fall",
        "fx_change": "FX change",
        "dividend_cut": "Dividend cut",
        "months_to_trough": "Months to trough",
        "months_to_recover": "Months to recover",
        "max_ltv": "Max LTV",
        "months_safe": "Months safe",
        "months_frozen": "Months frozen",
        "months_margin_call": "Months in margin call",
        "months_liquidation": "Months in liquidation",
        "margin_call": "Margin call",
        "sale_under_call_amount": "Sales under a call",
        "liquidation_amount": "Liquidations",
        "first_event_month": "First call or liquidation (month)",
        "forced_sale_amount": "Forced sales (both)",
        "forced_sale_loss": "Loss crystallised",
        "min_liquidity": "Lowest liquidity",
        "survived": "Survived",
        "net_worth_trough": "Net worth at trough",
        "net_worth_end": "Net worth at end",
    }
    table = r.replays[list(headers)].rename(columns=headers)
    pct = ("Equity fall", "FX change", "Dividend cut", "Max LTV")
    money = ("Sales under a call", "Liquidations", "Forced sales (both)", "Loss crystallised",
             "Lowest liquidity")  # fmt: skip
    formats = {c: "pct" for c in pct} | {c: "money" for c in money}
    formats |= {"Net worth at trough": "money", "Net worth at end": "money"}
    formats |= {c: "integer" for c in table.columns if c.startswith("Months")}
    formats["First call or liquidation (month)"] = "integer"
    ws.set_row(row, HEADER_HEIGHT)
    write_table(ctx, ws, row, 0, table, formats)
    last = row + max(len(table), 1)
    col = list(table.columns).index("Survived")
    good, bad = ctx.fmt.good, ctx.fmt.bad
    for value, fmt in (("Yes", good), ("No", bad)):
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
    title = "LTV as markets fall"
    if capped:
        title += f" (axis cut at {maximum:.0%})"
    chart = ctx.chart("line", title, "Market fall", "LTV", PCT, x_format=PCT)
    thresholds = {}
    points = r.breaking_points.set_index("loan")
    for i, name in enumerate(r.loan_names):
        color, ltv = series_color(i), refs[f"LTV {name}"].ref
        dots = {"type": "circle", "size": 4, "fill": {"color": color}}
        chart.add_series(line_series(f"LTV: {name}", refs["drawdown"].ref, ltv, color, marker=dots))
        for key in THRESHOLD_STYLE:
            level = points.loc[name, f"{key}_ltv"]
            if np.isfinite(level):
                thresholds[f"{THRESHOLD_STYLE[key][0]} {name}"] = (key, level)
    if thresholds:
        frame = pd.DataFrame({label: [lv] * len(r.ladder) for label, (_, lv) in thresholds.items()})
        data = ctx.data_block(frame, "Stress Test: thresholds")
        for label, (key, _) in thresholds.items():
            text = label if len(r.loan_names) > 1 else THRESHOLD_STYLE[key][0]
            _threshold_series(chart, refs["drawdown"], data, label, text, THRESHOLD_STYLE[key][1])
    chart.set_y_axis(axis("LTV", PCT, gridlines=True, min=0, max=maximum, major_unit=unit))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _liquidity_chart(ws, r: StressResult, ctx: ReportContext, refs: dict, anchor: str) -> None:
    title = "Available liquidity as markets fall"
    chart = ctx.money_chart("line", title, "Market fall", x_format=PCT)
    for key, label, color in (
        ("orthogonal", "Orthogonal: cash above buffer + unsecured lines", PALETTE["blue"]),
        ("correlated", "Correlated: secured headroom", PALETTE["orange"]),
    ):
        chart.add_series(line_series(label, refs["drawdown"].ref, refs[key].ref, color))
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


def _scenario_frame(r: StressResult, column: str) -> pd.DataFrame:
    """Month by scenario (wide); months after a scenario's end stay blank."""
    wide = r.scenario_paths.pivot(index="month", columns="scenario", values=column)
    names = [n for n in r.replays["name"].tolist() if n in wide.columns]
    wide = wide.reindex(columns=names)
    wide.insert(0, "Month", wide.index.to_numpy())
    return wide.reset_index(drop=True)


def _threshold_lines(chart, r: StressResult, ctx: ReportContext, last_month: int) -> None:
    """Dashed freeze / call / liquidation lines across a month-axis scatter chart."""
    point = r.breaking_points.iloc[0]
    frame = pd.DataFrame({"Month": [0, last_month]})
    for key, (label, _) in THRESHOLD_STYLE.items():
        if np.isfinite(point[f"{key}_ltv"]):
            frame[label] = [point[f"{key}_ltv"]] * 2
    data = ctx.data_block(frame, "Stress Test: thresholds by month")
    for label, color in THRESHOLD_STYLE.values():
        if label in data:
            _threshold_series(chart, data["Month"], data, label, label, color)


def _scenario_chart(ws, r, ctx, column: str, title: str, y_title: str, y_format, anchor: str):
    frame = _scenario_frame(r, column)
    if frame.shape[1] <= 1:
        return
    data = ctx.data_block(frame, f"Stress Test: {title}")
    chart = ctx.chart("scatter", title, "Months from today", y_title, y_format, subtype="straight")
    for i, name in enumerate(frame.columns[1:]):
        scenario = data[str(name)]  # its header cell holds the (user) name
        months = data["Month"].ref
        chart.add_series(line_series(scenario.header, months, scenario.ref, series_color(i), 1.75))
    last_month = int(frame["Month"].max())
    chart.set_x_axis(axis("Months from today", "0", min=0, max=last_month, major_unit=12))
    if column == "ltv":
        if len(r.loan_names) == 1:  # one loan: its thresholds are the lines to watch
            _threshold_lines(chart, r, ctx, last_month)
        chart.set_y_axis({"name": y_title, "num_format": PCT, "min": 0, "name_font": {"size": 9}})
    chart.show_blanks_as("gap")
    place_chart(ws, anchor, chart, CHART_W, CHART_H)


HISTORICAL_CRASHES_NOTE = (
    "Return model Historical: after the Scenarios rows, the three worst actual crashes of your "
    "mapped history (peak → trough, fall), replayed with every series' actual monthly returns "
    "and inflation from the peak to the recovery; dividends and lines follow the Monte Carlo's "
    "rules (the crisis cut), so their Dividend cut cell is blank."
)

RATE_RISE_NOTE = (
    "A year's interest on today's balances. Floating loans pay a rise in rates (in the Monte "
    "Carlo their rate moves with inflation); fixed ones do not."
)


def _rate_rise(ws, r: StressResult, ctx: ReportContext, row: int) -> int:
    """Interest now and with rates 1 and 2 points higher, per loan and in total."""
    row = write_section(ctx, ws, row, "If interest rates rise", RATE_RISE_NOTE)
    headers = {
        "name": "Loan",
        "rate_type": "Rate type",
        "balance": "Drawn",
        "interest": "Interest a year, now",
        "interest_plus_1": "Interest at +1 point",
        "interest_plus_2": "Interest at +2 points",
    }
    table = r.rate_rise.rename(columns=headers)
    total = {"Loan": "Total", "Rate type": ""}
    total |= {c: float(table[c].sum()) for c in list(headers.values())[2:]}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    money = {c: "money" for c in list(headers.values())[2:]}
    write_table(ctx, ws, row, 0, table, money)
    return row + len(table) + 2


def write(ws, result: StressResult, ctx: ReportContext) -> None:
    """Write the Stress Test sheet and publish the ladder columns in ``ctx.refs``."""
    r = result
    subtitle = (
        f"How far can markets fall before each lender freezes, calls or sells? Amounts in "
        f"{r.currency}; every class falls by the market fall × its stress beta."
    )
    row = open_sheet(ctx, ws, "Stress Test", subtitle, widths=COLUMN_WIDTHS, frozen_cols=1)
    sentence, reading = headline(r)
    ws.write_string(row, 0, sentence, ctx.book.add_format({"bold": True, "font_size": 12}))
    if reading:
        ws.write_string(row + 1, 0, reading, ctx.fmt.note)
    row += 3
    if r.loan_names:
        row = write_section(ctx, ws, row, "Breaking points", BREAKING_POINTS_NOTE)
        row = _breaking_points(ws, r, ctx, row) + 1
    row = write_section(ctx, ws, row, f"Drawdown ladder (step {r.step:.0%})", LADDER_NOTE)
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
    row = write_section(ctx, ws, row, "Historical scenarios replayed month by month", REPLAY_NOTE)
    if not r.historical_crashes.empty:
        ws.write_string(row, 0, HISTORICAL_CRASHES_NOTE, ctx.fmt.note)
        row += 1
    if r.replays.empty:
        write_value(ws, row, 0, "No scenarios in the input workbook.", ctx.fmt.note)
        row += 2
    else:
        row = _scenarios(ws, r, ctx, row) + 1
        if r.loan_names:
            _scenario_chart(
                ws,
                r,
                ctx,
                "ltv",
                "LTV path per scenario",
                "LTV (highest loan)",
                PCT,
                f"A{row + 1}",
            )
        _scenario_chart(
            ws,
            r,
            ctx,
            "net_worth",
            "Net worth per scenario",
            ctx.axis_money_title,
            ctx.axis_money_format,
            f"{'F' if r.loan_names else 'A'}{row + 1}",
        )
