"""The validated reader: input workbook → typed, immutable ``Inputs`` (SPEC §2, §8).

    inputs = read_workbook(Path("workbooks/example.xlsx"))

1. ``check_file`` refuses unsafe or unsupported files before any parsing.
2. The workbook is loaded once, read-only with cached values (``data_only``). Only
   if a worksheet holds a formula without a saved value is the sheet XML consulted,
   to name that cell ("open and save the file in Excel").
3. Every sheet and table is read and checked; *all* problems are collected and
   raised together as one ``InputError``. Non-fatal findings go to ``Inputs.warnings``.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import warnings
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string

from engine import schema
from engine.errors import InputError, RefusedFile
from engine.io.cells import CellIssue, convert, describe
from engine.io.correlations import build_correlations
from engine.io.history_sheet import read_history
from engine.io.holdings import build_holdings
from engine.io.messages import Words
from engine.io.records import (
    Context,
    build_asset_classes,
    build_cashflows,
    build_fx,
    build_loans,
    build_scenarios,
    names_in,
    resolve_secured_loans,
)
from engine.io.safety import check_file
from engine.io.tables import (
    Issues,
    SheetRows,
    TableRows,
    find_header,
    find_sheet,
    header_aliases,
    header_key,
    normalise,
    read_cell,
    read_table,
    written_headers,
)
from engine.model import AssetClass, Inputs, Settings
from engine.schema import japanese

REQUIRED_SHEETS = ("Settings", "Holdings", "AssetClasses", "Loans", "Cashflows")
#: Problems are reported in the template's sheet order (stable within a sheet).
SHEET_ORDER = (
    schema.SETTINGS_SHEET,
    "Holdings",
    "FX",
    "AssetClasses",
    schema.CORRELATIONS_SHEET,
    "Loans",
    "Cashflows",
    "Scenarios",
    schema.HISTORY_SHEET,
)


class _Unreadable(Exception):
    """openpyxl could not parse part of the file (malformed or hostile XML)."""


def read_workbook(path: Path) -> Inputs:
    """Read, validate and type an input workbook.

    Raises ``RefusedFile`` for files refused before parsing (or that cannot be parsed)
    and ``InputError`` listing every problem found in the content.
    """
    path = Path(path)
    check_file(path)
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():  # notes on features never read here (extensions,
            warnings.simplefilter("ignore")  # styles): not the user's concern
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any parser failure on a user file is a refusal, not a crash
        raise RefusedFile(path.name, _unreadable_message(exc)) from None
    try:
        uncached = _uncached_formulas(data)
        return _parse(book, uncached, path, sha256)
    except _Unreadable as exc:
        raise RefusedFile(path.name, _unreadable_message(exc.__cause__ or exc)) from None
    finally:
        book.close()


def _unreadable_message(exc: BaseException) -> str:
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:  # openpyxl wraps the parser's exception
        chain.append(type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    kind = chain[-1]
    if any(word in name for name in chain for word in ("Entities", "DTD", "External")):
        return (
            "the workbook contains XML entity or DTD declarations, which Excel never writes "
            "(possible XML bomb); refused for safety. Re-save it from Excel as .xlsx"
        )
    return (
        f"the file could not be read as an Excel workbook ({kind}); open it in Excel, "
        "save it again as .xlsx and retry"
    )


# --------------------------------------------------------------------------- formulas
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE_RE = re.compile(rb"<(?:\w+:)?v\b[^>]*>([^<]+)</(?:\w+:)?v>", re.S)
_STR_TYPE_RE = re.compile(rb'\bt="str"')


def _uncached_formulas(data: bytes) -> dict[str, dict[str, str]]:
    """{sheet title: {cell: formula}} for formulas without a saved result.

    A formula Excel saved with an empty-text result carries ``t="str"`` and is fine.
    Sheet parts without any formula are skipped at the cost of a byte search.
    """
    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _sheet_parts(archive)
        for title, part in parts.items():
            try:
                xml = archive.read(part)
            except KeyError:
                continue
            if b"<f" not in xml and b":f" not in xml:
                continue
            cells: dict[str, str] = {}
            for m in _CELL_RE.finditer(xml):
                attrs, body = m.group(1), m.group(2) or b""
                formula = _FORMULA_RE.search(body)
                if formula is None or _VALUE_RE.search(body) or _STR_TYPE_RE.search(attrs):
                    continue
                ref = _REF_RE.search(attrs)
                if ref:
                    text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
                    cells[ref.group(1).decode()] = f"={text}" if text else "(a shared formula)"
            if cells:
                out[title] = cells
    return out


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: zip part name} from workbook.xml and its relationships."""
    try:
        book = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception as exc:
        raise _Unreadable() from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    out = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = str(PurePosixPath("xl") / target)
            out[el.get("name", "")] = part
    return out


# --------------------------------------------------------------------------- parse
#: openpyxl's warning for a date-formatted cell whose number no date can have; the cell
#: then reads as an error value, so its number is put back (a number column takes it,
#: a date column says "is not a date" and shows it).
_NOT_A_DATE = re.compile(r"Cell ([A-Z]+)\d+ is marked as a date but the serial value (\S+) is")


def _rows(ws):
    """Row values of a worksheet; parser failures become ``_Unreadable``."""
    try:
        ws.reset_dimensions()  # some writers store a wrong size; read what is there
        it = ws.iter_rows(values_only=True)
    except Exception as exc:  # e.g. a chart sheet where a worksheet was expected
        raise _Unreadable() from exc
    while True:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                row = next(it)
            except StopIteration:
                return
            except Exception as exc:
                raise _Unreadable() from exc
        for warning in caught:
            if match := _NOT_A_DATE.search(str(warning.message)):
                k = column_index_from_string(match[1]) - 1
                if k < len(row):
                    row = (*row[:k], float(match[2]), *row[k + 1 :])
        yield row


def _parse(book, uncached: dict[str, dict[str, str]], path: Path, sha256: str) -> Inputs:
    sheets: dict[str, SheetRows | None] = {}
    names = (
        schema.SETTINGS_SHEET,
        schema.CORRELATIONS_SHEET,
        *(t.sheet for t in schema.TABLES),
        schema.HISTORY_SHEET,
    )
    words = Words()
    for name in names:
        title = find_sheet(book.sheetnames, name)
        if title is None:
            sheets[name] = None
        else:
            sheets[name] = SheetRows(title, _rows(book[title]), uncached.get(title))
            words.found_sheet(name, title)
    words.japanese = _is_japanese(sheets)
    issues = Issues(words)
    for name in names:
        if sheets[name] is None and name in REQUIRED_SHEETS:
            issues.error(
                name,
                "",
                "",
                "the sheet is missing",
                "sheets " + ", ".join(f"'{s}'" for s in book.sheetnames),
                f"add a sheet named {name} (copy it from the template)",
            )

    settings = _read_settings(sheets["Settings"], path.stem, issues)
    base = settings.base_currency

    tables = {t.sheet: t for t in schema.TABLES}

    def table(name: str, defer=frozenset()):
        sheet = sheets[name]
        return read_table(sheet, tables[name], issues, defer) if sheet is not None else None

    classes_tr = table("AssetClasses")
    fx_tr = table("FX")
    loans_tr = table("Loans")
    holdings_tr = table("Holdings", frozenset({"price"}))
    cashflows_tr = table("Cashflows")
    scenarios_tr = table("Scenarios")

    errors_before = len(issues.problems)
    history = read_history(sheets[schema.HISTORY_SHEET], issues)
    history_ok = len(issues.problems) == errors_before
    classes = build_asset_classes(classes_tr, history, issues, history_ok)
    _check_return_model(settings, classes, issues)
    fx = build_fx(fx_tr, base, issues)
    loans = build_loans(loans_tr, issues)
    ctx = Context(
        base_currency=base,
        asset_classes=names_in(classes_tr, "name"),
        fx={f.currency: f for f in fx} if sheets["FX"] is not None else None,
        loans=names_in(loans_tr, "name", "type"),
        example_currency=_example_key(fx_tr),
        example_loan=_example_key(loans_tr),
        fx_unreadable=sheets["FX"] is not None and fx_tr is None,
    )
    holdings = build_holdings(holdings_tr, ctx, issues)
    class_by_name = {c.name: c for c in classes}
    if all(h.asset_class in class_by_name for h in holdings):
        loans = resolve_secured_loans(loans_tr, loans, holdings, class_by_name, issues)
    cashflows = build_cashflows(cashflows_tr, settings.valuation_date.year, issues)
    scenarios = build_scenarios(scenarios_tr, issues)
    labels = [c.name for c in classes] + [f"FX:{f.currency}" for f in fx]
    correlations = build_correlations(sheets["Correlations"], labels, issues)

    if issues.problems:
        order = {normalise(name): k for k, name in enumerate(SHEET_ORDER)}
        order.update({normalise(words.sheet(name)): k for k, name in enumerate(SHEET_ORDER)})
        problems = sorted(issues.problems, key=lambda p: order.get(normalise(p.sheet), 99))
        raise InputError(problems)
    return Inputs(
        settings=settings,
        holdings=tuple(holdings),
        asset_classes=tuple(classes),
        fx=tuple(fx),
        correlations=correlations,
        loans=tuple(loans),
        cashflows=tuple(cashflows),
        scenarios=tuple(scenarios),
        source_name=path.name,
        source_sha256=sha256,
        warnings=tuple(issues.warnings),
        history=history,
    )


def _example_key(tr: TableRows | None) -> str | None:
    """The key of the template's untouched example row left on a table, if any."""
    if tr is None or tr.example_name is None:
        return None
    return str(tr.example_name).upper() if tr.table.key == "Currency" else tr.example_name


def _check_return_model(settings: Settings, classes: list[AssetClass], issues: Issues) -> None:
    """Historical returns with no class naming a History series: every class returns 0."""
    if settings.return_model != "Historical" or not classes:
        return
    if any(c.history_series for c in classes if not c.is_cash):
        return
    issues.warn(
        schema.SETTINGS_SHEET,
        "",
        "Return model",
        "is Historical but no asset class names a History series, so every class returns 0",
        "Historical",
        f"fill in AssetClasses › History series (a History column, or '{schema.US_STOCKS}')",
    )


# --------------------------------------------------------------------------- language
SETTINGS_HEADER = ["Setting", "Value"]


def _is_japanese(sheets: dict[str, SheetRows | None]) -> bool:
    """The workbook's language (SPEC §5): its Settings › Language when that can be read,
    else Japanese when its sheets have Japanese names."""
    settings = sheets[schema.SETTINGS_SHEET]
    if settings is not None:
        aliases = header_aliases(schema.SETTINGS_SHEET, SETTINGS_HEADER)
        header_row, index, _ = find_header(settings, SETTINGS_HEADER, aliases=aliases)
        column = next(c for c in schema.SETTINGS if c.attr == "language")
        spellings = {normalise(column.name), normalise(_japanese_name(column.name))}
        if header_row is not None:
            name_j, value_j = index["setting"], index["value"]
            for r in range(header_row + 1, settings.last_row() + 1):
                raw = settings.row(r)
                name = raw[name_j] if name_j < len(raw) else None
                if name is not None and normalise(name) in spellings:
                    value = convert(column, raw[value_j] if value_j < len(raw) else None)
                    if isinstance(value, str):
                        return value == "日本語"
                    break
    return any(
        sheet is not None and normalise(sheet.title) == normalise(japanese.sheet_name(name, True))
        for name, sheet in sheets.items()
    )


def _japanese_name(setting: str) -> str:
    return japanese.column_name(schema.SETTINGS_SHEET, setting, True)


# --------------------------------------------------------------------------- settings
def _read_settings(sheet: SheetRows | None, stem: str, issues: Issues) -> Settings:
    """The Settings sheet (``Setting`` / ``Value`` rows) with defaults resolved."""
    values: dict[str, Any] = {}
    if sheet is not None:
        values = _setting_values(sheet, issues)
    resolved = {c.attr: c.default for c in schema.SETTINGS if c.default is not None}
    resolved.update({k: v for k, v in values.items() if v is not None})
    resolved.setdefault("portfolio_name", stem)
    resolved.setdefault("valuation_date", date.today())
    resolved.setdefault("fire_age", resolved["current_age"])
    if resolved["fire_age"] < resolved["current_age"]:
        issues.warn(
            schema.SETTINGS_SHEET,
            "",
            "FIRE age",
            "is below the Current age: income marked 'Stops at FIRE' has already stopped",
            f"{resolved['fire_age']} (current age {resolved['current_age']})",
            "check both ages",
        )
    return Settings(**resolved)


def _setting_values(sheet: SheetRows, issues: Issues) -> dict[str, Any]:
    aliases = header_aliases(schema.SETTINGS_SHEET, SETTINGS_HEADER)
    header_row, index, missing = find_header(sheet, SETTINGS_HEADER, aliases=aliases)
    if header_row is None:
        issues.error(
            sheet.title,
            "",
            "",
            f"no header row found in the first {schema.HEADER_SEARCH_ROWS} rows",
            "no row holding " + ", ".join(f"'{m}'" for m in missing),
            "add a header row with Setting and Value (see the template)",
        )
        return {}
    written = written_headers(sheet, header_row, aliases)
    issues.words.found_header(sheet.title, "Setting", written[header_key("Setting")])
    by_name = {normalise(c.name): c for c in schema.SETTINGS}
    by_name.update({normalise(_japanese_name(c.name)): c for c in schema.SETTINGS})
    name_j, value_j = index["setting"], index["value"]
    name_letter = openpyxl.utils.get_column_letter(name_j + 1)
    value_letter = openpyxl.utils.get_column_letter(value_j + 1)
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for r in range(header_row + 1, sheet.last_row() + 1):
        raw = sheet.row(r)
        name = raw[name_j] if name_j < len(raw) else None
        value = raw[value_j] if value_j < len(raw) else None
        if name is None or str(name).strip() == "":
            continue  # a blank row (or a value without a setting name)
        column = by_name.get(normalise(name))
        if column is None:
            issues.warn(
                sheet.title,
                f"{name_letter}{r}",
                "Setting",
                "unknown setting, ignored",
                describe(name),
                "check the spelling against the template",
            )
            continue
        if column.attr in seen:
            issues.error(
                sheet.title,
                f"{name_letter}{r}",
                "Setting",
                "the setting appears twice",
                f"{describe(name)} (also in row {seen[column.attr]})",
                "keep one row per setting",
            )
            continue
        seen[column.attr] = r
        issues.words.found_header(sheet.title, column.name, " ".join(str(name).split()))
        typed = read_cell(sheet, f"{value_letter}{r}", column, value, issues, column.name)
        if not isinstance(typed, CellIssue):
            values[column.attr] = typed
    return values
