"""The return model (SPEC §3): lognormal parameters, correlation, seeding, blocks."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.model import Correlations
from engine.model.returns import (
    BLOCK_PATHS,
    ReturnStream,
    check_correlation,
    check_paths,
    correlation_loading,
    factor_model,
    lognormal_params,
    simulate_log_returns,
)
from tests.factories import make_inputs


def test_lognormal_params_by_hand():
    # μ = 5%, σ = 18%: s² = ln(1 + 0.18²/1.05²) = ln(1 + 0.0324/1.1025) = ln(1.0293878)
    s2 = math.log(1 + 0.0324 / 1.1025)
    m, s = lognormal_params(0.05, 0.18)
    assert s == pytest.approx(math.sqrt(s2), rel=1e-12)
    assert m == pytest.approx(math.log(1.05) - s2 / 2, rel=1e-12)
    assert s == pytest.approx(0.170189, abs=1e-6)
    assert m == pytest.approx(0.034308, abs=1e-6)


@given(mu=st.floats(-0.5, 0.5), sigma=st.floats(0.0, 0.8))
@settings(max_examples=50, deadline=None)
def test_lognormal_params_reproduce_mean_and_volatility(mu, sigma):
    m, s = lognormal_params(mu, sigma)
    mean = math.exp(m + s * s / 2)
    sd = math.sqrt(math.expm1(s * s) * math.exp(2 * m + s * s))
    assert mean == pytest.approx(1 + mu, rel=1e-9)
    assert sd == pytest.approx(sigma, rel=1e-9, abs=1e-12)


def _model(classes=("Domestic equity", "Foreign equity", "FX:USD")):
    return factor_model(make_inputs(), classes)


def test_monthly_moments_and_correlation():
    model = _model()
    lr = simulate_log_returns(model, seed=7, paths=20_000, months=12)  # (months, F, paths)
    m, s = lognormal_params(0.05, 0.18)  # Domestic equity template defaults
    dom = lr[:, 0, :].ravel()
    assert dom.mean() == pytest.approx(m / 12, abs=4 * s / math.sqrt(12) / math.sqrt(dom.size))
    assert dom.std() == pytest.approx(s / math.sqrt(12), rel=0.01)
    # the annual gross return has mean 1 + μ
    annual = np.exp(lr[:, 0, :].sum(axis=0))
    assert annual.mean() == pytest.approx(1.05, abs=4 * 0.18 / math.sqrt(annual.size))
    corr = np.corrcoef(lr.transpose(1, 0, 2).reshape(3, -1))
    assert corr[0, 1] == pytest.approx(0.75, abs=0.01)
    assert corr[0, 2] == pytest.approx(0.30, abs=0.01)


def test_singular_but_psd_correlation_uses_eigen_fallback():
    corr = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    loading = correlation_loading(corr)
    np.testing.assert_allclose(loading @ loading.T, corr, atol=1e-12)


def test_not_psd_is_a_clear_error():
    corr = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    with pytest.raises(ValueError, match="positive semi-definite"):
        check_correlation(corr)
    labels = ("Domestic equity", "Foreign equity", "REIT")
    inputs = replace(make_inputs(), correlations=Correlations(labels, tuple(map(tuple, corr))))
    with pytest.raises(ValueError, match="Correlations"):
        factor_model(inputs, ("Domestic equity",))


def test_paths_are_checked():
    with pytest.raises(ValueError, match="at least 1"):
        check_paths(0)
    with pytest.raises(ValueError, match="at most 1,000,000"):
        check_paths(1_000_001)
    assert check_paths(1_000_000) == 1_000_000


def test_same_seed_same_numbers_other_seed_other_numbers():
    model = _model()
    a = simulate_log_returns(model, 42, 500, 24)
    b = simulate_log_returns(model, 42, 500, 24)
    c = simulate_log_returns(model, 43, 500, 24)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_paths_do_not_depend_on_the_total_or_the_slab_length():
    model = _model()
    months = 30
    small = simulate_log_returns(model, 3, BLOCK_PATHS, months)
    big = simulate_log_returns(model, 3, 3 * BLOCK_PATHS, months)
    assert np.array_equal(small, big[:, :, :BLOCK_PATHS])
    for slab in (1, 7, 30):
        stream = ReturnStream(model, 3, 0, 3 * BLOCK_PATHS, months, slab_months=slab)
        assert np.array_equal(np.concatenate(list(stream.slabs()), axis=0), big)
    # a stream over the second block only sees that block's numbers
    second = ReturnStream(model, 3, BLOCK_PATHS, BLOCK_PATHS, months, total_paths=3 * BLOCK_PATHS)
    got = np.concatenate(list(second.slabs()), axis=0)
    assert np.array_equal(got, big[:, :, BLOCK_PATHS : 2 * BLOCK_PATHS])


def test_zero_volatility_is_the_drift_exactly():
    inputs = make_inputs()
    inputs = replace(
        inputs,
        asset_classes=tuple(replace(c, volatility=0.0) for c in inputs.asset_classes),
    )
    model = factor_model(inputs, ("Domestic equity",))
    lr = simulate_log_returns(model, 1, 10, 5)
    assert np.all(lr == math.log1p(0.05) / 12)
