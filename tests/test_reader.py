"""The reader on good input: the example's known totals, defaults, layout freedom."""

from __future__ import annotations

import random
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import schema
from engine.errors import InputError
from engine.io.cells import CellIssue, convert, in_range
from engine.io.example import write_dividend_household, write_example
from engine.io.reader import read_workbook
from engine.io.template import write_template
from engine.model import cashflows

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
    assert (loan.forced_sale, loan.rate_type) == ("All", "Floating")  # SPEC §2 revision 2
    assert "Japan Securities Finance" in loan.notes  # which published rules it follows
    line = example.loan_by_name["Standby credit line"]
    assert (line.type, line.balance, line.limit, line.undrawn) == ("Unsecured line", 0, 8e6, 8e6)
    assert (line.interest_rate, line.commitment_fee, line.rate_type) == (0.03, 0.0025, "Floating")
    assert cashflows.living_expenses_month0(example) == pytest.approx(80_000)
    assert cashflows.cash_buffer(example) == pytest.approx(480_000)  # 6 × 80,000
    assert cashflows.cash_above_buffer(example) == pytest.approx(9_520_000)


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


def test_example_correlations_cover_classes_usd_and_inflation(example):
    labels = example.correlations.labels
    assert labels == tuple(c.name for c in example.asset_classes) + ("FX:USD", "Inflation")
    assert example.correlations.get("Domestic equity", "Foreign equity") == 0.75
    assert example.correlations.get("FX:USD", "Domestic equity") == 0.3
    assert example.correlations.get("Inflation", "Domestic equity") == -0.1
    assert example.correlations.get("Inflation", "Bond") == 0.0


def test_example_revision_2_inputs(example):
    s = example.settings
    assert (s.loan_policy, s.standby_line_use, s.lender_monitoring) == (
        "Keep",
        "Crises only",
        "Daily",
    )
    assert (s.capital_gains_tax_rate, s.inflation_volatility) == (0.20315, 0.01)
    assert (s.return_model, s.record_history, s.language) == ("Lognormal", True, "English")
    betas = {c.name: c.dividend_beta for c in example.asset_classes}
    assert betas == {
        "Domestic equity": 0.6,
        "Foreign equity": 0.6,
        "REIT": 0.8,
        "Bond": 0.0,
        "Cash": 0.0,
    }
    # the equity classes name the bundled series, so Return model Historical runs as is
    series = {c.name: c.history_series for c in example.asset_classes}
    assert series == {
        "Domestic equity": "US stocks",
        "Foreign equity": "US stocks",
        "REIT": None,
        "Bond": None,
        "Cash": None,
    }
    assert example.history is None  # the History sheet holds only its greyed example row
    by_name = {h.name: h for h in example.holdings}
    non_cash = [h for h in example.holdings if h.asset_class != "Cash"]
    assert sum(h.cost_basis < h.price for h in non_cash) >= len(non_cash) - 1
    assert by_name["NTT"].cost_basis == 165 > by_name["NTT"].price  # the one with a loss
    assert by_name["Vanguard S&P 500 ETF"].cost_basis == 410.0  # in USD, like its price
    assert by_name["Cash (yen deposits)"].cost_basis == 1.0  # cash: the price, no gain


def test_committed_example_is_current(tmp_path):
    """workbooks/example.xlsx is what ``python -m engine.io.example`` writes today."""
    fresh = tmp_path / "example.xlsx"
    write_example(fresh)
    assert COMMITTED_EXAMPLE.read_bytes() == fresh.read_bytes()


def test_committed_dividend_household_is_current(tmp_path):
    fresh = tmp_path / "example-dividend-household.xlsx"
    write_dividend_household(fresh)
    assert (ROOT / "workbooks" / fresh.name).read_bytes() == fresh.read_bytes()


# --------------------------------------------------------------------------- the template
def test_blank_template_is_refused_saying_what_to_fill_in(tmp_path):
    """Issue item B2: the blank template run as is gives no results, and says why."""
    path = tmp_path / "my portfolio.xlsx"
    write_template(path)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert [str(p) for p in caught.value.problems] == [
        "Holdings!A2: the table has no data row; found only the header row and the "
        "template's greyed example row (not read while unchanged); fill in one row per "
        "holding: Name, Asset class, Quantity and Price, and a row of asset class Cash for "
        "your cash (Quantity = the amount)",
        "Loans!A2: the table has no data row; found only the header row and the template's "
        "greyed example row (not read while unchanged); enter each loan and credit line "
        "(Name, Type, Balance, Interest rate); with no borrowing at all, enter one Unsecured "
        "line with Balance 0, Limit 0 and Interest rate 0",
    ]


def test_template_with_one_holding_and_one_loan_reads_with_defaults(tmp_path):
    path = tmp_path / "my portfolio.xlsx"
    book_path = tmp_path / "blank.xlsx"
    write_template(book_path)
    book = openpyxl.load_workbook(book_path)
    # Type over the example rows of Holdings and Loans; Cashflows and FX keep theirs.
    holding = ("Cash", None, "Cash", None, 1_000_000, None, None, None, None, None)
    for col, value in zip("ABCDEFGHIJ", holding, strict=True):
        book["Holdings"][f"{col}2"] = value
    for col in "KLMNOPQRS":
        book["Holdings"][f"{col}2"] = None
    for col in "ABCDEFGHIJKLMNOP":
        book["Loans"][f"{col}2"] = None
    for col, value in zip("ABCE", ("No borrowing", "Unsecured line", 0, 0), strict=True):
        book["Loans"][f"{col}2"] = value
    book.save(path)
    inputs = read_workbook(path)
    assert [h.name for h in inputs.holdings] == ["Cash"] and inputs.cash == 1_000_000
    assert [loan.name for loan in inputs.loans] == ["No borrowing"]
    assert inputs.cashflows == () and inputs.fx == () and inputs.history is None
    assert inputs.warnings == ()
    assert inputs.settings.portfolio_name == "my portfolio"  # default: the file name
    assert inputs.settings.valuation_date == date.today()
    assert inputs.settings.fire_age == inputs.settings.current_age
    assert len(inputs.asset_classes) == 5 and len(inputs.scenarios) == 6


# --------------------------------------------------------------------------- layout freedom
def _load(path):
    return openpyxl.load_workbook(path)


def _without_rows(inputs):
    """Records compared without the worksheet row they came from."""
    strip = lambda items: tuple(replace(x, row=0) for x in items)  # noqa: E731
    return (
        strip(inputs.holdings),
        strip(inputs.loans),
        strip(inputs.cashflows),
        strip(inputs.scenarios),
        inputs.asset_classes,
        inputs.fx,
        inputs.correlations,
        inputs.settings,
    )


def _rebuild(book, name: str, *, title: str, header_row: int, seed: int, upper: bool) -> None:
    """Rewrite a table sheet as a plain range: shuffled columns, a title above the
    header, an extra column, a new sheet name."""
    ws = book[name]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header, data = rows[0], [r for r in rows[1:] if any(v is not None for v in r)]
    order = list(range(len(header)))
    random.Random(seed).shuffle(order)
    position = book.sheetnames.index(name)
    del book[name]
    new = book.create_sheet(title, position)
    new.cell(1, 1, f"{name} exported from my broker")
    for j, k in enumerate(order, start=1):
        new.cell(header_row, j, header[k].upper() if upper else header[k])
        for i, row in enumerate(data, start=header_row + 1):
            new.cell(i, j, row[k])
    new.cell(header_row, len(order) + 1, "My notes")
    new.cell(header_row + 1, len(order) + 1, "bought in 2019")
    new.cell(header_row + len(data) + 3, len(order) + 1, "a note under the table, not read")


def test_plain_ranges_read_like_excel_tables(example_path, example, tmp_path):
    book = _load(example_path)
    for ws in book.worksheets:
        for name in list(ws.tables):
            del ws.tables[name]
    path = tmp_path / "example.xlsx"
    book.save(path)
    assert _without_rows(read_workbook(path)) == _without_rows(example)


def test_shuffled_columns_header_on_row_3_and_renamed_sheets(example_path, example, tmp_path):
    book = _load(example_path)
    for seed, name in enumerate(("Holdings", "Loans", "Cashflows", "AssetClasses", "FX")):
        _rebuild(book, name, title=f"  {name.upper()} ", header_row=3, seed=seed, upper=seed % 2)
    path = tmp_path / "example.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    assert inputs.warnings == ()
    assert _without_rows(inputs) == _without_rows(example)
    assert inputs.holdings[0].row == 4  # data starts under the header on row 3


def test_cached_formula_values_are_read(example_path, tmp_path):
    """A formula Excel saved with its result reads as that result."""
    with zipfile.ZipFile(example_path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet3.xml"  # Holdings
    assert b'<c r="E2" s="' in parts[sheet]
    xml = parts[sheet].decode()
    start = xml.index('<c r="E2"')
    end = xml.index("</c>", start)
    cell = xml[start:end]
    attrs, value = cell.split(">", 1)
    parts[sheet] = (xml[:start] + attrs + "><f>3000+700</f>" + value + xml[end:]).encode()
    path = tmp_path / "formulas.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    inputs = read_workbook(path)
    assert inputs.holdings[0].quantity == 3700


def test_defaults_resolved(example_path, tmp_path):
    book = _load(example_path)
    h = book["Holdings"]
    h["F14"] = None  # Cash price blank -> 1
    h["D2"] = None  # currency blank -> base
    h["G2"] = None  # account -> Taxable
    h["I2"] = None  # role -> Core
    h["K2"] = None  # policy blank with DPS 100 -> Fixed
    h["J12"] = None  # all-country fund: no DPS, blank policy -> None
    h["K12"] = None
    loans = book["Loans"]
    loans["H2"] = None  # freeze blank -> weighted advance rate of the collateral (loan's 60%)
    loans["D3"] = None  # limit blank -> balance
    cash = book["Cashflows"]
    cash["G2"] = None  # expense: inflation-linked by default
    cash["G4"] = None  # income: not inflation-linked by default
    cash["I4"] = None  # stops at FIRE: No by default
    book["Settings"]["B7"] = None  # FIRE age -> current age
    book["Settings"]["B2"] = None  # portfolio name -> file name
    path = tmp_path / "defaults.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    by_name = {x.name: x for x in inputs.holdings}
    cash_row = by_name["Cash (yen deposits)"]
    assert cash_row.price == 1.0 and cash_row.market_value == 10_000_000
    first = by_name["Mitsubishi Corp"]
    assert (first.currency, first.account, first.role, first.dividend_policy) == (
        "JPY",
        "Taxable",
        "Core",
        "Fixed",
    )
    assert by_name["eMAXIS Slim All Country"].dividend_policy == "None"
    assert inputs.loan_by_name["Securities-backed loan"].freeze_ltv == pytest.approx(0.6)
    assert inputs.loan_by_name["Standby credit line"].limit == 0.0
    flows = {c.name: c for c in inputs.cashflows}
    assert flows["Living expenses"].inflation_linked is True
    assert flows["Salary (after tax)"].inflation_linked is False
    assert flows["Salary (after tax)"].stops_at_fire is False
    assert inputs.settings.fire_age == 45
    assert inputs.settings.portfolio_name == "defaults"


def test_freeze_default_is_value_weighted_class_advance_rate(example_path, tmp_path):
    book = _load(example_path)
    book["Loans"]["G2"] = None  # no loan advance rate: class rates apply
    book["Loans"]["H2"] = None
    path = tmp_path / "weighted.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    # pledged: 101.25M domestic at 60% + 3.75M foreign (the USD ETF) at 50%
    expected = (101_250_000 * 0.60 + 3_750_000 * 0.50) / 105_000_000
    assert inputs.loan_by_name["Securities-backed loan"].freeze_ltv == pytest.approx(expected)


def test_optional_sheets(example_path, tmp_path):
    book = _load(example_path)
    del book["Correlations"]
    del book["Scenarios"]
    path = tmp_path / "lean.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    assert inputs.scenarios == ()
    n = len(inputs.correlations.labels)
    assert inputs.correlations.as_array().tolist() == [
        [1.0 if i == j else 0.0 for j in range(n)] for i in range(n)
    ]
    assert any("no Correlations sheet" in w for w in inputs.warnings)


def test_fx_sheet_optional_when_everything_is_in_base_currency(example_path, tmp_path):
    book = _load(example_path)
    del book["FX"]
    book["Holdings"]["D13"] = "JPY"
    book["Holdings"]["F13"] = 75_000
    path = tmp_path / "yen only.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    assert inputs.fx == () and "FX:USD" not in inputs.correlations.labels


def test_text_that_is_a_number_or_percent(example_path, tmp_path):
    book = _load(example_path)
    book["Holdings"]["E2"] = "3,700"
    book["AssetClasses"]["B2"] = "5%"
    book["Cashflows"]["G2"] = "yes"
    book["Holdings"]["G2"] = "taxable"
    path = tmp_path / "text.xlsx"
    book.save(path)
    inputs = read_workbook(path)
    assert inputs.holdings[0].quantity == 3700 and inputs.holdings[0].account == "Taxable"
    assert inputs.asset_class_by_name["Domestic equity"].expected_return == pytest.approx(0.05)


def test_hyperlink_text_stays_text(example_path, tmp_path):
    book = _load(example_path)
    book["Holdings"]["A2"].value = '=HYPERLINK("http://example.com","x")'
    book["Holdings"]["A2"].data_type = "s"  # typed as text (e.g. with a leading apostrophe)
    path = tmp_path / "text.xlsx"
    book.save(path)
    assert read_workbook(path).holdings[0].name == '=HYPERLINK("http://example.com","x")'


def test_two_thousand_holdings(tmp_path):
    from engine.io.template import build_workbook

    rows = [
        {"Name": f"Stock {i}", "Asset class": "Domestic equity", "Quantity": 100, "Price": 1000 + i}
        for i in range(2000)
    ]
    path = tmp_path / "big.xlsx"
    loans = [{"Name": "None", "Type": "Unsecured line", "Balance": 0, "Interest rate": 0}]
    build_workbook(path, rows={"Holdings": rows, "Loans": loans})
    inputs = read_workbook(path)
    assert len(inputs.holdings) == 2000
    assert inputs.total_assets == pytest.approx(100 * sum(1000 + i for i in range(2000)))


# --------------------------------------------------------------------------- cell rules
PERCENT_COLUMNS = [c for c in schema.SETTINGS if c.kind == "percent"] + [
    c for t in schema.TABLES for c in t.columns if c.kind == "percent"
]


@settings(max_examples=60, deadline=None)
@given(column=st.sampled_from(PERCENT_COLUMNS), n=st.integers(1, 100))
def test_whole_number_percent_gets_the_hint(column, n):
    result = convert(column, n)
    plausible = column.plausible_hi is None or n <= column.plausible_hi
    if in_range(column, n) and plausible:
        assert result == n  # e.g. a payout ratio of 2 (200%) is allowed as typed
    elif in_range(column, n / 100):
        assert isinstance(result, CellIssue) and f"did you mean {n}%?" in result.fix


@settings(max_examples=60, deadline=None)
@given(column=st.sampled_from(PERCENT_COLUMNS), u=st.floats(0, 1))
def test_fractions_in_range_are_read_as_typed(column, u):
    hi = column.hi if column.plausible_hi is None else column.plausible_hi
    value = column.lo + u * (hi - column.lo)
    if in_range(column, value):
        assert convert(column, value) == value
        assert convert(column, f"{value * 100!r}%") == pytest.approx(value)


# --------------------------------------------------------------------------- date formats
def _with_date_format(example_path, tmp_path, sheet: str, cell: str, value: float) -> Path:
    """The example with ``value`` typed into ``sheet!cell`` formatted as a date: a number
    no date can have, which openpyxl reads as an error value (with a warning)."""
    book = _load(example_path)
    book[sheet][cell].value = value
    book[sheet][cell].number_format = "yyyy-mm-dd"
    path = tmp_path / "dated.xlsx"
    book.save(path)
    return path


def test_a_number_column_formatted_as_a_date_keeps_the_number(example_path, tmp_path, recwarn):
    # Holdings!E2 is the first holding's Quantity (3,700 in the example)
    path = _with_date_format(example_path, tmp_path, "Holdings", "E2", 638_146_011.0)
    inputs = read_workbook(path)
    assert inputs.holdings[0].quantity == 638_146_011.0
    assert not [w for w in recwarn if "marked as a date" in str(w.message)]  # not shown


def test_a_date_cell_holding_an_impossible_serial_is_a_located_problem(
    example_path, tmp_path, recwarn
):
    path = _with_date_format(example_path, tmp_path, "Settings", "B4", 638_146_011.16)
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    (problem,) = [str(p) for p in exc.value.problems]
    assert problem.startswith("Settings!B4 (Valuation date): is not a date; found 638,146,011")
    assert not [w for w in recwarn if "marked as a date" in str(w.message)]
