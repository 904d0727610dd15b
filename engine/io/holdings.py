"""Holdings rows → ``Holding`` records: defaults and cross-references (SPEC §2).

Defaults: Currency blank = base; Price blank for a Cash holding = 1; Account Taxable;
Role Core; Dividend policy Fixed if a dividend is paid, else None; ``fx_rate`` from
the FX sheet (1 for the base currency); Dividend per share blank for a DOE holding =
DOE × BVPS, for a Payout holding = payout × ROE × BVPS (never below 0), so that every
analysis pays the same policy dividend; Cost basis blank = the Price (no gain), with
one warning listing the Taxable non-cash holdings concerned (NISA sales are not taxed,
cash has no gain). Cross-checks: the asset class exists, the currency has an FX row,
``Pledged to`` names a Securities-backed loan, NISA holdings are not pledged, a pledged
Cash row is warned about, and DOE / Payout holdings carry the figures their policy
needs.
"""

from __future__ import annotations

from engine.io.records import Context, check_unique
from engine.io.tables import Issues, Row, TableRows, normalise
from engine.model import Holding
from engine.schema import is_cash_class

#: How many names the blank-Cost-basis warning lists before "and N more".
LISTED_NAMES = 10

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
    no_cost_basis: list[str] = []
    for row in tr.rows:
        holding = _build_one(tr, row, ctx, issues)
        if holding is None:
            continue
        out.append(holding)
        cash = ctx.asset_classes is not None and is_cash_class(holding.asset_class)
        if row.values.get("cost_basis") is None and not cash and not holding.is_nisa:
            no_cost_basis.append(holding.name)
    if no_cost_basis:
        _warn_no_cost_basis(tr, no_cost_basis, issues)
    return out


def _warn_no_cost_basis(tr: TableRows, names: list[str], issues: Issues) -> None:
    """One warning for every Taxable holding whose Cost basis was left blank."""
    listed = ", ".join(names[:LISTED_NAMES])
    if len(names) > LISTED_NAMES:
        listed += f" and {len(names) - LISTED_NAMES} more"
    n = len(names)
    issues.warn(
        tr.sheet,
        "",
        "Cost basis",
        f"capital-gains tax assumed zero for {n} holding{'s' * (n != 1)} (blank Cost basis): "
        + listed,
        "",
        "enter each holding's average acquisition cost per unit so sales are taxed on the gain",
    )


def policy_dps(policy: str, bvps, doe, roe, payout_ratio) -> float | None:
    """This year's dividend per share as the policy says (SPEC §2, §4 A4).

    DOE: DOE × BVPS. Payout: payout × ROE × BVPS (EPS = ROE × BVPS; none on a loss).

    >>> policy_dps("Payout", 2_000, None, 0.10, 0.50)  # 0.50 × 0.10 × 2,000
    100.0
    """
    if policy == "DOE" and None not in (bvps, doe):
        return doe * bvps
    if policy == "Payout" and None not in (bvps, roe, payout_ratio):
        return max(0.0, payout_ratio * roe * bvps)
    return None


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
    if pledged_to is not None and is_cash:
        issues.warn(
            sheet,
            row.cell("pledged_to"),
            "Pledged to",
            "a Cash holding pledged to a loan counts as its collateral: it moves the LTV, "
            "and it is not counted in your cash",
            f"'{v.get('name')}' pledged to '{pledged_to}'",
            "clear Pledged to unless the lender really holds this cash as collateral",
        )

    dps = v.get("dps")
    policy = v.get("dividend_policy")
    if policy is None:
        policy = "Fixed" if dps is not None and dps > 0 else "None"
    if dps is None and "dps" not in row.invalid:
        dps = policy_dps(policy, v.get("bvps"), v.get("doe"), v.get("roe"), v.get("payout_ratio"))
    if dps is None:
        dps = 0.0
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
        cost_basis=v.get("cost_basis"),  # None: the price (no gain)
        notes=row.get("notes", ""),
        row=row.number,
    )


def _asset_class(tr: TableRows, row: Row, ctx: Context, issues: Issues) -> tuple[str | None, bool]:
    """(canonical class name or None, is it Cash)."""
    given = row.values.get("asset_class")
    if given is None:
        return None, False
    if ctx.asset_classes is None:  # AssetClasses unusable: reported there
        return None, is_cash_class(given)
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
        return None, is_cash_class(given)
    return name, is_cash_class(name)


def _fx_rate(tr: TableRows, row: Row, currency: str, ctx: Context, issues: Issues) -> float | None:
    if currency == ctx.base_currency:
        return 1.0
    if "currency" in row.invalid or ctx.fx_unreadable:
        return None
    rate = ctx.fx.get(currency) if ctx.fx is not None else None
    if rate is not None:
        return rate.rate
    fix = (
        f"add an FX sheet with a {currency} row (Currency, Rate)"
        if ctx.fx is None
        else f"add a {currency} row to the FX sheet"
    )
    if ctx.example_currency == currency:
        fix = (
            f"the {currency} row on the FX sheet is the template's greyed example, not read "
            "while unchanged: type today's rate over it"
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
        fix = f"use the Name of a Securities-backed loan ({names or 'none yet'}) or leave it blank"
        if ctx.example_loan is not None and normalise(ctx.example_loan) == normalise(given):
            fix = (
                "that is the template's greyed example row on Loans, not read while "
                "unchanged: type your own loan over it, then pledge to its name"
            )
        issues.error(
            tr.sheet, cell, "Pledged to", "is not a loan on the Loans sheet", f"'{given}'", fix
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
