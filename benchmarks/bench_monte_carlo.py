"""Monte Carlo benchmark (SPEC §9): ``python -m benchmarks.bench_monte_carlo``.

For 10,000 and 100,000 paths × the example's horizon (40 years = 480 months) it times

- the full model: the month step (loans, lines, margin rules, dividends, cash flows)
  over every path, fed by the correlated lognormal returns, as A5's main run makes it:
  chunks as ``mc_run.balanced_chunks`` makes them (5,000 paths at 10,000, 10,000 at
  100,000), half of them in a second process, the next slab of returns drawn on a second
  thread;
- the same, single-threaded;
- a bare lognormal random walk of the same size in the same process: the same random
  numbers (same generators, same correlation), exponentiated and multiplied into a
  wealth array, nothing else — the floor set by random-number generation;

and prints wall time (median of ``--runs`` runs, with min and max), path-months per
second, peak memory (traced allocations of one extra run) and the ratio of the full model
to the bare walk. Also the whole A5 analysis on the example (main run, unlevered
comparison, grid, max safe spending).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.analyses import mc_run  # noqa: E402
from engine.analyses import monte_carlo as mc  # noqa: E402
from engine.analyses.mc_engine import Rider, simulate  # noqa: E402
from engine.analyses.mc_run import a5_plan  # noqa: E402
from engine.analyses.options import RunOptions  # noqa: E402
from engine.model.returns import ReturnStream  # noqa: E402
from engine.parallel import Background  # noqa: E402

EXAMPLE = ROOT / "workbooks" / "example.xlsx"
#: The bare walk's chunk (its speed hardly depends on it); the full model runs in A5's.
CHUNK = 10_000


def example_inputs():
    """The example workbook, or an equivalent hand-made household while it is missing."""
    if EXAMPLE.exists():
        from engine.io.reader import read_workbook

        return read_workbook(EXAMPLE), "workbooks/example.xlsx"
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import cash, equity, expense, line, make_inputs, secured_loan

    from engine.model import Holding

    holdings = [
        equity("Core", 100e6, pledged_to="SBL", dps=40.0, dividend_policy="Progressive"),
        equity("NISA", 12.5e6, account="NISA", dps=30.0, dividend_policy="Fixed"),
        Holding(
            "VOO",
            "Foreign equity",
            166.67,
            500.0,
            "USD",
            fx_rate=150.0,
            dps=6.8,
            dividend_policy="Fixed",
            withholding=0.1,
            pledged_to="SBL",
        ),  # fmt: skip
        cash(10e6),
    ]
    loans = [secured_loan(), line(limit=8e6, rate=0.03, fee=0.0025)]
    inputs = make_inputs(holdings, loans, [expense(80_000)], cash_buffer_months=6.0)
    return inputs, "tests/factories.py (example.xlsx not found)"


def full_model(inputs, paths: int, prefetch: bool = True, split: bool = True) -> None:
    """The main run as A5 does it, every revision-2 state on (inflation as a path,
    floating rates, dividends following prices, cost basis and capital-gains tax, the
    daily-monitoring thresholds: ``mc_run.a5_plan``); ``split``: chunks over two
    processes (the records are the same either way)."""
    plan, model = a5_plan(inputs)
    seed = inputs.settings.random_seed
    riders = [Rider("main", plan)]
    simulate(
        model,
        seed,
        paths,
        plan.months,
        riders,
        max(n for _, n in mc_run.balanced_chunks(paths)),  # A5's chunks
        prefetch=prefetch,
        submit=Background if split else None,
    )


def resident_peak(paths: int) -> float:
    """Peak resident memory (bytes) of the full model in a fresh process, plus the peak
    of its child (an upper bound of the two together: the child's resident pages include
    those it shares with its parent)."""
    import subprocess

    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r});"
        "from benchmarks.bench_monte_carlo import example_inputs, full_model;"
        f"full_model(example_inputs()[0], {paths});"
        "r = resource.getrusage; print((r(resource.RUSAGE_SELF).ru_maxrss"
        " + r(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def bare_walk(inputs, paths: int) -> None:
    """The same random numbers, exponentiated and compounded; nothing else."""
    plan, model = a5_plan(inputs)
    seed = inputs.settings.random_seed
    for first in range(0, paths, CHUNK):
        n = min(CHUNK, paths - first)
        wealth = np.ones((model.n_factors, n))
        for slab in ReturnStream(model, seed, first, n, plan.months, total_paths=paths).slabs():
            for month in slab:
                wealth *= np.exp(month)


def timed(fn, runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def peak_memory(fn) -> float:
    """Peak traced allocation (bytes) during one run."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return float(peak)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--paths", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args(argv)
    inputs, source = example_inputs()
    months = inputs.settings.months
    print(f"Monte Carlo benchmark on {source}: {months} months, A5's chunks, "
          f"median of {args.runs} runs [min–max]")  # fmt: skip
    full_model(inputs, 1_000)  # warm-up (imports, caches)
    header = (
        f"{'paths × months':>18} | {'model':<16} | {'wall s (median [min–max])':>26} | "
        f"{'path-months/s':>13} | {'peak MB':>7} | {'ratio to bare':>13}"
    )
    print(header)
    print("-" * len(header))
    for paths in args.paths:
        bare = timed(lambda p=paths: bare_walk(inputs, p), args.runs)
        rows = [
            ("full, prefetch", lambda p=paths: full_model(inputs, p, True)),
            ("full, 1 thread", lambda p=paths: full_model(inputs, p, False)),
        ]
        for name, fn in rows:
            med, lo, hi = timed(fn, args.runs)
            mem = peak_memory(fn)
            print(f"{paths:>9,} × {months:<6} | {name:<16} | {med:>8.3f} [{lo:.3f}–{hi:.3f}]"
                  f"{'':>3} | {paths * months / med:>13,.0f} | {mem / 2**20:>7.0f} | "
                  f"{med / bare[0]:>12.2f}×")  # fmt: skip
        mem = peak_memory(lambda p=paths: bare_walk(inputs, p))
        print(f"{paths:>9,} × {months:<6} | {'bare random walk':<16} | {bare[0]:>8.3f} "
              f"[{bare[1]:.3f}–{bare[2]:.3f}]{'':>3} | {paths * months / bare[0]:>13,.0f} | "
              f"{mem / 2**20:>7.0f} | {1:>12.2f}×")  # fmt: skip
    print("\nThe whole A5 (main run, unlevered comparison, grid and max safe spending, every")
    print("one on every path; two processes) against the main run alone (two processes):")
    for paths in args.paths:
        whole = timed(lambda p=paths: mc_run.run(inputs, RunOptions(paths=p)), args.runs)
        main_only = timed(lambda p=paths: full_model(inputs, p, True), args.runs)
        print(f"{paths:>9,} paths: whole A5 {whole[0]:.3f} s [{whole[1]:.3f}–{whole[2]:.3f}], "
              f"main run {main_only[0]:.3f} s; solvers {whole[0] - main_only[0]:.3f} s; "
              f"ratio {whole[0] / main_only[0]:.2f}×")  # fmt: skip
    options = RunOptions(paths=10_000)
    r = mc.analyse(inputs, {}, options)
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        print(f"Process peak resident memory over the whole benchmark: {rss:,.0f} MB")
    except (ImportError, AttributeError):
        pass
    lo_safe, hi_safe = r.max_safe_interval
    print(f"Example: success {r.success_probability:.2%} (95% {r.ci95[0]:.2%}–{r.ci95[1]:.2%}), "
          f"unlevered {r.success_probability_unlevered:.2%} on the same {r.comparison_paths:,} "
          f"paths, max safe monthly living costs {r.max_safe_monthly_spending or 0:,.0f} "
          f"(90% {lo_safe or 0:,.0f}–{hi_safe or 0:,.0f}; {r.max_safe_status}), largest grid "
          f"standard error {r.grid['standard_error'].max():.2%}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
