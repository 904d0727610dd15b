"""run.py from a fresh copy of the repo (no .venv) builds its environment and does the job.

Slow-ish (a venv and a pip install; pip's cache makes it a minute or so) but it is the
first thing a new user does, so it runs in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO

SKIP_PARTS = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}


def repo_files() -> list[Path]:
    """The files a clone would have: tracked plus new, not ignored (falls back to a walk)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.SubprocessError):
        names = [
            str(p.relative_to(REPO))
            for p in REPO.rglob("*")
            if p.is_file() and not SKIP_PARTS & set(p.relative_to(REPO).parts)
        ]
    return [REPO / n for n in names if (REPO / n).is_file() and "results" not in Path(n).parts]


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ALM_", "PYTEST_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(extra)
    return env


@pytest.fixture
def fresh_copy(tmp_path) -> Path:
    if not EXAMPLE.exists():
        if os.environ.get("CI"):
            pytest.fail("workbooks/example.xlsx must exist in CI")
        pytest.skip("the example workbook has not landed yet")
    root = tmp_path / "alm"
    for src in repo_files():
        dst = root / src.relative_to(REPO)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    assert not (root / ".venv").exists()
    return root


def test_run_py_bootstraps_a_fresh_copy(fresh_copy):
    result = subprocess.run(
        [sys.executable, "run.py", "--quiet", "--paths", "200"],
        cwd=fresh_copy,
        env=clean_env(ALM_FORCE_BOOTSTRAP="1", CI="1", PIP_DISABLE_PIP_VERSION_CHECK="1"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    venv_python = fresh_copy / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert venv_python.exists()
    assert "Installing" in output  # it said what it was doing
    results = list((fresh_copy / "workbooks" / "results").glob("example results *.xlsx"))
    assert len(results) == 1
    assert (fresh_copy / "workbooks" / "results" / "run.log").exists()
    assert (fresh_copy / "workbooks" / "history.sqlite").exists()

    # The second run finds its environment ready: no second install.
    again = subprocess.run(
        [sys.executable, "run.py", "--quiet", "--paths", "200", "--no-history"],
        cwd=fresh_copy,
        env=clean_env(ALM_FORCE_BOOTSTRAP="1", CI="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, (again.stdout + again.stderr)[-5000:]
    assert "Installing" not in again.stdout + again.stderr


def test_paths_resolve_from_the_script_folder_not_the_cwd(fresh_copy, tmp_path):
    """Started from another folder, with the system's own Python (no bootstrap needed)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, str(fresh_copy / "run.py"), "--quiet", "--paths", "200", "--no-history"],
        cwd=elsewhere,
        env=clean_env(CI="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert list((fresh_copy / "workbooks" / "results").glob("example results *.xlsx"))
    assert list(elsewhere.iterdir()) == []
