"""The lenders' rules and the liquidity waterfall (SPEC §3 steps 4 and 5), and failure.

They run only on the paths that need them (``idx``): gather those paths' state
(``Subset``), apply the rule vectorised over them, and write it back. A quiet month
never comes here.
"""

from __future__ import annotations

import numpy as np

from engine.kernel.state import State, Subset


def commitment_fees(st: State, line_limits) -> np.ndarray:
    """Monthly commitment fees on undrawn limits (secured loans and lines)."""
    lay = st.layout
    S, L, fee = lay.n_secured, lay.n_lines, lay.fee_monthly
    total = np.zeros(st.n)
    if S and np.any(fee[:S] > 0):
        total += fee[:S] @ np.maximum(st.limit[:S] - st.debt[:S], 0.0)
    if L and np.any(fee[S : S + L] > 0):
        total += fee[S : S + L] @ np.maximum(line_limits - st.debt[S : S + L], 0.0)
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


def draw_lines(sub: Subset, need: np.ndarray, to_secured: int | None = None) -> np.ndarray:
    """Draw unsecured lines cheapest first up to ``need``; return what is still needed.

    ``to_secured``: the draw repays that secured loan (a margin-call cure).
    """
    st, lay = sub.st, sub.st.layout
    if sub.line_limits is None:
        return need
    S = lay.n_secured
    drew = False
    for j in lay.line_order:
        available = np.maximum(sub.line_limits[j - S] - sub.debt[j], 0.0)
        use = np.minimum(available, need)
        if use.max() <= 0:
            continue
        drew = st.drawn[j] = True
        sub.debt[j] += use
        need = need - use
        if to_secured is not None:
            sub.debt[to_secured] -= use
    if drew:
        undrawn = np.maximum(sub.line_limits - sub.debt[S : S + lay.n_lines], 0.0).sum(axis=0)
        full = (undrawn <= st.tol) & (sub.line_limits.sum(axis=0) > 0)
        st.lines_fully_drawn[sub.global_index(full)] = True
    return need


def sell_unpledged(sub: Subset, need: np.ndarray) -> np.ndarray:
    """Sell unpledged buckets pro rata to raise ``need`` net of selling cost; return net."""
    lay = sub.st.layout
    net_value = lay.unpledged_net @ sub.value
    share = np.divide(need, net_value, out=np.zeros_like(need), where=net_value > 0)
    _, net = sub.sell(lay.unpledged_rows, np.minimum(share, 1.0))
    return net


def liquidate_pool(sub: Subset, s: int, share: np.ndarray) -> np.ndarray:
    """Sell ``share`` of loan s's pool; proceeds repay it; a deficiency is due in cash."""
    _, net = sub.sell(sub.st.layout.pool_rows[s], share)
    balance = sub.debt[s]
    repay = np.minimum(net, balance)
    balance -= repay
    sub.cash += net - repay
    gone = share >= 1.0
    if gone.any():
        sub.cash -= np.where(gone, balance, 0.0)
        balance[gone] = 0.0
    return net


def apply_lender_rules(st: State, idx, i: int, log_index, log_peak, line_limits) -> None:
    """Step 4 on paths ``idx``: forced sale at liquidation, else cure a margin call.

    ``log_index``/``log_peak`` (months of the slab, classes, paths): each class's log
    price index and its running peak, for the loss a forced sale crystallises.
    """
    p, lay = st.plan, st.layout
    sub = Subset(st, idx, line_limits)
    for s in range(lay.n_secured):
        pool = p.pool == s
        freeze = p.freeze[s]
        collateral = lay.pool_matrix[s] @ sub.value
        balance = sub.debt[s]
        ltv = balance / np.maximum(collateral, 1e-300)
        liquidated = (ltv >= p.liquidation[s]) & (balance > 0)
        has_call = not np.isnan(p.call[s])
        called = (ltv >= p.call[s]) & (balance > 0) if has_call else None
        if called is not None:
            st.margin_call[idx[called]] = True
        if liquidated.any():
            _forced_sale(st, sub, s, pool, idx, i, liquidated, collateral, log_index, log_peak)
        if called is None:
            continue
        cure = called & ~liquidated
        if cure.any():
            _cure_margin_call(sub, s, np.where(cure, np.maximum(balance - freeze * collateral,
                                                                0.0), 0.0))  # fmt: skip
    sub.store()


def _forced_sale(st, sub, s, pool, idx, i, liquidated, collateral, log_index, log_peak):
    """Liquidation: the lender sells the whole pool (Forced sale All) or enough of it to
    bring the LTV back to freeze (To freeze)."""
    p, lay = st.plan, st.layout
    balance = sub.debt[s]
    net_value = lay.pool_net[s] @ sub.value
    if p.forced_sale_all[s]:
        share = np.ones_like(balance)
    else:
        share = freeze_fraction(balance, collateral, net_value, p.freeze[s])
    share = np.where(liquidated, share, 0.0)
    before = sub.value[pool] * share[None, :]
    gross = before.sum(axis=0)
    if log_index is not None:
        below = log_peak[i][:, idx] - log_index[i][:, idx]  # (classes, paths)
        ratio = np.exp(below[p.bucket_class[pool]])
        drawdown_loss = (before * (ratio - 1.0)).sum(axis=0)
    else:
        drawdown_loss = 0.0
    net = liquidate_pool(sub, s, share)
    st.forced_sale[idx[liquidated]] = True
    st.forced_sale_amount[idx] += gross
    st.forced_sale_loss[idx] += drawdown_loss + (gross - net)
    st.month_forced[idx] += gross


def _cure_margin_call(sub: Subset, s: int, need: np.ndarray) -> None:
    """Repay loan s back to its freeze LTV: cash, lines, unpledged sales, pledged sales."""
    st, p, lay = sub.st, sub.st.plan, sub.st.layout
    # a) cash above zero
    use = np.minimum(np.maximum(sub.cash, 0.0), need)
    sub.cash -= use
    sub.debt[s] -= use
    need = need - use
    # b) unsecured lines, cheapest first (the draw repays the secured loan)
    if need.max() > st.tol:
        need = draw_lines(sub, need, to_secured=s)
    # c) sale of unpledged assets, net of selling cost
    if need.max() > st.tol:
        net = sell_unpledged(sub, need)
        sub.debt[s] -= net
        need = need - net
    # d) sale of the pledged pool, just enough to reach freeze
    if need.max() > st.tol:
        collateral = lay.pool_matrix[s] @ sub.value
        net_value = lay.pool_net[s] @ sub.value
        share = np.where(
            need > st.tol, freeze_fraction(sub.debt[s], collateral, net_value, p.freeze[s]), 0.0
        )
        liquidate_pool(sub, s, share)


def fund_shortfall(st: State, idx, t: int, line_limits) -> None:
    """Step 5 on paths ``idx`` (cash < 0): lines, secured draws, sales; else failure."""
    p, lay = st.plan, st.layout
    tol = st.tol
    sub = Subset(st, None if 3 * len(idx) > st.n else idx, line_limits)
    need0 = np.maximum(-sub.cash, 0.0)
    need = draw_lines(sub, need0)
    for j in lay.secured_order:
        if need.max() <= tol:
            break
        collateral = lay.pool_matrix[j] @ sub.value
        capacity = p.advance[j] @ sub.value
        ceiling = np.minimum(np.minimum(sub.limit(j), capacity), p.freeze[j] * collateral)
        use = np.minimum(np.maximum(ceiling - sub.debt[j], 0.0), need)
        if use.max() > 0:
            sub.debt[j] += use
            need = need - use
            st.drawn[j] = True
    if need.max() > tol and lay.has_unpledged:
        need = need - sell_unpledged(sub, need)
    if need.max() > tol and lay.n_secured:
        need = need - _sell_pledged_ltv_neutral(st, sub, need)
    failed = need > tol
    # raised = need0 − need; paths that needed nothing keep their cash
    sub.cash = np.where(failed, -need, np.maximum(sub.cash + (need0 - need), 0.0))
    any_failed = failed.any()
    net_worth = sub.net_worth()[failed] if any_failed else None
    sub.store()
    if any_failed:
        fail_paths(st, sub.global_index(failed), t, net_worth, line_limits, at_failure=True)


def _sell_pledged_ltv_neutral(st: State, sub: Subset, need: np.ndarray) -> np.ndarray:
    """Sell share φ of each pool with equity and repay φ of its loan (the LTV is unchanged),
    keeping φ·(N − L); return what that raised."""
    lay = st.layout
    S = lay.n_secured
    net_value = lay.pool_net @ sub.value
    equity = np.maximum(net_value - sub.debt[:S], 0.0)
    total = equity.sum(axis=0)
    share = np.minimum(np.divide(need, total, out=np.zeros_like(need), where=total > 0), 1.0)
    if st.monthly is None:  # sales are not recorded: every pool in one operation
        keep = 1.0 - np.where(equity > 0, share[None, :], 0.0)  # (S, n)
        keep_rows = keep[lay.pledged_pool]
        sub.value[lay.pledged_rows] *= keep_rows
        sub.units[lay.pledged_rows] *= keep_rows
        sub.debt[:S] *= keep
    else:
        for s in range(S):
            pool_share = np.where(equity[s] > 0, share, 0.0)
            if pool_share.any():
                sub.sell(lay.pool_rows[s], pool_share)
                sub.debt[s] *= 1.0 - pool_share
    return share * total


def fail_paths(st: State, idx, t: int, net_worth, line_limits=None, at_failure=False) -> None:
    """Mark paths ``idx`` failed at month t and freeze them (state zeroed, records kept).

    ``net_worth``: their net worth at failure (already restricted to ``idx`` when
    ``at_failure``; else a full-length array).
    """
    value = net_worth if at_failure else net_worth[idx]
    st.failure_month[idx] = t
    st.failure_net_worth[idx] = value
    st.min_liquidity[idx] = np.minimum(st.min_liquidity[idx], np.minimum(st.cash[idx], 0.0))
    st.cash[idx] = 0.0
    st.holdings[:, idx] = 0.0
    st.debt[:, idx] = 0.0
    st.limit[:, idx] = 0.0
    if line_limits is not None:
        line_limits[:, idx] = 0.0
    st.alive[idx] = False
    st.spending[idx] = 0.0
    st.any_failed = True
    st.dead = np.flatnonzero(~st.alive)
    st._fee_on_limits = None
