"""What a run of the month step takes besides the plan: per-run overrides, and constants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.model.exposure import ZONES  # noqa: F401  (zone codes of MonthlyRecords.zone)

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
    #: Only the failure month matters (the solvers): no yearly records, LTV or liquidity.
    survival_only: bool = False
