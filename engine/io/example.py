"""The example workbooks: the situations the product was designed around (issue 2).

``example.xlsx``: a Japanese household with ¥125M of equity (about 90% a dividend core
of ten high-dividend names, about 10% a growth satellite), ¥10M cash, a ¥50M
securities-backed loan against the taxable equity and an undrawn ¥8M unsecured
standby line; salary until FIRE at 50.

``example-dividend-household.xlsx``: the household the product is built for — already
FIRE, living on ¥125M of Japanese dividend stocks (DOE and progressive payers, some
in NISA), ¥10M cash, a ¥50M securities-backed loan on Japan Securities Finance's rules
and an undrawn ¥8M unsecured standby line; ¥330,000 a month of living costs, no salary.

Company names, prices, cost bases and dividend figures are illustrative — roughly the
right order of magnitude, not current data and not advice.

``example-ja.xlsx``: the first household, written with the Japanese template.

    python -m engine.io.example     # rewrites the examples and templates/alm_template.xlsx
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine import schema
from engine.i18n import ENGLISH, JAPANESE, Language
from engine.io.template import build_workbook, write_template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "workbooks" / "example.xlsx"
DIVIDEND_HOUSEHOLD_PATH = ROOT / "workbooks" / "example-dividend-household.xlsx"
JAPANESE_EXAMPLE_PATH = ROOT / "workbooks" / "example-ja.xlsx"
TEMPLATE_PATH = ROOT / "templates" / "alm_template.xlsx"

VALUATION_DATE = date(2026, 11, 20)
CURRENT_AGE = 45
SECURED = "Securities-backed loan"
LINE = "Standby credit line"
JSF_STYLE = (
    "Japan Securities Finance (日証金) style: margin call at 70% LTV, to be cured back to "
    "60% within 5 business days; all collateral sold at 85%."
)
ILLUSTRATIVE = (
    "Figures are illustrative. Company names, prices and dividend policies are "
    "examples of the shape of a dividend portfolio, not current data or advice."
)

SETTINGS: dict[str, Any] = {
    "Portfolio name": "Example household",
    "Base currency": "JPY",
    "Valuation date": VALUATION_DATE,
    "Current age": CURRENT_AGE,
    "Horizon years": 40,
    "FIRE age": 50,
    "Expense inflation": 0.02,
    "Discount rate": 0.02,
    "Dividend tax rate": 0.20315,
    "Cash buffer months": 6,
    "Reinvest surplus": "Yes",
    "Monte Carlo paths": 10_000,
    "Random seed": 42,
    "Target success probability": 0.90,
    "Target drawdown": 0.50,
    "Stress step": 0.05,
    "Selling cost": 0.005,
}


def _core(name, ticker, price, qty, dps, policy, bvps, roe, doe=None, payout=None, growth=0.0,
          cost=None):  # fmt: skip
    """A dividend-core holding in domestic equity (Taxable, pledged to the secured loan)."""
    return {
        "Name": name,
        "Ticker": ticker,
        "Asset class": "Domestic equity",
        "Currency": "JPY",
        "Quantity": qty,
        "Price": price,
        "Account": "Taxable",
        "Pledged to": SECURED,
        "Role": "Core",
        "Dividend per share": dps,
        "Dividend policy": policy,
        "Book value per share": bvps,
        "DOE": doe,
        "ROE": roe,
        "Payout ratio": payout,
        "Dividend growth": growth,
        "Withholding": 0.0,
        "Cost basis": cost,
    }


def holdings() -> list[dict[str, Any]]:
    """¥112.5M dividend core + ¥12.5M growth satellite + ¥10M cash."""
    core = [
        # name, ticker, price, quantity, DPS, policy, BVPS, ROE, DOE, payout, growth, cost
        _core("Mitsubishi Corp", "8058", 3_000, 3_700, 100, "Progressive", 2_800, 0.10,
              doe=0.036, payout=0.36, growth=0.05, cost=1_850),
        _core("Mitsui & Co", "8031", 3_500, 3_200, 100, "Progressive", 3_000, 0.11,
              doe=0.033, payout=0.30, growth=0.05, cost=2_400),
        _core("Itochu", "8001", 7_500, 1_500, 200, "Progressive", 4_200, 0.15,
              doe=0.048, payout=0.32, growth=0.06, cost=4_900),
        _core("Mitsubishi UFJ Financial", "8306", 2_000, 5_600, 64, "Payout", 1_700, 0.09,
              doe=0.036, payout=0.40, cost=1_150),
        _core("Sumitomo Mitsui Financial", "8316", 3_800, 3_000, 157, "Payout", 5_000, 0.08,
              doe=0.032, payout=0.40, cost=2_650),
        _core("KDDI", "9433", 2_500, 4_500, 75, "Progressive", 1_500, 0.13,
              doe=0.05, payout=0.40, growth=0.05, cost=2_300),
        # NTT was bought above today's price: a sale realises a loss.
        _core("NTT", "9432", 150, 75_000, 5.2, "Progressive", 120, 0.11,
              doe=0.043, payout=0.40, growth=0.05, cost=165),
        _core("Tokio Marine", "8766", 5_500, 2_000, 172, "DOE", 2_600, 0.14,
              doe=0.065, payout=0.47, cost=3_100),
        _core("Japan Tobacco", "2914", 4_300, 2_600, 194, "Payout", 2_100, 0.12,
              doe=0.09, payout=0.75, cost=3_350),
        _core("Sumitomo Corp", "8053", 3_890, 3_000, 130, "DOE", 3_400, 0.12,
              doe=0.04, payout=0.33, cost=2_900),
    ]  # fmt: skip
    # KDDI is held in the NISA growth quota: tax-free dividends, cannot be pledged.
    core[5].update({"Account": "NISA", "Pledged to": None})
    satellite = [
        {
            "Name": "eMAXIS Slim All Country",
            "Ticker": "0331418A",
            "Asset class": "Foreign equity",
            "Currency": "JPY",
            "Quantity": 350,
            "Price": 25_000,
            "Account": "NISA",
            "Role": "Satellite",
            "Dividend per share": 0,
            "Dividend policy": "None",
            "Cost basis": 19_500,
        },
        {
            "Name": "Vanguard S&P 500 ETF",
            "Ticker": "VOO",
            "Asset class": "Foreign equity",
            "Currency": "USD",
            "Quantity": 50,
            "Price": 500.0,
            "Account": "Taxable",
            "Pledged to": SECURED,
            "Role": "Satellite",
            "Dividend per share": 6.8,
            "Dividend policy": "Fixed",
            "Dividend growth": 0.05,
            "Withholding": 0.10,
            "Cost basis": 410.0,
        },
    ]
    cash = [
        {
            "Name": "Cash (yen deposits)",
            "Asset class": "Cash",
            "Currency": "JPY",
            "Quantity": 10_000_000,
            "Price": 1,
            "Account": "Taxable",
            "Role": "Core",
            "Dividend policy": "None",
        }
    ]
    return core + satellite + cash


def loans() -> list[dict[str, Any]]:
    return [
        {
            "Name": SECURED,
            "Type": "Securities-backed",
            "Balance": 50_000_000,
            "Limit": 60_000_000,  # approved above the draw: secured headroom until the freeze
            "Interest rate": 0.015,
            "Commitment fee": 0.0,
            "Advance rate": 0.60,
            "Freeze LTV": 0.60,
            "Margin call LTV": 0.70,
            "Liquidation LTV": 0.85,
            "Forced sale": "All",
            "Rate type": "Floating",
            "Monthly payment": 0,
            "Crisis limit cut": 0.0,
            "Notes": JSF_STYLE,
        },
        {
            "Name": LINE,
            "Type": "Unsecured line",
            "Balance": 0,
            "Limit": 8_000_000,
            "Interest rate": 0.03,
            "Commitment fee": 0.0025,
            "Rate type": "Floating",
            "Monthly payment": 0,
            "Crisis limit cut": 0.0,
        },
    ]


def cashflows() -> list[dict[str, Any]]:
    year = VALUATION_DATE.year
    return [
        {
            "Name": "Living expenses",
            "Type": "Expense",
            "Amount": 80_000,
            "Frequency": "Monthly",
            "Inflation-linked": "Yes",
            "Growth": 0.0,
            "Stops at FIRE": "No",
        },
        {
            "Name": "Education (university)",
            "Type": "Expense",
            "Amount": 1_200_000,
            "Frequency": "Annual",
            "Start year": 2029,
            "End year": 2034,
            "Inflation-linked": "Yes",
            "Growth": 0.0,
            "Stops at FIRE": "No",
        },
        {
            "Name": "Salary (after tax)",
            "Type": "Income",
            "Amount": 400_000,
            "Frequency": "Monthly",
            "Inflation-linked": "No",
            "Growth": 0.0,
            "Stops at FIRE": "Yes",
        },
        {
            "Name": "Public pension",
            "Type": "Income",
            "Amount": 150_000,
            "Frequency": "Monthly",
            "Start year": year + (65 - CURRENT_AGE),  # the calendar year you turn 65
            "Inflation-linked": "No",
            "Growth": 0.0,
            "Stops at FIRE": "No",
        },
    ]


def fx() -> list[dict[str, Any]]:
    return [{"Currency": "USD", "Rate": 150.0, "Volatility": 0.10, "Expected change": 0.0}]


ILLUSTRATIVE_JA = (
    "数値は説明のためのものです。会社名、価格、配当方針は配当ポートフォリオの形を示す例で、"
    "最新のデータでも投資助言でもありません。"
)

#: The household's own words (holding, loan, cash-flow and class names, notes) as a
#: Japanese user writes them in the Japanese template; numbers and choices are the same.
JAPANESE_NAMES: dict[str, str] = {
    **schema.JAPANESE_CLASS_NAMES,
    "Mitsubishi Corp": "三菱商事",
    "Mitsui & Co": "三井物産",
    "Itochu": "伊藤忠商事",
    "Mitsubishi UFJ Financial": "三菱UFJフィナンシャル・グループ",
    "Sumitomo Mitsui Financial": "三井住友フィナンシャルグループ",
    "KDDI": "KDDI",
    "NTT": "NTT",
    "Tokio Marine": "東京海上ホールディングス",
    "Japan Tobacco": "日本たばこ産業",
    "Sumitomo Corp": "住友商事",
    "eMAXIS Slim All Country": "eMAXIS Slim 全世界株式（オール・カントリー）",
    "Vanguard S&P 500 ETF": "バンガード S&P 500 ETF",
    "Cash (yen deposits)": "現金（円預金）",
    SECURED: "証券担保ローン",
    LINE: "待機ライン（無担保）",
    JSF_STYLE: "日証金方式：LTV 70%で追加担保（5営業日以内に60%まで回復）、85%で担保を全部売却。",
    "Living expenses": "生活費",
    "Education (university)": "教育費（大学）",
    "Salary (after tax)": "給与（手取り）",
    "Public pension": "公的年金",
}
_NAMED = ("Name", "Asset class", "Pledged to", "Notes")


def in_japanese(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their names written as a Japanese household writes them."""
    return [
        {k: JAPANESE_NAMES.get(v, v) if k in _NAMED and isinstance(v, str) else v
         for k, v in row.items()}
        for row in rows
    ]  # fmt: skip


def write_example(path: Path, lang: Language = ENGLISH) -> None:
    """Write the example workbook to ``path`` (deterministic: fixed valuation date), in
    ``lang``: the Japanese one (``example-ja.xlsx``) is the same household written with
    the Japanese template (its Language 日本語), named in Japanese (``JAPANESE_NAMES``)."""
    ja = lang.japanese
    settings = {**SETTINGS, "Portfolio name": "例の世帯", "Language": "日本語"} if ja else SETTINGS
    rows = {"Holdings": holdings(), "FX": fx(), "Loans": loans(), "Cashflows": cashflows()}
    if ja:
        rows = {sheet: in_japanese(table) for sheet, table in rows.items()}
    build_workbook(
        Path(path),
        settings=settings,
        rows=rows,
        notes=(ILLUSTRATIVE_JA if ja else ILLUSTRATIVE,),
        title="個人ALM 入力ワークブック — 例の世帯"
        if ja
        else "Personal ALM input workbook — example household",
        lang=lang,
    )


# --------------------------------------------------------------------------- the dividend household
DIVIDEND_HOUSEHOLD_SETTINGS: dict[str, Any] = {
    **SETTINGS,
    "Portfolio name": "Dividend household",
    "FIRE age": CURRENT_AGE,  # already FIRE: no salary
}


def _dividend_stock(name, ticker, price, qty, dps, policy, bvps, roe, cost, doe=None,
                    growth=0.0, nisa=False):  # fmt: skip
    """A Japanese dividend stock: Taxable ones pledged to the secured loan; NISA ones
    (growth quota, bought since 2024) cannot be."""
    return {
        "Name": name,
        "Ticker": ticker,
        "Asset class": "Domestic equity",
        "Currency": "JPY",
        "Quantity": qty,
        "Price": price,
        "Account": "NISA" if nisa else "Taxable",
        "Pledged to": None if nisa else SECURED,
        "Role": "Core",
        "Dividend per share": dps,
        "Dividend policy": policy,
        "Book value per share": bvps,
        "DOE": doe,
        "ROE": roe,
        "Dividend growth": growth,
        "Cost basis": cost,
    }


def dividend_household_holdings() -> list[dict[str, Any]]:
    """¥125M of ten Japanese dividend stocks (¥113M Taxable and pledged, ¥12M in NISA)
    and ¥10M cash. Tokio Marine's dividend is left blank: its DOE policy sets it
    (6.5% × ¥2,600 = ¥169 a share)."""
    stocks = [
        # name, ticker, price, quantity, DPS, policy, BVPS, ROE, cost
        _dividend_stock("Mitsubishi Corp", "8058", 3_000, 5_000, 100, "Progressive", 2_800,
                        0.10, 1_800, growth=0.05),
        _dividend_stock("Mitsui & Co", "8031", 3_500, 4_000, 100, "Progressive", 3_000, 0.11,
                        2_300, growth=0.05),
        _dividend_stock("Sumitomo Mitsui Financial", "8316", 3_800, 3_500, 157, "Progressive",
                        5_000, 0.08, 2_600, growth=0.06),
        _dividend_stock("Tokio Marine", "8766", 5_500, 2_400, None, "DOE", 2_600, 0.14, 3_200,
                        doe=0.065),
        _dividend_stock("Sumitomo Corp", "8053", 3_900, 3_000, 136, "DOE", 3_400, 0.12, 2_700,
                        doe=0.04),
        _dividend_stock("Mitsubishi HC Capital", "8593", 1_100, 10_000, 40, "Progressive",
                        1_100, 0.08, 750, growth=0.04),
        _dividend_stock("KDDI", "9433", 2_500, 2_400, 75, "Progressive", 1_500, 0.13, 2_300,
                        growth=0.05, nisa=True),
        _dividend_stock("INPEX", "1605", 2_000, 3_000, 86, "Progressive", 2_900, 0.09, 1_900,
                        growth=0.03, nisa=True),
        _dividend_stock("Mitsubishi UFJ Financial", "8306", 2_000, 7_000, 64, "Progressive",
                        1_700, 0.09, 1_300, growth=0.07),
        # Bought near its high: a sale today realises a loss.
        _dividend_stock("Sekisui House", "1928", 3_200, 6_500, 117, "DOE", 2_600, 0.11, 3_450,
                        doe=0.045),
    ]  # fmt: skip
    cash = {
        "Name": "Cash (yen deposits)",
        "Asset class": "Cash",
        "Currency": "JPY",
        "Quantity": 10_000_000,
        "Price": 1,
        "Account": "Taxable",
        "Role": "Core",
        "Dividend policy": "None",
    }
    return [*stocks, cash]


def dividend_household_loans() -> list[dict[str, Any]]:
    secured, line = loans()
    line = {**line, "Commitment fee": 0.0}  # a card-loan style line: no fee while undrawn
    return [secured, line]


def dividend_household_cashflows() -> list[dict[str, Any]]:
    return [
        {
            "Name": "Living costs",
            "Type": "Expense",
            "Amount": 330_000,
            "Frequency": "Monthly",
            "Inflation-linked": "Yes",
            "Growth": 0.0,
            "Stops at FIRE": "No",
        }
    ]


def write_dividend_household(path: Path) -> None:
    """Write the dividend-household example to ``path`` (deterministic)."""
    build_workbook(
        Path(path),
        settings=DIVIDEND_HOUSEHOLD_SETTINGS,
        rows={
            "Holdings": dividend_household_holdings(),
            "Loans": dividend_household_loans(),
            "Cashflows": dividend_household_cashflows(),
        },
        notes=(ILLUSTRATIVE,),
        title="Personal ALM input workbook — dividend household (FIRE)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    example = Path(args[0]) if args else EXAMPLE_PATH
    write_example(example)
    print(f"Example written to {example}")
    if not args:
        write_example(JAPANESE_EXAMPLE_PATH, JAPANESE)
        print(f"Example written to {JAPANESE_EXAMPLE_PATH}")
        write_dividend_household(DIVIDEND_HOUSEHOLD_PATH)
        print(f"Example written to {DIVIDEND_HOUSEHOLD_PATH}")
        write_template(TEMPLATE_PATH)
        print(f"Template written to {TEMPLATE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
