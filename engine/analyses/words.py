"""Money in words: how a sentence, a Dashboard tile or a table heading writes an amount.

One rule for every sentence the engine writes (the analyses' verdicts and
recommendations, the sheets' notes): the base currency's symbol (or its ISO code) and
the amount rounded as a person writes it — ¥6.7M, ¥850K, ¥1.2B, $12K, CHF 950. Tables
keep the full amount in their cells; only words round.

    >>> money_words(6_679_997, "JPY")
    '¥6.7M'
    >>> money_words(850_000, "JPY"), money_words(1.2e9, "JPY"), money_words(-40_000, "CHF")
    ('¥850K', '¥1.2B', '−CHF 40K')

``money_scale`` gives the unit, suffix and decimals of that rounding, so a sheet can show
a number cell the same way with a number format (the cell keeps the exact amount).
"""

from __future__ import annotations

import math

#: Symbols written before the amount; any other currency is written by its ISO code.
CURRENCY_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥"}
#: (unit, suffix), largest first.
UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
MINUS = "−"  # U+2212, as the sheets write a minus in words


def currency_prefix(currency: str) -> str:
    """``¥`` for JPY, ``$`` for USD…; ``CHF `` (code and a space) for any other."""
    code = currency.upper()
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def money_scale(amount: float) -> tuple[float, str, int]:
    """``(unit, suffix, decimals)`` with which ``money_words`` writes ``amount``.

    Thousands, millions, billions or trillions; one decimal while the scaled amount is
    below 10 (¥6.7M), none from 10 on (¥85M, ¥850K), and no ``.0`` (¥8M, not ¥8.0M).
    Below 1,000: whole units. Rounding never writes 1000K: 999,999 is ¥1M.
    """
    a = abs(amount)
    k = next((i for i, (unit, _) in enumerate(UNITS) if a >= unit), None)
    if k is None:
        if round(a) < 1000:
            return 1.0, "", 0
        k = len(UNITS) - 1  # 999.6 rounds to 1K
    unit, suffix = UNITS[k]
    if round(a / unit) >= 1000 and k > 0:  # 999,999 is ¥1M, not ¥1000K
        unit, suffix = UNITS[k - 1]
    scaled = round(a / unit, 1)
    decimals = 1 if scaled < 10 and scaled != round(scaled) else 0
    return unit, suffix, decimals


def money_words(amount: float | None, currency: str) -> str:
    """An amount for a sentence: ¥6.7M, ¥850K, ¥1.2B, $950, −¥3M; ``n/a`` for None or NaN."""
    if amount is None or not math.isfinite(amount):
        return "n/a"
    unit, suffix, decimals = money_scale(amount)
    number = f"{abs(amount) / unit:,.{decimals}f}"
    if number.strip("0.,") == "":  # rounds to nothing: no "−¥0"
        return f"{currency_prefix(currency)}0"
    sign = MINUS if amount < 0 else ""
    return f"{sign}{currency_prefix(currency)}{number}{suffix}"
