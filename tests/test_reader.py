"""The reader on good input: the example's known totals, defaults, layout freedom."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.io.example import write_example
from engine.io.reader import read_workbook
from engine.io.template import write_template

ROOT = Path(__file__).resolve().parents[1]
COMMITTED_EXAMPLE = ROOT / "workbooks" / "example.xlsx"


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    write_example(path)
    return path


@pytest.fixture(scope="module")
def example(example_path):
    return read_workbook(example_path)


# --------------------------------------------------------------------------- the example
def test_example_reads_without_errors_or_warnings(example):
    assert example.warnings == ()
    assert example.source_name == "example.xlsx"
    assert len(example.source_sha256) == 64


def test_example_settings(example):
    s = example.settings
    assert s.portfolio_name == "Example household"
    assert s.base_currency == "JPY"
    assert s.valuation_date == date(2026, 11, 20)
    assert (s.current_age, s.fire_age, s.horizon_years) == (45, 50, 40)
    assert (s.random_seed, s.mc_paths) == (42, 10_000)
    assert s.dividend_tax_rate == pytest.approx(0.20315)


def test_example_totals(example):
    equity = sum(h.market_value for h in example.holdings if h.asset_class != "Cash")
    # 112.5M dividend core + 8.75M all-country fund + 50 × $500 × ¥150 = 3.75M
    assert equity == pytest.approx(125_000_000)
    assert example.cash == pytest.approx(10_000_000)
    loan = example.loan_by_name["Securities-backed loan"]
    assert (loan.balance, loan.advance_rate, loan.freeze_ltv) == (50_000_000, 0.6, 0.6)
    assert (loan.margin_call_ltv, loan.liquidation_ltv, loan.interest_rate) == (0.7, 0.85, 0.015)
    assert loan.forced_sale == "To freeze"
    line = example.loan_by_name["Standby credit line"]
    assert (line.type, line.balance, line.limit, line.undrawn) == ("Unsecured line", 0, 8e6, 8e6)
    assert (line.interest_rate, line.commitment_fee) == (0.03, 0.0025)
    assert example.monthly_expenses_month0 == pytest.approx(80_000)
    assert example.cash_buffer == pytest.approx(480_000)  # 6 × 80,000
    assert example.cash_above_buffer == pytest.approx(9_520_000)


def test_example_portfolio_shape(example):
    core = [h for h in example.holdings if h.role == "Core" and h.asset_class != "Cash"]
    satellite = [h for h in example.holdings if h.role == "Satellite"]
    assert len(core) >= 8 and 1 <= len(satellite) <= 2
    assert sum(h.market_value for h in core) == pytest.approx(112_500_000)  # 90%
    assert {"DOE", "Progressive", "Payout"} <= {h.dividend_policy for h in core}
    for h in core:
        assert None not in (h.bvps, h.doe, h.roe, h.payout_ratio)
    usd = [h for h in example.holdings if h.currency == "USD"]
    assert usd and all(h.fx_rate == 150 for h in usd)
    nisa = [h for h in example.holdings if h.is_nisa]
    assert nisa and all(h.pledged_to is None for h in nisa)
    taxable_equity = [h for h in example.holdings if not h.is_nisa and h.asset_class != "Cash"]
    assert all(h.pledged_to == "Securities-backed loan" for h in taxable_equity)


def test_example_cashflows(example):
    by_name = {c.name: c for c in example.cashflows}
    education = by_name["Education (university)"]
    assert education.start_year > example.settings.valuation_date.year
    salary = by_name["Salary (after tax)"]
    assert salary.type == "Income" and salary.stops_at_fire and not salary.inflation_linked
    pension = by_name["Public pension"]
    assert pension.start_year == 2026 + (65 - 45)


def test_example_correlations_cover_classes_and_usd(example):
    labels = example.correlations.labels
    assert labels == tuple(c.name for c in example.asset_classes) + ("FX:USD",)
    assert example.correlations.get("Domestic equity", "Foreign equity") == 0.75
    assert example.correlations.get("FX:USD", "Domestic equity") == 0.3


def test_committed_example_is_current(tmp_path):
    """workbooks/example.xlsx is what ``python -m engine.io.example`` writes today."""
    fresh = tmp_path / "example.xlsx"
    write_example(fresh)
    assert COMMITTED_EXAMPLE.read_bytes() == fresh.read_bytes()


# --------------------------------------------------------------------------- the template
def test_template_reads_back_as_valid_empty_input(tmp_path):
    path = tmp_path / "my portfolio.xlsx"
    write_template(path)
    inputs = read_workbook(path)
    assert inputs.holdings == () and inputs.loans == () and inputs.cashflows == ()
    assert inputs.warnings == ()
    assert inputs.settings.portfolio_name == "my portfolio"  # default: the file name
    assert inputs.settings.valuation_date == date.today()
    assert inputs.settings.fire_age == inputs.settings.current_age
    assert len(inputs.asset_classes) == 5 and len(inputs.scenarios) == 6
