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
from engine.io.template_guide import GUIDE_SHEET, header_width

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
    assert book.sheetnames == ["Start here", *SHEET_ORDER, GUIDE_SHEET]


def test_committed_template_is_current(template_path):
    assert (ROOT / "templates" / "alm_template.xlsx").read_bytes() == template_path.read_bytes()


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.sheet)
def test_every_table_is_an_excel_table_with_schema_headers(book, table):
    ws = book[table.sheet]
    assert len(ws.tables) == 1
    (tbl,) = ws.tables.values()
    # Required columns are marked on the sheet itself: "Name *".
    assert [c.name for c in tbl.tableColumns] == [c.header for c in table.columns]
    assert ws.freeze_panes == "B2"
    for j, column in enumerate(table.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        assert ws[f"{letter}1"].value == (f"{column.name} *" if column.required else column.name)
        assert widths(ws)[j] == pytest.approx(header_width(column.header, column.width), abs=1)
        assert widths(ws)[j] >= column.width


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
        ("Loans", "Rate type", '"Fixed,Floating"'),
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


def _records(ws, first: int, last: int) -> list[dict]:
    """Rows ``first``..``last`` as {column name (required mark removed): value}."""
    names = [str(c.value).removesuffix(" *") for c in ws[1]]
    rows = ws.iter_rows(min_row=first, max_row=last, values_only=True)
    return [{n: v for n, v in zip(names, row, strict=True) if v is not None} for row in rows]


def test_prefilled_defaults(book):
    assert _records(book["AssetClasses"], 2, 6) == list(schema.DEFAULT_ASSET_CLASSES)
    assert [r["Dividend beta"] for r in schema.DEFAULT_ASSET_CLASSES] == [0.6, 0.6, 0.8, 0, 0]
    assert _records(book["Scenarios"], 2, 7) == list(schema.DEFAULT_SCENARIOS)
    corr = book["Correlations"]
    labels = [c.value for c in corr[1]][1:]
    classes = [r["Asset class"] for r in schema.DEFAULT_ASSET_CLASSES]
    assert labels == [*classes, "FX:USD", "Inflation"]
    for i, a in enumerate(labels, start=2):
        for j, b in enumerate(labels, start=2):
            assert corr.cell(i, j).value == schema.default_correlation(a, b)
    inflation = dict(zip(labels, [c.value for c in corr[len(labels) + 1]][1:], strict=True))
    assert inflation == {
        "Domestic equity": -0.1,
        "Foreign equity": -0.1,
        "REIT": 0,
        "Bond": 0,
        "Cash": 0,
        "FX:USD": 0,
        "Inflation": 1,
    }


@pytest.mark.parametrize("table", [*schema.TABLES, schema.HISTORY], ids=lambda t: t.sheet)
def test_empty_tables_hold_one_greyed_example_row_marked_in_notes(book, table):
    ws = book[table.sheet]
    if table.example is None:  # AssetClasses, Scenarios: pre-filled defaults instead
        assert table.sheet in ("AssetClasses", "Scenarios")
        return
    (row,) = _records(ws, 2, 2)
    assert {k: (v.date() if hasattr(v, "date") else v) for k, v in row.items()} == dict(
        table.example
    )
    assert row["Notes"] == schema.EXAMPLE_NOTE
    assert ws.max_row == 2
    assert ws["A2"].font.i and ws["A2"].font.color.rgb.endswith("808080")  # greyed


def test_start_here_is_one_screen_with_a_link_to_every_sheet(book):
    ws = book["Start here"]
    assert ws.max_row <= 30  # it was 91 rows: the column reference is the Column guide now
    text = [c.value for row in ws.iter_rows() for c in row if c.value]
    for sheet, help_text in schema.SHEET_HELP.items():
        assert sheet in text and help_text in text
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {s: f"'{s}'!A1" for s in (*SHEET_ORDER, GUIDE_SHEET)}
    assert any("marked * are required" in t for t in text)


def test_start_here_lists_published_lender_rules(book):
    rows = [
        [c for c in row if c is not None] for row in book["Start here"].iter_rows(values_only=True)
    ]
    by_lender = {r[0]: r[1:] for r in rows if r and str(r[0]).startswith(("Rakuten", "Japan"))}
    assert by_lender["Rakuten Bank (楽天銀行 証券担保ローン)"][:4] == [0.60, "none", 0.85, "All"]
    jsf = by_lender["Japan Securities Finance (日本証券金融 / 日証金)"]
    assert jsf[:4] == [0.60, 0.70, 0.85, "All"]
    assert "within 5 business days" in jsf[4]


def test_column_guide_explains_every_setting_and_column(book):
    text = [c.value for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value]
    for column in schema.SETTINGS:
        assert column.name in text and column.help in text
    for table in (*schema.TABLES, schema.HISTORY):
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
    build_workbook(path, rows={"Holdings": [holding], "Loans": NO_LOAN})
    cell = openpyxl.load_workbook(path)["Holdings"]["A2"]
    assert cell.data_type == "s" and cell.value == name
    assert read_workbook(path).holdings[0].name == name


percent_settings = [c for c in schema.SETTINGS if c.kind == "percent"]
NO_LOAN = [{"Name": "None", "Type": "Unsecured line", "Balance": 0, "Interest rate": 0}]
ONE_HOLDING = [{"Name": "Cash", "Asset class": "Cash", "Quantity": 1_000_000}]


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
        hi = column.hi if column.plausible_hi is None else column.plausible_hi
        values[column.name] = data.draw(
            st.floats(column.lo, hi, allow_nan=False).map(lambda x: round(x, 6))
        )
    for column in schema.SETTINGS:
        if column.kind == "choice":
            values[column.name] = data.draw(st.sampled_from(column.choices))
    path = tmp_path_factory.mktemp("round") / "round trip.xlsx"
    build_workbook(path, settings=values, rows={"Holdings": ONE_HOLDING, "Loans": NO_LOAN})
    s = read_workbook(path).settings
    assert (s.current_age, s.horizon_years, s.mc_paths) == (age, horizon, paths)
    assert s.valuation_date == day and s.fire_age == age
    assert s.reinvest_surplus is (values["Reinvest surplus"] == "Yes")
    for column in percent_settings:
        assert getattr(s, column.attr) == pytest.approx(values[column.name])
    for column in schema.SETTINGS:
        if column.kind == "choice":
            assert getattr(s, column.attr) == values[column.name]


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


def _fill(ws, records) -> None:
    """Type ``records`` (dicts by column name) into a template table from row 2, over its
    example row, the way a person fills the sheet."""
    columns = {str(c.value).removesuffix(" *"): c.column for c in ws[1]}
    for j in columns.values():
        ws.cell(2, j).value = None  # the example row is typed over
    for i, record in enumerate(records, start=2):
        for name, value in record.items():
            ws.cell(i, columns[name]).value = value


def test_template_filled_with_the_example_reads_back_equal(template_path, tmp_path):
    """The blank template, filled in by hand with the example's data, reads back as the
    example workbook does: the template and the example come from one schema."""
    from dataclasses import replace

    from engine.io import example as ex

    book = openpyxl.load_workbook(template_path)
    settings_ws = book["Settings"]
    rows = {settings_ws.cell(r, 1).value: r for r in range(2, settings_ws.max_row + 1)}
    for name, value in ex.SETTINGS.items():
        settings_ws.cell(rows[name], 2).value = value
    tables = {"Holdings": ex.holdings(), "FX": ex.fx(), "Loans": ex.loans()}
    tables["Cashflows"] = ex.cashflows()
    for sheet, records in tables.items():
        _fill(book[sheet], records)
    filled = tmp_path / "example.xlsx"
    book.save(filled)

    source = tmp_path / "generated" / "example.xlsx"
    source.parent.mkdir()
    write_example(source)
    got, want = read_workbook(filled), read_workbook(source)
    strip = lambda items: tuple(replace(x, row=0) for x in items)  # noqa: E731
    for name in ("holdings", "loans", "cashflows", "scenarios"):
        assert strip(getattr(got, name)) == strip(getattr(want, name)), name
    for name in ("settings", "asset_classes", "fx", "correlations", "history", "warnings"):
        assert getattr(got, name) == getattr(want, name), name
    assert len(got.holdings) == 13 and got.total_assets == 135_000_000
