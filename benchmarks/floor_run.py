"""``run.py`` with the A5 solvers' kernel runs left out: the end-to-end floor of everything
else (reading, A1–A4, A6, the Monte Carlo's main run and unlevered comparison on every
path, writing). Its figures for the grid and the max safe spending are **wrong** (every
cell and level is given the main run's survival); it exists only so that
``python -m benchmarks`` can show how much of the end-to-end time the solvers take and how
much would be left if they cost nothing.

    python benchmarks/floor_run.py --quiet --no-history --out DIR workbooks/example.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def skip_solvers() -> None:
    """Replace the solvers by the main run's survival: no pilot, no ladder, no wide pass."""
    from engine.analyses import mc_run
    from engine.analyses import mc_solvers as solvers

    def grid_and_spending(plan, returns, base, levels=(), scales=solvers.GRID_LINE, **_):
        grid = {(m, g): base for m in solvers.GRID_SPENDING for g in scales}
        spending = {float(m): base for m in {*levels, *solvers.GRID_SPENDING}}
        return grid, spending

    solvers.grid_and_spending = grid_and_spending
    mc_run.place_window = lambda job, *args, **kwargs: solvers.Window.around(1.0)
    mc_run._inside = lambda *args: True  # never the wide pass


if __name__ == "__main__":
    skip_solvers()
    from engine.app.cli import main

    raise SystemExit(main(sys.argv[1:]))
