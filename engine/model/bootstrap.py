"""The Historical return model (SPEC §3): a stationary bootstrap of real monthly history.

Each factor of a plan (``plan.factor_labels``) takes its monthly returns from a series:

- an asset class from its ``History series``: a column of the History sheet, or
  ``US stocks`` (the bundled S&P Composite price index, ``engine.model.history_data``);
  a History column of that name wins over the bundled series;
- ``FX:<CCY>`` from a History column headed exactly ``FX:<CCY>`` (e.g. ``FX:USD``: the
  month's change of the base-currency price of one USD, as a fraction), if there is one;
- ``Inflation`` from the History sheet's ``Inflation`` column when given, else from the
  bundled CPI;
- a factor without a series returns 0 every month (Cash; an FX rate stays at today's).

Only the months every used series covers are kept (``HistoricalModel.months``), and a
bootstrap draw takes one whole row of that table — the same calendar month for every
series — so their joint behaviour (the 2008 crash in stocks *and* the yen) is kept.

The stationary bootstrap (Politis & Romano 1994, JASA 89:1303). A path starts at a
uniformly drawn month; each following month, with probability p = 1/12 it jumps to a new
uniformly drawn month, otherwise it moves to the next month (after the last month, the
first: the circular version, so every month is equally likely). Blocks therefore have
geometric lengths with mean 1/p = 12 months and the resampled series is stationary.

Random numbers as in ``engine.model.returns``: path block b (``BLOCK_PATHS`` paths) has
its own generator ``block_generator(seed, b)``, which draws, month after month, an array
(2, BLOCK_PATHS) of uniforms u: row 0 decides a jump (u < p), row 1 the month jumped to
(⌊u·N⌋). A block always draws all ``BLOCK_PATHS`` columns, so path j's months depend on
(seed, j) only — not on the number of paths, the chunk size or the slab length — and a
stream over the first paths of a run repeats them (the A5 solvers rely on that).

What a slab holds (the month step's contract, ``engine.kernel``): monthly *log* price
returns ln(1 + r_t) per factor; for ``Inflation`` the month's *annual* inflation rate,
taken as the inflation of the 12 months to that month (``annual_inflation``):

    π_t = Π_{s=t−11..t} (1 + i_s) − 1,      i_s the month's CPI change

(over the months there are at the start of a series, annualised). The month step grows
consumer prices by (1 + π_t)^(1/12) and moves floating rates by π_t − Expense inflation.
Why not the single month annualised, (1 + i_t)^12 − 1? It would make consumer prices
follow the CPI exactly, but monthly CPI is noisy (before 1913 its monthly changes have a
1.6% standard deviation: annualised, −55% to +124% a year), and a floating rate of
max(0, rate + π_t − π̄) on that noise pays far more interest than the year's inflation
warrants (the floor and the compounding both bias it up): on the dividend household the
historical-sequence success was 56% with it and 74% with the 12-month rate. With the
12-month rate consumer prices follow the CPI's 12-month average (a lag of about half a
year, the level over a long run the same). ``INFLATION_WINDOW_MONTHS = 1`` restores the
single month.

Dividends follow prices against the median path exp(m·t/12) with m = 12 × the series'
mean monthly log-return (``monthly_drift``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from engine.model.history_data import month_index, month_of, us_stocks
from engine.model.inputs import Inputs
from engine.model.returns import BLOCK_PATHS, FX_PREFIX, INFLATION, SLAB_MONTHS, block_generator
from engine.schema import US_STOCKS

#: Mean block length of the stationary bootstrap, in months (SPEC §3).
MEAN_BLOCK_MONTHS = 12
#: The annual inflation rate of a month is the inflation of this many months to it,
#: annualised (module docstring); 1 = the month's own CPI change, annualised.
INFLATION_WINDOW_MONTHS = 12
BUNDLED = "bundled S&P Composite (Shiller)"
#: The bundled inflation series' name.
US_CPI = "CPI (US)"
HISTORY_SHEET = "History sheet"


@dataclass(frozen=True)
class Series:
    """One monthly series: where it comes from and its months (month index of each value)."""

    name: str
    origin: str  # HISTORY_SHEET or BUNDLED
    first: int  # month index of the first value
    values: np.ndarray  # monthly returns (fractions), consecutive months

    @property
    def last(self) -> int:
        return self.first + len(self.values) - 1

    def span(self, first: int, last: int) -> np.ndarray:
        return self.values[first - self.first : last - self.first + 1]


@dataclass(frozen=True)
class FactorSource:
    """A factor's series (None: it returns 0) and that series' own months."""

    label: str
    series: str | None
    origin: str = ""
    first_month: date | None = None
    last_month: date | None = None


@dataclass(frozen=True, eq=False)
class HistoricalModel:
    """The history a plan's factors are drawn from: one row per month, one column per
    factor (module docstring), and what each column is."""

    labels: tuple[str, ...]
    months: np.ndarray  # (N,) month index (``history_data.month_index``) of each row
    table: np.ndarray  # (N, F) log price returns; the Inflation column: annual rate π
    sources: tuple[FactorSource, ...]
    mean_block: float = MEAN_BLOCK_MONTHS

    @property
    def n_factors(self) -> int:
        return len(self.labels)

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def has_inflation(self) -> bool:
        return bool(self.labels) and self.labels[-1] == INFLATION

    @property
    def price_factors(self) -> int:
        """The number of leading columns that are log price returns (all but Inflation)."""
        return self.n_factors - self.has_inflation

    @property
    def monthly_drift(self) -> np.ndarray:
        """Each factor's mean monthly log-return (m/12 of its median path); 0 for Inflation."""
        drift = self.table.mean(axis=0) if self.n_months else np.zeros(self.n_factors)
        if self.has_inflation:
            drift = drift.copy()
            drift[-1] = 0.0
        return drift

    @property
    def loading(self) -> np.ndarray:
        """A with A Aᵀ = the covariance of the monthly rows (the lenders' daily-monitoring
        correction reads the collateral's volatility from it, as from the lognormal A)."""
        if self.n_months < 2 or not self.n_factors:
            return np.zeros((self.n_factors, self.n_factors))
        cov = np.atleast_2d(np.cov(self.table, rowvar=False))
        w, q = np.linalg.eigh(cov)
        return q * np.sqrt(np.clip(w, 0.0, None))

    @property
    def first_month(self) -> date:
        return month_of(self.months[0])

    @property
    def last_month(self) -> date:
        return month_of(self.months[-1])

    def stream(
        self,
        seed: int,
        first_path: int,
        n_paths: int,
        months: int,
        total_paths: int | None = None,
        slab_months: int = SLAB_MONTHS,
    ) -> BootstrapStream:
        """Bootstrapped returns for paths [first_path, first_path + n_paths)."""
        return BootstrapStream(self, seed, first_path, n_paths, months, total_paths, slab_months)


class BootstrapStream:
    """The stationary bootstrap of ``model`` for paths [first_path, first_path + n_paths)
    over ``months`` months: the interface of ``ReturnStream`` (``next_slab()`` →
    (T ≤ slab_months, factors, paths), ``remaining``, ``slabs()``).

    ``first_path`` must start a random-number block; ``total_paths`` is accepted for the
    interface and not needed (a block's numbers never depend on the run's size).
    """

    def __init__(
        self,
        model: HistoricalModel,
        seed: int,
        first_path: int,
        n_paths: int,
        months: int,
        total_paths: int | None = None,
        slab_months: int = SLAB_MONTHS,
    ):
        if first_path % BLOCK_PATHS:
            raise ValueError("a return stream must start at a block boundary")
        if model.n_months < 1:
            raise ValueError("the Historical return model has no months to draw from")
        self.model, self.n_paths, self.months, self.done = model, int(n_paths), int(months), 0
        self.slab_months = max(1, int(slab_months))
        self.jump = 1.0 / float(model.mean_block)
        blocks = range(first_path // BLOCK_PATHS, -(-(first_path + n_paths) // BLOCK_PATHS))
        self._generators = [block_generator(seed, b) for b in blocks]
        self._index = np.zeros(self.n_paths, dtype=np.int64)  # each path's current month
        self._by_factor = np.ascontiguousarray(model.table.T)  # (F, N)

    @property
    def remaining(self) -> int:
        return self.months - self.done

    def next_indices(self) -> np.ndarray:
        """The rows (months of the history) of the next slab, shape (T, paths)."""
        t = min(self.slab_months, self.remaining)
        if t <= 0:
            raise StopIteration
        n, N = self.n_paths, self.model.n_months
        u = np.empty((t, 2, len(self._generators) * BLOCK_PATHS))
        for k, gen in enumerate(self._generators):
            u[:, :, k * BLOCK_PATHS : (k + 1) * BLOCK_PATHS] = gen.random((t, 2, BLOCK_PATHS))
        u = u[:, :, :n]
        jump = u[:, 0] < self.jump
        start = np.minimum((u[:, 1] * N).astype(np.int64), N - 1)
        out = np.empty((t, n), dtype=np.int64)
        current = self._index
        for m in range(t):
            if self.done + m == 0:
                current = start[0]  # every path starts a block
            else:
                current = current + 1
                current[current == N] = 0  # circular: after the last month, the first
                np.copyto(current, start[m], where=jump[m])
            out[m] = current
        self._index = current.copy()
        self.done += t
        return out

    def next_slab(self) -> np.ndarray:
        """The next slab, shape (T, factors, paths): the rows of ``next_indices()``."""
        rows = self.next_indices()
        return np.ascontiguousarray(self._by_factor[:, rows].transpose(1, 0, 2))

    def slabs(self) -> Iterator[np.ndarray]:
        while self.remaining > 0:
            yield self.next_slab()


# --------------------------------------------------------------------------- building
def _normal(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _series(inputs: Inputs, name: str) -> Series:
    """A series by name: a History column (exact, then case-insensitive), else the bundled
    ``US stocks``."""
    history = inputs.history
    if history is not None:
        for column in history.names:
            if column == name or _normal(column) == _normal(name):
                first = month_index(history.months[0])
                return Series(column, HISTORY_SHEET, first, history.returns(column))
    if _normal(name) == _normal(US_STOCKS):
        data = us_stocks()
        return Series(US_STOCKS, BUNDLED, int(data.return_months[0]), data.price_return)
    raise ValueError(
        f"AssetClasses › History series: {name!r} is neither a History column nor '{US_STOCKS}'"
    )


def _inflation_series(inputs: Inputs) -> Series:
    history = inputs.history
    if history is not None and history.inflation is not None:
        first = month_index(history.months[0])
        return Series(INFLATION, HISTORY_SHEET, first, np.asarray(history.inflation, float))
    data = us_stocks()
    return Series(US_CPI, BUNDLED, int(data.return_months[0]), data.inflation)


def factor_series(inputs: Inputs, labels: Sequence[str]) -> list[Series | None]:
    """The series each factor label draws from (None: the factor returns 0)."""
    history = inputs.history
    out: list[Series | None] = []
    for label in labels:
        if label == INFLATION:
            out.append(_inflation_series(inputs))
        elif label.startswith(FX_PREFIX):
            names = history.names if history is not None else ()
            column = next((c for c in names if _normal(c) == _normal(label)), None)
            out.append(None if column is None else _series(inputs, column))
        else:
            cls = inputs.asset_class_by_name.get(label)
            name = None if cls is None or cls.is_cash else cls.history_series
            out.append(None if not name else _series(inputs, name))
    return out


def historical_model(inputs: Inputs, labels: Sequence[str]) -> HistoricalModel:
    """The Historical model of ``labels`` (a plan's factors) from AssetClasses › History
    series, the History sheet and the bundled series, over the months all of them cover."""
    labels = tuple(labels)
    series = factor_series(inputs, labels)
    used = [s for s in series if s is not None]
    if not used:  # nothing mapped: every factor returns 0 over the bundled months
        used = [_series(inputs, US_STOCKS)]
    first = max(s.first for s in used)
    last = min(s.last for s in used)
    if first > last:
        spans = ", ".join(
            f"{s.name} {month_of(s.first):%Y-%m}–{month_of(s.last):%Y-%m}" for s in used
        )
        raise ValueError(
            f"History: the series the asset classes name share no month ({spans}); give "
            "them a common run of months, or map the classes to other series"
        )
    months = np.arange(first, last + 1, dtype=np.int64)
    table = np.zeros((len(months), len(labels)))
    sources = []
    for j, (label, s) in enumerate(zip(labels, series, strict=True)):
        if s is None:
            sources.append(FactorSource(label, None))
            continue
        if label == INFLATION:
            rates = replace(s, values=annual_inflation(s.values, INFLATION_WINDOW_MONTHS))
            table[:, j] = rates.span(first, last)
        else:
            table[:, j] = np.log1p(s.span(first, last))
        sources.append(FactorSource(label, s.name, s.origin, month_of(s.first), month_of(s.last)))
    return HistoricalModel(labels, months, table, tuple(sources))


def annual_inflation(monthly: np.ndarray, window: int = INFLATION_WINDOW_MONTHS) -> np.ndarray:
    """Each month's annual inflation rate from monthly changes i_t: the inflation of the
    ``window`` months to month t, annualised — Π (1 + i_s)^(12/w) − 1 over
    s = t − w + 1 … t, w = min(window, t + 1) (fewer months at the start of the series).

    >>> annual_inflation(np.array([0.01, 0.01, 0.01]), window=2).round(6).tolist()
    [0.126825, 0.126825, 0.126825]
    """
    log = np.concatenate([[0.0], np.cumsum(np.log1p(np.asarray(monthly, dtype=float)))])
    t = np.arange(1, len(log))
    w = np.minimum(t, max(1, int(window)))
    return np.expm1((log[t] - log[t - w]) * 12.0 / w)


def implied_annual(
    model: HistoricalModel, seed: int, paths: int = 10 * BLOCK_PATHS
) -> tuple[np.ndarray, np.ndarray]:
    """(mean, volatility) per factor of the yearly gross return − 1 the bootstrap implies:
    ``paths`` bootstrapped years, each factor's 12 monthly returns compounded. For
    ``Inflation``: the year's inflation, Π (1 + π_t)^(1/12) − 1."""
    rows = model.stream(seed, 0, paths, 12, slab_months=12).next_indices()
    year = model.table[rows].copy()  # (12, paths, F)
    if model.has_inflation:
        year[:, :, -1] = np.log1p(year[:, :, -1]) / 12.0
    gross = np.exp(year.sum(axis=0))  # (paths, F)
    return gross.mean(axis=0) - 1.0, gross.std(axis=0)
