"""The month step's orders of precedence (SPEC §3), each on a one-month toy path.

Complements test_kernel.py with cases where two plausible orders give different numbers,
so a test passes only for the order the SPEC states:

- surplus repays unsecured lines before secured loans even when the secured loan is
  dearer (Loan policy Keep; with Repay, the dearest debt first), and the dearest line
  first when there is not enough for all;
- a margin-call cure draws the cheapest line first, and uses cash above zero even when
  that eats into the buffer;
- a secured draw for liquidity stops at the facility limit, not only at the freeze LTV.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.kernel import Overrides, compile_plan, log_returns_from, run
from tests.factories import cash, equity, expense, line, make_inputs, secured_loan

K = 0.005  # selling cost (factory default)


def one_month(holdings, loans, flows=(), move=1.0, **settings):
    settings.setdefault("expense_inflation", 0.0)
    inputs = make_inputs(holdings=holdings, loans=loans, cashflows=flows, **settings)
    plan = compile_plan(inputs, months=1)
    lr = log_returns_from(plan, {"Domestic equity": np.log([move])}, 1)
    return plan, run(plan, lr, Overrides(record_monthly=True))


def debt(plan, rec, name):
    return rec.monthly.debt[0, plan.debt_names.index(name), 0]


def test_keep_repays_a_cheap_line_and_keeps_a_dear_secured_loan():
    holdings = [equity(value=100e6, pledged_to="SBL"), cash(1.5e6)]
    loans = [secured_loan(balance=10e6, rate=0.06), line(balance=1e6, limit=2e6, rate=0.02)]
    plan, rec = one_month(holdings, loans, reinvest_surplus=False)
    # interest: SBL 10M × 6%/12 = 50,000; line 1M × 2%/12 = 1,666.67
    surplus = 1.5e6 - 50_000 - 1e6 * 0.02 / 12
    # unsecured first (SPEC §3 step 6); Loan policy Keep: the month-0 secured balance stays
    assert debt(plan, rec, "Line") == 0.0
    assert debt(plan, rec, "SBL") == pytest.approx(10e6)
    assert rec.monthly.cash[0, 0] == pytest.approx(surplus - 1e6)


def test_repay_repays_the_dearest_debt_first():
    holdings = [equity(value=100e6, pledged_to="SBL"), cash(1.5e6)]
    loans = [secured_loan(balance=10e6, rate=0.06), line(balance=1e6, limit=2e6, rate=0.02)]
    plan, rec = one_month(holdings, loans, loan_policy="Repay")
    surplus = 1.5e6 - 50_000 - 1e6 * 0.02 / 12
    # Repay: every drawn debt, dearest first: the 6% secured loan takes it all
    assert debt(plan, rec, "SBL") == pytest.approx(10e6 - surplus)
    assert debt(plan, rec, "Line") == pytest.approx(1e6)
    assert rec.monthly.cash[0, 0] == pytest.approx(0.0, abs=1e-6)


def test_a_small_surplus_repays_only_the_dearest_line():
    holdings = [equity(value=10e6), cash(600_000)]
    loans = [line("Cheap", limit=2e6, balance=1e6, rate=0.03),
             line("Dear", limit=2e6, balance=1e6, rate=0.06)]  # fmt: skip
    plan, rec = one_month(holdings, loans)
    interest = 1e6 * 0.03 / 12 + 1e6 * 0.06 / 12  # 2,500 + 5,000
    assert debt(plan, rec, "Dear") == pytest.approx(1e6 - (600_000 - interest))  # 407,500
    assert debt(plan, rec, "Cheap") == pytest.approx(1e6)
    assert rec.monthly.assets[0, 0] == pytest.approx(10e6)  # nothing left to reinvest


def test_margin_call_cure_draws_the_cheapest_line_first():
    holdings = [equity(value=125e6, pledged_to="SBL")]
    loans = [secured_loan(rate=0.0), line("Dear", limit=10e6, rate=0.05),
             line("Cheap", limit=3e6, rate=0.02)]  # fmt: skip
    plan, rec = one_month(holdings, loans, move=0.55)
    # −45%: C = 68.75M, LTV 72.7% ≥ call 70%: cure 50 − 0.6 × 68.75 = 8.75M, no cash
    assert debt(plan, rec, "Cheap") == pytest.approx(3e6)
    assert debt(plan, rec, "Dear") == pytest.approx(5.75e6)
    assert debt(plan, rec, "SBL") == pytest.approx(41.25e6)
    assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.6)
    assert rec.monthly.sales[0, 0] == 0.0


def test_margin_call_cure_uses_cash_inside_the_buffer():
    # buffer = 6 × 100,000 = 600,000, but a cure takes "cash above zero" (SPEC §3 step 4)
    holdings = [equity(value=125e6, pledged_to="SBL"), cash(10.1e6)]
    loans = [secured_loan(rate=0.0), line(limit=1e6, rate=0.0)]
    plan, rec = one_month(
        holdings, loans, flows=[expense(100_000)], move=0.55, cash_buffer_months=6.0
    )
    # cash after the month's spending: 10.0M ≥ cure 8.75M, so no line and no sale;
    # the 1.25M left is above the 600,000 buffer: with Loan policy Keep the loan (now below
    # its month-0 balance) is not repaid further and the 650,000 is reinvested
    assert debt(plan, rec, "Line") == 0.0
    assert rec.monthly.sales[0, 0] == 0.0
    assert debt(plan, rec, "SBL") == pytest.approx(41.25e6)
    assert rec.monthly.cash[0, 0] == pytest.approx(600_000)
    assert rec.monthly.assets[0, 0] == pytest.approx(68.75e6 + 650_000)
    assert rec.margin_call[0] and not rec.forced_sale[0]  # met from cash: no forced sale


def test_secured_draw_for_spending_stops_at_the_limit():
    holdings = [equity(value=100e6, pledged_to="SBL"), equity("Free", value=10e6)]
    loans = [secured_loan(balance=50e6, limit=50.04e6, rate=0.0)]
    plan, rec = one_month(holdings, loans, flows=[expense(100_000)])
    # LTV 50% < freeze 60% (room to 60M), but the facility has only 40,000 undrawn:
    # the other 60,000 is raised by selling unpledged assets, 60,000 / (1 − k) gross
    assert debt(plan, rec, "SBL") == pytest.approx(50.04e6)
    assert rec.monthly.sales[0, 0] == pytest.approx(60_000 / (1 - K))
    assert rec.failure_month[0] == -1
