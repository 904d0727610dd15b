"""Static exposure at a uniform drawdown: LTV, cures, defense sources, survivability.

The definitions of SPEC §4 A2/A3 ("static, at drawdown d, no time passing"), in one
place: the stress ladder (A2), the balance sheet's breaking points (A1) and the
structure comparison of the layered defense (A3) all call these.

At drawdown d every holding of a class with stress beta β is worth
``value × (1 − min(1, d·β))``. LTV is the loan balance over the market value of its
pledged collateral, as Rakuten and 日証金 define it.

Worked example (SPEC §4): L = ¥50M on C = ¥125M × (1 − d), freeze 60%, no call stage,
liquidation 85%, cash above buffer ¥9.52M, an ¥8M line, nothing unpledged. Sources
S = 17.52M. Standing requires L − 0.85·C(d) ≤ S, i.e. 1 − d ≥ 32.48 / 106.25, so the
survivable drawdown is 69.43%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.model import cashflows
from engine.model.inputs import Inputs

#: Precision of solved drawdowns (fraction). SPEC asks for 0.1 percentage point.
DRAWDOWN_TOL = 1e-7


#: The lender's zones by LTV, in the words every sheet uses (SPEC §4 A2): Safe below the
#: freeze LTV, Frozen from it, Margin call from the call LTV, Liquidation from the
#: liquidation LTV (a loan without a call stage goes Safe / Frozen / Liquidation).
ZONES = ("Safe", "Frozen", "Margin call", "Liquidation")


def zone(ltv: float, freeze: float, call: float | None, liquidation: float) -> str:
    """The lender's zone at ``ltv`` (``call`` None or NaN: no margin-call stage)."""
    if not np.isfinite(ltv) or ltv >= liquidation:
        return "Liquidation"
    if call is not None and not np.isnan(call) and ltv >= call:
        return "Margin call"
    return "Frozen" if ltv >= freeze else "Safe"


@dataclass(frozen=True)
class Exposure:
    """Everything the static stress definitions need, as arrays.

    Per holding: ``values`` (base), ``betas``, ``is_cash``, ``pool`` (index of the
    secured loan it is pledged to, or −1). Per secured loan: ``balances``, ``limits``,
    ``freeze``, ``call`` (NaN = no call stage), ``liquidation``, ``advance`` (advance
    rate per holding for that loan, shape (loans, holdings)).
    """

    loan_names: tuple[str, ...]
    values: np.ndarray
    betas: np.ndarray
    is_cash: np.ndarray
    pool: np.ndarray
    balances: np.ndarray
    limits: np.ndarray
    freeze: np.ndarray
    call: np.ndarray
    liquidation: np.ndarray
    advance: np.ndarray
    cash_above_buffer: float
    line_capacity: float  # undrawn unsecured limits after their crisis cut
    selling_cost: float
    cost_basis: np.ndarray  # per holding, base currency (Cost basis × quantity × FX)
    tax_rate: np.ndarray  # capital-gains tax rate per holding (0: NISA, cash)

    # ------------------------------------------------------------------ build
    @classmethod
    def from_inputs(cls, inputs: Inputs) -> Exposure:
        secured = inputs.secured_loans
        index = {loan.name: i for i, loan in enumerate(secured)}
        pool = np.array([index.get(h.pledged_to, -1) for h in inputs.holdings], dtype=int)
        line_capacity = sum(
            max(0.0, loan.limit * (1.0 - loan.crisis_limit_cut) - loan.balance)
            for loan in inputs.lines
        )
        n = len(inputs.holdings)
        advance = (
            np.vstack([inputs.advance_rates(loan) for loan in secured])
            if secured
            else np.zeros((0, n))
        )
        return cls(
            loan_names=tuple(loan.name for loan in secured),
            values=inputs.market_values.copy(),
            betas=inputs.stress_betas.copy(),
            is_cash=inputs.is_cash_holding.copy(),
            pool=pool,
            balances=np.array([loan.balance for loan in secured], dtype=float),
            limits=np.array([loan.limit for loan in secured], dtype=float),
            freeze=np.array([loan.freeze_ltv for loan in secured], dtype=float),
            call=np.array(
                [
                    np.nan if loan.margin_call_ltv is None else loan.margin_call_ltv
                    for loan in secured
                ],
                dtype=float,
            ),
            liquidation=np.array([loan.liquidation_ltv for loan in secured], dtype=float),
            advance=advance,
            cash_above_buffer=cashflows.cash_above_buffer(inputs),
            line_capacity=float(line_capacity),
            selling_cost=inputs.settings.selling_cost,
            cost_basis=np.array([h.cost_value_base for h in inputs.holdings], dtype=float),
            tax_rate=np.array(
                [
                    0.0 if h.is_nisa or cash else inputs.settings.capital_gains_tax_rate
                    for h, cash in zip(inputs.holdings, inputs.is_cash_holding, strict=True)
                ],
                dtype=float,
            ),
        )

    @property
    def n_loans(self) -> int:
        return len(self.loan_names)

    def thresholds(self, j: int) -> tuple[float, float, float]:
        """Loan j's (freeze, call, liquidation) LTVs (call NaN: no call stage)."""
        return float(self.freeze[j]), float(self.call[j]), float(self.liquidation[j])

    @property
    def trigger(self) -> np.ndarray:
        """Margin-call LTV where the loan has one, else its liquidation LTV."""
        return np.where(np.isnan(self.call), self.liquidation, self.call)

    # ------------------------------------------------------------------ at d
    def values_at(self, d: float) -> np.ndarray:
        """Value of each holding after a uniform drawdown d (× its class beta)."""
        return self.values * (1.0 - np.clip(d * self.betas, 0.0, 1.0))

    def collateral(self, d: float) -> np.ndarray:
        """Market value of each secured loan's pledged collateral at d."""
        pledged = self.pool >= 0
        return np.bincount(
            self.pool[pledged], weights=self.values_at(d)[pledged], minlength=self.n_loans
        )[: self.n_loans]

    def ltv(self, d: float) -> np.ndarray:
        """LTV per secured loan at d (inf when a drawn loan has no collateral left)."""
        c = self.collateral(d)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(c > 0, self.balances / np.where(c > 0, c, 1.0), np.inf)
        return np.where(self.balances <= 0, 0.0, out)

    def capacity(self, d: float) -> np.ndarray:
        """Borrowing capacity per secured loan: Σ collateral value × advance rate."""
        v = self.values_at(d)
        return np.array(
            [float(np.sum(v * self.advance[i] * (self.pool == i))) for i in range(self.n_loans)]
        )

    def secured_headroom(self, d: float) -> np.ndarray:
        """What each secured loan still lets you draw at d: below freeze, limit, capacity."""
        ceiling = np.minimum(
            np.minimum(self.limits, self.capacity(d)), self.freeze * self.collateral(d)
        )
        return np.maximum(0.0, ceiling - self.balances)

    def orthogonal_liquidity(self) -> float:
        """Cash above the buffer + unsecured lines after their crisis cut (flat in d)."""
        return self.cash_above_buffer + self.line_capacity

    def required_cure(self, d: float) -> np.ndarray:
        """R_i(d): 0 below the trigger, else L_i − f_i·C_i(d) (repay back to freeze)."""
        c = self.collateral(d)
        at_trigger = self.ltv(d) >= self.trigger - 1e-12
        return np.where(at_trigger, np.maximum(0.0, self.balances - self.freeze * c), 0.0)

    def sale_haircut(self, d: float) -> np.ndarray:
        """Per holding, the share of a sale at d that does not reach you: the selling cost
        plus the capital-gains tax on its gain, k + τ·max(0, 1 − K/V(d)) (SPEC §3; none
        on cash; per position, losses not set against other gains)."""
        v = self.values_at(d)
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = np.where(v > 0, np.maximum(1.0 - self.cost_basis / np.where(v > 0, v, 1), 0), 0)
        return np.where(self.is_cash, 0.0, self.selling_cost + self.tax_rate * gain)

    def unpledged_sale_value(self, d: float) -> float:
        """Unpledged non-cash assets at their value at d, less the selling cost and the
        capital-gains tax a sale would pay."""
        mask = (self.pool < 0) & ~self.is_cash
        return float((self.values_at(d) * (1.0 - self.sale_haircut(d)))[mask].sum())

    def defense_sources(self, d: float) -> float:
        """S(d): cash above buffer + lines after crisis cut + unpledged sales net of cost."""
        return self.orthogonal_liquidity() + self.unpledged_sale_value(d)

    def minimum_need(self, d: float) -> np.ndarray:
        """The least each loan must be paid at d to survive.

        A loan with a call stage at or above its call LTV must be cured to freeze (R_i).
        A loan without one only has to stay below liquidation: frozen but standing
        needs L_i − liq_i·C_i(d) when positive.
        """
        c = self.collateral(d)
        stand = np.maximum(0.0, self.balances - self.liquidation * c)
        return np.where(np.isnan(self.call), stand, self.required_cure(d))

    def survives(self, d: float) -> bool:
        """Every secured loan defended or frozen-but-standing at d (sources shared)."""
        if self.n_loans == 0:
            return True
        need = float(self.minimum_need(d).sum())
        return need <= self.defense_sources(d) * (1 + 1e-12) + 1e-6

    # ------------------------------------------------------------------ solved
    def survivable_drawdown(self) -> float:
        """Largest d in [0, 1] at which `survives` holds, by bisection (monotone in d)."""
        if self.survives(1.0):
            return 1.0
        if not self.survives(0.0):
            return 0.0
        lo, hi = 0.0, 1.0
        while hi - lo > DRAWDOWN_TOL:
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if self.survives(mid) else (lo, mid)
        return lo

    def drawdown_to_ltv(self, loan: int, threshold: float) -> float | None:
        """The drawdown at which loan ``loan`` reaches LTV ``threshold`` (None: never).

        Collateral value is piecewise linear and decreasing in d, so bisection on
        C(d) = L / threshold is exact to ``DRAWDOWN_TOL``.
        """
        balance = self.balances[loan]
        if balance <= 0 or threshold <= 0:
            return None
        target = balance / threshold

        def coll(d: float) -> float:
            return float(self.collateral(d)[loan])

        if coll(0.0) <= target:
            return 0.0
        if coll(1.0) > target:
            return None
        lo, hi = 0.0, 1.0
        while hi - lo > DRAWDOWN_TOL:
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if coll(mid) > target else (lo, mid)
        return hi


def survivable_drawdown(inputs: Inputs) -> float:
    """The survivable drawdown of a loan structure (SPEC §4 A3; A2's defended breaking point)."""
    return Exposure.from_inputs(inputs).survivable_drawdown()


def ladder_levels(step: float, top: float = 0.90) -> np.ndarray:
    """Drawdown levels 0, step, 2·step, … up to ``top`` inclusive (rounded to 1e-9)."""
    n = int(np.floor(top / step + 1e-9))
    return np.round(np.arange(n + 1) * step, 9)
