"""What the month step takes and gives: per-run overrides and the records it keeps.

See ``engine.kernel`` for the rules and the API.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A class is "in crisis" while more than this far below its running peak (SPEC §4 A5).
CRISIS_DRAWDOWN = 0.30
CRISIS_LOG = float(np.log(1.0 - CRISIS_DRAWDOWN))
#: LTVs are reported up to this cap (a loan whose collateral is gone would be infinite).
LTV_CAP = 100.0


@dataclass(frozen=True)
class Overrides:
    """Per-run changes to the plan (defaults: the plan as it is)."""

    spending_multiplier: float | np.ndarray = 1.0  # × recurring expenses; scalar or (paths,)
    line_limit_scale: float | np.ndarray = 1.0  # × every unsecured line limit; or (paths,)
    rate_shock: float | np.ndarray = 0.0  # added to every loan rate; scalar or (months,)
    line_limit_cut: float | np.ndarray = 0.0  # share of line limits cut; scalar or (months,)
    dividend_factor: np.ndarray | None = None  # (months,) × cuttable dividends (replay)
    crisis_dividend_cut: bool = True  # A5: class crisis cut while > 30% below peak
    crisis_line_cut: bool = False  # lines lose their Crisis limit cut while any class is in crisis
    record_monthly: bool = False  # keep full monthly arrays (small path counts)


@dataclass(frozen=True)
class MonthlyRecords:
    """Month-by-month state, arrays (months, paths) or (months, loans, paths)."""

    ltv: np.ndarray  # per secured loan, after the market move (what the lender sees)
    zone: np.ndarray  # int8 per secured loan: 0 Safe, 1 Frozen, 2 Margin call, 3 Liquidation
    ltv_end: np.ndarray  # per secured loan, end of month (after cures and draws)
    net_worth: np.ndarray
    cash: np.ndarray
    liquidity: np.ndarray  # cash + undrawn unsecured lines
    assets: np.ndarray  # market value of the buckets (cash excluded)
    debt: np.ndarray  # (months, debts, paths) balances at month end
    forced_sale: np.ndarray  # gross amount sold by lenders (liquidation) this month
    sales: np.ndarray  # every sale this month (cures, liquidity, forced)
    dividends: np.ndarray  # net dividends credited this month


@dataclass(frozen=True)
class Records:
    """What a run leaves behind, per path (first axis = paths)."""

    failure_month: np.ndarray  # (P,) month index of failure, −1 = never failed
    max_ltv: np.ndarray  # (P, S) highest LTV reached (after the market move)
    margin_call: np.ndarray  # (P,) bool: some loan at or above its call LTV
    forced_sale: np.ndarray  # (P,) bool: some loan at or above its liquidation LTV
    forced_sale_amount: np.ndarray  # (P,) gross value sold by lenders
    forced_sale_loss: np.ndarray  # (P,) loss crystallised (vs the class's running peak + costs)
    lines_fully_drawn: np.ndarray  # (P,) bool: every unsecured line drawn to its limit
    min_liquidity: np.ndarray  # (P,) lowest month-end cash + undrawn lines
    net_worth_yearly: np.ndarray  # (P, years) at each year end (frozen at failure)
    passive_income_yearly: np.ndarray  # (P, years) net dividends − interest − fees
    final_net_worth: np.ndarray  # (P,) after the last month (frozen at failure)
    monthly: MonthlyRecords | None = None

    @property
    def paths(self) -> int:
        return len(self.failure_month)

    @property
    def survived(self) -> np.ndarray:
        return self.failure_month < 0

    @staticmethod
    def concat(parts: list[Records]) -> Records:
        """Join runs over consecutive path ranges (chunks) into one."""
        if len(parts) == 1:
            return parts[0]
        fields = [f for f in Records.__dataclass_fields__ if f != "monthly"]
        joined = {f: np.concatenate([getattr(p, f) for p in parts], axis=0) for f in fields}
        return Records(**joined, monthly=None)
