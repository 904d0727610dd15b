"""One raw cell value → one typed value for a schema column (SPEC §2).

``convert`` never raises: it returns the typed value, or a ``CellIssue`` saying what
is wrong with the cell and how to fix it. Blank cells convert to ``None`` (the
caller applies defaults and required-ness).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.schema import Column, japanese

YES = {"yes", "y", "true", "1", "はい"}
NO = {"no", "n", "false", "0", "いいえ"}
CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_ERRORS = {
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#SPILL!",
    "#CALC!",
}


@dataclass(frozen=True)
class CellIssue:
    """What is wrong with one cell (the caller adds sheet, cell and column)."""

    message: str
    found: str
    fix: str


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def describe(raw: Any) -> str:
    """How a raw cell value is shown in a message ("found …")."""
    if isinstance(raw, str):
        text = raw if len(raw) <= 60 else raw[:57] + "..."
        return f"'{text}'"
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime):
        return f"the date {raw.date().isoformat()}" if raw.time() == time() else raw.isoformat()
    if isinstance(raw, date):
        return f"the date {raw.isoformat()}"
    if isinstance(raw, (int, float)):
        return number_text(raw)
    return repr(raw)


def number_text(x: float) -> str:
    """1000000 → '1,000,000'; 0.5 → '0.5'."""
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.10g}"


def percent_text(x: float) -> str:
    """0.20315 → '20.315%'; 0.5964285 → '59.643%'."""
    return f"{round(x * 100, 3):g}%"


def range_text(column: Column) -> str:
    """The allowed range in words, e.g. 'between 0% and 100%', 'more than 0'."""
    show = percent_text if column.kind == "percent" else number_text
    lo, hi = column.lo, column.hi
    if lo is not None and hi is not None:
        if column.lo_open:
            return f"more than {show(lo)} and at most {show(hi)}"
        return f"between {show(lo)} and {show(hi)}"
    if lo is not None:
        if column.lo_open:
            return f"more than {show(lo)}"
        return "of zero or more" if lo == 0 else f"at least {show(lo)}"
    if hi is not None:
        return f"at most {show(hi)}"
    return "any number"


def in_range(column: Column, x: float) -> bool:
    if column.lo is not None and (x < column.lo or (column.lo_open and x == column.lo)):
        return False
    return column.hi is None or x <= column.hi


def convert(column: Column, raw: Any) -> Any:
    """The typed value of ``raw`` for ``column``, ``None`` if blank, or a ``CellIssue``."""
    if is_blank(raw):
        return None
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        return CellIssue(
            "holds an Excel error value", describe(raw), "correct the formula or value in this cell"
        )
    kind = column.kind
    if kind in ("text", "ref"):
        return _text(raw)
    if kind == "choice":
        return _choice(column, raw)
    if kind == "yesno":
        return _yes_no(raw)
    if kind == "currency":
        return _currency(raw)
    if kind == "date":
        return _date(raw)
    return _number(column, raw)


def _text(raw: Any) -> Any:
    if isinstance(raw, (datetime, date)):
        return describe(raw)[len("the date ") :]
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a ticker typed as a number: 8058, not 8058.0
    return " ".join(str(raw).split())


def choice_key(text: str) -> str:
    """How choices compare: case, spaces, hyphens and underscores ignored
    ('month end' = 'Month-end')."""
    return re.sub(r"[\s\-_]+", "", text.casefold())


def _choice(column: Column, raw: Any) -> Any:
    choices = column.choices or ()
    key = choice_key(_text(raw))
    japanese_words = ((japanese.choice_name(c, True), c) for c in choices)
    for spelling, choice in (*((c, c) for c in choices), *column.aliases, *japanese_words):
        if choice_key(spelling) == key:
            return choice
    return CellIssue(
        "is not one of the allowed values",
        describe(raw),
        "choose one of " + ", ".join(choices),
    )


def _yes_no(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return CellIssue("must be Yes or No", describe(raw), "enter Yes or No")


def _currency(raw: Any) -> Any:
    text = _text(raw)
    if isinstance(raw, str) and CURRENCY_RE.match(text):
        return text.upper()
    return CellIssue(
        "is not a 3-letter currency code", describe(raw), "enter an ISO code such as JPY or USD"
    )


def _date(raw: Any) -> Any:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 200_000:
        return EXCEL_EPOCH + timedelta(days=int(raw))  # an unformatted Excel date serial
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    return CellIssue("is not a date", describe(raw), "enter a date such as 2026-11-20")


def _number(column: Column, raw: Any) -> Any:
    """Numbers, integers, money and percents, with the whole-number-percent hint."""
    percent = column.kind == "percent"
    what = (
        "a percentage" if percent else "a whole number" if column.kind == "integer" else "a number"
    )
    if isinstance(raw, bool):
        return CellIssue(f"must be {what}", describe(raw), f"enter {what}")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return CellIssue(
            f"is a date but must be {what}",
            describe(raw),
            "format the cell as Number (Home › Number format) and type the value",
        )
    value = raw
    if isinstance(raw, str):
        value = _parse_number_text(raw, percent)
        if value is None:
            return CellIssue(f"is text but must be {what}", describe(raw), f"enter {what}")
    value = float(value)
    if not math.isfinite(value):
        return CellIssue(f"must be {what}", describe(raw), f"enter {what}")
    if column.kind == "integer":
        if not value.is_integer():
            return CellIssue("must be a whole number", describe(raw), "remove the decimals")
        value = int(value)
    plausible_hi = column.plausible_hi if percent else None
    implausible = plausible_hi is not None and value > plausible_hi
    if in_range(column, value) and not implausible:
        return value
    fix = (
        f"did you mean {number_text(value)}%? Type {number_text(value)}% (or "
        f"{value / 100:.10g}) in the cell"
    )
    if percent and abs(value) >= 1 and in_range(column, value / 100):
        return CellIssue(
            "looks like a whole-number percent: percent cells hold fractions", describe(raw), fix
        )
    if implausible and in_range(column, value / 100):
        return CellIssue(
            f"looks like a percent typed as a number: percent cells hold fractions, so "
            f"{number_text(value)} is {percent_text(value)}, above the plausible "
            f"{percent_text(plausible_hi)}",
            describe(raw),
            fix,
        )
    found = f"{number_text(value)} (= {percent_text(value)})" if percent else number_text(value)
    if column.lo == 0 and value < 0:
        return CellIssue("must not be negative", found, f"enter a value {range_text(column)}")
    return CellIssue(f"must be {range_text(column)}", found, f"enter a value {range_text(column)}")


def _parse_number_text(raw: str, percent: bool) -> float | None:
    """Numbers typed as text: '1,000', ' 12.5 ', and '5%' in percent columns."""
    text = raw.strip().replace(",", "").replace("_", "")
    if percent and text.endswith("%"):
        # Decimal, so that '99.9%' is 0.999 exactly as typed (99.9 * 0.01 is 0.99900…01).
        try:
            return float(Decimal(text[:-1].strip()) / 100)
        except (InvalidOperation, ValueError):
            return None
    try:
        return float(text)
    except ValueError:
        return None
