"""The household of SPEC revision 2 (issue "Model fidelity I"), worked by hand on
deterministic paths: prices never move (every σ = 0, μ = 0), no inflation, no selling
cost, no buffer, so every number below is plain arithmetic.

- Loan policy Keep keeps the month-0 borrowing; Repay repays it from surplus.
- Standby line use Crises only draws the unsecured line after secured headroom and
  unpledged sales; Any shortfall draws it first.
- Lender events: a call met from cash is a call, not a forced sale; a call met by
  selling is a sale under a call; a liquidation with Forced sale All sells every
  pledged unit and closes the facility.
- Lender monitoring Daily moves the call and liquidation LTVs by exp(−0.5826 σ_C/√12).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from engine.kernel import Overrides, compile_plan, log_returns_from, run
from engine.kernel.plan import BGK_BETA, daily_monitoring_factor
from engine.model import Cashflow
from engine.model.returns import factor_model, lognormal_params
from tests.factories import cash, equity, expense, line, make_inputs, secured_loan

MONTHLY = Overrides(record_monthly=True, crisis_dividend_cut=False)


def flat_run(holdings, loans, flows, months, moves=None, **settings):
    """One path whose prices never move (or move by ``moves``, gross monthly returns)."""
    settings.setdefault("expense_inflation", 0.0)
    settings.setdefault("selling_cost", 0.0)
    inputs = make_inputs(holdings=holdings, loans=loans, cashflows=flows, **settings)
    plan = compile_plan(inputs, months=months)
    gross = np.ones(months) if moves is None else np.asarray(moves, dtype=float)
    lr = log_returns_from(plan, {"Domestic equity": np.log(gross)}, months)
    return plan, run(plan, lr, MONTHLY)


def debt(plan, rec, name):
    return rec.monthly.debt[:, plan.debt_names.index(name), 0]


# --------------------------------------------------------------------------- the household
SPEND = 200_000.0
R_SECURED, R_LINE = 0.012, 0.036  # a year: 0.1% and 0.3% a month


def household(**settings):
    holdings = [equity("Pledged", value=60e6, pledged_to="SBL"), equity("Free", value=4e6),
                cash(1e6)]  # fmt: skip
    loans = [secured_loan(balance=10e6, limit=30e6, rate=R_SECURED, call=0.7, liq=0.85),
             line(limit=5e6, rate=R_LINE)]  # fmt: skip
    return flat_run(holdings, loans, [expense(SPEND)], months=480, reinvest_surplus=False,
                    **settings)  # fmt: skip


def expected_phases():
    """The household's months by hand (SPEND a month; interest on last month's balances).

    Month t pays SPEND + interest (secured 0.1% a month on its balance, the line 0.3%).
    Phase 1, cash: 1M covers months 0–3 (4 × 210,000 = 840,000); month 4 is 50,000 short.
    Phase 2, secured draws up to the limit (30M: below the freeze LTV 60% × 60M = 36M and
    the capacity 60% × 60M = 36M). Phase 3, the unpledged 4M sold. Phase 4, the line's
    5M. Phase 5, the pledged pool sold LTV-neutrally (φ of the pool and φ of the loan:
    equity E = N − L raises φE) — and each month the secured loan is drawn back up to
    min(limit, 60% × what is left of the pool) first — until net worth (the pool's equity
    less the line) is gone. Every month's step is written out below.
    """
    cash_left, secured, line_debt, free, pool = 1e6, 10e6, 0.0, 4e6, 60e6
    first = {}
    t = 0
    while True:
        need = SPEND + secured * R_SECURED / 12 + line_debt * R_LINE / 12
        take = min(cash_left, need)
        cash_left -= take
        need -= take
        if need > 1e-9:
            first.setdefault("secured", t)
            # ceiling: the limit, the capacity (advance 60% × pool), the freeze LTV × pool
            draw = min(max(min(30e6, 0.6 * pool) - secured, 0.0), need)
            secured += draw
            need -= draw
        if need > 1e-9:
            first.setdefault("unpledged", t)
            sell = min(free, need)
            free -= sell
            need -= sell
        if need > 1e-9:
            first.setdefault("line", t)
            draw = min(5e6 - line_debt, need)
            line_debt += draw
            need -= draw
        if need > 1e-9:
            first.setdefault("pledged", t)
            equity_left = pool - secured
            phi = min(1.0, need / equity_left)
            pool, secured = pool * (1 - phi), secured * (1 - phi)
            need -= phi * equity_left
        if need > 1e-9 or cash_left + free + pool - secured - line_debt <= 0:
            return first, t
        t += 1


def test_crises_only_uses_cash_then_secured_then_unpledged_then_the_line():
    plan, rec = household()
    first, failure = expected_phases()
    assert first["secured"] == 4  # 1M of cash lasts 4 months of 210,000
    sbl, ln = debt(plan, rec, "SBL"), debt(plan, rec, "Line")
    assert np.flatnonzero(sbl > 10e6)[0] == first["secured"]
    assert sbl[first["secured"]] == pytest.approx(10e6 + 5 * (SPEND + 10_000) - 1e6)
    sales = rec.monthly.sales[:, 0]
    assert np.flatnonzero(sales > 0)[0] == first["unpledged"]
    assert np.all(ln[: first["line"]] == 0) and ln[first["line"]] > 0
    assert first["secured"] < first["unpledged"] < first["line"] < first["pledged"]
    assert sbl[first["unpledged"]] == pytest.approx(30e6)  # secured headroom used up first
    assert rec.failure_month[0] == failure
    assert rec.line_drawn[0] and rec.lines_fully_drawn[0]
    assert not rec.margin_call[0] and not rec.forced_sale[0]  # prices never moved


def test_any_shortfall_draws_the_line_first():
    plan, rec = household(standby_line_use="Any shortfall")
    ln, sbl = debt(plan, rec, "Line"), debt(plan, rec, "SBL")
    # month 4, the first short month: 50,000 from the line, the secured loan untouched
    assert ln[4] == pytest.approx(5 * (SPEND + 10_000) - 1e6)
    assert sbl[4] == pytest.approx(10e6)
    # the secured loan is drawn only from the month the line is full
    assert np.flatnonzero(sbl > 10e6 + 1e-6)[0] == np.flatnonzero(ln >= 5e6 - 1e-6)[0]


# --------------------------------------------------------------------------- loan policy
def surplus_household(policy):
    salary = Cashflow("Salary", "Income", 500_000, "Monthly", inflation_linked=False)
    holdings = [equity("Pledged", value=60e6, pledged_to="SBL")]
    loans = [secured_loan(balance=10e6, limit=30e6, rate=0.012)]
    return flat_run(holdings, loans, [salary, expense(SPEND)], months=36, loan_policy=policy)


def test_keep_never_repays_the_month_0_balance():
    plan, rec = surplus_household("Keep")
    assert np.all(debt(plan, rec, "SBL") == 10e6)
    # the surplus (500,000 − 200,000 − 10,000 of interest) is invested every month
    assert rec.monthly.reinvested[:, 0] == pytest.approx(np.full(36, 290_000.0))


def test_repay_repays_exactly_the_surplus_each_month():
    plan, rec = surplus_household("Repay")
    expected, balance = [], 10e6
    for _ in range(36):
        surplus = 500_000 - SPEND - balance * 0.001  # interest on the opening balance
        balance -= min(surplus, balance)
        expected.append(balance)
    assert debt(plan, rec, "SBL") == pytest.approx(expected, abs=1e-6)
    # nothing is invested while the loan is being repaid; from the month after it is gone,
    # the whole 300,000 surplus
    invested = rec.monthly.reinvested[:, 0]
    repaid_at = int(np.flatnonzero(np.array(expected) == 0)[0])
    assert invested[:repaid_at] == pytest.approx(np.zeros(repaid_at), abs=1e-6)
    assert invested[repaid_at + 1 :] == pytest.approx(np.full(35 - repaid_at, 300_000.0))


# --------------------------------------------------------------------------- lender events
def test_liquidation_with_forced_sale_all_sells_everything_and_closes_the_facility():
    holdings = [equity("Pledged", value=100e6, pledged_to="SBL"), cash(5e6)]
    loans = [secured_loan(balance=50e6, limit=80e6, rate=0.0, freeze=0.6, call=None, liq=0.85)]
    # month 0 −45%: C = 55M, LTV 90.9% ≥ 85% → every pledged unit is sold, the 55M repay
    # the 50M loan and 5M go to cash; then prices recover but no draw is possible
    plan, rec = flat_run(holdings, loans, [expense(6e6)], months=3, moves=[0.55, 2.0, 1.0],
                         reinvest_surplus=False)  # fmt: skip
    assert rec.liquidation[0] and rec.forced_sale[0] and not rec.sale_under_call[0]
    assert rec.liquidation_amount[0] == pytest.approx(55e6)
    assert rec.monthly.assets[0, 0] == 0.0
    sbl = debt(plan, rec, "SBL")
    # month 0: 5M cash − 6M spending = −1M before the move; liquidation leaves 5M; the
    # shortfall step then sees cash 4M ≥ 0
    assert sbl[0] == 0.0 and rec.monthly.cash[0, 0] == pytest.approx(4e6)
    # month 1: 6M spending against 4M cash: the closed facility lends nothing; nothing
    # else to sell: the path fails although the loan's limit was 80M
    assert sbl[1] == 0.0
    assert rec.failure_month[0] == 1


def test_forced_sale_to_freeze_keeps_the_facility_open():
    holdings = [equity("Pledged", value=100e6, pledged_to="SBL")]
    loans = [secured_loan(balance=50e6, limit=80e6, rate=0.0, call=None, forced_sale="To freeze")]
    plan, rec = flat_run(holdings, loans, [expense(100_000)], months=3, moves=[0.55, 1.5, 1.0],
                         reinvest_surplus=False)  # fmt: skip
    sbl = debt(plan, rec, "SBL")
    assert rec.liquidation[0]
    assert rec.monthly.ltv_end[0, 0, 0] == pytest.approx(0.6)
    assert sbl[2] > sbl[1]  # after the recovery the facility lends again


# --------------------------------------------------------------------------- monitoring
def test_daily_monitoring_factor_is_the_bgk_correction():
    holdings = [equity("Pledged", value=100e6, pledged_to="SBL")]
    inputs = make_inputs(holdings, [secured_loan()])
    plan = compile_plan(inputs, months=12)
    model = factor_model(inputs, plan.factor_labels)
    _m, s = lognormal_params(0.05, 0.18)  # Domestic equity: the pool's only factor
    factor = daily_monitoring_factor(plan, model.loading)
    assert factor[0] == pytest.approx(math.exp(-0.5826 * s / math.sqrt(12)), abs=1e-12)
    assert BGK_BETA == 0.5826


def test_daily_monitoring_factor_uses_the_class_and_fx_covariance():
    usd = equity("US", value=60e6, cls="Foreign equity", pledged_to="SBL")
    usd = replace(usd, currency="USD", fx_rate=150.0, quantity=60e6 / 150.0 / 1000.0)
    jp = equity("JP", value=40e6, pledged_to="SBL")
    inputs = make_inputs([usd, jp], [secured_loan()])
    plan = compile_plan(inputs, months=12)
    model = factor_model(inputs, plan.factor_labels)
    cov = 12 * model.loading @ model.loading.T  # annual covariance of the log-returns
    w = {lab: 0.0 for lab in plan.factor_labels}
    w["Foreign equity"] += 0.6
    w["FX:USD"] += 0.6
    w["Domestic equity"] += 0.4
    e = np.array([w[lab] for lab in plan.factor_labels])
    sigma = math.sqrt(e @ cov @ e)
    factor = daily_monitoring_factor(plan, model.loading)
    assert factor[0] == pytest.approx(math.exp(-0.5826 * sigma * math.sqrt(1 / 12)), abs=1e-12)


def test_a_corrected_call_threshold_catches_a_breach_within_the_month():
    holdings = [equity("Pledged", value=100e6, pledged_to="SBL"), cash(20e6)]
    loans = [secured_loan(balance=50e6, rate=0.0)]
    inputs = make_inputs(holdings, loans, expense_inflation=0.0, selling_cost=0.0)
    plan = compile_plan(inputs, months=1)
    lr = log_returns_from(plan, {"Domestic equity": np.log([0.72])}, 1)  # LTV 69.4% < 70%
    month_end = run(plan, lr, MONTHLY)
    daily = run(replace(plan, threshold_factor=np.array([0.95])), lr, MONTHLY)  # call 66.5%
    assert not month_end.margin_call[0]
    assert daily.margin_call[0] and not daily.forced_sale[0]  # cured from cash
    # the cure still goes to the freeze LTV as written: 50 − 0.6 × 72 = 6.8M from cash
    assert daily.monthly.debt[0, 0, 0] == pytest.approx(50e6 - 6.8e6)


def test_month_end_monitoring_keeps_the_thresholds_as_written():
    from engine.kernel.state import Layout

    plan = compile_plan(make_inputs([equity(pledged_to="SBL")], [secured_loan()]), months=12)
    lay = Layout(plan)
    assert lay.trigger[:, 0] == pytest.approx(plan.trigger)
    assert lay.liquidation_ltv == pytest.approx(plan.liquidation)


# --------------------------------------------------------------------------- income covered
def test_income_covered_fails_in_a_year_that_needed_a_sale():
    fixed = equity("Div", value=12e6, dps=60.0, dividend_policy="Fixed")  # 720,000 gross a year
    # net dividends 720,000 × (1 − 20.315%) = 573,732 a year; spending 40,000 a month
    # (480,000 a year) is covered; a 200,000 Once expense in year 2 is not
    once = Cashflow("Roof", "Expense", 200_000, "Once", start_year=2027)
    plan, rec = flat_run([fixed, cash(1e6)], [], [expense(40_000), once], months=36)
    assert rec.failure_month[0] == -1
    assert not rec.income_covered[0]
    plan, rec = flat_run([fixed, cash(1e6)], [], [expense(40_000)], months=36)
    assert rec.income_covered[0]


def test_a_float_residual_is_not_a_draw_or_a_sale():
    """An earlier stage of the waterfall can leave a need of a fraction of a yen (float
    rounding of a sale net of its cost): that is not a line draw, a secured draw or a
    sale. Before, 305 of the 1,415 'line drawn' futures of the dividend household had
    drawn less than one yen. Two paths: 1e-12 of the tolerance short, and ¥1,000 short."""
    from engine.kernel import MonthStep
    from engine.kernel.rules import draw_lines, sell_unpledged
    from engine.kernel.state import Subset

    holdings = [equity("Pledged", value=60e6, pledged_to="SBL"), equity("Free", value=4e6),
                cash(1e6)]  # fmt: skip
    loans = [secured_loan(balance=10e6, limit=30e6), line(limit=5e6, rate=R_LINE)]
    inputs = make_inputs(holdings=holdings, loans=loans, cashflows=[expense(SPEND)])
    step = MonthStep(compile_plan(inputs, months=12), 2, Overrides())
    st, lay = step.st, step.layout
    need = np.array([st.tol * 1e-3, 1_000.0])
    sub = Subset(st, None, st.limit[lay.lines].copy())
    left = draw_lines(sub, need)
    sub.store()
    assert left.tolist() == [need[0], 0.0]  # the residual is handed back as it was
    assert st.line_drawn.tolist() == [False, True]
    assert st.line_consulted.tolist() == [False, True]
    line_debt = st.debt[lay.lines][0]
    assert line_debt.tolist() == [0.0, 1_000.0]
    sub = Subset(st, None, st.limit[lay.lines].copy())
    raised = sell_unpledged(sub, need)
    assert raised[0] == 0.0 and raised[1] == pytest.approx(1_000.0)
