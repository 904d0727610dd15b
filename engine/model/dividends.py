"""Dividend policies per share (SPEC §4 A4), shared by the snowball (A4) and Monte Carlo (A5).

Year t = 1..H is the t-th 12 months from the valuation date; index 0 is today.

- DOE:          DPS_t = DOE × BVPS_{t−1};  BVPS_t = BVPS_{t−1} × (1 + ROE − DOE)
- Payout:       EPS_t = ROE × BVPS_{t−1};  DPS_t = payout × EPS_t;
                BVPS_t = BVPS_{t−1} + EPS_t − DPS_t
                (so Payout with ratio p is DOE with DOE = p × ROE)
- Progressive:  DPS_t = DPS_{t−1} × (1 + g), never cut (not even in a crisis)
- Fixed:        DPS_t = DPS_0 × (1 + g)^t
- None:         0

For DOE and Payout the price follows book value at constant P/B:
``price_t / price_0 = BVPS_t / BVPS_0`` (``book_index``).
All per share, in the holding's own currency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.model.inputs import Holding, Inputs

BOOK_POLICIES = ("DOE", "Payout")


@dataclass(frozen=True)
class PolicyPaths:
    """Per-share annual paths, shape (holdings, H + 1); column 0 is today."""

    dps: np.ndarray
    bvps: np.ndarray  # NaN for holdings without a book value
    book_index: np.ndarray  # BVPS_t / BVPS_0 for DOE/Payout, NaN otherwise
    follows_book: np.ndarray  # bool per holding: price at constant P/B
    never_cut: np.ndarray  # bool per holding: Progressive (exempt from crisis cuts)


def holding_policy_path(h: Holding, years: int) -> tuple[np.ndarray, np.ndarray]:
    """(DPS, BVPS) for one holding over years 0..``years`` (BVPS NaN if not given)."""
    dps = np.zeros(years + 1)
    bvps = np.full(years + 1, np.nan if h.bvps is None else float(h.bvps))
    dps[0] = h.dps
    policy = h.dividend_policy
    if policy == "DOE" or policy == "Payout":
        # Payout ratio p on EPS = ROE × BV is the DOE case with DOE = p × ROE.
        doe = h.doe if policy == "DOE" else (h.payout_ratio or 0.0) * (h.roe or 0.0)
        growth = 1.0 + (h.roe or 0.0) - doe
        t = np.arange(years + 1)
        bvps = float(h.bvps) * growth**t
        dps[1:] = doe * bvps[:-1]
    elif policy in ("Progressive", "Fixed"):
        growth = h.dividend_growth
        if policy == "Progressive":  # never cut (SPEC §4 A4): a negative growth holds it flat
            growth = max(growth, 0.0)
        dps = h.dps * (1.0 + growth) ** np.arange(years + 1)
    elif policy == "None":
        dps[:] = 0.0
    return dps, bvps


def policy_paths(inputs: Inputs, years: int | None = None) -> PolicyPaths:
    """Per-share dividend and book-value paths for every holding."""
    n_years = inputs.settings.horizon_years if years is None else years
    n = len(inputs.holdings)
    dps = np.zeros((n, n_years + 1))
    bvps = np.full((n, n_years + 1), np.nan)
    for i, h in enumerate(inputs.holdings):
        dps[i], bvps[i] = holding_policy_path(h, n_years)
    follows = np.array([h.dividend_policy in BOOK_POLICIES for h in inputs.holdings], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        book_index = np.where(follows[:, None], bvps / bvps[:, :1], np.nan)
    never_cut = np.array([h.dividend_policy == "Progressive" for h in inputs.holdings], dtype=bool)
    return PolicyPaths(dps, bvps, book_index, follows, never_cut)
