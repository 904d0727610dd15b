"""Typed, immutable inputs: what the reader produces and every analysis consumes.

All records are frozen dataclasses. Amounts are in the record's own currency
except where a name says ``_base``; ``Inputs`` offers the base-currency views
the analyses share (market values, collateral pools, cash); the cash buffer and the
schedule are functions of ``engine.model.cashflows``.
Percentages are fractions (0.05 = 5%).

Revision 2 fields (SPEC §2 [v2]) and their defaults, the same as the reader's:
``Settings.loan_policy`` "Keep", ``standby_line_use`` "Crises only",
``lender_monitoring`` "Daily", ``capital_gains_tax_rate`` 0.20315,
``inflation_volatility`` 0.01, ``return_model`` "Lognormal", ``record_history`` True,
``language`` "English"; ``Holding.cost_basis`` (None → the price: no gain);
``AssetClass.dividend_beta`` 0 and ``history_series`` None; ``Loan.rate_type`` (None →
"Fixed" for Amortizing, else "Floating") and ``forced_sale`` "All"; ``Inputs.history``
(the optional History sheet) None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import numpy as np

from engine.schema import is_cash_class


@dataclass(frozen=True)
class Settings:
    portfolio_name: str
    base_currency: str = "JPY"
    valuation_date: date = field(default_factory=date.today)
    current_age: int = 45
    horizon_years: int = 40
    fire_age: int = 45
    expense_inflation: float = 0.02
    discount_rate: float = 0.02
    dividend_tax_rate: float = 0.20315
    cash_buffer_months: float = 6.0
    reinvest_surplus: bool = True
    mc_paths: int = 10_000
    random_seed: int = 42
    target_success_probability: float = 0.90
    target_drawdown: float = 0.50
    stress_step: float = 0.05
    selling_cost: float = 0.005
    #: "Keep": month-0 borrowing is kept (surplus never prepays it); "Repay": surplus
    #: above the buffer repays drawn debt, dearest first.
    loan_policy: str = "Keep"
    #: "Crises only": unsecured lines are a crisis reserve (margin-call cures; living
    #: costs only when cash, secured headroom and unpledged sales are used up);
    #: "Any shortfall": drawn first for any shortfall.
    standby_line_use: str = "Crises only"
    #: "Daily": month-end LTV tests use thresholds corrected for breaches within the
    #: month (SPEC §3 Lender monitoring); "Month-end": the thresholds as written.
    lender_monitoring: str = "Daily"
    capital_gains_tax_rate: float = 0.20315  # on realised gains of Taxable holdings
    inflation_volatility: float = 0.01  # yearly σ of the inflation rate around its mean
    return_model: str = "Lognormal"  # or "Historical" (block bootstrap of History)
    record_history: bool = True  # False: the run leaves the history store untouched
    language: str = "English"  # or "日本語"

    @property
    def months(self) -> int:
        """Projection length in months (12 × horizon years)."""
        return 12 * self.horizon_years

    @property
    def fire_month(self) -> int:
        """Month index at which 'Stops at FIRE' income ends (0 = already stopped)."""
        return max(0, 12 * (self.fire_age - self.current_age))


@dataclass(frozen=True)
class AssetClass:
    name: str
    expected_return: float
    volatility: float
    stress_beta: float
    crisis_dividend_cut: float
    advance_rate: float
    #: β: dividends follow the class's price as (X_t / median X_t)^β (SPEC §3); 0 = not.
    dividend_beta: float = 0.0
    #: For the Historical return model: a History column name, or "US stocks" (the
    #: bundled series); a History column of that name wins. None: the class returns 0.
    history_series: str | None = None

    @property
    def is_cash(self) -> bool:
        return is_cash_class(self.name)


@dataclass(frozen=True)
class FxRate:
    currency: str
    rate: float  # base currency per 1 unit
    volatility: float = 0.10
    expected_change: float = 0.0
    notes: str = ""


@dataclass(frozen=True)
class Holding:
    name: str
    asset_class: str
    quantity: float
    price: float
    currency: str
    fx_rate: float = 1.0  # base per unit of `currency` at valuation (1 for base)
    ticker: str = ""
    account: str = "Taxable"
    pledged_to: str | None = None
    role: str = "Core"
    dps: float = 0.0
    dividend_policy: str = "None"
    bvps: float | None = None
    doe: float | None = None
    roe: float | None = None
    payout_ratio: float | None = None
    dividend_growth: float = 0.0
    withholding: float = 0.0
    #: Average acquisition cost per unit, in ``currency`` (capital-gains tax, SPEC §3).
    #: ``None`` on construction means "no gain": it is set to the price.
    cost_basis: float | None = None
    notes: str = ""
    row: int = 0  # worksheet row it came from (for messages)

    def __post_init__(self) -> None:
        if self.cost_basis is None:
            object.__setattr__(self, "cost_basis", self.price)

    @property
    def market_value(self) -> float:
        """Market value in the base currency."""
        return self.quantity * self.price * self.fx_rate

    @property
    def cost_value_base(self) -> float:
        """What the position cost: Cost basis × quantity, at today's FX (base currency)."""
        cost = self.price if self.cost_basis is None else self.cost_basis
        return self.quantity * cost * self.fx_rate

    @property
    def is_nisa(self) -> bool:
        return self.account == "NISA"

    def net_dividend_factor(self, dividend_tax_rate: float) -> float:
        """Share of a gross dividend that reaches the investor.

        Taxable: (1 − withholding) × (1 − tax); NISA: (1 − withholding).
        """
        factor = 1.0 - self.withholding
        return factor if self.is_nisa else factor * (1.0 - dividend_tax_rate)

    @property
    def gross_dividend_base(self) -> float:
        """Current annual gross dividend in base currency (DPS × quantity × FX)."""
        return self.dps * self.quantity * self.fx_rate


@dataclass(frozen=True)
class Loan:
    name: str
    type: str  # Securities-backed / Unsecured line / Amortizing
    balance: float
    limit: float
    interest_rate: float
    commitment_fee: float = 0.0
    advance_rate: float | None = None  # override of the class advance rates
    freeze_ltv: float | None = None  # resolved by the reader for secured loans
    margin_call_ltv: float | None = None
    liquidation_ltv: float = 0.85
    forced_sale: str = "All"  # "All" (the facility closes) or "To freeze" (SPEC §2)
    monthly_payment: float = 0.0
    crisis_limit_cut: float = 0.0
    #: "Floating" (moves with inflation, SPEC §3) or "Fixed"; ``None`` on construction
    #: means the default: Fixed for Amortizing loans, Floating otherwise.
    rate_type: str | None = None
    notes: str = ""
    row: int = 0

    def __post_init__(self) -> None:
        if self.rate_type is None:
            default = "Fixed" if self.type == "Amortizing" else "Floating"
            object.__setattr__(self, "rate_type", default)

    @property
    def is_secured(self) -> bool:
        return self.type == "Securities-backed"

    @property
    def is_line(self) -> bool:
        return self.type == "Unsecured line"

    @property
    def undrawn(self) -> float:
        return max(0.0, self.limit - self.balance)

    @property
    def trigger_ltv(self) -> float:
        """The LTV at which a cure is required: margin call if any, else liquidation."""
        return self.margin_call_ltv if self.margin_call_ltv is not None else self.liquidation_ltv

    @property
    def annual_interest(self) -> float:
        return self.balance * self.interest_rate

    @property
    def annual_commitment_fee(self) -> float:
        """Fee on the undrawn part of a facility; an amortizing loan has none to draw
        (the month step charges it none either)."""
        if self.type == "Amortizing":
            return 0.0
        return self.undrawn * self.commitment_fee


@dataclass(frozen=True)
class Cashflow:
    name: str
    type: str  # Expense / Income
    amount: float
    frequency: str  # Monthly / Annual / Once
    start_year: int | None = None
    end_year: int | None = None
    inflation_linked: bool = True
    growth: float = 0.0
    stops_at_fire: bool = False
    notes: str = ""
    row: int = 0

    @property
    def is_expense(self) -> bool:
        return self.type == "Expense"


@dataclass(frozen=True)
class Scenario:
    name: str
    equity_drawdown: float
    months_to_trough: int
    fx_change: float = 0.0
    dividend_cut: float = 0.0
    rate_shock: float = 0.0
    line_limit_cut: float = 0.0
    months_to_recover: int = 0
    row: int = 0


@dataclass(frozen=True)
class Correlations:
    """Correlation matrix over factor labels (asset classes, then ``FX:<CCY>``)."""

    labels: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]

    def as_array(self) -> np.ndarray:
        return np.array(self.matrix, dtype=float).reshape(len(self.labels), len(self.labels))

    def get(self, a: str, b: str) -> float:
        i, j = self.labels.index(a), self.labels.index(b)
        return self.matrix[i][j]


@dataclass(frozen=True)
class History:
    """The optional History sheet: consecutive months of price returns (SPEC §2, §3).

    ``months`` are the first day of each calendar month, oldest first; ``series`` maps
    each column name to its monthly price returns (fractions), one per month;
    ``inflation`` is the optional Inflation column (monthly, fractions) or ``None``.
    """

    months: tuple[date, ...]
    series: Mapping[str, tuple[float, ...]]
    inflation: tuple[float, ...] | None = None

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.series)

    def returns(self, name: str) -> np.ndarray:
        """The monthly returns of series ``name`` as an array (oldest first)."""
        return np.asarray(self.series[name], dtype=float)


@dataclass(frozen=True)
class Inputs:
    settings: Settings
    holdings: tuple[Holding, ...]
    asset_classes: tuple[AssetClass, ...]
    fx: tuple[FxRate, ...]
    correlations: Correlations
    loans: tuple[Loan, ...]
    cashflows: tuple[Cashflow, ...]
    scenarios: tuple[Scenario, ...]
    source_name: str = ""
    source_sha256: str = ""
    warnings: tuple[str, ...] = ()
    history: History | None = None  # the optional History sheet

    # ----------------------------------------------------------------- lookups
    @cached_property
    def asset_class_by_name(self) -> dict[str, AssetClass]:
        return {c.name: c for c in self.asset_classes}

    @cached_property
    def loan_by_name(self) -> dict[str, Loan]:
        return {loan.name: loan for loan in self.loans}

    @cached_property
    def fx_by_currency(self) -> dict[str, FxRate]:
        return {f.currency: f for f in self.fx}

    @cached_property
    def secured_loans(self) -> tuple[Loan, ...]:
        return tuple(loan for loan in self.loans if loan.is_secured)

    @cached_property
    def lines(self) -> tuple[Loan, ...]:
        return tuple(loan for loan in self.loans if loan.is_line)

    # ----------------------------------------------------------------- views
    @cached_property
    def market_values(self) -> np.ndarray:
        """Market value of each holding in base currency, in Holdings order."""
        return np.array([h.market_value for h in self.holdings], dtype=float)

    @cached_property
    def is_cash_holding(self) -> np.ndarray:
        return np.array(
            [self.asset_class_by_name[h.asset_class].is_cash for h in self.holdings], dtype=bool
        )

    @cached_property
    def stress_betas(self) -> np.ndarray:
        return np.array(
            [self.asset_class_by_name[h.asset_class].stress_beta for h in self.holdings],
            dtype=float,
        )

    def pledged_mask(self, loan_name: str) -> np.ndarray:
        return np.array([h.pledged_to == loan_name for h in self.holdings], dtype=bool)

    @cached_property
    def unpledged_mask(self) -> np.ndarray:
        return np.array([h.pledged_to is None for h in self.holdings], dtype=bool)

    def advance_rates(self, loan: Loan) -> np.ndarray:
        """Advance rate applied to each holding as collateral of ``loan``."""
        if loan.advance_rate is not None:
            return np.full(len(self.holdings), loan.advance_rate)
        return np.array(
            [self.asset_class_by_name[h.asset_class].advance_rate for h in self.holdings]
        )

    @property
    def total_assets(self) -> float:
        return float(self.market_values.sum())

    @property
    def cash(self) -> float:
        """Unpledged cash holdings in base currency."""
        return float(self.market_values[self.is_cash_holding & self.unpledged_mask].sum())

    @property
    def total_loans(self) -> float:
        return float(sum(loan.balance for loan in self.loans))

    def with_loans(self, loans: tuple[Loan, ...]) -> Inputs:
        """A copy with another loan structure (used to compare structures in A3/A5)."""
        return replace(self, loans=tuple(loans))

    def with_settings(self, **changes) -> Inputs:
        return replace(self, settings=replace(self.settings, **changes))
