"""The lenders' rules and the liquidity waterfall (SPEC §3 steps 4 and 5), and failure.

They run only on the paths that need them (``idx``): gather those paths' state
(``Subset``), apply the rule vectorised over them, and write it back. A quiet month
never comes here.

Lender events, as SPEC §3 counts them: a **margin call** (LTV at or above the call LTV);
a **sale under a call** (a call met by selling anything); a **liquidation** (LTV at or
above the liquidation LTV: the lender sells); a **forced sale** is either of the last two.
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

    N is the pool's value net of the selling cost and the capital-gains tax a full sale
    would pay; φ = (L − fC)/(N − fC), clipped to [0, 1].
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
    asked = need > st.tol  # a float residual of an earlier stage is not a draw
    if not asked.any():
        return need
    st.line_consulted[sub.global_index(asked)] = True
    residual = np.where(asked, 0.0, need)
    need = np.where(asked, need, 0.0)
    S = lay.n_secured
    drew = False
    need0 = need
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
        st.line_drawn[sub.global_index(need < need0)] = True
        undrawn = np.maximum(sub.line_limits - sub.debt[S : S + lay.n_lines], 0.0).sum(axis=0)
        full = (undrawn <= st.tol) & (sub.line_limits.sum(axis=0) > 0)
        st.lines_fully_drawn[sub.global_index(full)] = True
    return need + residual


def sell_unpledged(sub: Subset, need: np.ndarray) -> np.ndarray:
    """Sell unpledged buckets pro rata to raise ``need`` net of selling cost; return net."""
    lay = sub.st.layout
    need = np.where(need > sub.st.tol, need, 0.0)  # no sale for a float residual
    net_value = sub.net_value(lay.unpledged_rows)
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


def apply_lender_rules(st: State, idx, line_limits, loans=None) -> None:
    """Step 4 on paths ``idx``: liquidation at or above the liquidation LTV, else cure a
    margin call (the thresholds of ``Layout``: as written, or corrected for daily
    monitoring). ``loans``: the secured loans at a trigger on some of those paths (None:
    every one); another loan's rules would do nothing, since no loan's cure or
    liquidation moves another's balance or pool."""
    p, lay = st.plan, st.layout
    sub = Subset(st, idx, line_limits)
    for s in range(lay.n_secured) if loans is None else loans:
        collateral = lay.pool_matrix[s] @ sub.value
        balance = sub.debt[s]
        ltv = balance / np.maximum(collateral, 1e-300)
        liquidated = (ltv >= lay.liquidation_ltv[s]) & (balance > 0)
        has_call = not np.isnan(lay.call_ltv[s])
        called = (ltv >= lay.call_ltv[s]) & (balance > 0) if has_call else None
        if called is not None:
            st.margin_call[idx[called]] = True
        if liquidated.any():
            _liquidate(sub, s, liquidated, collateral)
        if called is None:
            continue
        cure = called & ~liquidated
        if cure.any():
            need = np.maximum(balance - p.freeze[s] * collateral, 0.0)
            _cure_margin_call(sub, s, np.where(cure, need, 0.0))
    sub.store()


def _liquidate(sub: Subset, s: int, liquidated: np.ndarray, collateral: np.ndarray) -> None:
    """The lender sells: the whole pool, closing the facility for the rest of the path
    (Forced sale All), or enough of it to bring the LTV back to freeze (To freeze)."""
    st, p, lay = sub.st, sub.st.plan, sub.st.layout
    balance = sub.debt[s]
    if p.forced_sale_all[s]:
        share = np.ones_like(balance)
    else:
        net_value = sub.net_value(lay.pool_rows[s])
        share = freeze_fraction(balance, collateral, net_value, p.freeze[s])
    share = np.where(liquidated, share, 0.0)
    sold_before = sub.sales.copy()
    sub.forced = True
    liquidate_pool(sub, s, share)
    sub.forced = False
    gross = sub.sales - sold_before
    where = sub.global_index(liquidated)
    st.liquidation[where] = True
    st.liquidation_amount[sub.global_index(np.ones_like(liquidated))] += gross
    st.month_forced[sub.global_index(np.ones_like(liquidated))] += gross
    if p.forced_sale_all[s]:
        st.limit[s, where] = 0.0  # the facility is closed: no new draws
        st._fee_on_limits = None


def _cure_margin_call(sub: Subset, s: int, need: np.ndarray) -> None:
    """Repay loan s back to its freeze LTV: cash (all of it, the buffer included), lines
    (cheapest first), unpledged sales, pledged sales. A call met by selling anything is
    a sale under a call."""
    st, p, lay = sub.st, sub.st.plan, sub.st.layout
    # a) cash above zero
    use = np.minimum(np.maximum(sub.cash, 0.0), need)
    sub.cash -= use
    sub.debt[s] -= use
    need = need - use
    # b) unsecured lines, cheapest first (the draw repays the secured loan)
    if need.max() > st.tol:
        need = draw_lines(sub, need, to_secured=s)
    if need.max() <= st.tol:
        return
    sold_before = sub.sales.copy()
    sub.forced = True
    # c) sale of unpledged assets, net of selling cost
    net = sell_unpledged(sub, need)
    sub.debt[s] -= net
    need = need - net
    # d) sale of the pledged pool, just enough to reach freeze
    if need.max() > st.tol:
        collateral = lay.pool_matrix[s] @ sub.value
        net_value = sub.net_value(lay.pool_rows[s])
        share = np.where(
            need > st.tol, freeze_fraction(sub.debt[s], collateral, net_value, p.freeze[s]), 0.0
        )
        liquidate_pool(sub, s, share)
    sub.forced = False
    gross = sub.sales - sold_before
    st.sale_under_call[sub.global_index(gross > 0)] = True
    everyone = sub.global_index(np.ones(len(gross), dtype=bool))
    st.sale_under_call_amount[everyone] += gross
    st.month_forced[everyone] += gross


def fund_shortfall(st: State, idx, t: int, line_limits) -> None:
    """Step 5 on paths ``idx`` (cash < 0), in the order of Standby line use — Crises only:
    secured draws, unpledged sales, unsecured lines, pledged sales; Any shortfall:
    lines, secured draws, unpledged sales, pledged sales. Cash still short: failure."""
    p, lay = st.plan, st.layout
    tol = st.tol
    sub = Subset(st, None if 3 * len(idx) > st.n else idx, line_limits)
    need0 = np.maximum(-sub.cash, 0.0)
    need = need0
    if not p.lines_for_crises:
        need = draw_lines(sub, need)
    need = _draw_secured(sub, need)
    if need.max() > tol and lay.has_unpledged:
        need = need - sell_unpledged(sub, need)
    if p.lines_for_crises and need.max() > tol:
        need = draw_lines(sub, need)
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


def _draw_secured(sub: Subset, need: np.ndarray) -> np.ndarray:
    """Draw secured loans, cheapest first, up to min(limit, capacity = Σ value × advance
    rate, freeze LTV × collateral): no new draws at or above the freeze LTV."""
    st, p, lay = sub.st, sub.st.plan, sub.st.layout
    for j in lay.secured_order:
        if need.max() <= st.tol:
            break
        collateral = lay.pool_matrix[j] @ sub.value
        capacity = p.advance[j] @ sub.value
        ceiling = np.minimum(np.minimum(sub.limit(j), capacity), p.freeze[j] * collateral)
        due = np.where(need > st.tol, need, 0.0)  # no draw for a float residual
        use = np.minimum(np.maximum(ceiling - sub.debt[j], 0.0), due)
        if use.max() > 0:
            sub.debt[j] += use
            need = need - use
            st.drawn[j] = True
    return need


def _sell_pledged_ltv_neutral(st: State, sub: Subset, need: np.ndarray) -> np.ndarray:
    """Sell share φ of each pool with equity and repay φ of its loan (the LTV is unchanged),
    keeping φ·(N − L); return what that raised."""
    lay = st.layout
    S = lay.n_secured
    if lay.has_tax:
        net_value = np.stack([sub.net_value(lay.pool_rows[s]) for s in range(S)])
    else:
        net_value = lay.pool_net @ sub.value
    equity = np.maximum(net_value - sub.debt[:S], 0.0)
    total = equity.sum(axis=0)
    need = np.where(need > st.tol, need, 0.0)  # no sale for a float residual
    share = np.minimum(np.divide(need, total, out=np.zeros_like(need), where=total > 0), 1.0)
    if st.monthly is None and not lay.has_tax:  # every pool in one operation
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
    if st.monthly is not None:
        st.monthly.shortfall[t, idx] = np.maximum(-st.cash[idx], 0.0)
    st.failure_month[idx] = t
    st.failure_net_worth[idx] = value
    st.min_liquidity[idx] = np.minimum(st.min_liquidity[idx], np.minimum(st.cash[idx], 0.0))
    st.cash[idx] = 0.0
    st.holdings[:, idx] = 0.0
    st.cost[:, idx] = 0.0
    st.debt[:, idx] = 0.0
    st.limit[:, idx] = 0.0
    if line_limits is not None:
        line_limits[:, idx] = 0.0
    st.alive[idx] = False
    st.income_covered[idx] = False
    st.spending[idx] = 0.0
    st.any_failed = True
    st.dead = np.flatnonzero(~st.alive)
    st._fee_on_limits = None
