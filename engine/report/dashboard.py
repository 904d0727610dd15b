"""The Dashboard sheet (SPEC §4 A6, §5): the morning check on one landscape page.

Layout on a grid of 15 equal columns: the status and the verdict; KPI tiles five to a
row (three columns each: label linked to the sheet that explains it, the figure, the
traffic light as a coloured cell with its word, two lines of context); a band of five
small charts (allocation, LTV against thresholds, Monte Carlo, snowball, trend); the
secured loans with the market fall to each threshold; and the traffic-light rules.

Every figure comes from ``DashboardResult`` (itself read from the analyses' JSON); the
Monte Carlo and snowball charts reuse the ranges their own sheets publish in
``ctx.refs`` and fall back to the dashboard's copy of the JSON data.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from engine.analyses import traffic_lights as tl
from engine.analyses.dashboard import DashboardResult
from engine.analyses.dashboard_tiles import NOT_AVAILABLE, Tile
from engine.i18n import T, current, date_words, sheet_title
from engine.report.common import (
    PALETTE,
    ReportContext,
    money_words_format,
    setup_print,
    text,
    write_value,
)
from engine.report.dashboard_charts import CHART_ROWS, chart_band

COLUMNS = 15
COL_WIDTH = 10.5
TILE_COLS = 3
TILES_PER_ROW = COLUMNS // TILE_COLS
TILE_HEIGHTS = (17, 27, 17, 13, 13)  # label, value, light, two detail lines (points)
BORDER = "#BFBFBF"
LIGHT_FILL = {tl.GREEN: PALETTE["green"], tl.AMBER: PALETTE["amber"], tl.RED: PALETTE["red"]}
LIGHT_FONT = {tl.GREEN: "#FFFFFF", tl.AMBER: "#3E2F00", tl.RED: "#FFFFFF"}
LIGHT_WORD = {tl.GREEN: "db.green", tl.AMBER: "db.amber", tl.RED: "db.red"}
#: Money tiles (``money``, ``line``) show the amount as a sentence writes it (¥85M), the
#: cell keeping the exact figure (``common.money_words_format``); a line of 0 reads as words.
MONEY_KINDS = {"money": None, "line": "db.none_needed"}


def MONTHS_FORMAT() -> str:  # noqa: N802 - a format, in the language in force
    return '#,##0.0"' + T("db.months_format") + '"'


VALUE_FORMATS = {
    "pct": "0.0%",
    "pct2": "0.00%",
    "ratio": '0.00"×"',
}


class _Formats:
    """The dashboard's own formats (tiles, lights, small tables)."""

    def __init__(self, ctx: ReportContext):
        book = ctx.book
        base = {"font_name": "Arial", "valign": "vcenter", "border_color": BORDER}
        side = {"left": 1, "right": 1}

        def add(**kw):
            return book.add_format({**base, **kw})

        def by_light(**kw):
            """One format per traffic light: its fill and font colour on top of ``kw``."""
            return {
                light: add(**kw, bg_color=LIGHT_FILL[light], font_color=LIGHT_FONT[light])
                for light in LIGHT_FILL
            }

        self.label = add(bold=True, font_size=10, top=1, **side, font_color=PALETTE["blue"])
        self.link = add(bold=True, font_size=10, top=1, **side, font_color="#0563C1", underline=1)
        self._add = add
        self._currency = ctx.currency
        self._money: dict[str, Any] = {}
        self.value = {
            kind: add(bold=True, font_size=16, **side, num_format=code, align="left")
            for kind, code in {**VALUE_FORMATS, "months": MONTHS_FORMAT()}.items()
        }
        self.value_words = add(bold=True, font_size=13, **side, font_color="#262626")
        self.value_text = add(italic=True, font_size=11, **side, font_color=PALETTE["grey"])
        self.light = by_light(bold=True, font_size=10, **side, align="center")
        self.no_light = add(
            font_size=9, **side, bg_color="#E7E6E6", font_color="#595959", align="center"
        )
        self.detail = add(font_size=8, **side, font_color="#404040")
        self.detail_last = add(font_size=8, **side, bottom=1, font_color="#404040")
        self.status = by_light(bold=True, font_size=16, align="center")
        self.no_status = add(bold=True, font_size=14, bg_color="#E7E6E6", align="center")
        self.verdict = add(bold=True, font_size=12, text_wrap=True, valign="vcenter")
        self.title = ctx.fmt.title
        self.note = add(italic=True, font_size=8, font_color=PALETTE["grey"])
        self.section = ctx.fmt.section
        self.th = add(
            bold=True,
            font_size=8,
            bg_color=PALETTE["blue"],
            font_color="#FFFFFF",
            border=1,
            text_wrap=True,
        )
        self.td = add(font_size=8, border=1, text_wrap=True, valign="top")
        self.td_pct = add(font_size=8, border=1, num_format="0.0%")
        self.td_light = by_light(font_size=8, border=1, bold=True, align="center")
        self.rule_head = by_light(bold=True, font_size=8, border=1)
        self.slot = add(
            italic=True,
            font_size=9,
            font_color=PALETTE["grey"],
            text_wrap=True,
            align="center",
            border=1,
        )

    def money_text(self):
        """A money tile written as words (8,500万円): the figure's look, as text."""
        if "text" not in self._money:
            side = {"left": 1, "right": 1}
            self._money["text"] = self._add(bold=True, font_size=16, **side, align="left")
        return self._money["text"]

    def figure(self, tile: Tile):
        """The format of a tile's figure: its kind's, or money as words for this amount."""
        if tile.kind not in MONEY_KINDS:
            return self.value[tile.kind]
        code = money_words_format(tile.value, self._currency, text(MONEY_KINDS[tile.kind]))
        if code not in self._money:
            side = {"left": 1, "right": 1}
            self._money[code] = self._add(
                bold=True, font_size=16, **side, num_format=code, align="left"
            )
        return self._money[code]


def _link_target(ctx: ReportContext, sheet: str | None) -> str | None:
    """``internal:'Sheet'!A1`` when that sheet is in this workbook (sheet names are ours)."""
    if sheet and ctx.book.get_worksheet_by_name(sheet) is not None:
        return "internal:'{}'!A1".format(sheet.replace("'", "''"))
    return None


def _merge(ws, row: int, col: int, cols: int, value, cell_format) -> None:
    """One row of ``cols`` merged cells holding ``value`` (text, number or blank)."""
    if cols > 1:
        ws.merge_range(row, col, row, col + cols - 1, "", cell_format)
    write_value(ws, row, col, value, cell_format)


def _tile(ws, ctx: ReportContext, f: _Formats, tile: Tile, row: int, col: int) -> None:
    sheet = sheet_title(tile.sheet) if tile.sheet else None
    target = _link_target(ctx, sheet)
    if target:
        ws.merge_range(row, col, row, col + TILE_COLS - 1, "", f.link)
        tip = T("db.open_the_sheet_sheet", sheet=sheet)
        ws.write_url(row, col, target, f.link, tile.label, tip)
    else:
        _merge(ws, row, col, TILE_COLS, tile.label, f.label)
    has_figure = tile.value is not None and math.isfinite(tile.value)
    if tile.text in (T(NOT_AVAILABLE), T("common.n_a")) or not (tile.text or has_figure):
        _merge(ws, row + 1, col, TILE_COLS, tile.text or T("common.n_a"), f.value_text)
    elif tile.text:  # words that are the answer: Unlimited, Income covers costs, No borrowing…
        _merge(ws, row + 1, col, TILE_COLS, tile.text, f.value_words)
    else:
        _merge(ws, row + 1, col, TILE_COLS, *_figure(f, tile))
    if tile.light in LIGHT_FILL:
        _merge(ws, row + 2, col, TILE_COLS, T(LIGHT_WORD[tile.light]), f.light[tile.light])
    else:
        word = (
            T("db.not_available_2")
            if tile.text == T(NOT_AVAILABLE)
            else T("db.no_light_not_applicable")
        )
        _merge(ws, row + 2, col, TILE_COLS, word, f.no_light)
    details = (*tile.detail, "", "")[:2]
    _merge(ws, row + 3, col, TILE_COLS, details[0], f.detail)
    _merge(ws, row + 4, col, TILE_COLS, details[1], f.detail_last)


def _figure(f: _Formats, tile: Tile) -> tuple[Any, Any]:
    """(value, format) of a tile's figure. In Japanese a money tile reads as a Japanese
    reader writes the amount (8,500万円, 1.35億円): text, as no number format can show
    万 and 億; the JSON summary keeps the number."""
    language = current()
    if tile.kind in MONEY_KINDS and language.japanese and f._currency.upper() == "JPY":
        zero = MONEY_KINDS[tile.kind]
        words = T(zero) if zero and tile.value == 0 else language.money(tile.value, f._currency)
        return words, f.money_text()
    return tile.value, f.figure(tile)


def _tiles(ws, ctx: ReportContext, f: _Formats, r: DashboardResult, row: int) -> int:
    for k, tile in enumerate(r.tiles):
        band, slot = divmod(k, TILES_PER_ROW)
        top = row + band * (len(TILE_HEIGHTS) + 1)
        if slot == 0:
            for i, height in enumerate(TILE_HEIGHTS):
                ws.set_row(top + i, height)
            ws.set_row(top + len(TILE_HEIGHTS), 6)
        _tile(ws, ctx, f, tile, top, slot * TILE_COLS)
    bands = math.ceil(len(r.tiles) / TILES_PER_ROW)
    return row + bands * (len(TILE_HEIGHTS) + 1)


def _header(ws, ctx: ReportContext, f: _Formats, r: DashboardResult) -> int:
    ws.set_row(0, 24)
    ws.write_string(0, 0, T("db.dashboard"), f.title)
    ws.write_string(
        0,
        3,
        T(
            "db.portfolio_valuation_date_isoformat_amounts",
            portfolio=r.portfolio,
            isoformat=date_words(r.valuation_date),
            currency=r.currency,
        ),
        ctx.fmt.subtitle,
    )
    ws.set_row(1, 36)
    status_format = f.status.get(r.light, f.no_status)
    ws.merge_range(1, 0, 1, 2, tl.status_text(r.status), status_format)
    ws.merge_range(1, 3, 1, COLUMNS - 1, r.verdict, f.verdict)
    ws.write_string(
        2,
        0,
        T("db.each_tile_s_label_opens"),
        f.note,
    )
    return 4


def _loans(ws, f: _Formats, r: DashboardResult, row: int) -> int:
    ws.write_string(row, 0, T("db.secured_loans_ltv_and_the"), f.section)
    row += 1
    heads = [
        T("db.loan"),
        "LTV",
        T("db.light"),
        T("db.freeze_ltv"),
        T("db.call_ltv"),
        T("db.liquidation_ltv"),
    ]
    heads += [T("db.fall_to_freeze"), T("db.fall_to_call"), T("db.fall_to_liquidation")]
    ws.merge_range(row, 0, row, 2, heads[0], f.th)
    for j, head in enumerate(heads[1:], start=3):
        ws.write_string(row, j, head, f.th)
    ws.set_row(row, 24)
    if r.loans.empty:
        ws.merge_range(row + 1, 0, row + 1, 11, T("db.no_loans_against_your_holdings"), f.td)
        return row + 3
    keys = ["ltv", "light", "freeze_ltv", "call_ltv", "liquidation_ltv"]
    keys += ["drawdown_to_freeze", "drawdown_to_call", "drawdown_to_liquidation"]
    for i, loan in enumerate(r.loans.to_dict("records"), start=row + 1):
        ws.merge_range(i, 0, i, 2, "", f.td)
        ws.write_string(i, 0, str(loan["name"]), f.td)
        for j, key in enumerate(keys, start=3):
            if key == "light":
                light = loan["light"]
                if light in LIGHT_FILL:
                    ws.write_string(i, j, T(LIGHT_WORD[light]), f.td_light[light])
                else:
                    ws.write_string(i, j, T("common.n_a"), f.td)
            elif key == "call_ltv" and _blank(loan[key]):
                ws.write_string(i, j, T("db.no_call"), f.td)
            elif key.startswith("drawdown") and _blank(loan[key]):
                ws.write_string(i, j, T("db.never") if key != "drawdown_to_call" else "—", f.td)
            else:
                write_value(ws, i, j, loan[key], f.td_pct)
    return row + len(r.loans) + 2


def _width(words: str) -> int:
    """Printed width in Latin letters: a Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in words)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


RULE_SPANS = ((0, 3), (3, 4), (7, 4), (11, 4))  # (first column, width) of KPI, green, amber, red


def _rules(ws, f: _Formats, row: int) -> int:
    ws.write_string(row, 0, T("db.traffic_light_rules"), f.section)
    row += 1
    heads = ("KPI", T("db.green"), T("db.amber"), T("db.red"))
    head_formats = (f.th, f.rule_head[tl.GREEN], f.rule_head[tl.AMBER], f.rule_head[tl.RED])
    for (c, w), head, cell_format in zip(RULE_SPANS, heads, head_formats, strict=True):
        ws.merge_range(row, c, row, c + w - 1, head, cell_format)
    for rule in tl.RULES:
        row += 1
        texts = (rule.kpi, rule.green, rule.amber, rule.red)
        lines = max(
            math.ceil(_width(t) / (w * 19)) for t, (_, w) in zip(texts, RULE_SPANS, strict=True)
        )
        ws.set_row(row, 11.5 * max(1, lines) + 2)
        for (c, w), words in zip(RULE_SPANS, texts, strict=True):
            ws.merge_range(row, c, row, c + w - 1, words, f.td)
    return row + 1


def write(ws, result: DashboardResult, ctx: ReportContext) -> None:
    """Write the Dashboard sheet (first in the workbook, written last)."""
    f = _Formats(ctx)
    ws.set_column(0, COLUMNS - 1, COL_WIDTH)
    ws.hide_gridlines(2)
    row = _header(ws, ctx, f, result)
    row = _tiles(ws, ctx, f, result, row)
    chart_band(ws, ctx, f.slot, result, row, COLUMNS, COL_WIDTH)
    row += CHART_ROWS + 1
    row = _loans(ws, f, result, row)
    row = _rules(ws, f, row)
    setup_print(ws, landscape=True, fit_pages_tall=1)
    ws.print_area(0, 0, row, COLUMNS - 1)
    ws.set_zoom(90)
