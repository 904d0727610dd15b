"""The model layer: typed, immutable inputs and pure functions over them.

- ``inputs``     the frozen dataclasses the reader produces (``Inputs`` and its records)
- ``cashflows``  the monthly cash-flow schedule, the cash buffer, present values
- ``dividends``  dividend policies per share (DOE, Payout, Progressive, Fixed)
- ``returns``    the return model: correlated lognormal factors, random numbers
- ``exposure``   static LTV, cure and defense arithmetic at a uniform drawdown
- ``history_data`` the bundled monthly US stock series (``engine/data``)
- ``bootstrap``  the Historical return model: a stationary bootstrap of real history

Nothing here knows about an analysis, or reads or writes files — but for
``history_data``, which reads the package's own data file and keeps a cache beside it.
"""

from engine.model.inputs import (
    AssetClass,
    Cashflow,
    Correlations,
    FxRate,
    History,
    Holding,
    Inputs,
    Loan,
    Scenario,
    Settings,
)

__all__ = [
    "AssetClass",
    "Cashflow",
    "Correlations",
    "FxRate",
    "History",
    "Holding",
    "Inputs",
    "Loan",
    "Scenario",
    "Settings",
]
