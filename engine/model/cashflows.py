"""The monthly cash-flow schedule shared by every analysis (SPEC §2 Cashflows, §3).

Conventions (stated in the About sheet):

- Month m (0-based) falls in calendar year ``year(valuation) + (month(valuation) − 1 + m) // 12``.
- Monthly rows pay ``amount`` every month in their active years; Annual rows are spread
  evenly, ``amount / 12`` a month; Once rows pay ``amount`` in the first month of their
  start year (month 0 when the start year is blank or is the valuation year).
- Amounts are in today's money: an inflation-linked row grows by
  ``(1 + expense inflation)^(m/12)``, and every row by ``(1 + growth)^(m/12)``.
- A row marked ``Stops at FIRE`` is inactive from the FIRE month on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.model.inputs import Cashflow, Inputs


@dataclass(frozen=True)
class Schedule:
    """Nominal base-currency amounts per month, arrays of length ``months``."""

    recurring_expenses: np.ndarray  # Monthly and Annual expense rows
    once_expenses: np.ndarray  # Once expense rows
    income: np.ndarray  # all income rows

    @property
    def expenses(self) -> np.ndarray:
        return self.recurring_expenses + self.once_expenses

    @property
    def net_outflow(self) -> np.ndarray:
        """Expenses minus income, per month (negative = net inflow)."""
        return self.expenses - self.income


def calendar_years(inputs: Inputs, months: int) -> np.ndarray:
    """Calendar year of each month index 0..months−1."""
    v = inputs.settings.valuation_date
    return v.year + (v.month - 1 + np.arange(months)) // 12


def row_amounts(inputs: Inputs, row: Cashflow, months: int, inflate: bool = True) -> np.ndarray:
    """Nominal amount of one cash-flow row in each month (``inflate`` False: an
    inflation-linked row in today's money, its own growth only)."""
    s = inputs.settings
    m = np.arange(months)
    years = calendar_years(inputs, months)
    start = row.start_year if row.start_year is not None else int(years[0]) if months else 0
    end = row.end_year if row.end_year is not None else 10_000
    active = (years >= start) & (years <= end)
    if row.stops_at_fire:
        active &= m < s.fire_month
    growth = (1.0 + row.growth) ** (m / 12.0)
    if row.inflation_linked and inflate:
        growth = growth * (1.0 + s.expense_inflation) ** (m / 12.0)
    if row.frequency == "Once":
        out = np.zeros(months)
        hits = np.flatnonzero(active)
        if hits.size and (row.start_year is None or years[hits[0]] == start):
            out[hits[0]] = row.amount * growth[hits[0]]
        return out
    per_month = row.amount if row.frequency == "Monthly" else row.amount / 12.0
    return np.where(active, per_month * growth, 0.0)


def schedule(inputs: Inputs, months: int | None = None, rows=None, inflate=True) -> Schedule:
    """Build the monthly schedule over ``months`` (default: the horizon) of ``rows``
    (default: every Cashflows row)."""
    n = inputs.settings.months if months is None else months
    recurring, once, income = np.zeros(n), np.zeros(n), np.zeros(n)
    for row in inputs.cashflows if rows is None else rows:
        amounts = row_amounts(inputs, row, n, inflate)
        if not row.is_expense:
            income += amounts
        elif row.frequency == "Once":
            once += amounts
        else:
            recurring += amounts
    return Schedule(recurring, once, income)


def is_living_cost(row: Cashflow) -> bool:
    """A Monthly, inflation-linked Expense row: a monthly living cost, what the max safe
    spending and the grid scale (SPEC §4 A5)."""
    return row.is_expense and row.frequency == "Monthly" and row.inflation_linked


@dataclass(frozen=True)
class FlowParts:
    """The month step's cash flows by what moves them, arrays of length ``months``.

    ``*_real``: inflation-linked rows in today's money (× the price level: (1 + π̄)^(m/12)
    at fixed inflation, the path's own on an inflation path); ``*_fixed``: the other rows,
    nominal. ``living``: the monthly living costs (``is_living_cost``; all linked);
    ``outgo``: every other expense (Annual rows, Once rows, unlinked Monthly rows).
    """

    living_real: np.ndarray
    outgo_real: np.ndarray
    outgo_fixed: np.ndarray
    income_real: np.ndarray
    income_fixed: np.ndarray
    living_rows: tuple[str, ...]  # the names of the living-cost rows


def flow_parts(inputs: Inputs, months: int | None = None) -> FlowParts:
    """Split the Cashflows rows as ``FlowParts`` says."""
    n = inputs.settings.months if months is None else months
    parts = {k: np.zeros(n) for k in ("living", "outgo_real", "outgo_fixed", "in_real", "in_fix")}
    for row in inputs.cashflows:
        amounts = row_amounts(inputs, row, n, inflate=False)
        if not row.is_expense:
            parts["in_real" if row.inflation_linked else "in_fix"] += amounts
        elif is_living_cost(row):
            parts["living"] += amounts
        else:
            parts["outgo_real" if row.inflation_linked else "outgo_fixed"] += amounts
    return FlowParts(
        parts["living"], parts["outgo_real"], parts["outgo_fixed"], parts["in_real"],
        parts["in_fix"], tuple(r.name for r in inputs.cashflows if is_living_cost(r)),
    )  # fmt: skip


def living_expenses_month0(inputs: Inputs) -> float:
    """Month-0 recurring living expenses (Expense rows only, Once excluded)."""
    return float(schedule(inputs, months=1).recurring_expenses[0])


def cash_buffer(inputs: Inputs) -> float:
    """Buffer kept in cash: Cash buffer months × month-0 living expenses (SPEC §2)."""
    return inputs.settings.cash_buffer_months * living_expenses_month0(inputs)


def cash_above_buffer(inputs: Inputs) -> float:
    """Unpledged cash above the buffer: the first defense source (SPEC §4 A2)."""
    return max(0.0, inputs.cash - cash_buffer(inputs))


def present_value(amounts: np.ndarray, annual_rate: float) -> float:
    """PV at month 0 of monthly amounts, discounting month m by (1 + r)^(−m/12)."""
    m = np.arange(len(amounts))
    return float(np.sum(amounts * (1.0 + annual_rate) ** (-m / 12.0)))
