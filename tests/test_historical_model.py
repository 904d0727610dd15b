"""The Historical return model's bootstrap (SPEC §3; engine.model.bootstrap)."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from factories import equity, expense, make_inputs, secured_loan

from engine import kernel
from engine.analyses import historical
from engine.analyses.mc_engine import A5_RULES
from engine.analyses.mc_run import a5_plan
from engine.model import History
from engine.model.bootstrap import (
    MEAN_BLOCK_MONTHS,
    FactorSource,
    HistoricalModel,
    historical_model,
)
from engine.model.history_data import month_index, us_stocks

SEED = 7


def months_from(first: date, n: int) -> tuple[date, ...]:
    k = month_index(first)
    return tuple(date((k + i) // 12, (k + i) % 12 + 1, 1) for i in range(n))


def numbered_model(n_months: int) -> HistoricalModel:
    """A one-factor model whose month k 'returns' k: a slab shows which months were drawn."""
    return HistoricalModel(
        labels=("S",),
        months=np.arange(n_months, dtype=np.int64),
        table=np.arange(n_months, dtype=float)[:, None],
        sources=(FactorSource("S", "S"),),
    )


def with_history(inputs, history: History, **series_by_class):
    classes = tuple(
        dataclasses.replace(c, history_series=series_by_class.get(c.name))
        for c in inputs.asset_classes
    )
    return dataclasses.replace(inputs, asset_classes=classes, history=history)


def test_the_bootstrap_draws_only_months_that_exist():
    n = 37
    slab = numbered_model(n).stream(SEED, 0, 3000, 240, slab_months=240).next_slab()
    drawn = slab[:, 0, :]
    assert np.all(drawn == np.round(drawn))
    assert drawn.min() == 0 and drawn.max() == n - 1  # every month, and no other
    # each month about equally often (circular bootstrap): 720,000 draws, 1/37 each
    counts = np.bincount(drawn.astype(int).ravel(), minlength=n) / drawn.size
    assert np.all(np.abs(counts - 1 / n) < 0.15 / n)


def test_every_series_takes_the_same_month():
    # two History series, one the other × 2: a draw that mixed months would break it
    n = 120
    rng = np.random.default_rng(3)
    a = rng.normal(0.005, 0.04, n)
    history = History(months_from(date(2001, 1, 1), n), {"A": tuple(a), "B": tuple(2 * a)})
    inputs = with_history(
        make_inputs(fx=(), return_model="Historical"),
        history,
        **{"Domestic equity": "A", "Foreign equity": "B"},
    )
    model = historical_model(inputs, ("Domestic equity", "Foreign equity"))
    slab = model.stream(SEED, 0, 2000, 60, slab_months=60).next_slab()
    np.testing.assert_allclose(np.expm1(slab[:, 1]), 2 * np.expm1(slab[:, 0]), rtol=1e-12)


def test_mean_block_length_is_12_months_within_sampling_error():
    """Each month after the first a path jumps with probability p = 1/12 (Bernoulli, all
    independent), so over n = paths × (T − 1) transitions p̂ = jumps / n has standard error
    √(p(1 − p)/n) and the mean block length 1/p̂ (delta method) √(p(1 − p)/n) / p². Here
    n = 2,000 × 599: s.e. ≈ 0.036 months; we allow 4 s.e. A jump that lands on the next
    month anyway is invisible (probability 1/N), so the jumps we see are p(1 − 1/N)."""
    n_months, paths, T = 1829, 2000, 600
    drawn = numbered_model(n_months).stream(SEED, 0, paths, T, slab_months=T).next_slab()[:, 0]
    following = (drawn[:-1] + 1) % n_months
    jumps = int((drawn[1:] != following).sum())
    n = paths * (T - 1)
    p_seen = jumps / n
    p_hat = p_seen / (1 - 1 / n_months)
    p = 1 / MEAN_BLOCK_MONTHS
    se_length = np.sqrt(p * (1 - p) / n) / p**2
    assert abs(1 / p_hat - MEAN_BLOCK_MONTHS) < 4 * se_length
    assert se_length < 0.05


def test_path_j_does_not_depend_on_the_number_of_paths_the_chunk_or_the_slab():
    model = numbered_model(500)
    big = model.stream(SEED, 0, 2500, 30, slab_months=30).next_slab()
    small = model.stream(SEED, 0, 1000, 30, slab_months=30).next_slab()
    np.testing.assert_array_equal(big[:, :, :1000], small)
    second = model.stream(SEED, 1000, 1000, 30, total_paths=2500, slab_months=30).next_slab()
    np.testing.assert_array_equal(big[:, :, 1000:2000], second)
    monthly = np.concatenate(list(model.stream(SEED, 0, 2500, 30, slab_months=1).slabs()))
    np.testing.assert_array_equal(big, monthly)
    other_seed = model.stream(SEED + 1, 0, 1000, 30, slab_months=30).next_slab()
    assert not np.array_equal(other_seed, small)


def test_spans_are_the_months_every_series_covers_and_cpi_drives_inflation():
    n = 36
    history = History(
        months_from(date(2000, 1, 1), n), {"TOPIX": (0.01,) * n, "FX:USD": (0.002,) * n}
    )
    inputs = with_history(
        make_inputs(return_model="Historical"),
        history,
        **{"Domestic equity": "TOPIX", "Foreign equity": "US stocks"},
    )
    labels = ("Domestic equity", "Foreign equity", "REIT", "FX:USD", "Inflation")
    model = historical_model(inputs, labels)
    assert model.first_month == date(2000, 1, 1) and model.last_month == date(2002, 12, 1)
    d = us_stocks()
    k = int(np.flatnonzero(d.return_months == month_index(date(2000, 1, 1)))[0])
    np.testing.assert_allclose(model.table[:, 0], np.log(1.01))
    np.testing.assert_allclose(model.table[:, 1], np.log1p(d.price_return[k : k + n]))
    np.testing.assert_array_equal(model.table[:, 2], 0.0)  # REIT names no series
    np.testing.assert_allclose(model.table[:, 3], np.log(1.002))  # the FX:USD column
    # the annual inflation rate of a month: the CPI change over the 12 months to it
    cpi = d.cpi[k - 11 : k + n + 1]  # CPI of the months before and through the span
    np.testing.assert_allclose(model.table[:, 4], cpi[12:] / cpi[:-12] - 1, rtol=1e-12)
    assert [s.series for s in model.sources] == ["TOPIX", "US stocks", None, "FX:USD", "CPI (US)"]


def test_series_that_share_no_month_are_an_error_naming_them():
    history = History(months_from(date(2024, 1, 1), 12), {"TOPIX": (0.01,) * 12})
    inputs = with_history(
        make_inputs(fx=(), return_model="Historical"),
        history,
        **{"Domestic equity": "TOPIX", "Foreign equity": "US stocks"},
    )
    with pytest.raises(ValueError, match="share no month.*TOPIX 2024-01.*US stocks"):
        historical_model(inputs, ("Domestic equity", "Foreign equity"))


def test_a_flat_history_gives_the_deterministic_path_in_the_bootstrap_and_the_sequences():
    """Every month returns r = 0.4% and consumer prices rise 0.1%: every bootstrapped path
    and every historical window is the one deterministic path at r (with a secured loan,
    dividends that follow prices — exactly their policy on the median path — and floating
    interest that moves with inflation)."""
    n, r, i = 120, 0.004, 0.001
    history = History(months_from(date(2010, 1, 1), n), {"Flat": (r,) * n}, (i,) * n)
    base = make_inputs(
        holdings=(equity("Stocks", 125e6, pledged_to="SBL", dps=30.0, dividend_policy="Fixed"),),
        loans=(secured_loan(rate_type="Floating"),),
        cashflows=(expense(300_000.0),),
        fx=(),
        horizon_years=5,
        return_model="Historical",
    )
    inputs = with_history(base, history, **{"Domestic equity": "Flat"})
    classes = tuple(
        dataclasses.replace(c, dividend_beta=0.6) if c.name == "Domestic equity" else c
        for c in inputs.asset_classes
    )
    inputs = dataclasses.replace(inputs, asset_classes=classes)
    plan, model = a5_plan(inputs)
    assert plan.class_dividend_beta[0] == 0.6 and plan.class_median_drift[0] == pytest.approx(
        np.log1p(r)
    )
    assert plan.factor_labels == ("Domestic equity", "Inflation")
    rules = kernel.Overrides(**A5_RULES)
    path = np.empty((plan.months, 2, 1))
    path[:, 0], path[:, 1] = np.log1p(r), (1 + i) ** 12 - 1
    one = kernel.run(plan, path, rules)
    boot = kernel.run(plan, list(model.stream(SEED, 0, 1000, plan.months).slabs()), rules)
    seq = historical.run_windows(plan, model, rules)
    assert seq.paths == n - plan.months + 1 == 61
    for rec in (boot, seq):
        np.testing.assert_allclose(rec.final_net_worth, one.final_net_worth[0], rtol=1e-12)
        np.testing.assert_allclose(
            rec.passive_income_yearly,
            np.broadcast_to(one.passive_income_yearly, rec.passive_income_yearly.shape),
            rtol=1e-12,
        )
        np.testing.assert_allclose(rec.price_level_yearly[:, -1], (1 + i) ** 60, rtol=1e-12)
    assert one.survived[0] and one.final_net_worth[0] > 0
    assert np.all(one.passive_income_yearly > 0)  # dividends 125,000 units × 30 a year
