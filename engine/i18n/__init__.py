"""Every user-facing word, in English and Japanese (SPEC §5 Language).

Code refers to a catalogue *key* (``"bs.total_assets"``), never to the English text; the
catalogue (``engine.i18n.catalogue``) holds both languages of every key. A leaf module:
it imports nothing of the engine, so every layer may use it.

The language in force is ambient for one workbook: the workflow sets it from the
workbook's ``Language`` setting (``use(language)``), the report context carries it, and
``T(key, **values)`` reads it — so a verdict written by an analysis and a title written
by a sheet speak the same language without every function taking a parameter.

    >>> JAPANESE.money(85_000_000, "JPY"), JAPANESE.money(135_000_000, "JPY")
    ('8,500万円', '1.35億円')
    >>> from datetime import date
    >>> JAPANESE.date(date(2026, 11, 20)), ENGLISH.date(date(2026, 11, 20))
    ('2026年11月20日', '2026-11-20')
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from engine.i18n.catalogue import CATALOGUE
from engine.i18n.money import english_money, japanese_money

__all__ = [
    "CATALOGUE",
    "ENGLISH",
    "JAPANESE",
    "Language",
    "T",
    "choice_words",
    "current",
    "sheet_title",
    "date_words",
    "is_key",
    "language_named",
    "use",
]


@dataclass(frozen=True)
class Language:
    """One language of the catalogue: ``en`` or ``ja``."""

    code: str  # "en" / "ja": the catalogue column and ``--lang``
    setting: str  # the Settings value that selects it: "English" / "日本語"

    @property
    def japanese(self) -> bool:
        return self.code == "ja"

    def t(self, key: str, /, **values) -> str:
        """The text of ``key`` in this language, with ``values`` filled in (``str.format``)."""
        entry = CATALOGUE[key]
        text = entry[1] if self.japanese else entry[0]
        return text.format(**values) if values else text

    def text(self, value):
        """``value`` translated when it is a catalogue key, else as it is (user text)."""
        if isinstance(value, str) and value in CATALOGUE:
            return self.t(value)
        return value

    def money(self, amount: float | None, currency: str) -> str:
        """An amount for a sentence: ¥6.7M in English; 8,500万円, 1.35億円 in Japanese."""
        if amount is None or not math.isfinite(amount):
            return self.t("common.n_a")
        if self.japanese and currency.upper() == "JPY":
            return japanese_money(amount)
        return english_money(amount, currency)

    def date(self, day: date) -> str:
        """A date in a sentence: 2026-11-20 / 2026年11月20日."""
        if self.japanese:
            return f"{day.year}年{day.month}月{day.day}日"
        return day.isoformat()

    def join(self, items) -> str:
        """A list in a sentence: ``a, b, c`` / ``a、b、c``."""
        return ("、" if self.japanese else ", ").join(str(i) for i in items)

    def plural(self, n: int, one: str, many: str, **values) -> str:
        """``one`` or ``many`` (catalogue keys) for a count ``n`` (Japanese has one form)."""
        return self.t(one if n == 1 else many, n=n, **values)


ENGLISH = Language("en", "English")
JAPANESE = Language("ja", "日本語")
LANGUAGES = (ENGLISH, JAPANESE)
_current: ContextVar[Language] = ContextVar("engine_language", default=ENGLISH)


def language_named(name: str | None) -> Language:
    """The Language of a Settings value or a ``--lang`` code (English when unknown)."""
    text = (name or "").strip().lower()
    if text in ("ja", "jp", "japanese", "日本語", "にほんご"):
        return JAPANESE
    return ENGLISH


def current() -> Language:
    """The language in force (English unless ``use`` set another)."""
    return _current.get()


@contextmanager
def use(language: Language) -> Iterator[Language]:
    """Make ``language`` the one in force inside the ``with`` block."""
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def T(key: str, /, **values) -> str:  # noqa: N802 - the conventional name of a lookup
    """``key``'s text in the language in force, ``values`` filled in."""
    return _current.get().t(key, **values)


#: The results workbook's sheets (their names in the code, ``engine.analyses.SHEETS``) and
#: the catalogue key of each one's name in the workbook.
SHEET_KEYS = {
    "Dashboard": "sheet.dashboard",
    "Balance Sheet": "sheet.balance_sheet",
    "Stress Test": "sheet.stress",
    "Defense": "sheet.defense",
    "Snowball": "sheet.snowball",
    "Monte Carlo": "sheet.monte_carlo",
    "Inputs": "sheet.inputs",
    "About": "sheet.about",
}


def sheet_title(sheet: str) -> str:
    """The name a results sheet has in the workbook, in the language in force."""
    return T(SHEET_KEYS[sheet]) if sheet in SHEET_KEYS else sheet


def _fold(text: str) -> str:
    return "".join(str(text).split()).replace("-", "").casefold()


#: Choice values of the input (English canonical spelling, folded) → catalogue key.
CHOICE_KEYS = {_fold(CATALOGUE[key][0]): key for key in CATALOGUE if key.startswith("choice.")}


def choice_words(value) -> str:
    """A choice value of the input (``Securities-backed``, ``Taxable``, ``DOE``…) in the
    language in force (``証券担保ローン``, ``課税``, ``DOE``); any other value as it is."""
    key = CHOICE_KEYS.get(_fold(value)) if isinstance(value, str) else None
    return T(key) if key else value


def date_words(day: date) -> str:
    """A date in a sentence in the language in force: 2026-11-20 / 2026年11月20日."""
    return _current.get().date(day)


def is_key(value) -> bool:
    return isinstance(value, str) and value in CATALOGUE
