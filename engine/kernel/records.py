"""What a run of the month step leaves behind: per path (``Records``) and, for small runs,
month by month (``MonthlyRecords``, filled by ``MonthlyBuffers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.kernel.types import LTV_CAP

if TYPE_CHECKING:
    from engine.kernel.state import State


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
    forced_sale: np.ndarray  # gross amount sold by force (liquidation, sale under call)
    forced_by_bucket: np.ndarray  # (months, buckets, paths) the same, by bucket
    sales: np.ndarray  # every sale this month (cures, liquidity, forced)
    dividends: np.ndarray  # net dividends credited this month
    interest: np.ndarray  # interest and commitment fees paid this month
    principal: np.ndarray  # amortization paid this month
    reinvested: np.ndarray  # surplus invested this month
    units: np.ndarray  # (months, buckets, paths) units the month's dividends were paid on
    value: np.ndarray  # (months, buckets, paths) market value at month end
    shortfall: np.ndarray  # what could not be funded in the month the path failed


@dataclass(frozen=True)
class Records:
    """What a run leaves behind, per path (first axis = paths)."""

    failure_month: np.ndarray  # (P,) month index of failure, −1 = never failed
    max_ltv: np.ndarray  # (P, S) highest LTV reached (after the market move)
    margin_call: np.ndarray  # (P,) bool: some loan at or above its call LTV
    sale_under_call: np.ndarray  # (P,) bool: a call met by selling something
    sale_under_call_amount: np.ndarray  # (P,) gross value sold to meet calls
    liquidation: np.ndarray  # (P,) bool: some loan at or above its liquidation LTV
    liquidation_amount: np.ndarray  # (P,) gross value the lenders sold
    line_drawn: np.ndarray  # (P,) bool: some unsecured line drawn during the run
    #: (P,) bool: the waterfall reached the unsecured lines (they were asked for money,
    #: whether or not they had any left): a path that never got there behaves the same
    #: whatever the lines' limits, but for the commitment fee on them
    line_consulted: np.ndarray
    lines_fully_drawn: np.ndarray  # (P,) bool: every unsecured line drawn to its limit
    income_covered: np.ndarray  # (P,) bool: every year, net dividends + income ≥ costs
    min_liquidity: np.ndarray  # (P,) lowest month-end cash + undrawn lines
    net_worth_yearly: np.ndarray  # (P, years) at each year end (frozen at failure)
    passive_income_yearly: np.ndarray  # (P, years) net dividends − interest − fees
    debt_yearly: np.ndarray  # (P, years) total debt at each year end
    price_level_yearly: np.ndarray  # (P, years) consumer prices at each year end (1 today)
    final_net_worth: np.ndarray  # (P,) after the last month (frozen at failure)
    monthly: MonthlyRecords | None = None

    @property
    def paths(self) -> int:
        return len(self.failure_month)

    @property
    def survived(self) -> np.ndarray:
        return self.failure_month < 0

    @property
    def forced_sale(self) -> np.ndarray:
        """(P,) bool: a liquidation or a sale under a call (SPEC §3)."""
        return self.liquidation | self.sale_under_call

    @property
    def forced_sale_amount(self) -> np.ndarray:
        return self.liquidation_amount + self.sale_under_call_amount

    @staticmethod
    def concat(parts: list[Records]) -> Records:
        """Join runs over consecutive path ranges (chunks) into one."""
        if len(parts) == 1:
            return parts[0]
        fields = [f for f in Records.__dataclass_fields__ if f != "monthly"]
        joined = {f: np.concatenate([getattr(p, f) for p in parts], axis=0) for f in fields}
        return Records(**joined, monthly=None)


class MonthlyBuffers:
    """Full monthly arrays for small runs (the scenario replay)."""

    def __init__(self, st: State):
        m, n, S = st.plan.months, st.n, st.layout.n_secured
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
        self.forced_by_bucket = np.zeros((m, st.plan.n_buckets, n))
        self.sales = np.zeros((m, n))
        self.dividends = np.zeros((m, n))
        self.interest = np.zeros((m, n))
        self.principal = np.zeros((m, n))
        self.reinvested = np.zeros((m, n))
        self.units = np.zeros((m, st.plan.n_buckets, n))
        self.value = np.zeros((m, st.plan.n_buckets, n))
        self.shortfall = np.zeros((m, n))

    def record_ltv(self, t: int, ltv: np.ndarray) -> None:
        p = self.st.plan
        self.ltv[t] = np.minimum(ltv, LTV_CAP)
        call = np.where(np.isnan(p.call), p.liquidation, p.call)[:, None]  # as written
        zone = (ltv >= p.freeze[:, None]).astype(np.int8)
        zone += ltv >= call
        zone += ltv >= p.liquidation[:, None]
        self.zone[t] = zone

    def record_end(self, t: int, net_worth: np.ndarray, liquid: np.ndarray) -> None:
        st = self.st
        self.net_worth[t] = np.where(st.alive, net_worth, st.failure_net_worth)
        self.cash[t] = st.cash
        self.liquidity[t] = liquid
        self.assets[t] = st.value.sum(axis=0)
        self.value[t] = st.value
        self.debt[t] = st.debt
        if st.layout.n_secured:
            collateral = st.layout.pool_matrix @ st.value
            self.ltv_end[t] = np.minimum(
                st.debt[: st.layout.n_secured] / np.maximum(collateral, 1e-300), LTV_CAP
            )
        self.forced_sale[t] = st.month_forced
        self.forced_by_bucket[t] = st.forced_by_bucket
        st.forced_by_bucket[:] = 0.0
        self.sales[t] = st.month_sales
        st.month_forced[:] = 0.0
        st.month_sales[:] = 0.0

    def freeze(self, months: int) -> MonthlyRecords:
        names = MonthlyRecords.__dataclass_fields__
        return MonthlyRecords(**{k: getattr(self, k)[:months].copy() for k in names})
