"""Results that read well (issue 18): the display rules, checked on the written cells.

Money in sentences and tiles as a person writes it (¥6.7M, never ¥6,679,997), table
headers in words and unique, notes that never touch a figure, the valuation date in the
printed header, an LTV axis that holds the whole line, and the funded ratio in words
when future income covers (most of) the costs. The workbook checked is the bundled
example's, run with 200 paths and opened with openpyxl, as a partner would open it.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, reader_available
from test_dashboard import BLOCKS, household

from engine.analyses.balance_sheet import funded_words
from engine.analyses.dashboard import from_blocks
from engine.analyses.words import money_scale, money_words
from engine.report.common import PALETTE, money_words_format
from engine.report.stress import LTV_AXIS_CAP, ltv_axis
from engine.report.workbook import RunInfo, page_header

# ----------------------------------------------------------------------------- money words
#: A currency (symbol, or an ISO code and a space) then the amount as words write it.
CURRENCY = r"(?:[¥$€£]|\b[A-Z]{3} )"
ROUNDED = rf"−?{CURRENCY}\d{{1,3}}(?:\.\d)?[KMBT]?"
#: A number written with thousands separators that is not a count of futures or paths.
FULL_AMOUNT = r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])(?! (?:of|futures|paths|simulated))"


def money_problems(text: str) -> list[str]:
    """Amounts in ``text`` written in full or without a currency (empty when it reads well)."""
    problems = [f"in full: {m.group()}" for m in re.finditer(FULL_AMOUNT, text)]
    for m in re.finditer(rf"{CURRENCY}[\d.,]+[KMBT]?", text):
        if not re.fullmatch(ROUNDED, m.group()):
            problems.append(f"not rounded: {m.group()}")
    for m in re.finditer(r"(?<![\w.,])(\S*?)(\d[\d,]*(?:\.\d+)?)([KMBT])\b", text):
        if not re.search(rf"{CURRENCY}$", text[: m.start(2)]):
            problems.append(f"no currency: {m.group()}")
    return problems


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        (6_679_997, "JPY", "¥6.7M"),
        (850_000, "JPY", "¥850K"),
        (1.2e9, "JPY", "¥1.2B"),
        (135e6, "JPY", "¥135M"),  # from 10 on, no decimal
        (8e6, "JPY", "¥8M"),  # no ".0"
        (9.96e6, "JPY", "¥10M"),
        (999_999, "JPY", "¥1M"),  # never ¥1000K
        (321_733, "JPY", "¥322K"),
        (950, "USD", "$950"),
        (-40_000, "CHF", "−CHF 40K"),
        (12_500, "EUR", "€12K"),
        (0.3, "JPY", "¥0"),
        (None, "JPY", "n/a"),
    ],
)
def test_money_words_as_a_person_writes_them(amount, currency, words):
    assert money_words(amount, currency) == words
    if amount is not None and abs(amount) >= 1:
        assert money_problems(f"a line of {words}") == []


def test_the_regex_catches_what_does_not_read_well():
    assert money_problems("current line 8.0M") == ["no currency: 8.0M"]
    assert money_problems("a standby line of ¥3,292,500") != []
    assert money_problems("net worth 6,679,997") == ["in full: 6,679,997"]
    assert money_problems("25 of 10,000 futures fail; ¥6.7M; $12K; CHF 950") == []


@pytest.mark.parametrize("amount", [85e6, 6.7e6, 321_733.0, 8e6, 950.0, -3.2e6, 1.5e9])
def test_a_tile_format_shows_the_amount_as_the_words_do(amount):
    """The cell keeps the figure; its number format shows what ``money_words`` writes."""
    unit, suffix, decimals = money_scale(amount)
    code = money_words_format(amount, "JPY")
    positive, negative = code.split(";")
    shown = positive if amount >= 0 else negative
    trailing = shown.count(",") - 1  # "#,##0" has one; each further comma divides by 1,000
    assert 1000**trailing == unit
    assert (f'"{suffix}"' in shown) == bool(suffix)
    assert ("." in shown) == bool(decimals)
    assert "¥" in shown


# ----------------------------------------------------------------------------- LTV axis
@pytest.mark.parametrize(
    ("highest", "maximum", "capped"),
    [
        (0.476, 1.0, False),  # below 100%: the 0–100% axis
        (1.19, 1.5, False),
        (4.762, 5.0, False),  # the example: 476% at a 90% fall fits
        (7.5, LTV_AXIS_CAP, True),
    ],
)
def test_the_ltv_axis_holds_the_highest_ltv_up_to_the_cap(highest, maximum, capped):
    top, unit, was_capped = ltv_axis(highest)
    assert (top, was_capped) == (pytest.approx(maximum), capped)
    assert top >= min(highest, LTV_AXIS_CAP) and unit > 0
    assert abs(top / unit - round(top / unit)) < 1e-9  # the axis ends on a tick


# ----------------------------------------------------------------------------- funded ratio
def test_funded_ratio_rule():
    # Income covers every cost: no ratio, the words.
    assert funded_words(None, -1e6) == "Income covers costs"
    # The example: income covers 43.9 / 45.6 = 96.3% of the costs, net worth covers the
    # 1.69M rest 50×: the share says more than 50.26×.
    assert funded_words(50.26, 1.69e6, 45.6e6, 43.9e6) == "Income covers 96% of costs"
    # Rounded down: 99.7% is not "100%" while some cost is uncovered.
    assert funded_words(300.0, 0.3e6, 100e6, 99.7e6) == "Income covers 99% of costs"
    # Below 90% covered, or not green (< 1.2): the ratio is the answer.
    assert funded_words(5.0, 17e6, 20e6, 3e6) is None
    assert funded_words(0.9, 10e6, 100e6, 95e6) is None
    assert funded_words(0.54, 158.4e6, 158.4e6, 0.0) is None


def test_funded_tile_in_words_with_the_ratio_beside_them():
    bs = dict(
        BLOCKS["balance_sheet"],
        funded_ratio=85e6 / 1.69e6,
        pv_future_expenses=45.6e6,
        pv_future_income=43.91e6,
        pv_future_net_expenses=1.69e6,
    )
    tile = next(t for t in from_blocks(household(), dict(BLOCKS, balance_sheet=bs)).tiles
                if t.key == "funded_ratio")  # fmt: skip
    assert tile.text == "Income covers 96% of costs" and tile.light == "green"
    assert tile.value == pytest.approx(50.3, abs=0.01)  # the figure stays in the JSON
    assert tile.detail == ("net worth covers the rest 50.3×", "PV of future net costs ¥1.7M")


# ----------------------------------------------------------------------------- the example
@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The bundled example, run with 200 paths and written: (run, workbook path, book)."""
    if not EXAMPLE.exists() or not reader_available():
        pytest.skip("the example workbook or its reader is not available")
    from engine.analyses.options import RunOptions
    from engine.app.pipeline import run_analyses, write_workbook
    from engine.io.reader import read_workbook

    run = run_analyses(read_workbook(EXAMPLE), RunOptions(paths=200))
    out = tmp_path_factory.mktemp("readable")
    path, _ = write_workbook(run, out, RunInfo(input_path=EXAMPLE, seed=42, paths=200))
    return run, Path(path), openpyxl.load_workbook(path)


def test_money_in_the_verdict_tiles_and_sentences_reads_well(example):
    run, _, book = example
    dashboard = run.results["dashboard"]
    texts = [dashboard.verdict]
    for tile in dashboard.tiles:
        texts += [tile.text, *tile.detail]
    texts += [run.results["defense"].recommendation, run.results["monte_carlo"].headline]
    problems = {t: money_problems(t) for t in texts if money_problems(t)}
    assert problems == {}
    # …and the example's tiles do carry money in words
    details = " ".join(d for t in dashboard.tiles for d in t.detail)
    assert "assets ¥135M − loans ¥50M" in details and "current line ¥8M" in details
    # The Dashboard's cells: every text reads well, money tiles show ¥ in their format.
    ws = book["Dashboard"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert {c.value: money_problems(c.value) for c in cells if money_problems(c.value)} == {}
    net_worth = next(c for c in cells if c.value == "Net worth" and c.hyperlink)
    figure = ws.cell(net_worth.row + 1, net_worth.column)
    assert figure.value == pytest.approx(85e6)  # the exact figure, shown as ¥85M
    assert figure.number_format.startswith('"¥"#,##0,,"M"')


def test_sentences_on_the_sheets_write_money_in_words(example):
    _, _, book = example
    for name in ("Defense", "Monte Carlo", "Balance Sheet"):
        notes = [
            c.value
            for row in book[name].iter_rows()
            for c in row
            if isinstance(c.value, str) and len(c.value) > 25
        ]
        assert {n: money_problems(n) for n in notes if money_problems(n)} == {}, name
    mc = [c.value for row in book["Monte Carlo"].iter_rows() for c in row if c.value]
    assert any(isinstance(v, str) and "Max safe monthly living costs" in v and "¥" in v for v in mc)


def header_rows(book) -> dict[tuple[str, int], list[str]]:
    """Each visible sheet's table header rows: cells in bold white on the header blue."""
    blue = PALETTE["blue"].lstrip("#").upper()
    rows: dict[tuple[str, int], list[str]] = {}
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for c in row:
                fill = str(c.fill.fgColor.rgb or "") if c.fill is not None else ""
                if isinstance(c.value, str) and c.font.bold and fill.upper().endswith(blue):
                    rows.setdefault((ws.title, c.row), []).append(c.value)
    return rows


def test_visible_table_headers_are_words_and_unique(example):
    _, _, book = example
    rows = header_rows(book)
    assert len(rows) > 30  # the tables of every sheet were found
    with_key = {k: h for k, h in rows.items() for x in h if "_" in x}
    assert with_key == {}
    repeated = {k: [h for h, n in Counter(v).items() if n > 1] for k, v in rows.items()}
    assert {k: v for k, v in repeated.items() if v} == {}
    # the Monte Carlo tables named in the issue
    mc = [h for (sheet, _), heads in rows.items() if sheet == "Monte Carlo" for h in heads]
    for raw in ("year", "age", "survival", "failures", "share", "bin", "paths", "structure"):
        assert raw not in mc


def test_no_figure_runs_into_the_words_beside_it(example):
    """A number cell followed by text in the next cell: the text is indented (or
    right-aligned), so "0" and "Unsecured lines removed." never print as one word."""
    _, _, book = example
    touching = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for a, b in zip(row, row[1:], strict=False):
                number = isinstance(a.value, (int, float)) and not isinstance(a.value, bool)
                if number and isinstance(b.value, str) and b.value.strip():
                    aligned = b.alignment.horizontal in ("right", "center", "centerContinuous")
                    if not (b.alignment.indent or aligned):
                        touching.append(f"{ws.title}!{a.coordinate}:{b.coordinate}")
    assert touching == []


def test_every_printed_page_shows_the_valuation_date(example):
    run, path, book = example
    day = run.inputs.settings.valuation_date.isoformat()
    assert page_header(run.inputs.settings.valuation_date) == f"&L&A&RValuation date {day}"
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.oddHeader.right.text == f"Valuation date {day}", ws.title
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    headers = [h for x in sheets for h in re.findall(r"<oddHeader>(.*?)</oddHeader>", x)]
    assert len(headers) == 8 and all("&amp;D" not in h and day in h for h in headers)


def test_the_stress_ltv_axis_covers_the_highest_ltv_charted(example):
    run, path, _ = example
    stress = run.results["stress"]
    highest = max(stress.ladder_loans["ltv"].max(), stress.breaking_points["liquidation_ltv"].max())
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    (xml,) = [x for x in charts if "LTV as markets fall" in x]
    value_axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group()
    maximum = float(re.search(r'<c:max val="([\d.]+)"/>', value_axis).group(1))
    assert highest > 1.4  # the example's line climbs past the old 140–150% cut
    assert maximum >= min(highest, LTV_AXIS_CAP)
    assert ("axis cut at" in xml) == (highest > LTV_AXIS_CAP)


def test_the_example_funded_ratio_reads_in_words_on_both_sheets(example):
    run, _, book = example
    bs = run.results["balance_sheet"]
    assert bs.funded_ratio > 10 and bs.funded_words == "Income covers 96% of costs"
    figures = {r[0]: r[1:3] for r in book["Balance Sheet"].iter_rows(values_only=True) if r[0]}
    value, note = figures["Funded ratio"]
    assert value == "Income covers 96% of costs"
    assert note == f"net worth covers the rest {bs.funded_ratio:,.1f}×"
    tile = next(t for t in run.results["dashboard"].tiles if t.key == "funded_ratio")
    assert tile.text == value and tile.value == pytest.approx(bs.funded_ratio)
