"""The return model (SPEC §3): correlated monthly lognormal factor returns.

A factor is an asset class (its price return in its own currency) or ``FX:<CCY>``
(base currency per unit of CCY). Each has an annual arithmetic mean μ and
volatility σ that define an annual lognormal gross return with E = 1 + μ, SD = σ:

    s² = ln(1 + σ² / (1 + μ)²),      m = ln(1 + μ) − s² / 2

Monthly log-returns are N(m/12, s²/12), correlated across factors by the
Correlations matrix ρ:  r_t = m/12 + A z_t with z_t ~ N(0, I) and
A = diag(s/√12) · L, L Lᵀ = ρ (Cholesky; an eigen-decomposition when ρ is positive
semi-definite but singular, e.g. two perfectly correlated factors).

Random numbers. Nothing global: one ``numpy.random.Generator`` (PCG64DXSM) per fixed
block of ``BLOCK_PATHS`` paths, block b seeded by ``SeedSequence(seed, spawn_key=(b,))``
(= ``SeedSequence(seed).spawn(...)[b]``): it depends only on (seed, b). Block b draws
its standard normals month after month, each month an array (factors, paths in
block). So path j gets the same returns whatever the total number of paths, the chunk
size (chunks are whole blocks) or the slab length: the first 2,000 paths of a
10,000-path run are exactly a 2,000-path run (common random numbers).

Slabs have shape (months, factors, paths). Small slabs (``SLAB_MONTHS``) keep the
working set in cache, which on a small machine is faster than one big array.

Inflation (SPEC §3, revision 2). When ``labels`` end with ``Inflation`` its row of a slab
is not a log-return but the month's annual inflation rate π_t of an Ornstein–Uhlenbeck
process around π̄ = Expense inflation, dπ = κ(π̄ − π)dt + σ_π dW, κ = ln 2 / 3 (a 3-year
half-life), discretised exactly month by month:

    π_0 = π̄,   π_{t+1} = π̄ + (π_t − π̄)·a + b·ε_t,   a = e^(−κ/12),
    b = σ_π √((1 − a²)/(2κ)),

ε_t the month's standard normal shock, correlated with the other factors through the
``Inflation`` row of Correlations (its loading row has unit variance). So E[π_t] = π̄ and
Var[π_t] = σ_π² (1 − e^(−2κt))/(2κ) at t years; the long-run s.d. is σ_π/√(2κ).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from engine.model.inputs import Inputs

#: Paths per random-number block (results do not depend on chunking in whole blocks).
BLOCK_PATHS = 1_000
#: Months per slab served by a ReturnStream (any value gives the same numbers).
SLAB_MONTHS = 2
#: Largest number of Monte Carlo paths accepted (SPEC §2 Settings).
MAX_PATHS = 1_000_000
FX_PREFIX = "FX:"
INFLATION = "Inflation"
#: Mean reversion of inflation: a 3-year half-life (SPEC §3).
INFLATION_KAPPA = float(np.log(2.0) / 3.0)


def lognormal_params(mu: float, sigma: float) -> tuple[float, float]:
    """Annual (m, s) of the log-return for an arithmetic mean ``mu`` and volatility ``sigma``.

    >>> m, s = lognormal_params(0.05, 0.18)
    >>> round(s, 6), round(m, 6)
    (0.170189, 0.034308)
    """
    if mu <= -1.0:
        raise ValueError(
            f"Expected return {mu:.1%} is impossible: a price cannot fall 100% on average"
        )
    if sigma < 0:
        raise ValueError(f"Volatility {sigma:.1%} is negative")
    s2 = float(np.log1p(sigma**2 / (1.0 + mu) ** 2))
    return float(np.log1p(mu)) - s2 / 2.0, float(np.sqrt(s2))


def check_correlation(matrix: np.ndarray, labels: Sequence[str] = ()) -> None:
    """Raise ValueError unless ``matrix`` is a valid correlation matrix (PSD, unit diagonal)."""
    c = np.asarray(matrix, dtype=float)
    name = "Correlations"
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"{name}: the matrix must be square; found shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name}: the matrix has blank or non-numeric entries")
    if not np.allclose(c, c.T, atol=1e-8):
        i, j = np.unravel_index(np.argmax(np.abs(c - c.T)), c.shape)
        pair = f" ({labels[i]} / {labels[j]})" if labels else ""
        raise ValueError(f"{name}: the matrix must be symmetric{pair}")
    if not np.allclose(np.diag(c), 1.0, atol=1e-8):
        raise ValueError(f"{name}: the diagonal must be 1 (each factor with itself)")
    if np.any(np.abs(c) > 1.0 + 1e-12):
        raise ValueError(f"{name}: correlations must lie between -1 and 1")
    smallest = float(np.linalg.eigvalsh(c).min()) if c.size else 0.0
    if smallest < -1e-8:
        raise ValueError(
            f"{name}: the matrix is not positive semi-definite (smallest eigenvalue "
            f"{smallest:.4f}); some correlations contradict each other — lower the "
            "largest ones or make them consistent"
        )


def correlation_loading(corr: np.ndarray) -> np.ndarray:
    """L with L Lᵀ = corr: Cholesky, or Q·√Λ when corr is PSD but singular."""
    check_correlation(corr)
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        w, q = np.linalg.eigh(corr)
        return q * np.sqrt(np.clip(w, 0.0, None))


@dataclass(frozen=True)
class InflationPath:
    """The Ornstein–Uhlenbeck inflation rate (module docstring), month by month."""

    mean: float  # π̄ = Expense inflation
    volatility: float  # σ_π per √year
    kappa: float = INFLATION_KAPPA

    @property
    def decay(self) -> float:
        """a = e^(−κ/12): how much of π_t − π̄ is left a month later."""
        return float(np.exp(-self.kappa / 12.0))

    @property
    def shock_scale(self) -> float:
        """b = σ_π √((1 − a²)/(2κ)): the s.d. of a month's change."""
        a = self.decay
        return float(self.volatility * np.sqrt((1.0 - a * a) / (2.0 * self.kappa)))

    def variance(self, years: float) -> float:
        """Var[π_t] at t years from π_0 = π̄: σ_π²(1 − e^(−2κt))/(2κ)."""
        k = self.kappa
        return float(self.volatility**2 * (1.0 - np.exp(-2.0 * k * years)) / (2.0 * k))


@dataclass(frozen=True)
class FactorModel:
    """Monthly log-return model of the factors a plan uses, in ``labels`` order."""

    labels: tuple[str, ...]
    annual_mean: np.ndarray  # μ (arithmetic)
    annual_vol: np.ndarray  # σ
    monthly_drift: np.ndarray  # m / 12
    loading: np.ndarray  # A: monthly log-returns = drift + A z
    inflation: InflationPath | None = None  # when the last label is ``Inflation``

    @property
    def n_factors(self) -> int:
        return len(self.labels)

    def stream(
        self,
        seed: int,
        first_path: int,
        n_paths: int,
        months: int,
        total_paths: int | None = None,
        slab_months: int = SLAB_MONTHS,
    ) -> ReturnStream:
        """Returns for paths [first_path, first_path + n_paths): a ``ReturnStream``. (The
        Historical model's ``stream`` has the same signature: the Monte Carlo asks the
        model for its stream and runs on either.)"""
        return ReturnStream(self, seed, first_path, n_paths, months, total_paths, slab_months)


def factor_params(inputs: Inputs, label: str) -> tuple[float, float]:
    """(μ, σ) of a factor: an asset class, or ``FX:<CCY>`` from the FX table (the
    ``Inflation`` factor: π̄ and σ_π from Settings)."""
    if label == INFLATION:
        s = inputs.settings
        return s.expense_inflation, s.inflation_volatility
    if label.startswith(FX_PREFIX):
        fx = inputs.fx_by_currency.get(label[len(FX_PREFIX) :])
        if fx is None:
            raise ValueError(f"FX: no row for {label[len(FX_PREFIX) :]!r}")
        return fx.expected_change, fx.volatility
    cls = inputs.asset_class_by_name.get(label)
    if cls is None:
        raise ValueError(f"AssetClasses: no row for {label!r}")
    return cls.expected_return, cls.volatility


def correlation_for(inputs: Inputs, labels: Sequence[str]) -> np.ndarray:
    """The Correlations sub-matrix over ``labels`` (pairs not in the sheet count as 0)."""
    known = {lab: i for i, lab in enumerate(inputs.correlations.labels)}
    full = inputs.correlations.as_array() if known else np.zeros((0, 0))
    n = len(labels)
    out = np.eye(n)
    for a in range(n):
        for b in range(n):
            ia, ib = known.get(labels[a]), known.get(labels[b])
            if a != b and ia is not None and ib is not None:
                out[a, b] = full[ia, ib]
    return out


def factor_model(inputs: Inputs, labels: Sequence[str]) -> FactorModel:
    """Build the model of ``labels`` from AssetClasses, FX and Correlations."""
    labels = tuple(labels)
    if inputs.correlations.labels:
        check_correlation(inputs.correlations.as_array(), inputs.correlations.labels)
    params = [factor_params(inputs, lab) for lab in labels]
    mu = np.array([p[0] for p in params], dtype=float)
    sigma = np.array([p[1] for p in params], dtype=float)
    inflation = None
    if labels and labels[-1] == INFLATION:
        inflation = InflationPath(float(mu[-1]), float(sigma[-1]))
    prices = len(labels) - (inflation is not None)
    ms = [lognormal_params(a, b) for a, b in zip(mu[:prices], sigma[:prices], strict=True)]
    m = np.array([x[0] for x in ms] + [0.0] * (len(labels) - prices), dtype=float)
    scale = np.array([x[1] / np.sqrt(12.0) for x in ms] + [1.0] * (len(labels) - prices))
    corr = correlation_for(inputs, labels)
    loading = scale[:, None] * correlation_loading(corr) if labels else np.zeros((0, 0))
    return FactorModel(labels, mu, sigma, m / 12.0, loading, inflation)


def check_paths(paths: int) -> int:
    """The number of Monte Carlo paths, validated (1 … 1,000,000)."""
    if isinstance(paths, bool) or int(paths) != paths:
        raise ValueError(f"Monte Carlo paths must be a whole number; found {paths!r}")
    paths = int(paths)
    if paths < 1:
        raise ValueError(f"Monte Carlo paths must be at least 1; found {paths}")
    if paths > MAX_PATHS:
        raise ValueError(
            f"Monte Carlo paths must be at most {MAX_PATHS:,}; found {paths:,} "
            "(use fewer paths: 10,000 already gives a standard error below 0.5 points)"
        )
    return paths


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise ValueError(f"Random seed must be a whole number ≥ 0; found {seed!r}")
    return int(seed)


def block_count(paths: int) -> int:
    return -(-paths // BLOCK_PATHS)


def block_generator(seed: int, block: int) -> np.random.Generator:
    """The generator of path block ``block`` (depends only on the seed and the block)."""
    ss = np.random.SeedSequence(check_seed(seed), spawn_key=(block,))
    return np.random.Generator(np.random.PCG64DXSM(ss))


class ReturnStream:
    """Log-returns for paths [first_path, first_path + n_paths) over ``months`` months.

    ``first_path`` must start a block and the range must hold whole blocks of a run of
    ``total_paths``. ``next_slab()`` returns the next (T ≤ slab_months, factors, paths).
    """

    def __init__(
        self,
        model: FactorModel,
        seed: int,
        first_path: int,
        n_paths: int,
        months: int,
        total_paths: int | None = None,
        slab_months: int = SLAB_MONTHS,
    ):
        if first_path % BLOCK_PATHS:
            raise ValueError("a return stream must start at a block boundary")
        total = first_path + n_paths if total_paths is None else total_paths
        self.model, self.n_paths, self.months, self.done = model, n_paths, months, 0
        self.slab_months = max(1, int(slab_months))
        self._inflation = None  # π of the next month, per path (the OU state)
        if model.inflation is not None:
            self._inflation = np.full(n_paths, model.inflation.mean)
        self._blocks = []  # (generator, column offset, width)
        for b in range(first_path // BLOCK_PATHS, block_count(first_path + n_paths)):
            start = b * BLOCK_PATHS
            width = min(BLOCK_PATHS, total - start)
            if start + width > first_path + n_paths:
                raise ValueError("a return stream must cover whole blocks of the run")
            self._blocks.append((block_generator(seed, b), start - first_path, width))

    @property
    def remaining(self) -> int:
        return self.months - self.done

    def next_slab(self) -> np.ndarray:
        """The next slab of log-returns, shape (T, factors, paths), T ≤ slab_months."""
        t = min(self.slab_months, self.remaining)
        if t <= 0:
            raise StopIteration
        f, n = self.model.n_factors, self.n_paths
        z = np.empty((t, f, n))
        for gen, offset, width in self._blocks:
            z[:, :, offset : offset + width] = gen.standard_normal((t, f, width))
        out = np.empty_like(z)
        for m in range(t):
            np.matmul(self.model.loading, z[m], out=out[m])
        out += self.model.monthly_drift[None, :, None]
        if self._inflation is not None:  # the last row: shocks → the month's inflation rate
            infl = self.model.inflation
            a, b, mean = infl.decay, infl.shock_scale, infl.mean
            pi = self._inflation
            for m in range(t):
                shock = out[m, -1].copy()
                out[m, -1] = pi
                pi = mean + (pi - mean) * a + b * shock
            self._inflation = pi
        self.done += t
        return out

    def slabs(self) -> Iterator[np.ndarray]:
        while self.remaining > 0:
            yield self.next_slab()


def simulate_log_returns(model: FactorModel, seed: int, paths: int, months: int) -> np.ndarray:
    """All log-returns at once, shape (months, factors, paths) — for small runs and tests."""
    stream = model.stream(seed, 0, check_paths(paths), months, slab_months=max(1, months))
    return stream.next_slab() if months else np.zeros((0, model.n_factors, paths))
