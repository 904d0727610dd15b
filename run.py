#!/usr/bin/env python3
"""Double-click (or ``python run.py``) entry point of the personal ALM engine.

    python run.py                   process every workbook in workbooks/
    python run.py my.xlsx --json    process one workbook, also write the summary JSON
    python run.py template my.xlsx  write a blank input template
    python run.py test [ARGS]       run the test suite (ARGS go to pytest)
    python run.py --help            all options

The first part of this file uses only the standard library: when the engine's
dependencies are missing it creates ``.venv/`` beside this file, installs the
project into it with pip (showing pip's progress) and runs itself again inside it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
MIN_PYTHON = (3, 10)
RUNTIME_MODULES = ("numpy", "pandas", "scipy", "openpyxl", "xlsxwriter", "defusedxml")
TEST_MODULES = ("pytest", "hypothesis")
BOOTSTRAP_MARK = "ALM_BOOTSTRAPPED"  # set to the venv path when re-executed inside it


def _missing(modules) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _inside_venv() -> bool:
    try:
        return Path(sys.prefix).resolve() == VENV.resolve()
    except OSError:
        return False


def _install_stamp(extras: str) -> str:
    text = (HERE / "pyproject.toml").read_bytes() if (HERE / "pyproject.toml").exists() else b""
    return hashlib.sha256(text + extras.encode()).hexdigest()


def _bootstrap(with_tests: bool) -> None:
    """Create .venv/ and install the project (and the test extra) into it."""
    python = _venv_python()
    if not python.exists():
        print(f"First run: creating a private Python environment in {VENV} …", flush=True)
        try:
            import venv

            venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
        except Exception as exc:  # noqa: BLE001 - explain, do not show a traceback
            sys.exit(
                f"Could not create {VENV}: {exc}\n"
                "On Debian/Ubuntu install the venv module first: sudo apt install python3-venv"
            )
    extras = "[test]" if with_tests else ""
    stamp_file = VENV / (".alm-installed-test" if with_tests else ".alm-installed")
    stamp = _install_stamp(extras)
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        return
    print("Installing the engine and its libraries (numpy, pandas, scipy, openpyxl, "
          "xlsxwriter); this takes a minute or two the first time …", flush=True)  # fmt: skip
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check",
               "-e", f"{HERE}{extras}"]  # fmt: skip
    result = subprocess.run(command, cwd=HERE)
    if result.returncode != 0:
        sys.exit(
            "Installing the dependencies failed (see pip's messages above). Check the "
            "internet connection and run again; delete the .venv folder to start over."
        )
    stamp_file.write_text(stamp)


def _reexec_in_venv(argv: list[str]) -> int:
    """Run this script again with the venv's Python; return its exit code."""
    env = dict(os.environ, **{BOOTSTRAP_MARK: str(VENV)})
    command = [str(_venv_python()), str(Path(__file__).resolve()), *argv]
    if os.name != "nt":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(command[0], command, env)  # same process: it does any waiting itself
    env["ALM_NO_WAIT"] = "1"  # Windows: this (outer) process waits, not the child
    return subprocess.call(command, env=env)


def _needs_bootstrap(with_tests: bool) -> bool:
    if os.environ.get(BOOTSTRAP_MARK) == str(VENV):
        return False  # already re-executed once: do not loop
    modules = RUNTIME_MODULES + (TEST_MODULES if with_tests else ())
    if _inside_venv():
        return bool(_missing(modules))
    if os.environ.get("ALM_FORCE_BOOTSTRAP") == "1":
        return True
    return bool(_missing(modules))


# --------------------------------------------------------------------------- console
def _console_opened_for_us() -> bool:
    """True when a console window was opened just for this run (a double-click)."""
    if os.name == "nt":
        try:
            import ctypes

            buffer = (ctypes.c_uint32 * 4)()
            count = ctypes.windll.kernel32.GetConsoleProcessList(buffer, 4)
            # Alone on the console: Explorer opened it for us. Two, the other being the
            # py.exe launcher that .py files are associated with: the same situation.
            return count == 1 or (count == 2 and _parent_image().lower() in {"py.exe", "pyw.exe"})
        except Exception:  # noqa: BLE001
            return False
    try:  # Linux file managers that run scripts in a terminal they open themselves
        parent = Path(f"/proc/{os.getppid()}/comm").read_text().strip()
    except OSError:
        return False
    return parent in {"nautilus", "nemo", "caja", "thunar", "dolphin", "pcmanfm", "gio"}


def _parent_image() -> str:
    """Windows: the executable name of the parent process ("" when unknown)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, os.getppid())  # QUERY_LIMITED_INFORMATION
    if not handle:
        return ""
    try:
        size = wintypes.DWORD(1024)
        name = ctypes.create_unicode_buffer(size.value)
        if not kernel32.QueryFullProcessImageNameW(handle, 0, name, ctypes.byref(size)):
            return ""
        return Path(name.value).name
    finally:
        kernel32.CloseHandle(handle)


def _should_wait(argv: list[str]) -> bool:
    if "--quiet" in argv or os.environ.get("CI") or os.environ.get("ALM_NO_WAIT"):
        return False
    try:
        if not sys.stdin or not sys.stdin.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    return _console_opened_for_us()


def _finish(code: int, argv: list[str]) -> None:
    if _should_wait(argv):
        try:
            input("\nPress Enter to close this window.")
        except (EOFError, KeyboardInterrupt):
            pass
    # Everything is written and closed by now. Without this, the interpreter's exit
    # spends ~0.2 s collecting garbage through every object pandas and scipy created
    # (files are still flushed and atexit handlers still run).
    import gc

    gc.freeze()
    sys.exit(code)


# --------------------------------------------------------------------------- main
def main() -> None:
    argv = sys.argv[1:]
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; "
                 f"this is {sys.version.split()[0]}.")  # fmt: skip
    if os.environ.get(BOOTSTRAP_MARK) != str(VENV):  # the re-executed child keeps it
        os.environ["ALM_INVOKED_FROM"] = os.getcwd()
    os.environ["ALM_PROJECT_DIR"] = str(HERE)
    os.chdir(HERE)
    with_tests = bool(argv) and argv[0] == "test"

    if _needs_bootstrap(with_tests):
        _bootstrap(with_tests)
        _finish(_reexec_in_venv(argv), argv)
    if os.environ.get(BOOTSTRAP_MARK) == str(VENV) and _missing(RUNTIME_MODULES):
        sys.exit(f"The environment in {VENV} is incomplete ({', '.join(_missing(RUNTIME_MODULES))} "
                 "missing). Delete the .venv folder and run again.")  # fmt: skip

    if with_tests:
        code = subprocess.call([sys.executable, "-m", "pytest", *argv[1:]], cwd=HERE)
        _finish(code, argv)

    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import gc

    # A run allocates millions of short-lived objects (imports, tables) but few cycles:
    # collecting every 50,000 allocations instead of 700 saves ~5% of the CPU time
    # (the forked Monte Carlo processes inherit it), for a few MB at most.
    gc.set_threshold(50_000, 20, 20)
    from engine.app.cli import main as cli_main

    _finish(cli_main(argv), argv)


if __name__ == "__main__":
    main()
