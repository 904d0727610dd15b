"""A5 solvers on every path, with common random numbers: the sensitivity grid and the max
safe monthly spending with its 90% interval (SPEC §4 A5, revision 2).

**Monotone per path, nearly always.** Spending more almost never turns a failing path
into a surviving one (a Hypothesis test in tests/test_mc_solvers.py checks it path by
path on a levered household with every rule on), so each path has a critical m*: it
survives spending m × today's monthly living costs exactly when m ≤ m*, and success(m) =
the share of paths with m* ≥ m. A path's fate at a few levels of m therefore decides it
at every level in between, and most paths are decided by one run.

Where it is not: a margin call cured by selling. Spending more can bring the call earlier,
at a higher price, so that less is sold than in the later, deeper call of the thriftier
path, which then runs out first. Checked against every level run path by path on a
4,000-path chunk (seed 42): 1 such path in the example and 2 in the dividend household;
the counts the ladder gives were off by at most 2 paths of 4,000 at a level (0.05 points,
a sixth of a standard error at 90%). The ladder reports such a path at the levels it ran
and infers the rest as if it were monotone.

**Classifying paths against a ladder of levels** (``classify``): per path, the highest level
known survived and the lowest known failed. Each round runs every undecided path at one
level — its ladder's top first (most paths survive it and are then decided at every level
below), then its bottom, then the middle of what is left — each path with its own
multiplier in one kernel run. A level decided for a path is never run again.

**The grid** (``grid_chunk``): survival at spending × {80 … 120}% and line limit ×
{0, ½, 1, 2} is the ladder 0.8 … 1.2 for each line size (a larger line is not always
better path by path, so each line size is its own ladder).

**The max safe spending** (``Window``): a pilot (``mc_run.place_window``) is classified
against a wide ladder (0 … 20 ×) to find roughly where success crosses the target; every
chunk is then classified against a fine ladder around that point, ``WINDOW_STEPS``. The
crossing is
interpolated linearly between the two levels whose success brackets the target; the 90%
interval is where success ∓ 1.645 standard errors crosses it (the spending at which the
target is met with 95% confidence, and at which it is still plausible). If the crossing
falls outside the window, ``mc_run`` classifies every path against the wide ladder.

Everything runs on a chunk's stored returns (``engine.analyses.mc_run``): every run on a
chunk sees the same random numbers (the pilot draws its 1,000 paths once more).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.analyses.mc_engine import A5_RULES
from engine.i18n import T
from engine.kernel import MonthStep, Overrides, Plan
from engine.kernel.markets import Markets

GRID_SPENDING = (0.8, 0.9, 1.0, 1.1, 1.2)
GRID_LINE = (0.0, 0.5, 1.0, 2.0)
BASE_CELL = (1.0, 1.0)
#: The first chunk's ladder: where does success cross the target?
WIDE = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 1.9, 2.4, 3.0, 3.8, 4.8, 6.0,
        7.5, 9.5, 12.0, 15.0, 20.0)  # fmt: skip
#: The fine ladder around that point, as relative steps.
WINDOW_STEPS = (-0.15, -0.1, -0.075, -0.05, -0.035, -0.02, -0.01, -0.005, 0.0, 0.005, 0.01,
                0.02, 0.035, 0.05, 0.075, 0.1, 0.15)  # fmt: skip
Z90 = 1.6448536269514722  # one-sided 95%: the two ends of a 90% interval
#: Levels run at once inside a path's open range (3: its quartiles).
INSIDE = 3


def run_columns(plan: Plan, returns: np.ndarray, paths, spend, scale, consulted=False):
    """Survival of each column: path ``paths[c]`` at spending ``spend[c]``, line ``scale[c]``
    (``returns``: (months, factors, n) of the chunk); with ``consulted``, also whether
    each column's waterfall reached the unsecured lines."""
    paths = np.asarray(paths, dtype=int)
    if len(paths) == 0:
        empty = np.zeros(0, dtype=bool)
        return (empty, empty) if consulted else empty
    overrides = Overrides(
        **A5_RULES,
        survival_only=True,
        spending_multiplier=np.asarray(spend, dtype=float),
        line_limit_scale=np.broadcast_to(np.asarray(scale, dtype=float), (len(paths),)),
    )
    step = MonthStep(plan, len(paths), overrides)
    # each distinct path's markets read once (a batch runs a path at several levels and
    # line sizes): the markets depend on the returns and the A5 rules alone
    distinct, column = np.unique(paths, return_inverse=True)
    if len(distinct) == len(paths):  # every path once: read in the batch's order
        distinct, column = paths, None
    markets = Markets(plan, step.layout, len(distinct), overrides, None)
    survived = np.zeros(len(paths), dtype=bool)
    asked = np.zeros(len(paths), dtype=bool)  # the lines were asked for money
    live = np.arange(len(paths))  # the columns still in the run
    months = returns.shape[0]
    for t in range(0, months, 12):
        # np.take keeps the paths axis contiguous (``[:, :, distinct]`` strides it by the
        # factors × months: every later operation on the block was several times slower)
        block = np.take(returns[t : t + 12], distinct, axis=2)
        slab = markets.read(block, t)
        if column is not None or len(live) < len(paths):
            slab = slab.take(live if column is None else column[live])
        step.advance_read(slab, block.shape[0])
        alive = step.st.alive
        if t + 12 < months and 4 * np.count_nonzero(~alive) >= len(live):
            asked[live[~alive]] = step.st.line_consulted[~alive]
            keep = np.flatnonzero(alive)  # a quarter failed: drop them
            live = live[keep]
            if not len(live):  # every column failed
                return (survived, asked) if consulted else survived
            step.keep_paths(keep)
    rec = step.records()
    survived[live] = rec.survived
    asked[live] = rec.line_consulted
    return (survived, asked) if consulted else survived


@dataclass
class Ladder:
    """One classification task: survival at each of ``levels`` with the line × ``scale``."""

    levels: np.ndarray
    scale: float
    lo: np.ndarray  # per path: the highest level index known survived (−1: none)
    hi: np.ndarray  # per path: the lowest level index known failed (len: none)

    @classmethod
    def new(cls, n: int, levels, known: dict[float, np.ndarray], scale: float) -> Ladder:
        levels = np.array(sorted(set(map(float, levels)) | set(known)), dtype=float)
        lo, hi = np.full(n, -1), np.full(n, len(levels))
        for m, alive in known.items():
            k = int(np.searchsorted(levels, m))
            lo = np.where(alive, np.maximum(lo, k), lo)
            hi = np.where(alive, hi, np.minimum(hi, k))
        return cls(levels, float(scale), lo, hi)

    def probes(self) -> tuple[np.ndarray, np.ndarray]:
        """(paths, level index) pairs to run next, a path possibly several times: the top
        of its open range first, then the bottom, then ``INSIDE`` levels spread over what
        is left (fewer rounds: a kernel run has a fixed cost of its months)."""
        L = len(self.levels)
        open_ = np.flatnonzero(self.hi - self.lo > 1)
        lo, hi = self.lo[open_], self.hi[open_]
        edge = (hi == L) | (lo == -1)
        probe = np.where(hi == L, L - 1, 0)
        paths, probes = [open_[edge]], [np.clip(probe[edge], lo[edge] + 1, hi[edge] - 1)]
        inner, lo, hi = open_[~edge], lo[~edge], hi[~edge]
        for q in range(1, INSIDE + 1):  # quantiles of the open range, each level once
            k = lo + ((hi - lo) * q) // (INSIDE + 1)
            keep = (
                (k > lo) & (k < hi) & ((q == 1) | (k != lo + ((hi - lo) * (q - 1)) // (INSIDE + 1)))
            )
            paths.append(inner[keep])
            probes.append(k[keep])
        return np.concatenate(paths), np.concatenate(probes)

    def learn(self, paths: np.ndarray, probe: np.ndarray, alive: np.ndarray) -> None:
        np.maximum.at(self.lo, paths[alive], probe[alive])
        np.minimum.at(self.hi, paths[~alive], probe[~alive])

    def survival(self) -> dict[float, np.ndarray]:
        return {float(m): self.lo >= k for k, m in enumerate(self.levels)}


def classify(plan: Plan, returns: np.ndarray, ladders: list[Ladder], on_round=None) -> None:
    """Run every ladder until each path is decided at each of its levels (module
    docstring); each round is one kernel run over the open paths of every ladder.
    ``on_round(k)``: called after round k (1, 2, …), for progress."""
    done = 0
    while True:
        rounds = [(ladder, *ladder.probes()) for ladder in ladders]
        rounds = [r for r in rounds if len(r[1])]
        if not rounds:
            return
        paths = np.concatenate([p for _, p, _ in rounds])
        spend = np.concatenate([lad.levels[k] for lad, _, k in rounds])
        scale = np.concatenate([np.full(len(p), lad.scale) for lad, p, _ in rounds])
        alive = run_columns(plan, returns, paths, spend, scale)
        start = 0
        for ladder, p, k in rounds:
            ladder.learn(p, k, alive[start : start + len(p)])
            start += len(p)
        done += 1
        if on_round is not None:
            on_round(done)


def grid_and_spending(
    plan: Plan, returns: np.ndarray, base: np.ndarray, levels=(), scales=GRID_LINE, on_round=None
) -> tuple[dict[tuple[float, float], np.ndarray], dict[float, np.ndarray]]:
    """({(spending, line scale): survived (n,)} for the grid's cells, {level: survived (n,)}
    at the line as it is for the spending ``levels``), all classified together (one kernel
    run a round). ``base``: survival at (1.0, 1.0), from the main run; ``on_round(k)``:
    called after each round k = 1, 2, … (for progress)."""
    n = returns.shape[2]
    base = {1.0: np.asarray(base, bool)}
    ladders = {
        g: Ladder.new(
            n, GRID_SPENDING + tuple(levels if g == 1.0 else ()), base if g == 1.0 else {}, g
        )  # fmt: skip
        for g in scales
    }
    first = 0
    if 1.0 in ladders and len(plan.line_index) and len(ladders) > 1:
        _untouched_by_the_line(plan, returns, ladders)
        first = 1
        if on_round is not None:
            on_round(1)
    rounds = None if on_round is None else (lambda k: on_round(first + k))
    classify(plan, returns, list(ladders.values()), rounds)
    grid, spending = {}, {}
    for g, ladder in ladders.items():
        survival = ladder.survival()
        grid.update({(m, g): survival[m] for m in GRID_SPENDING})
        if g == 1.0:
            spending = survival
    return grid, spending


def _untouched_by_the_line(plan: Plan, returns: np.ndarray, ladders: dict) -> None:
    """The line-as-it-is ladder's first round, remembering which survivors never reached
    the unsecured lines: at a lower spending and any line size those paths fare the same
    (they never ask the line for money; with less spending they have at least as much at
    every step), but for the commitment fee on the line's limit — less with a smaller
    line, more with a larger one. So a survivor at ≥ 120% that never reached the line is
    decided at 80 … 120% for every smaller line, and for a larger one when the spending
    it survived above 120% pays the larger line's extra fee in every month (each month's
    outflow no larger: monotone in outflow, tests/test_mc_solvers.py)."""
    ladder = ladders[1.0]
    paths, probe = ladder.probes()
    alive, consulted = run_columns(plan, returns, paths, ladder.levels[probe], 1.0, True)
    ladder.learn(paths, probe, alive)
    top = int(np.searchsorted(ladder.levels, GRID_SPENDING[-1]))
    n = returns.shape[2]
    chosen = alive & ~consulted & (probe >= top)
    quiet = np.zeros(n, dtype=bool)
    quiet[paths[chosen]] = True
    # a larger line's extra fee each month, against the spending the probe had above 120%
    fee = plan.commitment_fee[plan.line_index] / 12.0 @ plan.limit[plan.line_index]
    room = np.zeros(n)
    if fee > 0 and np.any(chosen):
        spare = ladder.levels[probe[chosen]] - GRID_SPENDING[-1]
        room[paths[chosen]] = spare * _least_living_cost(plan, returns, paths[chosen])
    for g, other in ladders.items():
        if g == 1.0:
            continue
        decided = quiet if g < 1.0 or fee <= 0 else quiet & (room >= (g - 1.0) * fee * SAFETY)
        k = int(np.searchsorted(other.levels, GRID_SPENDING[-1]))
        other.lo[decided] = np.maximum(other.lo[decided], k)


#: a margin on the fee comparison for the rounding of the price level's running product
SAFETY = 1.0 + 1e-9


def _least_living_cost(plan: Plan, returns: np.ndarray, paths: np.ndarray) -> np.ndarray:
    """Per path, the smallest monthly living cost (multiplier 1, money of the day) over
    the horizon: on an inflation path the linked rows × the price level as the month's
    flows are paid (1 at month 0; each month × (1 + π)^(1/12) as prices move)."""
    if not plan.inflation_path:
        return np.full(len(paths), float(np.min(plan.living)) if plan.months else 0.0)
    inflation = returns[:, -1, :][:, paths]  # (months, paths): the last factor
    log_level = np.cumsum(np.log1p(inflation) / 12.0, axis=0)
    level = np.exp(np.concatenate([np.zeros((1, len(paths))), log_level[:-1]], axis=0))
    return (plan.flows.living_real[:, None] * level).min(axis=0)


def pilot_survival(plan: Plan, returns: np.ndarray) -> dict[float, np.ndarray]:
    """Survival of every path at every level of the wide ladder (line as it is), in two
    rounds: every other level for every path, then the one level left between the two
    that bracket each path. A round costs its months whatever its columns (the lenders'
    events of some column in most months), so two wide rounds beat the ladder's four or
    five narrow ones here."""
    n = returns.shape[2]
    ladder = Ladder.new(n, WIDE, {}, 1.0)
    coarse = np.arange(0, len(ladder.levels), 2)
    paths, probe = np.repeat(np.arange(n), len(coarse)), np.tile(coarse, n)
    ladder.learn(paths, probe, run_columns(plan, returns, paths, ladder.levels[probe], 1.0))
    classify(plan, returns, [ladder])
    return ladder.survival()


def spending_chunk(
    plan: Plan, returns: np.ndarray, levels, known: dict[float, np.ndarray]
) -> dict[float, np.ndarray]:
    """Survival of every path at every level of ``levels`` (line as it is)."""
    ladder = Ladder.new(returns.shape[2], levels, known, 1.0)
    classify(plan, returns, [ladder])
    return ladder.survival()


@dataclass(frozen=True)
class Window:
    """The ladder every chunk is classified against for the max safe spending."""

    levels: tuple[float, ...]
    wide: bool  # the wide ladder (no first-chunk estimate, or it missed)

    @staticmethod
    def around(estimate: float | None) -> Window:
        if estimate is None or not np.isfinite(estimate):
            return Window(WIDE, True)
        fine = [max(0.0, estimate * (1.0 + s)) for s in WINDOW_STEPS]
        return Window(tuple(sorted(set(fine) | set(GRID_SPENDING))), False)


@dataclass(frozen=True)
class SpendingSolution:
    multiplier: float | None  # None: not even zero living costs meet the target
    status: str  # "found", "above range" (≥ the largest level), "below target at zero"
    interval: tuple[float | None, float | None]  # the 90% interval of the multiplier
    success_at_multiplier: float | None
    curve: tuple[tuple[float, float], ...]  # (multiplier, success) at every level classified


def crossing(levels: np.ndarray, success: np.ndarray, target: float) -> float | None:
    """The largest m at which ``success`` (non-increasing in m) is still ≥ ``target``,
    interpolated linearly between the levels that bracket it; None when even the lowest
    level misses it, the top level when the highest level still meets it."""
    ok = np.flatnonzero(success >= target - 1e-15)
    if not len(ok):
        return None
    k = int(ok.max())
    if k == len(levels) - 1:
        return float(levels[k])
    s0, s1 = float(success[k]), float(success[k + 1])
    if s0 == s1:
        return float(levels[k])
    w = (s0 - target) / (s0 - s1)
    return float(levels[k] + w * (levels[k + 1] - levels[k]))


def solve_spending(levels, survivors, paths: int, target: float) -> SpendingSolution:
    """The max safe multiplier from the number of paths surviving at each level."""
    levels = np.asarray(levels, dtype=float)
    success = np.asarray(survivors, dtype=float) / paths
    se = np.sqrt(np.maximum(success * (1 - success), 0.0) / paths)
    curve = tuple(zip(levels.tolist(), success.tolist(), strict=True))
    m = crossing(levels, success, target)
    low = crossing(levels, success - Z90 * se, target)
    high = crossing(levels, success + Z90 * se, target)
    if m is None:
        return SpendingSolution(None, T("mc.below_target_at_zero"), (low, high), None, curve)
    status = T("mc.above_range") if m >= levels[-1] else "found"
    at = float(np.interp(m, levels, success))
    return SpendingSolution(m, status, (low, high), at, curve)


def first_estimate(levels, survivors, paths: int, target: float) -> float | None:
    """Where the first chunk says success crosses the target (None: outside 0 … 20)."""
    m = crossing(np.asarray(levels, float), np.asarray(survivors, float) / paths, target)
    if m is None or m >= levels[-1]:
        return None
    return m
