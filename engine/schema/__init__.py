"""The one schema of the input workbook (SPEC §2).

The template writer (``engine.io.template``), the reader's validation
(``engine.io.reader``) and the Inputs sheet of the results (``engine.report``) all
read these definitions. Adding a column is one line in the module of its sheet (plus
the model field it fills):

``columns``    what a column and a table are (kinds of value, ranges, defaults, help)
``settings``   the Settings sheet
``holdings``   Holdings and FX
``markets``    AssetClasses, Correlations and History
``loans``      Loans, and published lender rules
``cashflows``  Cashflows and Scenarios
"""

from __future__ import annotations

from engine.schema.cashflows import (
    CASHFLOWS,
    DEFAULT_SCENARIOS,
    JAPANESE_SCENARIO_NAMES,
    SCENARIOS,
    default_scenarios,
)
from engine.schema.columns import (
    ACCOUNTS,
    ASSET_CLASS_CASH,
    CASHFLOW_TYPES,
    DIVIDEND_POLICIES,
    EXAMPLE_NOTE,
    FORCED_SALE,
    FREQUENCIES,
    HEADER_SEARCH_ROWS,
    LANGUAGES,
    LENDER_MONITORING,
    LOAN_POLICIES,
    LOAN_TYPES,
    RATE_TYPES,
    REQUIRED_MARK,
    RETURN_MODELS,
    ROLES,
    STANDBY_LINE_USES,
    YES_NO,
    Column,
    Table,
    is_cash_class,
)
from engine.schema.holdings import FX, HOLDINGS
from engine.schema.loans import LENDER_RULES, LOANS
from engine.schema.markets import (
    ASSET_CLASSES,
    CORRELATIONS_HELP,
    CORRELATIONS_SHEET,
    DEFAULT_ASSET_CLASSES,
    DEFAULT_EXTRA_FACTORS,
    DEFAULT_FX_FACTORS,
    FX_PREFIX,
    HISTORY,
    HISTORY_NOT_SERIES,
    HISTORY_RETURN,
    INFLATION_FACTOR,
    JAPANESE_CLASS_NAMES,
    US_STOCKS,
    default_asset_classes,
    default_correlation,
)
from engine.schema.settings import SETTINGS, SETTINGS_SHEET

#: The tables every workbook has, in reading order of the template's sheets.
TABLES: tuple[Table, ...] = (HOLDINGS, FX, ASSET_CLASSES, LOANS, CASHFLOWS, SCENARIOS)
HISTORY_SHEET = HISTORY.sheet

SHEET_HELP: dict[str, str] = {
    "Settings": "Dates, ages, horizon, inflation, tax, simulation size, targets, how the "
    "household uses its loans. Blank = the default in Notes.",
    "Holdings": HOLDINGS.help,
    "FX": FX.help,
    "AssetClasses": ASSET_CLASSES.help,
    "Correlations": CORRELATIONS_HELP,
    "Loans": LOANS.help,
    "Cashflows": CASHFLOWS.help,
    "Scenarios": SCENARIOS.help,
    "History": HISTORY.help,
}

__all__ = [
    "ACCOUNTS",
    "ASSET_CLASSES",
    "ASSET_CLASS_CASH",
    "is_cash_class",
    "CASHFLOWS",
    "CASHFLOW_TYPES",
    "CORRELATIONS_HELP",
    "CORRELATIONS_SHEET",
    "DEFAULT_ASSET_CLASSES",
    "JAPANESE_CLASS_NAMES",
    "JAPANESE_SCENARIO_NAMES",
    "default_asset_classes",
    "default_scenarios",
    "DEFAULT_EXTRA_FACTORS",
    "DEFAULT_FX_FACTORS",
    "DEFAULT_SCENARIOS",
    "DIVIDEND_POLICIES",
    "EXAMPLE_NOTE",
    "FORCED_SALE",
    "FREQUENCIES",
    "FX",
    "FX_PREFIX",
    "HEADER_SEARCH_ROWS",
    "HISTORY",
    "HISTORY_NOT_SERIES",
    "HISTORY_RETURN",
    "HISTORY_SHEET",
    "HOLDINGS",
    "INFLATION_FACTOR",
    "LANGUAGES",
    "LENDER_MONITORING",
    "LENDER_RULES",
    "LOANS",
    "LOAN_POLICIES",
    "LOAN_TYPES",
    "RATE_TYPES",
    "REQUIRED_MARK",
    "RETURN_MODELS",
    "ROLES",
    "SCENARIOS",
    "SETTINGS",
    "SETTINGS_SHEET",
    "SHEET_HELP",
    "STANDBY_LINE_USES",
    "TABLES",
    "US_STOCKS",
    "YES_NO",
    "Column",
    "Table",
    "default_correlation",
]
