"""A5's numbers, with numpy only: the simulation, the solvers and the summaries of paths.

``engine.analyses.monte_carlo`` turns a ``Simulated`` into the sheet's tables. The
split lets the Monte Carlo start in a child process as soon as the workbook is read,
before pandas, xlsxwriter and scipy have loaded in the parent (``start``): nothing
imported here loads them, and ``tests/test_pipeline.py`` checks it.

Three processes share the work on two cores: the child runs the main path set (and,
from ``SPLIT_FROM`` paths, a second child half of it) and the grid's ``CHILD_SCALES``,
a grandchild the solvers (``mc_solvers.solve``: the current line's grid and the max
safe spending), and the grid's ``SHARED_SCALES`` go to whichever of the child and the
parent (once A1–A4 are done) is free first. Every share draws the same random numbers,
so the results do not depend on who computes what.

What crosses the process boundary is small (probabilities, per-year arrays, one value
per path for the failure month and the highest LTV), whatever the number of paths'
records would weigh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from engine.analyses import mc_solvers as solvers
from engine.analyses import mc_stats as stats
from engine.analyses.mc_engine import A5_RULES, Rider, cache_chunk, simulate
from engine.kernel import Overrides, compile_plan
from engine.kernel.plan import daily_monitoring_factor
from engine.model.bootstrap import historical_model
from engine.model.returns import check_paths, check_seed, factor_model
from engine.parallel import Background, Claims

#: The unlevered comparison runs on the first paths of the main run (same random numbers).
COMPARISON_PATHS = 2_000
#: From this many paths the main run also splits its chunks over two processes. Below,
#: the solvers' process keeps the second core busy for about as long as the main run
#: (the measurements are in benchmarks/README.md).
SPLIT_FROM = 50_000


@dataclass(frozen=True)
class PathEvents:
    """The lenders' rules on the paths, as shares (reported as they are)."""

    has_secured_loans: bool
    has_lines: bool
    p_margin_call: float  # some loan's LTV at or above its call LTV
    p_sale_under_call: float  # a call met by selling something
    p_liquidation: float  # some loan's LTV at or above its liquidation LTV
    p_forced_sale: float  # a sale under a call or a liquidation
    p_line_drawn: float  # some unsecured line drawn during the run
    p_lines_fully_drawn: float
    mean_forced_sale_amount: float  # over the paths with a forced sale
    income_covered_probability: float  # every year, net dividends + income ≥ costs


@dataclass(frozen=True)
class Simulated(PathEvents):
    """Everything A5 reports, before it is laid out as tables."""

    paths: int
    seed: int
    years: int
    success_probability: float
    failure_month: np.ndarray  # (paths,) month of failure, −1 if the path never fails
    #: real_net_worth_pXX / real_passive_income_pXX / debt_pXX, each (years,)
    percentiles: dict[str, np.ndarray]
    worst_ltv: np.ndarray | None  # (paths,) highest LTV over the secured loans; None: none
    success_probability_unlevered: float  # on the first `comparison_paths` paths
    success_probability_levered_same_paths: float
    comparison_paths: int
    monthly_living_expenses: float
    spending: solvers.SpendingSolution | None  # None: no recurring living expenses
    grid_success: dict[tuple[float, float], float]  # (spending ×, line ×) → success
    line_limit: float  # current total unsecured limit
    solver_paths: int
    notes: tuple[str, ...]


def start(inputs, options) -> Started:
    """Begin A5 in a child process (the second core); ``.result()`` gives
    (Simulated, seconds of work). Computed in this process where it cannot fork."""
    return Started(inputs, options)


class Started:
    """A5 under way: the main run and (in a grandchild) the solvers in a child process.

    The grid's line sizes ``SHARED_SCALES`` go to whichever is free first (``Claims``):
    the child once its main run is done, or this process once it has run A1–A4 and
    asks for the result. Which one computes them depends on the machine's load; the
    numbers do not (the same function on the same random numbers).
    """

    def __init__(self, inputs, options):
        self._inputs, self._options = inputs, options
        self._claims = Claims(SHARED_SCALES)
        self._child = Background(_timed, _main_and_solvers, inputs, options, self._claims)

    def result(self) -> tuple[Simulated, float]:
        t0 = time.perf_counter()
        here = _grid_for(self._inputs, self._options, _claim_all(self._claims))
        seconds = time.perf_counter() - t0
        simulated, there = self._child.result()
        self._claims.close()
        simulated = _with_grid(simulated, here)
        # a child that died after claiming (its work then redone inline) left a gap
        t0 = time.perf_counter()
        gaps = [g for g in SHARED_SCALES if (solvers.BASE_CELL[0], g) not in simulated.grid_success]
        simulated = _with_grid(simulated, _grid_for(self._inputs, self._options, gaps))
        return simulated, seconds + there + time.perf_counter() - t0

    def cancel(self) -> None:
        self._child.cancel()
        self._claims.close()


def _timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def run(inputs, options) -> Simulated:
    """Simulate the plan, solve the grid and the max safe spending, summarise the paths
    (all in this process but the solvers; ``start`` is the same, begun in a child).

    ``options`` is an ``engine.analyses.options.RunOptions`` (paths, seed, chunk size,
    progress).
    """
    return _main_and_solvers(inputs, options)


#: Who computes which of the grid's line sizes (``mc_solvers.GRID_LINE``): the solvers'
#: process the current line (the max safe spending starts from it), the main-run child
#: ×0 after its main run, and the others whichever of it and the parent is free first.
SOLVER_SCALES = (1.0,)
CHILD_SCALES = (0.0,)
SHARED_SCALES = (0.5, 2.0)


def _claim_all(claims: Claims) -> list[float]:
    """The tasks (line sizes) this process takes: every one still left."""
    taken = []
    while (task := claims.next()) is not None:
        taken.append(task)
    return taken


def _grid_for(inputs, options, scales) -> dict[tuple[float, float], float]:
    """Success at every spending level for the line sizes ``scales``, on the solvers'
    subset of paths (its returns drawn again: the same numbers)."""
    if not scales:
        return {}
    paths, seed, plan, model = _setup(inputs, options)
    subset = min(solvers.SOLVER_PATHS, paths)
    returns = solvers.subset_returns(plan, model, seed, paths, subset)
    grid = solvers.grid_survival(plan, returns, None, scales=tuple(scales))
    return {cell: float(alive.mean()) for cell, alive in grid.items()}


def _setup(inputs, options):
    """(paths, seed, plan, return model) of a run, checked: the same in every process."""
    paths = check_paths(options.mc_paths(inputs))
    seed = check_seed(options.mc_seed(inputs))
    plan, model = a5_plan(inputs)
    return paths, seed, plan, model


def a5_plan(inputs, unlevered: bool = False):
    """The plan as A5 runs it, and its return model (with Return model = Historical the
    bootstrap of ``engine.model.bootstrap``): inflation as a path when it has a volatility
    or comes from history, dividends following prices against their median path, the
    lenders' thresholds corrected for daily monitoring (SPEC §3)."""
    s = inputs.settings
    historical = s.return_model == "Historical"  # history drives inflation too (SPEC §3)
    inflation_path = historical or s.inflation_volatility > 0
    plan = compile_plan(inputs, unlevered=unlevered, inflation_path=inflation_path)
    model = (historical_model if historical else factor_model)(inputs, plan.factor_labels)
    drift = np.array(
        [model.monthly_drift[f] if f >= 0 else 0.0 for f in plan.class_factor], dtype=float
    )
    plan = replace(plan, class_median_drift=drift)
    if s.lender_monitoring == "Daily" and len(plan.secured_index):
        plan = replace(plan, threshold_factor=daily_monitoring_factor(plan, model.loading))
    return plan, model


def _with_grid(simulated: Simulated, cells: dict[tuple[float, float], float]) -> Simulated:
    return replace(simulated, grid_success={**simulated.grid_success, **cells})


def _main_and_solvers(inputs, options, claims: Claims | None = None) -> Simulated:
    """Everything, but of the grid's ``SHARED_SCALES`` only those it can claim (all
    without ``claims``)."""
    paths, seed, plan, model = _setup(inputs, options)
    s = inputs.settings
    unlevered, _ = a5_plan(inputs, unlevered=True)
    months, years = plan.months, plan.months // 12
    subset = min(solvers.SOLVER_PATHS, paths)
    compare = min(COMPARISON_PATHS, paths)
    target = s.target_success_probability
    # the solvers need only the first `subset` paths: they run on the second core
    job = Background(solvers.solve, plan, model, seed, paths, subset, target, SOLVER_SCALES)
    base = lambda n: Overrides(**A5_RULES)  # noqa: E731
    riders = [Rider("main", plan, base)]
    if plan.n_debts > 0:
        riders.append(Rider("unlevered", unlevered, base, subset=compare))
    chunk = cache_chunk(plan, options.chunk_size)
    records, kept = simulate(
        model, seed, paths, months, riders, chunk, options.progress, keep_subset=subset,
        submit=Background if paths >= SPLIT_FROM else None,
    )  # fmt: skip
    main = records["main"]
    shared = SHARED_SCALES if claims is None else tuple(_claim_all(claims))
    grid = solvers.grid_survival(plan, kept, None, scales=CHILD_SCALES + shared)
    unlev = records.get("unlevered", main)

    solved = job.result()
    if not np.array_equal(solved.base, main.survived[:subset]):  # same random numbers
        raise RuntimeError("Monte Carlo solvers did not see the main run's paths")
    living0 = plan.living_expenses0
    notes = list(plan.notes)
    if living0 <= 0 or solved.spending is None:
        notes.append("no recurring living expenses: the max safe spending is not defined")
    line_limit = float(plan.limit[plan.line_index].sum()) if len(plan.line_index) else 0.0
    if line_limit <= 0:
        notes.append("no unsecured line: the line columns of the grid are all the same plan")
    forced = main.forced_sale
    return Simulated(
        paths=paths,
        seed=seed,
        years=years,
        success_probability=float(main.survived.mean()),
        failure_month=main.failure_month,
        percentiles=stats.yearly_percentiles(main),
        worst_ltv=main.max_ltv.max(axis=1) if main.max_ltv.size else None,
        has_secured_loans=len(plan.secured_index) > 0,
        has_lines=len(plan.line_index) > 0,
        p_margin_call=float(main.margin_call.mean()),
        p_sale_under_call=float(main.sale_under_call.mean()),
        p_liquidation=float(main.liquidation.mean()),
        p_forced_sale=float(forced.mean()),
        p_line_drawn=float(main.line_drawn.mean()),
        p_lines_fully_drawn=float(main.lines_fully_drawn.mean()),
        income_covered_probability=float(main.income_covered.mean()),
        mean_forced_sale_amount=float(main.forced_sale_amount[forced].mean())
        if forced.any()
        else 0.0,
        success_probability_unlevered=float(unlev.survived[:compare].mean()),
        success_probability_levered_same_paths=float(main.survived[:compare].mean()),
        comparison_paths=compare,
        monthly_living_expenses=living0,
        spending=solved.spending if living0 > 0 else None,
        grid_success={cell: float(alive.mean()) for cell, alive in {**grid, **solved.grid}.items()},
        line_limit=line_limit,
        solver_paths=subset,
        notes=tuple(notes),
    )
