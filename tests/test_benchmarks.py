"""The benchmark's floor run (``benchmarks/floor_run.py``) does what its row says: the whole
``run.py`` with the A5 solvers' kernel runs left out. It patches the engine's internals,
so a change to them must not break it silently (it only runs inside ``python -m
benchmarks``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_floor_run_writes_the_workbook_with_every_solver_left_out(tmp_path):
    command = [sys.executable, str(ROOT / "benchmarks" / "floor_run.py"), "--quiet",
               "--no-history", "--json", "--paths", "300", "--out", str(tmp_path),
               str(ROOT / "workbooks" / "example.xlsx")]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("*.xlsx"))) == 1
    (summary,) = tmp_path.glob("*.json")
    mc = json.loads(summary.read_text(encoding="utf-8"))["monte_carlo"]
    # every grid cell and every level of the spending curve is the main run's survival:
    # no solver ran
    assert {cell["success"] for cell in mc["grid"]} == {mc["success_probability"]}
    assert {level["success"] for level in mc["spending_curve"]} == {mc["success_probability"]}
