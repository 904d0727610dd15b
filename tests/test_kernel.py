"""The month step (SPEC §3), rule by rule, on 1–3 month toy paths with hand arithmetic.

Tests of the mechanics that revision 1 also had name the household's choices they run
under (``REPAY_ANY``: Loan policy Repay, Standby line use Any shortfall); the defaults
of revision 2 (Keep, Crises only, Forced sale All) have their own tests in
``test_kernel_v2.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.kernel import Overrides, compile_plan, log_returns_from, run
from engine.model import Cashflow, Loan
from tests.factories import cash, equity, expense, line, make_inputs, secured_loan

K = 0.005  # selling cost (factory default)
REPAY_ANY = {"loan_policy": "Repay", "standby_line_use": "Any shortfall"}


def toy(holdings=(), loans=(), flows=(), months=3, moves=None, overrides=None, **settings):
    """Run one deterministic path: ``moves`` are monthly gross returns of Domestic equity."""
    settings.setdefault("expense_inflation", 0.0)
    inputs = make_inputs(holdings=holdings, loans=loans, cashflows=flows, **settings)
    plan = compile_plan(inputs, months=months)
    gross = np.ones(months) if moves is None else np.asarray(moves, dtype=float)
    lr = log_returns_from(plan, {"Domestic equity": np.log(gross)}, months)
    o = overrides or Overrides(record_monthly=True)
    return plan, run(plan, lr, o)


def debt(rec, plan, name, t):
    return rec.monthly.debt[t, plan.debt_names.index(name), 0]


def test_spending_from_sales_follows_the_closed_form():
    # no cash, no buffer, no loans, no dividends: W_{t+1} = W_t R_t − c/(1 − k)
    c = 50_000.0
    a = c / (1 - K)
    # a NISA holding: no capital-gains tax (with tax the divisor is 1 − k − τ·g)
    plan, rec = toy([equity(value=1e6, account="NISA")], flows=[expense(c)], moves=[1.1, 0.8, 0.05])
    w1 = 1e6 * 1.1 - a
    w2 = w1 * 0.8 - a
    assert rec.monthly.assets[0, 0] == pytest.approx(w1, abs=1e-6)
    assert rec.monthly.assets[1, 0] == pytest.approx(w2, abs=1e-6)
    assert w2 * 0.05 < a  # so the path fails in month 2 (0-based)
    assert rec.failure_month[0] == 2


def test_interest_fees_line_draws_and_surplus_repayment():
    holdings = [equity(value=100e6, pledged_to="SBL"), cash(2e6)]
    loans = [
        secured_loan(balance=10e6, limit=20e6, rate=0.024),
        line(limit=5e6, rate=0.05, fee=0.006),
    ]
    plan, rec = toy(holdings, loans, months=3, **REPAY_ANY)
    # month 0: interest 10M × 2.4%/12 = 20,000; fee 5M × 0.6%/12 = 2,500
    # cash 2,000,000 − 22,500 = 1,977,500 is all surplus (no buffer): it repays the SBL
    assert debt(rec, plan, "SBL", 0) == pytest.approx(10e6 - 1_977_500, abs=1e-6)
    assert rec.monthly.cash[0, 0] == pytest.approx(0.0, abs=1e-6)
    # month 1: interest 8,022,500 × 0.2% = 16,045 and fee 2,500 leave cash at −18,545:
    # the line is drawn (lines come before secured draws)
    assert debt(rec, plan, "Line", 1) == pytest.approx(18_545.0, abs=1e-6)
    # month 2: + SBL 16,045 + line 18,545 × 5%/12 + fee (5M − 18,545) × 0.05%
    extra = 16_045 + 18_545 * 0.05 / 12 + (5e6 - 18_545) * 0.006 / 12
    assert debt(rec, plan, "Line", 2) == pytest.approx(18_545 + extra, abs=1e-6)
    assert rec.passive_income_yearly.shape == (1, 0)  # 3 months: no full year yet


def test_lines_are_drawn_cheapest_first():
    loans = [line("Dear", limit=1e6, rate=0.05), line("Cheap", limit=60_000, rate=0.03)]
    plan, rec = toy([equity(value=1e6)], loans, flows=[expense(100_000)], months=1, **REPAY_ANY)
    assert debt(rec, plan, "Cheap", 0) == pytest.approx(60_000)
    assert debt(rec, plan, "Dear", 0) == pytest.approx(40_000)
    assert rec.monthly.sales[0, 0] == 0.0  # lines come before any sale
    assert rec.failure_month[0] == -1


def test_secured_draws_stop_at_the_freeze_ltv():
    holdings = [equity(value=100e6, pledged_to="SBL"), equity("Free", value=10e6)]
    loans = [secured_loan(balance=55e6, limit=80e6, rate=0.0)]
    plan, rec = toy(holdings, loans, flows=[expense(100_000)], months=2, moves=[1.0, 0.9])
    # month 0: LTV 55% < freeze 60%: the 100,000 is borrowed against the collateral
    assert debt(rec, plan, "SBL", 0) == pytest.approx(55.1e6)
    assert rec.monthly.sales[0, 0] == 0.0
    # month 1: −10% → LTV 55.1/90 = 61.2% ≥ freeze: the draw is refused, unpledged assets sold
    assert rec.monthly.ltv[1, 0, 0] == pytest.approx(55.1 / 90)
    assert debt(rec, plan, "SBL", 1) == pytest.approx(55.1e6)
    assert rec.monthly.sales[1, 0] == pytest.approx(100_000 / (1 - K))
    assert rec.monthly.zone[1, 0, 0] == 1  # Frozen


def test_margin_call_cure_order_cash_lines_unpledged():
    holdings = [equity(value=125e6, pledged_to="SBL"), equity("Free", value=10e6), cash(3e6)]
    loans = [secured_loan(rate=0.0), line(limit=4e6, rate=0.0)]
    plan, rec = toy(holdings, loans, months=1, moves=[0.55])
    # −45%: C = 68.75M, LTV = 50/68.75 = 72.7% ≥ call 70% → cure R = 50 − 0.6 × 68.75 = 8.75M
    assert rec.monthly.zone[0, 0, 0] == 2
    assert rec.margin_call[0] and not rec.liquidation[0]
    # the last 1.75M came from selling: a sale under a call, so a forced sale
    assert rec.sale_under_call[0] and rec.forced_sale[0]
    assert rec.sale_under_call_amount[0] == pytest.approx(1.75e6 / (1 - K))
    assert rec.monthly.cash[0, 0] == pytest.approx(0.0, abs=1e-6)  # 3M cash first
    assert debt(rec, plan, "Line", 0) == pytest.approx(4e6)  # then the whole line
    unpledged_left = 10e6 * 0.55 - 1.75e6 / (1 - K)  # then 1.75M net from unpledged sales
    assert rec.monthly.assets[0, 0] == pytest.approx(68.75e6 + unpledged_left, abs=1e-3)
    assert debt(rec, plan, "SBL", 0) == pytest.approx(41.25e6, abs=1e-3)
    assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.6)
    assert rec.lines_fully_drawn[0]


def test_margin_call_cure_falls_back_on_the_pledged_pool():
    holdings = [equity(value=125e6, pledged_to="SBL"), cash(1e6)]
    loans = [secured_loan(rate=0.0), line(limit=1e6, rate=0.0)]
    plan, rec = toy(holdings, loans, months=1, moves=[0.55])
    # after 1M cash + 1M line, L = 48M; sell φ of the pool: φ = (L − fC)/(N − fC)
    c, n, f = 68.75e6, 68.75e6 * (1 - K), 0.6
    phi = (48e6 - f * c) / (n - f * c)
    assert debt(rec, plan, "SBL", 0) == pytest.approx(48e6 - phi * n, rel=1e-12)
    assert rec.monthly.assets[0, 0] == pytest.approx(c * (1 - phi), rel=1e-12)
    assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.6)
    assert rec.sale_under_call[0] and not rec.liquidation[0] and rec.forced_sale[0]
    assert rec.sale_under_call_amount[0] == pytest.approx(phi * c, rel=1e-12)


@pytest.mark.parametrize("policy", ["To freeze", "All"])
def test_forced_sale_all_or_to_freeze(policy):
    holdings = [equity(value=125e6, pledged_to="SBL")]
    loans = [secured_loan(rate=0.0, forced_sale=policy)]
    plan, rec = toy(holdings, loans, months=1, moves=[0.45])
    # −55%: C = 56.25M, LTV 88.9% ≥ liquidation 85%
    c, n = 56.25e6, 56.25e6 * (1 - K)
    assert rec.monthly.zone[0, 0, 0] == 3 and rec.forced_sale[0]
    if policy == "All":
        phi = 1.0
        assert debt(rec, plan, "SBL", 0) == 0.0
        assert rec.monthly.cash[0, 0] == pytest.approx(n - 50e6)  # nothing left to buy
    else:
        phi = (50e6 - 0.6 * c) / (n - 0.6 * c)  # = 16.25 / 22.21875 = 0.73136…
        assert phi == pytest.approx(16.25 / 22.21875)
        assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.6)
    assert rec.liquidation[0] and rec.liquidation_amount[0] == pytest.approx(phi * c)
    assert rec.forced_sale_amount[0] == pytest.approx(phi * c)
    assert not rec.sale_under_call[0]


def test_surplus_repays_the_most_expensive_debt_first():
    holdings = [equity(value=100e6, pledged_to="SBL"), cash(2.5e6)]
    loans = [secured_loan(balance=10e6, limit=10e6, rate=0.01), line("A", 2e6, 1e6, 0.05),
             line("B", 2e6, 1e6, 0.03)]  # fmt: skip
    plan, rec = toy(holdings, loans, months=1, **REPAY_ANY)
    interest = 1e6 * 0.05 / 12 + 1e6 * 0.03 / 12 + 10e6 * 0.01 / 12  # = 15,000
    assert interest == pytest.approx(15_000)
    assert debt(rec, plan, "A", 0) == 0.0
    assert debt(rec, plan, "B", 0) == 0.0
    assert debt(rec, plan, "SBL", 0) == pytest.approx(10e6 - (2.5e6 - 15_000 - 2e6))


def test_failure_month_and_frozen_state():
    plan, rec = toy([cash(250_000)], flows=[expense(100_000)], months=5)
    # cash 150k, 50k, then −50k with nothing to draw or sell: failed in month 2
    assert rec.failure_month[0] == 2
    assert rec.monthly.net_worth[2:, 0] == pytest.approx([-50_000] * 3)
    assert rec.final_net_worth[0] == pytest.approx(-50_000)
    assert rec.min_liquidity[0] == pytest.approx(-50_000)


def test_net_worth_at_or_below_zero_is_failure():
    plan, rec = toy([equity(value=1e6)], [line(limit=2e6, balance=1.5e6, rate=0.0)], months=2)
    assert rec.failure_month[0] == 0


def test_dividends_net_of_tax_and_the_crisis_cut():
    fixed = equity("Fixed", value=1e6, dps=120.0, dividend_policy="Fixed")  # 1,000 shares
    prog = equity("Prog", value=1e6, dps=60.0, dividend_policy="Progressive", account="NISA")
    plan, rec = toy([fixed, prog], months=3, moves=[0.6, 1.0, 1.0], reinvest_surplus=False)
    tax = 0.20315
    net_fixed = 1000 * 120 / 12 * (1 - tax)  # 7,968.50 a month
    net_prog = 1000 * 60 / 12  # NISA: no tax
    m = rec.monthly.dividends[:, 0]
    assert m[0] == pytest.approx(net_fixed + net_prog)
    # −40% in month 0: the class is > 30% below its peak → both cut by the class's 20%
    # (revision 2: Progressive holdings take the crisis cut, only not the dividend beta)
    assert m[1] == pytest.approx((net_fixed + net_prog) * 0.8)
    assert m[2] == pytest.approx((net_fixed + net_prog) * 0.8)


def test_replay_dividend_factor_rate_shock_and_line_cut():
    holdings = [equity(value=1e6, dps=120.0, dividend_policy="Fixed"), cash(0)]
    loans = [line(limit=100_000, rate=0.06)]
    o = Overrides(
        dividend_factor=np.full(2, 0.5), rate_shock=0.06, line_limit_cut=0.5, record_monthly=True
    )
    plan, rec = toy(holdings, loans, flows=[expense(60_000)], months=2, overrides=o, **REPAY_ANY)
    # dividends halved; the line can lend only 50,000; the rest comes from a sale
    net = 1000 * 120 / 12 * (1 - 0.20315) * 0.5
    assert rec.monthly.dividends[0, 0] == pytest.approx(net)
    assert debt(rec, plan, "Line", 0) == pytest.approx(50_000)
    assert rec.monthly.sales[0, 0] == pytest.approx((60_000 - net - 50_000) / (1 - K))
    # month 1: interest at 6% + 6% shock on 50,000 = 500; dividends on the shares left
    sold = rec.monthly.sales[0, 0]
    net1 = net * (1 - sold / 1e6)
    assert rec.monthly.dividends[1, 0] == pytest.approx(net1)
    assert rec.monthly.sales[1, 0] == pytest.approx((60_000 - net1 + 500) / (1 - K))


def test_amortizing_loan_is_paid_monthly():
    mortgage = Loan("Home", "Amortizing", 1.2e6, 1.2e6, 0.012, monthly_payment=100_000)
    plan, rec = toy([cash(2e6)], [mortgage], months=2, cash_buffer_months=0.0)
    assert debt(rec, plan, "Home", 0) == pytest.approx(1.1e6)
    assert debt(rec, plan, "Home", 1) == pytest.approx(1.0e6)
    # interest 1.2M × 0.1% then 1.1M × 0.1%; amortizing loans are not prepaid from surplus
    # and with nothing to buy the surplus stays in cash
    assert rec.monthly.cash[1, 0] == pytest.approx(2e6 - 200_000 - 1_200 - 1_100)


def test_pledged_sales_for_liquidity_keep_the_ltv():
    holdings = [equity(value=100e6, pledged_to="SBL")]
    loans = [secured_loan(balance=65e6, limit=65e6, rate=0.0)]
    plan, rec = toy(holdings, loans, flows=[expense(100_000)], months=1)
    # LTV 65% ≥ freeze: no draw; nothing unpledged; sell φ of the pool, repay φ of the loan
    phi = 100_000 / (100e6 * (1 - K) - 65e6)
    assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.65)
    assert debt(rec, plan, "SBL", 0) == pytest.approx(65e6 * (1 - phi))
    assert rec.monthly.cash[0, 0] == pytest.approx(0.0, abs=1e-6)


def test_unlevered_plan_repays_secured_loans_from_their_collateral_and_keeps_the_line():
    holdings = [equity(value=125e6, pledged_to="SBL"), equity("Free", value=25e6), cash(10e6)]
    inputs = make_inputs(holdings, [secured_loan(), line()])
    plan = compile_plan(inputs, unlevered=True)
    # the 50M loan is repaid by selling φ of the 125M pool net of the selling cost:
    # φ × 125M × (1 − k) = 50M → φ = 0.40201…; the unpledged 25M and the cash stay
    phi = 50e6 / (125e6 * (1 - K))
    assert plan.debt_names == ("Line",)  # the standby line is kept
    assert len(plan.secured_index) == 0 and np.all(plan.pool == -1)
    assert plan.value0.sum() == pytest.approx(125e6 * (1 - phi) + 25e6)
    assert plan.cash0 == pytest.approx(10e6)
    assert plan.net_worth0 == pytest.approx(160e6 - 50e6 - phi * 125e6 * K)


def test_unlevered_plan_covers_a_short_pool_from_cash_then_unpledged_sales():
    holdings = [equity(value=50e6, pledged_to="SBL"), equity("Free", value=10e6), cash(1e6)]
    inputs = make_inputs(holdings, [secured_loan(balance=52e6, freeze=0.9, call=0.95, liq=0.99)])
    plan = compile_plan(inputs, unlevered=True)
    # the pool raises 50M × (1 − k) = 49.75M; 2.25M is left: 1M from cash, then 1.25M
    # net from the unpledged 10M (1.25M / (1 − k) gross)
    assert plan.cash0 == pytest.approx(0.0, abs=1e-6)
    assert plan.value0.sum() == pytest.approx(10e6 - 1.25e6 / (1 - K))


def test_income_and_once_expenses():
    pay = Cashflow("Salary", "Income", 300_000, "Monthly", inflation_linked=False)
    car = Cashflow("Car", "Expense", 1e6, "Once", start_year=2026)
    plan, rec = toy([cash(2e6)], flows=[pay, car], months=2, reinvest_surplus=False)
    assert rec.monthly.cash[0, 0] == pytest.approx(2e6 + 300_000 - 1e6)
    assert rec.monthly.cash[1, 0] == pytest.approx(2e6 + 600_000 - 1e6)


def test_zones_and_max_ltv_records():
    holdings = [equity(value=100e6, pledged_to="SBL"), cash(50e6)]
    loans = [secured_loan(balance=50e6, rate=0.0)]
    plan, rec = toy(
        holdings, loans, months=3, moves=[0.8, 1.0, 1.0], cash_buffer_months=0.0, **REPAY_ANY
    )
    # month 0: C 80M, L 50M → 62.5% Frozen; the 50M cash surplus then repays the loan
    assert rec.monthly.zone[0, 0, 0] == 1
    assert rec.max_ltv[0, 0] == pytest.approx(0.625)
    assert rec.monthly.zone[1, 0, 0] == 0
    assert math.isclose(rec.monthly.ltv[1, 0, 0], 0.0, abs_tol=1e-12)


def test_crisis_line_cut_applies_while_a_class_is_in_crisis():
    loans = [line(limit=100_000, rate=0.0, cut=0.5)]
    o = Overrides(crisis_line_cut=True, record_monthly=True)
    plan, rec = toy(
        [equity(value=1e6)], loans, [expense(80_000)], moves=[0.6, 1, 1], overrides=o, **REPAY_ANY
    )
    # month 0: no crisis yet, the line lends the 80,000
    assert debt(rec, plan, "Line", 0) == pytest.approx(80_000)
    assert rec.monthly.sales[0, 0] == 0.0
    # month 1: the class is 40% below its peak: the limit is cut to 50,000 (< 80,000 drawn),
    # so nothing more is lent and the spending is met by a sale
    assert debt(rec, plan, "Line", 1) == pytest.approx(80_000)
    assert rec.monthly.sales[1, 0] == pytest.approx(80_000 / (1 - K))
    assert rec.monthly.liquidity[1, 0] == pytest.approx(0.0)
