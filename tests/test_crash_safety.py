"""Crash safety and concurrent runs (issue #8; SPEC §5 atomic output, §7 history).

Real processes are killed with SIGKILL — no cleanup, no ``finally`` — at the named crash
points of ``engine.crash_points`` and at random moments while the results are written and
the history is updated. After every kill, whatever the moment:

- the results workbook is the previous one or the new one, whole (with --pin-created
  both are byte-identical to the baseline), and so is the summary JSON;
- the history database passes SQLite's integrity check and holds exactly one complete
  snapshot for the portfolio and date (the old or the new one);
- the next run succeeds, warns about nothing, and leaves no temporary file behind.

Two processes on the same workbooks and the same history at once both finish, with
consistent snapshots and sound results files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, REPO

from engine.app import cli
from engine.crash_points import ENV, POINTS

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork semantics: POSIX")

RESULTS = "household results 2026-11-20.xlsx"
RANDOM_KILLS = 3


def small_example(path: Path, horizon: int = 3, portfolio: str | None = None) -> Path:
    """The example with a short horizon (fast), saved as ``path``."""
    book = openpyxl.load_workbook(EXAMPLE)
    for row in book["Settings"].iter_rows(min_row=2):
        if row[0].value == "Horizon years":
            row[1].value = horizon
        if row[0].value == "Portfolio name" and portfolio:
            row[1].value = portfolio
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def command(source: Path, root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "engine", str(source), "--out", str(root / "out"),
            "--history", str(root / "history.sqlite"), "--pin-created", "--json",
            "--paths", "100", *extra]  # fmt: skip


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A completed run: the results, JSON and history every crash starts from."""
    root = tmp_path_factory.mktemp("baseline")
    source = small_example(root / "in" / "household.xlsx")
    assert cli.main(command(source, root, "--quiet")[3:]) == 0
    return root


def copy_state(baseline: Path, root: Path, with_previous: bool = True) -> Path:
    shutil.copytree(baseline / "in", root / "in")
    if with_previous:
        shutil.copytree(baseline / "out", root / "out")
        shutil.copy2(baseline / "history.sqlite", root / "history.sqlite")
    return root


def snapshots(db: Path) -> list[tuple[int, int, int]]:
    """(run id, holdings, loans) per run, after SQLite's own integrity check."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn.execute(
            "SELECT id, (SELECT COUNT(*) FROM holdings h WHERE h.run_id = runs.id),"
            " (SELECT COUNT(*) FROM loans l WHERE l.run_id = runs.id) FROM runs"
        ).fetchall()


def assert_intact(root: Path, baseline: Path, previous: bool) -> None:
    """The state a kill may leave: old or new files whole, history consistent."""
    results = root / "out" / RESULTS
    if previous or results.exists():
        assert results.read_bytes() == (baseline / "out" / RESULTS).read_bytes()
    summary = results.with_suffix(".json")
    if previous or summary.exists():
        assert json.loads(summary.read_text("utf-8"))["portfolio"] == "Example household"
    db = root / "history.sqlite"
    if previous or db.exists():
        runs = snapshots(db)
        assert len(runs) == 1 or (not previous and runs == []), runs
        assert all(r[1:] == (13, 2) for r in runs), runs


def assert_next_run_cleans_up(root: Path, baseline: Path, capsys) -> None:
    capsys.readouterr()
    assert cli.main(command(root / "in" / "household.xlsx", root)[3:]) == 0
    printed = capsys.readouterr()
    assert "warning" not in printed.out + printed.err, printed
    assert sorted(p.name for p in (root / "out").iterdir()) == [
        RESULTS.replace(".xlsx", ".json"), RESULTS, "run.log",
    ]  # fmt: skip
    assert (root / "out" / RESULTS).read_bytes() == (baseline / "out" / RESULTS).read_bytes()
    assert [r[1:] for r in snapshots(root / "history.sqlite")] == [(13, 2)]
    assert not list(root.glob("history.sqlite-*"))  # no journal left


def test_kill_at_every_crash_point(baseline, tmp_path, capsys):
    scenarios = [(point, True) for point in POINTS] + [("results:temp-written", False)]
    running = []
    for i, (point, previous) in enumerate(scenarios):
        root = copy_state(baseline, tmp_path / f"{i}", previous)
        env = dict(os.environ, **{ENV: point})
        proc = subprocess.Popen(command(root / "in" / "household.xlsx", root, "--quiet"),
                                cwd=REPO, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)  # fmt: skip
        running.append((point, previous, root, proc))
    for point, previous, root, proc in running:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == -signal.SIGKILL, (point, err.decode())  # the point was reached
        assert_intact(root, baseline, previous)
        # What the kill left for the next run to deal with:
        temps = [p for p in (root / "out").iterdir() if p.name.startswith(".~tmp")]
        assert bool(temps) == ("temp-" in point), (point, temps)
        journal = root / "history.sqlite-journal"
        wrote = point in ("history:old-deleted", "history:inserted")  # a hot journal
        assert journal.exists() == wrote, point
        assert_next_run_cleans_up(root, baseline, capsys)


def test_kill_at_random_moments_while_writing(baseline, tmp_path, capsys):
    rng = random.Random(8)
    for i in range(RANDOM_KILLS):
        root = copy_state(baseline, tmp_path / f"{i}")
        proc = subprocess.Popen(command(root / "in" / "household.xlsx", root), cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        for line in proc.stdout:
            if "writing the results workbook" in line:
                break
        delay = rng.uniform(0.0, 0.6)  # the write, the JSON and the history update
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=60)
        assert_intact(root, baseline, True)
        assert_next_run_cleans_up(root, baseline, capsys)


def test_stale_temp_files_are_removed_but_live_ones_kept(tmp_path):
    from engine import fsio

    folder = tmp_path / "out"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    host = fsio._HOST
    names = {
        "dead": f".~tmp{dead}.{host}-abc.xlsx",  # its process has ended
        "live": f".~tmp{os.getpid()}.{host}-def.xlsx",  # this process: still writing
        "other host": f".~tmp{dead}.00000000-ghi.xlsx",  # cannot tell: kept while young
        "old format": ".~tmpjkl.xlsx",
        "ancient": f".~tmp{os.getpid()}.{host}-mno.json",
        "not ours": "notes.txt",
    }
    for name in names.values():
        (folder / name).write_text("x")
    hour_ago = time.time() - fsio.STALE_AFTER_S - 60
    os.utime(folder / names["ancient"], (hour_ago, hour_ago))
    removed = {p.name for p in fsio.remove_stale_temps(folder)}
    assert removed == {names["dead"], names["ancient"]}
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(names.values()) - removed)


def test_two_runs_at_once_on_the_same_workbooks_and_history(tmp_path):
    folder = tmp_path / "workbooks"
    small_example(folder / "household.xlsx")
    small_example(folder / "parents.xlsx", portfolio="Parents")
    procs = [
        subprocess.Popen(command(folder, tmp_path, "--quiet"), cwd=REPO,
                         env=dict(os.environ, PYTHONHASHSEED=str(seed)),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in (1, 2)
    ]  # fmt: skip
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "warning" not in out + err, err  # neither found the history locked
    out = tmp_path / "out"
    made = sorted(p.name for p in out.iterdir())
    assert made == ["household results 2026-11-20.json", RESULTS, "parents results 2026-11-20.json",
                    "parents results 2026-11-20.xlsx", "run.log"]  # fmt: skip
    for name in (RESULTS, "parents results 2026-11-20.xlsx"):
        assert openpyxl.load_workbook(out / name).sheetnames[0] == "Dashboard"
    with sqlite3.connect(tmp_path / "history.sqlite") as conn:
        portfolios = conn.execute("SELECT portfolio FROM runs ORDER BY portfolio").fetchall()
    assert portfolios == [("Example household",), ("Parents",)]  # one snapshot each
    assert [r[1:] for r in snapshots(tmp_path / "history.sqlite")] == [(13, 2), (13, 2)]
    assert (out / "run.log").read_text("utf-8").count("Finished: 2 done") == 2
