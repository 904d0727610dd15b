"""Table rows → model records, with defaults resolved and cross-references checked.

Each ``build_*`` takes the rows read by ``engine.io.tables.read_table`` (or ``None``
when the sheet is missing or unreadable), reports problems to ``issues`` and returns
the records it could build. The reader only uses them when no problem was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from engine.io.cells import number_text, percent_text
from engine.io.tables import Issues, Row, TableRows, normalise
from engine.model import AssetClass, Cashflow, FxRate, History, Holding, Loan, Scenario
from engine.schema import HISTORY_SHEET, US_STOCKS

DEFAULT_FREEZE_LTV = 0.60


@dataclass(frozen=True)
class Context:
    """What cross-checks need to know about the other sheets (``None`` = unknown)."""

    base_currency: str
    asset_classes: Mapping[str, str] | None  # normalised name -> canonical name
    fx: Mapping[str, FxRate] | None  # currency -> rate (None: no FX sheet)
    loans: Mapping[str, tuple[str, str | None]] | None  # normalised name -> (name, type)
    #: The keys of the template's untouched example rows still on FX and Loans (not
    #: read): a reference to one gets a hint.
    example_currency: str | None = None
    example_loan: str | None = None
    #: The FX sheet is there but its table could not be read (reported there).
    fx_unreadable: bool = False


def check_unique(tr: TableRows, attr: str, issues: Issues, label: str) -> None:
    """Duplicate names (case-insensitive) are an error at the later row."""
    seen: dict[str, int] = {}
    for row in tr.rows:
        value = row.values.get(attr)
        if value is None:
            continue
        key = normalise(value)
        if key in seen:
            issues.error(
                tr.sheet,
                row.cell(attr),
                label,
                "duplicate name",
                f"'{value}' (also in row {seen[key]})",
                "give each row a different name",
            )
        else:
            seen[key] = row.number


def names_in(tr: TableRows | None, attr: str, other: str | None = None) -> dict | None:
    """Normalised name -> canonical name (or (name, ``other`` value)) of a table's rows."""
    if tr is None:
        return None
    out: dict = {}
    for row in tr.rows:
        name = row.values.get(attr)
        if name is not None:
            out.setdefault(
                normalise(name), name if other is None else (name, row.values.get(other))
            )
    return out


def _complete(row: Row, attrs: tuple[str, ...]) -> bool:
    return all(row.values.get(a) is not None for a in attrs)


# --------------------------------------------------------------------------- simple tables
def build_asset_classes(
    tr: TableRows | None, history: History | None, issues: Issues, history_ok: bool = True
) -> list[AssetClass]:
    """Asset classes; Dividend beta blank = 0; History series checked against History
    (not when the History sheet itself has problems: those are reported there)."""
    if tr is None:
        return []
    check_unique(tr, "name", issues, "Asset class")
    out = []
    for row in tr.rows:
        attrs = ("name", "expected_return", "volatility", "stress_beta")
        attrs += ("crisis_dividend_cut", "advance_rate")
        series = _history_series(tr, row, history, issues) if history_ok else None
        if _complete(row, attrs):
            out.append(
                AssetClass(
                    *(row.values[a] for a in attrs),
                    dividend_beta=row.get("dividend_beta", 0.0),
                    history_series=series,
                )
            )
    return out


def _history_series(tr: TableRows, row: Row, history: History | None, issues) -> str | None:
    """The canonical History series a class names: a History column (case-insensitive,
    the header's spelling kept), else the bundled US stocks; None if blank or unknown."""
    given = row.values.get("history_series")
    if given is None:
        return None
    names = history.names if history is not None else ()
    for name in names:
        if normalise(name) == normalise(given):
            return name
    if normalise(given) == normalise(US_STOCKS):
        return US_STOCKS
    columns = ", ".join(f"'{n}'" for n in names if n)
    issues.error(
        tr.sheet,
        row.cell("history_series"),
        "History series",
        "names no column of the History sheet",
        f"'{given}'" + (f" (History has {columns})" if columns else " (no History data)"),
        f"use a column header of the {HISTORY_SHEET} sheet, or '{US_STOCKS}' for the bundled "
        "series, or leave it blank",
    )
    return None


def build_fx(tr: TableRows | None, base_currency: str, issues: Issues) -> list[FxRate]:
    if tr is None:
        return []
    check_unique(tr, "currency", issues, "Currency")
    out = []
    for row in tr.rows:
        if not _complete(row, ("currency", "rate")):
            continue
        if row.values["currency"] == base_currency:
            if row.values["rate"] != 1:
                issues.warn(
                    tr.sheet,
                    row.cell("currency"),
                    "Currency",
                    "a rate for the base currency is ignored (it is always 1)",
                    f"{base_currency} at {number_text(row.values['rate'])}",
                    "delete the row",
                )
            continue
        out.append(
            FxRate(
                row.values["currency"],
                row.values["rate"],
                row.get("volatility", 0.10),
                row.get("expected_change", 0.0),
                notes=row.get("notes", ""),
            )
        )
    return out


def build_scenarios(tr: TableRows | None, issues: Issues) -> list[Scenario]:
    if tr is None:
        return []
    check_unique(tr, "name", issues, "Name")
    out = []
    for row in tr.rows:
        if not _complete(row, ("name", "equity_drawdown", "months_to_trough")):
            continue
        out.append(
            Scenario(
                name=row.values["name"],
                equity_drawdown=row.values["equity_drawdown"],
                months_to_trough=row.values["months_to_trough"],
                fx_change=row.get("fx_change", 0.0),
                dividend_cut=row.get("dividend_cut", 0.0),
                rate_shock=row.get("rate_shock", 0.0),
                line_limit_cut=row.get("line_limit_cut", 0.0),
                months_to_recover=row.get("months_to_recover", 0),
                row=row.number,
            )
        )
    return out


def build_cashflows(tr: TableRows | None, valuation_year: int, issues: Issues) -> list[Cashflow]:
    if tr is None:
        return []
    check_unique(tr, "name", issues, "Name")
    out = []
    for row in tr.rows:
        start, end = row.values.get("start_year"), row.values.get("end_year")
        if start is not None and end is not None and end < start:
            issues.error(
                tr.sheet,
                row.cell("end_year"),
                "End year",
                "is before the Start year",
                f"{end} (start {start})",
                "make End year the same as or later than Start year",
            )
            continue
        if end is not None and end < valuation_year:
            issues.warn(
                tr.sheet,
                row.cell("end_year"),
                "End year",
                "ends before the valuation year, so the row has no effect",
                str(end),
                "delete the row or correct the year",
            )
        if not _complete(row, ("name", "type", "amount", "frequency")):
            continue
        is_expense = row.values["type"] == "Expense"
        out.append(
            Cashflow(
                name=row.values["name"],
                type=row.values["type"],
                amount=row.values["amount"],
                frequency=row.values["frequency"],
                start_year=start,
                end_year=end,
                inflation_linked=row.get("inflation_linked", is_expense),
                growth=row.get("growth", 0.0),
                stops_at_fire=row.get("stops_at_fire", False),
                notes=row.get("notes", ""),
                row=row.number,
            )
        )
    return out


# --------------------------------------------------------------------------- loans
def build_loans(tr: TableRows | None, issues: Issues) -> list[Loan]:
    """Loans with Limit defaulted; Freeze LTV is resolved later (needs the collateral)."""
    if tr is None:
        return []
    check_unique(tr, "name", issues, "Name")
    out = []
    for row in tr.rows:
        if not _complete(row, ("name", "type", "balance", "interest_rate")):
            continue
        balance = row.values["balance"]
        limit = row.values.get("limit")
        if limit is None:
            limit = balance
        elif limit < balance:
            issues.error(
                tr.sheet,
                row.cell("limit"),
                "Limit",
                "is below the Balance",
                f"{number_text(limit)} (balance {number_text(balance)})",
                "raise Limit to at least the balance, or leave it blank (= balance)",
            )
        out.append(
            Loan(
                name=row.values["name"],
                type=row.values["type"],
                balance=balance,
                limit=limit,
                interest_rate=row.values["interest_rate"],
                commitment_fee=row.get("commitment_fee", 0.0),
                advance_rate=row.values.get("advance_rate"),
                freeze_ltv=row.values.get("freeze_ltv"),
                margin_call_ltv=row.values.get("margin_call_ltv"),
                liquidation_ltv=row.get("liquidation_ltv", 0.85),
                forced_sale=row.get("forced_sale", "All"),
                monthly_payment=row.get("monthly_payment", 0.0),
                crisis_limit_cut=row.get("crisis_limit_cut", 0.0),
                rate_type=row.values.get("rate_type"),  # None: Fixed if Amortizing, else Floating
                notes=row.get("notes", ""),
                row=row.number,
            )
        )
    return out


def resolve_secured_loans(
    tr: TableRows | None,
    loans: list[Loan],
    holdings: list[Holding],
    classes: Mapping[str, AssetClass],
    issues: Issues,
) -> list[Loan]:
    """Default each secured loan's Freeze LTV and check Freeze ≤ Call ≤ Liquidation."""
    out = []
    rows = {row.number: row for row in tr.rows} if tr is not None else {}
    for loan in loans:
        if not loan.is_secured:
            out.append(loan)
            continue
        row = rows.get(loan.row)
        freeze = loan.freeze_ltv
        defaulted = freeze is None
        if defaulted:
            freeze = _collateral_advance_rate(loan, holdings, classes)
        cell = row.cell("name") if row is not None else f"A{loan.row}"
        _warn_if_no_collateral(tr, cell, loan, holdings, defaulted, issues)
        loan = replace(loan, freeze_ltv=freeze)
        thresholds = {"freeze_ltv", "margin_call_ltv", "liquidation_ltv"}
        if row is not None and not thresholds & row.invalid:
            _check_thresholds(tr, row, loan, defaulted, issues)
        out.append(loan)
    return out


def _collateral_advance_rate(loan: Loan, holdings, classes) -> float:
    """Value-weighted advance rate of the loan's collateral (SPEC §2 Freeze LTV default)."""
    pledged = [h for h in holdings if h.pledged_to == loan.name]
    value = sum(h.market_value for h in pledged)
    if value > 0:
        weighted = sum(
            h.market_value
            * (
                loan.advance_rate
                if loan.advance_rate is not None
                else classes[h.asset_class].advance_rate
            )
            for h in pledged
        )
        return weighted / value
    return loan.advance_rate if loan.advance_rate is not None else DEFAULT_FREEZE_LTV


def _warn_if_no_collateral(tr, cell, loan, holdings, defaulted_freeze, issues) -> None:
    if sum(h.market_value for h in holdings if h.pledged_to == loan.name) > 0:
        return
    note = ""
    if defaulted_freeze and loan.advance_rate is None:
        note = f"; Freeze LTV taken as {percent_text(DEFAULT_FREEZE_LTV)}"
    issues.warn(
        tr.sheet if tr is not None else "Loans",
        cell,
        "Name",
        "no holding is pledged to this Securities-backed loan, so it has no collateral" + note,
        f"'{loan.name}'",
        "name it in Holdings › Pledged to for the holdings that secure it",
    )


def _check_thresholds(tr: TableRows, row: Row, loan: Loan, defaulted: bool, issues) -> None:
    steps = [("freeze_ltv", "Freeze LTV", loan.freeze_ltv)]
    if loan.margin_call_ltv is not None:
        steps.append(("margin_call_ltv", "Margin call LTV", loan.margin_call_ltv))
    steps.append(("liquidation_ltv", "Liquidation LTV", loan.liquidation_ltv))
    for (_, low_name, low), (attr, name, high) in zip(steps, steps[1:], strict=False):
        if high < low:
            note = (
                " (the default: the collateral's advance rate)"
                if defaulted and low_name == "Freeze LTV"
                else ""
            )
            issues.error(
                tr.sheet,
                row.cell(attr),
                name,
                f"is below the {low_name} {percent_text(low)}{note}",
                percent_text(high),
                "thresholds must rise: Freeze LTV ≤ Margin call LTV ≤ Liquidation LTV",
            )
