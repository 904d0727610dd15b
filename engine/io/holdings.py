"""Holdings rows → ``Holding`` records: defaults and cross-references (SPEC §2).

Defaults: Currency blank = base; Price blank for a Cash holding = 1; Account Taxable;
Role Core; Dividend policy Fixed if a dividend is paid, else None; ``fx_rate`` from
the FX sheet (1 for the base currency). Cross-checks: the asset class exists, the
currency has an FX row, ``Pledged to`` names a Securities-backed loan, NISA holdings
are not pledged, and DOE / Payout holdings carry the figures their policy needs.
"""

from __future__ import annotations

from engine.io.records import Context, check_unique
from engine.io.tables import Issues, Row, TableRows, normalise
from engine.model import Holding

#: The figures each dividend policy needs (attribute, column name).
POLICY_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "DOE": (("bvps", "Book value per share"), ("doe", "DOE"), ("roe", "ROE")),
    "Payout": (("bvps", "Book value per share"), ("roe", "ROE"), ("payout_ratio", "Payout ratio")),
}


def build_holdings(tr: TableRows | None, ctx: Context, issues: Issues) -> list[Holding]:
    if tr is None:
        return []
    check_unique(tr, "name", issues, "Name")
    out = []
    for row in tr.rows:
        holding = _build_one(tr, row, ctx, issues)
        if holding is not None:
            out.append(holding)
    return out


def _build_one(tr: TableRows, row: Row, ctx: Context, issues: Issues) -> Holding | None:
    v = row.values
    sheet = tr.sheet
    asset_class, is_cash = _asset_class(tr, row, ctx, issues)
    currency = v.get("currency") or ctx.base_currency
    fx_rate = _fx_rate(tr, row, currency, ctx, issues)

    price = v.get("price")
    if price is None and "price" not in row.invalid:
        if is_cash:
            price = 1.0
        elif asset_class is not None or "asset_class" in row.invalid or v.get("asset_class"):
            issues.error(
                sheet,
                row.cell("price"),
                "Price",
                "is required but blank",
                "an empty cell",
                "enter the price per unit (only Cash rows may leave it blank)",
            )

    account = row.get("account", "Taxable")
    pledged_to = _pledged_to(tr, row, account, ctx, issues)

    dps = row.get("dps", 0.0)
    policy = v.get("dividend_policy")
    if policy is None:
        policy = "Fixed" if dps > 0 else "None"
    for attr, name in POLICY_NEEDS.get(policy, ()):
        if v.get(attr) is None and attr not in row.invalid:
            issues.error(
                sheet,
                row.cell(attr),
                name,
                f"is required for the {policy} dividend policy",
                "an empty cell" if tr.has(attr) else f"no '{name}' column",
                f"enter the {name}, or choose another Dividend policy",
            )

    needed = (v.get("name"), asset_class, v.get("quantity"), price, fx_rate)
    if any(x is None for x in needed):
        return None
    return Holding(
        name=v["name"],
        asset_class=asset_class,
        quantity=v["quantity"],
        price=price,
        currency=currency,
        fx_rate=fx_rate,
        ticker=row.get("ticker", ""),
        account=account,
        pledged_to=pledged_to,
        role=row.get("role", "Core"),
        dps=dps,
        dividend_policy=policy,
        bvps=v.get("bvps"),
        doe=v.get("doe"),
        roe=v.get("roe"),
        payout_ratio=v.get("payout_ratio"),
        dividend_growth=row.get("dividend_growth", 0.0),
        withholding=row.get("withholding", 0.0),
        row=row.number,
    )


def _asset_class(tr: TableRows, row: Row, ctx: Context, issues: Issues) -> tuple[str | None, bool]:
    """(canonical class name or None, is it Cash)."""
    given = row.values.get("asset_class")
    if given is None:
        return None, False
    if ctx.asset_classes is None:  # AssetClasses unusable: reported there
        return None, normalise(given) == "cash"
    name = ctx.asset_classes.get(normalise(given))
    if name is None:
        names = ", ".join(ctx.asset_classes.values())
        issues.error(
            tr.sheet,
            row.cell("asset_class"),
            "Asset class",
            "is not an asset class on the AssetClasses sheet",
            f"'{given}'",
            f"use one of {names}, or add a row to AssetClasses",
        )
        return None, normalise(given) == "cash"
    return name, normalise(name) == "cash"


def _fx_rate(tr: TableRows, row: Row, currency: str, ctx: Context, issues: Issues) -> float | None:
    if currency == ctx.base_currency:
        return 1.0
    if "currency" in row.invalid:
        return None
    rate = ctx.fx.get(currency) if ctx.fx is not None else None
    if rate is not None:
        return rate.rate
    fix = (
        f"add an FX sheet with a {currency} row (Currency, Rate)"
        if ctx.fx is None
        else f"add a {currency} row to the FX sheet"
    )
    issues.error(
        tr.sheet,
        row.cell("currency"),
        "Currency",
        f"has no exchange rate into the base currency {ctx.base_currency}",
        f"'{currency}'",
        fix,
    )
    return None


def _pledged_to(tr: TableRows, row: Row, account: str, ctx: Context, issues: Issues) -> str | None:
    given = row.values.get("pledged_to")
    if given is None:
        return None
    cell = row.cell("pledged_to")
    if account == "NISA":
        issues.error(
            tr.sheet,
            cell,
            "Pledged to",
            "a NISA holding cannot be pledged as collateral",
            f"'{given}' on a NISA holding",
            "clear Pledged to, or set Account to Taxable",
        )
    if ctx.loans is None:
        return given
    entry = ctx.loans.get(normalise(given))
    if entry is None:
        names = ", ".join(n for n, t in ctx.loans.values() if t == "Securities-backed")
        issues.error(
            tr.sheet,
            cell,
            "Pledged to",
            "is not a loan on the Loans sheet",
            f"'{given}'",
            f"use the Name of a Securities-backed loan ({names or 'none yet'}) or leave it blank",
        )
        return None
    name, loan_type = entry
    if loan_type is not None and loan_type != "Securities-backed":
        issues.error(
            tr.sheet,
            cell,
            "Pledged to",
            f"names a loan of type {loan_type}; only Securities-backed loans take collateral",
            f"'{given}' ({loan_type})",
            "clear Pledged to, or pledge the holding to a Securities-backed loan",
        )
        return None
    return name
