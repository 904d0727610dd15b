"""Money in words, as a reader of each language writes it (no engine imports).

English: the currency's symbol (or ISO code) and the amount rounded as a person writes
it — ¥6.7M, ¥850K, ¥1.2B, $12K, CHF 950. Japanese, for yen: 万円 and 億円 — 8,500万円,
1.35億円, 3.5万円; below 1万円 plain yen (8,500円). Tables keep the full amount in their
cells; only words round.

    >>> english_money(6_679_997, "JPY"), english_money(-40_000, "CHF")
    ('¥6.7M', '−CHF 40K')
    >>> japanese_money(85_000_000), japanese_money(135_000_000), japanese_money(8_500)
    ('8,500万円', '1.35億円', '8,500円')
"""

from __future__ import annotations

#: Symbols written before the amount; any other currency is written by its ISO code.
CURRENCY_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥"}
#: (unit, suffix), largest first.
UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
MINUS = "−"  # U+2212, as the sheets write a minus in words
#: Japanese units for yen, largest first: (unit, suffix, decimals below 10 units).
JAPANESE_UNITS = ((1e12, "兆円", 2), (1e8, "億円", 2), (1e4, "万円", 1))


def currency_prefix(currency: str) -> str:
    """``¥`` for JPY, ``$`` for USD…; ``CHF `` (code and a space) for any other."""
    code = currency.upper()
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def money_scale(amount: float) -> tuple[float, str, int]:
    """``(unit, suffix, decimals)`` with which ``english_money`` writes ``amount``.

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


def english_money(amount: float, currency: str) -> str:
    """¥6.7M, ¥850K, ¥1.2B, $950, −¥3M (a finite amount)."""
    unit, suffix, decimals = money_scale(amount)
    number = f"{abs(amount) / unit:,.{decimals}f}"
    if number.strip("0.,") == "":  # rounds to nothing: no "−¥0"
        return f"{currency_prefix(currency)}0"
    sign = MINUS if amount < 0 else ""
    return f"{sign}{currency_prefix(currency)}{number}{suffix}"


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def japanese_money(amount: float) -> str:
    """Yen as a Japanese reader writes it: 8,500万円, 1.35億円, 12.5億円, 3.5万円, 8,500円.

    Below 10 units two decimals for 億/兆 (1.35億円) and one for 万 (3.5万円), trailing
    zeros dropped; from 10 units one decimal for 億/兆 (12.5億円), none for 万
    (8,500万円); from 100 units none. Rounding never writes 10,000万円: it is 1億円.
    """
    a = abs(amount)
    sign = MINUS if amount < 0 and round(a) > 0 else ""
    for i, (unit, suffix, small) in enumerate(JAPANESE_UNITS):
        if a < unit * 0.99995 and not (i == len(JAPANESE_UNITS) - 1 and round(a) >= unit):
            continue
        scaled = a / unit
        decimals = small if scaled < 10 else (1 if scaled < 100 and small == 2 else 0)
        text = f"{scaled:,.{decimals}f}"
        if i > 0 and float(text.replace(",", "")) >= 10_000:  # 10,000万円 is 1億円
            return sign + _trim(f"{a / JAPANESE_UNITS[i - 1][0]:,.2f}") + JAPANESE_UNITS[i - 1][1]
        return sign + _trim(text) + suffix
    return f"{sign}{round(a):,}円"
