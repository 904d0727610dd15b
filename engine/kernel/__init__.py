"""The month step (SPEC §3): one vectorised kernel shared by the A2 scenario replay and A5.

The package, in dependency order (no module imports a later one):

- ``types``    ``Overrides`` (per-run changes) and constants
- ``plan``     ``Plan`` and ``compile_plan``: the balance sheet compiled into arrays
- ``records``  ``Records`` / ``MonthlyRecords``: what a run leaves behind
- ``state``    ``Layout`` (the plan as the step reads it) and ``State`` (every path)
- ``rules``    the lenders' rules, the liquidity waterfall and failure (steps 4–5)
- ``step``     ``MonthStep``: one named method per step of the month, in SPEC order

API (stable; later changes are additive only)
---------------------------------------------
``plan = compile_plan(inputs, unlevered=False)``
    The balance sheet compiled into arrays (a ``Plan``). Holdings are grouped into
    *buckets* keyed by (asset class, currency, pledged-to loan or unpledged); every
    holding of a bucket moves with its class and currency, and trades are pro rata
    within a bucket, so NISA/Taxable tax and dividend policy fold into the bucket's
    dividend yield. ``plan.factor_labels`` names the factors whose monthly
    log-returns the kernel needs (asset classes, then ``FX:<CCY>``).
    ``unlevered=True``: every loan repaid at month 0 by selling assets pro rata
    (less the selling cost), and no credit facilities left.

``records = run(plan, log_returns, overrides=Overrides())``
    ``log_returns``: array (months, factors, paths) — or an iterable of
    (T, factors, paths) slabs — of monthly *log* returns of ``plan.factor_labels``
    (class price returns in own currency; FX as base per unit). The kernel draws no
    random numbers: the Monte Carlo feeds correlated lognormal draws
    (``engine.model.returns``), the replay feeds deterministic paths
    (``log_returns_from(plan, {"Domestic equity": r, ...})``).
    For streaming use ``MonthStep(plan, paths, overrides)`` with
    ``.advance(slab)`` and ``.records()`` (``engine.kernel.step``).

``Overrides`` — per-run changes: spending multiplier (scalar or per path), unsecured
line limit scale (scalar or per path), rate shock (added to every loan rate; scalar
or per month), line limit cut (scalar or per month), dividend factor per month on
cuttable dividends (replaces the crisis rule), ``crisis_dividend_cut`` (A5 rule),
``crisis_line_cut`` (lines lose their Crisis limit cut while a class is in crisis),
``record_monthly`` (full monthly arrays; small path counts).

``Records`` — per path: failure month (−1 = never failed), max LTV per secured loan,
margin call / forced sale / lines fully drawn ever, forced-sale amount and the loss it
crystallised, minimum liquidity (cash + undrawn lines); yearly (paths, years) net
worth and net passive income; ``monthly`` (``MonthlyRecords``) when asked.

The month, in order (all amounts base currency)
-----------------------------------------------
1. Cash flows: income in, expenses out (recurring × spending multiplier, plus Once),
   interest on drawn balances (rate/12) and commitment fees on undrawn limits (fee/12),
   amortization paid (min(payment, balance)).
2. Net dividends: Σ units × DPS_year/12 × FX × (1 − withholding)(1 − tax if Taxable);
   DPS from ``engine.model.dividends.policy_paths`` (year y = months 12(y−1)…12y−1);
   cuttable (non-Progressive) dividends × (1 − crisis cut) while the class is more
   than 30% below its running peak (as it stood at the start of the month), or × the
   given dividend factor. Unpledged cash in another currency counts as cash at month-0 FX.
3. Prices and FX move: bucket value × exp(class log-return + FX log-return).
4. Margin rules per secured loan (LTV = balance / pledged market value):
   LTV ≥ liquidation ⇒ forced sale (``All``: the whole pool; ``To freeze``: the fraction
   φ = (L − f·C)/(N − f·C), N = pool value net of selling cost, that brings LTV back to
   freeze); proceeds repay the loan, a shortfall (deficiency) is due in cash.
   Else LTV ≥ margin call ⇒ cure R = L − f·C from: cash above zero, unsecured lines
   (cheapest first, within limit × scale × (1 − cut)), sale of unpledged assets
   (pro rata, net of selling cost), sale of the pledged pool (same φ as above).
5. Liquidity, while cash < 0: draw lines (cheapest first), then secured loans up to
   min(limit, capacity = Σ value × advance rate, freeze × collateral) (cheapest
   first; refused at or above freeze), then sell unpledged assets, then pledged
   assets LTV-neutrally (sell φ of each pool with equity, repay φ of its loan, keep
   φ·(N − L)). Cash still < 0 ⇒ the path FAILED this month.
6. Surplus: cash above the buffer repays drawn debt, most expensive first (unsecured
   lines, then secured loans; amortizing loans follow their schedule); if
   ``Reinvest surplus`` the rest buys non-cash buckets pro rata to their value.
Net worth (cash + assets − debts) ≤ 0 is also failure. A failed path is frozen: its
state is zeroed and its records stop (yearly net worth keeps its value at failure).
Loss crystallised by a forced sale = value of what was sold at its class's running peak
minus the sale proceeds. Capital-gains tax on sales is not modelled.

Consequence (tested exactly): no cash, no buffer, no loans, no dividends ⇒
W_{t+1} = W_t·R_t − c/(1 − k), failure in the first month with W_t·R_t < c/(1 − k).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from engine.kernel.plan import Plan, compile_plan
from engine.kernel.records import MonthlyRecords, Records
from engine.kernel.step import MonthStep
from engine.kernel.types import ZONES, Overrides

__all__ = [
    "Plan",
    "compile_plan",
    "Overrides",
    "Records",
    "MonthlyRecords",
    "MonthStep",
    "run",
    "log_returns_from",
    "ZONES",
]


def run(
    plan: Plan,
    log_returns: np.ndarray | Iterable[np.ndarray],
    overrides: Overrides | None = None,
) -> Records:
    """Run the month step over every month of ``log_returns`` (months, factors, paths)."""
    slabs = [log_returns] if isinstance(log_returns, np.ndarray) else log_returns
    step = None
    for slab in slabs:
        slab = np.asarray(slab, dtype=float)
        if slab.ndim != 3 or slab.shape[1] != len(plan.factor_labels):
            raise ValueError(
                f"log_returns must have shape (months, {len(plan.factor_labels)} factors, "
                f"paths) for factors {plan.factor_labels}; found {slab.shape}"
            )
        if step is None:
            step = MonthStep(plan, slab.shape[2], overrides)
        step.advance(slab)
    if step is None:
        raise ValueError("log_returns is empty")
    return step.records()


def log_returns_from(
    plan: Plan, by_factor: Mapping[str, np.ndarray], months: int | None = None
) -> np.ndarray:
    """Deterministic log-returns (months, factors, 1) from per-factor monthly paths.

    Factors not named move by 0 (log-return 0); factors the plan does not hold are ignored.
    """
    n = plan.months if months is None else months
    out = np.zeros((n, len(plan.factor_labels), 1))
    for label, path in by_factor.items():
        if label not in plan.factor_labels:
            continue  # a factor the plan does not hold does not matter
        arr = np.asarray(path, dtype=float).reshape(-1)
        if arr.size != n:
            raise ValueError(f"{label}: expected {n} monthly log-returns, found {arr.size}")
        out[:, plan.factor_labels.index(label), 0] = arr
    return out
