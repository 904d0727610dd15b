"""Files and folders: where the project lives, and crash-safe writes.

- ``project_dir`` / ``invoked_from`` / ``user_path``: folders resolve from the folder
  holding run.py, never from the current directory; a path the user typed resolves
  from where they typed it (SPEC §1).
- ``atomic_write``: write to ``.~tmp<pid>.<host>-….<ext>`` in the target's folder,
  flush it to disk, then rename it over the target, so a crash at any moment leaves
  either the old file or the new one, whole (SPEC §5). A locked target (open in Excel)
  gets ``… (2)``, ``… (3)`` … instead. The next write removes temporary files that runs
  which died left behind (``remove_stale_temps``).

Used by the results workbook, the summary JSON and the template writer alike.
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
from pathlib import Path

from engine.crash_points import crash_point

TEMP_PREFIX = ".~tmp"
MAX_ALTERNATIVES = 50
#: A temporary file this old is stale whoever wrote it: a write takes seconds.
STALE_AFTER_S = 3600.0
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_OWNED = re.compile(r"^\.~tmp(\d+)\.([0-9a-f]{8})-")


# ----------------------------------------------------------------------------- folders
def project_dir() -> Path:
    """The folder holding run.py (``ALM_PROJECT_DIR`` overrides; run.py sets it)."""
    env = os.environ.get("ALM_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / "run.py").exists() or (here / "pyproject.toml").exists():
        return here
    return Path.cwd()  # installed as a library without the project folder


def invoked_from() -> Path:
    """Where the user typed the command (run.py changes into its own folder first)."""
    return Path(os.environ.get("ALM_INVOKED_FROM") or os.getcwd())


def user_path(text: str) -> Path:
    """A path the user typed: absolute as given, else from where the command was typed."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else invoked_from() / path


# ----------------------------------------------------------------------------- atomic writes
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
