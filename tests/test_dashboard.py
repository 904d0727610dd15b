"""A6 Dashboard: tiles from the JSON blocks, verdict, trend, the sheet read back, end to end.

The one-page LibreOffice checks are in ``test_dashboard_print.py``.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import factories
import openpyxl
import pytest
import xlsxwriter
from conftest import small_inputs

from engine.analyses import dashboard
from engine.analyses.dashboard import TREND_SENTENCE, from_blocks
from engine.analyses.traffic_lights import AMBER, GREEN, RED
from engine.app import cli
from engine.app.pipeline import summary_json, write_workbook
from engine.i18n import T
from engine.report import dashboard as dashboard_sheet
from engine.report.common import DATA_SHEET, Formats, ReportContext
from engine.report.workbook import WORKBOOK_OPTIONS, RunInfo

SBL = {
    "name": "SBL",
    "type": "Securities-backed",
    "balance": 50e6,
    "ltv": 0.4,
    "freeze_ltv": 0.6,
    "call_ltv": 0.7,
    "liquidation_ltv": 0.85,
    "drawdown_to_freeze": 1 / 3,  # 1 − 0.4/0.6
    "drawdown_to_call": 3 / 7,  # 1 − 0.4/0.7
    "drawdown_to_liquidation": 9 / 17,  # 1 − 0.4/0.85
}
LINE = {"name": "Line", "type": "Unsecured line", "balance": 0.0, "ltv": None}
BLOCKS = {
    "balance_sheet": {
        "total_assets": 135e6,
        "total_loans": 50e6,
        "net_worth": 85e6,
        "pv_future_net_expenses": 77.3e6,
        "funded_ratio": 1.1,
        "spread": -0.005,
        "net_dividend_yield": 0.01,
        "borrowing_rate": 0.015,
        "runway_months": 30.0,
        "runway_months_with_secured": 30.0,
        "loans": [SBL, LINE],
    },
    "stress": {"defended_breaking_point": 0.45},
    "defense": {
        "recommended_line_limit": 9e6,
        "current_line_limit": 8e6,
        "structures": [{"key": "current", "survivable_drawdown": 0.45}],
    },
    "snowball": {
        "crossover_year": 7,
        "years": [
            {
                "year": 1,
                "calendar_year": 2026,
                "dividends_net": 0.65e6,
                "expenses": 0.96e6,
                "interest": 0.5e6,
                "income": 0.46e6,
                "coverage": 0.65,
            },
            {
                "year": 2,
                "calendar_year": 2027,
                "dividends_net": 0.7e6,
                "expenses": 0.98e6,
                "interest": 0.5e6,
                "income": 0.46e6,
                "coverage": 0.686,
            },
        ],
    },
    "monte_carlo": {
        "success_probability": 0.84,
        "ci95": [0.82, 0.86],
        "p_margin_call": 0.05,
        "income_covered_probability": 0.623,
        "survival_by_year": [1.0, 0.95, 0.9],
    },
}


def household(**kw):
    return factories.make_inputs(
        holdings=(factories.equity("Core", 125e6, pledged_to="SBL"), factories.cash(10e6)),
        loans=(factories.secured_loan(), factories.line(limit=8e6)),
        cashflows=(factories.expense(),),
        **kw,
    )


def resolve(blocks, source: str):
    """Follow a tile's JSON path: ``a.b[0].c`` or ``a.b[current].c`` (by ``key``)."""
    node = blocks
    for part in re.findall(r"[^.\[\]]+|\[[^\]]+\]", source):
        if part.startswith("["):
            key = part[1:-1]
            node = node[int(key)] if key.isdigit() else next(x for x in node if x["key"] == key)
        else:
            node = node[part]
    return node


# ----------------------------------------------------------------------------- analysis
def test_every_tile_shows_the_figure_of_its_json_block():
    r = from_blocks(household(), BLOCKS)
    for tile in r.tiles:
        assert tile.value == resolve(BLOCKS, tile.source), tile.key
    keys = [t.key for t in r.tiles]
    assert keys == [
        "net_worth",
        "funded_ratio",
        "ltv:SBL",
        "survivable_drawdown",
        "fire_probability",
        "coverage",
        "runway_months",
        "spread",
        "recommended_line_limit",
    ]


def test_lights_status_and_verdict_known_answer():
    r = from_blocks(household(), BLOCKS)
    lights = {t.key: t.light for t in r.tiles}
    assert lights == {
        "net_worth": GREEN,
        "funded_ratio": AMBER,  # 1.0 ≤ 1.1 < 1.2
        "ltv:SBL": GREEN,  # 40% < 60% − 10 pp
        "survivable_drawdown": AMBER,  # 45% within 10 pp of the 50% target
        "fire_probability": AMBER,  # 84% within 10 pp of 90%
        "coverage": RED,  # 0.65 < 0.7
        "runway_months": GREEN,  # 30 ≥ 24
        "spread": AMBER,  # −0.5 pp
        "recommended_line_limit": AMBER,  # 8M is 88.9% of 9M
    }
    assert (r.status, r.light) == ("Act", RED)
    assert r.verdict == (
        "Act: markets can fall 33% before your lender freezes borrowing; your plan survives "
        "84.0% of simulated futures (target 90%). Look at: Dividend coverage."
    )
    tiles = {t.key: t for t in r.tiles}
    assert tiles["coverage"].detail[0] == "crossover in year 7"
    assert tiles["ltv:SBL"].detail == (
        "freeze 60% · call 70% · liq. 85%",
        "fall to each: 33% · 43% · 53%",
    )
    # beneath the solvency figure, the income-covered one (passive income alone); the
    # count of failing futures and max safe spending join it when the block has them
    assert tiles["fire_probability"].detail == ("income covers costs: 62.3%", "target 90%")
    more = dict(
        BLOCKS["monte_carlo"],
        failures=1600,
        paths=10_000,
        max_safe_monthly_spending=312_345.0,
        max_safe_monthly_spending_interval=[305_000.0, 320_000.0],
    )
    tile = {t.key: t for t in from_blocks(household(), dict(BLOCKS, monte_carlo=more)).tiles}
    assert tile["fire_probability"].detail == (
        "income covers costs: 62.3% · 1,600 of 10,000 futures fail",
        "target 90% · max safe ¥312K/month (¥305K–¥320K)",
    )
    # Historical: the share of actual sequences that succeed takes the failure count's place
    history = dict(more, return_model="Historical", historical_sequence_success=0.7407)
    tile = {t.key: t for t in from_blocks(household(), dict(BLOCKS, monte_carlo=history)).tiles}
    assert tile["fire_probability"].detail[0] == (
        "income covers costs: 62.3% · actual sequences: 74.1%"
    )


def test_an_analysis_that_did_not_run_is_not_available_in_words():
    r = from_blocks(household(), {"balance_sheet": BLOCKS["balance_sheet"]})
    tiles = {t.key: t for t in r.tiles}
    for key in ("survivable_drawdown", "fire_probability", "coverage", "recommended_line_limit"):
        tile = tiles[key]
        assert (tile.value, tile.text, tile.light, tile.sheet) == (
            None,
            "not available",
            None,
            None,
        )
    assert "the Monte Carlo simulation is not available" in r.verdict
    js = dashboard.to_json(r)
    assert {t["key"]: t["value"] for t in js["tiles"]}["fire_probability"] is None
    assert r.status == "Watch"  # funded ratio and spread are amber; nothing red


def test_words_instead_of_numbers_where_the_answer_is_not_a_number():
    bs = {
        **BLOCKS["balance_sheet"],
        "runway_months": None,
        "funded_ratio": None,
        "pv_future_net_expenses": -1e6,
    }
    r = from_blocks(household(), {**BLOCKS, "balance_sheet": bs})
    tiles = {t.key: t for t in r.tiles}
    assert (tiles["runway_months"].text, tiles["runway_months"].light) == ("Unlimited", GREEN)
    assert (tiles["funded_ratio"].text, tiles["funded_ratio"].light) == (
        "Income covers costs",
        GREEN,
    )
    defense = {**BLOCKS["defense"], "recommended_line_limit": None}
    r = from_blocks(household(), {**BLOCKS, "defense": defense})
    line = next(t for t in r.tiles if t.key == "recommended_line_limit")
    assert (line.value, line.text, line.light) == (None, "No line can help", RED)


def test_verdict_without_secured_loans_and_with_a_frozen_loan():
    bs = {**BLOCKS["balance_sheet"], "loans": [LINE]}
    r = from_blocks(household(), {**BLOCKS, "balance_sheet": bs})
    assert "you have no loans against your holdings" in r.verdict
    assert not any(t.key.startswith("ltv:") for t in r.tiles)
    frozen = {**SBL, "ltv": 0.65, "drawdown_to_freeze": 0.0}
    bs = {**BLOCKS["balance_sheet"], "loans": [frozen]}
    r = from_blocks(household(), {**BLOCKS, "balance_sheet": bs})
    assert r.verdict.startswith("Act: your lender has already frozen new borrowing;")


def test_allocation_by_class_from_the_inputs():
    inputs = factories.make_inputs(
        holdings=(
            factories.equity("A", 60e6),
            factories.cash(10e6),
            factories.equity("B", 30e6, cls="Foreign equity"),
            factories.equity("C", 20e6),
        )
    )
    r = from_blocks(inputs, {})
    assert r.allocation["asset_class"].tolist() == ["Domestic equity", "Foreign equity", "Cash"]
    assert r.allocation["market_value"].tolist() == [80e6, 30e6, 10e6]
    assert r.allocation["weight"].tolist() == pytest.approx([80 / 120, 30 / 120, 10 / 120])


def test_trend_is_past_runs_then_this_one_oldest_first():
    history = [
        {
            "valuation_date": date(2025, 7, 1),
            "net_worth": 80e6,
            "max_ltv": 0.45,
            "fire_probability": 0.8,
        },
        {
            "valuation_date": "2025-10-01",
            "net_worth": 90e6,
            "max_ltv": 0.42,
            "fire_probability": None,
        },
        {"valuation_date": date(2026, 1, 1), "net_worth": 1.0},  # same date: replaced
        {"valuation_date": date(2026, 4, 1), "net_worth": 2.0},  # later: ignored
    ]
    r = from_blocks(household(), BLOCKS, history)
    t = r.trend
    assert t["valuation_date"].tolist() == [date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]
    assert t["net_worth"].tolist() == [80e6, 90e6, 85e6]
    assert t["max_ltv"].tolist() == [0.45, 0.42, 0.4]
    assert t["fire_probability"].tolist()[::2] == [0.8, 0.84]
    assert r.trend_sentence is None
    assert from_blocks(household(), BLOCKS).trend_sentence == T(TREND_SENTENCE)


def test_net_worth_down_more_than_ten_percent_since_the_last_run_is_amber():
    history = [{"valuation_date": date(2025, 12, 1), "net_worth": 100e6}]
    tile = from_blocks(household(), BLOCKS, history).tiles[0]
    assert (tile.light, tile.detail[1]) == (AMBER, "-15.0% since the last run")


def test_analyse_reads_the_prior_results_through_their_to_json(run):
    blocks = summary_json(run)
    result = run.results["dashboard"]
    for tile in result.tiles:
        if tile.sheet is not None:
            assert tile.value == resolve(blocks, tile.source), tile.key
    assert blocks["dashboard"]["verdict"] == result.verdict
    assert blocks["dashboard"]["status"] in ("Safe", "Watch", "Act")


# ----------------------------------------------------------------------------- the sheet
def write_dashboard_only(result, path: Path) -> Path:
    """A workbook with only the Dashboard and the hidden chart-data sheet."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    ws = book.add_worksheet("Dashboard")
    data = book.add_worksheet(DATA_SHEET)
    data.hide()
    ctx = ReportContext(book, Formats(book, result.currency), result.currency, {}, data)
    dashboard_sheet.write(ws, result, ctx)
    book.close()
    return path


def tile_cells(ws, tiles) -> dict[str, tuple]:
    """(value cell, light cell, label cell) of each tile: the label's first occurrence."""
    cells = {}
    labels = {t.label for t in tiles}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in labels and cell.value not in cells:
                below = ws.cell(cell.row + 1, cell.column).value
                light = ws.cell(cell.row + 2, cell.column).value
                cells[cell.value] = (below, light, cell)
    return cells


def test_a_recommended_line_of_zero_reads_none_needed(tmp_path):
    """The tile keeps the number 0 (the figure of the JSON) and its format shows words."""
    r = from_blocks(household(), {**BLOCKS, "defense": {**BLOCKS["defense"],
                                                        "recommended_line_limit": 0.0}})  # fmt: skip
    ws = openpyxl.load_workbook(write_dashboard_only(r, tmp_path / "d.xlsx"))["Dashboard"]
    tile = next(t for t in r.tiles if t.key == "recommended_line_limit")
    value, _, label = tile_cells(ws, [tile])[tile.label]
    assert value == 0
    number_format = ws.cell(label.row + 1, label.column).number_format
    assert number_format == '"¥"#,##0;"−¥"#,##0;"None needed"'  # money in words, 0 in words


def test_sheet_shows_each_tile_value_light_and_rules(tmp_path):
    r = from_blocks(household(), BLOCKS)
    ws = openpyxl.load_workbook(write_dashboard_only(r, tmp_path / "d.xlsx"))["Dashboard"]
    cells = tile_cells(ws, r.tiles)
    for tile in r.tiles:
        value, light, _ = cells[tile.label]
        assert value == tile.value and isinstance(value, (int, float))
        assert light == tile.light.capitalize()
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert r.verdict in text and "Act" in text
    assert "below its freeze LTV − 10 pp" in text  # the rules are printed
    assert T(TREND_SENTENCE) in text
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # 1 × 1 is the default, which xlsxwriter leaves out (openpyxl reads None).
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
    assert ws.print_area


def chart_xml(path: Path, title: str) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        return [x for x in (z.read(n).decode() for n in names) if title in x]


def _rows(ref: str) -> int:
    first, last = (int(n) for n in re.findall(r"\$(\d+)", ref))
    return last - first + 1


def test_three_runs_give_a_trend_chart_with_three_points(tmp_path):
    history = [
        {"valuation_date": date(2025, 7, 1), "net_worth": 80e6, "max_ltv": 0.45},
        {"valuation_date": date(2025, 10, 1), "net_worth": 90e6, "max_ltv": 0.42},
    ]
    path = write_dashboard_only(from_blocks(household(), BLOCKS, history), tmp_path / "d.xlsx")
    (xml,) = chart_xml(path, "Trend over past runs")
    categories = re.findall(r"<c:cat>.*?<c:f>(.*?)</c:f>", xml, re.S)
    assert len(categories) == 3 and all(_rows(ref) == 3 for ref in categories)
    data = openpyxl.load_workbook(path)[DATA_SHEET]
    col = next(c.column for c in data[1] if c.value == "Dashboard: trend over past runs")
    dates = [data.cell(r, col).value for r in range(3, 7)]
    assert dates == ["2025-07-01", "2025-10-01", "2026-01-01", None]


def test_one_run_gives_the_sentence_not_an_empty_chart(tmp_path):
    path = write_dashboard_only(from_blocks(household(), BLOCKS), tmp_path / "d.xlsx")
    assert chart_xml(path, "Trend over past runs") == []
    assert len(chart_xml(path, "LTV vs thresholds")) == 1
    ws = openpyxl.load_workbook(path)["Dashboard"]
    assert T(TREND_SENTENCE) in [c.value for row in ws.iter_rows() for c in row]


# ----------------------------------------------------------------------------- end to end
def test_results_workbook_dashboard_first_and_equal_to_json_and_sheets(run, tmp_path):
    path, _ = write_workbook(run, tmp_path, RunInfo(input_path=tmp_path / "h.xlsx", seed=42))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Dashboard" and book.active.title == "Dashboard"
    blocks = summary_json(run)
    tiles = run.results["dashboard"].tiles
    cells = tile_cells(book["Dashboard"], tiles)
    for tile in tiles:
        value, _, label = cells[tile.label]
        if tile.sheet is None:
            assert value == "not available"
            continue
        figure = resolve(blocks, tile.source)
        # xlsxwriter writes 16 significant digits: equal to the last stored digit. Words
        # the tile shows instead (Income covers costs, Unlimited) are its text.
        expected = tile.text if tile.text or figure is None else pytest.approx(figure, rel=1e-15)
        assert value == expected, tile.key
        if tile.sheet in book.sheetnames:  # every sheet, once all writers have landed
            assert label.hyperlink.location == f"'{tile.sheet}'!A1"
        else:
            assert label.hyperlink is None
    assert cells["Net worth"][2].hyperlink.location == "'Balance Sheet'!A1"
    # …and the same figures stand on the Balance Sheet (label in A, value in B).
    bs_sheet = {r[0]: r[1] for r in book["Balance Sheet"].iter_rows(values_only=True) if r[0]}
    assert bs_sheet["Net worth"] == cells["Net worth"][0]
    assert bs_sheet["Funded ratio"] == cells["Funded ratio"][0]
    assert bs_sheet["Spread"] == cells["Spread"][0]


def test_three_cli_runs_on_different_dates_build_the_trend(tmp_path, fake_reader):
    source = tmp_path / "in" / "household.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"read by the fake reader")
    argv = [
        "--out",
        str(tmp_path / "out"),
        "--history",
        str(tmp_path / "h.sqlite"),
        "--paths",
        "100",
        "--quiet",
        str(source),
    ]
    books = []
    for day in (date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)):
        fake_reader.inputs = small_inputs(valuation_date=day)
        assert cli.main(argv) == 0
        books.append(tmp_path / "out" / f"household results {day.isoformat()}.xlsx")
    assert chart_xml(books[0], "Trend over past runs") == []
    (second,) = chart_xml(books[1], "Trend over past runs")
    assert {_rows(ref) for ref in re.findall(r"<c:cat>.*?<c:f>(.*?)</c:f>", second, re.S)} == {2}
    (third,) = chart_xml(books[2], "Trend over past runs")
    assert {_rows(ref) for ref in re.findall(r"<c:cat>.*?<c:f>(.*?)</c:f>", third, re.S)} == {3}


def _header_value(ws, row_label: str, header: str):
    """The cell in the row whose column A is ``row_label``, under the column headed
    ``header`` in the nearest header row above it."""
    rows = list(ws.iter_rows(values_only=True))
    r = next(  # a table row, not a section title of the same words
        i
        for i, row in enumerate(rows)
        if row and row[0] == row_label and any(v is not None for v in row[1:])
    )
    for above in range(r - 1, -1, -1):
        if header in rows[above]:
            return rows[r][rows[above].index(header)]
    raise AssertionError(f"no column {header!r} above {row_label!r} on {ws.title}")


def test_every_tile_equals_its_analysis_sheet_and_the_json(run, tmp_path):
    """Each KPI read back (openpyxl, cached values) from the Dashboard, from the sheet its
    label links to, and from the JSON: one figure in three places."""
    path, _ = write_workbook(run, tmp_path, RunInfo(input_path=tmp_path / "h.xlsx", seed=42))
    book = openpyxl.load_workbook(path)
    blocks = summary_json(run)
    tiles = {t.key: t for t in run.results["dashboard"].tiles}
    shown = {k: tile_cells(book["Dashboard"], [t])[t.label][0] for k, t in tiles.items()}
    assert all(t.sheet is not None for t in tiles.values())  # every analysis ran

    def first_column(ws):
        return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}

    bs = first_column(book["Balance Sheet"])
    for key, label in (("net_worth", "Net worth"), ("funded_ratio", "Funded ratio"),
                       ("spread", "Spread"), ("runway_months", "Runway, months")):  # fmt: skip
        tile = tiles[key]
        figure = resolve(blocks, tile.source)
        if tile.text:  # words on both sheets: Income covers costs, Unlimited
            assert bs[label] == shown[key] == tile.text, key
        else:
            assert bs[label] == shown[key] == pytest.approx(figure, rel=1e-15), key
    # LTV per secured loan: the loan's column of the Balance Sheet's loan table.
    for key in (k for k in tiles if k.startswith("ltv:")):
        loan = key.split(":", 1)[1]
        on_sheet = _header_value(book["Balance Sheet"], "LTV", loan)
        figure = resolve(blocks, tiles[key].source)
        assert on_sheet == shown[key] == pytest.approx(figure, rel=1e-15), key
    # Survivable fall: the Stress Test states it in its sentence; the Defense sheet's
    # structure comparison carries the number (the same function serves both).
    fall = tiles["survivable_drawdown"]
    figure = resolve(blocks, fall.source)
    assert shown["survivable_drawdown"] == pytest.approx(figure, rel=1e-15)
    stress_text = [c for r in book["Stress Test"].iter_rows(values_only=True) for c in r
                   if isinstance(c, str) and c.startswith("Defended breaking point")]  # fmt: skip
    assert stress_text and f"{figure:.1%}" in stress_text[0]
    assert _header_value(book["Defense"], "Current structure", "Survivable drawdown") == (
        pytest.approx(figure, rel=1e-15)
    )
    # Recommended line: the Defense sheet's "Recommended standby line" row.
    rec = tiles["recommended_line_limit"]
    on_sheet = _header_value(book["Defense"], "Recommended standby line", "Unsecured line limit")
    assert (
        on_sheet == shown["recommended_line_limit"] == blocks["defense"]["recommended_line_limit"]
    )
    assert rec.value == blocks["defense"]["recommended_line_limit"]
    # FIRE success: the Monte Carlo key figures.
    mc = first_column(book["Monte Carlo"])
    assert (
        mc["Success probability"]
        == shown["fire_probability"]
        == pytest.approx(blocks["monte_carlo"]["success_probability"], rel=1e-15)
    )
    # Dividend coverage: year 1 of the Snowball's yearly table ("n/a" when income covers).
    cov = tiles["coverage"]
    on_sheet = _header_value(book["Snowball"], 1, "Coverage")
    figure = blocks["snowball"]["years"][0]["coverage"]
    if figure is None:
        assert on_sheet == "n/a" and shown["coverage"] == cov.text
    else:
        assert on_sheet == shown["coverage"] == pytest.approx(figure, rel=1e-15)
