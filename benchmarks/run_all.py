"""The whole SPEC §9 table in one command: ``python -m benchmarks`` (or ``.run_all``).

    python -m benchmarks                 # every figure, 5 runs each (about 10 minutes)
    python -m benchmarks --runs 3        # quicker, noisier
    python -m benchmarks --only e2e      # one part: mc, e2e, large, batch

What it measures, on the machine it runs on (median of ``--runs`` runs, with min and max):

- Monte Carlo on the example, 10,000 and 100,000 paths × 480 months: the full model
  as A5 runs it, the bare lognormal random walk of the same size (the floor set by
  random-number generation), traced peak memory (``benchmarks.bench_monte_carlo``);
- the interpreter's bare ``import numpy, pandas, openpyxl, xlsxwriter`` (a subprocess);
- ``run.py`` on ``workbooks/example.xlsx`` end to end, as a user runs it (a subprocess,
  10,000 paths), and its ratio to the bare import (each round: the import, the run and
  ``benchmarks/floor_run.py``, the run without the solvers; the median of the rounds'
  ratios);
- ``run.py`` on a generated workbook with 2,000 holdings and 20 loans, its ratio to the
  bare import the same way, with the stage timings of its summary JSON (``timings_s``);
- ``run.py`` on 20 generated example-sized workbooks with ``--jobs 1`` and ``--jobs 2``,
  alternating, and the throughput ratio of each pair.

Generated workbooks and every output go to a temporary folder (``--keep DIR`` keeps
them there); runs use ``--no-history``, so ``workbooks/`` is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUN_PY = ROOT / "run.py"
EXAMPLE = ROOT / "workbooks" / "example.xlsx"
BARE_IMPORT = "import numpy, pandas, openpyxl, xlsxwriter"
PARTS = ("mc", "e2e", "large", "batch")


@dataclass
class Row:
    measure: str
    result: str
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    """``median [min–max]`` with a unit."""
    med, lo, hi = statistics.median(values), min(values), max(values)
    return f"{med:.{digits}f}{unit} [{lo:.{digits}f}–{hi:.{digits}f}]"


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a subprocess (it must succeed)."""
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} logical CPUs, "
        f"Python {platform.python_version()}, numpy {numpy.__version__}"
    )


def load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "load average n/a"


# --------------------------------------------------------------------------- parts
def bench_mc(runs: int) -> list[Row]:
    from benchmarks import bench_monte_carlo as mc
    from engine.analyses import mc_run
    from engine.analyses.options import RunOptions

    inputs, _source = mc.example_inputs()
    months = inputs.settings.months
    mc.full_model(inputs, 1_000)  # warm-up (imports, caches)
    rows = []
    for paths, limit in ((10_000, 0.5), (100_000, 4.0)):
        full = _times(lambda p=paths: mc.full_model(inputs, p, True), runs)
        bare = _times(lambda p=paths: mc.bare_walk(inputs, p), runs)
        ratio = statistics.median(full) / statistics.median(bare)
        med = statistics.median(full)
        rows.append(
            Row(
                f"Monte Carlo {paths:,} paths × {months} months (full model)",
                spread(full, digits=3),
                f"≤ {limit:g} s",
                med <= limit,
                [f"{paths * months / med / 1e6:.1f}M path-months/s"],
            )
        )
        rows.append(
            Row(
                f"  ratio to a bare random walk of the same size ({paths:,})",
                f"{ratio:.2f}× (bare walk {spread(bare, digits=3)})",
                "≤ 2× [v2]",
                ratio <= 2.0,
            )
        )
        # the same work in one process: the bare walk has one core, A5 two
        one = _times(lambda p=paths: mc.full_model(inputs, p, True, split=False), runs)
        rows.append(
            Row(
                f"  in one process ({paths:,})",
                f"{spread(one, digits=3)}, "
                f"{statistics.median(one) / statistics.median(bare):.2f}× the bare walk",
                "",
                None,
            )
        )
        if paths == 100_000:
            peak = mc.resident_peak(paths) / 2**20
            rows.append(
                Row(
                    f"  peak resident memory, {paths:,} paths (both processes, upper bound)",
                    f"{peak:,.0f} MB",
                    "≤ 1 GB",
                    peak <= 1024,
                )
            )
    # the whole A5 (SPEC §9 [v2], issue 17): main run, unlevered comparison, grid and max
    # safe spending, each on every path, two processes; 100,000 paths once (about ten
    # times the 10,000-path figure)
    for paths, n in ((10_000, runs), (100_000, 1)):
        whole = _times(lambda p=paths: mc_run.run(inputs, RunOptions(paths=p)), n)
        main = _times(lambda p=paths: mc.full_model(inputs, p, True), n)
        w, m = statistics.median(whole), statistics.median(main)
        rows.append(
            Row(
                f"Whole A5 at {paths:,} paths (solvers on every path)",
                f"{spread(whole)}; solvers {w - m:.2f} s",
                "",
                None,
                [f"{w / m:.1f}× the main run alone ({m:.2f} s)"],
            )
        )
    historical = inputs.with_settings(return_model="Historical")
    whole = _times(lambda: mc_run.run(historical, RunOptions(paths=10_000)), runs)
    rows.append(
        Row("  the same, Return model = Historical (bootstrap), 10,000 paths", spread(whole))
    )
    return rows


def _times(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def run_py(*args: str) -> list[str]:
    return [sys.executable, str(RUN_PY), "--quiet", "--no-history", *args]


def floor_py(*args: str) -> list[str]:
    """``run.py`` with the A5 solvers' kernel runs left out (wrong numbers; a floor)."""
    return [sys.executable, str(ROOT / "benchmarks" / "floor_run.py"), "--quiet",
            "--no-history", *args]  # fmt: skip


def bench_e2e(runs: int, tmp: Path) -> tuple[list[Row], float]:
    out = tmp / "out-example"
    wall([*run_py("--out", str(out), str(EXAMPLE))])  # warm the file cache once
    bare, e2e, floor = [], [], []
    # each round the import, the run and the floor run one after the other, and each
    # ratio taken within its round: the machine's speed drifts by tens of percent within
    # minutes, so a ratio of medians taken minutes apart is worth little
    for _ in range(runs):
        bare.append(wall([sys.executable, "-c", BARE_IMPORT]))
        e2e.append(wall(run_py("--out", str(out), str(EXAMPLE))))
        floor.append(wall(floor_py("--out", str(tmp / "out-floor"), str(EXAMPLE))))
    ratio = statistics.median(e / b for e, b in zip(e2e, bare, strict=True))
    floor_ratio = statistics.median(f / b for f, b in zip(floor, bare, strict=True))
    rows = [
        Row(f"Bare import ({BARE_IMPORT.removeprefix('import ')})", spread(bare)),
        Row(
            "Example end to end: run.py workbooks/example.xlsx (10,000 paths)",
            spread(e2e),
            "≤ 2.5 s",
            statistics.median(e2e) <= 2.5,
        ),
        Row(
            "  ratio to the bare import (median of each round's ratio)",
            f"{ratio:.1f}×",
            "≤ 3× [v2]",
            ratio <= 3.0,
        ),
        Row(
            "  the same with the solvers' runs left out (benchmarks/floor_run.py)",
            spread(floor),
            "",
            None,
            [f"{floor_ratio:.1f}× the bare import: the floor of all but the solvers"],
        ),
    ]
    return rows, statistics.median(bare)


def bench_large(runs: int, tmp: Path) -> list[Row]:
    from benchmarks.make_workbooks import write_large

    path = write_large(tmp / "large" / "large.xlsx")
    out = tmp / "out-large"
    times, stages, ratios = [], [], []
    for _ in range(runs):  # each round its own bare import: the ratio within the round
        bare = wall([sys.executable, "-c", BARE_IMPORT])
        times.append(wall(run_py("--json", "--out", str(out), str(path))))
        ratios.append(times[-1] / bare)
        summary = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
        stages.append(summary["timings_s"])
    med, ratio = statistics.median(times), statistics.median(ratios)
    rows = [Row("2,000 holdings + 20 loans end to end (run.py, 10,000 paths)", spread(times),
                "≤ 10 s", med <= 10.0),
            Row("  ratio to the bare import (median of each round's ratio)", f"{ratio:.1f}×",
                "≤ 6× [v2]", ratio <= 6.0)]  # fmt: skip
    keys = [k for k in stages[0] if all(s.get(k) is not None for s in stages)]
    for chunk in (keys[:5], keys[5:]):
        parts = [f"{k} {statistics.median([s[k] for s in stages]):.2f}" for k in chunk]
        rows.append(Row("  its stages (summary JSON timings_s, median s)", ", ".join(parts)))
    return rows


def bench_batch(runs: int, tmp: Path, count: int = 20) -> list[Row]:
    from benchmarks.make_workbooks import write_batch

    folder = tmp / "batch"
    write_batch(folder, count)
    out = tmp / "out-batch"
    one, two = [], []
    for _ in range(runs):  # alternate, so a change in machine load hits both alike
        one.append(wall(run_py("--jobs", "1", "--out", str(out), str(folder))))
        two.append(wall(run_py("--jobs", "2", "--out", str(out), str(folder))))
    ratios = [a / b for a, b in zip(one, two, strict=True)]
    med = statistics.median(ratios)
    return [
        Row(
            f"{count} workbooks, --jobs 1",
            spread(one),
            notes=[f"{count / statistics.median(one):.2f} workbooks/s"],
        ),
        Row(
            f"{count} workbooks, --jobs 2",
            spread(two),
            notes=[f"{count / statistics.median(two):.2f} workbooks/s"],
        ),
        Row(
            "  throughput --jobs 2 / --jobs 1 (per pair of runs)",
            spread(ratios, "×"),
            "≥ 1.6×",
            med >= 1.6,
        ),
    ]


# --------------------------------------------------------------------------- table
def print_table(rows: list[Row]) -> None:
    w1 = max(len(r.measure) for r in rows)
    w2 = max(len(r.result) for r in rows)
    w3 = max([len(r.target) for r in rows] + [6])
    header = f"{'measure':<{w1}} | {'median [min–max]':<{w2}} | {'target':<{w3}} | met"
    print(header)
    print("-" * len(header))
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        line = f"{r.measure:<{w1}} | {r.result:<{w2}} | {r.target:<{w3}} | {met}"
        if r.notes:
            line += "   " + "; ".join(r.notes)
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--only", choices=PARTS, nargs="+", default=list(PARTS))
    parser.add_argument("--keep", type=Path, help="generate and write here (kept afterwards)")
    args = parser.parse_args(argv)
    print(f"SPEC §9 benchmark — {machine()}")
    print(f"median of {args.runs} runs [min–max]; at start: {load()}", flush=True)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="alm-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    t0 = time.perf_counter()
    parts = {
        "mc": lambda: bench_mc(args.runs),
        "e2e": lambda: bench_e2e(args.runs, tmp)[0],
        "large": lambda: bench_large(args.runs, tmp),
        "batch": lambda: bench_batch(args.runs, tmp),
    }
    try:
        for name in PARTS:
            if name in args.only:
                done = parts[name]()
                for r in done:  # as it goes; the whole table follows at the end
                    print(f"  {r.measure.strip()}: {r.result}", flush=True)
                rows += done
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table(rows)
    print(f"\n{load()} at the end; the benchmark took {time.perf_counter() - t0:.0f} s.")
    failed = [r for r in rows if r.met is False]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
