"""The Loans sheet (SPEC §2): what you owe and can draw, and the lenders' rules."""

from __future__ import annotations

from typing import Any

from engine.schema.columns import (
    EXAMPLE_NOTE,
    FORCED_SALE,
    LOAN_TYPES,
    RATE_TYPES,
    Column,
    Table,
    notes_column,
)

LOANS = Table(
    "Loans",
    (
        Column("Name", "name", "text", required=True, width=24, help="A unique name."),
        Column(
            "Type",
            "type",
            "choice",
            required=True,
            choices=LOAN_TYPES,
            width=18,
            help="Securities-backed, Unsecured line, or Amortizing.",
        ),
        Column(
            "Balance", "balance", "money", required=True, lo=0, width=14, help="Amount drawn today."
        ),
        Column(
            "Limit",
            "limit",
            "money",
            default=None,
            lo=0,
            width=14,
            help="Facility maximum (>= Balance). Default: the balance.",
        ),
        Column(
            "Interest rate",
            "interest_rate",
            "percent",
            required=True,
            lo=0,
            hi=0.5,
            plausible_hi=0.2,
            width=10,
            help="Yearly interest rate on the drawn balance.",
        ),
        Column(
            "Commitment fee",
            "commitment_fee",
            "percent",
            default=0.0,
            lo=0,
            hi=0.2,
            plausible_hi=0.05,
            width=11,
            help="Yearly fee on the undrawn part of the limit.",
        ),
        Column(
            "Advance rate",
            "advance_rate",
            "percent",
            default=None,
            lo=0,
            hi=1,
            width=10,
            help="Overrides the asset-class advance rates for this loan's collateral.",
        ),
        Column(
            "Freeze LTV",
            "freeze_ltv",
            "percent",
            default=None,
            lo=0,
            hi=2,
            width=10,
            help="New draws stop at or above this LTV. Default: the collateral's advance rate.",
        ),
        Column(
            "Margin call LTV",
            "margin_call_ltv",
            "percent",
            default=None,
            lo=0,
            hi=2,
            width=11,
            help="Margin call at or above this LTV. Blank = no call stage.",
        ),
        Column(
            "Liquidation LTV",
            "liquidation_ltv",
            "percent",
            default=0.85,
            lo=0,
            hi=2,
            width=12,
            help="Forced sale at or above this LTV.",
        ),
        Column(
            "Forced sale",
            "forced_sale",
            "choice",
            default="All",
            choices=FORCED_SALE,
            width=10,
            help="At the Liquidation LTV, All: the lender sells every pledged unit and closes "
            "the loan (Rakuten Bank, Japan Securities Finance). To freeze: only enough to "
            "bring the LTV back to the Freeze LTV.",
        ),
        Column(
            "Monthly payment",
            "monthly_payment",
            "money",
            default=0.0,
            lo=0,
            width=12,
            help="Principal repaid each month (Amortizing).",
        ),
        Column(
            "Crisis limit cut",
            "crisis_limit_cut",
            "percent",
            default=0.0,
            lo=0,
            hi=1,
            width=11,
            help="Unsecured line: share of the limit a lender may cut in a crisis.",
        ),
        Column(
            "Rate type",
            "rate_type",
            "choice",
            default=None,
            choices=RATE_TYPES,
            width=10,
            help="Floating rates move with inflation in the simulation; Fixed rates do not. "
            "Default: Floating (Fixed for Amortizing).",
        ),
        notes_column("Your notes, e.g. which lender's rules the thresholds follow."),
    ),
    help="What you owe and can draw: securities-backed loans, unsecured lines, amortizing loans.",
    header=("Name", "Type"),
    empty_fix="enter each loan and credit line (Name, Type, Balance, Interest rate); with no "
    "borrowing at all, enter one Unsecured line with Balance 0, Limit 0 and Interest rate 0",
    example={
        "Name": "Example: securities-backed loan",
        "Type": "Securities-backed",
        "Balance": 10_000_000,
        "Limit": 20_000_000,
        "Interest rate": 0.015,
        "Freeze LTV": 0.60,
        "Margin call LTV": 0.70,
        "Liquidation LTV": 0.85,
        "Forced sale": "All",
        "Rate type": "Floating",
        "Notes": EXAMPLE_NOTE,
    },
)

#: Published lender rules a user can copy into Loans (SPEC §2 Forced sale; the Start
#: here sheet lists them). Check your own contract: lenders change their rules.
LENDER_RULES: tuple[dict[str, Any], ...] = (
    {
        "Lender": "Rakuten Bank (楽天銀行 証券担保ローン)",
        "Freeze LTV": 0.60,
        "Margin call LTV": None,
        "Liquidation LTV": 0.85,
        "Forced sale": "All",
        "Rule": "No new draws above 60% LTV; all collateral sold above 85%.",
    },
    {
        "Lender": "Japan Securities Finance (日本証券金融 / 日証金)",
        "Freeze LTV": 0.60,
        "Margin call LTV": 0.70,
        "Liquidation LTV": 0.85,
        "Forced sale": "All",
        "Rule": "Margin call at 70%, to be cured back to 60% within 5 business days; "
        "acceleration (all collateral sold) at 85%.",
    },
)
