"""The headline figures of a run: what the history store keeps per run and the Dashboard's
trend reads back (one definition for both)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Headline figures stored per run: column → path into the summary dict.
HEADLINES: dict[str, tuple[str, ...]] = {
    "net_worth": ("balance_sheet", "net_worth"),
    "total_assets": ("balance_sheet", "total_assets"),
    "total_loans": ("balance_sheet", "total_loans"),
    "cash": ("balance_sheet", "cash"),
    "funded_ratio": ("balance_sheet", "funded_ratio"),
    "dividends_net": ("balance_sheet", "dividends_net"),
    "spread": ("balance_sheet", "spread"),
    "runway_months": ("balance_sheet", "runway_months"),
    "max_ltv": (),  # derived: the highest LTV among the loans
    "survivable_drawdown": ("stress", "defended_breaking_point"),
    "recommended_line_limit": ("defense", "recommended_line_limit"),
    "coverage": (),  # derived: year-1 dividend coverage of the snowball
    "crossover_year": ("snowball", "crossover_year"),
    "fire_probability": ("monte_carlo", "success_probability"),
    "max_safe_monthly_spending": ("monte_carlo", "max_safe_monthly_spending"),
    "verdict": ("dashboard", "verdict"),
    "status": ("dashboard", "status"),
}
TEXT_HEADLINES = {"verdict", "status"}


def dig(summary: Mapping[str, Any], path: Sequence[str]) -> Any:
    """The value at ``path`` in nested mappings, or None where a key is missing."""
    node: Any = summary
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def headline_figures(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The headline figures of a summary dict (None where the analysis did not run)."""
    out = {name: dig(summary, path) if path else None for name, path in HEADLINES.items()}
    ltvs = [
        loan.get("ltv")
        for loan in (dig(summary, ("balance_sheet", "loans")) or [])
        if isinstance(loan, Mapping) and isinstance(loan.get("ltv"), (int, float))
    ]
    out["max_ltv"] = max(ltvs) if ltvs else None
    years = dig(summary, ("snowball", "years")) or []
    if years and isinstance(years[0], Mapping):
        out["coverage"] = years[0].get("coverage")
    for name, value in out.items():
        if name in TEXT_HEADLINES:
            out[name] = None if value is None else str(value)
        else:
            out[name] = number(value)
    return out


def number(value: Any) -> float | None:
    """A finite float, or None (text, booleans, NaN and infinities are not figures)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None
