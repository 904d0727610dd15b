"""The Dashboard's KPI tiles, built from the analyses' SPEC §6 JSON blocks.

One function per tile. Each reads its figure from one block (``source`` names the JSON
path), asks ``traffic_lights`` for the light, and adds up to two lines of context.
A block that is missing gives a tile that says "not available" and carries no light.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engine.analyses import SHEETS
from engine.analyses import traffic_lights as tl
from engine.analyses.balance_sheet import funded_words
from engine.analyses.mc_stats import failures_text, share_text
from engine.analyses.words import money_words
from engine.i18n import T
from engine.model import Inputs

NOT_AVAILABLE = "db.not_available"
SECURED = "Securities-backed"
#: At most this many LTV tiles (the most exposed loans); the loan table lists them all.
MAX_LTV_TILES = 6

Block = Mapping[str, Any] | None


@dataclass(frozen=True)
class Tile:
    """One KPI: its figure (or words instead), light, context lines and explaining sheet."""

    key: str
    label: str
    value: float | None  # the figure, exactly as in its JSON block; None when not a number
    kind: str  # money / line / pct / pct2 / ratio / months: how the sheet formats ``value``
    #: words the sheet shows instead of the value ("Unlimited", "Income covers costs",
    #: "> 99.9%", "not available"); "" to show the value in its format
    text: str
    light: str | None  # green / amber / red, None = not applicable
    rule: str  # key of the traffic_lights.Rule that set the light
    detail: tuple[str, ...]  # up to two short lines of context
    sheet: str | None  # the sheet that explains it (None when its analysis did not run)
    source: str  # JSON path of the figure, e.g. ``balance_sheet.net_worth``


def finite_number(value: Any) -> float | None:
    """A finite number, or None (text, booleans, NaN and infinities are not figures)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def _pct(value: float | None, digits: int = 0) -> str:
    return T("common.n_a") if value is None else f"{value:.{digits}%}"


def _missing(key: str, label: str, kind: str, rule: str, analysis: str, field: str) -> Tile:
    why = T("db.the_value_analysis_did_not", value=SHEETS[analysis])
    return Tile(
        key, label, None, kind, T(NOT_AVAILABLE), None, rule, (why,), None, f"{analysis}.{field}"
    )


def secured_loans(bs: Block) -> list[Mapping[str, Any]]:
    """The secured loans of the balance-sheet block, in input order."""
    return [loan for loan in (bs or {}).get("loans") or [] if loan.get("type") == SECURED]


def loan_rows(bs: Block) -> pd.DataFrame:
    """Per secured loan: LTV, thresholds, the market fall to each, and the light."""
    columns = ["name", "ltv", "freeze_ltv", "call_ltv", "liquidation_ltv"]
    columns += ["drawdown_to_freeze", "drawdown_to_call", "drawdown_to_liquidation"]
    rows = []
    for loan in secured_loans(bs):
        row = {c: finite_number(loan.get(c)) for c in columns[1:]}
        rows.append({"name": str(loan.get("name")), **row, "light": _ltv_light(loan)})
    frame = pd.DataFrame(rows, columns=[*columns, "light"])
    for c in columns[1:]:  # numbers as floats, missing as NaN (blank or words on the sheet)
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return frame


def _ltv_light(loan: Mapping[str, Any]) -> str | None:
    return tl.ltv_light(
        finite_number(loan.get("ltv")),
        finite_number(loan.get("freeze_ltv")),
        finite_number(loan.get("call_ltv")),
        finite_number(loan.get("liquidation_ltv")),
    )


# --------------------------------------------------------------------- tiles
def net_worth_tile(bs: Block, previous: float | None, currency: str) -> Tile:
    if bs is None:
        return _missing(
            "net_worth", T("db.net_worth"), "money", "net_worth", "balance_sheet", "net_worth"
        )
    value = finite_number(bs.get("net_worth"))
    assets, loans = (finite_number(bs.get(k)) for k in ("total_assets", "total_loans"))
    detail = [
        T(
            "db.assets_assets_loans_loans",
            assets=money_words(assets, currency),
            loans=money_words(loans, currency),
        )
    ]
    if previous is not None and previous > 0 and value is not None:
        detail.append(T("db.value_1_since_the_last", value=value / previous - 1.0))
    light = tl.net_worth_light(value, previous)
    text = "" if value is not None else T(NOT_AVAILABLE)
    return Tile(
        "net_worth",
        T("db.net_worth"),
        value,
        "money",
        text,
        light,
        "net_worth",
        tuple(detail),
        SHEETS["balance_sheet"],
        "balance_sheet.net_worth",
    )


def funded_tile(bs: Block, currency: str) -> Tile:
    key, label = "funded_ratio", T("db.funded_ratio")
    if bs is None:
        return _missing(key, label, "ratio", key, "balance_sheet", key)
    value = finite_number(bs.get("funded_ratio"))
    pv = finite_number(bs.get("pv_future_net_expenses"))
    words = funded_words(
        value,
        pv,
        finite_number(bs.get("pv_future_expenses")),
        finite_number(bs.get("pv_future_income")),
    )
    income_covers = pv is not None and pv <= 0
    text = words or ("" if value is not None else T("common.n_a"))
    first = T("db.net_worth_pv_of_future")
    if words and value is not None:  # the ratio stays in sight, beside the words
        first = T("db.net_worth_covers_the_rest", value=value)
    detail = (first, T("db.pv_of_future_net_costs", pv=money_words(pv, currency)))
    return Tile(
        key,
        label,
        value,
        "ratio",
        text,
        tl.funded_light(value, income_covers),
        key,
        detail,
        SHEETS["balance_sheet"],
        "balance_sheet.funded_ratio",
    )


def ltv_tiles(bs: Block) -> list[Tile]:
    if bs is None:
        return [_missing("ltv", "LTV", "pct", "ltv", "balance_sheet", "loans[].ltv")]
    loans = list(enumerate(secured_loans(bs)))
    if len(loans) > MAX_LTV_TILES:  # keep the most exposed, in input order
        worst = sorted(loans, key=lambda p: -tl.SEVERITY.get(_ltv_light(p[1]) or "", -1))
        loans = sorted(worst[:MAX_LTV_TILES], key=lambda p: p[0])
    tiles = []
    for i, loan in loans:
        call = finite_number(loan.get("call_ltv"))
        levels = T(
            "db.freeze_pct_call_value_liq",
            pct=_pct(finite_number(loan.get("freeze_ltv"))),
            value=_pct(call) if call is not None else "none",
            pct2=_pct(finite_number(loan.get("liquidation_ltv"))),
        )
        falls = [
            finite_number(loan.get(f"drawdown_to_{k}")) for k in ("freeze", "call", "liquidation")
        ]
        fall_text = T("db.fall_to_each") + " · ".join(
            "—" if f is None else _pct(f) for f in (falls if call is not None else falls[::2])
        )
        value = finite_number(loan.get("ltv"))
        tiles.append(
            Tile(
                f"ltv:{loan.get('name')}",
                T("db.ltv_get", get=loan.get("name")),
                value,
                "pct",
                "" if value is not None else T("common.n_a"),
                _ltv_light(loan),
                "ltv",
                (levels, fall_text),
                SHEETS["balance_sheet"],
                f"balance_sheet.loans[{i}].ltv",
            )
        )
    return tiles


def survivable_tile(blocks: Mapping[str, Block], target: float) -> Tile:
    key, label = "survivable_drawdown", T("db.survivable_fall")
    stress, defense = blocks.get("stress"), blocks.get("defense")
    if stress is not None:
        value, source, sheet = (
            finite_number(stress.get("defended_breaking_point")),
            "stress.defended_breaking_point",
            SHEETS["stress"],
        )
    elif defense is not None:
        current = [s for s in defense.get("structures") or [] if s.get("key") == "current"]
        value = finite_number(current[0].get("survivable_drawdown")) if current else None
        source, sheet = "defense.structures[current].survivable_drawdown", SHEETS["defense"]
    else:
        return _missing(key, label, "pct", key, "stress", "defended_breaking_point")
    detail = (
        T("db.target_survive_a_target_fall", target=_pct(target)),
        T("db.with_cash_lines_and_unpledged"),
    )
    return Tile(
        key,
        label,
        value,
        "pct",
        "" if value is not None else T("common.n_a"),
        tl.breaking_point_light(value, target),
        key,
        detail,
        sheet,
        source,
    )


def fire_tile(mc: Block, target: float, currency: str) -> Tile:
    key, label = "fire_probability", T("db.fire_success")
    if mc is None:
        return _missing(key, label, "pct", key, "monte_carlo", "success_probability")
    value = finite_number(mc.get("success_probability"))
    # one decimal, never 100% when a path fails: the headline's and the verdict's words
    text = T("common.n_a") if value is None else share_text(value)
    if value is not None and text == f"{value:.1%}":
        text = ""  # the cell's own 0.0% format shows the same
    failures, paths = finite_number(mc.get("failures")), finite_number(mc.get("paths"))
    detail = []
    line = []
    covered = finite_number(mc.get("income_covered_probability"))
    if covered is not None:  # the seed's meaning of FI: passive income alone sustains it
        line.append(T("db.income_covers_costs_covered", covered=share_text(covered)))
    sequences = finite_number(mc.get("historical_sequence_success"))
    if sequences is not None:  # Historical: the actual sequences beside the bootstrap
        line.append(T("db.actual_sequences", share=share_text(sequences)))
    elif failures is not None and paths:
        line.append(failures_text(int(failures), int(paths)))
    if line:
        detail.append(" · ".join(line))
    line = [T("db.target_target", target=_pct(target))]
    safe = finite_number(mc.get("max_safe_monthly_spending"))
    if safe is not None:
        lo, hi = (list(mc.get("max_safe_monthly_spending_interval") or []) + [None, None])[:2]
        rng = ""
        if lo is not None and hi is not None:
            rng = f" ({money_words(lo, currency)}–{money_words(hi, currency)})"
        line.append(T("db.max_safe_safe_month_rng", safe=money_words(safe, currency), rng=rng))
    detail.append(" · ".join(line))
    return Tile(
        key,
        label,
        value,
        "pct",
        text,
        tl.fire_light(value, target),
        key,
        tuple(detail),
        SHEETS["monte_carlo"],
        "monte_carlo.success_probability",
    )


def coverage_tile(sb: Block, horizon_years: int, currency: str) -> Tile:
    key, label = "coverage", T("db.dividend_coverage")
    if sb is None:
        return _missing(key, label, "ratio", key, "snowball", "years[0].coverage")
    years = sb.get("years") or []
    first = years[0] if years else {}
    value = finite_number(first.get("coverage"))
    parts = [finite_number(first.get(k)) for k in ("expenses", "interest", "income")]
    income_covers = None not in parts and parts[0] + parts[1] - parts[2] <= 0
    text = (
        ""
        if value is not None
        else (T("db.income_covers_costs") if income_covers else T("common.n_a"))
    )
    crossover = sb.get("crossover_year")
    if crossover is None:
        when = T("db.no_crossover_within_horizon_years", horizon_years=horizon_years)
    elif crossover <= 1:
        when = T("db.covered_from_year_1")
    else:
        calendar = next((y.get("calendar_year") for y in years if y.get("year") == crossover), None)
        when = T("db.crossover_in_year_crossover", crossover=crossover) + (
            f" ({calendar})" if calendar else ""
        )
    year1 = money_words(finite_number(first.get("dividends_net")), currency)
    detail = (when, T("db.year_1_net_dividends_year1", year1=year1))
    return Tile(
        key,
        label,
        value,
        "ratio",
        text,
        tl.coverage_light(value, income_covers),
        key,
        detail,
        SHEETS["snowball"],
        "snowball.years[0].coverage",
    )


def runway_tile(bs: Block) -> Tile:
    key, label = "runway_months", T("db.runway")
    if bs is None:
        return _missing(key, label, "months", "runway", "balance_sheet", key)
    value = finite_number(bs.get("runway_months"))
    unlimited = value is None and "runway_months" in bs
    with_secured = finite_number(bs.get("runway_months_with_secured"))
    detail = [T("db.months_of_cash_above_buffer")]
    if with_secured is not None:
        detail.append(T("db.with_secured_1f_months_with", with_secured=with_secured))
    text = "" if value is not None else (T("db.unlimited") if unlimited else T("common.n_a"))
    return Tile(
        key,
        label,
        value,
        "months",
        text,
        tl.runway_light(value, unlimited),
        "runway",
        tuple(detail),
        SHEETS["balance_sheet"],
        "balance_sheet.runway_months",
    )


def spread_tile(bs: Block) -> Tile:
    key, label = "spread", T("db.spread")
    if bs is None:
        return _missing(key, label, "pct2", key, "balance_sheet", key)
    value = finite_number(bs.get("spread"))
    no_loans = not finite_number(bs.get("total_loans"))
    text = "" if value is not None else (T("db.no_borrowing") if no_loans else T("common.n_a"))
    net_yield, rate = (
        finite_number(bs.get("net_dividend_yield")),
        finite_number(bs.get("borrowing_rate")),
    )
    detail = (T("db.net_dividend_yield_borrowing_rate"),)
    if net_yield is not None and rate is not None:
        detail += (f"{_pct(net_yield, 2)} − {_pct(rate, 2)}",)
    return Tile(
        key,
        label,
        value,
        "pct2",
        text,
        tl.spread_light(value),
        key,
        detail,
        SHEETS["balance_sheet"],
        "balance_sheet.spread",
    )


def line_tile(df: Block, inputs: Inputs) -> Tile:
    key, label = "recommended_line_limit", T("db.recommended_line")
    if df is None:
        return _missing(key, label, "money", "standby_line", "defense", key)
    value = finite_number(df.get("recommended_line_limit"))
    current = finite_number(df.get("current_line_limit"))
    if current is None:
        current = float(sum(loan.limit for loan in inputs.lines))
    target = finite_number(df.get("target_drawdown")) or inputs.settings.target_drawdown
    text = "" if value is not None else T("db.no_line_can_help")
    drawn = float(sum(loan.balance for loan in inputs.lines))
    needed = T("db.to_survive_a_target_fall", target=_pct(target))
    if value is not None and value <= drawn:
        needed = T("db.no_line_needed_to_survive", target=_pct(target))
    detail = (
        T("db.current_line_current", current=money_words(current, inputs.settings.base_currency)),
        needed,
    )
    light = tl.line_light(current, value, helps=value is not None)
    return Tile(
        key,
        label,
        value,
        "line",  # money; 0 shows as "None needed"
        text,
        light,
        "standby_line",
        detail,
        SHEETS["defense"],
        "defense.recommended_line_limit",
    )


def build_tiles(
    inputs: Inputs, blocks: Mapping[str, Block], previous_net_worth: float | None = None
) -> list[Tile]:
    """All tiles in reading order: wealth, loans, resilience, plan, income, liquidity."""
    s = inputs.settings
    bs, currency = blocks.get("balance_sheet"), s.base_currency
    return [
        net_worth_tile(bs, previous_net_worth, currency),
        funded_tile(bs, currency),
        *ltv_tiles(bs),
        survivable_tile(blocks, s.target_drawdown),
        fire_tile(blocks.get("monte_carlo"), s.target_success_probability, currency),
        coverage_tile(blocks.get("snowball"), s.horizon_years, currency),
        runway_tile(bs),
        spread_tile(bs),
        line_tile(blocks.get("defense"), inputs),
    ]
