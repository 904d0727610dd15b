"""The market assumptions: AssetClasses, Correlations and History sheets (SPEC §2, §3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.schema.columns import EXAMPLE_NOTE, Column, Table

CORRELATIONS_SHEET = "Correlations"
FX_PREFIX = "FX:"
#: The optional inflation factor of Correlations (a row and column labelled so).
INFLATION_FACTOR = "Inflation"
#: The History series that ships with the engine (S&P Composite monthly, 1871-2023).
US_STOCKS = "US stocks"

ASSET_CLASSES = Table(
    "AssetClasses",
    (
        Column(
            "Asset class",
            "name",
            "text",
            required=True,
            width=18,
            help="Name of the class, used by Holdings.",
        ),
        Column(
            "Expected return",
            "expected_return",
            "percent",
            required=True,
            lo=-0.5,
            hi=1,
            width=12,
            help="Arithmetic yearly price return, excluding dividends.",
        ),
        Column(
            "Volatility",
            "volatility",
            "percent",
            required=True,
            lo=0,
            hi=2,
            width=10,
            help="Yearly volatility of the price return.",
        ),
        Column(
            "Stress beta",
            "stress_beta",
            "number",
            required=True,
            lo=0,
            hi=5,
            width=10,
            help="Multiplier on the stress-ladder drawdown (1 = falls with the market).",
        ),
        Column(
            "Crisis dividend cut",
            "crisis_dividend_cut",
            "percent",
            required=True,
            lo=0,
            hi=1,
            width=12,
            help="Dividend cut while the class is >30% below its peak.",
        ),
        Column(
            "Advance rate",
            "advance_rate",
            "percent",
            required=True,
            lo=0,
            hi=1,
            width=10,
            help="Collateral value the lender lends against (掛目).",
        ),
        Column(
            "Dividend beta",
            "dividend_beta",
            "number",
            default=0.0,
            lo=0,
            hi=2,
            width=10,
            help="How far dividends follow the class's price in the simulation: 0 = not at "
            "all, 1 = one for one. Blank = 0 (dividends as their policy says, as before this "
            "column existed); the template suggests 0.6 for equities, 0.8 for REITs.",
        ),
        Column(
            "History series",
            "history_series",
            "text",
            default=None,
            width=14,
            help="For Return model = Historical: the column of the History sheet with this "
            f"class's monthly returns, or '{US_STOCKS}' for the bundled S&P Composite "
            "series. Blank = the class returns 0 in that model (right for Cash).",
        ),
    ),
    help="Return, risk, stress and collateral assumptions per asset class.",
    key="Asset class",
    empty_fix="add a row per asset class your holdings use (Name, Expected return, "
    "Volatility, Stress beta, Crisis dividend cut, Advance rate): copy them from the "
    "template",
)

#: The equity classes take the bundled US stock series in the Historical model, so
#: switching Settings › Return model to Historical works on the template and the examples
#: as they are (the only series that ships; replace it with your market's History column).
DEFAULT_ASSET_CLASSES: tuple[dict[str, Any], ...] = (
    {
        "Asset class": "Domestic equity",
        "Expected return": 0.05,
        "Volatility": 0.18,
        "Stress beta": 1.0,
        "Crisis dividend cut": 0.20,
        "Advance rate": 0.60,
        "Dividend beta": 0.6,
        "History series": US_STOCKS,
    },
    {
        "Asset class": "Foreign equity",
        "Expected return": 0.06,
        "Volatility": 0.17,
        "Stress beta": 1.0,
        "Crisis dividend cut": 0.20,
        "Advance rate": 0.50,
        "Dividend beta": 0.6,
        "History series": US_STOCKS,
    },
    {
        "Asset class": "REIT",
        "Expected return": 0.04,
        "Volatility": 0.20,
        "Stress beta": 1.2,
        "Crisis dividend cut": 0.25,
        "Advance rate": 0.50,
        "Dividend beta": 0.8,
    },
    {
        "Asset class": "Bond",
        "Expected return": 0.01,
        "Volatility": 0.04,
        "Stress beta": 0.1,
        "Crisis dividend cut": 0.0,
        "Advance rate": 0.80,
        "Dividend beta": 0.0,
    },
    {
        "Asset class": "Cash",
        "Expected return": 0.0,
        "Volatility": 0.0,
        "Stress beta": 0.0,
        "Crisis dividend cut": 0.0,
        "Advance rate": 0.0,
        "Dividend beta": 0.0,
    },
)

#: The default classes as the Japanese template names them (``run.py template --lang ja``).
JAPANESE_CLASS_NAMES: dict[str, str] = {
    "Domestic equity": "国内株式",
    "Foreign equity": "外国株式",
    "REIT": "REIT",
    "Bond": "債券",
    "Cash": "現金",
}
_ENGLISH_CLASS_NAMES = {ja: en for en, ja in JAPANESE_CLASS_NAMES.items()}


def default_asset_classes(japanese: bool = False) -> tuple[dict[str, Any], ...]:
    """The template's AssetClasses rows, named in the template's language."""
    if not japanese:
        return DEFAULT_ASSET_CLASSES
    return tuple(
        {**row, "Asset class": JAPANESE_CLASS_NAMES[row["Asset class"]]}
        for row in DEFAULT_ASSET_CLASSES
    )


#: Factors the template's matrix carries beyond the asset classes and FX rows.
DEFAULT_FX_FACTORS: tuple[str, ...] = ("FX:USD",)
DEFAULT_EXTRA_FACTORS: tuple[str, ...] = (INFLATION_FACTOR,)
#: Template default correlation of inflation shocks with equity returns: slightly
#: negative (an inflation surprise lowers equity valuations); 0 with everything else.
INFLATION_EQUITY_CORRELATION = -0.1


def default_correlation(a: str, b: str) -> float:
    """Template default correlation between two factor labels (SPEC §2)."""
    if a == b:
        return 1.0
    a, b = _ENGLISH_CLASS_NAMES.get(a, a), _ENGLISH_CLASS_NAMES.get(b, b)
    equities = {"Domestic equity", "Foreign equity"}
    pair = {a, b}
    if pair <= equities:
        return 0.75
    if "REIT" in pair and pair & equities:
        return 0.6
    if "Bond" in pair and (pair & equities or "REIT" in pair):
        return -0.1
    if any(x.startswith(FX_PREFIX) for x in pair) and pair & equities:
        return 0.3
    if INFLATION_FACTOR in pair and pair & equities:
        return INFLATION_EQUITY_CORRELATION
    return 0.0


CORRELATIONS_HELP = (
    "Correlations of asset classes, FX:<CCY> and Inflation (optional); blank = 0. Template: "
    "Inflation -0.1 with equities (an inflation surprise lowers their prices), 0 otherwise."
)


# --------------------------------------------------------------------------- History
#: How a History series cell is read: a month's price return as a fraction (5% = 0.05).
HISTORY_RETURN = Column(
    "Monthly return",
    "series",
    "percent",
    lo=-1,
    lo_open=True,
    hi=1,
    help="The month's price return as a fraction (a cell showing 5% holds 0.05).",
)

HISTORY = Table(
    "History",
    (
        Column(
            "Month",
            "month",
            "date",
            required=True,
            width=12,
            help="The month (any day in it), oldest first or newest first; months must be "
            "consecutive.",
        ),
        Column(
            "TOPIX",
            "series",
            "percent",
            lo=-1,
            lo_open=True,
            hi=1,
            width=12,
            help="An example series column: rename it and paste your own. Every column other "
            "than Month, Inflation and Notes is a series, named by its header; a column headed "
            "FX:USD (base currency per USD, its monthly change) moves that currency.",
        ),
        Column(
            INFLATION_FACTOR,
            "inflation",
            "percent",
            lo=-1,
            lo_open=True,
            hi=1,
            width=12,
            help="Optional: the month's consumer-price inflation as a fraction (from a CPI "
            "index: CPI this month / CPI last month - 1).",
        ),
        Column("Notes", "notes", "text", default="", width=36, help="Not read."),
    ),
    help="Optional, for Return model = Historical: monthly price returns (e.g. TOPIX), one "
    "row per month, one column per series your asset classes name.",
    key="Month",
    may_be_empty=True,
    example={
        "Month": date(2024, 1, 31),
        "TOPIX": 0.078,
        INFLATION_FACTOR: 0.002,
        "Notes": EXAMPLE_NOTE,
    },
)
#: History columns that are not series.
HISTORY_NOT_SERIES = ("Month", INFLATION_FACTOR, "Notes")
