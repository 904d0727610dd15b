"""The template comes from the schema: sheets, Excel Tables, dropdowns, formats, defaults."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import schema
from engine.errors import InputError
from engine.io.example import write_example
from engine.io.reader import read_workbook
from engine.io.template import SHEET_ORDER, build_workbook, write_template

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "alm_template.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def book(template_path):
    return openpyxl.load_workbook(template_path)


def validations(ws) -> dict[str, object]:
    """First column letter of each validation range -> the validation."""
    return {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in ws.data_validations.dataValidation
    }


def widths(ws) -> dict[int, float]:
    """Column index -> width (openpyxl groups equal neighbouring columns)."""
    out = {}
    for dim in ws.column_dimensions.values():
        for j in range(dim.min, dim.max + 1):
            out[j] = dim.width
    return out


def test_sheets_in_order(book):
    assert book.sheetnames == ["Start here", *SHEET_ORDER]


def test_committed_template_is_current(template_path):
    assert (ROOT / "templates" / "alm_template.xlsx").read_bytes() == template_path.read_bytes()


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.sheet)
def test_every_table_is_an_excel_table_with_schema_headers(book, table):
    ws = book[table.sheet]
    assert len(ws.tables) == 1
    (tbl,) = ws.tables.values()
    assert [c.name for c in tbl.tableColumns] == [c.name for c in table.columns]
    assert ws.freeze_panes == "B2"
    for j, column in enumerate(table.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        assert ws[f"{letter}1"].value == column.name
        assert widths(ws)[j] == pytest.approx(column.width, abs=1)


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.sheet)
def test_every_column_has_an_input_message_from_its_help(book, table):
    dvs = validations(book[table.sheet])
    for j, column in enumerate(table.columns, start=1):
        dv = dvs[openpyxl.utils.get_column_letter(j)]
        assert dv.promptTitle == column.name[:32]
        assert dv.prompt.startswith(column.help[:200])


@pytest.mark.parametrize(
    ("sheet", "column", "source"),
    [
        ("Holdings", "Asset class", "AssetClasses!$A$2"),
        ("Holdings", "Pledged to", "Loans!$A$2"),
        ("Holdings", "Currency", "USD"),
        ("Holdings", "Account", '"Taxable,NISA"'),
        ("Holdings", "Role", '"Core,Satellite"'),
        ("Holdings", "Dividend policy", '"DOE,Progressive,Payout,Fixed,None"'),
        ("Loans", "Type", '"Securities-backed,Unsecured line,Amortizing"'),
        ("Loans", "Forced sale", '"All,To freeze"'),
        ("Cashflows", "Type", '"Expense,Income"'),
        ("Cashflows", "Frequency", '"Monthly,Annual,Once"'),
        ("Cashflows", "Inflation-linked", '"Yes,No"'),
        ("Cashflows", "Stops at FIRE", '"Yes,No"'),
    ],
)
def test_dropdowns(book, sheet, column, source):
    table = next(t for t in schema.TABLES if t.sheet == sheet)
    j = [c.name for c in table.columns].index(column) + 1
    dv = validations(book[sheet])[openpyxl.utils.get_column_letter(j)]
    assert dv.type == "list" and source in dv.formula1


def test_number_formats_and_settings_notes(template_path):
    # Column formats are written on the (one, blank) table row and the columns.
    ws = openpyxl.load_workbook(template_path)["Settings"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for column in schema.SETTINGS:
        r = rows[column.name]
        assert ws.cell(r, 3).value.startswith(column.help)  # Notes = help (+ default)
        if column.kind == "percent":
            assert "%" in ws.cell(r, 2).number_format
    assert ws.cell(rows["Expense inflation"], 3).value.endswith("Default: 2%.")
    assert ws.cell(rows["Valuation date"], 2).value is None  # default: today
    assert ws.freeze_panes == "A2"


def test_prefilled_defaults(book):
    classes = book["AssetClasses"]
    got = [[c.value for c in row] for row in classes.iter_rows(min_row=2, max_row=6)]
    assert got == [list(r.values()) for r in schema.DEFAULT_ASSET_CLASSES]
    scenarios = book["Scenarios"]
    got = [[c.value for c in row] for row in scenarios.iter_rows(min_row=2, max_row=7)]
    assert got == [list(r.values()) for r in schema.DEFAULT_SCENARIOS]
    corr = book["Correlations"]
    labels = [c.value for c in corr[1]][1:]
    assert labels == [r["Asset class"] for r in schema.DEFAULT_ASSET_CLASSES] + ["FX:USD"]
    for i, a in enumerate(labels, start=2):
        for j, b in enumerate(labels, start=2):
            assert corr.cell(i, j).value == schema.default_correlation(a, b)
    for sheet in ("Holdings", "Loans", "Cashflows"):
        assert all(c.value is None for c in book[sheet][2])


def test_start_here_explains_every_sheet_and_column(book):
    text = [c.value for row in book["Start here"].iter_rows() for c in row if c.value]
    for sheet, help_text in schema.SHEET_HELP.items():
        assert sheet in text and help_text in text
    for table in schema.TABLES:
        for column in table.columns:
            assert column.help in text


def test_example_says_figures_are_illustrative(tmp_path):
    path = tmp_path / "example.xlsx"
    write_example(path)
    cells = [c.value for row in openpyxl.load_workbook(path)["Start here"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("Figures are illustrative.") for v in cells)


def test_user_text_is_never_a_formula(tmp_path):
    name = '=HYPERLINK("http://example.com","x")'
    path = tmp_path / "hostile names.xlsx"
    holding = {"Name": name, "Asset class": "Cash", "Quantity": 1, "Price": 1}
    build_workbook(path, rows={"Holdings": [holding]})
    cell = openpyxl.load_workbook(path)["Holdings"]["A2"]
    assert cell.data_type == "s" and cell.value == name
    assert read_workbook(path).holdings[0].name == name


percent_settings = [c for c in schema.SETTINGS if c.kind == "percent"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    age=st.integers(18, 80),
    horizon=st.integers(1, 100),
    paths=st.integers(100, 1_000_000),
    day=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
)
def test_settings_round_trip(tmp_path_factory, data, age, horizon, paths, day):
    """Whatever valid settings are written into the template are read back unchanged."""
    values = {
        "Current age": age,
        "Horizon years": horizon,
        "Monte Carlo paths": paths,
        "Valuation date": day,
        "Reinvest surplus": data.draw(st.sampled_from(["Yes", "No"])),
    }
    for column in percent_settings:
        values[column.name] = data.draw(
            st.floats(column.lo, column.hi, allow_nan=False).map(lambda x: round(x, 6))
        )
    path = tmp_path_factory.mktemp("round") / "round trip.xlsx"
    build_workbook(path, settings=values)
    s = read_workbook(path).settings
    assert (s.current_age, s.horizon_years, s.mc_paths) == (age, horizon, paths)
    assert s.valuation_date == day and s.fire_age == age
    assert s.reinvest_surplus is (values["Reinvest surplus"] == "Yes")
    for column in percent_settings:
        assert getattr(s, column.attr) == pytest.approx(values[column.name])


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_resave_computes_formulas_and_keeps_input_valid(tmp_path):
    """The advice for a formula with no saved value works: a real spreadsheet
    application opens the template, recalculates, saves, and the file reads."""
    source = tmp_path / "in" / "book.xlsx"
    source.parent.mkdir()
    write_example(source)
    book = openpyxl.load_workbook(source)
    book["Holdings"]["E2"] = "=3000+700"  # openpyxl stores no cached value
    book.save(source)
    with pytest.raises(InputError):
        read_workbook(source)
    out_dir = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    inputs = read_workbook(out_dir / "book.xlsx")
    assert inputs.holdings[0].quantity == 3700
    assert inputs.warnings == ()
