"""Scenario replay (SPEC §4 A2 c): each Scenarios row as a monthly path through the month step.

The path of a scenario with equity drawdown D, FX change x, T months to trough and R months
to recover:

- every asset class k falls to the level ℓ_k = 1 − min(CAP, D × stress beta_k) log-linearly,
  by ln(ℓ_k)/T a month for T months (CAP = 0.9999 keeps the logarithm finite);
- every foreign currency moves to 1 + x the same way (base per unit);
- then everything recovers log-linearly to its starting level, −ln(ℓ)/R a month for R
  months; R = 0 means no recovery: prices stay at the trough for 12 more months;
- run length n = T + R (+ 12 when R = 0), capped at the horizon.

The run goes through ``engine.kernel`` (the same month step as the Monte Carlo) with the
scenario's dividend cut on every non-progressive dividend for the whole run, the rate
shock added to every loan rate and the line limit cut applied to every unsecured line.
Cash flows, interest, buffer and reinvestment follow the inputs as in the Monte Carlo.

Outputs per scenario: max LTV, months in each zone (the worst zone across secured loans
that month), the lender events in the words A5 uses — margin call (yes/no), sales under
a call and liquidations (gross amounts), the first month either happened — forced sales
(a sale under a call or a liquidation) and the loss they crystallise versus holding:
what the sold assets would be worth at the end of the run minus the sale proceeds,
Σ_t Σ_b A_tb × I_b(end)/I_b(t) − A_t × (1 − selling cost), I_b the price index of the
bucket sold (class × FX); minimum liquidity (cash + undrawn lines), survived, net worth
at the trough and at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine import kernel
from engine.model import Inputs, Scenario
from engine.model.returns import FX_PREFIX

#: Largest fall of a class in a replay: a 100% fall would make its logarithm infinite.
DRAWDOWN_CAP = 0.9999
#: Months the path stays at the trough after the decline when it never recovers.
NO_RECOVERY_TAIL = 12
ZONES = kernel.ZONES


def run_length(scenario: Scenario, horizon_months: int) -> int:
    """T + R months (+12 without recovery), at least 1, capped at the horizon."""
    t = max(1, int(scenario.months_to_trough))
    r = int(scenario.months_to_recover)
    n = t + r if r > 0 else t + NO_RECOVERY_TAIL
    return max(1, min(n, horizon_months))


def level_path(trough_level: float, to_trough: int, to_recover: int, months: int) -> np.ndarray:
    """Monthly log-returns that reach ``trough_level`` in ``to_trough`` months and come back.

    >>> np.exp(np.cumsum(level_path(0.5, 2, 2, 5))).round(4).tolist()
    [0.7071, 0.5, 0.7071, 1.0, 1.0]
    """
    out = np.zeros(months)
    t = max(1, int(to_trough))
    down = np.log(trough_level) / t
    out[: min(t, months)] = down
    if to_recover > 0 and months > t:
        out[t : min(t + to_recover, months)] = -np.log(trough_level) / to_recover
    return out


def factor_paths(inputs: Inputs, scenario: Scenario, months: int) -> dict[str, np.ndarray]:
    """Monthly log-returns per factor label (asset classes and ``FX:<CCY>``)."""
    t, r = scenario.months_to_trough, scenario.months_to_recover
    paths = {}
    for c in inputs.asset_classes:
        fall = min(DRAWDOWN_CAP, max(0.0, scenario.equity_drawdown * c.stress_beta))
        paths[c.name] = level_path(1.0 - fall, t, r, months)
    fx_level = max(1.0 - DRAWDOWN_CAP, 1.0 + scenario.fx_change)
    for f in inputs.fx:
        if f.currency != inputs.settings.base_currency:
            paths[f"{FX_PREFIX}{f.currency}"] = level_path(fx_level, t, r, months)
    return paths


def overrides(scenario: Scenario, months: int) -> kernel.Overrides:
    """The scenario's dividend cut, rate shock and line limit cut for the kernel."""
    return kernel.Overrides(
        rate_shock=float(scenario.rate_shock),
        line_limit_cut=float(scenario.line_limit_cut),
        dividend_factor=np.full(months, 1.0 - scenario.dividend_cut),
        crisis_dividend_cut=False,
        crisis_line_cut=False,
        record_monthly=True,
    )


@dataclass(frozen=True)
class ScenarioRun:
    """One scenario through the kernel: the plan, its returns and the kernel's records."""

    scenario: Scenario
    plan: kernel.Plan
    log_returns: np.ndarray  # (months, factors, 1)
    records: kernel.Records

    @property
    def months(self) -> int:
        return self.plan.months

    @property
    def trough_month(self) -> int:
        """0-based index of the month the trough is reached (within the run)."""
        return min(max(1, self.scenario.months_to_trough), self.months) - 1


def run_scenario(inputs: Inputs, scenario: Scenario) -> ScenarioRun:
    """Replay one scenario through the month step (one deterministic path)."""
    months = run_length(scenario, inputs.settings.months)
    plan = kernel.compile_plan(inputs, months=months)
    log_returns = kernel.log_returns_from(plan, factor_paths(inputs, scenario, months), months)
    records = kernel.run(plan, log_returns, overrides(scenario, months))
    return ScenarioRun(scenario, plan, log_returns, records)


def bucket_index(run: ScenarioRun) -> np.ndarray:
    """Price index of each bucket after each month's move, (months, B): its class's
    price × its currency's FX, 1 at month 0."""
    p, lr = run.plan, run.log_returns[:, :, 0]
    F = lr.shape[1]
    ext = np.concatenate([lr, np.zeros((lr.shape[0], 1))], axis=1)
    cls_factor = np.where(p.class_factor >= 0, p.class_factor, F)[p.bucket_class]
    fx_factor = np.where(p.bucket_fx >= 0, p.bucket_fx, F)
    return np.exp(np.cumsum(ext[:, cls_factor] + ext[:, fx_factor], axis=0))


def forced_sale_loss(run: ScenarioRun, selling_cost: float) -> float:
    """Σ_t Σ_b A_tb × I_b(end)/I_b(t) − A_t × (1 − k): what the assets sold by force
    (liquidations and sales under a call) would be worth at the end of the run, minus
    what the sales raised. Negative when prices kept falling after the sale."""
    sold = run.records.monthly.forced_by_bucket[:, :, 0]  # (months, B)
    if not np.any(sold > 0):
        return 0.0
    index = bucket_index(run)
    held = sold * (index[-1][None, :] / np.where(index > 0, index, 1.0))
    return float(held.sum() - sold.sum() * (1.0 - selling_cost))


def summarise(run: ScenarioRun, selling_cost: float) -> dict:
    """The replay's figures for one scenario (plain floats; None where not applicable)."""
    rec, m, p = run.records, run.records.monthly, run.plan
    S = len(p.secured_index)
    failed = int(rec.failure_month[0])
    last = failed if failed >= 0 else run.months - 1
    worst = m.zone[: last + 1, :, 0].max(axis=1) if S else np.zeros(last + 1, dtype=int)
    counts = np.bincount(worst.astype(int), minlength=len(ZONES))
    amount = float(rec.forced_sale_amount[0])
    events = np.flatnonzero(worst >= 2)  # a call or a liquidation, as the lender sees it
    out = {
        "name": run.scenario.name,
        "equity_drawdown": run.scenario.equity_drawdown,
        "fx_change": run.scenario.fx_change,
        "dividend_cut": run.scenario.dividend_cut,
        "rate_shock": run.scenario.rate_shock,
        "line_limit_cut": run.scenario.line_limit_cut,
        "months_to_trough": run.scenario.months_to_trough,
        "months_to_recover": run.scenario.months_to_recover,
        "months": run.months,
        "trough_month": run.trough_month + 1,
        "max_ltv": float(rec.max_ltv[0].max()) if S else None,
        "months_safe": int(counts[0]),
        "months_frozen": int(counts[1]),
        "months_margin_call": int(counts[2]),
        "months_liquidation": int(counts[3]),
        "margin_call": bool(rec.margin_call[0]),
        "sale_under_call_amount": float(rec.sale_under_call_amount[0]),
        "liquidation_amount": float(rec.liquidation_amount[0]),
        "first_event_month": int(events[0]) + 1 if events.size else None,
        "forced_sale": bool(rec.forced_sale[0]),
        "forced_sale_amount": amount,
        "forced_sale_loss": forced_sale_loss(run, selling_cost),
        "min_liquidity": float(rec.min_liquidity[0]),
        "survived": bool(rec.survived[0]),
        "failure_month": failed + 1 if failed >= 0 else None,
        "net_worth_start": float(p.net_worth0),
        "net_worth_trough": float(m.net_worth[run.trough_month, 0]),
        "net_worth_end": float(rec.final_net_worth[0]),
    }
    return out


SUMMARY_COLUMNS = (
    "name equity_drawdown fx_change dividend_cut rate_shock line_limit_cut months_to_trough "
    "months_to_recover months trough_month max_ltv months_safe months_frozen months_margin_call "
    "months_liquidation margin_call sale_under_call_amount liquidation_amount first_event_month "
    "forced_sale forced_sale_amount forced_sale_loss min_liquidity "
    "survived failure_month net_worth_start net_worth_trough net_worth_end"
).split()


def monthly_paths(run: ScenarioRun) -> pd.DataFrame:
    """Month 0 (today) to the run's end: worst LTV across secured loans, zone, net worth.

    After a failure (month f) the path is blank and its zone "Failed"."""
    m, p = run.records.monthly, run.plan
    S = len(p.secured_index)
    if S:
        collateral0 = (p.pool[None, :] == np.arange(S)[:, None]) @ p.value0
        with np.errstate(divide="ignore", invalid="ignore"):
            ltv0 = np.where(collateral0 > 0, p.balance0[:S] / collateral0, np.nan)
        first = np.nanmax(ltv0) if np.any(np.isfinite(ltv0)) else np.nan
        ltv = np.concatenate([[first], m.ltv[:, :, 0].max(axis=1)])
        zone = np.concatenate([[0], m.zone[:, :, 0].max(axis=1)])
    else:
        ltv = np.full(run.months + 1, np.nan)
        zone = np.zeros(run.months + 1, dtype=int)
    net_worth = np.concatenate([[p.net_worth0], m.net_worth[:, 0]])
    zones = [ZONES[int(z)] for z in zone]
    failed = int(run.records.failure_month[0])
    if failed >= 0:  # the path stops at its failure month: nothing to draw after it
        after = np.arange(run.months + 1) > failed + 1
        ltv, net_worth = np.where(after, np.nan, ltv), np.where(after, np.nan, net_worth)
        zones = ["Failed" if a else z for a, z in zip(after, zones, strict=True)]
    return pd.DataFrame(
        {
            "scenario": run.scenario.name,
            "month": np.arange(run.months + 1),
            "ltv": ltv,
            "zone": zones,
            "net_worth": net_worth,
        }
    )


def replay_all(inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every Scenarios row through the kernel: (summary per scenario, monthly paths, long)."""
    rows, paths = [], []
    for scenario in inputs.scenarios:
        run = run_scenario(inputs, scenario)
        rows.append(summarise(run, inputs.settings.selling_cost))
        paths.append(monthly_paths(run))
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    columns = ["scenario", "month", "ltv", "zone", "net_worth"]
    long = pd.concat(paths, ignore_index=True) if paths else pd.DataFrame(columns=columns)
    return summary, long
