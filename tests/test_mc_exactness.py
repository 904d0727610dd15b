"""The Monte Carlo against an exact, independent reference (no random numbers).

One asset class, no cash, no buffer, no loans, no dividends, no inflation, constant
spending c. By SPEC §3 each month W' = W·R − a with a = c/(1 − k), and the path fails in
the first month with W·R ≤ a. The survival probability over n months solves the
backward recursion on a wealth grid

    V_{n−1}(w) = P(w·R > a) = 1 − Φ((ln(a/w) − m/12) / (s/√12))
    V_t(w)     = E[ V_{t+1}(w·R − a) ],   V_{t+1}(x) = 0 for x ≤ 0,

with the expectation over the monthly lognormal R = exp(m/12 + s/√12·Z) by
Gauss–Hermite quadrature and V interpolated linearly between grid points. The
simulation must agree within 3 standard errors.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.stats import norm

from engine.analyses.mc_engine import Rider, simulate
from engine.analyses.mc_stats import standard_error
from engine.kernel import compile_plan
from engine.model.returns import factor_model
from tests.factories import equity, expense, make_inputs

W0 = 1_000_000.0
SELLING_COST = 0.005
YEARS = 5


def _lognormal(mu: float, sigma: float) -> tuple[float, float]:
    """SPEC §3, written out again here on purpose (independent of engine.model.returns)."""
    s2 = math.log(1.0 + sigma**2 / (1.0 + mu) ** 2)
    return math.log(1.0 + mu) - s2 / 2.0, math.sqrt(s2)


def exact_survival(mu, sigma, c, months, k=SELLING_COST, nodes=40, grid=3000, top=6.0):
    """Backward recursion over a wealth grid with Gauss–Hermite quadrature."""
    m, s = _lognormal(mu, sigma)
    drift, vol = m / 12.0, s / math.sqrt(12.0)
    a = c / (1.0 - k)
    w = np.linspace(0.0, top * W0, grid)
    with np.errstate(divide="ignore"):
        v = np.where(w > 0, norm.sf((np.log(a / np.where(w > 0, w, 1.0)) - drift) / vol), 0.0)
    x, weights = np.polynomial.hermite.hermgauss(nodes)
    weights = weights / math.sqrt(math.pi)
    growth = np.exp(drift + vol * math.sqrt(2.0) * x)
    for _ in range(months - 1):
        after = w[:, None] * growth[None, :] - a
        v = np.interp(after, w, v, left=0.0, right=v[-1]) @ weights
    return float(np.interp(W0, w, v))


def simulated_survival(mu, sigma, c, paths, seed=11):
    inputs = make_inputs(
        holdings=[equity(value=W0)],
        cashflows=[expense(c)],
        horizon_years=YEARS,
        expense_inflation=0.0,
        inflation_volatility=0.0,
        cash_buffer_months=0.0,
        selling_cost=SELLING_COST,
        capital_gains_tax_rate=0.0,  # the exact recursion sells at a fixed cost k
    )
    classes = tuple(
        replace(cl, expected_return=mu, volatility=sigma) if cl.name == "Domestic equity" else cl
        for cl in inputs.asset_classes
    )
    inputs = replace(inputs, asset_classes=classes)
    plan = compile_plan(inputs)
    assert plan.factor_labels == ("Domestic equity",)
    model = factor_model(inputs, plan.factor_labels)
    records, _ = simulate(model, seed, paths, plan.months, [Rider("main", plan)], prefetch=False)
    return float(records["main"].survived.mean())


def test_reference_matches_its_own_closed_form_for_one_month():
    # V for a single month is P(W·R > a) exactly
    m, s = _lognormal(0.05, 0.18)
    a = 950_000 / (1 - SELLING_COST)
    z = (math.log(a / W0) - m / 12) / (s / math.sqrt(12))
    assert exact_survival(0.05, 0.18, 950_000, 1) == pytest.approx(norm.sf(z), abs=1e-3)


@pytest.mark.parametrize(
    "mu, sigma, spending, seed",
    [(0.05, 0.18, 14_000.0, 1), (0.07, 0.25, 16_000.0, 2), (0.03, 0.10, 17_000.0, 3)],
)
def test_simulation_agrees_with_the_exact_survival_probability(mu, sigma, spending, seed):
    paths = 20_000
    exact = exact_survival(mu, sigma, spending, 12 * YEARS)
    assert 0.60 <= exact <= 0.95  # the interesting middle, not a trivial 0 or 1
    simulated = simulated_survival(mu, sigma, spending, paths, seed=seed)
    se = standard_error(exact, paths)
    assert abs(simulated - exact) <= 3 * se, (simulated, exact, se)
