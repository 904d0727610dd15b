"""The Japanese template (``run.py template --lang ja``) and the Japanese example.

- the template has Japanese sheet names, headers, settings, help and dropdowns, and its
  Language preset to 日本語; the English template is what it was;
- the same household filled into the English and the Japanese template gives the same
  numbers (the JSON summaries differ only in words, timings and the language);
- the console speaks the language of the template written / the workbook processed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import raw_catalogue_keys

from engine.app import cli
from engine.i18n import JAPANESE
from engine.io.example import JAPANESE_NAMES, write_example
from engine.io.template import write_template
from engine.schema import SETTINGS, TABLES, default_correlation, is_cash_class, japanese

ROOT = Path(__file__).resolve().parent.parent


def test_cli_writes_a_japanese_template(tmp_path, capsys):
    path = tmp_path / "my.xlsx"
    assert cli.main(["template", "--lang", "ja", str(path)]) == 0
    assert "空のテンプレートを" in capsys.readouterr().out
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [japanese.SHEETS[s] for s in (
        "Start here", "Settings", "Holdings", "FX", "AssetClasses", "Correlations", "Loans",
        "Cashflows", "Scenarios", "History", "Column guide",
    )]  # fmt: skip
    settings = book["設定"]
    assert [c.value for c in settings[1]] == ["設定項目", "値", "メモ"]
    names = [settings.cell(r, 1).value for r in range(2, len(SETTINGS) + 2)]
    assert names == [japanese.column_name("Settings", c.name, True) for c in SETTINGS]
    values = {settings.cell(r, 1).value: settings.cell(r, 2).value for r in range(2, 40)}
    assert values["言語"] == "日本語" and values["借入方針"] == "維持"
    assert values["余剰資金の再投資"] == "はい"
    for table in TABLES:
        headers = [c.value for c in book[japanese.sheet_name(table.sheet, True)][1]]
        want = [japanese.column_name(table.sheet, c.name, True) for c in table.columns]
        assert [h.removesuffix(" *") for h in headers] == want
    # dropdowns offer the Japanese choices; references name the Japanese sheets
    holdings = book["保有資産"]
    sources = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in
               holdings.data_validations.dataValidation}  # fmt: skip
    assert sources["G2"] == '"課税,NISA"'
    assert sources["C2"] == "'資産クラス'!$A$2:$A$200"
    # the console is Japanese too, and an existing file is refused in Japanese
    assert cli.main(["template", "--lang", "ja", str(path)]) == cli.EXIT_USAGE
    assert "すでにあります" in capsys.readouterr().err


def test_the_english_template_is_unchanged(tmp_path):
    path = tmp_path / "en.xlsx"
    write_template(path)
    assert path.read_bytes() == (ROOT / "templates" / "alm_template.xlsx").read_bytes()


def _numbers(node, path=""):
    """Every number of a JSON document, by its path (words left out)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key not in ("timings_s",):
                out.update(_numbers(value, f"{path}/{key}"))
        return out
    if isinstance(node, list):
        out = {}
        for k, value in enumerate(node):
            out.update(_numbers(value, f"{path}/{k}"))
        return out
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return {path: node}
    return {}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    """The English and the Japanese example, run: the results folder."""
    root = tmp_path_factory.mktemp("two-templates")
    english, japanese_ = root / "en.xlsx", root / "ja.xlsx"
    write_example(english)
    write_example(japanese_, JAPANESE)
    out = root / "results"
    argv = ["--out", str(out), "--no-history", "--json", "--quiet", "--pin-created"]
    assert cli.main([*argv, "--paths", "400", str(english), str(japanese_)]) == 0
    return out


@pytest.fixture(scope="module")
def two_summaries(two_runs):
    return tuple(
        json.loads(next(two_runs.glob(f"{stem} results *.json")).read_text("utf-8"))
        for stem in ("en", "ja")
    )


def test_english_and_japanese_templates_give_the_same_numbers(two_summaries):
    english, japanese_ = two_summaries
    language = [s["assumptions"]["language"] for s in (english, japanese_)]
    assert language == ["English", "日本語"]
    a, b = _numbers(english), _numbers(japanese_)
    assert len(a) == len(b) > 50
    assert list(a.values()) == list(b.values())
    # in the same places: the Japanese paths are the English ones with the household's
    # names (holdings, classes, loans) in Japanese
    english_name = {ja: en for en, ja in JAPANESE_NAMES.items()}
    assert [
        "/".join(english_name.get(part, part) for part in path.split("/")) for path in b
    ] == list(a)


def test_the_console_speaks_the_workbooks_language(tmp_path, capsys):
    path = tmp_path / "ja.xlsx"
    write_example(path, JAPANESE)
    out = tmp_path / "results"
    code = cli.main(["--out", str(out), "--no-history", "--paths", "200", str(path)])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ALM engine")  # before any workbook is read: English
    assert any(line.startswith("ja.xlsx: 完了") for line in lines), lines
    assert any("モンテカルロ" in line for line in lines), lines
    assert lines[-1].startswith("終了：1件完了"), lines


def test_japanese_results_inputs_sheet_and_money_tiles(two_runs):
    """The Inputs sheet names settings and columns as the Japanese template does; the
    Dashboard's money tiles read 万円 / 億円 (as text); no raw catalogue key anywhere,
    charts included."""
    path = next(two_runs.glob("ja results *.xlsx"))
    book = openpyxl.load_workbook(path)
    inputs = book["入力内容"]
    cells = {c.value for row in inputs.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"ポートフォリオ名", "借入方針", "銘柄名", "担保先", "配当方針", "保有資産"} <= cells
    assert {"課税", "証券担保ローン", "累進配当", "維持"} <= cells
    assert not {"Portfolio name", "Pledged to", "Taxable", "Keep"} & cells
    dashboard = book["ダッシュボード"]
    texts = [c.value for row in dashboard.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(re.fullmatch(r"[0-9,.]+(万|億)円", t) for t in texts), texts
    assert raw_catalogue_keys(path) == []


def test_the_committed_japanese_example_is_what_the_generator_writes(tmp_path):
    fresh = tmp_path / "example-ja.xlsx"
    write_example(fresh, JAPANESE)
    assert (ROOT / "workbooks" / "example-ja.xlsx").read_bytes() == fresh.read_bytes()


def test_the_japanese_template_names_its_classes_and_scenarios_in_japanese(tmp_path):
    """国内株式…現金 and the crises in Japanese; 現金 is cash as Cash is (no return, the
    liquidity pool), and the default correlations hold for the Japanese names."""
    path = tmp_path / "ja.xlsx"
    write_template(path, JAPANESE)
    book = openpyxl.load_workbook(path)
    classes = [book["資産クラス"].cell(r, 1).value for r in range(2, 7)]
    assert classes == ["国内株式", "外国株式", "REIT", "債券", "現金"]
    assert book["シナリオ"]["A2"].value == "世界金融危機 2007-09"
    assert is_cash_class("現金") and is_cash_class(" cash ") and not is_cash_class("国内株式")
    assert default_correlation("国内株式", "外国株式") == default_correlation(
        "Domestic equity", "Foreign equity"
    ) == 0.75  # fmt: skip
