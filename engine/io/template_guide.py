"""The template's help: the *Start here* sheet (one screen) and the *Column guide*.

*Start here* says how to fill the workbook in, links to every sheet, and lists the
published lender rules a user can copy into Loans. The *Column guide* (the last sheet)
lists every setting and column with its default and help — the same text as the input
messages of the cells, from ``engine.schema``.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine import schema
from engine.schema import Column

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


def _fits(header: str, width: float, lines: int) -> bool:
    capacity = (width - FILTER_BUTTON_WIDTH) / HEADER_CHAR_WIDTH
    used, count = 0, 1
    for word in header.split():
        if len(word) > capacity:
            return False
        if used and used + 1 + len(word) > capacity:
            count, used = count + 1, len(word)
        else:
            used = used + 1 + len(word) if used else len(word)
    return count <= lines


def default_text(column: Column) -> str:
    """The default of a column in words, for Notes and input messages."""
    d = column.default
    if d is None or d == "" or "default" in column.help.lower():
        return ""
    if column.kind == "yesno":
        return "Yes" if d else "No"
    if column.kind == "percent":
        return f"{d * 100:g}%"
    if isinstance(d, (int, float)):
        return f"{d:,g}" if isinstance(d, float) else f"{d:,}"
    return str(d)


def help_with_default(column: Column) -> str:
    text = column.help
    default = default_text(column)
    return f"{text} Default: {default}." if default else text


# --------------------------------------------------------------------------- Start here
def write_start_here(book, fmt, title: str, notes: Sequence[str], sheets: Sequence[str]) -> None:
    """One screen: how to fill in, a linked list of the sheets, the lender rules."""
    ws = book.add_worksheet(START_SHEET)
    widths = (46, 12, 12, 12, 11, 70)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    ws.write_string(0, 0, title, fmt.title)
    lines = (
        "1. Fill in Holdings, Loans and Cashflows. Grey rows are examples: the engine does "
        "not read them until you change them, so type over them (or delete them).",
        "2. Check Settings, AssetClasses, Correlations and Scenarios (defaults, editable).",
        "3. Save, and run the engine on this file (double-click run.py).",
        "Columns marked * are required; blank optional cells take the default shown in each "
        "cell's message. Percent cells hold fractions: type 5% (the cell holds 0.05).",
        *notes,
    )
    row = 2
    for line in lines:
        ws.write_string(row, 0, line)
        row += 1
    row += 1
    ws.write_string(row, 0, "Sheet", fmt.header)
    ws.write_string(row, 1, "What it holds", fmt.header)
    row += 1
    for sheet in (*sheets, GUIDE_SHEET):
        ws.write_url(row, 0, f"internal:'{sheet}'!A1", fmt.link, sheet)
        help_text = schema.SHEET_HELP.get(sheet, "Every setting and column: default and help.")
        ws.write_string(row, 1, help_text)
        row += 1
    row += 1
    _write_lender_rules(ws, fmt, row)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 1)


def _write_lender_rules(ws, fmt, row: int) -> int:
    ws.write_string(
        row,
        0,
        "Published lender rules you can copy into Loans (check your own contract: lenders "
        "change their rules)",
        fmt.bold,
    )
    row += 1
    heads = ("Lender", "Freeze LTV", "Margin call LTV", "Liquidation LTV", "Forced sale", "Rule")
    ws.set_row(row, 2 * LINE_HEIGHT)
    for j, head in enumerate(heads):
        ws.write_string(row, j, head, fmt.header)
    row += 1
    for rule in schema.LENDER_RULES:
        ws.set_row(row, wrapped_height(rule["Rule"], 70))
        ws.write_string(row, 0, rule["Lender"], fmt.wrap)
        for j, key in enumerate(heads[1:4], start=1):
            if rule[key] is None:
                ws.write_string(row, j, "none", fmt.centre)
            else:
                ws.write_number(row, j, rule[key], fmt.percent_centre)
        ws.write_string(row, 4, rule["Forced sale"], fmt.centre)
        ws.write_string(row, 5, rule["Rule"], fmt.wrap)
        row += 1
    return row


# --------------------------------------------------------------------------- Column guide
def write_column_guide(book, fmt) -> None:
    """Every setting and column: sheet, name, required, default, what to enter."""
    ws = book.add_worksheet(GUIDE_SHEET)
    for j, width in enumerate((14, 24, 10, 14, 90)):
        ws.set_column(j, j, width)
    for j, head in enumerate(("Sheet", "Column", "Required", "Default", "What to enter")):
        ws.write_string(0, j, head, fmt.header)
    entries = [(schema.SETTINGS_SHEET, c) for c in schema.SETTINGS]
    entries += [(t.sheet, c) for t in (*schema.TABLES, schema.HISTORY) for c in t.columns]
    for row, (sheet, column) in enumerate(entries, start=1):
        ws.set_row(row, wrapped_height(column.help, 90))
        ws.write_string(row, 0, sheet, fmt.general)
        ws.write_string(row, 1, column.name, fmt.general)
        ws.write_string(row, 2, "Yes" if column.required else "", fmt.general)
        ws.write_string(row, 3, default_text(column), fmt.general)
        ws.write_string(row, 4, column.help, fmt.wrap)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
