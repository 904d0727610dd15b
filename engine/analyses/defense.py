"""A3 Layered defense (SPEC §4 A3): the cheapest cure per drawdown, and which line to hold.

Two results:

1. **Cure plan per ladder level** (``engine.analyses.cure_plan``): the linear program
   that brings every secured loan back to its freeze LTV (or keeps it standing below
   liquidation) at the least annual carrying cost.
2. **Structure comparison**: the survivable drawdown (``exposure.survivable_drawdown``,
   the same function as A2's defended breaking point) and the annual standby cost
   (Σ commitment fee × undrawn limit) of

   - ``current``: the loans as they are;
   - ``no_line``: the unsecured lines removed;
   - ``correlated``: the same total credit against the same collateral — every line's
     limit (and any drawn balance) moved onto the largest secured loan, the lines
     removed. An undrawn secured limit adds no defense (drawing stops at freeze, just
     when it is needed), so this can never survive deeper than ``current``;
   - ``recommended``: the smallest unsecured limit L* with which the target drawdown
     D is survivable. Survival at D is Σ minimum need(D) ≤ S₀(D) + K, with S₀ the
     sources without a line and K = L·(1 − crisis cut) − drawn the line's capacity, so

         L* = (max(0, need(D) − S₀(D)) + drawn) / (1 − crisis cut),

     rounded up to the yen and confirmed with ``Exposure.survives`` (one yen less
     fails). The line takes the terms of the largest current line; with no line, a
     commitment fee of ``DEFAULT_COMMITMENT_FEE`` is assumed and said so. None when no
     line can help (a 100% crisis cut).

The picture of the key insight — liquidity by drawdown, correlated (secured headroom)
versus orthogonal (cash + lines) — is A2's (``prior["stress"].liquidity``), passed
through for the sheet, never recomputed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from engine.analyses.cure_plan import SURVIVING, CureBook, CurePlan
from engine.analyses.words import money_words
from engine.i18n import T
from engine.jsonable import jsonable
from engine.model import Inputs, Loan
from engine.model.exposure import Exposure, ladder_levels, survivable_drawdown, zone

#: Commitment fee assumed for a recommended line when the workbook has none (0.25%/yr of
#: the undrawn limit, a typical Japanese bank commitment-line fee).
DEFAULT_COMMITMENT_FEE = 0.0025
RECOMMENDED_LINE_NAME = "Recommended standby line"

STRUCTURE_NAMES = {
    "current": "Current structure",
    "no_line": "No standby line",
    "correlated": "Same credit against the same collateral",
    "recommended": "Recommended standby line",
}


@dataclass(frozen=True)
class DefenseResult:
    currency: str
    target_drawdown: float
    selling_cost: float
    loan_names: tuple[str, ...]  # secured loans
    line_names: tuple[str, ...]
    plans: tuple[CurePlan, ...]  # one per ladder level
    plan_table: pd.DataFrame  # the sheet's plan table, one row per level
    target_plan: CurePlan  # the plan at the target drawdown
    structures: (
        pd.DataFrame
    )  # key, name, line_limit, survivable_drawdown, annual_standby_cost, note
    current_survivable_drawdown: float
    recommended_line_limit: float | None
    recommended_line_cost: float | None  # commitment fee a year on the recommended line
    recommended_fee: float
    fee_assumed: bool
    current_line_limit: float
    recommendation: str  # one sentence for a non-expert
    notes: tuple[str, ...]
    liquidity: pd.DataFrame | None  # A2's drawdown/correlated/orthogonal (None without A2)


# ---------------------------------------------------------------- structures
def standby_cost(loans: tuple[Loan, ...]) -> float:
    """Annual standby cost: Σ commitment fee × undrawn limit."""
    return float(sum(loan.annual_commitment_fee for loan in loans))


def without_lines(inputs: Inputs) -> tuple[Loan, ...]:
    return tuple(loan for loan in inputs.loans if not loan.is_line)


def correlated_loans(inputs: Inputs) -> tuple[Loan, ...]:
    """Every line's limit and drawn balance moved onto the largest secured loan."""
    secured = inputs.secured_loans
    if not secured or not inputs.lines:
        return inputs.loans
    largest = max(secured, key=lambda loan: loan.limit)
    moved = replace(
        largest,
        limit=largest.limit + sum(line.limit for line in inputs.lines),
        balance=largest.balance + sum(line.balance for line in inputs.lines),
    )
    return tuple(moved if loan is largest else loan for loan in without_lines(inputs))


def line_template(inputs: Inputs) -> tuple[Loan, bool]:
    """The terms of a recommended line: the largest current line's, or assumed ones."""
    if inputs.lines:
        largest = max(inputs.lines, key=lambda loan: loan.limit)
        return replace(largest, name=RECOMMENDED_LINE_NAME), False
    rate = max((loan.interest_rate for loan in inputs.loans), default=0.0)
    assumed = Loan(
        name=RECOMMENDED_LINE_NAME,
        type="Unsecured line",
        balance=0.0,
        limit=0.0,
        interest_rate=rate,
        commitment_fee=DEFAULT_COMMITMENT_FEE,
    )
    return assumed, True


def with_line_limit(inputs: Inputs, limit: float, template: Loan) -> Inputs:
    """The loans with every line replaced by one line of ``limit`` (keeping what is drawn)."""
    drawn = sum(loan.balance for loan in inputs.lines)
    line = replace(template, limit=max(float(limit), drawn), balance=drawn)
    return inputs.with_loans((*without_lines(inputs), line))


def recommended_line_limit(inputs: Inputs, target: float, template: Loan) -> float | None:
    """Smallest whole-yen line limit with which ``target`` is survivable (None: none is)."""
    drawn = float(sum(loan.balance for loan in inputs.lines))
    cut = template.crisis_limit_cut
    base = Exposure.from_inputs(inputs.with_loans(without_lines(inputs)))
    missing = float(base.minimum_need(target).sum()) - base.defense_sources(target)
    if missing <= 0:
        return drawn
    if cut >= 1.0:
        return None

    def survives(limit: float) -> bool:
        return Exposure.from_inputs(with_line_limit(inputs, limit, template)).survives(target)

    limit = float(math.ceil((missing + drawn) / (1.0 - cut)))
    # The closed form is exact up to rounding; settle the last yen against the definition.
    # Past 2**53 a float cannot step by one yen: step by the smallest amount it can, and
    # take a bounded number of steps (an unbounded ``limit -= 1.0`` never ended there).
    step = max(1.0, math.ulp(limit))
    for _ in range(8):
        if survives(limit):
            break
        limit += step
    for _ in range(8):
        if limit - step < drawn or not survives(limit - step):
            break
        limit -= step
    return limit


def compare_structures(inputs: Inputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The four structures' survivable drawdown and standby cost (and the recommendation)."""
    target = inputs.settings.target_drawdown
    template, assumed = line_template(inputs)
    best = recommended_line_limit(inputs, target, template)
    rows = [
        ("current", inputs.loans, ""),
        ("no_line", without_lines(inputs), T("df.unsecured_lines_removed")),
        (
            "correlated",
            correlated_loans(inputs),
            T("df.line_limits_added_to_the"),
        ),
    ]
    records = []
    for key, loans, note in rows:
        records.append(
            {
                "key": key,
                "name": STRUCTURE_NAMES[key],
                "line_limit": float(sum(loan.limit for loan in loans if loan.is_line)),
                "secured_limit": float(sum(loan.limit for loan in loans if loan.is_secured)),
                "survivable_drawdown": survivable_drawdown(inputs.with_loans(loans)),
                "annual_standby_cost": standby_cost(loans),
                "note": note,
            }
        )
    if best is None:
        note = T("df.no_line_size_survives_the")
        records.append(
            {
                "key": "recommended",
                "name": STRUCTURE_NAMES["recommended"],
                "line_limit": None,
                "secured_limit": float(sum(loan.limit for loan in inputs.secured_loans)),
                "survivable_drawdown": None,
                "annual_standby_cost": None,
                "note": note,
            }
        )
        line_cost = None
    else:
        variant = with_line_limit(inputs, best, template)
        line_cost = standby_cost(variant.lines)
        note = T("df.the_smallest_line_that_survives", target=target)
        if assumed:
            note += T(
                "df.commitment_fee_assumed_at_default",
                default_commitment_fee=DEFAULT_COMMITMENT_FEE,
            )
        records.append(
            {
                "key": "recommended",
                "name": STRUCTURE_NAMES["recommended"],
                "line_limit": best,
                "secured_limit": float(sum(loan.limit for loan in inputs.secured_loans)),
                "survivable_drawdown": survivable_drawdown(variant),
                "annual_standby_cost": standby_cost(variant.loans),
                "note": note,
            }
        )
    extra = {
        "limit": best,
        "line_cost": line_cost,
        "fee": template.commitment_fee,
        "assumed": assumed,
    }
    return pd.DataFrame(records), extra


# ---------------------------------------------------------------- plans
def plan_table(book: CureBook, plans: tuple[CurePlan, ...]) -> pd.DataFrame:
    """One row per level: status, each source, cost, LTV after per secured loan."""
    e = book.exposure
    rows = []
    for p in plans:
        row: dict[str, Any] = {"Drawdown": p.drawdown, "Status": p.status, "Cash": p.cash}
        for name, draw in zip(book.line_names, p.line_draws, strict=True):
            row[f"Draw: {name}"] = float(draw)
        row["Unpledged sales"] = p.unpledged_total
        in_pool = e.pool >= 0
        by_loan = np.bincount(
            e.pool[in_pool], weights=p.pledged_sales[in_pool], minlength=e.n_loans
        )
        for name, amount in zip(e.loan_names, by_loan, strict=True):
            row[f"Pledged sales: {name}"] = float(amount)
        row["Annual cost"] = p.annual_cost
        for j, name in enumerate(e.loan_names):  # the Stress Test's zone words, before/after
            row[f"Zone: {name}"] = zone(p.ltv_before[j], *e.thresholds(j))
        for j, (name, ltv) in enumerate(zip(e.loan_names, p.ltv_after, strict=True)):
            row[f"LTV after: {name}"] = float(ltv) if math.isfinite(ltv) else None
            after = ltv if math.isfinite(ltv) else p.ltv_before[j]
            row[f"Zone after: {name}"] = zone(after, *e.thresholds(j))
        row["Shortfall"] = p.shortfall
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- words
def recommendation_sentence(
    target: float,
    today: float,
    limit: float | None,
    line_cost: float | None,
    drawn: float,
    has_line: bool,
    currency: str,
) -> str:
    """The recommended line in one sentence a non-expert understands."""
    fall, now = f"{target:.0%}", f"{today:.1%}"
    if limit is None:
        return T("df.no_standby_line_can_make", fall=fall, now=now)
    if limit <= drawn:
        extra = T("df.even_without_a_standby_line") if has_line else ""
        return T("df.your_portfolio_survives_a_fall", fall=fall, extra=extra, now=now)
    return T(
        "df.a_standby_line_of_limit",
        limit=money_words(limit, currency),
        money_words=money_words(line_cost or 0.0, currency),
        fall=fall,
        now=now,
    )


# ---------------------------------------------------------------- analyse
def analyse(inputs: Inputs, prior: Mapping[str, Any], options: Any = None) -> DefenseResult:
    """Cure plans on the A2 ladder, the structure comparison and the recommended line."""
    settings = inputs.settings
    book = CureBook.from_inputs(inputs)
    plans = tuple(book.plan(float(d)) for d in ladder_levels(settings.stress_step))
    structures, rec = compare_structures(inputs)
    current = float(structures.loc[structures["key"] == "current", "survivable_drawdown"].iloc[0])
    drawn = float(sum(loan.balance for loan in inputs.lines))
    sentence = recommendation_sentence(
        settings.target_drawdown,
        current,
        rec["limit"],
        rec["line_cost"],
        drawn,
        bool(inputs.lines),
        settings.base_currency,
    )
    notes = [
        T("df.a_plan_uses_cash_above"),
        T("df.selling_pledged_collateral_is_a"),
        T("df.survivable_drawdown_the_largest_uniform"),
        T("df.liquidation_unavoidable_the_sources_fall"),
    ]
    if rec["assumed"]:
        notes.append(
            T("df.the_workbook_has_no_standby", default_commitment_fee=DEFAULT_COMMITMENT_FEE)
        )
    stress = prior.get("stress") if prior else None
    liquidity = getattr(stress, "liquidity", None)
    return DefenseResult(
        currency=settings.base_currency,
        target_drawdown=settings.target_drawdown,
        selling_cost=settings.selling_cost,
        loan_names=book.exposure.loan_names,
        line_names=book.line_names,
        plans=plans,
        plan_table=plan_table(book, plans),
        target_plan=book.plan(settings.target_drawdown),
        structures=structures,
        current_survivable_drawdown=current,
        recommended_line_limit=rec["limit"],
        recommended_line_cost=rec["line_cost"],
        recommended_fee=rec["fee"],
        fee_assumed=rec["assumed"],
        current_line_limit=float(sum(loan.limit for loan in inputs.lines)),
        recommendation=sentence,
        notes=tuple(notes),
        liquidity=liquidity if isinstance(liquidity, pd.DataFrame) else None,
    )


# ---------------------------------------------------------------- JSON
def plan_json(result: DefenseResult, plan: CurePlan) -> dict[str, Any]:
    by_loan = []
    for i, name in enumerate(result.loan_names):
        by_loan.append(
            {
                "name": name,
                "ltv_before": plan.ltv_before[i],
                "ltv_after": plan.ltv_after[i],
                "repayment": plan.repayments[i],
            }
        )
    return jsonable(
        {
            "drawdown": plan.drawdown,
            "status": plan.status,
            "cash": plan.cash,
            "lines": [
                {"name": n, "draw": x}
                for n, x in zip(result.line_names, plan.line_draws, strict=True)
            ],
            "unpledged_sales": plan.unpledged_total,
            "pledged_sales": plan.pledged_total,
            "annual_cost": plan.annual_cost,
            "carrying_cost": plan.carrying_cost,
            "selling_cost": plan.selling_cost,
            "capital_gains_tax": plan.tax,
            "shortfall": plan.shortfall,
            "survives": plan.status in SURVIVING,
            "loans": by_loan,
        }
    )


def to_json(result: DefenseResult) -> dict[str, Any]:
    """The SPEC §6 ``defense`` block (plus plans, target and the sentence)."""
    structures = [
        jsonable(
            {
                k: row[k]
                for k in ("key", "name", "survivable_drawdown", "annual_standby_cost", "line_limit")
            }
        )
        for row in result.structures.to_dict("records")
    ]
    return {
        "structures": structures,
        "recommended_line_limit": jsonable(result.recommended_line_limit),
        "recommended_line_annual_cost": jsonable(result.recommended_line_cost),
        "recommended_line_fee": jsonable(result.recommended_fee),
        "recommended_line_fee_assumed": result.fee_assumed,
        "current_line_limit": jsonable(result.current_line_limit),
        "current_survivable_drawdown": jsonable(result.current_survivable_drawdown),
        "target_drawdown": jsonable(result.target_drawdown),
        "recommendation": result.recommendation,
        "target_plan": plan_json(result, result.target_plan),
        "plans": [plan_json(result, p) for p in result.plans],
    }
