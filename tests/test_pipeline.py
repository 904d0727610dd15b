"""The pipeline's early start: A5 begins right after reading, in a child process, on
modules that load without pandas, xlsxwriter or scipy; unfinished work is stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLE, REPO, small_inputs

from engine import parallel
from engine.analyses.options import RunOptions
from engine.app.pipeline import cancel, run_analyses, start_ahead
from engine.app.registry import ANALYSES


def test_the_early_start_loads_no_heavy_library():
    """Reading and starting A5 must not import pandas, xlsxwriter or scipy (that is what
    lets the child begin before they load in the parent)."""
    code = f"""
import json, sys
from pathlib import Path
from engine.io.reader import read_workbook
from engine.analyses.options import RunOptions
from engine.app.pipeline import cancel, start_ahead
inputs = read_workbook(Path({str(EXAMPLE)!r}))
started = start_ahead(inputs, RunOptions(paths=1000))
cancel(started)
print(json.dumps([m for m in ("pandas", "xlsxwriter", "scipy") if m in sys.modules]))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_every_ahead_analysis_has_a_finish():
    for a in ANALYSES:
        if a.ahead_path:
            assert callable(a.module().finish)


def _same(x, y) -> bool:
    if isinstance(x, pd.DataFrame):
        pd.testing.assert_frame_equal(x, y)
        return True
    if isinstance(x, np.ndarray):
        return np.array_equal(x, y)
    return x == y


def test_started_in_a_child_equals_computed_here(monkeypatch):
    inputs = small_inputs()
    options = RunOptions(paths=300)
    forked = run_analyses(inputs, options, start_ahead(inputs, options))
    monkeypatch.setenv(parallel.FORK_ENV, "0")
    inline = run_analyses(inputs, options)
    a, b = forked.results["monte_carlo"], inline.results["monte_carlo"]
    for field in a.__dataclass_fields__:
        assert _same(getattr(a, field), getattr(b, field)), field


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child process needs fork")
def test_cancel_stops_and_reaps_the_child():
    inputs = small_inputs()
    started = start_ahead(inputs, RunOptions(paths=100_000))
    (handle,) = started.values()
    pid = handle._child._pid
    assert pid is not None
    cancel(started)
    cancel(started)  # twice is harmless
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_an_error_in_the_other_analyses_cancels_the_monte_carlo(monkeypatch):
    import engine.analyses.defense as defense

    inputs = small_inputs()
    options = RunOptions(paths=100_000)
    started = start_ahead(inputs, options)
    (handle,) = started.values()
    pid = handle._child._pid

    def broken(*args, **kwargs):
        raise ZeroDivisionError("an engine bug")

    monkeypatch.setattr(defense, "analyse", broken)
    with pytest.raises(ZeroDivisionError):
        run_analyses(inputs, options, started)
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
