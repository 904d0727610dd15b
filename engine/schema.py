"""The one schema of the input workbook (SPEC §2).

The template writer (`engine.io.template`), the reader's validation
(`engine.io.reader`) and the Inputs sheet of the results (`engine.report`) all
read these definitions. Adding a column is one line here (plus the model field
it fills).

Kinds of value:

``text``      free text
``choice``    one of ``choices`` (case-insensitive on input, canonical spelling kept)
``yesno``     Yes / No
``number``    a real number within ``[lo, hi]``
``integer``   a whole number within ``[lo, hi]``
``percent``   a fraction (a cell showing 5% holds 0.05) within ``[lo, hi]``
``money``     a number (amount in a currency) within ``[lo, hi]``
``date``      an Excel date
``currency``  a 3-letter ISO code
``ref``       the name of a row of another table (``ref`` says which)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ASSET_CLASS_CASH = "Cash"
ACCOUNTS = ("Taxable", "NISA")
ROLES = ("Core", "Satellite")
DIVIDEND_POLICIES = ("DOE", "Progressive", "Payout", "Fixed", "None")
LOAN_TYPES = ("Securities-backed", "Unsecured line", "Amortizing")
FORCED_SALE = ("All", "To freeze")
CASHFLOW_TYPES = ("Expense", "Income")
FREQUENCIES = ("Monthly", "Annual", "Once")
YES_NO = ("Yes", "No")


@dataclass(frozen=True)
class Column:
    """One column of an input table (or one row of the Settings sheet)."""

    name: str
    attr: str
    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False  # lo is exclusive (amount > 0)
    ref: str | None = None  # for kind "ref": the table whose names are allowed
    help: str = ""
    width: float = 14

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "integer", "percent", "money")


@dataclass(frozen=True)
class Table:
    """A table found on its sheet by its header row."""

    sheet: str
    columns: tuple[Column, ...]
    help: str
    key: str = "Name"  # the column that names a row (unique)
    #: The column names that find the header row (SPEC §2 "Required"); default: every
    #: required column. A required column outside them, when absent, is reported by name.
    header: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def header_names(self) -> tuple[str, ...]:
        return self.header or tuple(c.name for c in self.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name.lower() == name.lower():
                return c
        raise KeyError(name)


# --------------------------------------------------------------------------- Settings
SETTINGS: tuple[Column, ...] = (
    Column(
        "Portfolio name",
        "portfolio_name",
        "text",
        default=None,
        help="Label used in the results and the history. Default: the file name.",
    ),
    Column(
        "Base currency",
        "base_currency",
        "currency",
        default="JPY",
        help="Every result is shown in this currency (ISO code, e.g. JPY, USD).",
    ),
    Column(
        "Valuation date",
        "valuation_date",
        "date",
        default=None,
        help="The date of the prices in Holdings: month 0. Default: today.",
    ),
    Column(
        "Current age",
        "current_age",
        "integer",
        default=45,
        lo=0,
        hi=120,
        help="Your age today, in whole years.",
    ),
    Column(
        "Horizon years",
        "horizon_years",
        "integer",
        default=40,
        lo=1,
        hi=100,
        help="How many years to project and simulate (1-100).",
    ),
    Column(
        "FIRE age",
        "fire_age",
        "integer",
        default=None,
        lo=0,
        hi=150,
        help="Age at which income rows marked 'Stops at FIRE' end. Default: current age.",
    ),
    Column(
        "Expense inflation",
        "expense_inflation",
        "percent",
        default=0.02,
        lo=-0.2,
        hi=0.5,
        help="Yearly inflation applied to inflation-linked cash flows (2% = 0.02).",
    ),
    Column(
        "Discount rate",
        "discount_rate",
        "percent",
        default=0.02,
        lo=-0.2,
        hi=0.5,
        help="Rate for the present value of future expenses minus income.",
    ),
    Column(
        "Dividend tax rate",
        "dividend_tax_rate",
        "percent",
        default=0.20315,
        lo=0,
        hi=0.9,
        help="Tax on dividends in Taxable accounts (Japan: 20.315%).",
    ),
    Column(
        "Cash buffer months",
        "cash_buffer_months",
        "number",
        default=6.0,
        lo=0,
        hi=120,
        help="Months of living expenses kept in cash, not counted as a defense source.",
    ),
    Column(
        "Reinvest surplus",
        "reinvest_surplus",
        "yesno",
        default=True,
        help="Yes: cash above the buffer is invested pro rata to current holdings.",
    ),
    Column(
        "Monte Carlo paths",
        "mc_paths",
        "integer",
        default=10_000,
        lo=100,
        hi=1_000_000,
        help="Number of simulated futures (100 - 1,000,000).",
    ),
    Column(
        "Random seed",
        "random_seed",
        "integer",
        default=42,
        lo=0,
        hi=2**32 - 1,
        help="Same inputs and seed give the same numbers.",
    ),
    Column(
        "Target success probability",
        "target_success_probability",
        "percent",
        default=0.90,
        lo=0.01,
        hi=0.999,
        help="The Monte Carlo success probability you want (e.g. 90%).",
    ),
    Column(
        "Target drawdown",
        "target_drawdown",
        "percent",
        default=0.50,
        lo=0.01,
        hi=0.99,
        help="The market fall your defense must survive (e.g. 50%).",
    ),
    Column(
        "Stress step",
        "stress_step",
        "percent",
        default=0.05,
        lo=0.005,
        hi=0.45,
        help="Spacing of the stress ladder from 0% to 90% (e.g. 5%).",
    ),
    Column(
        "Selling cost",
        "selling_cost",
        "percent",
        default=0.005,
        lo=0,
        hi=0.2,
        help="Cost of selling assets (spread and fees) as a share of the amount sold.",
    ),
)

# --------------------------------------------------------------------------- Tables
HOLDINGS = Table(
    "Holdings",
    (
        Column(
            "Name", "name", "text", required=True, width=28, help="A unique name for the holding."
        ),
        Column("Ticker", "ticker", "text", default="", width=10, help="Optional ticker or code."),
        Column(
            "Asset class",
            "asset_class",
            "ref",
            required=True,
            ref="AssetClasses",
            width=16,
            help="One of the classes on the AssetClasses sheet.",
        ),
        Column(
            "Currency",
            "currency",
            "currency",
            default=None,
            width=10,
            help="Currency of the price. Blank = base currency. Others need an FX row.",
        ),
        Column(
            "Quantity",
            "quantity",
            "number",
            required=True,
            lo=0,
            width=12,
            help="Number of units. For Cash rows: the amount.",
        ),
        Column(
            "Price",
            "price",
            "number",
            required=True,
            lo=0,
            width=12,
            help="Price per unit in the holding's currency. Blank allowed for Cash (= 1).",
        ),
        Column(
            "Account",
            "account",
            "choice",
            default="Taxable",
            choices=ACCOUNTS,
            width=10,
            help="Taxable or NISA. NISA: no dividend tax, cannot be pledged.",
        ),
        Column(
            "Pledged to",
            "pledged_to",
            "ref",
            default=None,
            ref="Loans",
            width=18,
            help="Name of the securities-backed loan this holding secures, or blank.",
        ),
        Column(
            "Role",
            "role",
            "choice",
            default="Core",
            choices=ROLES,
            width=10,
            help="Core (dividend) or Satellite (growth).",
        ),
        Column(
            "Dividend per share",
            "dps",
            "number",
            default=0.0,
            lo=0,
            width=12,
            help="Current annual dividend per unit, in the holding's currency.",
        ),
        Column(
            "Dividend policy",
            "dividend_policy",
            "choice",
            default=None,
            choices=DIVIDEND_POLICIES,
            width=13,
            help="DOE, Progressive, Payout, Fixed or None. Default: Fixed if a dividend is paid.",
        ),
        Column(
            "Book value per share",
            "bvps",
            "number",
            default=None,
            lo=0,
            lo_open=True,
            width=12,
            help="Required for DOE and Payout policies.",
        ),
        Column(
            "DOE",
            "doe",
            "percent",
            default=None,
            lo=0,
            hi=1,
            help="Dividend on equity (dividend / book value). Required for DOE.",
            width=8,
        ),
        Column(
            "ROE",
            "roe",
            "percent",
            default=None,
            lo=-1,
            hi=1,
            help="Return on equity. Required for DOE and Payout.",
            width=8,
        ),
        Column(
            "Payout ratio",
            "payout_ratio",
            "percent",
            default=None,
            lo=0,
            hi=3,
            help="Dividend / earnings. Required for Payout.",
            width=10,
        ),
        Column(
            "Dividend growth",
            "dividend_growth",
            "percent",
            default=0.0,
            lo=-0.5,
            hi=1,
            help="Yearly dividend growth for Progressive and Fixed.",
            width=10,
        ),
        Column(
            "Withholding",
            "withholding",
            "percent",
            default=0.0,
            lo=0,
            hi=0.9,
            help="Foreign withholding tax on dividends.",
            width=10,
        ),
    ),
    help="What you own: one row per holding, including cash balances (asset class Cash).",
)

FX = Table(
    "FX",
    (
        Column(
            "Currency",
            "currency",
            "currency",
            required=True,
            width=10,
            help="ISO code of a foreign currency used in Holdings.",
        ),
        Column(
            "Rate",
            "rate",
            "number",
            required=True,
            lo=0,
            lo_open=True,
            width=12,
            help="Units of base currency per 1 unit (e.g. 150 JPY per USD).",
        ),
        Column(
            "Volatility",
            "volatility",
            "percent",
            default=0.10,
            lo=0,
            hi=2,
            width=10,
            help="Yearly volatility of the rate.",
        ),
        Column(
            "Expected change",
            "expected_change",
            "percent",
            default=0.0,
            lo=-0.5,
            hi=0.5,
            width=12,
            help="Expected yearly change of the rate (+ = base weakens).",
        ),
    ),
    help="Exchange rates into the base currency.",
    key="Currency",
)

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
    ),
    help="Return, risk, stress and collateral assumptions per asset class.",
    key="Asset class",
)

LOANS = Table(
    "Loans",
    (
        Column("Name", "name", "text", required=True, width=24, help="A unique name."),
        Column(
            "Type",
            "type",
            "choice",
            required=True,
            choices=LOAN_TYPES,
            width=18,
            help="Securities-backed, Unsecured line, or Amortizing.",
        ),
        Column(
            "Balance", "balance", "money", required=True, lo=0, width=14, help="Amount drawn today."
        ),
        Column(
            "Limit",
            "limit",
            "money",
            default=None,
            lo=0,
            width=14,
            help="Facility maximum (>= Balance). Default: the balance.",
        ),
        Column(
            "Interest rate",
            "interest_rate",
            "percent",
            required=True,
            lo=0,
            hi=0.5,
            width=10,
            help="Yearly interest rate on the drawn balance.",
        ),
        Column(
            "Commitment fee",
            "commitment_fee",
            "percent",
            default=0.0,
            lo=0,
            hi=0.2,
            width=11,
            help="Yearly fee on the undrawn part of the limit.",
        ),
        Column(
            "Advance rate",
            "advance_rate",
            "percent",
            default=None,
            lo=0,
            hi=1,
            width=10,
            help="Overrides the asset-class advance rates for this loan's collateral.",
        ),
        Column(
            "Freeze LTV",
            "freeze_ltv",
            "percent",
            default=None,
            lo=0,
            hi=2,
            width=10,
            help="New draws stop at or above this LTV. Default: the collateral's advance rate.",
        ),
        Column(
            "Margin call LTV",
            "margin_call_ltv",
            "percent",
            default=None,
            lo=0,
            hi=2,
            width=11,
            help="Margin call at or above this LTV. Blank = no call stage.",
        ),
        Column(
            "Liquidation LTV",
            "liquidation_ltv",
            "percent",
            default=0.85,
            lo=0,
            hi=2,
            width=12,
            help="Forced sale at or above this LTV.",
        ),
        Column(
            "Forced sale",
            "forced_sale",
            "choice",
            default="To freeze",
            choices=FORCED_SALE,
            width=10,
            help="All: the lender sells all collateral. To freeze: only enough.",
        ),
        Column(
            "Monthly payment",
            "monthly_payment",
            "money",
            default=0.0,
            lo=0,
            width=12,
            help="Principal repaid each month (Amortizing).",
        ),
        Column(
            "Crisis limit cut",
            "crisis_limit_cut",
            "percent",
            default=0.0,
            lo=0,
            hi=1,
            width=11,
            help="Unsecured line: share of the limit a lender may cut in a crisis.",
        ),
    ),
    help="What you owe and can draw: securities-backed loans, unsecured lines, amortizing loans.",
    header=("Name", "Type", "Balance"),  # SPEC §2; Interest rate has no default either
)

CASHFLOWS = Table(
    "Cashflows",
    (
        Column("Name", "name", "text", required=True, width=24, help="A unique name."),
        Column(
            "Type",
            "type",
            "choice",
            required=True,
            choices=CASHFLOW_TYPES,
            width=10,
            help="Expense or Income.",
        ),
        Column(
            "Amount",
            "amount",
            "money",
            required=True,
            lo=0,
            lo_open=True,
            width=14,
            help="Amount per period in today's money (> 0).",
        ),
        Column(
            "Frequency",
            "frequency",
            "choice",
            required=True,
            choices=FREQUENCIES,
            width=11,
            help="Monthly, Annual (spread evenly over the year) or Once.",
        ),
        Column(
            "Start year",
            "start_year",
            "integer",
            default=None,
            lo=1900,
            hi=2300,
            width=10,
            help="First calendar year (blank = from the valuation date).",
        ),
        Column(
            "End year",
            "end_year",
            "integer",
            default=None,
            lo=1900,
            hi=2300,
            width=10,
            help="Last calendar year, inclusive (blank = to the horizon end).",
        ),
        Column(
            "Inflation-linked",
            "inflation_linked",
            "yesno",
            default=None,
            width=11,
            help="Grows with expense inflation. Default: Yes for Expense, No for Income.",
        ),
        Column(
            "Growth",
            "growth",
            "percent",
            default=0.0,
            lo=-0.5,
            hi=0.5,
            width=9,
            help="Extra yearly growth.",
        ),
        Column(
            "Stops at FIRE",
            "stops_at_fire",
            "yesno",
            default=False,
            width=11,
            help="Yes: ends at your FIRE age (e.g. salary).",
        ),
    ),
    help="Future money in and out: living costs, education, salary, pension.",
)

SCENARIOS = Table(
    "Scenarios",
    (
        Column("Name", "name", "text", required=True, width=26, help="A unique name."),
        Column(
            "Equity drawdown",
            "equity_drawdown",
            "percent",
            required=True,
            lo=0,
            hi=1,
            width=12,
            help="Peak-to-trough fall, applied × each class's stress beta.",
        ),
        Column(
            "FX change",
            "fx_change",
            "percent",
            default=0.0,
            lo=-0.9,
            hi=2,
            width=10,
            help="Change of foreign currencies vs base (negative = base strengthens).",
        ),
        Column(
            "Dividend cut",
            "dividend_cut",
            "percent",
            default=0.0,
            lo=0,
            hi=1,
            width=10,
            help="Dividend cut during the scenario.",
        ),
        Column(
            "Rate shock",
            "rate_shock",
            "percent",
            default=0.0,
            lo=-0.1,
            hi=0.3,
            width=10,
            help="Added to loan interest rates (1% = 0.01).",
        ),
        Column(
            "Line limit cut",
            "line_limit_cut",
            "percent",
            default=0.0,
            lo=0,
            hi=1,
            width=11,
            help="Share of unsecured line limits cut by lenders.",
        ),
        Column(
            "Months to trough",
            "months_to_trough",
            "integer",
            required=True,
            lo=1,
            hi=600,
            width=11,
            help="Months of log-linear decline to the trough.",
        ),
        Column(
            "Months to recover",
            "months_to_recover",
            "integer",
            default=0,
            lo=0,
            hi=600,
            width=11,
            help="Months of log-linear recovery (0 = no recovery in horizon).",
        ),
    ),
    help="Historical crises replayed month by month through your structure.",
)

TABLES: tuple[Table, ...] = (HOLDINGS, FX, ASSET_CLASSES, LOANS, CASHFLOWS, SCENARIOS)
SETTINGS_SHEET = "Settings"
CORRELATIONS_SHEET = "Correlations"
HEADER_SEARCH_ROWS = 10

SHEET_HELP: dict[str, str] = {
    "Settings": "General assumptions: dates, ages, horizon, inflation, tax, simulation size, "
    "targets. Blank values use the default shown in Notes.",
    "Holdings": HOLDINGS.help,
    "FX": FX.help,
    "AssetClasses": ASSET_CLASSES.help,
    "Correlations": "Correlations between asset classes and FX factors (FX:USD). Square, "
    "symmetric, 1 on the diagonal. Missing pairs count as 0.",
    "Loans": LOANS.help,
    "Cashflows": CASHFLOWS.help,
    "Scenarios": SCENARIOS.help,
}

# --------------------------------------------------------------------------- Defaults
DEFAULT_ASSET_CLASSES: tuple[dict[str, Any], ...] = (
    {
        "Asset class": "Domestic equity",
        "Expected return": 0.05,
        "Volatility": 0.18,
        "Stress beta": 1.0,
        "Crisis dividend cut": 0.20,
        "Advance rate": 0.60,
    },
    {
        "Asset class": "Foreign equity",
        "Expected return": 0.06,
        "Volatility": 0.17,
        "Stress beta": 1.0,
        "Crisis dividend cut": 0.20,
        "Advance rate": 0.50,
    },
    {
        "Asset class": "REIT",
        "Expected return": 0.04,
        "Volatility": 0.20,
        "Stress beta": 1.2,
        "Crisis dividend cut": 0.25,
        "Advance rate": 0.50,
    },
    {
        "Asset class": "Bond",
        "Expected return": 0.01,
        "Volatility": 0.04,
        "Stress beta": 0.1,
        "Crisis dividend cut": 0.0,
        "Advance rate": 0.80,
    },
    {
        "Asset class": "Cash",
        "Expected return": 0.0,
        "Volatility": 0.0,
        "Stress beta": 0.0,
        "Crisis dividend cut": 0.0,
        "Advance rate": 0.0,
    },
)

DEFAULT_FX_FACTORS: tuple[str, ...] = ("FX:USD",)


def default_correlation(a: str, b: str) -> float:
    """Template default correlation between two factor labels (SPEC §2)."""
    if a == b:
        return 1.0
    equities = {"Domestic equity", "Foreign equity"}
    pair = {a, b}
    if pair <= equities:
        return 0.75
    if "REIT" in pair and pair & equities:
        return 0.6
    if "Bond" in pair and (pair & equities or "REIT" in pair):
        return -0.1
    if any(x.startswith("FX:") for x in pair) and pair & equities:
        return 0.3
    return 0.0


DEFAULT_SCENARIOS: tuple[dict[str, Any], ...] = (
    {
        "Name": "GFC 2007-09",
        "Equity drawdown": 0.57,
        "FX change": -0.15,
        "Dividend cut": 0.21,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 17,
        "Months to recover": 48,
    },
    {
        "Name": "COVID 2020",
        "Equity drawdown": 0.34,
        "FX change": 0.0,
        "Dividend cut": 0.10,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 1,
        "Months to recover": 5,
    },
    {
        "Name": "Japan bubble 1989-2003",
        "Equity drawdown": 0.80,
        "FX change": 0.0,
        "Dividend cut": 0.0,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 160,
        "Months to recover": 0,
    },
    {
        "Name": "Japan Aug 2024",
        "Equity drawdown": 0.25,
        "FX change": -0.12,
        "Dividend cut": 0.0,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 1,
        "Months to recover": 6,
    },
    {
        "Name": "Dot-com 2000-02",
        "Equity drawdown": 0.49,
        "FX change": 0.0,
        "Dividend cut": 0.0,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 31,
        "Months to recover": 56,
    },
    {
        "Name": "Black Monday 1987",
        "Equity drawdown": 0.22,
        "FX change": 0.0,
        "Dividend cut": 0.0,
        "Rate shock": 0.0,
        "Line limit cut": 0.0,
        "Months to trough": 1,
        "Months to recover": 20,
    },
)
