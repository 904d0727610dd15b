"""The first-hour issue, item by item (SPEC §2 revision 2): each fix with its test.

B1 blank rows inside a table are skipped; B2 a workbook with no holdings is refused,
saying what to fill in; B3 every table names a missing required column; B4 a percent
typed as 0.5 meaning 0.5% gets a hint; B5 a pledged Cash row is warned about; B6 the
template's example rows, required-column marks, one-screen Start here, unbroken
headers in print and file permissions; B8 the dividend-household example. B1 and B2
also run end to end through ``run.py`` on workbooks saved by LibreOffice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from engine import schema
from engine.errors import InputError
from engine.io.cells import CellIssue, convert
from engine.io.example import write_dividend_household, write_example
from engine.io.reader import read_workbook
from engine.io.template import write_template

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TOTAL_ASSETS = 135_000_000  # ¥125M equity + ¥10M cash


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    write_example(path)
    return path


@pytest.fixture(scope="module")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "alm_template.xlsx"
    write_template(path)
    return path


def edited(source: Path, tmp_path: Path, change, name: str = "edited.xlsx") -> Path:
    book = openpyxl.load_workbook(source)
    change(book)
    out = tmp_path / name
    book.save(out)
    return out


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


def libreoffice_resave(path: Path, folder: Path) -> Path:
    """The workbook as LibreOffice saves it (convert xlsx → xlsx, headless)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation=file://{folder.parent / 'lo-profile'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / path.name


def run_py(path: Path, out: Path) -> subprocess.CompletedProcess:
    """``run.py --json --no-history`` on one workbook, as a user runs it."""
    argv = [sys.executable, str(ROOT / "run.py"), "--json", "--no-history", "--quiet"]
    argv += ["--paths", "200", "--out", str(out), str(path)]
    env = {**os.environ, "ALM_NO_WAIT": "1"}
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)


def summary_of(out: Path, stem: str) -> dict:
    (path,) = out.glob(f"{stem} results *.json")
    return json.loads(path.read_text("utf-8"))


# --------------------------------------------------------------------------- B1
def insert_blank_rows(book) -> None:
    """Blank rows where people leave them: inside Holdings (twice), Loans, Cashflows,
    Settings and Correlations, and one under the last Holdings row."""
    book["Holdings"].insert_rows(6)
    book["Holdings"].insert_rows(12, 2)
    book["Loans"].insert_rows(3)
    book["Cashflows"].insert_rows(4)
    book["Settings"].insert_rows(10)
    book["Correlations"].insert_rows(4)


def test_b1_blank_rows_inside_tables_drop_nothing(example_path, tmp_path):
    example = read_workbook(example_path)
    inputs = read_workbook(edited(example_path, tmp_path, insert_blank_rows))
    # Revision 1 kept the 4 holdings above the first gap: ¥43.2M of ¥135M.
    assert len(inputs.holdings) == 13 and inputs.total_assets == EXAMPLE_TOTAL_ASSETS
    assert inputs.total_assets == example.total_assets
    assert [h.name for h in inputs.holdings] == [h.name for h in example.holdings]
    moved = (replace(loan, row=n) for loan, n in zip(example.loans, (2, 4), strict=True))
    assert inputs.loans == tuple(moved)  # the line moved from row 3 to 4, nothing else
    assert len(inputs.cashflows) == 4 and inputs.settings == example.settings
    assert inputs.correlations == example.correlations
    assert inputs.warnings == ()


def test_b1_rows_after_a_long_gap_are_read(example_path, tmp_path):
    def change(book):
        ws = book["Holdings"]
        last = [c.value for c in ws[14]]  # the cash row moves 40 rows down
        for j, value in enumerate(last, start=1):
            ws.cell(14, j).value = None
            ws.cell(54, j).value = value

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert inputs.cash == 10_000_000 and inputs.holdings[-1].row == 54


@pytest.mark.libreoffice
def test_b1_end_to_end_blank_row_saved_by_libreoffice(example_path, tmp_path):
    gappy = edited(example_path, tmp_path, insert_blank_rows, "gappy.xlsx")
    resaved = libreoffice_resave(gappy, tmp_path / "lo")
    plain = libreoffice_resave(example_path, tmp_path / "lo")
    for path in (resaved, plain):
        done = run_py(path, tmp_path / "out")
        assert done.returncode == 0, done.stderr
    with_gaps = summary_of(tmp_path / "out", "gappy")["balance_sheet"]
    example = summary_of(tmp_path / "out", "example")["balance_sheet"]
    assert with_gaps["total_assets"] == example["total_assets"] == EXAMPLE_TOTAL_ASSETS
    for key in ("total_loans", "dividends_gross", "net_worth", "pv_future_net_expenses"):
        assert with_gaps[key] == example[key], key


# --------------------------------------------------------------------------- B2
BLANK_TEMPLATE_PROBLEMS = [
    "Holdings!A2: the table has no data row; found only the header row and the template's "
    "greyed example row (not read while unchanged); fill in one row per holding: Name, Asset "
    "class, Quantity and Price, and a row of asset class Cash for your cash (Quantity = the "
    "amount)",
    "Loans!A2: the table has no data row; found only the header row and the template's "
    "greyed example row (not read while unchanged); enter each loan and credit line (Name, "
    "Type, Balance, Interest rate); with no borrowing at all, enter one Unsecured line with "
    "Balance 0, Limit 0 and Interest rate 0",
]


def test_b2_no_holdings_is_refused_saying_what_to_fill_in(example_path, tmp_path):
    def change(book):
        book["Holdings"].delete_rows(2, 13)

    assert problems(edited(example_path, tmp_path, change)) == [
        "Holdings!A2: the table has no data row; found only the header row; fill in one row "
        "per holding: Name, Asset class, Quantity and Price, and a row of asset class Cash for "
        "your cash (Quantity = the amount)"
    ]


@pytest.mark.parametrize("sheet", ["Scenarios", "Cashflows", "FX"])
def test_b2_tables_that_may_be_empty(example_path, tmp_path, sheet):
    def change(book):
        book[sheet].delete_rows(2, 20)
        if sheet == "FX":  # the USD holding goes too
            book["Holdings"]["D13"], book["Holdings"]["F13"] = "JPY", 75_000

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert {"Scenarios": inputs.scenarios, "Cashflows": inputs.cashflows, "FX": inputs.fx}[
        sheet
    ] == ()


@pytest.mark.libreoffice
def test_b2_end_to_end_blank_template_saved_by_libreoffice(template_path, tmp_path):
    resaved = libreoffice_resave(template_path, tmp_path / "lo")
    assert problems(resaved) == BLANK_TEMPLATE_PROBLEMS
    done = run_py(resaved, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for message in BLANK_TEMPLATE_PROBLEMS:
        assert f"  {message}" in done.stderr.splitlines()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["run.log"]  # no results


# --------------------------------------------------------------------------- B3
MISSING = [
    (t, c) for t in schema.TABLES for c in t.required if c.name not in t.header_names
]  # every required column that does not identify its table's header row


@pytest.mark.parametrize(
    ("table", "column"), MISSING, ids=[f"{t.sheet}-{c.name}" for t, c in MISSING]
)
def test_b3_every_table_names_a_missing_required_column(example_path, tmp_path, table, column):
    def change(book):
        ws = book[table.sheet]
        for cell in ws[1]:
            if str(cell.value).removesuffix(" *") == column.name:
                cell.value = f"My {column.name.lower()}"

    assert problems(edited(example_path, tmp_path, change)) == [
        (
            f"{table.sheet}!1:1 ({column.name}): the column is missing; found no "
            f"'{column.name}' in the header row 1; add a column headed '{column.name}' and fill "
            "it in for every row"
        )
    ]


def test_b3_holdings_without_quantity_and_price_names_both(example_path, tmp_path):
    # Revision 1 said "no header row found in the first 10 rows" although it was there.
    def change(book):
        book["Holdings"]["E1"], book["Holdings"]["F1"] = "Shares", "Cost"

    assert problems(edited(example_path, tmp_path, change)) == [
        "Holdings!1:1 (Quantity): the column is missing; found no 'Quantity' in the header row "
        "1; add a column headed 'Quantity' and fill it in for every row",
        "Holdings!1:1 (Price): the column is missing; found no 'Price' in the header row 1; "
        "add a column headed 'Price' and fill it in for every row",
    ]


def test_b3_headers_with_or_without_the_required_mark(example_path, tmp_path):
    def change(book):
        for cell in book["Holdings"][1]:
            cell.value = str(cell.value).removesuffix(" *").upper()  # "NAME", not "Name *"

    assert len(read_workbook(edited(example_path, tmp_path, change)).holdings) == 13


# --------------------------------------------------------------------------- B4
def column(name: str, table: schema.Table | None = None) -> schema.Column:
    if table is None:
        return next(c for c in schema.SETTINGS if c.name == name)
    return table.column(name)


MEANT_AS_PERCENT = [
    column("Dividend growth", schema.HOLDINGS),
    column("Withholding", schema.HOLDINGS),
    column("DOE", schema.HOLDINGS),
    column("Interest rate", schema.LOANS),
    column("Commitment fee", schema.LOANS),
    column("Selling cost"),
    column("Expense inflation"),
    column("Discount rate"),
    column("Inflation volatility"),
    column("Growth", schema.CASHFLOWS),
]
REAL_FRACTIONS = [
    column("Freeze LTV", schema.LOANS),
    column("Liquidation LTV", schema.LOANS),
    column("Advance rate", schema.ASSET_CLASSES),
    column("Crisis dividend cut", schema.ASSET_CLASSES),
    column("Payout ratio", schema.HOLDINGS),
    column("ROE", schema.HOLDINGS),
    column("Equity drawdown", schema.SCENARIOS),
    column("Target drawdown"),
    column("Capital gains tax rate"),
]


@pytest.mark.parametrize("col", MEANT_AS_PERCENT, ids=lambda c: c.name)
def test_b4_half_typed_as_a_number_gets_the_hint(col):
    issue = convert(col, 0.5)
    assert isinstance(issue, CellIssue)
    assert issue.fix == "did you mean 0.5%? Type 0.5% (or 0.005) in the cell"
    assert convert(col, 0.005) == 0.005  # 0.5% typed as 0.5% is fine
    assert convert(col, "0.5%") == 0.005


@pytest.mark.parametrize("col", REAL_FRACTIONS, ids=lambda c: c.name)
def test_b4_real_fractions_of_one_half_are_accepted(col):
    assert col.plausible_hi is None
    assert convert(col, 0.5) == 0.5


def test_b4_plausible_bounds_sit_inside_each_range():
    columns = [*schema.SETTINGS, *(c for t in schema.TABLES for c in t.columns)]
    bounded = [c for c in columns if c.plausible_hi is not None]
    assert len(bounded) >= 10
    for c in bounded:
        assert c.kind == "percent" and c.lo <= c.plausible_hi < c.hi, c.name
        assert c.default is None or c.default <= c.plausible_hi, c.name


def test_b4_message_through_the_reader(example_path, tmp_path):
    def change(book):
        book["Holdings"]["Q13"] = 0.5  # the USD ETF's withholding: 0.5 = 50%?

    assert problems(edited(example_path, tmp_path, change)) == [
        "Holdings!Q13 (Withholding): looks like a percent typed as a number: percent cells "
        "hold fractions, so 0.5 is 50%, above the plausible 35%; found 0.5; did you mean "
        "0.5%? Type 0.5% (or 0.005) in the cell"
    ]


# --------------------------------------------------------------------------- B5
def test_b5_pledged_cash_is_accepted_with_a_warning(example_path, tmp_path):
    def change(book):
        book["Holdings"]["H14"] = "Securities-backed loan"

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert inputs.warnings == (
        "Holdings!H14 (Pledged to): a Cash holding pledged to a loan counts as its collateral: "
        "it moves the LTV, and it is not counted in your cash; found 'Cash (yen deposits)' "
        "pledged to 'Securities-backed loan'; clear Pledged to unless the lender really holds "
        "this cash as collateral",
    )
    pledged = sum(h.market_value for h in inputs.holdings if h.pledged_to is not None)
    # ¥105M of taxable equity + ¥10M cash: the LTV falls from 50/105 = 47.6% to 43.5%.
    assert pledged == 115_000_000 and 50e6 / pledged == pytest.approx(0.43478, abs=1e-5)
    assert inputs.cash == 0.0


# --------------------------------------------------------------------------- B6
def test_b6_untouched_example_rows_are_not_read(template_path, tmp_path):
    def change(book):  # the user adds rows under the greyed examples and leaves them
        ws = book["Holdings"]
        ws["A3"], ws["C3"], ws["E3"] = "Cash", "Cash", 2_000_000
        loans = book["Loans"]
        for col, value in zip("ABCE", ("Card line", "Unsecured line", 0, 0.03), strict=True):
            loans[f"{col}3"] = value

    inputs = read_workbook(edited(template_path, tmp_path, change))
    assert [h.name for h in inputs.holdings] == ["Cash"] and inputs.total_assets == 2_000_000
    assert [loan.name for loan in inputs.loans] == ["Card line"]
    assert inputs.cashflows == () and inputs.fx == () and inputs.history is None


@pytest.mark.parametrize(("cell", "value"), [("E2", 200), ("S2", None), ("S2", "my note")])
def test_b6_an_edited_example_row_is_read(template_path, tmp_path, cell, value):
    def change(book):
        book["Holdings"][cell] = value
        loans = book["Loans"]
        for col, v in zip("ABCE", ("Card line", "Unsecured line", 0, 0.03), strict=True):
            loans[f"{col}3"] = v

    inputs = read_workbook(edited(template_path, tmp_path, change))
    (holding,) = inputs.holdings
    assert holding.name == "Example: Toyota Motor"
    assert holding.quantity == (200 if cell == "E2" else 100)


def test_b6_a_reference_to_an_example_row_gets_a_hint(template_path, tmp_path):
    def change(book):
        ws = book["Holdings"]
        for col, value in zip("ACDEFH", ("ETF", "Foreign equity", "USD", 10, 500,
                                         "Example: securities-backed loan"), strict=True):  # fmt: skip
            ws[f"{col}3"] = value

    found = problems(edited(template_path, tmp_path, change))
    assert (
        "Holdings!D3 (Currency): has no exchange rate into the base currency JPY; found 'USD'; "
        "the USD row on the FX sheet is the template's greyed example, not read while "
        "unchanged: type today's rate over it"
    ) in found
    assert (
        "Holdings!H3 (Pledged to): is not a loan on the Loans sheet; found 'Example: "
        "securities-backed loan'; that is the template's greyed example row on Loans, not "
        "read while unchanged: type your own loan over it, then pledge to its name"
    ) in found


def test_b6_template_file_has_normal_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_template(tmp_path / "t.xlsx")
        assert (tmp_path / "t.xlsx").stat().st_mode & 0o777 == 0o644  # 0o666 & ~0o022
        os.umask(0o002)
        write_template(tmp_path / "u.xlsx")
        assert (tmp_path / "u.xlsx").stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(umask)
    committed = ROOT / "templates" / "alm_template.xlsx"
    assert committed.stat().st_mode & 0o044 == 0o044  # readable by everyone, as shipped


@pytest.mark.libreoffice
def test_b6_no_header_word_is_broken_in_print(template_path, tmp_path):
    """LibreOffice prints the template; every word of every header appears whole."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler are needed")
    subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(template_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "alm_template.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    tokens = set(text.split())
    for table in (*schema.TABLES, schema.HISTORY):
        for col in table.columns:
            for word in col.header.split():
                assert word in tokens, f"{table.sheet} header {col.header!r}: {word!r} broken"


# --------------------------------------------------------------------------- B8
def test_b8_dividend_household(tmp_path):
    path = tmp_path / "example-dividend-household.xlsx"
    write_dividend_household(path)
    inputs = read_workbook(path)
    assert inputs.warnings == ()
    s = inputs.settings
    assert s.fire_age == s.current_age  # FIRE already
    stocks = [h for h in inputs.holdings if h.asset_class != "Cash"]
    assert 8 <= len(stocks) <= 10 and {h.asset_class for h in stocks} == {"Domestic equity"}
    assert sum(h.market_value for h in stocks) == 125_000_000 and inputs.cash == 10_000_000
    assert {h.dividend_policy for h in stocks} == {"DOE", "Progressive"}
    nisa = [h for h in stocks if h.is_nisa]
    assert nisa and all(h.pledged_to is None for h in nisa)
    assert sum(h.quantity * h.cost_basis for h in nisa) <= 12_000_000  # NISA growth quota
    assert all(h.pledged_to == "Securities-backed loan" for h in stocks if not h.is_nisa)
    assert all(0 < h.cost_basis for h in stocks)
    assert sum(h.cost_basis > h.price for h in stocks) == 1  # one bought above today's price
    tokio = next(h for h in stocks if h.name == "Tokio Marine")
    assert tokio.dps == pytest.approx(0.065 * 2_600)  # blank DPS: its DOE policy's 169
    loan = inputs.loan_by_name["Securities-backed loan"]
    assert (loan.balance, loan.limit) == (50_000_000, 60_000_000)
    assert (loan.freeze_ltv, loan.margin_call_ltv, loan.liquidation_ltv) == (0.6, 0.7, 0.85)
    assert (loan.forced_sale, loan.rate_type) == ("All", "Floating")
    assert "Japan Securities Finance" in loan.notes
    line = inputs.loan_by_name["Standby credit line"]
    assert (line.type, line.balance, line.limit, line.interest_rate) == (
        "Unsecured line",
        0,
        8_000_000,
        0.03,
    )
    (living,) = inputs.cashflows
    assert (living.type, living.amount, living.frequency, living.inflation_linked) == (
        "Expense",
        330_000,
        "Monthly",
        True,
    )
    # ¥113M pledged against ¥50M: LTV 44.2%, so prices can fall 1 - 0.442/0.60 = 26% to freeze.
    pledged = sum(h.market_value for h in stocks if h.pledged_to)
    assert pledged == 113_000_000 and loan.balance / pledged == pytest.approx(0.44248, abs=1e-5)


# --------------------------------------------------------------------------- items 2, 4, 5 end to end
def run_py_with(argv: list[str]) -> subprocess.CompletedProcess:
    """``run.py`` with ``argv``, as a user runs it (200 paths)."""
    argv = [sys.executable, str(ROOT / "run.py"), "--paths", "200", *argv]
    env = {**os.environ, "ALM_NO_WAIT": "1"}
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)


def set_cell(sheet: str, cell: str, value):
    def change(book):
        book[sheet][cell] = value

    return change


@pytest.mark.libreoffice
def test_blank_dps_end_to_end_is_the_policy_dividend_everywhere(example_path, tmp_path):
    """Item 2: a DOE holding with a blank Dividend per share paid 0 on the Balance Sheet
    and in the Spread (−0.56%, amber) but DOE × BVPS in the Snowball. Now blank means
    the policy's dividend, 6.5% × ¥2,600 = ¥169 a share, in every analysis: the same
    numbers as typing 169 (Tokio Marine, row 9)."""
    blank = edited(example_path, tmp_path, set_cell("Holdings", "J9", None), "blank dps.xlsx")
    typed = edited(example_path, tmp_path, set_cell("Holdings", "J9", 169), "typed dps.xlsx")
    for path in (blank, typed):
        done = run_py(libreoffice_resave(path, tmp_path / "lo"), tmp_path / "out")
        assert done.returncode == 0, done.stderr
    a, b = summary_of(tmp_path / "out", "blank dps"), summary_of(tmp_path / "out", "typed dps")
    for key in ("dividends_gross", "dividends_net", "net_dividend_yield", "spread"):
        assert a["balance_sheet"][key] == pytest.approx(b["balance_sheet"][key], rel=1e-12), key
    assert a["balance_sheet"]["spread"] > 0  # not the −0.56% of a zero dividend
    first = a["snowball"]["years"][0]["dividends_gross"]
    assert first == pytest.approx(b["snowball"]["years"][0]["dividends_gross"], rel=1e-12)


@pytest.mark.libreoffice
def test_a_what_if_copy_end_to_end(example_path, tmp_path):
    """Item 4: a what-if copy with the same Portfolio name and valuation date replaced
    the real snapshot in the history without a word. Now the replacement names both
    files; with Record history = No the copy leaves the history untouched."""
    lo = tmp_path / "lo"
    real = libreoffice_resave(example_path, lo)
    what_if = libreoffice_resave(
        edited(example_path, tmp_path, set_cell("Holdings", "F9", 5_000), "what-if.xlsx"), lo
    )
    quiet_copy = libreoffice_resave(
        edited(example_path, tmp_path, set_cell("Settings", "B25", "No"), "no record.xlsx"), lo
    )
    history = tmp_path / "history.sqlite"
    common = ["--out", str(tmp_path / "out"), "--history", str(history)]

    def snapshot_source() -> list:
        import sqlite3

        with sqlite3.connect(history) as conn:
            return conn.execute("SELECT input_name FROM runs").fetchall()

    assert run_py_with([*common, str(real)]).returncode == 0
    done = run_py_with([*common, "--quiet", str(what_if)])
    assert done.returncode == 0, done.stderr
    assert "came from example.xlsx" in done.stderr  # printed under --quiet too
    assert "replaced by this run of what-if.xlsx" in done.stderr
    assert snapshot_source() == [("what-if.xlsx",)]
    assert run_py_with([*common, str(real)]).returncode == 0  # the real one back
    done = run_py_with([*common, str(quiet_copy)])
    assert done.returncode == 0, done.stderr
    assert "not recorded in the history (Record history = No)" in done.stdout
    assert snapshot_source() == [("example.xlsx",)]


@pytest.mark.libreoffice
def test_files_the_scan_skips_end_to_end(example_path, tmp_path):
    """Item 5: .ods, .xls and .csv files in the scanned folder were skipped without a
    word. Now each is named with how to save it as .xlsx, --quiet or not."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path / "workbooks"
    folder.mkdir()
    shutil.copy(example_path, folder / "example.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run([exe, "--headless", profile, "--convert-to", "ods", "--outdir", str(folder),
                    str(example_path)], check=True, capture_output=True, timeout=180)  # fmt: skip
    (folder / "trades.csv").write_text("date,amount\n2026-11-20,100\n", encoding="utf-8")
    done = run_py_with(["--quiet", "--no-history", "--out", str(tmp_path / "out"), str(folder)])
    assert done.returncode == 0, done.stderr
    skipped = [line for line in done.stderr.splitlines() if line.startswith("Skipped")]
    assert [line.split(":")[0] for line in skipped] == [
        "Skipped example.ods",
        "Skipped trades.csv",
    ]
    assert all("LibreOffice: File > Save As" in line and "Excel: File > Save As" in line
               for line in skipped)  # fmt: skip
    assert len(list((tmp_path / "out").glob("example results *.xlsx"))) == 1
