"""Historical sequences (SPEC §3 Historical return model, §4 A5): the plan through history.

With Return model = Historical, A5 reports beside the bootstrap's success the
**historical-sequence success**: the plan run through every overlapping window of
12H actual consecutive months of the mapped history (``engine.model.bootstrap``: the
months every mapped series covers), as cFIREsim and FIRECalc do. Window w starts at the
history's month w and runs months w … w + 12H − 1, so N months of history give
W = N − 12H + 1 windows; each window is one path of the same month step, with the same
plan and rules as the Monte Carlo (``mc_run.a5_plan``, ``A5_RULES``), and all windows run
side by side as the paths of one kernel run, fed 12 months at a time.

A window is named by its first month: the month whose return (its average index level
over the previous month's) is the first the plan lives through. The worst starts are the
failed windows that fail soonest, then the survivors that end with the least real net
worth; starts within a year of a worse one are skipped, so the list names different
episodes ("worst start: 1929-09").

Also here: what the bootstrap implies per factor (yearly mean and volatility of 12
bootstrapped months, ``bootstrap.implied_annual``) for the Monte Carlo sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from engine.analyses.mc_engine import A5_RULES
from engine.analyses.mc_run import a5_plan
from engine.i18n import T
from engine.kernel import MonthStep, Overrides, Plan, Records
from engine.model.bootstrap import FactorSource, HistoricalModel, implied_annual
from engine.model.history_data import month_label, month_of
from engine.model.returns import INFLATION

#: How many worst starting months are named.
WORST_STARTS = 3
#: A start this close (months) to a worse one is the same episode, not named again.
SAME_EPISODE_MONTHS = 12


def window_slabs(
    model: HistoricalModel, months: int, slab_months: int = 12
) -> Iterator[np.ndarray]:
    """Every window of ``months`` consecutive months of ``model``'s history as the paths of
    slabs (T ≤ slab_months, factors, windows): path w, month t holds history row w + t."""
    windows = model.n_months - months + 1
    if windows < 1:
        return
    by_factor = np.ascontiguousarray(model.table.T)  # (F, N)
    start = np.arange(windows)
    for t0 in range(0, months, slab_months):
        t = min(slab_months, months - t0)
        rows = start[None, :] + t0 + np.arange(t)[:, None]  # (T, W)
        yield np.ascontiguousarray(by_factor[:, rows].transpose(1, 0, 2))


def run_windows(
    plan: Plan, model: HistoricalModel, overrides: Overrides | None = None
) -> Records | None:
    """The month step over every window of ``plan.months`` months (None: the history is
    shorter than the horizon)."""
    windows = model.n_months - plan.months + 1
    if windows < 1 or plan.months < 1:
        return None
    step = MonthStep(plan, windows, overrides or Overrides(**A5_RULES))
    for slab in window_slabs(model, plan.months):
        step.advance(slab)
    return step.records()


@dataclass(frozen=True)
class Sequences:
    """The plan through every historical window (module docstring)."""

    months: int  # window length (12H)
    start: np.ndarray  # (W,) month index of each window's first month
    survived: np.ndarray  # (W,) bool
    failure_month: np.ndarray  # (W,) 0-based month of failure, −1 if it never failed
    real_net_worth_end: np.ndarray  # (W,) final net worth ÷ the window's price level
    margin_call: np.ndarray  # (W,) bool
    forced_sale: np.ndarray  # (W,) bool

    @property
    def windows(self) -> int:
        return len(self.start)

    @property
    def success_probability(self) -> float | None:
        return float(self.survived.mean()) if self.windows else None

    @property
    def failures(self) -> int:
        return int((~self.survived).sum())

    def share(self, flags: np.ndarray) -> float | None:
        return float(flags.mean()) if self.windows else None

    def worst(self, k: int = WORST_STARTS) -> list[dict[str, Any]]:
        """The ``k`` worst starting months, one per episode (module docstring)."""
        soonest = np.where(self.survived, np.iinfo(np.int64).max, self.failure_month)
        order = np.lexsort((self.real_net_worth_end, soonest))
        picked: list[int] = []
        for w in order:
            if len(picked) == k:
                break
            if all(abs(int(self.start[w]) - int(self.start[p])) >= SAME_EPISODE_MONTHS
                   for p in picked):  # fmt: skip
                picked.append(int(w))
        return [
            {
                "start": month_label(self.start[w]),
                "survived": bool(self.survived[w]),
                "failure_year": None if self.survived[w] else int(self.failure_month[w]) // 12 + 1,
                "real_net_worth_end": float(self.real_net_worth_end[w]),
            }
            for w in picked
        ]

    def by_start_year(self) -> pd.DataFrame:
        """Per calendar year of the start: windows and the share that succeed."""
        years = (self.start // 12).astype(int)
        frame = pd.DataFrame({"start_year": years, "survived": self.survived.astype(float)})
        out = frame.groupby("start_year", sort=True)["survived"].agg(["size", "mean"])
        return pd.DataFrame(
            {
                "start_year": out.index.to_numpy(dtype=int),
                "windows": out["size"].to_numpy(dtype=int),
                "success": out["mean"].to_numpy(dtype=float),
            }
        )


def sequences(plan: Plan, model: HistoricalModel, overrides: Overrides | None = None) -> Sequences:
    """``run_windows`` summarised per window."""
    rec = run_windows(plan, model, overrides)
    if rec is None:
        none, never = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        return Sequences(plan.months, none, never, none, np.zeros(0), never, never)
    level = rec.price_level_yearly[:, -1] if rec.price_level_yearly.size else 1.0
    return Sequences(
        months=plan.months,
        start=model.months[: rec.paths].copy(),
        survived=rec.survived.copy(),
        failure_month=rec.failure_month.copy(),
        real_net_worth_end=rec.final_net_worth / level,
        margin_call=rec.margin_call.copy(),
        forced_sale=rec.forced_sale.copy(),
    )


@dataclass(frozen=True)
class HistoricalResult:
    """What the Historical return model drew from, what it implies, and the sequences."""

    sources: tuple[FactorSource, ...]  # per factor: its series (None: returns 0)
    first_month: date  # the months every used series covers
    last_month: date
    n_months: int
    mean_block: float
    implied: pd.DataFrame  # factor, series, annual_mean, annual_volatility, median_growth
    sequences: Sequences
    # the sequences summarised (what the sheet and the JSON show)
    sequence_success: float | None  # None: the history is shorter than the horizon
    first_start: str | None  # YYYY-MM of the first and last window's first month
    last_start: str | None
    p_margin_call: float | None  # shares of the windows
    p_forced_sale: float | None
    worst_starts: list[dict[str, Any]]  # Sequences.worst()
    success_by_start_year: pd.DataFrame  # start_year, windows, success


def analyse(inputs, seed: int) -> HistoricalResult:
    """The historical sequences of ``inputs``' plan and the bootstrap's implied figures
    (Return model = Historical)."""
    plan, model = a5_plan(inputs)
    mean, vol = implied_annual(model, seed)
    drift = model.monthly_drift
    rows = []
    for j, src in enumerate(model.sources):
        inflation = src.label == INFLATION
        rows.append(
            {
                "factor": src.label,
                "series": src.series or T("mc.none_returns_0"),
                "origin": src.origin,
                "series_first": src.first_month,
                "series_last": src.last_month,
                "annual_mean": float(mean[j]),
                "annual_volatility": float(vol[j]),
                # the median path's yearly growth exp(m) − 1 (dividends follow prices against it)
                "median_growth": None if inflation else float(np.expm1(12.0 * drift[j])),
            }
        )
    seq = sequences(plan, model)
    return HistoricalResult(
        sources=model.sources,
        first_month=month_of(model.months[0]),
        last_month=month_of(model.months[-1]),
        n_months=model.n_months,
        mean_block=model.mean_block,
        implied=pd.DataFrame(rows),
        sequences=seq,
        sequence_success=seq.success_probability,
        first_start=month_label(seq.start[0]) if seq.windows else None,
        last_start=month_label(seq.start[-1]) if seq.windows else None,
        p_margin_call=seq.share(seq.margin_call),
        p_forced_sale=seq.share(seq.forced_sale),
        worst_starts=seq.worst(),
        success_by_start_year=seq.by_start_year(),
    )


def to_json(r: HistoricalResult | None) -> dict[str, Any] | None:
    """The ``monte_carlo.historical`` block (README: Summary JSON)."""
    if r is None:
        return None
    seq = r.sequences
    return {
        "windows": seq.windows,
        "window_months": seq.months,
        "first_start": r.first_start,
        "last_start": r.last_start,
        "failures": seq.failures,
        "p_margin_call": r.p_margin_call,
        "p_forced_sale": r.p_forced_sale,
        "worst_starts": r.worst_starts,
        "success_by_start_year": r.success_by_start_year.to_dict("records"),
        "months_used": {
            "first": f"{r.first_month:%Y-%m}",
            "last": f"{r.last_month:%Y-%m}",
            "count": r.n_months,
        },
        "mean_block_months": r.mean_block,
        "series": [
            {
                "factor": row["factor"],
                "series": None if row["origin"] == "" else row["series"],
                "origin": row["origin"] or None,
                "first_month": None
                if row["series_first"] is None
                else f"{row['series_first']:%Y-%m}",
                "last_month": None if row["series_last"] is None else f"{row['series_last']:%Y-%m}",
                "implied_annual_mean": row["annual_mean"],
                "implied_annual_volatility": row["annual_volatility"],
            }
            for row in r.implied.to_dict("records")
        ],
    }
