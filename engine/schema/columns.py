"""What a column of the input contract is: ``Column`` and ``Table`` (SPEC §2).

Kinds of value:

``text``      free text
``choice``    one of ``choices`` (case, spaces and hyphens ignored on input; ``aliases``
              accepted too; the canonical spelling is kept)
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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ASSET_CLASS_CASH = "Cash"
#: The asset-class names that mean cash (no return, no volatility; the liquidity pool):
#: the English template's and the Japanese template's (現金), compared case-folded.
CASH_CLASS_NAMES = frozenset({"cash", "現金"})


def is_cash_class(name: str) -> bool:
    """Is an asset class of this name cash (``Cash`` or ``現金``, any case or spacing)?"""
    return " ".join(str(name).split()).casefold() in CASH_CLASS_NAMES


ACCOUNTS = ("Taxable", "NISA")
ROLES = ("Core", "Satellite")
DIVIDEND_POLICIES = ("DOE", "Progressive", "Payout", "Fixed", "None")
LOAN_TYPES = ("Securities-backed", "Unsecured line", "Amortizing")
FORCED_SALE = ("All", "To freeze")
RATE_TYPES = ("Fixed", "Floating")
CASHFLOW_TYPES = ("Expense", "Income")
FREQUENCIES = ("Monthly", "Annual", "Once")
YES_NO = ("Yes", "No")
LOAN_POLICIES = ("Keep", "Repay")
STANDBY_LINE_USES = ("Crises only", "Any shortfall")
LENDER_MONITORING = ("Daily", "Month-end")
RETURN_MODELS = ("Lognormal", "Historical")
LANGUAGES = ("English", "日本語")

#: The mark after a required column's header in the template ("Name *"); the reader
#: finds the header with or without it.
REQUIRED_MARK = "*"
#: A table's header row is searched for in this many rows from the top of its sheet.
HEADER_SEARCH_ROWS = 10


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
    #: For percents: the largest value a person plausibly means. A value above it (but
    #: within ``hi``) whose hundredth is plausible is taken for a percent typed as a
    #: number (0.5 for 0.5%) and refused with "did you mean 0.5%?", as a whole number is.
    #: ``None``: every value up to ``hi`` is plausible (e.g. an LTV of 0.5 is 50%).
    plausible_hi: float | None = None
    #: Other spellings accepted for a choice: (alias, canonical choice).
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "integer", "percent", "money")

    @property
    def header(self) -> str:
        """The header the template writes: the name, marked when required."""
        return f"{self.name} {REQUIRED_MARK}" if self.required else self.name


@dataclass(frozen=True)
class Table:
    """A table found on its sheet by its header row."""

    sheet: str
    columns: tuple[Column, ...]
    help: str
    key: str = "Name"  # the column that names a row (unique)
    #: The columns that identify the header row. The header row is the first row (of
    #: the first 10) holding every required column; failing that, the first holding
    #: these, and each required column it lacks is reported by name ("the column is
    #: missing"). Default: the key column.
    header: tuple[str, ...] = ()
    #: A table with no data row is an error (SPEC §2) unless it may be empty.
    may_be_empty: bool = False
    #: What to fill in when the table has no data row (the error's fix).
    empty_fix: str = ""
    #: The template's greyed example row (column name -> value), or None. The reader
    #: skips a row whose every cell equals it (see ``engine.io.tables``).
    example: Mapping[str, Any] | None = None

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def header_names(self) -> tuple[str, ...]:
        return self.header or (self.key,)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name.lower() == name.lower():
                return c
        raise KeyError(name)


def notes_column(help_text: str = "Your notes; not read by the engine.") -> Column:
    """The optional free-text Notes column of a table (shown back in the results)."""
    return Column("Notes", "notes", "text", default="", width=36, help=help_text)


#: The Notes cell of every example row: how the reader recognises it, in words.
EXAMPLE_NOTE = (
    "Example row (grey): not read while unchanged. Type over it with your own row, or delete it."
)
