"""The month step (SPEC §3), advanced slab by slab over every path at once.

Each month, in order (``MonthStep.advance``):

1. ``pay_cash_flows``     income in, expenses out, amortization; interest and fees due
2. ``credit_dividends``   net dividends in (interest and fees out: one passive flow)
3. ``move_markets``       prices, FX and consumer prices move by the month's draws
4. ``apply_lender_rules`` per secured loan: liquidation, else cure a margin call
5. ``fund_shortfall``     cash < 0: lines, secured draws, sales; else the path fails
6. ``use_surplus``        cash above the buffer repays debt, the rest is reinvested

between 5 and 6 the month's capital gains and losses are netted (``State.settle_tax``),
then ``check_failure`` (net worth ≤ 0) and ``record_month``. ``engine.kernel.markets``
reads each slab of returns (price moves, inflation, the dividend factors). Steps 4 and 5 are rare
events, run only on the paths that need them (``engine.kernel.rules``), so a quiet
month costs a few dozen array operations.
"""

from __future__ import annotations

import numpy as np

from engine.kernel import rules
from engine.kernel.markets import Markets
from engine.kernel.plan import Plan
from engine.kernel.records import MonthlyBuffers, Records
from engine.kernel.state import Layout, State, per_month
from engine.kernel.types import LTV_CAP, Overrides


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
        self.markets = Markets(plan, lay, self.n, o, self.dividend_factor)
        self.varying_limits = self.markets.line_crisis or bool(np.any(self.line_cut))
        # floating-rate debts: their rate moves with the path's inflation (SPEC §3)
        self.floating = np.flatnonzero(plan.floating) if plan.inflation_path else np.zeros(0, int)
        if o.record_monthly:
            st.monthly = MonthlyBuffers(st)
            st.forced_by_bucket = np.zeros((plan.n_buckets, self.n))

    # ------------------------------------------------------------------ a slab
    def advance(self, slab: np.ndarray) -> None:
        """Run the months of a slab of log-returns, shape (months, factors, paths)."""
        p = self.plan
        lr = np.asarray(slab, dtype=float)
        T, F, n = lr.shape
        if n != self.n or F != len(p.factor_labels):
            raise ValueError(f"slab has shape {slab.shape}; this run has {self.n} paths")
        self.advance_read(self.markets.read(lr, self.t), T)

    def advance_read(self, slab, T: int) -> None:
        """Run ``T`` months of a slab already read (``engine.kernel.markets.Slab``, one
        column per path of this run: ``Markets.read`` of the same overrides' markets)."""
        if self.t + T > self.plan.months:
            raise ValueError(f"more months of returns than the plan's {self.plan.months}")
        if slab.growth.shape[-1] != self.n:
            raise ValueError(f"slab has {slab.growth.shape[-1]} paths; this run has {self.n}")
        for i in range(T):
            t = self.t
            line_limits = self._line_limits(t, i, slab.line_crisis) if self.layout.n_lines else None
            inflation = None if slab.inflation is None else slab.inflation[i]
            cost = self.pay_cash_flows(t, line_limits, inflation)
            self.credit_dividends(t, i, slab.dividend_factors, cost)
            self.move_markets(i, slab, inflation)
            self.apply_lender_rules(t, line_limits)
            self.fund_shortfall(t, line_limits)
            self.st.settle_tax()  # the month's gains and losses netted
            net_worth = self.use_surplus(t)
            self.check_failure(t, net_worth, line_limits)
            self.record_month(t, net_worth, line_limits)
            self.t += 1

    def keep_paths(self, keep: np.ndarray) -> None:
        """Only the paths ``keep`` go on (``State.keep_paths``); later slabs have their
        columns."""
        self.st.keep_paths(keep)
        self.n = self.st.n

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
    def pay_cash_flows(self, t: int, line_limits, inflation):
        """Income in, expenses out (monthly living costs × the spending multiplier, every
        other expense as it is), in money of the day — on an inflation path the linked
        rows × the path's price level — amortization paid; return this month's interest
        (at this month's rate: floating loans move with inflation) and commitment fees,
        which step 2 nets against the dividends (one passive-income flow)."""
        p, lay, st = self.plan, self.layout, self.st
        cash = st.cash
        spend = self.spending0 if self.uniform_spending else st.spending
        if p.inflation_path:
            f, level = p.flows, st.price_level
            fixed = f.income_fixed[t] - f.outgo_fixed[t]
            flow = fixed + (f.income_real[t] - f.outgo_real[t] - f.living_real[t] * spend) * level
        else:
            flow = p.income[t] - p.outgo[t] - p.living[t] * spend
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
        if len(self.floating):  # max(0, rate + π_t − π̄) instead of the rate
            f = self.floating
            base = p.rate[f][:, None]
            moved = np.maximum(base + (inflation - p.inflation_mean)[None, :], 0.0)
            cost = cost + ((moved - base) / 12.0 * debt[f]).sum(axis=0)
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
        """Net dividends: each row's policy yield on the units held × its factor this
        month (``engine.kernel.markets``: the crisis cut, prices against their median,
        or the scenario's cut); less interest and fees."""
        st, mk = self.st, self.markets
        if mk.has_dividends:
            y = min(t // 12, mk.years - 1)
            if factors is None:
                dividends = mk.yields[y, 0] @ st.units
            else:
                dividends = np.einsum("kn,kn->n", mk.yields[y] @ st.units, factors[i])
            if st.monthly is not None:
                st.monthly.dividends[t] = dividends
                st.monthly.units[t] = st.units
            flow = dividends - cost  # net passive income this month
        else:
            flow = -cost
        st.cash += flow
        st.passive_income += flow

    # ------------------------------------------------------------------ 3. markets
    def move_markets(self, i: int, slab, inflation) -> None:
        """Each bucket's value × its class and FX gross return; units × the FX return;
        consumer prices × (1 + π_t)^(1/12) on an inflation path."""
        p, st = self.plan, self.st
        st.value *= slab.growth[i]
        if slab.fx_growth is not None:
            st.units[p.fx_start :] *= slab.fx_growth[i]
        if slab.price_growth is not None:
            st.price_level *= slab.price_growth[i]

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
        if not self.o.survival_only:
            np.maximum(st.max_ltv, ltv, out=st.max_ltv)
        if st.monthly is not None:
            st.monthly.record_ltv(t, ltv)
        hit = ltv >= lay.trigger
        if hit.any():
            idx = np.flatnonzero(hit.any(axis=0))
            loans = np.flatnonzero(hit.any(axis=1)) if S > 1 else range(S)
            rules.apply_lender_rules(st, idx, line_limits, loans)

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
        if lay.has_tax:  # purchases add their price to the cost basis
            st.cost += st.value * (grow[None, :] * lay.investable[:, None])
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
        if self.o.survival_only:
            return
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
            st.price_level_yearly[:, k] = st.price_level
            st.income_covered &= st.passive_income + st.outside_flow >= -st.tol
            st.passive_income[:] = 0.0
            st.outside_flow[:] = 0.0

    # ------------------------------------------------------------------ output
    def _price_levels(self) -> np.ndarray:
        """Consumer prices at each year end (paths, years): the path's own on an inflation
        path, else (1 + Expense inflation)^year."""
        if self.plan.inflation_path:
            return self.st.price_level_yearly.copy()
        years = self.st.net_worth_yearly.shape[1]
        level = (1.0 + self.plan.inflation_mean) ** np.arange(1, years + 1)
        return np.broadcast_to(level, (self.n, years)).copy()

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
            line_consulted=st.line_consulted.copy(),
            lines_fully_drawn=st.lines_fully_drawn.copy(),
            income_covered=st.income_covered.copy(),
            min_liquidity=np.where(np.isfinite(st.min_liquidity), st.min_liquidity, st.cash),
            net_worth_yearly=st.net_worth_yearly.copy(),
            passive_income_yearly=st.passive_income_yearly.copy(),
            debt_yearly=st.debt_yearly.copy(),
            price_level_yearly=self._price_levels(),
            final_net_worth=final,
            monthly=None if st.monthly is None else st.monthly.freeze(self.t),
        )
