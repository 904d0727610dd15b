"""Scenario replay: the deterministic paths, hand-worked runs through the kernel, and the
zero scenario that changes nothing but the passage of time."""

from __future__ import annotations

import numpy as np
import pytest
from factories import USD, cash, equity, expense, line, make_inputs, secured_loan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from engine import kernel
from engine.analyses import replay
from engine.model import Cashflow, Holding, Scenario

M = 1e6


def test_level_path_declines_and_recovers_log_linearly():
    levels = np.exp(np.cumsum(replay.level_path(0.25, 2, 4, 8)))
    # down by √0.25 = 0.5 a month; up by 0.25^(−1/4) = √2 a month; then flat
    assert_allclose(levels, [0.5, 0.25, 0.25 * 2**0.5, 0.5, 0.5 * 2**0.5, 1.0, 1.0, 1.0])
    no_recovery = np.exp(np.cumsum(replay.level_path(0.5, 3, 0, 6)))
    assert_allclose(no_recovery[2:], 0.5)


def test_run_length():
    s = Scenario("x", 0.3, months_to_trough=17, months_to_recover=48)
    assert replay.run_length(s, 480) == 65  # 17 + 48
    s = Scenario("x", 0.8, months_to_trough=160, months_to_recover=0)
    assert replay.run_length(s, 480) == 172  # 160 + 12 at the trough
    assert replay.run_length(s, 120) == 120  # capped at the horizon


def test_factor_paths_apply_beta_cap_and_fx():
    inputs = make_inputs()
    s = Scenario("x", 0.9, months_to_trough=3, fx_change=-0.15, months_to_recover=0)
    paths = replay.factor_paths(inputs, s, 5)
    trough = {k: float(np.exp(v[:3].sum())) for k, v in paths.items()}
    assert trough["Domestic equity"] == pytest.approx(0.1)  # 1 − 0.9
    assert trough["REIT"] == pytest.approx(1e-4)  # 0.9 × 1.2 > 1: capped just below 100%
    assert trough["Bond"] == pytest.approx(1 - 0.09)  # beta 0.1
    assert trough["Cash"] == pytest.approx(1.0)
    assert trough["FX:USD"] == pytest.approx(0.85)


def test_margin_call_cured_from_the_line_by_hand():
    # ¥50M on ¥125M, a ¥20M line, no cash flows. A 50% fall in one month: C = 62.5,
    # LTV 80% ≥ call 70% ⇒ cure 50 − 0.6 × 62.5 = 12.5 drawn on the line; LTV back to 60%,
    # where it stays (frozen) for the 12 months at the trough.
    inputs = make_inputs(
        holdings=(equity("P", 125 * M, pledged_to="SBL"),),
        loans=(secured_loan(rate=0.0), line(limit=20 * M, rate=0.0)),
        scenario_rows=(),
    )
    run = replay.run_scenario(inputs, Scenario("Drop", 0.5, months_to_trough=1))
    out = replay.summarise(run, 0.005)
    assert out["months"] == 13
    assert out["max_ltv"] == pytest.approx(0.8)
    assert out["months_margin_call"] == 1
    assert out["months_frozen"] + out["months_safe"] == 12
    assert out["months_liquidation"] == 0 and not out["forced_sale"]
    assert_allclose(run.records.monthly.debt[0, :, 0], [37.5 * M, 12.5 * M])
    assert out["min_liquidity"] == pytest.approx(7.5 * M)  # 20 − 12.5 undrawn
    assert out["net_worth_trough"] == pytest.approx(62.5 * M - 50 * M)
    assert out["net_worth_end"] == pytest.approx(12.5 * M)
    assert out["survived"]


def test_forced_sale_and_the_loss_it_crystallises_by_hand():
    # ¥50M on ¥100M, no call stage, no cash, no selling cost. A 45% fall: C = 55, LTV 90.9%
    # ≥ 85% ⇒ sell φ = (50 − 0.6 × 55)/(55 − 0.6 × 55) = 17/22 of the pool = 42.5 (LTV back
    # to 7.5/12.5 = 60%). Prices recover to 100% next month: the 42.5 sold would be worth
    # 42.5/0.55 = 77.27, so the sale crystallised 77.27 − 42.5 = 34.77.
    inputs = make_inputs(
        holdings=(equity("P", 100 * M, pledged_to="SBL"),),
        # "To freeze" named: the model's default became "All" in SPEC revision 2.
        loans=(secured_loan(rate=0.0, call=None, forced_sale="To freeze"),),
        scenario_rows=(),
        selling_cost=0.0,
    )
    run = replay.run_scenario(inputs, Scenario("Crash", 0.45, 1, months_to_recover=1))
    out = replay.summarise(run, 0.0)
    assert out["forced_sale"] and not out["margin_call"]  # no call stage: a liquidation
    assert out["liquidation_amount"] == pytest.approx(42.5 * M)
    assert out["sale_under_call_amount"] == 0.0
    assert out["first_event_month"] == 1
    assert out["forced_sale_amount"] == pytest.approx(42.5 * M)
    assert out["forced_sale_loss"] == pytest.approx(42.5 * M / 0.55 - 42.5 * M)
    assert out["max_ltv"] == pytest.approx(50 / 55)
    assert (out["months_liquidation"], out["months_safe"]) == (1, 1)
    assert out["net_worth_trough"] == pytest.approx(12.5 * M - 7.5 * M)
    assert out["net_worth_end"] == pytest.approx(12.5 * M / 0.55 - 7.5 * M)
    paths = replay.monthly_paths(run)
    assert paths["zone"].tolist() == ["Safe", "Liquidation", "Safe"]
    assert paths["ltv"].iloc[0] == pytest.approx(0.5)


def test_forced_sale_all_sells_the_whole_pool_and_counts_the_loss():
    # the same crash with Forced sale All (the default): all 55 sold, 50 repay the loan,
    # 5 are left in cash; had they been held, the 55 would be worth 100 a month later:
    # the loss crystallised is 100 − 55 = 45
    inputs = make_inputs(
        holdings=(equity("P", 100 * M, pledged_to="SBL"),),
        loans=(secured_loan(rate=0.0, call=None),),
        scenario_rows=(),
        selling_cost=0.0,
        reinvest_surplus=False,
    )
    out = replay.summarise(
        replay.run_scenario(inputs, Scenario("Crash", 0.45, 1, months_to_recover=1)), 0.0
    )
    assert out["liquidation_amount"] == pytest.approx(55 * M)
    assert out["forced_sale_loss"] == pytest.approx(45 * M)
    assert out["net_worth_end"] == pytest.approx(5 * M)
    assert out["survived"]


def test_a_call_met_by_selling_is_a_sale_under_a_call():
    # ¥50M on ¥125M with a call at 70%: a 45% fall puts the LTV at 72.7%; the cure to 60%
    # (8.75M) exceeds the 3M cash, so 5.75M of unpledged stock is sold (selling cost 0)
    inputs = make_inputs(
        holdings=(equity("P", 125 * M, pledged_to="SBL"), equity("Free", 20 * M), cash(3 * M)),
        loans=(secured_loan(rate=0.0),),
        scenario_rows=(),
        selling_cost=0.0,
    )
    out = replay.summarise(
        replay.run_scenario(inputs, Scenario("Crash", 0.45, 1, months_to_recover=12)), 0.0
    )
    assert out["margin_call"] and out["forced_sale"]
    assert out["sale_under_call_amount"] == pytest.approx(5.75 * M)
    assert out["liquidation_amount"] == 0.0
    assert out["first_event_month"] == 1


def test_fx_moves_foreign_holdings():
    # $100k of a US fund at ¥150: 15M. Equity −20%, yen +15% (FX −15%): 15 × 0.8 × 0.85
    fund = Holding("US fund", "Foreign equity", 100.0, 1000.0, "USD", fx_rate=150.0)
    inputs = make_inputs(holdings=(fund,), fx=(USD,), scenario_rows=())
    s = Scenario("Yen up", 0.20, months_to_trough=2, fx_change=-0.15, months_to_recover=3)
    out = replay.summarise(replay.run_scenario(inputs, s), 0.005)
    assert out["net_worth_trough"] == pytest.approx(15 * M * 0.8 * 0.85)
    assert out["net_worth_end"] == pytest.approx(15 * M)


def test_rate_shock_dividend_cut_and_line_cut_reach_the_kernel():
    stock = equity("Stock", 10 * M, dps=30.0, dividend_policy="Fixed")
    steady = equity("Steady", 10 * M, dps=30.0, dividend_policy="Progressive")
    inputs = make_inputs(
        holdings=(equity("P", 125 * M, pledged_to="SBL"), stock, steady, cash(10 * M)),
        loans=(secured_loan(rate=0.01), line(limit=10 * M, rate=0.05)),
        scenario_rows=(),
        reinvest_surplus=False,
        loan_policy="Repay",
        standby_line_use="Any shortfall",  # later months' shortfalls draw on the line
    )
    s = Scenario("Rates", 0.0, 1, dividend_cut=0.5, rate_shock=0.02, line_limit_cut=0.4)
    run = replay.run_scenario(inputs, s)
    m = run.records.monthly
    # month 1 dividends: the Fixed one halved, the Progressive one never cut
    net = 10_000 * 30 * (1 - 0.20315) / 12
    assert m.dividends[0, 0] == pytest.approx(0.5 * net + net)
    # interest at 1% + 2%: cash 10M − 125k + dividends repays the loan (buffer 0)
    assert m.debt[0, 0, 0] == pytest.approx(50 * M - (10 * M - 125_000 + 1.5 * net))
    # the line is cut to 6M: month-end liquidity = cash 0 + 6M undrawn (later months draw
    # on it: interest exceeds the dividends)
    assert m.liquidity[0, 0] == pytest.approx(6 * M)
    assert replay.summarise(run, 0.005)["min_liquidity"] < 6 * M


household = dict(
    to_trough=st.integers(1, 18),
    to_recover=st.integers(0, 18),
    spending=st.floats(50_000, 600_000),
    balance=st.floats(0, 80e6),
    cash_amount=st.floats(0, 20e6),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**household)
def test_a_zero_scenario_changes_nothing_but_the_passage_of_time(
    to_trough, to_recover, spending, balance, cash_amount
):
    inputs = make_inputs(
        holdings=(
            equity("Pledged", 125 * M, pledged_to="SBL", dps=40.0, dividend_policy="Fixed"),
            equity("Free", 20 * M, cls="REIT", dps=50.0, dividend_policy="Progressive"),
            cash(cash_amount),
        ),
        loans=(secured_loan(balance=balance, limit=max(balance, 60 * M)), line(fee=0.002)),
        cashflows=(expense(spending), Cashflow("Salary", "Income", 300_000.0, "Monthly")),
        cash_buffer_months=3.0,
        scenario_rows=(),
    )
    s = Scenario("Nothing", 0.0, to_trough, months_to_recover=to_recover)
    run = replay.run_scenario(inputs, s)
    months = replay.run_length(s, inputs.settings.months)
    plan = kernel.compile_plan(inputs, months=months)
    zero = kernel.run(
        plan, np.zeros((months, len(plan.factor_labels), 1)), kernel.Overrides(record_monthly=True)
    )
    a, b = run.records.monthly, zero.monthly
    for field in ("net_worth", "cash", "liquidity", "assets", "debt", "ltv", "dividends"):
        assert_allclose(getattr(a, field), getattr(b, field), rtol=1e-12, atol=1e-3)
    assert_allclose(run.records.final_net_worth, zero.final_net_worth, rtol=1e-12)
    out = replay.summarise(run, inputs.settings.selling_cost)
    assert out["forced_sale_amount"] == 0.0


def test_replay_all_covers_every_scenario():
    inputs = make_inputs(
        holdings=(equity("P", 125 * M, pledged_to="SBL"), cash(10 * M)),
        loans=(secured_loan(), line()),
        cashflows=(expense(),),
    )
    summary, paths = replay.replay_all(inputs)
    assert summary["name"].tolist() == [s.name for s in inputs.scenarios]
    for row in summary.to_dict("records"):
        n = row["months"] if row["survived"] else row["failure_month"]
        assert (
            sum(row[f"months_{z}"] for z in ("safe", "frozen", "margin_call", "liquidation")) == n
        )
        assert len(paths[paths["scenario"] == row["name"]]) == row["months"] + 1
        assert row["max_ltv"] >= 0.4 - 1e-12  # never below today's LTV on the way down
    failed = summary[~summary["survived"]]
    assert len(failed) >= 1  # 80k a month with no income: the Japan bubble breaks it
    for row in failed.to_dict("records"):
        path = paths[paths["scenario"] == row["name"]].set_index("month")
        f = row["failure_month"]
        assert np.isfinite(path.loc[:f, "net_worth"]).all()
        assert path.loc[f + 1 :, "net_worth"].isna().all()
        assert (path.loc[f + 1 :, "zone"] == "Failed").all()
