"""A4 Dividend snowball (SPEC §4 A4): how dividends grow year by year, and when they cover.

A deterministic annual projection, year t = 1..H = the t-th 12 months from the
valuation date (``calendar_year`` = the calendar year in which that block starts).

- Per share, per policy (``engine.model.dividends``, the module the Monte Carlo uses):
  DOE: DPS_t = DOE × BVPS_{t−1}, BVPS_t = BVPS_{t−1} × (1 + ROE − DOE); Payout p is
  DOE with DOE = p × ROE; Progressive DPS_t = DPS_{t−1} × (1 + g); Fixed DPS_0 × (1 + g)^t.
- Price: constant P/B for DOE and Payout (price_t = price_0 × BVPS_t ÷ BVPS_0), the
  class's expected return otherwise (price_0 × (1 + μ)^t). FX: rate_0 × (1 + e)^t.
  Year t's dividends and trades use year t's price and FX.
- Dividends of year t = DPS_t × shares held at the start of year t; net = gross ×
  ``Holding.net_dividend_factor`` ((1 − withholding) × (1 − tax) in Taxable accounts,
  (1 − withholding) in NISA); tax = gross − net.
- Cash flows: the monthly schedule (``engine.model.cashflows``) summed per 12-month block.
- Loans: interest_t = rate/12 × Σ_{m=0}^{11} balance_m, where Amortizing loans repay
  their monthly payment after each month's interest (never below 0) and other loans
  hold their balance; commitment fee = fee × undrawn limit at the start of the year.
  "Interest" below includes the fees.
- Cash (unpledged Cash-class rows, pooled in base currency at today's rate) earns
  nothing; pledged cash stays as it is. Year t's cash change =
  income + net dividends − expenses − interest − principal. A deficit is met from cash
  (down to 0), then unsecured lines (cheapest first, within limit; the draw accrues
  the line rate from the next year), then sales of unpledged holdings pro rata, then
  pledged ones (each pool sold pro rata with its loan repaid in proportion, as the
  month step does; sales at price_t less the selling cost). What is left is a
  shortfall (recorded; the projection assumes it is simply not spent).
  A surplus above the buffer (``cashflows.cash_buffer``) repays drawn lines, most
  expensive first, and — when Reinvest surplus is Yes — the rest buys the non-cash
  holdings pro rata to their value: new shares_i = amount × weight_i ÷ price_t,i.
- Coverage_t = net dividends ÷ outgo, outgo = expenses + interest − income; when outgo
  ≤ 0 coverage is None (n/a) and the year counts as covered. The crossover year is
  the first covered year (None: not within the horizon).
- Yield on cost_t = net dividends ÷ cost basis, the cost basis being today's market
  value of the non-cash holdings plus everything reinvested before year t.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from engine.jsonable import jsonable
from engine.model import Inputs
from engine.model.cashflows import calendar_years, cash_buffer, schedule
from engine.model.dividends import policy_paths

TOP_HOLDINGS = 8
OTHERS = "Others"
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
            return (
                "Net dividends do not cover expenses and interest within the "
                f"{self.horizon_years}-year horizon."
            )
        text = (
            "Net dividends first cover expenses and interest in year "
            f"{self.crossover_year} ({self.crossover_calendar_year})."
        )
        alone = self.crossover_year_without_income
        if alone != self.crossover_year:
            text += (
                f" Without income (salary, pension) they would in year {alone} "
                f"({self.calendar_year(alone)})."
                if alone is not None
                else " Without income (salary, pension) they would not within the horizon."
            )
        return text


def _price_and_fx(inputs: Inputs, follows_book: np.ndarray, book_index: np.ndarray):
    """Per holding and year 0..H: price index (× price_0) and FX index (× rate_0)."""
    h_years = inputs.settings.horizon_years
    t = np.arange(h_years + 1)
    n = len(inputs.holdings)
    price_index = np.ones((n, h_years + 1))
    fx_index = np.ones((n, h_years + 1))
    base = inputs.settings.base_currency
    for i, h in enumerate(inputs.holdings):
        cls = inputs.asset_class_by_name[h.asset_class]
        if follows_book[i]:
            price_index[i] = book_index[i]
        elif not cls.is_cash:
            price_index[i] = (1.0 + cls.expected_return) ** t
        fx = inputs.fx_by_currency.get(h.currency)
        if h.currency != base and fx is not None:
            fx_index[i] = (1.0 + fx.expected_change) ** t
    return price_index, fx_index


def _loan_year(balance: np.ndarray, rates: np.ndarray, payments: np.ndarray):
    """(interest, principal) over 12 months: interest on each month's opening balance."""
    months = np.arange(12)[:, None]
    opening = np.maximum(balance[None, :] - payments[None, :] * months, 0.0)
    interest = (opening * rates[None, :] / 12.0).sum(axis=0)
    principal = np.minimum(balance, 12.0 * payments)
    return interest, principal


def _ratio(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator, NaN (shown n/a) when the denominator is not positive."""
    if denominator <= 0:
        return np.nan
    with np.errstate(over="ignore"):
        value = np.float64(numerator) / np.float64(denominator)
    return float(value) if np.isfinite(value) else np.nan


def _project(inputs: Inputs) -> dict[str, Any]:
    """The year loop. Returns per-year arrays and per-holding (n, H+1) paths."""
    s = inputs.settings
    h_years, k = s.horizon_years, s.selling_cost
    sched = schedule(inputs)
    expenses = sched.expenses.reshape(h_years, 12).sum(axis=1)
    income = sched.income.reshape(h_years, 12).sum(axis=1)

    pp = policy_paths(inputs)
    price_index, fx_index = _price_and_fx(inputs, pp.follows_book, pp.book_index)
    hs = inputs.holdings
    price0 = np.array([h.price for h in hs], dtype=float)
    fx0 = np.array([h.fx_rate for h in hs], dtype=float)
    price = price0[:, None] * price_index  # holding currency
    price_base = price * fx0[:, None] * fx_index
    dps_base = pp.dps * fx0[:, None] * fx_index
    factor = np.array([h.net_dividend_factor(s.dividend_tax_rate) for h in hs], dtype=float)

    is_cash = inputs.is_cash_holding
    invest = ~is_cash
    unpledged = invest & inputs.unpledged_mask
    shares = np.where(invest, [h.quantity for h in hs], 0.0).astype(float)
    cash = float(inputs.market_values[is_cash & inputs.unpledged_mask].sum())
    pledged_cash = float(inputs.market_values[is_cash & ~inputs.unpledged_mask].sum())
    buffer = float(cash_buffer(inputs))

    loans = inputs.loans
    balance = np.array([loan.balance for loan in loans], dtype=float)
    rates = np.array([loan.interest_rate for loan in loans], dtype=float)
    limits = np.array([loan.limit for loan in loans], dtype=float)
    fees = np.array(
        [0.0 if loan.type == "Amortizing" else loan.commitment_fee for loan in loans], dtype=float
    )
    payments = np.array(
        [loan.monthly_payment if loan.type == "Amortizing" else 0.0 for loan in loans],
        dtype=float,
    )
    line_ids = [j for j, loan in enumerate(loans) if loan.is_line]
    draw_order = sorted(line_ids, key=lambda j: rates[j])
    repay_order = draw_order[::-1]
    pools = [(j, inputs.pledged_mask(loan.name) & invest) for j, loan in enumerate(loans)]
    pools = [(j, mask) for j, mask in pools if loans[j].is_secured and mask.any()]

    n = len(hs)
    out = {key: np.zeros(h_years) for key in YEAR_KEYS}
    shares_path = np.zeros((n, h_years + 1))
    shares_path[:, 0] = shares
    gross_by = np.zeros((n, h_years))
    net_by = np.zeros((n, h_years))
    cost_basis = float(inputs.market_values[invest].sum())

    for y in range(h_years):
        t = y + 1
        gross = shares * dps_base[:, t]
        net = gross * factor
        interest, principal = _loan_year(balance, rates, payments)
        interest = interest + fees * np.maximum(limits - balance, 0.0)
        balance = balance - principal
        cash += income[y] + net.sum() - expenses[y] - interest.sum() - principal.sum()
        draws = sales = shortfall = reinvested = 0.0
        pb = price_base[:, t]
        if cash < 0:
            need, cash = -cash, 0.0
            for j in draw_order:
                use = min(need, max(0.0, limits[j] - balance[j]))
                balance[j] += use
                draws += use
                need -= use
            if need > 0:
                value = float((shares * pb)[unpledged].sum())
                phi = min(1.0, need / (value * (1.0 - k))) if value > 0 else 0.0
                sales += phi * value
                shares = np.where(unpledged, shares * (1.0 - phi), shares)
                need -= phi * value * (1.0 - k)
            if need > 0 and pools:
                equity = np.array(
                    [max(0.0, (shares * pb)[m].sum() * (1.0 - k) - balance[j]) for j, m in pools]
                )
                total = float(equity.sum())
                phi = min(1.0, need / total) if total > 0 else 0.0
                for (j, mask), eq in zip(pools, equity, strict=True):
                    if eq > 0 and phi > 0:
                        sales += phi * float((shares * pb)[mask].sum())
                        shares = np.where(mask, shares * (1.0 - phi), shares)
                        balance[j] *= 1.0 - phi
                need -= phi * total
            shortfall = max(0.0, need)
        else:
            excess = max(0.0, cash - buffer)
            for j in repay_order:
                pay = min(excess, balance[j])
                balance[j] -= pay
                excess -= pay
                cash -= pay
            value = float((shares * pb)[invest].sum())
            if s.reinvest_surplus and excess > 0 and value > 0:
                # pro rata to value: new shares_i = excess × (v_i / V) / price_i
                shares = shares * (1.0 + excess / value)
                cash -= excess
                reinvested = excess
        net_total, outgo = net.sum(), expenses[y] + interest.sum() - income[y]
        portfolio = float((shares * pb)[invest].sum()) + cash + pledged_cash
        figures = {
            "year": t,
            "dividends_gross": gross.sum(),
            "tax": gross.sum() - net_total,
            "dividends_net": net_total,
            "expenses": expenses[y],
            "income": income[y],
            "interest": interest.sum(),
            "outgo": outgo,
            "coverage": _ratio(net_total, outgo),
            "covered": float(outgo <= 0 or net_total >= outgo),
            "yield_on_cost": _ratio(net_total, cost_basis),
            "principal": principal.sum(),
            "reinvested": reinvested,
            "line_draws": draws,
            "sales": sales,
            "shortfall": shortfall,
            "cash": cash,
            "debt": balance.sum(),
            "portfolio_value": portfolio,
            "net_worth": portfolio - balance.sum(),
        }
        for key, value in figures.items():
            out[key][y] = value
        cost_basis += reinvested
        shares_path[:, t] = shares
        gross_by[:, y], net_by[:, y] = gross, net
    return {
        "years": out,
        "shares": shares_path,
        "gross_by": gross_by,
        "net_by": net_by,
        "dps": pp.dps,
        "bvps": np.where(pp.follows_book[:, None], pp.bvps, np.nan),  # only where it drives DPS
        "price": price,
        "price_base": price_base,
        "factor": factor,
        "invest": invest,
    }


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
            "value": (p["shares"] * p["price_base"])[idx].ravel(),
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
