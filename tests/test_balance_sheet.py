"""A1 Balance sheet: known answers worked by hand, the JSON block, and the sheet writer."""

from __future__ import annotations

import json
import math
import zipfile

import openpyxl
import pytest
import xlsxwriter
from factories import cash, equity, expense, line, make_inputs, secured_loan
from numpy.testing import assert_allclose

from engine.analyses import balance_sheet
from engine.model import Cashflow, Holding
from engine.report import balance_sheet as sheet
from engine.report.common import Formats, ReportContext

M = 1e6


def one_loan(**loan_kw):
    """¥50M secured loan on ¥125M of pledged domestic equity (stress beta 1)."""
    return make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"),),
        loans=(secured_loan(**loan_kw),),
    )


def loan_row(result, name="SBL"):
    return result.loans.set_index("name").loc[name]


def test_ltv_breaking_points_and_cures_by_hand():
    r = balance_sheet.analyse(one_loan())
    row = loan_row(r)
    assert row["collateral_value"] == pytest.approx(125 * M)
    assert row["ltv"] == pytest.approx(50 / 125)  # 40%
    # drawdown to threshold t: 50 / (125 (1 − d)) = t  ⇒  d = 1 − 0.40 / t
    assert row["drawdown_to_freeze"] == pytest.approx(1 - 0.40 / 0.60, abs=1e-6)  # 33.33%
    assert row["drawdown_to_call"] == pytest.approx(1 - 0.40 / 0.70, abs=1e-6)  # 42.86%
    assert row["drawdown_to_liquidation"] == pytest.approx(1 - 0.40 / 0.85, abs=1e-6)  # 52.94%
    # cure back to freeze at the threshold: L − f·L/t = L (1 − f/t)
    assert row["cure_at_freeze"] == pytest.approx(0.0, abs=1e-6)
    assert row["cure_at_call"] == pytest.approx(50 * M * (1 - 0.6 / 0.7))  # ¥7.14M
    assert row["cure_at_liquidation"] == pytest.approx(50 * M * (1 - 0.6 / 0.85))  # ¥14.71M
    # capacity = 125 × 60% advance = 75; limit = balance ⇒ nothing to draw
    assert row["capacity"] == pytest.approx(75 * M)
    assert row["available_to_draw"] == pytest.approx(0.0)


def test_available_to_draw_is_the_tightest_of_limit_capacity_and_freeze():
    # limit 70: min(70, capacity 75, freeze 0.6 × 125 = 75) − 50 = 20
    assert loan_row(balance_sheet.analyse(one_loan(limit=70 * M)))["available_to_draw"] == (
        pytest.approx(20 * M)
    )
    # limit 90, freeze 0.5: min(90, 75, 62.5) − 50 = 12.5
    r = balance_sheet.analyse(one_loan(limit=90 * M, freeze=0.5))
    assert loan_row(r)["available_to_draw"] == pytest.approx(12.5 * M)
    assert r.secured_headroom == pytest.approx(12.5 * M)


def test_loan_without_call_stage_has_no_call_breaking_point():
    row = loan_row(balance_sheet.analyse(one_loan(call=None)))
    assert math.isnan(row["drawdown_to_call"]) and math.isnan(row["cure_at_call"])
    assert row["drawdown_to_liquidation"] == pytest.approx(1 - 0.40 / 0.85, abs=1e-6)


def tiny_household(**kw):
    """Cash 2M, equity 10M (DPS 30 on 10,000 shares), a 6% line 1M drawn of 3M (fee 0.5%),
    expenses 100k/month, income 30k/month, 1-year horizon, no inflation."""
    kw.setdefault("discount_rate", 0.0)
    return make_inputs(
        holdings=(cash(2 * M), equity("Stock", 10 * M, dps=30.0, dividend_policy="Fixed")),
        loans=(line("Line", limit=3 * M, balance=1 * M, rate=0.06, fee=0.005),),
        cashflows=(
            expense(100_000.0, inflation_linked=False),
            Cashflow("Side job", "Income", 30_000.0, "Monthly", inflation_linked=False),
        ),
        horizon_years=1,
        expense_inflation=0.0,
        cash_buffer_months=3.0,
        **kw,
    )


def test_hidden_liability_funded_ratio_and_runway_by_hand():
    r = balance_sheet.analyse(tiny_household())
    assert r.total_assets == pytest.approx(12 * M)
    assert r.net_worth == pytest.approx(11 * M)  # 12 − 1
    assert r.pv_future_expenses == pytest.approx(12 * 100_000)  # no discounting
    assert r.pv_future_income == pytest.approx(12 * 30_000)
    assert r.pv_future_net_expenses == pytest.approx(840_000)
    assert r.funded_ratio == pytest.approx(11 * M / 840_000)  # 13.10
    # burn = 100,000 + 1M × 6%/12 + 2M × 0.5%/12 − 30,000 = 75,833.33
    burn = 100_000 + 5_000 + 833.33333 - 30_000
    assert r.monthly_net_burn == pytest.approx(burn)
    # runway = (cash 2M − buffer 3 × 100k + undrawn 2M) ÷ burn = 3.7M ÷ 75,833 = 48.8 months
    assert r.cash_above_buffer == pytest.approx(1.7 * M)
    assert r.runway_months == pytest.approx(3.7 * M / burn)
    assert r.runway_months_with_secured == pytest.approx(3.7 * M / burn)  # no secured loan


def test_present_value_discounts_monthly():
    r = balance_sheet.analyse(tiny_household(discount_rate=0.10))
    v = 1.1 ** (-1 / 12)  # Σ_{m=0}^{11} v^m = (1 − v^12) / (1 − v)
    annuity = (1 - v**12) / (1 - v)
    assert r.pv_future_net_expenses == pytest.approx(70_000 * annuity)


def test_runway_includes_secured_headroom_separately():
    inputs = make_inputs(
        holdings=(cash(1 * M), equity("Pledged", 125 * M, pledged_to="SBL")),
        loans=(secured_loan(limit=70 * M, rate=0.012),),
        cashflows=(expense(200_000.0),),
    )
    r = balance_sheet.analyse(inputs)
    burn = 200_000 + 50 * M * 0.012 / 12  # 250,000
    assert r.monthly_net_burn == pytest.approx(burn)
    assert r.runway_months == pytest.approx(1 * M / burn)  # 4 months (buffer 0)
    assert r.runway_months_with_secured == pytest.approx(21 * M / burn)  # + 20M headroom


def test_unlimited_runway_when_income_covers_burn():
    inputs = make_inputs(
        holdings=(cash(1 * M),),
        cashflows=(expense(50_000.0), Cashflow("Salary", "Income", 400_000.0, "Monthly")),
    )
    r = balance_sheet.analyse(inputs)
    assert r.monthly_net_burn < 0
    assert r.runway_months is None and r.runway_months_with_secured is None
    assert r.funded_ratio is None  # income outweighs costs: PV of net expenses < 0
    out = balance_sheet.to_json(r)
    assert out["runway_months"] is None and out["funded_ratio"] is None


def test_dividends_tax_and_spread_by_hand():
    usd = Holding("US ETF", "Foreign equity", 100.0, 500.0, "USD", fx_rate=150.0, dps=10.0,
                  dividend_policy="Fixed", withholding=0.10)  # fmt: skip
    nisa = equity("NISA stock", 10 * M, dps=40.0, dividend_policy="Fixed", account="NISA")
    taxable = equity("Taxable stock", 20 * M, dps=30.0, dividend_policy="Fixed", pledged_to="SBL")
    inputs = make_inputs(
        holdings=(usd, nisa, taxable),
        loans=(secured_loan(balance=5 * M, rate=0.02),),
    )
    r = balance_sheet.analyse(inputs)
    tax = 0.20315
    gross = 100 * 10 * 150 + 10_000 * 40 + 20_000 * 30  # 150k + 400k + 600k
    net = 150_000 * 0.9 * (1 - tax) + 400_000 + 600_000 * (1 - tax)
    assert r.dividends_gross == pytest.approx(gross)
    assert r.dividends_net == pytest.approx(net)
    assert r.interest == pytest.approx(100_000)  # 5M × 2%
    total = 7.5 * M + 30 * M
    assert r.net_dividend_yield == pytest.approx(net / total)
    assert r.spread == pytest.approx(net / total - 0.02)
    by_account = r.by_account.set_index("group")
    assert by_account.loc["NISA", "dividend_net"] == pytest.approx(400_000)
    assert r.by_class["weight"].sum() == pytest.approx(1.0)
    assert r.by_currency.set_index("group").loc["USD", "market_value"] == pytest.approx(7.5 * M)
    # income statement: net = dividends net + income − expenses − interest − fees
    assert r.net_income == pytest.approx(net - 100_000)


def test_json_block_has_the_spec_keys_and_is_strict_json():
    out = balance_sheet.to_json(balance_sheet.analyse(one_loan()))
    for key in (
        "total_assets cash total_loans net_worth pv_future_net_expenses funded_ratio "
        "dividends_gross dividends_net interest spread runway_months"
    ).split():
        assert key in out
    loan = out["loans"][0]
    for key in (
        "name type balance limit collateral_value capacity ltv freeze_ltv call_ltv "
        "liquidation_ltv drawdown_to_freeze drawdown_to_call drawdown_to_liquidation"
    ).split():
        assert key in loan
    json.dumps(out, allow_nan=False)
    assert loan["ltv"] == pytest.approx(0.4)


def test_balance_picture_columns_have_equal_height():
    for inputs in (one_loan(), tiny_household()):
        p = balance_sheet.analyse(inputs).picture
        sides = p.groupby("side")["amount"].sum()
        assert_allclose(sides["Assets"], sides["Claims"])
        assert (p["amount"] >= 0).all()


def _write(tmp_path, result):
    path = tmp_path / "bs.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ctx = ReportContext(
        book, Formats(book, "JPY"), "JPY", {"balance_sheet": result},
        data_ws=book.add_worksheet("_chart_data"),
    )  # fmt: skip
    sheet.write(book.add_worksheet("Balance Sheet"), result, ctx)
    book.close()
    return path


def test_sheet_writes_reloads_and_has_three_charts(tmp_path):
    inputs = make_inputs(
        holdings=(cash(5 * M), equity('=HYPERLINK("http://x","y")', 125 * M, pledged_to="SBL")),
        loans=(secured_loan(), line()),
        cashflows=(expense(),),
    )
    path = _write(tmp_path, balance_sheet.analyse(inputs))
    ws = openpyxl.load_workbook(path)["Balance Sheet"]
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert "Net worth" in values and "Funded ratio" in values
    assert '=HYPERLINK("http://x","y")' in values  # user text stays text
    assert all(math.isfinite(v) for v in values if isinstance(v, float))
    with zipfile.ZipFile(path) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 3


def test_sheet_shows_unlimited_runway(tmp_path):
    inputs = make_inputs(
        holdings=(cash(1 * M),),
        cashflows=(Cashflow("Salary", "Income", 400_000.0, "Monthly"),),
    )
    ws = openpyxl.load_workbook(_write(tmp_path, balance_sheet.analyse(inputs)))["Balance Sheet"]
    runway = [row[1].value for row in ws.iter_rows() if row[0].value == "Runway, months"]
    assert runway == ["Unlimited"]


def test_commitment_fees_fall_on_undrawn_facilities_only_never_on_an_amortizing_loan():
    from engine.model import Loan

    # a line of 8M, 2M drawn, fee 0.25%: 6M × 0.0025 = 15,000 a year
    drawn_line = line(limit=8e6, balance=2e6, fee=0.0025)
    mortgage = Loan("Mortgage", "Amortizing", 20e6, 25e6, 0.01, commitment_fee=0.0025)
    assert drawn_line.annual_commitment_fee == pytest.approx(15_000.0)
    assert mortgage.annual_commitment_fee == 0.0  # nothing to draw: no fee (as in A5)
    r = balance_sheet.analyse(
        make_inputs(holdings=[cash(10e6)], loans=[drawn_line, mortgage]), {}, None
    )
    assert r.commitment_fees == pytest.approx(15_000.0)
