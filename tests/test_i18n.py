"""Two languages (SPEC §5 Language): one catalogue of keyed strings, English and Japanese.

- the catalogue is complete: every key has both languages with the same placeholders, and
  every key the code names exists;
- no stray literal: the sheet writers and the analyses' words write no English of their
  own (an AST scan of their string constants);
- money and dates as each reader writes them (8,500万円, 1.35億円, 2026年11月20日);
- a Japanese run writes every sheet in Japanese with the English run's numbers, and the
  English run is what it was.
"""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import small_inputs

from engine.analyses.options import RunOptions
from engine.app.pipeline import build_summary, run_analyses, write_workbook
from engine.i18n import CATALOGUE, ENGLISH, JAPANESE, T, language_named, use
from engine.i18n.money import japanese_money
from engine.report.workbook import RunInfo

ENGINE = Path(__file__).resolve().parent.parent / "engine"
#: Modules that write words a user reads: every sheet writer and the analyses' words.
WORD_MODULES = sorted((ENGINE / "report").glob("*.py")) + [
    ENGINE / "analyses" / f"{name}.py"
    for name in (
        "balance_sheet", "dashboard", "dashboard_tiles", "defense", "mc_stats", "mc_solvers",
        "monte_carlo", "snowball", "stress", "traffic_lights",
    )
]  # fmt: skip
#: Literals that are not words for a reader, by module: internal column names of the
#: analyses' tables (the report translates them) and identifiers of the input contract.
ALLOWED = {
    "Arial", "LTV", "KPI", "Drawdown", "Status", "Cash", "Unpledged sales", "Annual cost",
    "Shortfall", "Draw: ", "Pledged sales: ", "Zone after: ", "Zone: ", "LTV after: ",
    "Failed", "Safe", "Frozen", "Margin call", "Liquidation", "Watch", "Act", "Not available",
    "Securities-backed", "Unsecured line", "Historical", "Keep", "Crises only", "Daily",
    "Others", "Lognormal", "Assets", "Claims", "Floating", "Payout", "DOE", "Yes", "No",
    "Dashboard", "Balance Sheet", "Stress Test", "Defense", "Snowball", "Monte Carlo",
    "Inputs", "About", "Recommended standby line", "Current structure", "No standby line",
    "Same credit against the same collateral", "Nothing to cure", "Defended to freeze",
    "Frozen but standing", "Needs pledged sales", "Liquidation unavoidable", "P(liquidation)",
    "LTV ", "Zone ", "Cure ",
}  # fmt: skip
KEY = re.compile(r"^[a-z]+\.[a-z0-9_]+$")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_key_has_both_languages_with_the_same_placeholders():
    assert len(CATALOGUE) > 600
    for key, (english, japanese) in CATALOGUE.items():
        assert KEY.match(key), key
        assert english.strip() and japanese.strip(), key
        assert _fields(english) == _fields(japanese), key


def test_every_key_the_code_names_is_in_the_catalogue():
    named: set[str] = set()
    for path in ENGINE.rglob("*.py"):
        if "i18n" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.match(
                    r"^(bs|st|df|sn|mc|db|tl|in|ab|wb|rd|tp|cli|common|zone|sheet|choice)\.[a-z0-9_]*[a-z0-9]$",
                    node.value,
                ):
                    named.add(node.value)
    missing = sorted(named - set(CATALOGUE))
    assert not missing, missing
    assert len(named) > 500


def _user_facing(text: str) -> bool:
    """English a reader would read: two words, or a capitalised word, or a sentence."""
    if not re.search(r"[A-Za-z]{2,}", text) or KEY.match(text) or text in ALLOWED:
        return False
    if re.search(r"#,##0|0\.0%|^&[LCR]|internal:|^[a-z_]+(\.[a-z_{}]+)+$|^[a-z0-9_ ]+$", text):
        return False
    return bool(re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text) or re.match(r"^[A-Z][a-z]+", text))


def stray_literals(path: Path) -> list[str]:
    """String constants of ``path`` that look like English for a reader, outside docstrings,
    dictionary keys, subscripts and comparisons (lookups of internal names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docs = {
        n.body[0].value
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node in docs:
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Dict) and node in parent.keys:
            continue
        if isinstance(parent, (ast.Subscript, ast.Compare)):
            continue
        if isinstance(parent, (ast.Tuple, ast.List, ast.Set)) and isinstance(
            parents.get(parent), ast.Compare
        ):
            continue
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
            if parent.func.attr in ("startswith", "endswith", "get", "index", "add_format"):
                continue
        if _user_facing(node.value):
            found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("path", WORD_MODULES, ids=lambda p: p.name)
def test_no_stray_english_literal(path):
    assert stray_literals(path) == []


def test_the_scan_finds_a_stray_literal(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('def f(ws):\n    ws.write_string(0, 0, "Net worth today")\n')
    assert stray_literals(module) == ["m.py:2: 'Net worth today'"]


def test_japanese_money_and_dates():
    assert japanese_money(85_000_000) == "8,500万円"
    assert japanese_money(135_000_000) == "1.35億円"
    assert japanese_money(8_500) == "8,500円"
    assert japanese_money(35_000) == "3.5万円"
    assert japanese_money(99_995_000) == "1億円"  # never 10,000万円
    assert japanese_money(-1_254_000_000) == "−12.5億円"
    assert JAPANESE.money(85_000_000, "JPY") == "8,500万円"
    assert JAPANESE.money(12_000, "USD") == ENGLISH.money(12_000, "USD") == "$12K"
    assert JAPANESE.date(date(2026, 11, 20)) == "2026年11月20日"
    assert ENGLISH.date(date(2026, 11, 20)) == "2026-11-20"


def test_the_language_in_force():
    assert language_named("日本語") is JAPANESE and language_named("English") is ENGLISH
    assert T("sheet.dashboard") == "Dashboard"
    with use(JAPANESE):
        assert T("sheet.dashboard") == "ダッシュボード"
    assert T("sheet.dashboard") == "Dashboard"


def _numbers(node, path=""):
    """Every number of a summary, by its path (the words may differ by language)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key not in ("timings_s", "assumptions"):
                out |= _numbers(value, f"{path}.{key}")
        return out
    if isinstance(node, list):
        out = {}
        for i, value in enumerate(node):
            out |= _numbers(value, f"{path}[{i}]")
        return out
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return {path: node}
    return {}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same household run in English and in Japanese: (workbook, summary) each."""
    root = tmp_path_factory.mktemp("i18n")
    out = {}
    for language in ("English", "日本語"):
        inputs = small_inputs(language=language)
        with use(language_named(language)):
            run = run_analyses(inputs, RunOptions(paths=200))
            info = RunInfo(input_path=root / f"{language}.xlsx", seed=42, paths=200)
            path, _ = write_workbook(run, root / language, info)
            summary = build_summary(run, info, {"read": 0.0, "write": 0.0, "total": 0.0})
        out[language] = (path, summary)
    return out


def test_a_japanese_run_has_the_english_numbers(two_runs):
    english, japanese = two_runs["English"][1], two_runs["日本語"][1]
    assert _numbers(japanese) == _numbers(english)
    assert japanese["assumptions"]["language"] == "日本語"


def test_every_sheet_of_a_japanese_run_is_japanese(two_runs):
    book = openpyxl.load_workbook(two_runs["日本語"][0])
    assert book.sheetnames[:8] == [
        "ダッシュボード", "貸借対照表", "ストレステスト", "防衛策", "配当スノーボール",
        "モンテカルロ", "入力内容", "このファイルについて",
    ]  # fmt: skip
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for ws in book.worksheets[:6]:
        title = ws["A1"].value
        assert japanese.search(str(title)), ws.title
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and KEY.match(cell.value)), (
                    f"{ws.title}!{cell.coordinate}: a key, not its words: {cell.value}"
                )
    dashboard = book.worksheets[0]
    assert dashboard["A2"].value in ("安全", "注意", "要対応")
    english = openpyxl.load_workbook(two_runs["English"][0])
    assert english.sheetnames[0] == "Dashboard" and english.worksheets[0]["A1"].value == "Dashboard"


def test_links_and_print_titles_name_the_japanese_sheets(two_runs):
    book = openpyxl.load_workbook(two_runs["日本語"][0])
    dashboard = book.worksheets[0]
    links = [c.hyperlink.location for row in dashboard.iter_rows() for c in row if c.hyperlink]
    assert links and all(link.split("!")[0].strip("'") in book.sheetnames for link in links)
    assert all(link.startswith("'") for link in links)  # quoted: any sheet name works
    assert book.worksheets[1].print_title_rows == "$1:$2"


@pytest.mark.libreoffice
def test_libreoffice_prints_the_japanese_dashboard_on_one_landscape_page(
    two_runs, soffice, tmp_path
):
    """The Japanese titles come out as text (a CJK font, not boxes) and the Dashboard
    fills exactly the first page, landscape."""
    import subprocess

    from test_libreoffice import _tool, convert_to_pdf, pdf_text

    (pdf,) = convert_to_pdf(soffice, [two_runs["日本語"][0]], tmp_path / "pdf", tmp_path / "p")
    first = subprocess.run(
        [_tool("pdftotext"), "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "ダッシュボード" in first and "信号のルール" in first
    assert "貸借対照表" not in first.split("信号のルール")[-1]  # the next sheet is on page 2
    second = subprocess.run(
        [_tool("pdftotext"), "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "貸借対照表" in second
    text = pdf_text(pdf)
    for title in ("ストレステスト", "防衛策", "配当スノーボール", "モンテカルロ", "入力内容"):
        assert title in text, title
    info = subprocess.run(
        [_tool("pdfinfo"), "-f", "1", "-l", "1", str(pdf)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    size = next(line for line in info.splitlines() if line.startswith("Page    1 size"))
    width, height = (float(x) for x in re.findall(r"([\d.]+) x ([\d.]+)", size)[0])
    assert width > height  # landscape
