"""The summary JSON (SPEC §6): stable keys, money in base currency, ratios as fractions.

Top level: ``engine_version, portfolio, valuation_date, base_currency, paths, seed``,
then one block per analysis (from ``pipeline.summary_json``), ``warnings`` and
``timings_s`` (``read, a1..a6, write, total``; null for an analysis not run).
Keys are only ever added, never renamed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from engine import __version__
from engine.app.pipeline import ANALYSES, RunResults, summary_json

TIMING_KEYS: tuple[str, ...] = ("read", *(a.timing for a in ANALYSES), "write", "total")


def jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays unwrapped, NaN/inf → null, dates ISO."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):  # other numpy / pandas scalars
        return jsonable(value.item())
    return str(value)


def build_summary(run: RunResults, run_info, timings: Mapping[str, float]) -> dict[str, Any]:
    """The SPEC §6 summary of one run. ``timings`` holds read/write/total (seconds)."""
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
    out["warnings"] = [str(w) for w in (*run.inputs.warnings, *run_info.warnings)]
    merged = {**run.timings, **timings}
    out["timings_s"] = {
        key: (round(float(merged[key]), 4) if key in merged else None) for key in TIMING_KEYS
    }
    return jsonable(out)


def dumps(summary: Mapping[str, Any]) -> str:
    """Serialise strictly: a NaN that slipped through is a bug, not a silent ``NaN``."""
    return json.dumps(summary, allow_nan=False, ensure_ascii=False, indent=2) + "\n"


def write_summary(summary: Mapping[str, Any], workbook_path: Path) -> Path:
    """Write ``<workbook stem>.json`` beside the workbook, atomically; return its path."""
    from engine.report.workbook import atomic_write

    text = dumps(summary)
    target = Path(workbook_path).with_suffix(".json")

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    path, _message = atomic_write(target, write, what="summary")
    return path
