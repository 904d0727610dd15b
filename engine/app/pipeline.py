"""The analysis registry: inputs → results, in dependency order.

Each analysis is a module ``engine.analyses.<name>`` with

    analyse(inputs: Inputs, prior: Mapping[str, Any], options: RunOptions) -> Result
    to_json(result) -> dict          # the SPEC §6 block for its key

and its sheet is a module ``engine.report.<name>`` with

    write(ws, result, ctx: ReportContext) -> None

``prior`` holds the results of the analyses before it, by key (A3 reads A2's, the
dashboard reads all). Adding an analysis is one module in each package and one
line in ``ANALYSES``.

An analysis that needs no prior result may name an ``ahead`` module, which must load
without pandas, xlsxwriter or scipy. Its

    start(inputs, options) -> handle     # handle.result() -> (numbers, seconds)

begins the work as soon as the workbook is read (``start_ahead``; A5 in a child
process, so the Monte Carlo uses the second core while the rest of the engine loads
and A1–A4 run), and the analysis module's

    finish(inputs, numbers, options) -> Result

lays the numbers out when its turn comes.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.model import Inputs


@dataclass(frozen=True)
class RunOptions:
    """How to run (not what to compute: that is in Inputs)."""

    paths: int | None = None  # overrides Settings › Monte Carlo paths
    seed: int | None = None  # overrides Settings › Random seed
    chunk_size: int = 10_000  # Monte Carlo paths per chunk (results do not depend on it)
    history: Sequence[Mapping[str, Any]] = ()  # past runs (oldest first) for the trend
    progress: Callable[[str], None] = field(default=lambda message: None)

    def mc_paths(self, inputs: Inputs) -> int:
        return self.paths if self.paths is not None else inputs.settings.mc_paths

    def mc_seed(self, inputs: Inputs) -> int:
        return self.seed if self.seed is not None else inputs.settings.random_seed


@dataclass(frozen=True)
class Analysis:
    key: str  # results / JSON key
    timing: str  # timings_s key
    sheet: str  # output sheet name
    name: str  # module name in engine.analyses and engine.report
    ahead: str | None = None  # module started before the others (see the module docstring)

    def module(self):
        return importlib.import_module(f"engine.analyses.{self.name}")

    def writer(self):
        return importlib.import_module(f"engine.report.{self.name}")


#: Computation order. The Dashboard is computed last but written first (SPEC §5).
ANALYSES: tuple[Analysis, ...] = (
    Analysis("balance_sheet", "a1", "Balance Sheet", "balance_sheet"),
    Analysis("stress", "a2", "Stress Test", "stress"),
    Analysis("defense", "a3", "Defense", "defense"),
    Analysis("snowball", "a4", "Snowball", "snowball"),
    Analysis("monte_carlo", "a5", "Monte Carlo", "monte_carlo", ahead="mc_run"),
    Analysis("dashboard", "a6", "Dashboard", "dashboard"),
)

#: Output sheet order (SPEC §5); Inputs and About are written by engine.report.workbook.
SHEET_ORDER: tuple[str, ...] = (
    "Dashboard",
    "Balance Sheet",
    "Stress Test",
    "Defense",
    "Snowball",
    "Monte Carlo",
    "Inputs",
    "About",
)


@dataclass
class RunResults:
    inputs: Inputs
    results: dict[str, Any]
    timings: dict[str, float]
    analyses: tuple[Analysis, ...]


def start_ahead(inputs: Inputs, options: RunOptions) -> dict[str, Any]:
    """Start the analyses that have an ``ahead`` module; {key: handle} for ``run_analyses``.

    Only the options' paths, seed, chunk size and progress reach them (not the history).
    """
    return {
        a.key: importlib.import_module(f"engine.analyses.{a.ahead}").start(inputs, options)
        for a in ANALYSES
        if a.ahead
    }


def cancel(started: Mapping[str, Any]) -> None:
    """Stop work begun by ``start_ahead`` whose result will not be collected."""
    for handle in started.values():
        handle.cancel()


def run_analyses(
    inputs: Inputs, options: RunOptions | None = None, started: Mapping[str, Any] | None = None
) -> RunResults:
    """Run every analysis in order, timing each. ``started``: from ``start_ahead`` with
    the same inputs (started here when not given)."""
    options = options or RunOptions()
    pending = dict(start_ahead(inputs, options) if started is None else started)
    results: dict[str, Any] = {}
    timings: dict[str, float] = {}
    analyses = ANALYSES
    try:
        for a in analyses:
            options.progress(f"{a.sheet}…")
            if a.key in pending:  # its own time (it ran beside the others) + laying out
                numbers, seconds = pending.pop(a.key).result()
                t0 = time.perf_counter()
                results[a.key] = a.module().finish(inputs, numbers, options)
                timings[a.timing] = seconds + time.perf_counter() - t0
                continue
            t0 = time.perf_counter()
            results[a.key] = a.module().analyse(inputs, results, options)
            timings[a.timing] = time.perf_counter() - t0
    finally:
        cancel(pending)
    return RunResults(inputs, results, timings, analyses)


def summary_json(run: RunResults) -> dict[str, Any]:
    """The per-analysis blocks of the SPEC §6 summary, by key."""
    return {a.key: a.module().to_json(run.results[a.key]) for a in run.analyses}
