"""Driving the month step over many paths: chunks, prefetched returns, riders (A5).

One pass over the paths feeds the same returns to several *riders* — kernels that
share the random numbers (common random numbers): the plan as it is, the plan
unlevered, and the sensitivity grid on the first ``subset`` paths (each subset path
repeated once per grid cell). Paths run in chunks of whole random-number blocks, so
memory stays bounded and results do not depend on the chunk size. The next slab of
returns is drawn on a second thread while the kernels work on the current one (the
generators release the GIL); each block's generator is still consumed in order, so
the numbers are the same as single-threaded. Nothing here starts a process: a caller
may hand half of the chunks to another (``simulate``'s ``submit``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from engine.kernel import MonthStep, Overrides, Plan, Records
from engine.model.returns import BLOCK_PATHS, FactorModel, check_paths

#: The month-step options of every A5 run: the class's crisis dividend cut, and each
#: unsecured line loses its Crisis limit cut while some class is more than 30% below its
#: running peak (the lender's rule inside the paths).
A5_RULES = {"crisis_dividend_cut": True, "crisis_line_cut": True}


@dataclass(frozen=True)
class Rider:
    """A kernel run on the shared returns.

    ``subset``: only the first ``subset`` paths (None = all); ``repeat``: each of them
    repeated this many times side by side (grid cells), with per-column overrides from
    ``overrides`` (called with the number of columns).
    """

    key: str
    plan: Plan
    overrides: Callable[[int], Overrides] = lambda n: Overrides(**A5_RULES)
    subset: int | None = None
    repeat: int = 1


def chunk_paths(chunk_size: int) -> int:
    """Chunk size rounded up to whole random-number blocks."""
    return max(BLOCK_PATHS, -(-int(chunk_size) // BLOCK_PATHS) * BLOCK_PATHS)


#: The month step's state of one chunk should stay in cache: every month passes over
#: the bucket values and units several times (benchmarks/README.md: chunk sizes measured;
#: results do not depend on the chunk).
STATE_BYTES = 3 * 2**20


def cache_chunk(plan: Plan, chunk_size: int) -> int:
    """``chunk_size``, smaller when the plan's state per chunk would not fit ``STATE_BYTES``
    (values and units per bucket, balances and limits per debt, 8 bytes each)."""
    per_path = 8 * (2 * plan.n_buckets + 2 * plan.n_debts + 16)
    fits = STATE_BYTES // per_path // BLOCK_PATHS * BLOCK_PATHS
    return min(int(chunk_size), max(BLOCK_PATHS, fits))


def simulate(
    model: FactorModel,
    seed: int,
    paths: int,
    months: int,
    riders: list[Rider],
    chunk_size: int = 10_000,
    progress: Callable[[str], None] | None = None,
    keep_subset: int = 0,
    prefetch: bool = True,
    submit: Callable | None = None,
) -> tuple[dict[str, Records], np.ndarray | None]:
    """Run every rider over ``paths`` paths; return their records and, when asked, the
    log-returns of the first ``keep_subset`` paths (months, factors, keep_subset).

    ``submit(fn, *args)``, when given and there is more than one chunk, is handed the
    second half of the chunks, to compute meanwhile (``engine.parallel.Background`` does
    it on the second core); it returns a handle whose ``.result()`` is ``fn(*args)``.
    Each chunk's numbers depend only on its paths, so the records are the same.
    """
    paths = check_paths(paths)
    size = chunk_paths(chunk_size)
    # the first chunk holds every subset path (so subsets never depend on the chunk size)
    need = max([r.subset or 0 for r in riders] + [keep_subset])
    first_size = max(size, -(-need // BLOCK_PATHS) * BLOCK_PATHS)
    starts = [0] + list(range(first_size, paths, size))
    chunks = [(s, min(first_size if k == 0 else size, paths - s)) for k, s in enumerate(starts)]
    here, there = chunks, []
    if submit is not None and len(chunks) > 1:
        cut = next((k for k, (s, _) in enumerate(chunks) if k and s >= paths / 2), len(chunks))
        here, there = chunks[:cut], chunks[cut:]
    full = [r for r in riders if r.subset is None]
    job = None
    if there:
        job = submit(_chunk_records, model, seed, paths, months, full, there, prefetch)
    parts = {r.key: _Collector(0, paths) if r.subset is None else _Collector() for r in riders}
    kept = _run_chunks(model, seed, paths, months, riders, here, parts, keep_subset,
                       prefetch, progress)  # fmt: skip
    if job is not None:
        for key, rec in job.result().items():
            parts[key].add(there[0][0], rec)
    return {k: v.records() for k, v in parts.items()}, kept


def _chunk_records(model, seed, paths, months, riders, chunks, prefetch) -> dict[str, Records]:
    """``simulate``'s second half: the full riders' records over ``chunks`` (one span)."""
    span = (chunks[0][0], sum(n for _, n in chunks))
    parts = {r.key: _Collector(*span) for r in riders}
    _run_chunks(model, seed, paths, months, riders, chunks, parts, 0, prefetch, None)
    return {k: v.records() for k, v in parts.items()}


def _run_chunks(
    model: FactorModel,
    seed: int,
    paths: int,
    months: int,
    riders: list[Rider],
    chunks: list[tuple[int, int]],
    parts: dict[str, _Collector],
    keep_subset: int,
    prefetch: bool,
    progress: Callable[[str], None] | None,
) -> np.ndarray | None:
    """The riders over ``chunks`` [(first path, paths)], a return stream each, their
    records added to ``parts``; the kept log-returns of the first paths, if asked."""
    kept = np.empty((months, model.n_factors, keep_subset)) if keep_subset else None
    done_steps, last_report = 0, -1
    total_steps = max(1, months * len(chunks))
    pool = ThreadPoolExecutor(max_workers=1) if prefetch else None
    try:
        for first, n in chunks:
            stream = model.stream(seed, first, n, months, total_paths=paths)
            steps = []
            for r in riders:
                if r.subset is not None and first > 0:
                    continue
                cols = n if r.subset is None else min(r.subset, n)
                steps.append(
                    (r, cols, MonthStep(r.plan, cols * r.repeat, r.overrides(cols * r.repeat)))
                )
            future = pool.submit(stream.next_slab) if pool and months else None
            t = 0
            while t < months:
                slab = future.result() if future is not None else stream.next_slab()
                if pool and stream.remaining > 0:
                    future = pool.submit(stream.next_slab)
                for r, cols, step in steps:  # one after the other: threads here only
                    part = slab if cols == n else slab[:, :, :cols]  # contend with the
                    if r.repeat > 1:  # solvers' process and the parent's work
                        part = np.tile(part, (1, 1, r.repeat))
                    step.advance(part)
                if kept is not None and first == 0:
                    kept[t : t + slab.shape[0]] = slab[:, :, :keep_subset]
                t += slab.shape[0]
                done_steps += slab.shape[0]
                pct = 10 * (10 * done_steps // total_steps)
                if progress is not None and pct != last_report and pct % 10 == 0:
                    last_report = pct
                    progress(f"Monte Carlo: {pct}%")
            for r, _, step in steps:
                parts[r.key].add(first, step.records())
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return kept


class _Collector:
    """Chunk records copied into arrays for the paths [start, start + count) (memory:
    the result plus one chunk); without a span, the one chunk of a subset rider."""

    def __init__(self, start: int = 0, count: int | None = None):
        self.start, self.count, self.arrays, self.single = start, count, None, None

    def add(self, first: int, rec: Records) -> None:
        if self.count is None:  # a subset rider: one chunk
            self.single = rec
            return
        fields = [f for f in Records.__dataclass_fields__ if f != "monthly"]
        if self.arrays is None:
            self.arrays = {
                f: np.empty((self.count, *getattr(rec, f).shape[1:]), getattr(rec, f).dtype)
                for f in fields
            }
        k = first - self.start
        for f in fields:
            self.arrays[f][k : k + rec.paths] = getattr(rec, f)

    def records(self) -> Records:
        return self.single if self.arrays is None else Records(**self.arrays, monthly=None)


def chunks_of(paths: int, size: int, start: int = 0) -> list[tuple[int, int]]:
    """(first path, paths) of consecutive chunks of ``size`` (whole blocks) covering paths
    ``start`` … ``paths`` (``start`` on a block boundary)."""
    size = chunk_paths(size)
    return [(s, min(size, paths - s)) for s in range(start, paths, size)]


def each_chunk(
    model: FactorModel,
    seed: int,
    paths: int,
    months: int,
    chunks: list[tuple[int, int]],
    work: Callable,
    prefetch: bool = True,
) -> list:
    """``work(first, n, returns)`` for every chunk, ``returns`` its log-returns (months,
    factors, n) drawn once and kept while the chunk's work runs (so every run on a chunk
    sees the same numbers, at no second draw); with ``prefetch``, the next chunk's returns
    are drawn on a second thread meanwhile (two chunks' returns in memory), else each
    after the last one's work. Returns the work's results in chunk order (progress is
    the work's to say: ``mc_run.Meter``)."""

    def draw(first: int, n: int) -> np.ndarray:
        if not months:
            return np.zeros((0, model.n_factors, n))
        stream = model.stream(seed, first, n, months, total_paths=paths, slab_months=months)
        return stream.next_slab()

    out = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(draw, *chunks[0]) if chunks and prefetch else None
        for k, (first, n) in enumerate(chunks):
            returns = future.result() if prefetch else draw(first, n)
            if prefetch and k + 1 < len(chunks):
                future = pool.submit(draw, *chunks[k + 1])
            out.append(work(first, n, returns))
            del returns
    return out


def run_on(plan: Plan, log_returns: np.ndarray, overrides: Overrides, repeat: int = 1) -> Records:
    """Run ``plan`` on stored log-returns (months, factors, n), each path ``repeat`` times."""
    step = MonthStep(plan, log_returns.shape[2] * repeat, overrides)
    for t in range(0, log_returns.shape[0], 12):
        slab = log_returns[t : t + 12]
        step.advance(np.tile(slab, (1, 1, repeat)) if repeat > 1 else slab)
    return step.records()
