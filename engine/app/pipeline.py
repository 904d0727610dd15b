"""Inputs → results → summary: the analyses of ``engine.app.registry`` in order.

``start_ahead`` begins the analyses with an ``ahead`` module as soon as the workbook is
read (A5 on the second core, while the rest of the engine loads and A1–A4 run);
``run_analyses`` runs every analysis in computation order, each reading the results
before it; ``sheets`` pairs each result with its writer; ``build_summary`` assembles
the SPEC §6 summary from each analysis's ``to_json`` block.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import __version__
from engine.analyses.options import RunOptions
from engine.app.registry import ANALYSES, Analysis
from engine.jsonable import jsonable
from engine.model import Inputs

TIMING_KEYS: tuple[str, ...] = ("read", *(a.timing for a in ANALYSES), "write", "total")
#: The household's choices and the model's settings a run assumed (SPEC §6 ``assumptions``).
ASSUMPTION_KEYS: tuple[str, ...] = (
    "loan_policy",
    "standby_line_use",
    "lender_monitoring",
    "return_model",
    "capital_gains_tax_rate",
    "inflation_volatility",
    "language",
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
    return {a.key: a.ahead().start(inputs, options) for a in ANALYSES if a.ahead_path}


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
    try:
        for a in ANALYSES:
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
    return RunResults(inputs, results, timings, ANALYSES)


def sheets(run: RunResults) -> list:
    """Each analysis's sheet (name, writer, result) for the results workbook."""
    from engine.report.workbook import Sheet

    return [Sheet(a.sheet, a.writer(), run.results[a.key]) for a in run.analyses]


def write_workbook(run: RunResults, out_dir, run_info):
    """The results workbook of ``run`` in ``out_dir``: (path, message or None)."""
    from engine.report.workbook import write_results

    return write_results(run.inputs, sheets(run), run.results, out_dir, run_info)


def summary_json(run: RunResults) -> dict[str, Any]:
    """The per-analysis blocks of the SPEC §6 summary, by key."""
    return {a.key: a.module().to_json(run.results[a.key]) for a in run.analyses}


def build_summary(run: RunResults, run_info, timings: Mapping[str, float]) -> dict[str, Any]:
    """The SPEC §6 summary of one run. ``timings`` holds read/write/total (seconds).

    Top level: ``engine_version, portfolio, valuation_date, base_currency, paths, seed``,
    then one block per analysis, ``assumptions`` (``ASSUMPTION_KEYS``), ``warnings`` and
    ``timings_s`` (``read, a1..a6, write, total``; null for a stage not run).
    """
    settings = run.inputs.settings
    out: dict[str, Any] = {
        "engine_version": __version__,
        "portfolio": settings.portfolio_name,
        "valuation_date": settings.valuation_date.isoformat(),
        "base_currency": settings.base_currency,
        "paths": run_info.paths if run_info.paths is not None else settings.mc_paths,
        "seed": run_info.seed if run_info.seed is not None else settings.random_seed,
    }
    out.update(summary_json(run))
    out["assumptions"] = {key: getattr(settings, key) for key in ASSUMPTION_KEYS}
    out["warnings"] = [str(w) for w in (*run.inputs.warnings, *run_info.warnings)]
    merged = {**run.timings, **timings}
    out["timings_s"] = {
        key: (round(float(merged[key]), 4) if key in merged else None) for key in TIMING_KEYS
    }
    return jsonable(out)
