"""Per-stage profile of one workbook: ``python -m benchmarks.profile_stages WORKBOOK``.

Runs the stages of ``engine.app.cli`` in this process — read, A1 … A6, write, history (into
a temporary database) — each under cProfile, and prints each stage's wall time and its
heaviest functions (own time). ``--no-fork`` runs the Monte Carlo solvers in this
process (``ALM_MC_FORK=0``) so their cost shows in A5's profile.

    python -m benchmarks.make_workbooks /tmp/alm-bench --batch 0
    python -m benchmarks.profile_stages /tmp/alm-bench/large.xlsx --top 12
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _profiled(label: str, fn, top: int, rows: list):
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    try:
        return fn()
    finally:
        profile.disable()
        wall = time.perf_counter() - t0
        rows.append((label, wall))
        if top:
            text = io.StringIO()
            stats = pstats.Stats(profile, stream=text).strip_dirs().sort_stats("tottime")
            stats.print_stats(top)
            body = text.getvalue()
            body = body[body.find("   ncalls") :] if "   ncalls" in body else body
            print(f"\n=== {label}: {wall:.3f} s ===\n{body.rstrip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--top", type=int, default=10, help="functions per stage (0: none)")
    parser.add_argument("--paths", type=int, default=None)
    parser.add_argument("--no-fork", action="store_true", help="solvers in this process")
    args = parser.parse_args(argv)
    if args.no_fork:
        os.environ["ALM_MC_FORK"] = "0"

    from engine.analyses.options import RunOptions
    from engine.app.history import record_run
    from engine.app.pipeline import RunResults, build_summary, write_workbook
    from engine.app.registry import ANALYSES
    from engine.io.reader import read_workbook
    from engine.report.workbook import RunInfo

    rows: list[tuple[str, float]] = []
    inputs = _profiled("read", lambda: read_workbook(args.workbook), args.top, rows)
    options = RunOptions(paths=args.paths)
    results, timings = {}, {}
    analyses = ANALYSES
    for a in analyses:
        module = a.module()
        results[a.key] = _profiled(
            f"{a.timing} {a.key}", lambda m=module: m.analyse(inputs, results, options),
            args.top, rows,
        )  # fmt: skip
        timings[a.timing] = rows[-1][1]
    run = RunResults(inputs, results, timings, analyses)
    with tempfile.TemporaryDirectory(prefix="alm-profile-") as tmp:
        info = RunInfo(
            input_path=args.workbook,
            seed=options.mc_seed(inputs),
            paths=options.mc_paths(inputs),
            input_sha256=inputs.source_sha256 or "",
        )
        path, _ = _profiled("write", lambda: write_workbook(run, Path(tmp), info), args.top, rows)
        summary = build_summary(run, info, {"read": rows[0][1]})
        db = Path(tmp) / "history.sqlite"
        _profiled("history", lambda: record_run(db, inputs, summary, datetime.now()), args.top,
                  rows)  # fmt: skip
        size = path.stat().st_size
    print(f"\n{args.workbook.name}: {len(inputs.holdings):,} holdings, {len(inputs.loans)} loans; "
          f"results workbook {size / 1e6:.1f} MB")  # fmt: skip
    for label, wall in rows:
        print(f"  {label:<16} {wall:8.3f} s")
    print(f"  {'total':<16} {sum(w for _, w in rows):8.3f} s (without imports and startup)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
