"""A1 Balance sheet (SPEC §4 A1): what you own and owe, including the hidden liability.

Figures, all in base currency at the valuation date:

- Assets by holding, class, currency and account: market value, weight, gross and net
  annual dividend (DPS × quantity × FX; net of withholding and, in Taxable accounts,
  dividend tax), yield = dividend ÷ market value.
- Loans drawn; the undrawn standby capacity beside them (unsecured limits − balances,
  plus secured headroom below freeze, limit and capacity) — not a liability.
- Hidden liability: PV(expenses) − PV(income) over the horizon, each month m discounted
  by (1 + discount rate)^(−m/12) (``engine.model.cashflows.present_value``).
- Net worth = assets − loans; funded ratio = net worth ÷ PV(net future expenses),
  None when that PV ≤ 0 (income covers the future). Where the ratio would mislead it
  reads in words (``funded_words``): "Income covers costs", or "Income covers 96% of
  costs" when future income covers most of the costs and net worth the small rest.
- Per secured loan (``engine.model.exposure``): collateral C, capacity Σ C × advance rate,
  available to draw, LTV = L ÷ C, the uniform drawdown d_t reaching each threshold t
  (C(d_t) = L ÷ t) and the cure back to freeze there, L − f · C(d_t) = L(1 − f/t).
- Run-rate income statement per year: dividends, interest, commitment fees, expenses
  (12 × month-0 recurring), income (12 × month-0), net.
- Spread = net dividend yield on assets − balance-weighted borrowing rate.
- Monthly net burn = month-0 expenses + interest/12 + fees/12 − month-0 income
  (dividends excluded: they can be cut). Runway = (cash above buffer + undrawn
  unsecured limits) ÷ burn, and again adding secured headroom; burn ≤ 0 ⇒ unlimited
  (None).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from engine.analyses.traffic_lights import FUNDED_GREEN
from engine.i18n import T
from engine.jsonable import jsonable
from engine.model import Inputs, cashflows
from engine.model.cashflows import present_value, schedule
from engine.model.exposure import Exposure

THRESHOLDS = (("freeze", "freeze"), ("call", "call"), ("liquidation", "liquidation"))


@dataclass(frozen=True)
class BalanceSheetResult:
    portfolio: str
    valuation_date: date
    currency: str
    holdings: pd.DataFrame  # per holding: market value, weight, dividends, yields
    by_class: pd.DataFrame  # group, market_value, weight, dividend_gross, dividend_net, yield_net
    by_currency: pd.DataFrame
    by_account: pd.DataFrame
    loans: pd.DataFrame  # per loan (all types); collateral figures blank for unsecured
    ltv_zones: pd.DataFrame  # per secured loan: ltv and the zone bands (chart of LTV vs thresholds)
    picture: pd.DataFrame  # side, item, amount: the balance-sheet chart's stacks
    total_assets: float
    cash: float
    cash_buffer: float
    cash_above_buffer: float
    total_loans: float
    net_worth: float
    undrawn_lines: float
    secured_headroom: float
    standby_capacity: float
    pv_future_expenses: float
    pv_future_income: float
    pv_future_net_expenses: float
    economic_net_worth: float  # net worth − PV(net future expenses)
    funded_ratio: float | None
    dividends_gross: float
    dividends_net: float
    interest: float
    commitment_fees: float
    expenses: float
    income: float
    net_income: float
    net_dividend_yield: float | None
    borrowing_rate: float | None
    spread: float | None
    monthly_net_burn: float
    unrealised_gains: float  # market value − cost basis, every position
    tax_on_full_sale: float  # capital-gains tax if every Taxable position were sold today
    runway_months: float | None  # None = unlimited
    runway_months_with_secured: float | None

    @property
    def funded_words(self) -> str | None:
        """The funded ratio in words where the number would mislead (``funded_words``)."""
        return funded_words(
            self.funded_ratio,
            self.pv_future_net_expenses,
            self.pv_future_expenses,
            self.pv_future_income,
        )


#: From this share of future costs covered by future income (PV), a funded ratio that is
#: green reads in words: it divides net worth by the small rest of the costs, so it is a
#: large number (50×) that says less than the share does.
INCOME_COVERS_WORDS_FROM = 0.9


def income_share(pv_expenses: float | None, pv_income: float | None) -> float | None:
    """PV of future income ÷ PV of future expenses (None without future expenses)."""
    if pv_expenses is None or pv_income is None or not pv_expenses > 0:
        return None
    return pv_income / pv_expenses


def funded_words(
    funded_ratio: float | None,
    pv_net_expenses: float | None,
    pv_expenses: float | None = None,
    pv_income: float | None = None,
) -> str | None:
    """The funded ratio in words, or None when its number is the clearer answer.

    - Future income covers every future cost (PV of net expenses ≤ 0, no ratio):
      ``Income covers costs``.
    - Future income covers at least ``INCOME_COVERS_WORDS_FROM`` (90%) of the costs and
      net worth covers the rest with a green ratio (≥ 1.2): ``Income covers 96% of
      costs`` — the share rounded down, so never 100% while some cost is uncovered.
    - Otherwise None: the ratio (say 0.54× or 3.10×) is shown.

    >>> funded_words(None, -1e6), funded_words(50.26, 1.69e6, 45.6e6, 43.9e6)
    ('Income covers costs', 'Income covers 96% of costs')
    >>> funded_words(0.54, 158.4e6, 158.4e6, 0.0) is None
    True
    """
    if funded_ratio is None:
        covered = pv_net_expenses is not None and pv_net_expenses <= 0
        return T("bs.income_covers_costs") if covered else None
    share = income_share(pv_expenses, pv_income)
    if share is None or share < INCOME_COVERS_WORDS_FROM or funded_ratio < FUNDED_GREEN:
        return None
    return T("bs.income_covers_floor_of_costs", floor=math.floor(100 * share))


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


def _group(holdings: pd.DataFrame, key: str, total: float) -> pd.DataFrame:
    g = holdings.groupby(key, sort=False)[["market_value", "dividend_gross", "dividend_net"]].sum()
    g = g.reset_index().rename(columns={key: "group"})
    g["weight"] = g["market_value"] / total if total > 0 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        g["yield_net"] = np.where(
            g["market_value"] > 0, g["dividend_net"] / g["market_value"], np.nan
        )
    return g[["group", "market_value", "weight", "dividend_gross", "dividend_net", "yield_net"]]


def holdings_table(inputs: Inputs) -> pd.DataFrame:
    """Per holding: market value (base), weight, gross/net annual dividend and yields, the
    unrealised gain (market value − cost basis) and the capital-gains tax a sale of the
    whole position would pay today (Taxable positions; none in NISA or on cash)."""
    tax = inputs.settings.dividend_tax_rate
    cgt = inputs.settings.capital_gains_tax_rate
    mv = inputs.market_values
    total = float(mv.sum())
    rows = []
    for h, value, is_cash in zip(inputs.holdings, mv, inputs.is_cash_holding, strict=True):
        gross = h.gross_dividend_base
        net = gross * h.net_dividend_factor(tax)
        gain = 0.0 if is_cash else float(value) - h.cost_value_base
        rows.append(
            {
                "name": h.name,
                "asset_class": h.asset_class,
                "currency": h.currency,
                "account": h.account,
                "pledged_to": h.pledged_to or "",
                "market_value": float(value),
                "weight": float(value) / total if total > 0 else np.nan,
                "dividend_gross": gross,
                "dividend_net": net,
                "yield_gross": gross / value if value > 0 else np.nan,
                "yield_net": net / value if value > 0 else np.nan,
                "unrealised_gain": gain,
                "tax_on_sale": 0.0 if h.is_nisa else cgt * max(gain, 0.0),
            }
        )
    columns = ["name", "asset_class", "currency", "account", "pledged_to", "market_value"]
    columns += ["weight", "dividend_gross", "dividend_net", "yield_gross", "yield_net"]
    columns += ["unrealised_gain", "tax_on_sale"]
    return pd.DataFrame(rows, columns=columns)


def _cure_at(exposure: Exposure, i: int, level: float, d: float) -> float:
    """L − f·C at the drawdown reaching ``level``: C = L ÷ level there, unless already past."""
    balance, freeze = exposure.balances[i], exposure.freeze[i]
    collateral = float(exposure.collateral(0.0)[i]) if d <= 0 else balance / level
    return max(0.0, balance - freeze * collateral)


def breaking_points(exposure: Exposure) -> pd.DataFrame:
    """Per secured loan: LTV, thresholds, the drawdown reaching each, and the cure there.

    d_t solves L ÷ C(d_t) = t (``Exposure.drawdown_to_ltv``; None = never reached, e.g.
    collateral of beta 0). The cure at d_t is L − f·C(d_t), repaying back to freeze f.
    """
    rows = []
    ltv0 = exposure.ltv(0.0)
    for i, name in enumerate(exposure.loan_names):
        row: dict[str, Any] = {"loan": name, "ltv": float(ltv0[i])}
        for key, _ in THRESHOLDS:
            level = float(getattr(exposure, key)[i])
            row[f"{key}_ltv"] = level
            d = None if np.isnan(level) else exposure.drawdown_to_ltv(i, level)
            row[f"drawdown_to_{key}"] = np.nan if d is None else d
            row[f"cure_at_{key}"] = np.nan if d is None else _cure_at(exposure, i, level, d)
        rows.append(row)
    columns = ["loan", "ltv"]
    for key, _ in THRESHOLDS:
        columns += [f"{key}_ltv", f"drawdown_to_{key}", f"cure_at_{key}"]
    return pd.DataFrame(rows, columns=columns)


def loans_table(inputs: Inputs, exposure: Exposure) -> pd.DataFrame:
    """Per loan: drawn, limit, cost, and for secured loans collateral, LTV and breaking points."""
    points = breaking_points(exposure).set_index("loan")
    collateral = exposure.collateral(0.0)
    capacity = exposure.capacity(0.0)
    headroom = exposure.secured_headroom(0.0)
    index = {name: i for i, name in enumerate(exposure.loan_names)}
    rows = []
    for loan in inputs.loans:
        row: dict[str, Any] = {
            "name": loan.name,
            "type": loan.type,
            "balance": loan.balance,
            "limit": loan.limit,
            "interest_rate": loan.interest_rate,
            "rate_type": loan.rate_type,
            "annual_interest": loan.annual_interest,
            "annual_commitment_fee": loan.annual_commitment_fee,
            "collateral_value": np.nan,
            "capacity": np.nan,
            "available_to_draw": loan.undrawn if loan.is_line else 0.0,
        }
        if loan.is_secured:
            i = index[loan.name]
            row.update(
                collateral_value=float(collateral[i]),
                capacity=float(capacity[i]),
                available_to_draw=float(headroom[i]),
                **points.loc[loan.name].to_dict(),
            )
        rows.append(row)
    base = ["name", "type", "balance", "limit", "interest_rate", "rate_type", "annual_interest"]
    base += ["annual_commitment_fee", "collateral_value", "capacity", "available_to_draw"]
    frame = pd.DataFrame(rows, columns=base + list(points.columns))
    text = ("name", "type", "rate_type")
    return frame.astype({c: float for c in frame.columns if c not in text})


def zone_bands(loans: pd.DataFrame) -> pd.DataFrame:
    """Per secured loan, the LTV zones as stacked bands: Safe [0, f), Frozen [f, call),
    Margin call [call, liq), Liquidation [liq, top) with top = max(100%, 1.1 × LTV).
    A loan without a call stage has an empty Margin call band."""
    secured = loans[loans["type"] == "Securities-backed"]
    rows = []
    for r in secured.to_dict("records"):
        f, liq = r["freeze_ltv"], r["liquidation_ltv"]
        call = liq if np.isnan(r["call_ltv"]) else r["call_ltv"]
        ltv = r["ltv"] if np.isfinite(r["ltv"]) else np.nan
        top = max(1.0, 1.1 * ltv) if np.isfinite(ltv) else 1.0
        rows.append(
            {
                "loan": r["name"],
                "ltv": ltv,
                "Safe": f,
                "Frozen": call - f,
                "Margin call": liq - call,
                "Liquidation": top - liq,
                "top": top,
            }
        )
    columns = ["loan", "ltv", "Safe", "Frozen", "Margin call", "Liquidation", "top"]
    return pd.DataFrame(rows, columns=columns)


def _picture(assets_by_class: pd.DataFrame, loans: float, pv_net: float, economic: float):
    """Stacks of the balance-sheet chart; both columns sum to the same height.

    Assets side: each class, plus PV of net future income when income outweighs costs, plus
    the funding gap when the economic net worth is negative. Claims side: loans, PV of net
    future expenses, and the economic net worth when positive.
    """
    rows = [
        ("Assets", str(g), float(v)) for g, v in assets_by_class[["group", "market_value"]].values
    ]
    if pv_net < 0:
        rows.append(("Assets", "bs.pv_of_net_future_income", -pv_net))
    if economic < 0:
        rows.append(("Assets", "bs.funding_gap", -economic))
    rows.append(("Claims", "bs.loans", loans))
    if pv_net > 0:
        rows.append(("Claims", "bs.pv_of_net_future_expenses", pv_net))
    if economic > 0:
        rows.append(("Claims", "bs.net_worth_after_future_costs", economic))
    return pd.DataFrame(rows, columns=["side", "item", "amount"])


def analyse(inputs: Inputs, prior: Mapping[str, Any] | None = None, options=None):
    """A1: the balance sheet at the valuation date (see the module docstring)."""
    s = inputs.settings
    exposure = Exposure.from_inputs(inputs)
    holdings = holdings_table(inputs)
    total_assets = inputs.total_assets
    total_loans = inputs.total_loans
    net_worth = total_assets - total_loans

    plan = schedule(inputs)
    pv_expenses = present_value(plan.expenses, s.discount_rate)
    pv_income = present_value(plan.income, s.discount_rate)
    pv_net = pv_expenses - pv_income
    funded = net_worth / pv_net if pv_net > 0 else None

    month0 = schedule(inputs, months=1)
    monthly_expenses = float(month0.recurring_expenses[0])
    monthly_income = float(month0.income[0])
    dividends_gross = float(holdings["dividend_gross"].sum())
    dividends_net = float(holdings["dividend_net"].sum())
    interest = float(sum(loan.annual_interest for loan in inputs.loans))
    fees = float(sum(loan.annual_commitment_fee for loan in inputs.loans))
    expenses, income = 12.0 * monthly_expenses, 12.0 * monthly_income
    net_income = dividends_net + income - expenses - interest - fees

    yield_net = _ratio(dividends_net, total_assets)
    borrowing_rate = _ratio(interest, total_loans)
    spread = None if yield_net is None or borrowing_rate is None else yield_net - borrowing_rate

    undrawn_lines = float(sum(loan.undrawn for loan in inputs.lines))
    headroom = float(exposure.secured_headroom(0.0).sum())
    burn = monthly_expenses + (interest + fees) / 12.0 - monthly_income
    orthogonal = cashflows.cash_above_buffer(inputs) + undrawn_lines
    runway = orthogonal / burn if burn > 0 else None
    runway_secured = (orthogonal + headroom) / burn if burn > 0 else None

    by_class = _group(holdings, "asset_class", total_assets)
    economic = net_worth - pv_net
    loans = loans_table(inputs, exposure)
    return BalanceSheetResult(
        portfolio=s.portfolio_name,
        valuation_date=s.valuation_date,
        currency=s.base_currency,
        holdings=holdings,
        by_class=by_class,
        by_currency=_group(holdings, "currency", total_assets),
        by_account=_group(holdings, "account", total_assets),
        loans=loans,
        ltv_zones=zone_bands(loans),
        picture=_picture(by_class, total_loans, pv_net, economic),
        total_assets=total_assets,
        cash=inputs.cash,
        cash_buffer=cashflows.cash_buffer(inputs),
        cash_above_buffer=cashflows.cash_above_buffer(inputs),
        total_loans=total_loans,
        net_worth=net_worth,
        undrawn_lines=undrawn_lines,
        secured_headroom=headroom,
        standby_capacity=undrawn_lines + headroom,
        pv_future_expenses=pv_expenses,
        pv_future_income=pv_income,
        pv_future_net_expenses=pv_net,
        economic_net_worth=economic,
        funded_ratio=funded,
        dividends_gross=dividends_gross,
        dividends_net=dividends_net,
        interest=interest,
        commitment_fees=fees,
        expenses=expenses,
        income=income,
        net_income=net_income,
        net_dividend_yield=yield_net,
        borrowing_rate=borrowing_rate,
        spread=spread,
        monthly_net_burn=burn,
        unrealised_gains=float(holdings["unrealised_gain"].sum()),
        tax_on_full_sale=float(holdings["tax_on_sale"].sum()),
        runway_months=runway,
        runway_months_with_secured=runway_secured,
    )


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [jsonable({c: row[c] for c in columns}) for row in frame.to_dict("records")]


def to_json(result: BalanceSheetResult) -> dict[str, Any]:
    """The SPEC §6 ``balance_sheet`` block (plus a few added keys)."""
    loan_keys = ["name", "type", "balance", "limit", "collateral_value", "capacity"]
    loan_keys += ["available_to_draw", "ltv", "freeze_ltv", "call_ltv", "liquidation_ltv"]
    loan_keys += ["drawdown_to_freeze", "drawdown_to_call", "drawdown_to_liquidation"]
    loan_keys += ["cure_at_freeze", "cure_at_call", "cure_at_liquidation", "interest_rate"]
    loan_keys += ["rate_type"]
    groups = ["group", "market_value", "weight", "dividend_gross", "dividend_net", "yield_net"]
    scalars = (
        "total_assets cash cash_buffer cash_above_buffer total_loans net_worth undrawn_lines "
        "secured_headroom standby_capacity pv_future_expenses pv_future_income "
        "pv_future_net_expenses economic_net_worth funded_ratio dividends_gross dividends_net "
        "interest commitment_fees expenses income net_income net_dividend_yield borrowing_rate "
        "spread monthly_net_burn runway_months runway_months_with_secured unrealised_gains "
        "tax_on_full_sale"
    ).split()
    out: dict[str, Any] = {key: jsonable(getattr(result, key)) for key in scalars}
    out["loans"] = _records(result.loans, loan_keys)
    out["by_class"] = _records(result.by_class, groups)
    out["by_currency"] = _records(result.by_currency, groups)
    out["by_account"] = _records(result.by_account, groups)
    return out
