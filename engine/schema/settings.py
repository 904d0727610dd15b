"""The Settings sheet: two columns, ``Setting`` and ``Value`` (SPEC §2 Settings).

Unknown settings are a warning; a missing or blank setting takes its default.
"""

from __future__ import annotations

from engine.schema.columns import (
    LANGUAGES,
    LENDER_MONITORING,
    LOAN_POLICIES,
    RETURN_MODELS,
    STANDBY_LINE_USES,
    Column,
)

SETTINGS_SHEET = "Settings"

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
        plausible_hi=0.2,
        help="Yearly inflation applied to inflation-linked cash flows (2% = 0.02).",
    ),
    Column(
        "Discount rate",
        "discount_rate",
        "percent",
        default=0.02,
        lo=-0.2,
        hi=0.5,
        plausible_hi=0.2,
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
        plausible_hi=0.1,
        help="Cost of selling assets (spread and fees) as a share of the amount sold.",
    ),
    Column(
        "Loan policy",
        "loan_policy",
        "choice",
        default="Keep",
        choices=LOAN_POLICIES,
        help="Keep: the borrowing you have today is kept (interest paid monthly, surplus "
        "never prepays it). Repay: surplus above the cash buffer repays drawn debt, "
        "dearest first.",
    ),
    Column(
        "Standby line use",
        "standby_line_use",
        "choice",
        default="Crises only",
        choices=STANDBY_LINE_USES,
        help="Crises only: unsecured lines are a crisis reserve, drawn for margin calls, and "
        "for living costs only when cash, secured headroom and unpledged sales are used "
        "up. Any shortfall: drawn first for any cash shortfall.",
    ),
    Column(
        "Lender monitoring",
        "lender_monitoring",
        "choice",
        default="Daily",
        choices=LENDER_MONITORING,
        help="Daily: the simulation counts an LTV breach on any day of a month, as lenders "
        "watch LTV daily. Month-end: only breaches at month ends count.",
    ),
    Column(
        "Capital gains tax rate",
        "capital_gains_tax_rate",
        "percent",
        default=0.20315,
        lo=0,
        hi=0.9,
        help="Tax on realised gains of Taxable holdings (Japan: 20.315%). NISA sales are "
        "not taxed.",
    ),
    Column(
        "Inflation volatility",
        "inflation_volatility",
        "percent",
        default=0.01,
        lo=0,
        hi=0.5,
        plausible_hi=0.1,
        help="Yearly volatility of the inflation rate around Expense inflation; 0 = fixed "
        "inflation.",
    ),
    Column(
        "Return model",
        "return_model",
        "choice",
        default="Lognormal",
        choices=RETURN_MODELS,
        help="Lognormal: returns drawn from AssetClasses' expected return and volatility. "
        "Historical: blocks of real monthly history (each class's History series).",
    ),
    Column(
        "Record history",
        "record_history",
        "yesno",
        default=True,
        help="No for what-if copies: the run is not recorded in the history and does not "
        "replace a snapshot.",
    ),
    Column(
        "Language",
        "language",
        "choice",
        default="English",
        choices=LANGUAGES,
        aliases=(("Japanese", "日本語"), ("ja", "日本語"), ("jp", "日本語"), ("en", "English")),
        help="Language of the results workbook and messages: English or 日本語 (Japanese).",
    ),
)
