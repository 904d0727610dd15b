"""Money in words: how a sentence, a Dashboard tile or a table heading writes an amount.

One rule for every sentence the engine writes (the analyses' verdicts and
recommendations, the sheets' notes), in the language in force (``engine.i18n``):
English — the base currency's symbol (or its ISO code) and the amount rounded as a
person writes it, ¥6.7M, ¥850K, ¥1.2B, $12K, CHF 950; Japanese — yen in 万円 / 億円,
8,500万円, 1.35億円. Tables keep the full amount in their cells; only words round.

    >>> money_words(6_679_997, "JPY")
    '¥6.7M'
    >>> money_words(850_000, "JPY"), money_words(1.2e9, "JPY"), money_words(-40_000, "CHF")
    ('¥850K', '¥1.2B', '−CHF 40K')

``money_scale`` gives the unit, suffix and decimals of the English rounding, so a sheet
can show a number cell the same way with a number format (the cell keeps the exact
amount).
"""

from __future__ import annotations

from engine.i18n import current
from engine.i18n.money import CURRENCY_SYMBOLS, MINUS, UNITS, currency_prefix, money_scale

__all__ = ["CURRENCY_SYMBOLS", "MINUS", "UNITS", "currency_prefix", "money_scale", "money_words"]


def money_words(amount: float | None, currency: str) -> str:
    """An amount for a sentence: ¥6.7M, ¥850K, ¥1.2B, $950, −¥3M (8,500万円 in Japanese);
    ``n/a`` for None or NaN."""
    return current().money(amount, currency)
