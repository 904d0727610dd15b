"""Small builders for hand-made Inputs in unit tests (no workbook needed)."""

from __future__ import annotations

from datetime import date

from engine.model import (
    AssetClass,
    Cashflow,
    Correlations,
    FxRate,
    Holding,
    Inputs,
    Loan,
    Scenario,
    Settings,
)
from engine.schema import DEFAULT_ASSET_CLASSES, DEFAULT_SCENARIOS, default_correlation

VALUATION = date(2026, 1, 1)
USD = FxRate("USD", 150.0)


def asset_classes() -> tuple[AssetClass, ...]:
    return tuple(
        AssetClass(
            r["Asset class"],
            r["Expected return"],
            r["Volatility"],
            r["Stress beta"],
            r["Crisis dividend cut"],
            r["Advance rate"],
        )
        for r in DEFAULT_ASSET_CLASSES
    )


def correlations(classes=None, fx=("USD",)) -> Correlations:
    labels = tuple(c.name for c in (classes or asset_classes())) + tuple(f"FX:{c}" for c in fx)
    return Correlations(
        labels, tuple(tuple(default_correlation(a, b) for b in labels) for a in labels)
    )


def scenarios() -> tuple[Scenario, ...]:
    return tuple(
        Scenario(
            r["Name"],
            r["Equity drawdown"],
            r["Months to trough"],
            r["FX change"],
            r["Dividend cut"],
            r["Rate shock"],
            r["Line limit cut"],
            r["Months to recover"],
        )
        for r in DEFAULT_SCENARIOS
    )


def settings(**kw) -> Settings:
    base = dict(
        portfolio_name="Test",
        valuation_date=VALUATION,
        current_age=45,
        horizon_years=40,
        fire_age=45,
        cash_buffer_months=0.0,
        mc_paths=1000,
    )
    base.update(kw)
    return Settings(**base)


def equity(name="Equity", value=125e6, cls="Domestic equity", pledged_to=None, **kw) -> Holding:
    return Holding(
        name=name,
        asset_class=cls,
        quantity=value / 1000.0,
        price=1000.0,
        currency="JPY",
        pledged_to=pledged_to,
        **kw,
    )


def cash(amount: float, name="Cash") -> Holding:
    return Holding(name=name, asset_class="Cash", quantity=amount, price=1.0, currency="JPY")


def secured_loan(
    name="SBL", balance=50e6, limit=None, freeze=0.60, call=0.70, liq=0.85, rate=0.01, **kw
) -> Loan:
    return Loan(
        name=name,
        type="Securities-backed",
        balance=balance,
        limit=balance if limit is None else limit,
        interest_rate=rate,
        freeze_ltv=freeze,
        margin_call_ltv=call,
        liquidation_ltv=liq,
        **kw,
    )


def line(name="Line", limit=8e6, balance=0.0, rate=0.05, fee=0.0, cut=0.0) -> Loan:
    return Loan(
        name=name,
        type="Unsecured line",
        balance=balance,
        limit=limit,
        interest_rate=rate,
        commitment_fee=fee,
        crisis_limit_cut=cut,
    )


def expense(amount=80_000.0, name="Living", **kw) -> Cashflow:
    kw.setdefault("inflation_linked", True)
    return Cashflow(name=name, type="Expense", amount=amount, frequency="Monthly", **kw)


def make_inputs(
    holdings=(),
    loans=(),
    cashflows=(),
    fx=(USD,),
    scenario_rows=None,
    **settings_kw,
) -> Inputs:
    return Inputs(
        settings=settings(**settings_kw),
        holdings=tuple(holdings),
        asset_classes=asset_classes(),
        fx=tuple(fx),
        correlations=correlations(fx=tuple(f.currency for f in fx)),
        loans=tuple(loans),
        cashflows=tuple(cashflows),
        scenarios=scenarios() if scenario_rows is None else tuple(scenario_rows),
        source_name="test.xlsx",
    )
