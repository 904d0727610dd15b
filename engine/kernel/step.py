"""The month step (SPEC §3), advanced slab by slab over every path at once.

Each month, in order (``MonthStep.advance``):

1. ``pay_cash_flows``     income in, expenses out, amortization; interest and fees due
2. ``credit_dividends``   net dividends in (interest and fees out: one passive flow)
3. ``move_markets``       prices and FX move by the month's log-returns
4. ``apply_lender_rules`` per secured loan: liquidation, else cure a margin call
5. ``fund_shortfall``     cash < 0: lines, secured draws, sales; else the path fails
6. ``use_surplus``        cash above the buffer repays debt, the rest is reinvested

then ``check_failure`` (net worth ≤ 0) and ``record_month``. Steps 4 and 5 are rare
events, run only on the paths that need them (``engine.kernel.rules``), so a quiet
month costs a few dozen array operations.
"""

from __future__ import annotations

import numpy as np

from engine.kernel import rules
from engine.kernel.plan import Plan
from engine.kernel.records import MonthlyBuffers, Records
from engine.kernel.state import Layout, State, per_month
from engine.kernel.types import CRISIS_LOG, LTV_CAP, Overrides


class MonthStep:
    """The state of ``paths`` paths, advanced slab by slab (months, factors, paths)."""

    def __init__(self, plan: Plan, paths: int, overrides: Overrides | None = None):
        o = overrides or Overrides()
        self.plan, self.o, self.n, self.t = plan, o, int(paths), 0
        self.layout = lay = Layout(plan)
        self.st = st = State(plan, lay, paths, o)
        months = plan.months
        self.uniform_spending = np.ndim(o.spending_multiplier) == 0
        self.spending0 = float(st.spending[0]) if self.n else 1.0
        self.rate_shock = per_month(o.rate_shock, months)
        self.line_cut = per_month(o.line_limit_cut, months)
        self.dividend_factor = (
            None if o.dividend_factor is None else per_month(o.dividend_factor, months)
        )
        self.line_crisis = bool(
            lay.n_lines and o.crisis_line_cut and np.any(plan.line_crisis_cut > 0)
        )
        self.varying_limits = self.line_crisis or bool(np.any(self.line_cut))
        self._dividend_setup()
        # classes whose price index and running peak are followed (the crisis rules)
        self.tracked = np.array(
            [
                k
                for k in range(len(plan.class_factor))
                if plan.class_factor[k] >= 0 and (k in self.cut_classes or self.line_crisis)
            ],
            dtype=int,
        )
        K = len(plan.class_names)
        self.crisis_carry = np.zeros((K, self.n), dtype=bool)
        self.log_index = np.zeros((K, self.n))
        self.log_peak = np.zeros((K, self.n))
        if o.record_monthly:
            st.monthly = MonthlyBuffers(st)
            st.forced_by_bucket = np.zeros((plan.n_buckets, self.n))

    # ------------------------------------------------------------------ setup
    def _dividend_setup(self) -> None:
        """Dividend yields as rows: row 0 paid in full, the others scaled each month.

        Scaled rows: one per crisis-cut class (A5) or one for every cuttable dividend
        (a given dividend factor, the replay). Monthly dividend = Σ_r factor_r · y_r @ units.
        """
        p, o = self.plan, self.o
        never, cut = p.dividend_never_cut, p.dividend_cuttable
        self.has_dividends = bool(np.any(never) or np.any(cut))
        self.cut_classes = np.zeros(0, dtype=int)
        if self.dividend_factor is not None:
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
        self.dividend_years = never.shape[0]

    # ------------------------------------------------------------------ a slab
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
        dividend_factors, line_crisis = self._crisis_state(log_index, log_peak, T)
        for i in range(T):
            t = self.t
            line_limits = self._line_limits(t, i, line_crisis) if self.layout.n_lines else None
            cost = self.pay_cash_flows(t, line_limits)
            self.credit_dividends(t, i, dividend_factors, cost)
            self.move_markets(i, growth, fx_growth)
            self.apply_lender_rules(t, line_limits)
            self.fund_shortfall(t, line_limits)
            net_worth = self.use_surplus(t)
            self.check_failure(t, net_worth, line_limits)
            self.record_month(t, net_worth, line_limits)
            self.t += 1

    def _slab_prices(self, lr: np.ndarray):
        """Gross returns per price-move pair (T, pairs, n) and per foreign currency
        (T, currencies, n), and the tracked classes' log price index and running peak
        (T, K, n) for a slab ``lr`` (T, F, n)."""
        p, lay = self.plan, self.layout
        T, F, n = lr.shape
        cf = p.class_factor
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
        np.exp(growth, out=growth)
        tracked = self.tracked
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

    def _crisis_state(self, log_index, log_peak, T: int):
        """Per month of the slab: the dividend factor of each scaled row (T, rows, n) and
        whether some class is in crisis (T, n) — both as the month *starts*, i.e. after
        the previous month's move. A class is in crisis while more than 30% below its
        running peak."""
        crisis = None
        if log_index is not None and (len(self.cut_classes) or self.line_crisis):
            after = (log_index - log_peak) < CRISIS_LOG
            crisis = np.concatenate([self.crisis_carry[None], after[:-1]], axis=0)
            self.crisis_carry = after[-1].copy()
        factors = None
        if len(self.cut_classes):
            cuts = self.plan.class_crisis_cut[self.cut_classes][None, :, None]
            factors = np.ones((T, 1 + len(self.cut_classes), self.n))
            factors[:, 1:] -= cuts * crisis[:, self.cut_classes]
        line_crisis = crisis.any(axis=1) if self.line_crisis else None
        return factors, line_crisis

    def _line_limits(self, t: int, i: int, line_crisis) -> np.ndarray:
        """Effective unsecured limits this month: limit × scale × (1 − cut)."""
        lim = self.st.limit[self.layout.lines]
        cut = self.line_cut[t]
        if cut:
            lim = lim * (1.0 - cut)
        if line_crisis is not None:
            lim = lim * (1.0 - self.plan.line_crisis_cut[:, None] * line_crisis[i][None, :])
        return lim

    # ------------------------------------------------------------------ 1. cash flows
    def pay_cash_flows(self, t: int, line_limits):
        """Income in, expenses out (recurring × spending multiplier, plus Once),
        amortization paid; return this month's interest and commitment fees, which
        step 2 nets against the dividends (one passive-income flow)."""
        p, lay, st = self.plan, self.layout, self.st
        cash = st.cash
        if self.uniform_spending:
            flow = p.income[t] - p.once_expenses[t] - p.recurring_expenses[t] * self.spending0
        else:
            flow = p.income[t] - p.once_expenses[t] - p.recurring_expenses[t] * st.spending
        cash += flow
        st.outside_flow += flow
        if st.any_failed:
            cash[st.dead] = 0.0
        if not len(st.debt):
            return 0.0
        debt = st.debt
        shock = self.rate_shock[t] / 12.0
        if self.varying_limits:
            cost = (lay.rate_monthly + shock) @ debt
            if lay.has_fee:
                cost += rules.commitment_fees(st, line_limits)
        else:  # fee on undrawn = fee·limit − fee·drawn (drawn ≤ limit)
            cost = (lay.rate_net_of_fee + shock if shock else lay.rate_net_of_fee) @ debt
            if lay.has_fee:
                cost += st.fee_on_limits()
        amortizing = lay.amortizing
        if len(amortizing):
            pay = np.minimum(debt[amortizing], p.payment[amortizing][:, None])
            debt[amortizing] -= pay
            cash -= pay.sum(axis=0)
            if st.monthly is not None:
                st.monthly.principal[t] = pay.sum(axis=0)
        if st.monthly is not None:
            st.monthly.interest[t] = cost
        return cost

    # ------------------------------------------------------------------ 2. dividends
    def credit_dividends(self, t: int, i: int, factors, cost) -> None:
        """Net dividends of the year's policy yield on the units held, × the crisis cut
        (A5) or the scenario's dividend factor (replay); less interest and fees."""
        st = self.st
        if self.has_dividends:
            y = min(t // 12, self.dividend_years - 1)
            if factors is not None:
                dividends = np.einsum("kn,kn->n", self.yields[y] @ st.units, factors[i])
            elif self.dividend_factor is not None:
                yields = self.yields[y]
                dividends = yields[0] @ st.units + self.dividend_factor[t] * (yields[1] @ st.units)
            else:
                dividends = self.yields[y, 0] @ st.units
            if st.monthly is not None:
                st.monthly.dividends[t] = dividends
                st.monthly.units[t] = st.units
            flow = dividends - cost  # net passive income this month
        else:
            flow = -cost
        st.cash += flow
        st.passive_income += flow

    # ------------------------------------------------------------------ 3. markets
    def move_markets(self, i: int, growth, fx_growth) -> None:
        """Each bucket's value × its class and FX gross return; units × the FX return."""
        p, lay, st = self.plan, self.layout, self.st
        st.value *= growth[i] if lay.pairs_are_buckets else growth[i][lay.bucket_pair]
        if fx_growth is not None:
            fx = fx_growth[i] if lay.fx_rows_are_buckets else fx_growth[i][lay.fx_row]
            st.units[p.fx_start :] *= fx

    # ------------------------------------------------------------------ 4. lenders
    def apply_lender_rules(self, t: int, line_limits) -> None:
        """LTV of each secured loan after the move; the rules on the paths at a trigger."""
        lay, st = self.layout, self.st
        S = lay.n_secured
        if not S:
            return
        collateral = lay.pool_matrix @ st.value
        np.maximum(collateral, 1e-300, out=collateral)
        ltv = st.debt[:S] / collateral
        np.maximum(st.max_ltv, ltv, out=st.max_ltv)
        if st.monthly is not None:
            st.monthly.record_ltv(t, ltv)
        hit = ltv >= lay.trigger
        if hit.any():
            idx = np.flatnonzero(hit.any(axis=0))
            rules.apply_lender_rules(st, idx, line_limits)

    # ------------------------------------------------------------------ 5. liquidity
    def fund_shortfall(self, t: int, line_limits) -> None:
        st = self.st
        if st.cash.min() < 0:
            rules.fund_shortfall(st, np.flatnonzero(st.cash < 0), t, line_limits)

    # ------------------------------------------------------------------ 6. surplus
    def use_surplus(self, t: int) -> np.ndarray:
        """Cash above the buffer (the buffer is refilled first) repays unsecured lines,
        dearest first, then — Loan policy Keep — secured draws above each loan's month-0
        balance, or — Repay — every drawn debt, dearest first; if Reinvest surplus, the
        rest buys the non-cash buckets pro rata to their value. Returns net worth (which
        neither changes)."""
        p, lay, st = self.plan, self.layout, self.st
        cash, debt, value = st.cash, st.debt, st.value
        excess = cash - p.buffer
        np.maximum(excess, 0.0, out=excess)
        v_total = value.sum(axis=0)
        net_worth = cash + v_total
        if len(debt):
            net_worth -= debt.sum(axis=0)
        if not p.reinvest:
            excess0 = excess.copy()
        S = lay.n_secured
        for j in lay.repay_order:
            if st.drawn[j]:
                kept = lay.kept_balance[j] if j < S else 0.0  # Keep: the month-0 balance
                owed = np.maximum(debt[j] - kept, 0.0) if kept else debt[j]
                pay = np.minimum(excess, owed)
                debt[j] -= pay
                excess -= pay
                if t % 12 == 11:  # forget fully repaid debts now and then
                    st.drawn[j] = (owed - pay).max() > 0
        if not p.reinvest:
            cash -= excess0 - excess
            return net_worth
        invested = v_total if lay.all_investable else lay.investable @ value
        np.minimum(cash, p.buffer, out=cash)  # the excess is repaid or invested
        if invested.min() > 0:
            grow = excess / invested
        else:  # a path with nothing to buy keeps the rest in cash
            can = invested > 0
            grow = np.divide(excess, invested, out=np.zeros(self.n), where=can)
            cash += np.where(can, 0.0, excess)
        if st.monthly is not None:
            st.monthly.reinvested[t] = grow * invested
        grow += 1.0
        if lay.all_investable:
            st.holdings *= grow
        else:
            g = np.where(p.investable[:, None], grow[None, :], 1.0)
            value *= g
            st.units *= g
        return net_worth

    # ------------------------------------------------------------------ failure, records
    def check_failure(self, t: int, net_worth: np.ndarray, line_limits) -> None:
        """Net worth ≤ 0 is failure too (cash < 0 was caught in step 5)."""
        st = self.st
        if net_worth.min() <= 0.0:
            bad = (net_worth <= 0.0) & st.alive
            if bad.any():
                rules.fail_paths(st, np.flatnonzero(bad), t, net_worth, line_limits)
        st.net_worth = net_worth

    def record_month(self, t: int, net_worth: np.ndarray, line_limits) -> None:
        """Lowest liquidity (cash + undrawn lines); at each year end net worth, net
        passive income, total debt, and whether the year's net dividends + income
        covered its expenses + interest + fees (the income-covered test)."""
        lay, st = self.layout, self.st
        if lay.n_lines:
            undrawn = line_limits - st.debt[lay.lines]
            if self.varying_limits:
                np.maximum(undrawn, 0.0, out=undrawn)
            liquid = st.cash + (undrawn[0] if lay.n_lines == 1 else undrawn.sum(axis=0))
        else:
            liquid = st.cash
        np.minimum(st.min_liquidity, liquid, out=st.min_liquidity)
        if st.monthly is not None:
            st.monthly.record_end(t, net_worth, liquid)
        years = st.net_worth_yearly.shape[1]
        if (t + 1) % 12 == 0 and (t + 1) // 12 <= years:
            k = (t + 1) // 12 - 1
            st.net_worth_yearly[:, k] = np.where(st.alive, net_worth, st.failure_net_worth)
            st.passive_income_yearly[:, k] = st.passive_income
            st.debt_yearly[:, k] = st.debt.sum(axis=0) if len(st.debt) else 0.0
            st.income_covered &= st.passive_income + st.outside_flow >= -st.tol
            st.passive_income[:] = 0.0
            st.outside_flow[:] = 0.0

    # ------------------------------------------------------------------ output
    def records(self) -> Records:
        st = self.st
        final = np.where(st.alive, st.net_worth, st.failure_net_worth)
        return Records(
            failure_month=st.failure_month.copy(),
            max_ltv=np.minimum(st.max_ltv, LTV_CAP).T.copy(),
            margin_call=st.margin_call.copy(),
            sale_under_call=st.sale_under_call.copy(),
            sale_under_call_amount=st.sale_under_call_amount.copy(),
            liquidation=st.liquidation.copy(),
            liquidation_amount=st.liquidation_amount.copy(),
            line_drawn=st.line_drawn.copy(),
            lines_fully_drawn=st.lines_fully_drawn.copy(),
            income_covered=st.income_covered.copy(),
            min_liquidity=np.where(np.isfinite(st.min_liquidity), st.min_liquidity, st.cash),
            net_worth_yearly=st.net_worth_yearly.copy(),
            passive_income_yearly=st.passive_income_yearly.copy(),
            debt_yearly=st.debt_yearly.copy(),
            final_net_worth=final,
            monthly=None if st.monthly is None else st.monthly.freeze(self.t),
        )
