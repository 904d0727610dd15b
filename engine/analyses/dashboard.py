"""A6 Dashboard (SPEC §4 A6): the morning check — KPI tiles, traffic lights, verdict, trend.

The dashboard reads the other analyses only through their SPEC §6 JSON blocks
(``to_json`` of each result in ``prior``), so it depends on the published keys and
never on another analysis's internals. An analysis that did not run leaves its tiles
"not available" in words — never a placeholder number.

Its own figures: allocation by asset class (market values from the inputs), the
snowball's outgo (expenses + interest − income, the coverage denominator), and the
trend table — the history store's past runs (``RunOptions.history``, oldest first)
plus this run, with net worth, the highest LTV and the FIRE success probability as the
history store defines them (``engine.analyses.headline``).

The lights and their thresholds live in ``engine.analyses.traffic_lights``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from engine.analyses import SHEETS, balance_sheet, defense, monte_carlo, snowball, stress
from engine.analyses import traffic_lights as tl
from engine.analyses.dashboard_tiles import Tile, build_tiles, loan_rows, secured_loans
from engine.analyses.dashboard_tiles import finite_number as _number
from engine.analyses.headline import headline_figures
from engine.analyses.mc_stats import failures_text, share_text
from engine.i18n import T
from engine.jsonable import jsonable
from engine.model import Inputs

#: The analyses the Dashboard summarises, by key: it reads their SPEC §6 blocks.
SUMMARISED = {
    "balance_sheet": balance_sheet,
    "stress": stress,
    "defense": defense,
    "snowball": snowball,
    "monte_carlo": monte_carlo,
}

TREND_COLUMNS = ["valuation_date", "net_worth", "max_ltv", "fire_probability"]
TREND_SENTENCE = "db.the_trend_appears_after_your"


@dataclass(frozen=True)
class DashboardResult:
    portfolio: str
    valuation_date: date
    currency: str
    status: str  # Safe / Watch / Act (Not available when no light applies)
    light: str | None  # the worst light of all tiles
    verdict: str
    tiles: tuple[Tile, ...]
    loans: pd.DataFrame  # per secured loan: ltv, thresholds, drawdowns to each, light
    allocation: pd.DataFrame  # asset_class, market_value, weight
    trend: pd.DataFrame  # TREND_COLUMNS, oldest first, this run last
    snowball: pd.DataFrame  # year, calendar_year, dividends_net, outgo
    fan: pd.DataFrame  # year, p10, p50, p90 of real net worth (Monte Carlo)
    survival: pd.DataFrame  # year, survival (Monte Carlo survival curve)
    available: tuple[str, ...]  # analysis keys whose JSON the dashboard read
    target_success_probability: float
    target_drawdown: float

    @property
    def trend_sentence(self) -> str | None:
        """The sentence shown instead of a one-point trend chart (None when there is a trend)."""
        return T(TREND_SENTENCE) if len(self.trend) < 2 else None


# --------------------------------------------------------------------- own figures
def allocation(inputs: Inputs) -> pd.DataFrame:
    """Market value (base currency) by asset class, in AssetClasses order, zeros dropped."""
    values: dict[str, float] = {}
    for holding, value in zip(inputs.holdings, inputs.market_values, strict=True):
        values[holding.asset_class] = values.get(holding.asset_class, 0.0) + float(value)
    order = [c.name for c in inputs.asset_classes] + sorted(
        set(values) - {c.name for c in inputs.asset_classes}
    )
    rows = [(name, values[name]) for name in order if values.get(name, 0.0) > 0]
    frame = pd.DataFrame(rows, columns=["asset_class", "market_value"])
    total = float(frame["market_value"].sum())
    frame["weight"] = frame["market_value"] / total if total > 0 else 0.0
    return frame


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def trend(
    history: Sequence[Mapping[str, Any]], current: Mapping[str, Any], today: date
) -> pd.DataFrame:
    """Past runs (before ``today``) plus this run, oldest first, one row per valuation date."""
    by_date: dict[date, dict[str, Any]] = {}
    for row in history:
        when = _as_date(row.get("valuation_date"))
        if when is None or when >= today:
            continue
        by_date[when] = {k: _number(row.get(k)) for k in TREND_COLUMNS[1:]}
    by_date[today] = {k: _number(current.get(k)) for k in TREND_COLUMNS[1:]}
    rows = [{"valuation_date": when, **figures} for when, figures in sorted(by_date.items())]
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def snowball_frame(block: Mapping[str, Any] | None) -> pd.DataFrame:
    """Per year: net dividends against the outgo they must cover (expenses + interest − income)."""
    rows = []
    for y in (block or {}).get("years") or []:
        parts = [_number(y.get(k)) for k in ("expenses", "interest", "income")]
        outgo = None if None in parts else parts[0] + parts[1] - parts[2]
        rows.append(
            {
                "year": y.get("year"),
                "calendar_year": y.get("calendar_year"),
                "dividends_net": _number(y.get("dividends_net")),
                "outgo": outgo,
            }
        )
    return pd.DataFrame(rows, columns=["year", "calendar_year", "dividends_net", "outgo"])


def fan_frame(block: Mapping[str, Any] | None) -> pd.DataFrame:
    """Real net worth p10/p50/p90 by year (1..H) from ``monte_carlo.real_net_worth_percentiles``.

    An added (non-§6) key of the Monte Carlo block; empty when it is absent or ragged.
    """
    pct = (block or {}).get("real_net_worth_percentiles") or {}
    series = [pct.get(k) for k in ("p10", "p50", "p90")]
    if not all(isinstance(s, Sequence) and s for s in series):
        return pd.DataFrame(columns=["year", "p10", "p50", "p90"])
    if len({len(s) for s in series}) != 1:
        return pd.DataFrame(columns=["year", "p10", "p50", "p90"])
    p10, p50, p90 = ([_number(v) for v in s] for s in series)
    return pd.DataFrame({"year": list(range(1, len(p10) + 1)), "p10": p10, "p50": p50, "p90": p90})


def survival_frame(block: Mapping[str, Any] | None) -> pd.DataFrame:
    """The survival curve by year from ``monte_carlo.survival_by_year`` (numbers or records)."""
    rows = []
    for i, item in enumerate((block or {}).get("survival_by_year") or [], start=1):
        if isinstance(item, Mapping):
            year = _number(item.get("year")) or i
            value = next(
                (_number(v) for k, v in item.items() if k != "year" and _number(v) is not None),
                None,
            )
        else:
            year, value = i, _number(item)
        rows.append({"year": year, "survival": value})
    return pd.DataFrame(rows, columns=["year", "survival"])


# --------------------------------------------------------------------- verdict
def _pct(x: float) -> str:
    return f"{x:.0%}"


def verdict(
    status: str,
    blocks: Mapping[str, Mapping[str, Any]],
    tiles: Sequence[Tile],
    target_probability: float,
) -> str:
    """One line in plain words: how far markets can fall, how often the plan survives."""
    clauses = []
    loans = secured_loans(blocks.get("balance_sheet"))
    falls = [
        (loan["drawdown_to_freeze"], loan["name"])
        for loan in loans
        if _number(loan.get("drawdown_to_freeze")) is not None
    ]
    if "balance_sheet" not in blocks:
        clauses.append(T("db.the_balance_sheet_is_not"))
    elif not loans:
        clauses.append(T("db.you_have_no_loans_against"))
    elif not falls:
        clauses.append(T("db.no_market_fall_brings_your"))
    else:
        fall, name = min(falls)
        lender = T("db.your_lender") if len(loans) == 1 else T("db.the_lender_of_name", name=name)
        if fall <= 0:
            clauses.append(T("db.lender_has_already_frozen_new", lender=lender))
        else:
            clauses.append(T("db.markets_can_fall_fall_before", fall=_pct(fall), lender=lender))
    mc = blocks.get("monte_carlo") or {}
    probability = _number(mc.get("success_probability"))
    if probability is None:
        clauses.append(T("db.the_monte_carlo_simulation_is"))
    else:
        # the same words as the Monte Carlo headline and the tile (mc_stats.share_text)
        clause = T("db.your_plan_survives_probability_of", probability=share_text(probability))
        failures, paths = _number(mc.get("failures")), _number(mc.get("paths"))
        extra = []
        if failures is not None and paths:
            extra.append(failures_text(int(failures), int(paths)))
        if probability < target_probability - tl.EPS:
            extra.append(
                T("db.target_target_probability", target_probability=_pct(target_probability))
            )
        clauses.append(clause + (f" ({'; '.join(extra)})" if extra else ""))
    text = T("db.verdict", status=tl.status_text(status), clauses=T("db.clause_join").join(clauses))
    worst = tl.worst(t.light for t in tiles)
    if worst in (tl.AMBER, tl.RED):
        flagged = [t.label for t in tiles if t.light == worst]
        text += T("db.look_at") + ", ".join(flagged) + "."
    return text


# --------------------------------------------------------------------- analyse
def json_blocks(prior: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each prior analysis's SPEC §6 block, through its own ``to_json``."""
    return {key: module.to_json(prior[key]) for key, module in SUMMARISED.items() if key in prior}


def from_blocks(
    inputs: Inputs,
    blocks: Mapping[str, Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]] = (),
) -> DashboardResult:
    """The dashboard from JSON blocks (what ``analyse`` does after ``json_blocks``)."""
    s = inputs.settings
    current = headline_figures(blocks)
    points = trend(history, current, s.valuation_date)
    previous = points["net_worth"].iloc[:-1].dropna()
    tiles = build_tiles(
        inputs,
        blocks,
        previous_net_worth=float(previous.iloc[-1]) if len(previous) else None,
    )
    light = tl.worst(t.light for t in tiles)
    status = tl.status_word(light)
    return DashboardResult(
        portfolio=s.portfolio_name,
        valuation_date=s.valuation_date,
        currency=s.base_currency,
        status=status,
        light=light,
        verdict=verdict(status, blocks, tiles, s.target_success_probability),
        tiles=tuple(tiles),
        loans=loan_rows(blocks.get("balance_sheet")),
        allocation=allocation(inputs),
        trend=points,
        snowball=snowball_frame(blocks.get("snowball")),
        fan=fan_frame(blocks.get("monte_carlo")),
        survival=survival_frame(blocks.get("monte_carlo")),
        available=tuple(k for k in SHEETS if k in blocks),
        target_success_probability=s.target_success_probability,
        target_drawdown=s.target_drawdown,
    )


def analyse(inputs: Inputs, prior: Mapping[str, Any], options: Any = None) -> DashboardResult:
    """A6: tiles, lights, verdict and trend from the prior analyses' JSON blocks."""
    history = getattr(options, "history", ()) or ()
    return from_blocks(inputs, json_blocks(prior), history)


def to_json(result: DashboardResult) -> dict[str, Any]:
    """The SPEC §6 ``dashboard`` block: verdict, status, plus the tiles and the trend."""
    return {
        "verdict": result.verdict,
        "status": result.status,
        "light": result.light,
        "tiles": [
            jsonable(
                {
                    "key": t.key,
                    "label": t.label,
                    "value": t.value,
                    "text": t.text or None,
                    "light": t.light,
                    "rule": tl.RULES_BY_KEY[t.rule].sentence,
                    "detail": " · ".join(t.detail) or None,
                    "sheet": t.sheet,
                    "source": t.source,
                }
            )
            for t in result.tiles
        ],
        "trend": jsonable(result.trend.to_dict("records")),
    }
