"""The cheapest cure plan at a drawdown: a linear program over the defense sources (A3).

At a uniform drawdown d (static, SPEC §4 A2/A3 definitions in ``engine.model.exposure``)
every secured loan at or above its trigger must be repaid back to its freeze LTV f_i.
The sources, shared across loans:

- cash above the buffer, c ≤ cash_above_buffer (no carrying cost: it earns nothing here);
- a draw l_k on each unsecured line, l_k ≤ limit_k·(1 − crisis cut_k) − balance_k,
  costing its interest rate r_k a year;
- a sale u_j of each unpledged holding, u_j ≤ V_j(d), raising u_j·(1 − k_j) and forgoing
  its net dividend yield y_j = D_j / V_j(d) (D_j its current annual net dividend), plus
  the one-off cost k_j·u_j — here k_j = the selling cost + the capital-gains tax on the
  sale's gain, τ·max(0, 1 − K_j/V_j(d)) for a Taxable position of cost basis K_j
  (``Exposure.sale_haircut``; revision 2);
- the last resort, reported separately: a sale p_j of collateral pledged to loan i,
  which repays p_j·(1 − k_j) and removes p_j of collateral.

    minimise  Σ r_k·l_k + Σ (y_j + k_j)·u_j + Σ (y_j + k_j)·p_j        (annual cost)
    subject to  c + Σ l_k + Σ (1 − k_j)·u_j = Σ pay_i                    (sources used)
                L_i − pay_i − (1 − k_j)·P_i ≤ t_i·(C_i(d) − P_i)  for each loan to cure

with P_i the pledged sales from loan i's pool and t_i its target LTV. Solved with
``scipy.optimize.linprog(method="highs")``. The stages, first feasible wins:

1. no loan at its trigger → **Nothing to cure** (each loan's zone — Safe or Frozen, the
   Stress Test's words — says where it stands);
2. every triggered loan to freeze, no pledged sales → **Defended to freeze**;
3. the minimum need of ``Exposure.minimum_need`` (a loan without a call stage only has
   to stay below liquidation), no pledged sales → **Frozen but standing**;
4. as 3, adding pledged sales — only for loans with a margin-call stage, since a call is
   the window in which the borrower may sell collateral; a loan without one goes
   straight to the lender's forced sale — first minimising the pledged sales, then the
   cost → **Needs pledged sales**;
5. otherwise **Liquidation unavoidable** (the plan is empty; ``shortfall`` says by how much).

Stages 2 and 3 are decided by the same sums as ``Exposure.survives``, so the plan's
status and the survivable drawdown can never disagree. ``greedy_plan`` is the simple
reference order (cash → cheapest line → unpledged sales → pledged sales).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from engine.model import Inputs
from engine.model.exposure import Exposure

SAFE = "Nothing to cure"
DEFENDED = "Defended to freeze"
STANDING = "Frozen but standing"
PLEDGED = "Needs pledged sales"
UNAVOIDABLE = "Liquidation unavoidable"
STATUSES = (SAFE, DEFENDED, STANDING, PLEDGED, UNAVOIDABLE)
SURVIVING = (SAFE, DEFENDED, STANDING)

# Tie-breakers (per year, fraction): keep idle cash and repayments at zero when nothing
# asks for them. Above HiGHS's dual tolerance (1e-10), far below any real rate,
# and left out of the reported cost.
_CASH_TIE = 1e-5
_PAY_TIE = 1e-6
# HiGHS's default feasibility tolerances (1e-7 of the scaled money, a yen or two on a
# ¥20M book, amplified by 1/(1 − k − t) ≈ 2.5 when pledged sales close the gap) let it
# ignore a source of a few yen; tightened, the plan is good to a hundredth of a yen.
_HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
# Slack on the minimum pledged volume in the LP's second pass (scaled money, see _solve):
# looser than the feasibility tolerance, else the cap itself can read as infeasible.
_VOLUME_SLACK = 1e-9


def _fits(need: float, sources: float) -> bool:
    """The tolerance of ``Exposure.survives``: need ≤ sources, to a millionth of a yen."""
    return need <= sources * (1 + 1e-12) + 1e-6


@dataclass(frozen=True)
class CurePlan:
    """One drawdown's plan. Arrays per line, per holding, per secured loan (base currency)."""

    drawdown: float
    status: str
    cash: float
    line_draws: np.ndarray
    unpledged_sales: np.ndarray  # gross value sold, per holding
    pledged_sales: np.ndarray  # gross value sold, per holding
    repayments: np.ndarray  # per secured loan, including pledged-sale proceeds
    ltv_before: np.ndarray
    ltv_after: np.ndarray
    carrying_cost: float  # line interest + forgone net dividends, per year
    selling_cost: float  # one-off
    shortfall: float = 0.0  # minimum need not coverable (Liquidation unavoidable)
    tax: float = 0.0  # one-off: the capital-gains tax the sales realise

    @property
    def annual_cost(self) -> float:
        """The objective: a year of carrying cost plus the one-off selling cost and tax."""
        return self.carrying_cost + self.selling_cost + self.tax

    @property
    def line_total(self) -> float:
        return float(self.line_draws.sum())

    @property
    def unpledged_total(self) -> float:
        return float(self.unpledged_sales.sum())

    @property
    def pledged_total(self) -> float:
        return float(self.pledged_sales.sum())

    @property
    def survives(self) -> bool:
        return self.status in SURVIVING


@dataclass(frozen=True)
class CureBook:
    """The static exposure plus what the cure plan needs beyond it: lines and dividends."""

    exposure: Exposure
    holding_names: tuple[str, ...]
    net_dividends: np.ndarray  # current annual net dividend per holding, base currency
    line_names: tuple[str, ...]
    line_rates: np.ndarray
    line_capacity: np.ndarray  # undrawn limit after the crisis cut, per line

    @classmethod
    def from_inputs(cls, inputs: Inputs) -> CureBook:
        tax = inputs.settings.dividend_tax_rate
        lines = inputs.lines
        return cls(
            exposure=Exposure.from_inputs(inputs),
            holding_names=tuple(h.name for h in inputs.holdings),
            net_dividends=np.array(
                [h.gross_dividend_base * h.net_dividend_factor(tax) for h in inputs.holdings],
                dtype=float,
            ),
            line_names=tuple(loan.name for loan in lines),
            line_rates=np.array([loan.interest_rate for loan in lines], dtype=float),
            line_capacity=np.array(
                [
                    max(0.0, loan.limit * (1.0 - loan.crisis_limit_cut) - loan.balance)
                    for loan in lines
                ],
                dtype=float,
            ),
        )

    # ------------------------------------------------------------ per holding at d
    def sale_cost_rates(self) -> np.ndarray:
        """Selling cost k per holding (none on cash)."""
        e = self.exposure
        return np.where(e.is_cash, 0.0, e.selling_cost)

    def haircuts(self, d: float) -> np.ndarray:
        """h_j = k + τ·max(0, 1 − K_j/V_j(d)): selling cost and capital-gains tax per unit
        sold at d (``Exposure.sale_haircut``); a sale of x raises (1 − h)x."""
        return self.exposure.sale_haircut(d)

    def dividend_yields(self, d: float) -> np.ndarray:
        """y_j = D_j / V_j(d): the net dividend given up per unit of value sold at d."""
        v = self.exposure.values_at(d)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, self.net_dividends / np.where(v > 0, v, 1.0), 0.0)

    def unpledged_candidates(self, d: float) -> np.ndarray:
        e = self.exposure
        return np.flatnonzero((e.pool < 0) & ~e.is_cash & (e.values_at(d) > 0))

    def pledged_candidates(self, d: float, targets: np.ndarray) -> np.ndarray:
        """Collateral of loans with a call stage that have something to cure."""
        e = self.exposure
        has_call = ~np.isnan(e.call)
        curable = np.zeros(len(e.pool), dtype=bool)
        pledged = e.pool >= 0
        curable[pledged] = has_call[e.pool[pledged]] & ~np.isnan(targets[e.pool[pledged]])
        return np.flatnonzero(curable & (e.values_at(d) > 0))

    # ------------------------------------------------------------ stages
    def targets(self, d: float, minimum: bool) -> np.ndarray:
        """Target LTV per loan (NaN: nothing to cure): freeze, or the minimum need's."""
        e = self.exposure
        triggered = e.ltv(d) >= e.trigger - 1e-12
        t = np.where(triggered, e.freeze, np.nan)
        if minimum:
            no_call = np.isnan(e.call)
            t = np.where(triggered & no_call, e.liquidation, t)
        return t

    def stage(self, d: float) -> tuple[str, np.ndarray]:
        """The status reachable without pledged sales, or PLEDGED meaning "try them"."""
        e = self.exposure
        if e.n_loans == 0 or not np.any(e.required_cure(d) > 0):
            return SAFE, np.full(e.n_loans, np.nan)
        sources = e.defense_sources(d)
        if _fits(float(e.required_cure(d).sum()), sources):
            return DEFENDED, self.targets(d, minimum=False)
        if e.survives(d):
            return STANDING, self.targets(d, minimum=True)
        return PLEDGED, self.targets(d, minimum=True)

    # ------------------------------------------------------------ plans
    def plan(self, d: float) -> CurePlan:
        """The cheapest plan at drawdown d (linear program, HiGHS)."""
        status, targets = self.stage(d)
        if status == SAFE:
            return self.make_plan(d, SAFE)
        if status in (DEFENDED, STANDING):
            found = self._solve(d, status, targets, pledged=np.array([], dtype=int))
            # Feasible by the sums above; a solver hiccup at the edge falls back to greedy.
            return found if found is not None else self.greedy_plan(d)
        found = self._solve(d, PLEDGED, targets, pledged=self.pledged_candidates(d, targets))
        if found is not None:
            return found
        return self.make_plan(d, UNAVOIDABLE, shortfall=self._shortfall(d))

    def greedy_plan(self, d: float) -> CurePlan:
        """Reference order: cash → cheapest line → cheapest unpledged sale → pledged sales."""
        status, targets = self.stage(d)
        if status == SAFE:
            return self.make_plan(d, SAFE)
        e = self.exposure
        k = self.haircuts(d)
        need = np.where(
            np.isnan(targets), 0.0, e.balances - np.nan_to_num(targets) * e.collateral(d)
        )
        need = np.maximum(0.0, need)
        remaining = float(need.sum())
        cash = min(e.cash_above_buffer, remaining)
        remaining -= cash
        draws = np.zeros(len(self.line_names))
        for j in np.argsort(self.line_rates, kind="stable"):
            draws[j] = min(self.line_capacity[j], remaining)
            remaining -= draws[j]
        sales = np.zeros(len(self.holding_names))
        v = e.values_at(d)
        candidates = self.unpledged_candidates(d)
        cost = self.dividend_yields(d) + k
        for j in candidates[np.argsort(cost[candidates], kind="stable")]:
            sales[j] = min(v[j], remaining / (1.0 - k[j]))
            remaining -= sales[j] * (1.0 - k[j])
        if status != PLEDGED:
            return self.make_plan(d, status, cash, draws, sales, repay_free=need)
        # Free sources go first to loans that cannot sell collateral (no call stage).
        free = cash + draws.sum() + float(np.sum(sales * (1.0 - k)))
        repay_free = np.zeros(e.n_loans)
        for i in np.argsort(~np.isnan(e.call), kind="stable"):
            repay_free[i] = min(need[i], free)
            free -= repay_free[i]
        pledged = np.zeros(len(self.holding_names))
        gap = need - repay_free
        pledged_ok = self.pledged_candidates(d, targets)
        for j in pledged_ok[np.argsort(cost[pledged_ok], kind="stable")]:
            i = e.pool[j]
            gain = 1.0 - k[j] - targets[i]  # gap closed per unit of collateral sold
            if gap[i] > 1e-9 and gain > 0:
                pledged[j] = min(v[j], gap[i] / gain)
                gap[i] -= pledged[j] * gain
        if np.any(gap > 1e-6):
            return self.make_plan(d, UNAVOIDABLE, shortfall=self._shortfall(d))
        return self.make_plan(d, PLEDGED, cash, draws, sales, pledged, repay_free)

    def _shortfall(self, d: float) -> float:
        e = self.exposure
        return max(0.0, float(e.minimum_need(d).sum()) - e.defense_sources(d))

    def make_plan(
        self,
        d: float,
        status: str,
        cash: float = 0.0,
        draws: np.ndarray | None = None,
        unpledged: np.ndarray | None = None,
        pledged: np.ndarray | None = None,
        repay_free: np.ndarray | None = None,
        shortfall: float = 0.0,
    ) -> CurePlan:
        """Assemble a plan from source amounts: repayments, LTVs after, costs."""
        e = self.exposure
        n = len(self.holding_names)
        draws = np.zeros(len(self.line_names)) if draws is None else np.asarray(draws, float)
        unpledged = np.zeros(n) if unpledged is None else np.asarray(unpledged, float)
        pledged = np.zeros(n) if pledged is None else np.asarray(pledged, float)
        repay_free = np.zeros(e.n_loans) if repay_free is None else np.asarray(repay_free, float)
        k = self.haircuts(d)
        in_pool = e.pool >= 0
        removed = np.bincount(e.pool[in_pool], weights=pledged[in_pool], minlength=e.n_loans)
        proceeds = np.bincount(
            e.pool[in_pool], weights=(pledged * (1.0 - k))[in_pool], minlength=e.n_loans
        )
        repayments = repay_free + proceeds[: e.n_loans]
        collateral = e.collateral(d) - removed[: e.n_loans]
        balance = e.balances - repayments
        with np.errstate(divide="ignore", invalid="ignore"):
            ltv_after = np.where(
                collateral > 1e-9, balance / np.where(collateral > 1e-9, collateral, 1.0), np.inf
            )
        ltv_after = np.where(balance <= 1e-6, 0.0, ltv_after)
        y = self.dividend_yields(d)
        carrying = float(self.line_rates @ draws + y @ unpledged + y @ pledged)
        selling = self.sale_cost_rates()
        return CurePlan(
            drawdown=float(d),
            status=status,
            cash=float(cash),
            line_draws=draws,
            unpledged_sales=unpledged,
            pledged_sales=pledged,
            repayments=repayments,
            ltv_before=e.ltv(d),
            ltv_after=ltv_after,
            carrying_cost=carrying,
            selling_cost=float(selling @ unpledged + selling @ pledged),
            tax=float((k - selling) @ unpledged + (k - selling) @ pledged),
            shortfall=float(shortfall),
        )

    # ------------------------------------------------------------ the LP
    def _solve(
        self, d: float, status: str, targets: np.ndarray, pledged: np.ndarray
    ) -> CurePlan | None:
        """Solve the LP; the plan labelled ``status``, or None when infeasible.

        Money is scaled to units of ``scale`` so HiGHS's tolerances act on fractions.
        With pledged candidates, a first pass minimises the collateral sold (last
        resort); the second minimises the cost with that volume fixed.
        """
        e = self.exposure
        v = e.values_at(d)
        k = self.haircuts(d)  # selling cost + capital-gains tax per unit sold
        y = self.dividend_yields(d)
        unpledged = self.unpledged_candidates(d)
        m, nu, npl, nl = len(self.line_names), len(unpledged), len(pledged), e.n_loans
        c0, l0, u0, p0, r0 = 0, 1, 1 + m, 1 + m + nu, 1 + m + nu + npl
        nvar = r0 + nl
        scale = max(1.0, float(e.balances.sum()), e.defense_sources(d))
        cost = np.concatenate(
            [
                [_CASH_TIE],
                self.line_rates,
                y[unpledged] + k[unpledged],
                y[pledged] + k[pledged],
                np.full(nl, _PAY_TIE),
            ]
        )
        bounds = (
            [(0.0, e.cash_above_buffer / scale)]
            + [(0.0, cap / scale) for cap in self.line_capacity]
            + [(0.0, v[j] / scale) for j in unpledged]
            + [(0.0, v[j] / scale) for j in pledged]
            + [(0.0, b / scale) for b in e.balances]
        )
        a_eq = np.zeros((1, nvar))
        a_eq[0, c0] = 1.0
        a_eq[0, l0:u0] = 1.0
        a_eq[0, u0:p0] = 1.0 - k[unpledged]
        a_eq[0, r0:] = -1.0
        rows, rhs = [], []
        collateral = e.collateral(d)
        for i in np.flatnonzero(~np.isnan(targets)):
            # L_i − pay_i − (1 − k)P_i ≤ t_i (C_i − P_i)
            row = np.zeros(nvar)
            row[r0 + i] = -1.0
            mine = e.pool[pledged] == i
            row[p0:r0][mine] = targets[i] - (1.0 - k[pledged][mine])
            rows.append(row)
            rhs.append((targets[i] * collateral[i] - e.balances[i]) / scale)
            if mine.any():  # never repay more than the balance
                cap = np.zeros(nvar)
                cap[r0 + i] = 1.0
                cap[p0:r0][mine] = 1.0 - k[pledged][mine]
                rows.append(cap)
                rhs.append(e.balances[i] / scale)
        a_ub, b_ub = np.array(rows), np.array(rhs)

        def run(objective, extra_rows=(), extra_rhs=()):
            a = np.vstack([a_ub, *extra_rows]) if extra_rows else a_ub
            b = np.concatenate([b_ub, extra_rhs]) if extra_rows else b_ub
            return linprog(
                objective,
                A_ub=a,
                b_ub=b,
                A_eq=a_eq,
                b_eq=[0.0],
                bounds=bounds,
                method="highs",
                options=_HIGHS_OPTIONS,
            )

        if npl:
            volume = np.zeros(nvar)
            volume[p0:r0] = 1.0
            first = run(volume)
            if first.status != 0:
                return None
            # A cap at the first optimum exactly can be declared infeasible when a bound
            # sits at the feasibility tolerance (a one-yen cash balance on a ¥10M loan),
            # hence the slack; should the second pass still fail, the first pass's plan
            # is feasible and sells the least collateral: use it.
            res = run(cost, [volume[None, :]], [first.fun + _VOLUME_SLACK * (1 + first.fun)])
            if res.status != 0:
                res = first
        else:
            res = run(cost)
        if res.status != 0:
            return None
        x = np.clip(res.x, [b[0] for b in bounds], [b[1] for b in bounds]) * scale
        n = len(self.holding_names)
        sales, pledged_sales = np.zeros(n), np.zeros(n)
        sales[unpledged] = x[u0:p0]
        pledged_sales[pledged] = x[p0:r0]
        return self.make_plan(d, status, x[c0], x[l0:u0], sales, pledged_sales, repay_free=x[r0:])
