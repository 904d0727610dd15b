"""SPEC revision 2 inputs (§2 [v2]): read, validated, defaulted — through the reader.

Each test edits the example workbook (or builds one) and reads it back. Example layout:
Holdings rows 2-14 (5 = MUFG Payout, 7 = KDDI NISA, 9 = Tokio Marine DOE, 12 = the
all-country fund NISA, 13 = the USD ETF, 14 = cash), columns A..S (J = Dividend per
share, K = Dividend policy, R = Cost basis, S = Notes); Loans row 2 secured, 3 the line,
columns A..O (K = Forced sale, N = Rate type); AssetClasses rows 2-6 (G = Dividend beta,
H = History series); Settings rows 19-26 hold the revision-2 settings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from engine import schema
from engine.errors import InputError
from engine.io import example as ex
from engine.io.example import write_example
from engine.io.holdings import policy_dps
from engine.io.reader import read_workbook
from engine.io.template import build_workbook


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    write_example(path)
    return path


def edited(example_path: Path, tmp_path: Path, change) -> Path:
    book = openpyxl.load_workbook(example_path)
    change(book)
    out = tmp_path / "edited.xlsx"
    book.save(out)
    return out


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- Settings
def settings_rows(book) -> dict[str, int]:
    ws = book["Settings"]
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def test_new_settings_are_read_in_any_spelling(example_path, tmp_path):
    values = {
        "Loan policy": "repay",
        "Standby line use": "any shortfall",
        "Lender monitoring": "month end",  # spaces and hyphens do not matter
        "Capital gains tax rate": 0.15,
        "Inflation volatility": "1.5%",
        "Return model": "HISTORICAL",
        "Record history": "no",
        "Language": "Japanese",
    }

    def change(book):
        rows = settings_rows(book)
        for name, value in values.items():
            book["Settings"].cell(rows[name], 2, value)
        for r in (2, 3):  # the example's equity classes name US stocks: clear them
            book["AssetClasses"].cell(r, 8).value = None

    inputs = read_workbook(edited(example_path, tmp_path, change))
    s = inputs.settings
    assert (s.loan_policy, s.standby_line_use, s.lender_monitoring) == (
        "Repay",
        "Any shortfall",
        "Month-end",
    )
    assert s.capital_gains_tax_rate == 0.15 and s.inflation_volatility == pytest.approx(0.015)
    assert (s.return_model, s.record_history, s.language) == ("Historical", False, "日本語")
    # Historical, but no class names a series: every class would return 0 — warned.
    # ... in the workbook's language (Language = Japanese), naming the sheet and the
    # setting as this English-named workbook spells them
    assert inputs.warnings == (
        "Settings (Return model): ヒストリカルですが、ヒストリカル系列を指定した資産クラスが"
        "ないため、すべての資産クラスのリターンが0になります（入力値: ヒストリカル）。"
        "資産クラス › ヒストリカル系列 を入力してください（ヒストリカルシートの列、または "
        "'US stocks'）",
    )


@pytest.mark.parametrize("typed", ["日本語", "ja", "JA", "Japanese", "japanese"])
def test_language_accepts_japanese_spellings(example_path, tmp_path, typed):
    def change(book):
        book["Settings"].cell(settings_rows(book)["Language"], 2, typed)

    assert read_workbook(edited(example_path, tmp_path, change)).settings.language == "日本語"


def test_a_workbook_without_the_new_settings_takes_the_spec_defaults(example_path, tmp_path):
    def change(book):  # a revision-1 workbook: its Settings end at Selling cost
        book["Settings"].delete_rows(19, 8)

    s = read_workbook(edited(example_path, tmp_path, change)).settings
    assert (s.loan_policy, s.standby_line_use, s.lender_monitoring) == (
        "Keep",
        "Crises only",
        "Daily",
    )
    assert (s.capital_gains_tax_rate, s.inflation_volatility) == (0.20315, 0.01)
    assert (s.return_model, s.record_history, s.language) == ("Lognormal", True, "English")


def test_bad_new_setting_is_a_located_problem(example_path, tmp_path):
    def change(book):
        book["Settings"].cell(settings_rows(book)["Standby line use"], 2, "Sometimes")

    assert problems(edited(example_path, tmp_path, change)) == [
        "Settings!B20 (Standby line use): is not one of the allowed values; found "
        "'Sometimes'; choose one of Crises only, Any shortfall"
    ]


# --------------------------------------------------------------------------- Holdings
TAXABLE_NON_CASH = (
    "Mitsubishi Corp, Mitsui & Co, Itochu, Mitsubishi UFJ Financial, Sumitomo Mitsui "
    "Financial, NTT, Tokio Marine, Japan Tobacco, Sumitomo Corp, Vanguard S&P 500 ETF"
)
COST_BASIS_WARNING = (
    "Holdings (Cost basis): capital-gains tax assumed zero for 10 holdings (blank Cost "
    f"basis): {TAXABLE_NON_CASH}; enter each holding's average acquisition cost per unit "
    "so sales are taxed on the gain"
)


def test_blank_cost_basis_is_the_price_with_one_warning(example_path, tmp_path):
    def change(book):
        for r in range(2, 15):
            book["Holdings"][f"R{r}"] = None

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert all(h.cost_basis == h.price for h in inputs.holdings)  # no gain anywhere
    # One warning; the two NISA holdings (sales untaxed) and the cash row are not listed.
    assert inputs.warnings == (COST_BASIS_WARNING,)


def test_a_workbook_without_a_cost_basis_column_warns_the_same(example_path, tmp_path):
    def change(book):
        book["Holdings"].delete_cols(18, 2)  # Cost basis and Notes

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert inputs.warnings == (COST_BASIS_WARNING,)


def test_cost_basis_is_per_unit_in_the_holding_currency(example_path):
    inputs = read_workbook(example_path)
    etf = next(h for h in inputs.holdings if h.currency == "USD")
    # $500 today, bought at $410: the gain share of a sale is 1 - 410/500 = 18%.
    assert (etf.price, etf.cost_basis) == (500.0, 410.0)
    assert 1 - etf.cost_basis / etf.price == pytest.approx(0.18)


def test_blank_dps_of_a_doe_or_payout_holding_is_the_policy_dividend(example_path, tmp_path):
    """Issue: a DOE holding with a blank Dividend per share paid 0 on the Balance Sheet."""

    def change(book):
        book["Holdings"]["J9"] = None  # Tokio Marine, DOE 6.5%, BVPS 2,600
        book["Holdings"]["J5"] = None  # MUFG, Payout 40%, ROE 9%, BVPS 1,700

    inputs = read_workbook(edited(example_path, tmp_path, change))
    by_name = {h.name: h for h in inputs.holdings}
    tokio, mufg = by_name["Tokio Marine"], by_name["Mitsubishi UFJ Financial"]
    assert tokio.dps == pytest.approx(0.065 * 2_600) == pytest.approx(169.0)
    assert tokio.gross_dividend_base == pytest.approx(169.0 * 2_000)  # 338,000 a year
    assert mufg.dps == pytest.approx(0.40 * 0.09 * 1_700) == pytest.approx(61.2)
    assert inputs.warnings == ()


def test_policy_dps_arithmetic():
    assert policy_dps("DOE", 3_400, 0.04, 0.12, None) == pytest.approx(136.0)  # 4% × 3,400
    assert policy_dps("Payout", 2_100, None, 0.12, 0.75) == pytest.approx(189.0)  # .75×.12×2,100
    assert policy_dps("Payout", 2_100, None, -0.05, 0.75) == 0.0  # no dividend from a loss
    assert policy_dps("Progressive", 2_100, 0.04, 0.12, 0.75) is None  # its DPS is typed


def test_blank_dps_with_a_fixed_policy_stays_zero(example_path, tmp_path):
    def change(book):
        book["Holdings"]["J2"] = None
        book["Holdings"]["K2"] = "Fixed"

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert inputs.holdings[0].dps == 0.0


# --------------------------------------------------------------------------- AssetClasses
def test_dividend_beta_blank_is_zero_and_history_series_canonical(example_path, tmp_path):
    def change(book):
        ws = book["AssetClasses"]
        ws["G2"] = None  # Domestic equity: blank beta
        ws["G4"] = 1.5
        ws["H3"] = "us STOCKS"  # Foreign equity: the bundled series, any case
        ws["H2"] = None  # Domestic equity: blank (the example names US stocks)

    inputs = read_workbook(edited(example_path, tmp_path, change))
    classes = inputs.asset_class_by_name
    assert classes["Domestic equity"].dividend_beta == 0.0
    assert classes["REIT"].dividend_beta == 1.5
    assert classes["Foreign equity"].history_series == schema.US_STOCKS
    assert classes["Domestic equity"].history_series is None


def test_a_workbook_without_the_new_class_columns_reads_as_before(example_path, tmp_path):
    def change(book):
        book["AssetClasses"].delete_cols(7, 2)

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert {c.dividend_beta for c in inputs.asset_classes} == {0.0}  # dividends as before
    assert {c.history_series for c in inputs.asset_classes} == {None}


# --------------------------------------------------------------------------- Loans
def test_rate_type_defaults_by_loan_type(example_path, tmp_path):
    def change(book):
        ws = book["Loans"]
        ws["N2"] = None  # securities-backed: Floating
        ws["N3"] = "fixed"
        for col, value in zip("ABCDE", ("Mortgage", "Amortizing", 20e6, None, 0.01), strict=True):
            ws[f"{col}4"] = value  # rate type blank: Fixed

    loans = read_workbook(edited(example_path, tmp_path, change)).loan_by_name
    assert loans["Securities-backed loan"].rate_type == "Floating"
    assert loans["Standby credit line"].rate_type == "Fixed"
    assert loans["Mortgage"].rate_type == "Fixed"


def test_forced_sale_blank_is_all(example_path, tmp_path):
    def change(book):
        book["Loans"]["K2"] = None

    loan = read_workbook(edited(example_path, tmp_path, change)).loan_by_name
    assert loan["Securities-backed loan"].forced_sale == "All"
    assert schema.LOANS.column("Forced sale").default == "All"


# --------------------------------------------------------------------------- Correlations
def test_inflation_factor_is_optional(example_path, tmp_path):
    def change(book):  # a revision-1 sheet: no Inflation row or column (H and row 8)
        ws = book["Correlations"]
        ws.delete_rows(8)
        ws.delete_cols(8)

    inputs = read_workbook(edited(example_path, tmp_path, change))
    assert "Inflation" not in inputs.correlations.labels and inputs.warnings == ()


def test_inflation_given_once_is_used_both_ways(example_path, tmp_path):
    def change(book):
        ws = book["Correlations"]  # B..H = Domestic, Foreign, REIT, Bond, Cash, FX:USD, Inflation
        ws["H3"] = None  # Foreign equity / Inflation: only the lower triangle (C8) remains
        ws["C8"] = -0.2

    corr = read_workbook(edited(example_path, tmp_path, change)).correlations
    assert corr.get("Foreign equity", "Inflation") == corr.get("Inflation", "Foreign equity")
    assert corr.get("Inflation", "Foreign equity") == -0.2


# --------------------------------------------------------------------------- History
def history_rows(months: int = 24, start: tuple[int, int] = (2022, 1)) -> list[dict]:
    """``months`` consecutive months of two series and inflation (small known values)."""
    rows = []
    y, m = start
    for k in range(months):
        rows.append(
            {
                "Month": date(y, m, 28),
                "TOPIX": round(0.01 * ((k % 5) - 2), 4),  # -2% .. +2%
                "S&P 500": round(0.005 * ((k % 3) - 1), 4),
                "Inflation": 0.002,
            }
        )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return rows


def with_history(tmp_path: Path, rows, series=("topix", "S&P 500")) -> Path:
    """The example, plus a History sheet and classes naming its series."""
    classes = [dict(c) for c in schema.DEFAULT_ASSET_CLASSES]
    classes[0]["History series"], classes[1]["History series"] = series
    path = tmp_path / "history.xlsx"
    build_workbook(
        path,
        settings={**ex.SETTINGS, "Return model": "Historical"},
        rows={
            "Holdings": ex.holdings(),
            "FX": ex.fx(),
            "Loans": ex.loans(),
            "Cashflows": ex.cashflows(),
            "AssetClasses": classes,
            "History": rows,
        },
    )
    return path


def test_history_is_read_oldest_first_by_month(tmp_path):
    inputs = read_workbook(with_history(tmp_path, history_rows()))
    h = inputs.history
    assert h.months[0] == date(2022, 1, 1) and h.months[-1] == date(2023, 12, 1)
    assert h.n_months == 24 and h.names == ("TOPIX", "S&P 500")
    assert h.series["TOPIX"][:5] == (-0.02, -0.01, 0.0, 0.01, 0.02)
    assert h.returns("S&P 500").shape == (24,)
    assert h.inflation == (0.002,) * 24
    classes = inputs.asset_class_by_name
    assert classes["Domestic equity"].history_series == "TOPIX"  # the header's spelling
    assert classes["Foreign equity"].history_series == "S&P 500"
    assert inputs.warnings == ()


def test_newest_first_history_is_turned_round(tmp_path):
    oldest_first = read_workbook(with_history(tmp_path, history_rows())).history
    newest_first = read_workbook(with_history(tmp_path, history_rows()[::-1])).history
    assert newest_first == oldest_first


def test_month_as_text_is_accepted(tmp_path):
    rows = history_rows(3)
    for row, text in zip(rows, ("2022-01", "2022/02", "2022-03-31"), strict=True):
        row["Month"] = text
    assert read_workbook(with_history(tmp_path, rows)).history.n_months == 3


def test_a_gap_in_the_months_names_the_cell(tmp_path):
    rows = history_rows(6)
    del rows[3]  # 2022-04 missing: row 5 holds 2022-05
    assert problems(with_history(tmp_path, rows)) == [
        "History!A5 (Month): months must be consecutive: this is not the month after row "
        "4's 2022-03; found 2022-05 where 2022-04 was expected; add the missing month(s), "
        "or sort the table by Month"
    ]


def test_a_repeated_month_names_the_cell(tmp_path):
    rows = history_rows(4)
    rows.insert(2, dict(rows[1]))
    assert problems(with_history(tmp_path, rows)) == [
        "History!A4 (Month): the month appears twice; found 2022-02 (also in row 3); keep "
        "one row per month"
    ]


def test_history_non_number_and_whole_percent_name_the_cell(tmp_path):
    rows = history_rows(4)
    rows[1]["TOPIX"] = "n/a"
    rows[2]["S&P 500"] = 5  # 5 for 5%
    assert problems(with_history(tmp_path, rows)) == [
        "History!B3 (TOPIX): is text but must be a percentage; found 'n/a'; enter a percentage",
        "History!C4 (S&P 500): looks like a whole-number percent: percent cells hold "
        "fractions; found 5; did you mean 5%? Type 5% (or 0.05) in the cell",
    ]


def test_a_blank_inside_a_series_is_an_error(tmp_path):
    rows = history_rows(5)
    rows[2]["TOPIX"] = None
    assert problems(with_history(tmp_path, rows)) == [
        "History!B4 (TOPIX): is blank inside the series: every month needs a value; found an "
        "empty cell; enter the month's return (0 if it did not move)"
    ]


def test_series_of_different_lengths_keep_the_common_months(tmp_path):
    rows = history_rows(12)
    for row in rows[:3]:
        row["S&P 500"] = None  # starts three months later
    rows[-1]["Inflation"] = None  # ends a month earlier
    inputs = read_workbook(with_history(tmp_path, rows))
    h = inputs.history
    assert (h.months[0], h.months[-1], h.n_months) == (date(2022, 4, 1), date(2022, 11, 1), 8)
    assert h.series["TOPIX"][0] == rows[3]["TOPIX"]
    (warning,) = inputs.warnings
    assert warning == (
        "History: the columns cover different months; the 8 months all of them cover are "
        "used, 2022-04 to 2022-11; found TOPIX 2022-01–2022-12, S&P 500 2022-04–2022-12, "
        "Inflation 2022-01–2022-11; trim the table to the common months to silence this"
    )


def test_a_class_naming_a_missing_history_column_is_an_error(tmp_path):
    path = with_history(tmp_path, history_rows(3), series=("TOPX", "S&P 500"))
    assert problems(path) == [
        "AssetClasses!H2 (History series): names no column of the History sheet; found "
        "'TOPX' (History has 'TOPIX', 'S&P 500'); use a column header of the History sheet, "
        "or 'US stocks' for the bundled series, or leave it blank"
    ]


def test_no_history_sheet_or_only_its_example_row_is_none(example_path, tmp_path):
    assert read_workbook(example_path).history is None  # only the greyed example row

    def change(book):
        del book["History"]

    assert read_workbook(edited(example_path, tmp_path, change)).history is None
