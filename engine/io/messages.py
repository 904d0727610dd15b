"""The reader's problems in the workbook's language (SPEC §2, §5 Language).

The reader states every problem in English, its canonical words (``engine.io.cells``,
``tables``, ``records``…). For a Japanese workbook, ``Words.problem_text`` puts each part
— what is wrong, what was found, the fix — into Japanese with the catalogue's ``rd.*``
entries: an entry's English is a pattern (``{field}`` matches any text) and the matched
fields are themselves put into Japanese (column and sheet names as the workbook spells
them, choice values, ranges in words, lists) before they fill the Japanese entry. A text
no entry matches (the user's own words, a number) is left as it is.
"""

from __future__ import annotations

import re
import string
from functools import cache

from engine.i18n import CATALOGUE
from engine.schema import japanese

_QUOTED = re.compile(r"^'[^']*'$")
#: Fields that hold one word or number (no space): "{low} {percent}" splits at the last
#: space, not the first.
_ONE_WORD = {"percent", "n", "row", "fraction", "cell", "currency", "value"}


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """(regex of the English, Japanese, fields) of every ``rd.*`` entry, the longest
    literal first (so that a specific phrase wins over a general one)."""
    out = []
    for key, (english, ja) in CATALOGUE.items():
        if not key.startswith("rd."):
            continue
        regex, fields, literal = "", [], 0
        for text, field, _, _ in string.Formatter().parse(english):
            regex += re.escape(text)
            literal += len(text)
            if field is not None:
                if field in fields:
                    regex += f"(?P={field})"
                else:
                    regex += f"(?P<{field}>\\S+?)" if field in _ONE_WORD else f"(?P<{field}>.+?)"
                    fields.append(field)
        out.append((literal, re.compile(regex + r"\Z", re.S), ja, tuple(fields)))
    out.sort(key=lambda entry: -entry[0])
    return tuple((regex, ja, fields) for _, regex, ja, fields in out)


@cache
def _names() -> dict[str, str]:
    """English sheet, column, setting and choice names (and the lower-case column names
    of "enter the quantity") → Japanese; the first sheet's spelling wins."""
    out: dict[str, str] = {}
    for (_, name), (ja, _) in japanese.COLUMNS.items():
        out.setdefault(name, ja)
        out.setdefault(name.lower(), ja)
    out.update(japanese.CHOICES)
    out.update(japanese.SHEETS)
    out.update(japanese.SETTINGS_HEADERS)
    for sheet, fix in japanese.EMPTY_FIX.items():
        out[_EMPTY_FIX_EN[sheet]] = fix
    return out


def _empty_fixes() -> dict[str, str]:
    from engine.schema import TABLES

    return {t.sheet: t.empty_fix for t in TABLES if t.empty_fix}


_EMPTY_FIX_EN = _empty_fixes()


class Words:
    """How one workbook's problems are worded: its language, and the names of its sheets
    and columns as they appear in it."""

    def __init__(self, is_japanese: bool = False) -> None:
        self.japanese = is_japanese
        #: canonical sheet (folded) → title in the workbook
        self.titles: dict[str, str] = {}
        #: title in the workbook (folded) → canonical sheet
        self.canonical: dict[str, str] = {}
        #: (canonical sheet, canonical column folded) → header as written in the workbook
        self.headers: dict[tuple[str, str], str] = {}

    # ------------------------------------------------------------------ registry
    def found_sheet(self, canonical: str, title: str) -> None:
        self.titles[_fold(canonical)] = title
        self.canonical[_fold(title)] = canonical

    def found_header(self, sheet_title: str, canonical_column: str, written: str) -> None:
        sheet = self.canonical.get(_fold(sheet_title), sheet_title)
        self.headers[(sheet, _fold(canonical_column))] = written

    # ------------------------------------------------------------------ names
    def sheet(self, name: str) -> str:
        """A sheet as the workbook names it (a missing sheet: in the workbook's language)."""
        title = self.titles.get(_fold(name))
        if title is not None and _fold(title) != _fold(name):
            return title
        if title is not None or _fold(name) in self.canonical:
            return name
        return japanese.sheet_name(name, self.japanese)

    def column(self, sheet: str, name: str) -> str:
        """A column (or setting) as the workbook's header spells it; a column the
        workbook lacks, in the workbook's language."""
        if not name:
            return name
        canonical = self.canonical.get(_fold(sheet), sheet)
        written = self.headers.get((canonical, _fold(name)))
        if written is not None:
            return name if _fold(written) == _fold(name) else written
        if not self.japanese:
            return name
        return japanese.column_name(canonical, name, True)

    # ------------------------------------------------------------------ texts
    def text(self, text: str, sheet: str = "") -> str:
        """One part of a problem in the workbook's language."""
        if not self.japanese or not text or _QUOTED.match(text):
            return text
        return self._translate(text, sheet, depth=0)

    def _translate(self, text: str, sheet: str, depth: int) -> str:
        canonical = self.canonical.get(_fold(sheet), sheet)
        shown = self.headers.get((canonical, _fold(text)))
        if shown is not None:
            return shown
        named = _names().get(text)
        if named is not None:
            return (
                japanese.column_name(canonical, text, True)
                if (canonical, text) in japanese.COLUMNS
                else named
            )
        if depth > 4:
            return text
        for regex, ja, fields in _patterns():
            match = regex.match(text)
            if match:
                values = {f: self._translate(match[f], sheet, depth + 1) for f in fields}
                return ja.format(**values)
        if ", " in text:
            parts = text.split(", ")
            return "、".join(self._translate(p, sheet, depth + 1) for p in parts)
        if _QUOTED.match(text):
            inner = self._translate(text[1:-1], sheet, depth + 1)
            return f"「{inner}」" if inner != text[1:-1] else text
        return text


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()
