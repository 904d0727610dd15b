"""Assemble the results workbook (SPEC §5): sheets in order, writers in computation order.

The sheets are created first in ``pipeline.SHEET_ORDER`` (Dashboard first), then the
hidden ``_chart_data`` sheet; the writers then run in *computation* order (A1 … A6)
so a writer can publish cell ranges in ``ctx.refs`` that a later one charts (the
Dashboard is written last although it is the first sheet). Inputs and About close.

The file is written atomically: to ``.~tmp<pid>.<host>-….xlsx`` in the results folder,
flushed to disk, then renamed over the target, so a crash at any moment leaves either the
old file or the new one, whole. The next write removes temporary files left by runs that
died (``remove_stale_temps``). When the target is locked (open in Excel), the result goes
to ``… (2).xlsx``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlsxwriter

from engine import __version__
from engine.crash_points import crash_point
from engine.app.pipeline import SHEET_ORDER, Analysis, RunResults
from engine.report.common import DATA_SHEET, Formats, ReportContext

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}
TEMP_PREFIX = ".~tmp"
MAX_ALTERNATIVES = 50
#: A temporary file this old is stale whoever wrote it: a write takes seconds.
STALE_AFTER_S = 3600.0
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_OWNED = re.compile(r"^\.~tmp(\d+)\.([0-9a-f]{8})-")


@dataclass(frozen=True)
class RunInfo:
    """Facts about this run that the results record (About sheet, JSON, history)."""

    input_path: Path
    run_time: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    seed: int | None = None  # effective Monte Carlo seed
    paths: int | None = None  # effective Monte Carlo paths
    input_sha256: str = ""
    #: A fixed document "created" date (and About run time) for byte-identical output.
    pinned_created: datetime | None = None
    warnings: tuple[str, ...] = ()  # run-level warnings (history, …) beside the input's own
    history_path: Path | None = None

    @property
    def input_name(self) -> str:
        return Path(self.input_path).name

    @property
    def created(self) -> datetime:
        return self.pinned_created or self.run_time


def results_file_name(input_path: Path, valuation_date) -> str:
    """``<input stem> results <valuation date YYYY-MM-DD>.xlsx`` (SPEC §5)."""
    return f"{Path(input_path).stem} results {valuation_date.isoformat()}.xlsx"


def sheet_writer(analysis: Analysis):
    """The report module of an analysis, or None while it has not been written yet."""
    try:
        return analysis.writer()
    except ModuleNotFoundError as exc:
        if exc.name != f"engine.report.{analysis.name}":
            raise
        return None


def _writers(run: RunResults) -> dict[str, tuple[Analysis, object]]:
    out = {}
    for a in run.analyses:
        module = sheet_writer(a)
        if module is not None:
            out[a.sheet] = (a, module)
    return out


def build_workbook(path: Path, run: RunResults, run_info: RunInfo) -> None:
    """Write the whole results workbook to ``path`` (not atomic: see ``write_results``)."""
    # Imported here so the three own-sheet modules stay off the import path of the CLI.
    from engine.report import about, inputs_sheet

    inputs = run.inputs
    settings = inputs.settings
    writers = _writers(run)
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        present = [s for s in SHEET_ORDER if s in writers or s in ("Inputs", "About")]
        sheets = {name: book.add_worksheet(name) for name in present}
        data_ws = book.add_worksheet(DATA_SHEET)
        data_ws.hide()
        ctx = ReportContext(
            book=book,
            fmt=Formats(book, settings.base_currency),
            currency=settings.base_currency,
            results=run.results,
            data_ws=data_ws,
        )
        for a in run.analyses:  # computation order
            if a.sheet in writers:
                writers[a.sheet][1].write(sheets[a.sheet], run.results[a.key], ctx)
        inputs_sheet.write(sheets["Inputs"], inputs, ctx)
        about.write(sheets["About"], run, run_info, ctx, [s for s in present])
        for ws in sheets.values():
            _default_header_footer(ws)
        sheets[present[0]].activate()
        sheets[present[0]].set_first_sheet()
        book.set_properties(
            {
                "title": f"{settings.portfolio_name} — ALM results {settings.valuation_date}",
                "subject": "Personal asset-liability management results",
                "author": "ALM engine",
                "company": "",
                "keywords": "ALM, stress test, Monte Carlo, FIRE",
                "comments": (
                    f"Written by ALM engine {__version__} from {run_info.input_name} "
                    f"(valuation date {settings.valuation_date}, seed {run_info.seed}, "
                    f"{run_info.paths} Monte Carlo paths)."
                ),
                "created": run_info.created,
            }
        )
    finally:
        book.close()


def _default_header_footer(ws) -> None:
    """Every printed page names its sheet and numbers itself, unless a writer chose otherwise."""
    if not ws.header:
        ws.set_header("&L&A&R&D")
    if not ws.footer:
        ws.set_footer("&CPage &P of &N")


def _writable(target: Path) -> bool:
    """False when an existing target cannot be opened for writing (e.g. open in Excel)."""
    if not target.exists():
        return True
    try:
        with open(target, "r+b"):
            return True
    except PermissionError:
        return False
    except OSError:
        return False


def _alternative(target: Path, n: int) -> Path:
    return target.with_name(f"{target.stem} ({n}){target.suffix}")


def _normal_permissions(path: Path) -> None:
    """mkstemp makes owner-only files; give the result the mode a plain open() would."""
    if os.name == "nt":
        return
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running on this computer (True when unsure)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temporary files that runs which died left in ``folder``; return them.

    Ours by their ``.~tmp`` prefix; stale when the process named in the file name has
    ended on this computer, or when older than ``STALE_AFTER_S`` whoever wrote it. The
    temporary files of runs still writing (other processes, ``--jobs``) are left alone.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        owner = _OWNED.match(entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
            dead = owner is not None and owner[2] == _HOST and not _process_alive(int(owner[1]))
            if old or dead:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # in use, or removed meanwhile by another run
    return removed


def _flush_to_disk(path: Path) -> None:
    """So that after a power cut the renamed file is the whole new file, not an empty one."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def atomic_write(
    target: Path, write: Callable[[Path], None], what: str = "results"
) -> tuple[Path, str | None]:
    """Write through ``write(temp_path)`` then rename onto ``target``.

    On a locked target, try ``… (2)``, ``… (3)`` … and return the path used and a
    message to show. On any error the temp file is removed and the error re-raised.
    ``what`` names the file in the crash points (``engine.crash_points``).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{os.getpid()}.{_HOST}-", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        crash_point(f"{what}:temp-created")
        write(tmp)
        _normal_permissions(tmp)
        _flush_to_disk(tmp)
        crash_point(f"{what}:temp-written")
        candidates = [target] + [_alternative(target, n) for n in range(2, MAX_ALTERNATIVES + 1)]
        for candidate in candidates:
            if not _writable(candidate):
                continue
            try:
                os.replace(tmp, candidate)
            except PermissionError:
                continue
            crash_point(f"{what}:replaced")
            if candidate == target:
                return candidate, None
            return candidate, (
                f"{target.name} is open in another program (locked), "
                f"so the results were written to {candidate.name} instead."
            )
        raise PermissionError(
            f"{target.name} and {MAX_ALTERNATIVES - 1} alternatives are all locked; "
            "close the open copies and run again"
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_results(
    run: RunResults, out_dir: Path | None, run_info: RunInfo
) -> tuple[Path, str | None]:
    """Write the results workbook into ``out_dir``; return its path and a message or None.

    ``out_dir`` defaults to ``workbooks/results`` in the project folder. The input
    workbook is only ever read.
    """
    if out_dir is None:
        from engine.app.cli import project_dir

        out_dir = project_dir() / "workbooks" / "results"
    target = Path(out_dir) / results_file_name(
        run_info.input_path, run.inputs.settings.valuation_date
    )
    return atomic_write(target, lambda tmp: build_workbook(tmp, run, run_info))
