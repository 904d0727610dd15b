"""Bad input in a Japanese workbook: every case of the bad-input suite, on the example
written with the Japanese template (``write_example(path, JAPANESE)``).

Each problem must be worded in Japanese and still name ``Sheet!Cell (Column)`` — the
Japanese sheet and column names the workbook has — at the cell the English case names;
the command line prints it (and its own lines) in Japanese. A Japanese workbook whose
Language is English, and an English one whose Language is 日本語, show the language rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from test_bad_input import CASES, run_cli

from engine.errors import InputError, Problem
from engine.i18n import JAPANESE
from engine.io.example import JAPANESE_NAMES, write_example
from engine.io.reader import read_workbook
from engine.schema import japanese

#: English words a Japanese message may keep: codes, acronyms, product names and the
#: names the input contract keeps in every language.
KEPT = {
    "LTV", "DOE", "ROE", "NISA", "CCY", "Inflation", "Excel", "JPY", "USD", "ISO",
    "LibreOffice", "TOPIX", "Cash", "stocks",
}  # fmt: skip
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


#: The example's own names (holdings, classes, loans) as the Japanese example writes them,
#: looked up case-folded ("Domestic Equity" is 国内株式 too).
IN_JAPANESE = {en.casefold(): ja for en, ja in JAPANESE_NAMES.items()}


def in_japanese(value):
    """A value a case writes, with the example's English names in Japanese."""
    return IN_JAPANESE.get(value.casefold(), value) if isinstance(value, str) else value


class JapaneseSheet:
    """A sheet whose cells are set with the Japanese example's names."""

    def __init__(self, ws):
        self.ws = ws

    def __getitem__(self, cell):
        return self.ws[cell]

    def __setitem__(self, cell, value):
        self.ws[cell] = in_japanese(value)

    def __getattr__(self, name):
        return getattr(self.ws, name)


class JapaneseBook:
    """The workbook seen through the English sheet and household names the cases use."""

    def __init__(self, book):
        self.book = book

    def __getitem__(self, name):
        return JapaneseSheet(self.book[japanese.sheet_name(name, True)])

    def __delitem__(self, name):
        del self.book[japanese.sheet_name(name, True)]


@pytest.fixture(scope="module")
def example_ja(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example-ja") / "example-ja.xlsx"
    write_example(path, JAPANESE)
    return path


def mutated(example: Path, tmp_path: Path, change) -> Path:
    book = openpyxl.load_workbook(example)
    change(JapaneseBook(book))
    out = tmp_path / "bad.xlsx"
    book.save(out)
    return out


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert caught.value.language == "ja"
    return caught.value.problems


#: The user's own names in the example (asset classes, loans): kept as written.
USER_NAMES = tuple(
    in_japanese(name) for name in (
        "Domestic equity", "Foreign equity", "REIT", "Bond", "Securities-backed loan",
        "Standby credit line",
    )
)  # fmt: skip


def english_words(problem: Problem) -> set[str]:
    """English words left in what is wrong and the fix (the found value, the user's names
    and currency codes are the user's)."""
    text = problem.message + " " + problem.fix
    for q in (*re.findall(r"'([^']*)'", text), *USER_NAMES):
        text = text.replace(q, "")
    text = re.sub(r"\b[A-Z]{3}\b", "", text)
    return set(re.findall(r"[A-Za-z]{3,}", text)) - KEPT


@pytest.mark.parametrize(
    ("change", "sheet", "cell", "column", "text"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_japanese_problem_names_the_japanese_sheet_and_column(
    example_ja, tmp_path, capsys, monkeypatch, change, sheet, cell, column, text
):
    bad = mutated(example_ja, tmp_path, change)
    want_sheet = japanese.sheet_name(sheet, True)
    want_column = japanese.column_name(sheet, column, True) if column else ""
    if sheet == "Correlations":  # "Domestic equity / Foreign equity": the classes' names
        want_column = " / ".join(in_japanese(part) for part in want_column.split(" / "))
    code, problems, err, out, _ = run_cli(bad, tmp_path, capsys, monkeypatch)
    assert code == 1 and "Traceback" not in err
    located = [
        p for p in problems if (p.sheet, p.cell, p.column) == (want_sheet, cell, want_column)
    ]
    assert located, (
        f"no problem at {want_sheet}!{cell} ({want_column}): {[str(p) for p in problems]}"
    )
    problem = located[0]
    assert problem.japanese and CJK.search(problem.message), str(problem)
    assert not english_words(problem), (english_words(problem), str(problem))
    where = f"{want_sheet}!{cell}" + (f" ({want_column})" if want_column else "") + ":"
    assert str(problem).startswith(where if cell else want_sheet)
    # the console speaks the workbook's language and prints every problem
    assert f"{bad.name}: 処理しませんでした" in err
    assert all(f"  {p}" in err.splitlines() for p in problems)


def test_every_reader_entry_reads_japanese_for_numbers_and_lists(example_ja, tmp_path):
    """Fields filled into an entry are themselves Japanese (a list of choices, a range)."""
    bad = mutated(example_ja, tmp_path, lambda b: b["Holdings"].__setitem__("G2", "IRA"))
    (problem,) = problems_of(bad)
    assert problem.fix == "課税、NISA のいずれかを選んでください"
    bad = mutated(example_ja, tmp_path, lambda b: b["Settings"].__setitem__("B13", 50))
    (problem,) = problems_of(bad)
    assert problem.message == "100〜1,000,000の範囲である必要があります"


def test_mixed_names_are_read_and_named_as_written(example_ja, tmp_path):
    """English and Japanese sheet and column names in one workbook: both are read, and a
    problem names each as the workbook spells it."""
    book = openpyxl.load_workbook(example_ja)
    book["保有資産"].title = "Holdings"
    book["Holdings"]["E1"] = "Quantity *"
    book["Holdings"]["E2"] = "many"
    book["Holdings"]["K3"] = "Progressive"
    book["借入"]["B3"] = "Unsecured line"
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    (problem,) = problems_of(path)
    assert (problem.sheet, problem.cell, problem.column) == ("Holdings", "E2", "Quantity")
    assert CJK.search(problem.message)


def test_language_setting_decides_and_sheet_names_otherwise(example_ja, tmp_path):
    book = openpyxl.load_workbook(example_ja)
    settings = book["設定"]
    row = next(r for r in range(2, 40) if settings[f"A{r}"].value == "言語")
    settings[f"B{row}"] = "English"
    book["保有資産"]["E2"] = "many"
    path = tmp_path / "english-setting.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    (problem,) = caught.value.problems
    assert caught.value.language == "en"
    assert str(problem).startswith("保有資産!E2 (数量): is text but must be a number")
    settings[f"B{row}"] = None  # blank Language: the sheet names decide
    book.save(path)
    assert problems_of(path)[0].message.startswith("文字列ですが")
