"""The example workbook: the situation the product was designed around (issue 2).

A Japanese household with ¥125M of equity (about 90% a dividend core of ten
high-dividend names, about 10% a growth satellite), ¥10M cash, a ¥50M
securities-backed loan against the taxable equity and an undrawn ¥8M unsecured
standby line. Company names, prices and dividend figures are illustrative —
roughly the right order of magnitude, not current data and not advice.

    python -m engine.io.example     # rewrites workbooks/example.xlsx and templates/alm_template.xlsx
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.io.template import build_workbook, write_template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "workbooks" / "example.xlsx"
TEMPLATE_PATH = ROOT / "templates" / "alm_template.xlsx"

VALUATION_DATE = date(2026, 11, 20)
CURRENT_AGE = 45
SECURED = "Securities-backed loan"
LINE = "Standby credit line"

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


def _core(name, ticker, price, qty, dps, policy, bvps, roe, doe=None, payout=None, growth=0.0):
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
    }


def holdings() -> list[dict[str, Any]]:
    """¥112.5M dividend core + ¥12.5M growth satellite + ¥10M cash."""
    core = [
        # name, ticker, price, quantity, DPS, policy, BVPS, ROE, DOE, payout, growth
        _core("Mitsubishi Corp", "8058", 3_000, 3_700, 100, "Progressive", 2_800, 0.10,
              doe=0.036, payout=0.36, growth=0.05),
        _core("Mitsui & Co", "8031", 3_500, 3_200, 100, "Progressive", 3_000, 0.11,
              doe=0.033, payout=0.30, growth=0.05),
        _core("Itochu", "8001", 7_500, 1_500, 200, "Progressive", 4_200, 0.15,
              doe=0.048, payout=0.32, growth=0.06),
        _core("Mitsubishi UFJ Financial", "8306", 2_000, 5_600, 64, "Payout", 1_700, 0.09,
              doe=0.036, payout=0.40),
        _core("Sumitomo Mitsui Financial", "8316", 3_800, 3_000, 157, "Payout", 5_000, 0.08,
              doe=0.032, payout=0.40),
        _core("KDDI", "9433", 2_500, 4_500, 75, "Progressive", 1_500, 0.13,
              doe=0.05, payout=0.40, growth=0.05),
        _core("NTT", "9432", 150, 75_000, 5.2, "Progressive", 120, 0.11,
              doe=0.043, payout=0.40, growth=0.05),
        _core("Tokio Marine", "8766", 5_500, 2_000, 172, "DOE", 2_600, 0.14,
              doe=0.065, payout=0.47),
        _core("Japan Tobacco", "2914", 4_300, 2_600, 194, "Payout", 2_100, 0.12,
              doe=0.09, payout=0.75),
        _core("Sumitomo Corp", "8053", 3_890, 3_000, 130, "DOE", 3_400, 0.12,
              doe=0.04, payout=0.33),
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
            "Forced sale": "To freeze",
            "Monthly payment": 0,
            "Crisis limit cut": 0.0,
        },
        {
            "Name": LINE,
            "Type": "Unsecured line",
            "Balance": 0,
            "Limit": 8_000_000,
            "Interest rate": 0.03,
            "Commitment fee": 0.0025,
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


def write_example(path: Path) -> None:
    """Write the example workbook to ``path`` (deterministic: fixed valuation date)."""
    build_workbook(
        Path(path),
        settings=SETTINGS,
        rows={"Holdings": holdings(), "FX": fx(), "Loans": loans(), "Cashflows": cashflows()},
        notes=(
            "Figures are illustrative. Company names, prices and dividend policies are "
            "examples of the shape of a dividend portfolio, not current data or advice.",
        ),
        title="Personal ALM input workbook — example household",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    example = Path(args[0]) if args else EXAMPLE_PATH
    write_example(example)
    print(f"Example written to {example}")
    if not args:
        write_template(TEMPLATE_PATH)
        print(f"Template written to {TEMPLATE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
