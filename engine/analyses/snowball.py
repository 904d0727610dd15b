"""A4 Dividend snowball (SPEC §4 A4): how dividends grow year by year, and when they cover.

The month step (``engine.kernel``, the one A5 and the scenario replay use) on one
deterministic path — every class and FX factor at its expected return, ln(1 + μ)/12 a
month (annual growth exactly 1 + μ), dividends at their policy (no crisis cut) — and
aggregated by year t = 1..H, the t-th 12 months from the valuation date
(``calendar_year`` = the calendar year in which that block starts). So A4 and A5
describe the same household: the same loan policy, liquidity order, buffer and surplus
rule (SPEC §3); the waterfall is not written a second time here.

- Per share, per policy (``engine.model.dividends``): DOE: DPS_t = DOE × BVPS_{t−1},
  BVPS_t = BVPS_{t−1} × (1 + ROE − DOE); Payout p is DOE with DOE = p × ROE; Progressive
  DPS_t = DPS_{t−1} × (1 + g); Fixed DPS_0 × (1 + g)^t. Year t's months pay DPS_t / 12.
- By holding: each holding's policy dividend on its units — its share of its bucket's
  units, pro rata (a bucket's purchases and sales are pro rata) — gross, and net ×
  ``Holding.net_dividend_factor`` ((1 − withholding) × (1 − tax) in Taxable accounts,
  (1 − withholding) in NISA); tax = gross − net.
- Prices follow the class's expected return, FX its expected change (DOE prices too:
  the same path as A5's median household).
- Interest includes commitment fees; cash flows are the monthly schedule
  (``engine.model.cashflows``) summed per year.
- Coverage_t = net dividends ÷ outgo, outgo = expenses + interest − income; when outgo
  ≤ 0 coverage is None (n/a) and the year counts as covered. The crossover year is
  the first covered year (None: not within the horizon).
- Yield on cost_t = net dividends ÷ cost basis, the cost basis being today's market
  value of the non-cash holdings plus everything reinvested before year t.
- If the path runs out of money (SPEC §3: cash short after every source), the year it
  happens records the shortfall and the years after it are zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from engine import kernel
from engine.i18n import T
from engine.jsonable import jsonable
from engine.model import Inputs
from engine.model.cashflows import calendar_years, cash_buffer, schedule
from engine.model.dividends import policy_paths
from engine.model.returns import FX_PREFIX, factor_params

TOP_HOLDINGS = 8
OTHERS = "Others"  # a column of the by-holding table (and the JSON)
#: Columns of ``SnowballResult.years`` (money in base currency, per year).
YEAR_KEYS = tuple(
    "year calendar_year dividends_gross tax dividends_net expenses income interest outgo "
    "coverage covered yield_on_cost principal reinvested line_draws sales shortfall cash "
    "debt portfolio_value net_worth".split()
)


@dataclass(frozen=True)
class SnowballResult:
    portfolio: str
    valuation_date: date
    currency: str
    horizon_years: int
    reinvest: bool
    cash_buffer: float
    years: pd.DataFrame  # one row per year, columns YEAR_KEYS
    by_holding: pd.DataFrame  # year, calendar_year, then net dividends of the top 8 + Others
    per_holding: pd.DataFrame  # long: holding, year (0..H), calendar_year, dps, bvps, shares, …
    holdings: pd.DataFrame  # name, currency, policy, account, net_factor, market_value, total_net
    crossover_year: int | None
    crossover_calendar_year: int | None
    book_holding: str | None  # the largest DOE holding (else Payout) for the BVPS/DPS chart
    first_shortfall_year: int | None
    #: First year net dividends alone cover expenses + interest (income ignored).
    crossover_year_without_income: int | None = None

    def calendar_year(self, year: int | None) -> int | None:
        """The calendar year in which projection year ``year`` (1..H) starts."""
        if year is None:
            return None
        return int(self.years["calendar_year"].iloc[year - 1])

    @property
    def crossover_sentence(self) -> str:
        if self.crossover_year is None:
            return T("sn.net_dividends_do_not_cover", horizon_years=self.horizon_years)
        text = T(
            "sn.net_dividends_first_cover_expenses",
            crossover_year=self.crossover_year,
            crossover_calendar_year=self.crossover_calendar_year,
        )
        alone = self.crossover_year_without_income
        if alone != self.crossover_year:
            text += (
                T(
                    "sn.without_income_salary_pension_they",
                    alone=alone,
                    alone2=self.calendar_year(alone),
                )
                if alone is not None
                else T("sn.without_income_salary_pension_they_2")
            )
        return text


def mean_path(plan: kernel.Plan, inputs: Inputs) -> np.ndarray:
    """Log-returns (months, factors, 1) of the deterministic path: every class and FX factor
    at its expected return, ln(1 + μ)/12 a month (annual growth exactly 1 + μ)."""
    monthly = {}
    for label in plan.factor_labels:
        mu, _sigma = factor_params(inputs, label)
        monthly[label] = np.full(plan.months, np.log1p(mu) / 12.0)
    return kernel.log_returns_from(plan, monthly)


#: A4's month step: dividends at their policy (no crisis cut: the mean path has no crisis).
MEAN_PATH_RULES = kernel.Overrides(
    crisis_dividend_cut=False, crisis_line_cut=False, record_monthly=True
)


def _ratio(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator, NaN (shown n/a) when the denominator is not positive."""
    if denominator <= 0:
        return np.nan
    with np.errstate(over="ignore"):
        value = np.float64(numerator) / np.float64(denominator)
    return float(value) if np.isfinite(value) else np.nan


def _by_year(monthly: np.ndarray) -> np.ndarray:
    """Sum of a (months, …) array over each 12-month block: (years, …)."""
    return monthly.reshape(-1, 12, *monthly.shape[1:]).sum(axis=1)


def _project(inputs: Inputs) -> dict[str, Any]:
    """The month step on the mean path, aggregated by year; per-holding paths."""
    s = inputs.settings
    h_years = s.horizon_years
    plan = kernel.compile_plan(inputs)
    log_returns = mean_path(plan, inputs)
    m = kernel.run(plan, log_returns, MEAN_PATH_RULES).monthly
    sched = schedule(inputs)

    # each holding's policy dividend on its units (its share of its bucket, pro rata)
    pp = policy_paths(inputs)
    hs = inputs.holdings
    bucket = plan.holding_bucket
    held = bucket >= 0
    fx0 = np.array([h.fx_rate for h in hs], dtype=float)
    quantity = np.array([h.quantity for h in hs], dtype=float)
    factor = np.array([h.net_dividend_factor(s.dividend_tax_rate) for h in hs], dtype=float)
    v0 = _per_holding_of(plan.value0[None, :], bucket)[0]
    units_share = np.where(held, quantity / np.where(v0 > 0, v0, 1.0), 0.0)  # per unit of U
    units = _per_holding_of(m.units[:, :, 0], bucket) * units_share[None, :]  # (months, n)
    year_of = np.arange(plan.months) // 12
    dps = pp.dps[:, 1 : h_years + 1][:, year_of].T  # (months, n): DPS of each month's year
    gross_monthly = units * dps * fx0[None, :] / 12.0
    gross_by = _by_year(gross_monthly).T  # (n, years)
    net_by = gross_by * factor[:, None]

    # year-end values per holding (pro rata within the bucket) and prices on the path
    value = _per_holding_of(m.value[:, :, 0], bucket)  # (months, n) bucket values
    share0 = np.where(held, inputs.market_values / np.where(v0 > 0, v0, 1.0), 0.0)
    year_end = np.arange(11, plan.months, 12)
    value_h = np.concatenate([inputs.market_values[None, :], value[year_end] * share0], axis=0).T
    growth = np.exp(np.cumsum(log_returns[:, :, 0], axis=0))  # (months, factors)
    price_index, fx_index = _class_and_fx_index(plan, inputs, growth, year_end)
    price0 = np.array([h.price for h in hs], dtype=float)
    price = price0[:, None] * price_index
    price_base = price * fx0[:, None] * fx_index
    shares = np.where(price_base > 0, value_h / np.where(price_base > 0, price_base, 1.0), 0.0)

    # the household by year
    expenses = _by_year(sched.expenses)
    income = _by_year(sched.income)
    dividends_net = _by_year(m.dividends[:, 0])
    interest = _by_year(m.interest[:, 0])
    line_rows = plan.line_index
    line_debt = m.debt[:, line_rows, 0].sum(axis=1) if len(line_rows) else np.zeros(plan.months)
    before = np.concatenate([[plan.balance0[line_rows].sum()], line_debt[:-1]])
    line_draws = _by_year(np.maximum(line_debt - before, 0.0))
    gross = gross_by.sum(axis=0)
    invest0 = float(plan.value0[plan.investable].sum())
    reinvested = _by_year(m.reinvested[:, 0])
    cost_basis = invest0 + np.concatenate([[0.0], np.cumsum(reinvested)[:-1]])
    cash = m.cash[year_end, 0]
    debt = m.debt[year_end, :, 0].sum(axis=1)
    portfolio = m.assets[year_end, 0] + cash
    out = {
        "year": np.arange(1, h_years + 1),
        "dividends_gross": gross,
        "tax": gross - dividends_net,
        "dividends_net": dividends_net,
        "expenses": expenses,
        "income": income,
        "interest": interest,
        "outgo": expenses + interest - income,
        "principal": _by_year(m.principal[:, 0]),
        "reinvested": reinvested,
        "line_draws": line_draws,
        "sales": _by_year(m.sales[:, 0]),
        "shortfall": _by_year(m.shortfall[:, 0]),
        "cash": cash,
        "debt": debt,
        "portfolio_value": portfolio,
        "net_worth": portfolio - debt,
    }
    out["coverage"] = np.array(
        [_ratio(n, o) for n, o in zip(dividends_net, out["outgo"], strict=True)]
    )
    out["covered"] = ((out["outgo"] <= 0) | (dividends_net >= out["outgo"])).astype(float)
    out["yield_on_cost"] = np.array(
        [_ratio(n, c) for n, c in zip(dividends_net, cost_basis, strict=True)]
    )
    return {
        "years": {key: out[key] for key in YEAR_KEYS if key in out},
        "shares": shares,
        "net_by": net_by,
        "dps": pp.dps,
        "bvps": np.where(pp.follows_book[:, None], pp.bvps, np.nan),  # only where it drives DPS
        "price": price,
        "price_base": price_base,
        "value": value_h,
        "factor": factor,
        "invest": ~inputs.is_cash_holding,
    }


def _per_holding_of(by_bucket: np.ndarray, bucket: np.ndarray) -> np.ndarray:
    """(rows, buckets) → (rows, holdings): each holding's bucket's column (0: no bucket)."""
    out = np.zeros((by_bucket.shape[0], len(bucket)))
    held = bucket >= 0
    out[:, held] = by_bucket[:, bucket[held]]
    return out


def _class_and_fx_index(plan, inputs, growth, year_end):
    """Per holding and year 0..H: its class's price index and its currency's FX index on
    the path (1 at year 0; 1 throughout for a class or currency that does not move)."""
    n = len(inputs.holdings)
    labels = plan.factor_labels
    price_index = np.ones((n, len(year_end) + 1))
    fx_index = np.ones((n, len(year_end) + 1))
    base = inputs.settings.base_currency
    for i, h in enumerate(inputs.holdings):
        if h.asset_class in labels:
            price_index[i, 1:] = growth[year_end, labels.index(h.asset_class)]
        fx_label = f"{FX_PREFIX}{h.currency}"
        if h.currency != base and fx_label in labels:
            fx_index[i, 1:] = growth[year_end, labels.index(fx_label)]
    return price_index, fx_index


def _by_holding(names: list[str], net_by: np.ndarray, years: pd.DataFrame) -> pd.DataFrame:
    """Net dividends per year of the top 8 holdings by total (ties: sheet order) + Others."""
    totals = net_by.sum(axis=1)
    payers = [i for i in np.argsort(-totals, kind="stable") if totals[i] > 0]
    top, rest = payers[:TOP_HOLDINGS], payers[TOP_HOLDINGS:]
    frame = years[["year", "calendar_year"]].copy()
    for i in top:
        frame[names[i]] = net_by[i]
    if rest:
        frame[OTHERS] = net_by[rest].sum(axis=0)
    return frame


def _per_holding(p: Mapping[str, Any], names: list[str], cal: np.ndarray) -> pd.DataFrame:
    """Long table per non-cash holding and year 0..H (0 = today): DPS, BVPS, shares, …

    DPS, BVPS and price in the holding's currency; value and net dividends in base.
    """
    idx = np.flatnonzero(p["invest"])
    n_t = p["shares"].shape[1]
    t = np.tile(np.arange(n_t), len(idx))
    net = np.concatenate([np.full((len(idx), 1), np.nan), p["net_by"][idx]], axis=1)
    frame = pd.DataFrame(
        {
            "holding": np.repeat(np.array(names, dtype=object)[idx], n_t),
            "year": t,
            "calendar_year": cal[np.maximum(0, 12 * (t - 1))].astype(int),
            "dps": p["dps"][idx].ravel(),
            "bvps": p["bvps"][idx].ravel(),
            "shares": p["shares"][idx].ravel(),
            "price": p["price"][idx].ravel(),
            "value": p["value"][idx].ravel(),
            "dividends_net": net.ravel(),
        }
    )
    for col in ("bvps", "dividends_net"):  # blank, not NaN: no book value / no year-0 payment
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _book_holding(inputs: Inputs) -> str | None:
    """The largest DOE holding by market value today; else the largest Payout holding."""
    for policy in ("DOE", "Payout"):
        found = [(h.market_value, -i, h.name) for i, h in enumerate(inputs.holdings)]
        found = [
            f for f, h in zip(found, inputs.holdings, strict=True) if h.dividend_policy == policy
        ]
        if found:
            return max(found)[2]
    return None


def analyse(inputs: Inputs, prior: Mapping[str, Any] | None = None, options=None) -> SnowballResult:
    """Project dividends, cash flows and reinvestment year by year over the horizon."""
    s = inputs.settings
    h_years = s.horizon_years
    p = _project(inputs)
    cal = calendar_years(inputs, 12 * h_years + 1)
    years = pd.DataFrame(p["years"])
    years["year"] = years["year"].astype(int)
    years["calendar_year"] = cal[0 : 12 * h_years : 12].astype(int)
    years["covered"] = years["covered"].astype(bool)
    years["coverage"] = years["coverage"].astype(object).where(years["coverage"].notna(), None)
    years["yield_on_cost"] = (
        years["yield_on_cost"].astype(object).where(years["yield_on_cost"].notna(), None)
    )

    names = [h.name for h in inputs.holdings]
    per_holding = _per_holding(p, names, cal)
    holdings = pd.DataFrame(
        {
            "name": names,
            "currency": [h.currency for h in inputs.holdings],
            "policy": [h.dividend_policy for h in inputs.holdings],
            "account": [h.account for h in inputs.holdings],
            "net_factor": p["factor"],
            "market_value": inputs.market_values,
            "total_net": p["net_by"].sum(axis=1),
            "is_cash": ~p["invest"],
        }
    )
    covered = np.flatnonzero(years["covered"].to_numpy())
    crossover = int(covered[0]) + 1 if covered.size else None
    costs = (years["expenses"] + years["interest"]).to_numpy()
    alone = np.flatnonzero(years["dividends_net"].to_numpy() >= costs)
    short = np.flatnonzero(years["shortfall"].to_numpy() > 1e-6)
    return SnowballResult(
        portfolio=s.portfolio_name,
        valuation_date=s.valuation_date,
        currency=s.base_currency,
        horizon_years=h_years,
        reinvest=s.reinvest_surplus,
        cash_buffer=float(cash_buffer(inputs)),
        years=years,
        by_holding=_by_holding(names, p["net_by"], years),
        per_holding=per_holding,
        holdings=holdings,
        crossover_year=crossover,
        crossover_calendar_year=(
            None if crossover is None else int(years["calendar_year"].iloc[crossover - 1])
        ),
        book_holding=_book_holding(inputs),
        first_shortfall_year=int(short[0]) + 1 if short.size else None,
        crossover_year_without_income=int(alone[0]) + 1 if alone.size else None,
    )


def to_json(result: SnowballResult) -> dict[str, Any]:
    """The SPEC §6 ``snowball`` block (plus tax, yield on cost, by holding, …)."""
    r = result
    years = [
        {key: (bool(v) if key == "covered" else v) for key, v in row.items()}
        for row in r.years.to_dict("records")
    ]
    by_holding = {
        str(col): r.by_holding[col].tolist()
        for col in r.by_holding.columns
        if col not in ("year", "calendar_year")
    }
    return jsonable(
        {
            "crossover_year": r.crossover_year,
            "crossover_calendar_year": r.crossover_calendar_year,
            "crossover_year_without_income": r.crossover_year_without_income,
            "reinvest_surplus": r.reinvest,
            "first_shortfall_year": r.first_shortfall_year,
            "years": years,
            "by_holding": by_holding,
        }
    )
