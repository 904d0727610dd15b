"""A5 Monte Carlo FIRE (SPEC §4 A5): does the plan sustain the lifestyle for the horizon?

P paths × 12H months of the month step (``engine.kernel``) on correlated lognormal
returns (``engine.model.returns``), with the lenders' rules — freeze, margin call cure,
forced sale, and each unsecured line's Crisis limit cut while some class is more than
30% below its running peak — acting inside every path, dividends following their
policies with the class's crisis cut while it is more than 30% below its running peak, and Cashflows with
inflation and FIRE age. A path *succeeds* if it never fails (cash < 0 after every
defense, or net worth ≤ 0).

Outputs: success probability p̂ with standard error √(p̂(1 − p̂)/P) and the 95% Wilson
interval; survival by year; failures by year; percentiles of real net worth and real
net passive income (net dividends − interest − fees) by year, deflated by expense
inflation; P(margin call ever), P(forced sale ever), P(every unsecured line fully drawn
at some point); the distribution of each path's highest LTV; the same plan unlevered
(every loan repaid at month 0 by selling assets pro rata, no credit lines) on the first
``COMPARISON_PATHS`` paths, beside the plan as it is on those same paths; the max safe
monthly spending and the sensitivity grid (``mc_solvers``, on the first
``SOLVER_PATHS`` paths, same random numbers; computed in a child process meanwhile).

With Return model = Historical the paths draw a stationary bootstrap of real monthly
history instead (``engine.model.bootstrap``), and the result also carries the plan run
through every actual window of history (``engine.analyses.historical``): the
historical-sequence success, the worst starting months, success by starting year.

The numbers come from ``engine.analyses.mc_run`` (numpy only, so they can start in a
child process before the rest of the engine loads); this module lays them out as tables.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from engine.analyses import historical as historical_sequences
from engine.analyses import mc_run
from engine.analyses import mc_solvers as solvers
from engine.analyses import mc_stats as stats
from engine.analyses.options import RunOptions
from engine.i18n import T
from engine.jsonable import jsonable


@dataclass(frozen=True)
class MonteCarloResult(mc_run.PathEvents):
    paths: int
    seed: int
    years: int
    currency: str
    target_success_probability: float
    success_probability: float
    standard_error: float
    ci95: tuple[float, float]
    survival: pd.DataFrame  # year, age, survival
    failure_histogram: pd.DataFrame  # year, failures, share
    #: year, calendar_year, real_net_worth_pXX, real_passive_income_pXX, debt_pXX
    percentiles: pd.DataFrame
    fan: pd.DataFrame  # year, p5 and the band widths p5–p10 … p90–p95 (stacked fan chart)
    max_ltv_histogram: pd.DataFrame
    max_ltv_median: float | None
    max_ltv_p95: float | None
    success_probability_unlevered: float  # on the first `comparison_paths` paths
    standard_error_unlevered: float
    success_probability_levered_same_paths: float  # the plan as it is on those same paths
    comparison_paths: int
    monthly_living_expenses: float  # month-0 recurring expenses (what the multiplier scales)
    living_rows: tuple[str, ...]  # the rows the multiplier scales
    max_safe_multiplier: float | None
    max_safe_monthly_spending: float | None
    max_safe_interval: tuple[float | None, float | None]  # 90% interval, monthly spending
    max_safe_status: str
    spending_curve: pd.DataFrame  # multiplier, monthly_spending, success, standard_error
    grid: pd.DataFrame  # spending multiplier × line scale, long form (+ standard_error)
    line_limit: float  # current total unsecured limit
    solver_paths: int
    headline: str
    notes: tuple[str, ...]
    return_model: str = "Lognormal"  # Settings › Return model
    #: Return model = Historical: the series, the bootstrap's figures and the plan through
    #: every historical window (``engine.analyses.historical``); else None.
    historical: historical_sequences.HistoricalResult | None = None

    @property
    def failures(self) -> int:
        """The number of paths that fail within the horizon."""
        return int(round((1.0 - self.success_probability) * self.paths))


def analyse(inputs, prior=None, options=None) -> MonteCarloResult:
    """Run the A5 simulation (``prior`` is unused; ``options`` is a ``RunOptions``)."""
    options = options or RunOptions()
    return finish(inputs, mc_run.run(inputs, options), options)


def finish(inputs, sim: mc_run.Simulated, options=None) -> MonteCarloResult:
    """The result's tables from the numbers (``mc_run.start`` computed them meanwhile)."""
    s = inputs.settings
    years, paths, living0 = sim.years, sim.paths, sim.monthly_living_expenses
    sol = sim.spending
    if sol is not None:
        multiplier, status = sol.multiplier, sol.status
        interval = tuple(None if m is None else m * living0 for m in sol.interval)
        curve = pd.DataFrame(sol.curve, columns=["multiplier", "success"])
    else:
        multiplier, status, interval = None, T("mc.no_monthly_living_costs"), (None, None)
        curve = pd.DataFrame({"multiplier": [], "success": []})
    curve.insert(1, "monthly_spending", curve["multiplier"] * living0)
    curve["standard_error"] = [stats.standard_error(x, paths) for x in curve["success"]]
    grid = pd.DataFrame(
        [
            {
                "spending_multiplier": sm,
                "monthly_spending": sm * living0,
                "line_scale": ls,
                "line_limit": ls * sim.line_limit,
                "success": sim.grid_success[(sm, ls)],
                "standard_error": stats.standard_error(sim.grid_success[(sm, ls)], paths),
            }
            for sm in solvers.GRID_SPENDING
            for ls in solvers.GRID_LINE
        ]
    )
    pct = pd.DataFrame(
        {
            "year": np.arange(1, years + 1),
            "calendar_year": s.valuation_date.year + np.arange(years),
            **sim.percentiles,
        }
    )
    worst = sim.worst_ltv
    p, p_unlev = sim.success_probability, sim.success_probability_unlevered
    result = MonteCarloResult(
        paths=paths,
        seed=sim.seed,
        years=years,
        currency=s.base_currency,
        target_success_probability=s.target_success_probability,
        success_probability=p,
        standard_error=stats.standard_error(p, paths),
        ci95=stats.wilson_interval(p, paths),
        survival=pd.DataFrame(
            {
                "year": np.arange(1, years + 1),
                "age": s.current_age + np.arange(1, years + 1),
                "survival": stats.survival_by_year(sim.failure_month, years),
            }
        ),
        failure_histogram=pd.DataFrame(stats.failure_histogram(sim.failure_month, years)),
        percentiles=pct,
        fan=pd.DataFrame(stats.fan_bands(pct)),
        **{f.name: getattr(sim, f.name) for f in fields(mc_run.PathEvents)},
        max_ltv_histogram=pd.DataFrame()
        if worst is None
        else pd.DataFrame(stats.max_ltv_histogram(worst)),
        max_ltv_median=None if worst is None else float(np.median(worst)),
        max_ltv_p95=None if worst is None else float(np.percentile(worst, 95)),
        success_probability_unlevered=p_unlev,
        standard_error_unlevered=stats.standard_error(p_unlev, sim.comparison_paths),
        success_probability_levered_same_paths=sim.success_probability_levered_same_paths,
        comparison_paths=sim.comparison_paths,
        monthly_living_expenses=living0,
        living_rows=sim.living_rows,
        max_safe_multiplier=multiplier,
        max_safe_monthly_spending=None if multiplier is None else multiplier * living0,
        max_safe_interval=interval,
        max_safe_status=status,
        spending_curve=curve,
        grid=grid,
        line_limit=sim.line_limit,
        solver_paths=sim.solver_paths,
        headline="",
        notes=sim.notes,
    )
    return _with_headline(_with_history(inputs, result))


def _with_history(inputs, r: MonteCarloResult) -> MonteCarloResult:
    """With Return model = Historical: the historical sequences beside the bootstrap."""
    from dataclasses import replace

    model = inputs.settings.return_model
    if model != "Historical":
        return replace(r, return_model=model)
    hist = historical_sequences.analyse(inputs, r.seed)
    seq = hist.sequences
    if seq.windows:
        worst = ", ".join(w["start"] for w in hist.worst_starts)
        note = T(
            "mc.return_model_historical_a_stationary_2",
            mean_block=hist.mean_block,
            first_month=hist.first_month,
            last_month=hist.last_month,
            windows=seq.windows,
            years=r.years,
            sequence_success=_share(hist.sequence_success),
            worst=worst,
        )
    else:
        note = T("mc.return_model_historical_the_history", n_months=hist.n_months, years=r.years)
    return replace(r, return_model=model, historical=hist, notes=(note, *r.notes))


def _share(x: float) -> str:
    """A probability for a sentence: one decimal, two when one would round to 0 or 100%."""
    text = f"{x:.1%}"
    if text in ("100.0%", "0.0%") and 0 < x < 1:
        text = f"{x:.2%}"
    return text


def _with_headline(r: MonteCarloResult) -> MonteCarloResult:
    """The sheet's first sentence, in the same words as the Dashboard's verdict and tile
    (``mc_stats.share_text``: never 100% when a path fails)."""
    from dataclasses import replace

    interval = T("mc.95_interval_share_share2", share=_share(r.ci95[0]), share2=_share(r.ci95[1]))
    target = T(
        "mc.target_target_success_probability_0",
        target_success_probability=r.target_success_probability,
    )
    fail = stats.failures_text(r.failures, r.paths)
    if r.failures == 0:
        text = T(
            "mc.all_paths_simulated_years_year",
            paths=r.paths,
            years=r.years,
            fail=fail,
            interval=interval,
            target=target,
        )
    else:
        text = T(
            "mc.success_probability_of_paths_simulated",
            success_probability=stats.share_text(r.success_probability),
            paths=r.paths,
            years=r.years,
            fail=fail,
            interval=interval,
            target=target,
        )
    return replace(r, headline=text)


#: The probabilities of a run, each with a standard error (SPEC §4 A5, §6).
PROBABILITIES = (
    "success_probability",
    "income_covered_probability",
    "p_margin_call",
    "p_sale_under_call",
    "p_liquidation",
    "p_forced_sale",
    "p_line_drawn",
    "p_lines_fully_drawn",
)


def standard_errors(r: MonteCarloResult) -> dict[str, float]:
    """√(p(1 − p)/n) of every probability (n: the paths it was measured on)."""
    out = {key: stats.standard_error(getattr(r, key), r.paths) for key in PROBABILITIES}
    out["success_probability_unlevered"] = r.standard_error_unlevered
    return out


def to_json(r: MonteCarloResult) -> dict[str, Any]:
    """The SPEC §6 ``monte_carlo`` block (plus documented extra keys)."""
    pct = r.percentiles
    block = {
        "success_probability": r.success_probability,
        "standard_error": r.standard_error,
        "ci95": list(r.ci95),
        "p_margin_call": r.p_margin_call,
        "p_forced_sale": r.p_forced_sale,
        "failures": r.failures,
        "income_covered_probability": r.income_covered_probability,
        "income_covered_standard_error": stats.standard_error(
            r.income_covered_probability, r.paths
        ),
        "p_sale_under_call": r.p_sale_under_call,
        "p_liquidation": r.p_liquidation,
        "p_line_drawn": r.p_line_drawn,
        "p_lines_fully_drawn": r.p_lines_fully_drawn,
        "standard_errors": standard_errors(r),
        "success_probability_unlevered": r.success_probability_unlevered,
        "success_probability_levered_same_paths": r.success_probability_levered_same_paths,
        "comparison_paths": r.comparison_paths,
        "max_safe_monthly_spending": r.max_safe_monthly_spending,
        "max_safe_monthly_spending_interval": list(r.max_safe_interval),
        "survival_by_year": r.survival["survival"].to_numpy(),
        # extra keys (never renamed)
        "paths": r.paths,
        "seed": r.seed,
        "target_success_probability": r.target_success_probability,
        "max_safe_multiplier": r.max_safe_multiplier,
        "max_safe_status": r.max_safe_status,
        "monthly_living_expenses": r.monthly_living_expenses,
        "living_cost_rows": list(r.living_rows),
        "solver_paths": r.solver_paths,
        "failures_by_year": [int(v) for v in r.failure_histogram["failures"]],
        "max_ltv_median": r.max_ltv_median,
        "max_ltv_p95": r.max_ltv_p95,
        "real_net_worth_percentiles": {
            f"p{q}": pct[f"real_net_worth_p{q}"].to_numpy() for q in stats.PERCENTILES
        },
        "debt_percentiles": {f"p{q}": pct[f"debt_p{q}"].to_numpy() for q in stats.PERCENTILES},
        "real_passive_income_percentiles": {
            f"p{q}": pct[f"real_passive_income_p{q}"].to_numpy() for q in stats.PERCENTILES
        },
        "grid": r.grid.to_dict("records"),
        "spending_curve": r.spending_curve.to_dict("records"),
        "headline": r.headline,
        "return_model": r.return_model,
        "historical_sequence_success": None
        if r.historical is None
        else r.historical.sequence_success,
        "historical": historical_sequences.to_json(r.historical),
    }
    return jsonable(block)
