"""What a slab of returns means for the month step: price moves, inflation, and each
class's memory — its price index against its running peak (the crisis rules) and
against its median path (dividends that follow prices). SPEC §3.

``Markets.read(slab)`` turns a slab (months, factors, paths) into a ``Slab``:

- ``growth``: gross returns per (class, currency) pair, and ``fx_growth`` per currency;
- ``inflation``: each month's annual inflation rate per path (the plan's last factor,
  ``Inflation``), or None when the plan runs at Expense inflation;
- ``dividend_factors``: per month, the factor on each dividend row (below);
- ``line_crisis``: per month, whether some class is in crisis (lines lose their cut).

Dividend rows. Monthly net dividend = Σ_r factor_r · (yield_r(year) @ units). The rows:

- the A5 rules: one row paid as the policy says (classes with neither rule), then per
  class k with a rule its Progressive part with factor c_k and its other policies' part
  with factor c_k · b_k, where c_k = 1 − crisis cut while the class is
  more than 30% below its running peak (else 1), and b_k = (X_t / X̃_t)^β_k, X_t the
  class's price index, X̃_t = exp(m_k t/12) its median path (``Plan.class_median_drift``)
  and β_k its Dividend beta. Progressive holdings take β = 0: only the crisis cut;
- the scenario replay: [Progressive, the rest × the scenario's dividend factor];
- otherwise (the snowball's mean path): one row, paid as the policy says.

Both c and b are read as the month *starts*, i.e. after the previous month's move. On a
path where every return is its median, b = 1: dividends are exactly the policy's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.kernel.plan import Plan
from engine.kernel.state import Layout
from engine.kernel.types import CRISIS_LOG, Overrides


@dataclass
class Slab:
    growth: np.ndarray  # (T, buckets, n) gross return of each bucket (class × currency)
    fx_growth: np.ndarray | None  # (T, foreign buckets, n) its currency's gross return
    inflation: np.ndarray | None  # (T, n) the month's annual inflation rate
    price_growth: np.ndarray | None  # (T, n) consumer prices' growth, (1 + π)^(1/12)
    dividend_factors: np.ndarray | None  # (T, rows, n)
    line_crisis: np.ndarray | None  # (T, n) bool

    def take(self, columns: np.ndarray) -> Slab:
        """The slab of the paths ``columns`` (a path may appear more than once): a slab
        read once for each distinct path serves a batch that runs paths several times."""

        def cols(a):
            return None if a is None else np.take(a, columns, axis=-1)

        return Slab(cols(self.growth), cols(self.fx_growth), cols(self.inflation),
                    cols(self.price_growth), cols(self.dividend_factors),
                    cols(self.line_crisis))  # fmt: skip


class Markets:
    """The slab reader of one run (keeps each class's memory from slab to slab)."""

    def __init__(self, plan: Plan, layout: Layout, paths: int, o: Overrides, dividend_factor):
        self.plan, self.layout, self.n = plan, layout, int(paths)
        self.dividend_factor = dividend_factor  # (months,) the replay's, or None
        p = plan
        moving = p.class_factor >= 0
        K = len(p.class_names)
        self.line_crisis = bool(
            layout.n_lines and o.crisis_line_cut and np.any(p.line_crisis_cut > 0)
        )
        crisis = o.crisis_dividend_cut and dividend_factor is None
        self.crisis_cut = np.where(moving & crisis, p.class_crisis_cut, 0.0)
        beta = p.class_dividend_beta if p.class_median_drift is not None else np.zeros(K)
        self.beta = np.where(moving & (dividend_factor is None), beta, 0.0)
        self.drift = (
            np.zeros(K) if p.class_median_drift is None else np.asarray(p.class_median_drift)
        )
        self._rows()
        # classes whose price index (and running peak) are followed
        needs = (self.crisis_cut > 0) | (self.beta > 0) | (moving & self.line_crisis)
        self.tracked = np.flatnonzero(needs & moving)
        self.crisis_tracked = bool(np.any(self.crisis_cut > 0) or self.line_crisis)
        self.log_index = np.zeros((K, self.n))  # after the last month read
        self.log_peak = np.zeros((K, self.n))
        self.crisis_carry = np.zeros((K, self.n), dtype=bool)
        self.inflation_row = len(p.factor_labels) - 1 if p.inflation_path else None

    # ------------------------------------------------------------------ dividend rows
    def _rows(self) -> None:
        p = self.plan
        never, cut = p.dividend_never_cut, p.dividend_cuttable  # (years, B)
        self.has_dividends = bool(np.any(never) or np.any(cut))
        self.row_class = None  # per scaled row: its class (the A5 rules)
        if self.dividend_factor is not None:
            rows = [never, cut]
        else:
            scaled = (self.crisis_cut > 0) | (self.beta > 0)
            classes = [k for k in np.flatnonzero(scaled) if np.any(never[:, p.bucket_class == k])
                       or np.any(cut[:, p.bucket_class == k])]  # fmt: skip
            in_class = [p.bucket_class == k for k in classes]
            other = ~np.isin(p.bucket_class, classes)
            # row 0: every class paid as the policy says; then per scaled class its
            # Progressive part and its other part
            rows = [(never + cut) * other]
            rows += [never * m for m in in_class] + [cut * m for m in in_class]
            if classes:
                self.row_class = np.array(classes, dtype=int)
        self.yields = np.stack(rows, axis=1)  # (years, rows, buckets)
        self.years = never.shape[0]

    # ------------------------------------------------------------------ a slab
    def read(self, lr: np.ndarray, t0: int) -> Slab:
        """The slab ``lr`` (T, F, n) whose first month is month ``t0``."""
        p, lay = self.plan, self.layout
        T, _F, n = lr.shape
        pair_cf, pair_fx = lay.pair_class_factor, lay.pair_fx_factor
        if np.all(pair_cf >= 0):
            growth = lr[:, pair_cf]
        else:
            growth = np.zeros((T, len(pair_cf), n))
            moving = np.flatnonzero(pair_cf >= 0)
            growth[:, moving] = lr[:, pair_cf[moving]]
        fx_growth = None
        if p.fx_start < p.n_buckets:
            foreign = np.flatnonzero(pair_fx >= 0)
            growth[:, foreign] += lr[:, pair_fx[foreign]]  # class move + FX move
            fx_growth = np.exp(lr[:, lay.fx_factors])
            if not lay.fx_rows_are_buckets:  # once a slab, not every month
                fx_growth = fx_growth[:, lay.fx_row]
        np.exp(growth, out=growth)
        if not lay.pairs_are_buckets:
            growth = growth[:, lay.bucket_pair]
        inflation = price_growth = None
        if self.inflation_row is not None:
            inflation = lr[:, self.inflation_row]
            price_growth = np.exp(np.log1p(inflation) / 12.0)
        start, crisis = self._class_memory(lr, T)
        factors = self._dividend_factors(start, crisis, T, t0)
        line_crisis = crisis.any(axis=1) if self.line_crisis else None
        return Slab(growth, fx_growth, inflation, price_growth, factors, line_crisis)

    def _class_memory(self, lr: np.ndarray, T: int):
        """Each tracked class's log price index as each month *starts* (T, K, n), and
        whether it is then more than 30% below its running peak (T, K, n) — or None."""
        if not len(self.tracked):
            return None, None
        cf = self.plan.class_factor
        K, n = len(cf), self.n
        tracked = self.tracked
        log_index = np.zeros((T, K, n))
        log_index[:, tracked] = lr[:, cf[tracked]]
        log_index[0] += self.log_index
        for m in range(1, T):  # running sums month by month (faster than cumsum here)
            log_index[m] += log_index[m - 1]
        start = np.concatenate([self.log_index[None], log_index[:-1]], axis=0)
        crisis = None
        if self.crisis_tracked:
            log_peak = np.empty((T, K, n))
            np.maximum(self.log_peak, log_index[0], out=log_peak[0])
            for m in range(1, T):
                np.maximum(log_peak[m - 1], log_index[m], out=log_peak[m])
            after = (log_index - log_peak) < CRISIS_LOG
            crisis = np.concatenate([self.crisis_carry[None], after[:-1]], axis=0)
            self.crisis_carry = after[-1].copy()
            self.log_peak = log_peak[-1].copy()
        self.log_index = log_index[-1].copy()
        return start, crisis

    def _dividend_factors(self, start, crisis, T: int, t0: int):
        """The factor on each dividend row, month by month (module docstring)."""
        if self.dividend_factor is not None:
            factors = np.ones((T, 2, self.n))
            factors[:, 1] = self.dividend_factor[t0 : t0 + T, None]
            return factors
        if self.row_class is None:
            return None
        k = self.row_class
        c = np.ones((T, len(k), self.n))
        if crisis is not None and np.any(self.crisis_cut[k] > 0):
            c -= self.crisis_cut[k][None, :, None] * crisis[:, k]
        b = c
        if np.any(self.beta[k] > 0):
            months = (t0 + np.arange(T))[:, None, None]
            gap = start[:, k] - self.drift[k][None, :, None] * months  # ln(X_t / X̃_t)
            b = c * np.exp(self.beta[k][None, :, None] * gap)
        return np.concatenate([np.ones((T, 1, self.n)), c, b], axis=1)
