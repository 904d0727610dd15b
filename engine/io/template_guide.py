"""The template's help: the *Start here* sheet (one screen) and the *Column guide*.

*Start here* says how to fill the workbook in, links to every sheet, and lists the
published lender rules a user can copy into Loans. The *Column guide* (the last sheet)
lists every setting and column with its default and help — the same text as the input
messages of the cells, from ``engine.schema``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from engine import schema
from engine.i18n import ENGLISH, Language
from engine.schema import Column, japanese

START_SHEET = "Start here"
GUIDE_SHEET = "Column guide"
#: Width units per character of a bold header, and the Excel Table's filter button.
HEADER_CHAR_WIDTH = 1.2
FILTER_BUTTON_WIDTH = 3.0
HEADER_LINES = 2  # the header row is tall enough for two lines
LINE_HEIGHT = 15  # points per line of wrapped 11-point text


def wrapped_height(text: str, width: float) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` wide (about
    1.1 characters per width unit; spreadsheets do not grow rows written by xlsxwriter)."""
    width *= 1.1
    lines = 0
    for paragraph in text.split("\n"):
        if _wide(paragraph):  # Japanese wraps anywhere: count display columns
            lines += max(1, math.ceil(_display_len(paragraph) / width))
            continue
        used, count = 0, 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > width:
                count, used = count + 1, len(word)
            else:
                used = used + 1 + len(word) if used else len(word)
        lines += count
    return LINE_HEIGHT * max(1, lines)


def header_width(header: str, width: float, lines: int = HEADER_LINES) -> float:
    """The narrowest column width, at least ``width``, in which ``header`` wraps into
    at most ``lines`` lines without breaking a word ("Withholdin/g" never prints)."""
    w = float(width)
    while not _fits(header, w, lines):
        w += 0.5
    return w


def _wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _display_len(text: str) -> int:
    """Width of ``text`` in character cells: a Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fits(header: str, width: float, lines: int) -> bool:
    capacity = (width - FILTER_BUTTON_WIDTH) / HEADER_CHAR_WIDTH
    if _wide(header):  # Japanese wraps between any two characters
        return math.ceil(_display_len(header) / max(capacity, 1)) <= lines and capacity >= 2
    used, count = 0, 1
    for word in header.split():
        if len(word) > capacity:
            return False
        if used and used + 1 + len(word) > capacity:
            count, used = count + 1, len(word)
        else:
            used = used + 1 + len(word) if used else len(word)
    return count <= lines


def default_text(column: Column, lang: Language = ENGLISH) -> str:
    """The default of a column in words, for Notes and input messages."""
    d = column.default
    if d is None or d == "" or "default" in column.help.lower():
        return ""
    if column.kind == "yesno":
        return japanese.choice_name("Yes" if d else "No", lang.japanese)
    if column.kind == "choice":
        return japanese.choice_name(str(d), lang.japanese)
    if column.kind == "percent":
        return f"{d * 100:g}%"
    if isinstance(d, (int, float)):
        return f"{d:,g}" if isinstance(d, float) else f"{d:,}"
    return str(d)


def help_with_default(column: Column, sheet: str = "", lang: Language = ENGLISH) -> str:
    text = japanese.column_help(sheet, column.name, column.help, lang.japanese)
    default = default_text(column, lang)
    return lang.t("tp.default", text=text, default=default) if default else text


# --------------------------------------------------------------------------- Start here
def write_start_here(book, fmt, title: str, notes: Sequence[str], sheets: Sequence[str]) -> None:
    """One screen: how to fill in, a linked list of the sheets, the lender rules."""
    ja, lang = fmt.ja, fmt.lang
    ws = book.add_worksheet(japanese.sheet_name(START_SHEET, ja))
    widths = (46, 12, 12, 12, 11, 70)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    ws.write_string(0, 0, title, fmt.title)
    lines = (*(lang.t(f"tp.start_{k}") for k in (1, 2, 3, 4)), *notes)
    row = 2
    for line in lines:
        ws.write_string(row, 0, line)
        row += 1
    row += 1
    ws.write_string(row, 0, lang.t("tp.sheet"), fmt.header)
    ws.write_string(row, 1, lang.t("tp.what_it_holds"), fmt.header)
    row += 1
    for sheet in (*sheets, GUIDE_SHEET):
        name = japanese.sheet_name(sheet, ja)
        ws.write_url(row, 0, f"internal:'{name}'!A1", fmt.link, name)
        if ja:
            help_text = japanese.SHEET_HELP[sheet]
        else:
            help_text = schema.SHEET_HELP.get(sheet, lang.t("tp.guide_help"))
        ws.write_string(row, 1, help_text)
        row += 1
    row += 1
    _write_lender_rules(ws, fmt, row)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 1)


def _write_lender_rules(ws, fmt, row: int) -> int:
    ja, lang = fmt.ja, fmt.lang
    ws.write_string(row, 0, lang.t("tp.lender_rules"), fmt.bold)
    row += 1
    heads = ("Lender", "Freeze LTV", "Margin call LTV", "Liquidation LTV", "Forced sale", "Rule")
    ws.set_row(row, 2 * LINE_HEIGHT)
    for j, head in enumerate(heads):
        if head in ("Lender", "Rule"):
            text = lang.t("tp.lender" if head == "Lender" else "tp.rule")
        else:
            text = japanese.column_name("Loans", head, ja)
        ws.write_string(row, j, text, fmt.header)
    row += 1
    for k, rule in enumerate(schema.LENDER_RULES):
        lender, words = rule["Lender"], rule["Rule"]
        if ja and k < len(japanese.LENDER_RULES):
            lender, words = japanese.LENDER_RULES[k]
        ws.set_row(row, wrapped_height(words, 70))
        ws.write_string(row, 0, lender, fmt.wrap)
        for j, key in enumerate(heads[1:4], start=1):
            if rule[key] is None:
                ws.write_string(row, j, lang.t("tp.none"), fmt.centre)
            else:
                ws.write_number(row, j, rule[key], fmt.percent_centre)
        ws.write_string(row, 4, japanese.choice_name(rule["Forced sale"], ja), fmt.centre)
        ws.write_string(row, 5, words, fmt.wrap)
        row += 1
    return row


# --------------------------------------------------------------------------- Column guide
def write_column_guide(book, fmt) -> None:
    """Every setting and column: sheet, name, required, default, what to enter."""
    ja, lang = fmt.ja, fmt.lang
    ws = book.add_worksheet(japanese.sheet_name(GUIDE_SHEET, ja))
    for j, width in enumerate((14, 24, 10, 14, 90)):
        ws.set_column(j, j, width)
    heads = ("tp.sheet", "tp.column", "tp.required", "tp.default_head", "tp.what_to_enter")
    for j, head in enumerate(heads):
        ws.write_string(0, j, lang.t(head), fmt.header)
    entries = [(schema.SETTINGS_SHEET, c) for c in schema.SETTINGS]
    entries += [(t.sheet, c) for t in (*schema.TABLES, schema.HISTORY) for c in t.columns]
    for row, (sheet, column) in enumerate(entries, start=1):
        help_text = japanese.column_help(sheet, column.name, column.help, ja)
        ws.set_row(row, wrapped_height(help_text, 90))
        ws.write_string(row, 0, japanese.sheet_name(sheet, ja), fmt.general)
        ws.write_string(row, 1, japanese.column_name(sheet, column.name, ja), fmt.general)
        required = japanese.choice_name("Yes", ja) if column.required else ""
        ws.write_string(row, 2, required, fmt.general)
        ws.write_string(row, 3, default_text(column, lang), fmt.general)
        ws.write_string(row, 4, help_text, fmt.wrap)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
