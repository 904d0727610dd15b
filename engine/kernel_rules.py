"""The rare events of the month step, run only on the paths that need them.

``margin_rules`` (step 4), ``liquidity`` (step 5) and ``fail`` work on a subset of
paths ``idx``: they gather the subset's state, apply the rules vectorised over it,
and scatter it back. The formulas are in ``engine.kernel``'s docstring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from engine.kernel_step import MonthStep


def commitment_fees(st: MonthStep, fee_m: np.ndarray, lim_lines) -> np.ndarray:
    """Monthly commitment fees on undrawn limits (secured loans and lines)."""
    S, L = st.S, st.L
    total = np.zeros(st.n)
    if S and np.any(fee_m[:S] > 0):
        total += fee_m[:S] @ np.maximum(st.lim[:S] - st.D[:S], 0.0)
    if L and np.any(fee_m[S : S + L] > 0):
        total += fee_m[S : S + L] @ np.maximum(lim_lines - st.D[S : S + L], 0.0)
    return total


def freeze_fraction(balance, collateral, net, freeze) -> np.ndarray:
    """Share φ of a pool to sell so that (L − φN) = f·(1 − φ)C; 1 when that is impossible.

    N is the pool's value net of selling cost; φ = (L − fC)/(N − fC), clipped to [0, 1].
    """
    room = net - freeze * collateral
    phi = np.divide(
        balance - freeze * collateral, room, out=np.ones_like(balance), where=room > 1e-12
    )
    return np.clip(phi, 0.0, 1.0)


def _rows(mask: np.ndarray):
    """Bucket rows of a mask as a slice when contiguous (cheaper to index), else indices."""
    rows = np.flatnonzero(mask)
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


class _Subset:
    """The state of paths ``idx``: gathered copies, or the arrays themselves when ``idx``
    is None (every path — cheaper than gathering when many paths need the rule)."""

    def __init__(self, st: MonthStep, idx, lim_lines):
        self.st, self.idx = st, idx
        if idx is None:
            self.VU, self.D, self.cash = st.VU, st.D, st.cash
            self.V, self.U = st.V, st.U
            self.lines = lim_lines
        else:
            self.VU, self.D = st.VU[:, idx], st.D[:, idx]
            B = st.plan.n_buckets
            self.V, self.U = self.VU[:B], self.VU[B:]
            self.cash = st.cash[idx]
            self.lines = None if lim_lines is None else lim_lines[:, idx]
        self.sales = np.zeros(len(self.cash))

    def global_index(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask) if self.idx is None else self.idx[mask]

    def sell(self, rows, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sell share φ of the buckets ``rows`` (bool mask or rows); return (gross, net)."""
        st = self.st
        if isinstance(rows, np.ndarray) and rows.dtype == bool:
            rows = _rows(rows)
        sold = self.V[rows] * phi[None, :]
        gross = sold.sum(axis=0)
        net = gross - st.plan.selling_cost[rows] @ sold if st.has_selling_cost else gross
        keep = 1.0 - phi[None, :]
        self.V[rows] *= keep
        self.U[rows] *= keep
        self.sales += gross
        return gross, net

    def draw_lines(self, need: np.ndarray, to_secured: int | None = None) -> np.ndarray:
        """Draw unsecured lines cheapest first up to ``need``; return what is still needed."""
        st = self.st
        if self.lines is None:
            return need
        drew = False
        for j in st.line_order:
            avail = np.maximum(self.lines[j - st.S] - self.D[j], 0.0)
            use = np.minimum(avail, need)
            if use.max() <= 0:
                continue
            drew = st.drawn[j] = True
            self.D[j] += use
            need = need - use
            if to_secured is not None:
                self.D[to_secured] -= use
        if drew:
            undrawn = np.maximum(self.lines - self.D[st.S : st.S + st.L], 0.0).sum(axis=0)
            full = (undrawn <= st.tol) & (self.lines.sum(axis=0) > 0)
            st.lines_full[self.global_index(full)] = True
        return need

    def store(self) -> None:
        st, idx = self.st, self.idx
        if idx is None:
            if self.cash is not st.cash:
                st.cash[:] = self.cash
            st.month_sales += self.sales
            return
        st.VU[:, idx], st.D[:, idx] = self.VU, self.D
        st.cash[idx] = self.cash
        st.month_sales[idx] += self.sales

    def net_worth(self) -> np.ndarray:
        return self.cash + self.V.sum(axis=0) - self.D.sum(axis=0)


def _liquidate_pool(sub: _Subset, s: int, phi: np.ndarray) -> np.ndarray:
    """Sell share φ of loan s's pool; proceeds repay it; a deficiency is due in cash."""
    st = sub.st
    _, net = sub.sell(st.pool_rows[s], phi)
    balance = sub.D[s]
    repay = np.minimum(net, balance)
    balance -= repay
    sub.cash += net - repay
    gone = phi >= 1.0
    if gone.any():
        sub.cash -= np.where(gone, balance, 0.0)
        balance[gone] = 0.0
    return net


def margin_rules(st: MonthStep, idx, i: int, log_index, log_peak, lim_lines) -> None:
    """Step 4 on paths ``idx``: forced sale at liquidation, else cure a margin call."""
    p = st.plan
    sub = _Subset(st, idx, lim_lines)
    for s in range(st.S):
        pool = p.pool == s
        f = p.freeze[s]
        C = st.pool_mat[s] @ sub.V
        L = sub.D[s]
        ltv = L / np.maximum(C, 1e-300)
        liq = (ltv >= p.liquidation[s]) & (L > 0)
        called = (ltv >= p.call[s]) & (L > 0) if not np.isnan(p.call[s]) else None
        if called is not None:
            st.margin_ever[idx[called]] = True
        if liq.any():
            N = st.pool_net[s] @ sub.V
            phi = np.ones_like(L) if p.forced_sale_all[s] else freeze_fraction(L, C, N, f)
            phi = np.where(liq, phi, 0.0)
            before = sub.V[pool] * phi[None, :]
            gross = before.sum(axis=0)
            if log_index is not None:
                below = log_peak[i][:, idx] - log_index[i][:, idx]  # (classes, paths)
                ratio = np.exp(below[p.bucket_class[pool]])
                drawdown_loss = (before * (ratio - 1.0)).sum(axis=0)
            else:
                drawdown_loss = 0.0
            net = _liquidate_pool(sub, s, phi)
            st.forced_ever[idx[liq]] = True
            st.forced_amount[idx] += gross
            st.forced_loss[idx] += drawdown_loss + (gross - net)
            st.month_forced[idx] += gross
        if called is None:
            continue
        cure = called & ~liq
        if not cure.any():
            continue
        need = np.where(cure, np.maximum(L - f * C, 0.0), 0.0)
        # a) cash above zero
        use = np.minimum(np.maximum(sub.cash, 0.0), need)
        sub.cash -= use
        sub.D[s] -= use
        need = need - use
        # b) unsecured lines, cheapest first (the draw repays the secured loan)
        if need.max() > st.tol:
            need = sub.draw_lines(need, to_secured=s)
        # c) sale of unpledged assets, net of selling cost
        if need.max() > st.tol:
            Nu = st.unpl_net @ sub.V
            phi = np.minimum(np.divide(need, Nu, out=np.zeros_like(need), where=Nu > 0), 1.0)
            _, net = sub.sell(st.unpledged_rows, phi)
            sub.D[s] -= net
            need = need - net
        # d) sale of the pledged pool, just enough to reach freeze
        if need.max() > st.tol:
            C = st.pool_mat[s] @ sub.V
            N = st.pool_net[s] @ sub.V
            phi = np.where(need > st.tol, freeze_fraction(sub.D[s], C, N, f), 0.0)
            _liquidate_pool(sub, s, phi)
    sub.store()


def liquidity(st: MonthStep, idx, t: int, lim_lines) -> None:
    """Step 5 on paths ``idx`` (cash < 0): lines, secured draws, sales; else failure."""
    p = st.plan
    tol = st.tol
    sub = _Subset(st, None if 3 * len(idx) > st.n else idx, lim_lines)
    need0 = np.maximum(-sub.cash, 0.0)
    need = sub.draw_lines(need0)
    for j in st.secured_order:
        if need.max() <= tol:
            break
        C = st.pool_mat[j] @ sub.V
        capacity = p.advance[j] @ sub.V
        lim = st.lim[j] if sub.idx is None else st.lim[j, sub.idx]
        ceiling = np.minimum(np.minimum(lim, capacity), p.freeze[j] * C)
        use = np.minimum(np.maximum(ceiling - sub.D[j], 0.0), need)
        if use.max() > 0:
            sub.D[j] += use
            need = need - use
            st.drawn[j] = True
    if need.max() > tol and st.has_unpledged:
        Nu = st.unpl_net @ sub.V
        phi = np.minimum(np.divide(need, Nu, out=np.zeros_like(need), where=Nu > 0), 1.0)
        _, net = sub.sell(st.unpledged_rows, phi)
        need = need - net
    if need.max() > tol and st.S:
        # pledged assets, LTV-neutral: sell φ of each pool with equity, repay φ of its loan
        N = st.pool_net @ sub.V
        equity = np.maximum(N - sub.D[: st.S], 0.0)
        total = equity.sum(axis=0)
        phi = np.minimum(np.divide(need, total, out=np.zeros_like(need), where=total > 0), 1.0)
        if st.monthly is None:  # sales are not recorded: every pool in one operation
            keep = 1.0 - np.where(equity > 0, phi[None, :], 0.0)  # (S, n)
            keep_rows = keep[st.pledged_pool]
            sub.V[st.pledged_rows] *= keep_rows
            sub.U[st.pledged_rows] *= keep_rows
            sub.D[: st.S] *= keep
        else:
            for s in range(st.S):
                share = np.where(equity[s] > 0, phi, 0.0)
                if share.any():
                    sub.sell(st.pool_rows[s], share)
                    sub.D[s] *= 1.0 - share
        need = need - phi * total
    failed = need > tol
    # raised = need0 − need; paths that needed nothing keep their cash
    sub.cash = np.where(failed, -need, np.maximum(sub.cash + (need0 - need), 0.0))
    any_failed = failed.any()
    nw = sub.net_worth()[failed] if any_failed else None
    sub.store()
    if any_failed:
        fail(st, sub.global_index(failed), t, nw, lim_lines, at_failure=True)


def fail(st: MonthStep, idx, t: int, nw, lim_lines=None, at_failure=False) -> None:
    """Mark paths ``idx`` failed at month t and freeze them (state zeroed, records kept).

    ``nw``: their net worth at failure (already restricted to ``idx`` when
    ``at_failure``; else a full-length array).
    """
    value = nw if at_failure else nw[idx]
    st.fail_month[idx] = t
    st.fail_nw[idx] = value
    st.min_liq[idx] = np.minimum(st.min_liq[idx], np.minimum(st.cash[idx], 0.0))
    st.cash[idx] = 0.0
    st.VU[:, idx] = 0.0
    st.D[:, idx] = 0.0
    st.lim[:, idx] = 0.0
    if lim_lines is not None:
        lim_lines[:, idx] = 0.0
    st.alive[idx] = 0.0
    st.alive_b[idx] = False
    st.spend[idx] = 0.0
    st.any_failed = True
    st.dead = np.flatnonzero(~st.alive_b)
    st._fee_limits = None


class MonthlyBuffers:
    """Full monthly arrays for small runs (the scenario replay)."""

    def __init__(self, st: MonthStep):
        m, n, S = st.plan.months, st.n, st.S
        self.st = st
        self.ltv = np.zeros((m, S, n))
        self.zone = np.zeros((m, S, n), dtype=np.int8)
        self.ltv_end = np.zeros((m, S, n))
        self.net_worth = np.zeros((m, n))
        self.cash = np.zeros((m, n))
        self.liquidity = np.zeros((m, n))
        self.assets = np.zeros((m, n))
        self.debt = np.zeros((m, st.plan.n_debts, n))
        self.forced_sale = np.zeros((m, n))
        self.sales = np.zeros((m, n))
        self.dividends = np.zeros((m, n))

    def record_ltv(self, t: int, ltv: np.ndarray) -> None:
        from engine.kernel_types import LTV_CAP

        p = self.st.plan
        self.ltv[t] = np.minimum(ltv, LTV_CAP)
        call = np.where(np.isnan(p.call), p.liquidation, p.call)[:, None]
        zone = (ltv >= p.freeze[:, None]).astype(np.int8)
        zone += ltv >= call
        zone += ltv >= p.liquidation[:, None]
        self.zone[t] = zone

    def record_end(self, t: int, nw: np.ndarray, liquid: np.ndarray) -> None:
        from engine.kernel_types import LTV_CAP

        st = self.st
        alive = st.alive_b
        self.net_worth[t] = np.where(alive, nw, st.fail_nw)
        self.cash[t] = st.cash
        self.liquidity[t] = liquid
        self.assets[t] = st.V.sum(axis=0)
        self.debt[t] = st.D
        if st.S:
            C = st.pool_mat @ st.V
            self.ltv_end[t] = np.minimum(st.D[: st.S] / np.maximum(C, 1e-300), LTV_CAP)
        self.forced_sale[t] = st.month_forced
        self.sales[t] = st.month_sales
        st.month_forced[:] = 0.0
        st.month_sales[:] = 0.0

    def freeze(self, months: int):
        from engine.kernel_types import MonthlyRecords

        names = MonthlyRecords.__dataclass_fields__
        return MonthlyRecords(**{k: getattr(self, k)[:months].copy() for k in names})
