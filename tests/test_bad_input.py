"""Bad input: each case mutates the example workbook and expects one exact Problem.

Every case runs through the command line in-process (``cli.main``) and asserts the
sheet, the cell and the column of the problem, a piece of its message, exit code 1,
the problem printed for the user (no traceback), and no results file, summary JSON or
history snapshot. Hostile files get the same end-to-end check here; their file-level
reasons are tested one by one in test_safety.py.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.io.reader
from engine.app import cli
from engine.errors import InputError, Problem
from engine.io.example import write_example
from engine.io.reader import read_workbook
from engine.io.safety import ENCRYPTED_STREAM, OLE2_MAGIC

# Example layout: Holdings rows 2-14 (7 = KDDI in NISA, 5 = MUFG Payout, 9 = Tokio Marine
# DOE, 12 = all-country fund in NISA, 13 = USD ETF, 14 = cash); Loans row 2 secured,
# row 3 the line; Cashflows row 3 education 2029-2034; Settings rows follow the schema.


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    write_example(path)
    return path


def mutated(example_path: Path, tmp_path: Path, change) -> Path:
    book = openpyxl.load_workbook(example_path)
    change(book)
    out = tmp_path / "bad.xlsx"
    book.save(out)
    return out


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return caught.value.problems


def setter(sheet: str, **cells):
    def change(book):
        for cell, value in cells.items():
            book[sheet][cell] = value

    return change


def add_amortizing_loan_and_pledge(book):
    loans = book["Loans"]
    for col, value in zip("ABCDE", ("Mortgage", "Amortizing", 20_000_000, None, 0.01), strict=True):
        loans[f"{col}4"] = value
    book["Holdings"]["H2"] = "Mortgage"


def delete_sheet(name):
    def change(book):
        del book[name]

    return change


def psd_violation(book):
    ws = book["Correlations"]  # B..G = Domestic, Foreign, REIT, Bond, Cash, FX:USD
    for a, b, value in (("C", 2, 0.9), ("G", 2, -0.9), ("G", 3, 0.9)):
        ws[f"{a}{b}"] = value
        ws[f"{chr(ord('A') + b - 1)}{ord(a) - ord('A') + 1}"] = value


# (id, change, sheet, cell, column, text in the message or fix)
CASES = [
    ("text-in-number", setter("Holdings", E2="many"), "Holdings", "E2", "Quantity", "is text"),
    ("date-in-number", setter("Holdings", F3=datetime(2026, 1, 5)), "Holdings", "F3", "Price", "is a date"),
    ("bool-in-number", setter("Holdings", E4=True), "Holdings", "E4", "Quantity", "must be a number"),
    ("blank-name", setter("Holdings", A4=None), "Holdings", "A4", "Name", "required but blank"),
    ("blank-asset-class", setter("Holdings", C5=None), "Holdings", "C5", "Asset class", "required"),
    ("blank-price", setter("Holdings", F2=None), "Holdings", "F2", "Price", "required but blank"),
    ("negative-quantity", setter("Holdings", E6=-100), "Holdings", "E6", "Quantity", "must not be negative"),
    ("unknown-asset-class", setter("Holdings", C2="Crypto"), "Holdings", "C2", "Asset class", "not an asset class"),
    ("currency-without-fx", setter("Holdings", D2="EUR"), "Holdings", "D2", "Currency", "no exchange rate"),
    ("bad-currency-code", setter("Holdings", D2="Euro"), "Holdings", "D2", "Currency", "3-letter"),
    ("unknown-loan", setter("Holdings", H2="Mystery loan"), "Holdings", "H2", "Pledged to", "not a loan"),
    ("duplicate-holding", setter("Holdings", A3="mitsubishi corp"), "Holdings", "A3", "Name", "duplicate"),
    ("nisa-pledged", setter("Holdings", H7="Securities-backed loan"), "Holdings", "H7", "Pledged to", "NISA"),
    ("pledged-to-line", setter("Holdings", H2="Standby credit line"), "Holdings", "H2", "Pledged to", "Unsecured line"),
    ("pledged-to-amortizing", add_amortizing_loan_and_pledge, "Holdings", "H2", "Pledged to", "Amortizing"),
    ("doe-missing-doe", setter("Holdings", M9=None), "Holdings", "M9", "DOE", "DOE dividend policy"),
    ("doe-missing-roe", setter("Holdings", N9=None), "Holdings", "N9", "ROE", "DOE dividend policy"),
    ("payout-missing-ratio", setter("Holdings", O5=None), "Holdings", "O5", "Payout ratio", "Payout dividend policy"),
    ("payout-missing-bvps", setter("Holdings", L5=None), "Holdings", "L5", "Book value per share", "Payout"),
    ("zero-bvps", setter("Holdings", L2=0), "Holdings", "L2", "Book value per share", "more than 0"),
    ("whole-percent-growth", setter("Holdings", P2=5), "Holdings", "P2", "Dividend growth", "did you mean 5%?"),
    ("unknown-policy", setter("Holdings", K2="Growing"), "Holdings", "K2", "Dividend policy", "allowed values"),
    ("unknown-account", setter("Holdings", G2="IRA"), "Holdings", "G2", "Account", "Taxable, NISA"),
    ("limit-below-balance", setter("Loans", D2=40_000_000), "Loans", "D2", "Limit", "below the Balance"),
    ("freeze-above-call", setter("Loans", H2=0.75), "Loans", "I2", "Margin call LTV", "below the Freeze LTV"),
    ("call-above-liquidation", setter("Loans", J2=0.65), "Loans", "J2", "Liquidation LTV", "below the Margin call LTV"),
    ("default-freeze-above-call", setter("Loans", H2=None, G2=None, I2=0.55), "Loans", "I2", "Margin call LTV", "collateral's advance rate"),
    ("duplicate-loan", setter("Loans", A3="Securities-backed loan"), "Loans", "A3", "Name", "duplicate"),
    ("unknown-loan-type", setter("Loans", B2="Margin loan"), "Loans", "B2", "Type", "Securities-backed, Unsecured line, Amortizing"),
    ("whole-percent-interest", setter("Loans", E2=1.5), "Loans", "E2", "Interest rate", "did you mean 1.5%?"),
    ("negative-balance", setter("Loans", C2=-1), "Loans", "C2", "Balance", "must not be negative"),
    ("end-before-start", setter("Cashflows", F3=2027), "Cashflows", "F3", "End year", "before the Start year"),
    ("negative-amount", setter("Cashflows", C2=-80_000), "Cashflows", "C2", "Amount", "more than 0"),
    ("unknown-frequency", setter("Cashflows", D2="Weekly"), "Cashflows", "D2", "Frequency", "Monthly, Annual, Once"),
    ("fractional-year", setter("Cashflows", E3=2029.5), "Cashflows", "E3", "Start year", "whole number"),
    ("bad-yes-no", setter("Cashflows", G2="maybe"), "Cashflows", "G2", "Inflation-linked", "Yes or No"),
    ("paths-out-of-range", setter("Settings", B13=50), "Settings", "B13", "Monte Carlo paths", "between 100 and 1,000,000"),
    ("whole-percent-setting", setter("Settings", B8=2), "Settings", "B8", "Expense inflation", "did you mean 2%?"),
    ("bad-date-setting", setter("Settings", B4="tomorrow"), "Settings", "B4", "Valuation date", "not a date"),
    ("text-age", setter("Settings", B5="forty"), "Settings", "B5", "Current age", "is text"),
    ("duplicate-setting", setter("Settings", A19="Random seed", B19=7), "Settings", "A19", "Setting", "appears twice"),
    ("whole-percent-volatility", setter("AssetClasses", C2=18), "AssetClasses", "C2", "Volatility", "did you mean 18%?"),
    ("whole-percent-return", setter("AssetClasses", B2=5), "AssetClasses", "B2", "Expected return", "did you mean 5%?"),
    ("duplicate-class", setter("AssetClasses", A3="Domestic Equity"), "AssetClasses", "A3", "Asset class", "duplicate"),
    ("zero-fx-rate", setter("FX", B2=0), "FX", "B2", "Rate", "more than 0"),
    ("blank-fx-rate", setter("FX", B2=None), "FX", "B2", "Rate", "required but blank"),
    ("whole-percent-drawdown", setter("Scenarios", B2=57), "Scenarios", "B2", "Equity drawdown", "did you mean 57%?"),
    ("correlation-out-of-range", setter("Correlations", C2=1.5, B3=1.5), "Correlations", "C2", "Domestic equity / Foreign equity", "between -1 and 1"),
    ("correlation-asymmetric", setter("Correlations", B3=0.5), "Correlations", "B3", "Foreign equity / Domestic equity", "not symmetric"),
    ("correlation-diagonal", setter("Correlations", B2=0.9), "Correlations", "B2", "Domestic equity / Domestic equity", "diagonal"),
    ("correlation-text", setter("Correlations", D2="high"), "Correlations", "D2", "Domestic equity / REIT", "not a number"),
    ("correlation-not-psd", psd_violation, "Correlations", "", "", "positive semi-definite"),
    ("missing-loans-sheet", delete_sheet("Loans"), "Loans", "", "", "sheet is missing"),
    ("missing-settings-sheet", delete_sheet("Settings"), "Settings", "", "", "sheet is missing"),
    ("missing-fx-sheet", delete_sheet("FX"), "Holdings", "D13", "Currency", "add an FX sheet"),
    ("header-not-found", setter("Holdings", A1="Nom"), "Holdings", "", "", "no header row"),
    ("holdings-without-a-price-column", setter("Holdings", F1="Cost"), "Holdings", "1:1", "Price", "column is missing"),
    ("holdings-without-a-quantity-column", setter("Holdings", E1="Qty"), "Holdings", "1:1", "Quantity", "column is missing"),
    ("classes-without-a-volatility-column", setter("AssetClasses", C1="Vol"), "AssetClasses", "1:1", "Volatility", "column is missing"),
    ("fx-without-a-rate-column", setter("FX", B1="FX rate"), "FX", "1:1", "Rate", "column is missing"),
    ("cashflows-without-an-amount-column", setter("Cashflows", C1="Yen"), "Cashflows", "1:1", "Amount", "column is missing"),
    ("scenarios-without-a-trough-column", setter("Scenarios", G1="Trough"), "Scenarios", "1:1", "Months to trough", "column is missing"),
    ("loans-without-a-balance-column", setter("Loans", C1="Drawn"), "Loans", "1:1", "Balance", "column is missing"),
    ("no-holdings", lambda book: book["Holdings"].delete_rows(2, 13), "Holdings", "A2", "", "no data row"),
    ("no-asset-classes", lambda book: book["AssetClasses"].delete_rows(2, 5), "AssetClasses", "A2", "", "no data row"),
    ("percent-as-number-withholding", setter("Holdings", Q13=0.5), "Holdings", "Q13", "Withholding", "did you mean 0.5%?"),
    ("percent-as-number-commitment-fee", setter("Loans", F3=0.25), "Loans", "F3", "Commitment fee", "did you mean 0.25%?"),
    ("unknown-history-series", setter("AssetClasses", H2="TOPIX"), "AssetClasses", "H2", "History series", "names no column of the History sheet"),
    ("dividend-beta-out-of-range", setter("AssetClasses", G2=3), "AssetClasses", "G2", "Dividend beta", "between 0 and 2"),
    ("bad-rate-type", setter("Loans", N2="Variable"), "Loans", "N2", "Rate type", "Fixed, Floating"),
    ("bad-loan-policy", setter("Settings", B19="Hold"), "Settings", "B19", "Loan policy", "Keep, Repay"),
    ("negative-cost-basis", setter("Holdings", R2=-1), "Holdings", "R2", "Cost basis", "must not be negative"),
    ("loans-without-a-rate-column", setter("Loans", E1="Rate?"), "Loans", "1:1", "Interest rate", "column is missing"),
    ("excel-error-value", setter("Holdings", F2="#DIV/0!"), "Holdings", "F2", "Price", "Excel error"),
    ("formula-no-cached-value", setter("Holdings", E2="=3700*1"), "Holdings", "E2", "Quantity", "open and save"),
    ("formula-in-setting", setter("Settings", B13="=100*100"), "Settings", "B13", "Monte Carlo paths", "open and save"),
    ("formula-in-correlation", setter("Correlations", C2="=0.75", B3="=0.75"), "Correlations", "C2", "Domestic equity / Foreign equity", "open and save"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "sheet", "cell", "column", "text"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_names_sheet_cell_and_column(
    example_path, tmp_path, capsys, monkeypatch, change, sheet, cell, column, text
):
    bad = mutated(example_path, tmp_path, change)
    code, problems, err, out, history = run_cli(bad, tmp_path, capsys, monkeypatch)
    located = [p for p in problems if (p.sheet, p.cell, p.column) == (sheet, cell, column)]
    assert located, f"no problem at {sheet}!{cell} ({column}); got: {[str(p) for p in problems]}"
    assert any(text in str(p) for p in located), [str(p) for p in located]
    # The rendered message carries the location the user looks for ...
    rendered = str(located[0])
    where = f"{sheet}!{cell}" + (f" ({column})" if column else "") + ":"
    assert rendered.startswith(where if cell else sheet)
    # ... and the command line shows it, exits 1 and writes nothing but its log.
    assert_refused_by_cli(code, err, out, history, bad, [str(p) for p in problems])


def run_cli(path: Path, tmp_path: Path, capsys, monkeypatch):
    """Run ``run.py --json PATH`` in-process; return (exit code, the reader's problems,
    stderr, results folder, history file). The reader runs once, as in a real run."""
    caught: list[InputError] = []
    real = engine.io.reader.read_workbook

    def spy(p):
        try:
            return real(p)
        except InputError as error:
            caught.append(error)
            raise

    monkeypatch.setattr(engine.io.reader, "read_workbook", spy)
    out, history = tmp_path / "results", tmp_path / "history.sqlite"
    capsys.readouterr()
    argv = ["--out", str(out), "--history", str(history), "--json", "--quiet", str(path)]
    code = cli.main(argv)
    err = capsys.readouterr().err
    problems = caught[0].problems if caught else ()
    return code, problems, err, out, history


def assert_refused_by_cli(code, err, out: Path, history: Path, path: Path, messages) -> None:
    assert code == cli.EXIT_INVALID == 1, err
    assert "Traceback" not in err
    assert f"{path.name}: not processed" in err
    for message in messages:
        assert f"  {message}" in err.splitlines()  # every problem printed, one a line
    assert sorted(p.name for p in out.iterdir()) == ["run.log"]  # no results, JSON or temp
    assert not history.exists()  # no snapshot recorded for a refused workbook
    log = (out / "run.log").read_text("utf-8")
    assert all(message in log for message in messages)


def test_at_least_thirty_cases():
    assert len(CASES) >= 30


# Hostile and unsupported files: (id, builder(example, folder) -> path, word in the reason)
def _text_renamed(example: Path, folder: Path) -> Path:
    path = folder / "holdings.xlsx"
    path.write_text("Name,Quantity\nToyota,100\n")
    return path


def _truncated(example: Path, folder: Path) -> Path:
    path = folder / "cut.xlsx"
    path.write_bytes(example.read_bytes()[: example.stat().st_size // 2])
    return path


def _renamed(suffix: str):
    def build(example: Path, folder: Path) -> Path:
        path = folder / f"book{suffix}"
        path.write_bytes(example.read_bytes())
        return path

    return build


def _ole2(name: str, *streams: bytes):
    def build(example: Path, folder: Path) -> Path:
        body = OLE2_MAGIC + b"\x00" * (512 - len(OLE2_MAGIC))
        for stream in streams:
            body += stream + b"\x00" * (128 - len(stream))
        path = folder / name
        path.write_bytes(body)
        return path

    return build


def _zip_bomb(example: Path, folder: Path) -> Path:
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))  # ~1000:1
    return path


def _entity_bomb(example: Path, folder: Path) -> Path:
    path = folder / "entities.xlsx"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    part = "xl/sharedStrings.xml"
    with zipfile.ZipFile(example) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = bomb + body.replace(b"<t>", b"<t>&lol2;", 1)
            dst.writestr(info, data)
    return path


HOSTILE = [
    ("text-file-renamed", _text_renamed, "not an Excel workbook"),
    ("truncated-zip", _truncated, "damaged or incomplete"),
    ("legacy-xls", _renamed(".xls"), ".xls"),
    ("binary-xlsb", _renamed(".xlsb"), ".xlsb"),
    ("opendocument", _renamed(".ods"), ".ods"),
    ("xls-renamed-xlsx", _ole2("old.xlsx", "Workbook".encode("utf-16-le")), "Save As"),
    ("encrypted", _ole2("secret.xlsx", "EncryptionInfo".encode("utf-16-le"), ENCRYPTED_STREAM),
     "password-protected"),
    ("zip-bomb", _zip_bomb, "100:1"),
    ("xml-entity-bomb", _entity_bomb, "entit"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "word"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_file_exit_1_and_no_results(
    example_path, tmp_path, capsys, monkeypatch, build, word
):
    folder = tmp_path / "in"
    folder.mkdir()
    path = build(example_path, folder)
    code, problems, err, out, history = run_cli(path, tmp_path, capsys, monkeypatch)
    (problem,) = problems
    assert problem.sheet == path.name and problem.cell == "" and problem.column == ""
    assert word.lower() in problem.message.lower(), problem.message
    assert_refused_by_cli(code, err, out, history, path, [str(problem)])


def test_every_problem_is_reported_at_once(example_path, tmp_path):
    def many(book):
        book["Holdings"]["E2"] = "many"
        book["Holdings"]["C3"] = "Crypto"
        book["Loans"]["D2"] = 1
        book["Cashflows"]["F3"] = 2000
        book["Settings"]["B13"] = 5
        book["AssetClasses"]["C2"] = 18

    problems = problems_of(mutated(example_path, tmp_path, many))
    where = {(p.sheet, p.cell) for p in problems}
    expected = {
        ("Holdings", "E2"),
        ("Holdings", "C3"),
        ("Loans", "D2"),
        ("Cashflows", "F3"),
        ("Settings", "B13"),
        ("AssetClasses", "C2"),
    }
    assert expected <= where


def test_problem_text_has_what_found_and_fix(example_path, tmp_path):
    (problem,) = problems_of(mutated(example_path, tmp_path, setter("AssetClasses", B2=5)))
    assert str(problem) == (
        "AssetClasses!B2 (Expected return): looks like a whole-number percent: percent cells "
        "hold fractions; found 5; did you mean 5%? Type 5% (or 0.05) in the cell"
    )


def test_warnings_do_not_block(example_path, tmp_path):
    def change(book):
        book["Settings"]["A19"] = "Favourite colour"
        book["Settings"]["B19"] = "green"
        book["Correlations"]["G2"] = None  # FX:USD / Domestic equity given nowhere now
        book["Correlations"]["B7"] = None

    inputs = read_workbook(mutated(example_path, tmp_path, change))
    assert any("unknown setting" in w and "Settings!A19" in w for w in inputs.warnings)
    assert any("taken as 0" in w and "Domestic equity / FX:USD" in w for w in inputs.warnings)
    assert inputs.correlations.get("Domestic equity", "FX:USD") == 0.0


def test_fx_row_without_holding_and_unknown_correlation_label_are_fine(example_path, tmp_path):
    def change(book):
        book["FX"]["A3"], book["FX"]["B3"] = "EUR", 160

    inputs = read_workbook(mutated(example_path, tmp_path, change))
    assert "FX:EUR" in inputs.correlations.labels  # EUR factor added, its pairs default to 0
    assert any("FX:EUR" in w for w in inputs.warnings)


def test_totals_row_ends_the_table_with_a_warning(example_path, tmp_path):
    def change(book):
        book["Holdings"]["A15"] = "Total"
        book["Holdings"]["E15"] = 1_000_000

    inputs = read_workbook(mutated(example_path, tmp_path, change))
    assert len(inputs.holdings) == 13
    assert any("Holdings!A15" in w and "totals row" in w for w in inputs.warnings)


def test_blank_rows_in_the_middle_are_skipped(example_path, tmp_path):
    # Revision 2 (SPEC §2): a blank row inserted in a table, or in Settings, no longer
    # ends it (revision 1 dropped every row under it, with a warning).
    def change(book):
        book["Holdings"].insert_rows(6)
        book["Settings"].insert_rows(10)

    inputs = read_workbook(mutated(example_path, tmp_path, change))
    assert len(inputs.holdings) == 13 and inputs.warnings == ()
    assert inputs.settings.mc_paths == 10_000  # Settings row 13 -> 14, below the gap


def test_secured_loan_without_collateral_warns(example_path, tmp_path):
    def change(book):
        for r in range(2, 15):
            book["Holdings"][f"H{r}"] = None
        book["Loans"]["G2"] = None
        book["Loans"]["H2"] = None
        book["Loans"]["I2"] = None

    inputs = read_workbook(mutated(example_path, tmp_path, change))
    (warning,) = [w for w in inputs.warnings if "no collateral" in w]
    assert warning.startswith("Loans!A2 (Name)") and "Freeze LTV taken as 60%" in warning
    assert inputs.loan_by_name["Securities-backed loan"].freeze_ltv == 0.6


def test_fire_age_below_current_age_warns(example_path, tmp_path):
    inputs = read_workbook(mutated(example_path, tmp_path, setter("Settings", B7=40)))
    assert any("FIRE age" in w and "below the Current age" in w for w in inputs.warnings)


cell_values = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.booleans(),
    st.datetimes(datetime(1950, 1, 1), datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", '=HYPERLINK("x")', "Yes", "NISA", "Cash", "USD", "5%"]),
)
targets = st.tuples(
    st.sampled_from(["Holdings", "Loans", "Cashflows", "Settings", "AssetClasses", "FX",
                     "Correlations", "Scenarios"]),
    st.sampled_from("ABCDEFGHIJKLMNOPQ"),
    st.integers(1, 16),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.tuples(targets, cell_values), min_size=1, max_size=4))
def test_any_cell_edit_gives_inputs_or_located_problems(example_path, tmp_path, edits):
    """Whatever is typed anywhere, the reader returns Inputs or raises InputError whose
    problems each name a sheet — never another exception."""

    def change(book):
        for (sheet, col, row), value in edits:
            book[sheet][f"{col}{row}"] = value

    try:
        read_workbook(mutated(example_path, tmp_path, change))
    except InputError as error:
        assert error.problems and all(p.sheet and p.message for p in error.problems)
