"""A4 Dividend snowball: closed forms worked by hand, invariants, JSON, the sheet."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from factories import cash, equity, line, make_inputs, secured_loan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from engine.analyses import snowball
from engine.model import Cashflow, FxRate, Holding, Loan
from engine.report import snowball as sheet
from engine.report.common import Formats, ReportContext
from engine.report.summary import dumps

TAX = 0.20315


def run(*holdings, cashflows=(), loans=(), **settings_kw):
    settings_kw.setdefault("horizon_years", 10)
    settings_kw.setdefault("reinvest_surplus", False)
    settings_kw.setdefault("expense_inflation", 0.0)
    # sales here are the month step's (taxed there, tests/test_kernel_fidelity2.py); the
    # hand arithmetic below sells at the selling cost only
    settings_kw.setdefault("capital_gains_tax_rate", 0.0)
    inputs = make_inputs(holdings=holdings, cashflows=cashflows, loans=loans, **settings_kw)
    return snowball.analyse(inputs, {}, None)


def flat(name: str, amount: float, kind: str = "Expense", **kw) -> Cashflow:
    """A yearly amount, paid monthly, not inflation-linked (today's money = nominal)."""
    return Cashflow(name, kind, amount, "Annual", inflation_linked=False, **kw)


def doe_holding(name="DOE Co", shares=1000, price=1000.0, bvps=2000.0, doe=0.04, roe=0.10, **kw):
    """A DOE payer: 1000 shares at 1000, BVPS 2000, DOE 4%, ROE 10% unless told."""
    return Holding(name, "Domestic equity", shares, price, "JPY", dividend_policy="DOE",
                   bvps=bvps, doe=doe, roe=roe, **kw)  # fmt: skip


def column(result, key):
    return result.years[key].to_numpy(dtype=float)


def holding_path(result, name, key):
    rows = result.per_holding[result.per_holding["holding"] == name]
    return rows[key].to_numpy(dtype=float)


# --------------------------------------------------------------------- closed forms
def test_doe_dividend_closed_form_without_reinvestment():
    # DPS_t = DOE × BVPS_0 × (1 + ROE − DOE)^(t−1) = 0.04 × 2000 × 1.06^(t−1)
    r = run(doe_holding(account="NISA"))
    dps = holding_path(r, "DOE Co", "dps")[1:]
    assert_allclose(dps[:3], [80.0, 80.0 * 1.06, 80.0 * 1.06**2])  # 80, 84.8, 89.888
    assert_allclose(dps, 0.04 * 2000 * 1.06 ** np.arange(10))
    assert_allclose(column(r, "dividends_gross"), 1000 * dps)  # shares never change
    # BVPS_t = 2000 × 1.06^t; the price follows the class's expected return (Domestic
    # equity 5%), as on A5's median path: 1000 × 1.05^t
    assert_allclose(holding_path(r, "DOE Co", "bvps"), 2000 * 1.06 ** np.arange(11))
    assert_allclose(holding_path(r, "DOE Co", "price"), 1000 * 1.05 ** np.arange(11))


def test_payout_is_doe_with_doe_equal_payout_times_roe():
    # payout 40% of EPS = ROE × BV  ⇔  DOE = 0.4 × 0.10 = 4%
    payout = Holding(
        "Payout Co",
        "Domestic equity",
        1000,
        1000.0,
        "JPY",
        dividend_policy="Payout",
        bvps=2000.0,
        roe=0.10,
        payout_ratio=0.4,
    )
    a = run(payout)
    b = run(doe_holding("Payout Co", doe=0.4 * 0.10))
    # year 1 by hand: EPS = 0.10 × 2000 = 200, DPS = 80, BVPS_1 = 2000 + 200 − 80 = 2120
    assert holding_path(a, "Payout Co", "dps")[1] == pytest.approx(80.0)
    assert holding_path(a, "Payout Co", "bvps")[1] == pytest.approx(2120.0)
    for key in ("dps", "bvps", "price"):
        assert_allclose(holding_path(a, "Payout Co", key), holding_path(b, "Payout Co", key))
    assert_allclose(column(a, "dividends_net"), column(b, "dividends_net"))


def test_progressive_grows_at_exactly_g():
    h = equity(
        "Prog", 1e6, dps=100.0, dividend_policy="Progressive", dividend_growth=0.05, account="NISA"
    )
    r = run(h)
    dps = holding_path(r, "Prog", "dps")
    assert_allclose(dps[:4], [100.0, 105.0, 110.25, 115.7625])
    assert_allclose(dps[1:] / dps[:-1], 1.05)
    # price follows the class's expected return (Domestic equity 5%), not book value
    assert_allclose(holding_path(r, "Prog", "price"), 1000 * 1.05 ** np.arange(11))


def test_progressive_is_never_cut_even_with_a_negative_growth_but_fixed_is():
    prog = equity("Prog", 1e6, dps=100.0, dividend_policy="Progressive", dividend_growth=-0.1)
    fixed = equity("Fix", 1e6, dps=100.0, dividend_policy="Fixed", dividend_growth=-0.1)
    r = run(prog, fixed)
    assert_allclose(holding_path(r, "Prog", "dps")[:3], [100.0, 100.0, 100.0])  # held flat
    assert_allclose(holding_path(r, "Fix", "dps")[:3], [100.0, 90.0, 81.0])  # 100 × 0.9^t


@pytest.mark.parametrize(
    "account, withholding, net",
    [
        ("Taxable", 0.0, 100 * (1 - TAX)),  # 79.685
        ("NISA", 0.0, 100.0),
        ("Taxable", 0.10, 100 * 0.9 * (1 - TAX)),  # 71.7165
        ("NISA", 0.10, 90.0),
    ],
)
def test_tax_by_account_and_withholding(account, withholding, net):
    # one share paying a Fixed 100 a year
    h = equity(
        "Payer",
        1000.0,
        dps=100.0,
        dividend_policy="Fixed",
        account=account,
        withholding=withholding,
    )
    r = run(h, horizon_years=2)
    assert column(r, "dividends_gross")[0] == pytest.approx(100.0)
    assert column(r, "dividends_net")[0] == pytest.approx(net)
    assert column(r, "tax")[0] == pytest.approx(100.0 - net)


def test_foreign_dividends_at_expected_fx_change():
    # 10 shares of a USD Fixed payer (DPS 2, g 0) at 150 JPY, the dollar falling 2% a year
    h = Holding("US Co", "Foreign equity", 10, 100.0, "USD", fx_rate=150.0, dps=2.0,
                dividend_policy="Fixed", account="NISA")  # fmt: skip
    r = run(h, fx=(FxRate("USD", 150.0, expected_change=-0.02),), horizon_years=3)
    # month m pays DPS/12 at the dollar of month m: 150 × 0.98^(m/12) yen (the month step
    # moves FX by 0.98^(1/12) a month, after the month's dividend)
    fx = 150 * 0.98 ** (np.arange(36) / 12)
    expected = (10 * 2.0 / 12 * fx).reshape(3, 12).sum(axis=1)
    assert_allclose(column(r, "dividends_gross"), expected)


# --------------------------------------------------------------------- reinvestment
def test_reinvested_dividends_buy_shares_every_month_at_the_path_price():
    # 1000 shares at 1000, BVPS 500, DOE 4%, ROE 10%; the price grows 5% a year, 1.05^(1/12)
    # a month. Each month the net dividend (shares × DPS_year/12 × f) is paid, the price
    # moves, and the dividend buys shares at the new price.
    r = run(doe_holding(bvps=500.0), reinvest_surplus=True, horizon_years=3)
    f = 1 - TAX
    dps = [20.0, 21.2, 22.472]  # 0.04 × 500 × 1.06^(t−1)
    shares, paid, bought, year_end = 1000.0, [0.0] * 3, [0.0] * 3, [1000.0]
    for m in range(36):
        dividend = shares * dps[m // 12] / 12 * f
        price = 1000 * 1.05 ** ((m + 1) / 12)
        shares += dividend / price
        paid[m // 12] += dividend
        bought[m // 12] += dividend
        if m % 12 == 11:
            year_end.append(shares)
    assert_allclose(holding_path(r, "DOE Co", "shares"), year_end)
    assert_allclose(column(r, "dividends_net"), paid)
    assert_allclose(column(r, "reinvested"), bought)
    # yield on cost: net ÷ (1,000,000 + reinvested before the year)
    assert column(r, "yield_on_cost")[1] == pytest.approx(paid[1] / (1e6 + bought[0]))
    assert column(r, "portfolio_value")[2] == pytest.approx(year_end[3] * 1000 * 1.05**3)


def test_surplus_repays_the_line_before_reinvesting():
    # income 2,000,000 a year = 166,666.67 a month; a 1,000,000 line at 5%: each month's
    # surplus (income − interest on the opening balance) repays the line, then is invested
    r = run(
        equity("Eq", 10e6),
        cashflows=(flat("Pay", 2e6, "Income"),),
        loans=(line(balance=1e6, limit=2e6, rate=0.05),),
        reinvest_surplus=True,
        horizon_years=2,
    )
    balance, interest = 1e6, 0.0
    for _ in range(12):
        cost = balance * 0.05 / 12
        interest += cost
        balance -= min(balance, 2e6 / 12 - cost)
    assert balance == 0.0  # repaid within the year
    assert column(r, "interest")[0] == pytest.approx(interest)
    assert column(r, "debt")[0] == pytest.approx(0.0, abs=1e-6)
    assert column(r, "reinvested")[0] == pytest.approx(2e6 - interest - 1e6)


def deficit_case(**kw):
    # expenses 1,200,000 a year (100,000 a month); cash 500,000; a 400,000 line at 5%;
    # 10M of unpledged equity
    return run(
        equity("Eq", 10e6),
        cash(500_000.0),
        cashflows=(flat("Living", 1.2e6),),
        loans=(line(limit=400_000.0, rate=0.05),),
        horizon_years=2,
        **kw,
    )


def test_crises_only_deficit_drains_cash_then_sells_and_keeps_the_line():
    r = deficit_case()
    # cash covers months 0–4; months 5–11 need 7 × 100,000, sold net of the 0.5% cost
    assert column(r, "sales")[0] == pytest.approx(700_000.0 / (1 - 0.005))
    assert column(r, "line_draws")[0] == 0.0  # the line is the crisis reserve
    assert column(r, "cash")[0] == pytest.approx(0.0, abs=1e-6)
    assert r.first_shortfall_year is None


def test_any_shortfall_deficit_drains_cash_then_the_line_then_sells():
    r = deficit_case(standby_line_use="Any shortfall")
    # months 5–8 draw the line; from month 6 its interest (5%/12 on the opening balance)
    # adds to the need; the last 2,506.96 of month 8 and months 9–11 are sold
    balance, sold = 0.0, 0.0
    for _ in range(5, 12):
        need = 100_000 + balance * 0.05 / 12
        draw = min(400_000 - balance, need)
        balance += draw
        sold += need - draw
    assert column(r, "line_draws")[0] == pytest.approx(400_000.0)
    assert column(r, "sales")[0] == pytest.approx(sold / (1 - 0.005))
    assert column(r, "interest")[1] == pytest.approx(400_000.0 * 0.05)  # the draw accrues


def test_pledged_sales_come_last_and_repay_their_loan_in_proportion():
    # 10M pledged to a 4M loan (limit = balance) at 1%; expenses 1M a year; nothing else.
    # Each month: need = 83,333.33 + L × 1%/12; after the month's +5%^(1/12) move, draw
    # the loan back up to its limit (below the 60% freeze LTV), then sell
    # φ = need / (V(1 − k) − L) of the pool and repay φ of the loan
    r = run(
        equity("Eq", 10e6, pledged_to="SBL"),
        cashflows=(flat("Living", 1e6),),
        loans=(secured_loan(balance=4e6, rate=0.01),),
        horizon_years=2,
    )
    value, loan, sold = 10e6, 4e6, 0.0
    for _ in range(12):
        need = 1e6 / 12 + loan * 0.01 / 12
        value *= 1.05 ** (1 / 12)
        draw = min(max(min(4e6, 0.6 * value) - loan, 0.0), need)
        loan, need = loan + draw, need - draw
        phi = need / (value * (1 - 0.005) - loan)
        sold += phi * value
        value, loan = value * (1 - phi), loan * (1 - phi)
    assert column(r, "sales")[0] == pytest.approx(sold)
    assert column(r, "debt")[0] == pytest.approx(loan)
    assert column(r, "shortfall")[0] == pytest.approx(0.0, abs=1e-6)


def test_a_plan_with_nothing_to_sell_runs_out_and_records_the_shortfall():
    # 300,000 of cash pays 83,333.33 a month for 3 months; month 3 is 33,333.33 short:
    # the household has failed (SPEC §3) and the years after it are empty
    r = run(cash(300_000.0), cashflows=(flat("Living", 1e6),), horizon_years=3)
    assert_allclose(column(r, "shortfall"), [1e6 / 3 - 300_000, 0.0, 0.0])
    assert r.first_shortfall_year == 1
    assert_allclose(column(r, "expenses")[1:], [1e6, 1e6])  # what was planned, unpaid


def test_amortizing_loan_interest_and_principal():
    # 120,000 at 12%, 10,000 a month: interest = 1% × (120k + 110k + … + 10k) = 7,800
    loan = Loan("Car", "Amortizing", 120_000.0, 120_000.0, 0.12, monthly_payment=10_000.0)
    r = run(cash(1e6), loans=(loan,), horizon_years=2)
    assert column(r, "interest")[0] == pytest.approx(7_800.0)
    assert column(r, "principal")[0] == pytest.approx(120_000.0)
    assert column(r, "interest")[1] == 0.0


# --------------------------------------------------------------------- crossover
def crossover_case(horizon: int):
    # Fixed payer growing 10%: year-1 DPS 110 × 1000 shares = 110,000 net (NISA);
    # expenses 137,500 a year → coverage 0.8, 0.88, 0.968, 1.0648 → crossover in year 4
    h = equity(
        "Grower", 1e6, dps=100.0, dividend_policy="Fixed", dividend_growth=0.10, account="NISA"
    )
    return run(h, cash(1e7), cashflows=(flat("Living", 137_500.0),), horizon_years=horizon)


def test_crossover_year_on_a_known_case():
    r = crossover_case(10)
    assert_allclose(column(r, "coverage")[:4], [0.8, 0.88, 0.968, 1.0648])
    assert r.crossover_year == 4
    assert r.crossover_calendar_year == 2029  # valuation 2026-01-01: year 4 starts in 2029
    assert r.crossover_sentence == (
        "Net dividends first cover expenses and interest in year 4 (2029)."
    )


def test_crossover_not_within_the_horizon():
    r = crossover_case(3)
    assert r.crossover_year is None
    assert r.crossover_sentence.endswith(
        "not cover expenses and interest within the 3-year horizon."
    )
    assert snowball.to_json(r)["crossover_year"] is None


def test_income_that_covers_everything_counts_as_covered():
    r = run(equity("Eq", 1e6), cashflows=(flat("Pay", 2e6, "Income"), flat("Living", 1e6)))
    assert r.years["coverage"].iloc[0] is None  # n/a: outgo ≤ 0
    assert r.crossover_year == 1
    assert r.crossover_year_without_income is None  # no dividends at all
    assert "Without income" in r.crossover_sentence


# --------------------------------------------------------------------- invariants
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    roe=st.floats(0.0, 0.25),
    extra=st.floats(0.0, 0.10),
    doe=st.floats(0.01, 0.08),
    spending=st.floats(0.0, 3e6),
    reinvest=st.booleans(),
)
def test_higher_roe_never_lowers_a_doe_dividend(roe, extra, doe, spending, reinvest):
    def dividends(r_o_e):
        r = run(
            doe_holding(roe=r_o_e, doe=doe),
            cash(1e6),
            cashflows=(flat("Living", spending),),
            reinvest_surplus=reinvest,
            horizon_years=15,
            cash_buffer_months=6,
        )
        return column(r, "dividends_gross")

    low, high = dividends(roe), dividends(roe + extra)
    assert np.all(high >= low * (1 - 1e-9) - 1e-6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spending=st.floats(1e5, 4e6),
    raise_by=st.floats(0.0, 1.0),
    income=st.floats(0.0, 2e6),
    reinvest=st.booleans(),
    with_line=st.booleans(),
)
def test_raising_expenses_never_brings_the_crossover_earlier(
    spending, raise_by, income, reinvest, with_line
):
    def crossover(amount):
        r = run(
            doe_holding(shares=20_000, bvps=800.0, doe=0.05, roe=0.12),
            equity("Prog", 5e6, dps=30.0, dividend_policy="Progressive", dividend_growth=0.04),
            cash(2e6),
            cashflows=(flat("Living", amount), flat("Pay", income, "Income", end_year=2030)),
            loans=(line(limit=3e6),) if with_line else (),
            reinvest_surplus=reinvest,
            horizon_years=25,
            cash_buffer_months=3,
        )
        return r.crossover_year or 10_000

    assert crossover(spending * (1 + raise_by)) >= crossover(spending)


# --------------------------------------------------------------------- JSON and sheet
def test_json_block_has_the_spec_keys_and_is_strict_json():
    r = crossover_case(5)
    block = snowball.to_json(r)
    assert block["crossover_year"] == 4
    assert [y["year"] for y in block["years"]] == [1, 2, 3, 4, 5]
    assert [y["calendar_year"] for y in block["years"]] == [2026, 2027, 2028, 2029, 2030]
    spec = {"year", "calendar_year", "dividends_gross", "dividends_net", "expenses", "income",
            "interest", "coverage", "portfolio_value"}  # fmt: skip
    assert spec <= set(block["years"][0])
    assert block["by_holding"]["Grower"][0] == pytest.approx(110_000.0)
    json.loads(dumps(block))  # no NaN / inf


def many_payers(n=11):
    return [
        equity(f"Payer {i}", 1e6 * (i + 1), dps=10.0 + i, dividend_policy="Fixed") for i in range(n)
    ]


def test_top_eight_holdings_plus_others():
    r = run(*many_payers(), horizon_years=3)
    holders = [c for c in r.by_holding.columns if c not in ("year", "calendar_year")]
    assert holders[-1] == snowball.OTHERS and len(holders) == 9
    assert holders[0] == "Payer 10"  # the largest payer first
    assert_allclose(r.by_holding[holders].sum(axis=1), column(r, "dividends_net"))


def write_sheet(tmp_path, result):
    path = tmp_path / "snowball.xlsx"
    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    ws = book.add_worksheet("Snowball")
    ctx = ReportContext(
        book,
        Formats(book, "JPY"),
        "JPY",
        {"snowball": result},
        data_ws=book.add_worksheet("_chart_data"),
    )
    sheet.write(ws, result, ctx)
    book.close()
    return path, ctx


@pytest.mark.parametrize("with_doe", [True, False])
def test_sheet_writes_and_reloads(tmp_path, with_doe):
    payers = many_payers() + ([doe_holding('=HYPERLINK("http://x","y")')] if with_doe else [])
    r = run(*payers, cash(1e6), cashflows=(flat("Living", 2e6),), reinvest_surplus=True)
    path, ctx = write_sheet(tmp_path, r)
    assert {"snowball.year", "snowball.dividends_net", "snowball.outgo"} <= set(ctx.refs)
    book = openpyxl.load_workbook(path)
    ws = book["Snowball"]
    assert len(ws._charts) == (3 if with_doe else 2)
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert r.crossover_sentence in [c.value for c in cells]
    assert all(c.data_type != "f" for c in cells)  # a formula-like name stays text
    assert all(np.isfinite(c.value) for c in cells if isinstance(c.value, float))


def test_sheet_without_any_dividends(tmp_path):
    r = run(equity("Eq", 1e6), cashflows=(flat("Living", 1e5),))
    assert r.crossover_year is None and r.by_holding.columns.tolist() == ["year", "calendar_year"]
    path, _ = write_sheet(tmp_path, r)
    assert len(openpyxl.load_workbook(path)["Snowball"]._charts) == 2


def test_big_portfolios_show_the_largest_payers_per_holding(tmp_path):
    r = run(*many_payers(sheet.MAX_HOLDING_COLUMNS + 5), horizon_years=2)
    path, _ = write_sheet(tmp_path, r)
    texts = [c.value for row in openpyxl.load_workbook(path)["Snowball"].iter_rows() for c in row]
    assert "Payer 0 (JPY, Fixed)" not in texts  # the smallest payer is left out
    assert f"Payer {sheet.MAX_HOLDING_COLUMNS + 4} (JPY, Fixed)" in texts
    assert any(isinstance(t, str) and "5 smaller holdings not shown" in t for t in texts)


def test_example_workbook(example_workbook):
    from engine.io.reader import read_workbook

    r = snowball.analyse(read_workbook(example_workbook), {}, None)
    block = snowball.to_json(r)
    assert len(block["years"]) == r.horizon_years
    assert block["years"][0]["dividends_net"] > 0
    json.loads(dumps(block))


def test_charts_read_well_when_income_exceeds_the_outgo(tmp_path):
    """As rendered in LibreOffice: with income above expenses the outgo line goes below
    zero, so the year labels sit at the bottom of the plot (not on the zero line); DPS
    follows book value exactly (DPS_t = DOE × BVPS_{t−1}), so on two auto-scaled axes two
    lines would coincide: the dividend is drawn as columns, book value as a line."""
    import zipfile

    r = run(doe_holding(), cashflows=(flat("Pay", 5e6, "Income"), flat("Living", 1e6)))
    assert column(r, "outgo").max() < 0
    path, _ = write_sheet(tmp_path, r)
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    (dividends,) = [x for x in charts if "Net dividends by holding" in x]
    assert '<c:tickLblPos val="low"/>' in dividends
    (book,) = [x for x in charts if "Book value vs dividend per share" in x]
    assert "<c:barChart>" in book and "<c:lineChart>" in book


# --------------------------------------------------------------------- one household
def test_year_1_dividends_equal_the_balance_sheet_run_rate():
    # a DOE holding with a blank-equivalent DPS (DPS_0 = DOE × BVPS_0 = 80) and a Fixed one
    # with no growth: year 1 pays DPS_1 = 80 and 50, on units that do not change (no
    # reinvestment), so A4's year-1 net dividends are A1's run-rate net dividends
    from engine.analyses import balance_sheet

    doe = doe_holding(dps=80.0)
    fixed = equity("Fixed", 2e6, dps=50.0, dividend_policy="Fixed", account="NISA")
    inputs = make_inputs(holdings=(doe, fixed, cash(5e6)), horizon_years=5,
                         expense_inflation=0.0, reinvest_surplus=False)  # fmt: skip
    a1 = balance_sheet.analyse(inputs, {}, None)
    a4 = snowball.analyse(inputs, {}, None)
    assert column(a4, "dividends_net")[0] == pytest.approx(a1.dividends_net)
    assert a1.dividends_net == pytest.approx(1000 * 80 * (1 - TAX) + 2000 * 50)


def test_the_snowball_is_the_monte_carlo_household_at_zero_volatility():
    # every σ = 0: A5's paths are the deterministic mean path (m = ln(1 + μ) when s = 0),
    # so A5's net worth in every year equals A4's, path by path
    from dataclasses import replace

    from engine.analyses import mc_run
    from engine.analyses.options import RunOptions

    inputs = make_inputs(
        holdings=(doe_holding(shares=20_000), equity("Free", 20e6, cls="REIT", dps=30.0,
                                                     dividend_policy="Fixed"),
                  equity("Pledged", 60e6, pledged_to="SBL", dps=40.0,
                         dividend_policy="Progressive", dividend_growth=0.03), cash(3e6)),
        loans=(secured_loan(balance=20e6, limit=30e6), line(limit=5e6)),
        cashflows=(flat("Living", 3.6e6),),
        horizon_years=20,
        cash_buffer_months=6.0,
        inflation_volatility=0.0,
    )  # fmt: skip
    inputs = replace(
        inputs, asset_classes=tuple(replace(c, volatility=0.0) for c in inputs.asset_classes)
    )
    inputs = replace(inputs, fx=tuple(replace(f, volatility=0.0) for f in inputs.fx))
    a4 = snowball.analyse(inputs, {}, None)
    sim = mc_run.run(inputs, RunOptions(paths=100, seed=1))
    a5_median = sim.percentiles["real_net_worth_p50"] * (1 + inputs.settings.expense_inflation) ** (
        np.arange(1, 21)
    )
    assert_allclose(a5_median, column(a4, "net_worth"), rtol=1e-9)
    assert sim.success_probability == 1.0
