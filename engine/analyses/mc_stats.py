"""Summaries of Monte Carlo records (A5): probabilities, intervals, curves, histograms.

- Success probability p̂ = share of paths that never fail; standard error √(p̂(1 − p̂)/P).
- 95% Wilson interval: (p̂ + z²/2P ± z√(p̂(1 − p̂)/P + z²/4P²)) / (1 + z²/P), z = 1.959964.
- Survival by year y = share of paths not failed by the end of year y (month 12y − 1).
- Real amounts: nominal ÷ the path's own consumer-price level at the end of year y
  (today's money; at fixed inflation (1 + expense inflation)^y).

numpy only (tables are columns: {name: array}), so the Monte Carlo's child process runs
without pandas (``engine.analyses.mc_run``).
"""

from __future__ import annotations

import math

import numpy as np

from engine.i18n import T
from engine.kernel import Records

Z95 = 1.959963984540054
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
#: Max-LTV histogram bin width and the last finite edge (the last bin is "≥ 100%").
LTV_BIN, LTV_TOP = 0.05, 1.0


def share_text(p: float) -> str:
    """A probability as a person reads it: one decimal, and never 100% or 0% unless it
    is exactly that — "> 99.9%" or "< 0.1%" when some path differs (SPEC §4 A5).

    >>> [share_text(x) for x in (1.0, 0.9996, 0.9987, 0.0003, 0.0)]
    ['100%', '> 99.9%', '99.9%', '< 0.1%', '0%']
    """
    if p >= 1.0:
        return "100%"
    if p <= 0.0:
        return "0%"
    text = f"{p:.1%}"
    if text == "100.0%":
        return "> 99.9%"
    if text == "0.0%":
        return "< 0.1%"
    return text


def failures_text(failures: int, paths: int) -> str:
    """'none fail', '13 of 10,000 futures fail', 'all 10,000 futures fail'."""
    if failures <= 0:
        return T("mc.none_fail")
    if failures >= paths:
        return T("mc.all_paths_futures_fail", paths=paths)
    return T("mc.failures_of_paths_futures_fail", failures=failures, paths=paths)


def standard_error(p: float, n: int) -> float:
    """√(p(1 − p)/n)."""
    return math.sqrt(max(0.0, p * (1.0 - p)) / n) if n > 0 else 0.0


def wilson_interval(p: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion.

    >>> [round(x, 4) for x in wilson_interval(0.9, 100)]
    [0.8256, 0.9448]
    """
    if n <= 0:
        return (0.0, 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def survival_by_year(failure_month: np.ndarray, years: int) -> np.ndarray:
    """Share of paths still standing at the end of each year 1..years."""
    fm = np.asarray(failure_month)
    failed_year = np.where(fm >= 0, fm // 12 + 1, years + 1)  # year of failure, 1-based
    counts = np.bincount(np.minimum(failed_year, years + 1), minlength=years + 2)
    failed_by = np.cumsum(counts[1 : years + 1])
    return 1.0 - failed_by / max(1, len(fm))


def failure_histogram(failure_month: np.ndarray, years: int) -> dict[str, np.ndarray]:
    """Failures per year (1..years): count and share of all paths."""
    fm = np.asarray(failure_month)
    year = fm[fm >= 0] // 12 + 1
    counts = np.bincount(year, minlength=years + 1)[1 : years + 1]
    return {
        "year": np.arange(1, years + 1),
        "failures": counts.astype(int),
        "share": counts / max(1, len(fm)),
    }


def percentile_table(values: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """Percentiles over paths of (paths, years) values: {prefix_p5: (years,), …}."""
    if values.shape[0] == 0:
        return {f"{prefix}_p{q}": np.zeros(values.shape[1]) for q in PERCENTILES}
    pct = np.percentile(values, PERCENTILES, axis=0)
    return {f"{prefix}_p{q}": pct[i] for i, q in enumerate(PERCENTILES)}


def yearly_percentiles(rec: Records) -> dict[str, np.ndarray]:
    """Percentiles by year of real net worth, real net passive income (each path deflated
    by its own price level) and (nominal) total debt."""
    deflate = rec.price_level_yearly
    table = percentile_table(rec.net_worth_yearly / deflate, "real_net_worth")
    table.update(percentile_table(rec.passive_income_yearly / deflate, "real_passive_income"))
    table.update(percentile_table(rec.debt_yearly, "debt"))
    return table


def max_ltv_histogram(worst: np.ndarray) -> dict[str, list]:
    """Distribution of each path's highest LTV (``worst``: the worst secured loan's),
    5-point bins, the last "≥ 100%"; empty bins trimmed at both ends but one."""
    worst = np.asarray(worst, dtype=float)
    edges = np.round(np.arange(0.0, LTV_TOP + LTV_BIN / 2, LTV_BIN), 10)
    lower, upper = edges[:-1], edges[1:]
    counts = np.histogram(worst[worst < LTV_TOP], bins=edges)[0].tolist()
    table = {
        "bin": [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(lower, upper, strict=True)]
        + [f"≥ {LTV_TOP:.0%}"],
        "lower": [*lower.tolist(), LTV_TOP],
        "upper": [*upper.tolist(), None],
        "paths": [*counts, int(np.sum(worst >= LTV_TOP))],
    }
    table["share"] = [c / max(1, len(worst)) for c in table["paths"]]
    occupied = np.flatnonzero(np.array(table["paths"]) > 0)
    if occupied.size:  # trim empty bins at both ends (keep one either side for context)
        lo, hi = max(0, occupied[0] - 1), min(len(edges) - 1, occupied[-1] + 1)
        table = {k: v[lo : hi + 1] for k, v in table.items()}
    return table


def fan_bands(percentiles, prefix: str = "real_net_worth") -> dict[str, np.ndarray]:
    """The fan chart's stack: the 5th percentile, then the width of each band above it.
    ``percentiles``: columns by name, as from ``yearly_percentiles``."""
    values = np.column_stack([np.asarray(percentiles[f"{prefix}_p{q}"]) for q in PERCENTILES])
    table = {"year": np.arange(1, len(values) + 1), "p5": values[:, 0]}
    for k in range(1, len(PERCENTILES)):
        lo, hi = PERCENTILES[k - 1], PERCENTILES[k]
        table[f"p{lo}_p{hi}"] = np.maximum(values[:, k] - values[:, k - 1], 0.0)
    return table
