"""The A5 solvers on every path (issue "Honest statistics"): classification against a
ladder equals brute force, the max safe spending agrees with the exact answer within its
own 90% interval, the interval covers the truth as often as it says, and probabilities
are never shown as 100% or 0% when a path differs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analyses import mc_run
from engine.analyses import mc_solvers as solvers
from engine.analyses.mc_engine import A5_RULES, run_on
from engine.analyses.mc_stats import failures_text, share_text
from engine.analyses.options import RunOptions
from engine.kernel import Overrides, compile_plan
from engine.model.returns import factor_model, simulate_log_returns
from tests.factories import cash, equity, expense, line, make_inputs, secured_loan
from tests.test_mc_exactness import SELLING_COST, W0, exact_survival


# --------------------------------------------------------------------------- classification
def levered(spending=400_000.0, years=6):
    return make_inputs(
        holdings=[equity("Core", 100e6, pledged_to="SBL", dps=30.0, dividend_policy="Fixed"),
                  equity("Growth", 20e6, cls="Foreign equity"), cash(5e6)],
        loans=[secured_loan(balance=50e6, limit=60e6), line(limit=8e6, rate=0.01)],
        cashflows=[expense(spending)], horizon_years=years, cash_buffer_months=6.0,
    )  # fmt: skip


def test_classifying_against_a_ladder_equals_running_every_level():
    inputs = levered(900_000.0)
    plan = compile_plan(inputs)
    lr = simulate_log_returns(factor_model(inputs, plan.factor_labels), 4, 200, plan.months)
    levels = (0.3, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.6, 2.5)
    base = run_on(plan, lr, Overrides(**A5_RULES)).survived
    grid, spending = solvers.grid_and_spending(plan, lr, base, levels)
    for m in levels:
        direct = run_on(plan, lr, Overrides(**A5_RULES, spending_multiplier=m)).survived
        assert np.array_equal(spending[m], direct), m
    assert 0 < spending[1.6].mean() < spending[0.6].mean()  # the ladder spans fates


def test_a_batch_that_drops_its_failed_paths_equals_one_run_per_column():
    """run_columns drops the columns that failed once a quarter of them has (they cannot
    come back): survival and whether the lines were asked for money are those of each
    column run alone, repeated paths and mixed line sizes included."""
    inputs = levered(900_000.0)
    plan = compile_plan(inputs)
    lr = simulate_log_returns(factor_model(inputs, plan.factor_labels), 9, 120, plan.months)
    rng = np.random.default_rng(0)
    paths = rng.integers(0, 120, 300)
    spend = rng.choice([0.5, 1.0, 2.0, 4.0], 300)  # 4× fails most paths early
    scale = rng.choice([0.0, 1.0, 2.0], 300)
    alive, asked = solvers.run_columns(plan, lr, paths, spend, scale, True)
    assert 0.2 < alive.mean() < 0.8  # some columns were dropped along the way
    for c in range(0, 300, 7):
        o = Overrides(**A5_RULES, spending_multiplier=spend[c], line_limit_scale=scale[c])
        alone = run_on(plan, lr[:, :, paths[c] : paths[c] + 1], o)
        assert alive[c] == alone.survived[0], c
        assert asked[c] == alone.line_consulted[0], c
    # every column failing early: the batch ends when none is left
    alive, asked = solvers.run_columns(plan, lr, paths[:40], np.full(40, 50.0), 1.0, True)
    assert not alive.any() and asked.all()


@pytest.mark.parametrize(
    "fee, levels",
    [(0.0, ()), (0.003, ()), (0.003, (1.3, 1.6, 2.0)), (0.5, (1.3, 1.6, 2.0, 3.0))],
)
def test_the_grid_equals_running_every_cell_with_every_rule_on(fee, levels):
    """Including the shortcut for paths that never reach the line: any smaller line; a
    larger one without a fee, or with one when the spending a path survived above 120%
    pays the larger line's extra fee every month (a 50% fee on ¥8M is ¥333K a month:
    more than 1.3× − 1.2× of ¥700K, less than 2× − 1.2×, so both sides of that test
    are taken). The grid equals running each of its 20 cells."""
    inputs = levered(700_000.0)
    inputs = inputs.with_loans((inputs.loans[0], replace(inputs.loans[1], commitment_fee=fee,
                                                         crisis_limit_cut=0.5)))  # fmt: skip
    plan, model = mc_run.a5_plan(inputs)
    assert plan.inflation_path  # the living cost moves with each path's prices
    lr = simulate_log_returns(model, 8, 250, plan.months)
    base = run_on(plan, lr, Overrides(**A5_RULES)).survived
    grid, _ = solvers.grid_and_spending(plan, lr, base, levels)
    for (m, g), alive in grid.items():
        o = Overrides(**A5_RULES, spending_multiplier=m, line_limit_scale=g)
        assert np.array_equal(alive, run_on(plan, lr, o).survived), (m, g)
    assert 0 < grid[(1.2, 0.0)].mean() < 1


@given(seed=st.integers(0, 10_000), more=st.floats(1.01, 3.0))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_spending_more_never_saves_a_path_with_every_v2_rule_on(seed, more):
    # taxes, floating rates, dividends following prices and inflation as a path: A5's plan
    inputs = levered(600_000.0)
    plan, model = mc_run.a5_plan(inputs)
    lr = simulate_log_returns(model, seed, 120, plan.months)
    low = run_on(plan, lr, Overrides(**A5_RULES)).survived
    high = run_on(plan, lr, Overrides(**A5_RULES, spending_multiplier=more)).survived
    assert not np.any(high & ~low)


# --------------------------------------------------------------------------- exactness
MONTHS = 60


def one_asset(mu, sigma, c, target):
    """The exact-recursion household of test_mc_exactness: one asset, no cash, no loans,
    no dividends, no inflation, no tax, constant living costs c a month."""
    inputs = make_inputs(
        holdings=[equity(value=W0)], cashflows=[expense(c)], horizon_years=MONTHS // 12,
        expense_inflation=0.0, inflation_volatility=0.0, cash_buffer_months=0.0,
        selling_cost=SELLING_COST, capital_gains_tax_rate=0.0, target_success_probability=target,
    )  # fmt: skip
    classes = tuple(
        replace(cl, expected_return=mu, volatility=sigma) if cl.name == "Domestic equity" else cl
        for cl in inputs.asset_classes
    )
    return replace(inputs, asset_classes=classes)


def exact_max_safe(mu, sigma, target) -> float:
    """The spending c with exact survival = target (bisection on the recursion)."""
    lo, hi = 1_000.0, 60_000.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if exact_survival(mu, sigma, mid, MONTHS) >= target else (lo, mid)
    return lo


@pytest.mark.parametrize("mu, sigma, target", [(0.05, 0.18, 0.8), (0.07, 0.25, 0.75)])
def test_max_safe_spending_agrees_with_the_exact_answer_within_its_interval(mu, sigma, target):
    exact = exact_max_safe(mu, sigma, target)
    c = 15_000.0  # today's living costs; the solver finds the multiplier on them
    sim = mc_run.run(one_asset(mu, sigma, c, target), RunOptions(paths=8_000, seed=5))
    lo, hi = sim.spending.interval
    assert sim.spending.status == "found"
    assert lo * c <= exact <= hi * c, (lo * c, exact, hi * c)
    assert lo < sim.spending.multiplier < hi


def test_the_90_percent_interval_covers_the_truth_as_often_as_it_says():
    """40 seeds at 2,000 paths: if the interval covers the exact answer with probability
    0.9, the number of covering seeds is Binomial(40, 0.9): P(31 ≤ X ≤ 40) = 0.990."""
    mu, sigma, target = 0.05, 0.18, 0.8
    exact = exact_max_safe(mu, sigma, target)
    c = 15_000.0
    inputs = one_asset(mu, sigma, c, target)
    covered = 0
    for seed in range(40):
        sim = mc_run.run(inputs, RunOptions(paths=2_000, seed=100 + seed))
        lo, hi = sim.spending.interval
        covered += lo * c <= exact <= hi * c
    assert 31 <= covered <= 40, covered


def test_every_figure_is_on_every_path():
    sim = mc_run.run(levered(), RunOptions(paths=3_000, seed=2))
    assert sim.solver_paths == sim.comparison_paths == sim.paths == 3_000
    assert set(sim.grid_success) == {(m, g) for m in solvers.GRID_SPENDING
                                     for g in solvers.GRID_LINE}  # fmt: skip
    # the grid's base cell is the plan as it is, the headline figure
    assert sim.grid_success[solvers.BASE_CELL] == sim.success_probability


# --------------------------------------------------------------------------- display
@pytest.mark.parametrize(
    "survive, paths, share, words",
    [
        (9_987, 10_000, "99.9%", "13 of 10,000 futures fail"),
        (9_996, 10_000, "> 99.9%", "4 of 10,000 futures fail"),
        (10_000, 10_000, "100%", "none fail"),
        (3, 10_000, "< 0.1%", "9,997 of 10,000 futures fail"),
        (0, 10_000, "0%", "all 10,000 futures fail"),
    ],
)
def test_a_probability_is_never_shown_as_100_or_0_when_a_path_differs(survive, paths, share,
                                                                      words):  # fmt: skip
    assert share_text(survive / paths) == share
    assert failures_text(paths - survive, paths) == words


@pytest.mark.parametrize("survive, share", [(9_987, "99.9%"), (9_996, "> 99.9%"),
                                            (10_000, "100%"), (3, "< 0.1%")])  # fmt: skip
def test_the_headline_the_verdict_and_the_tile_say_the_same(survive, share):
    from engine.analyses import dashboard_tiles, monte_carlo
    from engine.analyses.dashboard import verdict

    paths = 10_000
    failures = paths - survive
    block = {"success_probability": survive / paths, "failures": failures, "paths": paths,
             "ci95": [0.99, 1.0]}  # fmt: skip
    tile = dashboard_tiles.fire_tile(block, 0.9, "JPY")
    shown = tile.text or f"{tile.value:.1%}"
    assert shown == share
    words = failures_text(failures, paths)
    assert words in " ".join(tile.detail)
    text = verdict("Watch", {"monte_carlo": block}, [tile], 0.9)
    assert f"survives {share} of simulated futures ({words}" in text
    r = replace(
        monte_carlo.analyse(levered(), {}, RunOptions(paths=200)),
        success_probability=survive / paths,
        paths=paths,
        headline="",
    )
    headline = monte_carlo._with_headline(r).headline
    if survive < paths:
        assert headline.startswith(f"{share} of 10,000") and words in headline
    else:
        assert "All 10,000" in headline and "none fail" in headline


@given(paths=st.integers(1, 120_000))
def test_chunks_cover_every_path_once_in_two_equal_shares(paths):
    """Whole blocks from path 0, every path once; the two processes' shares (even and
    odd chunks) differ by at most one block; at most CHUNK_PATHS a chunk."""
    chunks = mc_run.balanced_chunks(paths)
    starts = [first for first, _ in chunks]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(first % mc_run.BLOCK_PATHS == 0 for first in starts)
    assert sum(n for _, n in chunks) == paths
    pairs = zip(chunks, chunks[1:], strict=False)
    assert all(a + n == b for (a, n), (b, _) in pairs)  # no gap, no overlap
    assert all(0 < n <= mc_run.CHUNK_PATHS for _, n in chunks)
    here, away = (sum(n for _, n in chunks[k::2]) for k in (0, 1))
    assert abs(here - away) <= mc_run.BLOCK_PATHS
