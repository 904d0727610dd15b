"""The month loop of the kernel (see ``engine.kernel`` for the rules and the API).

State is *factor-major* — (buckets, paths), (debts, paths) — so each row is
contiguous. The loop runs over months only; the rare events (margin rules, the
liquidity waterfall, failures) run on the few paths that need them
(``engine.kernel_rules``), so a quiet month costs a few dozen array operations.
"""

from __future__ import annotations

import numpy as np

from engine import kernel_rules as rules
from engine.kernel_plan import Plan
from engine.kernel_types import (  # noqa: F401  (re-exported)
    CRISIS_DRAWDOWN,
    CRISIS_LOG,
    LTV_CAP,
    MonthlyRecords,
    Overrides,
    Records,
)


def _per_month(value, months: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(months, float(arr))
    if arr.shape != (months,):
        raise ValueError(f"a per-month override needs {months} values; found shape {arr.shape}")
    return arr


class MonthStep:
    """The state of ``paths`` paths, advanced slab by slab (months, factors, paths)."""

    def __init__(self, plan: Plan, paths: int, overrides: Overrides | None = None):
        o = overrides or Overrides()
        self.plan, self.o, self.n, self.t = plan, o, int(paths), 0
        n, p, months = self.n, plan, plan.months
        # values V and units U in one array, so a purchase for every bucket is one operation
        B = p.n_buckets
        self.VU = np.repeat(np.concatenate([p.value0, p.value0])[:, None], n, axis=1)
        self.V, self.U = self.VU[:B], self.VU[B:]
        self.cash = np.full(n, p.cash0)
        self.D = np.repeat(p.balance0[:, None], n, axis=1)
        self.S, self.L = len(p.secured_index), len(p.line_index)
        # debts are ordered secured, lines, amortizing: lines are one slice
        self.lines = slice(self.S, self.S + self.L)
        lim = np.repeat(p.limit[:, None], n, axis=1)
        if self.L:
            lim[self.lines] *= np.broadcast_to(np.asarray(o.line_limit_scale, float), (n,))
        self.lim = lim
        self.spend = np.ones(n) * np.asarray(o.spending_multiplier, float)
        if self.spend.shape != (n,):
            raise ValueError("spending_multiplier must be a scalar or one value per path")
        self.alive = np.ones(n)
        self.alive_b = np.ones(n, dtype=bool)
        self.any_failed = False
        self.uniform_spend = np.ndim(o.spending_multiplier) == 0
        self.rate_shock = _per_month(o.rate_shock, months)
        self.line_cut = _per_month(o.line_limit_cut, months)
        self.div_factor = (
            None if o.dividend_factor is None else _per_month(o.dividend_factor, months)
        )
        # compiled helpers
        self.pool_mat = (p.pool[None, :] == np.arange(self.S)[:, None]).astype(float)
        self.pool_net = self.pool_mat * (1.0 - p.selling_cost)[None, :]
        self.unpledged = p.pool < 0
        self.has_unpledged = bool(self.unpledged.any())
        self.unpledged_rows = rules._rows(self.unpledged)
        self.pool_rows = [rules._rows(p.pool == s) for s in range(self.S)]
        self.pledged_rows = rules._rows(p.pool >= 0)
        self.pledged_pool = p.pool[p.pool >= 0]  # the loan of each pledged bucket, in order
        self.has_selling_cost = bool(np.any(p.selling_cost > 0))
        self.unpl_net = self.unpledged * (1.0 - p.selling_cost)
        li = p.line_index
        self.line_order = li[np.argsort(p.rate[li], kind="stable")]
        sec = p.secured_index
        self.secured_order = sec[np.argsort(p.rate[sec], kind="stable")]
        self.repay_order = [
            int(j) for j in np.concatenate([self.line_order[::-1], self.secured_order[::-1]])
        ]
        self.trigger = p.trigger[:, None]
        self.rate_m = p.rate / 12.0
        fee = p.commitment_fee.copy()
        fee[len(p.secured_index) + len(p.line_index) :] = 0.0  # no fee on amortizing loans
        self.fee_m = fee / 12.0
        self.has_fee = bool(np.any(self.fee_m > 0))
        self._fee_limits = None
        self.drawn = [bool(b > 0) for b in p.balance0]
        self.line_crisis = bool(self.L and o.crisis_line_cut and np.any(p.line_crisis_cut > 0))
        self.spend0 = float(self.spend[0]) if n else 1.0
        self._net_rate = self.rate_m - self.fee_m
        self._amort = p.amortizing_index
        self._varying_limits = self.line_crisis or bool(np.any(self.line_cut))
        self._all_investable = bool(np.all(p.investable))
        self._investable = p.investable.astype(float)
        self._all_move = bool(np.all(p.class_factor[p.bucket_class] >= 0))
        self._price_setup()
        self.dead = np.zeros(0, dtype=int)
        self.tol = 1e-9 * (abs(p.total_assets0) + abs(p.balance0.sum()) + 1.0)
        self._dividend_setup()
        self._tracked = np.array(
            [
                k
                for k in range(len(p.class_factor))
                if p.class_factor[k] >= 0
                and (self.S > 0 or k in self.cut_classes or self.line_crisis)
            ],  # fmt: skip
            dtype=int,
        )
        # records
        self.fail_month = np.full(n, -1, dtype=np.int64)
        self.fail_nw = np.zeros(n)
        self.max_ltv = np.zeros((self.S, n))
        self.margin_ever = np.zeros(n, dtype=bool)
        self.forced_ever = np.zeros(n, dtype=bool)
        self.forced_amount = np.zeros(n)
        self.forced_loss = np.zeros(n)
        self.lines_full = np.zeros(n, dtype=bool)
        self.min_liq = np.full(n, np.inf)
        years = months // 12
        self.nw_year = np.zeros((n, years))
        self.passive_year = np.zeros((n, years))
        self.passive = np.zeros(n)
        self.nw = np.full(n, p.net_worth0)
        self.crisis_carry = np.zeros((len(p.class_names), n), dtype=bool)
        self.log_index = np.zeros((len(p.class_names), n))
        self.log_peak = np.zeros((len(p.class_names), n))
        self.month_sales = np.zeros(n)
        self.month_forced = np.zeros(n)
        self.monthly = rules.MonthlyBuffers(self) if o.record_monthly else None

    # ------------------------------------------------------------------ setup
    def _dividend_setup(self) -> None:
        """Dividend yields as rows: row 0 paid in full, the others scaled each month.

        Scaled rows: one per crisis-cut class (A5) or one for every cuttable dividend
        (a given dividend factor, the replay). Monthly dividend = Σ_r factor_r · y_r @ U.
        """
        p, o = self.plan, self.o
        never, cut = p.dividend_never_cut, p.dividend_cuttable
        self.has_div = bool(np.any(never) or np.any(cut))
        self.cut_classes = np.zeros(0, dtype=int)
        if self.div_factor is not None:
            rows = [never, cut]
        elif o.crisis_dividend_cut:
            cls = [k for k in range(len(p.class_names)) if p.class_crisis_cut[k] > 0
                   and p.class_factor[k] >= 0 and np.any(cut[:, p.bucket_class == k])]  # fmt: skip
            self.cut_classes = np.array(cls, dtype=int)
            in_cut = np.isin(p.bucket_class, self.cut_classes)
            rows = [never + cut * ~in_cut] + [cut * (p.bucket_class == k) for k in cls]
        else:
            rows = [never + cut]
        self.yields = np.stack(rows, axis=1)  # (years, rows, buckets)
        self.n_years_div = never.shape[0]

    def _price_setup(self) -> None:
        """Buckets that move alike: one price move per (class factor, FX factor) pair.

        Many buckets share a pair (the same class and currency pledged to different
        loans), so the exponentials are taken once per pair and gathered per month.
        """
        p = self.plan
        bucket_cf = p.class_factor[p.bucket_class].tolist()
        pairs = list(zip(bucket_cf, p.bucket_fx.tolist(), strict=True))
        unique = list(dict.fromkeys(pairs))
        self._pair_cf = np.array([c for c, _ in unique], dtype=int)
        self._pair_fx = np.array([f for _, f in unique], dtype=int)
        self._bucket_pair = np.array([unique.index(pair) for pair in pairs], dtype=int)
        self._pair_is_bucket = len(unique) == p.n_buckets  # pairs in bucket order
        fx_factors = p.bucket_fx[p.fx_start :]
        self._fx_factors = np.array(list(dict.fromkeys(fx_factors.tolist())), dtype=int)
        self._fx_row = np.array(
            [self._fx_factors.tolist().index(f) for f in fx_factors.tolist()], dtype=int
        )
        self._fx_is_bucket = len(self._fx_factors) == len(fx_factors)

    def _slab_prices(self, lr: np.ndarray):
        """Gross returns per price-move pair (T, pairs, n) and per foreign currency
        (T, currencies, n), and the class log-index for a slab.

        ``lr`` is (T, F, n). The class log-index and its running peak (T, K, n) are
        computed where needed: crisis-cut classes and, with secured loans, every class
        (the loss a forced sale crystallises).
        """
        p = self.plan
        T, F, n = lr.shape
        cf = p.class_factor
        pair_cf, pair_fx = self._pair_cf, self._pair_fx
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
            fx_growth = np.exp(lr[:, self._fx_factors])
        np.exp(growth, out=growth)
        tracked = self._tracked
        log_index = log_peak = None
        if len(tracked):
            K = len(cf)
            if len(tracked) == K:
                log_index = lr[:, cf]
            else:
                log_index = np.zeros((T, K, n))
                log_index[:, tracked] = lr[:, cf[tracked]]
            log_peak = np.empty((T, K, n))
            # running sum and running peak, month by month (faster than accumulate)
            log_index[0] += self.log_index
            np.maximum(self.log_peak, log_index[0], out=log_peak[0])
            for m in range(1, T):
                log_index[m] += log_index[m - 1]
                np.maximum(log_peak[m - 1], log_index[m], out=log_peak[m])
            self.log_index, self.log_peak = log_index[-1].copy(), log_peak[-1].copy()
        return growth, fx_growth, log_index, log_peak

    # ------------------------------------------------------------------ loop
    def advance(self, slab: np.ndarray) -> None:
        """Run the months of a slab of log-returns, shape (months, factors, paths)."""
        p = self.plan
        lr = np.asarray(slab, dtype=float)
        T, F, n = lr.shape
        if n != self.n or F != len(p.factor_labels):
            raise ValueError(f"slab has shape {slab.shape}; this run has {self.n} paths")
        if self.t + T > p.months:
            raise ValueError(f"more months of returns than the plan's {p.months}")
        growth, fx_growth, log_index, log_peak = self._slab_prices(lr)
        crisis = None
        if log_index is not None and (len(self.cut_classes) or self.line_crisis):
            # a month's dividends and line limits follow the crisis state at its start,
            # i.e. after the previous month's move
            after = (log_index - log_peak) < CRISIS_LOG
            crisis = np.concatenate([self.crisis_carry[None], after[:-1]], axis=0)
            self.crisis_carry = after[-1].copy()
        factors = None
        if len(self.cut_classes):
            cuts = p.class_crisis_cut[self.cut_classes][None, :, None]
            factors = np.ones((T, 1 + len(self.cut_classes), n))
            factors[:, 1:] -= cuts * crisis[:, self.cut_classes]
        line_crisis = crisis.any(axis=1) if self.line_crisis else None  # (T, n)

        V, U, VU, D, cash = self.V, self.U, self.VU, self.D, self.cash
        S, L, lines = self.S, self.L, self.lines
        Ds = D[:S]
        buffer, reinvest = p.buffer, p.reinvest
        all_investable, investable = self._all_investable, self._investable
        fx0 = p.fx_start
        yearly = self.nw_year.shape[1]
        rec, once, inc = p.recurring_expenses, p.once_expenses, p.income
        amort = self._amort
        varying_limits = self._varying_limits
        monthly = self.monthly
        n_rates = len(D)

        for i in range(T):
            t = self.t
            y = min(t // 12, self.n_years_div - 1)
            # ---- 1. cash flows: income, expenses, interest, fees, amortization
            if self.uniform_spend:
                cash += inc[t] - once[t] - rec[t] * self.spend0
            else:
                cash += inc[t] - once[t]
                cash -= rec[t] * self.spend
            if self.any_failed:
                cash[self.dead] = 0.0
            lim_lines = self._line_limits(t, i, line_crisis) if L else None
            if n_rates:
                shock = self.rate_shock[t] / 12.0
                if varying_limits:
                    cost = (self.rate_m + shock) @ D
                    if self.has_fee:
                        cost += rules.commitment_fees(self, self.fee_m, lim_lines)
                else:  # fee on undrawn = fee·limit − fee·drawn (drawn ≤ limit)
                    cost = (self._net_rate + shock if shock else self._net_rate) @ D
                    if self.has_fee:
                        cost += self.fee_on_limits()
                if len(amort):
                    pay = np.minimum(D[amort], p.payment[amort][:, None])
                    D[amort] -= pay
                    cash -= pay.sum(axis=0)
            else:
                cost = 0.0
            # ---- 2. net dividends
            if self.has_div:
                if factors is not None:
                    div = np.einsum("kn,kn->n", self.yields[y] @ U, factors[i])
                elif self.div_factor is not None:
                    yr = self.yields[y]
                    div = yr[0] @ U + self.div_factor[t] * (yr[1] @ U)
                else:
                    div = self.yields[y, 0] @ U
                if monthly is not None:
                    monthly.dividends[t] = div
                flow = div - cost  # net passive income this month
            else:
                flow = -cost
            cash += flow
            self.passive += flow
            # ---- 3. prices and FX move
            V *= growth[i] if self._pair_is_bucket else growth[i][self._bucket_pair]
            if fx_growth is not None:
                U[fx0:] *= fx_growth[i] if self._fx_is_bucket else fx_growth[i][self._fx_row]
            # ---- 4. margin rules per secured loan
            if S:
                C = self.pool_mat @ V
                np.maximum(C, 1e-300, out=C)
                ltv = Ds / C
                np.maximum(self.max_ltv, ltv, out=self.max_ltv)
                if monthly is not None:
                    monthly.record_ltv(t, ltv)
                hit = ltv >= self.trigger
                if hit.any():
                    idx = np.flatnonzero(hit.any(axis=0))
                    rules.margin_rules(self, idx, i, log_index, log_peak, lim_lines)
            # ---- 5. liquidity
            if cash.min() < 0:
                rules.liquidity(self, np.flatnonzero(cash < 0), t, lim_lines)
            # ---- 6. surplus: repay the most expensive debt, reinvest the rest
            excess = cash - buffer
            np.maximum(excess, 0.0, out=excess)
            v_total = V.sum(axis=0)
            nw = cash + v_total
            if n_rates:
                nw -= D.sum(axis=0)  # net worth is unchanged by repayments and purchases
            if not reinvest:
                excess0 = excess.copy()
            for j in self.repay_order:
                if self.drawn[j]:
                    pay = np.minimum(excess, D[j])
                    D[j] -= pay
                    excess -= pay
                    if t % 12 == 11:  # forget fully repaid debts now and then
                        self.drawn[j] = D[j].max() > 0
            if not reinvest:
                cash -= excess0 - excess
            else:
                inv_total = v_total if all_investable else investable @ V
                np.minimum(cash, buffer, out=cash)  # the excess is repaid or invested
                if inv_total.min() > 0:
                    grow = excess / inv_total
                else:  # a path with nothing to buy keeps the rest in cash
                    can = inv_total > 0
                    grow = np.divide(excess, inv_total, out=np.zeros(n), where=can)
                    cash += np.where(can, 0.0, excess)
                grow += 1.0
                if all_investable:
                    VU *= grow
                else:
                    g = np.where(p.investable[:, None], grow[None, :], 1.0)
                    V *= g
                    U *= g
            # ---- failure: net worth ≤ 0 (cash < 0 was caught in step 5)
            if nw.min() <= 0.0:
                bad = (nw <= 0.0) & self.alive_b
                if bad.any():
                    rules.fail(self, np.flatnonzero(bad), t, nw, lim_lines)
            self.nw = nw
            # ---- records
            if L:
                undrawn = lim_lines - D[lines]
                if varying_limits:
                    np.maximum(undrawn, 0.0, out=undrawn)
                liquid = cash + (undrawn[0] if L == 1 else undrawn.sum(axis=0))
            else:
                liquid = cash
            np.minimum(self.min_liq, liquid, out=self.min_liq)
            if monthly is not None:
                monthly.record_end(t, nw, liquid)
            if (t + 1) % 12 == 0 and (t + 1) // 12 <= yearly:
                k = (t + 1) // 12 - 1
                self.nw_year[:, k] = np.where(self.alive_b, nw, self.fail_nw)
                self.passive_year[:, k] = self.passive
                self.passive[:] = 0.0
            self.t += 1

    def fee_on_limits(self) -> np.ndarray:
        """Σ fee/12 × limit per path (cached; limits change only when a path fails)."""
        if self._fee_limits is None:
            self._fee_limits = self.fee_m @ self.lim
        return self._fee_limits

    def _line_limits(self, t: int, i: int, line_crisis) -> np.ndarray:
        """Effective unsecured limits this month: limit × scale × (1 − cut)."""
        lim = self.lim[self.lines]
        cut = self.line_cut[t]
        if cut:
            lim = lim * (1.0 - cut)
        if line_crisis is not None:
            lim = lim * (1.0 - self.plan.line_crisis_cut[:, None] * line_crisis[i][None, :])
        return lim

    # ------------------------------------------------------------------ output
    def records(self) -> Records:
        nw_final = np.where(self.alive_b, self.nw, self.fail_nw)
        return Records(
            failure_month=self.fail_month.copy(),
            max_ltv=np.minimum(self.max_ltv, LTV_CAP).T.copy(),
            margin_call=self.margin_ever.copy(),
            forced_sale=self.forced_ever.copy(),
            forced_sale_amount=self.forced_amount.copy(),
            forced_sale_loss=self.forced_loss.copy(),
            lines_fully_drawn=self.lines_full.copy(),
            min_liquidity=np.where(np.isfinite(self.min_liq), self.min_liq, self.cash),
            net_worth_yearly=self.nw_year.copy(),
            passive_income_yearly=self.passive_year.copy(),
            final_net_worth=nw_final,
            monthly=None if self.monthly is None else self.monthly.freeze(self.t),
        )
