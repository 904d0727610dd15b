"""A5 solvers on common random numbers: the sensitivity grid and the max safe spending.

Both run on the first ``SOLVER_PATHS`` paths of the main run (the same random numbers,
path for path), so their differences come from the plan, not from sampling noise.

**Grid.** Success probability for spending × {80, 90, 100, 110, 120}% and every
unsecured line limit × {0, ½, 1, 2}. Each kernel run puts paths side by side, each
column with its own spending multiplier and line scale; monotonicity in spending spares
the paths whose fate is already settled (``grid_survival``).

**Max safe spending.** The largest multiplier m on recurring expenses with
success(m) ≥ target, to within 0.5%. A path that survives spending m survives any
smaller m (the Hypothesis test checks it), so each path has a critical multiplier
and success(m) = share of paths whose critical multiplier is ≥ m. The grid's
line-× 1 column gives survival at 0.8…1.2; if the target lies outside, paths are probed
further out (only those whose fate is still open). Inside the bracket [lo, hi] only
the *ambiguous* paths (survive lo, fail hi) are re-run, at 4 multipliers between lo
and hi, which narrows the bracket fivefold per round:

    success(m) = (#survive hi + #ambiguous surviving m) / N,   lo ≤ m ≤ hi.

Reported as month-0 monthly living expenses × m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.analyses.mc_engine import A5_RULES, run_on
from engine.kernel import Overrides, Plan
from engine.model.returns import FactorModel

SOLVER_PATHS = 1_000
GRID_SPENDING = (0.8, 0.9, 1.0, 1.1, 1.2)
GRID_LINE = (0.0, 0.5, 1.0, 2.0)
BASE_CELL = (1.0, 1.0)
TOLERANCE = 0.005  # relative width of the final bracket
#: Probes beyond the grid, in rounds (each round only on the paths still open).
HIGHER = ((1.5, 2.2), (3.2, 4.6), (6.8, 10.0))
LOWER = ((0.6, 0.4), (0.2, 0.0))
#: Probes per refinement round: the work of a round is (ambiguous paths × probes) and the
#: ambiguous paths shrink with the bracket, so few probes and more rounds cost least.
INSIDE = 4
MAX_INSIDE = 64
ROUND_COLUMNS = 1_500


def grid_cells() -> list[tuple[float, float]]:
    """(spending multiplier, line scale) of every cell."""
    return [(sm, ls) for sm in GRID_SPENDING for ls in GRID_LINE]


def _run_columns(plan: Plan, returns: np.ndarray, paths, spend, scale) -> np.ndarray:
    """Survival of each column: path ``paths[c]`` at spending ``spend[c]``, line ``scale[c]``."""
    paths = np.asarray(paths, dtype=int)
    if len(paths) == 0:
        return np.zeros(0, dtype=bool)
    overrides = Overrides(
        **A5_RULES,
        spending_multiplier=np.asarray(spend, dtype=float),
        line_limit_scale=np.asarray(scale, dtype=float),
    )
    return run_on(plan, returns[:, :, paths], overrides).failure_month < 0


def grid_survival(
    plan: Plan,
    returns: np.ndarray,
    base: np.ndarray | None,
    scales: tuple[float, ...] = GRID_LINE,
) -> dict:
    """{(spending, line scale): survived (N,)} for every grid cell.

    Less spending never hurts a path (the Hypothesis test checks it path by path), so
    per line size: run 100%; the survivors at 120% and the failures at 80%; then only
    the still-open paths at 110% or 90%. (A larger line is *not* always better path by
    path — it keeps leverage that a sale would have removed — so each line size is run.)
    ``base``: survival of the plan as it is (100%, line × 1) from the main run (None
    when ``scales`` leaves out the current line); ``scales``: the line sizes to compute.
    """
    n = returns.shape[2]
    everyone = np.arange(n)
    out: dict[tuple[float, float], np.ndarray] = {}
    if base is not None:
        out[BASE_CELL] = np.asarray(base, dtype=bool)
    line_sizes = tuple(scales)

    def stage(cells_paths):
        """Run [(cell, paths)] in one kernel pass; store survival (others filled by caller)."""
        paths = np.concatenate([p for _, p in cells_paths]) if cells_paths else np.zeros(0, int)
        spend = (
            np.concatenate([np.full(len(p), c[0]) for c, p in cells_paths]) if cells_paths else []
        )
        scale = (
            np.concatenate([np.full(len(p), c[1]) for c, p in cells_paths]) if cells_paths else []
        )
        alive = _run_columns(plan, returns, paths, spend, scale)
        results, k = [], 0
        for _, p in cells_paths:
            results.append(alive[k : k + len(p)])
            k += len(p)
        return results

    mid, lo1, lo2 = 1.0, GRID_SPENDING[1], GRID_SPENDING[0]
    hi1, hi2 = GRID_SPENDING[3], GRID_SPENDING[4]
    scales = [g for g in line_sizes if (mid, g) not in out]
    for g, alive in zip(scales, stage([((mid, g), everyone) for g in scales]), strict=True):
        out[(mid, g)] = alive
    jobs = []
    for g in line_sizes:
        at_mid = out[(mid, g)]
        jobs += [((hi2, g), np.flatnonzero(at_mid)), ((lo2, g), np.flatnonzero(~at_mid))]
    for (cell, paths), alive in zip(jobs, stage(jobs), strict=True):
        # fail 100% ⇒ fail 120%; survive 100% ⇒ survive 80%: start from the 100% column
        full = out[(mid, cell[1])].copy()
        full[paths] = alive
        out[cell] = full
    jobs = []
    for g in line_sizes:
        at_mid, at_hi2, at_lo2 = out[(mid, g)], out[(hi2, g)], out[(lo2, g)]
        jobs += [
            ((hi1, g), np.flatnonzero(at_mid & ~at_hi2)),
            ((lo1, g), np.flatnonzero(~at_mid & at_lo2)),
        ]
    for (cell, paths), alive in zip(jobs, stage(jobs), strict=True):
        g = cell[1]
        # settled by monotonicity: survive 120% ⇒ survive 110%; fail 100% ⇒ fail 110% (and so on)
        full = out[(hi2, g)].copy() if cell[0] > mid else out[(mid, g)].copy()
        full[paths] = alive
        out[cell] = full
    return {cell: alive for cell, alive in out.items() if cell[1] in line_sizes}


@dataclass(frozen=True)
class SpendingSolution:
    multiplier: float | None  # None: not even zero recurring spending meets the target
    status: str  # "found", "above range" (≥ the largest probe), "below target at zero"
    bracket: tuple[float, float]
    success_at_multiplier: float | None
    curve: tuple[tuple[float, float], ...]  # (multiplier, success) pairs that were measured


def _probe(plan: Plan, returns: np.ndarray, idx: np.ndarray, levels) -> np.ndarray:
    """Survival (levels, len(idx)) of paths ``idx`` at each spending level."""
    levels = np.asarray(levels, dtype=float)
    if len(idx) == 0 or len(levels) == 0:
        return np.zeros((len(levels), len(idx)), dtype=bool)
    mult = np.repeat(levels, len(idx))
    overrides = Overrides(**A5_RULES, spending_multiplier=mult)
    rec = run_on(plan, returns[:, :, idx], overrides, repeat=len(levels))
    return (rec.failure_month < 0).reshape(len(levels), len(idx))


def max_safe_multiplier(
    plan: Plan, returns: np.ndarray, survival: dict[float, np.ndarray], target: float
) -> SpendingSolution:
    """Solve success(m) ≥ target for the largest m (see the module docstring).

    ``survival``: multiplier → survived (N,) for the subset, at least 0.8…1.2.
    """
    n = returns.shape[2]
    known = {float(m): np.asarray(s, dtype=bool) for m, s in survival.items()}
    success = {m: float(s.mean()) for m, s in known.items()}

    def extend(levels, idx, fill):
        res = _probe(plan, returns, idx, levels)
        for k, m in enumerate(levels):
            alive = np.full(n, fill)
            alive[idx] = res[k]
            known[m] = alive
            success[m] = float(alive.mean())

    for levels in HIGHER:
        top = max(known)
        if success[top] < target:
            break
        extend(levels, np.flatnonzero(known[top]), False)
    for levels in LOWER:
        bottom = min(known)
        if success[bottom] >= target:
            break
        extend(levels, np.flatnonzero(~known[bottom]), True)
    levels = sorted(known)
    ok = [m for m in levels if success[m] >= target]
    if not ok:
        return SpendingSolution(None, "below target at zero", (0.0, 0.0), None, _curve(success))
    lo = max(ok)
    above = [m for m in levels if m > lo]
    if not above:
        return SpendingSolution(lo, "above range", (lo, lo), success[lo], _curve(success))
    hi = min(above)
    while hi - lo > TOLERANCE * max(lo, 1e-9):
        ambiguous = np.flatnonzero(known[lo] & ~known[hi])
        # few ambiguous paths: more probes per round (a kernel run has a fixed cost)
        k = int(np.clip(ROUND_COLUMNS // max(1, len(ambiguous)), INSIDE, MAX_INSIDE))
        k = min(k, int(np.ceil((hi - lo) / (TOLERANCE * max(lo, 1e-9)))) - 1) or 1
        inside = list(np.linspace(lo, hi, k + 2)[1:-1])
        res = _probe(plan, returns, ambiguous, inside)
        for k, m in enumerate(inside):
            alive = known[hi].copy()
            alive[ambiguous] = res[k]
            known[m] = alive
            success[m] = float(alive.mean())
        grid = [lo, *inside, hi]
        ok = [m for m in grid if success[m] >= target]
        new_lo = max(ok)
        new_hi = min(m for m in grid if m > new_lo)
        lo, hi = new_lo, new_hi
    return SpendingSolution(lo, "found", (lo, hi), success[lo], _curve(success))


def _curve(success: dict[float, float]) -> tuple[tuple[float, float], ...]:
    return tuple((m, success[m]) for m in sorted(success))


def subset_returns(plan: Plan, model: FactorModel, seed: int, paths: int, subset: int):
    """The log-returns (months, factors, subset) of the first ``subset`` of ``paths``
    paths: the main run's numbers, drawn again (see ``engine.model.returns``)."""
    if not plan.months:
        return np.zeros((0, model.n_factors, subset))
    stream = model.stream(seed, 0, subset, plan.months, total_paths=paths, slab_months=plan.months)
    return stream.next_slab()


@dataclass(frozen=True)
class Solved:
    base: np.ndarray  # survival of the plan as it is on the subset (checks the numbers)
    grid: dict  # (spending, line scale) → survived (N,)
    spending: SpendingSolution | None


def solve(
    plan: Plan,
    model: FactorModel,
    seed: int,
    paths: int,
    subset: int,
    target: float,
    scales: tuple[float, ...] = (BASE_CELL[1],),
) -> Solved:
    """The grid columns ``scales`` (always including the current line) and the max safe
    spending on the first ``subset`` of ``paths`` paths. Self-contained, so it can run in
    a child process: it draws the subset's returns itself."""
    returns = subset_returns(plan, model, seed, paths, subset)
    base = run_on(plan, returns, Overrides(**A5_RULES)).survived
    grid = grid_survival(plan, returns, base, scales=tuple(scales))
    spending = None
    if plan.living_expenses0 > 0:
        at_line1 = {m: grid[(m, 1.0)] for m in GRID_SPENDING}
        spending = max_safe_multiplier(plan, returns, at_line1, target)
    return Solved(base, grid, spending)
