"""A5's numbers, with numpy only: the simulation, the solvers and the summaries of paths.

``engine.analyses.monte_carlo`` turns a ``Simulated`` into the sheet's tables. The
split lets the Monte Carlo start in a child process as soon as the workbook is read,
before pandas, xlsxwriter and scipy have loaded in the parent (``start``): nothing
imported here loads them, and ``tests/test_pipeline.py`` checks it.

Every figure is on the full path set with common random numbers (SPEC §4 A5): chunk by
chunk, one draw of the chunk's returns feeds the plan as it is (the records), the plan
without secured leverage, the grid and the max-safe-spending ladder (``mc_solvers``).
A pilot — the first ``PILOT_PATHS`` paths on a wide ladder — finds roughly where success
crosses the target; then every chunk, split over two processes (the second core), runs the
plan and is classified on a fine ladder around that point. What crosses the process
boundary is the chunks' records and survivor counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from engine.analyses import mc_solvers as solvers
from engine.analyses import mc_stats as stats
from engine.analyses.mc_engine import A5_RULES, chunks_of, each_chunk
from engine.i18n import T
from engine.kernel import MonthStep, Overrides, Plan, Records, compile_plan
from engine.kernel.plan import daily_monitoring_factor
from engine.model.bootstrap import historical_model
from engine.model.returns import (
    BLOCK_PATHS,
    FactorModel,
    block_count,
    check_paths,
    check_seed,
    factor_model,
)
from engine.parallel import Background

#: The pilot: paths classified on the wide ladder (survival alone) to place the fine one
#: for every chunk. Its estimate of the max safe multiplier is off by about 5% (one
#: standard error at a 90% target on the examples), inside the window's ±15% (a miss
#: costs a wide pass over every path, never a wrong answer); the pilot's paths are run
#: again by their chunk, on the same random numbers. It runs before any chunk, on one
#: core: the smaller, the sooner both cores work.
PILOT_PATHS = 500
#: The pilot's share of the work of the process that runs it, against a chunk's 1 (its two
#: wide rounds on 500 paths cost about a third of a 5,000-path chunk): for progress only.
PILOT_SHARE = 0.3
#: Within a chunk, the share of its work done after the main run and after the unlevered
#: run; then each solver round does about half of what is left (3 to 5 rounds): for
#: progress only.
AFTER_MAIN, AFTER_UNLEVERED = 0.15, 0.25

#: Paths a chunk at most: a chunk's returns (months × factors × paths floats, 154 MB at
#: 10,000 paths and 480 months) stay in memory while every run on it is made; a kernel
#: run has a fixed cost of its months, so fewer, larger chunks cost less (10,000 paths: one
#: chunk of 5,000 for each core). At 100,000 paths the whole A5 took 41 s with chunks of
#: 10,000 against 53 s with 5,000 (benchmarks/README.md), the same numbers.
CHUNK_PATHS = 10_000


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
    success_probability_unlevered: float  # every path, the same random numbers
    success_probability_levered_same_paths: float
    comparison_paths: int
    monthly_living_expenses: float
    living_rows: tuple[str, ...]  # the Monthly inflation-linked Expense rows it scales
    spending: solvers.SpendingSolution | None  # None: no monthly living costs
    grid_success: dict[tuple[float, float], float]  # (spending ×, line ×) → success
    line_limit: float  # current total unsecured limit
    solver_paths: int
    notes: tuple[str, ...]


def start(inputs, options) -> Started:
    """Begin A5 in a child process (the second core); ``.result()`` gives
    (Simulated, seconds of work). Computed in this process where it cannot fork."""
    return Started(inputs, options)


class Started:
    """A5 under way in a child process (which hands half its chunks to a grandchild)."""

    def __init__(self, inputs, options):
        self._child = Background(_timed, run, inputs, options)

    def result(self) -> tuple[Simulated, float]:
        return self._child.result()

    def cancel(self) -> None:
        self._child.cancel()


def _timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def a5_plan(inputs, unlevered: bool = False) -> tuple[Plan, FactorModel]:
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


@dataclass(frozen=True)
class Job:
    """What every process needs to work on its chunks (the same in each)."""

    plan: Plan
    unlevered: Plan | None  # the plan without secured leverage (None: no secured loan)
    model: FactorModel
    seed: int
    paths: int
    target: float
    window: solvers.Window | None = None  # None: no monthly living costs to scale


@dataclass
class ChunkResult:
    first: int
    main: Records
    unlevered: np.ndarray | None  # (n,) bool: survived without the secured loans
    grid: dict = field(default_factory=dict)  # (spending, line) → survivors
    spending: dict = field(default_factory=dict)  # level → survivors


def records(plan: Plan, returns: np.ndarray) -> Records:
    """The plan on a chunk's returns, with A5's rules."""
    step = MonthStep(plan, returns.shape[2], Overrides(**A5_RULES))
    for t in range(0, returns.shape[0], 12):
        step.advance(returns[t : t + 12])
    return step.records()


def work(job: Job, first: int, n: int, returns: np.ndarray, tick=None) -> ChunkResult:
    """Everything A5 does on one chunk's returns; ``tick(share)``: the share of the chunk's
    work done so far (for progress)."""
    tick = tick or (lambda share: None)
    plan = job.plan
    main = records(plan, returns)
    tick(AFTER_MAIN)
    unlev = None  # the unlevered comparison needs survival alone
    if job.unlevered is not None:
        unlev = solvers.run_columns(job.unlevered, returns, np.arange(n), 1.0, 1.0)
    tick(AFTER_UNLEVERED)
    window = job.window
    levels = () if window is None else window.levels

    def on_round(k: int) -> None:
        tick(AFTER_UNLEVERED + (1.0 - AFTER_UNLEVERED) * (1.0 - 0.5**k))

    grid, survival = solvers.grid_and_spending(
        plan, returns, main.survived, levels, on_round=on_round
    )
    out = ChunkResult(first, main, unlev, {c: int(a.sum()) for c, a in grid.items()})
    if window is not None:
        out.spending = {m: int(survival[m].sum()) for m in window.levels}
    return out


class Meter:
    """This process's part of A5, said as "Monte Carlo: N%" lines that only go up: the pilot,
    then its own chunks phase by phase, to 95%; ``done()`` says 100% once every process has
    finished (the other process's chunks run the same kind of work side by side, unseen)."""

    def __init__(self, progress, chunks: int, pilot: bool):
        self.progress, self.said = progress, 0
        self.pilot = PILOT_SHARE if pilot else 0.0
        self.total = self.pilot + chunks

    def at(self, share: float) -> None:
        """``share``: the work done, in chunks (the pilot counts ``PILOT_SHARE``)."""
        percent = int(95 * min(share, self.total) / self.total) if self.total else 95
        if self.progress is not None and percent > self.said:
            self.said = percent
            self.progress(f"Monte Carlo: {percent}%")

    def pilot_done(self) -> None:
        self.at(self.pilot)

    def chunk(self, k: int):
        """The ``tick`` of this process's k-th chunk (0, 1, …)."""
        return lambda share: self.at(self.pilot + k + share)

    def done(self) -> None:
        if self.progress is not None:
            self.progress("Monte Carlo: 100%")


def place_window(job: Job) -> solvers.Window | None:
    """The fine ladder for every chunk (None: no monthly living costs to scale): the
    pilot's paths classified on the wide ladder, survival alone, and where their
    success crosses the target."""
    plan = job.plan
    if plan.living_expenses0 <= 0:
        return None

    n = min(job.paths, PILOT_PATHS)

    def each(first, drawn, returns):  # the pilot's paths: the first n of the first block
        survival = solvers.pilot_survival(plan, returns[:, :, :n])
        wide = sorted(survival)
        return solvers.first_estimate(wide, [int(survival[m].sum()) for m in wide], n,
                                      job.target)  # fmt: skip

    pilot = [(0, min(job.paths, BLOCK_PATHS))]  # a stream covers whole blocks
    (estimate,) = each_chunk(job.model, job.seed, job.paths, plan.months, pilot, each)
    return solvers.Window.around(estimate)


def balanced_chunks(paths: int) -> list[tuple[int, int]]:
    """Chunks of whole blocks, at most ``CHUNK_PATHS`` paths, an even number of them
    (one block: one), as equal as blocks allow: the even-numbered ones for one core and
    the odd-numbered for the other carry the same paths within a block."""
    blocks = block_count(paths)
    per = max(1, CHUNK_PATHS // BLOCK_PATHS)
    count = min(blocks, 2 * -(-blocks // (2 * per)))
    # the larger chunks last: the last one holds the partial block
    sizes = [blocks // count + (k >= count - blocks % count) for k in range(count)]
    starts = np.cumsum([0, *sizes])[:-1] * BLOCK_PATHS
    return [
        (int(s), min(size * BLOCK_PATHS, paths - int(s)))
        for s, size in zip(starts, sizes, strict=True)
    ]


def _on_chunks(job: Job, chunks, meter: Meter | None = None) -> list:
    order = {first: k for k, (first, _) in enumerate(chunks)}

    def each(first, n, returns):
        return work(job, first, n, returns, None if meter is None else meter.chunk(order[first]))

    # no returns drawn ahead on a thread: both cores are busy with chunks anyway, and one
    # chunk's returns in memory at a time keeps both processes under 1 GB at 100,000 paths
    return each_chunk(job.model, job.seed, job.paths, job.plan.months, chunks, each,
                      prefetch=False)  # fmt: skip


def run(inputs, options) -> Simulated:
    """Simulate the plan, solve the grid and the max safe spending on every path, and
    summarise (``start`` is the same, begun in a child process).

    ``options`` is an ``engine.analyses.options.RunOptions`` (paths, seed, progress).
    """
    s = inputs.settings
    paths = check_paths(options.mc_paths(inputs))
    seed = check_seed(options.mc_seed(inputs))
    plan, model = a5_plan(inputs)
    unlevered = a5_plan(inputs, unlevered=True)[0] if len(plan.secured_index) else None
    job = Job(plan, unlevered, model, seed, paths, s.target_success_probability)
    chunks = balanced_chunks(paths)
    here, away = chunks[0::2], chunks[1::2]  # this process and a child: equal shares
    meter = Meter(options.progress, len(here), plan.living_expenses0 > 0)
    job = replace(job, window=place_window(job))
    meter.pilot_done()
    there = Background(_on_chunks, job, away) if away else None
    results = _on_chunks(job, here, meter)
    if there is not None:
        results += there.result()
    meter.done()
    return summarise(job, results)


def _wide_pass(job: Job) -> dict[float, int]:
    """Every path on the wide ladder: for when the fine window missed the crossing."""
    plan = job.plan

    def each(first, n, returns):
        main = records(plan, returns)
        survival = solvers.spending_chunk(plan, returns, solvers.WIDE, {1.0: main.survived})
        return {m: int(a.sum()) for m, a in survival.items()}

    parts = each_chunk(job.model, job.seed, job.paths, plan.months,
                       chunks_of(job.paths, CHUNK_PATHS), each)  # fmt: skip
    return _sum(parts)


def solve_spending(job: Job, results: list[ChunkResult]) -> solvers.SpendingSolution:
    """The max safe multiplier from every chunk's counts (a wide pass if the window
    missed the crossing or its interval)."""
    counts = _sum([r.spending for r in results])
    levels = sorted(counts)
    solution = solvers.solve_spending(levels, [counts[m] for m in levels], job.paths, job.target)
    if job.window is not None and not job.window.wide and not _inside(solution, levels):
        counts = {**counts, **_wide_pass(job)}
        levels = sorted(counts)
        solution = solvers.solve_spending(
            levels, [counts[m] for m in levels], job.paths, job.target
        )
    return solution


def summarise(job: Job, results: list[ChunkResult]) -> Simulated:
    plan, paths = job.plan, job.paths
    results = sorted(results, key=lambda r: r.first)
    main = Records.concat([r.main for r in results])
    unlev = None if job.unlevered is None else np.concatenate([r.unlevered for r in results])
    living0 = plan.living_expenses0
    notes = list(plan.notes)
    spending = solve_spending(job, results) if living0 > 0 else None
    if spending is None:
        notes.append(T("mc.no_monthly_living_costs_the"))
    line_limit = float(plan.limit[plan.line_index].sum()) if len(plan.line_index) else 0.0
    if line_limit <= 0:
        notes.append(T("mc.no_unsecured_line_the_line"))
    forced = main.forced_sale
    success = float(main.survived.mean())
    return Simulated(
        paths=paths,
        seed=job.seed,
        years=plan.months // 12,
        success_probability=success,
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
        success_probability_unlevered=success if unlev is None else float(unlev.mean()),
        success_probability_levered_same_paths=success,
        comparison_paths=paths,
        monthly_living_expenses=living0,
        living_rows=plan.flows.living_rows,
        spending=spending,
        grid_success={
            cell: count / paths for cell, count in _sum([r.grid for r in results]).items()
        },
        line_limit=line_limit,
        solver_paths=paths,
        notes=tuple(notes),
    )


def _sum(parts: list[dict]) -> dict:
    out: dict = {}
    for part in parts:
        for key, count in part.items():
            out[key] = out.get(key, 0) + count
    return out


def _inside(solution: solvers.SpendingSolution, levels: list[float]) -> bool:
    """Whether the fine window holds the crossing and both ends of its interval."""
    fine = [m for m in levels if m not in solvers.GRID_SPENDING] or levels
    lo, hi = min(fine), max(fine)
    values = [solution.multiplier, *solution.interval]
    return all(v is not None and lo < v < hi for v in values)
