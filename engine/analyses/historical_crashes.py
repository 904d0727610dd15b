"""A2 with Return model = Historical: the worst actual crashes replayed (SPEC §4 A2 c, §3).

Beside the Scenarios rows (stylised paths), the Stress Test replays the three worst
crashes in the mapped history, month by month, through the same month step:

- the *mapped price index* is the household's month-0 mix of its moving holdings whose
  class has a History series, bought and held: I_t = Σ_b w_b · exp(Σ_{s≤t} (class
  log-return + FX log-return)), w_b the bucket's share of their month-0 value; with one
  series (the example: both equity classes on ``US stocks``) it is that series;
- a crash is a drawdown episode of I: from a peak (a level above every earlier one) to
  the lowest level before I regains the peak (the trough), and on to that recovery
  month, or to the end of the history when it never recovers; episodes do not overlap;
- the three deepest (peak-to-trough fall) are replayed: every factor's actual monthly
  returns from the month after the peak to the recovery (or the end of the history),
  cut at the horizon, with the history's inflation (consumer prices, floating rates),
  and the Monte Carlo's rules for dividends and lines (each class's crisis dividend cut
  while it is more than 30% below its running peak, dividends following prices against
  the series' median path, lines losing their crisis limit cut) — the same plan and
  rules as one path of A5, with the lenders' thresholds as written (as every replay).

Each is named by the series and its dates, "US stocks 1929-09 → 1932-06 (−85%)": the
peak month, the trough month (months labelled as in ``engine.analyses.historical``:
a level is the month's average index) and the fall.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from engine import kernel
from engine.analyses import replay
from engine.analyses.mc_engine import A5_RULES
from engine.analyses.mc_run import a5_plan
from engine.model import Inputs, Scenario
from engine.model.bootstrap import HistoricalModel
from engine.model.history_data import month_label

#: How many of the worst crashes are replayed.
CRASHES = 3


def drawdown_episodes(levels: np.ndarray) -> list[tuple[int, int, int | None, float]]:
    """Every drawdown episode of a price index: (peak, trough, recovery or None, fall),
    indices into ``levels``; fall = levels[trough] / levels[peak] − 1 (negative).

    >>> drawdown_episodes(np.array([1.0, 2.0, 1.0, 0.5, 4.0, 3.0]))
    [(1, 3, 4, -0.75), (4, 5, None, -0.25)]
    """
    episodes = []
    peak, trough, falling = 0, 0, False
    for k in range(1, len(levels)):
        if levels[k] >= levels[peak]:
            if falling:
                episodes.append((peak, trough, k, float(levels[trough] / levels[peak] - 1.0)))
                falling = False
            peak = k
        elif not falling or levels[k] < levels[trough]:
            trough, falling = k, True
    if falling:
        episodes.append((peak, trough, None, float(levels[trough] / levels[peak] - 1.0)))
    return episodes


def mapped_index(plan: kernel.Plan, model: HistoricalModel) -> tuple[np.ndarray, str]:
    """The mapped price index (module docstring), levels before and after each month of
    the history (N + 1), and its name; (empty, "") when no held class has a series."""
    mapped = {s.label for s in model.sources if s.series is not None}
    weights, names = np.zeros(plan.n_buckets), {}
    for b in range(plan.n_buckets):
        f = plan.class_factor[plan.bucket_class[b]]
        if f >= 0 and plan.factor_labels[f] in mapped:
            weights[b] = plan.value0[b]
            series = model.sources[f].series
            names[series] = names.get(series, 0.0) + plan.value0[b]
    if weights.sum() <= 0:
        return np.zeros(0), ""
    weights /= weights.sum()
    table = np.concatenate([model.table, np.zeros((model.n_months, 1))], axis=1)
    F = model.n_factors
    log = np.zeros((model.n_months, plan.n_buckets))
    for b in np.flatnonzero(weights > 0):
        fx = plan.bucket_fx[b]
        log[:, b] = (
            table[:, plan.class_factor[plan.bucket_class[b]]] + table[:, fx if fx >= 0 else F]
        )
    growth = np.exp(np.cumsum(log[:, weights > 0], axis=0)) @ weights[weights > 0]
    name = " + ".join(sorted(names, key=lambda n: -names[n]))
    return np.concatenate([[1.0], growth]), name


def _label(model: HistoricalModel, level: int) -> str:
    """The month of level ``level`` (level k ≥ 1 comes after history row k − 1)."""
    return month_label(model.months[0] + level - 1)


def worst_crashes(inputs: Inputs, count: int = CRASHES):
    """The ``count`` deepest episodes of the mapped index: [(Scenario, log-returns)]."""
    plan, model = a5_plan(inputs)
    levels, name = mapped_index(plan, model)
    if not len(levels):
        return plan, []
    episodes = sorted(drawdown_episodes(levels), key=lambda e: e[3])[:count]
    out = []
    for peak, trough, recovery, fall in episodes:
        end = recovery if recovery is not None else len(levels) - 1
        months = max(1, min(end - peak, inputs.settings.months))
        rows = model.table[peak : peak + months]  # the months after the peak
        fx = [j for j, lab in enumerate(model.labels) if lab.startswith("FX:")]
        to_trough = model.table[peak:trough]
        fx_change = float(np.expm1(to_trough[:, fx[0]].sum())) if fx else 0.0
        title = f"{name} {_label(model, peak)} → {_label(model, trough)} ({fall:.0%})"
        scenario = Scenario(
            name=_minus(title),
            equity_drawdown=-fall,
            months_to_trough=trough - peak,
            fx_change=fx_change,
            dividend_cut=float("nan"),  # the Monte Carlo's rules, not a fixed cut
            rate_shock=0.0,
            line_limit_cut=float("nan"),
            months_to_recover=(recovery - trough) if recovery is not None else 0,
        )
        out.append((scenario, rows[:, :, None].copy()))
    return plan, out


def _minus(title: str) -> str:
    """The fall with a typographic minus: (−85%)."""
    head, _, fall = title.rpartition("(")
    return f"{head}({fall.replace('-', '−')}"


def replay_crashes(inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The worst crashes through the month step: (summary per crash, monthly paths, long),
    as ``replay.replay_all`` lays out the Scenarios rows, plus peak, trough and recovery."""
    plan, crashes = worst_crashes(inputs)
    plan = replace(plan, threshold_factor=None)  # replays use the thresholds as written
    rows, paths = [], []
    for scenario, log_returns in crashes:
        months = log_returns.shape[0]
        run_plan = kernel.compile_plan(inputs, months=months, inflation_path=True)
        run_plan = replace(run_plan, class_median_drift=plan.class_median_drift)
        records = kernel.run(
            run_plan, log_returns, kernel.Overrides(**A5_RULES, record_monthly=True)
        )
        run = replay.ScenarioRun(scenario, run_plan, log_returns, records)
        rows.append(replay.summarise(run, inputs.settings.selling_cost))
        paths.append(replay.monthly_paths(run))
    summary = pd.DataFrame(rows, columns=replay.SUMMARY_COLUMNS)
    columns = ["scenario", "month", "ltv", "zone", "net_worth"]
    long = pd.concat(paths, ignore_index=True) if paths else pd.DataFrame(columns=columns)
    return summary, long
