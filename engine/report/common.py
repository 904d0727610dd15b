"""Shared helpers for the sheet writers: formats, safe cell writes, sheet layout, charts.

Every sheet writer receives a ``ReportContext``. Rules kept here so no writer can
break them:

- user text goes through ``write_string`` (never interpreted as a formula);
- NaN / ±inf never reach a cell (written blank, or as ``n/a`` text when asked);
- money cells use the base currency's format; ratios ``0.0%``;
- chart data that is not already on a visible sheet goes to the hidden ``_chart_data``
  sheet through ``ctx.data_block``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_cell_to_rowcol

from engine.analyses.words import MINUS, currency_prefix, money_scale
from engine.i18n import Language, T, choice_words, current

ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "IDR", "TWD"}
DATA_SHEET = "_chart_data"
#: Percentages in charts (axes, labels) as in cells: one decimal (SPEC §5).
PCT = "0.0%"

PALETTE = {
    "green": "#2E7D32",
    "amber": "#F9A825",
    "red": "#C62828",
    "blue": "#1F4E79",
    "grey": "#7F7F7F",
    "light_green": "#C8E6C9",
    "light_amber": "#FFF3C4",
    "light_red": "#F8C9C9",
    "light_blue": "#DCE6F1",
    "orange": "#E07B00",
    "purple": "#6A3D9A",
}
#: Asset classes avoid the green/red/amber kept for net worth, loans and future costs.
CLASS_COLORS = ("#1F4E79", "#00838F", "#6A3D9A", "#8D6E63", "#5B9BD5", "#9E9D24", "#AD1457")
SERIES_COLORS = (
    "#1F4E79",
    "#E07B00",
    "#2E7D32",
    "#C62828",
    "#6A3D9A",
    "#00838F",
    "#8D6E63",
    "#AD1457",
    "#7F7F7F",
    "#9E9D24",
)


def money_words_format(amount: float, currency: str, zero: str | None = None) -> str:
    """A number format that shows ``amount`` as ``money_words`` writes it (¥6.7M, ¥850K),
    while the cell keeps the exact amount; ``zero``: words for a zero (``None needed``)."""
    unit, suffix, decimals = money_scale(amount)
    scale = "," * round(math.log10(unit) / 3)  # each trailing comma divides by 1,000
    number = "#,##0" + ("." + "0" * decimals if decimals else "") + scale
    prefix, tail = currency_prefix(currency), f'"{suffix}"' if suffix else ""
    code = f'"{prefix}"{number}{tail};"{MINUS}{prefix}"{number}{tail}'
    return code + (f';"{zero}"' if zero else "")


def text(value: Any) -> Any:
    """``value`` in the language in force when it is a catalogue key; else as it is."""
    return current().text(value)


def finite(value: Any) -> Any:
    """Python scalar for a cell, or None for NaN/inf/None (never written as a number)."""
    if value is None:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if value is pd.NaT:
        return None
    return value


class Formats:
    """Named cell formats for one workbook."""

    def __init__(self, book, currency: str):
        self.currency = currency
        decimals = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
        money = "#,##0" if decimals == 0 else "#,##0.00"
        base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}

        def add(**kw):
            return book.add_format({**base, **kw})

        self.money_code = money
        self.text = add()
        self.wrap = add(text_wrap=True, valign="top")
        self.bold = add(bold=True)
        self.title = add(bold=True, font_size=16, font_color=PALETTE["blue"])
        self.subtitle = add(italic=True, font_color=PALETTE["grey"])
        self.section = add(bold=True, font_size=12, font_color=PALETTE["blue"], bottom=1)
        self.header = add(
            bold=True,
            bg_color=PALETTE["blue"],
            font_color="#FFFFFF",
            text_wrap=True,
            valign="top",
            border=1,
        )
        self.money = add(num_format=money)
        self.money_bold = add(num_format=money, bold=True)
        self.pct = add(num_format="0.0%")
        self.pct_bold = add(num_format="0.0%", bold=True)
        self.pct2 = add(num_format="0.00%")
        self.integer = add(num_format="#,##0")
        self.number = add(num_format="#,##0.00")
        self.ratio = add(num_format="0.00")
        self.date = add(num_format="yyyy-mm-dd")
        self.note = add(italic=True, font_color=PALETTE["grey"], text_wrap=False)
        #: A note in the column right of a figure: indented, so it never touches the
        #: figure's right-aligned digits ("0Unsecured lines removed.").
        self.aside = add(italic=True, font_color=PALETTE["grey"], text_wrap=False, indent=1)
        #: Words in a table column (a zone, a status, Yes/No): indented for the same reason.
        self.cell_text = add(indent=1)
        #: Words in a column of numbers ("n/a" among coverages): right-aligned like them.
        self.text_right = add(align="right")
        self.link = add(font_color="#0563C1", underline=1)
        self.good = add(bg_color=PALETTE["light_green"], font_color="#1B5E20")
        self.warn = add(bg_color=PALETTE["light_amber"], font_color="#7A5C00")
        self.bad = add(bg_color=PALETTE["light_red"], font_color="#8B0000")
        self.big_money = add(num_format=money, bold=True, font_size=14)
        self.big_pct = add(num_format="0.0%", bold=True, font_size=14)
        #: A probability: one decimal, never "100.0%" for a share below 1 (SPEC §4 A5)
        self.probability = add(num_format='[=1]0%;[>=0.9995]"> 99.9%";0.0%')

    def by_name(self, name: str):
        return getattr(self, name)


@dataclass(frozen=True)
class ColumnRef:
    """A column of chart data: sheet name, first row, last row, column (0-based)."""

    sheet: str
    first_row: int
    last_row: int
    col: int

    @property
    def ref(self) -> list:
        return [self.sheet, self.first_row, self.col, self.last_row, self.col]

    @property
    def header(self) -> list:
        """The header cell above the data (a series name)."""
        return [self.sheet, self.first_row - 1, self.col]


@dataclass
class ReportContext:
    """What a sheet writer needs: the workbook, formats, currency, all results."""

    book: Any
    fmt: Formats
    currency: str
    results: Mapping[str, Any] = field(default_factory=dict)
    data_ws: Any = None
    #: Cell ranges one writer publishes for another's charts (e.g. the A2 liquidity
    #: columns the A3 chart reuses). Writers run in computation order (A1..A6).
    refs: dict[str, ColumnRef] = field(default_factory=dict)
    _data_col: int = 0
    #: The language of this workbook (also the one in force while it is written).
    lang: Language = field(default_factory=current)

    # ----------------------------------------------------------- chart formats
    @property
    def axis_money_format(self) -> str:
        """Axis labels in millions (zero-decimal currencies) or thousands: ``2,000M``; in
        Japanese yen, millions under the axis title 百万円 (as Japanese reports write it)."""
        if self._japanese_yen:
            return "#,##0,,"
        return '#,##0,,"M"' if self.currency in ZERO_DECIMAL_CURRENCIES else '#,##0,"K"'

    @property
    def axis_money_title(self) -> str:
        """The currency alone: the tick labels carry the unit (``M`` or ``K``); 百万円 for
        Japanese yen."""
        return T("common.million_yen") if self._japanese_yen else self.currency

    @property
    def _japanese_yen(self) -> bool:
        return self.lang.japanese and self.currency.upper() == "JPY"

    # ----------------------------------------------------------- chart data
    def data_block(self, frame: pd.DataFrame, label: str) -> dict[str, ColumnRef]:
        """Write ``frame`` to the hidden chart-data sheet; return a ColumnRef per column.

        The block's first row holds ``label``; the second the column names; data follow.
        """
        ws, c0 = self.data_ws, self._data_col
        ws.write_string(0, c0, text(label))
        refs: dict[str, ColumnRef] = {}
        n = len(frame)
        for j, name in enumerate(frame.columns):
            col = c0 + j
            ws.write_string(1, col, str(text(name)))
            for i, v in enumerate(frame[name].tolist()):
                write_value(ws, 2 + i, col, v)
            refs[str(name)] = ColumnRef(DATA_SHEET, 2, 2 + max(n, 1) - 1, col)
        self._data_col = c0 + len(frame.columns) + 1
        return refs

    # ----------------------------------------------------------- charts
    def chart(
        self,
        kind: str,
        title: str,
        x_title: str,
        y_title: str,
        y_format: str | None = None,
        subtype: str | None = None,
        x_format: str | None = None,
    ):
        """A chart with title, axis titles and number formats set (SPEC §5)."""
        opts = {"type": kind}
        if subtype:
            opts["subtype"] = subtype
        chart = self.book.add_chart(opts)
        chart.set_title({"name": text(title), "name_font": {"size": 11, "bold": True}})
        x_axis = axis(x_title, x_format)
        if x_format == PCT:  # "10.0%" under every ladder step: slanted, not wrapped
            x_axis["num_font"] = {"size": 8, "rotation": -45}
        chart.set_x_axis(x_axis)
        chart.set_y_axis(axis(y_title, y_format, gridlines=True))
        chart.set_legend({"position": "bottom", "font": {"size": 8}})
        chart.set_chartarea({"border": {"color": "#BFBFBF"}})
        return chart

    def money_chart(self, kind: str, title: str, x_title: str, **options):
        """A chart whose value axis is money in the base currency (``chart`` options)."""
        return self.chart(
            kind, title, x_title, self.axis_money_title, self.axis_money_format, **options
        )


# --------------------------------------------------------------------------- chart parts
def axis(name: str, num_format: str | None = None, *, gridlines: bool = False, **options) -> dict:
    """Axis options in the house style: a 9-point plain title, 8-point labels.

    ``set_x_axis`` / ``set_y_axis`` replace every option, so a writer that changes a
    scale (``min``, ``max``, ``major_unit``…) passes it here and keeps the fonts.
    """
    options = {
        "name": text(name),
        "name_font": {"size": 9, "bold": False},
        "num_font": {"size": 8},
        **options,
    }
    if gridlines:
        options["major_gridlines"] = {"visible": True, "line": {"color": "#D9D9D9"}}
    if num_format:
        options["num_format"] = num_format
    return options


def line_series(
    name,
    categories: list,
    values: list,
    color: str,
    width: float = 2.25,
    dash: str | None = None,
    **options,
) -> dict:
    """A line without markers (``options`` add or replace series keys, e.g. ``y2_axis``)."""
    line = {"color": color, "width": width}
    if dash:
        line["dash_type"] = dash
    return {
        "name": text(name),
        "categories": categories,
        "values": values,
        "line": line,
        "marker": {"type": "none"},
        **options,
    }


def column_series(
    name,
    categories: list,
    values: list,
    color: str,
    gap: int,
    border: str | None = None,
    **options,
) -> dict:
    """Filled columns (or bars); ``border`` a colour, ``"none"``, or None for the default.

    ``options`` add series keys such as ``data_labels``.
    """
    series = {
        "name": text(name),
        "categories": categories,
        "values": values,
        "fill": {"color": color},
        "gap": gap,
        **options,
    }
    if border is not None:
        series["border"] = {"none": True} if border == "none" else {"color": border}
    return series


def class_points(count: int) -> list[dict]:
    """Slice fills for ``count`` asset classes (a doughnut's ``points``), in class order."""
    return [{"fill": {"color": CLASS_COLORS[i % len(CLASS_COLORS)]}} for i in range(count)]


def place_chart(ws, anchor: str | tuple[int, int], chart, width: int, height: int, **options):
    """Size ``chart`` and insert it with its top-left corner at ``anchor``.

    ``anchor`` is an A1 cell (``"E4"``) or ``(row, col)``; ``options`` are
    ``insert_chart`` options such as ``x_offset``.
    """
    chart.set_size({"width": width, "height": height})
    row, col = xl_cell_to_rowcol(anchor) if isinstance(anchor, str) else anchor
    ws.insert_chart(row, col, chart, options or None)


def write_value(ws, row: int, col: int, value: Any, cell_format=None) -> None:
    """Write one value safely: text as text, numbers only when finite, dates as dates."""
    kind = type(value)
    if kind is float:  # the common cases first (tables of thousands of cells)
        if math.isfinite(value):
            ws.write_number(row, col, value, cell_format)
        else:
            ws.write_blank(row, col, None, cell_format)
        return
    if kind is str:
        ws.write_string(row, col, value, cell_format)
        return
    value = finite(value)
    if value is None:
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_string(row, col, T("common.yes") if value else T("common.no"), cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(
            row,
            col,
            value if isinstance(value, datetime) else datetime(value.year, value.month, value.day),
            cell_format,
        )
    else:
        ws.write_string(row, col, str(value), cell_format)


def write_table(
    ctx: ReportContext,
    ws,
    row: int,
    col: int,
    frame: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    widths: Mapping[str, float] | None = None,
) -> dict[str, ColumnRef]:
    """Write a header row and the frame below it; return a ColumnRef per column.

    ``formats`` maps column name → a ``Formats`` attribute name (``"money"``, ``"pct"``…).
    """
    formats = formats or {}
    japanese = current().japanese
    sheet = ws.get_name()
    refs: dict[str, ColumnRef] = {}
    n = len(frame)
    for j, name in enumerate(frame.columns):
        ws.write_string(row, col + j, str(text(name)), ctx.fmt.header)
        cell_format = ctx.fmt.by_name(formats[name]) if name in formats else None
        # words never touch the figure to their left: indented, or right-aligned among numbers
        words_format = cell_format
        if j > 0 and formats.get(name) not in TEXT_FORMATS:
            words_format = ctx.fmt.cell_text if cell_format is None else ctx.fmt.text_right
        values = frame[name].tolist()
        if japanese:  # the input's choice values and the lenders' zones, in words
            values = [choice_words(zone_label(v)) if isinstance(v, str) else v for v in values]
        for i, v in enumerate(values):
            words = isinstance(v, (str, bool, np.bool_))
            write_value(ws, row + 1 + i, col + j, v, words_format if words else cell_format)
        refs[str(name)] = ColumnRef(sheet, row + 1, row + max(n, 1), col + j)
        if widths and name in widths:
            ws.set_column(col + j, col + j, widths[name])
    return refs


#: ``Formats`` names of text columns, kept as they are in a table.
TEXT_FORMATS = {"aside", "cell_text", "text_right", "text", "wrap", "bold", "note"}


def write_title(ctx: ReportContext, ws, title: str, subtitle: str = "") -> int:
    """Sheet title (row 0) and subtitle (row 1); returns the next free row."""
    ws.write_string(0, 0, text(title), ctx.fmt.title)
    if subtitle:
        ws.write_string(1, 0, text(subtitle), ctx.fmt.subtitle)
    return 3


def open_sheet(
    ctx: ReportContext,
    ws,
    title: str,
    subtitle: str = "",
    *,
    widths: Sequence[tuple[int, int, float]] = (),
    frozen_cols: int = 1,
) -> int:
    """Start a result sheet; returns the first free row below the title.

    Title and subtitle, column ``widths`` as ``(first col, last col, width)`` (later
    entries win where they overlap), the title rows (and ``frozen_cols`` columns)
    frozen, and printing as SPEC §5 asks: landscape, one page wide, the title rows on
    every page.
    """
    row = write_title(ctx, ws, title, subtitle)
    set_widths(ws, widths)
    ws.freeze_panes(3, frozen_cols)
    setup_print(ws, landscape=True)
    ws.repeat_rows(0, 1)
    return row


def set_widths(ws, widths: Iterable[tuple[int, int, float]]) -> None:
    """Column widths, each ``(first col, last col, width)``, in order."""
    for first, last, width in widths:
        ws.set_column(first, last, width)


def write_section(ctx: ReportContext, ws, row: int, title: str, note: str = "") -> int:
    """A section heading in column A, and its note below when there is one; the next row."""
    ws.write_string(row, 0, text(title), ctx.fmt.section)
    if note:
        ws.write_string(row + 1, 0, text(note), ctx.fmt.note)
        return row + 2
    return row + 1


def write_headers(ctx: ReportContext, ws, row: int, headers: Iterable[str]) -> int:
    """One row of table headers from column A; returns the row below."""
    for col, header in enumerate(headers):
        ws.write_string(row, col, text(header), ctx.fmt.header)
    return row + 1


def write_figures(ctx: ReportContext, ws, row: int, figures: Iterable[tuple]) -> int:
    """Rows of label (A), value (B) and note (C, grey, indented); the row below the last.

    ``figures`` holds ``(label, value, cell format, note)``. Text values are written as
    text in that format; a note of None leaves its cell empty.
    """
    for label, value, cell_format, note in figures:
        ws.write_string(row, 0, text(label))
        write_value(ws, row, 1, value, cell_format)
        if note is not None:
            ws.write_string(row, 2, text(note), ctx.fmt.aside)
        row += 1
    return row


def setup_print(ws, landscape: bool = True, fit_pages_tall: int = 0) -> None:
    """Landscape, fit to one page wide (SPEC §5)."""
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, fit_pages_tall)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def series_color(i: int) -> str:
    return SERIES_COLORS[i % len(SERIES_COLORS)]


def as_rows(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(records))


#: The lender's zones (``engine.model.exposure.ZONES``, English codes in the results and
#: the JSON) and the catalogue key of each one's name on a sheet.
ZONE_KEYS = {
    "Safe": "zone.safe",
    "Frozen": "zone.frozen",
    "Margin call": "zone.margin_call",
    "Liquidation": "zone.liquidation",
    "Failed": "zone.failed",
}


def zone_label(zone: str) -> str:
    """A zone's name in the language in force (``Margin call`` / ``追加担保``)."""
    return T(ZONE_KEYS[zone]) if zone in ZONE_KEYS else zone


#: The lender's zones: fill and font colours.
ZONE_STYLE = {
    "Safe": (PALETTE["light_green"], "#1B5E20"),
    "Frozen": (PALETTE["light_amber"], "#7A5C00"),
    "Margin call": ("#FFD8A8", "#8A4500"),
    "Liquidation": (PALETTE["light_red"], "#8B0000"),
}


def zone_formats(ws, ctx: ReportContext, first_row: int, last_row: int, cols: list[int]) -> None:
    """Colour zone cells by their text (conditional formats: green/amber/orange/red)."""
    for name, (bg, fg) in ZONE_STYLE.items():
        fmt = ctx.book.add_format({"bg_color": bg, "font_color": fg})
        for col in cols:
            ws.conditional_format(
                first_row,
                col,
                last_row,
                col,
                {"type": "cell", "criteria": "==", "value": f'"{zone_label(name)}"', "format": fmt},
            )
