"""The state of every path, and the facts of the plan the month step reads each month.

``Layout`` is compiled once per run from the ``Plan`` (which buckets form which loan's
collateral pool, the order lines are drawn and debts repaid, the price-move pairs);
``State`` holds the arrays that change: each bucket's market value, units and cost
basis, cash, each debt's balance and limit, the price level, and what has happened to
each path so far. ``Subset`` is the state of some paths, gathered for a rule that only
they need; its ``sell`` is the one place a sale happens.

Capital-gains tax (SPEC §3): selling share φ of a Taxable bucket of value V and cost
basis K realises the gain φ(V − K) and leaves K(1 − φ). Each sale pays tax on its
positive gains at once (τ·φ·max(0, V − K), so a sale sized to raise c covers the
selling cost and this tax); at the end of the month's sales the month's gains and losses
are netted and the difference is refunded: the month pays τ·max(0, Σ gains) in all.

State is *factor-major* — (buckets, paths), (debts, paths) — so each row is contiguous.
Debts are ordered secured loans, unsecured lines, amortizing loans (``Plan``).
"""

from __future__ import annotations

import numpy as np

from engine.kernel.plan import Plan
from engine.kernel.types import Overrides


def rows_of(mask: np.ndarray):
    """Bucket rows of a mask as a slice when contiguous (cheaper to index), else indices."""
    rows = np.flatnonzero(mask)
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def per_month(value, months: int) -> np.ndarray:
    """A scalar or per-month override as one value per month."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(months, float(arr))
    if arr.shape != (months,):
        raise ValueError(f"a per-month override needs {months} values; found shape {arr.shape}")
    return arr


class Layout:
    """The plan's structure as the month step uses it (fixed for the whole run)."""

    def __init__(self, plan: Plan):
        p = plan
        self.n_secured = S = len(p.secured_index)
        self.n_lines = L = len(p.line_index)
        self.lines = slice(S, S + L)  # the unsecured lines' rows of the debt arrays
        # collateral pools: pool_matrix[s] @ value = loan s's collateral value
        self.pool_matrix = (p.pool[None, :] == np.arange(S)[:, None]).astype(float)
        self.pool_net = self.pool_matrix * (1.0 - p.selling_cost)[None, :]
        self.pool_rows = [rows_of(p.pool == s) for s in range(S)]
        self.pledged_rows = rows_of(p.pool >= 0)
        self.pledged_pool = p.pool[p.pool >= 0]  # the loan of each pledged bucket, in order
        self.unpledged = p.pool < 0
        self.has_unpledged = bool(self.unpledged.any())
        self.unpledged_rows = rows_of(self.unpledged)
        self.unpledged_net = self.unpledged * (1.0 - p.selling_cost)
        self.has_selling_cost = bool(np.any(p.selling_cost > 0))
        # capital-gains tax rate per bucket (0 for NISA and cash)
        self.tax_rate = p.taxable * p.cgt_rate
        self.has_tax = bool(np.any(self.tax_rate > 0))
        # the order debts are drawn (cheapest first) and repaid (dearest first): with
        # Loan policy Keep the lines first, then secured draws above the month-0
        # balance; with Repay every drawn debt by rate
        li, sec = p.line_index, p.secured_index
        self.line_order = li[np.argsort(p.rate[li], kind="stable")]
        self.secured_order = sec[np.argsort(p.rate[sec], kind="stable")]
        if p.keep_loans:
            repay = np.concatenate([self.line_order[::-1], self.secured_order[::-1]])
        else:
            both = np.concatenate([li, sec])
            repay = both[np.argsort(-p.rate[both], kind="stable")]
        self.repay_order = [int(j) for j in repay]
        self.kept_balance = p.balance0[:S] if p.keep_loans else np.zeros(S)
        # the lenders' thresholds in their tests (Lender monitoring, SPEC §3)
        factor = np.ones(S) if p.threshold_factor is None else np.asarray(p.threshold_factor)
        self.call_ltv = p.call * factor  # NaN: no call stage
        self.liquidation_ltv = p.liquidation * factor
        self.trigger = np.where(np.isnan(self.call_ltv), self.liquidation_ltv, self.call_ltv)[
            :, None
        ]  # the LTV at which a lender acts
        # monthly interest and commitment fees (none on amortizing loans)
        self.rate_monthly = p.rate / 12.0
        fee = p.commitment_fee.copy()
        fee[S + L :] = 0.0
        self.fee_monthly = fee / 12.0
        self.has_fee = bool(np.any(self.fee_monthly > 0))
        self.rate_net_of_fee = self.rate_monthly - self.fee_monthly
        self.amortizing = p.amortizing_index
        # reinvestment
        self.all_investable = bool(np.all(p.investable))
        self.investable = p.investable.astype(float)
        self._price_pairs(p)

    def _price_pairs(self, p: Plan) -> None:
        """Buckets that move alike: one price move per (class factor, FX factor) pair.

        Many buckets share a pair (the same class and currency pledged to different
        loans), so the exponentials are taken once per pair and gathered per month.
        """
        bucket_cf = p.class_factor[p.bucket_class].tolist()
        pairs = list(zip(bucket_cf, p.bucket_fx.tolist(), strict=True))
        unique = list(dict.fromkeys(pairs))
        self.pair_class_factor = np.array([c for c, _ in unique], dtype=int)
        self.pair_fx_factor = np.array([f for _, f in unique], dtype=int)
        self.bucket_pair = np.array([unique.index(pair) for pair in pairs], dtype=int)
        self.pairs_are_buckets = len(unique) == p.n_buckets  # pairs in bucket order
        fx_factors = p.bucket_fx[p.fx_start :]
        self.fx_factors = np.array(list(dict.fromkeys(fx_factors.tolist())), dtype=int)
        self.fx_row = np.array(
            [self.fx_factors.tolist().index(f) for f in fx_factors.tolist()], dtype=int
        )
        self.fx_rows_are_buckets = len(self.fx_factors) == len(fx_factors)


class State:
    """Every path's balance sheet (arrays over paths) and its record so far."""

    def __init__(self, plan: Plan, layout: Layout, paths: int, overrides: Overrides):
        p, o, n = plan, overrides, int(paths)
        self.plan, self.layout, self.n = plan, layout, n
        B = p.n_buckets
        # market value and units of each bucket in one array, so that a purchase for
        # every bucket is one operation; units = value ÷ the class's price index
        self.holdings = np.repeat(np.concatenate([p.value0, p.value0])[:, None], n, axis=1)
        self.value, self.units = self.holdings[:B], self.holdings[B:]
        self.cost = np.repeat(p.cost0[:, None], n, axis=1)  # cost basis (base currency)
        self.cash = np.full(n, p.cash0)
        self.price_level = np.ones(n)  # the path's consumer prices (1 at month 0)
        self.month_gain = np.zeros(n)  # realised gains this month, net of losses
        self.month_tax = np.zeros(n)  # tax paid on this month's sales so far
        self.sold_this_month = False
        self.debt = np.repeat(p.balance0[:, None], n, axis=1)
        limit = np.repeat(p.limit[:, None], n, axis=1)
        if layout.n_lines:
            limit[layout.lines] *= np.broadcast_to(np.asarray(o.line_limit_scale, float), (n,))
        self.limit = limit
        self.spending = np.ones(n) * np.asarray(o.spending_multiplier, float)
        if self.spending.shape != (n,):
            raise ValueError("spending_multiplier must be a scalar or one value per path")
        # debts some path may have something to repay on (Keep: secured draws above the
        # month-0 balance only)
        self.drawn = [bool(b > 0) for b in p.balance0]
        if p.keep_loans:
            for j in p.secured_index:
                self.drawn[j] = False
        self.tol = 1e-9 * (abs(p.total_assets0) + abs(p.balance0.sum()) + 1.0)
        # which paths are still standing
        self.alive = np.ones(n, dtype=bool)
        self.any_failed = False
        self.dead = np.zeros(0, dtype=int)
        # what happened (the Records)
        self.failure_month = np.full(n, -1, dtype=np.int64)
        self.failure_net_worth = np.zeros(n)
        self.max_ltv = np.zeros((layout.n_secured, n))
        self.margin_call = np.zeros(n, dtype=bool)
        self.liquidation = np.zeros(n, dtype=bool)
        self.liquidation_amount = np.zeros(n)
        self.sale_under_call = np.zeros(n, dtype=bool)
        self.sale_under_call_amount = np.zeros(n)
        self.line_drawn = np.zeros(n, dtype=bool)
        self.line_consulted = np.zeros(n, dtype=bool)  # a line was asked for money
        self.lines_fully_drawn = np.zeros(n, dtype=bool)
        self.income_covered = np.ones(n, dtype=bool)
        self.min_liquidity = np.full(n, np.inf)
        years = p.months // 12
        self.net_worth_yearly = np.zeros((n, years))
        self.passive_income_yearly = np.zeros((n, years))
        self.debt_yearly = np.zeros((n, years))
        self.price_level_yearly = np.zeros((n, years))
        self.passive_income = np.zeros(n)  # this year's, so far
        self.outside_flow = np.zeros(n)  # this year's income − expenses, so far
        self.net_worth = np.full(n, p.net_worth0)
        self.month_sales = np.zeros(n)
        self.month_forced = np.zeros(n)
        self.forced_by_bucket = None  # (B, n) this month's forced sales (monthly records)
        self._fee_on_limits = None
        self.monthly = None  # MonthlyBuffers when the run keeps monthly arrays

    #: per-path arrays: (n,), (rows, n) with paths last, and (n, years) with paths first
    _PATHS_LAST = ("cost", "debt", "limit", "max_ltv", "cash", "price_level", "month_gain",
                   "month_tax", "spending", "alive", "failure_month", "failure_net_worth",
                   "margin_call", "liquidation", "liquidation_amount", "sale_under_call",
                   "sale_under_call_amount", "line_drawn", "line_consulted",
                   "lines_fully_drawn", "income_covered", "min_liquidity", "passive_income",
                   "outside_flow", "net_worth", "month_sales", "month_forced")  # fmt: skip
    _PATHS_FIRST = ("net_worth_yearly", "passive_income_yearly", "debt_yearly",
                    "price_level_yearly")  # fmt: skip

    def keep_paths(self, keep: np.ndarray) -> None:
        """Only the paths ``keep`` (indices, in order) go on: a run that needs no more
        than survival drops the paths that failed (they cost a month's work each month
        and cannot come back). Not with monthly records."""
        if self.monthly is not None or self.forced_by_bucket is not None:
            raise ValueError("paths cannot be dropped from a run that keeps monthly records")
        keep = np.asarray(keep, dtype=int)
        B = self.plan.n_buckets
        self.holdings = self.holdings[:, keep]
        self.value, self.units = self.holdings[:B], self.holdings[B:]
        for name in self._PATHS_LAST:
            setattr(self, name, getattr(self, name)[..., keep])
        for name in self._PATHS_FIRST:
            setattr(self, name, getattr(self, name)[keep])
        self.n = len(keep)
        self.dead = np.flatnonzero(~self.alive)
        self.any_failed = bool(len(self.dead))
        self._fee_on_limits = None

    def settle_tax(self) -> None:
        """Net the month's realised gains and losses: the month pays τ·max(0, Σ gains);
        what its sales paid beyond that is refunded to cash (SPEC §3)."""
        if not self.sold_this_month:
            return
        due = self.plan.cgt_rate * np.maximum(self.month_gain, 0.0)
        self.cash += self.month_tax - due
        self.month_gain[:] = 0.0
        self.month_tax[:] = 0.0
        self.sold_this_month = False

    def fee_on_limits(self) -> np.ndarray:
        """Σ fee/12 × limit per path (cached; limits change only when a path fails)."""
        if self._fee_on_limits is None:
            self._fee_on_limits = self.layout.fee_monthly @ self.limit
        return self._fee_on_limits


class Subset:
    """The state of paths ``idx``: gathered copies, or the arrays themselves when ``idx``
    is None (every path — cheaper than gathering when many paths need the rule).
    ``store()`` writes the copies back."""

    def __init__(self, st: State, idx, line_limits):
        self.st, self.idx = st, idx
        if idx is None:
            self.holdings, self.debt, self.cash = st.holdings, st.debt, st.cash
            self.value, self.units, self.cost = st.value, st.units, st.cost
            self.line_limits = line_limits
        else:
            self.holdings, self.debt = st.holdings[:, idx], st.debt[:, idx]
            B = st.plan.n_buckets
            self.value, self.units = self.holdings[:B], self.holdings[B:]
            self.cost = st.cost[:, idx]
            self.cash = st.cash[idx]
            self.line_limits = None if line_limits is None else line_limits[:, idx]
        self.sales = np.zeros(len(self.cash))
        self.gain = np.zeros(len(self.cash))  # realised gains (− losses) of these sales
        self.tax = np.zeros(len(self.cash))  # tax these sales paid
        self.forced = False  # sales now are forced (a liquidation, a sale under a call)

    def global_index(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask) if self.idx is None else self.idx[mask]

    def limit(self, j: int) -> np.ndarray:
        return self.st.limit[j] if self.idx is None else self.st.limit[j, self.idx]

    def net_value(self, rows) -> np.ndarray:
        """What selling all of ``rows`` would raise per path: value less the selling cost
        and the tax on each bucket's positive gain (a sale of share φ raises φ × this)."""
        lay = self.st.layout
        value = self.value[rows]
        net = value.sum(axis=0)
        if lay.has_selling_cost:
            net = net - self.st.plan.selling_cost[rows] @ value
        if lay.has_tax:
            net = net - lay.tax_rate[rows] @ np.maximum(value - self.cost[rows], 0.0)
        return net

    def sell(self, rows, share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sell ``share`` of the buckets ``rows`` (bool mask or rows); return (gross, net):
        net of the selling cost and the tax on the positive gains it realises."""
        st, lay = self.st, self.st.layout
        if isinstance(rows, np.ndarray) and rows.dtype == bool:
            rows = rows_of(rows)
        sold = self.value[rows] * share[None, :]
        gross = sold.sum(axis=0)
        if lay.has_tax:
            gains = sold - self.cost[rows] * share[None, :]  # φ(V − K) per bucket
            taxed = lay.tax_rate[rows]
            self.gain += (taxed > 0).astype(float) @ gains
            tax = taxed @ np.maximum(gains, 0.0)
            self.tax += tax
            self.cost[rows] *= 1.0 - share[None, :]
            st.sold_this_month = True
        if self.forced and st.forced_by_bucket is not None:  # monthly records only
            by_bucket = np.zeros_like(self.value)
            by_bucket[rows] = sold
            if self.idx is None:
                st.forced_by_bucket += by_bucket
            else:
                st.forced_by_bucket[:, self.idx] += by_bucket
        net = gross - st.plan.selling_cost[rows] @ sold if lay.has_selling_cost else gross
        if lay.has_tax:
            net = net - tax
        keep = 1.0 - share[None, :]
        self.value[rows] *= keep
        self.units[rows] *= keep
        self.sales += gross
        return gross, net

    def net_worth(self) -> np.ndarray:
        return self.cash + self.value.sum(axis=0) - self.debt.sum(axis=0)

    def store(self) -> None:
        st, idx = self.st, self.idx
        if idx is None:
            if self.cash is not st.cash:
                st.cash[:] = self.cash
            st.month_sales += self.sales
            st.month_gain += self.gain
            st.month_tax += self.tax
            return
        st.holdings[:, idx], st.debt[:, idx] = self.holdings, self.debt
        st.cost[:, idx] = self.cost
        st.cash[idx] = self.cash
        st.month_sales[idx] += self.sales
        st.month_gain[idx] += self.gain
        st.month_tax[idx] += self.tax
